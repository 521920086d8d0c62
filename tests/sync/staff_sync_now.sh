#!/usr/bin/env bash
# staff_sync_now.sh - "sync now" in the staff menu, reached the way staff reach it (the
# long press and the PIN), runs a real cycle against the local nginx: the kiosk says
# the sync finished, the office's new bundle is installed, and the attempt is logged.
#   staff_sync_now.sh BIN_DIR DEMO_DB
source "$(dirname "$0")/lib.sh"

keys
start_server
kiosk_config
kiosk_v1
publish 2

cat > "$T/staff.kscript" <<'KS'
now 2026-11-28T10:00
staff "246810"
expect-screen staff
tap "立即同步"
expect "同步完成"
expect "sync now: exit 0"
KS
"$BIN/kiosk" --headless --config "$K/kiosk.ini" --script "$T/staff.kscript" --out "$T/out" 2> "$T/kiosk.log" ||
  { cat "$T/kiosk.log"; fail "the staff menu's sync now"; }
ok "the staff menu says the sync finished"
[ "$(db_version "$K/content.db")" = 2 ] || fail "content.db is not version 2 after sync now"
ok "sync now installed the office's version 2"
grep -q "GET /bundles/$SCOPE/2.kbundle" "$SRV/access.log" || fail "no bundle download in the access log"
ok "the bundle came from the local nginx"
echo "3 passed, 0 failed"
