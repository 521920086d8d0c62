#!/usr/bin/env bash
# print_tour.sh KIOSK CONTENT_DB OUTDIR - the print buttons through the tour's checks:
# with [devices] printer set (a path that need not exist: nothing prints), the screens
# that print - a guide, a "one thing" list, a document with attachments, and the
# receipt after a service rating, scrolled to its end - are shot in both languages, all three themes,
# portrait and landscape, and check_tour.py checks every shot (contrast, touch targets,
# truncation, QR codes). Each shot must show its print button whole on the screen.
set -euo pipefail
kiosk=$1 content=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out" && mkdir -p "$out/sync"
fail() { echo "FAIL: $*"; exit 1; }
printf '[kiosk]\ncontent_db = %s\nstate_db = %s/state.db\n[sync]\nwork_dir = %s/sync\n[devices]\nprinter = %s/lp0\n' \
    "$content" "$out" "$out" "$out" > "$out/kiosk.ini"

# view NAME SUFFIX STEPS: the steps, then a shot and a tree, then home
view() { printf '%s\nshot %s-%s\ntree %s-%s\nhome\n' "$3" "$1" "$2" "$1" "$2"; }
{
    echo "now 2026-11-28T09:30"
    for size in "1080 1920 portrait" "1920 1080 landscape"; do
        set -- $size
        echo "size $1 $2"
        orient=$3
        for theme in standard large contrast; do
            echo "theme $theme"
            for lang in zh en; do
                echo "lang $lang"
                sfx=$lang-$theme-$orient
                view guide "$sfx" "open guide marriage-reg"
                view onething "$sfx" "open onething onething-company"
                view doc "$sfx" "open doc soc-school-enrolment-2026"
                view receipt "$sfx" "tap-id tile.feedback
tap-id form.open.service-rating
tap-id choice.rating.satisfied
tap-id form.next
tap-id form.submit
expect-screen receipt
scroll receipt.scroll 3000"
            done
        done
    done
} > "$out/run.kscript"
"$kiosk" --headless --config "$out/kiosk.ini" --script "$out/run.kscript" --out "$out" 2> "$out/stderr" ||
    { tail -20 "$out/stderr"; fail "the script failed"; }

# every shot shows its screen's print button whole, inside its scrolling area and the screen
/usr/bin/python3 - "$out" <<'PY' || fail "a print button is missing or not wholly on the screen"
import glob, json, os, sys
ids = {"guide": "guide.print", "onething": "onething.print", "doc": "doc.print", "receipt": "receipt.print"}
n = 0
for p in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    t = json.load(open(p))
    name = os.path.basename(p).split("-")[0]
    sw, sh = t.get("size", [10**6, 10**6])
    b = [w for w in t["widgets"] if w["id"] == ids[name]]
    assert len(b) == 1, f"{p}: {ids[name]}: {len(b)} found"
    x, y, w, h = b[0]["rect"]
    cx, cy, cw, ch = b[0].get("clip") or (0, 0, sw, sh)
    assert x >= cx and y >= cy and x + w <= cx + cw and y + h <= cy + ch, f"{p}: {ids[name]} at {b[0]['rect']} outside {cx, cy, cw, ch}"
    assert x + w <= sw and y + h <= sh, f"{p}: {ids[name]} off the screen"
    n += 1
assert n == 48, f"{n} shots, want 48"
print(f"print buttons: {n} shots, each shows its button")
PY
"$here/../scripts/check_tour.py" "$out" || fail "the tour's checks"
