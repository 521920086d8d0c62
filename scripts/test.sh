#!/usr/bin/env bash
# Sets up, builds and runs every test: once as built, once under AddressSanitizer and
# UndefinedBehaviorSanitizer; then fuzzes the parsers for a while. Exits non-zero if
# anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
jobs=$(nproc)

echo "== build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs" >/dev/null
echo "== tests"
ctest --test-dir build --output-on-failure -j"$jobs"

echo "== build (AddressSanitizer + UndefinedBehaviorSanitizer)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DKIOSK_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs" >/dev/null
echo "== tests (AddressSanitizer + UndefinedBehaviorSanitizer)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"

echo "== fuzzing (libFuzzer + AddressSanitizer + UBSan, 25 s a harness: tests/fuzz/README.md)"
tests/fuzz/run.sh 25

# From a bare Debian 12 to a kiosk showing signed content: the .debs, lintian, a fresh
# bookworm chroot, the README's install commands (root and the network; 5-14 minutes)
echo "== package test"
scripts/package-test.sh
