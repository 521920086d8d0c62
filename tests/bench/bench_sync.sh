#!/usr/bin/env bash
# bench_sync.sh - what a sync costs (run by hand; prints figures):
#  - a cycle with nothing new: wall time and bytes on the wire (median of RUNS cycles;
#    3 requests: the 304 manifest, the heartbeat PUT, the 304 status feed);
#  - a 50 MB bundle (the demo content plus 47 MB of random, incompressible rows):
#    `kiosk-sync install` of the local file, and a whole `kiosk-sync run` that
#    downloads it from nginx on 127.0.0.1 and installs it.
#
#   tests/bench/bench_sync.sh [BUILD_DIR]      (default: build; RUNS=20)
# Uses tests/sync/lib.sh's kiosk and nginx, in a temp dir it removes.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
source "$root/tests/sync/lib.sh" "$build" "$build/content.db"
RUNS=${RUNS:-20}

keys
start_server
kiosk_config "" "retries = 0"
kiosk_v1
"$BIN/sync_outbox_fill" "$K/state.db" "$T/keys/seal.pub" "$KIOSK" 5 >/dev/null
publish 2
mkdir -p "$WWW/status-feed"
echo '[]' > "$T/entries.json"
KB sign-feed --key "$T/keys/sign.key" --scope "$SCOPE" "$T/entries.json" -o "$WWW/status-feed/$SCOPE.json" >/dev/null
KS run 2>/dev/null || fail "the first cycle"

# ---- no-change cycles
: > "$T/nochange.txt"
for _ in $(seq 1 "$RUNS"); do
  start=$(date +%s%N)
  KS run 2> "$T/run.log" || fail "a no-change cycle"
  end=$(date +%s%N)
  line=$(grep "run: done" "$T/run.log")
  req=$(sed -n 's/.*; \([0-9]*\) requests.*/\1/p' <<< "$line")
  down=$(sed -n 's/.* \([0-9]*\) bytes down.*/\1/p' <<< "$line")
  up=$(sed -n 's/.* \([0-9]*\) bytes up.*/\1/p' <<< "$line")
  inner=$(sed -n 's/.*done in \([0-9.]*\) s.*/\1/p' <<< "$line")
  echo "$(( (end - start) / 1000 )) $req $down $up $inner" >> "$T/nochange.txt"
done
sort -n "$T/nochange.txt" | awk -v n="$RUNS" 'NR == int((n + 1) / 2) {
  printf "no-change cycle: %.1f ms wall (median of %d, process start to exit; the cycle itself %.0f ms), %d requests, %d bytes down + %d bytes up (headers included)\n", $1 / 1000, n, $5 * 1000, $2, $3, $4 }'

# ---- a 50 MB bundle
cp "$DEMO_DB" "$T/big.db"
sqlite3 "$T/big.db" "CREATE TABLE bench_pad(b BLOB);
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 47)
  INSERT INTO bench_pad SELECT randomblob(1000000) FROM n;"
t0=$(date +%s%N)
KB pack --key "$T/keys/sign.key" --version 3 --scope "$SCOPE" "$T/big.db" -o "$T/v3.kbundle" >/dev/null
t1=$(date +%s%N)
size=$(stat -c %s "$T/v3.kbundle")
KS install "$T/v3.kbundle" 2>/dev/null || fail "installing the 50 MB bundle"
t2=$(date +%s%N)
printf "50 MB bundle: %.1f MB file, database %.1f MB; pack %.2f s; kiosk-sync install %.2f s\n" \
  "$(echo "$size / 1048576" | bc -l)" "$(echo "$(stat -c %s "$T/big.db") / 1048576" | bc -l)" \
  "$(echo "($t1 - $t0) / 1000000000" | bc -l)" "$(echo "($t2 - $t1) / 1000000000" | bc -l)"

KB pack --key "$T/keys/sign.key" --version 4 --scope "$SCOPE" "$T/big.db" -o "$WWW/bundles/$SCOPE/4.kbundle" \
  --manifest-out "$WWW/bundles/$SCOPE/manifest.new" >/dev/null
mv "$WWW/bundles/$SCOPE/manifest.new" "$WWW/bundles/$SCOPE/manifest"
t0=$(date +%s%N)
KS run 2> "$T/big.log" || { cat "$T/big.log"; fail "the 50 MB cycle"; }
t1=$(date +%s%N)
printf "50 MB bundle over loopback nginx: kiosk-sync run (download, verify, install) %.2f s\n" \
  "$(echo "($t1 - $t0) / 1000000000" | bc -l)"
