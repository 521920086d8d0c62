/* speech.c - see speech.h. A thin wrapper over espeak-ng's C API in synchronous mode:
 * espeak_ng_Synthesize returns only when the whole text has been spoken into our
 * callback, a block of samples at a time, which appends them to a buffer that is
 * then handed to the caller. Voices are switched only when the language changes,
 * since loading the Mandarin one reads its 1.6 MB dictionary again (~45 ms).
 *
 * espeak-ng is not linked: speech_open dlopen()s it (KIOSK_ESPEAK_SONAME, found by the
 * build) and takes its entry points into `es`; speech_close terminates it and
 * dlclose()s it, which unmaps it and its own libraries (libpcaudio, libsonic; not
 * libpulse, which stays once loaded). A later speech_open loads a fresh copy, whose
 * globals start from zero, so espeak-ng is initialised once per copy, as it needs. */
#include "speech.h"
#include "base/util.h"

#include <dlfcn.h>
#include <errno.h>
#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* espeak-ng keeps some of what its initialisation, voice loading and synthesis
 * allocate in globals that espeak_ng_Terminate does not free (~2.7 KB after opening,
 * more once it has spoken), and dlclose drops them: a leak of the library's own, per
 * load. LeakSanitizer cannot name an unloaded library's frames, so a suppression
 * cannot match them; instead its allocations inside its calls are left out of the
 * leak check (in this thread only). Our synthesis callback, which it calls, switches
 * the check back on for our own allocations. */
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#define LIBRARY_OWN_BEGIN() __lsan_disable()
#define LIBRARY_OWN_END() __lsan_enable()
#else
#define LIBRARY_OWN_BEGIN() ((void)0)
#define LIBRARY_OWN_END() ((void)0)
#endif

/* How much audio espeak-ng hands the callback at a time, in ms. */
#define SYNTH_BLOCK_MS 200

struct speech {
    int rate;       /* samples per second */
    size_t limit;   /* SPEECH_MAX_SECONDS in samples */
};

/* One synthesis's samples, grown by the callback and handed to the caller. */
struct synth_buf {
    int16_t *pcm;
    size_t len, cap, limit;
    bool overflow;
};

/* Process-wide, like espeak-ng's own state (see speech.h). */
static void *lib;              /* espeak-ng's dlopen handle while a speech is open */
static atomic_bool loaded;     /* lib != NULL, for speech_loaded() from any thread */
static bool engine_open;       /* a speech holds it */
static int engine_voice = -1;  /* the kiosk_lang whose voice is loaded, or -1 */

/* The entry points we use, taken from the loaded library. */
static struct {
    void (*InitializePath)(const char *);
    espeak_ng_STATUS (*Initialize)(espeak_ng_ERROR_CONTEXT *);
    void (*ClearErrorContext)(espeak_ng_ERROR_CONTEXT *);
    espeak_ng_STATUS (*InitializeOutput)(espeak_ng_OUTPUT_MODE, int, const char *);
    void (*SetSynthCallback)(t_espeak_callback *);
    int (*GetSampleRate)(void);
    espeak_ng_STATUS (*SetVoiceByName)(const char *);
    espeak_ng_STATUS (*SetParameter)(espeak_PARAMETER, int, int);
    espeak_ng_STATUS (*Synthesize)(const void *, size_t, unsigned int, espeak_POSITION_TYPE,
                                   unsigned int, unsigned int, unsigned int *, void *);
    espeak_ng_STATUS (*Terminate)(void);
} es;

#define ES_SYM(field, name) {(void **)&es.field, name}
static const struct {
    void **fn;
    const char *name;
} es_syms[] = {
    ES_SYM(InitializePath, "espeak_ng_InitializePath"),
    ES_SYM(Initialize, "espeak_ng_Initialize"),
    ES_SYM(ClearErrorContext, "espeak_ng_ClearErrorContext"),
    ES_SYM(InitializeOutput, "espeak_ng_InitializeOutput"),
    ES_SYM(SetSynthCallback, "espeak_SetSynthCallback"),
    ES_SYM(GetSampleRate, "espeak_ng_GetSampleRate"),
    ES_SYM(SetVoiceByName, "espeak_ng_SetVoiceByName"),
    ES_SYM(SetParameter, "espeak_ng_SetParameter"),
    ES_SYM(Synthesize, "espeak_ng_Synthesize"),
    ES_SYM(Terminate, "espeak_ng_Terminate"),
};

