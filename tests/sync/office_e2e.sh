#!/usr/bin/env bash
# office_e2e.sh - the whole loop of issue 13 against the real nginx of the sync tests:
# the office publishes content; a request filed through the kiosk's screens is
# uploaded by kiosk-sync run; kiosk-office ingests it (a tampered and a foreign file in
# the same inbox are quarantined while it goes in), confirms it, replies
# partly_disclosed and signs the feed; kiosk-sync run fetches the feed; the kiosk's
# status screen shows "部分公开" / "Partly disclosed" for that receipt. Then the same
# through a USB export, which the later upload does not count twice.
#   office_e2e.sh BIN_DIR DEMO_DB
source "$(dirname "$0")/lib.sh"
SRC=$(cd "$HERE/../.." && pwd)/assets/content
SCRIPTS=$(cd "$HERE/../scripts" && pwd)
O=$T/office
KO() { "$BIN/kiosk-office" --office "$O" "$@"; }
q() { sqlite3 "$O/office.db" "$1"; }
# kiosk SCRIPT NAME: runs the kiosk's scripted driver on the kiosk's config
kiosk() {
  "$BIN/kiosk" --headless --config "$K/kiosk.ini" --script "$1" --out "$T/out-$2" > "$T/$2.log" 2>&1 ||
    { cat "$T/$2.log"; fail "the kiosk script $2"; }
}

keys
start_server
kiosk_config
"$BIN/kiosk-office" init "$O" --web-root "$WWW" --sign-key "$T/keys/sign.key" --seal-key "$T/keys/seal.key" \
  --scope "$SCOPE" > /dev/null || fail "kiosk-office init"
# publish and feed run on the real clock: the kiosk checks bundles and feeds against it
KO publish "$SRC" --scope "$SCOPE" || fail "kiosk-office publish"
run_ok "$T/run0.log" run
[ "$(db_version "$K/content.db")" = 1 ] || fail "the kiosk did not install the office's content version 1"
ok "kiosk-office publish: the kiosk installed content version 1 from nginx"

# ---- 1. a request through the screens, uploaded, ingested, answered --------------------
kiosk "$SCRIPTS/request_zh.kscript" request
R1=$(sqlite3 "$K/state.db" "SELECT receipt FROM outbox")
[ -n "$R1" ] || fail "no receipt in the kiosk's outbox"
run_ok "$T/run1.log" run
[ -f "$WWW/inbox/$KIOSK/$R1.sealed" ] || fail "the request was not uploaded"
ok "the request filed on screen ($R1) was uploaded by kiosk-sync run"

# a foreign file (sealed to another office's key) and a tampered one arrive alongside
mkdir -p "$T/other"
KB keygen --out "$T/other" > /dev/null
FOREIGN=$("$BIN/office_fill" "$T/other/seal.pub" "$WWW/inbox" K0007 20261127 1)
TAMPERED=$("$BIN/office_fill" "$T/keys/seal.pub" "$WWW/inbox" K0008 20261127 1)
printf '\x01' | dd of="$WWW/inbox/K0008/$TAMPERED.sealed" bs=1 seek=70 conv=notrunc 2>/dev/null
CODE=0
KO --now 2026-11-30T09:00:00Z ingest > "$T/ingest1" 2>&1 || CODE=$?
cat "$T/ingest1"
[ "$CODE" = 1 ] && [ "$(q "SELECT count(*) FROM register")" = 1 ] &&
  [ "$(q "SELECT kind || ' ' || applicant_kind || ' ' || via FROM register WHERE receipt = '$R1'")" = "request natural_person network" ] ||
  fail "ingest: exit $CODE, register: $(q 'SELECT receipt, kind FROM register')"
[ -f "$O/quarantine/K0007-$FOREIGN.sealed.reason" ] && [ -f "$O/quarantine/K0008-$TAMPERED.sealed.reason" ] ||
  fail "the foreign and tampered files are not in quarantine: $(ls "$O/quarantine")"
ok "ingest: the request is registered; a tampered and a foreign file are quarantined, the batch went on"
KO show "$R1" | grep -q '"name": "王小明"' || fail "show does not give the submission back as typed"

