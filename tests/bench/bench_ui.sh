#!/usr/bin/env bash
# bench_ui.sh [BUILD_DIR [BEFORE_BUILD_DIR]] - UI frame times at 1080x1920 on the
# software renderer: fling a 20,000-item service list, scroll the longest guide, open
# guides, open the longest guide and the longest document (cold and warm), then the
# longest guide the content compiler allows (gen_content.py --long-guide: 500
# materials, steps, fees and questions, 64 KiB texts). Compiles the demo content with
# that guide added (BUILD_DIR's kiosk-bundle), then adds 20,000 generated services in
# one category.
# With BEFORE_BUILD_DIR (another build, e.g. of main): only the opening figures, of
# both builds, alternately, BENCH_UI_ROUNDS times (3), on the same content.
# Run by hand; prints figures and never fails on them.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
before=${2:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 tests/bench/gen_content.py "$tmp/src" --services 0 --docs 0 --long-guide >/dev/null
"$build/kiosk-bundle" build "$tmp/src" -o "$tmp/content.db" >/dev/null
sqlite3 "$tmp/content.db" <<'SQL'
INSERT INTO category(id, kind, name_zh, name_en, icon, sort) VALUES('bench', 'life_event', '性能测试', 'Benchmark', 'x', 99);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000),
  src AS (SELECT s.*, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS c FROM service s)
INSERT INTO service SELECT printf('bench-%05d', n.i), code, type, agency_id,
  name_zh || '（' || n.i || '）', name_en || ' (' || n.i || ')', summary_zh, summary_en, conditions_zh,
  conditions_en, serves_zh, serves_en, handling, statutory_value, statutory_unit, promised_value,
  promised_unit, visits, online_depth, online_url, guide_url, appointment, window_id, location_zh,
  location_en, hours_zh, hours_en, phone_consult, phone_complaint, free, legal_basis_zh,
  legal_basis_en, pinyin, initials
  FROM n JOIN src ON src.k = n.i % src.c;
INSERT INTO service_category SELECT id, 'bench' FROM service WHERE id LIKE 'bench-%';
SQL
long=$(sqlite3 "$tmp/content.db" "SELECT service_id FROM material WHERE service_id != 'longest-guide' GROUP BY service_id ORDER BY count(*) DESC, service_id LIMIT 1")
echo "content: $(sqlite3 "$tmp/content.db" "SELECT count(*) FROM service_category WHERE category_id='bench'") services in the bench category; the demo's longest guide: $long"
doc=$(sqlite3 "$tmp/content.db" "SELECT id FROM doc ORDER BY length(body_zh) DESC LIMIT 1")
echo "longest document: $doc ($(sqlite3 "$tmp/content.db" "SELECT length(body_zh) FROM doc WHERE id='$doc'") characters)"
# the compiler's longest guide, alone (a build that cannot open it says so and goes on)
longest() {
    echo "-- the compiler's longest guide (longest-guide) as \"the longest guide\":"
    BENCH_UI_OPEN_ONLY=1 "$1/bench_ui" "$tmp/content.db" bench longest-guide 2>&1 | grep -v '^kiosk:' ||
        echo "(bench_ui failed on it)"
}
if [ -z "$before" ]; then
    "$build/bench_ui" "$tmp/content.db" bench "$long" "$doc"
    longest "$build"
    exit 0
fi
for round in $(seq "${BENCH_UI_ROUNDS:-3}"); do
    for b in "$before" "$build"; do
        echo "== round $round: $b"
        BENCH_UI_OPEN_ONLY=1 "$b/bench_ui" "$tmp/content.db" bench "$long" "$doc"
        longest "$b"
    done
done
