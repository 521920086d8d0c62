#!/usr/bin/env bash
# office_fleet.sh - kiosk-office's fleet on heartbeats a real kiosk-sync PUT to a real
# nginx (sync/README.md "kiosk-office fleet"): a kiosk on the published content is
# well (exit 0) and its row says what its heartbeat says; the office publishing newer
# content makes it "behind", 37 hours of silence "stale"; a tampered bundle makes the
# next cycle's heartbeat carry the error ("failing-sync"), which clears two clean
# cycles later; --prometheus writes the textfile the collector reads.
#   office_fleet.sh BIN_DIR DEMO_DB FLEET_CLI
# FLEET_CLI runs office_fleet_main like `kiosk-office --office DIR [--now T] fleet ...`
# (tests/sync/fleet_cli.c): sync_fleet_cli WEB_ROOT [--now T] [fleet args...].
source "$(dirname "$0")/lib.sh"
FLEET=${3:?usage: office_fleet.sh BIN_DIR DEMO_DB FLEET_CLI}

# fleet ARGS...: the fleet over the web root; sets CODE, stdout in $T/fleet.out
fleet() {
  CODE=0
  "$FLEET" "$WWW" "$@" > "$T/fleet.out" 2> "$T/fleet.err" || CODE=$?
}
# check_row EXPECTED_FLAGS [NOW]: the JSON row of K0001 against the heartbeat file
check_row() {
  python3 - "$T/fleet.out" "$WWW/status/$KIOSK.json" "$1" "$WWW/bundles/$SCOPE/manifest" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
hb = json.load(open(sys.argv[2]))
want_flags = [f for f in sys.argv[3].split(",") if f]
assert len(rows) == 1, rows
r = rows[0]
assert r["kiosk_id"] == "K0001" and r["scope"] == "demo" and r["file"] == "status/K0001.json", r
assert r["last_seen"] == hb["sent_at"] and r["last_seen_source"] == "sent_at", (r, hb["sent_at"])
assert r["firmware_version"] == hb["firmware_version"], r
assert r["content_version"] == hb["content_version"], r
assert r["outbox_pending"] == hb["outbox"]["pending"], r
assert r["outbox_uploaded"] == hb["outbox"]["uploaded"], r
assert r["disk_free_bytes"] == hb["disk_free_bytes"] > 0, r
assert r["error_count"] == len(hb["errors"]) and r["errors"] == hb["errors"][:3], r
prev = hb.get("previous_sync") or {}
assert r["last_sync_result"] == prev.get("result"), (r, prev)
# the published version, read here from the head's manifest JSON (offset 40, length at 16)
head = open(sys.argv[4], "rb").read()
mlen = int.from_bytes(head[16:20], "little")
published = json.loads(head[40:40 + mlen])["content_version"]
assert r["published_content_version"] == published, (r, published)
assert r["flags"] == want_flags, (r["flags"], want_flags, r)
assert r["needs_attention"] == bool(want_flags), r
assert r["problem"] is None, r
PY
}

keys
start_server
kiosk_config
kiosk_v1
mapfile -t receipts < <("$BIN/sync_outbox_fill" "$K/state.db" "$T/keys/seal.pub" "$KIOSK" 2)
publish 2

# ---- a clean cycle: one kiosk, well
run_ok "$T/run1.log" run
[ -s "$WWW/status/$KIOSK.json" ] || fail "no heartbeat"
fleet --json
[ "$CODE" = 0 ] || fail "fleet exited $CODE on a well kiosk: $(cat "$T/fleet.err" "$T/fleet.out")"
check_row "" || fail "the row of a well kiosk: $(cat "$T/fleet.out")"
fleet
[ "$CODE" = 0 ] && grep -q "^K0001 *demo .* sent_at .* 2/2 .* none *0 *ok$" "$T/fleet.out" &&
  grep -q "^1 kiosk(s), 0 need attention" "$T/fleet.out" || fail "the table: $(cat "$T/fleet.out")"
cat "$T/fleet.out"
ok "a kiosk on the published content is well, its row is its heartbeat"

# ---- the office publishes version 3; the kiosk has not synced yet
publish 3
fleet --json
[ "$CODE" = 1 ] || fail "fleet exited $CODE for a kiosk behind"
check_row behind || fail "the row of a kiosk behind: $(cat "$T/fleet.out")"
ok "behind the published content: exit 1"

