#!/usr/bin/env bash
# soak.sh BIN_DIR DEMO_DB - 72 virtual hours of one kiosk, in a few minutes: the kiosk
# runs its script on a fast virtual clock (the `skip` step, firmware/screens/soak.h)
# from Wednesday 30 September 2026 06:00 to Saturday 3 October 06:00, across the
# National Day holiday of the demo calendar and two day changes. Visitors come every
# 4-15 minutes from 08:30 to 17:30: they browse guides, documents, help and the status
# screen, search (some find nothing), rate the service now and then and file an
# information request once a day, and walk away: the "still there?" warning, then
# the wipe back home. Every night at 02:00 the office publishes a new content version
# and kiosk-sync runs a real cycle against nginx at the kiosk's virtual time (faketime):
# it installs the content, which the kiosk reopens, uploads the outbox and removes the
# sealed blobs uploaded more than retention_days (1) before. state.db starts with 60
# days of failed searches, as a kiosk in service for months would have.
#
# Checks, each able to fail: the kiosk exits 0 with no sanitizer report; the live heap
# (text cache emptied, soak.h) at the end of each virtual day stays within 5 % of the
# first night's; state.db stays under 1 MB (its WAL is SQLite's to checkpoint); daily search rows older than 31 days were
# rolled up into monthly rows; sealed blobs uploaded before the cut-off are gone while
# later ones stay; the three nightly versions were opened; receipts were filed on
# three different days. Prints state.db's size and the heap per virtual day.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
export TZ=UTC # the kiosk's dates, faketime's and the upload times all in one zone
command -v faketime >/dev/null || fail "faketime missing (scripts/setup.sh installs it)"
KIOSK_BIN=$BIN/kiosk
[ -x "$KIOSK_BIN" ] || fail "no kiosk in $BIN"

keys
start_server
kiosk_config "" "retention_days = 1"
kiosk_v1

# the state.db of a kiosk in service since August: 60 days of failed searches
: > "$T/empty.kscript"
"$KIOSK_BIN" --headless --config "$K/kiosk.ini" --script "$T/empty.kscript" --out "$T/out0" 2>/dev/null ||
  fail "the kiosk could not create state.db"
sqlite3 "$K/state.db" <<'SQL'
WITH RECURSIVE d(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM d WHERE n < 59),
  k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < 19)
INSERT INTO search_miss(day, key, count)
  SELECT date('2026-08-01', '+' || d.n || ' days'), 'query' || k.n, 1 + (d.n + k.n) % 3 FROM d, k;
SQL
old_rows=$(sqlite3 "$K/state.db" "SELECT count(*) FROM search_miss WHERE day < '2026-08-31'")

# the night: a new content version from the office, then one sync cycle at the
# kiosk's virtual time (KIOSK_WALL, set by the skip steps)
cat > "$T/night.sh" <<EOF
#!/usr/bin/env bash
set -eu
v=\$1
when=\$(date -d "@\$KIOSK_WALL" '+%Y-%m-%d %H:%M:%S')
mkdir -p "$WWW/bundles/$SCOPE"
SOURCE_DATE_EPOCH=\$((KIOSK_WALL - 3600)) "$BIN/kiosk-bundle" pack --key "$T/keys/sign.key" --version "\$v" \
  --scope "$SCOPE" "$DEMO_DB" -o "$WWW/bundles/$SCOPE/\$v.kbundle" --manifest-out "$WWW/bundles/$SCOPE/manifest.new" >/dev/null
mv "$WWW/bundles/$SCOPE/manifest.new" "$WWW/bundles/$SCOPE/manifest"
# libfaketime before the sanitizer runtime: tell ASan that is fine
ASAN_OPTIONS=\${ASAN_OPTIONS:+\$ASAN_OPTIONS:}verify_asan_link_order=0 \
  faketime -f "@\$when" "$BIN/kiosk-sync" --config "$K/kiosk.ini" run 2>>"$T/sync.log" || true
printf 'night %s (%s): state.db %s bytes, wal %s bytes\n' "\$v" "\$when" \
  "\$(stat -c %s "$K/state.db")" "\$(stat -c %s "$K/state.db-wal" 2>/dev/null || echo 0)"
EOF
chmod +x "$T/night.sh"

python3 - "$T/soak.kscript" "$HERE/../scripts/request_en.kscript" <<'PY'
import random, sys
out, request_src = sys.argv[1], sys.argv[2]
rng = random.Random(16)
# the English information request of request_en.kscript, without its date checks
request = [l for l in open(request_src).read().splitlines()
           if l and not l.startswith(("#", "now ", "shot ", "tree ", "expect \"Expected"))]
rating = ["tap-id tile.feedback", "tap \"服务评价\"", "expect-screen form", "tap \"满意\"",
          "tap-id form.next", "tap-id form.submit", "expect-screen receipt"]
