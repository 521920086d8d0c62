/* office_fleet.c - kiosk-office's `fleet` (office_fleet.h): one row per heartbeat in
 * WEB_ROOT/status, the published content version of each scope, the flags, and the
 * table, JSON and Prometheus outputs. Formats: sync/README.md "kiosk-office fleet".
 *
 * Load: readdir over status/, then per file openat + fstat + one read into a buffer
 * reused for every file + one scan (hb_parse: jansson sees only the values fleet
 * reads); rows are fixed-size structs in one array (the few kept error lines are the
 * only other allocations). */
#include "office_fleet.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "base/fileio.h"
#include "base/util.h"
#include "bundle.h"

struct scope_version {
    char scope[BUNDLE_SCOPE_MAX + 1];
    int64_t version;                   /* -1: none or unreadable */
};

struct office_fleet {
    struct office_fleet_row *rows;
    size_t n, cap;
    time_t now;
    int truncated;
    char **notes;
    size_t n_notes;
    struct scope_version *scopes;
    size_t n_scopes;
};

static const char *const flag_names[OFFICE_FLEET_FLAG_COUNT] = {"stale", "behind", "low-disk", "failing-sync",
                                                                  "invalid"};

const char *office_fleet_flag_name(unsigned flag)
{
    for (int i = 0; i < OFFICE_FLEET_FLAG_COUNT; i++)
        if (flag == 1u << i)
            return flag_names[i];
    return NULL;
}

const char *office_fleet_source_name(enum office_fleet_source s)
{
    return s == OFFICE_FLEET_SOURCE_SENT_AT ? "sent_at" : s == OFFICE_FLEET_SOURCE_MTIME ? "mtime" : NULL;
}

/* ---- small helpers ---------------------------------------------------------------- */

static void msg(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void msg(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* Copies at most DSTSIZE-1 bytes of SRC (LEN bytes) into DST: control characters (and,
 * with ASCII_ONLY, every byte outside printable ASCII) become '?'; a cut never splits a
 * UTF-8 sequence. */
static void copy_clean(char *dst, size_t dstsize, const char *src, size_t len, int ascii_only)
{
    size_t n = MIN(len, dstsize - 1);
    if (!ascii_only && n < len) /* src[n] is the first byte left out: never half a character */
        while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
            n--;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)src[i];
        dst[i] = (c < 0x20 || c == 0x7f || (ascii_only && c >= 0x80)) ? '?' : (char)c;
    }
    dst[n] = '\0';
}

/* 1-MAX of A-Z a-z 0-9 . _ -, not starting with '.': kiosk ids and scopes (agent.c). */
static int id_ok(const char *s, size_t len, size_t max)
{
    if (len == 0 || len > max || s[0] == '.')
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '_' || c == '.'))
            return 0;
    }
    return 1;
}

