"""treecheck.py - checks on the semantic trees the kiosk writes (`tree NAME`), shared by
the tour and content-walking tests: no text is cut off, text stays on the screen, and
no two interactive targets overlap. Also decodes QR screenshots with zbarimg."""
import json, subprocess


def visible(n):
    r, c = n["rect"], n["clip"]
    x0, y0 = max(r[0], c[0]), max(r[1], c[1])
    x1, y1 = min(r[0] + r[2], c[0] + c[2]), min(r[1] + r[3], c[1] + c[3])
    return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else None


def check_tree(path, name=None):
    """Returns a list of problems found in the tree file at PATH."""
    t = json.load(open(path))
    W, H = t["size"]
    name = name or path
    errors, targets = [], []
    for n in t["widgets"]:
        x, y, w, h = n["rect"]
        if n["truncated"]:
            errors.append(f"{name}: {n['id']}: text cut off: {n['label'][:40]!r}")
        if n["role"] in ("text", "heading", "button", "item") and (x < 0 or x + w > W):
            errors.append(f"{name}: {n['id']}: runs outside the screen ({x}..{x + w} of {W})")
        if n["interactive"]:
            # targets in one scroll area move together: compare their whole rectangles
            targets.append((n["id"], (x, y, x + w, y + h), tuple(n["clip"])))
    for i in range(len(targets)):
        for j in range(i + 1, len(targets)):
            (ia, a, ca), (ib, b, cb) = targets[i], targets[j]
            if ca != cb:
                va = visible({"rect": [a[0], a[1], a[2] - a[0], a[3] - a[1]], "clip": list(ca)})
                vb = visible({"rect": [b[0], b[1], b[2] - b[0], b[3] - b[1]], "clip": list(cb)})
                if not va or not vb:
                    continue
                a, b = va, vb
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                errors.append(f"{name}: {ia} and {ib} overlap")
    return errors


def qr_nodes(tree_path):
    return [n for n in json.load(open(tree_path))["widgets"] if n["role"] == "qr"]


def zbar(png):
    """The texts of the QR codes zbarimg finds in PNG (a standard reader)."""
    p = subprocess.run(["zbarimg", "-q", "--raw", png], capture_output=True, text=True)
    return [l for l in p.stdout.splitlines() if l]
