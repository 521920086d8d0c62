#!/usr/bin/env bash
# bench_tap.sh [BUILD [BEFORE_BUILD]] - tap to pressed state, fullscreen under Xvfb
# 1080x1920 (SDL's window surface), run by hand:
#   - from outside: tap_poll (built beside the kiosk, libxtst-dev) presses through XTest
#     on the home tiles, a guide's buttons, the keyboard's keys in a form and the rows
#     of a list, PRESSES times each (default 30), and polls the root window's pixels of
#     the pressed widget until they change;
#   - from inside: the kiosk's own line per press (KIOSK_BENCH=1): from the event to the
#     present of the frame that shows the pressed state, and that frame's CPU time,
#     which the machine's load affects less than the wall clock.
# Where the widgets are comes from the semantic tree of the same screens, written by
# `kiosk --headless --script` at the same size. With BEFORE_BUILD (e.g. main's build),
# both builds run, one after the other, on the same content. One frame at 60 Hz is
# 16.7 ms. Prints median, p95, p99 and max per target; never fails on a figure.
set -euo pipefail
cd "$(dirname "$0")/../.."
after=${1:-build}
before=${2:-}
presses=${PRESSES:-30}
poll=$after/tap_poll
[ -x "$poll" ] || { echo "bench_tap: $poll: not built (it needs libx11-dev and libxtst-dev)"; exit 1; }
content=$after/content.db
tmp=$(mktemp -d)
xvfb_pid=
kiosk_pid=
trap 'kill $kiosk_pid $xvfb_pid 2>/dev/null || true; rm -rf "$tmp"' EXIT

. tests/bench/xvfb.sh
xvfb_start "$tmp"

# the way through the screens and the widgets pressed on each
# the way through the screens: a tree of each, and the tap that leaves it
steps=(home:tile.guides guides:cat.business list:svc.company-llc-reg guide:nav.home
       home2:tile.request form:choice.applicant-type.citizen form2:field.name keyboard:)
{
  echo "now 2026-11-28T10:00"
  for s in "${steps[@]}"; do
    echo "tree ${s%%:*}"
    [ -n "${s#*:}" ] && echo "tap-id ${s#*:}"
  done
} > "$tmp/walk.kscript"

builds=("$after")
[ -n "$before" ] && builds+=("$before")
for k in "${!builds[@]}"; do
  b=${builds[$k]}
  tag=b$k
  "$b/kiosk" --headless --content "$content" --state "$tmp/$tag-trees.db" \
    --script "$tmp/walk.kscript" --out "$tmp/$tag-trees" >/dev/null
  # the commands: a tap to reach each screen, then the presses on its widgets
  python3 - "$tmp/$tag-trees" "$presses" "${steps[@]}" > "$tmp/$tag.cmds" <<'EOF'
import json, sys
out, n = sys.argv[1], int(sys.argv[2])
def tree(name):
    return json.load(open(f"{out}/{name}.json"))["widgets"]
def visible(w):
    x, y, ww, h = w["rect"]
    cx, cy, cw, ch = w["clip"]
    return x >= cx and y >= cy and x + ww <= cx + cw and y + h <= cy + ch and ww > 0 and h > 0
def find(ws, wid):
    for w in ws:
        if w["id"] == wid:
            return w
    sys.exit(f"bench_tap: no widget {wid}")
def tap(ws, wid):
    x, y, w, h = find(ws, wid)["rect"]
    print(f"tap {wid} {x + w // 2} {y + h // 2}")
def press(name, ws, pick, count):
    got = [w for w in ws if w["interactive"] and visible(w) and pick(w)][:count]
    if not got:
        sys.exit(f"bench_tap: nothing to press for {name}")
    for w in got:
        x, y, ww, h = w["rect"]
        print(f"press {name}:{w['id']} {x} {y} {ww} {h} {n}")
# the screens in turn: presses on some of their widgets, then the tap onwards
pressed = {
    "home": ("tile", lambda w: w["id"] in ("tile.guides", "tile.help")),
    "list": ("row", lambda w: w["role"] == "item"),
    "guide": ("guide", lambda w: w["id"].startswith("guide.")),
    "keyboard": ("key", lambda w: w["id"].startswith("kb.")),
}
for step in sys.argv[3:]:
    name, onward = step.split(":")
    ws = tree(name)
    if name in pressed:
        press(pressed[name][0], ws, pressed[name][1], 2)
    if onward:
        tap(ws, onward)
