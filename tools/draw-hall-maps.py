#!/usr/bin/python3
"""draw-hall-maps.py OUTDIR - draws the demo hall's floor maps (hall-map-1.png,
hall-map-2.png) for assets/content/images. Needs python3-pil and fonts-dejavu-core.

The window boxes are drawn where hall.json puts the windows (x, y are the centre of
the box as fractions of the map), so the kiosk's ring lands on the right box: keep the
two in step when a window moves. The maps carry digits and symbols only; the kiosk
says the floor and the window's name in words beside the map."""
import json
import os
import sys

from PIL import Image, ImageDraw, ImageFont

W, H = 1600, 900
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
WALL, BOX, BOX_EDGE, NUM = (84, 98, 118), (221, 236, 252), (34, 96, 176), (20, 48, 96)
SEAT, COUNTER, GREEN, DESK, DESK_EDGE = (205, 219, 234), (236, 236, 236), (34, 150, 84), (255, 170, 50), (190, 110, 20)


def font(px):
    return ImageFont.truetype(FONT, px)


def walls(d, door):
    d.rectangle((28, 28, W - 28, H - 28), outline=WALL, width=6)
    if door:  # the main entrance, an arrow in
        d.rectangle((752, H - 40, 836, H - 16), fill="white")
        d.line((752, H - 40, 752, H - 16), fill=WALL, width=6)
        d.line((836, H - 40, 836, H - 16), fill=WALL, width=6)
        d.polygon([(762, 815), (792, 770), (822, 815)], fill=GREEN)
        d.rectangle((780, 812, 804, H - 12), fill=GREEN)


def window(d, num, x, y):
    cx, cy = x * W, y * H
    d.rounded_rectangle((cx - 75, cy - 50, cx + 75, cy + 50), radius=14, fill=BOX, outline=BOX_EDGE, width=4)
    f = font(52)
    d.text((cx, cy), str(num), fill=NUM, font=f, anchor="mm")


def seats(d, x0, y0, cols, rows):
    for r in range(rows):
        for c in range(cols):
            x, y = x0 + c * 42, y0 + r * 40
            d.rounded_rectangle((x, y, x + 30, y + 24), radius=6, fill=SEAT)


def stairs(d, x, y):
    """stairs and a lift: a step profile and a box with two triangles"""
    d.rectangle((x, y, x + 120, y + 150), outline=WALL, width=4, fill="white")
    pts = [(x + 12, y + 64)]
    for i in range(4):
        px, py = pts[-1]
        pts += [(px + 24, py), (px + 24, py - 12)]
    d.line(pts, fill=WALL, width=5, joint="curve")
    d.rectangle((x + 30, y + 82, x + 90, y + 140), outline=WALL, width=4)
    d.polygon([(x + 60, y + 88), (x + 48, y + 106), (x + 72, y + 106)], fill=WALL)
    d.polygon([(x + 60, y + 134), (x + 48, y + 116), (x + 72, y + 116)], fill=WALL)


def floor_tag(d, floor):
    f = font(44)
    d.rounded_rectangle((W - 180, 50, W - 56, 118), radius=12, fill=WALL)
    d.text((W - 118, 84), f"{floor}F", fill="white", font=f, anchor="mm")


def info_desk(d, x, y):
    cx, cy = x * W, y * H
    d.ellipse((cx - 32, cy - 32, cx + 32, cy + 32), fill=DESK, outline=DESK_EDGE, width=3)
    d.text((cx, cy), "i", fill="white", font=font(42), anchor="mm")


def draw(hall, floor):
    im = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(im)
    walls(d, door=floor == 1)
    d.rectangle((60, 60, W - 220, 110), fill=COUNTER)  # the counter wall behind the windows
    stairs(d, 44, 370)
    floor_tag(d, floor)
    for w in hall["windows"]:
        if w["floor"] != floor:
            continue
        if w["id"] == hall.get("inquiry_window"):
            info_desk(d, w["x"], w["y"])
        else:
            window(d, int("".join(c for c in w["id"] if c.isdigit())), w["x"], w["y"])
    seats(d, 448, 390 if floor == 1 else 560, 16 if floor == 1 else 12, 4)
    return im.quantize(colors=32, dither=Image.Dither.NONE)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: draw-hall-maps.py OUTDIR")
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "assets", "content", "hall.json"), encoding="utf-8") as f:
        hall = json.load(f)
    for fl in hall["floors"]:
        draw(hall, fl["floor"]).save(os.path.join(sys.argv[1], fl["map_image"]), optimize=True)


if __name__ == "__main__":
    main()
