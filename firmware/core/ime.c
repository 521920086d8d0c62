/* ime.c - see ime.h. A thin wrapper over librime's C API (rime_api.h).
 *
 * librime rather than libgooglepinyin (both measured well under 1 ms a key): its
 * luna_pinyin dictionary knows more of the hall's words (marriage registration and individual business
 * come first, where googlepinyin offers homophones), learning is switched
 * off by configuration rather than by throwing away a user dictionary file that
 * googlepinyin insists on writing, and its sessions are handles rather than one
 * global decoder. The price is memory: ~7 MB of libraries and ~3-7 MB of dictionary
 * pages, against ~3 MB in all for googlepinyin.
 *
 * librime keeps its sessions in a process-wide service, so this module allows one
 * engine at a time. The schema is luna_pinyin_simp, trimmed at build time (ime.cmake)
 * to what a touch keyboard needs: speller, selector, navigator and express_editor;
 * one translator; the traditional-to-simplified filter. Its user dictionary is off,
 * so librime neither learns nor writes a file while the kiosk runs (checked with
 * strace: it only opens the data directory's files, read-only).
 *
 * The express editor commits the composition on any key its speller does not accept;
 * the only such key we could send is a separator at the start or after another one,
 * so ime_key drops those itself.
 *
 * librime is not linked: ime_open dlopen()s it (KIOSK_RIME_SONAME, found by the build)
 * and takes its one entry point, rime_get_api; ime_close finalizes it and dlclose()s
 * it. Its C++ libraries (boost, glog, ...) mark themselves not unloadable, so their
 * code stays mapped after the first use, but everything librime allocated (sessions,
 * the typed input, the dictionaries' maps) goes with rime_finalize. */
#include "ime.h"
#include "base/util.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <rime_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define IME_SCHEMA "luna_pinyin_simp"
#define KEY_BACKSPACE 0xff08 /* XK_BackSpace */
#define ELLIPSIS "\xe2\x80\xa6" /* … */
/* 64 letters, a space between each, and whatever partial choice leads them */
#define PREEDIT_MAX 512

struct ime {
    RimeApi *api;
    RimeSessionId session;
    char preedit[PREEDIT_MAX];
    char page[IME_PAGE_SIZE][IME_MAX_CAND + 1];
};

static bool engine_open;    /* one librime service per process */
static void *lib;           /* librime's dlopen handle while an engine is open */
/* glog's own answer to "may InitGoogleLogging run?", which rime's setup calls and
 * which aborts the second time in a process; librime's glog stays loaded */
#define GLOG_INITIALIZED "_ZN6google26IsGoogleLoggingInitializedEv"

/* Without plugins: the Debian package installs Lua and others that the schema does
 * not use and that would otherwise load into the kiosk. */
static const char *modules[] = {"core", "dict", "gears", NULL};

/* What the build leaves in the data directory; without these librime would start
 * with no schema (it never compiles one: we never call its maintenance). */
static const char *const compiled[] = {
    "build/default.yaml",
    "build/" IME_SCHEMA ".schema.yaml",
    "build/" IME_SCHEMA ".prism.bin",
    "build/luna_pinyin.table.bin",
    "opencc/t2s.json",
};

/* Copies SRC into DST (CAP bytes), cutting at a UTF-8 character boundary and
 * ending in "…" when it does not fit. */
static void copy_cut(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n < cap) {
        memcpy(dst, src, n + 1);
        return;
    }
    n = cap - 1 - strlen(ELLIPSIS);
    while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
        n--;
    memcpy(dst, src, n);
    memcpy(dst + n, ELLIPSIS, sizeof ELLIPSIS);
}

static size_t input_len(ime *e)
{
    const char *in = e->api->get_input(e->session);
    return in ? strlen(in) : 0;
}

