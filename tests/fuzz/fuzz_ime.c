/* fuzz_ime.c - the pinyin input path (firmware/core/ime.h): what the on-screen keyboard
 * sends to librime, in any order. Each input byte is one action: a-z and ' are typed;
 * any other byte b is, by b % 6: backspace, a page of candidates (page b/8 % 4), a
 * choice (page b/8 % 2, index b/16 % 8), a key the keyboard never sends (refused), the
 * preedit, or whether a page exists. At most 128 actions an input; then everything is
 * erased with backspace, so the next input starts from nothing (cheaper than ime_reset).
 * librime allocates on every key, which ASan makes ~10 times slower; a small quarantine
 * (__asan_default_options) halves that. The limit of 64 typed bytes is left to
 * tests/unit/test_ime.c: a composition that long costs about a second a run here.
 * The engine is opened once, on "ime" beside this program (the build's BUILD/ime).
 * Invariants: return codes as ime.h says; at most IME_PAGE_SIZE candidates, each cut to
 * IME_MAX_CAND bytes; nothing typed means no preedit, no candidates and nothing to
 * choose; a full commit empties the composition; backspace always empties it. */
#include "fuzz.h"

#include "core/ime.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <unistd.h>

#define MAX_ACTIONS 128

static ime *engine;

const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "quarantine_size_mb=16";
}

/* libFuzzer has no teardown: close at exit, so LeakSanitizer's final check sees
 * librime's memory handed back */
static void close_engine(void)
{
    ime_close(engine);
    engine = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char exe[PATH_MAX], dir[PATH_MAX + 8], err[512];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    FUZZ_CHECK(n > 0);
    exe[n] = '\0';
    snprintf(dir, sizeof dir, "%s/ime", dirname(exe));
    if (ime_open(dir, &engine, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz_ime: %s\n", err);
        abort();
    }
    atexit(close_engine);
    return 0;
}

static void check_page(int page)
{
    const char *cands[IME_PAGE_SIZE];
    int n = ime_page(engine, page, cands, IME_PAGE_SIZE);
    FUZZ_CHECK(n >= 0 && n <= IME_PAGE_SIZE);
    if (!ime_composing(engine))
        FUZZ_CHECK(n == 0);
    for (int i = 0; i < n; i++)
        FUZZ_CHECK(cands[i] && strlen(cands[i]) <= IME_MAX_CAND);
    FUZZ_CHECK(ime_has_page(engine, page) == (n > 0));
}

static void act(uint8_t b)
{
    if ((b >= 'a' && b <= 'z') || b == '\'') {
        int r = ime_key(engine, (char)b);
        FUZZ_CHECK(r == 0 || r == -ENOSPC);
        return;
    }
    switch (b % 6) {
    case 0: {
        bool was = ime_composing(engine);
        FUZZ_CHECK(ime_backspace(engine) == (was ? 1 : 0));
        break;
    }
    case 1:
        check_page(b / 8 % 4);
        break;
    case 2: {
        char *committed = NULL;
        bool was = ime_composing(engine);
        int r = ime_select(engine, b / 8 % 2, b / 16 % 8, &committed);
        FUZZ_CHECK(r == 1 || r == 0 || r == -ERANGE);
        if (!was)
            FUZZ_CHECK(r == -ERANGE);
        if (r == 1) {
            FUZZ_CHECK(committed && committed[0]);
            FUZZ_CHECK(!ime_composing(engine));
        } else if (r == 0) {
            FUZZ_CHECK(!committed && ime_composing(engine));
        }
        free(committed);
        break;
    }
    case 3:
        FUZZ_CHECK(ime_key(engine, (char)b) == -EINVAL);
        break;
    case 4: {
        const char *p = ime_preedit(engine);
        FUZZ_CHECK(p && strlen(p) < 512);
        if (!ime_composing(engine))
            FUZZ_CHECK(p[0] == '\0');
        break;
    }
    default:
        FUZZ_CHECK(ime_has_page(engine, b / 8 % 4) ? ime_composing(engine) : 1);
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (size_t i = 0; i < size && i < MAX_ACTIONS; i++)
        act(data[i]);
    int n = 0;
    while (ime_backspace(engine))
        FUZZ_CHECK(++n <= 4 * IME_MAX_INPUT);
    FUZZ_CHECK(!ime_composing(engine));
    FUZZ_CHECK(ime_page(engine, 0, (const char *[IME_PAGE_SIZE]){0}, IME_PAGE_SIZE) == 0);
    return 0;
}
