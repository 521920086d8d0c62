/* provision.c - see provision.h; the format and the trust rule are in sync/README.md,
 * "Provisioning a kiosk". */
#include "provision.h"
#include "base/fileio.h"
#include "base/util.h"
#include "core/config.h"
#include "core/seal.h"

#include <errno.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC_LINE "hallkiosk-provision 1"
#define LINE_MAX_BYTES 1024
#define CONFIG_READ_MAX (64 * 1024) /* config.c's cap on a config file */

#define fail bundle_fail

void provision_fingerprint(const unsigned char pk[32], char out[PROVISION_FINGERPRINT_HEX + 1])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, pk, 32, NULL, 0);
    sodium_bin2hex(out, PROVISION_FINGERPRINT_HEX + 1, h, PROVISION_FINGERPRINT_BYTES);
}

/* The kiosk_id and central_url rules are config.c's: a scratch config says whether it
 * would take VALUE for KEY. 0, or -EINVAL with ERR's cause set. */
static int config_accepts(const char *key, const char *value, struct bundle_error *err)
{
    struct kiosk_config cfg;
    char msg[300];
    config_defaults(&cfg);
    int r = config_set(&cfg, "kiosk", key, value, msg, sizeof msg);
    config_free(&cfg);
    if (r < 0) {
        /* config_set says "KEY: cause"; the field is printed already */
        const char *cause = strncmp(msg, key, strlen(key)) == 0 && msg[strlen(key)] == ':' ? msg + strlen(key) + 1 : msg;
        while (*cause == ' ')
            cause++;
        return fail(err, -EINVAL, BUNDLE_BAD_MANIFEST, key, "%s", cause);
    }
    return 0;
}

static int fields_check(const struct provision *p, struct bundle_error *err)
{
    int r;
    if ((r = config_accepts("kiosk_id", p->kiosk_id, err)) < 0)
        return r;
    if (!bundle_scope_valid(p->scope))
        return fail(err, -EINVAL, BUNDLE_BAD_MANIFEST, "scope", "not 1-%d of A-Z a-z 0-9 . _ -", BUNDLE_SCOPE_MAX);
    if ((r = config_accepts("central_url", p->central_url, err)) < 0)
        return r;
    if (p->n_sign < 1 || p->n_sign > BUNDLE_KEYS_MAX)
        return fail(err, -EINVAL, BUNDLE_BAD_MANIFEST, "sign_public_key", "want 1 or %d of them, not %d",
                    BUNDLE_KEYS_MAX, p->n_sign);
    return 0;
}

static int signer_listed(const struct provision *p, const unsigned char pk[32])
{
    for (int i = 0; i < p->n_sign; i++)
        if (memcmp(p->sign_pk[i], pk, 32) == 0)
            return 1;
    return 0;
}

static void add_b64(strbuf *sb, const char *key, const unsigned char *bin, size_t n)
{
    char b64[128];
    sodium_bin2base64(b64, sizeof b64, bin, n, sodium_base64_VARIANT_ORIGINAL);
    strbuf_addf(sb, "%s%s\n", key, b64);
}

int provision_make(const struct bundle_seckey *key, struct provision *p, char **ret_text,
                   size_t *ret_len, struct bundle_error *err)
{
    strbuf body = {0}, file = {0};
    unsigned char sig[BUNDLE_SIG_SIZE];
    char when[32];
    int r;

    if ((r = fields_check(p, err)) < 0)
        return r;
    if (!signer_listed(p, key->pub.pk))
        return fail(err, -EINVAL, BUNDLE_BAD_MANIFEST, "sign_public_key",
                    "does not include the signing key itself (%s)", key->pub.id_hex);
    bundle_time_format(p->created_at, when);
    strbuf_addf(&body, "kiosk_id = %s\nscope = %s\ncentral_url = %s\n", p->kiosk_id, p->scope, p->central_url);
    for (int i = 0; i < p->n_sign; i++)
        add_b64(&body, "sign_public_key = ", p->sign_pk[i], 32);
    add_b64(&body, "seal_public_key = ", p->seal_pk, 32);
    strbuf_addf(&body, "created_at = %s\n", when);
    bundle_sign(key, body.buf, body.len, sig);

    strbuf_adds(&file, MAGIC_LINE "\n");
    add_b64(&file, "signer ", key->pub.pk, 32);
    add_b64(&file, "signature ", sig, sizeof sig);
    strbuf_add(&file, body.buf, body.len);
    strbuf_release(&body);
    if (file.len > PROVISION_FILE_MAX) {
        strbuf_release(&file);
        return fail(err, -EFBIG, BUNDLE_TOO_LARGE, "file", "over %d bytes", PROVISION_FILE_MAX);
    }
    provision_fingerprint(key->pub.pk, p->signer_fingerprint);
    *ret_len = file.len;
    *ret_text = strbuf_detach(&file);
    return 0;
}

