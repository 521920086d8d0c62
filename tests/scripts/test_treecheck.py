#!/usr/bin/python3
"""test_treecheck.py - the checks the tour relies on can fail: a synthetic screenshot
with low-contrast text, a too-small target, a cut-off text and overlapping targets
must each be reported, and a clean one must pass."""
import json, os, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import treecheck
from PIL import Image, ImageDraw

d = tempfile.mkdtemp()
def node(id, role, label, rect, interactive=False, truncated=False, **extra):
    return {"id": id, "role": role, "label": label, "rect": rect, "clip": [0, 0, 400, 300],
            "interactive": interactive, "truncated": truncated, **extra}

def write(name, widgets, draw):
    img = Image.new("RGB", (400, 300), (255, 255, 255))
    draw(ImageDraw.Draw(img))
    img.save(f"{d}/{name}.png")
    json.dump({"screen": "t", "frames": 1, "lang": "zh", "theme": "standard", "size": [400, 300],
               "px_per_mm": 2.71, "widgets": widgets}, open(f"{d}/{name}.json", "w"))
    return f"{d}/{name}.json", f"{d}/{name}.png"

failures = 0
def expect(cond, what):
    global failures
    print(("ok   " if cond else "FAIL ") + what)
    failures += not cond

# dark text on white, a 40 mm button: clean
t, p = write("clean", [node("a", "text", "hello", [10, 10, 200, 60]),
                       node("b", "button", "go", [10, 100, 120, 120], True)],
            lambda g: (g.rectangle([20, 20, 150, 50], fill=(20, 20, 20)),
                       g.rectangle([10, 100, 129, 219], fill=(11, 87, 160)),
                       g.rectangle([40, 150, 90, 170], fill=(255, 255, 255))))
expect(treecheck.check_pixels(t, p) == [] and treecheck.check_tree(t) == [], "a clean screen passes")
# light grey text on white: 1.6:1
t, p = write("grey", [node("a", "text", "hello", [10, 10, 200, 60])],
            lambda g: g.rectangle([20, 20, 150, 50], fill=(200, 200, 200)))
expect(any("contrast" in e for e in treecheck.check_pixels(t, p)), "low-contrast text is reported")
# a 10 x 10 mm target under the standard theme's 12 mm
t, p = write("small", [node("b", "button", "x", [10, 10, 27, 27], True)], lambda g: None)
expect(any("target" in e for e in treecheck.check_pixels(t, p)), "a too-small target is reported")
# cut-off text and overlapping targets
t, p = write("tree", [node("a", "text", "long", [10, 10, 200, 30], truncated=True),
                      node("b", "button", "1", [10, 100, 100, 100], True),
                      node("c", "button", "2", [60, 150, 100, 100], True)], lambda g: None)
errs = treecheck.check_tree(t)
expect(any("cut off" in e for e in errs), "cut-off text is reported")
expect(any("overlap" in e for e in errs), "overlapping targets are reported")
# a modal dialog's button over the screen's targets: those are inert, no overlap; two
# of the dialog's own buttons overlapping still are
t, p = write("modal", [node("a", "button", "under", [10, 100, 120, 120], True),
                       node("dialog", "dialog", "sure?", [0, 80, 400, 160]),
                       node("dialog.ok", "button", "OK", [20, 110, 100, 100], True)], lambda g: None)
expect(treecheck.check_tree(t) == [], "targets under a modal dialog are inert")
t, p = write("modal2", [node("dialog", "dialog", "sure?", [0, 80, 400, 160]),
                        node("dialog.ok", "button", "OK", [20, 110, 100, 100], True),
                        node("dialog.no", "button", "No", [60, 110, 100, 100], True)], lambda g: None)
expect(any("overlap" in e for e in treecheck.check_tree(t)), "a dialog's own buttons overlapping are reported")
# pictograms (non-text contrast, 3:1): a blue one on white passes; a light grey one is
# caught from its pixels, and a tree that declares a pale tint is caught too
def picto(fill):
    return lambda g: g.ellipse([110, 110, 190, 190], outline=fill, width=12)
t, p = write("picto", [node("p", "image", "guides", [100, 100, 100, 100], tint="#0B57A0", bg="#FFFFFF")],
             picto((11, 87, 160)))
expect(treecheck.check_pixels(t, p) == [], "a pictogram at 7:1 passes")
t, p = write("picto_pale", [node("p", "image", "guides", [100, 100, 100, 100], tint="#0B57A0", bg="#FFFFFF")],
             picto((190, 200, 215)))
expect(any("pictogram drawn at" in e for e in treecheck.check_pixels(t, p)), "a pale pictogram is reported")
t, p = write("picto_tint", [node("p", "image", "guides", [100, 100, 100, 100], tint="#A0B4C8", bg="#FFFFFF")],
             picto((11, 87, 160)))
expect(any("graphics want 3.0:1" in e and "#A0B4C8" in e for e in treecheck.check_pixels(t, p)),
       "a pale declared tint is reported")
print(f"{10 - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
