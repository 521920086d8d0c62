/* fuzz_bundle.c - the bundle head (header, manifest, signature) and the manifest parser
 * (sync/bundle.h), which every kiosk runs on what a server or a USB stick hands it.
 * The first byte picks the mode:
 *   even: the rest is a whole head, checked with the harness's key: what a hostile file
 *         reaches without the signing key (header checks, signature);
 *   odd:  8 bytes of header payload length (little-endian), then a manifest text that
 *         the harness signs with its key, so the manifest parser and the header/manifest
 *         cross-checks after the signature are reached.
 * Invariants: an accepted head is exactly as long as bundle_head_len says, its manifest
 * holds only what the format allows (sync/README.md) and agrees with the header, and its
 * times survive a format/parse round trip; a refusal has a reason, a field and one line. */
#include "fuzz.h"
#include "fuzz_keys.h"

#include "base/util.h"

#define MAX_PAYLOAD (64ull * 1024 * 1024)

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_keys_init();
    return 0;
}

static int is_lower_hex(const char *s, size_t n)
{
    if (strlen(s) != n)
        return 0;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return 0;
    return 1;
}

static void check_time(int64_t t)
{
    char text[32];
    int64_t again;
    bundle_time_format(t, text);
    FUZZ_CHECK(bundle_time_parse(text, &again) == 0);
    FUZZ_CHECK(again == t);
}

static void check_accepted(const unsigned char *head, size_t len, const struct bundle_manifest *m,
                           uint64_t payload_len)
{
    size_t hl = 0;
    FUZZ_CHECK(bundle_head_len(head, len, &hl, NULL) == 0 && hl == len);
    FUZZ_CHECK(m->format == BUNDLE_FORMAT_VERSION);
    FUZZ_CHECK(m->content_version >= 1 && m->content_version <= INT64_MAX);
    FUZZ_CHECK(m->expires_at > m->created_at);
    check_time(m->created_at);
    check_time(m->expires_at);
    FUZZ_CHECK(strcmp(m->key_id, fuzz_key.pub.id_hex) == 0);
    FUZZ_CHECK(m->scope[0] && strlen(m->scope) <= BUNDLE_SCOPE_MAX);
    FUZZ_CHECK(m->schema_version >= 1);
    FUZZ_CHECK(m->min_kiosk_version[0] >= '0' && m->min_kiosk_version[0] <= '9');
    FUZZ_CHECK(is_lower_hex(m->payload_sha256, 64) && is_lower_hex(m->db_sha256, 64));
    FUZZ_CHECK(!strcmp(m->compression, "zlib") || !strcmp(m->compression, "none"));
    FUZZ_CHECK(m->payload_size <= MAX_PAYLOAD && m->db_size <= MAX_PAYLOAD && m->db_size >= 1);
    FUZZ_CHECK(payload_len == m->payload_size);
    if (!strcmp(m->compression, "none"))
        FUZZ_CHECK(m->payload_size == m->db_size && !strcmp(m->payload_sha256, m->db_sha256));
}

static void parse(const unsigned char *head, size_t len)
{
    struct bundle_manifest m;
    struct bundle_error err = {0};
    uint64_t payload_len = 0;
    if (bundle_head_parse(head, len, &fuzz_ring, MAX_PAYLOAD, &m, &payload_len, &err) == 0)
        check_accepted(head, len, &m, payload_len);
    else
        fuzz_check_error(&err);
}

/* A head around MANIFEST, signed with the harness's key. */
static void parse_signed(uint64_t payload_len, const uint8_t *manifest, size_t mlen)
{
    if (mlen > BUNDLE_MANIFEST_MAX)
        return;
    size_t len = BUNDLE_HEADER_SIZE + mlen + BUNDLE_SIG_SIZE;
    unsigned char *head = xcalloc(1, len);
    memcpy(head, BUNDLE_MAGIC, 8);
    head[8] = BUNDLE_FORMAT_VERSION;
    for (int i = 0; i < 4; i++) {
        head[16 + i] = (unsigned char)(mlen >> (8 * i));
        head[20 + i] = (unsigned char)(BUNDLE_SIG_SIZE >> (8 * i));
    }
    for (int i = 0; i < 8; i++)
        head[24 + i] = (unsigned char)(payload_len >> (8 * i));
    memcpy(head + 32, fuzz_key.pub.id, BUNDLE_KEY_ID_SIZE);
    memcpy(head + BUNDLE_HEADER_SIZE, manifest, mlen);
    bundle_sign(&fuzz_key, manifest, mlen, head + BUNDLE_HEADER_SIZE + mlen);
    parse(head, len);
    free(head);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (data[0] % 2 == 0) {
        unsigned char *copy = xmalloc(size);   /* exactly the head, nothing after it */
        memcpy(copy, data + 1, size - 1);
        parse(copy, size - 1);
        free(copy);
        return 0;
    }
    if (size < 9)
        return 0;
    uint64_t payload_len = 0;
    for (int i = 0; i < 8; i++)
        payload_len |= (uint64_t)data[1 + i] << (8 * i);
    parse_signed(payload_len, data + 9, size - 9);
    return 0;
}
