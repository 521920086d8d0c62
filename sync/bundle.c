/* bundle.c - see bundle.h; the byte layout is in sync/README.md.
 *
 * Little-endian header fields, a JSON manifest read with jansson (duplicates refused),
 * SHA-256 and Ed25519 from libsodium, zlib for the payload. Each function has one
 * cleanup label; every failure fills the caller's bundle_error with one line. */
#include "bundle.h"
#include "base/civil.h"
#include "base/fileio.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define KEYFILE_MAX 1024
#define BLOCK (64 * 1024)

static const char *const reason_names[BUNDLE_REASON_COUNT] = {
    [BUNDLE_OK] = "ok",
    [BUNDLE_IO] = "io",
    [BUNDLE_NO_SPACE] = "no-space",
    [BUNDLE_TRUNCATED] = "truncated",
    [BUNDLE_BAD_MAGIC] = "bad-magic",
    [BUNDLE_BAD_FORMAT] = "bad-format-version",
    [BUNDLE_BAD_HEADER] = "bad-header",
    [BUNDLE_TOO_LARGE] = "too-large",
    [BUNDLE_UNKNOWN_KEY] = "unknown-key",
    [BUNDLE_BAD_SIGNATURE] = "bad-signature",
    [BUNDLE_BAD_MANIFEST] = "bad-manifest",
    [BUNDLE_MISMATCH] = "header-mismatch",
    [BUNDLE_TRAILING] = "trailing-data",
    [BUNDLE_BAD_HASH] = "bad-hash",
    [BUNDLE_BAD_PAYLOAD] = "bad-payload",
    [BUNDLE_FOREIGN_SCOPE] = "foreign-scope",
    [BUNDLE_NOT_NEWER] = "not-newer",
    [BUNDLE_EXPIRED] = "expired",
    [BUNDLE_CLOCK] = "clock-wrong",
    [BUNDLE_KIOSK_TOO_OLD] = "kiosk-too-old",
    [BUNDLE_SCHEMA] = "schema-mismatch",
    [BUNDLE_BAD_DATABASE] = "bad-database",
    [BUNDLE_BAD_KEY] = "bad-key",
    [BUNDLE_OTHER_KIOSK] = "other-kiosk",
};

const char *bundle_reason_name(enum bundle_reason r)
{
    return (unsigned)r < BUNDLE_REASON_COUNT && reason_names[r] ? reason_names[r] : "unknown";
}

int bundle_fail(struct bundle_error *err, int code, enum bundle_reason reason,
                const char *field, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->reason = reason;
        snprintf(err->field, sizeof err->field, "%s", field);
        va_start(ap, fmt);
        vsnprintf(err->cause, sizeof err->cause, fmt, ap);
        va_end(ap);
        util_one_line(err->cause);  /* a parser's message may quote what it read */
    }
    return code;
}

#define fail bundle_fail

/* A write failure: a full disk (or a file-size limit) is no-space, the rest io. */
int bundle_fail_write(struct bundle_error *err, int code, const char *field, const char *what)
{
    enum bundle_reason reason = code == -ENOSPC || code == -EDQUOT || code == -EFBIG
                                    ? BUNDLE_NO_SPACE : BUNDLE_IO;
    return fail(err, code, reason, field, "cannot write %s: %s", what, strerror(-code));
}

#define fail_write bundle_fail_write

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
    return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

static void hex(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

/* Reads exactly LEN bytes at OFF; -ENODATA when the file ends first. */
static int pread_all(int fd, void *buf, size_t len, uint64_t off)
{
    char *p = buf;
    while (len > 0) {
        ssize_t r = pread(fd, p, len, (off_t)off);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if (r == 0)
            return -ENODATA;
        p += r;
        len -= (size_t)r;
        off += (uint64_t)r;
    }
    return 0;
}

/* ---- time and versions ---------------------------------------------------------- */

int bundle_time_parse(const char *s, int64_t *ret)
{
    int y, mo, d, h, mi, se, n = 0;
    if (strlen(s) != 20 || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &se, &n) != 6 ||
        n != 20 || y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
        mi > 59 || se > 60 || h < 0 || mi < 0 || se < 0)
        return -EINVAL;
    for (int i = 0; i < 20; i++)
        if ((i == 4 || i == 7) ? s[i] != '-' : i == 10 ? s[i] != 'T'
            : (i == 13 || i == 16) ? s[i] != ':' : i == 19 ? s[i] != 'Z'
            : (s[i] < '0' || s[i] > '9'))
            return -EINVAL;
    civil_date day = {y, mo, d};
    if (!civil_valid(day)) /* 31 April */
        return -EINVAL;
    *ret = (int64_t)civil_to_days(day) * 86400 + h * 3600 + mi * 60 + se;
    return 0;
}

void bundle_time_format(int64_t t, char out[32])
{
    struct tm tm;
    time_t tt = (time_t)t;
    if (!gmtime_r(&tt, &tm) || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, 32, "1970-01-01T00:00:00Z");
}

int bundle_version_cmp(const char *a, const char *b)
{
    while (*a || *b) {
        unsigned long x = 0, y = 0;
        while (*a >= '0' && *a <= '9')
            x = x * 10 + (unsigned long)(*a++ - '0');
        while (*b >= '0' && *b <= '9')
            y = y * 10 + (unsigned long)(*b++ - '0');
        if (x != y)
            return x < y ? -1 : 1;
        if (*a == '.')
            a++;
        else if (*a)
            break;
        if (*b == '.')
            b++;
        else if (*b)
            break;
    }
    return 0;
}

/* ---- keys ----------------------------------------------------------------------- */

void bundle_key_id(struct bundle_pubkey *k)
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, k->pk, sizeof k->pk, NULL, 0);
    memcpy(k->id, h, BUNDLE_KEY_ID_SIZE);
    hex(k->id, BUNDLE_KEY_ID_SIZE, k->id_hex);
}