# ---- 37 hours of silence (the clock of the office moves, the heartbeat stays)
sent=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sent_at"])' "$WWW/status/$KIOSK.json")
later=$(date -u -d "$sent + 37 hours" +%Y-%m-%dT%H:%M:%SZ)
fleet --now "$later" --json
[ "$CODE" = 1 ] || fail "fleet exited $CODE for a stale kiosk"
check_row stale,behind || fail "the row of a stale kiosk: $(cat "$T/fleet.out")"
ok "stale after 37 h by sent_at"

# ---- a tampered bundle: the cycle fails, its heartbeat says so
bundle=$WWW/bundles/$SCOPE/3.kbundle
cp "$bundle" "$T/good3.kbundle"
size=$(stat -c %s "$bundle")
printf 'X' | dd of="$bundle" bs=1 seek=$(( size - 1 )) conv=notrunc status=none
run_code "$T/run2.log" run
[ "$CODE" != 0 ] || fail "a cycle with a tampered bundle exited 0"
fleet --json
[ "$CODE" = 1 ] || fail "fleet exited $CODE for a failing kiosk"
check_row behind,failing-sync || fail "the row of a failing kiosk: $(cat "$T/fleet.out")"
grep -q 'bad-hash' "$T/fleet.out" || fail "the error line is not in the row: $(cat "$T/fleet.out")"
fleet
grep -q "^K0001: failing-sync: last sync ok, 1 error(s) this cycle" "$T/fleet.out" &&
  grep -q "^K0001: error: .*\[bad-hash\]" "$T/fleet.out" || fail "the table's words: $(cat "$T/fleet.out")"
ok "a failing cycle: $(grep '^K0001: error' "$T/fleet.out")"

# ---- the good bundle back: the next heartbeat still reports the failed previous cycle,
# the one after is clean
cp "$T/good3.kbundle" "$bundle"
run_ok "$T/run3.log" run
fleet --json
[ "$CODE" = 1 ] || fail "fleet exited $CODE after one good cycle"
check_row failing-sync || fail "the previous cycle's failure: $(cat "$T/fleet.out")"
run_ok "$T/run4.log" run
fleet --json --prometheus "$T/prom/fleet.prom"
[ "$CODE" = 2 ] || fail "fleet exited $CODE writing into a folder that does not exist"
mkdir -p "$T/prom"
fleet --json --prometheus "$T/prom/fleet.prom"
[ "$CODE" = 0 ] || fail "fleet exited $CODE after two good cycles: $(cat "$T/fleet.err")"
check_row "" || fail "the row after recovery: $(cat "$T/fleet.out")"
ok "recovered: well again after two clean cycles"

# ---- the textfile collector's file
prom=$T/prom/fleet.prom
cat "$prom"
[ "$(ls "$T/prom")" = fleet.prom ] || fail "files beside fleet.prom: $(ls "$T/prom")"
[ "$(stat -c %a "$prom")" = 644 ] || fail "fleet.prom is not 0644"
disk=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["disk_free_bytes"])' "$WWW/status/$KIOSK.json")
grep -qx 'hallkiosk_content_version{kiosk="K0001",scope="demo"} 3' "$prom" &&
  grep -qx "hallkiosk_disk_free_bytes{kiosk=\"K0001\",scope=\"demo\"} $disk" "$prom" &&
  grep -qx 'hallkiosk_outbox_pending{kiosk="K0001",scope="demo"} 0' "$prom" &&
  grep -qx 'hallkiosk_needs_attention{kiosk="K0001",scope="demo"} 0' "$prom" &&
  grep -qx 'hallkiosk_published_content_version{scope="demo"} 3' "$prom" &&
  grep -qx '# TYPE hallkiosk_last_seen_timestamp_seconds gauge' "$prom" ||
  fail "fleet.prom lacks a line"
# every sample's metric has its HELP and TYPE lines first
awk '/^# HELP /{h[$3]=1; next} /^# TYPE /{if (!h[$3]) exit 1; t[$3]=1; next}
     {n=$1; sub(/\{.*/, "", n); if (!t[n]) exit 1}' "$prom" || fail "a sample before its HELP/TYPE"
if command -v promtool >/dev/null; then
  promtool check metrics < "$prom" || fail "promtool check metrics"
fi
ok "fleet.prom written, 0644, nothing left beside it"
echo "office_fleet: all passed"
