#!/usr/bin/env python3
"""kill_install.py - kiosk-sync install killed with SIGKILL at random points, N times.

After every kill content.db must be, byte for byte, either the old database or the new
one (so its version is one of the two) and pass PRAGMA integrity_check. When a run got
as far as the new content, the old one is put back (and the install history removed)
so the next run installs again.

    kill_install.py KIOSK_SYNC CONFIG BUNDLE CONTENT_DB OLD_COPY N

The kill times are uniform over 1.2 times an uninterrupted install (measured first), so
they land in start-up, verification, decompression, the integrity check, the fsyncs
and the renames alike. SEED (environment) repeats a run.
"""
import glob
import hashlib
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def check(path):
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        result = db.execute("PRAGMA integrity_check").fetchone()[0]
        version = db.execute("SELECT value FROM meta WHERE key = 'content_version'").fetchone()[0]
    finally:
        db.close()
    return result, int(version)


def main():
    ks, config, bundle, content, old_copy, n = sys.argv[1:7]
    n = int(n)
    seed = int(os.environ.get("SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    cmd = [ks, "--config", config, "install", bundle]
    directory = os.path.dirname(content)

    def restore():
        tmp = content + ".restore"
        shutil.copyfile(old_copy, tmp)
        os.replace(tmp, content)
        for extra in (content + ".installed",):
            if os.path.exists(extra):
                os.unlink(extra)

    old_sha = sha(old_copy)
    _, old_version = check(old_copy)
    # one uninterrupted install: how long it takes, and what "new" looks like
    start = time.monotonic()
    subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL)
    whole = time.monotonic() - start
    new_sha = sha(content)
    _, new_version = check(content)
    assert new_version != old_version
    restore()

    outcomes = {"old": 0, "new": 0}
    killed = {"old": 0, "new": 0}
    for i in range(n):
        delay = rng.uniform(0, whole * 1.2)
        p = subprocess.Popen(cmd, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        p.kill()
        code = p.wait()
        if code not in (0, -9):
            sys.exit("run %d (kill after %.3f s): kiosk-sync exited %d by itself (a sanitizer report?)"
                     % (i, delay, code))
        digest = sha(content)
        result, version = check(content)
        if result != "ok":
            sys.exit("run %d (kill after %.3f s): integrity_check says %r" % (i, delay, result))
        if digest == old_sha and version == old_version:
            state = "old"
        elif digest == new_sha and version == new_version:
            state = "new"
        else:
            sys.exit("run %d (kill after %.3f s): content.db is neither the old nor the new one "
                     "(version %d)" % (i, delay, version))
        outcomes[state] += 1
        if code == -9:
            killed[state] += 1
        if state == "new":
            restore()

    # what the killed runs left is cleaned by the next install
    subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL)
    left = glob.glob(os.path.join(directory, "*.tmp"))
    if left:
        sys.exit("temp files left after a clean install: %s" % left)
    print("seed %d: one install takes %.3f s; %d kills: content.db old %d times (%d killed mid-run), "
          "new %d times (%d killed mid-run); integrity_check ok every time"
          % (seed, whole, n, outcomes["old"], killed["old"], outcomes["new"], killed["new"]))
    if killed["old"] == 0 or killed["new"] + outcomes["new"] == 0:
        sys.exit("the kills did not spread over the install; rerun with another SEED")


if __name__ == "__main__":
    main()
