#!/usr/bin/env bash
# usb_feed.sh - the status feed by USB stick (issue 15): a kiosk that never reaches the
# office gets the signed feed on the office's stick (status-feed/<scope>.json) and
# usb-import applies it with the network path's checks. A visitor's receipt then
# shows the office's outcome on the status screen (the real kiosk, scripted) instead
# of "in progress"; the same stick again, an older feed, another hall's feed and a
# feed with a changed byte are refused, each with its reason, and change nothing.
#   usb_feed.sh BIN_DIR DEMO_DB
source "$(dirname "$0")/lib.sh"

PORT=9 # no server: this kiosk is offline
keys
kiosk_config
STICK=$T/stick
mkdir -p "$STICK/status-feed"
mapfile -t receipts < <("$BIN/sync_outbox_fill" "$K/state.db" "$T/keys/seal.pub" "$KIOSK" 1)
[ ${#receipts[@]} -eq 1 ] || fail "outbox fill"
R=${receipts[0]}

# status SCRIPT_NAME LANG: the kiosk's status screen for R; prints the outcome's words
status() {
  local out=$T/$1
  mkdir -p "$out"
  {
    echo "lang $2"
    echo "open status $R"
    echo "tap-id status.look_up"
    echo "tree status"
  } > "$out/script"
  "$BIN/kiosk" --headless --content "$DEMO_DB" --state "$K/state.db" --script "$out/script" --out "$out" \
    2> "$out/stderr" || { cat "$out/stderr" >&2; fail "the kiosk's status script"; }
  python3 - "$out/status.json" <<'EOF'
import json, sys
w = [n for n in json.load(open(sys.argv[1]))["widgets"] if n["id"] == "status.outcome"]
print(w[0]["label"] if w else "(no outcome shown)")
EOF
}

before=$(status before zh)
[ "$before" = "正在办理" ] || fail "before the stick, the outcome shows \"$before\", expected 正在办理 (in progress)"
ok "before the stick: $R shows 正在办理"

# sign ENTRIES_UPDATED_AT OUTCOME OUT [SCOPE]: a feed for R, as the office signs it
sign() {
  cat > "$T/entries.json" <<EOF
[{"receipt": "$R", "status": "replied", "outcome": "$2", "updated_at": "$1", "due_date": "2026-12-18"}]
EOF
  KB sign-feed --key "$T/keys/sign.key" --scope "${4:-$SCOPE}" "$T/entries.json" -o "$3" >/dev/null
}
sign 2026-11-20T08:00:00Z disclosed "$T/old-feed.json"
sleep 1 # created_at has one-second steps: the next feed is newer
sign 2026-11-21T08:00:00Z partly_disclosed "$STICK/status-feed/$SCOPE.json"

run_code "$T/import1.log" usb-import "$STICK" > "$T/import1.out"
cat "$T/import1.out"
[ "$CODE" = 0 ] || fail "usb-import of a stick with only a feed exited $CODE"
grep -qx "status-feed/$SCOPE.json: Request status updated: 1 entries, 1 changed \[ok\]" "$T/import1.out" ||
  fail "usb-import's line for the feed"
[ "$(sqlite3 "$K/state.db" "SELECT outcome FROM status_cache WHERE receipt = '$R'")" = partly_disclosed ] ||
  fail "the feed's outcome is not in state.db's status cache"
python3 - "$K/sync/usb-last.json" <<'EOF' || fail "usb-last.json: $(cat "$K/sync/usb-last.json")"
import json, sys
j = json.load(open(sys.argv[1]))
f = j["feed"]
assert f["result"] == "applied" and f["reason"] == "ok" and f["entries"] == 1 and f["changed"] == 1, f
assert "办理进度信息已更新" in j["message_zh"] and "Request status updated" in j["message_en"], j
EOF
# the kiosk's USB notice shows the first message_zh of usb-last.json: the summary, then the feed
grep -m1 '"message_zh"' "$K/sync/usb-last.json" | grep -q "。办理进度信息已更新：1 条，其中 1 条有变化" ||
  fail "the words the kiosk shows lack the feed: $(grep -m1 '"message_zh"' "$K/sync/usb-last.json")"
after=$(status after zh)
[ "$after" = "部分公开" ] || fail "after the stick, the outcome shows \"$after\", expected 部分公开"
after_en=$(status after-en en)
[ "$after_en" = "Partly disclosed" ] || fail "after the stick (en), the outcome shows \"$after_en\""
ok "after the stick: $R shows 部分公开 / Partly disclosed; usb-last.json says so"

# refused: an older feed, another hall's, a changed one
refuse() {
  local name=$1 reason=$2
  run_code "$T/$name.log" usb-import "$STICK" > "$T/$name.out"
  grep -q "^status-feed/$SCOPE.json: Request status not updated: .* \[$reason\]$" "$T/$name.out" ||
    fail "$name: expected a refusal [$reason]: $(cat "$T/$name.out")"
  grep -q "kiosk-sync: usb-import: status feed: $STICK/status-feed/$SCOPE.json: .* \[$reason\]$" "$T/$name.log" ||
    fail "$name: the technical line"
  [ "$(sqlite3 "$K/state.db" "SELECT outcome FROM status_cache WHERE receipt = '$R'")" = partly_disclosed ] ||
    fail "$name: the status cache changed"
  ok "$name: refused [$reason], exit $CODE"
}
cp "$T/old-feed.json" "$STICK/status-feed/$SCOPE.json"
refuse older not-newer
sign 2026-11-22T08:00:00Z not_disclosed "$STICK/status-feed/$SCOPE.json" hall-2
refuse foreign foreign-scope
sign 2026-11-22T08:00:00Z not_disclosed "$STICK/status-feed/$SCOPE.json"
sed -i 's/not_disclosed/disclosed_xx/' "$STICK/status-feed/$SCOPE.json"
refuse changed bad-signature
[ "$CODE" = 3 ] || fail "a stick with only a refused feed exited $CODE, expected 3"