KO --now 2026-11-30T09:00:00Z confirm "$R1" --date 2026-11-30 > /dev/null || fail confirm
KO --now 2026-12-01T09:00:00Z reply "$R1" --outcome partly_disclosed --date 2026-12-01 > /dev/null || fail reply
KO feed || fail feed
run_ok "$T/run2.log" run
grep -q "status feed: 1 entries, 1 changed" "$T/run2.log" || fail "the kiosk did not take the feed"
[ "$(sqlite3 "$K/state.db" "SELECT outcome FROM status_cache WHERE receipt = '$R1'")" = partly_disclosed ] ||
  fail "status_cache: $(sqlite3 "$K/state.db" 'SELECT * FROM status_cache')"
ok "kiosk-sync run fetched the office's feed"

typed=$(echo "$R1" | tr -d '-' | tr 'A-Z' 'a-z')
cat > "$T/status_zh.kscript" <<KS
now 2026-12-02T09:00
tap-id tile.status
type "$typed"
tap-id status.look_up
expect-value status.receipt "$R1"
expect "办理结果"
expect "部分公开"
expect-not "正在办理"
KS
kiosk "$T/status_zh.kscript" status_zh
cat > "$T/status_en.kscript" <<KS
now 2026-12-02T09:00
tap "English"
tap-id tile.status
type "$typed"
tap-id status.look_up
expect "Partly disclosed"
KS
kiosk "$T/status_en.kscript" status_en
ok "the status screen shows 部分公开 / Partly disclosed for $R1"

# ---- 2. the same through a USB export; the later upload counts once ------------------
kiosk "$SCRIPTS/request_en.kscript" request_en
R2=$(sqlite3 "$K/state.db" "SELECT receipt FROM outbox WHERE receipt <> '$R1'")
[ -n "$R2" ] || fail "no second receipt"
mkdir -p "$T/stick"
KS usb-export "$T/stick" > /dev/null 2>&1 || fail "usb-export"
[ -f "$T/stick/hallkiosk-export/$KIOSK/$R2.sealed" ] || fail "the stick does not hold $R2"
KO --now 2026-11-30T09:00:00Z ingest "$T/stick" > "$T/ingest2" 2>&1 || { cat "$T/ingest2"; fail "ingest of the stick"; }
[ "$(q "SELECT via || ' ' || applicant_kind FROM register WHERE receipt = '$R2'")" = "usb business" ] ||
  fail "the stick's request is not registered: $(cat "$T/ingest2")"
[ -f "$T/stick/hallkiosk-export/$KIOSK/$R2.sealed" ] || fail "ingest changed the stick"
ok "ingest STICK: the request on the stick ($R2) is registered, the stick left as it was"
run_ok "$T/run3.log" run
[ -f "$WWW/inbox/$KIOSK/$R2.sealed" ] || fail "the exported request was not uploaded as well"
KO --now 2026-11-30T09:00:00Z ingest "$T/stick" > "$T/ingest3" 2>&1 || { cat "$T/ingest3"; fail "the second ingest"; }
grep -q "^ingest: 0 registered, 2 already registered" "$T/ingest3" || fail "the second ingest: $(cat "$T/ingest3")"
[ "$(q "SELECT count(*) FROM register WHERE kind = 'request'")" = 2 ] || fail "a submission counted twice"
[ ! -e "$WWW/inbox/$KIOSK/$R2.sealed" ] || fail "the duplicate upload was left in the inbox"
ok "the same request by network and by USB counts once"

KO --now 2026-12-01T09:00:00Z confirm "$R2" --date 2026-11-30 > /dev/null || fail "confirm $R2"
KO --now 2026-12-01T09:00:00Z reply "$R2" --outcome not_disclosed.third_party --date 2026-12-01 > /dev/null ||
  fail "reply $R2"
KO feed > /dev/null || fail feed
run_ok "$T/run4.log" run
cat > "$T/status_usb.kscript" <<KS
now 2026-12-02T09:00
tap "English"
tap-id tile.status
type "$(echo "$R2" | tr -d '-' | tr 'A-Z' 'a-z')"
tap-id status.look_up
expect "Not disclosed"
expect "To protect a third party's lawful rights"
KS
kiosk "$T/status_usb.kscript" status_usb
ok "the USB request's reply reaches the status screen, its reason in words"
echo "all passed"
