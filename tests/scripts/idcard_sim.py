#!/usr/bin/python3
"""idcard_sim.py - a resident ID card reader (its security module's GA 467 frame protocol,
docs/idcard-reader.md) on a pseudo-terminal, for tests: no hardware needed.

  idcard_sim.py LINK SCENARIO [NAME ID ADDRESS]

makes a pty, links LINK to its device (the kiosk's [devices] id_reader), and answers the
commands the kiosk writes there - find card (20 01), select (20 02), read text and photo
(30 01) - as a reader would, in one SCENARIO:
  card      a card lies on the reader: found, selected, read (NAME, ID, ADDRESS ...);
            once read, it is not found again until it was taken away (never, here);
  none      no card: find answers 80;
  removed   the card is lifted mid-read: the read reply stops a third of the way in,
            and after that there is no card;
  badsum    the read reply's checksum is wrong (each time);
  trickle   a card, every reply written a byte at a time with a pause between bytes;
  silence   the reader takes the commands and never answers.
It runs until killed (SIGTERM) and logs each command to stderr.

  idcard_sim.py --frame NAME ID ADDRESS > FILE     # a read reply (fuzz seeds, tests)
"""
import os, pty, signal, sys, termios, time, tty

PRE = b"\xAA\xAA\xAA\x96\x69"

def frame(body):
    n = len(body) + 1
    head = bytes([n >> 8, n & 0xFF])
    x = 0
    for b in head + body:
        x ^= b
    return PRE + head + body + bytes([x])

def ucs2(text, chars):
    s = text.encode("utf-16-le")[: 2 * chars]
    return s + " ".encode("utf-16-le") * (chars - len(s) // 2)

def text_block(name, idno, address):
    t = (ucs2(name, 15) + ucs2("1", 1) + ucs2("01", 2) + ucs2("19491231", 8) + ucs2(address, 35)
         + ucs2(idno, 18) + ucs2("北京市公安局东城分局", 15) + ucs2("20200101", 8) + ucs2("20400101", 8))
    t += b"\x00" * (256 - len(t))
    assert len(t) == 256
    return t

def read_reply(name, idno, address):
    photo = bytes((i * 7 + 1) & 0xFF for i in range(1024))
    return frame(b"\x00\x00\x90" + b"\x01\x00\x04\x00" + text_block(name, idno, address) + photo)

FOUND = frame(b"\x00\x00\x9F\x00\x00\x00\x00")
NO_CARD = frame(b"\x00\x00\x80")
SELECTED = frame(b"\x00\x00\x90" + b"\x00" * 8)
SELECT_FAILED = frame(b"\x00\x00\x81")

def main():
    if sys.argv[1] == "--frame":
        sys.stdout.buffer.write(read_reply(*sys.argv[2:5]))
        return
    link, scenario = sys.argv[1], sys.argv[2]
    name, idno, address = (sys.argv[3:6] if len(sys.argv) >= 6 else
                           ("王小明", "11010519491231002X", "北京市东城区景山前街4号"))
    master, slave = pty.openpty()
    tty.setraw(slave)
    path = os.ttyname(slave)
    tmp = link + ".tmp"
    if os.path.lexists(tmp):
        os.remove(tmp)
    os.symlink(path, tmp)
    os.rename(tmp, link)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"idcard_sim: {scenario} on {path} ({link})", file=sys.stderr, flush=True)
    card = scenario in ("card", "removed", "badsum", "trickle")
    buf = b""

    def send(data):
        if scenario == "trickle":
            for i in range(len(data)):
                os.write(master, data[i:i + 1])
                time.sleep(0.0005)
        else:
            os.write(master, data)

    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            time.sleep(0.05)  # nobody has the port open: wait for the kiosk
            continue
        buf += chunk
        while True:
            i = buf.find(PRE)
            if i < 0 or len(buf) < i + 10:
                break
            cmd = buf[i + 7:i + 9]
            buf = buf[i + 10:]
            print(f"idcard_sim: command {cmd.hex()}", file=sys.stderr, flush=True)
            if scenario == "silence":
                continue
            if cmd == b"\x20\x01":
                send(FOUND if card else NO_CARD)
            elif cmd == b"\x20\x02":
                send(SELECTED if card else SELECT_FAILED)
            elif cmd == b"\x30\x01":
                if not card:
                    send(frame(b"\x00\x00\x41"))
                    continue
                reply = read_reply(name, idno, address)
                if scenario == "removed":
                    send(reply[: len(reply) // 3])
                    card = False
                elif scenario == "badsum":
                    send(reply[:-1] + bytes([reply[-1] ^ 0x5A]))
                else:
                    send(reply)
                    card = False  # read: the reader finds it again only once re-laid
        del chunk

if __name__ == "__main__":
    main()