/* Reads a key file "TYPE BASE64\n" of the expected type into OUT (LEN bytes). */
static int key_read(const char *path, const char *type, unsigned char *out, size_t len,
                    struct bundle_error *err)
{
    char buf[KEYFILE_MAX + 1];
    struct stat st;
    size_t n = 0, bin_len = 0;
    int r, fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail(err, -errno, BUNDLE_BAD_KEY, "key", "%s: cannot open: %s", path, strerror(errno));
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > KEYFILE_MAX) {
        r = fail(err, -EINVAL, BUNDLE_BAD_KEY, "key", "%s: not a key file (a regular file of at most %d bytes)",
                 path, KEYFILE_MAX);
        goto out;
    }
    if (strstr(type, "secret") && (st.st_mode & 077)) {
        r = fail(err, -EPERM, BUNDLE_BAD_KEY, "key", "%s: secret key readable by others (mode %04o); chmod 600 it",
                 path, (unsigned)(st.st_mode & 07777));
        goto out;
    }
    while (n < KEYFILE_MAX) {
        ssize_t got = read(fd, buf + n, KEYFILE_MAX - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            r = fail(err, -errno, BUNDLE_BAD_KEY, "key", "%s: cannot read: %s", path, strerror(errno));
            goto out;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    buf[n] = '\0';
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    size_t tl = strlen(type);
    if (strncmp(buf, type, tl) != 0 || buf[tl] != ' ') {
        char first[40];
        snprintf(first, sizeof first, "%.*s", (int)strcspn(buf, " \n"), buf);
        r = fail(err, -EINVAL, BUNDLE_BAD_KEY, "key", "%s: expected a '%s' key file, found '%s'",
                 path, type, first);
        goto out;
    }
    if (sodium_base642bin(out, len, buf + tl + 1, n - tl - 1, NULL, &bin_len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 || bin_len != len) {
        r = fail(err, -EINVAL, BUNDLE_BAD_KEY, "key", "%s: the key is not %zu bytes of base64", path, len);
        goto out;
    }
    r = 0;
out:
    sodium_memzero(buf, sizeof buf);
    close(fd);
    return r;
}

int bundle_pubkey_load(const char *path, struct bundle_pubkey *ret, struct bundle_error *err)
{
    struct bundle_pubkey k;
    int r = key_read(path, "kiosk-sign-public", k.pk, sizeof k.pk, err);
    if (r < 0)
        return r;
    bundle_key_id(&k);
    *ret = k;
    return 0;
}

int bundle_seckey_load(const char *path, struct bundle_seckey *ret, struct bundle_error *err)
{
    struct bundle_seckey k;
    int r = key_read(path, "kiosk-sign-secret", k.sk, sizeof k.sk, err);
    if (r < 0)
        return r;
    crypto_sign_ed25519_sk_to_pk(k.pub.pk, k.sk);
    bundle_key_id(&k.pub);
    *ret = k;
    sodium_memzero(&k, sizeof k);
    return 0;
}

void bundle_seckey_wipe(struct bundle_seckey *k)
{
    sodium_memzero(k, sizeof *k);
}

static int key_write(const char *path, const char *type, const unsigned char *key, size_t len,
                     mode_t mode, struct bundle_error *err)
{
    char b64[256], line[300];
    sodium_bin2base64(b64, sizeof b64, key, len, sodium_base64_VARIANT_ORIGINAL);
    int n = snprintf(line, sizeof line, "%s %s\n", type, b64);
    int r, fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        r = fail(err, -errno, BUNDLE_IO, "key", "%s: cannot create: %s", path, strerror(errno));
        goto out;
    }
    r = fio_write_all(fd, line, (size_t)n);
    if (r == 0 && fsync(fd) < 0)
        r = -errno;
    close(fd);
    if (r < 0)
        fail_write(err, r, "key", path);
out:
    sodium_memzero(b64, sizeof b64);
    sodium_memzero(line, sizeof line);
    return r;
}

int bundle_keygen(const char *dir, struct bundle_pubkey *ret_pub, struct bundle_error *err)
{
    struct bundle_seckey k;
    char *pub = xasprintf("%s/sign.pub", dir), *sec = xasprintf("%s/sign.key", dir);
    int r;
    crypto_sign_keypair(k.pub.pk, k.sk);
    bundle_key_id(&k.pub);
    r = key_write(sec, "kiosk-sign-secret", k.sk, sizeof k.sk, 0600, err);
    if (r < 0)
        goto out;
    r = key_write(pub, "kiosk-sign-public", k.pub.pk, sizeof k.pub.pk, 0644, err);
    if (r < 0) {
        unlink(sec);
        goto out;
    }
    if (ret_pub)
        *ret_pub = k.pub;
out:
    bundle_seckey_wipe(&k);
    free(pub);
    free(sec);
    return r;
}

int bundle_keyring_load(struct bundle_keyring *ret, const char *list, struct bundle_error *err)
{
    struct bundle_keyring ring = {.n = 0};
    const char *p = list ? list : "";
    while (*p) {
        size_t n = strcspn(p, ",");
        char name[1100];
        const char *s = p, *e = p + n;
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        p += n + (p[n] == ',');
        if (s == e)
            continue;
        if (ring.n == BUNDLE_KEYS_MAX)
            return fail(err, -E2BIG, BUNDLE_BAD_KEY, "sign_public_keys",
                        "more than %d keys listed", BUNDLE_KEYS_MAX);
        if ((size_t)(e - s) >= sizeof name)
            return fail(err, -ENAMETOOLONG, BUNDLE_BAD_KEY, "sign_public_keys", "file name too long");
        snprintf(name, sizeof name, "%.*s", (int)(e - s), s);
        int r = bundle_pubkey_load(name, &ring.keys[ring.n], err);
        if (r < 0)
            return r;
        ring.n++;
    }
    if (ring.n == 0)
        return fail(err, -ENOKEY, BUNDLE_BAD_KEY, "sign_public_keys",
                    "no trusted signing key configured");
    *ret = ring;
    return 0;
}

void bundle_sign(const struct bundle_seckey *key, const void *body, size_t len,
                 unsigned char sig[BUNDLE_SIG_SIZE])
{
    crypto_sign_detached(sig, NULL, body, len, key->sk);
}

int bundle_verify(const struct bundle_keyring *keys, const unsigned char id[BUNDLE_KEY_ID_SIZE],
                  const void *body, size_t len, const unsigned char sig[BUNDLE_SIG_SIZE],
                  struct bundle_error *err)
{
    char idhex[2 * BUNDLE_KEY_ID_SIZE + 1];
    for (int i = 0; i < keys->n; i++) {
        if (memcmp(keys->keys[i].id, id, BUNDLE_KEY_ID_SIZE) != 0)
            continue;
        if (crypto_sign_verify_detached(sig, body, len, keys->keys[i].pk) != 0)
            return fail(err, -EBADMSG, BUNDLE_BAD_SIGNATURE, "signature",
                        "does not match the manifest for key %s", keys->keys[i].id_hex);
        return i;
    }
    hex(id, BUNDLE_KEY_ID_SIZE, idhex);
    return fail(err, -ENOKEY, BUNDLE_UNKNOWN_KEY, "header.key_id",
                "signed by key %s, which is not among the %d trusted key(s)", idhex, keys->n);
}

/* ---- the manifest --------------------------------------------------------------- */

static int is_hex(const char *s, size_t n)
{
    if (strlen(s) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

int bundle_scope_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > BUNDLE_SCOPE_MAX || s[0] == '.' || s[0] == '-')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_' || s[i] == '.'))
            return 0;
    return 1;
}

static int version_ok(const char *s)
{
    int dots = 0, digits = 0;
    for (; *s; s++) {
        if (*s == '.' && digits) {
            dots++;
            digits = 0;
        } else if (*s >= '0' && *s <= '9' && digits < 6) {
            digits++;
        } else {
            return 0;
        }
    }
    return digits > 0 && dots <= 3;
}

static int man_uint(json_t *obj, const char *key, const char *field, uint64_t lo, uint64_t hi,
                    uint64_t *ret, struct bundle_error *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, field, "missing");
    if (!json_is_integer(v) || json_integer_value(v) < 0 ||
        (uint64_t)json_integer_value(v) < lo || (uint64_t)json_integer_value(v) > hi)
        return fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, field,
                    "must be a whole number from %" PRIu64 " to %" PRIu64, lo, hi);
    *ret = (uint64_t)json_integer_value(v);
    return 0;
}

