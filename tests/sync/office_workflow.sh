#!/usr/bin/env bash
# office_workflow.sh - kiosk-office from init to the status feed, on real files: init's
# modes and refusals, publish (a content error changes nothing; the last bundles kept),
# ingest (tampered, foreign and stray files quarantined, the rest in; twice changes
# nothing), list's JSON, the request workflow with due dates computed here on our own
# from the calendar's JSON, follow-ups, the audit table, export, import-replies, and a
# signed feed that kiosk-bundle verifies.
#   office_workflow.sh BIN_DIR DEMO_DB
source "$(dirname "$0")/lib.sh"
SRC=$(cd "$HERE/../.." && pwd)/assets/content
O=$T/office
NOW=2026-11-30T09:00:00Z
KO() { "$BIN/kiosk-office" --office "$O" --now "$NOW" "$@"; }
# ko_code ARGS...: sets CODE and ERR (stderr) of kiosk-office ARGS
ko_code() { CODE=0; KO "$@" > "$T/out" 2> "$T/err" || CODE=$?; ERR=$(cat "$T/err"); }
q() { sqlite3 "$O/office.db" "$1"; }
keys
mkdir -p "$WWW"

# ---- init ------------------------------------------------------------------------
cp "$T/keys/seal.key" "$T/open.key"
chmod 644 "$T/open.key"
CODE=0
"$BIN/kiosk-office" init "$T/bad" --web-root "$WWW" --sign-key "$T/keys/sign.key" --seal-key "$T/open.key" \
  --scope "$SCOPE" 2> "$T/err" || CODE=$?
[ "$CODE" = 2 ] && grep -q "open.key: --seal-key: group or others can read it" "$T/err" && [ ! -e "$T/bad/office.ini" ] ||
  fail "init accepted a seal key others can read (exit $CODE: $(cat "$T/err"))"
ok "init refuses a key that others can read"
CODE=0
"$BIN/kiosk-office" init "$WWW/office" --web-root "$WWW" --sign-key "$T/keys/sign.key" \
  --seal-key "$T/keys/seal.key" --scope "$SCOPE" 2> "$T/err" || CODE=$?
[ "$CODE" = 2 ] && [ ! -e "$WWW/office/office.db" ] || fail "init put the office under the web root"
ok "init refuses an office directory under the web root"
"$BIN/kiosk-office" init "$O" --web-root "$WWW" --sign-key "$T/keys/sign.key" --seal-key "$T/keys/seal.key" \
  --scope "$SCOPE,hall-2" > /dev/null || fail "init"
[ "$(stat -c %a "$O")" = 700 ] && [ "$(stat -c %a "$O/office.db")" = 600 ] && [ "$(stat -c %a "$O/office.ini")" = 600 ] ||
  fail "modes: $(stat -c '%n %a' "$O" "$O/office.db" "$O/office.ini")"
[ "$(q 'PRAGMA journal_mode')" = wal ] || fail "office.db is not in WAL mode"
ok "init: office.ini and office.db (WAL), modes 0700/0600"

# ---- publish -----------------------------------------------------------------------
cp -r "$SRC" "$T/content"
python3 - "$T/content/hall.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["phone"] = 12345; json.dump(d, open(sys.argv[1], "w"), ensure_ascii=False)
PY
ko_code publish "$T/content" --scope "$SCOPE"
[ "$CODE" = 2 ] && [ "$(wc -l < "$T/err")" = 1 ] && grep -q '^hall.json: phone: ' "$T/err" || fail "a content error: exit $CODE, $ERR"
[ ! -e "$WWW/bundles/$SCOPE" ] && [ ! -e "$O/content/$SCOPE.db" ] || fail "a content error left something behind"
ok "publish with a content error prints FILE: FIELD: cause and changes nothing"
prev=0
for v in 1 2 3 4; do
  KO publish "$SRC" --scope "$SCOPE" > /dev/null || fail "publish $v"
  # four publishes within a second or two: each manifest still has a later mtime (the
  # web server's ETag), or kiosks asking If-None-Match would be told nothing changed
  m=$(stat -c %Y "$WWW/bundles/$SCOPE/manifest")
  [ "$m" -gt "$prev" ] || fail "publish $v: the manifest's mtime $m is not after $prev"
  prev=$m
done
[ "$(ls "$WWW/bundles/$SCOPE" | tr '\n' ' ')" = "2.kbundle 3.kbundle 4.kbundle manifest " ] ||
  fail "bundles kept: $(ls "$WWW/bundles/$SCOPE")"
