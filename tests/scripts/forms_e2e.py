#!/usr/bin/python3
"""forms_e2e.py KIOSK KIOSK_BUNDLE CONTENT_DB SEAL_KEY OUTDIR - an information request
filed through the screens, end to end:
 1. nothing the visitor typed (name, ID number, phone, email) is anywhere on disk in
    plaintext: not in state.db, its -wal and -shm, nor in what the kiosk logged;
 2. the outbox opened with the office's secret key gives back exactly what was typed;
 3. the status screen finds the receipt (its number computed here, independently,
    from the documented check-character scheme) and says it is waiting to be sent;
    a number with one character mistyped is refused by its check character."""
import json, os, subprocess, sys

kiosk, bundle, content, seal_key, out = sys.argv[1:6]
here = os.path.dirname(os.path.abspath(__file__))
os.makedirs(out, exist_ok=True)
state = os.path.join(out, "state.db")
for f in (state, state + "-wal", state + "-shm"):
    if os.path.exists(f):
        os.remove(f)
failures = checks = 0

def check(cond, what):
    global failures, checks
    print(("ok   " if cond else "FAIL ") + what)
    failures += not cond
    checks += 1

def run(script_path, name):
    p = subprocess.run([kiosk, "--headless", "--content", content, "--state", state,
                        "--script", script_path, "--out", out], capture_output=True)
    open(os.path.join(out, name + ".log"), "wb").write(p.stdout + p.stderr)
    return p

p = run(os.path.join(here, "request_zh.kscript"), "request")
check(p.returncode == 0, "the request is filed through the screens")

typed = {"name": "王小明", "id-number": "11010519491231002X", "phone": "13800138000",
         "email": "wang@example.com"}
blobs = b""
for f in (state, state + "-wal", state + "-shm", os.path.join(out, "request.log")):
    if os.path.exists(f):
        blobs += open(f, "rb").read()
for k, v in typed.items():
    check(v.encode() not in blobs, f"the typed {k} is nowhere on disk or in the log in plaintext")
# the ID number is also not there in its masked or lower-case forms' long parts
check(b"110105194912310" not in blobs, "no long run of the ID number is on disk either")

p = subprocess.run([bundle, "open-submission", "--key", seal_key, state], capture_output=True, text=True)
subs = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
check(p.returncode == 0 and len(subs) == 1, "the outbox holds one sealed submission the office can open")
if subs:
    fields = subs[0]["fields"]
    for k, v in typed.items():
        check(fields.get(k) == v, f"opened, the {k} is exactly what was typed")
    check(fields.get("applicant-type") == "citizen" and fields.get("delivery") == "email",
          "the choices come back as chosen")

# receipt number by the scheme in firmware/core/receipt.h, written here independently
ALPHA = "0123456789ABCDEFGHJKMNPQRSTWXYZ"
def check_char(symbols):
    n, total = len(symbols), 0
    for i, ch in enumerate(symbols):
        total += ALPHA.index(ch) * pow(3, n - i, 31)
    return ALPHA[(-total) % 31]
body = "K0001" + "261127" + "0001"
receipt = f"K0001-261127-0001-{check_char(body)}"
wrong_char = ALPHA[(ALPHA.index(receipt[-1]) + 1) % 31]
mistyped = receipt[:-1] + wrong_char

look = os.path.join(out, "status.kscript")
open(look, "w").write(f"""now 2026-11-28T09:00
tap-id tile.status
type "{mistyped.lower().replace('-', '')}"
tap-id status.look_up
expect "最后一位校验码对不上"
expect-value status.receipt "{mistyped.lower().replace('-', '')}"
tap-id status.receipt
hold-id kb.back 3000
type "{receipt.lower().replace('-', '')}"
tap-id status.look_up
expect-value status.receipt "{receipt}"
expect "政府信息公开申请"
expect "已保存在本机，等待传送"
expect "2026年12月25日"
expect "正在办理"
""")
p = run(look, "status")
check(p.returncode == 0, f"the status screen finds {receipt} and refuses {mistyped}"
      + ("" if p.returncode == 0 else ": " + p.stderr.decode(errors="replace").strip()))
print(f"{checks - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
