#!/usr/bin/env bash
# kiosk_memory.sh KIOSK CONTENT_DB OUTDIR NAME < SCRIPT - runs the kscript on stdin
# headless in a fresh OUTDIR (a copy of CONTENT_DB, a new state.db), for the memory
# tests that read its `memory` lines (firmware/screens/soak.c) from OUTDIR/stdout.
# NAME is the test's, for the failure line.
set -euo pipefail
kiosk=$1 demo=$2 out=$3 name=$4
rm -rf "$out" && mkdir -p "$out"
cp "$demo" "$out/content.db"
cat > "$out/$name.kscript"
(cd "$out" && "$kiosk" --headless --content content.db --state state.db --script "$name.kscript" \
  --out shots >stdout 2>stderr) || { tail -5 "$out/stderr"; echo "FAIL: $name: the kiosk failed"; exit 1; }
