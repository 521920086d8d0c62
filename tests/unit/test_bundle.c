/* test_bundle.c - the .kbundle format: keys, pack and verify round trips, every field of
 * the header checked, the signature checked before the manifest is parsed, payload
 * hashes and decompression caps, and the signed status feed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <zlib.h>

#include "bundle_fixture.h"
#include "feed.h"

static int open_extract(const char *path, const struct bundle_keyring *ring, struct bundle_error *err)
{
    bundle *b = NULL;
    int r = bundle_open(path, ring, BUNDLE_PAYLOAD_MAX_DEFAULT, &b, err);
    if (r < 0)
        return r;
    int fd = open("/dev/null", O_WRONLY);
    r = bundle_extract(b, fd, err);
    close(fd);
    bundle_close(b);
    return r;
}

static void test_key_files_round_trip_and_have_a_stable_id(void **s)
{
    (void)s;
    struct bundle_pubkey pub;
    struct bundle_seckey sec;
    struct bundle_error err;
    assert_int_equal(bundle_pubkey_load(fx_path("keys/sign.pub"), &pub, &err), 0);
    assert_int_equal(bundle_seckey_load(fx_path("keys/sign.key"), &sec, &err), 0);
    assert_memory_equal(pub.pk, sec.pub.pk, 32);
    assert_string_equal(pub.id_hex, fx_key.pub.id_hex);
    assert_int_equal(strlen(pub.id_hex), 16);
    struct stat st;
    assert_int_equal(stat(fx_path("keys/sign.key"), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
}

static void test_keygen_refuses_to_overwrite(void **s)
{
    (void)s;
    struct bundle_error err;
    assert_true(bundle_keygen(fx_path("keys"), NULL, &err) < 0);
}

static void test_a_secret_key_readable_by_others_is_refused(void **s)
{
    (void)s;
    struct bundle_seckey k;
    struct bundle_error err;
    size_t n;
    unsigned char *text = fx_read(fx_path("keys/sign.key"), &n);
    fx_write(fx_path("loose.key"), text, n);
    chmod(fx_path("loose.key"), 0644);
    assert_true(bundle_seckey_load(fx_path("loose.key"), &k, &err) < 0);
    assert_int_equal(err.reason, BUNDLE_BAD_KEY);
    assert_non_null(strstr(err.cause, "chmod 600"));
    free(text);
}

static void test_a_public_key_file_of_the_wrong_type_is_refused(void **s)
{
    (void)s;
    struct bundle_pubkey k;
    struct bundle_error err;
    fx_write(fx_path("seal.pub"), "kiosk-seal-public AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", 62);
    assert_true(bundle_pubkey_load(fx_path("seal.pub"), &k, &err) < 0);
    assert_int_equal(err.reason, BUNDLE_BAD_KEY);
    fx_write(fx_path("short.pub"), "kiosk-sign-public AAAA\n", 23);
    assert_true(bundle_pubkey_load(fx_path("short.pub"), &k, &err) < 0);
}

static void test_keyring_takes_at_most_two_keys(void **s)
{
    (void)s;
    struct bundle_keyring ring;
    struct bundle_error err;
    char list[2048];
    snprintf(list, sizeof list, "%s, %s", fx_path("keys/sign.pub"), fx_path("other/sign.pub"));
    assert_int_equal(bundle_keyring_load(&ring, list, &err), 0);
    assert_int_equal(ring.n, 2);
    snprintf(list, sizeof list, "%s,%s,%s", fx_path("keys/sign.pub"), fx_path("other/sign.pub"),
             fx_path("keys/sign.pub"));
    assert_true(bundle_keyring_load(&ring, list, &err) < 0);
    assert_true(bundle_keyring_load(&ring, "", &err) < 0);
}

static void test_pack_then_verify_round_trips_compressed_and_not(void **s)
{
    (void)s;
    struct bundle_error err = {0};
    fx_make_db(fx_path("c.db"), CONTENT_SCHEMA_VERSION, 0, 300);
    for (int compress = 0; compress <= 1; compress++) {
        assert_int_equal(fx_pack(fx_path("c.db"), fx_path("rt.kbundle"), 7, "hall-1", time(NULL), 30, &fx_key,
                                 compress), 0);
        bundle *b = NULL;
        assert_int_equal(bundle_open(fx_path("rt.kbundle"), &fx_ring, BUNDLE_PAYLOAD_MAX_DEFAULT, &b, &err), 0);
        const struct bundle_manifest *m = bundle_manifest_of(b);
        assert_int_equal(m->content_version, 7);
        assert_string_equal(m->scope, "hall-1");
        assert_string_equal(m->key_id, fx_key.pub.id_hex);
        assert_string_equal(m->compression, compress ? "zlib" : "none");
        assert_int_equal(m->schema_version, CONTENT_SCHEMA_VERSION);
        assert_int_equal(m->expires_at - m->created_at, 30 * 86400);
        assert_int_equal(bundle_signer(b), 0);
        int fd = open(fx_path("out.db"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        assert_int_equal(bundle_extract(b, fd, &err), 0);
        close(fd);
        bundle_close(b);
        /* the payload is the database with meta.content_version set to the bundle's */
        assert_int_equal(fx_db_version(fx_path("out.db")), 7);
    }
}

