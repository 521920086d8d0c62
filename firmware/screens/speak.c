/* speak.c - see speak.h.
 *
 * One mutex guards the queue, the history and the hand-over of sound to the device.
 * The worker drops it while espeak-ng synthesises (the only slow step), so the UI
 * thread waits at most for a queue operation or an SDL_QueueAudio copy. A stop bumps
 * a generation count: a piece synthesised for a text that was stopped meanwhile is
 * thrown away rather than played, and since the worker checks the count and queues
 * the sound under the same lock as speak_stop clears the device, nothing stopped can
 * sound after speak_stop returns.
 *
 * The worker reads the head entry a piece at a time (speech_chunk, WORK_PIECE bytes:
 * one or two sentences, up to ~30 s of speech) and sleeps while more than AHEAD_MS of
 * sound waits in the device's queue. An entry leaves the queue once its last piece
 * has been handed over and the device's queue has drained. */
#include "speak.h"
#include "base/util.h"
#include "core/speech.h"
#include "ui/audio.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WORK_PIECE 256  /* bytes synthesised at a time: ~85 Chinese characters */
#define AHEAD_MS 2000   /* sound queued ahead of the device before the worker waits */
#define POLL_MS 100     /* longest sleep while sound plays */

_Static_assert(SPEAK_TEXT_MAX <= SPEECH_MAX_TEXT, "a queued text must fit one synthesis");

struct entry {
    char *text;
    size_t len, pos;   /* bytes; pos: handed to the device so far */
    kiosk_lang lang;
};

struct speak {
    pthread_mutex_t mu;
    pthread_cond_t wake;   /* new work, a stop, or quit */
    pthread_t worker;

    struct entry q[SPEAK_QUEUE_MAX];
    int count;
    char *history[SPEAK_HISTORY]; /* ring, oldest at hist_start */
    int hist_start, hist_count;
    unsigned gen;          /* bumped by each stop */
    bool quit;

    ui_audio *audio;       /* NULL: no device */
    char audio_why[256];
    int status;            /* speak_status */
    const char *why;
};

static void entry_free(struct entry *e)
{
    free(e->text);
    e->text = NULL;
}

static void remember(speak *sp, const char *text)
{
    int slot = (sp->hist_start + sp->hist_count) % SPEAK_HISTORY;
    if (sp->hist_count == SPEAK_HISTORY) {
        free(sp->history[sp->hist_start]);
        sp->hist_start = (sp->hist_start + 1) % SPEAK_HISTORY;
        slot = (sp->hist_start + SPEAK_HISTORY - 1) % SPEAK_HISTORY;
    } else {
        sp->hist_count++;
    }
    sp->history[slot] = xstrdup(text);
}

static void pop_head(speak *sp)
{
    entry_free(&sp->q[0]);
    memmove(&sp->q[0], &sp->q[1], (size_t)(sp->count - 1) * sizeof sp->q[0]);
    sp->count--;
}

/* Sleeps up to MS milliseconds on the condition, with the lock held. */
static void wait_ms(speak *sp, unsigned ms)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&sp->wake, &sp->mu, &t);
}

static const char *speech_why(int r)
{
    switch (r) {
    case -ENOENT:
        return "espeak-ng data or voice missing (install espeak-ng-data)";
    case -EBUSY:
        return "the speech engine is already in use in this process";
    default:
        return "espeak-ng failed to start";
    }
}

static void *work(void *arg)
{
    speak *sp = arg;
    speech *engine = NULL;
    int r = speech_open(&engine);

    pthread_mutex_lock(&sp->mu);
    if (r < 0) {
        sp->status = r;
        sp->why = speech_why(r);
    } else if (!sp->audio) {
        sp->status = -ENODEV;
        sp->why = sp->audio_why;
    } else {
        sp->status = 0;
        sp->why = NULL;
    }

    char piece[WORK_PIECE + 1];
    while (!sp->quit) {
        if (sp->count == 0) {
            pthread_cond_wait(&sp->wake, &sp->mu);
            continue;
        }
        struct entry *e = &sp->q[0];
        unsigned queued = ui_audio_queued_ms(sp->audio);
        if (e->pos < e->len) {
            if (queued > AHEAD_MS) {
                wait_ms(sp, MIN(queued - AHEAD_MS, POLL_MS));
                continue;
            }
            if (e->pos == 0)
                remember(sp, e->text);
            size_t n = speech_chunk(e->text + e->pos, WORK_PIECE);
            if (!engine) { /* unspoken, but through the queue as if spoken */
                e->pos += n;
                continue;
            }
            memcpy(piece, e->text + e->pos, n);
            piece[n] = '\0';
            kiosk_lang lang = e->lang;
            unsigned gen = sp->gen;
            pthread_mutex_unlock(&sp->mu);

            int16_t *pcm = NULL;
            size_t samples = 0;
            int rate = 0;
            r = speech_synth(engine, piece, lang, &pcm, &samples, &rate);

            pthread_mutex_lock(&sp->mu);
            /* stopped meanwhile: E is gone, or is another text now */
            if (sp->gen == gen && !sp->quit) {
                if (r == 0)
                    ui_audio_queue(sp->audio, pcm, samples, rate); /* no device: unheard */
                sp->q[0].pos += n; /* a piece that fails to synthesise is skipped */
            }
            free(pcm);
            continue;
        }
        if (queued > 0) {
            wait_ms(sp, CLAMP(queued, 5u, (unsigned)POLL_MS));
            continue;
        }
        pop_head(sp);
    }
    pthread_mutex_unlock(&sp->mu);
    speech_close(engine);
    return NULL;
}

