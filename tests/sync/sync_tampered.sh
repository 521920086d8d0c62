#!/usr/bin/env bash
# sync_tampered.sh - what the review found held up (issue 16), kept: a tampered head
# (the manifest a kiosk reads first), a tampered bundle and a tampered status feed on
# the office's server are never accepted by a real kiosk-sync cycle: content.db and
# the status cache stay as they were, and the cycle says it refused them.
#   sync_tampered.sh BIN_DIR DEMO_DB
source "$(dirname "$0")/lib.sh"

keys
start_server
kiosk_config
kiosk_v1
old_sha=$(sha "$K/content.db")
# flip FILE OFFSET: one byte changed (a negative offset counts from the end)
flip() {
  python3 - "$1" "$2" <<'PY'
import sys
p, at = sys.argv[1], int(sys.argv[2])
b = bytearray(open(p, "rb").read())
b[at] ^= 0x10
open(p, "wb").write(b)
PY
}

# ---- a head with one byte changed (in the signed manifest, past the fixed header)
publish 2
flip "$WWW/bundles/$SCOPE/manifest" 60
run_code "$T/head.log" run
[ "$CODE" != 0 ] || fail "a tampered head: exit 0"
[ "$(sha "$K/content.db")" = "$old_sha" ] || fail "a tampered head: content.db changed"
grep -q "GET /bundles/$SCOPE/2.kbundle" "$SRV/access.log" && fail "a tampered head: the bundle was downloaded anyway"
ok "a tampered head is refused before the bundle is fetched (exit $CODE)"

# ---- a bundle with one byte changed in its payload, under a good head
publish 3
flip "$WWW/bundles/$SCOPE/3.kbundle" -100
run_code "$T/bundle.log" run
[ "$CODE" != 0 ] || fail "a tampered bundle: exit 0"
[ "$(sha "$K/content.db")" = "$old_sha" ] || fail "a tampered bundle: content.db changed"
ok "a tampered bundle is refused (exit $CODE)"

# ---- a status feed with one byte changed inside its signed body
mkdir -p "$WWW/status-feed"
cat > "$T/entries.json" <<JS
[{"receipt": "K0001-261101-0001-0", "status": "replied", "outcome": "disclosed",
  "updated_at": "2026-11-20T08:00:00Z"}]
JS
KB sign-feed --key "$T/keys/sign.key" --scope "$SCOPE" "$T/entries.json" -o "$WWW/status-feed/$SCOPE.json" >/dev/null
sed -i 's/disclosed/Disclosed/' "$WWW/status-feed/$SCOPE.json"
run_code "$T/feed.log" run
grep -qi "feed" "$T/feed.log" || fail "a tampered feed: the log does not mention it"
n=$(sqlite3 "$K/state.db" "SELECT count(*) FROM status_cache" 2>/dev/null || echo 0)
[ "$n" = 0 ] || fail "a tampered feed: $n entries cached"
ok "a tampered status feed is refused: nothing cached"
echo "3 passed, 0 failed"
