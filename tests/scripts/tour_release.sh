#!/usr/bin/env bash
# tour_release.sh KIOSK CONTENT_DB OUTDIR - nothing grows from one visitor to the next
# (issue 18): in one kiosk run, the full built-in tour twice, each followed by the idle
# reset (home, then nobody for longer than idle_seconds). Fails when the live heap
# after the second reset exceeds the first by more than 512 kB, or when either is more
# than 3 MB above the idle home screen's (app_release gives back the caches: it would
# be some 25 MB above without it). Heap from the kiosk's `memory` step (mallinfo2, or
# the sanitizer's allocator: firmware/screens/soak.c), not PSS.
set -euo pipefail
kiosk=$1 demo=$2 out=$3
"$(dirname "$0")/kiosk_memory.sh" "$kiosk" "$demo" "$out" tour_release <<KS
now 2026-11-28T10:00
wait 2000
memory home
tour
memory tour-1-end
home
idle 100
expect-screen home
memory reset-1
tour
home
idle 100
expect-screen home
memory reset-2
KS
python3 - "$out/stdout" <<'PY'
import re, sys
heap = {}
for line in open(sys.argv[1]):
    g = re.match(r"memory (\S+): .*?heap (\d+) kB", line)
    if g:
        heap[g.group(1)] = int(g.group(2))
missing = [n for n in ("home", "tour-1-end", "reset-1", "reset-2") if n not in heap]
if missing:
    sys.exit("FAIL: tour_release: no memory line for %s" % missing)
fails = []
if heap["tour-1-end"] < heap["home"] + 8192:
    fails.append("the tour filled the caches: heap at its end %d kB, home %d kB" % (heap["tour-1-end"], heap["home"]))
if heap["reset-2"] > heap["reset-1"] + 512:
    fails.append("the heap grew from the first idle reset to the second: %d kB, then %d kB (+%d kB)"
                 % (heap["reset-1"], heap["reset-2"], heap["reset-2"] - heap["reset-1"]))
for n in ("reset-1", "reset-2"):
    if heap[n] > heap["home"] + 3072:
        fails.append("%s: heap %d kB, more than 3 MB above the idle home screen's %d kB"
                     % (n, heap[n], heap["home"]))
for f in fails:
    print("FAIL: tour_release: " + f)
if fails:
    sys.exit(1)
print("tour_release: heap kB %s" % heap)
PY
