#!/usr/bin/env bash
# cage.sh KIOSK CONTENT_DB OUTDIR - the kiosk under cage, the Wayland kiosk compositor,
# on its headless backend, as an unprivileged user (cage refuses root): SDL's x11 driver
# on cage's Xwayland, the window surface path. grim's shot of the output must show the
# home screen: its tiles area matches the offscreen kiosk's shot at the same size.
# Skips (77) where cage, grim or Xwayland is missing.
# NOT registered in ctest: it fails today. The home screen shows, but the strip right
# of x = 1080 (the configured width the window is created with, before cage makes it
# 1280 wide) stays black; with --size 1280x720 the output stays black. SDL's own
# wayland driver fails earlier: "no window surface" (screens/present.c says why).
set -euo pipefail
kiosk=$1 content=$2 out=$3
for p in cage grim Xwayland; do
  command -v "$p" >/dev/null || { echo "cage: $p is not installed: skipped"; exit 77; }
done
rm -rf "$out" && mkdir -p "$out/run" && chmod 755 "$out"
as=()
if [ "$(id -u)" -eq 0 ]; then
  chown nobody "$out/run"
  as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
chmod 700 "$out/run"
env=(env XDG_RUNTIME_DIR="$out/run" WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1
     WLR_HEADLESS_OUTPUTS=1 SDL_AUDIODRIVER=dummy)
"${as[@]}" "${env[@]}" cage -- "$kiosk" --fullscreen --content "$content" --state "$out/run/state.db" \
  >"$out/cage.log" 2>&1 &
cage_pid=$!
trap 'kill $cage_pid 2>/dev/null || true; wait $cage_pid 2>/dev/null || true' EXIT
# the compositor's socket, then the kiosk's first frame
for _ in $(seq 100); do [ -S "$out/run/wayland-0" ] && break; sleep 0.1; done
[ -S "$out/run/wayland-0" ] || { cat "$out/cage.log" >&2; echo "cage: no Wayland socket" >&2; exit 1; }
ok=0
for _ in $(seq 30); do
  sleep 1
  "${as[@]}" "${env[@]}" WAYLAND_DISPLAY=wayland-0 grim "$out/run/shot.png" 2>/dev/null || continue
  "$kiosk" --headless --content "$content" --state "$out/ref-state.db" --size 1280x720 \
    --script <(printf 'shot home\n') --out "$out/ref" 2>/dev/null
  if /usr/bin/python3 - "$out/run/shot.png" "$out/ref/home.png" <<'PY'
import sys
from PIL import Image, ImageChops, ImageStat
shot, ref = (Image.open(p).convert("RGB") for p in sys.argv[1:3])
if shot.size != ref.size:
    sys.exit(f"cage: the output is {shot.size}, the reference {ref.size}")
# the tiles: below the header and the announcement ticker (which move), above the chrome
box = (0, ref.size[1] // 6, ref.size[0], ref.size[1] * 5 // 6)
diff = ImageStat.Stat(ImageChops.difference(shot.crop(box), ref.crop(box))).mean
uniform = len(shot.crop(box).getcolors(1 << 20) or [0] * 9999) < 8
print(f"cage: mean difference in the tiles area {[round(d, 2) for d in diff]}")
sys.exit(1 if uniform or max(diff) > 2 else 0)
PY
  then ok=1; break; fi
done
[ $ok = 1 ] || { tail -20 "$out/cage.log" >&2; echo "cage: the output never showed the home screen" >&2; exit 1; }
echo "cage: the home screen is on cage's output"
