#!/usr/bin/env bash
# package-test.sh - from a bare Debian 12 to a kiosk showing signed content, as the
# README's "Install on a board" says (issue 17):
#   1. build the .debs from this tree (dpkg-buildpackage, in a temporary copy);
#   2. lintian: no errors;
#   3. a fresh Debian 12 chroot (debootstrap --variant=minbase bookworm) from the
#      mirror apt uses on this machine;
#   4. outside the board, a central office made with the packaged kiosk-office: keys, the
#      demo content (its hall renamed, so the board's screen can only show it from
#      this office) published for scope hall-1, and kiosk K0007's provisioning file;
#   5. inside, README.md's install commands: apt-get install the .debs (so their
#      declared dependencies are proven), kiosk-sync provision with the fingerprint the
#      office printed, the office's bundle installed with kiosk-sync as the kiosk user;
#   6. the installed kiosk's tour (headless) on that content, and its home screen
#      showing the office's hall name.
# Prints how long each stage took. Needs root (debootstrap, chroot, mounts); caches
# nothing, in the tree or elsewhere; everything goes in one temporary folder, removed
# on exit with its mounts. KEEP=1 keeps it (and says where).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "package-test: needs root (debootstrap, chroot)" >&2; exit 1; }

work=$(mktemp -d /tmp/hallkiosk-package-test.XXXXXX)
root=$work/root
cleanup() {
  local m
  # mounts inside the chroot, deepest first
  for m in $(awk -v r="$root/" 'index($2, r) == 1 {print $2}' /proc/self/mounts | sort -r); do
    umount -l "$m" || true
  done
  if [ "${KEEP:-0}" = 1 ]; then
    echo "package-test: kept $work"
  else
    rm -rf --one-file-system "$work"
  fi
}
trap cleanup EXIT

stage_start=0
stage() { stage_name=$1; stage_start=$(date +%s); echo "== $1"; }
stage_end() { echo "   $stage_name: $(( $(date +%s) - stage_start )) s"; timings+=("$stage_name: $(( $(date +%s) - stage_start )) s"); }
timings=()

stage "build the .debs"
mkdir -p "$work/src"
# the working tree as it is (committed or not), without build products
(cd "$src" && git ls-files -z --cached --others --exclude-standard | tar -c --null -T - -f -) \
  | tar -x -C "$work/src" -f -
(cd "$work/src" && DEB_BUILD_OPTIONS="parallel=${JOBS:-2}" dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1) \
  || { tail -40 "$work/build.log" >&2; exit 1; }
