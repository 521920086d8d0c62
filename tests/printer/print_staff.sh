#!/usr/bin/env bash
# print_staff.sh KIOSK CONTENT_DB OUTDIR - the staff menu and the printer: with the
# simulator saying the paper is nearly out, the menu says so (asked in the background
# when the menu opens); its test slip prints, and its QR code decodes to the status
# address; the near-end state is counted for the heartbeat. Without a printer the menu
# has no printer line and no test button.
set -euo pipefail
kiosk=$1 content=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out" && mkdir -p "$out/sync"
fail() { echo "FAIL: $*"; exit 1; }
. "$here/lib.sh"
sim_start near-end "$out"
printf '[kiosk]\ncontent_db = %s\nstate_db = %s/state.db\n[sync]\nwork_dir = %s/sync\n' "$content" "$out" "$out" > "$out/none.ini"
cp "$out/none.ini" "$out/kiosk.ini"
printf '[devices]\nprinter = %s\n' "$(cat "$out/pty")" >> "$out/kiosk.ini"
cat > "$out/menu.kscript" <<'KS'
now 2026-11-28T10:00
lang en
staff "246810"
expect-screen staff
wait-job printer-status 30
expect-job printer-status ok
expect "Paper nearly out: change the roll soon"
tap-id staff.print_test
wait-job print 30
expect-job print ok
expect "Paper nearly out"
shot staff-printer
KS
"$kiosk" --headless --config "$out/kiosk.ini" --script "$out/menu.kscript" --out "$out" 2> "$out/stderr" ||
    { tail -20 "$out/stderr"; fail "the staff menu script"; }
sim_stop
qr=$(slip_qr "$out" 576)
[ "$qr" = "https://zwfw.example.gov.cn/kiosk/status/" ] || fail "the test slip's QR code reads $qr"
grep -q '"label": "K0001"' "$out/sync/print-slip.json" || fail "the test slip does not name the kiosk"
[ "$(sqlite3 "$out/state.db" "SELECT views FROM usage WHERE kind='printer' AND ref='paper-near-end'")" = 1 ] ||
    fail "the nearly empty roll was not counted for the heartbeat"
echo "ok: the staff menu says the paper is nearly out; its test slip printed and its QR code reads $qr"

printf 'now 2026-11-28T10:00\nlang en\nstaff "246810"\nexpect-screen staff\nexpect-not "Print a test slip"\nexpect-not "Printer"\n' > "$out/none.kscript"
"$kiosk" --headless --config "$out/none.ini" --script "$out/none.kscript" --out "$out/none" 2> "$out/none.stderr" ||
    { tail -20 "$out/none.stderr"; fail "the staff menu without a printer"; }
echo "ok: no printer, no printer line in the staff menu"
