/* provision.h - first boot: the signed provisioning file that turns a bare board with
 * the packages installed into one named kiosk of one office (sync/README.md,
 * "Provisioning a kiosk"). kiosk-office makes it (provision_make), kiosk-sync reads it
 * (provision_parse) and writes the kiosk's config from it (provision_apply).
 *
 * The file is text, at most PROVISION_FILE_MAX bytes:
 *   hallkiosk-provision 1
 *   signer <base64 of the signer's 32-byte Ed25519 public key>
 *   signature <base64 of the 64-byte Ed25519 signature over the body>
 *   <the body: every byte after the third line, "key = value" lines>
 * The signer is trusted only through its fingerprint (provision_fingerprint), given on
 * the command line, or because it is already one of the config's sign_public_keys; the
 * signature is checked before a byte of the body is parsed.
 *
 * Errors are 0 or a negative errno with a bundle_error (reason, field, cause); nothing
 * here prints. */
#ifndef KIOSK_PROVISION_H
#define KIOSK_PROVISION_H

#include <stddef.h>
#include <stdint.h>

#include "bundle.h"

#define PROVISION_FORMAT_VERSION 1
#define PROVISION_FILE_MAX 4096
#define PROVISION_URL_MAX 512
#define PROVISION_FINGERPRINT_BYTES 16 /* the first bytes of BLAKE2b-256(public key) */
#define PROVISION_FINGERPRINT_HEX (2 * PROVISION_FINGERPRINT_BYTES)

struct provision {
    char kiosk_id[16];
    char scope[BUNDLE_SCOPE_MAX + 1];
    char central_url[PROVISION_URL_MAX + 1];   /* "" for a kiosk fed by USB sticks only */
    unsigned char sign_pk[BUNDLE_KEYS_MAX][32]; /* the content and status-feed signing keys */
    int n_sign;                                /* 1 or 2 */
    unsigned char seal_pk[32];                 /* the office's key submissions are sealed to */
    int64_t created_at;
    char signer_fingerprint[PROVISION_FINGERPRINT_HEX + 1]; /* set by parse and make */
};

/* The fingerprint of a signing public key: PROVISION_FINGERPRINT_HEX lowercase hex
 * digits; its first 16 are the key id (bundle.h). */
void provision_fingerprint(const unsigned char pk[32], char out[PROVISION_FINGERPRINT_HEX + 1]);

/* Checks P's fields (P->n_sign keys, the signer's public half among them) and signs it
 * with KEY. *ret_text (you own it) gets the file, *ret_len its length; P's
 * signer_fingerprint is set. */
int provision_make(const struct bundle_seckey *key, struct provision *p, char **ret_text,
                   size_t *ret_len, struct bundle_error *err);

/* Reads the file in BUF (LEN bytes). The signer must have the fingerprint FINGERPRINT
 * (hex digits, case and '-' or ':' separators ignored), or, when FINGERPRINT is NULL,
 * be one of TRUSTED (NULL or empty: refused, the fingerprint is required). Then the
 * signature, then the body, then the signer among the body's signing keys. */
int provision_parse(const void *buf, size_t len, const char *fingerprint,
                    const struct bundle_keyring *trusted, struct provision *ret,
                    struct bundle_error *err);

/* Writes P into the config CONFIG_PATH: the keys as files beside it
 * (provision-sign-<key id>.pub, provision-seal-<16 hex>.pub, each written atomically),
 * then the config itself atomically, with [kiosk] kiosk_id, scope, central_url,
 * sign_public_keys and seal_public_key set and every other line kept as it was (a
 * missing config is created). Refuses (-EEXIST, reason other-kiosk) a config that
 * names another kiosk_id unless FORCE. The new config is loaded (config_load) before
 * it replaces the old one. */
int provision_apply(const struct provision *p, const char *config_path, int force,
                    struct bundle_error *err);

#endif