browse = [
    ["tap-id tile.guides", "tap-id guides.tab.3", "scroll guides.scroll 400"],
    ["tap-id tile.guides", "open guide marriage-reg", "tap-id guide.take_away", "expect-screen qr"],
    ["tap-id tile.disclosure", "tap-id nav.back", "open doc policy-individual-business-2025",
     "tap-id doc.link.interp-individual-business-2025"],
    ["tap-id tile.help"],
    ["tap-id tile.status"],
    ["lang zh", "tap-id nav.search", "tap \"英文\"", "type \"marriage\"", "expect \"Marriage registration\""],
    ["tap-id chrome.large", "tap-id tile.guides", "tap-id chrome.large"],
]
missed = ["tap-id nav.search", "tap \"英文\"", "type \"zzqqxx%s\"", "expect \"没有找到相关内容\"", "tap-id nav.home"]
lines = ["now 2026-09-30T06:00", "heap start"]
night = 2
for day in range(3):
    lines.append("skip-to 08:30")
    minute = 8 * 60 + 30
    filed = False
    while True:
        gap = rng.randint(4, 15)
        minute += gap + 3
        if minute > 17 * 60 + 30:
            break
        lines.append("skip %dm" % gap)
        lines.append("lang %s" % rng.choice(["zh", "zh", "en"]))
        r = rng.random()
        if not filed and minute > 10 * 60:
            lines += ["lang zh"] + request + ["tap-id nav.home"]
            filed = True
        elif r < 0.15:
            lines += ["lang zh"] + rating + ["tap-id nav.home"]
        elif r < 0.25:
            lines += ["lang zh"] + [l % rng.choice("abcdefgh") if "%s" in l else l for l in missed]
        else:
            lines += rng.choice(browse)
        # walks away: the warning after 90 s, the wipe home 30 s later
        lines.append("skip 150")
        lines.append("expect-screen home")
    lines.append("skip-to 02:00")
    lines.append("sh \"%s %d\"" % ("$SOAK_NIGHT", night))
    night += 1
    lines.append("skip 2m")  # the kiosk reopens the new content on the home screen
    lines.append("heap day%d" % (day + 1))
lines.append("skip-to 06:00")
open(out, "w").write("\n".join(lines) + "\n")
PY
visitors=$(grep -c '^skip 150' "$T/soak.kscript")

start=$(date +%s)
set +e
SOAK_NIGHT=$T/night.sh "$KIOSK_BIN" --headless --config "$K/kiosk.ini" --script "$T/soak.kscript" \
  --out "$T/out" >"$T/stdout" 2>"$T/stderr"
rc=$?
set -e
end=$(date +%s)
cat "$T/stdout"
reports=$(cat "$T/stderr" "$T/sync.log" 2>/dev/null |
  grep -cE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: UndefinedBehaviorSanitizer' || true)
[ "$reports" = 0 ] || { tail -n 40 "$T/stderr"; fail "$reports sanitizer reports"; }
[ $rc -eq 0 ] || { tail -n 20 "$T/stderr"; fail "the kiosk exited $rc"; }
echo "soak: 72 virtual hours, $visitors visitors, in $((end - start)) s"

# memory: each day's end within 5 % of the first night's
python3 - "$T/stdout" <<'PY' || fail "the heap grew"
import re, sys
h = {m.group(1): int(m.group(2)) for m in re.finditer(r"^heap (\S+): (\d+) bytes", open(sys.argv[1]).read(), re.M)}
base = h["day1"]
for d in ("day2", "day3"):
    g = 100.0 * (h[d] - base) / base
    print("soak: live heap %s %d bytes (%+.2f %% from day1)" % (d, h[d], g))
    if g > 5:
        sys.exit(1)
PY

# state.db: bounded, rolled up, blobs removed per retention_days
db=$K/state.db
size=$(stat -c %s "$db")
[ "$size" -lt $((1024 * 1024)) ] || fail "state.db is $size bytes"
# the last roll-up ran on 2 October (the first miss or receipt of that day)
left=$(sqlite3 "$db" "SELECT count(*) FROM search_miss WHERE length(day) = 10 AND day < date('2026-10-02', '-31 days')")
monthly=$(sqlite3 "$db" "SELECT count(*) FROM search_miss WHERE day = '2026-08'")
[ "$left" = 0 ] && [ "$monthly" -gt 0 ] ||
  fail "search_miss: $left daily rows older than 31 days left, $monthly monthly rows for August"
echo "soak: search_miss: $old_rows daily rows of August rolled up into $monthly monthly rows"
read -r uploaded purged kept < <(sqlite3 -separator ' ' "$db" \
  "SELECT count(*), sum(sealed IS NULL), sum(sealed IS NOT NULL) FROM outbox WHERE uploaded_at <> ''")
wrong=$(sqlite3 "$db" "SELECT count(*) FROM outbox WHERE uploaded_at <> '' AND
  ((uploaded_at < '2026-10-02T02:00:00Z' AND sealed IS NOT NULL) OR (uploaded_at >= '2026-10-02T02:00:00Z' AND sealed IS NULL))")
pending=$(sqlite3 "$db" "SELECT count(*) FROM outbox WHERE uploaded_at = ''")
[ "${purged:-0}" -gt 0 ] && [ "$wrong" = 0 ] ||
  { cat "$T/sync.log"; fail "retention: $purged of $uploaded uploaded blobs removed, $wrong on the wrong side of the cut-off"; }
grep -q "sealed submissions uploaded before" "$T/sync.log" || fail "kiosk-sync never said it removed blobs"
echo "soak: outbox: $uploaded uploaded, $purged sealed blobs removed after retention_days, $kept kept, $pending waiting"
days=$(sqlite3 "$db" "SELECT count(DISTINCT substr(receipt, 7, 6)) FROM outbox")
[ "$days" -ge 3 ] || fail "receipts on only $days days"
for v in 2 3 4; do
  grep -q "opened new content (version $v)" "$T/stderr" || fail "the kiosk never opened content version $v"
done
echo "soak: content versions 2, 3 and 4 opened at night; receipts filed on $days days, across the holiday"
echo "soak: state.db $size bytes at the end, its WAL $(stat -c %s "$db-wal" 2>/dev/null || echo 0) bytes (SQLite checkpoints it at 1,000 pages)"
