#!/usr/bin/env bash
# print_onething.sh KIOSK CONTENT_DB CONTENT_DIR OUTDIR - a "one thing" list printed in
# Chinese and English through the printer simulator: the screen says it printed; the
# slip decoded from the captured ESC/POS stream carries the list's QR code, which
# zbarimg reads as the url of the content source; the slip's tree has the list's name,
# every step's service in order with its window and floor (from hall.json), and one
# tick box per material of each step's guide, as the content source spells them. The
# print is counted (usage kind print, ref onething). With the paper out nothing is
# sent, the screen says why and the list's QR code stays on the screen.
set -euo pipefail
kiosk=$1 content=$2 src=$3 out=$4
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out" && mkdir -p "$out"
fail() { echo "FAIL: $*"; exit 1; }
. "$here/lib.sh"
thing=onething-company

# run NAME SCENARIO LANG STEPS: the list's screen, Print, then STEPS
run() {
    sim_kiosk "$1" "$2" "$content" "$(printf 'now 2026-11-28T10:00\nlang %s\nopen onething %s\ntap-id onething.print\nwait-job print 30\n%s' "$3" "$thing" "$4")"
}

for lang in zh en; do
    dir=$out/$lang
    printed=$([ $lang = zh ] && echo "已打印" || echo "Printed: please take")
    run $lang ready $lang "expect-job print ok
expect \"$printed\"
shot printed"
    qr=$(slip_qr "$dir" 576)
    /usr/bin/python3 - "$src" "$thing" "$dir/sync/print-slip.json" "$lang" "$qr" <<'PY' || fail "$lang: the slip"
import json, sys
src, thing, tree, lang, qr = sys.argv[1:6]
o = json.load(open(f"{src}/onething/{thing}.json"))
hall = json.load(open(f"{src}/hall.json"))
windows = {w["id"]: w for w in hall["windows"]}
assert qr == o["url"], "QR %r, want %r" % (qr, o["url"])
w = json.load(open(tree))["widgets"]
labels = lambda i: [x["label"] for x in w if x["id"] == i]
assert labels("slip.title") == [o["name"][lang]], labels("slip.title")
steps, wins, ticks = labels("slip.step"), labels("slip.window"), labels("slip.material")
assert len(steps) == len(o["steps"]) and len(wins) == len(o["steps"]), (steps, wins)
want_ticks = []
for i, st in enumerate(o["steps"]):
    svc = json.load(open(f"{src}/services/{st['service']}.json"))
    assert svc["name"][lang] in steps[i] and str(i + 1) in steps[i], (i, steps[i], svc["name"][lang])
    win = windows[svc["window"]]
    assert win["name"][lang] in wins[i] and str(win["floor"]) in wins[i], (i, wins[i], win)
    want_ticks += [m["name"][lang] for m in svc["materials"]]
assert len(ticks) == len(want_ticks) and all(t.startswith(n) for t, n in zip(ticks, want_ticks)), (ticks, want_ticks)
# the steps come in order on the paper, each above its materials
ys = {x["label"]: x["rect"][1] for x in w if x["id"] == "slip.step"}
assert [ys[s] for s in steps] == sorted(ys[s] for s in steps), "steps out of order"
assert not any(x["truncated"] for x in w), "a slip line was cut"
PY
    [ "$(sqlite3 "$dir/state.db" "SELECT views FROM usage WHERE kind='print' AND ref='onething'")" = 1 ] ||
        fail "$lang: the print was not counted"
    echo "ok: $lang: list $thing printed, its QR code reads $qr"
done

# paper end: nothing sent, the screen says why and keeps the list's QR code
run paper-end paper-end en 'expect-job print failed
expect "out of paper"
expect "scan the QR code at the bottom"
tree paper-end'
[ ! -s "$out/paper-end/captured.bin" ] || fail "paper-end: bytes were sent to a printer without paper"
/usr/bin/python3 - "$src/onething/$thing.json" "$out/paper-end/paper-end.json" <<'PY' || fail "paper-end: no QR code on the screen"
import json, sys
url = json.load(open(sys.argv[1]))["url"]
qr = [x["label"] for x in json.load(open(sys.argv[2]))["widgets"] if x["role"] == "qr"]
assert qr == [url], (qr, url)
PY
[ -z "$(sqlite3 "$out/paper-end/state.db" "SELECT views FROM usage WHERE kind='print'")" ] ||
    fail "paper-end: a print that failed was counted as printed"
echo "ok: paper end: not printed, the screen says why and keeps the list's QR code"
