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
# the frame loop's watchdog (firmware/screens/watchdog.h; tests/scripts/watchdog.py)
for k in Type=notify NotifyAccess=main WatchdogSec=; do
  grep -q "^$k" "$units/kiosk.service" || { echo "FAIL: kiosk.service lacks $k"; exit 1; }
done
for k in RandomizedDelaySec Persistent=true AccuracySec; do
  grep -q "^$k" "$units/kiosk-sync.timer" || { echo "FAIL: kiosk-sync.timer lacks $k"; exit 1; }
done
# USB sticks: udev starts kiosk-usb@<partition>.service for a FAT or exFAT stick, the
# template binds to the device (pulled out: stopped) and runs kiosk-usb on it
usb=$units/kiosk-usb@.service
rules=$units/../udev/90-hallkiosk-usb.rules
[ -f "$usb" ] && [ -f "$rules" ] || { echo "FAIL: kiosk-usb@.service or udev/90-hallkiosk-usb.rules missing"; exit 1; }
grep -q '^BindsTo=dev-%i.device' "$usb" && grep -q '^ExecStart=/usr/local/bin/kiosk-usb /dev/%I$' "$usb" ||
  { echo "FAIL: kiosk-usb@.service: BindsTo=dev-%i.device and ExecStart=.../kiosk-usb /dev/%I"; exit 1; }
grep -q 'ENV{SYSTEMD_WANTS}+="kiosk-usb@%k.service"' "$rules" && grep -q 'TAG+="systemd"' "$rules" &&
  grep -q 'ENV{ID_FS_TYPE}!="vfat|exfat"' "$rules" && grep -q 'ENV{ID_BUS}!="usb"' "$rules" ||
  { echo "FAIL: 90-hallkiosk-usb.rules must start kiosk-usb@%k.service for USB FAT/exFAT file systems"; exit 1; }
# every rule line is KEY==/!=/=/+= "value" pairs, LABEL or GOTO (what udev would refuse)
bad=$(grep -v '^#' "$rules" | grep -v '^$' |
      grep -Ev '^([A-Z_]+(\{[A-Za-z_]+\})?(==|!=|=|\+=)"[^"]*"(, )?)+$' || true)
[ -z "$bad" ] || { echo "FAIL: 90-hallkiosk-usb.rules: malformed: $bad"; exit 1; }
if udevadm verify --help >/dev/null 2>&1; then
  udevadm verify --no-style "$rules" || { echo "FAIL: udevadm verify"; exit 1; }
fi
sh -n "$bin/kiosk-usb" || { echo "FAIL: kiosk-usb does not parse"; exit 1; }
echo "ok: 90-hallkiosk-usb.rules"
echo "systemd units: all passed"
