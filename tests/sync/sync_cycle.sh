#!/usr/bin/env bash
# sync_cycle.sh - a full cycle against a real nginx installs the new bundle, uploads
# the outbox (idempotent PUTs, marked uploaded), writes the heartbeat and caches the
# signed status feed; a second cycle with nothing new makes one conditional request
# for content, changes nothing, and uploads nothing; retention then removes the sealed
# blobs but keeps the receipts.
#   sync_cycle.sh BIN_DIR DEMO_DB
source "$(dirname "$0")/lib.sh"

keys
start_server
kiosk_config
kiosk_v1
prev_sha=$(sha "$K/content.db")

# three visitors filed something; the office published version 2 and a status feed
mapfile -t receipts < <("$BIN/sync_outbox_fill" "$K/state.db" "$T/keys/seal.pub" "$KIOSK" 3)
[ ${#receipts[@]} -eq 3 ] || fail "outbox fill"
publish 2
# anonymous counters the kiosk keeps: guide views, and a failed search (the table the
# search feature writes; created here if this build does not have it yet)
sqlite3 "$K/state.db" "INSERT INTO usage(kind, ref, views, qr_shows) VALUES('guide', 'marriage-reg', 5, 2);
  CREATE TABLE IF NOT EXISTS search_miss(day TEXT, key TEXT, count INTEGER);
  INSERT INTO search_miss(day, key, count) VALUES('2026-11-28', 'passport', 3);
  INSERT INTO meta(key, value) VALUES('printer_state', 'paper-near-end'), ('printer_state_since', '2026-11-28T02:20:00Z');
  INSERT INTO staff_notice(title, body, urgent, posted_at, expires) VALUES
    ('Window 9 closed', 'ask at window 8', 1, '2000-01-01T08:00', '9999-12-31T24:00'),
    ('Copier fixed', '', 0, '2000-01-01T08:00', '2000-01-01T17:00');"
mkdir -p "$WWW/status-feed"
cat > "$T/entries.json" <<EOF
[{"receipt": "${receipts[0]}", "status": "replied", "outcome": "disclosed",
  "updated_at": "2026-11-20T08:00:00Z", "due_date": "2026-12-18"},
 {"receipt": "K0002-261101-0001-0", "status": "received", "outcome": "in_progress",
  "updated_at": "2026-11-20T08:00:00Z"}]
EOF
KB sign-feed --key "$T/keys/sign.key" --scope "$SCOPE" "$T/entries.json" -o "$WWW/status-feed/$SCOPE.json" >/dev/null

# ---- the office's tools on the published bundle
bundle=$WWW/bundles/$SCOPE/2.kbundle
KB verify --pub "$T/keys/sign.pub" "$bundle" > "$T/verify.txt" || fail "verify of a good bundle"
grep -q "valid: content version 2, scope demo" "$T/verify.txt" || fail "verify output"
KB verify --pub "$T/keys/sign.pub" --manifest "$WWW/bundles/$SCOPE/manifest" >/dev/null || fail "verify of the head"
KB inspect --pub "$T/keys/sign.pub" "$bundle" > "$T/inspect.txt" || fail "inspect"
grep -q "^content_version: 2$" "$T/inspect.txt" && grep -q "^signature: valid" "$T/inspect.txt" &&
  grep -Eq "^  service +[1-9][0-9]*$" "$T/inspect.txt" || fail "inspect output: $(cat "$T/inspect.txt")"
cp "$bundle" "$T/bad.kbundle"
printf 'X' | dd of="$T/bad.kbundle" bs=1 seek=300 conv=notrunc status=none
code=0
KB verify --pub "$T/keys/sign.pub" "$T/bad.kbundle" 2> "$T/bad.txt" || code=$?
[ "$code" = 1 ] && [ "$(wc -l < "$T/bad.txt")" = 1 ] || fail "verify of a changed bundle: exit $code, $(cat "$T/bad.txt")"
grep -q "^kiosk-bundle: verify: $T/bad.kbundle: signature: .* \[bad-signature\]$" "$T/bad.txt" ||
  fail "verify's line: $(cat "$T/bad.txt")"
ok "verify, inspect: $(cat "$T/bad.txt")"

# ---- the first cycle
run_ok "$T/run1.log" run
[ "$(db_version "$K/content.db")" = 2 ] || fail "content.db is not version 2"
[ "$(db_check "$K/content.db")" = ok ] || fail "integrity_check of the new content.db"
[ "$(sha "$K/content.db.prev")" = "$prev_sha" ] || fail "content.db.prev is not the previous content"
ok "version 2 installed, version 1 kept as content.db.prev"

for r in "${receipts[@]}"; do
  f="$WWW/inbox/$KIOSK/$r.sealed"
  [ -s "$f" ] || fail "$r was not uploaded"
  want=$(sqlite3 "$K/state.db" "SELECT hex(sealed) FROM outbox WHERE receipt = '$r'")
  got=$(od -An -v -tx1 "$f" | tr -d ' \n' | tr a-f A-F)
  [ "$want" = "$got" ] || fail "$r: the uploaded bytes differ from the sealed blob"
done
pending=$(sqlite3 "$K/state.db" "SELECT count(*) FROM outbox WHERE uploaded_at = ''")
[ "$pending" = 0 ] || fail "$pending submissions not marked uploaded"
if KB open-submission --help >/dev/null 2>&1; then
  KB open-submission --key "$T/keys/seal.key" "$WWW/inbox/$KIOSK/${receipts[0]}.sealed" > "$T/opened.json" 2>&1 ||
    fail "the office cannot open an uploaded submission: $(cat "$T/opened.json")"
  grep -q "${receipts[0]}" "$T/opened.json" || fail "the opened submission lacks its receipt"
  ok "an uploaded submission opens with the office's key"
fi
ok "3 sealed submissions uploaded byte for byte and marked uploaded"

hb="$WWW/status/$KIOSK.json"
[ -s "$hb" ] || fail "no heartbeat"
python3 - "$hb" <<'EOF' || fail "heartbeat content"
import json, sys
hb = json.load(open(sys.argv[1]))
assert hb["kiosk_id"] == "K0001", hb
assert hb["content_version"] == 2, hb
assert hb["firmware_version"], hb
assert hb["outbox"] == {"pending": 0, "uploaded": 3, "exported": 0}, hb["outbox"]
assert hb["uptime_seconds"] >= 0 and hb["disk_free_bytes"] > 0, hb
assert hb["errors"] == [], hb["errors"]
assert {"kind": "guide", "ref": "marriage-reg", "views": 5, "qr_shows": 2} in hb["usage"], hb["usage"]
assert hb["failed_searches"][0]["key"] == "passport", hb.get("failed_searches")
assert hb["printer"] == {"state": "paper-near-end", "since": "2026-11-28T02:20:00Z"}, hb.get("printer")
# staff notices: the live ones counted (the expired one not), never their words
assert hb["staff_notices"] == 1, hb.get("staff_notices")
text = open(sys.argv[1]).read()
assert "Window 9" not in text and "window 8" not in text and "Copier" not in text, text
EOF
ok "heartbeat written: $(head -c 160 "$hb")..."

[ "$(sqlite3 "$K/state.db" "SELECT outcome FROM status_cache WHERE receipt = '${receipts[0]}'")" = disclosed ] ||
  fail "status feed not cached"
[ "$(sqlite3 "$K/state.db" "SELECT count(*) FROM status_cache")" = 2 ] || fail "status cache count"
ok "status feed verified and cached"

# ---- the second cycle: nothing new
before=$(log_count)
ino=$(stat -c %i "$K/content.db")
run_ok "$T/run2.log" run
log_since "$before" > "$T/run2.access"
cat "$T/run2.access"
[ "$(grep -c '"GET /bundles/' "$T/run2.access")" = 1 ] || fail "more than one content request"
# fields: msec "GET PATH HTTP/1.1" status bytes "range" "if-range" "if-none-match"
awk '$3 == "/bundles/demo/manifest" && $5 == 304 && $NF != "\"-\"" { n++ } END { exit n == 1 ? 0 : 1 }' \
  "$T/run2.access" || fail "the manifest request was not one conditional GET answered 304"
! grep -q 'kbundle' "$T/run2.access" || fail "a bundle was downloaded again"
! grep -q 'PUT /inbox/' "$T/run2.access" || fail "something was uploaded again"
grep -q '"GET /status-feed/demo.json HTTP/1.1" 304' "$T/run2.access" || fail "the status feed was not conditional"
[ "$(stat -c %i "$K/content.db")" = "$ino" ] || fail "content.db was replaced"
[ "$(db_version "$K/content.db")" = 2 ] || fail "content.db changed version"
grep -q "up to date" "$T/run2.log" || fail "the log does not say up to date"
ok "second cycle: one conditional request for content (304), nothing changed"

KS status > "$T/status.txt"
cat "$T/status.txt"
grep -q "^content: version 2" "$T/status.txt" || fail "status: content version"
grep -q "^last sync: .* ok (exit 0)" "$T/status.txt" || fail "status: last sync"
grep -q "^outbox: 0 pending, 3 uploaded" "$T/status.txt" || fail "status: outbox"
ok "kiosk-sync status reports it"

# ---- retention: with retention_days = 0 the sealed blobs go, the receipts stay
sleep 1.1 # uploaded_at has one-second resolution; the cutoff must pass it
kiosk_config "" "retention_days = 0"
run_ok "$T/run3.log" run
[ "$(sqlite3 "$K/state.db" "SELECT count(*) FROM outbox WHERE sealed IS NULL")" = 3 ] ||
  fail "retention did not remove the sealed blobs"
[ "$(sqlite3 "$K/state.db" "SELECT count(*) FROM outbox")" = 3 ] || fail "retention removed receipts"
grep -q "removed (retention_days 0)" "$T/run3.log" || fail "the log does not mention retention"
ok "retention removed 3 sealed blobs, receipts kept"
echo "sync_cycle: all passed"
