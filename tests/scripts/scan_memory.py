#!/usr/bin/python3
"""scan_memory.py PID NEEDLES_FILE - exit 1 when any line of NEEDLES_FILE is anywhere in
the writable memory of process PID (heap, anonymous mappings, stacks, the data of its
libraries), 0 when none is; prints where each was found. A line "hex:HEX" is the bytes
HEX (text in another encoding, e.g. UCS-2 as an ID card holds it). Run by a kiosk script's `sh`
step ($PPID is the kiosk), so the kiosk is paused at a known point. Needs the right to
read /proc/PID/mem (root, or the same user while the process is dumpable)."""
import re, sys

pid, needles_file = sys.argv[1], sys.argv[2]
needles = [bytes.fromhex(l.strip()[4:]) if l.startswith("hex:") else l.rstrip("\n").encode()
           for l in open(needles_file, encoding="utf-8") if l.strip()]
hits = 0
with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
    for line in maps:
        m = re.match(r"([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)", line)
        start, end, perms, name = int(m.group(1), 16), int(m.group(2), 16), m.group(3), m.group(4)
        if "w" not in perms or "r" not in perms or name in ("[vvar]", "[vsyscall]"):
            continue
        # in chunks that overlap by the longest needle, so a match across two is seen
        chunk, over = 16 << 20, max(len(n) for n in needles)
        at = start
        while at < end:
            try:
                mem.seek(at)
                data = mem.read(min(chunk + over, end - at))
            except OSError:
                at += chunk
                continue
            for n in needles:
                i = data.find(n)
                while 0 <= i < chunk:
                    ctx = data[max(0, i - 24):i + len(n) + 24]
                    print(f"found {n!r} at {at + i:#x} in {name or 'anonymous'}: {ctx!r}")
                    hits += 1
                    i = data.find(n, i + 1)
            at += chunk
print(f"scan_memory: {len(needles)} strings, {hits} found")
sys.exit(1 if hits else 0)