static void add_note(struct office_fleet *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_note(struct office_fleet *f, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    f->notes = xrealloc(f->notes, (f->n_notes + 1) * sizeof *f->notes);
    f->notes[f->n_notes++] = xstrdup(line);
}

/* A row's problems: the first is kept in words, the others counted. */
struct problems {
    int n;
};

static void problem(struct office_fleet_row *row, struct problems *p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void problem(struct office_fleet_row *row, struct problems *p, const char *fmt, ...)
{
    if (p->n++ == 0) {
        char line[sizeof row->problem];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(line, sizeof line, fmt, ap);
        va_end(ap);
        copy_clean(row->problem, sizeof row->problem, line, strlen(line), 0);
    }
}

static void problems_done(struct office_fleet_row *row, const struct problems *p)
{
    if (p->n > 1) {
        char more[32];
        int k = snprintf(more, sizeof more, " (and %d more)", p->n - 1);
        size_t len = strlen(row->problem);
        if (len + (size_t)k >= sizeof row->problem)
            len = sizeof row->problem - 1 - (size_t)k;
        memcpy(row->problem + len, more, (size_t)k + 1);
    }
    if (p->n > 0)
        row->flags |= OFFICE_FLEET_INVALID;
}

static void note(struct office_fleet_row *row, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct office_fleet_row *row, const char *fmt, ...)
{
    char line[sizeof row->note];
    size_t len = strlen(row->note);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (len && len + 2 < sizeof row->note)
        memcpy(row->note + len, "; ", 3), len += 2;
    if (len + 1 < sizeof row->note)
        copy_clean(row->note + len, sizeof row->note - len, line, strlen(line), 0);
}

static void hours(int64_t s, char out[32])
{
    if (s >= 86400)
        snprintf(out, 32, "%" PRId64 "d %" PRId64 "h", s / 86400, s % 86400 / 3600);
    else if (s >= 3600)
        snprintf(out, 32, "%" PRId64 "h %" PRId64 "m", s / 3600, s % 3600 / 60);
    else
        snprintf(out, 32, "%" PRId64 "m", s / 60);
}

/* ---- the published manifests ------------------------------------------------------- */

/* Reads the bundle head at PATH (the `manifest` file): layout and lengths checked, not
 * the signature (office_fleet.h). -ENOENT when it does not exist. */
static int manifest_read(const char *path, int64_t *ret_version, char ret_scope[BUNDLE_SCOPE_MAX + 1], char *err,
                         size_t errlen)
{
    char *buf = NULL;
    struct bundle_error be = {0};
    json_t *m = NULL;
    size_t hl, got = 0;
    int r = fio_read_capped(path, BUNDLE_HEAD_MAX, 0, &buf, &got);

    if (r == -EINVAL) {
        msg(err, errlen, "%s: manifest: not a regular file", path);
        return r;
    }
    if (r == -EFBIG) {
        msg(err, errlen, "%s: manifest: over the %d bytes of a bundle head", path, BUNDLE_HEAD_MAX);
        return r;
    }
    if (r < 0) {
        msg(err, errlen, "%s: manifest: %s", path, strerror(-r));
        return r;
    }
    if ((r = bundle_head_len(buf, got, &hl, &be)) < 0) {
        msg(err, errlen, "%s: %s: %s", path, be.field, be.cause);
        goto out;
    }
    if (got != hl) {
        r = -EBADMSG;
        msg(err, errlen, "%s: manifest: %zu bytes, a bundle head of %zu bytes expected", path, got, hl);
        goto out;
    }
    json_error_t je;
    m = json_loadb((const char *)buf + BUNDLE_HEADER_SIZE, hl - BUNDLE_HEADER_SIZE - BUNDLE_SIG_SIZE,
                   JSON_REJECT_DUPLICATES, &je);
    json_t *v = json_object_get(m, "content_version"), *s = json_object_get(m, "scope");
    if (!json_is_object(m)) {
        r = -EBADMSG;
        msg(err, errlen, "%s: manifest: not a JSON object", path);
    } else if (!json_is_integer(v) || json_integer_value(v) < 1) {
        r = -EBADMSG;
        msg(err, errlen, "%s: manifest.content_version: missing or not an integer >= 1", path);
    } else if (!json_is_string(s) || !id_ok(json_string_value(s), json_string_length(s), BUNDLE_SCOPE_MAX)) {
        r = -EBADMSG;
        msg(err, errlen, "%s: manifest.scope: missing or not 1-64 of A-Z a-z 0-9 . _ -", path);
    } else {
        *ret_version = json_integer_value(v);
        memcpy(ret_scope, json_string_value(s), json_string_length(s) + 1);
        r = 0;
    }
out:
    json_decref(m);
    free(buf);
    return r;
}

static struct scope_version *scope_find(struct office_fleet *f, const char *scope)
{
    for (size_t i = 0; i < f->n_scopes; i++)
        if (!strcmp(f->scopes[i].scope, scope))
            return &f->scopes[i];
    return NULL;
}

static struct scope_version *scope_add(struct office_fleet *f, const char *scope, int64_t version)
{
    f->scopes = xrealloc(f->scopes, (f->n_scopes + 1) * sizeof *f->scopes);
    struct scope_version *s = &f->scopes[f->n_scopes++];
    snprintf(s->scope, sizeof s->scope, "%s", scope);
    s->version = version;
    return s;
}

/* The published version for SCOPE: looked up once per scope, under the web root. */
static int64_t scope_version(struct office_fleet *f, const char *web_root, const char *scope)
{
    struct scope_version *s = scope_find(f, scope);
    if (s)
        return s->version;
    if (f->n_scopes >= OFFICE_FLEET_SCOPES_MAX) {
        if (f->n_scopes == OFFICE_FLEET_SCOPES_MAX)
            add_note(f, "%s/bundles: more than %d scopes; the manifests of the rest are not read", web_root,
                     OFFICE_FLEET_SCOPES_MAX);
        return scope_add(f, scope, -1)->version;
    }
    char *path = xasprintf("%s/bundles/%s/manifest", web_root, scope), err[512], got_scope[BUNDLE_SCOPE_MAX + 1];
    int64_t v = -1;
    int r = manifest_read(path, &v, got_scope, err, sizeof err);
    if (r == -ENOENT)
        add_note(f, "%s: manifest: none published for scope %s; its kiosks are not checked for behind", path,
                 scope);
    else if (r < 0)
        add_note(f, "%s", err);
    else if (strcmp(got_scope, scope) != 0) {
        add_note(f, "%s: manifest.scope: %s, in the folder of scope %s; not used", path, got_scope, scope);
        v = -1;
    }
    free(path);
    return scope_add(f, scope, r < 0 ? -1 : v)->version;
}

/* ---- one heartbeat ----------------------------------------------------------------- */

static int64_t int_field(json_t *obj, const char *key, int *present)
{
    json_t *v = json_object_get(obj, key);
    *present = v != NULL;
    return json_is_integer(v) && json_integer_value(v) >= 0 ? (int64_t)json_integer_value(v) : -1;
}

static int64_t time_field(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    int64_t t;
    return json_is_string(v) && bundle_time_parse(json_string_value(v), &t) == 0 ? t : -1;
}

/* Fills ROW from the parsed heartbeat HB; STEM is the file name without ".json". */
static void row_from_json(struct office_fleet_row *row, struct problems *p, json_t *hb, const char *stem)
{
    json_t *v;
    int present;

    v = json_object_get(hb, "kiosk_id");
    if (!json_is_string(v))
        problem(row, p, "kiosk_id: %s", v ? "not a string" : "missing");
    else if (strcmp(json_string_value(v), stem) != 0) {
        char id[65];
        copy_clean(id, sizeof id, json_string_value(v), json_string_length(v), 0);
        problem(row, p, "kiosk_id: \"%s\", in the file of %s", id, stem);
    }

    v = json_object_get(hb, "scope");
    if (json_is_string(v) && id_ok(json_string_value(v), json_string_length(v), BUNDLE_SCOPE_MAX))
        memcpy(row->scope, json_string_value(v), json_string_length(v) + 1);
    else
        problem(row, p, "scope: %s", v ? "not 1-64 of A-Z a-z 0-9 . _ -" : "missing");

    row->sent_at = time_field(hb, "sent_at");
    if (row->sent_at < 0 && json_object_get(hb, "sent_at"))
        note(row, "sent_at is not YYYY-MM-DDTHH:MM:SSZ; mtime used");

    v = json_object_get(hb, "firmware_version");
    if (json_is_string(v) && json_string_length(v) >= 1 && json_string_length(v) < sizeof row->firmware)
        copy_clean(row->firmware, sizeof row->firmware, json_string_value(v), json_string_length(v), 0);
    else
        problem(row, p, "firmware_version: %s",
                !v ? "missing" : json_is_string(v) ? "empty or longer than 32 bytes" : "not a string");

    row->content_version = int_field(hb, "content_version", &present);
    if (row->content_version < 0)
        problem(row, p, "content_version: %s", present ? "not an integer >= 0" : "missing");

    row->disk_free_bytes = int_field(hb, "disk_free_bytes", &present);
    if (row->disk_free_bytes < 0)
        problem(row, p, "disk_free_bytes: %s", present ? "not an integer >= 0"
                                                       : "missing (the kiosk could not read its disk)");

    json_t *ob = json_object_get(hb, "outbox");
    row->outbox_pending = int_field(ob, "pending", &present);
    row->outbox_uploaded = int_field(ob, "uploaded", &present);
    row->outbox_exported = int_field(ob, "exported", &present);
    if (row->outbox_pending < 0)
        problem(row, p, "outbox.pending: %s", ob ? "missing or not an integer >= 0"
                                                 : "missing (the kiosk could not read state.db)");

    v = json_object_get(hb, "errors");
    if (v && !json_is_array(v))
        problem(row, p, "errors: not an array");
    else if (v) {
        row->error_count = json_array_size(v);
        for (size_t i = 0; i < row->error_count && row->errors_kept < OFFICE_FLEET_ERRORS_KEPT; i++) {
            json_t *e = json_array_get(v, i);
            char line[OFFICE_FLEET_ERROR_LINE_MAX + 1];
            if (json_is_string(e))
                copy_clean(line, sizeof line, json_string_value(e), json_string_length(e), 0);
            else
                snprintf(line, sizeof line, "(not a string)");
            row->errors[row->errors_kept++] = xstrdup(line);
        }
    }

    json_t *prev = json_object_get(hb, "previous_sync");
    if (prev && !json_is_object(prev) && !json_is_null(prev))
        problem(row, p, "previous_sync: not an object");
    v = json_object_get(prev, "result");
    if (json_is_string(v))
        copy_clean(row->last_sync_result, sizeof row->last_sync_result, json_string_value(v), json_string_length(v),
                   1);
    else if (json_is_object(prev))
        snprintf(row->last_sync_result, sizeof row->last_sync_result, "?");
    v = json_object_get(prev, "exit");
    row->last_sync_exit = json_is_integer(v) ? (int64_t)json_integer_value(v) : -1;
    row->last_sync_finished_at = time_field(prev, "finished_at");

    row->upload_failed = int_field(json_object_get(hb, "this_sync"), "upload_failed", &present);
}

/* ---- the heartbeat's JSON: only the parts fleet reads ------------------------------
 * A heartbeat is mostly usage counters and failed searches, which fleet does not read.
 * Parsing them all with jansson cost ~0.3 ms per 7 KB heartbeat (3 s for 10,000), so
 * the top-level object is walked by a small validating scanner (RFC 8259 syntax,
 * nesting capped at HB_DEPTH_MAX), and only the values of hb_keys go to jansson. What
 * is skipped is checked for syntax, not for UTF-8: nothing of it is kept. */

#define HB_DEPTH_MAX 32

static const char *const hb_keys[] = {"kiosk_id", "scope", "sent_at", "firmware_version", "content_version",
                                      "disk_free_bytes", "outbox", "errors", "previous_sync", "this_sync"};

struct scan {
    const char *p, *end;
    const char *why; /* set by the first failure */
};

static int scan_fail(struct scan *s, const char *why)
{
    s->why = why;
    return -1;
}

static void scan_ws(struct scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        s->p++;
}

static int scan_is(const struct scan *s, char c) { return s->p < s->end && *s->p == c; }

static int is_digit(const struct scan *s) { return s->p < s->end && *s->p >= '0' && *s->p <= '9'; }

static int hexval(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/* At the opening quote; leaves s->p after the closing one. The plain run is the hot
 * loop of a fleet load: usage counters are mostly strings. */
static int scan_string(struct scan *s)
{
    for (s->p++; s->p < s->end;) {
        while (s->p < s->end && (unsigned char)*s->p >= 0x20 && *s->p != '"' && *s->p != '\\')
            s->p++;
        if (s->p >= s->end)
            break;
        unsigned char c = (unsigned char)*s->p++;
        if (c == '"')
            return 0;
        if (c < 0x20)
            return scan_fail(s, "a control character in a string");
        if (c != '\\')
            continue;
        if (s->p >= s->end)
            break;
        c = (unsigned char)*s->p++;
        if (c == 'u') {
            for (int i = 0; i < 4; i++, s->p++)
                if (s->p >= s->end || !hexval(*s->p))
                    return scan_fail(s, "a bad \\u escape");
        } else if (!c || !strchr("\"\\/bfnrt", c))
            return scan_fail(s, "a bad escape");
    }
    return scan_fail(s, "a string that does not end");
}

static int scan_number(struct scan *s)
{
    if (scan_is(s, '-'))
        s->p++;
    if (scan_is(s, '0'))
        s->p++;
    else if (is_digit(s))
        while (is_digit(s))
            s->p++;
    else
        return scan_fail(s, "a value expected");
    if (scan_is(s, '.')) {
        s->p++;
        if (!is_digit(s))
            return scan_fail(s, "a digit expected");
        while (is_digit(s))
            s->p++;
    }
    if (scan_is(s, 'e') || scan_is(s, 'E')) {
        s->p++;
        if (scan_is(s, '+') || scan_is(s, '-'))
            s->p++;
        if (!is_digit(s))
            return scan_fail(s, "a digit expected");
        while (is_digit(s))
            s->p++;
    }
    return 0;
}

static int scan_literal(struct scan *s, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
        return scan_fail(s, "a value expected");
    s->p += n;
    return 0;
}

static int scan_value(struct scan *s, int depth)
{
    scan_ws(s);
    if (s->p >= s->end)
        return scan_fail(s, "a value expected");
    switch (*s->p) {
    case '"':
        return scan_string(s);
    case 't':
        return scan_literal(s, "true");
    case 'f':
        return scan_literal(s, "false");
    case 'n':
        return scan_literal(s, "null");
    case '{':
    case '[':
        break;
    default:
        return scan_number(s);
    }
    char close = *s->p == '{' ? '}' : ']';
    if (depth >= HB_DEPTH_MAX)
        return scan_fail(s, "nested too deep");
    s->p++;
    scan_ws(s);
    if (scan_is(s, close)) {
        s->p++;
        return 0;
    }
    for (;;) {
        if (close == '}') {
            scan_ws(s);
            if (!scan_is(s, '"'))
                return scan_fail(s, "a key expected");
            if (scan_string(s) < 0)
                return -1;
            scan_ws(s);
            if (!scan_is(s, ':'))
                return scan_fail(s, "':' expected");
            s->p++;
        }
        if (scan_value(s, depth + 1) < 0)
            return -1;
        scan_ws(s);
        if (scan_is(s, ',')) {
            s->p++;
            continue;
        }
        if (scan_is(s, close)) {
            s->p++;
            return 0;
        }
        return scan_fail(s, close == '}' ? "',' or '}' expected" : "',' or ']' expected");
    }
}

/* The heartbeat in BUF (LEN bytes) as a JSON object holding only the hb_keys it has,
 * or NULL with a problem recorded. */
static json_t *hb_parse(const char *buf, size_t len, struct office_fleet_row *row, struct problems *p)
{
    struct scan s = {buf, buf + len, NULL};
    const char *val[ARRAY_SIZE(hb_keys)] = {0};
    size_t val_len[ARRAY_SIZE(hb_keys)] = {0};

    scan_ws(&s);
    if (!scan_is(&s, '{')) {
        if (scan_value(&s, 0) == 0 && (scan_ws(&s), s.p == s.end))
            problem(row, p, "file: not a JSON object");
        else
            problem(row, p, "file: not JSON: byte %td: %s", s.p - buf, s.why ? s.why : "bytes after the value");
        return NULL;
    }
    s.p++;
    scan_ws(&s);
    if (scan_is(&s, '}'))
        s.p++;
    else
        for (;;) {
            scan_ws(&s);
            if (!scan_is(&s, '"')) {
                scan_fail(&s, "a key expected");
                break;
            }
            const char *key = s.p + 1;
            if (scan_string(&s) < 0)
                break;
            size_t key_len = (size_t)(s.p - 1 - key);
            scan_ws(&s);
            if (!scan_is(&s, ':')) {
                scan_fail(&s, "':' expected");
                break;
            }
            s.p++;
            scan_ws(&s);
            const char *v = s.p;
            if (scan_value(&s, 1) < 0)
                break;
            for (size_t k = 0; k < ARRAY_SIZE(hb_keys); k++)
                if (strlen(hb_keys[k]) == key_len && !memcmp(hb_keys[k], key, key_len)) {
                    if (val[k])
                        problem(row, p, "%s: given twice", hb_keys[k]);
                    else
                        val[k] = v, val_len[k] = (size_t)(s.p - v);
                }
            scan_ws(&s);
            if (scan_is(&s, ',')) {
                s.p++;
                continue;
            }
            if (scan_is(&s, '}')) {
                s.p++;
                break;
            }
            scan_fail(&s, "',' or '}' expected");
            break;
        }
    if (!s.why) {
        scan_ws(&s);
        if (s.p != s.end)
            scan_fail(&s, "bytes after the object");
    }
    if (s.why) {
        problem(row, p, "file: not JSON: byte %td: %s", s.p - buf, s.why);
        return NULL;
    }
    json_t *hb = json_object();
    for (size_t k = 0; k < ARRAY_SIZE(hb_keys); k++) {
        json_error_t je;
        json_t *v = val[k] ? json_loadb(val[k], val_len[k], JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je) : NULL;
        if (v)
            json_object_set_new(hb, hb_keys[k], v);
        else if (val[k]) /* valid syntax, yet jansson refuses: bad UTF-8, an integer out of range */
            problem(row, p, "%s: %s", hb_keys[k], je.text);
    }
    return hb;
}

/* Decides last_seen and its source from sent_at and the file's mtime; PARSED: the
 * heartbeat was a JSON object (else there is no sent_at to speak of). */
static void row_last_seen(struct office_fleet_row *row, int parsed, int had_sent_at)
{
    char a[32], b[32];
    if (row->sent_at >= 0 && (row->mtime < 0 || row->sent_at <= row->mtime + OFFICE_FLEET_CLOCK_AHEAD_SECONDS)) {
        row->last_seen = row->sent_at;
        row->last_seen_source = OFFICE_FLEET_SOURCE_SENT_AT;
        if (row->mtime >= 0 && row->mtime - row->sent_at > OFFICE_FLEET_CLOCK_AHEAD_SECONDS) {
            hours(row->mtime - row->sent_at, a);
            note(row, "sent_at is %s before the file was written: a slow upload, or the kiosk's clock is behind", a);
        }
    } else if (row->mtime >= 0) {
        row->last_seen = row->mtime;
        row->last_seen_source = OFFICE_FLEET_SOURCE_MTIME;
        if (row->sent_at >= 0) {
            bundle_time_format(row->sent_at, a);
            hours(row->sent_at - row->mtime, b);
            note(row, "sent_at %s is %s after the file was written: the kiosk's clock runs ahead; mtime used", a, b);
        } else if (parsed && !had_sent_at)
            note(row, "no sent_at; mtime used");
    }
}

static void row_flags(struct office_fleet *f, struct office_fleet_row *row)
{
    if (row->last_seen >= 0) {
        row->age_seconds = (int64_t)f->now - row->last_seen;
        if (row->age_seconds > OFFICE_FLEET_STALE_SECONDS)
            row->flags |= OFFICE_FLEET_STALE;
    }
    if (row->content_version >= 0 && row->published_version >= 0) {
        if (row->content_version < row->published_version)
            row->flags |= OFFICE_FLEET_BEHIND;
        else if (row->content_version > row->published_version)
            note(row, "content version %" PRId64 " is newer than the published %" PRId64, row->content_version,
                 row->published_version);
    }
    if (row->disk_free_bytes >= 0 && row->disk_free_bytes < OFFICE_FLEET_LOW_DISK_BYTES)
        row->flags |= OFFICE_FLEET_LOW_DISK;
    if (row->error_count > 0 || row->upload_failed > 0 ||
        (row->last_sync_result[0] && strcmp(row->last_sync_result, "ok") != 0))
        row->flags |= OFFICE_FLEET_FAILING_SYNC;
}

/* Reads status/NAME (DIRFD) into ROW; BUF holds OFFICE_FLEET_HEARTBEAT_MAX + 1 bytes. */
static void row_read(struct office_fleet_row *row, int dirfd, const char *name, char *buf)
{
    struct problems p = {0};
    size_t len = strlen(name), stem_len = len - 5, got = 0;
    char stem[256];
    struct stat st;
    json_t *hb = NULL;

    row->last_seen = row->sent_at = row->mtime = -1;
    row->content_version = row->published_version = -1;
    row->outbox_pending = row->outbox_uploaded = row->outbox_exported = -1;
    row->disk_free_bytes = row->last_sync_exit = row->last_sync_finished_at = row->upload_failed = -1;
    memcpy(row->file, "status/", 7);
    copy_clean(row->file + 7, sizeof row->file - 7, name, len, 1);
    copy_clean(row->kiosk_id, sizeof row->kiosk_id, name, stem_len, 1);
    memcpy(stem, name, stem_len);
    stem[stem_len] = '\0';
    row->id_valid = id_ok(name, stem_len, 64);

    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
            row->mtime = (int64_t)st.st_mtime;
        problem(row, &p, "file: %s", e == ELOOP ? "a symbolic link, not read" : strerror(e));
        goto out;
    }
    if (fstat(fd, &st) < 0) {
        problem(row, &p, "file: %s", strerror(errno));
        goto out;
    }
    row->mtime = (int64_t)st.st_mtime;
    if (!S_ISREG(st.st_mode)) {
        problem(row, &p, "file: not a regular file, not read");
        goto out;
    }
    if (!row->id_valid) {
        problem(row, &p, "file name: not a kiosk id (1-64 of A-Z a-z 0-9 . _ -), not read");
        goto out;
    }
    if (st.st_size > OFFICE_FLEET_HEARTBEAT_MAX) {
        problem(row, &p, "file: %lld bytes, over the cap of %d; not read", (long long)st.st_size,
                OFFICE_FLEET_HEARTBEAT_MAX);
        goto out;
    }
    for (ssize_t k; got <= OFFICE_FLEET_HEARTBEAT_MAX && (k = read(fd, buf + got, OFFICE_FLEET_HEARTBEAT_MAX + 1 - got));) {
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            problem(row, &p, "file: %s", strerror(errno));
            goto out;
        }
        got += (size_t)k;
    }
    if (got > OFFICE_FLEET_HEARTBEAT_MAX) { /* it grew while read */
        problem(row, &p, "file: over the cap of %d bytes; not read", OFFICE_FLEET_HEARTBEAT_MAX);
        goto out;
    }
    if ((hb = hb_parse(buf, got, row, &p)))
        row_from_json(row, &p, hb, stem);
out:
    row_last_seen(row, json_is_object(hb), json_object_get(hb, "sent_at") != NULL);
    problems_done(row, &p);
    json_decref(hb);
    if (fd >= 0)
        close(fd);
}

/* ---- the fleet ------------------------------------------------------------------- */

static int row_cmp(const void *a, const void *b)
{
    const struct office_fleet_row *x = a, *y = b;
    int c = strcmp(x->kiosk_id, y->kiosk_id);
    return c ? c : strcmp(x->file, y->file);
}

void office_fleet_free(struct office_fleet *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++)
        for (size_t k = 0; k < f->rows[i].errors_kept; k++)
            free(f->rows[i].errors[k]);
    for (size_t i = 0; i < f->n_notes; i++)
        free(f->notes[i]);
    free(f->notes);
    free(f->rows);
    free(f->scopes);
    free(f);
}

