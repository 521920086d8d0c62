#!/usr/bin/python3
"""idcard_e2e.py KIOSK KIOSK_BUNDLE CONTENT_DB SEAL_KEY OUTDIR - the ID card reader
(docs/idcard-reader.md) against a reader simulated on a pty (idcard_sim.py), no hardware:

 1. a card: the request form says "lay your ID card on the reader"; the card fills the
    name and ID number (and picks the resident ID card); they stay editable; the review
    masks the number; the request is filed and the office's key opens exactly the card's
    name and number. Once the visitor has left the form, nothing of the card (name, ID
    number, address - in UTF-8 or as the card's UCS-2) is in the kiosk's memory, nor in
    state.db, its -wal and -shm, or what the kiosk logged. In English too.
 2. no card, a card removed mid-read, a wrong checksum, a byte-at-a-time trickle,
    silence: the form fills only from a whole, checked reply; a failed read says so; a
    silent reader gets no hint and the staff menu says it is not answering.
 3. the reader unplugged and plugged in again: the hint goes and comes back, and a card
    then reads.
 4. no reader configured: no hint; the staff menu says none is configured.
 5. a card read, then the visitor walks away: the idle reset wipes it from memory."""
import json, os, signal, subprocess, sys, time

kiosk, bundle, content, seal_key, out = sys.argv[1:6]
here = os.path.dirname(os.path.abspath(__file__))
os.makedirs(out, exist_ok=True)
failures = checks = 0
NAME, ID, ADDRESS = "欧阳娜娜", "11010519491231002X", "北京市东城区景山前街4号"
HINT_ZH, HINT_EN = "请将身份证放在读卡区", "Lay your ID card on the reader"
READ_ZH, READ_EN = "已从身份证读取姓名和证件号码，请核对。", "Your name and ID number were read from the card: please check them."
FAILED_ZH = "没有读取成功，请把身份证重新放在读卡区。"
asan = b"libasan" in subprocess.run(["ldd", kiosk], capture_output=True).stdout
can_scan = os.geteuid() == 0 and not asan

def check(cond, what):
    global failures, checks
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    failures += not cond
    checks += 1

def sim_start(name, scenario, link):
    log = open(os.path.join(out, name + ".sim.log"), "w")
    p = subprocess.Popen([sys.executable, os.path.join(here, "idcard_sim.py"), link, scenario,
                          NAME, ID, ADDRESS], stderr=log)
    for _ in range(200):
        if os.path.exists(link):
            break
        time.sleep(0.02)
    return p

def sim_stop(p):
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
    p.wait(timeout=10)

def run(name, scenario, script, reader=True):
    """the kiosk with a reader on a fresh state.db running SCRIPT; the simulator in
    SCENARIO (None: none started) at out/NAME.tty"""
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    state = os.path.join(d, "state.db")
    for f in (state, state + "-wal", state + "-shm"):
        if os.path.exists(f):
            os.remove(f)
    link = os.path.join(d, "reader")
    if os.path.lexists(link):
        os.remove(link)
    ini = os.path.join(d, "kiosk.ini")
    open(ini, "w").write(f"[devices]\nid_reader = {link}\n" if reader else "")
    needles_file(d)  # for a SCAN step
    ks = os.path.join(d, "script.kscript")
    open(ks, "w").write(script.replace("@D", d).replace("@HERE", here))
    sim = sim_start(name, scenario, link) if scenario else None
    if sim:
        open(os.path.join(d, "sim.pid"), "w").write(str(sim.pid))
    p = subprocess.run([kiosk, "--headless", "--config", ini, "--content", content, "--state", state,
                        "--script", ks, "--out", d], capture_output=True)
    if sim:
        sim_stop(sim)
    open(os.path.join(d, "kiosk.log"), "wb").write(p.stdout + p.stderr)
    if p.returncode != 0:
        print(p.stderr.decode(errors="replace"))
    return p, d

def tree_value(path, wid):
    def walk(n):
        if isinstance(n, dict):
            if n.get("id") == wid:
                return n.get("label")
            for v in n.values():
                r = walk(v)
                if r is not None:
                    return r
        elif isinstance(n, list):
            for v in n:
                r = walk(v)
                if r is not None:
                    return r
        return None
    return walk(json.load(open(path)))

def sim_commands(name):
    log = open(os.path.join(out, name + ".sim.log")).read()
    return {c: log.count("command " + c) for c in ("2001", "2002", "3001")}

def ucs2(s):
    return s.encode("utf-16-le")

# what must not outlive the form: in UTF-8, and as the card holds it (UCS-2)
NEEDLES = [NAME, ID, ADDRESS[3:9], ID[:15]] + ["hex:" + ucs2(x).hex() for x in (NAME, ID, ADDRESS[3:9])]

