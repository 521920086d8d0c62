/* fuzz_search.c - the search box (firmware/core/search.h): whatever a visitor types,
 * run against the demo content.db on every keystroke. The first byte picks the
 * language (bit 0) and the hits per group (1..SEARCH_MAX_PER_GROUP, and out-of-range
 * values that must be clamped); the rest is the query.
 * Invariants: search_run never fails on any text; groups in kind order, each within
 * the clamped count; every highlight lies inside its text and on character
 * boundaries; an empty normalised query finds nothing; search_normalize is idempotent
 * and refuses (never overruns) a buffer too small; a key search_miss_key lets through
 * holds no '@' and no run of 6 digits. */
#include "fuzz.h"

#include "core/search.h"

#include <errno.h>

#ifndef KIOSK_DEMO_DB
#error "KIOSK_DEMO_DB: the demo content.db of the build (CMake defines it)"
#endif

static search *engine;

static void close_engine(void)
{
    search_close(engine);
    engine = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char err[512];
    if (search_open(KIOSK_DEMO_DB, &engine, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz_search: %s\n", err);
        abort();
    }
    atexit(close_engine);
    return 0;
}

static int continuation(char c)
{
    return ((unsigned char)c & 0xc0) == 0x80;
}

/* AT and LEN mark a span of TEXT on character boundaries. */
static void check_span(const char *text, int at, int len)
{
    FUZZ_CHECK(text);
    if (len == 0)
        return;
    size_t n = strlen(text);
    FUZZ_CHECK(at >= 0 && len > 0 && (size_t)at + (size_t)len <= n);
    FUZZ_CHECK(!continuation(text[at]) && !continuation(text[at + len]));
}

static void check_normalize(const char *q)
{
    char buf[4 * SEARCH_MAX_BYTES], again[4 * SEARCH_MAX_BYTES];
    int n = search_normalize(q, buf, sizeof buf);
    FUZZ_CHECK(n >= 0 && (size_t)n == strlen(buf) && n <= SEARCH_MAX_BYTES);
    FUZZ_CHECK(search_normalize(buf, again, sizeof again) == n && !strcmp(buf, again));
    /* exactly one byte short: refused, and ASan sees any write past the end */
    char *small = malloc((size_t)n);
    FUZZ_CHECK(search_normalize(q, small, (size_t)n) == -ENOSPC);
    free(small);

    int k = search_miss_key(q, again, sizeof again);
    FUZZ_CHECK(k >= 0 || k == -EPERM);
    if (k >= 0) {
        FUZZ_CHECK(!strchr(again, '@'));
        for (int i = 0, digits = 0; i < k; i++) {
            digits = again[i] >= '0' && again[i] <= '9' ? digits + 1 : 0;
            FUZZ_CHECK(digits < 6);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    kiosk_lang lang = data[0] & 1 ? LANG_EN : LANG_ZH;
    int per_group = (int)(data[0] >> 1) - 8;      /* -8..119: clamped to 1..50 */
    int want = per_group < 1 ? 1 : per_group > SEARCH_MAX_PER_GROUP ? SEARCH_MAX_PER_GROUP : per_group;
    char *q = fuzz_cstr(data + 1, size - 1);
    char norm[4 * SEARCH_MAX_BYTES];
    struct search_result res;

    check_normalize(q);
    FUZZ_CHECK(search_run(engine, q, lang, per_group, &res) == 0);
    FUZZ_CHECK(res.n_groups >= 0 && res.n_groups <= SEARCH_KIND_COUNT);
    if (search_normalize(q, norm, sizeof norm) == 0)
        FUZZ_CHECK(res.n_groups == 0 && res.path == SEARCH_NOTHING);
    for (int g = 0; g < res.n_groups; g++) {
        const struct search_group *grp = &res.groups[g];
        FUZZ_CHECK(grp->n >= 1 && grp->n <= want && (grp->more == 0 || grp->more == 1));
        if (g > 0)
            FUZZ_CHECK(grp->kind > res.groups[g - 1].kind);
        for (int i = 0; i < grp->n; i++) {
            const struct search_hit *h = &grp->hits[i];
            FUZZ_CHECK(h->id && h->id[0] && h->published && h->validity);
            check_span(h->title, h->title_at, h->title_len);
            check_span(h->snippet, h->snippet_at, h->snippet_len);
        }
    }
    search_result_free(&res);
    free(q);
    return 0;
}
