#!/usr/bin/env bash
# sync_retry_after.sh - a busy server is retried politely. Timing is read from nginx's
# access log ($msec of each request), not from our own clock:
#  - 503 with "Retry-After: 2": every retry comes at least 2 s after the answer, the
#    attempts stop at 1 + retries, kiosk-sync exits 4 and the heartbeat (which the
#    server does take) reports the failure;
#  - 429 with Retry-After as an HTTP-date: the retry comes no sooner than that date;
#  - a Retry-After longer than retry_max_seconds: no retry this cycle, and the log says
#    why.
#   sync_retry_after.sh BIN_DIR DEMO_DB
source "$(dirname "$0")/lib.sh"

keys
start_server
kiosk_config /busy "retries = 2" "retry_base_ms = 100"
kiosk_v1
publish 2
old_sha=$(sha "$K/content.db")

# times PATH: the $msec of each request for PATH, one per line
times() { awk -v p="$1" '$3 == p { print $1 }' "$SRV/access.log"; }

# ---- 503, Retry-After in seconds
run_code "$T/busy.log" run
[ "$CODE" = 4 ] || fail "503: exit $CODE, not 4 (network)"
mapfile -t t < <(times /busy/bundles/demo/manifest)
[ ${#t[@]} = 3 ] || fail "503: ${#t[@]} requests, want 3 (1 + retries)"
python3 - "${t[@]}" <<'EOF' || fail "503: a retry came sooner than Retry-After allows"
import sys
t = [float(x) for x in sys.argv[1:]]
gaps = [b - a for a, b in zip(t, t[1:])]
print("503 gaps between attempts (s): " + ", ".join("%.3f" % g for g in gaps))
assert all(2.0 <= g < 4.0 for g in gaps), gaps
EOF
grep -q "HTTP 503, retrying in 2.0 s as Retry-After asks (attempt 2 of 3)" "$T/busy.log" || fail "503: the log line"
grep -q "HTTP 503 (after 3 attempts)" "$T/busy.log" || fail "503: the final line"
grep -q 'HTTP 503' "$WWW/status/$KIOSK.json" || fail "503: the heartbeat does not report the failure"
[ "$(sha "$K/content.db")" = "$old_sha" ] || fail "503: content.db changed"
ok "503 + Retry-After: 2 -> 3 attempts, each at least 2 s apart, exit 4, heartbeat tells"

# ---- 429, Retry-After as an HTTP-date (nginx.sh writes now + 3 s into its config)
stop_server
THROTTLE_SECONDS=3 start_server "$PORT"
date_text=$(sed -n 's/.*Retry-After "\([^"]*\)".*/\1/p' "$SRV/nginx.conf")
date_epoch=$(date -d "$date_text" +%s)
kiosk_config /throttle "retries = 2" "retry_base_ms = 100"
run_code "$T/throttle.log" run
[ "$CODE" = 4 ] || fail "429: exit $CODE, not 4"
mapfile -t t < <(times /throttle/bundles/demo/manifest)
[ ${#t[@]} = 3 ] || fail "429: ${#t[@]} requests, want 3"
python3 - "$date_epoch" "${t[@]}" <<'EOF' || fail "429: a retry came before the Retry-After date"
import sys
date, t = float(sys.argv[1]), [float(x) for x in sys.argv[2:]]
print("429 Retry-After date %.0f; attempts at %s" % (date, ", ".join("%+.3f" % (x - date) for x in t)))
assert t[0] < date <= t[1] < t[2], t
EOF
ok "429 + Retry-After: HTTP-date -> the retry waited for the date"

# ---- a Retry-After beyond retry_max_seconds ends the attempts at once
before=$(log_count)
kiosk_config /busy "retries = 2" "retry_max_seconds = 1"
run_code "$T/toolong.log" run
[ "$CODE" = 4 ] || fail "too long: exit $CODE, not 4"
n=$(log_since "$before" | grep -c 'GET /busy/bundles/demo/manifest')
[ "$n" = 1 ] || fail "too long: $n requests, want 1"
grep -q "asks to wait 2 s, more than retry_max_seconds (1): giving up until the next cycle" "$T/toolong.log" ||
  fail "too long: the log line"
ok "Retry-After longer than retry_max_seconds -> no retry this cycle, said so"
echo "sync_retry_after: all passed"
