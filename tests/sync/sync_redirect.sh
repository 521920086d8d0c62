#!/usr/bin/env bash
# sync_redirect.sh - a redirect to another protocol is never followed (issue 16, what
# held up in the review): the office's server (or someone in the way) answering the
# manifest request with a 302 to ftp:// or to file:///etc/passwd gets no request of
# that kind made; kiosk-sync exits 4 (network), content.db is untouched and nothing of
# the redirect's target reaches work_dir.
#   sync_redirect.sh BIN_DIR DEMO_DB
source "$(dirname "$0")/lib.sh"

keys
start_server
kiosk_config
kiosk_v1
publish 2
old_sha=$(sha "$K/content.db")
for proto in ftp file; do
  kiosk_config "/redirect-$proto"
  run_code "$T/$proto.log" run
  [ "$CODE" = 4 ] || { cat "$T/$proto.log"; fail "302 to $proto: exit $CODE, not 4 (network)"; }
  grep -qi "protocol\|redirect" "$T/$proto.log" || { cat "$T/$proto.log"; fail "302 to $proto: the log does not say why"; }
  grep -q "GET /redirect-$proto/bundles/$SCOPE/manifest" "$SRV/access.log" || fail "302 to $proto: the manifest was not asked for"
  [ "$(sha "$K/content.db")" = "$old_sha" ] || fail "302 to $proto: content.db changed"
  ! grep -rq "root:" "$K/sync" 2>/dev/null || fail "302 to file: /etc/passwd reached work_dir"
  ok "a 302 to $proto:// is refused: exit 4, content.db untouched"
done
echo "2 passed, 0 failed"
