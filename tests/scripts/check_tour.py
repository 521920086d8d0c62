#!/usr/bin/python3
"""check_tour.py TOURDIR KIOSK - checks what the built-in tour wrote: a screenshot
and a tree of every screen the registry says is in the tour (`KIOSK --list-screens`),
in both languages, all three themes, portrait and landscape;
every tree passes treecheck; every QR code on a screenshot decodes with zbarimg to
the address the tree says it shows."""
import glob, json, os, subprocess, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import treecheck

d = sys.argv[1]
listing = ""
if len(sys.argv) > 2:
    listing = subprocess.run([sys.argv[2], "--list-screens"], check=True, capture_output=True, text=True).stdout
screens = [l.split("\t")[0] for l in listing.splitlines() if "\ttour" in l]
if len(sys.argv) > 2 and len(screens) < 10:
    sys.exit(f"check_tour: the registry lists only {len(screens)} screens in the tour: {listing!r}")
errors, expected, qrs = [], 0, 0
# which screen each tree shows, by variant
seen = {}
for p in glob.glob(os.path.join(d, "*.json")):
    base = os.path.basename(p)[:-5]
    variant = "-".join(base.split("-")[-3:])
    with open(p) as f:
        seen.setdefault(variant, set()).add(json.load(f)["screen"])
    if screens and (not os.path.exists(p[:-5] + ".png") or os.path.getsize(p[:-5] + ".png") == 0):
        errors.append(f"{p[:-5]}.png: missing")
for s in screens:
    for lang in ("zh", "en"):
        for theme in ("standard", "large", "contrast"):
            for orient in ("portrait", "landscape"):
                variant = f"{lang}-{theme}-{orient}"
                expected += 1
                if s not in seen.get(variant, set()):
                    errors.append(f"{d}: no tree of screen {s} in {variant}")

for p in sorted(glob.glob(os.path.join(d, "*.json"))):
    errors += treecheck.check_tree(p, os.path.basename(p))
    if os.path.exists(p[:-5] + ".png"):
        errors += treecheck.check_pixels(p, p[:-5] + ".png", os.path.basename(p))
    nodes = treecheck.qr_nodes(p)
    if nodes:
        png = p[:-5] + ".png"
        decoded = treecheck.zbar(png)
        for n in nodes:
            qrs += 1
            if n["label"] not in decoded:
                errors.append(f"{os.path.basename(png)}: QR {n['label']!r} does not decode (zbarimg read {decoded})")

print(f"tour: {expected} screens expected, {len(glob.glob(os.path.join(d, '*.png')))} screenshots, "
      f"{qrs} QR codes decoded, {len(errors)} problems")
for e in errors[:50]:
    print("  " + e)
sys.exit(1 if errors else 0)
