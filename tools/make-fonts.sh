#!/usr/bin/env bash
# Regenerate the kiosk's subset fonts:
#   fonts/NotoSansSC-Regular-subset.otf
#   fonts/NotoSansSC-Bold-subset.otf
# from the Simplified Chinese face of Debian's fonts-noto-cjk collections.
#
# Needs only Debian packages: fonts-noto-cjk, python3-fonttools, unicode-data.
# pyftsubset is run as "python3 -m fontTools.subset" (the /usr/bin/pyftsubset
# wrapper lives in the separate "fonttools" package, which is not required).
# Takes no arguments; run from anywhere. Re-running on the same inputs
# (same packages, same files under assets/, firmware/ and sync/) gives byte-identical
# output. See fonts/README.md for what is in the subset and why.
set -euo pipefail

PY=/usr/bin/python3
NOTO_DIR=/usr/share/fonts/opentype/noto
UNICODE_DIR=/usr/share/unicode

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT_DIR="$ROOT/fonts"

for f in "$PY" "$NOTO_DIR/NotoSansCJK-Regular.ttc" "$NOTO_DIR/NotoSansCJK-Bold.ttc"; do
  [[ -e "$f" ]] || { echo "make-fonts: missing $f" >&2; exit 1; }
done

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"; rm -f "$OUT_DIR"/NotoSansSC-*-subset.otf.tmp' EXIT

# ---------------------------------------------------------------------------
# 1. The character list (one U+XXXX per line, sorted, for pyftsubset).
# ---------------------------------------------------------------------------
"$PY" - "$ROOT" "$UNICODE_DIR" "$WORK/unicodes.txt" <<'PYEOF'
import bz2, io, json, os, sys, zipfile

root, unidir, out = sys.argv[1], sys.argv[2], sys.argv[3]
cps = set()

def add_range(lo, hi):
    cps.update(range(lo, hi + 1))

# --- Fixed ranges ----------------------------------------------------------
add_range(0x0020, 0x007E)  # Basic Latin (printable)
add_range(0x00A0, 0x00FF)  # Latin-1 Supplement (incl. U+00B7 middle dot, ü)
add_range(0x0100, 0x017F)  # Latin Extended-A (pinyin ā ē ī ō ū ...)
add_range(0x01CD, 0x01DC)  # Latin Extended-B pinyin: ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ (+ capitals)
add_range(0x01F8, 0x01F9)  # Ǹ ǹ (pinyin ň̀ / ǹ)
add_range(0x1E3E, 0x1E3F)  # Ḿ ḿ (pinyin m with acute)
cps.update((0x0251, 0x0261))  # ɑ ɡ (pinyin-style a, g in GB 2312)
add_range(0x02B0, 0x02FF)  # Spacing Modifier Letters (ˇ ˉ ˊ ˋ ˙ tone marks)
add_range(0x0300, 0x036F)  # Combining Diacritical Marks (ê̄ ê̌, decomposed pinyin)
add_range(0x2000, 0x206F)  # General Punctuation (— … ‘ ’ “ ” ‰ ※ U+2027)
add_range(0x20A0, 0x20CF)  # Currency Symbols (€ ₩ ...; ¥ is in Latin-1)
add_range(0x2100, 0x214F)  # Letterlike Symbols (№ ℃ ℉ ™)
add_range(0x2150, 0x218F)  # Number Forms (Ⅰ–Ⅻ ⅰ–ⅹ)
add_range(0x2190, 0x21FF)  # Arrows
add_range(0x2200, 0x22FF)  # Mathematical Operators (± × ÷ are Latin-1; ≤ ≥ ≈ ≠ ∞)
add_range(0x2460, 0x24FF)  # Enclosed Alphanumerics (①–⑳ ⑴–⒇ ⒈–⒛)
add_range(0x25A0, 0x25FF)  # Geometric Shapes (■ □ ▲ △ ● ○ ◆ ◇)
add_range(0x2600, 0x26FF)  # Miscellaneous Symbols (★ ☆ ☎ ...)
add_range(0x2700, 0x27BF)  # Dingbats (✓ ✔ ✗ ✘ ...)
add_range(0x3000, 0x303F)  # CJK Symbols and Punctuation
add_range(0x3220, 0x3229)  # ㈠–㈩ (GB 2312 row 8; also via the codec below)
cps.add(0x30FB)            # ・ katakana middle dot
cps.add(0x2027)            # ‧ hyphenation point
cps.add(0x00B7)            # · middle dot
add_range(0xFF00, 0xFFEF)  # Halfwidth and Fullwidth Forms

# --- Unihan: kTGH (通用规范汉字表, 8105) and kGB0 (GB 2312 hanzi) -----------
def unihan_text(name):
    for cand in (name, name + ".bz2"):
        p = os.path.join(unidir, cand)
        if os.path.exists(p):
            if p.endswith(".bz2"):
                return bz2.open(p, "rt", encoding="utf-8").read()
            return open(p, encoding="utf-8").read()
    for z in ("Unihan.zip", "Unihan.zip".lower()):
        p = os.path.join(unidir, z)
        if os.path.exists(p):
            with zipfile.ZipFile(p) as zf:
                return zf.read(name).decode("utf-8")
    sys.exit("make-fonts: cannot find %s under %s" % (name, unidir))

