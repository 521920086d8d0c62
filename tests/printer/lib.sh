# lib.sh - what the printer tests share (sourced): the simulator on a pty, and reading
# a captured slip back. Expects fail() defined by the caller.
printer_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
sim=
trap '[ -z "$sim" ] || kill "$sim" 2>/dev/null || true' EXIT

# sim_start SCENARIO DIR: printer_sim.py in the background; its pty's path in DIR/pty,
# what it printed in DIR/captured.bin
sim_start() {
    /usr/bin/python3 "$printer_dir/printer_sim.py" "$1" "$2/pty" "$2/captured.bin" & sim=$!
    for _ in $(seq 100); do [ -s "$2/pty" ] && break; sleep 0.05; done
    [ -s "$2/pty" ] || fail "$1: the simulator did not start"
}

sim_stop() {
    if [ -n "$sim" ]; then kill "$sim" 2>/dev/null || true; wait "$sim" 2>/dev/null || true; sim=; fi
}

# label TREE ID: a widget's label in a tree file (a screen's or a slip's)
label() { /usr/bin/python3 -c 'import json,sys
print(next(w["label"] for w in json.load(open(sys.argv[1]))["widgets"] if w["id"] == sys.argv[2]))' "$1" "$2"; }

# slip_qr DIR DOTS: decodes DIR/captured.bin into DIR/slip.png (one slip, DOTS wide, one
# cut) and prints what zbarimg reads in its QR code
slip_qr() {
    /usr/bin/python3 "$printer_dir/escpos_decode.py" "$1/captured.bin" "$1/slip.png" > "$1/decoded" ||
        fail "$1: the captured stream does not decode" >&2
    grep -q "^$2x[0-9]* cuts=1 slips=1\$" "$1/decoded" || fail "$1: decoded $(cat "$1/decoded")" >&2
    zbarimg --quiet --raw "$1/slip.png" || fail "$1: zbarimg found no QR code on the slip" >&2
}

# sim_kiosk NAME SCENARIO CONTENT_DB SCRIPT_TEXT (uses $kiosk and $out): the kiosk in
# $out/NAME with a fresh simulator in SCENARIO as its printer, running the script
sim_kiosk() {
    local name=$1 dir=$out/$1
    mkdir -p "$dir/sync"
    sim_start "$2" "$dir"
    printf '[kiosk]\ncontent_db = %s\nstate_db = %s/state.db\n[sync]\nwork_dir = %s/sync\n[devices]\nprinter = %s\n' \
        "$3" "$dir" "$dir" "$(cat "$dir/pty")" > "$dir/kiosk.ini"
    printf '%s\n' "$4" > "$dir/run.kscript"
    "$kiosk" --headless --config "$dir/kiosk.ini" --script "$dir/run.kscript" --out "$dir" 2> "$dir/stderr" ||
        { tail -20 "$dir/stderr"; fail "$name: the script failed"; }
    sim_stop
}
