/* seal.h - sealing visitor submissions to the central office (libsodium's
 * crypto_box_seal: X25519 + XSalsa20-Poly1305 to the office's public key, from an
 * ephemeral key pair, so the kiosk itself cannot open what it sealed), and the key
 * files of that pair.
 *
 * A key file is one line of text: a type word, one space, the key in base64
 * (standard alphabet, with padding), a newline - the same shape as the bundle signing
 * keys (sync/bundle.h):
 *   kiosk-seal-public <44 characters>   (32-byte X25519 public key; config seal_public_key)
 *   kiosk-seal-secret <44 characters>   (32-byte X25519 secret key, mode 0600; the office)
 * A key file is at most SEAL_KEY_FILE_MAX bytes. `kiosk-bundle keygen` writes a pair.
 * Load: one seal per submission; keys read once at start-up. */
#ifndef KIOSK_SEAL_H
#define KIOSK_SEAL_H

#include <stddef.h>

#define SEAL_PUBLIC_TYPE "kiosk-seal-public"
#define SEAL_SECRET_TYPE "kiosk-seal-secret"
#define SEAL_KEY_SIZE 32
#define SEAL_KEY_FILE_MAX 1024
#define SEAL_OVERHEAD 48            /* crypto_box_SEALBYTES */
#define SEAL_PLAIN_MAX (128 * 1024) /* the largest submission sealed or opened */

struct seal_public {
    unsigned char pk[SEAL_KEY_SIZE];
};

struct seal_secret {
    unsigned char pk[SEAL_KEY_SIZE];
    unsigned char sk[SEAL_KEY_SIZE]; /* wiped by seal_secret_wipe */
};

/* Initialises libsodium (sodium_init); every function below calls it, so calling it
 * first is only needed to learn early that it fails. 0 or -EIO. */
int seal_init(void);

/* Reads a key file. Returns 0, -errno (cannot read), -EFBIG (over SEAL_KEY_FILE_MAX)
 * or -EINVAL (not one line "TYPE base64" of a 32-byte key); err gets one line
 * "PATH: cause". The secret's public half is derived from it. */
int seal_public_load(const char *path, struct seal_public *ret, char *err, size_t errlen);
int seal_secret_load(const char *path, struct seal_secret *ret, char *err, size_t errlen);
void seal_secret_wipe(struct seal_secret *k);

/* Writes a fresh pair to DIR/seal.pub (0644) and DIR/seal.key (0600), each fsynced;
 * refuses (-EEXIST) to overwrite either. 0 or -errno, err set. */
int seal_keygen(const char *dir, char *err, size_t errlen);

/* Seals LEN (1..SEAL_PLAIN_MAX) bytes of PLAIN into OUT, which has room for
 * LEN + SEAL_OVERHEAD bytes. 0, -EINVAL or -EIO. */
int seal_box(const struct seal_public *k, const void *plain, size_t len, unsigned char *out);

/* Opens a sealed BOX of LEN bytes into OUT (room for LEN - SEAL_OVERHEAD bytes);
 * *ret_len is the plaintext length. 0, -EINVAL (too short or too long) or -EBADMSG
 * (not sealed to this key, or altered). The caller wipes OUT when done. */
int seal_open(const struct seal_secret *k, const void *box, size_t len, unsigned char *out,
              size_t *ret_len);

#endif
