#!/usr/bin/env bash
# staff_notices.sh KIOSK CONTENT_DB OUTDIR LANG - hall staff post their own notices from
# the staff menu (issue 15): typed on the kiosk's keyboard (pinyin in zh, Latin in
# en), urgent to closing time today or normal to a date. Bad input (no title, a date in
# the past, a date that is not one) is said next to its field and what was typed
# stays. The notices show in home's ticker and banner and on the board, marked as from
# the hall; a second kiosk run on the same state.db (a restart) shows them again; they
# expire by the kiosk's clock; staff remove one and it is gone; the staff log has both.
set -euo pipefail
kiosk=$1 content=$2 out=$3 lang=$4
rm -rf "$out" && mkdir -p "$out"
run() {
  "$kiosk" --headless --content "$content" --state "$out/state.db" --script "$out/$1.kscript" --out "$out" \
    2> "$out/$1.stderr" || { cat "$out/$1.stderr"; echo "FAIL ($lang): $2"; exit 1; }
}
if [ "$lang" = zh ]; then
  type_title1='tap-id snote.title
ime "chuangkou" 1
ime "jintian" 1
ime "zanting" 1
ime "banli" 1'
  title1='窗口今天暂停办理'
  type_title2='tap-id snote.title
ime "fuyinji" 1
ime "weixiu" 1'
  title2='复印机维修'
  urgent='【紧急】' more=' 全文 ›' from='本厅发布'
  no_title='请填写标题。' past='这个日期已经过去了' not_date='这不是日期' posted='通知已发布。' removed='通知已撤下。'
  menu='发布本厅通知' none='没有正在显示的本厅通知。'
else
  type_title1='tap-id snote.title
type "Window 9 closed today"'
  title1='Window 9 closed today'
  type_title2='tap-id snote.title
type "Copier out of order"'
  title2='Copier out of order'
  urgent='Urgent: ' more=' Read all ›' from='Posted by this hall'
  no_title='Please type a title.' past='This date is in the past' not_date='This is not a date' posted='The notice is posted.'
  removed='The notice is removed.' menu='Post hall notices' none='No hall notice is shown now.'
fi

# 1. post: bad input first, then an urgent one to closing time and a normal one to a date
cat > "$out/post.kscript" <<KS
lang $lang
now 2026-11-28T10:00
staff "246810"
expect-screen staff
tap "$menu"
expect-screen staff-notices
expect "$none"
tap-id snote.post
expect-value snote.title.error "$no_title"
$type_title1
tap-id kb.done
tap-id snote.urgent
tap-id snote.on_date
type "2026-11-27"
tap-id kb.done
tap-id snote.post
expect "$past"
expect-value snote.title "$title1"
expect-value snote.date "2026-11-27"
tap-id snote.date
tap-id kb.back
tap-id kb.back
type "32"
tap-id kb.done
tap-id snote.post
expect "$not_date"
expect-value snote.title "$title1"
expect-value snote.date "2026-11-32"
shot staff-notices-bad-$lang
tree staff-notices-bad-$lang
tap-id snote.closing
tap-id snote.post
expect-value snote.result "$posted"
expect-value snote.title ""
expect "$urgent$title1"
$type_title2
tap-id kb.done
tap-id snote.on_date
type "2026-11-30"
tap-id kb.done
tap-id snote.post
expect-value snote.result "$posted"
expect "$title2"
shot staff-notices-$lang
tree staff-notices-$lang
tap-id nav.home
expect-screen home
expect-value urgent.banner "$urgent$title1$more"
expect-value home.ticker "$urgent$title1$more"
shot staff-notices-home-$lang
tree staff-notices-home-$lang
tap-id home.notices
expect-screen notices
expect-value notice.0.title "$title1"
expect "$title2"
expect "$from"
KS
run post "posting a staff notice"

# 2. a restart: the same state.db in a new kiosk; expiry by the clock; removal
cat > "$out/again.kscript" <<KS
lang $lang
now 2026-11-28T11:00
expect-value urgent.banner "$urgent$title1$more"
tap-id home.notices
expect "$title2"
tap-id nav.home
now 2026-11-28T17:30
wait 9000
expect-not "$title1"
tap-id home.notices
expect "$title2"
expect-not "$title1"
tap-id nav.home
now 2026-11-28T12:00
wait 9000
expect-value urgent.banner "$urgent$title1$more"
staff "246810"
expect-screen staff
expect "notice 2 posted (normal, until 2026-11-30T24:00): $title2"
tap "$menu"
tap-id snote.1.remove
expect-value snote.result "$removed"
expect-not "$title1"
tap-id nav.home
staff "246810"
expect "notice 1 removed"
tap-id nav.home
expect-screen home
expect-not "$title1"
tap-id home.notices
expect "$title2"
expect-not "$title1"
tap-id nav.home
now 2026-11-30T20:00
tap-id home.notices
expect "$title2"
tap-id nav.home
now 2026-12-01T09:00
tap-id home.notices
expect-not "$title2"
KS
run again "after a restart, expiry or removal"
echo "staff_notices ($lang): posted, kept across a restart, expired and removed"
