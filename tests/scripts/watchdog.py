#!/usr/bin/env python3
"""watchdog.py KIOSK CONTENT_DB OUTDIR - the systemd watchdog of the frame loop.

Runs the kiosk's real loop (app_run, headless on SDL's offscreen driver) the way
systemd would start it for kiosk.service (Type=notify, WatchdogSec=): NOTIFY_SOCKET is
a Unix datagram socket this test binds, WATCHDOG_USEC asks for pings. The kiosk must
say READY=1, then WATCHDOG=1 often enough that no gap reaches WATCHDOG_USEC while the
loop sits idle on the home screen. KIOSK_TEST_WEDGE (firmware/screens/watchdog.h) then
blocks the loop on purpose: the pings must stop, which is what makes systemd restart a
stuck kiosk. Gaps are judged against the watchdog interval, with the wedge well clear
of it, so a slow machine does not fail the test."""
import os
import socket
import subprocess
import sys
import time

kiosk, content, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)
WATCHDOG_S = 2.0   # WATCHDOG_USEC: pings are due every 1 s, the limit is 2 s
WEDGE_S = 8        # the loop blocks this long after READY=1
QUIET_S = 3 * WATCHDOG_S  # after the wedge, no ping for this long

sock_path = os.path.join(out, "notify.sock")
if os.path.exists(sock_path):
    os.unlink(sock_path)
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(sock_path)

env = dict(os.environ, NOTIFY_SOCKET=sock_path, WATCHDOG_USEC=str(int(WATCHDOG_S * 1e6)),
           KIOSK_TEST_WEDGE=str(WEDGE_S), SDL_AUDIODRIVER="dummy")
env.pop("WATCHDOG_PID", None)
state = os.path.join(out, "state.db")
for f in (state, state + "-wal", state + "-shm"):
    if os.path.exists(f):
        os.unlink(f)
err = open(os.path.join(out, "stderr"), "w")
proc = subprocess.Popen([kiosk, "--headless", "--content", content, "--state", state],
                        env=env, stderr=err, stdout=err)

def fail(why):
    proc.kill()
    proc.wait()
    sys.stdout.write(open(os.path.join(out, "stderr")).read())
    print("FAIL: watchdog: " + why)
    sys.exit(1)

msgs = []  # (time, message)
ready_at = None
start = time.monotonic()
deadline = start + 120  # start-up under the sanitizers is slow; READY=1 must come
while True:
    now = time.monotonic()
    if ready_at is None and now > deadline:
        fail("no READY=1 within 120 s")
    if ready_at is not None and now > ready_at + WEDGE_S + 1 + QUIET_S:
        break
    if proc.poll() is not None:
        fail("the kiosk exited (status %d) instead of running its loop" % proc.returncode)
    sock.settimeout(0.2)
    try:
        data = sock.recv(4096).decode()
    except socket.timeout:
        continue
    t = time.monotonic()
    for line in data.split("\n"):
        if line:
            msgs.append((t, line))
            if line == "READY=1" and ready_at is None:
                ready_at = t

alive = proc.poll() is None
proc.kill()
proc.wait()
err.close()
stderr = open(os.path.join(out, "stderr")).read()

if not msgs or msgs[0][1] != "READY=1":
    fail("the first message was %r, not READY=1" % (msgs[0][1] if msgs else None))
pings = [t - ready_at for t, m in msgs if m == "WATCHDOG=1"]
before = [p for p in pings if p < WEDGE_S]
after = [p for p in pings if p > WEDGE_S + 0.5]
print("READY=1, then %d pings before the wedge at %d s: %s" %
      (len(before), WEDGE_S, ", ".join("%.2f" % p for p in before)))
if not alive:
    fail("the kiosk was not running any more when the test stopped it")
if "stuck on purpose" not in stderr:
    fail("the kiosk never wedged its loop (KIOSK_TEST_WEDGE ignored?)")
# pings every WATCHDOG_S / 2: at least half of the expected ones, and no gap that
# would have let systemd's watchdog fire
if len(before) < WEDGE_S / WATCHDOG_S:
    fail("only %d pings in %d s with WATCHDOG_USEC=%d" % (len(before), WEDGE_S, WATCHDOG_S * 1e6))
gaps = [b - a for a, b in zip([0.0] + before, before)]
if max(gaps) >= WATCHDOG_S:
    fail("a gap of %.2f s between pings: the watchdog would have fired" % max(gaps))
if after:
    fail("pings went on after the loop was wedged: %s" % ", ".join("%.2f" % p for p in after))
print("watchdog: pings every %.2f s at most while alive; none in the %.0f s after the wedge" %
      (max(gaps), QUIET_S))
