#!/usr/bin/env bash
# systemd_verify.sh - the units in systemd/ pass `systemd-analyze verify` with no
# complaint. They name the installed programs (/usr/local/bin); the test verifies a
# copy pointing at the freshly built ones instead, so every ExecStart is checked
# against a real executable.
#   systemd_verify.sh UNITS_DIR BIN_DIR
set -euo pipefail
units=${1:?usage: systemd_verify.sh UNITS_DIR BIN_DIR}
bin=$(cd "${2:?usage: systemd_verify.sh UNITS_DIR BIN_DIR}" && pwd)
command -v systemd-analyze >/dev/null || { echo "FAIL: systemd-analyze missing (scripts/setup.sh installs systemd)"; exit 1; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
for u in "$units"/*.service "$units"/*.timer; do
  sed "s|/usr/local/bin/|$bin/|g" "$u" > "$t/$(basename "$u")"
done
out=$(cd "$t" && SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no ./*.service ./*.timer 2>&1) || {
  echo "$out"
  echo "FAIL: systemd-analyze verify"
  exit 1
}
# warnings do not change the exit status; they fail this test all the same
if [ -n "$out" ]; then
  echo "$out"
  echo "FAIL: systemd-analyze verify complained"
  exit 1
fi
for u in "$units"/*; do echo "ok: $(basename "$u")"; done
grep -q '^Restart=always' "$units/kiosk.service" || { echo "FAIL: kiosk.service lacks Restart=always"; exit 1; }
for k in RandomizedDelaySec Persistent=true AccuracySec; do
  grep -q "^$k" "$units/kiosk-sync.timer" || { echo "FAIL: kiosk-sync.timer lacks $k"; exit 1; }
done
echo "systemd units: all passed"
