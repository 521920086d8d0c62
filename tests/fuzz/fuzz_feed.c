/* fuzz_feed.c - the signed status feed (sync/feed.h), which every kiosk fetches from
 * the central office. The first byte picks the mode:
 *   0: the rest is a whole envelope, checked with the harness's key: what a hostile
 *      server reaches without the signing key;
 *   1: the rest is a body that the harness signs and wraps in an envelope, so the body
 *      parser after the signature is reached;
 *   2: the rest is the entries JSON given to feed_sign (the office's side); a feed it
 *      signs must be accepted by feed_parse, with the same entries.
 * Invariants: an accepted feed's entries are within their caps and formats, expiry after
 * creation; a refusal has a reason, a field and one line; everything is released. */
#include "fuzz.h"
#include "fuzz_keys.h"

#include "base/util.h"
#include "core/state.h"
#include "feed.h"

#include <jansson.h>

#define NOW ((int64_t)1780315200)   /* 2026-06-01T12:00:00Z */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_keys_init();
    return 0;
}

static int outcome_known(const char *s)
{
    for (int i = 0; state_status_outcomes[i]; i++)
        if (!strcmp(s, state_status_outcomes[i]))
            return 1;
    return 0;
}

static void check_feed(const struct feed *f)
{
    FUZZ_CHECK(f->scope[0] && strlen(f->scope) <= BUNDLE_SCOPE_MAX);
    FUZZ_CHECK(!strcmp(f->key_id, fuzz_key.pub.id_hex));
    FUZZ_CHECK(f->expires_at > f->created_at);
    FUZZ_CHECK(f->n <= FEED_ENTRIES_MAX);
    for (size_t i = 0; i < f->n; i++) {
        const struct feed_entry *e = &f->entries[i];
        FUZZ_CHECK(e->receipt && e->status && e->outcome && e->reason && e->updated_at && e->due_date);
        FUZZ_CHECK(e->receipt[0] && strlen(e->receipt) <= 31);
        FUZZ_CHECK(e->status[0] && strlen(e->status) <= 31);
        FUZZ_CHECK(outcome_known(e->outcome));
        FUZZ_CHECK(strlen(e->reason) <= 255);
        FUZZ_CHECK(strlen(e->updated_at) == 20);
        FUZZ_CHECK(!e->due_date[0] || strlen(e->due_date) == 10);
    }
}

/* Parses TEXT; returns what feed_parse returned, with *ret_n the entries on success. */
static int parse(const char *text, size_t len, size_t *ret_n)
{
    struct feed f;
    struct bundle_error err = {0};
    int r = feed_parse(text, len, &fuzz_ring, &f, &err);
    if (r == 0) {
        check_feed(&f);
        if (ret_n)
            *ret_n = f.n;
        feed_release(&f);
    } else {
        fuzz_check_error(&err);
    }
    return r;
}

static void parse_signed_body(const char *body, size_t len)
{
    unsigned char sig[BUNDLE_SIG_SIZE];
    char sig64[sodium_base64_ENCODED_LEN(BUNDLE_SIG_SIZE, sodium_base64_VARIANT_ORIGINAL)];
    bundle_sign(&fuzz_key, body, len, sig);
    sodium_bin2base64(sig64, sizeof sig64, sig, sizeof sig, sodium_base64_VARIANT_ORIGINAL);
    json_t *env = json_pack("{s:i, s:s, s:s, s:s%}", "format", FEED_FORMAT_VERSION, "key_id",
                            fuzz_key.pub.id_hex, "signature", sig64, "body", body, len);
    if (!env)     /* not UTF-8: no JSON string can carry it */
        return;
    char *text = json_dumps(env, JSON_COMPACT);
    FUZZ_CHECK(text);
    parse(text, strlen(text), NULL);
    free(text);
    json_decref(env);
}

static void sign_and_parse(const char *entries, size_t len)
{
    char *text = NULL;
    struct bundle_error err = {0};
    if (feed_sign(&fuzz_key, "hall-1", 30, NOW, entries, len, &text, &err) != 0) {
        fuzz_check_error(&err);
        return;
    }
    size_t n = 0;
    FUZZ_CHECK(parse(text, strlen(text), &n) == 0);
    /* the same entries: count them as feed_sign took them (a list, or an object's list) */
    json_t *j = json_loadb(entries, len, JSON_REJECT_DUPLICATES, NULL);
    FUZZ_CHECK(j);
    json_t *list = json_is_object(j) ? json_object_get(j, "entries") : j;
    FUZZ_CHECK(json_array_size(list) == n);
    json_decref(j);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *text = (const char *)data + 1;
    switch (data[0] % 3) {
    case 0:
        parse(text, size - 1, NULL);
        break;
    case 1:
        parse_signed_body(text, size - 1);
        break;
    default:
        sign_and_parse(text, size - 1);
        break;
    }
    return 0;
}
