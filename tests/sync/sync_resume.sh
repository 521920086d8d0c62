#!/usr/bin/env bash
# sync_resume.sh - a download cut in the middle resumes where it stopped.
# The bundle comes through nginx's /slow/ location (limit_rate 256k); when a third of
# it is on disk the server is stopped, as a network cut would: kiosk-sync fails (exit
# 4), keeps the partial file and says so. With the server back, the next cycle asks
# for the rest only (Range: bytes=N-, If-Range: the ETag) and gets a 206; the result
# installs, verified as a whole. A second variant kills kiosk-sync itself with
# SIGKILL mid-download (a power cut on the kiosk's side) and resumes the same way.
#   sync_resume.sh BIN_DIR DEMO_DB
source "$(dirname "$0")/lib.sh"

keys
start_server
kiosk_config /slow "retries = 0"
kiosk_v1
old_sha=$(sha "$K/content.db")

# wait_part MIN: until the partial download holds at least MIN bytes
wait_part() {
  for _ in $(seq 1 400); do
    part=$(ls "$K"/sync/*.part 2>/dev/null | head -1 || true)
    if [ -n "$part" ] && [ "$(stat -c %s "$part")" -ge "$1" ]; then
      return 0
    fi
    sleep 0.025
  done
  fail "the download never reached $1 bytes"
}

resume_and_check() { # VERSION WHAT
  local v=$1 what=$2 size
  size=$(stat -c %s "$WWW/bundles/$SCOPE/$v.kbundle")
  kept=$(stat -c %s "$part")
  [ "$kept" -gt 0 ] && [ "$kept" -lt "$size" ] || fail "$what: the partial file holds $kept of $size bytes"
  [ -s "$part.etag" ] || fail "$what: no ETag kept for If-Range"
  local before
  before=$(log_count)
  kiosk_config "" "retries = 0"
  run_ok "$T/resume.log" run
  log_since "$before" > "$T/resume.access"
  grep "kbundle" "$T/resume.access"
  # fields: msec "GET PATH HTTP/1.1" status bytes_sent "range" "if-range" "if-none-match"
  awk -v kept="$kept" -v path="/bundles/$SCOPE/$v.kbundle" '
    $3 == path && $5 == 206 && $7 == "\"bytes=" kept "-\"" && $8 != "\"-\"" { n++ }
    END { exit n == 1 ? 0 : 1 }' "$T/resume.access" ||
    fail "$what: no single 206 answer to Range: bytes=$kept- with If-Range"
  sent=$(awk -v path="/bundles/$SCOPE/$v.kbundle" '$3 == path { print $6 }' "$T/resume.access")
  [ "$sent" -lt $(( size - kept + 1024 )) ] || fail "$what: the server sent $sent bytes, more than the rest"
  grep -q "resuming version $v at byte $kept" "$T/resume.log" || fail "$what: the log does not say it resumed"
  [ "$(db_version "$K/content.db")" = "$v" ] || fail "$what: version $v not installed"
  [ "$(db_check "$K/content.db")" = ok ] || fail "$what: integrity_check"
  ! ls "$K"/sync/*.part >/dev/null 2>&1 || fail "$what: the partial file was left behind"
  ok "$what: resumed at byte $kept of $size (206, $sent bytes sent), version $v installed"
}

# ---- a network cut: the server goes away mid-transfer
publish 2
"$BIN/kiosk-sync" --config "$K/kiosk.ini" run 2> "$T/cut.log" &
pid=$!
wait_part 400000
stop_server
code=0
wait $pid || code=$?
cat "$T/cut.log"
[ "$code" = 4 ] || fail "the cut cycle exited $code, not 4 (network)"
grep -q "bytes kept to resume next time" "$T/cut.log" || fail "the log does not say the partial file was kept"
[ "$(sha "$K/content.db")" = "$old_sha" ] || fail "content.db changed after a cut download"
start_server "$PORT"
resume_and_check 2 "network cut"

# ---- a power cut on the kiosk: kiosk-sync killed mid-download
publish 3
kiosk_config /slow "retries = 0"
"$BIN/kiosk-sync" --config "$K/kiosk.ini" run 2> "$T/kill.log" &
pid=$!
wait_part 300000
kill -KILL $pid
wait $pid 2>/dev/null || true
[ "$(db_version "$K/content.db")" = 2 ] || fail "content.db changed after a killed download"
resume_and_check 3 "kiosk-sync killed"
echo "sync_resume: all passed"
