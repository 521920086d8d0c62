#!/usr/bin/python3
"""longtext_max.py KIOSK KIOSK_BUNDLE CONTENT_DB SEAL_KEY FORMS_DIR OUTDIR - every long-text
field of the demo forms (FORMS_DIR, the content source: assets/content/forms) takes its
"max" of Chinese characters through the kiosk's real on-screen keyboard, and gives them
back whole:
 1. each field is filled to exactly its max by pinyin typed on the letter keys and a
    candidate tapped; the field shows all of it (expect-value), says the limit is
    reached only once it is, and one more character typed changes nothing;
 2. each form is submitted, and the sealed submission opened with the office's key
    holds every long text whole, character for character.

The fastest honest way through the keyboard: a phrase typed by its initials, its first
candidate taken - zhrmghg -> 中华人民共和国, 8 taps for 7 characters - then 中华 (zhonghua)
and 中 (zhong) for the rest. (A whole sentence of initials, 63 characters for 64 taps,
is six times slower: librime recomposes the sentence on every key.) Expected values
are built here from the content's "max", not read back."""
import glob, json, os, shutil, subprocess, sys, time

kiosk, bundle, content, seal_key, forms_dir, out = sys.argv[1:7]
os.makedirs(out, exist_ok=True)
failures = checks = 0

def check(cond, what):
    global failures, checks
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    failures += not cond
    checks += 1

PIECES = [("zhrmghg", "中华人民共和国"), ("zhonghua", "中华"), ("zhong", "中")]