/* Throws away a commit nobody asked for, so it never prefixes a later one. */
static void drain_commit(ime *e)
{
    RIME_STRUCT(RimeCommit, commit);
    if (e->api->get_commit(e->session, &commit))
        e->api->free_commit(&commit);
}

/* One key maps the dictionary and loads the session's simplifier (~2 ms), so that a
 * visitor's first tap is as quick as any other. False if no candidate came. */
static bool warm_up(RimeApi *api, RimeSessionId session)
{
    api->process_key(session, 'a', 0);
    RimeCandidateListIterator it = {0};
    bool have = api->candidate_list_begin(session, &it) && api->candidate_list_next(&it);
    api->candidate_list_end(&it);
    api->clear_composition(session);
    return have;
}

int ime_open(const char *data_dir, ime **ret, char *err, size_t errlen)
{
    if (engine_open) {
        snprintf(err, errlen, "an input method engine is already open");
        return -EBUSY;
    }
    char *dir = realpath(data_dir, NULL);
    if (!dir) {
        int r = -errno;
        snprintf(err, errlen, "%s: %s", data_dir, strerror(-r));
        return r;
    }
    for (size_t i = 0; i < ARRAY_SIZE(compiled); i++) {
        char *path = xasprintf("%s/%s", dir, compiled[i]);
        bool ok = access(path, R_OK) == 0;
        free(path);
        if (!ok) {
            snprintf(err, errlen, "%s: no compiled pinyin dictionary (%s is missing; the build makes it)",
                     dir, compiled[i]);
            free(dir);
            return -ENOENT;
        }
    }

    dlerror();
    lib = dlopen(KIOSK_RIME_SONAME, RTLD_NOW | RTLD_LOCAL);
    RimeApi *(*get_api)(void) = NULL;
    bool (*glog_ready)(void) = NULL;
    if (lib) {
        *(void **)&get_api = dlsym(lib, "rime_get_api");
        *(void **)&glog_ready = dlsym(lib, GLOG_INITIALIZED);
    }
    RimeApi *api = get_api ? get_api() : NULL;
    if (!api) {
        const char *why = dlerror();
        snprintf(err, errlen, "%s: %s", KIOSK_RIME_SONAME, why ? why : "no rime_get_api");
        free(dir);
        if (lib)
            dlclose(lib);
        lib = NULL;
        return -ENOENT;
    }
    RIME_STRUCT(RimeTraits, traits);
    traits.shared_data_dir = dir; /* everything is in the build's copy */
    traits.user_data_dir = dir;
    traits.app_name = "rime.hallkiosk";
    traits.min_log_level = 3; /* FATAL only: callers log, the library does not */
    traits.log_dir = "";      /* stderr, never log files */
    traits.modules = modules;
    if (!glog_ready || !glog_ready())
        api->setup(&traits);
    api->initialize(&traits); /* copies the paths */
    free(dir);

    int r = -EIO;
    char schema[64] = "";
    RimeSessionId session = api->create_session();
    if (!session) {
        snprintf(err, errlen, "%s: librime could not create a session", data_dir);
        goto fail;
    }
    if (!api->get_current_schema(session, schema, sizeof schema) || strcmp(schema, IME_SCHEMA) != 0) {
        snprintf(err, errlen, "%s: librime chose schema \"%s\", not " IME_SCHEMA, data_dir, schema);
        goto fail;
    }
    if (!warm_up(api, session)) {
        snprintf(err, errlen, "%s: the pinyin dictionary gives no candidates", data_dir);
        goto fail;
    }

    ime *e = xcalloc(1, sizeof *e);
    e->api = api;
    e->session = session;
    engine_open = true;
    *ret = e;
    return 0;
fail:
    if (session)
        api->destroy_session(session);
    api->finalize();
    dlclose(lib);
    lib = NULL;
    return r;
}

void ime_close(ime *e)
{
    if (!e)
        return;
    e->api->destroy_session(e->session);
    e->api->finalize();
    dlclose(lib);
    lib = NULL;
    engine_open = false;
    free(e);
}

