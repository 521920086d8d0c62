#!/usr/bin/env bash
# x11.sh KIOSK X11_WINDOW CONTENT_DB OUTDIR - the kiosk fullscreen on a real X server
# (Xvfb, 1080x1920), as a kiosk's own X server runs it:
#   - with no window manager, the window is borderless over the whole display at once
#     (screens/window.c: asking SDL for fullscreen there waits ~100 ms for nobody);
#   - under a window manager (matchbox, which speaks EWMH), SDL's fullscreen, as before;
# and each time the screen shows exactly the home screen the headless driver draws
# (below the clock and the notice ticker), so present_warm's early picture
# (screens/present.h) leaves nothing behind.
set -euo pipefail
kiosk=$1 xwin=$2 demo=$3 out=$4
rm -rf "$out" && mkdir -p "$out"
cp "$demo" "$out/content.db"
command -v Xvfb >/dev/null || { echo "FAIL: x11: Xvfb is not installed (scripts/setup.sh installs it)"; exit 1; }
command -v matchbox-window-manager >/dev/null ||
  { echo "FAIL: x11: matchbox-window-manager is not installed (scripts/setup.sh installs it)"; exit 1; }

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

exec 3> "$out/display"
Xvfb -displayfd 3 -screen 0 1080x1920x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
exec 3>&-
for _ in $(seq 200); do [ -s "$out/display" ] && break; sleep 0.05; done
[ -s "$out/display" ] || { echo "FAIL: x11: Xvfb did not start"; exit 1; }
export DISPLAY=:$(cat "$out/display")

# the reference: the headless driver's home screen, same content, fresh state
printf 'wait 1500\nshot home\n' > "$out/ref.kscript"
(cd "$out" && env -u DISPLAY "$kiosk" --headless --content content.db --state ref.db --script ref.kscript \
  --out ref >/dev/null 2>"$out/ref.err") || { tail -5 "$out/ref.err"; echo "FAIL: x11: the headless reference failed"; exit 1; }

run() { # TAG: the kiosk fullscreen until its first frame, then the window and the root's pixels
  local tag=$1
  (cd "$out" && KIOSK_BENCH=1 exec "$kiosk" --fullscreen --content content.db --state "$tag.db" \
    >"$tag.out" 2>"$tag.err") &
  local kp=$!
  for _ in $(seq 400); do grep -q "first frame" "$out/$tag.err" 2>/dev/null && break; sleep 0.05; done
  grep -q "first frame" "$out/$tag.err" || { tail -5 "$out/$tag.err"; echo "FAIL: x11: $tag: no first frame"; exit 1; }
  sleep 1 # the pixel poll's settle time: nothing else should change the screen
  "$xwin" "Hall Kiosk" "$out/$tag.ppm" > "$out/$tag.win" || { echo "FAIL: x11: $tag: no kiosk window"; exit 1; }
  kill "$kp"; wait "$kp" 2>/dev/null || true
  echo "x11: $tag: $(cat "$out/$tag.win")"
}

check() { # TAG WM(yes|no)
  /usr/bin/python3 - "$out" "$1" "$2" <<'PY'
import sys
from PIL import Image
out, tag, wm = sys.argv[1:]
line = open(f"{out}/{tag}.win").read().split()
want = ["display", "1080x1920", "window", "0,0", "1080x1920", "wm", wm]
if line != want:
    sys.exit(f"FAIL: x11: {tag}: {' '.join(line)}; want {' '.join(want)}")
got = Image.open(f"{out}/{tag}.ppm").convert("RGB")
ref = Image.open(f"{out}/ref/home.png").convert("RGB")
if ref.size != got.size:
    sys.exit(f"FAIL: x11: {tag}: the headless home screen is {ref.size}, the display {got.size}")
# below the title bar's clock and the notice ticker, the only parts that change alone
top = 230
g, r = got.crop((0, top, 1080, 1920)).tobytes(), ref.crop((0, top, 1080, 1920)).tobytes()
bad = sum(1 for i in range(0, len(g), 3) if g[i:i + 3] != r[i:i + 3])
if bad:
    sys.exit(f"FAIL: x11: {tag}: {bad} pixels below row {top} differ from the headless home screen")
print(f"x11: {tag}: window over the whole display, wm {wm}, home screen identical below row {top}")
PY
}

said() { # TAG WORDS: what the kiosk said of its window
  grep -q "kiosk: display: $2" "$out/$1.err" || { echo "FAIL: x11: $1: the kiosk did not say \"$2\""; exit 1; }
}

run bare
check bare no
said bare "no window manager: a borderless window over the display"

matchbox-window-manager -use_titlebar no >/dev/null 2>&1 &
pids+=($!)
sleep 1
run managed
check managed yes
said managed "fullscreen through the window manager"
echo "PASS: x11"
