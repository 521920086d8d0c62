/* feed.c - see feed.h. The envelope is read by hand, the signed body by jansson
 * (duplicates refused). */
#include "feed.h"
#include "base/civil.h"
#include "base/util.h"
#include "core/state.h"

#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define fail bundle_fail

static int receipt_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 31)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_'))
            return 0;
    return 1;
}

static int date_ok(const char *s)
{
    civil_date d;
    return !*s || (civil_parse(s, &d) == 0 && d.y >= 1970);
}

/* One string member of entry I: required, at most MAX bytes, VALID if given. */
static int entry_str(json_t *obj, size_t i, const char *key, size_t max, int required,
                     int (*valid)(const char *), char **ret, struct bundle_error *err)
{
    char field[48];
    json_t *v = json_object_get(obj, key);
    snprintf(field, sizeof field, "entries[%zu].%s", i, key);
    if (!v && !required) {
        *ret = xstrdup("");
        return 0;
    }
    if (!json_is_string(v) || json_string_length(v) > max || strlen(json_string_value(v)) != json_string_length(v))
        return fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, field, "must be a string of at most %zu bytes", max);
    if (valid && !valid(json_string_value(v)))
        return fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, field, "malformed: \"%.60s\"", json_string_value(v));
    *ret = xstrdup(json_string_value(v));
    return 0;
}

/* One of docs/rules.md §1's outcomes, the vocabulary the status screen speaks. */
static int outcome_ok(const char *s)
{
    for (int i = 0; state_status_outcomes[i]; i++)
        if (strcmp(s, state_status_outcomes[i]) == 0)
            return 1;
    return 0;
}

static int time_ok(const char *s)
{
    int64_t t;
    return bundle_time_parse(s, &t) == 0;
}

static int nonempty(const char *s)
{
    return *s != '\0';
}

/* Entries of ARR into F (F->entries allocated here). */
static int entries_parse(json_t *arr, struct feed *f, struct bundle_error *err)
{
    if (!json_is_array(arr))
        return fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, "entries", "must be an array");
    size_t n = json_array_size(arr);
    if (n > FEED_ENTRIES_MAX)
        return fail(err, -EFBIG, BUNDLE_TOO_LARGE, "entries", "%zu entries, over the cap of %d", n,
                    FEED_ENTRIES_MAX);
    f->entries = xcalloc(n ? n : 1, sizeof *f->entries);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        struct feed_entry *e = &f->entries[i];
        int r;
        if (!json_is_object(o))
            return fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, "entries", "entry %zu is not an object", i);
        f->n = i + 1;
        if ((r = entry_str(o, i, "receipt", OUTBOX_RECEIPT_MAX - 1, 1, receipt_ok, &e->receipt, err)) < 0 ||
            (r = entry_str(o, i, "status", 31, 1, nonempty, &e->status, err)) < 0 ||
            (r = entry_str(o, i, "outcome", 31, 1, outcome_ok, &e->outcome, err)) < 0 ||
            (r = entry_str(o, i, "reason", 255, 0, NULL, &e->reason, err)) < 0 ||
            (r = entry_str(o, i, "updated_at", 20, 1, time_ok, &e->updated_at, err)) < 0 ||
            (r = entry_str(o, i, "due_date", 10, 0, date_ok, &e->due_date, err)) < 0)
            return r;
    }
    return 0;
}

void feed_release(struct feed *f)
{
    for (size_t i = 0; i < f->n; i++) {
        struct feed_entry *e = &f->entries[i];
        free(e->receipt);
        free(e->status);
        free(e->outcome);
        free(e->reason);
        free(e->updated_at);
        free(e->due_date);
    }
    free(f->entries);
    memset(f, 0, sizeof *f);
}

/* The body's fields into F; entries too. */
static int body_parse(const char *text, size_t len, struct feed *f, struct bundle_error *err)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    json_int_t format;
    const char *kind = NULL, *scope = NULL, *created = NULL, *expires = NULL;
    json_t *entries = NULL;
    int r;

    if (!root) {
        r = fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, "body", "not JSON: %s", je.text);
        goto out;
    }
    if (json_unpack_ex(root, &je, JSON_STRICT, "{s:I, s:s, s:s, s:s, s:s, s:o}", "format", &format,
                       "kind", &kind, "scope", &scope, "created_at", &created, "expires_at", &expires,
                       "entries", &entries) != 0) {
        r = fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, "body", "%s", je.text);
        goto out;
    }
    if (format != FEED_FORMAT_VERSION || strcmp(kind, "status-feed") != 0) {
        r = fail(err, -EPROTO, BUNDLE_BAD_FORMAT, "body.format", "not a format-%d status feed",
                 FEED_FORMAT_VERSION);
        goto out;
    }
    if (strlen(scope) == 0 || strlen(scope) > BUNDLE_SCOPE_MAX) {
        r = fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, "body.scope", "must be 1-%d bytes", BUNDLE_SCOPE_MAX);
        goto out;
    }
    snprintf(f->scope, sizeof f->scope, "%s", scope);
    if (bundle_time_parse(created, &f->created_at) < 0 || bundle_time_parse(expires, &f->expires_at) < 0 ||
        f->expires_at <= f->created_at) {
        r = fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, "body.expires_at",
                 "created_at and expires_at must be UTC times, expiry after creation");
        goto out;
    }
    r = entries_parse(entries, f, err);
