#!/usr/bin/env bash
# bench_office.sh [BUILD_DIR] - kiosk-office's figures (issue 13), run by hand; prints
# figures and never fails on them:
#   ingest of 100,000 sealed submissions (20 kiosks x 5,000, every kind) - target >= 2,000/s
#   report over a year of 1,000,000 register rows                          - target <= 5 s
#   feed of 200,000 entries                                                 - target <= 5 s
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
tmp=$(mktemp -d /tmp/bench-office-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
KO() { "$build/kiosk-office" --office "$tmp/office" --now 2026-12-31T09:00:00Z "$@"; }
secs() { python3 -c "import sys; print('%.2f' % ((int(sys.argv[2]) - int(sys.argv[1])) / 1e9))" "$1" "$2"; }

"$build/kiosk-bundle" keygen --out "$tmp/keys" > /dev/null
mkdir -p "$tmp/www"
"$build/kiosk-office" init "$tmp/office" --web-root "$tmp/www" --sign-key "$tmp/keys/sign.key" \
  --seal-key "$tmp/keys/seal.key" --scope demo > /dev/null
KO publish assets/content --scope demo > /dev/null

echo "== ingest: 100,000 sealed submissions"
t0=$(date +%s%N)
for k in $(seq -w 1 20); do
  "$build/office_fill" "$tmp/keys/seal.pub" "$tmp/www/inbox" "K00$k" 20261127 5000 > /dev/null
done
t1=$(date +%s%N)
echo "generated in $(secs "$t0" "$t1") s ($(du -sh "$tmp/www/inbox" | cut -f1))"
sync
t0=$(date +%s%N)
KO ingest
t1=$(date +%s%N)
s=$(secs "$t0" "$t1")
echo "ingest: 100000 in $s s = $(python3 -c "print(round(100000 / $s))") per second"
t0=$(date +%s%N)
KO ingest
t1=$(date +%s%N)
echo "ingest again (nothing new): $(secs "$t0" "$t1") s"

echo "== feed: 200,000 entries"
# 175,000 requests straight into the register beside the 25,000 ingested above: the
# scope's feed has 200,000 entries
sqlite3 "$tmp/office/office.db" "
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 175000)
INSERT INTO register(receipt, kind, kiosk_id, scope, applicant_kind, submitted_at, submitted_on, received_on, due,
  status, outcome, replied_on, via, sealed_sha256, ingested_at, updated_at, body)
SELECT printf('B%04d-261101-%04d-X', i / 9999, i % 9999 + 1), 'request', 'B0001', 'demo', 'business',
  '2026-11-01T02:00:00Z', '2026-11-01', '2026-11-02', '2026-11-30',
  CASE WHEN i % 3 = 0 THEN 'replied' ELSE 'confirmed' END,
  CASE WHEN i % 3 = 0 THEN 'not_disclosed.third_party' ELSE '' END,
  CASE WHEN i % 3 = 0 THEN '2026-11-20' END, 'network', 'x', 't', '2026-11-20T00:00:00Z', '{}' FROM n"
echo "requests in the scope: $(sqlite3 "$tmp/office/office.db" "SELECT count(*) FROM register WHERE kind = 'request'")"
t0=$(date +%s%N)
KO feed
t1=$(date +%s%N)
echo "feed: $(secs "$t0" "$t1") s, $(stat -c %s "$tmp/www/status-feed/demo.json") bytes"

echo "== report: 1,000,000 register rows"
sqlite3 "$tmp/office/office.db" "
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 725000)
INSERT INTO register(receipt, kind, kiosk_id, scope, applicant_kind, detail, submitted_at, submitted_on,
  received_on, status, outcome, replied_on, via, sealed_sha256, ingested_at, updated_at, body)
SELECT printf('C%04d-260101-%04d-X', i / 9999, i % 9999 + 1),
  CASE i % 5 WHEN 3 THEN 'rating' WHEN 4 THEN 'feedback' ELSE 'request' END, 'C0001', 'demo',
  CASE WHEN i % 5 < 3 THEN (SELECT value FROM json_each('[\"natural_person\",\"business\",\"research\",\"public_interest\",\"legal_service\",\"other_org\"]') WHERE key = i % 6) ELSE '' END,
  CASE i % 5 WHEN 3 THEN (SELECT value FROM json_each('[\"very-satisfied\",\"satisfied\",\"basically-satisfied\",\"dissatisfied\",\"very-dissatisfied\"]') WHERE key = i % 7 % 5) WHEN 4 THEN 'complaint' ELSE '' END,
  date('2026-01-01', '+' || (i % 365) || ' days') || 'T02:00:00Z', date('2026-01-01', '+' || (i % 365) || ' days'),
  CASE WHEN i % 5 < 3 THEN date('2026-01-01', '+' || (i % 365) || ' days') END,
  CASE WHEN i % 5 < 3 AND i % 4 > 0 THEN 'replied' ELSE 'received' END,
  CASE WHEN i % 5 < 3 AND i % 4 > 0 THEN 'disclosed' ELSE '' END,
  CASE WHEN i % 5 < 3 AND i % 4 > 0 THEN date('2026-01-01', '+' || (i % 365 + 15) || ' days') END,
  'network', 'x', 't', 't', '{}' FROM n"
echo "register rows: $(sqlite3 "$tmp/office/office.db" "SELECT count(*) FROM register")"
sync
t0=$(date +%s%N)
KO report --year 2026 --csv "$tmp/r.csv" --html "$tmp/r.html"
t1=$(date +%s%N)
echo "report: $(secs "$t0" "$t1") s"
