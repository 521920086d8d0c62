#!/usr/bin/env bash
# sync_slow_drip.sh - a server that drips the bundle (nginx limit_rate 100 bytes/s after
# the first KB) is cut off by the low-speed limit (low_speed_limit 1000 B/s for
# low_speed_time 2 s), long before the whole-transfer timeout: kiosk-sync exits 4, says
# the transfer was too slow, keeps what it got for a resume, and content.db stays.
# nginx logs the request when the connection closes: that time, minus the time of the
# manifest request just before, is how long the drip was endured.
#   sync_slow_drip.sh BIN_DIR DEMO_DB
source "$(dirname "$0")/lib.sh"

keys
start_server
kiosk_config /drip "retries = 0" "low_speed_limit = 1000" "low_speed_time = 2" "transfer_timeout = 600"
kiosk_v1
publish 2
old_sha=$(sha "$K/content.db")

run_code "$T/drip.log" run
[ "$CODE" = 4 ] || fail "exit $CODE, not 4 (network)"
grep -q "content: GET .*/drip/bundles/demo/2.kbundle: Operation too slow" "$T/drip.log" ||
  fail "the log does not say the transfer was too slow"
grep -q "bytes kept to resume next time" "$T/drip.log" || fail "the partial download was not kept"
[ "$(sha "$K/content.db")" = "$old_sha" ] || fail "content.db changed"
python3 - "$SRV/access.log" <<'EOF' || fail "the drip was not cut by the low-speed limit"
import sys
manifest = bundle = None
for line in open(sys.argv[1]):
    f = line.split()
    if f[2] == "/drip/bundles/demo/manifest":
        manifest = float(f[0])
    if f[2] == "/drip/bundles/demo/2.kbundle":
        bundle, sent = float(f[0]), int(f[4])
endured = bundle - manifest
print("the drip was endured %.2f s, %d bytes sent" % (endured, sent))
assert 2.0 <= endured < 8.0, endured
assert sent < 8192, sent
EOF
ok "slow drip cut off by the low-speed limit"
echo "sync_slow_drip: all passed"
