#!/usr/bin/python3
"""escpos_decode.py STREAM OUT.png - turns a captured ESC/POS byte stream into the picture
the printer would print: every GS v 0 band stacked in order, black dots black, with a
white margin (zbarimg wants a quiet zone). Prints "WIDTHxHEIGHT cuts=N slips=N".
Exit 1 if the stream does not parse or holds no raster."""
import os
import sys

from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from escpos_stream import Reader, StreamError  # noqa: E402


def decode(data):
    r = Reader()
    r.feed(data)
    if r.buf:
        raise StreamError("%d bytes of an unfinished command at the end" % len(r.buf))
    if not r.bands:
        raise StreamError("no raster")
    width = max(w for w, _ in r.bands)
    rows = [row for _, band in r.bands for row in band]
    margin = 16
    img = Image.new('1', (width + 2 * margin, len(rows) + 2 * margin), 1)
    px = img.load()
    for y, row in enumerate(rows):
        for xb, byte in enumerate(row):
            if not byte:
                continue
            for bit in range(8):
                if byte & (0x80 >> bit):
                    px[margin + xb * 8 + bit, margin + y] = 0
    return img, r


def main():
    src, dst = sys.argv[1:3]
    with open(src, 'rb') as f:
        data = f.read()
    try:
        img, r = decode(data)
    except StreamError as e:
        print("%s: %s" % (src, e), file=sys.stderr)
        return 1
    img.save(dst)
    print("%dx%d cuts=%d slips=%d" % (img.size[0] - 32, img.size[1] - 32, r.cuts, r.inits))
    return 0


if __name__ == '__main__':
    sys.exit(main())
