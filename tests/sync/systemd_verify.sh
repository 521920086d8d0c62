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
rule_syntax() {
  local bad
  bad=$(grep -v '^#' "$1" | grep -v '^$' |
        grep -Ev '^([A-Z_]+(\{[A-Za-z_]+\})?(==|!=|=|\+=)"[^"]*"(, )?)+$' || true)
  [ -z "$bad" ] || { echo "FAIL: $(basename "$1"): malformed: $bad"; exit 1; }
  # each key with an operator udev takes for it (udev(7)): matches compare, the rest
  # assign; a GOTO goes to a LABEL of the file. Debian 12's udevadm (systemd 252) has no
  # verify, so this is what checks the rules there.
  python3 - "$1" <<'PY' || exit 1
import re, sys
match = {"ACTION", "DEVPATH", "KERNEL", "KERNELS", "NAME", "SUBSYSTEM", "SUBSYSTEMS", "DRIVER", "DRIVERS",
         "ATTR", "ATTRS", "SYSCTL", "ENV", "CONST", "TAG", "TAGS", "TEST", "PROGRAM", "RESULT", "SYMLINK"}
assign = {"NAME", "SYMLINK", "OWNER", "GROUP", "MODE", "SECLABEL", "ATTR", "SYSCTL", "ENV", "TAG", "RUN",
          "LABEL", "GOTO", "IMPORT", "OPTIONS"}
braced = {"ATTR", "ATTRS", "SYSCTL", "ENV", "CONST", "TEST", "RUN", "IMPORT", "SECLABEL"}
labels, gotos, bad = set(), set(), []
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    for key, arg, op, val in re.findall(r'([A-Z_]+)(\{[^}]*\})?(==|!=|\+=|-=|:=|=)"([^"]*)"', line):
        ok = (key in match) if op in ("==", "!=") else (key in assign)
        if not ok or (key in braced) != bool(arg):
            bad.append(f"line {n}: {key}{arg}{op}")
        if key == "LABEL":
            labels.add(val)
        if key == "GOTO":
            gotos.add(val)
        if key == "MODE" and not re.fullmatch(r"0[0-7]{3}", val):
            bad.append(f"line {n}: MODE {val}")
for g in gotos - labels:
    bad.append(f"GOTO {g}: no such LABEL")
if bad:
    print(f"FAIL: {sys.argv[1]}: " + "; ".join(bad))
    sys.exit(1)
PY
  if udevadm verify --help >/dev/null 2>&1; then
    udevadm verify --no-style "$1" || { echo "FAIL: udevadm verify $1"; exit 1; }
  fi
}
rule_syntax "$rules"
# the ID card reader: its bridges get the stable name the config names, and the kiosk
# may open a USB-serial port
idr=$units/../udev/91-hallkiosk-idreader.rules
grep -q '^ENV{HALLKIOSK_IDREADER}=="1", SYMLINK+="hallkiosk-idreader"$' "$idr" &&
  grep -q '^SUBSYSTEM!="tty"' "$idr" && grep -q '^ATTRS{idVendor}=="1a86", ATTRS{idProduct}=="7523"' "$idr" ||
  { echo "FAIL: 91-hallkiosk-idreader.rules must name USB-serial bridges hallkiosk-idreader"; exit 1; }
rule_syntax "$idr"
grep -q '^DeviceAllow=char-ttyUSB rw' "$units/kiosk.service" && grep -q '^SupplementaryGroups=.*dialout' "$units/kiosk.service" ||
  { echo "FAIL: kiosk.service may not open the ID card reader (DeviceAllow=char-ttyUSB, dialout)"; exit 1; }
# the receipt printer: usblp nodes get the stable name the config names, group lp, and
# the kiosk may open them (usblp's major is the kernel's "usb" in /proc/devices)
prn=$units/../udev/92-hallkiosk-printer.rules
grep -q '^SUBSYSTEM=="usbmisc", KERNEL=="lp\[0-9\]\*", ENV{HALLKIOSK_PRINTER}="1", GROUP="lp", MODE="0660"$' "$prn" &&
  grep -q '^ENV{HALLKIOSK_PRINTER}=="1", SYMLINK+="hallkiosk-printer"$' "$prn" &&
  grep -q '^ACTION=="remove", GOTO="hallkiosk_printer_end"$' "$prn" && grep -q '^LABEL="hallkiosk_printer_end"$' "$prn" ||
  { echo "FAIL: 92-hallkiosk-printer.rules must name usblp printers hallkiosk-printer, group lp"; exit 1; }
rule_syntax "$prn"
grep -q '^DeviceAllow=char-usb rw' "$units/kiosk.service" && grep -q '^SupplementaryGroups=.* lp\( \|$\)' "$units/kiosk.service" ||
  { echo "FAIL: kiosk.service may not open the printer (DeviceAllow=char-usb, lp)"; exit 1; }
sh -n "$bin/kiosk-usb" || { echo "FAIL: kiosk-usb does not parse"; exit 1; }
# Hardened units (issue 16): every service sets these, and `systemd-analyze security`
# rates each below 5 (the score is parsed; 5.0 or more fails). --offline reads the unit
# file alone, so no running systemd is needed. Timers have no sandbox of their own: the
# service they start is what is scored.
systemd-analyze security --help 2>/dev/null | grep -q -- '--offline' ||
  { echo "FAIL: this systemd-analyze has no security --offline (systemd 250 or later needed)"; exit 1; }
for u in "$units"/*.service; do
  name=$(basename "$u")
  for k in 'UMask=0077' 'LimitCORE=0' 'MemoryMax=' 'CapabilityBoundingSet=' 'SystemCallFilter=' \
           'NoNewPrivileges=yes' 'ProtectSystem=strict' 'ReadWritePaths=' 'ProtectHome=yes' 'PrivateTmp=yes' \
           'RestrictAddressFamilies='; do
    grep -q "^$k" "$u" || { echo "FAIL: $name lacks $k"; exit 1; }
  done
  line=$(cd "$t" && systemd-analyze security --offline=yes --no-pager "./$name" 2>&1 | grep 'Overall exposure level') ||
    { echo "FAIL: systemd-analyze security $name said no score"; exit 1; }
  score=$(echo "$line" | sed -n 's/.*: \([0-9][0-9]*\.[0-9]\).*/\1/p')
  [ -n "$score" ] || { echo "FAIL: $name: cannot read a score in: $line"; exit 1; }
  awk -v s="$score" 'BEGIN { exit !(s < 5.0) }' ||
    { echo "FAIL: $name: systemd-analyze security exposure $score, not below 5"; exit 1; }
  echo "ok: $name: exposure $score"
done
echo "ok: 90-hallkiosk-usb.rules"
echo "systemd units: all passed"
