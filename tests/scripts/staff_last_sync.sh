#!/usr/bin/env bash
# staff_last_sync.sh KIOSK CONTENT_DB OUTDIR - the staff menu shows when kiosk-sync last
# finished and how, from work_dir/last-run.json as kiosk-sync writes it (finished_at,
# result; sync/README.md), and "never" only when there is no such file (issue 16, 10).
set -euo pipefail
kiosk=$1 content=$2 out=$3
rm -rf "$out" && mkdir -p "$out/sync"
printf '[kiosk]\ncontent_db = %s\nstate_db = %s/state.db\n[sync]\nwork_dir = %s/sync\n' \
  "$content" "$out" "$out" > "$out/kiosk.ini"
run() {
  "$kiosk" --headless --config "$out/kiosk.ini" --script "$out/$1.kscript" --out "$out" 2> "$out/stderr" ||
    { cat "$out/stderr"; echo "FAIL: $2"; exit 1; }
}
cat > "$out/never.kscript" <<'KS'
now 2026-11-28T10:00
staff "246810"
expect-screen staff
expect "还没有同步过"
KS
run never "with no last-run.json the menu says never"
# what agent.c's last_run_save writes (JSON_INDENT(1), its first fields)
cat > "$out/sync/last-run.json" <<'JS'
{
 "finished_at": "2026-11-27T02:13:45Z",
 "result": "failed",
 "exit": 4,
 "content_version": 3,
 "errors": ["network: cannot connect"]
}
JS
cat > "$out/last.kscript" <<'KS'
now 2026-11-28T10:00
staff "246810"
expect-screen staff
expect "2026-11-27T02:13:45Z"
expect "failed"
expect-not "还没有同步过"
KS
run last "the menu does not show last-run.json's finished_at"
echo "staff_last_sync: the menu shows the last sync's time and result"
