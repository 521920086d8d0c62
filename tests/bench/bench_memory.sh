#!/usr/bin/env bash
# bench_memory.sh [BUILD_DIR] [BEFORE_BUILD_DIR] - the kiosk's memory (issue 18), each
# build in one kiosk run: its `memory` step (PSS, live heap and who holds it:
# firmware/screens/soak.c) on the idle home screen; at the end of the full built-in
# tour (before the idle reset) and after it (home, then nobody for longer than
# idle_seconds), three times, so growth from tour 2 to tour 3 shows; and the peak RSS
# during each tour (VmHWM, reset before it through /proc/PID/clear_refs). A second,
# separate run gives PSS after a walk through the screens (two journeys of
# tests/scripts). With BEFORE_BUILD_DIR (e.g. an older commit built in /tmp) the same
# figures come first for that build, each build on its own demo content.db (the schema
# moves). Last, each build on a real display: fullscreen under Xvfb 1080x1920 with a
# fresh state.db, PSS 6 s after the start on the idle home screen (smaps_rollup). There
# the window surface is shared memory that the X server maps too, so PSS counts half
# of its 8 MB; the headless driver's surface is the kiosk's alone.
# Run by hand; prints, never fails on a figure.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build} before=${2:-}
out=$(mktemp -d)
xvfb_pid=
trap 'kill $xvfb_pid 2>/dev/null || true; rm -rf "$out"' EXIT
. tests/bench/xvfb.sh
tours=3

# `sh` steps run in a child of the kiosk: $PPID is the kiosk
pss='sh "echo pss-from-outside $(awk '"'"'/^Pss:/ {print $2}'"'"' /proc/$PPID/smaps_rollup) kB"'
peak_reset='sh "echo 5 > /proc/$PPID/clear_refs"'
peak() { echo "sh \"echo peak-rss $1 \$(awk '/^VmHWM:/ {print \$2}' /proc/\$PPID/status) kB\""; }

walk() { # the two journeys, without their own clock setting
    for f in tests/scripts/guide_journey_zh.kscript tests/scripts/guide_journey_en.kscript; do
        grep -v '^now \|^#' "$f"
        echo home
    done
}

mb() { echo "$(($1 / 1024)).$(( ($1 % 1024) * 10 / 1024 )) MB"; }

run() { # KIOSK LABEL: runs $out/LABEL.kscript in $out/LABEL, stdout in $out/LABEL/stdout
    local k=$1 label=$2
    rm -rf "$out/$label" && mkdir -p "$out/$label"
    cp "$content" "$out/$label/content.db"
    (cd "$out/$label" && "$k" --headless --content content.db --state state.db \
        --script "$out/$label.kscript" --out shots >stdout 2>stderr) ||
        { echo "bench_memory: $label: the kiosk failed:"; tail -5 "$out/$label/stderr"; return 1; }
}

measure() { # BUILD LABEL
    local b=$1 label=$2 k i kb what
    k=$(cd "$b" && pwd)/kiosk
    content=$(cd "$b" && pwd)/content.db
    {
        echo "now 2026-11-28T09:30"
        echo "wait 2000"
        echo "memory idle-home"
        for i in $(seq 1 $tours); do
            echo "$peak_reset"
            echo tour
            peak "tour-$i"
            echo "memory tour-$i-end"
            printf 'home\nidle 100\nexpect-screen home\n'
            echo "memory tour-$i-reset"
        done
    } > "$out/$label-tours.kscript"
    if run "$k" "$label-tours"; then
        grep '^memory ' "$out/$label-tours/stdout" | sed "s/^/$label: /" || true
        while read -r _ what kb _; do
            echo "$label: peak RSS during $what $(mb "$kb") ($kb kB)"
        done < <(grep '^peak-rss ' "$out/$label-tours/stdout")
    fi
    {
        echo "now 2026-11-28T09:30"
        echo "wait 2000"
        walk
        echo "wait 2000"
        echo "$pss"
    } > "$out/$label-walk.kscript"
    if run "$k" "$label-walk"; then
        read -r _ kb _ < <(grep '^pss-from-outside' "$out/$label-walk/stdout")
        echo "$label: PSS after the walk (no idle reset) $(mb "$kb") ($kb kB)"
    fi
}

on_display() { # BUILD LABEL: the idle home screen on Xvfb
    local k kp
    k=$(cd "$1" && pwd)/kiosk
    (cd "$1" && exec "$k" --fullscreen --state "$out/$2-display.db" >/dev/null 2>&1) &
    kp=$!
    sleep 6
    echo "$2: on Xvfb, idle home: $(awk '/^(Pss|Pss_Shmem|Pss_Anon|Pss_File):/ {printf "%s %s kB; ", $1, $2}' "/proc/$kp/smaps_rollup")"
    kill "$kp"
    wait "$kp" 2>/dev/null || true
}

[ -n "$before" ] && measure "$before" before
measure "$build" after
xvfb_start "$out"
[ -n "$before" ] && on_display "$before" before
on_display "$build" after
