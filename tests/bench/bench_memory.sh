#!/usr/bin/env bash
# bench_memory.sh [BUILD_DIR] [BEFORE_BUILD_DIR] - the kiosk's memory (issue 18): PSS
# (/proc/PID/smaps_rollup) on the idle home screen and after a walk through the
# screens (two journeys of tests/scripts), read by the script's `sh` step from the
# kiosk's own smaps_rollup, and the peak RSS of the full built-in tour (/usr/bin/time).
# BUILD_DIR's kiosk also prints its `memory` step (PSS, live heap, text cache and
# SQLite) at those points and after one and two full tours. With BEFORE_BUILD_DIR
# (e.g. main built in /tmp) the same figures come first for that build, on the same
# content. Run by hand; prints, never fails on a figure.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build} before=${2:-}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
content=$PWD/$build/content.db
pss='sh "echo pss-from-outside $(awk '"'"'/^Pss:/ {print $2}'"'"' /proc/$PPID/smaps_rollup) kB"'

walk() { # the two journeys, without their own clock setting
    for f in tests/scripts/guide_journey_zh.kscript tests/scripts/guide_journey_en.kscript; do
        grep -v '^now \|^#' "$f"
        echo home
    done
}

measure() { # BUILD LABEL WITH_STEPS
    local b=$1 label=$2 steps=$3 k
    k=$(cd "$b" && pwd)/kiosk
    {
        echo "now 2026-11-28T09:30"
        echo "wait 2000"
        echo "$pss"
        [ "$steps" = 1 ] && echo "memory idle-home"
        walk
        echo "wait 2000"
        echo "$pss"
        [ "$steps" = 1 ] && echo "memory after-walk"
        [ "$steps" = 1 ] && printf 'home\nidle 100\nmemory after-walk-and-idle\n'
        if [ "$steps" = 1 ]; then
            # home, then nobody for longer than idle_seconds (90): the idle reset's release
            printf 'tour\nhome\nidle 100\nmemory after-tour\ntour\nhome\nidle 100\nmemory after-second-tour\n'
        fi
    } > "$out/$label.kscript"
    rm -rf "$out/$label" && mkdir -p "$out/$label"
    cp "$content" "$out/$label/content.db"
    (cd "$out/$label" && "$k" --headless --content content.db --state state.db \
        --script "$out/$label.kscript" --out shots >stdout 2>stderr) ||
        { echo "bench_memory: $label: the kiosk failed:"; tail -5 "$out/$label/stderr"; return 0; }
    local n=0
    while read -r _ kb _; do
        n=$((n + 1))
        [ $n = 1 ] && echo "$label: PSS idle home      $((kb / 1024)).$(( (kb % 1024) * 10 / 1024 )) MB ($kb kB)"
        [ $n = 2 ] && echo "$label: PSS after the walk $((kb / 1024)).$(( (kb % 1024) * 10 / 1024 )) MB ($kb kB)"
    done < <(grep '^pss-from-outside' "$out/$label/stdout")
    grep '^memory ' "$out/$label/stdout" | sed "s/^/$label: /" || true
    rm -rf "$out/$label/tour" && mkdir -p "$out/$label/tour"
    /usr/bin/time -f "%M" -o "$out/$label/time" "$k" --headless --content "$out/$label/content.db" \
        --state "$out/$label/state.db" --tour "$out/$label/tour" >/dev/null 2>&1 || true
    echo "$label: peak RSS over one full tour (kiosk --tour, /usr/bin/time) $(( $(tail -1 "$out/$label/time") / 1024 )) MB"
}

[ -n "$before" ] && measure "$before" before 1
measure "$build" after 1