static int man_str(json_t *obj, const char *key, const char *field, char *out, size_t size,
                   int (*valid)(const char *), const char *what, struct bundle_error *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, field, "missing");
    if (!json_is_string(v) || json_string_length(v) >= size || !valid(json_string_value(v)))
        return fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, field, "must be %s", what);
    snprintf(out, size, "%s", json_string_value(v));
    return 0;
}

static int valid_time(const char *s)
{
    int64_t t;
    return bundle_time_parse(s, &t) == 0;
}
static int valid_sha(const char *s) { return is_hex(s, 64); }
static int valid_key_id(const char *s) { return is_hex(s, 2 * BUNDLE_KEY_ID_SIZE); }
static int valid_compression(const char *s) { return !strcmp(s, "zlib") || !strcmp(s, "none"); }

static int manifest_parse(const char *text, size_t len, uint64_t max_payload,
                          struct bundle_manifest *ret, struct bundle_error *err)
{
    struct bundle_manifest m;
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je), *payload;
    uint64_t u;
    char created[32], expires[32];
    int r;

    memset(&m, 0, sizeof m);
    if (!root || !json_is_object(root)) {
        r = fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, "manifest", "not a JSON object: %s",
                 root ? "another JSON value" : je.text);
        goto out;
    }
    if ((r = man_uint(root, "format", "manifest.format", 1, 1000, &u, err)) < 0)
        goto out;
    m.format = (unsigned)u;
    if (m.format != BUNDLE_FORMAT_VERSION) {
        r = fail(err, -EPROTO, BUNDLE_BAD_FORMAT, "manifest.format",
                 "format %u, this kiosk reads format %d", m.format, BUNDLE_FORMAT_VERSION);
        goto out;
    }
    if ((r = man_uint(root, "content_version", "manifest.content_version", 1, INT64_MAX,
                      &m.content_version, err)) < 0 ||
        (r = man_str(root, "created_at", "manifest.created_at", created, sizeof created,
                     valid_time, "a UTC time YYYY-MM-DDTHH:MM:SSZ", err)) < 0 ||
        (r = man_str(root, "expires_at", "manifest.expires_at", expires, sizeof expires,
                     valid_time, "a UTC time YYYY-MM-DDTHH:MM:SSZ", err)) < 0 ||
        (r = man_str(root, "key_id", "manifest.key_id", m.key_id, sizeof m.key_id,
                     valid_key_id, "16 lowercase hex digits", err)) < 0 ||
        (r = man_str(root, "scope", "manifest.scope", m.scope, sizeof m.scope, bundle_scope_valid,
                     "1-64 of A-Z a-z 0-9 . _ -", err)) < 0 ||
        (r = man_uint(root, "schema_version", "manifest.schema_version", 1, 1000000, &u, err)) < 0)
        goto out;
    m.schema_version = (int)u;
    if ((r = man_str(root, "min_kiosk_version", "manifest.min_kiosk_version", m.min_kiosk_version,
                     sizeof m.min_kiosk_version, version_ok, "a version like 1.2.3", err)) < 0)
        goto out;
    bundle_time_parse(created, &m.created_at);
    bundle_time_parse(expires, &m.expires_at);
    if (m.expires_at <= m.created_at) {
        r = fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, "manifest.expires_at", "not after created_at");
        goto out;
    }
    payload = json_object_get(root, "payload");
    if (!json_is_object(payload)) {
        r = fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, "manifest.payload", "missing or not an object");
        goto out;
    }
    if ((r = man_uint(payload, "size", "manifest.payload.size", 0, UINT64_MAX / 2, &m.payload_size, err)) < 0 ||
        (r = man_str(payload, "sha256", "manifest.payload.sha256", m.payload_sha256,
                     sizeof m.payload_sha256, valid_sha, "64 lowercase hex digits", err)) < 0 ||
        (r = man_str(payload, "compression", "manifest.payload.compression", m.compression,
                     sizeof m.compression, valid_compression, "\"zlib\" or \"none\"", err)) < 0 ||
        (r = man_uint(payload, "db_size", "manifest.payload.db_size", 1, UINT64_MAX / 2, &m.db_size, err)) < 0 ||
        (r = man_str(payload, "db_sha256", "manifest.payload.db_sha256", m.db_sha256,
                     sizeof m.db_sha256, valid_sha, "64 lowercase hex digits", err)) < 0)
        goto out;
    if (m.payload_size > max_payload || m.db_size > max_payload) {
        r = fail(err, -EFBIG, BUNDLE_TOO_LARGE, m.db_size > max_payload ? "manifest.payload.db_size"
                 : "manifest.payload.size", "%" PRIu64 " bytes, over the cap of %" PRIu64,
                 MAX(m.payload_size, m.db_size), max_payload);
        goto out;
    }
    if (!strcmp(m.compression, "none") &&
        (m.payload_size != m.db_size || strcmp(m.payload_sha256, m.db_sha256) != 0)) {
        r = fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, "manifest.payload",
                 "uncompressed, yet size or sha256 differ from db_size or db_sha256");
        goto out;
    }
    *ret = m;
    r = 0;