bool ime_loaded(void)
{
    return lib != NULL;
}

void ime_reset(ime *e)
{
    /* The new session is made before the old one goes, so the dictionary stays
     * mapped (~10 ms otherwise). */
    RimeSessionId fresh = e->api->create_session();
    if (!fresh) {
        e->api->clear_composition(e->session);
        drain_commit(e);
        return;
    }
    e->api->clear_composition(e->session);
    e->api->destroy_session(e->session);
    e->session = fresh;
    /* the whole buffer: a name's syllables are not left behind the first byte */
    memset(e->preedit, 0, sizeof e->preedit);
    warm_up(e->api, e->session);
}

int ime_key(ime *e, char c)
{
    if (!((c >= 'a' && c <= 'z') || c == '\''))
        return -EINVAL;
    const char *in = e->api->get_input(e->session);
    size_t n = in ? strlen(in) : 0;
    if (n >= IME_MAX_INPUT)
        return -ENOSPC;
    if (c == '\'' && (n == 0 || in[n - 1] == '\''))
        return 0;
    e->api->process_key(e->session, (unsigned char)c, 0);
    drain_commit(e);
    return 0;
}

int ime_backspace(ime *e)
{
    if (input_len(e) == 0)
        return 0;
    e->api->process_key(e->session, KEY_BACKSPACE, 0);
    drain_commit(e);
    return 1;
}

const char *ime_preedit(ime *e)
{
    e->preedit[0] = '\0';
    RIME_STRUCT(RimeContext, ctx);
    if (e->api->get_context(e->session, &ctx)) {
        if (ctx.composition.preedit)
            copy_cut(e->preedit, sizeof e->preedit, ctx.composition.preedit);
        e->api->free_context(&ctx);
    }
    return e->preedit;
}

int ime_page(ime *e, int page, const char **cands, int max)
{
    if (page < 0 || max < 0)
        return -EINVAL;
    if (page > INT_MAX / IME_PAGE_SIZE - 1)
        return 0;
    max = MIN(max, IME_PAGE_SIZE);
    RimeCandidateListIterator it = {0};
    if (!e->api->candidate_list_from_index(e->session, &it, page * IME_PAGE_SIZE))
        return 0; /* nothing typed: no menu */
    int n = 0;
    while (n < max && e->api->candidate_list_next(&it)) {
        copy_cut(e->page[n], sizeof e->page[n], it.candidate.text ? it.candidate.text : "");
        cands[n] = e->page[n];
        n++;
    }
    e->api->candidate_list_end(&it);
    return n;
}

bool ime_has_page(ime *e, int page)
{
    if (page < 0 || page > INT_MAX / IME_PAGE_SIZE - 1)
        return false;
    RimeCandidateListIterator it = {0};
    if (!e->api->candidate_list_from_index(e->session, &it, page * IME_PAGE_SIZE))
        return false;
    bool have = e->api->candidate_list_next(&it);
    e->api->candidate_list_end(&it);
    return have;
}

int ime_select(ime *e, int page, int index, char **ret_committed)
{
    if (page < 0 || page > INT_MAX / IME_PAGE_SIZE - 1 || index < 0 || index >= IME_PAGE_SIZE)
        return -EINVAL;
    if (input_len(e) == 0)
        return -ERANGE;
    drain_commit(e);
    if (!e->api->select_candidate(e->session, (size_t)page * IME_PAGE_SIZE + (size_t)index))
        return -ERANGE;
    RIME_STRUCT(RimeCommit, commit);
    if (!e->api->get_commit(e->session, &commit)) {
        *ret_committed = NULL;
        return 0;
    }
    *ret_committed = xstrdup(commit.text ? commit.text : "");
    e->api->free_commit(&commit);
    return 1;
}

bool ime_composing(ime *e)
{
    return input_len(e) > 0;
}
