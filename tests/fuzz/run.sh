#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS] - builds the libFuzzer harnesses (clang, KIOSK_FUZZ=ON, in
# build-fuzz) if needed and runs each for SECONDS (default 25), as many at a time as
# there are cores. Each starts from a temporary copy of its seed corpus and regressions
# (the tree is never written); crash inputs are kept in build-fuzz/fuzz-crashes/NAME/.
# Prints one line per harness (runs, exec/s, coverage); exits 1 if any harness crashed,
# leaked or broke an invariant, naming the input that reproduces it:
#   build-fuzz/fuzz_NAME INPUT            (libFuzzer, prints the report again)
#   build/fuzz_replay_NAME DIR            (the normal build's replay driver)
# HARNESSES="bundle feed" limits the run to those.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-25}
build=build-fuzz
src=tests/fuzz
names=${HARNESSES:-$(sed -n 's/^set(FUZZ_HARNESSES \(.*\))$/\1/p' "$src/CMakeLists.txt")}
jobs=$(nproc)

cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DKIOSK_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$jobs" --target fuzz >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-fuzz-XXXXXX")
trap 'rm -rf "$work"' EXIT
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

fuzz_one() {
    local name=$1 corpus=$work/$1
    local crashes=$build/fuzz-crashes/$name
    mkdir -p "$corpus" "$crashes"
    cp "$src/corpus/$name"/* "$corpus"/
    find "$src/regressions/$name" -type f ! -name '.*' -exec cp {} "$corpus"/ \;
    local args=(-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
                -artifact_prefix="$crashes/")
    [ -f "$src/$name.dict" ] && args+=(-dict="$src/$name.dict")
    if "$build/fuzz_$name" "${args[@]}" "$corpus" >"$work/$name.log" 2>&1; then
        local runs rate cov
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$name.log")
        rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/$name.log")
        cov=$(grep -o 'cov: [0-9]*' "$work/$name.log" | tail -1)
        printf 'fuzz_%-10s ok: %s runs in %s s, %s exec/s, %s\n' "$name" "$runs" "$secs" "$rate" "$cov"
        return 0
    fi
    echo "fuzz_$name FAILED; its report:"
    grep -v '^#\|^INFO:\|^stat::' "$work/$name.log" | tail -60
    local input
    input=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$work/$name.log" | tail -1)
    echo "fuzz_$name: reproduce with: $build/fuzz_$name ${input:-"(no input written; see above)"}"
    echo "fuzz_$name: keep it as a regression: cp INPUT $src/regressions/$name/"
    return 1
}

failed=0
running=0
for name in $names; do
    fuzz_one "$name" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait -n || failed=1
        running=$((running - 1))
    fi
done
while [ "$running" -gt 0 ]; do
    wait -n || failed=1
    running=$((running - 1))
done
exit "$failed"
