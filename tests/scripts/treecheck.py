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
    # a modal dialog (role dialog) makes what was drawn before it inert: those widgets
    # take no taps while it is up, so a dialog button over them is no overlap
    modal = max((i for i, n in enumerate(t["widgets"]) if n["role"] == "dialog"), default=0)
    for i, n in enumerate(t["widgets"]):
        x, y, w, h = n["rect"]
        if n["truncated"]:
            errors.append(f"{name}: {n['id']}: text cut off: {n['label'][:40]!r}")
        if n["role"] in ("text", "heading", "button", "item") and (x < 0 or x + w > W):
            errors.append(f"{name}: {n['id']}: runs outside the screen ({x}..{x + w} of {W})")
        if n["interactive"] and i >= modal:
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
    """The QR codes a phone could scan on the shot: those wholly inside their clip (a
    code scrolled partly or wholly out of view is not on the screenshot to decode)."""
    def shown(n):
        x, y, w, h = n["rect"]
        cx, cy, cw, ch = n.get("clip") or (x, y, w, h)
        return x >= cx and y >= cy and x + w <= cx + cw and y + h <= cy + ch
    return [n for n in json.load(open(tree_path))["widgets"] if n["role"] == "qr" and shown(n)]


def zbar(png):
    """The texts of the QR codes zbarimg finds in PNG (a standard reader)."""
    p = subprocess.run(["zbarimg", "-q", "--raw", png], capture_output=True, text=True)
    return [l for l in p.stdout.splitlines() if l]


def luminance(c):
    def ch(v):
        v /= 255.0
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = c
    return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)


def contrast(a, b):
    la, lb = luminance(a), luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


# what each theme promises (docs/rules.md §7, issue 9): text contrast and target size
THEMES = {"standard": (4.5, 12.0), "large": (4.5, 15.0), "contrast": (7.0, 15.0)}


# the non-text contrast rule (WCAG 1.4.11): a pictogram against what is behind it
PICTO_CONTRAST = 3.0


def rgb(hexcolour):
    return tuple(int(hexcolour[k:k + 2], 16) for k in (1, 3, 5))


def check_picto(img, n, v, name):
    """A pictogram (an image node with its tint and background): the pair the tree
    declares, and the pixels drawn, must both reach 3:1. Background: the most common
    colour in its rectangle; ink: the colour (a few pixels' worth, so the smoothed
    edges do not count) farthest from it."""
    errors = []
    declared = contrast(rgb(n["tint"]), rgb(n["bg"]))
    if declared + 0.005 < PICTO_CONTRAST:
        errors.append(f"{name}: {n['id']}: pictogram {n['tint']} on {n['bg']} is {declared:.2f}:1, "
                      f"graphics want {PICTO_CONTRAST}:1")
    crop = img.crop(v)
    area = (v[2] - v[0]) * (v[3] - v[1])
    colours = sorted(crop.getcolors(maxcolors=area + 1) or [], reverse=True)
    if not colours:
        return errors
    bg = colours[0][1]
    ink = [c for cnt, c in colours[1:] if cnt >= max(4, area // 500)]
    best = max((contrast(bg, c) for c in ink), default=1.0)
    if best + 0.05 < PICTO_CONTRAST:
        errors.append(f"{name}: {n['id']}: pictogram drawn at {best:.2f}:1 against its background "
                      f"(label {n['label'][:30]!r}), graphics want {PICTO_CONTRAST}:1")
    return errors


def check_pixels(tree_path, png_path, name=None):
    """Measures, from the rendered pixels, the contrast of every text against the
    background under its rectangle (of every pictogram: check_picto), and the
    physical size of every touch target.
    Background: the most common colour under the text; ink: the colour (covering at
    least a few pixels, so anti-aliased edges do not count) farthest from it."""
    from PIL import Image
    name = name or tree_path
    t = json.load(open(tree_path))
    want_contrast, want_mm = THEMES[t["theme"]]
    mm = t["px_per_mm"]
    img = Image.open(png_path).convert("RGB")
    errors = []
    widgets = t["widgets"]
    # a dialog dims everything drawn before it: only what is on top is measured
    dialog = max((i for i, n in enumerate(widgets) if n["role"] == "dialog"), default=-1)
    for i, n in enumerate(widgets):
        v = visible(n)
        if not v:
            continue
        fully = tuple(v) == (n["rect"][0], n["rect"][1], n["rect"][0] + n["rect"][2], n["rect"][1] + n["rect"][3])
        if n["interactive"] and fully and i > dialog:
            w_mm, h_mm = n["rect"][2] / mm, n["rect"][3] / mm
            if min(w_mm, h_mm) + 0.25 < want_mm:
                errors.append(f"{name}: {n['id']}: target {w_mm:.1f} x {h_mm:.1f} mm, theme wants {want_mm} mm")
        if i > dialog and n["role"] == "image" and "tint" in n:
            # one partly scrolled away may show only its empty margin: measure it
            # where it shows (almost) whole
            if (v[2] - v[0]) * (v[3] - v[1]) >= 0.9 * n["rect"][2] * n["rect"][3]:
                errors += check_picto(img, n, v, name)
            continue
        if i < dialog or n["role"] not in ("text", "heading", "button", "item", "input") or not n["label"].strip():
            continue
        # a sliver at the edge of a scroll area may hold only a border: measure what
        # shows at least a line's worth of itself
        if v[3] - v[1] < min(n["rect"][3], 48):
            continue
        crop = img.crop(v)
        area = (v[2] - v[0]) * (v[3] - v[1])
        colours = crop.getcolors(maxcolors=area + 1)
        if not colours:
            continue
        colours.sort(reverse=True)
        bg = colours[0][1]
        ink = [c for cnt, c in colours[1:] if cnt >= max(4, area // 2000)]
        if not ink:
            continue
        best = max(contrast(bg, c) for c in ink)
        if best + 0.05 < want_contrast:
            errors.append(f"{name}: {n['id']}: text contrast {best:.2f}:1 under {n['label'][:30]!r}, "
                          f"theme wants {want_contrast}:1")
    return errors
