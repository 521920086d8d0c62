/* soak.h - script steps for long runs on the virtual clock (tests/scripts/soak.py and
 * the monkey): time that passes in coarse jumps, so that days go by in seconds, and the
 * process's live heap, to see that memory stays flat. */
#ifndef KIOSK_SOAK_H
#define KIOSK_SOAK_H

#include "script.h"

#include <stddef.h>

/* Live heap bytes: what malloc has handed out and not had back. Under AddressSanitizer
 * its allocator's count (freed blocks waiting in its quarantine are not live); else
 * glibc's mallinfo2 (uordblks + hblkhd). *MEASURE (may be NULL) names which. */
size_t soak_heap_bytes(const char **measure);

/* The steps (README.md, "The scripted driver"):
 *   skip DURATION     let N s / Nm / Nh / Nd pass in jumps of at most 15 s, one
 *                     app_step each, no frames in between (the idle timer, the content
 *                     check and day changes still run)
 *   skip-to HH:MM     skip until the wall clock next reads HH:MM
 *   heap NAME         empty the text cache (ui_wipe: a cache filling to its budget is
 *                     no leak), draw the screen again, and print
 *                     "heap NAME: BYTES bytes live (MEASURE)" on stdout
 *   memory NAME       print, caches left as they are, "memory NAME: pss ..." with the
 *                     PSS (/proc/self/smaps_rollup), the live heap, the text cache's
 *                     bytes and budget and SQLite's heap (tests/bench/bench_memory.sh)
 * After skip and skip-to, KIOSK_WALL in the environment is the virtual wall clock
 * (seconds since 1970), for `sh` commands that must run at that time.
 * Returns 1 when CMD is not one of these, 0 when it ran, -1 when it failed (ERR says
 * why). */
int soak_step(const struct script_hook *h, const char *cmd, const char *a1, const char *a2,
              char *err, size_t errlen);

#endif
