#!/usr/bin/env bash
# bench_monkey.sh [BUILD_DIR] [SEED] [COUNT] - the long monkey: COUNT (50,000) random
# touches from SEED (1) on the virtual clock (firmware/screens/monkey.h), through
# tests/scripts/monkey.sh. Prints the screens reached, the live heap after warm-up and
# at the end, the trees checked and the time taken. Run it in build-asan for the
# sanitizers' verdict. Run by hand.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build} seed=${2:-1} count=${3:-50000}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
start=$(date +%s)
rc=0
tests/scripts/monkey.sh "$build/kiosk" "$build/content.db" "$out/m" "$seed" "$count" || rc=$?
end=$(date +%s)
echo "bench_monkey: $count touches in $((end - start)) s wall ($build), exit $rc"
exit $rc
