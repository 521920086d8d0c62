#!/usr/bin/env bash
# staff_sync_now.sh - "sync now" in the staff menu, reached the way staff reach it (the
# long press and the PIN), runs a real cycle against the local nginx as a background
# job. The server is slow (nginx's /slow/ prefix: 256 KB/s, so the ~4 MB bundle takes
# seconds): while the sync runs the screen says so, a tap is handled and a frame is
# drawn (the language switches), a second tap starts no second copy; then the kiosk
# says the sync finished, the office's new bundle is installed, and it is logged.
#   staff_sync_now.sh BIN_DIR DEMO_DB
source "$(dirname "$0")/lib.sh"

keys
start_server
kiosk_config /slow
kiosk_v1
publish 2

cat > "$T/staff.kscript" <<'KS'
now 2026-11-28T10:00
staff "246810"
expect-screen staff
tap "立即同步"
expect-job sync running
expect "正在同步"
tap-id chrome.lang
expect "Syncing"
expect-job sync running
tap "Sync now"
expect "That is already running"
expect-job sync running
wait-job sync 120
expect-job sync ok
expect "Sync finished."
expect "sync: exit 0"
expect-no-zombies
KS
"$BIN/kiosk" --headless --config "$K/kiosk.ini" --script "$T/staff.kscript" --out "$T/out" 2> "$T/kiosk.log" ||
  { cat "$T/kiosk.log"; fail "the staff menu's sync now"; }
ok "the staff menu stayed live during a slow sync and says it finished"
[ "$(db_version "$K/content.db")" = 2 ] || fail "content.db is not version 2 after sync now"
ok "sync now installed the office's version 2"
grep -q "GET /slow/bundles/$SCOPE/2.kbundle" "$SRV/access.log" || fail "no bundle download in the access log"
ok "the bundle came from the local nginx"
echo "3 passed, 0 failed"
