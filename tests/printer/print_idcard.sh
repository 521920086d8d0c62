#!/usr/bin/env bash
# print_idcard.sh KIOSK CONTENT_DB OUTDIR - a request filled from the ID card and its
# receipt printed (issue 14's combined script), in Chinese and English: the card reader
# simulator (tests/scripts/idcard_sim.py) lays a card, the form's name and ID number
# fill in, the visitor finishes and files it, "Print" sends the receipt to the printer
# simulator (printer_sim.py). The decoded slip's QR code reads the receipt's status
# address, and neither the slip's tree nor the raw bytes sent to the printer hold the
# card's name or ID number (in UTF-8, or UCS-2 as the card has them).
set -euo pipefail
kiosk=$1 content=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out" && mkdir -p "$out"
fail() { echo "FAIL: $*"; exit 1; }
. "$here/lib.sh"
NAME=欧阳娜娜 ID=11010519491231002X ADDRESS=北京市东城区景山前街4号
reader=
trap '[ -z "$sim" ] || kill "$sim" 2>/dev/null || true; [ -z "$reader" ] || kill "$reader" 2>/dev/null || true' EXIT

# run LANG STEPS: the kiosk with both simulators, on a fresh state.db, in out/LANG
run() {
    local dir=$out/$1
    mkdir -p "$dir/sync"
    sim_start ready "$dir"
    /usr/bin/python3 "$here/../scripts/idcard_sim.py" "$dir/reader" card "$NAME" "$ID" "$ADDRESS" \
        2> "$dir/reader.log" & reader=$!
    for _ in $(seq 100); do [ -e "$dir/reader" ] && break; sleep 0.05; done
    printf '[kiosk]\ncontent_db = %s\nstate_db = %s/state.db\n[sync]\nwork_dir = %s/sync\n' "$content" "$dir" "$dir" \
        > "$dir/kiosk.ini"
    printf '[devices]\nid_reader = %s/reader\nprinter = %s\npaper_mm = 58\n' "$dir" "$(cat "$dir/pty")" >> "$dir/kiosk.ini"
    printf '%s\n' "$2" > "$dir/run.kscript"
    "$kiosk" --headless --config "$dir/kiosk.ini" --script "$dir/run.kscript" --out "$dir" 2> "$dir/stderr" ||
        { tail -20 "$dir/stderr"; fail "$1: the script failed"; }
    kill "$reader" 2>/dev/null || true
    wait "$reader" 2>/dev/null || true
    reader=
    sim_stop
}

# check LANG: the form filled from the card, the slip printed with the right QR code
# and nothing of the card on it
check() {
    local dir=$out/$1
    [ "$(label "$dir/filled.json" field.name)" = "$NAME" ] || fail "$1: the name field is not the card's"
    [ "$(label "$dir/filled.json" field.id-number)" = "$ID" ] || fail "$1: the ID number field is not the card's"
    local number url qr
    number=$(label "$dir/receipt.json" receipt.number)
    url=$(label "$dir/receipt.json" receipt.url)
    [ "$url" = "https://zwfw.example.gov.cn/kiosk/status/$number" ] || fail "$1: the screen's address is $url"
    qr=$(slip_qr "$dir" 384)
    [ "$qr" = "$url" ] || fail "$1: the slip's QR code reads \"$qr\", want \"$url\""
    [ "$(label "$dir/sync/print-slip.json" slip.number)" = "$number" ] || fail "$1: the slip's number"
    /usr/bin/python3 - "$dir/sync/print-slip.json" "$dir/captured.bin" "$NAME" "$ID" <<'PY' || fail "$1: the slip holds the card's data"
import json, sys
tree, raw, name, idno = sys.argv[1:5]
labels = json.dumps(json.load(open(tree, encoding="utf-8")), ensure_ascii=False)
data = open(raw, "rb").read()
assert len(data) > 1000, "nothing was printed"
for x in (name, idno, idno[:15], idno[-6:]):
    assert x not in labels, f"{x} in the slip's tree"
    for enc in ("utf-8", "utf-16-le", "gb18030"):
        assert x.encode(enc) not in data, f"{x} ({enc}) in the bytes sent to the printer"
PY
    echo "ok: $1: filled from the card, filed, slip $number printed; its QR code reads $qr; no name or ID on it"
}

# after the delivery step: contact details, review (the number masked), file, print
finish="tap-id form.next
tap-id field.phone
type \"13800138000\"
tap-id kb.done
tap-id field.email
type \"wang@example.com\"
tap-id kb.done
tap-id form.next
expect \"110***********002X\"
scroll form.scroll 3000
tap-id form.submit
expect-screen receipt
tree receipt
tap-id receipt.print
wait-job print 30
expect-job print ok"

run zh "now 2026-11-27T10:00
tap-id tile.request
tap \"公民（个人）\"
wait-for \"已从身份证读取姓名和证件号码，请核对。\" 10
tree filled
tap-id form.next
expect \"第 2 步，共 4 步：所需信息\"
tap-id field.info-title
ime \"yusuan\" 0
tap \"预算\"
tap-id kb.done
tap-id form.next
tap \"电子\"
tap \"电子邮件\"
$finish
expect \"已打印\"
shot printed"
check zh

run en "now 2026-11-27T10:00
tap-id chrome.lang
tap-id tile.request
tap \"Citizen (an individual)\"
wait-for \"Your name and ID number were read from the card: please check them.\" 10
tree filled
tap-id form.next
expect \"Step 2 of 4\"
tap-id field.info-doc-no
tap \"ABC\"
type \"Shi Cai Fa 2025 No 12\"
tap-id kb.done
tap-id form.next
tap \"Electronic\"
tap \"By email\"
$finish
expect \"Printed: please take the slip\"
shot printed"
check en
