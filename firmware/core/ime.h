/* ime.h - the pinyin input method behind the on-screen keyboard: letters in, the
 * typed syllables ("she hui bao xian") and pages of Simplified Chinese candidates
 * out; tapping a candidate commits it. The engine is librime with Debian's
 * luna_pinyin_simp schema; its dictionary is compiled at build time (firmware/
 * ime.cmake) into a data directory that the kiosk finds as "ime" beside its program,
 * so nothing is compiled on a visitor's first tap.
 *
 * Load: one key per visitor tap (a few per second at most); each costs well under a
 * millisecond (tests/bench/bench_ime.c). Opening costs ~6 ms and ~3 MB once per run,
 * on top of ~7 MB for librime's libraries; typing maps up to ~4 MB more of the
 * dictionary.
 *
 * The engine never learns: no user dictionary is opened, nothing is written to disk,
 * and ime_reset() starts a fresh session, so one visitor's words never rank higher
 * for the next one.
 *
 * librime is loaded (dlopen) by ime_open and unloaded by ime_close: a program that
 * never opens the engine never loads librime and what it links (ICU, boost, glog).
 *
 * librime is a process-wide service, so there is one engine per process and it is
 * not thread-safe: call everything from the UI thread. */
#ifndef KIOSK_IME_H
#define KIOSK_IME_H

#include <stdbool.h>
#include <stddef.h>

typedef struct ime ime;

#define IME_PAGE_SIZE 8      /* candidates per page of the candidate bar */
#define IME_MAX_INPUT 64     /* typed bytes ('a'..'z' and '\'') in one composition */
#define IME_MAX_CAND 64      /* bytes of one candidate as ime_page() shows it */

/* Loads librime and opens the engine on DATA_DIR, the directory the build prepared
 * (BUILD/ime): ~6 ms and ~3 MB, plus loading librime and its libraries (tens of ms;
 * tests/bench/bench_startup.sh prints it). Returns 0 and *ret, or -ENOENT when librime cannot be loaded or DATA_DIR
 * (or the compiled dictionary in it) is missing,
 * -EBUSY when an engine is already open in this process, -EIO when the engine fails
 * to start; err then holds one line naming the cause. */
int ime_open(const char *data_dir, ime **ret, char *err, size_t errlen);
/* Closes the engine, frees all librime holds (the typed input with it) and unloads
 * librime. Accepts NULL. */
void ime_close(ime *e);
/* True while an engine is open, i.e. librime is loaded by this module. */
bool ime_loaded(void);

/* Forgets the composition and starts a fresh engine session, warmed up so that the
 * next first tap is quick; called when a visitor leaves (~1.5 ms). */
void ime_reset(ime *e);

/* Types one key: 'a'..'z' (v stands for ü) or '\'' to separate syllables (xi'an).
 * Returns 0, -EINVAL for any other byte, or -ENOSPC when IME_MAX_INPUT bytes are
 * already typed. A separator with nothing typed, or right after another separator,
 * is ignored (returns 0). */
int ime_key(ime *e, char c);

/* Undoes the last key; after a partial choice (see ime_select) it first undoes that
 * choice. Returns 1 if there was a composition to edit, 0 if it was empty. */
int ime_backspace(ime *e);

/* The composition as shown above the candidate bar: the typed syllables split by
 * spaces ("she hui bao xian"), led by any partial choice ("社会bao xian"); "" when
 * nothing is typed. The string belongs to e and is valid until the next ime_ call. */
const char *ime_preedit(ime *e);

/* Fills cands with up to MAX (at most IME_PAGE_SIZE) candidates of page PAGE
 * (0-based, IME_PAGE_SIZE a page) and returns how many: 0 past the last page or when
 * nothing is typed, -EINVAL for a negative page or max. A candidate longer than
 * IME_MAX_CAND bytes is shown cut at a character boundary and ending in "…"
 * (selecting it still commits all of it). The strings belong to e and are valid until
 * the next ime_ call. */
int ime_page(ime *e, int page, const char **cands, int max);
bool ime_has_page(ime *e, int page);

/* Chooses candidate INDEX of page PAGE. If it covers the rest of the composition the
 * whole composition is committed: returns 1 and *ret_committed is the text to insert
 * (you own it; free() it). If it covers only the start (社会 of shehuibaoxian), the
 * choice stays in the preedit ("社会bao xian"), candidates now continue from there:
 * returns 0 and *ret_committed is NULL; keep choosing until 1. Returns -EINVAL for a
 * negative page or an index outside the page, -ERANGE when there is no such
 * candidate (nothing changes, *ret_committed untouched). */
int ime_select(ime *e, int page, int index, char **ret_committed);

/* True while something is typed (the candidate bar shows). */
bool ime_composing(ime *e);

#endif
