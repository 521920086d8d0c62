#!/bin/sh
# kiosk-usb.sh (installed as kiosk-usb) - what happens when hall staff insert a USB
# stick (docs/architecture.md, flow 4). udev/90-hallkiosk-usb.rules asks systemd for
# kiosk-usb@<partition>.service, which runs this as root:
#
#   1. mount the stick's file system READ-ONLY (ro,nosuid,nodev,noexec) in the unit's
#      private mount namespace, so nothing else on the kiosk ever sees it mounted;
#   2. kiosk-sync usb-import: install the newest valid bundle on it (it copies each
#      candidate into work_dir before verifying it, sync/usb.h);
#   3. remount it read-write - only now, after every byte for the import was read -
#      and kiosk-sync usb-export: the sealed outbox into hallkiosk-export/<kiosk_id>/;
#   4. unmount (which flushes what the export fsynced anyway).
# One remount rather than a second mount: the same file system, no second mount point,
# and the stick is writable only for the export step. kiosk-sync runs as the kiosk's
# user (its files in work_dir and state.db stay the kiosk's); the stick's files are
# given to that user by the mount options (uid=, gid=, umask=077).
#
# The kiosk shows progress from work_dir/usb-busy (present, with this script's pid,
# from before the mount to after the unmount) and the result from
# work_dir/usb-last.json (sync/README.md, "USB sticks").
#
#   kiosk-usb DEVICE          e.g. kiosk-usb /dev/sdb1
# Environment (the unit sets none of these; tests do):
#   KIOSK_CONFIG     the kiosk's INI file            (/etc/hallkiosk/kiosk.ini)
#   KIOSK_SYNC       kiosk-sync                      (the one beside this script)
#   KIOSK_USER       who kiosk-sync runs as          (kiosk)
#   KIOSK_USB_RUN    lock and mount points           ($RUNTIME_DIRECTORY or /run/hallkiosk-usb)
#   KIOSK_USB_TEST_FSTYPES  tests only: file-system types taken besides vfat and exfat
# Exit: 0 when the import found nothing new or installed, and the export worked;
# otherwise kiosk-sync's code of the step that failed (its exit codes, agent.h).
set -eu

dev=${1:?usage: kiosk-usb DEVICE}
here=$(cd "$(dirname "$0")" && pwd)
config=${KIOSK_CONFIG:-/etc/hallkiosk/kiosk.ini}
sync=${KIOSK_SYNC:-$here/kiosk-sync}
user=${KIOSK_USER:-kiosk}
run=${KIOSK_USB_RUN:-${RUNTIME_DIRECTORY:-/run/hallkiosk-usb}}
mnt=$run/$(basename "$dev")

say() { echo "kiosk-usb: $dev: $*" >&2; }

# kiosk-sync as the kiosk's user
ks() {
  if [ "$(id -un)" = "$user" ]; then
    "$sync" --config "$config" "$@"
  else
    setpriv --reuid="$user" --regid="$user" --init-groups -- "$sync" --config "$config" "$@"
  fi
}

mkdir -p "$run"
# one stick at a time: a second one waits for the first to be done
exec 9>"$run/lock"
flock 9

busy=$(ks usb-busy $$ mounting) || busy=
cleanup() {
  if mountpoint -q "$mnt" 2>/dev/null; then
    umount "$mnt" 2>/dev/null || umount -l "$mnt" || true
  fi
  rmdir "$mnt" 2>/dev/null || true
  if [ -n "$busy" ]; then rm -f "$busy"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Only FAT and exFAT are mounted, and by name (mount -t vfat|exfat), never by what a
# probe guesses: the udev rule checks this too, but the stick may have changed since,
# and a kernel file-system driver other than these two is not offered to a stranger's
# stick. KIOSK_USB_TEST_FSTYPES (tests only; the unit never sets it) adds types for a
# machine whose kernel has no vfat.
type=$(blkid -p -o value -s TYPE "$dev" 2>/dev/null || true)
opts=ro,nosuid,nodev,noexec
case "$type" in
  # names as UTF-8 (the words show them), the files the kiosk user's
  vfat) opts="$opts,utf8,uid=$(id -u "$user"),gid=$(id -g "$user"),umask=077" ;;
  exfat) opts="$opts,iocharset=utf8,uid=$(id -u "$user"),gid=$(id -g "$user"),umask=077" ;;
  *)
    allowed=
    for t in ${KIOSK_USB_TEST_FSTYPES:-}; do
      if [ -n "$type" ] && [ "$t" = "$type" ]; then allowed=1; fi
    done
    if [ -z "$allowed" ]; then
      say "refused: file system \"$type\" is neither vfat nor exfat; not mounted"
      ks usb-import "$mnt/not-mounted" || true
      exit 3
    fi
    say "file system \"$type\" allowed by KIOSK_USB_TEST_FSTYPES (tests only)"
    ;;
esac
mkdir -p "$mnt"
if ! mount -t "$type" -o "$opts" "$dev" "$mnt"; then
  say "cannot mount (file system \"$type\")"
  # usb-import of a folder that is not there writes "the stick could not be read"
  # into usb-last.json, which is what the kiosk must show
  ks usb-import "$mnt/not-mounted" || true
  exit 3
fi
say "mounted read-only ($type)"

rc_import=0
ks usb-import "$mnt" || rc_import=$?

ks usb-busy $$ remounting >/dev/null || true
if ! mount -o remount,rw "$mnt"; then
  say "cannot remount read-write; the export will say the stick cannot be written"
fi
rc_export=0
ks usb-export "$mnt" || rc_export=$?

ks usb-busy $$ unmounting >/dev/null || true
if ! umount "$mnt"; then
  # what the export wrote is on the stick already (fsync); only the unmount is late
  say "cannot unmount cleanly; detaching it"
  umount -l "$mnt" || true
fi
say "done: import exit $rc_import, export exit $rc_export"

if [ "$rc_import" != 0 ] && [ "$rc_import" != 3 ]; then exit "$rc_import"; fi
exit "$rc_export"