static int status_to_errno(espeak_ng_STATUS st);
static int synth_cb(short *wav, int n, espeak_EVENT *events);

static void unload(void)
{
    if (lib)
        dlclose(lib);
    lib = NULL;
    atomic_store(&loaded, false);
    memset(&es, 0, sizeof es);
    engine_voice = -1;
}

/* Loads espeak-ng and initialises it; -ENOENT when the library or one of its entry
 * points is missing, else as espeak_ng_Initialize says. */
static int load(int *ret_rate)
{
    lib = dlopen(KIOSK_ESPEAK_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!lib)
        return -ENOENT;
    atomic_store(&loaded, true);
    for (size_t i = 0; i < ARRAY_SIZE(es_syms); i++) {
        *es_syms[i].fn = dlsym(lib, es_syms[i].name);
        if (!*es_syms[i].fn) {
            unload();
            return -ENOENT;
        }
    }
    espeak_ng_ERROR_CONTEXT ctx = NULL;
    LIBRARY_OWN_BEGIN();
    es.InitializePath(NULL); /* $ESPEAK_DATA_PATH or the built-in path */
    espeak_ng_STATUS st = es.Initialize(&ctx);
    es.ClearErrorContext(&ctx);
    if (st == ENS_OK)
        st = es.InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, SYNTH_BLOCK_MS, NULL);
    LIBRARY_OWN_END();
    if (st != ENS_OK) {
        es.Terminate();
        unload();
        return status_to_errno(st);
    }
    es.SetSynthCallback(synth_cb);
    *ret_rate = es.GetSampleRate();
    return 0;
}

static const char *const voices[LANG_COUNT] = {
    [LANG_ZH] = "cmn-Latn-pinyin",
    [LANG_EN] = "en",
};
static const int rates_wpm[LANG_COUNT] = {
    [LANG_ZH] = SPEECH_WPM_ZH,
    [LANG_EN] = SPEECH_WPM_EN,
};

const char *speech_voice(kiosk_lang lang)
{
    return (unsigned)lang < LANG_COUNT ? voices[lang] : NULL;
}

static int status_to_errno(espeak_ng_STATUS st)
{
    /* espeak-ng's own codes, or an errno value passed through */
    if (st == ENS_OK)
        return 0;
    if (st == ENS_VOICE_NOT_FOUND || (int)st == ENOENT)
        return -ENOENT;
    if ((int)st == ENOMEM)
        return -ENOMEM;
    return -EIO;
}

static int synth_cb(short *wav, int n, espeak_EVENT *events)
{
    struct synth_buf *b = events ? events->user_data : NULL;
    if (!wav || n <= 0 || !b)
        return 0;
    if (b->len + (size_t)n > b->limit) {
        b->overflow = true;
        return 1; /* abort the synthesis */
    }
    if (b->len + (size_t)n > b->cap) {
        size_t cap = MAX(b->cap * 2, b->len + (size_t)n);
        LIBRARY_OWN_END(); /* our buffer: leak-checked */
        b->pcm = xrealloc(b->pcm, cap * sizeof *b->pcm);
        LIBRARY_OWN_BEGIN();
        b->cap = cap;
    }
    memcpy(b->pcm + b->len, wav, (size_t)n * sizeof *wav);
    b->len += (size_t)n;
    return 0;
}

static int use_voice(kiosk_lang lang)
{
    if (engine_voice == (int)lang)
        return 0;
    engine_voice = -1;
    LIBRARY_OWN_BEGIN();
    int r = status_to_errno(es.SetVoiceByName(voices[lang]));
    /* set after the voice, which may bring its own speed */
    if (r == 0)
        r = status_to_errno(es.SetParameter(espeakRATE, rates_wpm[lang], 0));
    LIBRARY_OWN_END();
    if (r < 0)
        return r;
    engine_voice = lang;
    return 0;
}

int speech_open(speech **ret)
{
    if (engine_open)
        return -EBUSY;
    int rate = 0;
    int r = load(&rate);
    if (r < 0)
        return r;
    /* espeak-ng looks at its data only when a voice is loaded: a missing directory
     * shows here, as a voice that does not exist. Mandarin last: the kiosk's first
     * language is the likelier next, and its voice is the slow one to load. */
    engine_voice = -1;
    r = use_voice(LANG_EN);
    if (r == 0)
        r = use_voice(LANG_ZH);
    if (r < 0) {
        es.Terminate();
        unload();
        return r;
    }

    speech *sp = xcalloc(1, sizeof *sp);
    sp->rate = rate;
    sp->limit = (size_t)SPEECH_MAX_SECONDS * (size_t)rate;
    engine_open = true;
    *ret = sp;
    return 0;
}

