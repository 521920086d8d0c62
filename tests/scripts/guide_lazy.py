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
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lazy_checks

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
    lazy_checks.run(kiosk, content, out, name, script)

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

def key(n):
    """the block node N belongs to; None for the top (buttons, facts), which is not lazy"""
    i = n["id"]
    if not i.startswith("guide.") or i in ("guide.scroll", "guide.take_away", "guide.print", "guide.facts") \
            or i.startswith("guide.qr."):  # a material's QR buttons: its other lines tell
        return None
    p = i[6:].split(".")
    if i in PIECES:
        return (n["uid"],)
    if p[0] in lists:
        return (p[0], int(p[1]))
    if p[0] == "sec":
        return ("sec", p[1])
    return (SECTION[p[0]],) if SECTION[p[0]] in ("what_end", "who_end") else ("sec", SECTION[p[0]])

def blocks(t):
    """block key -> (laid out, on screen, first node)"""
    return lazy_checks.blocks(t, area(t), key)

first, settled = blocks(tree("first")), blocks(tree("settled"))
total = len(settled)
pieces = sum(1 for k in settled if k[0].split("#")[0] in PIECES)
lists_seen = {l: sum(1 for k in settled if k[0] == l) for l in lists}
print(f"the longest guide: {total} blocks ({pieces} pieces of long texts), lists {lists_seen}")
check(lists_seen == lists, f"every material, step, fee and question is a block ({lists})")
check(pieces > 3 * 2, "the 64 KiB texts are laid out in pieces")
check(sorted(first) == sorted(settled), "the first frame's tree holds every block of the guide")
lazy_checks.first_frame(check, first, total)

# 2: the view stays put while the ticks correct the guesses above it
mid = tree("mid")
lazy_ids = lambda n: n["id"].startswith("guide.") and n["id"] != "guide.scroll"
lazy_checks.view_stays(check, mid, tree("mid-settled"), area(mid), lazy_ids, lambda n: n.get("uid", n["id"]),
                       "scrolled 60000 px, then English")

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
