#!/usr/bin/python3
"""check_tour.py TOURDIR SCREENS - checks what the built-in tour wrote: a screenshot
and a tree for every screen in both languages, both themes, portrait and landscape;
every tree passes treecheck; every QR code on a screenshot decodes with zbarimg to
the address the tree says it shows."""
import glob, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import treecheck

d = sys.argv[1]
screens = sys.argv[2].split(",") if len(sys.argv) > 2 else []
errors, expected, qrs = [], 0, 0
for s in screens:
    for lang in ("zh", "en"):
        for theme in ("standard", "large", "contrast"):
            for orient in ("portrait", "landscape"):
                name = f"{s}-{lang}-{theme}-{orient}"
                expected += 1
                for ext in ("png", "json"):
                    p = os.path.join(d, f"{name}.{ext}")
                    if not os.path.exists(p) or os.path.getsize(p) == 0:
                        errors.append(f"{p}: missing")

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
