#!/usr/bin/env bash
# cage.sh KIOSK_SESSION CONTENT_DB OUTDIR - the kiosk under cage, the Wayland kiosk
# compositor, started by kiosk-session (firmware/kiosk-session.sh) as on a board, here on
# cage's headless backend with the pixman renderer, as an unprivileged user (cage
# refuses root) with a config of its own: SDL's own wayland driver,
# its window surface through GLES2 (Mesa's llvmpipe, on wl_shm). cage -r turns wlroots'
# fixed 1280x720 headless output to portrait, 720x1280 (docs/display.md). grim's shot of
# the output must show the home screen: its tiles area matches the offscreen kiosk's
# shot at the same size. Skips (77) where cage or grim is missing.
set -euo pipefail
session=$1 content=$2 out=$3
kiosk=$(dirname "$session")/kiosk
for p in cage grim; do
  command -v "$p" >/dev/null || { echo "cage: $p is not installed: skipped"; exit 77; }
done
rm -rf "$out" && mkdir -p "$out/run" && chmod 755 "$out"
as=()
if [ "$(id -u)" -eq 0 ]; then
  chown nobody "$out/run"
  as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
chmod 700 "$out/run"
"${as[@]}" test -x "$kiosk" -a -r "$content" -a -x "$session" ||
  { echo "cage: the user the test runs as (nobody, under root) cannot reach $session, $kiosk or $content" >&2; exit 1; }
printf '[kiosk]\ncontent_db = %s\nstate_db = %s\n' "$(readlink -f "$content")" "$out/run/state.db" >"$out/kiosk.ini"
# nothing from the caller's session: no DISPLAY, no WAYLAND_DISPLAY of another compositor
env=(env -i PATH=/usr/bin:/bin XDG_RUNTIME_DIR="$out/run" WLR_BACKENDS=headless WLR_RENDERER=pixman
     WLR_LIBINPUT_NO_DEVICES=1 WLR_HEADLESS_OUTPUTS=1 SDL_AUDIODRIVER=dummy)
"${as[@]}" "${env[@]}" KIOSK_CONFIG="$out/kiosk.ini" KIOSK_CAGE_ARGS=-r "$session" >"$out/cage.log" 2>&1 &
cage_pid=$!
trap 'kill $cage_pid 2>/dev/null || true; wait $cage_pid 2>/dev/null || true' EXIT
# the compositor's socket, then the kiosk's first frame
for _ in $(seq 100); do [ -S "$out/run/wayland-0" ] && break; sleep 0.1; done
[ -S "$out/run/wayland-0" ] || { cat "$out/cage.log" >&2; echo "cage: no Wayland socket" >&2; exit 1; }
printf 'shot home\n' >"$out/ref.kscript"
"$kiosk" --headless --content "$content" --state "$out/ref-state.db" --size 720x1280 \
  --script "$out/ref.kscript" --out "$out/ref"
ok=0
for _ in $(seq 60); do
  sleep 1
  kill -0 $cage_pid 2>/dev/null || break
  "${as[@]}" "${env[@]}" WAYLAND_DISPLAY=wayland-0 grim "$out/run/shot.png" 2>/dev/null || continue
  cp "$out/run/shot.png" "$out/shot.png"
  if /usr/bin/python3 - "$out/shot.png" "$out/ref/home.png" <<'PY'
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
echo "cage: the home screen is on cage's output ($out/shot.png)"
