#!/usr/bin/env bash
# engines_missing.sh KIOSK CONTENT_DB OUTDIR - without its pinyin dictionary the
# keyboard falls back to Latin letters, and without espeak-ng's data the read-aloud
# switch says it cannot read, in both languages; neither stops the kiosk (issue 18).
# The kiosk is run from a copy with no "ime" beside it, and ESPEAK_DATA_PATH points
# at an empty folder.
set -euo pipefail
kiosk=$1 content=$2 out=$3
rm -rf "$out" && mkdir -p "$out/bin" "$out/espeak-data"
cp "$kiosk" "$out/bin/kiosk"
cat > "$out/missing.kscript" <<'KS'
now 2026-11-28T10:00
tap-id nav.search
expect "拼音"
tap-id kb.k.a
expect-value search.query "a"
tap-id kb.k.b
expect-value search.query "ab"
expect-loaded ime no
tap "符号"
expect-not "拼音"
tap "英文"
type "c"
expect-value search.query "abc"
tap "朗读"
wait-for "无法朗读" 10
expect-loaded speech no
tap "English"
expect "No speech"
tap "No speech"
expect "Read aloud"
KS
if ! ESPEAK_DATA_PATH="$out/espeak-data" "$out/bin/kiosk" --headless --content "$content" \
     --state "$out/state.db" --script "$out/missing.kscript" --out "$out" 2> "$out/stderr"; then
  cat "$out/stderr"
  echo "FAIL: the kiosk without its pinyin dictionary or speech data"
  exit 1
fi
grep -q "pinyin input unavailable" "$out/stderr" || { cat "$out/stderr"; echo "FAIL: no log line for the missing pinyin engine"; exit 1; }
echo "engines_missing: Latin letters without pinyin, \"no speech\" without espeak-ng's data"
