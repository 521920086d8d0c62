#!/usr/bin/python3
"""office_report.py BIN_DIR - kiosk-office report against a table computed here.

Generates two years of register rows (requests of every applicant kind, received,
confirmed or not, replied with every outcome key or still open; ratings of every level,
some bad ones followed up; feedback of every kind) straight into office.db, then
computes the 2026 request table of docs/rules.md §9 on its own from the generated rows and
compares it with `report --year 2026 --csv`, cell by cell; and the satisfaction
figures with the HTML."""
import csv, datetime, os, random, shutil, sqlite3, subprocess, sys, tempfile

bindir = sys.argv[1]
office_bin = os.path.join(bindir, "kiosk-office")
T = tempfile.mkdtemp(prefix="kiosk-office-report-")
failures = checks = 0


def check(cond, what):
    global failures, checks
    print(("ok   " if cond else "FAIL ") + what)
    failures += not cond
    checks += 1


KINDS = ["natural_person", "business", "research", "public_interest", "legal_service", "other_org"]
OUTCOMES = ["disclosed", "partly_disclosed"] + \
    ["not_disclosed." + r for r in ["state_secret", "law_forbids", "security_stability", "third_party",
                                    "internal_affairs", "process_info", "enforcement_file", "query_matter"]] + \
    ["cannot_provide." + r for r in ["not_held", "needs_production", "still_unclear"]] + \
    ["not_processed." + r for r in ["petition", "repeat", "publication", "massive", "confirm_reissue"]] + \
    ["other." + r for r in ["no_supplement", "fee_unpaid", "other"]]
LEVELS = ["very-satisfied", "satisfied", "basically-satisfied", "dissatisfied", "very-dissatisfied"]
YEAR = 2026