static void test_pack_writes_the_head_alone_for_the_manifest_url(void **s)
{
    (void)s;
    struct bundle_pack_opts o = {.content_version = 3, .scope = "hall-1", .expires_days = 5, .now = time(NULL),
                                 .compress = 1};
    struct bundle_error err;
    struct bundle_manifest m;
    uint64_t plen;
    size_t hl, bl;
    fx_make_db(fx_path("c.db"), CONTENT_SCHEMA_VERSION, 0, 50);
    assert_int_equal(bundle_pack(fx_path("c.db"), &fx_key, &o, fx_path("h.kbundle"), fx_path("manifest"), NULL,
                                 &err), 0);
    unsigned char *head = fx_read(fx_path("manifest"), &hl), *whole = fx_read(fx_path("h.kbundle"), &bl);
    assert_memory_equal(head, whole, hl);
    assert_int_equal(bundle_head_parse(head, hl, &fx_ring, BUNDLE_PAYLOAD_MAX_DEFAULT, &m, &plen, &err), 0);
    assert_int_equal(hl + plen, bl);
    assert_int_equal(m.content_version, 3);
    /* a head with anything after it is not a head */
    assert_true(bundle_head_parse(whole, hl + 1, &fx_ring, BUNDLE_PAYLOAD_MAX_DEFAULT, &m, &plen, &err) < 0);
    assert_int_equal(err.reason, BUNDLE_TRAILING);
    free(head);
    free(whole);
}

static void test_a_bundle_signed_by_the_second_trusted_key_verifies(void **s)
{
    (void)s;
    struct bundle_keyring two = {.n = 2};
    struct bundle_error err;
    two.keys[0] = fx_key.pub;
    two.keys[1] = fx_other.pub;
    fx_make_db(fx_path("c.db"), CONTENT_SCHEMA_VERSION, 0, 20);
    assert_int_equal(fx_pack(fx_path("c.db"), fx_path("o.kbundle"), 2, "hall-1", time(NULL), 30, &fx_other, 1), 0);
    assert_int_equal(open_extract(fx_path("o.kbundle"), &two, &err), 0);
    assert_true(open_extract(fx_path("o.kbundle"), &fx_ring, &err) < 0);
    assert_int_equal(err.reason, BUNDLE_UNKNOWN_KEY);
}

/* Any byte of the manifest changed is caught by the signature, before the manifest is
 * parsed: even a change that leaves valid JSON ("hall-1" -> "hall-2"). */
static void test_the_signature_is_checked_before_the_manifest_is_parsed(void **s)
{
    (void)s;
    struct bundle_error err;
    size_t n;
    fx_make_db(fx_path("c.db"), CONTENT_SCHEMA_VERSION, 0, 20);
    assert_int_equal(fx_pack(fx_path("c.db"), fx_path("s.kbundle"), 2, "hall-1", time(NULL), 30, &fx_key, 1), 0);
    unsigned char *buf = fx_read(fx_path("s.kbundle"), &n);
    char *scope = memmem(buf, n, "hall-1", 6);
    assert_non_null(scope);
    scope[5] = '2';
    fx_write(fx_path("s2.kbundle"), buf, n);
    assert_true(open_extract(fx_path("s2.kbundle"), &fx_ring, &err) < 0);
    assert_int_equal(err.reason, BUNDLE_BAD_SIGNATURE);
    /* and a manifest that is not JSON at all, but signed, is a bad manifest */
    fx_handmade(fx_path("junk.kbundle"), "not json", "x", 1, &fx_key);
    assert_true(open_extract(fx_path("junk.kbundle"), &fx_ring, &err) < 0);
    assert_int_equal(err.reason, BUNDLE_BAD_MANIFEST);
    free(buf);
}