out:
    json_decref(root);
    return r;
}

/* ---- the envelope, read without a JSON parser ------------------------------------------
 *
 * Nothing unsigned goes through jansson: the envelope is one flat object of exactly four
 * members (format, key_id, signature, body; any order, each once), read here byte by
 * byte into fixed buffers, the body's string into one buffer of at most LEN bytes. */

struct envelope {
    long format;
    char key_id[2 * BUNDLE_KEY_ID_SIZE + 1];
    char sig64[128];
    char *body;                /* decoded; NUL-terminated */
    size_t body_len;
};

static const char *skip_ws(const char *p, const char *e)
{
    while (p < e && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        p++;
    return p;
}

static int hex4(const char *p, const char *e, unsigned *ret)
{
    unsigned v = 0;
    if (e - p < 4)
        return -1;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v = v * 16 + (unsigned)(c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99);
        if (v > 0xFFFF)
            return -1;
    }
    *ret = v;
    return 0;
}

/* The JSON string at *PP (its opening quote) decoded into OUT, at most CAP - 1 bytes
 * and a NUL; *PP moves past the closing quote. 0, or -1 when it is malformed, holds a
 * NUL, or does not fit. */
static int env_string(const char **pp, const char *e, char *out, size_t cap, size_t *ret_len)
{
    const char *p = *pp;
    size_t n = 0;
    if (p >= e || *p++ != '"')
        return -1;
    while (p < e && *p != '"') {
        unsigned char c = (unsigned char)*p++;
        char utf[4];
        size_t k = 1;
        unsigned cp;
        if (c < 0x20)
            return -1;
        utf[0] = (char)c;
        if (c == '\\') {
            if (p >= e)
                return -1;
            switch (*p++) {
            case '"': utf[0] = '"'; break;
            case '\\': utf[0] = '\\'; break;
            case '/': utf[0] = '/'; break;
            case 'b': utf[0] = '\b'; break;
            case 'f': utf[0] = '\f'; break;
            case 'n': utf[0] = '\n'; break;
            case 'r': utf[0] = '\r'; break;
            case 't': utf[0] = '\t'; break;
            case 'u':
                if (hex4(p, e, &cp) < 0)
                    return -1;
                p += 4;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    unsigned lo;
                    if (e - p < 6 || p[0] != '\\' || p[1] != 'u' || hex4(p + 2, e, &lo) < 0 || lo < 0xDC00 ||
                        lo > 0xDFFF)
                        return -1;
                    p += 6;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else if ((cp >= 0xDC00 && cp <= 0xDFFF) || cp == 0) {
                    return -1;
                }
                char *q = utf;
                utf8_put(&q, cp);
                k = (size_t)(q - utf);
                break;
            default:
                return -1;
            }
        }
        if (n + k >= cap)
            return -1;
        memcpy(out + n, utf, k);
        n += k;
    }
    if (p >= e)
        return -1;
    out[n] = '\0';
    *pp = p + 1;
    if (ret_len)
        *ret_len = n;
    return 0;
}

