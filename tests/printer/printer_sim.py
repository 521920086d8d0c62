#!/usr/bin/python3
"""printer_sim.py SCENARIO READY_FILE CAPTURE_FILE - a receipt printer on a pty.

Writes the pty's path to READY_FILE once it listens, then reads what the kiosk sends,
understands it as a printer does (escpos_stream.py), answers DLE EOT n real-time status
requests as the scenario says, and appends every byte that is not a status request to
CAPTURE_FILE. Runs until it is killed (or, "unplug", until it unplugs itself).

Scenarios (the status bytes are Epson's, as the common printers send them):
  ready      online, cover shut, paper fine
  near-end   online, the paper sensor says the roll is nearly done (DLE EOT 4: bits 2-3)
  paper-end  offline (DLE EOT 1 bit 3), stopped at paper end (2: bit 5), paper end (4: bits 5-6)
  cover-open offline, cover open (DLE EOT 2: bit 2)
  unplug     ready, but after the first 4 KiB of raster it closes the pty: the cable is pulled
  silent     reads everything, never answers

SCENARIO may also be @FILE: the scenario named in FILE, read again at each status
request, so a test can change the printer's state while it runs (a roll running out)."""
import os
import sys
import tty

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from escpos_stream import Reader  # noqa: E402

REPLIES = {
    'ready': {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12},
    'near-end': {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x1E},
    'paper-end': {1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x7E},
    'cover-open': {1: 0x1A, 2: 0x16, 3: 0x12, 4: 0x12},
    'unplug': {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12},
    'silent': {},
}


def main():
    scenario, ready_file, capture_file = sys.argv[1:4]
    def replies():
        if scenario.startswith('@'):
            with open(scenario[1:]) as f:
                return REPLIES[f.read().strip()]
        return REPLIES[scenario]
    master, slave = os.openpty()
    tty.setraw(slave)
    # the simulator keeps its own slave open, so the master never reads EIO between
    # two jobs (each job opens and closes the device)
    path = os.ttyname(slave)
    with open(ready_file + '.tmp', 'w') as f:
        f.write(path + '\n')
    os.rename(ready_file + '.tmp', ready_file)
    out = open(capture_file, 'ab')
    def answer(n):
        r = replies().get(n)
        if r is not None:
            os.write(master, bytes([r]))
    reader = Reader(answer)
    while True:
        data = os.read(master, 65536)
        if not data:
            break
        # what is not a status request is what the printer would print
        reader.feed(data)
        out.write(reader.printed)
        out.flush()
        reader.printed.clear()
        if scenario == 'unplug' and reader.raster_bytes >= 4096:
            os.close(master)
            os.close(slave)
            return


if __name__ == '__main__':
    main()
