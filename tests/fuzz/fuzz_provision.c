/* fuzz_provision.c - the provisioning file (sync/provision.h), which a bare board reads
 * from a USB stick. The first byte picks the mode:
 *   0: the rest is a whole file, checked against the harness's key as a trusted one:
 *      what a forged or damaged file reaches without the signing key;
 *   1: the rest is a body that the harness signs and puts under a good head, so the
 *      body parser after the signature is reached.
 * Invariants: an accepted file's fields are within their caps and formats, its signer
 * is the harness's key and among its signing keys, and provision_make of what was read
 * makes a file that reads back the same; a refusal has a reason, a field and one line. */
#include "fuzz.h"
#include "fuzz_keys.h"

#include "base/util.h"
#include "provision.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_keys_init();
    return 0;
}

static void check(const struct provision *p)
{
    char fp[PROVISION_FINGERPRINT_HEX + 1];
    FUZZ_CHECK(p->kiosk_id[0] && strlen(p->kiosk_id) < sizeof p->kiosk_id);
    FUZZ_CHECK(bundle_scope_valid(p->scope));
    FUZZ_CHECK(strlen(p->central_url) <= PROVISION_URL_MAX);
    FUZZ_CHECK(p->n_sign >= 1 && p->n_sign <= BUNDLE_KEYS_MAX);
    provision_fingerprint(fuzz_key.pub.pk, fp);
    FUZZ_CHECK(!strcmp(p->signer_fingerprint, fp));
    int listed = 0;
    for (int i = 0; i < p->n_sign; i++)
        listed |= !memcmp(p->sign_pk[i], fuzz_key.pub.pk, 32);
    FUZZ_CHECK(listed);
}

static void parse(const char *text, size_t len)
{
    struct provision p, again;
    struct bundle_error err = {0};
    char *out = NULL;
    size_t out_len = 0;
    if (provision_parse(text, len, NULL, &fuzz_ring, &p, &err) != 0) {
        fuzz_check_error(&err);
        return;
    }
    check(&p);
    /* what was read, written again, reads back the same */
    FUZZ_CHECK(provision_make(&fuzz_key, &p, &out, &out_len, &err) == 0);
    FUZZ_CHECK(provision_parse(out, out_len, p.signer_fingerprint, NULL, &again, &err) == 0);
    FUZZ_CHECK(!memcmp(&p, &again, sizeof p));
    free(out);
}

static void parse_signed_body(const char *body, size_t len)
{
    unsigned char sig[BUNDLE_SIG_SIZE];
    char pk64[64], sig64[128];
    bundle_sign(&fuzz_key, body, len, sig);
    sodium_bin2base64(pk64, sizeof pk64, fuzz_key.pub.pk, 32, sodium_base64_VARIANT_ORIGINAL);
    sodium_bin2base64(sig64, sizeof sig64, sig, sizeof sig, sodium_base64_VARIANT_ORIGINAL);
    char *head = xasprintf("hallkiosk-provision 1\nsigner %s\nsignature %s\n", pk64, sig64);
    size_t hl = strlen(head);
    char *text = xmalloc(hl + len);
    memcpy(text, head, hl);
    memcpy(text + hl, body, len);
    parse(text, hl + len);
    free(text);
    free(head);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (data[0] % 2 == 0)
        parse((const char *)data + 1, size - 1);
    else
        parse_signed_body((const char *)data + 1, size - 1);
    return 0;
}
