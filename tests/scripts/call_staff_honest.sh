#!/usr/bin/env bash
# call_staff_honest.sh KIOSK CONTENT_DB OUTDIR - "call staff" says only what happened,
# in Chinese and in English: with no bell configured it sends the visitor to the
# inquiry desk (ringed on its floor's map, the floor in words); with a bell that fails
# it says the call did not go through; with one that hangs it says the call was not
# confirmed once the timeout passed; with one that works it says "calling…" while
# the bell runs and "notified" only after it exited 0.
set -euo pipefail
kiosk=$1 content=$(realpath "$2") out=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out" && mkdir -p "$out/sync"
pass=0

run() { # NAME COMMAND: runs $out/NAME.kscript with call_staff_command = COMMAND
  local name=$1 cmd=$2
  cat > "$out/$name.ini" <<INI
[kiosk]
content_db = $content
state_db = $out/$name-state.db
call_staff_command = $cmd
[sync]
work_dir = $out/sync
INI
  mkdir -p "$out/$name"
  "$kiosk" --headless --config "$out/$name.ini" --script "$out/$name.kscript" --out "$out/$name" \
    2> "$out/$name.stderr" || { tail -20 "$out/$name.stderr"; echo "FAIL: $name"; exit 1; }
  "$here/check_tour.py" "$out/$name" > /dev/null || { "$here/check_tour.py" "$out/$name"; exit 1; }
  pass=$((pass + 1))
  echo "ok: $name"
}

# no bell: the desk, on the floor-1 map, in both languages; nothing claims staff come
cat > "$out/no-bell.kscript" <<'KS'
now 2026-11-28T10:00
lang zh
tap-id chrome.staff
expect-screen call-staff
expect-value dialog.title "请到咨询导办台找工作人员"
expect-not "已通知工作人员"
expect-value callstaff.map.floor "1楼"
expect-value callstaff.map.ring "咨询导办台"
shot no-bell-zh
tree no-bell-zh
tap-id dialog.ok
lang en
tap-id chrome.staff
expect-value dialog.title "Please ask at the inquiry desk"
expect-not "Staff have been notified"
expect-value callstaff.map.floor "Floor 1"
expect-value callstaff.map.ring "Inquiry desk"
shot no-bell-en
tree no-bell-en
KS
run no-bell ""

# a bell that fails: "calling…" while it runs, then "did not go through" and the desk
cat > "$out/failing.kscript" <<'KS'
now 2026-11-28T10:00
lang zh
tap-id chrome.staff
wait-job call-staff 20
expect-job call-staff failed
expect-value dialog.title "呼叫没有成功"
expect-not "已通知工作人员"
expect-value callstaff.map.ring "咨询导办台"
shot failing-zh
tree failing-zh
tap-id dialog.ok
lang en
tap-id chrome.staff
wait-job call-staff 20
expect-value dialog.title "The call did not go through"
expect-not "Staff have been notified"
shot failing-en
expect-no-zombies
KS
run failing "sleep 0.3; exit 3"

# a bell that hangs: "calling…", then after the timeout "not confirmed"
cat > "$out/hanging.kscript" <<'KS'
now 2026-11-28T10:00
lang en
tap-id chrome.staff
expect-job call-staff running
expect-value dialog.title "Calling staff…"
wait 16000
expect-job call-staff running
expect-value dialog.title "The call was not confirmed"
expect-not "Staff have been notified"
shot hanging-en
tree hanging-en
KS
run hanging "exec sleep 60"

# a bell that works: "calling…" while it rings, "notified" only after it exited 0
cat > "$out/working.kscript" <<KS
now 2026-11-28T10:00
lang zh
tap-id chrome.staff
expect-job call-staff running
expect-value dialog.title "正在呼叫工作人员……"
expect-not "已通知工作人员"
shot working-zh-ringing
sh "touch '$out/release'"
wait-job call-staff 20
expect-job call-staff ok
expect-value dialog.title "已通知工作人员"
shot working-zh
tree working-zh
tap-id dialog.ok
lang en
sh "rm -f '$out/release'"
tap-id chrome.staff
expect-value dialog.title "Calling staff…"
sh "touch '$out/release'"
wait-job call-staff 20
expect-value dialog.title "Staff have been notified"
shot working-en
KS
run working "while [ ! -e '$out/release' ]; do sleep 0.05; done; echo rang >> '$out/bell.log'"
[ "$(wc -l < "$out/bell.log")" = 2 ] || { echo "FAIL: the bell rang $(wc -l < "$out/bell.log") times, expected 2"; exit 1; }

echo "$pass passed, 0 failed"
