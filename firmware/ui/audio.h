/* audio.h - sound out through SDL2: 16-bit mono PCM queued on the default output
 * device (SDL_QueueAudio), played in the background by SDL's audio thread, and
 * stopped at once (SDL_ClearQueuedAudio). Read-aloud is its only user (the kiosk's
 * headphone jack); nothing here knows where the samples come from.
 *
 * Load: a few queue calls a minute, each a sentence or two (up to ~1 MB); queueing
 * copies the samples and never waits for the device.
 *
 * No device is no error for the kiosk: ui_audio_open says -ENODEV, and every other
 * function accepts the NULL left behind (the speech is simply not heard). Headless,
 * SDL_AUDIODRIVER=dummy gives a device that consumes samples in real time and plays
 * nothing (the tests use it).
 *
 * Threads: open and close on the thread that owns SDL (the UI thread); queue, stop
 * and the queries may be called from any thread (SDL locks the device). */
#ifndef KIOSK_UI_AUDIO_H
#define KIOSK_UI_AUDIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ui_audio ui_audio;

/* Longest audio one ui_audio_queue call takes. */
#define UI_AUDIO_MAX_SECONDS 600

/* Opens the default output device for mono signed 16-bit samples at RATE Hz (SDL
 * converts to whatever the device wants), initialising SDL's audio subsystem if
 * needed, and starts it playing (silence until something is queued). Returns 0 and
 * *ret; -EINVAL for a RATE outside 8000..192000; -ENODEV when there is no usable
 * device, with err set to SDL's reason. */
int ui_audio_open(int rate, ui_audio **ret, char *err, size_t errlen);
void ui_audio_close(ui_audio *a); /* stops playback; accepts NULL */

/* The rate the device was opened for, or 0 for NULL. */
int ui_audio_rate(ui_audio *a);

/* Appends SAMPLES samples of PCM at RATE Hz to what is playing; converted first when
 * RATE is not the device's. The samples are copied. Returns 0; -ENODEV for a NULL
 * device; -EINVAL for a bad RATE; -E2BIG for more than UI_AUDIO_MAX_SECONDS; -EIO
 * when SDL refuses. */
int ui_audio_queue(ui_audio *a, const int16_t *pcm, size_t samples, int rate);

/* Drops everything queued: silence from the device's next buffer (~10-50 ms). */
void ui_audio_stop(ui_audio *a);

/* Milliseconds of sound queued and not yet handed to the device (0 for NULL). */
unsigned ui_audio_queued_ms(ui_audio *a);
/* True while queued sound remains. */
bool ui_audio_playing(ui_audio *a);

#endif