static void test_every_header_field_is_checked(void **s)
{
    (void)s;
    struct bundle_error err;
    size_t n;
    fx_make_db(fx_path("c.db"), CONTENT_SCHEMA_VERSION, 0, 20);
    assert_int_equal(fx_pack(fx_path("c.db"), fx_path("hd.kbundle"), 2, "hall-1", time(NULL), 30, &fx_key, 1), 0);
    unsigned char *good = fx_read(fx_path("hd.kbundle"), &n), *buf = malloc(n);
    static const struct {
        int offset;
        unsigned char value;
        enum bundle_reason want;
    } cases[] = {
        {0, 'X', BUNDLE_BAD_MAGIC},      {8, 2, BUNDLE_BAD_FORMAT},        {12, 1, BUNDLE_BAD_HEADER},
        {18, 0x7f, BUNDLE_TOO_LARGE},    {20, 63, BUNDLE_BAD_HEADER},      {31, 0x40, BUNDLE_TOO_LARGE},
        {24, 0xff, BUNDLE_MISMATCH},     {32, 0, BUNDLE_UNKNOWN_KEY},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memcpy(buf, good, n);
        buf[cases[i].offset] = cases[i].value == buf[cases[i].offset] ? (unsigned char)~cases[i].value
                                                                      : cases[i].value;
        fx_write(fx_path("hd2.kbundle"), buf, n);
        assert_true(open_extract(fx_path("hd2.kbundle"), &fx_ring, &err) < 0);
        if (err.reason != cases[i].want)
            fail_msg("offset %d: got %s (%s: %s), want %s", cases[i].offset, bundle_reason_name(err.reason),
                     err.field, err.cause, bundle_reason_name(cases[i].want));
    }
    free(good);
    free(buf);
}

static void test_truncated_and_padded_files_are_refused(void **s)
{
    (void)s;
    struct bundle_error err;
    size_t n;
    fx_make_db(fx_path("c.db"), CONTENT_SCHEMA_VERSION, 0, 100);
    assert_int_equal(fx_pack(fx_path("c.db"), fx_path("t.kbundle"), 2, "hall-1", time(NULL), 30, &fx_key, 1), 0);
    unsigned char *buf = fx_read(fx_path("t.kbundle"), &n);
    size_t cuts[] = {0, 1, 39, 40, 41, 200, n - 2000, n - 64, n - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        fx_write(fx_path("t2.kbundle"), buf, cuts[i]);
        assert_true(open_extract(fx_path("t2.kbundle"), &fx_ring, &err) < 0);
        if (err.reason != BUNDLE_TRUNCATED)
            fail_msg("cut at %zu: got %s (%s)", cuts[i], bundle_reason_name(err.reason), err.cause);
    }
    unsigned char *more = malloc(n + 1);
    memcpy(more, buf, n);
    more[n] = 0;
    fx_write(fx_path("t3.kbundle"), more, n + 1);
    assert_true(open_extract(fx_path("t3.kbundle"), &fx_ring, &err) < 0);
    assert_int_equal(err.reason, BUNDLE_TRAILING);
    free(buf);
    free(more);
}

static void test_payload_caps_hold_even_for_a_signed_bomb(void **s)
{
    (void)s;
    struct bundle_error err;
    /* a signed zlib payload that inflates past its declared db_size */
    size_t big = 1 << 20;
    unsigned char *zeros = calloc(1, big), *z = malloc(big);
    uLongf zlen = big;
    assert_int_equal(compress(z, &zlen, zeros, big), Z_OK);
    char dbsha[65];
    fx_sha256_hex(zeros, 1000, dbsha);
    fx_handmade(fx_path("bomb.kbundle"), fx_manifest(z, zlen, 2, CONTENT_SCHEMA_VERSION, "zlib", 1000, dbsha), z,
                zlen, &fx_key);
    assert_true(open_extract(fx_path("bomb.kbundle"), &fx_ring, &err) < 0);
    assert_int_equal(err.reason, BUNDLE_BAD_PAYLOAD);
    /* and a manifest declaring more than the cap is refused before any payload is read */
    bundle *b = NULL;
    fx_handmade(fx_path("cap.kbundle"), fx_manifest(z, zlen, 2, CONTENT_SCHEMA_VERSION, "zlib", big, NULL), z,
                zlen, &fx_key);
    assert_true(bundle_open(fx_path("cap.kbundle"), &fx_ring, big - 1, &b, &err) < 0);
    assert_int_equal(err.reason, BUNDLE_TOO_LARGE);
    free(zeros);
    free(z);
}

