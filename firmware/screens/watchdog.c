/* watchdog.c - see watchdog.h. */
#include "watchdog.h"
#include "base/util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

static struct {
    bool started, ready;
    uint64_t interval_ms; /* half of WATCHDOG_USEC; 0: no watchdog */
    uint64_t next_ping;   /* monotonic ms */
    uint64_t wedge_at;    /* test only: monotonic ms, 0 never */
    long wedge_secs;
} wd;

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void start(void)
{
    wd.started = true;
    uint64_t usec = 0;
    /* > 0 when systemd (or a test) asks this very process for pings */
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0)
        wd.interval_ms = MAX(usec / 2000, 1);
    const char *w = getenv("KIOSK_TEST_WEDGE");
    if (w && *w) {
        char *end;
        long s = strtol(w, &end, 10);
        if (*end || s < 0 || s > 86400)
            fprintf(stderr, "kiosk: KIOSK_TEST_WEDGE: expected 0-86400 seconds, got \"%.32s\"; ignored\n", w);
        else
            wd.wedge_secs = s;
    }
}

void watchdog_alive(bool drew)
{
    if (!wd.started)
        start();
    uint64_t now = mono_ms();
    if (!wd.ready) {
        if (!drew)
            return;
        wd.ready = true;
        sd_notify(0, "READY=1");
        wd.next_ping = now + wd.interval_ms;
        if (wd.wedge_secs > 0)
            wd.wedge_at = now + (uint64_t)wd.wedge_secs * 1000;
        return;
    }
    if (wd.wedge_at && now >= wd.wedge_at) {
        fprintf(stderr, "kiosk: KIOSK_TEST_WEDGE: the frame loop is stuck on purpose\n");
        for (;;)
            pause();
    }
    if (wd.interval_ms && now >= wd.next_ping) {
        sd_notify(0, "WATCHDOG=1");
        wd.next_ping = now + wd.interval_ms;
    }
}

int watchdog_wait(int wait)
{
    if (!wd.ready || (!wd.interval_ms && !wd.wedge_at))
        return wait;
    uint64_t now = mono_ms(), due = wd.interval_ms ? wd.next_ping : wd.wedge_at;
    if (wd.wedge_at && wd.wedge_at < due)
        due = wd.wedge_at;
    int left = due > now ? (int)MIN(due - now, (uint64_t)INT32_MAX) : 0;
    return wait < 0 ? left : MIN(wait, left);
}