/* The next line of [*pp, e) without its newline into LINE (NUL-terminated); *pp moves
 * past the newline. -1 when there is no newline, the line is too long or holds a
 * control character or a NUL. */
static int next_line(const char **pp, const char *e, char *line, size_t cap)
{
    const char *p = *pp, *nl = memchr(p, '\n', (size_t)(e - p));
    if (!nl || (size_t)(nl - p) >= cap)
        return -1;
    for (const char *q = p; q < nl; q++)
        if ((unsigned char)*q < 0x20 || *q == 0x7f)
            return -1;
    memcpy(line, p, (size_t)(nl - p));
    line[nl - p] = '\0';
    *pp = nl + 1;
    return 0;
}

/* LINE "PREFIX base64" holding exactly N bytes into OUT. */
static int b64_field(const char *line, const char *prefix, unsigned char *out, size_t n)
{
    size_t pl = strlen(prefix), got = 0;
    if (strncmp(line, prefix, pl) != 0)
        return -1;
    return sodium_base642bin(out, n, line + pl, strlen(line + pl), NULL, &got, NULL,
                             sodium_base64_VARIANT_ORIGINAL) == 0 && got == n ? 0 : -1;
}

/* FINGERPRINT as given on a command line into OUT: hex digits, lowercased, with '-',
 * ':' and spaces dropped. -1 when it is not PROVISION_FINGERPRINT_HEX hex digits. */
static int fingerprint_norm(const char *s, char out[PROVISION_FINGERPRINT_HEX + 1])
{
    size_t n = 0;
    for (; *s; s++) {
        char c = *s;
        if (c == '-' || c == ':' || c == ' ')
            continue;
        if (c >= 'A' && c <= 'F')
            c = (char)(c - 'A' + 'a');
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) || n >= PROVISION_FINGERPRINT_HEX)
            return -1;
        out[n++] = c;
    }
    out[n] = '\0';
    return n == PROVISION_FINGERPRINT_HEX ? 0 : -1;
}

