"""lazy_checks.py - the checks doc_lazy.py and guide_lazy.py share on the trees of a
page laid out a block at a time (firmware/screens/lazy.h)."""
import subprocess, sys


def run(kiosk, content, out, name, script):
    """runs SCRIPT (kscript text) as OUT/NAME.kscript on CONTENT; exits when it fails"""
    with open(f"{out}/{name}.kscript", "w") as f:
        f.write(script)
    r = subprocess.run([kiosk, "--headless", "--content", content, "--state", f"{out}/state.db",
                        "--script", f"{out}/{name}.kscript", "--out", out])
    if r.returncode != 0:
        sys.exit(f"{name}: the script failed ({r.returncode})")


def shown(n, a):
    """whether node N is at least partly inside the area rectangle A"""
    y, h = n["rect"][1], n["rect"][3]
    return y + h > a[1] and y < a[1] + a[3]


def blocks(t, a, key):
    """block -> (laid out, on screen, first node), for the nodes of tree T (area A) whose
    KEY(node) is not None"""
    b = {}
    for n in t:
        k = key(n)
        if k is None:
            continue
        laid, on, first = b.get(k, (True, False, n))
        b[k] = (laid and not n.get("estimated", False), on or shown(n, a), first)
    return b


def first_frame(check, first, total):
    """the first frame (blocks() of its tree) laid out only the blocks it shows"""
    laid = [k for k, v in first.items() if v[0]]
    on = [k for k, v in first.items() if v[1]]
    print(f"first frame: {len(laid)} of {total} blocks laid out, {len(on)} on screen")
    check(0 < len(laid) <= len(on) + 1, "the first frame lays out only the blocks on screen")
    check(all(first[k][0] for k in on), "every block on screen is laid out")


def view_stays(check, mid, settled, a, is_block, uid, what):
    """between trees MID and SETTLED (area A) the ticks corrected guessed heights above the
    view, and the first block on screen did not move; UID names a node across trees"""
    top = next(n for n in mid if is_block(n) and shown(n, a))
    after = next((n for n in settled if uid(n) == uid(top)), None)
    above = [n for n in mid if is_block(n) and n.get("estimated") and n["rect"][1] + n["rect"][3] <= a[1]]
    moved = sum(m["rect"][3] != n["rect"][3] for n in above for m in settled if uid(m) == uid(n))
    print(f"{what}: {len(above)} blocks above the view were estimated, {moved} of them changed height")
    check(moved > 0, "some guessed height above the view was corrected (the check below means something)")
    check(after is not None and after["rect"][1] == top["rect"][1],
          f"the first block on screen ({uid(top)}) stays at y {top['rect'][1]} (now {after['rect'][1] if after else None})")
    check(not any(n.get("estimated") for n in settled), "idle ticks lay out every block")
