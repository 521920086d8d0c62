#!/usr/bin/env bash
# print_receipt.sh KIOSK CONTENT_DB OUTDIR - a request filed through the screens (the
# English and the Chinese request scripts), then "Print" on its receipt, with the
# printer simulator (printer_sim.py) on a pty as [devices] printer:
#  - ready: the job runs in the background, the screen says "printed"; the captured
#    ESC/POS stream is decoded into a picture whose QR code zbarimg reads as the
#    receipt's status address, and the slip's tree holds the receipt number and what
#    was filed, in the visitor's language;
#  - paper end: nothing is printed, the screen says why and points to the QR code;
#  - no printer configured: no print button.
set -euo pipefail
kiosk=$1 content=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
scripts=$here/../scripts
rm -rf "$out" && mkdir -p "$out"
fail() { echo "FAIL: $*"; exit 1; }
. "$here/lib.sh"

# run NAME SCENARIO LANG_SCRIPT EXTRA_STEPS: the kiosk with a fresh simulator
run() {
    local name=$1 scenario=$2 base=$3 steps=$4 dir=$out/$1
    mkdir -p "$dir/sync"
    [ "$scenario" = none ] || sim_start "$scenario" "$dir"
    {
        printf '[kiosk]\ncontent_db = %s\nstate_db = %s/state.db\n[sync]\nwork_dir = %s/sync\n' \
            "$content" "$dir" "$dir"
        [ "$scenario" = none ] || printf '[devices]\nprinter = %s\npaper_mm = 58\n' "$(cat "$dir/pty")"
    } > "$dir/kiosk.ini"
    # the request script up to its receipt (the Chinese one then goes home)
    { sed "/^tree request-.*-receipt$/q" "$scripts/$base"; printf '%s\n' "$steps"; } > "$dir/run.kscript"
    "$kiosk" --headless --config "$dir/kiosk.ini" --script "$dir/run.kscript" --out "$dir" 2> "$dir/stderr" ||
        { tail -20 "$dir/stderr"; fail "$name: the script failed"; }
    sim_stop
}

# check_slip NAME RECEIPT_TREE KIND_WORDS: the printed slip against the receipt screen
check_slip() {
    local name=$1 tree=$2 kind=$3 dir=$out/$1
    local number url
    number=$(label "$tree" receipt.number)
    url=$(label "$tree" receipt.url)
    [ "$url" = "https://zwfw.example.gov.cn/kiosk/status/$number" ] || fail "$name: the screen's address is $url"
    local qr
    qr=$(slip_qr "$dir" 384)
    [ "$qr" = "$url" ] || fail "$name: the slip's QR code reads \"$qr\", want \"$url\""
    [ "$(label "$dir/sync/print-slip.json" slip.number)" = "$number" ] || fail "$name: the slip's number"
    [ "$(label "$dir/sync/print-slip.json" slip.kind)" = "$kind" ] || fail "$name: the slip says $(label "$dir/sync/print-slip.json" slip.kind)"
    echo "ok: $name: slip $number printed, its QR code reads $qr"
}

done_steps='tap-id receipt.print
wait-job print 30
expect-job print ok
shot printed
tree printed'
run en ready request_en.kscript "$done_steps
expect \"Printed: please take the slip\""
check_slip en "$out/en/request-en-receipt.json" "Request for government information"
# counted for the heartbeat: one receipt printed, nothing about who
[ "$(sqlite3 "$out/en/state.db" "SELECT views FROM usage WHERE kind='print' AND ref='receipt'")" = 1 ] ||
    fail "en: the printed receipt was not counted"

run zh ready request_zh.kscript "$done_steps
expect \"已打印\""
zh_tree=$(ls "$out"/zh/*receipt*.json | head -1)
check_slip zh "$zh_tree" "政府信息公开申请"

run paper-end paper-end request_en.kscript 'tap-id receipt.print
wait-job print 30
expect-job print failed
expect "out of paper"
expect "scan this page'"'"'s QR code"
shot paper-end
tree paper-end'
label "$out/paper-end/paper-end.json" receipt.qr | grep -q '^https://zwfw.example.gov.cn/kiosk/status/' ||
    fail "paper-end: no QR code on the screen"
[ ! -s "$out/paper-end/captured.bin" ] || fail "paper-end: bytes were sent to a printer without paper"
[ "$(sqlite3 "$out/paper-end/state.db" "SELECT views FROM usage WHERE kind='printer' AND ref='paper-end'")" = 1 ] ||
    fail "paper-end: the empty roll was not counted for staff"
[ -z "$(sqlite3 "$out/paper-end/state.db" "SELECT views FROM usage WHERE kind='print'")" ] ||
    fail "paper-end: a print that failed was counted as printed"
echo "ok: paper end: not printed, the screen says why and shows the QR code"

run none none request_en.kscript 'expect-not "Print"'
echo "ok: no printer configured, no print button"