static int body_parse(const char *p, const char *e, struct provision *ret, struct bundle_error *err)
{
    struct provision v;
    char line[LINE_MAX_BYTES];
    unsigned seen = 0;
    int r;
    static const char *const names[] = {"kiosk_id", "scope", "central_url", "sign_public_key",
                                        "seal_public_key", "created_at"};

    memset(&v, 0, sizeof v);
    if (p == e)
        return fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, "body", "empty");
    while (p < e) {
        if (next_line(&p, e, line, sizeof line) < 0)
            return fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, "body",
                        "a line without a newline, longer than %d bytes or with a control character",
                        LINE_MAX_BYTES - 1);
        char *eq = strstr(line, " = ");
        if (!eq) {
            /* "key =" with an empty value */
            size_t n = strlen(line);
            if (n >= 2 && strcmp(line + n - 2, " =") == 0)
                eq = line + n - 2;
            else
                return fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, "body", "a line that is not \"key = value\"");
        }
        *eq = '\0';
        const char *key = line, *val = eq[1] == '=' && eq[2] == ' ' ? eq + 3 : "";
        unsigned i;
        for (i = 0; i < ARRAY_SIZE(names) && strcmp(key, names[i]) != 0; i++)
            ;
        if (i == ARRAY_SIZE(names))
            return fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, "body", "unknown key \"%.40s\"", key);
        if ((seen & (1u << i)) && i != 3)
            return fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, key, "given twice");
        seen |= 1u << i;
        if (i == 0 || i == 1 || i == 2) {
            char *dst = i == 0 ? v.kiosk_id : i == 1 ? v.scope : v.central_url;
            size_t cap = i == 0 ? sizeof v.kiosk_id : i == 1 ? sizeof v.scope : sizeof v.central_url;
            if (strlen(val) >= cap)
                return fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, key, "longer than %zu bytes", cap - 1);
            memcpy(dst, val, strlen(val) + 1);
        } else if (i == 3) {
            if (v.n_sign == BUNDLE_KEYS_MAX)
                return fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, key, "more than %d of them", BUNDLE_KEYS_MAX);
            if (b64_field(val, "", v.sign_pk[v.n_sign], 32) < 0)
                return fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, key, "not 32 bytes of base64");
            v.n_sign++;
        } else if (i == 4) {
            if (b64_field(val, "", v.seal_pk, 32) < 0)
                return fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, key, "not 32 bytes of base64");
        } else if (bundle_time_parse(val, &v.created_at) < 0) {
            return fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, key, "not YYYY-MM-DDTHH:MM:SSZ");
        }
    }
    for (unsigned i = 0; i < ARRAY_SIZE(names); i++)
        if (!(seen & (1u << i)))
            return fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, names[i], "missing");
    if ((r = fields_check(&v, err)) < 0)
        return r;
    *ret = v;
    return 0;
}

int provision_parse(const void *buf, size_t len, const char *fingerprint,
                    const struct bundle_keyring *trusted, struct provision *ret,
                    struct bundle_error *err)
{
    const char *p = buf, *e = p + len;
    char line[LINE_MAX_BYTES], fp[PROVISION_FINGERPRINT_HEX + 1], want[PROVISION_FINGERPRINT_HEX + 1];
    unsigned char signer[32], sig[BUNDLE_SIG_SIZE];
    struct provision v;
    int r;

    if (len > PROVISION_FILE_MAX)
        return fail(err, -EFBIG, BUNDLE_TOO_LARGE, "file", "%zu bytes, over the cap of %d", len, PROVISION_FILE_MAX);
    if (next_line(&p, e, line, sizeof line) < 0 || strncmp(line, "hallkiosk-provision ", 20) != 0)
        return fail(err, -EBADMSG, BUNDLE_BAD_MAGIC, "format", "not a provisioning file");
    if (strcmp(line, MAGIC_LINE) != 0)
        return fail(err, -EPROTO, BUNDLE_BAD_FORMAT, "format", "\"%.40s\", this kiosk reads format %d", line + 20,
                    PROVISION_FORMAT_VERSION);
    if (next_line(&p, e, line, sizeof line) < 0 || b64_field(line, "signer ", signer, sizeof signer) < 0)
        return fail(err, -EBADMSG, BUNDLE_BAD_HEADER, "signer", "want \"signer\" and a 32-byte key in base64");
    if (next_line(&p, e, line, sizeof line) < 0 || b64_field(line, "signature ", sig, sizeof sig) < 0)
        return fail(err, -EBADMSG, BUNDLE_BAD_HEADER, "signature", "want \"signature\" and 64 bytes in base64");
    provision_fingerprint(signer, fp);

