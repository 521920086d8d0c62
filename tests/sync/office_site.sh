#!/usr/bin/env bash
# office_site.sh - kiosk-office site: the dashboard of a register with open, overdue,
# answered and followed-up items renders in headless Chromium (the screenshot is not
# blank), its markup has a row per submission with overdue ones marked in words, its
# charts are inline SVG, it has no JavaScript, and no file under OUT holds any name,
# phone number or text that was filed.
#   office_site.sh BIN_DIR DEMO_DB
source "$(dirname "$0")/lib.sh"
SRC=$(cd "$HERE/../.." && pwd)/assets/content
O=$T/office OUT=$T/site
NOW=2026-12-01T09:00:00Z
KO() { "$BIN/kiosk-office" --office "$O" --now "$NOW" "$@"; }
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || fail "no chromium (scripts/setup.sh installs it)"

keys
mkdir -p "$WWW/status"
"$BIN/kiosk-office" init "$O" --web-root "$WWW" --sign-key "$T/keys/sign.key" --seal-key "$T/keys/seal.key" \
  --scope "$SCOPE" > /dev/null || fail init
KO publish "$SRC" --scope "$SCOPE" > /dev/null || fail publish
# September's requests are long overdue by December; November's are not yet due
mapfile -t OLD < <("$BIN/office_fill" "$T/keys/seal.pub" "$WWW/inbox" K0001 20260901 4 request)
mapfile -t NEW < <("$BIN/office_fill" "$T/keys/seal.pub" "$WWW/inbox" K0002 20261125 20)
mapfile -t RAT < <("$BIN/office_fill" "$T/keys/seal.pub" "$WWW/inbox" K0003 20261110 20 rating)
# two heartbeats: K0001 well (with failed searches: the kiosks count searches, not
# people), K0002 silent for two days and short of disk
cat > "$WWW/status/K0001.json" <<'EOF'
{"kiosk_id": "K0001", "scope": "demo", "sent_at": "2026-12-01T08:00:00Z", "firmware_version": "0.1.0",
 "content_version": 1, "uptime_seconds": 100, "disk_free_bytes": 5000000000,
 "outbox": {"pending": 0, "uploaded": 3, "exported": 0}, "errors": [],
 "previous_sync": {"finished_at": "2026-12-01T02:00:00Z", "result": "ok", "exit": 0, "errors": []},
 "this_sync": {"installed": null, "uploaded": 0, "upload_failed": 0},
 "failed_searches": [{"day": "2026-11-30", "key": "居住证", "count": 4}, {"day": "2026-12-01", "key": "公积金", "count": 3}, {"day": "2026-10", "key": "居住证", "count": 3}]}
EOF
sed -e 's/K0001/K0002/' -e 's/2026-12-01T08/2026-11-29T08/' -e 's/5000000000/100000000/' \
  -e 's/"failed_searches".*/"failed_searches": []}/' "$WWW/status/K0001.json" > "$WWW/status/K0002.json"
KO ingest > /dev/null || fail ingest
KO reply "${OLD[3]}" --outcome disclosed --date 2026-10-10 > /dev/null || fail "reply"
KO follow-up "${RAT[12]}" --note "回访" > /dev/null || fail "follow-up"
KO site "$OUT" > /dev/null || fail "site"
H=$OUT/index.html

python3 - "$H" "${OLD[@]}" -- "${NEW[@]}" "${RAT[@]}" <<'PY' || fail "the markup"
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
args = sys.argv[2:]; cut = args.index("--")
old, others = args[:cut], args[cut + 1:]
register = html.split('<table id="register">')[1].split("</table>")[0]
rows = {m.group(1): m.group(0) for m in re.finditer(r'<tr[^>]*><td>([A-Z0-9-]+)</td>.*?</tr>', register)}
for r in old[:3]:   # open since September: overdue, in words and in colour
    assert r in rows and "OVERDUE" in rows[r] and 'class="late"' in rows[r], (r, rows.get(r))
assert "OVERDUE" not in rows[old[3]] and "disclosed" in rows[old[3]], rows[old[3]]
for r in others:
    assert r in rows and "OVERDUE" not in rows[r], (r, rows.get(r))
assert len(rows) == len(old) + len(others), len(rows)
assert re.search(r"\.late\{[^}]*background:#b00020", html)
for chart in ("chart-requests", "chart-satisfaction", "chart-searches"):
    svg = re.search(r'<svg id="%s".*?</svg>' % chart, html, re.S)
    assert svg and svg.group(0).count("<rect") > 2, chart
# the top failed search is charted, its days added up (4 + 3), ahead of the other (3)
searches = re.search(r'<svg id="chart-searches".*?</svg>', html, re.S).group(0)
assert re.search(r"<title>居住证: 7.0</title>.*<title>公积金: 3.0</title>", searches, re.S), searches
assert not re.search(r"<script|javascript:|\son[a-z]+=", html, re.I), "JavaScript in the page"
fleet = html.split("<h2>Fleet health</h2>")[1].split("<h2>")[0]
k1 = re.search(r"<tr[^>]*><td>K0001</td>.*?</tr>", fleet).group(0)
k2 = re.search(r"<tr[^>]*><td>K0002</td>.*?</tr>", fleet).group(0)
assert "attention" not in k1 and k1.endswith("<td>no</td></tr>"), k1
assert 'class="attention"' in k2 and "stale, low-disk</td>" in k2, k2
PY
ok "the markup: one row per submission, overdue in words and colour, SVG charts, no JavaScript"

# no personal data anywhere under OUT: names, phones, free text that was filed
hits=$(grep -rl -e '测试人' -e '1390000' -e '窗口排队太久' -e '回访' "$OUT" || true)
[ -z "$hits" ] || fail "personal data under OUT: $hits"
ok "no name, phone or filed text in any file under OUT"

"$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,1800 \
  --screenshot="$T/site.png" "file://$H" > "$T/chromium.log" 2>&1 || { tail -5 "$T/chromium.log"; fail "chromium"; }
/usr/bin/python3 - "$T/site.png" <<'PY' || fail "the screenshot is blank"
import sys
from PIL import Image
im = Image.open(sys.argv[1]).convert("RGB")
assert im.size == (1200, 1800), im.size
px = im.getdata()
dark = sum(1 for p in px if sum(p) < 200)
blue = sum(1 for p in px if p[2] > 150 and p[0] < 60)       # the bars, #1f5fa8
red = sum(1 for p in px if p[0] > 150 and p[1] < 40 and p[2] < 60)  # overdue, #b00020
assert dark > 2000 and blue > 2000 and red > 100, (dark, blue, red)
PY
ok "Chromium renders it: text, the bars of the charts and the red of overdue items are on the screenshot"
echo "all passed"