int office_fleet_load_msg(const char *web_root, const char *published_manifest_path, time_t now,
                          struct office_fleet **ret, char *err, size_t errlen)
{
    struct office_fleet *f = xcalloc(1, sizeof *f);
    DIR *dir = NULL;
    char *buf = NULL;
    int r, rootfd = -1, dirfd = -1;
    size_t dirents = 0, ignored = 0;

    f->now = now;
    if (published_manifest_path) {
        int64_t v;
        char scope[BUNDLE_SCOPE_MAX + 1];
        if ((r = manifest_read(published_manifest_path, &v, scope, err, errlen)) < 0)
            goto fail;
        scope_add(f, scope, v);
    }
    rootfd = open(web_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0) {
        r = -errno;
        msg(err, errlen, "%s: web_root: %s", web_root, strerror(errno));
        goto fail;
    }
    dirfd = openat(rootfd, "status", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0 && errno == ENOENT)
        goto done;
    if (dirfd < 0 || !(dir = fdopendir(dirfd))) {
        r = -errno;
        msg(err, errlen, "%s/status: status: %s", web_root, strerror(errno));
        goto fail;
    }
    buf = xmalloc(OFFICE_FLEET_HEARTBEAT_MAX + 1);
    for (struct dirent *de; (de = readdir(dir));) {
        if (++dirents > OFFICE_FLEET_DIRENTS_MAX) {
            f->truncated = 1;
            add_note(f, "%s/status: more than %d entries; the rest are not read", web_root, OFFICE_FLEET_DIRENTS_MAX);
            break;
        }
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.')
            continue; /* ., .., and temp files of whatever writes here */
        if (len <= 5 || strcmp(de->d_name + len - 5, ".json") != 0) {
            ignored++;
            continue;
        }
        if (f->n >= OFFICE_FLEET_KIOSKS_MAX) {
            f->truncated = 1;
            add_note(f, "%s/status: more than %d heartbeats; the rest are not read", web_root,
                     OFFICE_FLEET_KIOSKS_MAX);
            break;
        }
        if (f->n == f->cap) {
            f->cap = f->cap ? 2 * f->cap : 256;
            f->rows = xrealloc(f->rows, f->cap * sizeof *f->rows);
        }
        struct office_fleet_row *row = &f->rows[f->n++];
        memset(row, 0, sizeof *row);
        row_read(row, dirfd, de->d_name, buf);
    }
    if (ignored)
        add_note(f, "%s/status: %zu file(s) not named *.json were ignored", web_root, ignored);
    if (f->n)
        qsort(f->rows, f->n, sizeof *f->rows, row_cmp);
    for (size_t i = 0; i < f->n; i++) {
        struct office_fleet_row *row = &f->rows[i];
        if (row->scope[0])
            row->published_version = scope_version(f, web_root, row->scope);
        row_flags(f, row);
    }
done:
    if (dir)
        closedir(dir); /* closes dirfd */
    else if (dirfd >= 0)
        close(dirfd);
    close(rootfd);
    free(buf);
    *ret = f;
    return 0;
fail:
    if (dir)
        closedir(dir);
    else if (dirfd >= 0)
        close(dirfd);
    if (rootfd >= 0)
        close(rootfd);
    free(buf);
    office_fleet_free(f);
    return r;
}