fields = {"kTGH": set(), "kGB0": set()}
for line in unihan_text("Unihan_OtherMappings.txt").splitlines():
    if not line.startswith("U+"):
        continue
    cp, field, _ = line.split("\t", 2)
    if field in fields:
        fields[field].add(int(cp[2:], 16))
if len(fields["kTGH"]) != 8105:
    sys.exit("make-fonts: expected 8105 kTGH characters, found %d" % len(fields["kTGH"]))
if len(fields["kGB0"]) < 6763:
    sys.exit("make-fonts: expected >= 6763 kGB0 characters, found %d" % len(fields["kGB0"]))
cps |= fields["kTGH"] | fields["kGB0"]

# --- GB 2312: the non-Han rows too (symbols, Greek, Cyrillic, kana, bopomofo,
#     box drawing), enumerated through Python's own gb2312 codec. ------------
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            s = bytes((hi, lo)).decode("gb2312")
        except UnicodeDecodeError:
            continue
        cps.update(ord(c) for c in s)

# --- Every character in the kiosk's own text files ---------------------------
def walk_json(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, dict):
        for k, x in v.items():
            yield k
            yield from walk_json(x)
    elif isinstance(v, list):
        for x in v:
            yield from walk_json(x)

content = set()
nfiles = 0
for top in ("assets", "firmware", "sync"):  # sync/: usb-messages.tsv, shown by the kiosk
    base = os.path.join(root, top)
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames.sort()
        for fn in sorted(filenames):
            if not fn.endswith((".json", ".tsv", ".txt", ".md")):
                continue
            path = os.path.join(dirpath, fn)
            rel = os.path.relpath(path, root)
            try:
                raw = open(path, "rb").read()
            except OSError as e:
                print("make-fonts: warning: cannot read %s: %s" % (rel, e), file=sys.stderr)
                continue
            nfiles += 1
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                print("make-fonts: warning: %s: invalid UTF-8 at byte %d; "
                      "using the decodable parts" % (rel, e.start), file=sys.stderr)
                text = raw.decode("utf-8", errors="ignore")
            content.update(text)
            if fn.endswith(".json"):
                # Also pick up characters written as \uXXXX escapes.
                try:
                    for s in walk_json(json.loads(text)):
                        content.update(s)
                except ValueError:
                    print("make-fonts: warning: %s is not valid JSON (yet?); "
                          "only its raw text was scanned" % rel, file=sys.stderr)
content = {ord(c) for c in content if ord(c) >= 0x20 and not (0xD800 <= ord(c) <= 0xDFFF)}
new = content - cps
cps |= content

with open(out, "w", encoding="ascii") as f:
    for cp in sorted(cps):
        f.write("U+%04X\n" % cp)
print("make-fonts: %d code points requested (kTGH %d, kGB0 %d, %d files scanned, "
      "%d extra from content)" % (len(cps), len(fields["kTGH"]), len(fields["kGB0"]),
                                  nfiles, len(new)), file=sys.stderr)
PYEOF

# ---------------------------------------------------------------------------
# 2. Subset the SC face of each collection.
# ---------------------------------------------------------------------------
sc_index() {  # print the collection index whose family name is "Noto Sans CJK SC"
  "$PY" - "$1" <<'PYEOF'
import sys
from fontTools.ttLib import TTCollection
coll = TTCollection(sys.argv[1], lazy=True)
hits = [i for i, f in enumerate(coll.fonts) if f["name"].getDebugName(1) == "Noto Sans CJK SC"]
if len(hits) != 1:
    sys.exit("make-fonts: no unique 'Noto Sans CJK SC' face in %s" % sys.argv[1])
print(hits[0])
PYEOF
}

subset() {  # subset <weight>
  local weight="$1"
  local src="$NOTO_DIR/NotoSansCJK-$weight.ttc"
  local dst="$OUT_DIR/NotoSansSC-$weight-subset.otf"
  local idx
  idx="$(sc_index "$src")"
  # Layout features: only what horizontal Chinese/Latin text needs.
  #   ccmp, mark  - compose/position combining marks (decomposed pinyin)
  #   liga, calt  - Latin ligatures / contextual forms
  #   kern        - Latin/punctuation kerning
  # Dropped: locl (would pull in the JP/KR/TC glyph variants), vert/vrt2/vkrn/
  # vpal/vhal (vertical text), palt/halt (proportional CJK), aalt, fwid/hwid/
  # pwid, ruby, hist, dlig, Hangul jamo features.
  # Hinting: the CFF stem hints are kept; dropping them (--no-hinting) would
  # save only ~15% (about 0.35 MB per file) and they still help FreeType at
  # the kiosk's smallest sizes (20 px). Subroutines are kept (smaller file).
  "$PY" -m fontTools.subset "$src" \
    --font-number="$idx" \
    --unicodes-file="$WORK/unicodes.txt" \
    --layout-features='ccmp,mark,liga,calt,kern' \
    --layout-scripts='*' \
    --notdef-glyph --notdef-outline \
    --name-IDs='*' --name-languages='*' --name-legacy \
    --drop-tables+=vhea,vmtx,VORG \
    --no-recalc-timestamp \
    --output-file="$WORK/out.otf"
  # Copy next to the target and rename, so readers never see a partial file.
  cp "$WORK/out.otf" "$dst.tmp"
  mv -f "$dst.tmp" "$dst"
  echo "make-fonts: $dst ($(stat -c %s "$dst") bytes, face index $idx)" >&2
}

mkdir -p "$OUT_DIR"
subset Regular
subset Bold
