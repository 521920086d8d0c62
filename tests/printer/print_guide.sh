#!/usr/bin/env bash
# print_guide.sh KIOSK CONTENT_DB CONTENT_DIR OUTDIR - a guide's checklist printed in
# Chinese and English through the printer simulator: the screen says it printed; the
# slip decoded from the captured ESC/POS stream carries the guide's QR code, which
# zbarimg reads as the guide_url of the content source; the slip's tree has the
# service's name and one tick box per material, in the visitor's language, as the
# content source (not the firmware) spells them.
set -euo pipefail
kiosk=$1 content=$2 src=$3 out=$4
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out" && mkdir -p "$out"
fail() { echo "FAIL: $*"; exit 1; }
. "$here/lib.sh"
service=marriage-reg

for lang in zh en; do
    dir=$out/$lang
    mkdir -p "$dir/sync"
    sim_start ready "$dir"
    printf '[kiosk]\ncontent_db = %s\nstate_db = %s/state.db\n[sync]\nwork_dir = %s/sync\n[devices]\nprinter = %s\n' \
        "$content" "$dir" "$dir" "$(cat "$dir/pty")" > "$dir/kiosk.ini"
    printed=$([ $lang = zh ] && echo "已打印" || echo "Printed: please take")
    cat > "$dir/run.kscript" <<KS
now 2026-11-28T10:00
lang $lang
open guide $service
tap-id guide.print
wait-job print 30
expect-job print ok
expect "$printed"
shot guide-printed
KS
    "$kiosk" --headless --config "$dir/kiosk.ini" --script "$dir/run.kscript" --out "$dir" 2> "$dir/stderr" ||
        { tail -20 "$dir/stderr"; fail "$lang: the script failed"; }
    sim_stop
    qr=$(slip_qr "$dir" 576)
    /usr/bin/python3 - "$src/services/$service.json" "$dir/sync/print-slip.json" "$lang" "$qr" <<'PY' || fail "$lang: the slip"
import json, sys
svc = json.load(open(sys.argv[1]))
tree = json.load(open(sys.argv[2]))
lang, qr = sys.argv[3], sys.argv[4]
assert qr == svc["guide_url"], "QR %r, want %r" % (qr, svc["guide_url"])
w = tree["widgets"]
title = [x["label"] for x in w if x["id"] == "slip.title"]
assert title == [svc["name"][lang]], title
ticks = [x["label"] for x in w if x["id"] == "slip.material"]
want = [m["name"][lang] for m in svc["materials"]]
assert len(ticks) == len(want) and all(n in t for t, n in zip(ticks, want)), (ticks, want)
assert not any(x["truncated"] for x in w), "a slip line was cut"
PY
    echo "ok: $lang: checklist of $service printed, ${#qr}-character QR code reads $qr"
done
