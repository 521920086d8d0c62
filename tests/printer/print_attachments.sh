#!/usr/bin/env bash
# print_attachments.sh KIOSK KIOSK_BUNDLE CONTENT_DB CONTENT_DIR OUTDIR - a document's
# attachment QR codes printed in Chinese and English through the printer simulator:
# the screen says it printed; zbarimg reads every QR code of the slip decoded from the
# captured ESC/POS stream, and they are the attachments' urls of the content source;
# the slip's tree has the document's title and number and each attachment's name, in
# order. A document with 11 attachments (content built here from a copy of the source)
# prints the first 8 and says how many more. The print is counted (usage kind print,
# ref attachments). With the paper out nothing is sent and the screen says why.
set -euo pipefail
kiosk=$1 bundle=$2 content=$3 src=$4 out=$5
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out" && mkdir -p "$out"
fail() { echo "FAIL: $*"; exit 1; }
. "$here/lib.sh"
doc=soc-school-enrolment-2026

# run NAME SCENARIO LANG CONTENT STEPS: the document's screen, Print, then STEPS
run() {
    sim_kiosk "$1" "$2" "$4" "$(printf 'now 2026-11-28T10:00\nlang %s\nopen doc %s\ntap-id doc.print\nwait-job print 30\n%s' "$3" "$doc" "$5")"
}

# check NAME LANG SOURCE_JSON: the slip of run NAME against the document's source
check() {
    local name=$1 lang=$2 json=$3 dir=$out/$1
    /usr/bin/python3 "$printer_dir/escpos_decode.py" "$dir/captured.bin" "$dir/slip.png" > "$dir/decoded" ||
        fail "$name: the captured stream does not decode"
    grep -q "^576x[0-9]* cuts=1 slips=1\$" "$dir/decoded" || fail "$name: decoded $(cat "$dir/decoded")"
    zbarimg --quiet --raw "$dir/slip.png" > "$dir/qr.txt" || fail "$name: zbarimg found no QR code on the slip"
    /usr/bin/python3 - "$json" "$dir/sync/print-slip.json" "$lang" "$dir/qr.txt" <<'PY' || fail "$name: the slip"
import json, sys
d = json.load(open(sys.argv[1]))
w = json.load(open(sys.argv[2]))["widgets"]
lang = sys.argv[3]
read = open(sys.argv[4]).read().split("\n")[:-1]
att = d["attachments"][:8]
want = [a["url"] for a in att]
assert sorted(read) == sorted(want), "zbarimg read %r, want %r" % (read, want)
label = lambda i: [x["label"] for x in w if x["id"] == i]
assert label("slip.title") == [d["title"][lang]], label("slip.title")
if d.get("doc_no"):
    assert len(label("slip.doc_no")) == 1 and d["doc_no"][lang] in label("slip.doc_no")[0], label("slip.doc_no")
assert len(label("slip.published")) == 1 and d["published"][:4] in label("slip.published")[0], label("slip.published")
for i, a in enumerate(att):
    assert label(f"slip.attachment.{i}") == [f"{i + 1}. {a['name'][lang]}"], (i, label(f"slip.attachment.{i}"))
    assert label(f"slip.qr.{i}") == [a["url"]], (i, label(f"slip.qr.{i}"))
more = len(d["attachments"]) - len(att)
assert label(f"slip.attachment.{len(att)}") == [], "more than 8 attachments on one slip"
if more:
    assert len(label("slip.more")) == 1 and str(more) in label("slip.more")[0], label("slip.more")
else:
    assert label("slip.more") == [], label("slip.more")
assert not any(x["truncated"] for x in w), "a slip line was cut"
print(len(read))
PY
    [ "$(sqlite3 "$dir/state.db" "SELECT views FROM usage WHERE kind='print' AND ref='attachments'")" = 1 ] ||
        fail "$name: the print was not counted"
}

for lang in zh en; do
    printed=$([ $lang = zh ] && echo "已打印" || echo "Printed: please take")
    run $lang ready $lang "$content" "expect-job print ok
expect \"$printed\"
shot printed"
    n=$(check $lang $lang "$src/disclosure/docs/$doc.json")
    echo "ok: $lang: $doc printed, zbarimg read its $n attachment addresses"
done

# 11 attachments: a copy of the content where the document has them
mkdir -p "$out/many"
cp -r "$src" "$out/many/src"
/usr/bin/python3 - "$out/many/src/disclosure/docs/$doc.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["attachments"] = [{"name": {"zh": f"附件{i + 1}：招生区域图", "en": f"Annex {i + 1}: catchment map"},
                     "url": f"https://www.example.gov.cn/attach/jyj/2026/annex-{i + 1:02d}.pdf", "size": "1 MB"}
                    for i in range(11)]
json.dump(d, open(sys.argv[1], "w"), ensure_ascii=False, indent=2)
PY
"$bundle" build "$out/many/src" -o "$out/many/content.db" > "$out/many/build.log" 2>&1 ||
    { cat "$out/many/build.log"; fail "many: the content does not build"; }
run many ready en "$out/many/content.db" "expect-job print ok
expect \"Printed: please take\""
n=$(check many en "$out/many/src/disclosure/docs/$doc.json")
echo "ok: 11 attachments: the first $n printed, the slip says 3 more"

# paper end: nothing sent, the screen says why and where the QR codes are
run paper-end paper-end en "$content" 'expect-job print failed
expect "out of paper"
tree paper-end'
[ ! -s "$out/paper-end/captured.bin" ] || fail "paper-end: bytes were sent to a printer without paper"
/usr/bin/python3 - "$out/paper-end/paper-end.json" <<'PY' || fail "paper-end: the screen does not say why"
import json, sys
w = json.load(open(sys.argv[1]))["widgets"]
state = [x["label"] for x in w if x["id"] == "print.state"]
assert len(state) == 1 and "out of paper" in state[0] and "Download (QR)" in state[0], state
assert any(x["id"].startswith("doc.qr.") for x in w), "no attachment QR button"
PY
[ -z "$(sqlite3 "$out/paper-end/state.db" "SELECT views FROM usage WHERE kind='print'")" ] ||
    fail "paper-end: a print that failed was counted as printed"
echo "ok: paper end: not printed, the screen says why"