try:
    subprocess.run([os.path.join(bindir, "kiosk-bundle"), "keygen", "--out", T + "/keys"], check=True,
                   capture_output=True)
    os.mkdir(T + "/www")
    subprocess.run([office_bin, "init", T + "/office", "--web-root", T + "/www", "--sign-key", T + "/keys/sign.key",
                    "--seal-key", T + "/keys/seal.key", "--scope", "demo"], check=True, capture_output=True)
    rnd = random.Random(20261)
    day0 = datetime.date(2025, 1, 1)
    rows = []
    for i in range(6000):
        sub = day0 + datetime.timedelta(rnd.randrange(730))
        kind = rnd.choice(["request"] * 3 + ["rating", "feedback"])
        r = {"receipt": "K%04d-%s-%04d-X" % (i // 9999, sub.strftime("%y%m%d"), i % 9999 + 1), "kind": kind,
             "submitted_on": sub.isoformat(), "received_on": None, "replied_on": None, "outcome": "",
             "applicant_kind": "", "detail": "", "status": "received"}
        if kind == "request":
            r["applicant_kind"] = rnd.choice(KINDS)
            if rnd.random() < 0.7:  # confirmed a few days later (possibly across new year)
                r["received_on"] = (sub + datetime.timedelta(rnd.randrange(0, 6))).isoformat()
                r["status"] = "confirmed"
            if rnd.random() < 0.8:  # replied 0-60 days after
                base = datetime.date.fromisoformat(r["received_on"] or r["submitted_on"])
                r["replied_on"] = (base + datetime.timedelta(rnd.randrange(0, 60))).isoformat()
                r["outcome"] = rnd.choice(OUTCOMES)
                r["status"] = "replied"
        elif kind == "rating":
            r["detail"] = rnd.choice(LEVELS)
            if r["detail"].endswith("dissatisfied") and rnd.random() < 0.6:
                r["status"] = "followed_up"
        else:
            r["detail"] = rnd.choice(["consultation", "complaint", "suggestion", "praise"])
        rows.append(r)
    db = sqlite3.connect(T + "/office/office.db")
    db.executemany(
        "INSERT INTO register(receipt, kind, kiosk_id, scope, applicant_kind, detail, submitted_at, submitted_on,"
        " received_on, status, outcome, replied_on, via, sealed_sha256, ingested_at, updated_at, body)"
        " VALUES(?,?,'K0001','demo',?,?,?,?,?,?,?,?,'network','x','t','t','{}')",
        [(r["receipt"], r["kind"], r["applicant_kind"], r["detail"], r["submitted_on"] + "T02:00:00Z",
          r["submitted_on"], r["received_on"], r["status"], r["outcome"], r["replied_on"]) for r in rows])
    db.commit()
    db.close()

    # the table, computed here: dates as ISO strings compare as dates
    jan1, dec31 = "%d-01-01" % YEAR, "%d-12-31" % YEAR
    expect = {k: {c: 0 for c in KINDS} for k in ["new", "carried_over"] + OUTCOMES + ["total", "carried_forward"]}
    for r in rows:
        if r["kind"] != "request":
            continue
        got = r["received_on"] or r["submitted_on"]
        rep = r["replied_on"]
        c = r["applicant_kind"]
        if jan1 <= got <= dec31:
            expect["new"][c] += 1
        if got < jan1 and (rep is None or rep >= jan1):
            expect["carried_over"][c] += 1
        if rep is not None and jan1 <= rep <= dec31:
            expect[r["outcome"]][c] += 1
            expect["total"][c] += 1
        if got <= dec31 and (rep is None or rep > dec31):
            expect["carried_forward"][c] += 1

    p = subprocess.run([office_bin, "--office", T + "/office", "--now", "2027-01-15T09:00:00Z", "report", "--year",
                        str(YEAR), "--csv", T + "/r.csv", "--html", T + "/r.html"], capture_output=True, text=True)
    check(p.returncode == 0, "report exits 0" + ("" if p.returncode == 0 else ": " + p.stderr))
    table = list(csv.reader(open(T + "/r.csv")))
    check(table[0] == ["key"] + KINDS + ["total"], "the CSV header: key, the six applicant kinds, total")
    check([row[0] for row in table[1:]] == list(expect), "one row per line of the national table, in its order")
    bad = []
    for row in table[1:]:
        want = expect.get(row[0])
        if want is None:
            continue
        cells = [want[c] for c in KINDS] + [sum(want.values())]
        if [int(x) for x in row[1:]] != cells:
            bad.append((row[0], row[1:], cells))
    check(not bad and len(table) == len(expect) + 1, "every cell equals the table computed here" + (": %s" % bad[:3] if bad else ""))
    check(sum(expect["new"].values()) > 500 and sum(expect["carried_over"].values()) > 50
          and sum(expect["carried_forward"].values()) > 50, "the generated year exercises every row kind")
    # new + carried over = answered + carried forward, as the national form requires
    check(all(expect["new"][c] + expect["carried_over"][c] == expect["total"][c] + expect["carried_forward"][c]
              for c in KINDS), "the computed table balances (a check of this test)")

    html = open(T + "/r.html", encoding="utf-8").read()
    ratings = [r for r in rows if r["kind"] == "rating" and r["submitted_on"].startswith(str(YEAR))]
    levels = {l: sum(1 for r in ratings if r["detail"] == l) for l in LEVELS}
    share = 100.0 * sum(levels[l] for l in LEVELS[:3]) / len(ratings)
    badr = [r for r in ratings if r["detail"] in LEVELS[3:]]
    followed = sum(1 for r in badr if r["status"] == "followed_up")
    check(all("<tr><td>%s</td><td>%d</td></tr>" % (l, n) in html for l, n in levels.items()), "ratings per level")
    check("<td>%.1f%%</td>" % share in html, "the share satisfied (%.1f%%)" % share)
    check("<tr><td>bad reviews</td><td>%d</td></tr><tr><td>bad reviews followed up</td><td>%d</td></tr>"
          % (len(badr), followed) in html, "bad reviews and how many were followed up")
    check(html.count("NOT followed up") == len(badr) - followed, "each bad review says whether it was followed up")
    fb = [r for r in rows if r["kind"] == "feedback" and r["submitted_on"].startswith(str(YEAR))]
    check(all("<tr><td>%s</td><td>%d</td></tr>" % (k, sum(1 for r in fb if r["detail"] == k)) in html
              for k in ["consultation", "complaint", "suggestion", "praise"]), "feedback by kind")
    p = subprocess.run([office_bin, "--office", T + "/office", "report", "--year", "19"], capture_output=True,
                       text=True)
    check(p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1 and "--year" in p.stderr,
          "a bad --year is one line and exit 2")
finally:
    shutil.rmtree(T, ignore_errors=True)
print(f"{checks - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