static void test_time_and_version_helpers(void **s)
{
    (void)s;
    int64_t t;
    char out[32];
    assert_int_equal(bundle_time_parse("2026-11-28T09:00:00Z", &t), 0);
    bundle_time_format(t, out);
    assert_string_equal(out, "2026-11-28T09:00:00Z");
    assert_true(bundle_time_parse("2026-02-30T09:00:00Z", &t) < 0);
    assert_true(bundle_time_parse("2026-11-28 09:00:00Z", &t) < 0);
    assert_true(bundle_time_parse("2026-11-28T09:00:00", &t) < 0);
    assert_true(bundle_version_cmp("0.1.0", "0.10.0") < 0);
    assert_true(bundle_version_cmp("1.2", "1.2.0") == 0);
    assert_true(bundle_version_cmp("2.0.0", "1.9.9") > 0);
}

static void test_status_feed_round_trips_and_is_signed(void **s)
{
    (void)s;
    const char *entries = "[{\"receipt\":\"K0001-20261128-0001\",\"status\":\"replied\",\"outcome\":\"disclosed\","
                          "\"updated_at\":\"2026-11-28T09:00:00Z\",\"due_date\":\"2026-12-26\"},"
                          "{\"receipt\":\"K0001-20261128-0002\",\"status\":\"received\",\"outcome\":\"in_progress\","
                          "\"updated_at\":\"2026-11-28T09:00:00Z\"}]";
    struct bundle_error err;
    struct feed f;
    char *text = NULL;
    assert_int_equal(feed_sign(&fx_key, "hall-1", 7, time(NULL), entries, strlen(entries), &text, &err), 0);
    assert_int_equal(feed_parse(text, strlen(text), &fx_ring, &f, &err), 0);
    assert_int_equal(f.n, 2);
    assert_string_equal(f.scope, "hall-1");
    assert_string_equal(f.entries[0].outcome, "disclosed");
    assert_string_equal(f.entries[1].outcome, "in_progress");
    assert_string_equal(f.entries[1].reason, "");
    assert_string_equal(f.entries[1].due_date, "");
    feed_release(&f);
    /* a changed status inside the body breaks the signature */
    char *p = strstr(text, "replied");
    assert_non_null(p);
    p[0] = 'R';
    assert_true(feed_parse(text, strlen(text), &fx_ring, &f, &err) < 0);
    assert_int_equal(err.reason, BUNDLE_BAD_SIGNATURE);
    free(text);
    /* a feed by another key is refused */
    assert_int_equal(feed_sign(&fx_other, "hall-1", 7, time(NULL), entries, strlen(entries), &text, &err), 0);
    assert_true(feed_parse(text, strlen(text), &fx_ring, &f, &err) < 0);
    assert_int_equal(err.reason, BUNDLE_UNKNOWN_KEY);
    free(text);
    /* a malformed receipt is refused when signing */
    const char *bad = "[{\"receipt\":\"../etc\",\"status\":\"x\",\"outcome\":\"other\","
                      "\"updated_at\":\"2026-11-28T09:00:00Z\"}]";
    assert_true(feed_sign(&fx_key, "hall-1", 7, time(NULL), bad, strlen(bad), &text, &err) < 0);
    /* and so is an outcome outside docs/rules.md's list */
    const char *odd = "[{\"receipt\":\"K1\",\"status\":\"x\",\"outcome\":\"approved\","
                      "\"updated_at\":\"2026-11-28T09:00:00Z\"}]";
    assert_true(feed_sign(&fx_key, "hall-1", 7, time(NULL), odd, strlen(odd), &text, &err) < 0);
    assert_string_equal(err.field, "entries[0].outcome");
}

struct feed_ctx {
    const char *text;
    size_t len;
};

