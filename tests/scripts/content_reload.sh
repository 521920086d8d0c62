#!/usr/bin/env bash
# content_reload.sh KIOSK CONTENT_DB OUTDIR - a new content.db (renamed over the old,
# as an install does) is opened at a quiet moment: on the home screen, never while a
# visitor is inside a guide; the guide keeps the content it was opened with.
set -euo pipefail
kiosk=$1 demo=$2 out=$3
rm -rf "$out" && mkdir -p "$out"
cp "$demo" "$out/content.db"
cp "$demo" "$out/new.db"
sqlite3 "$out/new.db" "UPDATE hall SET name_zh='新版大厅名称', name_en='Hall Renamed By Update'; UPDATE meta SET value='7' WHERE key='content_version';"
cat > "$out/reload.kscript" <<KS
now 2026-11-28T10:00
expect "市民中心政务服务大厅"
open guide marriage-reg
sh "mv '$out/new.db' '$out/content.db'"
wait 40000
expect-screen guide
expect-not "新版大厅名称"
tap-id nav.home
wait 31000
expect "新版大厅名称"
expect-not "市民中心政务服务大厅"
KS
"$kiosk" --headless --content "$out/content.db" --state "$out/state.db" --script "$out/reload.kscript" --out "$out" 2>"$out/stderr" || { cat "$out/stderr"; exit 1; }
grep -q "opened new content (version 7)" "$out/stderr" || { echo "content_reload: the kiosk did not say it opened the new content"; cat "$out/stderr"; exit 1; }
echo "content_reload: new content opened on the home screen, not inside the guide"
