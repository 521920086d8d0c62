#!/usr/bin/env bash
# Installs the Debian 12 packages Hall Kiosk needs to build, run and test.
# Idempotent and quiet: when everything is installed it prints nothing.
set -euo pipefail

packages=(
  # build
  cmake make gcc pkg-config
  libsdl2-dev libsdl2-ttf-dev libpng-dev libsqlite3-dev libjansson-dev
  libsodium-dev libqrencode-dev libunibreak-dev libcurl4-openssl-dev zlib1g-dev
  # tests
  libcmocka-dev sqlite3 python3 python3-pil xvfb xauth matchbox-window-manager zbar-tools nginx
  # tests/bench/bench_tap.sh: presses injected through XTest (tests/bench/tap_poll.c)
  libxtst-dev
  # sync tests: systemd-analyze verify on the units in systemd/
  systemd
  # USB tests: a FAT image on a loop device (mkfs.vfat); losetup, mount, setpriv,
  # flock and blkid (kiosk-usb) are util-linux's, e2fsprogs makes the ext4 fallback
  dosfstools util-linux e2fsprogs
  # pinyin input method: librime, and the dictionary and converter data the build
  # compiles and copies into build/ime (firmware/ime.cmake)
  librime-dev librime-bin rime-data-luna-pinyin rime-essay libopencc-data
  # read-aloud: the speech synthesiser and its voices (firmware/core/speech.c)
  libespeak-ng-dev espeak-ng-data
  # pinyin keys of titles, computed by the content compiler (sync/pinyin.c): the
  # luna_pinyin dictionary above, Unihan (Simplified variants, kMandarin), libbz2
  unicode-data libbz2-dev
  # the systemd watchdog: sd_notify (READY=1, WATCHDOG=1) from the frame loop
  libsystemd-dev
  # the soak (tests/sync/soak.sh): kiosk-sync at the kiosk's virtual time
  faketime
  # fonts the kiosk falls back to for rare characters
  fonts-noto-cjk fonts-wqy-microhei
  # fuzzing (tests/fuzz/run.sh): clang 14, and libFuzzer and the sanitizer runtimes
  # (only a recommendation of clang's, which --no-install-recommends skips)
  clang libclang-rt-14-dev

  # kiosk-office site: its test renders the dashboard in headless Chromium
  chromium
  # scripts/package-test.sh: the .debs (debian/), lintian, a bookworm chroot
  dpkg-dev debhelper lintian debootstrap
  # the kiosk on Wayland (tests/display/cage.sh, docs/display.md): cage's headless
  # backend, grim's screenshot, SDL's GLES2 window surface on Mesa's llvmpipe
  cage grim libgles2 libegl-mesa0 libgl1-mesa-dri
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
