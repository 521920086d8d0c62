#!/usr/bin/env bash
# sync_disk_full.sh - a full disk fails cleanly and leaves the old content:
#  1. the disk fills during the download: exit 5, "No space left on device", the
#     partial file is removed (the kiosk needs the room for state.db), content.db is
#     the old version, whole; the heartbeat still reports it;
#  2. the download fits but the new database does not: the same, and no temp file is
#     left beside content.db;
#  3. with room again, the next cycle installs.
# How the disk is made full: the kiosk's directory is a small tmpfs mounted in a
# private mount namespace (unshare -m), so ENOSPC is real. Where mounting is not
# allowed, the test says so and falls back to RLIMIT_FSIZE (ulimit -f on kiosk-sync,
# SIGXFSZ ignored), where writes fail with EFBIG instead - handled the same way.
#   sync_disk_full.sh BIN_DIR DEMO_DB
if [ "${1:-}" != --inner ]; then
  if [ "$(id -u)" = 0 ] && unshare -m sh -c 'd=$(mktemp -d) && mount -t tmpfs -o size=1m tmpfs "$d" && umount "$d" && rmdir "$d"' 2>/dev/null; then
    exec unshare -m "$0" --inner tmpfs "$@"
  fi
  exec "$0" --inner ulimit "$@"
fi
MODE=$2
shift 2
source "$(dirname "$0")/lib.sh"
echo "disk full by: $MODE"

if [ "$MODE" = tmpfs ]; then
  mount -t tmpfs -o size=24m tmpfs "$K"
  trap 'umount "$K" 2>/dev/null; cleanup' EXIT
fi

keys
start_server
kiosk_config "" "retries = 0"
kiosk_v1
"$BIN/sync_outbox_fill" "$K/state.db" "$T/keys/seal.pub" "$KIOSK" 1 >/dev/null
publish 2
old_sha=$(sha "$K/content.db")
bundle_kb=$(( $(stat -c %s "$WWW/bundles/$SCOPE/2.kbundle") / 1024 ))
db_kb=$(( $(stat -c %s "$DEMO_DB") / 1024 ))

# leave FREE_KB kilobytes for kiosk-sync's writes, and run it
run_with_room() {
  local free_kb=$1 log=$2
  CODE=0
  if [ "$MODE" = tmpfs ]; then
    rm -f "$K/filler"
    local avail
    avail=$(df -k --output=avail "$K" | tail -1)
    [ "$avail" -gt "$free_kb" ] || fail "the tmpfs is too small for the test"
    dd if=/dev/zero of="$K/filler" bs=1k count=$(( avail - free_kb )) status=none
    KS run 2> "$log" || CODE=$?
  else
    ( trap '' XFSZ; ulimit -f "$free_kb"; exec "$BIN/kiosk-sync" --config "$K/kiosk.ini" run ) 2> "$log" || CODE=$?
  fi
  cat "$log"
}

assert_old_content() {
  [ "$(sha "$K/content.db")" = "$old_sha" ] || fail "$1: content.db changed"
  [ "$(db_check "$K/content.db")" = ok ] || fail "$1: integrity_check"
  [ "$(db_version "$K/content.db")" = 1 ] || fail "$1: content.db is not version 1"
  ! ls "$K"/sync/*.part >/dev/null 2>&1 || fail "$1: a partial download was left on the full disk"
  ! ls "$K"/content.db.install-* >/dev/null 2>&1 || fail "$1: a temp database was left beside content.db"
}

nospace='(No space left on device|File too large)'

# ---- 1: full during the download
run_with_room $(( bundle_kb / 3 )) "$T/full1.log"
[ "$CODE" = 5 ] || fail "download: exit $CODE, not 5 (local)"
grep -Eq "content: GET .*2.kbundle: cannot write the download: $nospace; the partial download was removed" "$T/full1.log" ||
  fail "download: the log line"
assert_old_content download
grep -Eq "$nospace" "$WWW/status/$KIOSK.json" || fail "download: the heartbeat does not report it"
[ -s "$WWW/inbox/$KIOSK/"*.sealed ] || fail "download: the outbox was not uploaded all the same"
ok "disk full during the download: exit 5, old content whole, partial file removed, heartbeat tells"

# ---- 2: the download fits, the new database does not
run_with_room $(( bundle_kb + db_kb / 2 )) "$T/full2.log"
[ "$CODE" = 5 ] || fail "install: exit $CODE, not 5 (local)"
grep -Eq "content: .*: payload: cannot write the database: $nospace \[no-space\]" "$T/full2.log" ||
  fail "install: the log line"
assert_old_content install
ok "disk full while writing the new database: exit 5, old content whole, no temp files"

# ---- 3: room again
run_with_room $(( 2 * (bundle_kb + db_kb) + 2048 )) "$T/room.log"
[ "$CODE" = 0 ] || fail "with room: exit $CODE"
[ "$(db_version "$K/content.db")" = 2 ] || fail "with room: version 2 not installed"
ok "with room again, version 2 installs"
echo "sync_disk_full: all passed"
