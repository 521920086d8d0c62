# lib.sh - sourced by the tests/sync/*.sh tests: a central office (keys, a real nginx,
# published bundles) and one kiosk (config, content.db, state.db) in a temp dir.
#
#   source lib.sh BIN_DIR DEMO_DB
# BIN_DIR holds kiosk-sync, kiosk-bundle and sync_outbox_fill; DEMO_DB is the content
# database the build made from assets/content (content_version 0). KEEP=1 keeps $T.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN=$(cd "${1:?usage: TEST BIN_DIR DEMO_DB}" && pwd)
DEMO_DB=${2:?usage: TEST BIN_DIR DEMO_DB}
T=$(mktemp -d /tmp/kiosk-sync-test-XXXXXX)
SRV=$T/srv
WWW=$SRV/www
K=$T/k
SCOPE=demo
KIOSK=K0001
mkdir -p "$SRV" "$K" "$T/keys"

cleanup() {
  "$HERE/nginx.sh" stop "$SRV" 2>/dev/null || true
  if [ -z "${KEEP:-}" ]; then rm -rf "$T"; else echo "kept $T" >&2; fi
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  if [ -f "$SRV/access.log" ]; then
    echo "--- last requests (access.log):" >&2
    tail -n 15 "$SRV/access.log" >&2
  fi
  exit 1
}
ok() { echo "ok: $*"; }

KB() { "$BIN/kiosk-bundle" "$@"; }
KS() { "$BIN/kiosk-sync" --config "$K/kiosk.ini" "$@"; }
# run_ok LOG ARGS...: kiosk-sync ARGS must exit 0; its lines go to LOG and stdout
run_ok() {
  local log=$1 code=0
  shift
  KS "$@" 2> "$log" || code=$?
  cat "$log"
  [ "$code" = 0 ] || fail "kiosk-sync $* exited $code"
}
# run_code LOG ARGS...: sets CODE to kiosk-sync's exit status
run_code() {
  local log=$1
  shift
  CODE=0
  KS "$@" 2> "$log" || CODE=$?
  cat "$log"
}

db_version() { sqlite3 "$1" "SELECT value FROM meta WHERE key = 'content_version'"; }
db_check() { sqlite3 "$1" "PRAGMA integrity_check"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
log_count() { if [ -f "$SRV/access.log" ]; then wc -l < "$SRV/access.log"; else echo 0; fi; }
# the access log lines after the first N
log_since() { tail -n +"$(( $1 + 1 ))" "$SRV/access.log"; }

keys() { KB keygen --out "$T/keys" >/dev/null; }

start_server() { PORT=$("$HERE/nginx.sh" start "$SRV" "${1:-}"); }
stop_server() { "$HERE/nginx.sh" stop "$SRV"; }

# kiosk_config [URL_PREFIX] [extra "key = value" lines for [sync]...]
kiosk_config() {
  local prefix=${1:-}
  shift || true
  {
    echo "[kiosk]"
    echo "kiosk_id = $KIOSK"
    echo "scope = $SCOPE"
    echo "content_db = $K/content.db"
    echo "state_db = $K/state.db"
    echo "central_url = http://127.0.0.1:$PORT$prefix"
    echo "sign_public_keys = $T/keys/sign.pub"
    echo "seal_public_key = $T/keys/seal.pub"
    echo "[sync]"
    echo "work_dir = $K/sync"
    echo "connect_timeout = 5"
    echo "low_speed_limit = 1000"
    echo "low_speed_time = 10"
    echo "retries = 2"
    echo "retry_base_ms = 200"
    echo "retry_max_seconds = 10"
    for line in "$@"; do echo "$line"; done
  } > "$K/kiosk.ini"
}

# pack VERSION OUT [extra pack options...]: the demo content as version VERSION
pack() {
  local v=$1 out=$2
  shift 2
  KB pack --key "$T/keys/sign.key" --version "$v" --scope "$SCOPE" "$@" "$DEMO_DB" -o "$out" >/dev/null
}

# publish VERSION [extra pack options...]: bundle first, then its manifest, the order
# the office must keep so a kiosk never sees a manifest whose bundle is missing
publish() {
  local v=$1
  shift
  mkdir -p "$WWW/bundles/$SCOPE"
  local m=$WWW/bundles/$SCOPE/manifest
  pack "$v" "$WWW/bundles/$SCOPE/$v.kbundle" --manifest-out "$m.new" "$@"
  # nginx's ETag is mtime (seconds) and size: a manifest of the same size published in
  # the same second would answer 304; as kiosk-office publish does, take a later second
  if [ -e "$m" ] && [ "$(stat -c %Y "$m.new")" -le "$(stat -c %Y "$m")" ]; then
    touch -d "@$(( $(stat -c %Y "$m") + 1 ))" "$m.new"
  fi
  mv "$m.new" "$m"
}

# a kiosk with content version 1, installed through kiosk-sync install
kiosk_v1() {
  pack 1 "$T/v1.kbundle"
  KS install "$T/v1.kbundle" 2>/dev/null || fail "installing version 1 locally"
  [ "$(db_version "$K/content.db")" = 1 ] || fail "content.db is not version 1"
}