    /* trust: the fingerprint the IT person typed, or a key this kiosk trusts already */
    if (fingerprint) {
        if (fingerprint_norm(fingerprint, want) < 0)
            return fail(err, -EINVAL, BUNDLE_BAD_KEY, "fingerprint", "want %d hex digits", PROVISION_FINGERPRINT_HEX);
        if (strcmp(fp, want) != 0)
            return fail(err, -ENOKEY, BUNDLE_UNKNOWN_KEY, "fingerprint",
                        "the file is signed by key %s, not by the one given (%s)", fp, want);
    } else {
        int known = 0;
        for (int i = 0; trusted && i < trusted->n; i++)
            known |= memcmp(trusted->keys[i].pk, signer, 32) == 0;
        if (!trusted || trusted->n == 0)
            return fail(err, -ENOKEY, BUNDLE_UNKNOWN_KEY, "fingerprint",
                        "required: this kiosk trusts no signing key yet (kiosk-office provision prints it)");
        if (!known)
            return fail(err, -ENOKEY, BUNDLE_UNKNOWN_KEY, "signer",
                        "key %s is not one of sign_public_keys; give its --fingerprint", fp);
    }
    if (crypto_sign_verify_detached(sig, (const unsigned char *)p, (size_t)(e - p), signer) != 0)
        return fail(err, -EBADMSG, BUNDLE_BAD_SIGNATURE, "signature", "does not match the file");
    if ((r = body_parse(p, e, &v, err)) < 0)
        return r;
    if (!signer_listed(&v, signer))
        return fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, "sign_public_key",
                    "does not include the key that signed the file");
    memcpy(v.signer_fingerprint, fp, sizeof fp);
    *ret = v;
    return 0;
}

/* ---- writing the config ---------------------------------------------------------- */

enum { K_ID, K_SCOPE, K_URL, K_SIGN, K_SEAL, K_COUNT };
static const char *const set_keys[K_COUNT] = {"kiosk_id", "scope", "central_url", "sign_public_keys",
                                              "seal_public_key"};

/* Which of set_keys LINE sets (trimmed, uncommented, "key = ..." or "key=..."), or -1;
 * with COMMENTED, the same for a line "#key = ..." (the example config's way of
 * showing a default). VAL (if not NULL) gets the value's start. */
static int line_key(const char *line, int commented, const char **val)
{
    while (*line == ' ' || *line == '\t')
        line++;
    if (commented) {
        if (*line != '#' && *line != ';')
            return -1;
        line++;
    }
    for (int k = 0; k < K_COUNT; k++) {
        size_t n = strlen(set_keys[k]);
        const char *q = line + n;
        if (strncmp(line, set_keys[k], n) != 0)
            continue;
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q != '=')
            continue;
        q++;
        while (*q == ' ' || *q == '\t')
            q++;
        if (val)
            *val = q;
        return k;
    }
    return -1;
}

/* 1 when LINE is a section header, with *IS_KIOSK saying whether it opens [kiosk]. */
static int section_of(const char *line, int *is_kiosk)
{
    while (*line == ' ' || *line == '\t')
        line++;
    if (*line != '[')
        return 0;
    *is_kiosk = strncmp(line, "[kiosk]", 7) == 0;
    return 1;
}

/* OLD (the config's text, OLD_LEN bytes) with VALUES set: an uncommented line of a key
 * in [kiosk] (or before any section) is replaced by the new one, later ones dropped;
 * a key without one goes after its commented example ("#key = ...") in [kiosk], else
 * after the first [kiosk] header, else at the top. *RET_ID gets the kiosk_id OLD
 * sets (the last one, as config_load reads it), or "" when none. */