out:
    json_decref(root);
    return r;
}

/* ---- the head ------------------------------------------------------------------- */

int bundle_head_len(const void *header, size_t len, size_t *ret, struct bundle_error *err)
{
    const unsigned char *h = header;
    if (len < BUNDLE_HEADER_SIZE)
        return fail(err, -EBADMSG, BUNDLE_TRUNCATED, "header",
                    "%zu bytes, shorter than the %d-byte header", len, BUNDLE_HEADER_SIZE);
    if (memcmp(h, BUNDLE_MAGIC, 8) != 0)
        return fail(err, -EBADMSG, BUNDLE_BAD_MAGIC, "header.magic", "not a kiosk bundle");
    uint32_t version = get32(h + 8), flags = get32(h + 12), mlen = get32(h + 16), slen = get32(h + 20);
    if (version != BUNDLE_FORMAT_VERSION)
        return fail(err, -EPROTO, BUNDLE_BAD_FORMAT, "header.format_version",
                    "format %" PRIu32 ", this kiosk reads format %d", version, BUNDLE_FORMAT_VERSION);
    if (flags != 0)
        return fail(err, -EBADMSG, BUNDLE_BAD_HEADER, "header.flags",
                    "0x%08" PRIx32 ", must be 0 in format %d", flags, BUNDLE_FORMAT_VERSION);
    if (mlen > BUNDLE_MANIFEST_MAX)
        return fail(err, -EFBIG, BUNDLE_TOO_LARGE, "header.manifest_length",
                    "%" PRIu32 " bytes, over the cap of %d", mlen, BUNDLE_MANIFEST_MAX);
    if (mlen < 2)
        return fail(err, -EBADMSG, BUNDLE_BAD_HEADER, "header.manifest_length",
                    "%" PRIu32 " bytes, too short for a manifest", mlen);
    if (slen != BUNDLE_SIG_SIZE)
        return fail(err, -EBADMSG, BUNDLE_BAD_HEADER, "header.signature_length",
                    "%" PRIu32 ", must be %d", slen, BUNDLE_SIG_SIZE);
    *ret = BUNDLE_HEADER_SIZE + mlen + BUNDLE_SIG_SIZE;
    return 0;
}

/* The head checks shared by bundle_head_parse and bundle_open; *ret_signer is the key
 * index, -1 when KEYS is NULL. */
static int head_parse(const unsigned char *buf, size_t len, const struct bundle_keyring *keys,
                      uint64_t max_payload, struct bundle_manifest *ret, uint64_t *ret_payload_len,
                      int *ret_signer, struct bundle_error *err)
{
    struct bundle_manifest m;
    size_t hl;
    int r, signer = -1;
    char idhex[2 * BUNDLE_KEY_ID_SIZE + 1];

    if ((r = bundle_head_len(buf, len, &hl, err)) < 0)
        return r;
    if (len < hl)
        return fail(err, -EBADMSG, BUNDLE_TRUNCATED, len < hl - BUNDLE_SIG_SIZE ? "manifest" : "signature",
                    "the file ends after %zu of the %zu bytes of header, manifest and signature", len, hl);
    if (len > hl)
        return fail(err, -EBADMSG, BUNDLE_TRAILING, "signature",
                    "%zu bytes after the signature where the head should end", len - hl);
    uint64_t payload_len = get64(buf + 24);
    size_t mlen = hl - BUNDLE_HEADER_SIZE - BUNDLE_SIG_SIZE;
    const unsigned char *manifest = buf + BUNDLE_HEADER_SIZE, *sig = manifest + mlen;
    if (payload_len > max_payload)
        return fail(err, -EFBIG, BUNDLE_TOO_LARGE, "header.payload_length",
                    "%" PRIu64 " bytes, over the cap of %" PRIu64, payload_len, max_payload);
    if (keys) {
        signer = bundle_verify(keys, buf + 32, manifest, mlen, sig, err);
        if (signer < 0)
            return signer;
    }
    /* only now, signed (or explicitly unchecked), is the manifest parsed */
    if ((r = manifest_parse((const char *)manifest, mlen, max_payload, &m, err)) < 0)
        return r;
    hex(buf + 32, BUNDLE_KEY_ID_SIZE, idhex);
    if (strcmp(idhex, m.key_id) != 0)
        return fail(err, -EBADMSG, BUNDLE_MISMATCH, "header.key_id",
                    "%s, the manifest says %s", idhex, m.key_id);
    if (payload_len != m.payload_size)
        return fail(err, -EBADMSG, BUNDLE_MISMATCH, "header.payload_length",
                    "%" PRIu64 ", the manifest says %" PRIu64, payload_len, m.payload_size);
    *ret = m;
    *ret_payload_len = payload_len;
    *ret_signer = signer;
    return 0;
}

