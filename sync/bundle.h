/* bundle.h - the .kbundle format: one file that carries a signed manifest and the
 * content database, so a USB stick or a web server holds exactly one thing per update.
 * The byte layout is documented in sync/README.md ("The bundle format").
 *
 *   header (40 bytes) | manifest (JSON, <= 64 KiB) | Ed25519 signature (64) | payload
 *
 * The signature covers the exact manifest bytes. bundle_open() reads the header, the
 * manifest and the signature, checks the signature against the trusted keys and only
 * then parses the manifest; the payload is not touched. bundle_extract() first hashes
 * the stored payload and compares it with the signed manifest, and only then
 * decompresses it, checking the database's own size and hash on the way out.
 *
 * Every length read from a file is capped: the manifest at BUNDLE_MANIFEST_MAX, the
 * payload (stored and decompressed) at the caller's max_payload. Load: one bundle a
 * night; the payload is streamed in 64 KiB blocks, never held in memory.
 *
 * Errors: functions return 0 or a negative errno-style code and fill a bundle_error
 * with a reason code, the field concerned and a one-line cause; the program prints
 * them as "FILE: FIELD: cause [reason]". No function here logs. */
#ifndef KIOSK_BUNDLE_H
#define KIOSK_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#define BUNDLE_MAGIC "HKBUNDLE"          /* 8 bytes, no terminator in the file */
#define BUNDLE_FORMAT_VERSION 1
#define BUNDLE_HEADER_SIZE 40
#define BUNDLE_SIG_SIZE 64                /* crypto_sign_BYTES */
#define BUNDLE_MANIFEST_MAX (64 * 1024)
#define BUNDLE_HEAD_MAX (BUNDLE_HEADER_SIZE + BUNDLE_MANIFEST_MAX + BUNDLE_SIG_SIZE)
#define BUNDLE_KEY_ID_SIZE 8              /* first bytes of BLAKE2b-256(public key) */
#define BUNDLE_KEYS_MAX 2                 /* trusted signing keys: current and next */
#define BUNDLE_SCOPE_MAX 64
#define BUNDLE_PAYLOAD_MAX_DEFAULT (512ull * 1024 * 1024)

/* Why a bundle was refused; bundle_reason_name() gives the short name printed in
 * brackets at the end of every refusal line (the names are a contract: scripts and
 * the staff menu match on them). */
enum bundle_reason {
    BUNDLE_OK = 0,
    BUNDLE_IO,             /* io: a file could not be read or written */
    BUNDLE_NO_SPACE,       /* no-space: the disk filled up */
    BUNDLE_TRUNCATED,      /* truncated: the file ends before its lengths say */
    BUNDLE_BAD_MAGIC,      /* bad-magic: not a bundle */
    BUNDLE_BAD_FORMAT,     /* bad-format-version: a format this kiosk does not know */
    BUNDLE_BAD_HEADER,     /* bad-header: a header field outside its allowed values */
    BUNDLE_TOO_LARGE,      /* too-large: a length over its cap */
    BUNDLE_UNKNOWN_KEY,    /* unknown-key: signed by a key this kiosk does not trust */
    BUNDLE_BAD_SIGNATURE,  /* bad-signature: the manifest does not match its signature */
    BUNDLE_BAD_MANIFEST,   /* bad-manifest: signed, but a field is missing or malformed */
    BUNDLE_MISMATCH,       /* header-mismatch: the header disagrees with the manifest */
    BUNDLE_TRAILING,       /* trailing-data: bytes after the payload */
    BUNDLE_BAD_HASH,       /* bad-hash: the payload is not what the manifest signed */
    BUNDLE_BAD_PAYLOAD,    /* bad-payload: the payload does not decompress as declared */
    BUNDLE_FOREIGN_SCOPE,  /* foreign-scope: made for another region or hall */
    BUNDLE_NOT_NEWER,      /* not-newer: not newer than the installed content */
    BUNDLE_EXPIRED,        /* expired: past its expires_at */
    BUNDLE_CLOCK,          /* clock-wrong: the clock is before the bundle was made */
    BUNDLE_KIOSK_TOO_OLD,  /* kiosk-too-old: needs a newer firmware */
    BUNDLE_SCHEMA,         /* schema-mismatch: a content schema this firmware cannot read */
    BUNDLE_BAD_DATABASE,   /* bad-database: integrity_check or meta failed */
    BUNDLE_BAD_KEY,        /* bad-key: a key file that cannot be used */
    BUNDLE_OTHER_KIOSK,    /* other-kiosk: a provisioning file for another kiosk_id (provision.h) */
    BUNDLE_REASON_COUNT
};

