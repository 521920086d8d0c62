/* speak.h - read-aloud's speech queue: the UI thread says texts, a worker thread
 * synthesises them (core/speech) and plays them (ui/audio), one after another, so the
 * UI never waits for espeak-ng or for the sound device. speak_stop empties the queue
 * and silences the device at once: screens call it when the screen changes.
 *
 * Load: a screen's labels, or a paragraph a visitor taps, a few times a minute.
 * speak_say copies the text and returns (a few microseconds); the worker synthesises
 * a sentence or two at a time (~1 ms of CPU per second of speech) and keeps at most
 * ~2 s of sound queued ahead of the device, so a long guide costs little memory and
 * its first words are heard within ~50 ms. The worker sleeps while the queue is
 * empty, and wakes ~10 times a second while sound plays.
 *
 * It degrades rather than fails: without espeak-ng's data texts go through the queue
 * unspoken, and without a sound device they are synthesised and not heard;
 * speak_status says which, for the program to log once. Either way the queue, the
 * history and speak_busy behave the same, so the scripted driver can check what would
 * have been said.
 *
 * Threads: every function is for the UI thread (one speak per process, as there is
 * one speech engine; the worker owns the engine). */
#ifndef KIOSK_SPEAK_H
#define KIOSK_SPEAK_H

#include <stdbool.h>
#include <stddef.h>

#include "core/i18n.h"

typedef struct speak speak;

#define SPEAK_QUEUE_MAX 64     /* texts waiting or being spoken */
#define SPEAK_TEXT_MAX 4096    /* bytes of one queued text (SPEECH_MAX_TEXT) */
#define SPEAK_HISTORY 16       /* texts remembered by speak_history_item */

/* Opens the default sound device (here: SDL wants its thread) and starts the worker,
 * which opens the speech engine in the background (~50 ms). Returns 0 and *ret, or
 * -EAGAIN when no thread can be started. */
int speak_new(speak **ret);
/* Stops speaking, joins the worker (within one sentence's synthesis, a few ms) and
 * frees everything. Accepts NULL. */
void speak_free(speak *sp);

/* 0 when speech is heard; -EINPROGRESS while the worker is still starting; else why
 * not: the error of speech_open (-ENOENT: espeak-ng's data is missing) or -ENODEV (no
 * sound device). WHY, when not NULL, gets a short static description. */
int speak_status(speak *sp, const char **why);

/* Appends TEXT (UTF-8; copied) to the queue, to be read in LANG's voice. A text
 * longer than SPEAK_TEXT_MAX is cut at sentence ends (speech_chunk) into several
 * queue entries. Returns 0 (an empty TEXT queues nothing); -ENOBUFS when the queue
 * would hold more than SPEAK_QUEUE_MAX entries, and then nothing is queued; -EINVAL
 * for an unknown LANG. */
int speak_say(speak *sp, const char *text, kiosk_lang lang);

/* Empties the queue and stops the sound at once (within the device's buffer, ~25 ms). */
void speak_stop(speak *sp); /* accepts NULL (read-aloud never started) */

/* True while something is queued, being spoken or still sounding. */
bool speak_busy(speak *sp);

/* The entries queued or being spoken, the one being spoken first. An entry leaves
 * the queue when its last sound has been handed to the device. speak_queue_item
 * returns a copy of entry I's text (you now own it: free() it), or NULL when I is out
 * of range (it may have just been spoken). */
int speak_queue_count(speak *sp);
char *speak_queue_item(speak *sp, int i);

/* The last SPEAK_HISTORY texts the worker began to speak, oldest first (a text cut
 * short by speak_stop stays here). Copies, as for speak_queue_item. */
int speak_history_count(speak *sp);
char *speak_history_item(speak *sp, int i);

#endif
