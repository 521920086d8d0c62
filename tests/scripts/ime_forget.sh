#!/usr/bin/env bash
# ime_forget.sh KIOSK CONTENT_DB OUTDIR - the pinyin of a name typed into a form does
# not outlive the form (issue 16, 8): after the name field is done and the visitor has
# left the form, neither the typed letters nor the syllables the engine showed are
# anywhere in the kiosk's writable memory, freed or not (tests/scripts/scan_memory.py
# reads /proc/PID/mem while the kiosk waits). The script types the pinyin from a file
# (ime-file), so the script itself holds no copy. And the kiosk dumps no core
# (RLIMIT_CORE 0, set by the kiosk itself).
set -euo pipefail
kiosk=$1 content=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out" && mkdir -p "$out"
if [ "$(id -u)" != 0 ]; then
  echo "ime_forget: not run: reading another process's memory needs root here"
  exit 0
fi
# a name nobody's content holds, and the syllables as the engine shows them
printf 'ouyangxiuxiu\n' > "$out/pinyin"
printf 'ouyangxiuxiu\nou yang xiu xiu\n' > "$out/needles"
cat > "$out/forget.kscript" <<KS
now 2026-11-28T10:00
tap-id tile.request
tap "公民（个人）"
tap-id field.name
ime-file "$out/pinyin" 0
tap "欧阳"
ime "" 1
tap-id kb.done
expect-not "xiu"
tap-id nav.home
wait 500
expect-screen home
sh "python3 '$here/scan_memory.py' \$PPID '$out/needles' > '$out/scan.txt' 2>&1"
sh "grep -Eq '^Max core file size +0 +0 ' /proc/\$PPID/limits"
KS
# AddressSanitizer's allocator and shadow reserve terabytes of address space that the
# scan cannot walk, and its heap is not the one the kiosk ships with: the plain build
# is the one this test speaks for
if ldd "$kiosk" 2>/dev/null | grep -c libasan >/dev/null; then
  echo "ime_forget: not run under AddressSanitizer (its allocator is not the kiosk's; see the plain build)"
  exit 0
fi
if ! "$kiosk" --headless --content "$content" --state "$out/state.db" --script "$out/forget.kscript" \
     --out "$out" 2> "$out/stderr"; then
  cat "$out/stderr" "$out/scan.txt" 2>/dev/null || true
  echo "FAIL: the name's pinyin is still in the kiosk's memory after the form"
  exit 1
fi
cat "$out/scan.txt"
echo "ime_forget: the name's pinyin is gone from memory once the form is left"