/* The envelope in BUF (LEN bytes) into *ENV (env->body allocated here, even on failure). */
static int envelope_read(const char *buf, size_t len, struct envelope *env, struct bundle_error *err)
{
    const char *p = buf, *e = buf + len;
    unsigned seen = 0;
    env->body = xmalloc(len + 1);
    env->body[0] = '\0';
    p = skip_ws(p, e);
    if (p >= e || *p++ != '{')
        return fail(err, -EBADMSG, BUNDLE_BAD_MAGIC, "feed", "not a status feed envelope");
    for (int i = 0; i < 4; i++) {
        char key[16];
        unsigned bit;
        p = skip_ws(p, e);
        if (env_string(&p, e, key, sizeof key, NULL) < 0)
            return fail(err, -EBADMSG, BUNDLE_BAD_HEADER, "feed", "want the members format, key_id, signature, body");
        p = skip_ws(p, e);
        if (p >= e || *p++ != ':')
            return fail(err, -EBADMSG, BUNDLE_BAD_HEADER, "feed", "a member without ':'");
        p = skip_ws(p, e);
        int r;
        if (strcmp(key, "format") == 0) {
            /* a small non-negative integer: at most 9 digits */
            bit = 1;
            size_t k = 0;
            env->format = 0;
            while (p < e && *p >= '0' && *p <= '9' && k++ < 9)
                env->format = env->format * 10 + (*p++ - '0');
            r = k == 0 || (p < e && *p >= '0' && *p <= '9') ? -1 : 0;
        } else if (strcmp(key, "key_id") == 0) {
            bit = 2;
            r = env_string(&p, e, env->key_id, sizeof env->key_id, NULL);
        } else if (strcmp(key, "signature") == 0) {
            bit = 4;
            r = env_string(&p, e, env->sig64, sizeof env->sig64, NULL);
        } else if (strcmp(key, "body") == 0) {
            bit = 8;
            r = env_string(&p, e, env->body, len + 1, &env->body_len);
        } else {
            return fail(err, -EBADMSG, BUNDLE_BAD_HEADER, "feed", "unknown member \"%.15s\"", key);
        }
        if (seen & bit)
            return fail(err, -EBADMSG, BUNDLE_BAD_HEADER, "feed", "member \"%s\" twice", key);
        seen |= bit;
        if (r < 0)
            return fail(err, -EBADMSG, BUNDLE_BAD_HEADER, "feed", "%s: malformed or too long", key);
        p = skip_ws(p, e);
        if (p < e && *p == (i < 3 ? ',' : '}'))
            p++;
        else
            return fail(err, -EBADMSG, BUNDLE_BAD_HEADER, "feed", "want exactly format, key_id, signature, body");
    }
    if (skip_ws(p, e) != e)
        return fail(err, -EBADMSG, BUNDLE_BAD_HEADER, "feed", "bytes after the envelope");
    return 0;
}

int feed_parse(const void *buf, size_t len, const struct bundle_keyring *keys, struct feed *ret,
               struct bundle_error *err)
{
    struct feed f;
    struct envelope env = {0};
    size_t sig_len = 0;
    unsigned char id[BUNDLE_KEY_ID_SIZE], sig[BUNDLE_SIG_SIZE];
    int r;

    memset(&f, 0, sizeof f);
    if (len > FEED_BYTES_MAX) {
        r = fail(err, -EFBIG, BUNDLE_TOO_LARGE, "feed", "%zu bytes, over the cap of %d", len, FEED_BYTES_MAX);
        goto out;
    }
    if ((r = envelope_read(buf, len, &env, err)) < 0)
        goto out;
    if (env.format != FEED_FORMAT_VERSION) {
        r = fail(err, -EPROTO, BUNDLE_BAD_FORMAT, "feed.format", "format %ld, this kiosk reads %d", env.format,
                 FEED_FORMAT_VERSION);
        goto out;
    }
    if (strlen(env.key_id) != 2 * BUNDLE_KEY_ID_SIZE ||
        sodium_hex2bin(id, sizeof id, env.key_id, strlen(env.key_id), NULL, NULL, NULL) != 0) {
        r = fail(err, -EBADMSG, BUNDLE_BAD_HEADER, "feed.key_id", "must be 16 hex digits");
        goto out;
    }
    if (sodium_base642bin(sig, sizeof sig, env.sig64, strlen(env.sig64), NULL, &sig_len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 || sig_len != sizeof sig) {
        r = fail(err, -EBADMSG, BUNDLE_BAD_SIGNATURE, "feed.signature", "must be %d bytes of base64",
                 BUNDLE_SIG_SIZE);
        goto out;
    }
    if ((r = bundle_verify(keys, id, env.body, env.body_len, sig, err)) < 0)
        goto out;
    snprintf(f.key_id, sizeof f.key_id, "%s", keys->keys[r].id_hex);
    if ((r = body_parse(env.body, env.body_len, &f, err)) < 0)
        goto out;
    *ret = f;
    memset(&f, 0, sizeof f);
    r = 0;
out:
    feed_release(&f);
    free(env.body);
    return r;
}

/* S as a JSON string's contents: quote, backslash and control characters escaped. */
static void json_esc(strbuf *sb, const char *s, size_t len)
{
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        strbuf_add(sb, s + run, i - run);
        run = i + 1;
        if (c == '"' || c == '\\') {
            strbuf_addc(sb, '\\');
            strbuf_addc(sb, (char)c);
        } else if (c == '\n')
            strbuf_adds(sb, "\\n");
        else
            strbuf_addf(sb, "\\u%04x", c);
    }
    strbuf_add(sb, s + run, len - run);
}