def fill(field, n):
    """Script lines typing exactly N characters into FIELD, and the text they make."""
    plan, rest = [], n
    for pinyin, text in PIECES:
        plan += [(pinyin, text)] * (rest // len(text))
        rest %= len(text)
    lines, text = [f"tap-id field.{field}"], ""
    for i, (pinyin, t) in enumerate(plan):
        if i == len(plan) - 1:
            lines.append('expect-not "字的上限"')   # not yet said: one piece to go
        lines.append(f'ime "{pinyin}" 1')
        text += t
    assert len(text) == n
    lines += [f'expect-value field.{field} "{text}"',
              'ime "zhong" 1',                  # one more: refused, nothing lost,
              f'expect-value field.{field} "{text}"',
              f'expect "已达到 {n} 字的上限"',  # and the field says why
              "tap-id kb.done"]
    return lines, text

# How each demo form is reached and completed around its long texts; "LONG id" marks
# where a long text is typed. Required fields get their first answer.
RECIPES = {
    "feedback": """tap-id tile.feedback
tap-id form.open.feedback
tap-id choice.feedback-kind.consultation
LONG content
tap-id form.next
tap-id flag.anonymous
tap-id form.next""",
    "comment": """tap-id tile.consult
tap-id consult.open.elderly-meal-aid-2026
tap-id consult.comment
LONG comment
tap-id form.next
tap-id choice.identity.anonymous
tap-id form.next""",
    "hall-survey-2026": """tap-id tile.feedback
tap-id form.open.hall-survey-2026
tap-id choice.purpose.personal
tap-id choice.visits.one
tap-id choice.wait.under-10
tap-id form.next
tap-id choice.ease.easy
LONG suggestion
tap-id form.next""",
    "service-rating": """tap-id tile.feedback
tap-id form.open.service-rating
tap-id choice.rating.dissatisfied
tap-id form.next
tap-id choice.problems.long-wait
LONG details
tap-id form.next""",
    "info-request": """tap-id tile.request
tap-id choice.applicant-type.citizen
tap-id field.name
ime "wangxiaoming" 0
tap "王小"
tap "明"
tap-id kb.done
tap-id choice.id-type.resident-id
tap-id field.id-number
type "11010519491231002X"
tap-id kb.done
tap-id form.next
LONG info-description
scroll form.scroll 100000
LONG purpose
tap-id form.next
tap-id choice.medium.electronic
tap-id choice.delivery.pickup
tap-id form.next
tap-id field.phone
type "13800138000"
tap-id kb.done
tap-id form.next""",
}

# The table's most for a longtext (firmware/core/field.c; docs/content-format.md: 1..4000),
# typed into a copy of the demo content whose feedback form declares it: the case that
# once stopped silently at ~1,365 characters.
TABLE_MAX = 4000
src = os.path.join(out, "content-max")
if os.path.exists(src):
    shutil.rmtree(src)
shutil.copytree(os.path.dirname(os.path.abspath(forms_dir)), src)
fb = os.path.join(src, "forms", "feedback.json")
text = open(fb).read()
check(text.count('"max": 1000,') == 1, "the feedback form declares its longtext's max once")
open(fb, "w").write(text.replace('"max": 1000,', f'"max": {TABLE_MAX},'))
content_max = os.path.join(out, "content-max.db")
p = subprocess.run([bundle, "build", src, "-o", content_max], capture_output=True, text=True)
check(p.returncode == 0, f"a feedback form declaring {TABLE_MAX} characters is built"
      + ("" if p.returncode == 0 else ": " + p.stderr.strip()))

longtexts = {}                                 # form -> {field: max}
for path in sorted(glob.glob(os.path.join(forms_dir, "*.json"))):
    form = os.path.splitext(os.path.basename(path))[0]
    for step in json.load(open(path))["steps"]:
        for f in step["fields"]:
            if f["type"] == "longtext":
                longtexts.setdefault(form, {})[f["id"]] = f.get("max", 1000)
check(len(longtexts) >= 4 and sum(len(v) for v in longtexts.values()) >= 5,
      f"the demo forms have long texts: {longtexts}")

runs = [(form, form, fields, content) for form, fields in longtexts.items()]
runs.append(("feedback-max", "feedback", {"content": TABLE_MAX}, content_max))
expected = {}                                  # run -> {field: text}
for run, form, fields, db in runs:
    recipe = RECIPES.get(form)
    marked = [l.split()[1] for l in (recipe or "").splitlines() if l.startswith("LONG ")]
    check(recipe is not None and sorted(marked) == sorted(fields),
          f"{run}: the recipe types every long text ({sorted(fields)})")
    if recipe is None:
        continue
    lines = ["now 2026-11-27T10:00"]
    for l in recipe.splitlines():
        if l.startswith("LONG "):
            field = l.split()[1]
            more, text = fill(field, fields.get(field, 0))
            lines += more
            expected.setdefault(run, {})[field] = text
        else:
            lines.append(l)
    lines += ['expect "请核对您填写的内容"', "scroll form.scroll 100000", "tap-id form.submit",
              "expect-screen receipt"]
    script = os.path.join(out, run + ".kscript")
    open(script, "w").write("\n".join(lines) + "\n")
    state = os.path.join(out, run + "-state.db")
    for f in (state, state + "-wal", state + "-shm"):
        if os.path.exists(f):
            os.remove(f)
    t0 = time.monotonic()
    p = subprocess.run([kiosk, "--headless", "--content", db, "--state", state,
                        "--script", script, "--out", out], capture_output=True)
    took = time.monotonic() - t0
    open(os.path.join(out, run + ".log"), "wb").write(p.stdout + p.stderr)
    n = sum(len(t) for t in expected[run].values())
    check(p.returncode == 0, f"{run}: {n} characters typed to the limit and submitted"
          f" ({len(lines)} steps, {took:.1f} s)"
          + ("" if p.returncode == 0 else ": " + p.stderr.decode(errors="replace").strip()))
    p = subprocess.run([bundle, "open-submission", "--key", seal_key, state],
                       capture_output=True, text=True)
    subs = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
    check(p.returncode == 0 and len(subs) == 1, f"{run}: one sealed submission, opened")
    for field, text in expected[run].items():
        got = subs[0]["fields"].get(field, "") if subs else ""
        check(got == text, f"{run}: {field} comes back whole: {len(got)} of {len(text)}"
              " characters, each as typed")

print(f"{checks - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