int office_fleet_load(const char *web_root, const char *published_manifest_path, time_t now,
                      struct office_fleet **ret)
{
    return office_fleet_load_msg(web_root, published_manifest_path, now, ret, NULL, 0);
}

size_t office_fleet_count(const struct office_fleet *f) { return f->n; }

const struct office_fleet_row *office_fleet_row(const struct office_fleet *f, size_t i)
{
    return i < f->n ? &f->rows[i] : NULL;
}

size_t office_fleet_attention(const struct office_fleet *f)
{
    size_t n = 0;
    for (size_t i = 0; i < f->n; i++)
        n += f->rows[i].flags != 0;
    return n;
}

size_t office_fleet_flag_count(const struct office_fleet *f, unsigned flag)
{
    size_t n = 0;
    for (size_t i = 0; i < f->n; i++)
        n += (f->rows[i].flags & flag) != 0;
    return n;
}

time_t office_fleet_now(const struct office_fleet *f) { return f->now; }
int office_fleet_truncated(const struct office_fleet *f) { return f->truncated; }
size_t office_fleet_note_count(const struct office_fleet *f) { return f->n_notes; }
const char *office_fleet_note(const struct office_fleet *f, size_t i) { return i < f->n_notes ? f->notes[i] : NULL; }

int64_t office_fleet_published(const struct office_fleet *f, const char *scope)
{
    for (size_t i = 0; i < f->n_scopes; i++)
        if (!strcmp(f->scopes[i].scope, scope))
            return f->scopes[i].version;
    return -1;
}

