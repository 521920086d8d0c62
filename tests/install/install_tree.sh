#!/usr/bin/env bash
# install_tree.sh BUILD_DIR OUT_DIR - cmake --install into a DESTDIR, at an install
# prefix other than the configured one, then: every file a board needs is there, no
# secret key is, the units run programs that were installed, the example config names
# every key and loads with all of them uncommented, and the installed kiosk runs the
# tour and types pinyin on the fonts and IME data it finds beside itself
# (../share/hallkiosk), with no build or source tree to fall back on.
set -euo pipefail
build=$1 out=$2
rm -rf "$out" && mkdir -p "$out"
dest=$out/dest prefix=/opt/hallkiosk
DESTDIR=$dest cmake --install "$build" --prefix "$prefix" >"$out/install.log"
root=$dest$prefix
fail() { echo "install_tree: $*" >&2; exit 1; }

for f in bin/kiosk bin/kiosk-print bin/kiosk-session bin/kiosk-sync bin/kiosk-bundle bin/kiosk-usb bin/kiosk-office \
         share/hallkiosk/fonts/NotoSansSC-Regular-subset.otf share/hallkiosk/fonts/NotoSansSC-Bold-subset.otf \
         share/hallkiosk/fonts/OFL.txt share/hallkiosk/ime/build/luna_pinyin.table.bin \
         share/hallkiosk/ime/build/luna_pinyin_simp.prism.bin share/hallkiosk/ime/opencc/t2s.json \
         share/hallkiosk/usb-messages.tsv share/hallkiosk/demo/content.db share/hallkiosk/demo/demo.kbundle \
         share/hallkiosk/demo/sign.pub share/hallkiosk/demo/seal.pub \
         share/doc/hallkiosk/README.md share/doc/hallkiosk/sync/README.md share/doc/hallkiosk/docs/architecture.md share/doc/hallkiosk/docs/display.md; do
  [ -s "$root/$f" ] || fail "$prefix/$f: not installed"
done
for p in kiosk kiosk-print kiosk-session kiosk-sync kiosk-bundle kiosk-usb kiosk-office; do
  [ -x "$root/bin/$p" ] || fail "$prefix/bin/$p: not executable"
done
secret=$(find "$dest" -name '*.key')
[ -z "$secret" ] || fail "a secret key was installed: $secret"

units=$(find "$dest" -name '*.service' -o -name '*.timer')
[ "$(echo "$units" | wc -l)" -eq 5 ] || fail "expected 5 units, found: $units"
rules=$(find "$dest" -name '90-hallkiosk-usb.rules')
[ -n "$rules" ] || fail "the udev rule was not installed"
[ -n "$(find "$dest" -name '91-hallkiosk-idreader.rules')" ] || fail "the ID card reader's udev rule was not installed"
[ -n "$(find "$dest" -name '92-hallkiosk-printer.rules')" ] || fail "the printer's udev rule was not installed"
# every ExecStart names a program that was installed, at the configured bindir
for u in $units; do
  while read -r exe; do
    [ -x "$dest$prefix/bin/$(basename "$exe")" ] || fail "$u: ExecStart $exe: no such installed program"
  done < <(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$u")
done

ini=$(find "$dest" -name kiosk.ini)
[ -n "$ini" ] || fail "the example kiosk.ini was not installed"
# every key of the config is in the example, commented, and the example is all comments
keys=$(grep -o '^ *[SIM]("[a-z]*", [a-z_]*' "$(dirname "$0")/../../firmware/core/config.c" | sed 's/.*, //' | sort)
[ "$(echo "$keys" | wc -l)" -ge 20 ] || fail "could not read the keys from config.c"
shown=$(sed -n 's/^#\([a-z_]*\) =.*/\1/p' "$ini" | sort)
[ "$keys" = "$shown" ] || fail "$ini: keys differ from config.c's: $(diff <(echo "$keys") <(echo "$shown") | tr '\n' ' ')"
! grep -q '^[a-z]' "$ini" || fail "$ini: a key is not commented out"

# all keys uncommented: the values load; the paths, written out in full for
# /var/lib/hallkiosk, moved under this test's folder
grep -qx '#state_db = /var/lib/hallkiosk/state.db' "$ini" || fail "$ini: state_db is not /var/lib/hallkiosk/state.db"
mkdir -p "$out/work"
sed 's/^#\([a-z_]* =\)/\1/' "$ini" \
  | sed -e "s|^content_db = .*|content_db = $root/share/hallkiosk/demo/content.db|" \
        -e "s|^font_dir = /usr/share|font_dir = $root/share|" -e "s|/var/lib/hallkiosk|$out/work|" >"$out/kiosk.ini"
(cd / && "$root/bin/kiosk" --config "$out/kiosk.ini" --headless --tour "$out/tour") 2>"$out/tour.log" \
  || { cat "$out/tour.log" >&2; fail "the installed kiosk's tour failed"; }
[ -s "$out/work/state.db" ] || fail "state.db was not made where the config says"
# with no config, the defaults are relative to the working directory (kiosk.service's
# /var/lib/hallkiosk), never beside the installed program
mkdir -p "$out/cwd"
echo "expect-screen home" >"$out/home.kscript"
(cd "$out/cwd" && "$root/bin/kiosk" --content "$root/share/hallkiosk/demo/content.db" --headless \
   --script "$out/home.kscript" --out "$out/cwd/out") 2>"$out/cwd.log" || { cat "$out/cwd.log" >&2; fail "the installed kiosk did not start"; }
[ -s "$out/cwd/state.db" ] || fail "state.db was not made in the working directory"
[ ! -e "$root/bin/state.db" ] || fail "state.db was made beside the installed program"
[ "$(ls "$out/tour"/*.png | wc -l)" -ge 10 ] || fail "the tour wrote fewer than 10 shots"

cat >"$out/pinyin.kscript" <<'S'
tap-id nav.search
ime "shehuibaoxian" 0
expect-value kb.preedit "she hui bao xian"
tap-id kb.cand.0
expect-value search.query "社会保险"
S
(cd "$out/work" && "$root/bin/kiosk" --config "$out/kiosk.ini" --headless --script "$out/pinyin.kscript" \
  --out "$out/pinyin") 2>"$out/pinyin.log" || { cat "$out/pinyin.log" >&2; fail "pinyin on the installed IME data failed"; }
echo "install_tree: ok ($(find "$dest" -type f | wc -l) files)"
