/* speech.h - text to speech for read-aloud: UTF-8 text in, 16-bit mono PCM out, in
 * Mandarin or English, on libespeak-ng (Debian's 1.51) in its synchronous mode. No
 * audio device is touched here: playing is ui/audio's job, and queueing and threads
 * are screens/speak's.
 *
 * Load: a screen's worth of labels or one guide paragraph at a time, a few texts a
 * minute. Synthesis runs at ~1,000 times real time on the 2-core development machine
 * (about 1 ms of CPU for a second of speech; tests/unit/test_speech.c prints the
 * figure for a guide paragraph in each language), so a 4 KiB text costs a few
 * hundred ms of CPU but up to ~20 MB of PCM: callers that want the first words heard
 * quickly and little memory held (screens/speak does) synthesise a sentence or two
 * at a time, cut with speech_chunk(). Opening loads the library (dlopen: espeak-ng is
 * not linked, so a program that never speaks never loads it), espeak-ng's phoneme
 * data and both voices (50-150 ms, most of it the 1.6 MB Mandarin dictionary) and adds
 * ~3 MB to the process; closing gives all of it back and unloads the library.
 *
 * Threads: espeak-ng keeps all its state in globals and is not re-entrant, so there is
 * one speech per process (speech_open says -EBUSY to a second), and its calls must
 * never overlap: make them all from one thread (screens/speak's worker opens, uses and
 * closes it). espeak-ng 1.51 cannot be initialised twice in one copy of the library
 * (the second espeak_ng_Terminate hangs); each speech_open loads a fresh copy.
 *
 * Data: espeak-ng's own, found where the library was built to look
 * (/usr/lib/x86_64-linux-gnu/espeak-ng-data on Debian) or in $ESPEAK_DATA_PATH. */
#ifndef KIOSK_SPEECH_H
#define KIOSK_SPEECH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/i18n.h"

typedef struct speech speech;

/* Longest text, in bytes of UTF-8 (NUL excluded), one speech_synth call takes:
 * ~1,350 Chinese characters or ~650 English words, several minutes of speech. Longer
 * text is refused (-E2BIG); cut it with speech_chunk() first. */
#define SPEECH_MAX_TEXT 4096
/* Longest audio one call may produce; over it synthesis stops with -EFBIG (a text
 * of 4 KiB of digits or symbols, read one by one, could otherwise run to ~25 MB). */
#define SPEECH_MAX_SECONDS 600
/* espeak-ng's voices all synthesise at this rate; speech_synth says so each time. */
#define SPEECH_SAMPLE_RATE 22050

/* Speaking rates, in espeak-ng's nominal words per minute (its default is 175).
 * Slower than default for elderly listeners; measured on the guide paragraphs of
 * test_speech.c, pauses included: Mandarin ~2.8 characters a second (~170 a minute,
 * against ~240 in conversation and ~280 for a newsreader; espeak-ng's default gives
 * ~3.5), English ~134 words a minute (conversation ~150-160; default ~165). */
#define SPEECH_WPM_ZH 150
#define SPEECH_WPM_EN 140

/* Loads espeak-ng, opens the engine and checks that both voices load. Returns 0 and
 * *ret; -EBUSY when a speech is already open; -ENOENT when the library, espeak-ng's
 * data or one of the voices is missing; -EIO when espeak-ng fails otherwise. */
int speech_open(speech **ret);
/* Closes the engine and unloads espeak-ng. Accepts NULL. */
void speech_close(speech *sp);
/* True while espeak-ng is loaded (a speech is open); callable from any thread. */
bool speech_loaded(void);

/* The espeak-ng voice used for LANG: "cmn-Latn-pinyin" for LANG_ZH, "en" (British
 * English) for LANG_EN. Not "cmn": in 1.51 that voice reads Latin letters as English,
 * including the pinyin its own dictionary turns characters into, so 办理 comes out
 * as "ban four li three". The price of cmn-Latn-pinyin: Latin words in Chinese text
 * that espeak-ng's short English list lacks (QR, PDF) are read as pinyin. */
const char *speech_voice(kiosk_lang lang);

/* Synthesises TEXT (UTF-8, read as plain text: no SSML, '<' is just a character) in
 * LANG. Returns 0 with *ret_pcm (mono, signed 16-bit, native endian; you now own it:
 * free() it), *ret_samples and *ret_rate (Hz). An empty text gives 0 samples and a
 * NULL *ret_pcm. Errors, with the outputs untouched: -E2BIG when TEXT is longer than
 * SPEECH_MAX_TEXT bytes, -EFBIG when it would run past SPEECH_MAX_SECONDS, -EINVAL
 * for an unknown LANG, -EIO when espeak-ng fails. */
int speech_synth(speech *sp, const char *text, kiosk_lang lang, int16_t **ret_pcm,
                 size_t *ret_samples, int *ret_rate);

/* How many bytes of TEXT to take as the next piece of at most MAX bytes (MAX >= 4):
 * all of it when it fits; else the longest prefix that ends after a sentence (。！？；
 * !?; and '.' before a space, with any closing quotes, brackets and spaces that
 * follow, or a line break); failing that, after a clause (，、：,: or a space);
 * failing that, at the last character boundary that fits. Never splits a UTF-8
 * character; 0 only for an empty TEXT. Pure: no engine needed. */
size_t speech_chunk(const char *text, size_t max);

#endif