debs=("$work"/*.deb)
for d in "${debs[@]}"; do echo "   $(basename "$d"): $(stat -c %s "$d") bytes"; done
# the devices' udev rules are in the kiosk's package (docs/printer.md, docs/idcard-reader.md)
dpkg-deb -c "$work"/hallkiosk_*.deb > "$work/hallkiosk.contents"
for r in 91-hallkiosk-idreader.rules 92-hallkiosk-printer.rules; do
  grep -q "/lib/udev/rules.d/$r\$" "$work/hallkiosk.contents" ||
    { echo "package-test: the hallkiosk package lacks $r" >&2; exit 1; }
done
stage_end

stage "an office, outside the board: a published bundle and a provisioning file"
# the packaged kiosk-office and kiosk-bundle, run from the .debs' files on this machine
# (which has what they link: it built them)
for d in "$work"/hallkiosk-office_*.deb "$work"/hallkiosk-sync_*.deb; do dpkg-deb -x "$d" "$work/office-bin"; done
ob=$work/office-bin/usr/bin
mkdir -p "$work/www"
"$ob/kiosk-bundle" keygen --out "$work/office-keys" >/dev/null
"$ob/kiosk-office" init "$work/office" --web-root "$work/www" --sign-key "$work/office-keys/sign.key" \
  --seal-key "$work/office-keys/seal.key" --scope hall-1 >/dev/null
cp -r "$work/src/assets/content" "$work/content"
hall_name=市民中心大厅
python3 - "$work/content/hall.json" "$hall_name" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
d["name"]["zh"] = sys.argv[2]
json.dump(d, open(sys.argv[1], "w", encoding="utf-8"), ensure_ascii=False)
PY
"$ob/kiosk-office" --office "$work/office" publish "$work/content" --scope hall-1 | sed 's/^/   /'
"$ob/kiosk-office" --office "$work/office" provision --kiosk K0007 --scope hall-1 \
  --central-url https://office.example/kiosk -o "$work/K0007.provision" | tee "$work/provision.out" | sed 's/^/   /'
fingerprint=$(sed -n 's/^fingerprint: //p' "$work/provision.out")
stage_end

stage "lintian"
lintian --fail-on error --tag-display-limit 0 "$work"/*.changes | tee "$work/lintian.log"
stage_end

stage "debootstrap bookworm (minbase)"
# the mirror apt uses here: the first deb822 source or sources.list line for bookworm
mirror=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -1 || true)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $3 ~ /^bookworm$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
echo "   mirror $mirror"
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
stage_end

stage "the README's install commands, inside"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mkdir -p "$root/debs"
cp "${debs[@]}" "$root/debs/"
# what the office hands the IT person: the file, the bundle (a USB stick) and, by another
# path, the fingerprint
cp "$work/K0007.provision" "$work/www/bundles/hall-1/1.kbundle" "$root/debs/"
# no daemon starts inside the chroot
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d" && chmod +x "$root/usr/sbin/policy-rc.d"
# README.md's "Install on a board", word for word: the indented lines between its
# package-test markers, run in the folder holding the .debs, all but the last
# (systemctl start kiosk: no systemd in a chroot; the tour below stands for it)
sed -n '/<!-- package-test: begin -->/,/<!-- package-test: end -->/p' "$src/README.md" \
  | sed -n 's/^    \(.*\)/\1/p' >"$work/readme-commands"
grep -q '^systemctl start kiosk' "$work/readme-commands" \
  || { echo "package-test: README.md's install commands do not end in systemctl start kiosk" >&2; exit 1; }
{ echo 'cd /debs'; echo 'export DEBIAN_FRONTEND=noninteractive'
  echo "FINGERPRINT=$fingerprint PROVISION_FILE=/debs/K0007.provision BUNDLE=/debs/1.kbundle"
  grep -v '^systemctl ' "$work/readme-commands"; } \
  >"$root/readme-commands.sh"
sed 's/^/   $ /' "$work/readme-commands"
chroot "$root" bash -eo pipefail /readme-commands.sh >"$work/commands.log" 2>&1 \
  || { tail -30 "$work/commands.log" >&2; exit 1; }
grep 'kiosk-sync' "$work/commands.log" | sed 's/^/   /'
chroot "$root" sh -ec '
  getent passwd kiosk >/dev/null || { echo "no kiosk user"; exit 1; }
  m=$(stat -c "%U:%G %a" /var/lib/hallkiosk)
  [ "$m" = "kiosk:kiosk 750" ] || { echo "/var/lib/hallkiosk: $m"; exit 1; }
  dpkg-query -W -f="\${Conffiles}\n" hallkiosk-sync | grep -q /etc/hallkiosk/kiosk.ini \
    || { echo "kiosk.ini is not a conffile"; exit 1; }
  [ -L /etc/systemd/system/multi-user.target.wants/kiosk.service ] || { echo "kiosk.service is not enabled"; exit 1; }
  [ -L /etc/systemd/system/timers.target.wants/kiosk-sync.timer ] || { echo "kiosk-sync.timer is not enabled"; exit 1; }
  [ "$(stat -c %U /var/lib/hallkiosk/content.db)" = kiosk ] || { echo "content.db not installed by the kiosk user"; exit 1; }
  grep -q "^kiosk_id = K0007\$" /etc/hallkiosk/kiosk.ini && grep -q "^scope = hall-1\$" /etc/hallkiosk/kiosk.ini \
    || { echo "kiosk.ini was not provisioned"; exit 1; }
'
stage_end

stage "the installed kiosk's tour, inside"
chroot "$root" bash -euo pipefail -c '
  cd /var/lib/hallkiosk
  runuser -u kiosk -- kiosk-sync --config /etc/hallkiosk/kiosk.ini status | head -3
  runuser -u kiosk -- kiosk --config /etc/hallkiosk/kiosk.ini --headless --tour /tmp/tour 2>&1 | tail -1
  n=$(ls /tmp/tour/*.png | wc -l)
  [ "$n" -ge 10 ] || { echo "the tour wrote $n shots"; exit 1; }
  echo "tour: $n shots"
  printf "expect \"%s\"\nshot home\n" "$1" >/tmp/home.kscript
  runuser -u kiosk -- kiosk --config /etc/hallkiosk/kiosk.ini --headless --script /tmp/home.kscript --out /tmp/home
  echo "home screen: the office hall name $1"
' _ "$hall_name" | sed 's/^/   /'
stage_end

echo "== timings"
printf '   %s\n' "${timings[@]}"
