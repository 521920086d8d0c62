#!/usr/bin/env python3
"""office_fleet_json_model.py FLEET_CLI - fleet's JSON scanner against a reference model.

fleet walks past the parts of a heartbeat it does not read (usage counters, failed
searches) with a scanner of its own (sync/office_fleet.c, hb_parse) rather than
jansson. Here Python's json module is the model: 5 seeds x 400 heartbeats, each
mutated 0-3 times (a byte deleted, inserted, or a run repeated) after the keys fleet
reads, so the verdict is about syntax alone. Every heartbeat Python parses to an
object must be read by fleet, every other one must be a row saying "not JSON" (or
"not a JSON object"). Fails on any disagreement, and if either kind is missing."""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

cli = sys.argv[1]
BASE = {
    "kiosk_id": "X", "scope": "demo", "sent_at": "2026-12-06T10:00:00Z", "firmware_version": "0.1.0",
    "content_version": 5, "uptime_seconds": 3, "disk_free_bytes": 20 << 30,
    "outbox": {"pending": 0, "uploaded": 3, "exported": 0}, "errors": ["a\"b\\c"],
    "previous_sync": {"finished_at": "2026-12-05T01:00:00Z", "result": "ok", "exit": 0, "errors": []},
    "this_sync": {"installed": False, "uploaded": 0, "upload_failed": 0},
    "usage": [{"kind": "guide", "ref": "r-%d\u00e9\t" % i, "views": 1.5e3, "qr_shows": -0.25} for i in range(5)],
    "failed_searches": [[None, True, False, {}, []]],
}
ALPHABET = '{}[],:"\\ \t\n0123456789-+.eEtrufalsn\x01u'


def reject_constant(name):
    raise ValueError(name)


def model_accepts(text):
    try:
        return isinstance(json.loads(text, parse_constant=reject_constant), dict)
    except ValueError:
        return False


tmp = tempfile.mkdtemp(prefix="fleet-json-model-")
disagree = valid = invalid = 0
try:
    for seed in range(1, 6):
        rng = random.Random(seed)
        status = os.path.join(tmp, str(seed), "status")
        os.makedirs(status)
        expect = {}
        for i in range(400):
            kid = "K%04d" % i
            hb = dict(BASE, kiosk_id=kid)
            text = json.dumps(hb, separators=(",", ":") if i % 2 else (", ", ": "))
            cut = text.index('"usage"')
            for _ in range(rng.randint(0, 3)):
                pos = rng.randint(cut, len(text) - 1)
                op = rng.random()
                if op < 0.4:
                    text = text[:pos] + text[pos + 1:]
                elif op < 0.8:
                    text = text[:pos] + rng.choice(ALPHABET) + text[pos:]
                else:
                    n = rng.randint(1, 6)
                    text = text[:pos] + text[pos:pos + n] + text[pos:]
            expect[kid] = (model_accepts(text), text)
            with open(os.path.join(status, kid + ".json"), "w") as f:
                f.write(text)
        out = subprocess.run([cli, os.path.dirname(status), "--now", "2026-12-06T12:00:00Z", "--json"],
                             capture_output=True, text=True)
        if out.returncode not in (0, 1):
            sys.exit("fleet exited %d: %s" % (out.returncode, out.stderr))
        rows = {r["kiosk_id"]: r for r in json.loads(out.stdout)}
        for kid, (accepts, text) in expect.items():
            problem = rows[kid]["problem"] or ""
            refused = problem.startswith("file: not JSON") or problem.startswith("file: not a JSON object")
            valid += accepts
            invalid += not accepts
            if accepts == refused:
                disagree += 1
                print("DISAGREE seed %d %s: model %s, fleet %r: ...%s" %
                      (seed, kid, "accepts" if accepts else "refuses", problem, text[-120:]))
finally:
    shutil.rmtree(tmp)
print("office_fleet_json_model: %d heartbeats, %d valid JSON, %d not, %d disagreements" %
      (valid + invalid, valid, invalid, disagree))
sys.exit(1 if disagree or valid < 100 or invalid < 100 else 0)
