#!/usr/bin/env bash
# printer_scenarios.sh KIOSK_PRINT OUTDIR - kiosk-print against the printer simulator
# (printer_sim.py, a pty) in every scenario: it says "printed" only when the printer
# took the whole job and said ready after it; otherwise it says why, in one word.
set -euo pipefail
kp=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out" && mkdir -p "$out"
fail() { echo "FAIL: $*"; exit 1; }
sim=
trap '[ -z "$sim" ] || kill "$sim" 2>/dev/null || true' EXIT

# a job of eight 128-row bands at 576 dots, 72 KiB: more than a pty's buffer, so an
# unplug mid-job happens while kiosk-print still writes
/usr/bin/python3 - "$out/job.bin" <<'PY'
import sys
band = b'\x1dv0\x00\x48\x00\x80\x00' + bytes((i * 7) & 0xff for i in range(72 * 128))
open(sys.argv[1], 'wb').write(b'\x1b@' + band * 8 + b'\x1bd\x04\x1dVB\x00')
PY

# run SCENARIO WANT_LINE WANT_RC: one job through a fresh simulator
run() {
    local s=$1 want=$2 want_rc=$3 dir=$out/$1
    mkdir -p "$dir"
    /usr/bin/python3 "$here/printer_sim.py" "$s" "$dir/pty" "$dir/captured.bin" & sim=$!
    for _ in $(seq 100); do [ -s "$dir/pty" ] && break; sleep 0.05; done
    [ -s "$dir/pty" ] || fail "$s: the simulator did not start"
    local rc=0 line
    line=$(timeout 20 "$kp" --timeout-ms 300 "$(cat "$dir/pty")" "$out/job.bin") || rc=$?
    kill "$sim" 2>/dev/null || true; wait "$sim" 2>/dev/null || true; sim=
    [ "$line" = "$want" ] || fail "$s: kiosk-print said \"$line\", want \"$want\""
    [ "$rc" = "$want_rc" ] || fail "$s: exit $rc, want $want_rc"
    echo "ok: $s: $line"
}

run ready "printed ready" 0
cmp "$out/job.bin" "$out/ready/captured.bin" || fail "ready: the printer did not get the job byte for byte"
/usr/bin/python3 "$here/escpos_decode.py" "$out/ready/captured.bin" "$out/ready/slip.png" > "$out/ready/decoded"
[ "$(cat "$out/ready/decoded")" = "576x1024 cuts=1 slips=1" ] || fail "ready: decoded $(cat "$out/ready/decoded")"
run near-end "printed paper-near-end" 0
cmp "$out/job.bin" "$out/near-end/captured.bin" || fail "near-end: the job was not printed whole"
# not ready: nothing of the job is sent
for s in paper-end cover-open; do
    run "$s" "not-ready $s" 1
    [ ! -s "$out/$s/captured.bin" ] || fail "$s: bytes were sent to a printer that cannot print"
done
run silent "not-ready no-answer" 1
[ ! -s "$out/silent/captured.bin" ] || fail "silent: bytes were sent to a printer that never answered"
run unplug "unplugged no-answer" 1
n=$(stat -c %s "$out/unplug/captured.bin")
[ "$n" -gt 4096 ] && [ "$n" -lt "$(stat -c %s "$out/job.bin")" ] || fail "unplug: $n bytes captured"

# no such device; status only; bad arguments are one line and exit 2
line=$("$kp" "$out/no-such-printer" "$out/job.bin" || true)
[ "$line" = "absent no-answer" ] || fail "absent: \"$line\""
echo "ok: absent: $line"
rc=0; "$kp" --baud 1234 "$out/x" "$out/job.bin" 2> "$out/err" || rc=$?
[ $rc = 2 ] && [ "$(wc -l < "$out/err")" = 1 ] || fail "--baud 1234: exit $rc, $(cat "$out/err")"
rc=0; "$kp" /dev/null "$out/nonexistent.bin" 2> "$out/err" || rc=$?
grep -q "nonexistent.bin: JOB: " "$out/err" && [ $rc = 2 ] || fail "a missing job file: exit $rc, $(cat "$out/err")"
echo "ok: bad arguments"