def needles_file(d):
    f = os.path.join(d, "needles")
    open(f, "w").write("\n".join(NEEDLES) + "\n")
    return f

# the scan's verdict is read from scan.txt, so the script goes on either way
SCAN = """sh "python3 '@HERE/scan_memory.py' \\$PPID '@D/needles' > '@D/scan.txt' 2>&1; true"
"""

def scan_ok(d, what):
    """the memory scan the script ran (SCAN) found nothing"""
    if not can_scan:
        print("skip the memory scan: " + ("AddressSanitizer build" if asan else "needs root"))
        return
    scan = open(os.path.join(d, "scan.txt")).read()
    found = "0 found" not in scan.splitlines()[-1]
    check(not found, what + (":\n" + scan if found else ""))

def tour_ok(d, what):
    """the shots and trees in D pass the tour's checks (contrast, targets, truncation)"""
    t = subprocess.run([os.path.join(here, "check_tour.py"), d], capture_output=True, text=True)
    check(t.returncode == 0, what + ("" if t.returncode == 0 else ":\n" + t.stdout + t.stderr))

# ---- 1. a card, through review and receipt ---------------------------------------------
p, d = run("card", "card", f"""now 2026-11-27T10:00
tap-id tile.request
tap "公民（个人）"
wait-for "{HINT_ZH}" 10
wait-for "{READ_ZH}" 10
shot filled
tree filled
tap-id form.next
expect "第 2 步，共 4 步：所需信息"
tap-id field.info-title
ime "yusuan" 0
tap "预算"
tap-id kb.done
tap-id form.next
tap "电子"
tap "电子邮件"
tap-id form.next
tap-id field.phone
type "13800138000"
tap-id kb.done
tap-id field.email
type "wang@example.com"
tap-id kb.done
tap-id form.next
expect "请核对您填写的内容"
expect "110***********002X"
tree review
scroll form.scroll 3000
tap-id form.submit
expect-screen receipt
expect "提交成功"
wait 500
{SCAN if can_scan else ""}tap "完成，返回首页"
expect-screen home
staff "246810"
expect-screen staff
tree staff
""")
check(p.returncode == 0, "a card fills the request form, which is filed through review and receipt")
if p.returncode == 0:
    f = os.path.join(d, "filled.json")
    check(tree_value(f, "field.name") == NAME, "the name field holds the card's name")
    check(tree_value(f, "field.id-number") == ID, "the ID number field holds the card's number")
    check(tree_value(f, "idcard.hint") == HINT_ZH, "the hint is next to the name and ID fields")
    check(tree_value(f, "choice.id-type.resident-id") is not None and
          "●" in (tree_value(f, "choice.id-type.resident-id") or ""),
          "the resident ID card is picked as the document")
    r = os.path.join(d, "review.json")
    check(ID not in open(r, encoding="utf-8").read() and
          tree_value(r, "review.id-number") == "110***********002X", "the review masks the card's ID number")
    check("已连接，应答正常" in (tree_value(os.path.join(d, "staff.json"), "staff.idcard") or ""),
          "the staff menu says the reader was found and answers")
    c = sim_commands("card")
    check(c["3001"] == 1, f"the card was read once, not again while it lay there ({c})")
    blobs = b""
    state = os.path.join(d, "state.db")
    for fn in (state, state + "-wal", state + "-shm", os.path.join(d, "kiosk.log")):
        if os.path.exists(fn):
            blobs += open(fn, "rb").read()
    for x in (NAME, ID, ID[:15], ADDRESS[3:9]):
        check(x.encode() not in blobs and ucs2(x) not in blobs,
              f"{x!r} from the card is nowhere on disk or in the log in plaintext")
    q = subprocess.run([bundle, "open-submission", "--key", seal_key, state], capture_output=True, text=True)
    subs = [json.loads(l) for l in q.stdout.splitlines() if l.strip()]
    check(q.returncode == 0 and len(subs) == 1, "the outbox holds one sealed submission the office can open")
    if subs:
        fields = subs[0]["fields"]
        check(fields.get("name") == NAME and fields.get("id-number") == ID and fields.get("id-type") == "resident-id",
              "opened, it holds the card's name and ID number and the resident ID card")
        check(ADDRESS not in json.dumps(fields, ensure_ascii=False), "the card's address is not in the submission")
    scan_ok(d, "nothing of the card is in the kiosk's memory once the form is left")
    tour_ok(d, "the form with the hint passes the tour's checks (contrast, targets, truncation)")