int bundle_head_parse(const void *buf, size_t len, const struct bundle_keyring *keys,
                      uint64_t max_payload, struct bundle_manifest *ret,
                      uint64_t *ret_payload_len, struct bundle_error *err)
{
    int signer;
    if (!keys)
        return fail(err, -EINVAL, BUNDLE_BAD_KEY, "keys", "no trusted keys given");
    return head_parse(buf, len, keys, max_payload, ret, ret_payload_len, &signer, err);
}

/* ---- reading a bundle file ------------------------------------------------------ */

struct bundle {
    int fd;
    size_t head_len;
    uint64_t payload_len;
    char *manifest;          /* exact bytes */
    size_t manifest_len;
    struct bundle_manifest m;
    int signer;
};

int bundle_open(const char *path, const struct bundle_keyring *keys, uint64_t max_payload,
                bundle **ret, struct bundle_error *err)
{
    unsigned char header[BUNDLE_HEADER_SIZE], *head = NULL;
    struct stat st;
    size_t hl;
    bundle *b = NULL;
    int r, fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return fail(err, -errno, BUNDLE_IO, "file", "cannot open: %s", strerror(errno));
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        r = fail(err, -EINVAL, BUNDLE_IO, "file", "not a regular file");
        goto out;
    }
    r = pread_all(fd, header, sizeof header, 0);
    if (r == -ENODATA) {
        r = fail(err, -EBADMSG, BUNDLE_TRUNCATED, "header", "%jd bytes, shorter than the %d-byte header",
                 (intmax_t)st.st_size, BUNDLE_HEADER_SIZE);
        goto out;
    }
    if (r < 0) {
        fail(err, r, BUNDLE_IO, "header", "cannot read: %s", strerror(-r));
        goto out;
    }
    if ((r = bundle_head_len(header, sizeof header, &hl, err)) < 0)
        goto out;
    if ((uint64_t)st.st_size < hl) {
        r = fail(err, -EBADMSG, BUNDLE_TRUNCATED, (uint64_t)st.st_size < hl - BUNDLE_SIG_SIZE ? "manifest" : "signature",
                 "the file ends after %jd of the %zu bytes of header, manifest and signature",
                 (intmax_t)st.st_size, hl);
        goto out;
    }
    head = xmalloc(hl);
    if ((r = pread_all(fd, head, hl, 0)) < 0) {
        fail(err, r, r == -ENODATA ? BUNDLE_TRUNCATED : BUNDLE_IO, "manifest", "cannot read: %s",
             r == -ENODATA ? "the file shrank while reading" : strerror(-r));
        goto out;
    }
    b = xcalloc(1, sizeof *b);
    b->fd = -1;
    if ((r = head_parse(head, hl, keys, max_payload, &b->m, &b->payload_len, &b->signer, err)) < 0)
        goto out;
    if ((uint64_t)st.st_size < hl + b->payload_len) {
        r = fail(err, -EBADMSG, BUNDLE_TRUNCATED, "payload",
                 "the file ends after %" PRIu64 " of %" PRIu64 " payload bytes",
                 (uint64_t)st.st_size - hl, b->payload_len);
        goto out;
    }
    if ((uint64_t)st.st_size > hl + b->payload_len) {
        r = fail(err, -EBADMSG, BUNDLE_TRAILING, "payload", "%" PRIu64 " bytes after the payload",
                 (uint64_t)st.st_size - hl - b->payload_len);
        goto out;
    }
    b->head_len = hl;
    b->manifest_len = hl - BUNDLE_HEADER_SIZE - BUNDLE_SIG_SIZE;
    b->manifest = xmalloc(b->manifest_len + 1);
    memcpy(b->manifest, head + BUNDLE_HEADER_SIZE, b->manifest_len);
    b->manifest[b->manifest_len] = '\0';
    b->fd = fd;
    fd = -1;
    *ret = b;
    b = NULL;
    r = 0;
out:
    bundle_close(b);
    free(head);
    if (fd >= 0)
        close(fd);
    return r;
}

const struct bundle_manifest *bundle_manifest_of(const bundle *b)
{
    return &b->m;
}

int bundle_signer(const bundle *b)
{
    return b->signer;
}

const char *bundle_manifest_text(const bundle *b, size_t *ret_len)
{
    *ret_len = b->manifest_len;
    return b->manifest;
}

void bundle_close(bundle *b)
{
    if (!b)
        return;
    if (b->fd >= 0)
        close(b->fd);
    free(b->manifest);
    free(b);
}

/* Writes N bytes of decoded database to FD, counting and hashing them. */
static int db_out(int fd, const void *buf, size_t n, uint64_t *count, uint64_t cap,
                  crypto_hash_sha256_state *h, struct bundle_error *err)
{
    if (*count + n > cap)
        return fail(err, -EBADMSG, BUNDLE_BAD_PAYLOAD, "payload",
                    "decompresses to more than the declared db_size of %" PRIu64 " bytes", cap);
    int r = fio_write_all(fd, buf, n);
    if (r < 0)
        return fail_write(err, r, "payload", "the database");
    crypto_hash_sha256_update(h, buf, n);
    *count += n;
    return 0;
}