struct bundle_error {
    enum bundle_reason reason;
    char field[48];    /* e.g. "header.magic", "manifest.scope", "signature", "payload" */
    char cause[320];   /* one line, no trailing newline */
};

const char *bundle_reason_name(enum bundle_reason r);

/* Fills ERR (if not NULL) and returns CODE: `return bundle_fail(err, -EBADMSG, ...)`. */
int bundle_fail(struct bundle_error *err, int code, enum bundle_reason reason,
                const char *field, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* A failed write of WHAT: no-space for ENOSPC, EDQUOT and EFBIG (a file-size limit),
 * io for the rest. Returns CODE. */
int bundle_fail_write(struct bundle_error *err, int code, const char *field, const char *what);

/* ---- keys ----------------------------------------------------------------------
 * Key files are one line of text: a type word, one space, the key in base64
 * (standard alphabet, with padding), a newline:
 *   kiosk-sign-public <44 characters>     (32-byte Ed25519 public key)
 *   kiosk-sign-secret <88 characters>     (64-byte Ed25519 secret key, mode 0600)
 * A file is at most 1 KiB. */

struct bundle_pubkey {
    unsigned char pk[32];
    unsigned char id[BUNDLE_KEY_ID_SIZE];
    char id_hex[2 * BUNDLE_KEY_ID_SIZE + 1];
};

struct bundle_seckey {
    unsigned char sk[64];              /* wiped by bundle_seckey_wipe */
    struct bundle_pubkey pub;
};

struct bundle_keyring {
    struct bundle_pubkey keys[BUNDLE_KEYS_MAX];
    int n;
};

/* Fills id and id_hex of K from its pk. */
void bundle_key_id(struct bundle_pubkey *k);
int bundle_pubkey_load(const char *path, struct bundle_pubkey *ret, struct bundle_error *err);
int bundle_seckey_load(const char *path, struct bundle_seckey *ret, struct bundle_error *err);
void bundle_seckey_wipe(struct bundle_seckey *k);
/* Writes a fresh signing pair to DIR/sign.pub (0644) and DIR/sign.key (0600); refuses
 * to overwrite either. */
int bundle_keygen(const char *dir, struct bundle_pubkey *ret_pub, struct bundle_error *err);
/* Loads "a.pub,b.pub" (up to BUNDLE_KEYS_MAX files; spaces around names allowed).
 * An empty list is an error: a kiosk that trusts no key installs nothing. */
int bundle_keyring_load(struct bundle_keyring *ret, const char *list, struct bundle_error *err);

/* ---- the manifest -------------------------------------------------------------- */

struct bundle_manifest {
    unsigned format;                   /* BUNDLE_FORMAT_VERSION */
    uint64_t content_version;          /* >= 1, must grow with every bundle */
    int64_t created_at, expires_at;    /* Unix seconds (UTC in the text) */
    char key_id[2 * BUNDLE_KEY_ID_SIZE + 1];
    char scope[BUNDLE_SCOPE_MAX + 1];
    int schema_version;                /* meta.schema_version of the database */
    char min_kiosk_version[32];        /* "MAJOR.MINOR.PATCH" */
    uint64_t payload_size;             /* stored bytes after the signature */
    char payload_sha256[65];           /* of the stored bytes, lowercase hex */
    char compression[8];               /* "zlib" or "none" */
    uint64_t db_size;                  /* the database after decompression */
    char db_sha256[65];
};

/* "YYYY-MM-DDTHH:MM:SSZ" <-> Unix seconds. parse returns 0 or -EINVAL. */
int bundle_time_parse(const char *s, int64_t *ret);
void bundle_time_format(int64_t t, char out[32]);

/* 1 when S is a scope: 1-64 of A-Z a-z 0-9 . _ -, not starting with . or -. */
int bundle_scope_valid(const char *s);

/* Compares dotted version numbers ("0.1.0" < "0.10.0"); non-digits end a component. */
int bundle_version_cmp(const char *a, const char *b);

/* Parses a bundle head from memory: the header, the manifest and the signature, and
 * nothing after them (LEN must be exactly their length; the `manifest` file the
 * central office publishes is this head). Checks the signature with KEYS before the
 * manifest is parsed. On success fills *ret and *ret_payload_len (from the header,
 * already checked against the manifest). */
int bundle_head_parse(const void *buf, size_t len, const struct bundle_keyring *keys,
                      uint64_t max_payload, struct bundle_manifest *ret,
                      uint64_t *ret_payload_len, struct bundle_error *err);
/* How long the head is, from its first BUNDLE_HEADER_SIZE bytes (magic, version and
 * manifest length checked); 0 or a negative code. */
int bundle_head_len(const void *header, size_t len, size_t *ret, struct bundle_error *err);

/* ---- reading a bundle file ----------------------------------------------------- */

typedef struct bundle bundle;

/* Opens PATH, reads and verifies its head with KEYS and checks the file is exactly as
 * long as the header says. KEYS NULL: skip the signature (only `kiosk-bundle inspect`
 * without --pub does this; never install from such a bundle). */
int bundle_open(const char *path, const struct bundle_keyring *keys, uint64_t max_payload,
                bundle **ret, struct bundle_error *err);
const struct bundle_manifest *bundle_manifest_of(const bundle *b);
/* Which trusted key verified it: index into the keyring, -1 when not checked. */
int bundle_signer(const bundle *b);
/* The exact manifest bytes (not NUL-terminated), owned by B. */
const char *bundle_manifest_text(const bundle *b, size_t *ret_len);
/* Hashes the stored payload and compares it with the manifest; then decompresses it
 * into OUT_FD, checking db_size and db_sha256. Writes nothing before the stored hash
 * matched. A full disk is BUNDLE_NO_SPACE with -ENOSPC. */
int bundle_extract(bundle *b, int out_fd, struct bundle_error *err);
void bundle_close(bundle *b); /* accepts NULL */

/* ---- writing a bundle ---------------------------------------------------------- */

struct bundle_pack_opts {
    uint64_t content_version;          /* also written into the payload's meta */
    const char *scope;
    int expires_days;                  /* 1..3650 */
    const char *min_kiosk_version;     /* NULL: "0.0.0" */
    int64_t now;                       /* created_at */
    int compress;                      /* 1: zlib (default), 0: none */
};

/* Copies DB_PATH (a content database, checked with integrity_check), sets its
 * meta.content_version, compresses it and writes OUT_PATH atomically (a temp file
 * beside it, renamed when complete). HEAD_OUT, if not NULL, receives the head alone:
 * the `manifest` file kiosks poll. Fills *ret (if not NULL) with the manifest. */
int bundle_pack(const char *db_path, const struct bundle_seckey *key,
                const struct bundle_pack_opts *o, const char *out_path,
                const char *head_out, struct bundle_manifest *ret, struct bundle_error *err);

/* Signs BODY (LEN bytes) detached with KEY; SIG gets BUNDLE_SIG_SIZE bytes. */
void bundle_sign(const struct bundle_seckey *key, const void *body, size_t len,
                 unsigned char sig[BUNDLE_SIG_SIZE]);
/* Which key of KEYS signed BODY with SIG, looked up by KEY_ID: the index, or
 * -ENOKEY (err: unknown-key) / -EBADMSG (err: bad-signature). */
int bundle_verify(const struct bundle_keyring *keys, const unsigned char id[BUNDLE_KEY_ID_SIZE],
                  const void *body, size_t len, const unsigned char sig[BUNDLE_SIG_SIZE],
                  struct bundle_error *err);

#endif
