/* monkey.h - the monkey: random touches on the scripted driver's virtual clock, for the
 * crashes, sanitizer reports, leaks and broken layouts no written test thought of
 * (tests/scripts/monkey.sh, tests/bench/bench_monkey.sh).
 *
 * Each touch is one of: a tap on an interactive widget of the semantic tree, picked
 * with a bias towards what it has tapped least on that screen (and on a form, half the
 * time, a choice, "next" or "submit", so that some visitors reach the receipt); a tap
 * anywhere; a drag
 * or fling (on a scrolling area when there is one); a long press, sometimes held in the
 * staff corner, and on the PIN pad now and then the demo PIN; keys of the on-screen
 * keyboard when it is up; a wait; an idle spell long enough for the "still there?"
 * warning and often the wipe. Every 250 touches it moves to the next of the six
 * language and theme pairs; every 700 it installs content.db again (a copy renamed
 * over it, as kiosk-sync does, so run it on a copy) and waits on the home screen for
 * the kiosk to reopen it; every 900, half-way, a USB stick is "at work" for a few
 * seconds (work_dir/usb-busy, with the monkey's own pid). Stuck on one screen for 25 touches, it goes home. The same
 * seed gives the same touches, as long as the kiosk answers the same way (background
 * jobs such as the staff menu's run in real time, so builds of different speed may part).
 *
 * The steps (README.md, "The scripted driver"):
 *   monkey SEED COUNT           COUNT touches. Writes a tree every 10 touches, and at
 *                               the first sight of each screen in each language and
 *                               theme, as OUTDIR/monkey-SEED-N.json. The live heap
 *                               (soak.h) is taken on the home screen, with the text
 *                               cache emptied first (ui_wipe: a cache filling to its
 *                               budget is no leak), after a warm-up of half the
 *                               touches (at most 5,000) and at the end.
 *                               Prints one summary line on stdout.
 *   monkey-check PCT [EXCEPT]   fails unless the monkey reached every screen of the
 *                               registry (app_screen_at) but the comma-separated EXCEPT,
 *                               saw all six language and theme pairs, and the live heap
 *                               at the end of its last run is at most PCT % above the
 *                               warm-up figure.
 * Returns 1 when CMD is not one of these, 0 when it ran, -1 when it failed (ERR says
 * why). */
#ifndef KIOSK_MONKEY_H
#define KIOSK_MONKEY_H

#include "script.h"

#include <stddef.h>

int monkey_step(const struct script_hook *h, const char *cmd, const char *a1, const char *a2,
                char *err, size_t errlen);

#endif