/* ---- the table ------------------------------------------------------------------- */

enum { COL_KIOSK, COL_SCOPE, COL_SEEN, COL_AGE, COL_BY, COL_FW, COL_CONTENT, COL_OUTBOX, COL_DISK, COL_SYNC,
       COL_ERRORS, COL_FLAGS, NCOL };
static const char *const col_names[NCOL] = {"KIOSK", "SCOPE", "LAST SEEN", "AGE", "BY", "FIRMWARE",
                                            "CONTENT", "OUTBOX", "DISK FREE", "LAST SYNC", "ERRORS", "FLAGS"};

static void flags_text(unsigned flags, char *out, size_t outlen)
{
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; i < OFFICE_FLEET_FLAG_COUNT; i++)
        if (flags & (1u << i))
            n += (size_t)snprintf(out + n, outlen - MIN(n, outlen), "%s%s", n ? "," : "", flag_names[i]);
    if (!flags)
        snprintf(out, outlen, "ok");
}

static void bytes_text(int64_t b, char out[32])
{
    if (b < 0)
        snprintf(out, 32, "-");
    else if (b >= 1024ll * 1024 * 1024)
        snprintf(out, 32, "%.1f GiB", (double)b / (1024.0 * 1024 * 1024));
    else
        snprintf(out, 32, "%.0f MiB", (double)b / (1024.0 * 1024));
}

