#!/usr/bin/env bash
# run.sh KIOSK CONTENT_DB SCRIPT OUTDIR - runs one UI script test headless on a fresh
# state.db. A script named *.fail.kscript must fail: its first line reads
# "# expect-failure: TEXT", and the kiosk's error output must contain TEXT.
set -euo pipefail
kiosk=$1 content=$2 script=$3 out=$4
rm -rf "$out" && mkdir -p "$out"
set +e
"$kiosk" --headless --content "$content" --state "$out/state.db" --script "$script" --out "$out" 2>"$out/stderr"
rc=$?
set -e
cat "$out/stderr" >&2
case "$script" in
*.fail.kscript)
  want=$(sed -n '1s/^# expect-failure: //p' "$script")
  [ -n "$want" ] || { echo "run.sh: $script: first line must be '# expect-failure: TEXT'" >&2; exit 1; }
  [ $rc -ne 0 ] || { echo "run.sh: $script: expected the script to fail, it passed" >&2; exit 1; }
  grep -qF -- "$want" "$out/stderr" || { echo "run.sh: $script: failure output lacks: $want" >&2; exit 1; }
  echo "failed as expected: $want"
  ;;
*)
  [ $rc -eq 0 ] || exit $rc
  # trees the script wrote must pass the tree checks, and QR shots must decode
  if ls "$out"/*.json >/dev/null 2>&1; then
    "$(dirname "$0")/check_tour.py" "$out"
  fi
  ;;
esac