static int parse_feed(void *ctx)
{
    struct feed_ctx *c = ctx;
    struct feed f;
    struct bundle_error err;
    int r = feed_parse(c->text, c->len, &fx_ring, &f, &err);
    if (r == 0)
        feed_release(&f);
    return r;
}

/* Issue 16, 4: the envelope is not parsed as JSON before its signature is checked: a
 * 16 MiB unsigned feed of "[{},{},..." costs next to nothing (it took 1.3 GB). An
 * envelope with anything but its four members, or escapes that do not decode, is
 * refused; a signed feed with escapes in its body still verifies. */
static void test_status_feed_signature_is_checked_before_any_parse(void **s)
{
    (void)s;
    struct bundle_error err;
    struct feed f;
    size_t cap = 16u << 20, n;
    char *t = malloc(cap + 64);
    assert_non_null(t);
    n = (size_t)sprintf(t, "{\"format\": 1, \"pad\": [");
    while (n + 8 < cap) {
        memcpy(t + n, "{},", 3);
        n += 3;
    }
    n += (size_t)sprintf(t + n, "{}]}");
    struct feed_ctx c = {t, n};
    int r = 0;
    long grew = fx_maxrss_growth(parse_feed, &c, &r);
    print_message("hostile feed: %d; max RSS grew by %ld KiB\n", r, grew);
    assert_true(r < 0);
    assert_true(grew >= 0 && grew < 4 * 1024);
    free(t);
    /* shapes the envelope may not have */
    const char *bad[] = {
        "{\"format\":1,\"key_id\":\"0011223344556677\",\"signature\":\"x\",\"body\":\"{}\",\"more\":1}",
        "{\"format\":1,\"key_id\":\"0011223344556677\",\"signature\":\"x\",\"body\":{}}",
        "{\"format\":1,\"format\":1,\"key_id\":\"0011223344556677\",\"signature\":\"x\",\"body\":\"{}\"}",
        "{\"format\":1,\"key_id\":\"0011223344556677\",\"signature\":\"x\",\"body\":\"\\ud800\"}",
        "{\"format\":1,\"key_id\":\"0011223344556677\",\"signature\":\"x\",\"body\":\"{}\"} x",
        "[1]",
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (feed_parse(bad[i], strlen(bad[i]), &fx_ring, &f, &err) >= 0)
            fail_msg("envelope %zu was accepted", i);
    /* escapes in the body (a quote, a backslash, a newline, non-ASCII) verify */
    const char *entries = "[{\"receipt\":\"K1\",\"status\":\"replied\",\"outcome\":\"other\","
                          "\"reason\":\"\\\"quoted\\\" a\\\\b\\nline 答复 \\u00e9\","
                          "\"updated_at\":\"2026-11-28T09:00:00Z\"}]";
    char *text = NULL;
    assert_int_equal(feed_sign(&fx_key, "hall-1", 7, time(NULL), entries, strlen(entries), &text, &err), 0);
    assert_int_equal(feed_parse(text, strlen(text), &fx_ring, &f, &err), 0);
    assert_string_equal(f.entries[0].reason, "\"quoted\" a\\b\nline 答复 \xc3\xa9");
    feed_release(&f);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_files_round_trip_and_have_a_stable_id),
        cmocka_unit_test(test_keygen_refuses_to_overwrite),
        cmocka_unit_test(test_a_secret_key_readable_by_others_is_refused),
        cmocka_unit_test(test_a_public_key_file_of_the_wrong_type_is_refused),
        cmocka_unit_test(test_keyring_takes_at_most_two_keys),
        cmocka_unit_test(test_pack_then_verify_round_trips_compressed_and_not),
        cmocka_unit_test(test_pack_writes_the_head_alone_for_the_manifest_url),
        cmocka_unit_test(test_a_bundle_signed_by_the_second_trusted_key_verifies),
        cmocka_unit_test(test_the_signature_is_checked_before_the_manifest_is_parsed),
        cmocka_unit_test(test_every_header_field_is_checked),
        cmocka_unit_test(test_truncated_and_padded_files_are_refused),
        cmocka_unit_test(test_payload_caps_hold_even_for_a_signed_bomb),
        cmocka_unit_test(test_time_and_version_helpers),
        cmocka_unit_test(test_status_feed_round_trips_and_is_signed),
        cmocka_unit_test(test_status_feed_signature_is_checked_before_any_parse),
    };
    return cmocka_run_group_tests(tests, fx_setup, fx_teardown);
}
