#!/usr/bin/python3
"""guide_lazy.py KIOSK KIOSK_BUNDLE OUTDIR - the guide screen opens the longest guide the
content compiler allows (tests/bench/gen_content.py --long-guide: 500 materials, steps,
fees and questions, three texts of 64 KiB) laying out only what is on screen, and the
rest follows, as the reader does (doc_lazy.py):
 1. the first frame lays out only the blocks it shows (the others are in the tree with
    their words, marked estimated), and the tree holds every block of the guide;
 2. scrolled down, the visitor switches to English: every height is a guess again
    (Latin letters' widths are guessed, not known), and when the idle ticks correct the guesses above the view, what the
    visitor sees does not move (the first block on screen stays at the same y);
 3. after scrolling to the end every block is laid out and the end is reachable: the
    legal basis's last line (read from the content here) is inside the scroll area."""
import json, os, sqlite3, subprocess, sys

kiosk, bundle, out = sys.argv[1:4]
here = os.path.dirname(os.path.abspath(__file__))
os.makedirs(out, exist_ok=True)
failures = 0
GUIDE = "longest-guide"

def check(cond, what):
    global failures
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    failures += not cond

subprocess.run([sys.executable, os.path.join(here, "..", "bench", "gen_content.py"), f"{out}/src",
                "--services", "0", "--docs", "0", "--long-guide"], check=True, stdout=subprocess.DEVNULL)
content = f"{out}/content.db"
subprocess.run([bundle, "build", f"{out}/src", "-o", content], check=True, stdout=subprocess.DEVNULL)
db = sqlite3.connect(content)
count = lambda table: db.execute(f"SELECT count(*) FROM {table} WHERE service_id=?", (GUIDE,)).fetchone()[0]
lists = {"material": count("material"), "step": count("step"), "fee": count("fee"), "faq": count("faq")}
basis = db.execute("SELECT legal_basis_zh FROM service WHERE id=?", (GUIDE,)).fetchone()[0]
last_line = basis.rstrip().split("\n")[-1]

def run(name, script):
    with open(f"{out}/{name}.kscript", "w") as f:
        f.write(script)
    r = subprocess.run([kiosk, "--headless", "--content", content, "--state", f"{out}/state.db",
                        "--script", f"{out}/{name}.kscript", "--out", out])
    if r.returncode != 0:
        sys.exit(f"guide_lazy: the script {name} failed ({r.returncode})")

run("guide_lazy", f"""lang zh
open guide {GUIDE}
tree first
scroll guide.scroll 60000
lang en
tree mid
wait 5000
tree mid-settled
lang zh
wait 30000
tree settled
""")

def tree(name):
    """the widgets of tree NAME; a long text's pieces, which share its id, get "#k" added"""
    t, seen = json.load(open(f"{out}/{name}.json"))["widgets"], {}
    for n in t:
        if n["id"] in PIECES:
            seen[n["id"]] = seen.get(n["id"], -1) + 1
            n["uid"] = f"{n['id']}#{seen[n['id']]}"
    return t

def area(t):
    return next(n for n in t if n["id"] == "guide.scroll")["rect"]

PIECES = ("guide.summary", "guide.conditions", "guide.basis")

# the section block each of its lines belongs to (guide.c's blocks)
SECTION = {"type": "what_end", "code": "what_end", "serves": "who_end", "promised": "time",
           "statutory": "time", "visits": "visits", "appointment": "visits", "online": "visits",
           "free": "fees", "location": "where", "map": "where", "hours": "when",
           "phone_consult": "phones", "phone_complaint": "phones"}

