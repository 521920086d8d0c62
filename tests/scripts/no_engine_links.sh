#!/usr/bin/env bash
# no_engine_links.sh KIOSK - the kiosk does not link librime or espeak-ng (nor ICU,
# boost or glog through them): both are dlopen()ed on first use (core/ime.c,
# core/speech.c), so a start never pays for them (issue 18). Nor SDL2_image and the
# image codecs it brings (jpeg, tiff, webp): PNG is decoded by libpng (ui/pngio.h).
set -euo pipefail
kiosk=$1
needed=$(readelf -d "$kiosk" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
[ -n "$needed" ] || { echo "FAIL: no NEEDED entries read from $kiosk"; exit 1; }
bad=$(printf '%s\n' "$needed" | grep -E '^lib(rime|espeak-ng|icu|boost_|glog|SDL2_image)' || true)
if [ -n "$bad" ]; then
  echo "FAIL: $kiosk links $bad"
  exit 1
fi
# and nothing it links brings them in
bad=$(ldd "$kiosk" | grep -E 'lib(rime|espeak-ng|icu[a-z]*|boost_[a-z]*|glog|SDL2_image-2\.0|jpeg|tiff|webp)\.so' || true)
if [ -n "$bad" ]; then
  echo "FAIL: $kiosk loads at start: $bad"
  exit 1
fi
echo "no_engine_links: $kiosk needs $(printf '%s\n' "$needed" | wc -l) libraries, none of them librime, espeak-ng, ICU or SDL2_image"
