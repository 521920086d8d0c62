#!/usr/bin/env bash
# office_usb_stick.sh - the office writes the USB stick a USB-only kiosk takes
# (issue 15): `kiosk-office usb-stick DIR [--bundle FILE]` puts the published, signed
# status feed at status-feed/<scope>.json (and the bundle at the top), and
# `kiosk-sync usb-import` on that folder changes the receipt's status and installs the
# bundle. Bad input says one line and exits non-zero, writing nothing.
#   office_usb_stick.sh BIN_DIR DEMO_DB
source "$(dirname "$0")/lib.sh"

PORT=9 # no server: this kiosk is offline
keys
kiosk_config
O=$T/office
KO() { "$BIN/kiosk-office" --office "$O" "$@"; }
mkdir -p "$T/www"
"$BIN/kiosk-office" init "$O" --web-root "$T/www" --sign-key "$T/keys/sign.key" --seal-key "$T/keys/seal.key" \
  --scope "$SCOPE" > /dev/null || fail "kiosk-office init"
# cache [RECEIPT]: what the kiosk's status cache says of RECEIPT (R by default)
cache() { sqlite3 "$K/state.db" "SELECT coalesce((SELECT outcome FROM status_cache WHERE receipt = '${1:-$R}'), 'none')"; }

# two requests of this kiosk reach the office (its inbox); the first is answered
mapfile -t receipts < <("$BIN/office_fill" "$T/keys/seal.pub" "$T/www/inbox" "$KIOSK" 20261127 2 request)
R=${receipts[0]} R2=${receipts[1]:-}
[ -n "$R2" ] || fail "office_fill"
KO ingest > "$T/ingest.out" 2>&1 || fail "ingest: $(cat "$T/ingest.out")"
"$BIN/sync_outbox_fill" "$K/state.db" "$T/keys/seal.pub" "$KIOSK" 0 > /dev/null # the kiosk's state.db
KO --now 2026-11-30T09:00:00Z confirm "$R" --date 2026-11-30 > /dev/null || fail confirm
KO --now 2026-12-01T09:00:00Z reply "$R" --outcome partly_disclosed --date 2026-12-01 > /dev/null || fail reply

# bad input: one line each, a usage exit, nothing written
mkdir -p "$T/stick"
bad() {
  local want=$1
  shift
  local code=0
  KO usb-stick "$@" > "$T/bad.out" 2> "$T/bad.err" || code=$?
  [ "$code" = 2 ] || fail "usb-stick $*: exit $code, expected 2"
  [ "$(wc -l < "$T/bad.err")" = 1 ] && grep -qF -- "$want" "$T/bad.err" ||
    fail "usb-stick $*: expected one line with \"$want\": $(cat "$T/bad.err")"
  [ -z "$(ls -A "$T/stick")" ] || fail "usb-stick $*: wrote $(ls -A "$T/stick")"
  ok "usb-stick $*: $(cat "$T/bad.err")"
}
bad "kiosk-office: usb-stick: $SCOPE: no status feed published yet" "$T/stick"
KO feed > /dev/null || fail feed
bad "kiosk-office: usb-stick: $T/nowhere: No such file or directory" "$T/nowhere"
bad "kiosk-office: usb-stick: $T/keys/sign.pub: not a folder" "$T/keys/sign.pub"
bad "kiosk-office: usb-stick: --bundle: \"$T/x.zip\" is not a .kbundle file" "$T/stick" --bundle "$T/x.zip"

# the feed onto the stick, byte for byte; the kiosk takes it
[ "$(cache)" = none ] || fail "the kiosk knew the status before the stick"
KO usb-stick "$T/stick" > "$T/stick.out" || fail "usb-stick"
grep -qx "usb-stick: status-feed/$SCOPE.json written" "$T/stick.out" || fail "usb-stick said: $(cat "$T/stick.out")"
cmp -s "$T/www/status-feed/$SCOPE.json" "$T/stick/status-feed/$SCOPE.json" || fail "the feed on the stick differs"
[ -z "$(ls -A "$T/stick" | grep -v '^status-feed$')" ] && [ "$(ls -A "$T/stick/status-feed")" = "$SCOPE.json" ] ||
  fail "the stick holds more than the feed: $(ls -AR "$T/stick")"
run_code "$T/import1.log" usb-import "$T/stick" > "$T/import1.out"
grep -q "^status-feed/$SCOPE.json: Request status updated: 2 entries, 2 changed \[ok\]$" "$T/import1.out" ||
  fail "usb-import did not apply the feed: $(cat "$T/import1.out" "$T/import1.log")"
[ "$(cache)" = partly_disclosed ] || fail "after the stick, the status cache says $(cache)"
ok "kiosk-office usb-stick wrote the feed; usb-import set $R to partly_disclosed"

# with a bundle: the office answers again, the stick gets the new feed and content
sleep 1 # created_at has one-second steps: the next feed is newer
KO confirm "$R2" > /dev/null || fail "confirm R2"
KO reply "$R2" --outcome disclosed > /dev/null || fail "reply R2"
KO feed > /dev/null || fail "feed again"
pack 4 "$T/hall-4.kbundle"
KO usb-stick "$T/stick" --bundle "$T/hall-4.kbundle" > "$T/stick2.out" || fail "usb-stick --bundle"
grep -qx "usb-stick: hall-4.kbundle written" "$T/stick2.out" || fail "usb-stick --bundle said: $(cat "$T/stick2.out")"
cmp -s "$T/hall-4.kbundle" "$T/stick/hall-4.kbundle" || fail "the bundle on the stick differs"
run_code "$T/import2.log" usb-import "$T/stick" > "$T/import2.out"
[ "$CODE" = 0 ] || fail "usb-import with a bundle exited $CODE: $(cat "$T/import2.out")"
[ "$(db_version "$K/content.db")" = 4 ] || fail "the bundle from the stick was not installed"
[ "$(cache "$R2")" = disclosed ] && [ "$(cache)" = partly_disclosed ] ||
  fail "the second feed was not applied: $(cache "$R2"), $(cache)"
ok "usb-stick --bundle: usb-import installed version 4 and applied the newer feed"