void speech_close(speech *sp)
{
    if (!sp)
        return;
    free(sp);
    es.Terminate(); /* frees espeak-ng's voices and buffers */
    unload();
    engine_open = false;
}

bool speech_loaded(void)
{
    return atomic_load(&loaded);
}

int speech_synth(speech *sp, const char *text, kiosk_lang lang, int16_t **ret_pcm,
                 size_t *ret_samples, int *ret_rate)
{
    if ((unsigned)lang >= LANG_COUNT)
        return -EINVAL;
    size_t n = strlen(text);
    if (n > SPEECH_MAX_TEXT)
        return -E2BIG;
    if (n == 0) {
        *ret_pcm = NULL;
        *ret_samples = 0;
        *ret_rate = sp->rate;
        return 0;
    }
    int r = use_voice(lang);
    if (r < 0)
        return r;

    struct synth_buf b = {.limit = sp->limit};
    /* ENDPAUSE: a pause after the last word too, so texts spoken one after another
     * (or one text cut into pieces) keep their sentence breaks. */
    LIBRARY_OWN_BEGIN();
    espeak_ng_STATUS st = es.Synthesize(text, n + 1, 0, POS_CHARACTER, 0,
                                        espeakCHARS_UTF8 | espeakENDPAUSE, NULL, &b);
    LIBRARY_OWN_END();
    if (b.overflow) {
        r = -EFBIG;
        goto fail;
    }
    if (st != ENS_OK) {
        r = status_to_errno(st);
        if (r == -ENOENT)
            r = -EIO;
        goto fail;
    }
    if (b.len == 0)
        freep(&b.pcm);
    *ret_pcm = b.pcm ? xrealloc(b.pcm, b.len * sizeof *b.pcm) : NULL; /* trimmed */
    *ret_samples = b.len;
    *ret_rate = sp->rate;
    return 0;
fail:
    free(b.pcm);
    return r;
}

/* ---- chunking ------------------------------------------------------------------ */

static bool is_sentence_end(uint32_t c)
{
    return c == 0x3002 /* 。 */ || c == 0xff01 /* ！ */ || c == 0xff1f /* ？ */ ||
           c == 0xff1b /* ； */ || c == '!' || c == '?' || c == ';' || c == 0xff0e /* ． */;
}

static bool is_clause_end(uint32_t c)
{
    return c == 0xff0c /* ， */ || c == 0x3001 /* 、 */ || c == 0xff1a /* ： */ ||
           c == ',' || c == ':' || c == ' ' || c == '\t' || c == 0x3000 /* ideographic space */;
}

/* What may follow a sentence's end and still belong to it. */
static bool is_closer(uint32_t c)
{
    return c == 0x201d /* ” */ || c == 0x2019 /* ’ */ || c == 0x300d /* 」 */ ||
           c == 0x300f /* 』 */ || c == 0xff09 /* ） */ || c == 0x3011 /* 】 */ ||
           c == 0x300b /* 》 */ || c == '"' || c == '\'' || c == ')' || c == ']' ||
           c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x3000;
}

size_t speech_chunk(const char *text, size_t max)
{
    size_t n = strlen(text);
    if (n <= max)
        return n;
    size_t sentence = 0, clause = 0, boundary = 0;
    const char *p = text;
    bool after_end = false; /* inside a sentence end and its closers */
    while ((size_t)(p - text) < max) {
        uint32_t c = utf8_next(&p);
        size_t end = (size_t)(p - text);
        if (end > max)
            break;
        boundary = end;
        /* '.' ends a sentence only before a space or a line break (not in 1.5) */
        bool dot = c == '.' && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t');
        if (is_sentence_end(c) || dot || c == '\n') {
            after_end = true;
            sentence = end;
        } else if (after_end && is_closer(c)) {
            sentence = end;
        } else {
            after_end = false;
            if (is_clause_end(c))
                clause = end;
        }
    }
    if (sentence)
        return sentence;
    if (clause)
        return clause;
    return boundary;
}
