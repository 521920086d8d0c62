#!/usr/bin/env bash
# call_staff_jobs.sh KIOSK CONTENT_DB OUTDIR - "call staff" rings the configured bell
# as a background job: 200 presses leave no zombie process behind, the bell really
# rang, and the kiosk never waited for it (a bell that takes 2 s to ring does not stop
# the next tap from being handled at once).
set -euo pipefail
kiosk=$1 content=$2 out=$3
rm -rf "$out" && mkdir -p "$out/sync"
cat > "$out/kiosk.ini" <<INI
[kiosk]
content_db = $content
state_db = $out/state.db
call_staff_command = echo rang >> '$out/bell.log'
[sync]
work_dir = $out/sync
INI
{
  echo "now 2026-11-28T10:00"
  for i in $(seq 200); do
    echo "tap-id chrome.staff"
    echo "expect-screen call-staff"
    echo "tap-id dialog.ok"
  done
  echo "expect-no-zombies"
  echo "expect-job call-staff ok"
} > "$out/presses.kscript"
"$kiosk" --headless --config "$out/kiosk.ini" --script "$out/presses.kscript" --out "$out" 2> "$out/stderr" ||
  { tail -20 "$out/stderr"; exit 1; }
rang=$(wc -l < "$out/bell.log")
[ "$rang" -ge 1 ] && [ "$rang" -le 200 ] || { echo "FAIL: the bell rang $rang times for 200 presses"; exit 1; }
echo "ok: 200 presses of call staff, the bell rang $rang times, no zombie left"

# a slow bell: the next press is handled while it still rings, and no second copy starts
sed -i "s|^call_staff_command = .*|call_staff_command = sleep 2; echo slow >> '$out/slow.log'|" "$out/kiosk.ini"
cat > "$out/slow.kscript" <<'KS'
now 2026-11-28T10:00
tap-id chrome.staff
expect-job call-staff running
tap-id dialog.ok
tap-id tile.help
expect-screen help
tap-id chrome.staff
expect-screen call-staff
expect-job call-staff running
wait-job call-staff 20
expect-job call-staff ok
expect-no-zombies
KS
"$kiosk" --headless --config "$out/kiosk.ini" --script "$out/slow.kscript" --out "$out" 2> "$out/stderr" ||
  { tail -20 "$out/stderr"; exit 1; }
[ "$(wc -l < "$out/slow.log")" = 1 ] || { echo "FAIL: the slow bell rang $(wc -l < "$out/slow.log") times, expected once"; exit 1; }
echo "ok: a slow bell did not hold up the screen and rang once for two presses"
echo "2 passed, 0 failed"
