#!/usr/bin/env bash
# bench_fleet.sh [BUILD_DIR] [N] - what `kiosk-office fleet` costs (run by hand; prints
# figures, never fails on them): N heartbeats (default 10,000; the issue's target is
# <= 2 s for load + JSON + Prometheus), first as a typical kiosk sends them (100 usage
# counters, ~7 KB), then the largest the agent sends (1,000 usage counters, ~60 KB).
# Needs ~0.7 GB free in /tmp for the second; bench_fleet removes its files.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
n=${2:-10000}
echo "== typical heartbeats"
"$build/bench_fleet" "$n" 100 3
echo "== the largest heartbeats"
"$build/bench_fleet" "$n" 1000 3
echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