static char *config_rewrite(const char *old, size_t old_len, char *const values[K_COUNT], char *ret_id,
                            size_t id_cap)
{
    strbuf out = {0};
    int has_line[K_COUNT] = {0}, done[K_COUNT] = {0}, kiosk = 1, header_seen = 0;
    const char *e = old + old_len;

    ret_id[0] = '\0';
    /* pass 1: which keys have a line of their own, and the kiosk_id set now */
    for (const char *p = old; p < e;) {
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(e - p);
        char *line = xstrndup(p, n), *v;
        int k, is_kiosk;
        if (section_of(line, &is_kiosk))
            kiosk = is_kiosk;
        else if (kiosk && (k = line_key(line, 0, (const char **)&v)) >= 0) {
            has_line[k] = 1;
            if (k == K_ID) {
                size_t m = strcspn(v, " \t\r#;");
                snprintf(ret_id, id_cap, "%.*s", (int)(m < id_cap ? m : id_cap - 1), v);
            }
        }
        free(line);
        p += n + (nl ? 1 : 0);
    }
    /* pass 2: the new text */
    kiosk = 1;
    for (const char *p = old; p < e;) {
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(e - p);
        char *line = xstrndup(p, n);
        int k, is_kiosk;
        if (section_of(line, &is_kiosk)) {
            if (!header_seen && is_kiosk) {
                /* keys with no line and no example go right after the first [kiosk] */
                header_seen = 1;
                strbuf_addf(&out, "%s\n", line);
                for (k = 0; k < K_COUNT; k++) {
                    int example = 0;
                    /* an example further down in this section takes it instead */
                    const char *q = p + n + (nl ? 1 : 0);
                    for (; q < e && !example;) {
                        const char *nl2 = memchr(q, '\n', (size_t)(e - q));
                        size_t n2 = nl2 ? (size_t)(nl2 - q) : (size_t)(e - q);
                        char *l2 = xstrndup(q, n2);
                        int is_k2;
                        if (section_of(l2, &is_k2)) {
                            free(l2);
                            break;
                        }
                        example = line_key(l2, 1, NULL) == k;
                        free(l2);
                        q += n2 + (nl2 ? 1 : 0);
                    }
                    if (!has_line[k] && !example) {
                        strbuf_addf(&out, "%s = %s\n", set_keys[k], values[k]);
                        done[k] = 1;
                    }
                }
                kiosk = 1;
                free(line);
                p += n + (nl ? 1 : 0);
                continue;
            }
            kiosk = is_kiosk;
        } else if (kiosk && (k = line_key(line, 0, NULL)) >= 0) {
            if (!done[k])
                strbuf_addf(&out, "%s = %s\n", set_keys[k], values[k]);
            done[k] = 1;
            free(line);
            p += n + (nl ? 1 : 0);
            continue;
        } else if (kiosk && (k = line_key(line, 1, NULL)) >= 0 && !has_line[k] && !done[k]) {
            strbuf_addf(&out, "%s\n%s = %s\n", line, set_keys[k], values[k]);
            done[k] = 1;
            free(line);
            p += n + (nl ? 1 : 0);
            continue;
        }
        strbuf_addf(&out, "%s\n", line);
        free(line);
        p += n + (nl ? 1 : 0);
    }
    /* no [kiosk] header and no line: the top of the file is [kiosk] */
    strbuf top = {0};
    for (int k = 0; k < K_COUNT; k++)
        if (!done[k])
            strbuf_addf(&top, "%s = %s\n", set_keys[k], values[k]);
    if (top.len) {
        strbuf_add(&top, out.buf ? out.buf : "", out.len);
        strbuf_release(&out);
        return strbuf_detach(&top);
    }
    strbuf_release(&top);
    if (!out.len)
        strbuf_adds(&out, "");
    return strbuf_detach(&out);
}

static int key_file_write(const char *path, const char *type, const unsigned char pk[32], struct bundle_error *err)
{
    char b64[64], line[128];
    sodium_bin2base64(b64, sizeof b64, pk, 32, sodium_base64_VARIANT_ORIGINAL);
    int n = snprintf(line, sizeof line, "%s %s\n", type, b64);
    int r = fio_write_atomic(path, line, (size_t)n, 0644, 0);
    return r < 0 ? bundle_fail_write(err, r, "key", path) : 0;
}

int provision_apply(const struct provision *p, const char *config_path, int force,
                    struct bundle_error *err)
{
    char *old = NULL, *text = NULL, *dir = NULL, *values[K_COUNT] = {0};
    char real[PATH_MAX], old_id[32], msg[600];
    size_t old_len = 0;
    struct fio_atomic a = {.fd = -1};
    struct kiosk_config cfg;
    int r;

