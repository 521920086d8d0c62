#!/usr/bin/env bash
# bench_search.sh [BUILD_DIR] [N] - the search figures, run by hand: generates a content
# tree of N service guides + N disclosure documents (default 20,000 each; gen_content.py),
# times `kiosk-bundle build` on it, prints the size of content.db (and of its search
# indexes), then replays typed queries keystroke by keystroke (bench_search).
# Prints figures; never fails on them. Needs ~1.5 GB free in $TMPDIR.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
n=${2:-20000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== content: $n services + $n documents"
python3 tests/bench/gen_content.py "$tmp/src" --services "$n" --docs "$n"

echo "== kiosk-bundle build"
start=$(date +%s.%N)
"$build/kiosk-bundle" build "$tmp/src" -o "$tmp/content.db"
end=$(date +%s.%N)
awk -v a="$start" -v b="$end" 'BEGIN{printf "build time: %.1f s\n", b - a}'
size=$(stat -c %s "$tmp/content.db")
awk -v s="$size" 'BEGIN{printf "content.db: %.1f MB\n", s / 1048576}'
if sqlite3 "$tmp/content.db" "SELECT 1 FROM dbstat LIMIT 1" >/dev/null 2>&1; then
  sqlite3 "$tmp/content.db" "SELECT printf('  %-22s %7.1f MB', name, sum(pgsize) / 1048576.0)
    FROM dbstat GROUP BY name ORDER BY sum(pgsize) DESC LIMIT 8"
fi

echo "== per keystroke (bench_search)"
# drop the build's pages from the OS cache where allowed, so round 1 starts cold-ish
sync; (echo 1 > /proc/sys/vm/drop_caches) 2>/dev/null || true
"$build/bench_search" "$tmp/content.db" 5