int speak_new(speak **ret)
{
    speak *sp = xcalloc(1, sizeof *sp);
    pthread_mutex_init(&sp->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&sp->wake, &ca);
    pthread_condattr_destroy(&ca);
    sp->status = -EINPROGRESS;
    sp->why = "starting";

    if (ui_audio_open(SPEECH_SAMPLE_RATE, &sp->audio, sp->audio_why, sizeof sp->audio_why) < 0)
        sp->audio = NULL;
    int r = pthread_create(&sp->worker, NULL, work, sp);
    if (r != 0) {
        ui_audio_close(sp->audio);
        pthread_cond_destroy(&sp->wake);
        pthread_mutex_destroy(&sp->mu);
        free(sp);
        return -EAGAIN;
    }
    *ret = sp;
    return 0;
}

static void clear_locked(speak *sp)
{
    for (int i = 0; i < sp->count; i++)
        entry_free(&sp->q[i]);
    sp->count = 0;
    sp->gen++;
    ui_audio_stop(sp->audio);
}

void speak_free(speak *sp)
{
    if (!sp)
        return;
    pthread_mutex_lock(&sp->mu);
    sp->quit = true;
    clear_locked(sp);
    pthread_cond_signal(&sp->wake);
    pthread_mutex_unlock(&sp->mu);
    pthread_join(sp->worker, NULL);

    ui_audio_close(sp->audio);
    for (int i = 0; i < sp->hist_count; i++)
        free(sp->history[(sp->hist_start + i) % SPEAK_HISTORY]);
    pthread_cond_destroy(&sp->wake);
    pthread_mutex_destroy(&sp->mu);
    free(sp);
}

int speak_status(speak *sp, const char **why)
{
    pthread_mutex_lock(&sp->mu);
    int r = sp->status;
    if (why)
        *why = sp->why;
    pthread_mutex_unlock(&sp->mu);
    return r;
}

int speak_say(speak *sp, const char *text, kiosk_lang lang)
{
    if (!sp)
        return -ENODEV;
    if ((unsigned)lang >= LANG_COUNT)
        return -EINVAL;
    if (!text || !*text)
        return 0;

    /* cut first, outside the lock; queue all the pieces or none */
    size_t cut[SPEAK_QUEUE_MAX + 1];
    int pieces = 0;
    for (size_t off = 0; text[off] && pieces <= SPEAK_QUEUE_MAX; pieces++) {
        size_t n = speech_chunk(text + off, SPEAK_TEXT_MAX);
        cut[pieces] = n;
        off += n;
    }

    pthread_mutex_lock(&sp->mu);
    if (sp->count + pieces > SPEAK_QUEUE_MAX) {
        pthread_mutex_unlock(&sp->mu);
        return -ENOBUFS;
    }
    size_t off = 0;
    for (int i = 0; i < pieces; i++) {
        struct entry *e = &sp->q[sp->count++];
        e->text = xstrndup(text + off, cut[i]);
        e->len = cut[i];
        e->pos = 0;
        e->lang = lang;
        off += cut[i];
    }
    pthread_cond_signal(&sp->wake);
    pthread_mutex_unlock(&sp->mu);
    return 0;
}

void speak_stop(speak *sp)
{
    if (!sp)
        return;
    pthread_mutex_lock(&sp->mu);
    clear_locked(sp);
    pthread_cond_signal(&sp->wake);
    pthread_mutex_unlock(&sp->mu);
}

bool speak_busy(speak *sp)
{
    if (!sp)
        return false;
    pthread_mutex_lock(&sp->mu);
    bool busy = sp->count > 0 || ui_audio_playing(sp->audio);
    pthread_mutex_unlock(&sp->mu);
    return busy;
}

int speak_queue_count(speak *sp)
{
    pthread_mutex_lock(&sp->mu);
    int n = sp->count;
    pthread_mutex_unlock(&sp->mu);
    return n;
}

char *speak_queue_item(speak *sp, int i)
{
    pthread_mutex_lock(&sp->mu);
    char *s = i >= 0 && i < sp->count ? xstrdup(sp->q[i].text) : NULL;
    pthread_mutex_unlock(&sp->mu);
    return s;
}

int speak_history_count(speak *sp)
{
    pthread_mutex_lock(&sp->mu);
    int n = sp->hist_count;
    pthread_mutex_unlock(&sp->mu);
    return n;
}

char *speak_history_item(speak *sp, int i)
{
    pthread_mutex_lock(&sp->mu);
    char *s = i >= 0 && i < sp->hist_count
                  ? xstrdup(sp->history[(sp->hist_start + i) % SPEAK_HISTORY])
                  : NULL;
    pthread_mutex_unlock(&sp->mu);
    return s;
}