static void cells(const struct office_fleet_row *row, char c[NCOL][96])
{
    char t[32];
    snprintf(c[COL_KIOSK], 96, "%s", row->kiosk_id);
    snprintf(c[COL_SCOPE], 96, "%s", row->scope[0] ? row->scope : "-");
    if (row->last_seen >= 0) {
        bundle_time_format(row->last_seen, t);
        snprintf(c[COL_SEEN], 96, "%s", t);
        if (row->age_seconds >= 0)
            hours(row->age_seconds, t), snprintf(c[COL_AGE], 96, "%s", t);
        else
            hours(-row->age_seconds, t), snprintf(c[COL_AGE], 96, "in %s", t);
    } else {
        snprintf(c[COL_SEEN], 96, "-");
        snprintf(c[COL_AGE], 96, "-");
    }
    snprintf(c[COL_BY], 96, "%s", row->last_seen_source ? office_fleet_source_name(row->last_seen_source) : "-");
    snprintf(c[COL_FW], 96, "%s", row->firmware[0] ? row->firmware : "-");
    if (row->content_version < 0)
        snprintf(c[COL_CONTENT], 96, "-");
    else if (row->published_version >= 0)
        snprintf(c[COL_CONTENT], 96, "%" PRId64 "/%" PRId64, row->content_version, row->published_version);
    else
        snprintf(c[COL_CONTENT], 96, "%" PRId64 "/-", row->content_version);
    if (row->outbox_pending < 0)
        snprintf(c[COL_OUTBOX], 96, "-");
    else
        snprintf(c[COL_OUTBOX], 96, "%" PRId64, row->outbox_pending);
    bytes_text(row->disk_free_bytes, c[COL_DISK]);
    if (!row->last_sync_result[0])
        snprintf(c[COL_SYNC], 96, "%s", row->flags & OFFICE_FLEET_INVALID ? "-" : "none");
    else if (row->last_sync_exit > 0)
        snprintf(c[COL_SYNC], 96, "%s (exit %" PRId64 ")", row->last_sync_result, row->last_sync_exit);
    else
        snprintf(c[COL_SYNC], 96, "%s", row->last_sync_result);
    if ((row->flags & OFFICE_FLEET_INVALID) && !row->error_count)
        snprintf(c[COL_ERRORS], 96, "-");
    else
        snprintf(c[COL_ERRORS], 96, "%zu", row->error_count);
    flags_text(row->flags, c[COL_FLAGS], 96);
}

/* A cell padded to WIDTH characters (not bytes: a firmware name may be UTF-8), two
 * spaces between columns, the last one ends the line. */
static void cell_put(FILE *out, const char *s, size_t width, int last)
{
    if (last)
        fprintf(out, "%s\n", s);
    else
        fprintf(out, "%s%*s  ", s, (int)(width - utf8_len(s)), "");
}

int office_fleet_write_table(const struct office_fleet *f, FILE *out)
{
    size_t w[NCOL];
    char c[NCOL][96];
    for (int k = 0; k < NCOL; k++)
        w[k] = strlen(col_names[k]);
    for (size_t i = 0; i < f->n; i++) {
        cells(&f->rows[i], c);
        for (int k = 0; k < NCOL; k++)
            w[k] = MAX(w[k], utf8_len(c[k]));
    }
    for (int k = 0; k < NCOL; k++)
        cell_put(out, col_names[k], w[k], k + 1 == NCOL);
    for (size_t i = 0; i < f->n; i++) {
        cells(&f->rows[i], c);
        for (int k = 0; k < NCOL; k++)
            cell_put(out, c[k], w[k], k + 1 == NCOL);
    }
    /* what needs attention, in words */
    for (size_t i = 0; i < f->n; i++) {
        const struct office_fleet_row *row = &f->rows[i];
        char t[32];
        if (row->flags & OFFICE_FLEET_INVALID)
            fprintf(out, "%s: invalid: %s: %s\n", row->kiosk_id, row->file, row->problem);
        if (row->flags & OFFICE_FLEET_STALE) {
            hours(row->age_seconds, t);
            fprintf(out, "%s: stale: no heartbeat for %s (by %s)\n", row->kiosk_id, t,
                    office_fleet_source_name(row->last_seen_source));
        }
        if (row->flags & OFFICE_FLEET_BEHIND)
            fprintf(out, "%s: behind: content version %" PRId64 ", published %" PRId64 "\n", row->kiosk_id,
                    row->content_version, row->published_version);
        if (row->flags & OFFICE_FLEET_LOW_DISK) {
            bytes_text(row->disk_free_bytes, t);
            fprintf(out, "%s: low-disk: %s free\n", row->kiosk_id, t);
        }
        if (row->flags & OFFICE_FLEET_FAILING_SYNC) {
            fprintf(out, "%s: failing-sync: last sync %s, %zu error(s) this cycle", row->kiosk_id,
                    row->last_sync_result[0] ? row->last_sync_result : "none", row->error_count);
            if (row->upload_failed > 0)
                fprintf(out, ", %" PRId64 " upload(s) failed", row->upload_failed);
            fputc('\n', out);
        }
        for (size_t k = 0; k < row->errors_kept; k++)
            fprintf(out, "%s: error: %s\n", row->kiosk_id, row->errors[k]);
        if (row->note[0])
            fprintf(out, "%s: note: %s\n", row->kiosk_id, row->note);
    }
    fprintf(out, "%zu kiosk(s), %zu need attention", f->n, office_fleet_attention(f));
    for (int i = 0; i < OFFICE_FLEET_FLAG_COUNT; i++)
        fprintf(out, "%s %s %zu", i ? "," : ":", flag_names[i], office_fleet_flag_count(f, 1u << i));
    fprintf(out, "%s\n", f->truncated ? " (truncated: not every heartbeat was read)" : "");
    return ferror(out) ? -EIO : 0;
}

