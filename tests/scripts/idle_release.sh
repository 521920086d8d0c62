#!/usr/bin/env bash
# idle_release.sh KIOSK CONTENT_DB OUTDIR - the idle reset gives back what the next
# visitor does not need (issue 18; app_release): after the help screen (both floors of
# the hall map, their text in two sizes) the images, font sizes and cached text go
#   - when the idle warning's countdown goes home, and
#   - when a visitor went home by themselves and nobody touched it for idle_seconds,
# but not merely because the visitor tapped home (they may carry on).
# Read from the kiosk's `memory` step (firmware/screens/soak.c).
set -euo pipefail
kiosk=$1 demo=$2 out=$3
"$(dirname "$0")/kiosk_memory.sh" "$kiosk" "$demo" "$out" idle_release <<KS
now 2026-11-28T10:00
wait 2000
memory home
open help
scroll help.scroll 3000
wait 500
memory help
home
wait 2000
memory home-tapped
idle 95
memory home-idle
open help
scroll help.scroll 3000
wait 500
idle 200
expect-screen home
memory idle-reset
KS
python3 - "$out/stdout" <<'PY'
import re, sys
m = {}
for line in open(sys.argv[1]):
    g = re.match(r"memory (\S+): (.*)", line)
    if g:
        f = g.group(2)
        m[g.group(1)] = {
            "images": int(re.search(r"images \d+ kB of \d+ kB, (\d+)", f).group(1)),
            "image_kb": int(re.search(r"images (\d+) kB of", f).group(1)),
            "sizes": int(re.search(r"fonts \d+ kB, (\d+) sizes", f).group(1)),
            "text": int(re.search(r"text cache \d+ kB of \d+ kB, (\d+) entries", f).group(1)),
        }
need = ["home", "help", "home-tapped", "home-idle", "idle-reset"]
missing = [n for n in need if n not in m]
if missing:
    sys.exit("FAIL: idle_release: no memory line for %s" % missing)
fails = []
def check(ok, what):
    if not ok:
        fails.append(what)
# the home screen's own pictures (its tiles' pictograms) are all it keeps
home_img, home_kb = m["home"]["images"], m["home"]["image_kb"]
check(m["help"]["image_kb"] >= home_kb + 4096, "the help screen decoded both hall maps (%d kB of images)"
      % m["help"]["image_kb"])
check(m["home-tapped"]["image_kb"] >= home_kb + 4096, "tapping home keeps the hall maps (%d kB of images)"
      % m["home-tapped"]["image_kb"])
for n in ("home-idle", "idle-reset"):
    check(m[n]["images"] <= home_img and m[n]["image_kb"] <= home_kb,
          "%s: no image but the home screen's left (%d, %d kB; home %d, %d kB)"
          % (n, m[n]["images"], m[n]["image_kb"], home_img, home_kb))
    check(m[n]["sizes"] <= m["home"]["sizes"], "%s: only the home screen's font sizes (%d, home %d)"
          % (n, m[n]["sizes"], m["home"]["sizes"]))
    check(m[n]["text"] < m["home-tapped"]["text"], "%s: the text cache emptied to the home screen's (%d, was %d)"
          % (n, m[n]["text"], m["home-tapped"]["text"]))
for f in fails:
    print("FAIL: idle_release: " + f)
if fails:
    sys.exit(1)
print("idle_release: %s" % m)
PY