KB verify --pub "$T/keys/sign.pub" --manifest "$WWW/bundles/$SCOPE/manifest" > "$T/verify" || fail "the manifest does not verify"
KB verify --pub "$T/keys/sign.pub" "$WWW/bundles/$SCOPE/4.kbundle" > /dev/null || fail "4.kbundle does not verify"
# the manifest is the head of 4.kbundle, byte for byte
cmp -s -n "$(stat -c %s "$WWW/bundles/$SCOPE/manifest")" "$WWW/bundles/$SCOPE/manifest" "$WWW/bundles/$SCOPE/4.kbundle" &&
  KB inspect --pub "$T/keys/sign.pub" "$WWW/bundles/$SCOPE/4.kbundle" | grep -q '^content_version: 4$' ||
  fail "the published manifest is not the head of version 4"
ok "publish: versions 1-4 signed, the manifest names 4, the last 3 bundles kept"

# ---- ingest ------------------------------------------------------------------------
mapfile -t R < <("$BIN/office_fill" "$T/keys/seal.pub" "$WWW/inbox" K0001 20261127 8)
# a tampered file (one byte flipped), a foreign one (sealed to another key), a stray name
mkdir -p "$T/other"
KB keygen --out "$T/other" > /dev/null
mapfile -t F < <("$BIN/office_fill" "$T/other/seal.pub" "$T/foreign" K0002 20261127 1)
mkdir -p "$WWW/inbox/K0002"
cp "$T/foreign/K0002/${F[0]}.sealed" "$WWW/inbox/K0002/"
mapfile -t X < <("$BIN/office_fill" "$T/keys/seal.pub" "$T/tamper" K0003 20261127 1)
mkdir -p "$WWW/inbox/K0003"
python3 - "$T/tamper/K0003/${X[0]}.sealed" "$WWW/inbox/K0003/${X[0]}.sealed" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read()); b[60] ^= 1; open(sys.argv[2], "wb").write(b)
PY
echo "not a submission" > "$WWW/inbox/K0001/notes.txt"
ko_code ingest
cat "$T/out" "$T/err"
[ "$CODE" = 1 ] || fail "ingest with quarantined files exited $CODE"
[ "$(q "SELECT count(*) FROM register")" = 8 ] || fail "register rows: $(q 'SELECT count(*) FROM register')"
[ "$(ls "$O/quarantine" | grep -c '\.reason$')" = 3 ] || fail "quarantine: $(ls "$O/quarantine")"
grep -q "cannot be opened with the seal key" "$O/quarantine/K0002-${F[0]}.sealed.reason" &&
  grep -q "cannot be opened with the seal key" "$O/quarantine/K0003-${X[0]}.sealed.reason" &&
  grep -q "not a sealed submission" "$O/quarantine/K0001-notes.txt.reason" || fail "quarantine reasons"
[ "$(wc -l < "$O/quarantine/K0002-${F[0]}.sealed.reason")" = 1 ] || fail "a reason is not one line"
cmp -s "$T/foreign/K0002/${F[0]}.sealed" "$O/quarantine/K0002-${F[0]}.sealed" || fail "the foreign file was not kept whole"
[ -z "$(find "$WWW/inbox" -type f)" ] || fail "files left in the inbox: $(find "$WWW/inbox" -type f)"
[ "$(ls "$O/archive/K0001" | wc -l)" = 8 ] || fail "archive: $(ls "$O/archive/K0001")"
ok "ingest: 8 registered and archived; tampered, foreign and stray files quarantined with a reason"
before=$(q "SELECT count(*) FROM audit")
ko_code ingest
[ "$CODE" = 0 ] && grep -q "^ingest: 0 registered, 0 already" "$T/out" || fail "the second ingest: $CODE $(cat "$T/out")"
[ "$(q "SELECT count(*) FROM register")" = 8 ] && [ "$(q "SELECT count(*) FROM audit")" = "$before" ] ||
  fail "the second ingest changed the register"
# the same submission uploaded again (a retried PUT) counts once
mkdir -p "$WWW/inbox/K0001"
cp "$O/archive/K0001/${R[0]}.sealed" "$WWW/inbox/K0001/"
ko_code ingest
grep -q "^ingest: 0 registered, 1 already registered" "$T/out" && [ -z "$(find "$WWW/inbox" -type f)" ] ||
  fail "a repeated upload: $(cat "$T/out")"