# ---- the same in English, editable after the read ----------------------------------------
p, d = run("card_en", "card", f"""now 2026-11-27T10:00
tap-id chrome.lang
tap-id tile.request
tap "Citizen (an individual)"
wait-for "{HINT_EN}" 10
wait-for "{READ_EN}" 10
shot filled-en
tree filled-en
tap-id field.id-number
tap-id kb.back
type "1"
tap-id kb.done
expect "The last (check) character does not match; please check for a typo."
""")
check(p.returncode == 0, "in English: the hint, the card read, and the number stays editable (and checked)")
if p.returncode == 0:
    tour_ok(d, "in English, the form with the hint passes the tour's checks")

# ---- 2. the other scenarios -------------------------------------------------------------
def scenario(name, body, what):
    p, d = run(name, name, "now 2026-11-27T10:00\ntap-id tile.request\ntap \"公民（个人）\"\n" + body)
    check(p.returncode == 0, what)
    return d

EMPTY = 'expect-value field.name ""\nexpect-value field.id-number ""\n'
scenario("none", f'wait-for "{HINT_ZH}" 10\nwait-real 1.5\n' + EMPTY + f'expect-not "{READ_ZH}"\n',
         "no card: the hint stays, nothing is filled")
c = sim_commands("none")
check(c["2001"] >= 2 and c["2002"] == 0, f"no card: the kiosk keeps looking and never selects ({c})")
scenario("removed", f'wait-for "{HINT_ZH}" 10\nwait-for "{FAILED_ZH}" 10\n' + EMPTY,
         "a card removed mid-read: nothing is filled, the visitor is asked to lay it again")
scenario("badsum", f'wait-for "{FAILED_ZH}" 10\n' + EMPTY,
         "a wrong checksum: nothing is filled, the visitor is asked to lay it again")
scenario("trickle", f'wait-for "{READ_ZH}" 20\nexpect-value field.name "{NAME}"\n'
         f'expect-value field.id-number "{ID}"\n', "a byte-at-a-time trickle still reads the card")
scenario("silence", f'wait-real 3\nexpect-not "{HINT_ZH}"\n' + EMPTY +
         'staff "246810"\nexpect-screen staff\nexpect "已连接，但没有应答"\n',
         "silence: no hint, nothing filled, the staff menu says the reader does not answer")
# On home no form wants a card, so the kiosk only checks now and then that the reader is
# there, and its loop is not woken every 300 ms all day.
p, d = run("home_idle", "none", 'now 2026-11-27T10:00\nwait-real 4\nexpect-screen home\n')
c = sim_commands("home_idle")
check(p.returncode == 0 and 1 <= c["2001"] <= 2,
      f"on home the kiosk looks for the reader once, not every 300 ms ({c})")
c = sim_commands("silence")
check(c["2001"] >= 1 and c["2002"] == 0, f"silence: the kiosk asked and did not go on ({c})")

# ---- 3. unplugged and plugged in again ------------------------------------------------------
d3 = os.path.join(out, "replug")
p, d = run("replug", "none", f"""now 2026-11-27T10:00
tap-id tile.request
tap "公民（个人）"
wait-for "{HINT_ZH}" 10
sh "kill $(cat '{d3}/sim.pid'); sleep 0.3"
wait-gone "{HINT_ZH}" 10
sh "{sys.executable} {here}/idcard_sim.py {d3}/reader card {NAME} {ID} {ADDRESS} </dev/null >/dev/null 2>'{d3}/sim2.log' & echo $! > '{d3}/sim2.pid'; sleep 0.5"
wait-for "{HINT_ZH}" 10
wait-for "{READ_ZH}" 10
expect-value field.name "{NAME}"
""")
if os.path.exists(os.path.join(d3, "sim2.pid")):
    try:
        os.kill(int(open(os.path.join(d3, "sim2.pid")).read()), signal.SIGTERM)
    except (ProcessLookupError, ValueError):
        pass
check(p.returncode == 0, "the reader unplugged: the hint goes; plugged in again: it comes back and a card reads")

# ---- 4. no reader configured ----------------------------------------------------------------
p, d = run("unconfigured", None, f"""now 2026-11-27T10:00
tap-id tile.request
tap "公民（个人）"
wait-real 0.5
expect-not "{HINT_ZH}"
expect-screen form
staff "246810"
expect "身份证阅读器"
expect "未配置"
""", reader=False)
check(p.returncode == 0, "no reader configured: no hint, and the staff menu says so")

# ---- 5. read, then left alone: the idle reset wipes it ----------------------------------------
p, d = run("idle", "card", f"""now 2026-11-27T10:00
tap-id tile.request
tap "公民（个人）"
wait-for "{READ_ZH}" 10
idle 91
expect-screen idle-warning
idle 31
expect-screen home
wait 500
{SCAN if can_scan else ""}""")
check(p.returncode == 0, "a card read, then the visitor walks away: the kiosk goes home")
if p.returncode == 0:
    scan_ok(d, "nothing of the card is in memory after the idle reset")

print(f"{checks - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
