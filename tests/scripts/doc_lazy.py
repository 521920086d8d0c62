#!/usr/bin/python3
"""doc_lazy.py KIOSK CONTENT_DB OUTDIR - the reader opens the longest document of the
content laying out only what is on screen, and the rest follows:
 1. the first frame lays out only the blocks it shows (the others are in the tree with
    their text, marked estimated), and the tree holds every block of the body;
 2. scrolled down, the visitor switches to large text: every height is a guess again,
    and when the idle ticks correct the guesses above the view, what the visitor sees
    does not move (the first block on screen stays at the same y);
 3. after scrolling to the end every block is laid out and the end is reachable: the
    body's last paragraph (read from the content here) is inside the scroll area."""
import json, os, sqlite3, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lazy_checks

kiosk, content, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)
failures = 0

def check(cond, what):
    global failures
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    failures += not cond

db = sqlite3.connect(content)
doc, body = db.execute("SELECT id, body_zh FROM doc ORDER BY length(body_zh) DESC LIMIT 1").fetchone()
# docs/content-format.md, "Body text": a blank line ends a paragraph, its lines joined by "\n"
last = "\n".join(l.strip() for l in body.strip().split("\n\n")[-1].strip().split("\n"))
assert not last.startswith(("#", "|")), "the longest body must end with a paragraph"

script = f"""lang zh
open doc {doc}
tree first
scroll doc.scroll 8000
theme large
tree mid
wait 5000
tree mid-settled
scroll doc.scroll 150000
wait 5000
tree end
"""
lazy_checks.run(kiosk, content, out, "doc_lazy", script)

def tree(name):
    return json.load(open(f"{out}/{name}.json"))["widgets"]

def area(t):
    return next(n for n in t if n["id"] == "doc.scroll")["rect"]

def index(n):
    """The body block a node belongs to: doc.bN, or doc.tN.rR.cC for a table's cell."""
    i = n["id"]
    if i.startswith("doc.b") and i[5:].isdigit():
        return int(i[5:])
    if i.startswith("doc.t") and ".r" in i:
        return int(i[5:i.index(".r")])
    return None

def blocks(t):
    """block index -> (laid out, on screen, first node)"""
    return lazy_checks.blocks(t, area(t), index)

first, end = blocks(tree("first")), blocks(tree("end"))
total = len(end)
check(total > 50, f"the longest document ({doc}) has {total} blocks")
check(sorted(first) == list(range(total)), "the first frame's tree holds every block of the body")
lazy_checks.first_frame(check, first, total)

# 2: the view stays put while the ticks correct the guesses above it
mid = tree("mid")
lazy_checks.view_stays(check, mid, tree("mid-settled"), area(mid), lambda n: index(n) is not None,
                       lambda n: n["id"], "scrolled 8000 px, then large text")

# 3: the end
check(all(v[0] for v in end.values()), "after scrolling to the end every block is laid out")
t, a = tree("end"), area(tree("end"))
lastnode = next((n for n in t if n["id"] == f"doc.b{total - 1}"), None)
check(lastnode is not None and lastnode["label"] == last, "the last block's text is the body's last paragraph")
check(lastnode is not None and lastnode["rect"][1] >= a[1] and lastnode["rect"][1] + lastnode["rect"][3] <= a[1] + a[3],
      "the last block is wholly inside the scroll area: the end is reachable")
sys.exit(1 if failures else 0)