int bundle_extract(bundle *b, int out_fd, struct bundle_error *err)
{
    unsigned char *in = xmalloc(BLOCK), *outbuf = xmalloc(BLOCK), digest[32];
    char digest_hex[65];
    crypto_hash_sha256_state h;
    z_stream z;
    int zinit = 0, r;
    uint64_t off, end = b->head_len + b->payload_len, written = 0;

    /* pass 1: the stored bytes against the signed hash, before any of them is parsed */
    crypto_hash_sha256_init(&h);
    for (off = b->head_len; off < end;) {
        size_t n = (size_t)MIN((uint64_t)BLOCK, end - off);
        if ((r = pread_all(b->fd, in, n, off)) < 0) {
            fail(err, r == -ENODATA ? -EBADMSG : r, r == -ENODATA ? BUNDLE_TRUNCATED : BUNDLE_IO,
                 "payload", "cannot read: %s", r == -ENODATA ? "the file shrank" : strerror(-r));
            goto out;
        }
        crypto_hash_sha256_update(&h, in, n);
        off += n;
    }
    crypto_hash_sha256_final(&h, digest);
    hex(digest, 32, digest_hex);
    if (strcmp(digest_hex, b->m.payload_sha256) != 0) {
        r = fail(err, -EBADMSG, BUNDLE_BAD_HASH, "payload.sha256",
                 "the payload hashes to %.16s..., the manifest says %.16s...", digest_hex,
                 b->m.payload_sha256);
        goto out;
    }

    /* pass 2: decode into OUT_FD, never past db_size */
    crypto_hash_sha256_init(&h);
    int zlib = !strcmp(b->m.compression, "zlib"), done = 0;
    if (zlib) {
        memset(&z, 0, sizeof z);
        if (inflateInit(&z) != Z_OK) {
            r = fail(err, -ENOMEM, BUNDLE_IO, "payload", "cannot start zlib");
            goto out;
        }
        zinit = 1;
    }
    for (off = b->head_len; off < end;) {
        size_t n = (size_t)MIN((uint64_t)BLOCK, end - off);
        if ((r = pread_all(b->fd, in, n, off)) < 0) {
            fail(err, r == -ENODATA ? -EBADMSG : r, r == -ENODATA ? BUNDLE_TRUNCATED : BUNDLE_IO,
                 "payload", "cannot read: %s", r == -ENODATA ? "the file shrank" : strerror(-r));
            goto out;
        }
        off += n;
        if (!zlib) {
            if ((r = db_out(out_fd, in, n, &written, b->m.db_size, &h, err)) < 0)
                goto out;
            continue;
        }
        z.next_in = in;
        z.avail_in = (uInt)n;
        int zr;
        do { /* zlib's zpipe pattern: drain while the output block fills */
            z.next_out = outbuf;
            z.avail_out = BLOCK;
            zr = inflate(&z, Z_NO_FLUSH);
            if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
                r = fail(err, -EBADMSG, BUNDLE_BAD_PAYLOAD, "payload", "zlib: %s",
                         z.msg ? z.msg : "corrupt stream");
                goto out;
            }
            if ((r = db_out(out_fd, outbuf, BLOCK - z.avail_out, &written, b->m.db_size, &h, err)) < 0)
                goto out;
        } while (z.avail_out == 0 && zr != Z_STREAM_END);
        if (zr == Z_STREAM_END)
            done = 1;
        if (done && (z.avail_in > 0 || off < end)) {
            r = fail(err, -EBADMSG, BUNDLE_BAD_PAYLOAD, "payload", "data after the end of the zlib stream");
            goto out;
        }
    }
    if (zlib && !done) {
        r = fail(err, -EBADMSG, BUNDLE_BAD_PAYLOAD, "payload", "the zlib stream ends early");
        goto out;
    }
    if (written != b->m.db_size) {
        r = fail(err, -EBADMSG, BUNDLE_BAD_PAYLOAD, "payload.db_size",
                 "decompresses to %" PRIu64 " bytes, the manifest says %" PRIu64, written, b->m.db_size);
        goto out;
    }
    crypto_hash_sha256_final(&h, digest);
    hex(digest, 32, digest_hex);
    if (strcmp(digest_hex, b->m.db_sha256) != 0) {
        r = fail(err, -EBADMSG, BUNDLE_BAD_HASH, "payload.db_sha256",
                 "the database hashes to %.16s..., the manifest says %.16s...", digest_hex, b->m.db_sha256);
        goto out;
    }
    r = 0;
out:
    if (zinit)
        inflateEnd(&z);
    free(in);
    free(outbuf);
    return r;
}

/* ---- writing a bundle ----------------------------------------------------------- */

static char *temp_beside(const char *path, const char *what)
{
    return xasprintf("%s.%s-%ld-XXXXXX", path, what, (long)getpid());
}

/* A consistent copy of SRC in DST (SQLite's backup API, so a database in WAL mode or
 * open elsewhere copies whole), with meta.content_version set and the rollback
 * journal mode the kiosk's read-only open expects; returns its schema_version. */
static int pack_copy_db(const char *src, const char *dst, uint64_t version, int *ret_schema,
                        struct bundle_error *err)
{
    sqlite3 *in = NULL, *out = NULL;
    sqlite3_backup *bk = NULL;
    sqlite3_stmt *s = NULL;
    char v[32];
    int r;

