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
import json, os, sqlite3, subprocess, sys

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
with open(f"{out}/doc_lazy.kscript", "w") as f:
    f.write(script)
r = subprocess.run([kiosk, "--headless", "--content", content, "--state", f"{out}/state.db",
                    "--script", f"{out}/doc_lazy.kscript", "--out", out])
if r.returncode != 0:
    sys.exit(f"doc_lazy: the script failed ({r.returncode})")

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

def shown(n, a):
    y, h = n["rect"][1], n["rect"][3]
    return y + h > a[1] and y < a[1] + a[3]

def blocks(t):
    """block index -> (laid out, on screen, first node)"""
    a, b = area(t), {}
    for n in t:
        k = index(n)
        if k is None:
            continue
        laid, on, first = b.get(k, (True, False, n))
        b[k] = (laid and not n.get("estimated", False), on or shown(n, a), first)
    return b

first, end = blocks(tree("first")), blocks(tree("end"))
total = len(end)
check(total > 50, f"the longest document ({doc}) has {total} blocks")
check(sorted(first) == list(range(total)), "the first frame's tree holds every block of the body")
laid = [k for k, v in first.items() if v[0]]
on = [k for k, v in first.items() if v[1]]
print(f"first frame: {len(laid)} of {total} blocks laid out, {len(on)} on screen")
check(0 < len(laid) <= len(on) + 1, "the first frame lays out only the blocks on screen")
check(all(first[k][0] for k in on), "every block on screen is laid out")

# 2: the view stays put while the ticks correct the guesses above it
mid, settled = tree("mid"), tree("mid-settled")
a = area(mid)
top = next(n for n in mid if index(n) is not None and shown(n, a))
after = next((n for n in settled if n["id"] == top["id"]), None)
above = [n for n in mid if index(n) is not None and n.get("estimated") and n["rect"][1] + n["rect"][3] <= a[1]]
moved = sum(m["rect"][3] != n["rect"][3] for n in above for m in settled if m["id"] == n["id"])
print(f"scrolled 8000 px, then large text: {len(above)} blocks above the view were estimated, {moved} of them changed height")
check(moved > 0, "some guessed height above the view was corrected (the check below means something)")
check(after is not None and after["rect"][1] == top["rect"][1],
      f"the first block on screen ({top['id']}) stays at y {top['rect'][1]} (now {after['rect'][1] if after else None})")
check(not any(n.get("estimated") for n in settled), "idle ticks lay out every block")

# 3: the end
check(all(v[0] for v in end.values()), "after scrolling to the end every block is laid out")
t, a = tree("end"), area(tree("end"))
lastnode = next((n for n in t if n["id"] == f"doc.b{total - 1}"), None)
check(lastnode is not None and lastnode["label"] == last, "the last block's text is the body's last paragraph")
check(lastnode is not None and lastnode["rect"][1] >= a[1] and lastnode["rect"][1] + lastnode["rect"][3] <= a[1] + a[3],
      "the last block is wholly inside the scroll area: the end is reachable")
sys.exit(1 if failures else 0)
