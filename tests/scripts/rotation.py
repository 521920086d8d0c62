#!/usr/bin/python3
"""rotation.py KIOSK CONTENT_DB OUTDIR - a panel mounted turned ([display] rotation):
for each of 0, 90, 180, 270, the semantic tree keeps the logical size, the shot of the
home screen is the unturned shot turned by that much clockwise (compared pixel by
pixel after PIL turns it), and a touch at the physical point where a tile is shown
(computed here from the tile's logical rectangle) opens what tapping the tile opens.
Tiles off the centre lines are used, so a touch turned the wrong way lands elsewhere."""
import json, os, subprocess, sys
from PIL import Image, ImageChops

kiosk, content, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)
PIL_TURN = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180,
            270: Image.Transpose.ROTATE_90}  # PIL turns counter-clockwise


def run(name, rotation, script):
    d = f"{out}/{name}"
    os.makedirs(d, exist_ok=True)
    ini = f"{d}/kiosk.ini"
    with open(ini, "w") as f:
        f.write(f"[display]\nrotation = {rotation}\n")
    with open(f"{d}/steps.kscript", "w") as f:
        f.write("now 2026-03-02T10:00\n" + script)
    p = subprocess.run([kiosk, "--headless", "--config", ini, "--content", content,
                        "--state", f"{d}/state.db", "--script", f"{d}/steps.kscript",
                        "--out", d], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"rotation: {name}: the kiosk failed:\n{p.stderr}")
    return d


def physical(rotation, lw, lh, x, y):
    """Where logical (x, y) is shown once the picture is turned clockwise."""
    return {0: (x, y), 90: (lh - 1 - y, x), 180: (lw - 1 - x, lh - 1 - y),
            270: (y, lw - 1 - x)}[rotation]


base = run("r0-home", 0, "tree home\nshot home\n")
tree = json.load(open(f"{base}/home.json"))
lw, lh = tree["size"]
tiles = [n for n in tree["widgets"] if n["id"].startswith("tile.") and n["interactive"]]
# tiles whose centre is off both centre lines, so every turn moves them elsewhere
tiles = [n for n in tiles
         if abs(n["rect"][0] + n["rect"][2] / 2 - lw / 2) > 100
         and abs(n["rect"][1] + n["rect"][3] / 2 - lh / 2) > 100]
tiles = [tiles[0], tiles[-1]] if len(tiles) >= 2 else tiles  # opposite corners
if len(tiles) < 2:
    sys.exit(f"rotation: fewer than 2 tiles off the centre lines on the home screen: {tiles}")

want = {}
for t in tiles:
    d = run(f"r0-{t['id']}", 0, f"tap-id {t['id']}\ntree after\n")
    want[t["id"]] = json.load(open(f"{d}/after.json"))["screen"]
    if want[t["id"]] == "home":
        sys.exit(f"rotation: tapping {t['id']} stays on the home screen")
if len(set(want.values())) < 2:
    sys.exit(f"rotation: the tiles open the same screen: {want}")

ref = Image.open(f"{base}/home.png").convert("RGB")
for rot in (90, 180, 270):
    d = run(f"r{rot}-home", rot, "tree home\nshot home\n")
    t = json.load(open(f"{d}/home.json"))
    if t["size"] != [lw, lh]:
        sys.exit(f"rotation {rot}: the tree's size is {t['size']}, not the logical {[lw, lh]}")
    shot = Image.open(f"{d}/home.png").convert("RGB")
    turned = ref.transpose(PIL_TURN[rot])
    if shot.size != turned.size:
        sys.exit(f"rotation {rot}: the shot is {shot.size}, the turned picture {turned.size}")
    box = ImageChops.difference(shot, turned).getbbox()
    if box:
        sys.exit(f"rotation {rot}: the shot differs from the unturned shot turned, in {box}")
    print(f"rotation {rot}: shot {shot.size[0]}x{shot.size[1]} is the home screen turned")

for rot in (0, 90, 180, 270):
    for tile in tiles:
        x, y, w, h = tile["rect"]
        px, py = physical(rot, lw, lh, x + w // 2, y + h // 2)
        d = run(f"r{rot}-tap-{tile['id']}", rot, f"tap-phys {px} {py}\ntree after\n")
        got = json.load(open(f"{d}/after.json"))["screen"]
        if got != want[tile["id"]]:
            sys.exit(f"rotation {rot}: a touch at ({px}, {py}) on the panel opened {got}, "
                     f"not {want[tile['id']]} ({tile['id']})")
        print(f"rotation {rot}: touch at ({px}, {py}) opened {got}, as {tile['id']} does")
print("rotation: ok")
