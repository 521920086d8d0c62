#!/usr/bin/env bash
# bench_content_size.sh [BUILD_DIR] [N] [BASE] - a province's content, before and after, in
# one run: builds BASE (default main) in a temp dir, generates N service guides + N
# documents (default 20,000 each; gen_content.py), and for BASE and for BUILD_DIR
# prints content.db's size per table, the signed bundle's size, the compiler's peak
# RSS and time (/usr/bin/time -v), and search per keystroke warm and cold
# (bench_search). Prints figures; never fails on them. Needs ~3 GB free in $TMPDIR.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=$(realpath "${1:-build}")
n=${2:-20000}
base=${3:-main}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench_content_size.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "== building $base ($(git rev-parse --short "$base")) in $tmp/base"
mkdir -p "$tmp/base-src"
git archive "$base" | tar -x -C "$tmp/base-src"
cmake -S "$tmp/base-src" -B "$tmp/base" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$tmp/base" -j2 --target kiosk-bundle bench_search >/dev/null

echo "== content: $n services + $n documents"
python3 tests/bench/gen_content.py "$tmp/src" --services "$n" --docs "$n"
"$build/kiosk-bundle" keygen --out "$tmp/keys" >/dev/null

side() {    # side NAME BUILD_DIR
  local name=$1 dir=$2 db="$tmp/$1.db"
  echo "== $name"
  /usr/bin/time -v "$dir/kiosk-bundle" build "$tmp/src" -o "$db" >/dev/null 2>"$tmp/$name.time"
  awk -F': ' '/Maximum resident/ {printf "compiler peak RSS: %.0f MB\n", $2 / 1024}
              /Elapsed \(wall/ {print "compiler time: " $2}' "$tmp/$name.time"
  awk -v s="$(stat -c %s "$db")" 'BEGIN{printf "content.db: %.1f MB\n", s / 1048576}'
  sqlite3 "$db" "SELECT printf('  %-24s %7.1f MB', name, sum(pgsize) / 1048576.0)
    FROM dbstat GROUP BY name ORDER BY sum(pgsize) DESC LIMIT 10"
  "$build/kiosk-bundle" pack --key "$tmp/keys/sign.key" --version 1 --scope bench "$db" \
    -o "$tmp/$name.kbundle" >/dev/null
  awk -v s="$(stat -c %s "$tmp/$name.kbundle")" 'BEGIN{printf "bundle: %.1f MB\n", s / 1048576}'
  rm -f "$tmp/$name.kbundle"
  # drop the build's pages from the OS cache where allowed, so round 1 starts cold-ish
  sync; (echo 1 > /proc/sys/vm/drop_caches) 2>/dev/null || true
  "$dir/bench_search" "$db" 5 | grep -E "search_open|all \(warm\)|round 1"
  rm -f "$db"
}
side before "$tmp/base"
side after "$build"
