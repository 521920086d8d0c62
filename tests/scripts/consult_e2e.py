#!/usr/bin/python3
"""consult_e2e.py KIOSK KIOSK_BUNDLE CONTENT_DB SEAL_KEY OUTDIR - a named comment on an
open consultation, filed through the screens, end to end:
 1. the outbox holds one row of kind "comment", with no reply date (a comment is not
    a request);
 2. the office's key opens it: the consultation's id, the answer to its question, the
    comment, the name and phone, exactly as typed;
 3. nothing typed is on disk in plaintext (state.db, -wal, -shm, the kiosk's log);
 4. once the visitor is back on the home screen, nothing typed is left in the kiosk's
    writable memory (scan_memory.py; as root, not under AddressSanitizer, as in
    ime_forget.sh).
The script types each text in two pieces, so the script itself (which the kiosk holds
in memory) never holds a whole one."""
import json, os, sqlite3, subprocess, sys

kiosk, bundle, content, seal_key, out = sys.argv[1:6]
here = os.path.dirname(os.path.abspath(__file__))
os.makedirs(out, exist_ok=True)
state = os.path.join(out, "state.db")
for f in (state, state + "-wal", state + "-shm", os.path.join(out, "scan.txt")):
    if os.path.exists(f):
        os.remove(f)
failures = checks = 0

def check(cond, what):
    global failures, checks
    print(("ok   " if cond else "FAIL ") + what)
    failures += not cond
    checks += 1

typed = {"q1": "The 80+ subsidy is too small", "comment": "Nearest meal point is far",
         "name": "Meiling Zhou", "phone": "13912345678"}
def pieces(s):
    h = len(s) // 2
    return f'type "{s[:h]}"\ntype "{s[h:]}"\n'

scan = not (os.geteuid() != 0 or b"libasan" in subprocess.run(["ldd", kiosk], capture_output=True).stdout)
needles = os.path.join(out, "needles")
open(needles, "w").write("".join(v + "\n" for v in typed.values()))
script = os.path.join(out, "comment.kscript")
open(script, "w").write(
    "now 2026-11-27T10:00\nlang en\ntap-id tile.consult\n"
    "tap-id consult.open.elderly-meal-aid-2026\ntap-id consult.comment\nexpect-screen form\n"
    "tap-id field.q1\n" + pieces(typed["q1"]) + "tap-id kb.done\n"
    "tap-id field.comment\n" + pieces(typed["comment"]) + "tap-id kb.done\n"
    "tap-id form.next\ntap \"With my name\"\n"
    "tap-id field.name\n" + pieces(typed["name"]) + "tap-id kb.done\n"
    "tap-id field.phone\n" + pieces(typed["phone"]) + "tap-id kb.done\n"
    "tap-id form.next\ntap-id form.submit\nexpect-screen receipt\n"
    "tap-id nav.home\nwait 500\nexpect-screen home\n"
    + (f"sh \"python3 '{here}/scan_memory.py' $PPID '{needles}' > '{out}/scan.txt' 2>&1\"\n" if scan else ""))
p = subprocess.run([kiosk, "--headless", "--content", content, "--state", state,
                    "--script", script, "--out", out], capture_output=True)
log = os.path.join(out, "kiosk.log")
open(log, "wb").write(p.stdout + p.stderr)
check(p.returncode == 0, "the comment is filed through the screens"
      + ("" if p.returncode == 0 else ": " + p.stderr.decode(errors="replace").strip()[-400:]))
if scan:
    print(open(os.path.join(out, "scan.txt")).read().strip() if os.path.exists(os.path.join(out, "scan.txt")) else "")
    check(p.returncode == 0, "nothing typed is left in the kiosk's memory back on the home screen")
else:
    print("(memory not scanned: needs root and the plain build)")

db = sqlite3.connect(state)
rows = db.execute("SELECT kind, due_date, sealed IS NOT NULL FROM outbox").fetchall()
db.close()
check(rows == [("comment", "", 1)], f"the outbox holds one sealed comment with no reply date: {rows}")

blobs = b""
for f in (state, state + "-wal", state + "-shm", log):
    if os.path.exists(f):
        blobs += open(f, "rb").read()
for k, v in typed.items():
    check(v.encode() not in blobs, f"the typed {k} is nowhere on disk or in the log in plaintext")

p = subprocess.run([bundle, "open-submission", "--key", seal_key, state], capture_output=True, text=True)
subs = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
check(p.returncode == 0 and len(subs) == 1, "the office's key opens the one submission")
if subs:
    s = subs[0]
    check(s.get("kind") == "comment" and s.get("consultation") == "elderly-meal-aid-2026",
          f"it is a comment on elderly-meal-aid-2026: {s.get('kind')}, {s.get('consultation')}")
    f = s.get("fields", {})
    for k, v in typed.items():
        check(f.get(k) == v, f"opened, the {k} is exactly what was typed")
    check(f.get("q2") == "" and f.get("identity") == "named",
          "the unanswered question is empty and the visitor chose to give a name")
print(f"{checks - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