EOF
done

# one build: the kiosk full screen, the presses, then its own lines beside tap_poll's
run_one() { # BUILD TAG
  local b=$1 tag=$2
  KIOSK_BENCH=1 "$b/kiosk" --fullscreen --content "$content" --state "$tmp/$tag.db" 2> "$tmp/$tag.log" &
  kiosk_pid=$!
  # the home screen drawn and settled: a first tap on nothing waits for it
  for _ in $(seq 100); do grep -q "first frame" "$tmp/$tag.log" && break; sleep 0.05; done
  sleep 1
  if ! "$poll" < "$tmp/$tag.cmds" > "$tmp/$tag.out"; then
    echo "bench_tap: $b: tap_poll failed (above)"
  fi
  kill "$kiosk_pid"
  wait "$kiosk_pid" || true
  kiosk_pid=
  # the kiosk's lines and tap_poll's, press by press, in the order sent
  { grep '^kiosk: press:' "$tmp/$tag.log" || true; } |
    sed 's/.*event to present \([0-9]*\) ms.*taken to present \([0-9.]*\) ms, frame cpu \([0-9.]*\) ms, damage [0-9,]* \([0-9]*\)x\([0-9]*\)$/\1 \2 \3 \4 \5/' > "$tmp/$tag.inside"
  grep -E '^(press|tap) ' "$tmp/$tag.out" > "$tmp/$tag.outside" || true
  if [ ! -s "$tmp/$tag.inside" ]; then
    echo "bench_tap: $b: the kiosk logs no press line (a build from before it did)"
  elif [ "$(wc -l < "$tmp/$tag.inside")" != "$(wc -l < "$tmp/$tag.outside")" ]; then
    echo "bench_tap: $b: $(wc -l < "$tmp/$tag.outside") presses sent, $(wc -l < "$tmp/$tag.inside") logged by the kiosk; the inside figures are left out"
    : > "$tmp/$tag.inside"
  fi
  paste -d' ' "$tmp/$tag.outside" "$tmp/$tag.inside" > "$tmp/$tag.rows"
}

stats() { # one number a line -> "median p95 p99 max"
  sort -n | awk '{a[NR]=$1} END {if (!NR) {print "- - - -"; exit}
    split("0.5 0.95 0.99", q, " "); s=""
    for (i = 1; i <= 3; i++) {k=int(q[i] * (NR - 1) + 0.5) + 1; s=s sprintf("%7.2f ", a[k])}
    printf "%s%7.2f\n", s, a[NR]}'
}

for k in "${!builds[@]}"; do
  run_one "${builds[$k]}" "b$k"
done
for k in "${!builds[@]}"; do
  b=${builds[$k]}
  rows=$tmp/b$k.rows
  echo "== $b ($( [ "$k" = 0 ] && echo after || echo before)), $presses presses per widget; one frame at 60 Hz = 16.7 ms"
  echo "                                          median     p95     p99     max"
  for t in $(awk '$1=="press"{print $2}' "$rows" | awk '!seen[$0]++'); do
    printf '%-34s out %s\n' "$t" "$(awk -v t="$t" '$1=="press" && $2==t {print $3}' "$rows" | stats)"
    if [ -s "$tmp/b$k.inside" ]; then
      printf '%-34s in  %s   (event to present, SDL ms ticks)\n' "" "$(awk -v t="$t" '$1=="press" && $2==t {print $4}' "$rows" | stats)"
      printf '%-34s in  %s   (loop took it to present)\n' "" "$(awk -v t="$t" '$1=="press" && $2==t {print $5}' "$rows" | stats)"
      printf '%-34s cpu %s   (CPU ms of the frame; damage %s)\n' "" "$(awk -v t="$t" '$1=="press" && $2==t {print $6}' "$rows" | stats)" \
        "$(awk -v t="$t" '$1=="press" && $2==t {print $7 "x" $8}' "$rows" | sort | uniq -c | sort -rn | head -1 | awk '{print $2}')"
    fi
  done
  echo "all presses: out $(awk '$1=="press"{print $3}' "$rows" | stats)  cpu $(awk '$1=="press" && NF >= 6 {print $6}' "$rows" | stats)"
done