ok "ingest twice changes nothing; a repeated upload counts once"
[ -z "$(grep -rl '测试人' "$WWW" 2>/dev/null)" ] || fail "personal data under the web root"

# ---- list ----------------------------------------------------------------------------
KO list --json > "$T/list.json"
python3 - "$T/list.json" "${R[0]}" <<'PY' || fail "list --json"
import json, sys
rows = json.load(open(sys.argv[1]))
keys = ["receipt", "kind", "kiosk_id", "scope", "applicant_kind", "submitted_at", "received_on", "due",
        "due_estimated", "status", "outcome", "overdue"]
assert len(rows) == 8, len(rows)
for r in rows:
    assert sorted(r) == sorted(keys), sorted(r)
r = [r for r in rows if r["receipt"] == sys.argv[2]][0]
assert (r["kind"], r["kiosk_id"], r["scope"], r["applicant_kind"], r["status"]) == \
    ("request", "K0001", "demo", "natural_person", "received"), r
assert r["submitted_at"] == "2026-11-27T02:00:00Z" and r["received_on"] is None and r["overdue"] is False, r
assert sorted(x["kind"] for x in rows) == ["feedback"] * 2 + ["rating"] * 2 + ["request"] * 2 + ["survey"] * 2
PY
[ "$(KO list --kind request --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 2 ] ||
  fail "list --kind request"
ko_code list --kind letter
[ "$CODE" = 2 ] && [ "$(wc -l < "$T/err")" = 1 ] && grep -q -- "--kind" "$T/err" || fail "list --kind letter: $CODE $ERR"
ok "list --json has exactly the documented keys; filters work; a bad filter is one line"
! grep -q '测试人\|13900000' "$T/list.json" || fail "list printed personal data"
KO show "${R[0]}" | grep -q '测试人1' || fail "show does not print the submission"
ok "only show prints personal data"

# ---- due dates, computed here from the calendar's JSON --------------------------------
due() { # due START N -> the Nth working day after START, and "est" when past the calendar's years
  python3 - "$SRC/calendar" "$1" "$2" <<'PY'
import datetime, glob, json, sys
hol, work, years = set(), set(), set()
for f in glob.glob(sys.argv[1] + "/*.json"):
    c = json.load(open(f)); years.add(c["year"])
    for h in c["holidays"]:
        d = datetime.date.fromisoformat(h["from"])
        while d <= datetime.date.fromisoformat(h["to"]): hol.add(d); d += datetime.timedelta(1)
    for w in c["workdays"]: work.add(datetime.date.fromisoformat(w["date"]))
d, n, est = datetime.date.fromisoformat(sys.argv[2]), int(sys.argv[3]), False
while n:
    d += datetime.timedelta(1); est |= d.year not in years
    if d in work or (d.weekday() < 5 and d not in hol): n -= 1
print(d.isoformat() + (" est" if est else ""))
PY
}
field() { KO list --json | python3 -c "import json,sys; r=[r for r in json.load(sys.stdin) if r['receipt']=='$1'][0]; print(r['$2'])"; }
REQ=${R[0]} REQ2=${R[4]}
[ "$(field "$REQ" due)" = "$(due 2026-11-27 20)" ] || fail "the unconfirmed due date: $(field "$REQ" due)"
KO confirm "$REQ" --date 2026-11-30 > /dev/null || fail confirm
[ "$(field "$REQ" due)" = "$(due 2026-11-30 20)" ] && [ "$(field "$REQ" status)" = confirmed ] &&
  [ "$(field "$REQ" received_on)" = 2026-11-30 ] || fail "after confirm: due $(field "$REQ" due)"
ok "due: 20 working days from the submission, then from the confirmed receipt date ($(due 2026-11-30 20))"
ko_code confirm "$REQ" --date 2026-12-31
[ "$CODE" = 2 ] && [ "$(wc -l < "$T/err")" = 1 ] || fail "a confirmation date in the future was taken"
ko_code confirm "${R[1]}"
[ "$CODE" = 2 ] && grep -q "not an information request" "$T/err" || fail "a feedback was confirmed"
KO supplement "$REQ" > /dev/null || fail supplement
[ "$(field "$REQ" due)" = None ] && [ "$(field "$REQ" status)" = supplement ] || fail "the clock did not stop"
ko_code supplement "$REQ"
[ "$CODE" = 2 ] && grep -q "only once" "$T/err" || fail "a second supplement was asked"
NOW=2026-12-10T09:00:00Z
KO supplied "$REQ" --date 2026-12-10 > /dev/null || fail supplied
exp=$(due 2026-12-10 20)
[ "$(field "$REQ" due)" = "${exp% est}" ] && [ "$(field "$REQ" due_estimated)" = True ] && [ "$exp" != "${exp% est}" ] ||
  fail "after the supplement: due $(field "$REQ" due) $(field "$REQ" due_estimated), expected $exp"
ok "supplement stops the clock, supplied restarts it; past the calendar's years the due date is an estimate"
KO extend "$REQ" --days 10 > /dev/null || fail extend
base=$(due 2026-12-10 20)
[ "$(field "$REQ" due)" = "$(due "${base% est}" 10 | cut -d' ' -f1)" ] || fail "extend: $(field "$REQ" due)"
ko_code extend "$REQ"
[ "$CODE" = 2 ] && grep -q "only once" "$T/err" || fail "a second extension"
ko_code extend "$REQ2" --days 21
[ "$CODE" = 2 ] && grep -q -- "--days" "$T/err" || fail "an extension of 21 working days"
ok "extend: once, at most 20 working days"

# overdue: computed from the dates at the time asked, never stored
NOW=2027-02-01T09:00:00Z
[ "$(field "$REQ2" overdue)" = True ] && [ "$(field "$REQ" overdue)" = True ] || fail "not overdue in February"
KO list --overdue | grep -q "$REQ2.*OVERDUE" || fail "list --overdue"
NOW=2026-12-10T09:00:00Z
[ "$(field "$REQ2" overdue)" = False ] || fail "overdue stored rather than computed"
ok "overdue is computed from the dates when asked"

ko_code reply "$REQ" --outcome not_disclosed.secret
[ "$CODE" = 2 ] && [ "$(wc -l < "$T/err")" = 1 ] && grep -q "outcome" "$T/err" || fail "a bad outcome key: $ERR"
KO reply "$REQ" --outcome partly_disclosed --reason "第三页涉及第三方" --date 2026-12-10 > /dev/null || fail reply
[ "$(field "$REQ" status)" = replied ] && [ "$(field "$REQ" outcome)" = partly_disclosed ] &&
  [ "$(field "$REQ" overdue)" = False ] || fail "after reply"
ko_code reply "$REQ" --outcome disclosed
[ "$CODE" = 2 ] && grep -q "already replied" "$T/err" || fail "replied twice"
ok "reply takes exactly the outcome keys, once"

# follow-ups: feedback and bad ratings only
RATING_GOOD=${R[2]} FEEDBACK=${R[1]} RATING_BAD=${R[6]}  # rating levels in turn: very-satisfied, satisfied
ko_code follow-up "$RATING_GOOD" --note "called"
[ "$CODE" = 2 ] && grep -q "only feedback and bad ratings" "$T/err" || fail "a good rating was followed up"
KO follow-up "$FEEDBACK" --note "回电说明排队安排" > /dev/null || fail "follow-up of feedback"
[ "$(field "$FEEDBACK" status)" = followed_up ] || fail "feedback not followed up"
# a bad rating: the fourth of office_fill's levels
mapfile -t B < <("$BIN/office_fill" "$T/keys/seal.pub" "$WWW/inbox" K0009 20261201 16 rating)
KO ingest > /dev/null || fail "ingest of ratings"
KO follow-up "${B[12]}" --note "apologised" > /dev/null || fail "follow-up of a bad rating"
ok "follow-up: feedback and bad ratings, not good ratings"

# the audit table: when, what, which command
[ "$(q "SELECT command FROM audit WHERE receipt = '$REQ' ORDER BY id" | tr '\n' ' ')" = \
  "ingest confirm supplement supplied extend reply " ] || fail "audit: $(q "SELECT * FROM audit WHERE receipt = '$REQ'")"
q "SELECT at, what FROM audit WHERE receipt = '$REQ' AND command = 'reply'" | grep -q "^2026-12-10T09:00:00Z|replied on 2026-12-10: partly_disclosed" ||
  fail "audit of the reply"
ok "every change is in the audit table with its time and command"

# export and import-replies
KO export --since 2026-12-10 --format csv > "$T/export.csv"
head -1 "$T/export.csv" | grep -q "^receipt,kind,kiosk_id,scope,applicant_kind,submitted_at,received_on,due," || fail "export header"
[ "$(($(wc -l < "$T/export.csv") - 1))" = "$(q "SELECT count(*) FROM register WHERE updated_at >= '2026-12-10'")" ] || fail "export rows"
KO export --since 2026-01-01 --format json | python3 -c 'import json,sys; assert len(json.load(sys.stdin)) == 24' || fail "export json"
! grep -q '测试人' "$T/export.csv" || fail "export printed personal data"
printf 'receipt,outcome,reason,date\n%s,not_disclosed.third_party,,2026-12-10\n%s,disclosed,,2026-12-10\n' "$REQ2" "${R[1]}" > "$T/bad.csv"
ko_code import-replies "$T/bad.csv"
[ "$CODE" = 2 ] && grep -q "bad.csv:3" "$T/err" && [ "$(field "$REQ2" status)" = received ] || fail "a bad import: $CODE $ERR"
printf 'receipt,outcome,reason,date\n%s,not_disclosed.third_party,"涉及第三方, 已征求意见",2026-12-10\n' "$REQ2" > "$T/good.csv"
KO import-replies "$T/good.csv" > /dev/null || fail "import-replies"
[ "$(field "$REQ2" outcome)" = not_disclosed.third_party ] || fail "the imported reply"
[ "$(q "SELECT reason FROM register WHERE receipt = '$REQ2'")" = "涉及第三方, 已征求意见" ] || fail "the imported reason"
ok "export since a date (csv, json); import-replies checks every line before it applies any"

# ---- the feed ------------------------------------------------------------------------
KO feed > "$T/feed.out" || fail "feed"
KB verify --pub "$T/keys/sign.pub" "$WWW/status-feed/$SCOPE.json" > /dev/null || fail "the feed does not verify"
python3 - "$WWW/status-feed/$SCOPE.json" "$REQ" "$REQ2" <<'PY' || fail "the feed's entries"
import json, sys
env = json.load(open(sys.argv[1])); body = json.loads(env["body"])
assert body["scope"] == "demo" and body["created_at"] == "2026-12-10T09:00:00Z", body
e = {x["receipt"]: x for x in body["entries"]}
assert len(e) == 2, e            # the requests of the scope, nothing else
assert e[sys.argv[2]]["outcome"] == "partly_disclosed" and e[sys.argv[2]]["status"] == "replied", e
assert e[sys.argv[3]]["outcome"] == "not_disclosed" and e[sys.argv[3]]["reason"] == "third_party", e
assert "测试人" not in open(sys.argv[1]).read() and "第三方" not in json.dumps(body, ensure_ascii=False)
PY
[ -f "$WWW/status-feed/hall-2.json" ] || fail "no feed for the second scope"
ok "feed: signed per scope from the register, outcome and sub-reason, no free text"

# ---- comments on consultations (the fourth kind) ---------------------------------------
mapfile -t C < <("$BIN/office_fill" "$T/keys/seal.pub" "$WWW/inbox" K0001 20261209 3 comment)
ko_code ingest
[ "$CODE" = 0 ] && grep -q "^ingest: 3 registered" "$T/out" || fail "ingest of comments: $CODE $(cat "$T/out")"
[ "$(q "SELECT kind || ' ' || detail FROM register WHERE receipt = '${C[1]}'")" = "comment parking-fees-2026" ] ||
  fail "a comment's consultation: $(q "SELECT kind, detail FROM register WHERE receipt = '${C[1]}'")"
KO consultations > "$T/consultations" || fail "consultations"
grep -Eq '^elderly-meal-aid-2026 +2 2026-12-09 2026-12-09 *$' "$T/consultations" &&
  grep -Eq '^parking-fees-2026 +1 ' "$T/consultations" && grep -q '^3 comments on 2 consultations$' "$T/consultations" ||
  fail "comments per consultation: $(cat "$T/consultations")"
KO consultations --json > "$T/consultations.json" || fail "consultations --json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [(x["consultation"], x["comments"]) for x in d] == [("elderly-meal-aid-2026", 2), ("parking-fees-2026", 1)], d' \
  "$T/consultations.json" || fail "consultations --json: $(cat "$T/consultations.json")"
KO list --kind comment > "$T/comments" || fail "list --kind comment"
grep -q "^3 submissions" "$T/comments" && ! grep -q "测试人" "$T/comments" "$T/consultations" ||
  fail "list --kind comment: $(cat "$T/comments")"
ok "ingest registers comments with their consultation; consultations counts them per consultation"
echo "all passed"
