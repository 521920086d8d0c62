#!/usr/bin/env bash
# bench_startup.sh [BUILD] [BEFORE_BUILD] - start-up, from exec to the first complete
# frame, fullscreen under Xvfb 1080x1920 (SDL's window surface), run by hand:
#   - from outside: startup_poll (built beside the kiosk) polls the root window's
#     pixels until the home screen is complete on it;
#   - from inside: the kiosk's own log (KIOSK_BENCH=1), with where the time goes:
#     exec to main (the dynamic loader), config, SDL_Init, the window, databases,
#     fonts and the toolkit, the app (content parts, home screen), the first layout
#     and frame; and the CPU time (user+sys) at the first frame, which the machine's
#     load affects less than the wall clock;
#   - the dynamic loader's own figures (LD_DEBUG=statistics, `kiosk --version`), and
#     the CPU time of `kiosk --version`, which is little more than exec and loading.
# Each build first runs once uncounted, a first boot that makes its state.db; the runs
# counted are restarts on that state.db, as after the watchdog or an update.
# With BEFORE_BUILD, the two builds are run alternately, RUNS times each (default 11),
# and both are printed. Prints medians; never fails on a figure.
set -euo pipefail
cd "$(dirname "$0")/../.."
after=${1:-build}
before=${2:-}
runs=${RUNS:-11}
poll=$after/startup_poll
[ -x "$poll" ] || { echo "bench_startup: $poll: not built (it needs libx11-dev)"; exit 1; }
tmp=$(mktemp -d)
xvfb_pid=
trap 'kill $xvfb_pid 2>/dev/null || true; rm -rf "$tmp"' EXIT

. tests/bench/xvfb.sh
xvfb_start "$tmp"

builds=("$after")
[ -n "$before" ] && builds+=("$before")

# one run: the poll's line, then the kiosk's marks, as "name ms_after_exec cpu_ms"
run_one() { # BUILD TAG
  local b=$1 tag=$2 line t0
  line=$(KIOSK_BENCH=1 "$poll" 1000 -- "$b/kiosk" --fullscreen --state "$tmp/${tag%%-*}.db" 2> "$tmp/$tag.log") || true
  t0=$(awk '{print $2}' <<< "$line")
  echo "outside $(awk '{print $4}' <<< "$line") $(awk '{print $8}' <<< "$line")"
  sed -n 's/^kiosk: start-up: \(.*\) at \([0-9.]*\) ms (monotonic), cpu \([0-9.]*\) ms$/\1 \2 \3/p;
          s/^kiosk: first frame at \([0-9.]*\) ms (monotonic), cpu \([0-9.]*\) ms$/first-frame \1 \2/p;
          s/^kiosk: first frame at \([0-9.]*\) ms (monotonic)$/first-frame \1 -/p' "$tmp/$tag.log" |
    awk -v t0="$t0" '{printf "%s %.1f %s\n", $1, $2 - t0, $3}'
}

for k in "${!builds[@]}"; do
  run_one "${builds[$k]}" "b$k-boot" > /dev/null
done
for i in $(seq "$runs"); do
  for k in "${!builds[@]}"; do
    run_one "${builds[$k]}" "b$k-r$i" >> "$tmp/runs$k"
  done
done

median() { { grep -v '^-$' || true; } | sort -n | awk '{a[NR]=$1} END {if (NR) printf "%.1f", (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2; else printf "-"}'; }

for k in "${!builds[@]}"; do
  b=${builds[$k]}
  echo "== $b ($( [ "$k" = 0 ] && echo after || echo before)), $runs runs, medians"
  echo "exec to first complete frame, outside (pixel poll): $(awk '$1=="outside"{print $2}' "$tmp/runs$k" | median) ms"
  echo "exec to first frame, inside (own log):             $(awk '$1=="first-frame"{print $2}' "$tmp/runs$k" | median) ms"
  echo "CPU (user+sys) at the first frame:                 $(awk '$1=="first-frame" && $3!="-"{print $3}' "$tmp/runs$k" | median) ms"
  echo "CPU (user+sys) of the whole run (to 1 s after the last change, from outside): $(awk '$1=="outside"{print $3}' "$tmp/runs$k" | median) ms"
  echo "  stage        wall ms  CPU ms"
  prev=exec
  # the stages in the order this build logs them (a build may open its databases
  # before SDL or after the window)
  for s in $(awk '$1!="outside" && !seen[$1]++ {print $1}' "$tmp/runs$k"); do
    if grep -q "^$s " "$tmp/runs$k"; then
      # each stage's own time: its mark minus the previous one, run by run
      d=$(awk -v s="$s" -v p="$prev" '$1=="outside"{r++} $1==p{pt[r]=$2} $1==s && (p=="exec" || (r in pt)){print $2 - (p=="exec" ? 0 : pt[r])}' "$tmp/runs$k" | median)
      c=$(awk -v s="$s" -v p="$prev" '$1=="outside"{r++} $1==p{pc[r]=$3} $1==s && $3!="-" && (p=="exec" || (r in pc)){print $3 - (p=="exec" ? 0 : pc[r])}' "$tmp/runs$k" | median)
      printf '  %-12s %7s %7s  (from %s)\n' "$s" "$d" "$c" "$prev"
      prev=$s
    fi
  done
  echo "  dynamic loader (LD_DEBUG=statistics, kiosk --version):"
  LD_DEBUG=statistics "$b/kiosk" --version 2>&1 >/dev/null | grep -E "total startup time|number of relocations:|number of loaded objects" | sed 's/^ *[0-9]*: */    /'
  echo "  libraries linked (NEEDED, recursively): $(ldd "$b/kiosk" | wc -l)"
  # exec, the dynamic loader and exit, without SDL: 30 runs, CPU per run
  t=$( { TIMEFORMAT='%U %S'; time (for _ in $(seq 30); do "$b/kiosk" --version >/dev/null; done); } 2>&1 | tail -1)
  echo "  CPU (user+sys) of one \`kiosk --version\` (exec, loader, exit; 30 runs): $(awk '{printf "%.1f", ($1 + $2) * 1000 / 30}' <<< "$t") ms"
done