static int entry_check(const struct feed_entry *e, size_t i, struct bundle_error *err)
{
    char field[48];
    const char *bad = NULL;
    if (!e->receipt || strlen(e->receipt) > OUTBOX_RECEIPT_MAX - 1 || !receipt_ok(e->receipt))
        bad = "receipt";
    else if (!e->status || !nonempty(e->status) || strlen(e->status) > 31)
        bad = "status";
    else if (!e->outcome || !outcome_ok(e->outcome))
        bad = "outcome";
    else if (e->reason && strlen(e->reason) > 255)
        bad = "reason";
    else if (!e->updated_at || strlen(e->updated_at) > 20 || !time_ok(e->updated_at))
        bad = "updated_at";
    else if (e->due_date && (strlen(e->due_date) > 10 || !date_ok(e->due_date)))
        bad = "due_date";
    if (!bad)
        return 0;
    snprintf(field, sizeof field, "entries[%zu].%s", i, bad);
    return fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, field, "missing or malformed");
}

int feed_sign_entries(const struct bundle_seckey *key, const char *scope, int expires_days, int64_t now,
                      const struct feed_entry *entries, size_t n, char **ret_text, struct bundle_error *err)
{
    char created[32], expires[32], sig64[sodium_base64_ENCODED_LEN(BUNDLE_SIG_SIZE, sodium_base64_VARIANT_ORIGINAL)];
    unsigned char sig[BUNDLE_SIG_SIZE];
    strbuf body = {0}, env = {0};
    int r;

    if (!scope || !*scope || strlen(scope) > BUNDLE_SCOPE_MAX || expires_days < 1 || expires_days > 3650)
        return fail(err, -EINVAL, BUNDLE_BAD_MANIFEST, "scope", "scope 1-%d bytes, expiry 1-3650 days",
                    BUNDLE_SCOPE_MAX);
    if (n > FEED_ENTRIES_MAX)
        return fail(err, -EFBIG, BUNDLE_TOO_LARGE, "entries", "%zu entries, over the cap of %d", n,
                    FEED_ENTRIES_MAX);
    for (size_t i = 0; i < n; i++)
        if ((r = entry_check(&entries[i], i, err)) < 0)
            return r;
    bundle_time_format(now, created);
    bundle_time_format(now + (int64_t)expires_days * 86400, expires);
    /* the body: the members in this order, compact, as feed_parse reads them */
    strbuf_adds(&body, "{\"format\":1,\"kind\":\"status-feed\",\"scope\":\"");
    json_esc(&body, scope, strlen(scope));
    strbuf_addf(&body, "\",\"created_at\":\"%s\",\"expires_at\":\"%s\",\"entries\":[", created, expires);
    for (size_t i = 0; i < n; i++) {
        const struct feed_entry *e = &entries[i];
        strbuf_addf(&body, "%s{\"receipt\":\"%s\",\"status\":\"", i ? "," : "", e->receipt);
        json_esc(&body, e->status, strlen(e->status));
        strbuf_addf(&body, "\",\"outcome\":\"%s\",\"reason\":\"", e->outcome);
        json_esc(&body, e->reason ? e->reason : "", e->reason ? strlen(e->reason) : 0);
        strbuf_addf(&body, "\",\"updated_at\":\"%s\"", e->updated_at);
        if (e->due_date && *e->due_date)
            strbuf_addf(&body, ",\"due_date\":\"%s\"", e->due_date);
        strbuf_addc(&body, '}');
    }
    strbuf_adds(&body, "]}");
    bundle_sign(key, body.buf, body.len, sig);
    sodium_bin2base64(sig64, sizeof sig64, sig, sizeof sig, sodium_base64_VARIANT_ORIGINAL);
    strbuf_addf(&env, "{\"format\":%d,\"key_id\":\"%s\",\"signature\":\"%s\",\"body\":\"", FEED_FORMAT_VERSION,
                key->pub.id_hex, sig64);
    json_esc(&env, body.buf, body.len);
    strbuf_adds(&env, "\"}\n");
    strbuf_release(&body);
    *ret_text = strbuf_detach(&env);
    return 0;
}

int feed_sign(const struct bundle_seckey *key, const char *scope, int expires_days, int64_t now,
              const char *entries_json, size_t len, char **ret_text, struct bundle_error *err)
{
    json_error_t je;
    json_t *entries = json_loadb(entries_json, len, JSON_REJECT_DUPLICATES, &je);
    struct feed check = {0};
    int r;

    if (!entries)
        return fail(err, -EBADMSG, BUNDLE_BAD_MANIFEST, "entries", "not JSON: %s (line %d)", je.text, je.line);
    if (json_is_object(entries) && json_object_get(entries, "entries")) {
        json_t *inner = json_incref(json_object_get(entries, "entries"));
        json_decref(entries);
        entries = inner;
    }
    r = entries_parse(entries, &check, err);
    json_decref(entries);
    if (r == 0)
        r = feed_sign_entries(key, scope, expires_days, now, check.entries, check.n, ret_text, err);
    feed_release(&check);
    return r;
}
