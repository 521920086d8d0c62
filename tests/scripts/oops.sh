#!/usr/bin/env bash
# oops.sh KIOSK CONTENT_DB OUTDIR - a content.db with a corrupt table: the screen that
# reads it says something went wrong, in Chinese and in English, and offers to call
# staff and to go home, rather than showing an empty list as if there were nothing.
# The forms table stays whole: a screen that reads only it still works.
set -euo pipefail
kiosk=$1 demo=$2 out=$3
rm -rf "$out" && mkdir -p "$out"
cp "$demo" "$out/content.db"
# corrupt DB TABLE: junk over the b-tree header of each leaf page of TABLE
corrupt() {
  local size pages p
  size=$(sqlite3 "$1" "PRAGMA page_size")
  pages=$(sqlite3 "$1" "SELECT pageno FROM dbstat WHERE name = '$2' AND pagetype = 'leaf'")
  [ -n "$pages" ] || { echo "oops.sh: the demo content has no $2 pages" >&2; exit 1; }
  for p in $pages; do
    head -c 64 /dev/zero | tr '\0' '\356' |
      dd of="$1" bs=1 seek=$(( (p - 1) * size )) conv=notrunc status=none
  done
}
# the "one thing" checklists, read by the service guides screen
corrupt "$out/content.db" onething
cat > "$out/oops.kscript" <<KS
now 2026-11-28T10:00
tap "办事指南"
expect-screen oops
expect "这里出了点问题。"
expect "请找工作人员帮忙。"
expect "呼叫工作人员"
expect "返回首页"
lang en
expect-screen oops
expect "Something went wrong here."
expect "Please ask staff for help."
expect-not "这里出了点问题。"
tap-id oops.call_staff
expect-screen call-staff
expect "Please ask at the inquiry desk"
tap-id dialog.ok
expect-screen oops
tap-id oops.home
expect-screen home
tap "Service guides"
expect-screen oops
tap-id oops.home
tap "Feedback and rating"
expect-screen feedback
expect-not "Something went wrong here."
KS
"$kiosk" --headless --content "$out/content.db" --state "$out/state.db" --script "$out/oops.kscript" --out "$out" 2>"$out/stderr" || { cat "$out/stderr"; exit 1; }
# the announcements, read by the home screen itself: the kiosk starts on the oops
# screen, and home is still reachable (without the announcements)
cp "$demo" "$out/home.db"
corrupt "$out/home.db" announcement
cat > "$out/home.kscript" <<KS
now 2026-11-28T10:00
expect-screen oops
expect "这里出了点问题。"
tap-id oops.home
expect-screen home
expect "办事指南"
KS
"$kiosk" --headless --content "$out/home.db" --state "$out/state2.db" --script "$out/home.kscript" --out "$out" 2>"$out/stderr2" || { cat "$out/stderr2"; exit 1; }
echo "oops: a corrupt table is said in words, in both languages, with call staff and home"