def blocks(t):
    """block key -> (laid out, on screen, first node); the top (buttons, facts) is not lazy"""
    a, b = area(t), {}
    for n in t:
        i = n["id"]
        if not i.startswith("guide.") or i in ("guide.scroll", "guide.take_away", "guide.print", "guide.facts") \
                or i.startswith("guide.qr."):  # a material's QR buttons: its other lines tell
            continue
        p = i[6:].split(".")
        if i in PIECES:
            k = (n["uid"],)
        elif p[0] in lists:
            k = (p[0], int(p[1]))
        elif p[0] == "sec":
            k = ("sec", p[1])
        elif SECTION[p[0]] in ("what_end", "who_end"):
            k = (SECTION[p[0]],)
        else:
            k = ("sec", SECTION[p[0]])
        y, h = n["rect"][1], n["rect"][3]
        on = y + h > a[1] and y < a[1] + a[3]
        laid, was_on, first = b.get(k, (True, False, n))
        b[k] = (laid and not n.get("estimated", False), was_on or on, first)
    return b

first, settled = blocks(tree("first")), blocks(tree("settled"))
total = len(settled)
pieces = sum(1 for k in settled if k[0].split("#")[0] in PIECES)
lists_seen = {l: sum(1 for k in settled if k[0] == l) for l in lists}
print(f"the longest guide: {total} blocks ({pieces} pieces of long texts), lists {lists_seen}")
check(lists_seen == lists, f"every material, step, fee and question is a block ({lists})")
check(pieces > 3 * 2, "the 64 KiB texts are laid out in pieces")
check(sorted(first) == sorted(settled), "the first frame's tree holds every block of the guide")
laid = [k for k, v in first.items() if v[0]]
on = [k for k, v in first.items() if v[1]]
print(f"first frame: {len(laid)} of {total} blocks laid out, {len(on)} on screen")
check(0 < len(laid) <= len(on) + 1, "the first frame lays out only the blocks on screen")
check(all(first[k][0] for k in on), "every block on screen is laid out")

# 2: the view stays put while the ticks correct the guesses above it
mid, msettled = tree("mid"), tree("mid-settled")
a = area(mid)
lazy_ids = lambda n: n["id"].startswith("guide.") and n["id"] not in ("guide.scroll",)
top = next(n for n in mid if lazy_ids(n) and n["rect"][1] + n["rect"][3] > a[1] and n["rect"][1] < a[1] + a[3])
uid = lambda n: n.get("uid", n["id"])
after = next((n for n in msettled if uid(n) == uid(top)), None)
above = [n for n in mid if lazy_ids(n) and n.get("estimated") and n["rect"][1] + n["rect"][3] <= a[1]]
moved = sum(m["rect"][3] != n["rect"][3] for n in above for m in msettled if uid(m) == uid(n))
print(f"scrolled 60000 px, then English: {len(above)} blocks above the view were estimated, {moved} of them changed height")
check(moved > 0, "some guessed height above the view was corrected (the check below means something)")
check(after is not None and after["rect"][1] == top["rect"][1],
      f"the first block on screen ({uid(top)}) stays at y {top['rect'][1]} (now {after['rect'][1] if after else None})")
check(not any(n.get("estimated") for n in msettled), "idle ticks lay out every block")

# 3: the end, as far down as the settled tree says the page goes, and a quarter more
# (each drag of the finger loses a little to the touch slop)
t = tree("settled")
a = area(t)
bottom = max(n["rect"][1] + n["rect"][3] for n in t if lazy_ids(n))
run("guide_lazy_end", f"""lang zh
open guide {GUIDE}
wait 30000
scroll guide.scroll {(bottom - a[1] - a[3]) * 5 // 4}
tree end
""")
t, end = tree("end"), blocks(tree("end"))
a = area(t)
check(all(v[0] for v in end.values()), "after scrolling to the end every block is laid out")
lastnode = [n for n in t if n["id"] == "guide.basis"][-1:]
lastnode = lastnode[0] if lastnode else None
check(lastnode is not None and lastnode["label"].endswith(last_line), "the last block ends with the legal basis's last line")
check(lastnode is not None and lastnode["rect"][1] >= a[1] and lastnode["rect"][1] + lastnode["rect"][3] <= a[1] + a[3],
      "the last block is wholly inside the scroll area: the end is reachable")
sys.exit(1 if failures else 0)
