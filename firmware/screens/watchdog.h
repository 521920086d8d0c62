/* watchdog.h - systemd's service watchdog for the frame loop. kiosk.service is
 * Type=notify with WatchdogSec=: the loop says READY=1 once its first frame is on the
 * screen, then WATCHDOG=1 every half of the interval systemd gives (WATCHDOG_USEC, read
 * with sd_watchdog_enabled). A loop stuck for longer than the interval stops the pings
 * and systemd restarts the kiosk. Without NOTIFY_SOCKET (a desktop, the script driver)
 * every call does nothing.
 *
 * Test only: KIOSK_TEST_WEDGE=SECONDS in the environment makes the loop block for good
 * that many seconds after READY=1, so tests/scripts/watchdog.py can see the pings stop.
 * It is read once, at the first call; a real kiosk never sets it. */
#ifndef KIOSK_WATCHDOG_H
#define KIOSK_WATCHDOG_H

#include <stdbool.h>

/* Called by the frame loop once per turn, DREW telling whether a frame reached the
 * screen: sends READY=1 after the first frame, and WATCHDOG=1 when one is due. */
void watchdog_alive(bool drew);
/* The loop's sleep in ms given the app's own WAIT (-1: nothing until input), cut short
 * so the next ping is never late. Returns -1 only when there is no watchdog and WAIT
 * is -1. */
int watchdog_wait(int wait);

#endif
