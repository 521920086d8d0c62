#!/usr/bin/env bash
# sync_kill_install.sh - kiosk-sync install killed with SIGKILL at 120 random points:
# content.db is always the old or the new version, whole (same bytes as one of them,
# integrity_check ok, version as expected), and what killed runs leave behind is
# cleaned by the next install. The killing is kill_install.py's.
#   sync_kill_install.sh BIN_DIR DEMO_DB
source "$(dirname "$0")/lib.sh"

PORT=1 # no server: install is local
keys
kiosk_config
kiosk_v1
cp "$K/content.db" "$T/v1.db"
pack 2 "$T/v2.kbundle"
python3 "$HERE/kill_install.py" "$BIN/kiosk-sync" "$K/kiosk.ini" "$T/v2.kbundle" "$K/content.db" "$T/v1.db" \
  "${KILLS:-120}" || fail "kill test"
ok "120 kills during install: content.db always whole, old or new"
echo "sync_kill_install: all passed"