    if (sqlite3_open_v2(src, &in, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_open_v2(dst, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        r = fail(err, -EIO, BUNDLE_BAD_DATABASE, "database", "cannot open: %s",
                 sqlite3_errmsg(out ? out : in));
        goto out;
    }
    bk = sqlite3_backup_init(out, "main", in, "main");
    if (!bk || sqlite3_backup_step(bk, -1) != SQLITE_DONE) {
        r = fail(err, -EIO, BUNDLE_BAD_DATABASE, "database", "cannot copy: %s", sqlite3_errmsg(out));
        goto out;
    }
    sqlite3_backup_finish(bk);
    bk = NULL;
    snprintf(v, sizeof v, "%" PRIu64, version);
    if (sqlite3_exec(out, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(out, "INSERT OR REPLACE INTO meta(key, value) VALUES('content_version', ?)",
                           -1, &s, NULL) != SQLITE_OK ||
        sqlite3_bind_text(s, 1, v, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_DONE) {
        r = fail(err, -EIO, BUNDLE_BAD_DATABASE, "database.meta", "cannot set content_version: %s",
                 sqlite3_errmsg(out));
        goto out;
    }
    sqlite3_finalize(s);
    s = NULL;
    if (sqlite3_prepare_v2(out, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW || strcmp((const char *)sqlite3_column_text(s, 0), "ok") != 0) {
        r = fail(err, -EBADMSG, BUNDLE_BAD_DATABASE, "database", "integrity_check: %s",
                 s && sqlite3_column_text(s, 0) ? (const char *)sqlite3_column_text(s, 0) : sqlite3_errmsg(out));
        goto out;
    }
    sqlite3_finalize(s);
    s = NULL;
    if (sqlite3_prepare_v2(out, "SELECT value FROM meta WHERE key='schema_version'", -1, &s, NULL) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW || sqlite3_column_int(s, 0) < 1) {
        r = fail(err, -EBADMSG, BUNDLE_BAD_DATABASE, "database.meta.schema_version", "missing");
        goto out;
    }
    *ret_schema = sqlite3_column_int(s, 0);
    r = 0;
out:
    sqlite3_finalize(s);
    if (bk)
        sqlite3_backup_finish(bk);
    if (out && sqlite3_close(out) != SQLITE_OK && r == 0)
        r = fail(err, -EIO, BUNDLE_IO, "database", "cannot close the copy");
    sqlite3_close(in);
    return r;
}

/* Reads DB_FD from the start; with COMPRESS writes the zlib payload to PAY_FD (without,
 * the database file is the payload); fills the manifest's sizes and hashes. */
static int pack_payload(int db_fd, int pay_fd, int compress, struct bundle_manifest *m,
                        struct bundle_error *err)
{
    unsigned char *in = xmalloc(BLOCK), *out = xmalloc(BLOCK), d[32];
    crypto_hash_sha256_state hdb, hpay;
    z_stream z;
    int r, zinit = 0;
    uint64_t db_size = 0, pay_size = 0;

    crypto_hash_sha256_init(&hdb);
    crypto_hash_sha256_init(&hpay);
    if (compress) {
        memset(&z, 0, sizeof z);
        if (deflateInit(&z, Z_DEFAULT_COMPRESSION) != Z_OK) {
            r = fail(err, -ENOMEM, BUNDLE_IO, "payload", "cannot start zlib");
            goto out;
        }
        zinit = 1;
    }
    for (;;) {
        ssize_t n = read(db_fd, in, BLOCK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            r = fail(err, -errno, BUNDLE_IO, "database", "cannot read: %s", strerror(errno));
            goto out;
        }
        crypto_hash_sha256_update(&hdb, in, (size_t)n);
        db_size += (uint64_t)n;
        if (!compress) {
            if (n == 0)
                break;
            /* stored as is: the database file itself is the payload */
            crypto_hash_sha256_update(&hpay, in, (size_t)n);
            pay_size += (uint64_t)n;
            continue;
        }
        z.next_in = in;
        z.avail_in = (uInt)n;
        int flush = n == 0 ? Z_FINISH : Z_NO_FLUSH, zr;
        do {
            z.next_out = out;
            z.avail_out = BLOCK;
            zr = deflate(&z, flush);
            size_t have = BLOCK - z.avail_out;
            if ((r = fio_write_all(pay_fd, out, have)) < 0) {
                fail_write(err, r, "payload", "the payload");
                goto out;
            }
            crypto_hash_sha256_update(&hpay, out, have);
            pay_size += have;
        } while (z.avail_out == 0 || (flush == Z_FINISH && zr != Z_STREAM_END));
        if (n == 0)
            break;
    }
    if (db_size == 0) {
        r = fail(err, -EINVAL, BUNDLE_BAD_DATABASE, "database", "empty");
        goto out;
    }
    m->db_size = db_size;
    crypto_hash_sha256_final(&hdb, d);
    hex(d, 32, m->db_sha256);
    m->payload_size = pay_size;
    crypto_hash_sha256_final(&hpay, d);
    hex(d, 32, m->payload_sha256);
    snprintf(m->compression, sizeof m->compression, "%s", compress ? "zlib" : "none");
    r = 0;
out:
    if (zinit)
        deflateEnd(&z);
    free(in);
    free(out);
    return r;
}

static char *manifest_dump(const struct bundle_manifest *m)
{
    char created[32], expires[32];
    bundle_time_format(m->created_at, created);
    bundle_time_format(m->expires_at, expires);
    json_t *root = json_pack("{s:i, s:I, s:s, s:s, s:s, s:s, s:i, s:s, s:{s:I, s:s, s:s, s:I, s:s}}",
                             "format", (int)m->format,
                             "content_version", (json_int_t)m->content_version,
                             "created_at", created, "expires_at", expires,
                             "key_id", m->key_id, "scope", m->scope,
                             "schema_version", m->schema_version,
                             "min_kiosk_version", m->min_kiosk_version,
                             "payload", "size", (json_int_t)m->payload_size,
                             "sha256", m->payload_sha256, "compression", m->compression,
                             "db_size", (json_int_t)m->db_size, "db_sha256", m->db_sha256);
    expect(root);
    char *s = json_dumps(root, JSON_PRESERVE_ORDER | JSON_INDENT(1));
    expect(s);
    json_decref(root);
    return s;
}

/* Writes BUF, then (if SRC_FD >= 0) all of SRC_FD, to PATH atomically and durably
 * (base/fileio.h). */
static int write_file_atomic(const char *path, const void *buf, size_t len, int src_fd,
                             struct bundle_error *err)
{
    struct fio_atomic out;
    unsigned char *block;
    int r = fio_atomic_open(&out, path, 0644, 0);
    if (r < 0)
        return fail(err, r, BUNDLE_IO, "output", "%s: cannot create: %s", path, strerror(-r));
    block = xmalloc(BLOCK);
    r = fio_write_all(out.fd, buf, len);
    if (r == 0 && src_fd >= 0 && lseek(src_fd, 0, SEEK_SET) < 0)
        r = -errno;
    while (r == 0 && src_fd >= 0) {
        ssize_t n = read(src_fd, block, BLOCK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            r = n < 0 ? -errno : 0;
            break;
        }
        r = fio_write_all(out.fd, block, (size_t)n);
    }
    free(block);
    if (r < 0) {
        fio_atomic_abort(&out);
        return fail_write(err, r, "output", path);
    }
    if ((r = fio_atomic_commit(&out)) < 0)
        return fail_write(err, r, "output", path);
    return 0;
}

int bundle_pack(const char *db_path, const struct bundle_seckey *key,
                const struct bundle_pack_opts *o, const char *out_path,
                const char *head_out, struct bundle_manifest *ret, struct bundle_error *err)
{
    struct bundle_manifest m;
    char *db_tmp = temp_beside(out_path, "db"), *pay_tmp = temp_beside(out_path, "payload");
    char *text = NULL;
    unsigned char *head = NULL;
    int r, db_fd = -1, pay_fd = -1, schema = 0;

    memset(&m, 0, sizeof m);
    if (!bundle_scope_valid(o->scope ? o->scope : "")) {
        r = fail(err, -EINVAL, BUNDLE_BAD_MANIFEST, "scope", "must be 1-64 of A-Z a-z 0-9 . _ -");
        goto out;
    }
    if (o->content_version < 1 || o->content_version > INT64_MAX) {
        r = fail(err, -EINVAL, BUNDLE_BAD_MANIFEST, "version", "must be at least 1");
        goto out;
    }
    if (o->expires_days < 1 || o->expires_days > 3650) {
        r = fail(err, -EINVAL, BUNDLE_BAD_MANIFEST, "expires-days", "must be 1 to 3650");
        goto out;
    }
    if (o->min_kiosk_version && (!version_ok(o->min_kiosk_version) ||
                                 strlen(o->min_kiosk_version) >= sizeof m.min_kiosk_version)) {
        r = fail(err, -EINVAL, BUNDLE_BAD_MANIFEST, "min-kiosk-version", "must look like 1.2.3");
        goto out;
    }
    if ((db_fd = mkstemp(db_tmp)) < 0) {
        r = fail(err, -errno, BUNDLE_IO, "output", "%s: cannot create: %s", db_tmp, strerror(errno));
        goto out;
    }
    if ((r = pack_copy_db(db_path, db_tmp, o->content_version, &schema, err)) < 0)
        goto out;
    if (o->compress && (pay_fd = mkstemp(pay_tmp)) < 0) {
        r = fail(err, -errno, BUNDLE_IO, "output", "%s: cannot create: %s", pay_tmp, strerror(errno));
        goto out;
    }
    if ((r = pack_payload(db_fd, o->compress ? pay_fd : -1, o->compress, &m, err)) < 0)
        goto out;
    m.format = BUNDLE_FORMAT_VERSION;
    m.content_version = o->content_version;
    m.created_at = o->now;
    m.expires_at = o->now + (int64_t)o->expires_days * 86400;
    snprintf(m.key_id, sizeof m.key_id, "%s", key->pub.id_hex);
    snprintf(m.scope, sizeof m.scope, "%s", o->scope);
    m.schema_version = schema;
    snprintf(m.min_kiosk_version, sizeof m.min_kiosk_version, "%s",
             o->min_kiosk_version ? o->min_kiosk_version : "0.0.0");

    text = manifest_dump(&m);
    size_t mlen = strlen(text);
    if (mlen > BUNDLE_MANIFEST_MAX) {
        r = fail(err, -EFBIG, BUNDLE_TOO_LARGE, "manifest", "over %d bytes", BUNDLE_MANIFEST_MAX);
        goto out;
    }
    size_t hl = BUNDLE_HEADER_SIZE + mlen + BUNDLE_SIG_SIZE;
    head = xcalloc(1, hl);
    memcpy(head, BUNDLE_MAGIC, 8);
    put32(head + 8, BUNDLE_FORMAT_VERSION);
    put32(head + 12, 0);
    put32(head + 16, (uint32_t)mlen);
    put32(head + 20, BUNDLE_SIG_SIZE);
    put64(head + 24, m.payload_size);
    memcpy(head + 32, key->pub.id, BUNDLE_KEY_ID_SIZE);
    memcpy(head + BUNDLE_HEADER_SIZE, text, mlen);
    bundle_sign(key, text, mlen, head + BUNDLE_HEADER_SIZE + mlen);

    if ((r = write_file_atomic(out_path, head, hl, o->compress ? pay_fd : db_fd, err)) < 0)
        goto out;
    if (head_out && (r = write_file_atomic(head_out, head, hl, -1, err)) < 0)
        goto out;
    if (ret)
        *ret = m;
    r = 0;
out:
    if (db_fd >= 0) {
        close(db_fd);
        unlink(db_tmp);
    }
    if (pay_fd >= 0) {
        close(pay_fd);
        unlink(pay_tmp);
    }
    free(db_tmp);
    free(pay_tmp);
    free(text);
    free(head);
    return r;
}
