#!/usr/bin/env bash
# bench_foundation.sh [BUILD_DIR] - the Foundation figures, run by hand:
#   launch to first frame (a real X server, Xvfb, 1080x1920, fullscreen, SDL's window
#   surface), idle CPU on the home screen over 30 s, frames drawn in 10 idle seconds,
#   and memory (RSS and PSS) after the tour. Prints figures; never fails on them.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
kiosk=$build/kiosk
tmp=$(mktemp -d)
trap 'kill $xvfb_pid $kpid 2>/dev/null || true; rm -rf "$tmp"' EXIT
xvfb_pid= kpid=

display=:97
Xvfb $display -screen 0 1080x1920x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
sleep 1

echo "== launch to first frame (Xvfb 1080x1920, 5 runs)"
for i in 1 2 3 4 5; do
  start=$(awk '{print $1*1000}' /proc/uptime)
  t0=$(date +%s%N)
  DISPLAY=$display KIOSK_BENCH=1 "$kiosk" --fullscreen --state "$tmp/s$i.db" 2>"$tmp/log$i" &
  kpid=$!
  for _ in $(seq 100); do grep -q "first frame" "$tmp/log$i" && break; sleep 0.05; done
  first=$(sed -n 's/.*first frame at \([0-9.]*\) ms.*/\1/p' "$tmp/log$i")
  # the process start time in the same clock (CLOCK_MONOTONIC, via /proc)
  ticks=$(awk '{print $22}' /proc/$kpid/stat)
  hz=$(getconf CLK_TCK)
  echo "run $i: first frame $(awk -v f="$first" -v t="$ticks" -v hz="$hz" 'BEGIN{printf "%.0f", f - t*1000/hz}') ms after exec"
  if [ "$i" = 1 ]; then
    echo "== idle CPU on the home screen (30 s after a 3 s settle)"
    sleep 3
    read -r u0 s0 < <(awk '{print $14, $15}' /proc/$kpid/stat)
    sleep 30
    read -r u1 s1 < <(awk '{print $14, $15}' /proc/$kpid/stat)
    awk -v d=$(( (u1 - u0) + (s1 - s0) )) -v hz="$hz" 'BEGIN{printf "idle CPU: %.2f %% of one core (%d ticks in 30 s)\n", d*100/(30*hz), d}'
    pss=$(awk '/^Pss:/{print $2}' /proc/$kpid/smaps_rollup); rss=$(awk '/^Rss:/{print $2}' /proc/$kpid/smaps_rollup)
    echo "memory on the idle home screen (window, X11): rss $rss kB pss $pss kB"
  fi
  kill $kpid; wait $kpid 2>/dev/null || true
done
kpid=

echo "== frames drawn in 10 idle seconds on the home screen (virtual clock)"
"$kiosk" --headless --state "$tmp/idle.db" --script tests/scripts/idle_home.kscript --out "$tmp/idle" >/dev/null
tests/scripts/check_idle_frames.py "$tmp/idle" 1000

echo "== memory after the tour (headless)"
KIOSK_BENCH=1 "$kiosk" --state "$tmp/tour.db" --tour "$tmp/tour" 2>&1 >/dev/null | grep memory
