#!/usr/bin/python3
"""check_idle_frames.py OUTDIR MAX - fails unless the frames drawn between the trees
idle-before and idle-after (ten idle seconds on the home screen) are at most MAX."""
import json, sys
out, limit = sys.argv[1], int(sys.argv[2])
before = json.load(open(f"{out}/idle-before.json"))
after = json.load(open(f"{out}/idle-after.json"))
for t in (before, after):
    if t["screen"] != "home":
        sys.exit(f"check_idle_frames: expected the home screen, got {t['screen']}")
drawn = after["frames"] - before["frames"]
print(f"frames drawn in 10 idle seconds on the home screen: {drawn} (limit {limit})")
if drawn > limit or drawn < 1:
    sys.exit(f"check_idle_frames: {drawn} frames is outside 1..{limit}")
