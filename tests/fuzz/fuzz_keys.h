/* fuzz_keys.h - the fixed signing key of the bundle and feed harnesses: derived from a
 * constant seed, so a harness can sign what the fuzzer made and reach the parsing that
 * only follows a good signature. Never a key anything trusts outside these harnesses. */
#ifndef KIOSK_FUZZ_KEYS_H
#define KIOSK_FUZZ_KEYS_H

#include <sodium.h>

#include "bundle.h"

static struct bundle_seckey fuzz_key;
static struct bundle_keyring fuzz_ring;

static void fuzz_keys_init(void)
{
    unsigned char seed[crypto_sign_SEEDBYTES];
    if (sodium_init() < 0)
        abort();
    memset(seed, 0x4b, sizeof seed);
    crypto_sign_seed_keypair(fuzz_key.pub.pk, fuzz_key.sk, seed);
    bundle_key_id(&fuzz_key.pub);
    fuzz_ring.n = 1;
    fuzz_ring.keys[0] = fuzz_key.pub;
}

/* The error of a refusal: a reason, a field and one line of cause. */
static void fuzz_check_error(const struct bundle_error *err)
{
    FUZZ_CHECK(err->reason > BUNDLE_OK && err->reason < BUNDLE_REASON_COUNT);
    FUZZ_CHECK(err->field[0] != '\0');
    FUZZ_CHECK(!strchr(err->cause, '\n'));
}

#endif
