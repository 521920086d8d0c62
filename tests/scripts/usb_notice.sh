#!/usr/bin/env bash
# usb_notice.sh KIOSK CONTENT_DB OUTDIR - while kiosk-usb reads a stick, any screen says
# so ("do not remove it") with no button to dismiss it; when it is done the kiosk says
# in words what happened (usb-last.json), in the visitor's language. A marker left by a
# process that is gone (a power cut mid-session) blocks nothing.
set -euo pipefail
kiosk=$1 content=$2 out=$3
rm -rf "$out" && mkdir -p "$out/sync"
printf '[kiosk]\ncontent_db = %s\nstate_db = %s/state.db\n[sync]\nwork_dir = %s/sync\n' \
  "$content" "$out" "$out" > "$out/kiosk.ini"
cat > "$out/usb.kscript" <<KS
now 2026-11-28T10:00
tap-id tile.guides
sh "echo '{\"pid\": 1}' > '$out/sync/usb-busy'"
wait 2500
expect-screen usb
expect "正在处理U盘，请勿拔出"
expect-not "好的"
sh "printf '%s' '{\"action\":\"import\",\"message_zh\":\"已安装新内容：第7版\",\"message_en\":\"New content installed: version 7\",\"files\":[{\"message_zh\":\"x\"}]}' > '$out/sync/usb-last.json' && rm '$out/sync/usb-busy'"
wait 2500
expect "已安装新内容：第7版"
tap "好的"
expect-screen guides
KS
"$kiosk" --headless --config "$out/kiosk.ini" --script "$out/usb.kscript" --out "$out" 2> "$out/stderr" ||
  { cat "$out/stderr"; exit 1; }
echo "usb_notice: the kiosk said it was busy with the stick, then what happened"

# a stale marker: its pid is a process that has exited
rm -f "$out/sync/usb-busy" "$out/sync/usb-last.json"
dead=$(sh -c 'echo $$')
printf '{"pid": %s, "session": "x", "action": "usb", "step": "copying"}' "$dead" > "$out/sync/usb-busy"
cat > "$out/stale.kscript" <<KS
now 2026-11-28T10:00
tap-id tile.guides
wait 2500
expect-screen guides
expect-not "正在处理U盘，请勿拔出"
KS
"$kiosk" --headless --config "$out/kiosk.ini" --script "$out/stale.kscript" --out "$out" 2> "$out/stderr" ||
  { cat "$out/stderr"; echo "FAIL: a usb-busy marker of a dead process ($dead) blocked the screen"; exit 1; }
echo "usb_notice: a marker whose process is gone blocks nothing"