    r = fio_read_capped(config_path, CONFIG_READ_MAX, 0, &old, &old_len);
    if (r == -ENOENT) {
        old = xstrdup("");
        old_len = 0;
    } else if (r < 0) {
        return fail(err, r, r == -EFBIG ? BUNDLE_TOO_LARGE : BUNDLE_IO, "config", "%s: cannot read: %s",
                    config_path, r == -EFBIG ? "over 64 KiB" : strerror(-r));
    }
    /* the key files go beside the config, named in it by absolute paths */
    dir = xstrdup(config_path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, strlen(dir) + 1, ".");
    else
        slash[slash == dir ? 1 : 0] = '\0';
    if (!realpath(dir, real)) {
        r = fail(err, -errno, BUNDLE_IO, "config", "%s: %s", dir, strerror(errno));
        goto out;
    }
    r = 0;

    /* the paths first: a refusal below writes nothing */
    const char *base = strcmp(real, "/") ? real : "";
    char *sign_paths[BUNDLE_KEYS_MAX] = {0};
    char seal_fp[PROVISION_FINGERPRINT_HEX + 1];
    strbuf list = {0};
    for (int i = 0; i < p->n_sign; i++) {
        struct bundle_pubkey k;
        memcpy(k.pk, p->sign_pk[i], 32);
        bundle_key_id(&k);
        sign_paths[i] = xasprintf("%s/provision-sign-%s.pub", base, k.id_hex);
        strbuf_addf(&list, "%s%s", i ? "," : "", sign_paths[i]);
    }
    provision_fingerprint(p->seal_pk, seal_fp);
    values[K_ID] = xstrdup(p->kiosk_id);
    values[K_SCOPE] = xstrdup(p->scope);
    values[K_URL] = xstrdup(p->central_url);
    values[K_SIGN] = strbuf_detach(&list);
    values[K_SEAL] = xasprintf("%s/provision-seal-%.16s.pub", base, seal_fp);

    text = config_rewrite(old, old_len, values, old_id, sizeof old_id);
    if (old_id[0] && strcmp(old_id, p->kiosk_id) != 0 && !force)
        r = fail(err, -EEXIST, BUNDLE_OTHER_KIOSK, "kiosk_id",
                 "%s is kiosk %s, the file is for %s (--force replaces it)", config_path, old_id, p->kiosk_id);
    /* the key files, named after their keys: the config's rename below is what makes
     * a kiosk use them */
    for (int i = 0; r == 0 && i < p->n_sign; i++)
        r = key_file_write(sign_paths[i], "kiosk-sign-public", p->sign_pk[i], err);
    if (r == 0)
        r = key_file_write(values[K_SEAL], "kiosk-seal-public", p->seal_pk, err);
    for (int i = 0; i < BUNDLE_KEYS_MAX; i++)
        free(sign_paths[i]);
    if (r < 0)
        goto out;
    if ((r = fio_atomic_open(&a, config_path, 0644, 0)) < 0) {
        r = bundle_fail_write(err, r, "config", config_path);
        goto out;
    }
    if ((r = fio_write_all(a.fd, text, strlen(text))) < 0) {
        fio_atomic_abort(&a);
        r = bundle_fail_write(err, r, "config", config_path);
        goto out;
    }
    /* the new config must load, with the keys it names, before it replaces the old */
    config_defaults(&cfg);
    r = config_load(&cfg, a.tmp, msg, sizeof msg);
    if (r == 0) {
        struct bundle_keyring ring;
        struct seal_public seal;
        r = bundle_keyring_load(&ring, cfg.sign_public_keys, err);
        if (r == 0 && (r = seal_public_load(cfg.seal_public_key, &seal, msg, sizeof msg)) < 0)
            fail(err, r, BUNDLE_BAD_KEY, "seal_public_key", "%s", msg);
    } else {
        fail(err, r, BUNDLE_BAD_MANIFEST, "config", "%s", msg);
    }
    config_free(&cfg);
    if (r < 0) {
        fio_atomic_abort(&a);
        goto out;
    }
    if ((r = fio_atomic_commit(&a)) < 0)
        r = bundle_fail_write(err, r, "config", config_path);
out:
    for (int k = 0; k < K_COUNT; k++)
        free(values[k]);
    free(text);
    free(dir);
    free(old);
    return r;
}