/* ---- JSON ------------------------------------------------------------------------ */

static json_t *num_or_null(int64_t v) { return v >= 0 ? json_integer((json_int_t)v) : json_null(); }

static json_t *str_or_null(const char *s)
{
    json_t *j = s && s[0] ? json_string(s) : NULL;
    return j ? j : json_null();
}

static json_t *time_or_null(int64_t t)
{
    char b[32];
    if (t < 0)
        return json_null();
    bundle_time_format(t, b);
    return json_string(b);
}

static json_t *row_json(const struct office_fleet_row *row)
{
    json_t *j = json_object(), *errs = json_array(), *flags = json_array();
    for (size_t k = 0; k < row->errors_kept; k++)
        json_array_append_new(errs, str_or_null(row->errors[k]));
    for (int i = 0; i < OFFICE_FLEET_FLAG_COUNT; i++)
        if (row->flags & (1u << i))
            json_array_append_new(flags, json_string(flag_names[i]));
    json_object_set_new(j, "kiosk_id", str_or_null(row->kiosk_id));
    json_object_set_new(j, "file", str_or_null(row->file));
    json_object_set_new(j, "scope", str_or_null(row->scope));
    json_object_set_new(j, "last_seen", time_or_null(row->last_seen));
    json_object_set_new(j, "last_seen_source", str_or_null(office_fleet_source_name(row->last_seen_source)));
    json_object_set_new(j, "age_seconds", row->last_seen >= 0 ? json_integer(row->age_seconds) : json_null());
    json_object_set_new(j, "sent_at", time_or_null(row->sent_at));
    json_object_set_new(j, "firmware_version", str_or_null(row->firmware));
    json_object_set_new(j, "content_version", num_or_null(row->content_version));
    json_object_set_new(j, "published_content_version", num_or_null(row->published_version));
    json_object_set_new(j, "outbox_pending", num_or_null(row->outbox_pending));
    json_object_set_new(j, "outbox_uploaded", num_or_null(row->outbox_uploaded));
    json_object_set_new(j, "outbox_exported", num_or_null(row->outbox_exported));
    json_object_set_new(j, "disk_free_bytes", num_or_null(row->disk_free_bytes));
    json_object_set_new(j, "last_sync_result", str_or_null(row->last_sync_result));
    json_object_set_new(j, "last_sync_exit", num_or_null(row->last_sync_exit));
    json_object_set_new(j, "last_sync_finished_at", time_or_null(row->last_sync_finished_at));
    json_object_set_new(j, "upload_failed", num_or_null(row->upload_failed));
    json_object_set_new(j, "error_count", json_integer((json_int_t)row->error_count));
    json_object_set_new(j, "errors", errs);
    json_object_set_new(j, "flags", flags);
    json_object_set_new(j, "needs_attention", json_boolean(row->flags != 0));
    json_object_set_new(j, "problem", str_or_null(row->problem));
    json_object_set_new(j, "note", str_or_null(row->note));
    return j;
}

