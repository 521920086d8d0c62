#!/usr/bin/python3
"""walk_guides.py KIOSK CONTENT_DB OUTDIR - walks every service guide of the content:
 1. in zh and en, standard and large text, portrait and landscape, every guide's tree
    passes treecheck (nothing cut off, nothing off screen, no overlapping targets);
 2. every QR code of every guide (the guide page, online handling, each blank form and
    sample), shown on a 1080x1920 screen, decodes with zbarimg to the address in the
    content, at least 6 px per module with a 4-module quiet zone."""
import os, sqlite3, subprocess, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import treecheck

kiosk, db, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)
con = sqlite3.connect(db)
ids = [r[0] for r in con.execute("SELECT id FROM service ORDER BY id")]
if len(ids) < 40:
    sys.exit(f"walk_guides: only {len(ids)} services in {db}")

def expected_urls(sid):
    """The addresses a visitor can take away from a guide, straight from the tables."""
    guide_url, depth, online = con.execute(
        "SELECT guide_url, online_depth, online_url FROM service WHERE id=?", (sid,)).fetchone()
    urls = [guide_url] + ([online] if depth != "none" and online else [])
    for blank, sample in con.execute(
            "SELECT blank_url, sample_url FROM material WHERE service_id=? ORDER BY seq", (sid,)):
        urls += [u for u in (blank, sample) if u]
    return urls

def run(name, lines):
    path = os.path.join(out, name + ".kscript")
    open(path, "w").write("\n".join(lines) + "\n")
    p = subprocess.run([kiosk, "--headless", "--content", db, "--state", os.path.join(out, "state.db"),
                        "--script", path, "--out", out], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"walk_guides: {name}: kiosk failed:\n{p.stderr}")

# 1. every guide fits in every mode
errors = []
lines = ["now 2026-11-28T10:00"]
for w, h, orient in ((1080, 1920, "portrait"), (1920, 1080, "landscape")):
    lines.append(f"size {w} {h}")
    for theme in ("standard", "large", "contrast"):
        lines.append(f"theme {theme}")
        for lang in ("zh", "en"):
            lines.append(f"lang {lang}")
            for sid in ids:
                lines += [f"open guide {sid}", f"tree fit-{sid}-{lang}-{theme}-{orient}", "tap-id nav.home"]
run("fit", lines)
trees = 0
for f in sorted(os.listdir(out)):
    if f.startswith("fit-") and f.endswith(".json"):
        trees += 1
        errors += treecheck.check_tree(os.path.join(out, f), f)

# 2. every QR code decodes to its address
lines = ["now 2026-11-28T10:00", "size 1080 1920", "theme standard", "lang zh"]
plan = []
for sid in ids:
    for k, url in enumerate(expected_urls(sid)):
        name = f"qr-{sid}-{k}"
        lines += [f"open qr {sid}#{k}", f"shot {name}", f"tree {name}", "tap-id nav.home"]
        plan.append((name, url))
run("qr", lines)
for name, url in plan:
    nodes = treecheck.qr_nodes(os.path.join(out, name + ".json"))
    decoded = treecheck.zbar(os.path.join(out, name + ".png"))
    if len(nodes) != 1 or nodes[0]["label"] != url:
        errors.append(f"{name}: the screen shows {[n['label'] for n in nodes]}, the content says {url}")
    elif decoded != [url]:
        errors.append(f"{name}: zbarimg read {decoded}, expected {url}")
    else:
        x, y, w, h = nodes[0]["rect"]
        if w < 6 * (21 + 8):
            errors.append(f"{name}: QR only {w} px wide")

print(f"walk_guides: {len(ids)} guides, {trees} trees checked, {len(plan)} QR codes decoded, "
      f"{len(errors)} problems")
for e in errors[:60]:
    print("  " + e)
sys.exit(1 if errors else 0)
