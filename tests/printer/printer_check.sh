#!/usr/bin/env bash
# printer_check.sh KIOSK CONTENT_DB OUTDIR - the printer's status asked on a schedule
# ([devices] printer_check_minutes, docs/printer.md), on the virtual clock, against the
# printer simulator whose state the test changes while the kiosk runs:
#  - no check while a visitor is inside, nor while a print runs; one once the kiosk
#    idles on home;
#  - the roll running out is recorded once with the time it was first seen (state.db's
#    meta printer_state / printer_state_since, which the heartbeat sends), counted once
#    for the heartbeat's usage however many checks see it, logged once for staff, and
#    the staff menu says "paper nearly out (since HH:MM)" in English and Chinese;
#  - printer_check_minutes = 0 never asks; a value over the cap is refused.
set -euo pipefail
kiosk=$1 content=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out" && mkdir -p "$out/sync"
fail() { echo "FAIL: $*"; exit 1; }
. "$here/lib.sh"
export TZ=UTC # the kiosk's local time, so the staff menu's HH:MM reads as state.db's UTC
echo ready > "$out/scenario"
sim_start "@$out/scenario" "$out"
ini() { # ini MINUTES: a kiosk with the simulator as its printer
    printf '[kiosk]\ncontent_db = %s\nstate_db = %s/state.db\nidle_seconds = 3600\n[sync]\nwork_dir = %s/sync\n' \
        "$content" "$out" "$out"
    printf '[devices]\nprinter = %s\nprinter_check_minutes = %s\n' "$(cat "$out/pty")" "$1"
}
ini 10 > "$out/kiosk.ini"
cat > "$out/check.kscript" <<KS
now 2026-11-28T10:00
lang en
open guides
idle 900
expect-job printer-check none
home
job print "while [ ! -e $out/printed ]; do sleep 0.1; done"
idle 120
expect-job printer-check none
sh "touch $out/printed"
wait-job print 30
idle 61
wait-job printer-check 30
expect-job printer-check ok
sh "echo near-end > $out/scenario"
idle 660
wait-job printer-check 30
expect-job printer-check ok
idle 660
wait-job printer-check 30
expect-job printer-check ok
staff "246810"
expect-screen staff
wait-job printer-status 30
tree staff-en
lang zh
tree staff-zh
KS
"$kiosk" --headless --config "$out/kiosk.ini" --script "$out/check.kscript" --out "$out" 2> "$out/stderr" ||
    { tail -20 "$out/stderr"; fail "the scheduled check script"; }

q() { sqlite3 "$out/state.db" "$1"; }
[ "$(q "SELECT value FROM meta WHERE key = 'printer_state'")" = paper-near-end ] ||
    fail "state.db does not record the paper near its end"
since=$(q "SELECT value FROM meta WHERE key = 'printer_state_since'")
# seen by the first check after the roll ran low (10:18 + 10 min), kept by the next ones
[[ $since =~ ^2026-11-28T10:2[0-9]:[0-9][0-9]Z$ ]] || fail "near end since $since, not the first check that saw it"
hhmm=${since:11:5}
[ "$(q "SELECT views FROM usage WHERE kind = 'printer' AND ref = 'paper-near-end'")" = 1 ] ||
    fail "the near end was not counted exactly once (two checks saw it)"
[ "$(q "SELECT count(*) FROM staff_log WHERE what = 'printer: paper-near-end (scheduled check)'")" = 1 ] ||
    fail "the change is not logged exactly once for staff"
[ "$(q "SELECT count(*) FROM staff_log WHERE what = 'printer: ready (scheduled check)'")" = 1 ] ||
    fail "the first check (ready) is not logged once"
grep -q "\"Paper nearly out: change the roll soon (since $hhmm)\"" "$out/staff-en.json" ||
    fail "the staff menu does not say since $hhmm: $(grep -o '"[^"]*roll[^"]*"' "$out/staff-en.json")"
grep -q "\"纸快用完了，请尽快换纸（${hhmm}起）\"" "$out/staff-zh.json" ||
    fail "the Chinese staff menu does not say since $hhmm"
echo "ok: paper near end seen at $since by the scheduled check, counted once, shown to staff in zh and en"

# off: however long the kiosk idles, nobody asks the printer
ini 0 > "$out/off.ini"
printf 'now 2026-11-28T10:00\nidle 3600\nexpect-job printer-check none\n' > "$out/off.kscript"
"$kiosk" --headless --config "$out/off.ini" --script "$out/off.kscript" --out "$out/off" 2> "$out/off.stderr" ||
    { tail -20 "$out/off.stderr"; fail "printer_check_minutes = 0 still checks"; }
echo "ok: printer_check_minutes = 0 never asks"

ini 1441 > "$out/cap.ini"
if "$kiosk" --headless --config "$out/cap.ini" --script "$out/off.kscript" --out "$out/cap" 2> "$out/cap.stderr"; then
    fail "printer_check_minutes = 1441 was accepted"
fi
grep -q "printer_check_minutes" "$out/cap.stderr" || fail "the refusal does not name the key: $(cat "$out/cap.stderr")"
sim_stop
echo "ok: printer_check_minutes over its cap is refused: $(head -1 "$out/cap.stderr")"