int office_fleet_write_json(const struct office_fleet *f, FILE *out)
{
    fputc('[', out);
    for (size_t i = 0; i < f->n; i++) {
        json_t *j = row_json(&f->rows[i]);
        fputs(i ? ",\n" : "\n", out);
        json_dumpf(j, out, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(j);
    }
    fputs("\n]\n", out);
    return ferror(out) ? -EIO : 0;
}

/* ---- Prometheus (node_exporter's textfile collector) ------------------------------ */

/* A label value: backslash, double quote and newline escaped (the exposition format). */
static void label(strbuf *sb, const char *name, const char *v)
{
    strbuf_addf(sb, "%s=\"", name);
    for (; *v; v++) {
        if (*v == '\\' || *v == '"')
            strbuf_addc(sb, '\\'), strbuf_addc(sb, *v);
        else if (*v == '\n')
            strbuf_adds(sb, "\\n");
        else
            strbuf_addc(sb, *v);
    }
    strbuf_addc(sb, '"');
}

static void head(strbuf *sb, const char *metric, const char *help)
{
    strbuf_addf(sb, "# HELP %s %s\n# TYPE %s gauge\n", metric, help, metric);
}

static void kiosk_labels(strbuf *sb, const char *metric, const struct office_fleet_row *row)
{
    strbuf_addf(sb, "%s{", metric);
    label(sb, "kiosk", row->kiosk_id);
    strbuf_addc(sb, ',');
    label(sb, "scope", row->scope);
}

/* One gauge per kiosk with a value (V >= 0); rows whose file name is not a kiosk id get
 * no series (their label would not be unique) and count in the fleet totals. */
enum kiosk_metric { M_SEEN, M_CONTENT, M_OUTBOX, M_DISK, M_ERRORS, M_SYNC_OK, M_ATTENTION };
static const struct {
    const char *name, *help;
} kiosk_metrics[] = {
    [M_SEEN] = {"hallkiosk_last_seen_timestamp_seconds",
                "When the kiosk's last heartbeat was sent (its sent_at, else the file's mtime; see hallkiosk_info)."},
    [M_CONTENT] = {"hallkiosk_content_version", "The content version the kiosk runs."},
    [M_OUTBOX] = {"hallkiosk_outbox_pending", "Sealed submissions on the kiosk not yet uploaded."},
    [M_DISK] = {"hallkiosk_disk_free_bytes", "Free bytes on the file system of the kiosk's content."},
    [M_ERRORS] = {"hallkiosk_sync_errors", "Error lines of the sync cycle that sent the heartbeat."},
    [M_SYNC_OK] = {"hallkiosk_last_sync_ok", "1 if the previous sync cycle's result was ok, else 0."},
    [M_ATTENTION] = {"hallkiosk_needs_attention", "1 if any flag is set for the kiosk (see hallkiosk_flag)."},
};

static int64_t kiosk_value(const struct office_fleet_row *row, enum kiosk_metric m)
{
    switch (m) {
    case M_SEEN: return row->last_seen;
    case M_CONTENT: return row->content_version;
    case M_OUTBOX: return row->outbox_pending;
    case M_DISK: return row->disk_free_bytes;
    case M_ERRORS: return (row->flags & OFFICE_FLEET_INVALID) && !row->error_count ? -1 : (int64_t)row->error_count;
    case M_SYNC_OK: return row->last_sync_result[0] ? !strcmp(row->last_sync_result, "ok") : -1;
    case M_ATTENTION: return row->flags != 0;
    }
    return -1;
}

static void prometheus_text(const struct office_fleet *f, strbuf *sb)
{
    for (size_t m = 0; m < ARRAY_SIZE(kiosk_metrics); m++) {
        head(sb, kiosk_metrics[m].name, kiosk_metrics[m].help);
        for (size_t i = 0; i < f->n; i++) {
            int64_t v = kiosk_value(&f->rows[i], (enum kiosk_metric)m);
            if (!f->rows[i].id_valid || v < 0)
                continue;
            kiosk_labels(sb, kiosk_metrics[m].name, &f->rows[i]);
            strbuf_addf(sb, "} %" PRId64 "\n", v);
        }
    }
    head(sb, "hallkiosk_flag", "1 if the flag is set for the kiosk: stale, behind, low-disk, failing-sync, invalid.");
    for (size_t i = 0; i < f->n; i++)
        for (int k = 0; k < OFFICE_FLEET_FLAG_COUNT && f->rows[i].id_valid; k++) {
            kiosk_labels(sb, "hallkiosk_flag", &f->rows[i]);
            strbuf_adds(sb, ",");
            label(sb, "flag", flag_names[k]);
            strbuf_addf(sb, "} %d\n", (f->rows[i].flags >> k) & 1);
        }
    head(sb, "hallkiosk_info", "Always 1; the kiosk's firmware and where its last-seen time comes from.");
    for (size_t i = 0; i < f->n; i++) {
        const struct office_fleet_row *row = &f->rows[i];
        if (!row->id_valid)
            continue;
        const char *src = office_fleet_source_name(row->last_seen_source);
        kiosk_labels(sb, "hallkiosk_info", row);
        strbuf_adds(sb, ",");
        label(sb, "firmware", row->firmware);
        strbuf_adds(sb, ",");
        label(sb, "last_seen_source", src ? src : "");
        strbuf_adds(sb, "} 1\n");
    }
    head(sb, "hallkiosk_published_content_version", "The content version published for the scope (its manifest).");
    for (size_t i = 0; i < f->n_scopes; i++)
        if (f->scopes[i].version >= 0) {
            strbuf_adds(sb, "hallkiosk_published_content_version{");
            label(sb, "scope", f->scopes[i].scope);
            strbuf_addf(sb, "} %" PRId64 "\n", f->scopes[i].version);
        }
    head(sb, "hallkiosk_fleet_kiosks", "Heartbeat files read.");
    strbuf_addf(sb, "hallkiosk_fleet_kiosks %zu\n", f->n);
    head(sb, "hallkiosk_fleet_needs_attention", "Kiosks with any flag set.");
    strbuf_addf(sb, "hallkiosk_fleet_needs_attention %zu\n", office_fleet_attention(f));
    head(sb, "hallkiosk_fleet_truncated", "1 if a cap stopped the scan and some heartbeats were not read.");
    strbuf_addf(sb, "hallkiosk_fleet_truncated %d\n", f->truncated);
    head(sb, "hallkiosk_fleet_generated_timestamp_seconds", "When kiosk-office fleet wrote this file.");
    strbuf_addf(sb, "hallkiosk_fleet_generated_timestamp_seconds %lld\n", (long long)f->now);
}

int office_fleet_write_prometheus(const struct office_fleet *f, const char *path, char *err, size_t errlen)
{
    strbuf sb = {0};
    prometheus_text(f, &sb);
    /* the collector runs as another user: readable by all, whatever the umask */
    int r = fio_write_atomic(path, sb.buf, sb.len, 0644, 0);
    if (r < 0)
        msg(err, errlen, "%s: prometheus: %s", path, strerror(-r));
    strbuf_release(&sb);
    return r;
}

/* ---- the command ----------------------------------------------------------------- */

int office_fleet_main(const char *web_root, const char *published_manifest_path, time_t now, int argc,
                      char **argv)
{
    const char *prom = NULL;
    int json = 0;
    char err[640];
    struct office_fleet *f = NULL;

    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            json = 1;
        else if (!strcmp(argv[i], "--prometheus") && i + 1 < argc && argv[i + 1][0] && !prom)
            prom = argv[++i];
        else if (!strcmp(argv[i], "--prometheus")) {
            fprintf(stderr, "kiosk-office: fleet: --prometheus: %s\n",
                    prom ? "given twice" : "needs a FILE");
            return 2;
        } else {
            fprintf(stderr, "kiosk-office: fleet: %s: unknown argument (fleet [--json] [--prometheus FILE])\n",
                    argv[i]);
            return 2;
        }
    }
    if (office_fleet_load_msg(web_root, published_manifest_path, now, &f, err, sizeof err) < 0) {
        fprintf(stderr, "kiosk-office: fleet: %s\n", err);
        return 2;
    }
    for (size_t i = 0; i < f->n_notes; i++)
        fprintf(stderr, "kiosk-office: fleet: %s\n", f->notes[i]);
    int status = office_fleet_attention(f) > 0 || f->truncated ? 1 : 0;
    int r = json ? office_fleet_write_json(f, stdout) : office_fleet_write_table(f, stdout);
    if (r == 0 && fflush(stdout) != 0)
        r = -errno;
    if (r < 0) {
        fprintf(stderr, "kiosk-office: fleet: stdout: write: %s\n", strerror(-r));
        status = 2;
    }
    if (prom && office_fleet_write_prometheus(f, prom, err, sizeof err) < 0) {
        fprintf(stderr, "kiosk-office: fleet: %s\n", err);
        status = 2;
    }
    office_fleet_free(f);
    return status;
}
