#!/usr/bin/env bash
# paths.sh KIOSK CONTENT_DB OUTDIR - paths mean what they say (issue 16, 11):
#  - on the command line, relative to the current directory: `kiosk --state mine.db`
#    creates mine.db here, not the demo's state.db beside the program;
#  - in the config, relative to the config file's folder, wherever the kiosk is run;
#  - a path that cannot be used is an error naming it, never a silent fallback.
set -euo pipefail
kiosk=$1 content=$2 out=$3
rm -rf "$out" && mkdir -p "$out/here" "$out/etc/db" "$out/elsewhere"
fail() { echo "FAIL: $*"; exit 1; }
printf 'now 2026-11-28T10:00\nexpect-screen home\n' > "$out/home.kscript"
beside=$(dirname "$kiosk")/state.db
before=$(stat -c %Y.%s "$beside" 2>/dev/null || echo none)

(cd "$out/here" && "$kiosk" --headless --content "$content" --state mine.db --script ../home.kscript --out o) \
  2> "$out/here.err" || { cat "$out/here.err"; fail "kiosk --state mine.db"; }
[ -s "$out/here/mine.db" ] || fail "--state mine.db did not create mine.db in the current directory"
[ "$(stat -c %Y.%s "$beside" 2>/dev/null || echo none)" = "$before" ] || fail "the state.db beside the program was written"
echo "ok: --state mine.db is ./mine.db"

cp "$content" "$out/etc/db/content.db"
printf '[kiosk]\ncontent_db = db/content.db\nstate_db = db/state.db\n[sync]\nwork_dir = sync\n' > "$out/etc/kiosk.ini"
(cd "$out/elsewhere" && "$kiosk" --headless --config ../etc/kiosk.ini --script ../home.kscript --out o) \
  2> "$out/cfg.err" || { cat "$out/cfg.err"; fail "a config with relative paths"; }
[ -s "$out/etc/db/state.db" ] || fail "state_db = db/state.db is not beside the config"
[ ! -e "$out/elsewhere/db" ] || fail "a config path was taken relative to the current directory"
echo "ok: the config's relative paths are relative to its folder"

code=0
(cd "$out/here" && "$kiosk" --headless --content missing.db --state s.db --script ../home.kscript --out o) \
  2> "$out/missing.err" || code=$?
[ "$code" != 0 ] || fail "--content missing.db ran (on which content?)"
grep -q "missing.db" "$out/missing.err" || fail "the error does not name missing.db: $(cat "$out/missing.err")"
echo "ok: --content missing.db is an error naming it"

code=0
"$kiosk" --headless --content "$content" --state "$out/no/such/dir/s.db" --script "$out/home.kscript" --out "$out/o" \
  2> "$out/nodir.err" || code=$?
[ "$code" != 0 ] || fail "a state.db in a folder that does not exist was accepted"
grep -q "$out/no/such/dir/s.db" "$out/nodir.err" || fail "the error does not name the path: $(cat "$out/nodir.err")"
echo "ok: a state_db that cannot be created is an error naming it"
echo "paths: all passed"
