/* content_build.c - the content compiler; see content_build.h and docs/content-format.md.
 *
 * Load: run by the central office and once per firmware build over a few thousand small
 * files; it is parse-bound and takes seconds, so it favours one straight pass and one
 * clear error over speed. Each file is read whole (its size capped before it is read),
 * parsed with jansson, checked field by field in the order the format document lists
 * the fields, and written straight into the temporary database inside one transaction.
 * The database is also the symbol table for references (agency, window, image,
 * service ...), so the passes run in dependency order: images, hall, agencies,
 * categories, services, one-things, topics, docs, consultations, announcements,
 * calendars, forms, search. */
#include "content_build.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/civil.h"
#include "base/fileio.h"
#include "base/util.h"
#include "core/content_schema.h"
#include "core/field.h"
#include "core/store.h"
#include "search_index.h"

/* Limits of the format document, and of the tool. */
enum {
    MAX_FILES = 100000,         /* entries in the whole tree */
    MAX_LIST = 500,             /* entries of any list */
    MAX_ID = 64,
    MAX_NAME = 255,             /* an image file name */
    MAX_PHONE = 32,             /* bytes of a phone number */
    MAX_TEXT = 64 << 10,        /* bytes of one text in one language */
    MAX_BODY = 256 << 10,       /* ... of a document body */
    MAX_JSON = 4 << 20,         /* bytes of one JSON file */
    MAX_IMAGE = 2 << 20,
    MAX_IMAGE_SIDE = 4096,      /* pixels a side of any image */
    MAX_PICTO = 64 << 10,       /* bytes of a pictogram (a category's, a step's) */
    MAX_PICTO_SIDE = 512,       /* pixels a side of a pictogram */
    MAX_LIMIT = 3650,           /* a time limit's value, in its unit */
    MIN_YEAR = 1900,
    MAX_YEAR = 2199,
    MAX_QUESTIONS = 20,         /* questions of one consultation */
    MAX_STMTS = 64,             /* distinct statements the compiler prepares */
};

struct text {                   /* a T: both strings borrowed from the parsed JSON */
    const char *zh, *en;
};

static const struct text no_text = {"", ""};

struct names {                  /* a directory's entries, sorted by strcmp */
    char **v;
    size_t n;
};

struct tree {
    struct names root, images, services, onething, disclosure, docs, calendar, forms,
        consultations;
};

struct cbuild {
    int srcfd;
    sqlite3 *db;
    struct {
        const char *sql;        /* the key is the pointer: each call site's literal */
        sqlite3_stmt *st;
    } stmts[MAX_STMTS];
    size_t nstmts;
    size_t nfiles;              /* entries seen in the tree, against MAX_FILES */
    const struct names *docs;   /* doc file names, for "interprets" */
    struct cbuild_stats stats;
    char file[320];             /* the file being read, relative to the source dir */
    char path[256];             /* the field being read in it, "materials[2]" */
    size_t pathlen;
    char quoted[2][100];        /* values echoed by an error message */
    unsigned nquoted;
    char *err;
    size_t errlen;
};

/* ---- errors ------------------------------------------------------------------------ */

/* Writes the one error line "FILE: FIELD: cause" (the parts that are set) and returns
 * code. field is appended to the current path; NULL for the path itself. */
static int vfail(struct cbuild *b, int code, const char *field, const char *fmt, va_list ap)
{
    char cause[512], where[sizeof b->path + 80];

    if (!b->err || b->errlen == 0)
        return code;
    vsnprintf(cause, sizeof cause, fmt, ap);
    if (!field)
        field = "";
    snprintf(where, sizeof where, "%s%s%s", b->path,
             b->pathlen && *field && *field != '[' ? "." : "", field);
    if (b->file[0] && where[0])
        snprintf(b->err, b->errlen, "%s: %s: %s", b->file, where, cause);
    else if (b->file[0] || where[0])
        snprintf(b->err, b->errlen, "%s: %s", b->file[0] ? b->file : where, cause);
    else
        snprintf(b->err, b->errlen, "%s", cause);
    util_one_line(b->err);              /* one line, whatever the file held */
    return code;
}

__attribute__((format(printf, 4, 5)))
static int fail_code(struct cbuild *b, int code, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(b, code, field, fmt, ap);
    va_end(ap);
    return code;
}

/* A content error: the source breaks a rule. */
__attribute__((format(printf, 3, 4)))
static int fail(struct cbuild *b, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(b, -EINVAL, field, fmt, ap);
    va_end(ap);
    return -EINVAL;
}

static int db_fail(struct cbuild *b)
{
    return fail_code(b, -EIO, NULL, "database: %s", sqlite3_errmsg(b->db));
}

/* s in double quotes for an error message, shortened on a character boundary. Two
 * buffers take turns, so one message can quote two values. */
static const char *quote(struct cbuild *b, const char *s)
{
    char *q = b->quoted[b->nquoted++ % 2];
    size_t n = 0, max = sizeof b->quoted[0] - 6;

    q[n++] = '"';
    for (; *s && n < max; s++)
        q[n++] = (unsigned char)*s < 0x20 ? '?' : *s;
    if (*s) {
        while (n > 1 && ((unsigned char)q[n - 1] & 0xc0) == 0x80)
            n--;
        if (n > 1 && (unsigned char)q[n - 1] >= 0xc0)
            n--;
        memcpy(q + n, "...", 3);
        n += 3;
    }
    q[n++] = '"';
    q[n] = '\0';
    return q;
}

/* The field path: path_key() and path_index() return the old length for path_pop(). */
static size_t path_key(struct cbuild *b, const char *key)
{
    size_t old = b->pathlen;
    snprintf(b->path + old, sizeof b->path - old, "%s%s",
             old && *key && *key != '[' ? "." : "", key);
    b->pathlen = strlen(b->path);
    return old;
}

static size_t path_index(struct cbuild *b, size_t i)
{
    char key[24];
    snprintf(key, sizeof key, "[%zu]", i);
    return path_key(b, key);
}

static void path_pop(struct cbuild *b, size_t old)
{
    b->pathlen = old;
    b->path[old] = '\0';
}

/* fmt has one %s, for a */
static void set_file(struct cbuild *b, const char *fmt, const char *a)
{
    snprintf(b->file, sizeof b->file, fmt, a);
    path_pop(b, 0);
}

/* ---- the database ------------------------------------------------------------------ */

/* The prepared statement for sql, from the cache. */
static int stmt(struct cbuild *b, const char *sql, sqlite3_stmt **ret)
{
    size_t i;

    for (i = 0; i < b->nstmts; i++)
        if (b->stmts[i].sql == sql) {
            *ret = b->stmts[i].st;
            return 0;
        }
    if (b->nstmts == MAX_STMTS)
        return fail_code(b, -ENOSPC, NULL, "internal: more than %d statements", MAX_STMTS);
    if (sqlite3_prepare_v3(b->db, sql, -1, SQLITE_PREPARE_PERSISTENT, ret, NULL) != SQLITE_OK)
        return db_fail(b);
    b->stmts[i].sql = sql;
    b->stmts[i].st = *ret;
    b->nstmts++;
    return 0;
}

/* Binds parameters by fmt, one letter each: s text, t a struct text * (two parameters,
 * zh then en), i int, d double, b blob (pointer, int length). Texts and blobs are bound
 * SQLITE_STATIC: they live in the parsed file, which outlives the single step. */
static int bind(sqlite3_stmt *st, const char *fmt, va_list ap)
{
    int col = 1, rc = SQLITE_OK;

    for (; *fmt && rc == SQLITE_OK; fmt++) {
        switch (*fmt) {
        case 's':
            rc = sqlite3_bind_text(st, col++, va_arg(ap, const char *), -1, SQLITE_STATIC);
            break;
        case 't': {
            const struct text *t = va_arg(ap, const struct text *);
            rc = sqlite3_bind_text(st, col++, t->zh, -1, SQLITE_STATIC);
            if (rc == SQLITE_OK)
                rc = sqlite3_bind_text(st, col++, t->en, -1, SQLITE_STATIC);
            break;
        }
        case 'i':
            rc = sqlite3_bind_int(st, col++, va_arg(ap, int));
            break;
        case 'd':
            rc = sqlite3_bind_double(st, col++, va_arg(ap, double));
            break;
        case 'b': {
            const void *p = va_arg(ap, const void *);
            rc = sqlite3_bind_blob(st, col++, p, va_arg(ap, int), SQLITE_STATIC);
            break;
        }
        default:
            rc = SQLITE_MISUSE;
        }
    }
    /* a call site's format that does not fit its SQL is a bug of this file */
    if (rc == SQLITE_OK && col - 1 != sqlite3_bind_parameter_count(st))
        rc = SQLITE_RANGE;
    return rc;
}

/* Runs one cached statement with parameters: 1 if it gave a row, 0 if not, or < 0. */
static int vsql(struct cbuild *b, const char *sql, const char *fmt, va_list ap)
{
    sqlite3_stmt *st;
    int r, rc;

    r = stmt(b, sql, &st);
    if (r < 0)
        return r;
    rc = bind(st, fmt, ap);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    r = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : db_fail(b);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return r;
}

/* An INSERT: 0 or < 0. */
static int sql_insert(struct cbuild *b, const char *sql, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vsql(b, sql, fmt, ap);
    va_end(ap);
    return r < 0 ? r : 0;
}

/* A lookup: 1 if the SELECT finds a row, 0 if not, or < 0. */
static int sql_exists(struct cbuild *b, const char *sql, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vsql(b, sql, fmt, ap);
    va_end(ap);
    return r;
}

static int sql_exec(struct cbuild *b, const char *sql)
{
    return sqlite3_exec(b->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : db_fail(b);
}

/* ---- dates ------------------------------------------------------------------------- */

static void format_date(long z, char out[static 11])
{
    civil_format(civil_from_days(z), out);
}

static int year_of(long z)
{
    return civil_from_days(z).y;
}

/* ---- values ------------------------------------------------------------------------ */

static bool blank(const char *s)
{
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

static bool is_id(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '-'))
            return false;
    return n >= 1 && n <= MAX_ID;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && strcmp(s + n - k, suffix) == 0;
}

/* Levenshtein distance of two short strings, for "did you mean". */
static size_t edit_distance(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b), row[MAX_ID + 1];

    if (na > MAX_ID || nb > MAX_ID)
        return SIZE_MAX;
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}

/* Unknown keys are errors: they are typos of known ones more often than not. */
static int check_keys(struct cbuild *b, json_t *o, const char *const keys[])
{
    for (void *it = json_object_iter(o); it; it = json_object_iter_next(o, it)) {
        const char *k = json_object_iter_key(it), *near = NULL;
        size_t i, best = strlen(k) / 2 + 1;     /* at most 2 edits, half of a short key */

        if (best > 3)
            best = 3;

        for (i = 0; keys[i] && strcmp(keys[i], k) != 0; i++) {
            size_t d = edit_distance(k, keys[i]);
            if (d < best) {
                best = d;
                near = keys[i];
            }
        }
        if (keys[i])
            continue;
        if (near)
            return fail(b, k, "unknown key (did you mean \"%s\"?)", near);
        return fail(b, k, "unknown key");
    }
    return 0;
}

static int val_object(struct cbuild *b, json_t *v, const char *field, const char *const keys[])
{
    if (!json_is_object(v))
        return fail(b, field, "must be an object");
    size_t m = path_key(b, field ? field : "");
    int r = check_keys(b, v, keys);
    path_pop(b, m);
    return r;
}

static int val_string(struct cbuild *b, json_t *v, const char *field, size_t max,
                      const char **ret)
{
    if (!json_is_string(v))
        return fail(b, field, "must be a string");
    if (json_string_length(v) > max)
        return fail(b, field, "is %zu bytes long, at most %zu", json_string_length(v), max);
    if (blank(json_string_value(v)))
        return fail(b, field, "must not be empty");
    *ret = json_string_value(v);
    return 0;
}

static int val_id(struct cbuild *b, json_t *v, const char *field, const char **ret)
{
    if (!json_is_string(v))
        return fail(b, field, "must be a string");
    if (!is_id(json_string_value(v)))
        return fail(b, field, "must match [a-z0-9-]{1,64}, got %s",
                    quote(b, json_string_value(v)));
    *ret = json_string_value(v);
    return 0;
}

static int val_url(struct cbuild *b, json_t *v, const char *field, const char **ret)
{
    const char *s;
    int r = val_string(b, v, field, MAX_TEXT, &s);

    if (r < 0)
        return r;
    if (strncmp(s, "https://", 8) != 0 || !s[8])
        return fail(b, field, "must start with https://, got %s", quote(b, s));
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return fail(b, field, "must not contain spaces or control characters, got %s",
                        quote(b, s));
    *ret = s;
    return 0;
}

static const char *const text_keys[] = {"zh", "en", NULL};

static int val_text(struct cbuild *b, json_t *v, const char *field, size_t max,
                    struct text *ret)
{
    struct text t;
    json_t *zh, *en;

    if (!json_is_object(v))
        return fail(b, field, "must be a text {\"zh\": ..., \"en\": ...}");
    size_t m = path_key(b, field);
    int r = check_keys(b, v, text_keys);
    if (!r && !(zh = json_object_get(v, "zh")))
        r = fail(b, "zh", "missing");
    if (!r)
        r = val_string(b, zh, "zh", max, &t.zh);
    if (!r && !(en = json_object_get(v, "en")))
        r = fail(b, "en", "missing");
    if (!r)
        r = val_string(b, en, "en", max, &t.en);
    path_pop(b, m);
    if (!r)
        *ret = t;
    return r;
}

static int val_int(struct cbuild *b, json_t *v, const char *field, int min, int max, int *ret)
{
    if (!json_is_integer(v))
        return fail(b, field, "must be an integer");
    json_int_t n = json_integer_value(v);
    if (n < min || n > max)
        return fail(b, field, "must be %d..%d, got %" JSON_INTEGER_FORMAT, min, max, n);
    *ret = (int)n;
    return 0;
}

static int val_enum(struct cbuild *b, json_t *v, const char *field, const char *const names[],
                    int *ret)
{
    char all[256] = "";

    if (json_is_string(v))
        for (int i = 0; names[i]; i++)
            if (strcmp(names[i], json_string_value(v)) == 0) {
                *ret = i;
                return 0;
            }
    for (int i = 0; names[i]; i++)
        snprintf(all + strlen(all), sizeof all - strlen(all), "%s%s", i ? ", " : "", names[i]);
    if (!json_is_string(v))
        return fail(b, field, "must be one of %s", all);
    return fail(b, field, "must be one of %s; got %s", all, quote(b, json_string_value(v)));
}

/* A date YYYY-MM-DD: its day number and its text. */
static int val_date(struct cbuild *b, json_t *v, const char *field, long *ret_day,
                    const char **ret)
{
    const char *s;
    civil_date d;
    int r;

    if (!json_is_string(v))
        return fail(b, field, "must be a date YYYY-MM-DD");
    s = json_string_value(v);
    if ((r = civil_parse(s, &d)) == -EINVAL)
        return fail(b, field, "must be a date YYYY-MM-DD, got %s", quote(b, s));
    if (r < 0)
        return fail(b, field, "%s is not a real date", s);
    if (d.y < MIN_YEAR || d.y > MAX_YEAR)
        return fail(b, field, "%s is out of range (years %d..%d)", s, MIN_YEAR, MAX_YEAR);
    *ret_day = civil_to_days(d);
    *ret = s;
    return 0;
}

static int val_list(struct cbuild *b, json_t *v, const char *field, size_t min)
{
    if (!json_is_array(v))
        return fail(b, field, "must be a list");
    size_t n = json_array_size(v);
    if (n > MAX_LIST)
        return fail(b, field, "has %zu entries, at most %d", n, MAX_LIST);
    if (n < min && n == 0)
        return fail(b, field, "must not be empty");
    if (n < min)
        return fail(b, field, "has %zu %s, at least %zu", n, n == 1 ? "entry" : "entries", min);
    return 0;
}

/* A reference to something read before: the lookup, and the message when it fails. */
struct ref {
    const char *sql;
    const char *unknown;        /* printf format of one %s, the quoted value */
    bool id;                    /* the value is an id, else a file name */
};

static const struct ref REF_AGENCY = {
    "SELECT 1 FROM agency WHERE id = ?", "unknown agency %s (not in agencies.json)", true};
static const struct ref REF_WINDOW = {
    "SELECT 1 FROM hall_window WHERE id = ?", "unknown window %s (not in hall.json)", true};
static const struct ref REF_LIFE_EVENT = {
    "SELECT 1 FROM category WHERE id = ? AND kind = 'life_event'",
    "unknown life event %s (not in categories.json)", true};
static const struct ref REF_SERVICE = {
    "SELECT 1 FROM service WHERE id = ?", "unknown service %s (not in services/)", true};
static const struct ref REF_TOPIC = {
    "SELECT 1 FROM doc_topic WHERE id = ?",
    "unknown topic %s (not in disclosure/topics.json)", true};
static const struct ref REF_IMAGE = {
    "SELECT 1 FROM image WHERE name = ?", "no image %s in images/", false};

static int val_ref(struct cbuild *b, json_t *v, const char *field, const struct ref *ref,
                   const char **ret)
{
    const char *s;
    int r = ref->id ? val_id(b, v, field, &s) : val_string(b, v, field, MAX_NAME, &s);

    if (r < 0)
        return r;
    r = sql_exists(b, ref->sql, "s", s);
    if (r < 0)
        return r;
    if (r == 0)
        return fail(b, field, ref->unknown, quote(b, s));
    *ret = s;
    return 0;
}

/* get_*: the value of a required key, checked by val_*. */
static json_t *need(struct cbuild *b, json_t *o, const char *key, int *r)
{
    json_t *v = json_object_get(o, key);
    if (!v)
        *r = fail(b, key, "missing");
    return v;
}

static int get_string(struct cbuild *b, json_t *o, const char *key, const char **ret)
{
    int r = 0;
    json_t *v = need(b, o, key, &r);
    return v ? val_string(b, v, key, MAX_TEXT, ret) : r;
}

static int get_id(struct cbuild *b, json_t *o, const char *key, const char **ret)
{
    int r = 0;
    json_t *v = need(b, o, key, &r);
    return v ? val_id(b, v, key, ret) : r;
}

static int get_url(struct cbuild *b, json_t *o, const char *key, const char **ret)
{
    int r = 0;
    json_t *v = need(b, o, key, &r);
    return v ? val_url(b, v, key, ret) : r;
}

/* A T of at most max bytes in each language. */
static int get_long_text(struct cbuild *b, json_t *o, const char *key, size_t max,
                         struct text *ret)
{
    int r = 0;
    json_t *v = need(b, o, key, &r);
    return v ? val_text(b, v, key, max, ret) : r;
}

static int get_text(struct cbuild *b, json_t *o, const char *key, struct text *ret)
{
    return get_long_text(b, o, key, MAX_TEXT, ret);
}

static int get_int(struct cbuild *b, json_t *o, const char *key, int min, int max, int *ret)
{
    int r = 0;
    json_t *v = need(b, o, key, &r);
    return v ? val_int(b, v, key, min, max, ret) : r;
}

static int get_enum(struct cbuild *b, json_t *o, const char *key, const char *const names[],
                    int *ret)
{
    int r = 0;
    json_t *v = need(b, o, key, &r);
    return v ? val_enum(b, v, key, names, ret) : r;
}

static int get_date(struct cbuild *b, json_t *o, const char *key, long *ret_day,
                    const char **ret)
{
    int r = 0;
    json_t *v = need(b, o, key, &r);
    return v ? val_date(b, v, key, ret_day, ret) : r;
}

static int get_ref(struct cbuild *b, json_t *o, const char *key, const struct ref *ref,
                   const char **ret)
{
    int r = 0;
    json_t *v = need(b, o, key, &r);
    return v ? val_ref(b, v, key, ref, ret) : r;
}

static int get_bool(struct cbuild *b, json_t *o, const char *key, int *ret)
{
    int r = 0;
    json_t *v = need(b, o, key, &r);
    if (!v)
        return r;
    if (!json_is_boolean(v))
        return fail(b, key, "must be true or false");
    *ret = json_is_true(v);
    return 0;
}

static int get_number(struct cbuild *b, json_t *o, const char *key, double min, double max,
                      double *ret)
{
    int r = 0;
    json_t *v = need(b, o, key, &r);
    if (!v)
        return r;
    if (!json_is_number(v))
        return fail(b, key, "must be a number");
    double d = json_number_value(v);
    if (!(d >= min && d <= max))
        return fail(b, key, "must be %g..%g, got %g", min, max, d);
    *ret = d;
    return 0;
}

/* A list: required unless optional (then absent reads as empty, *ret NULL). */
static int get_list(struct cbuild *b, json_t *o, const char *key, size_t min, bool optional,
                    json_t **ret)
{
    int r = 0;
    json_t *v = json_object_get(o, key);

    *ret = NULL;
    if (!v)
        return optional ? 0 : fail(b, key, "missing");
    r = val_list(b, v, key, min);
    if (r == 0)
        *ret = v;
    return r;
}

/* Optional keys: absent leaves *ret as it is. */
static int opt_text(struct cbuild *b, json_t *o, const char *key, struct text *ret)
{
    json_t *v = json_object_get(o, key);
    return v ? val_text(b, v, key, MAX_TEXT, ret) : 0;
}

static int opt_url(struct cbuild *b, json_t *o, const char *key, const char **ret)
{
    json_t *v = json_object_get(o, key);
    return v ? val_url(b, v, key, ret) : 0;
}

typedef int item_fn(struct cbuild *b, json_t *item, size_t index, void *ctx);

/* Runs fn on every entry of list (NULL: none) with the path at key[i]. With keys, every
 * entry must be an object of those keys. */
static int each(struct cbuild *b, json_t *list, const char *key, const char *const keys[],
                item_fn *fn, void *ctx)
{
    size_t m = path_key(b, key);
    int r = 0;

    for (size_t i = 0; r >= 0 && i < json_array_size(list); i++) {
        size_t mi = path_index(b, i);
        json_t *e = json_array_get(list, i);
        if (keys)
            r = val_object(b, e, NULL, keys);
        if (r >= 0)
            r = fn(b, e, i, ctx);
        path_pop(b, mi);
    }
    path_pop(b, m);
    return r;
}

/* ---- files ------------------------------------------------------------------------- */

/* Reads the current file whole, NUL-terminated; over cap bytes is an error before any
 * byte is read (base/fileio.h). */
static int read_file(struct cbuild *b, size_t cap, const char *capname, char **ret,
                     size_t *ret_len)
{
    struct stat st;
    int r, fd = openat(b->srcfd, b->file, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return errno == ENOENT ? fail_code(b, -ENOENT, NULL, "missing")
                               : fail_code(b, -errno, NULL, "%s", strerror(errno));
    r = fio_read_fd_capped(fd, cap, ret, ret_len);
    if (r == -EINVAL)
        r = fail(b, NULL, "not a regular file");
    else if (r == -EFBIG && fstat(fd, &st) == 0)
        r = fail(b, NULL, "file is %jd bytes, at most %zu (%s)", (intmax_t)st.st_size, cap,
                 capname);
    else if (r < 0)
        r = fail_code(b, r, NULL, "%s", strerror(-r));
    close(fd);
    return r;
}

/* Parses the current file; the top level must be an object (want_object) or a list. */
static int load_json(struct cbuild *b, bool want_object, json_t **ret)
{
    json_error_t je;
    json_t *j;
    char *buf;
    size_t n;
    int r = read_file(b, MAX_JSON, "4 MiB", &buf, &n);

    if (r < 0)
        return r;
    j = json_loadb(buf, n, JSON_REJECT_DUPLICATES, &je);
    free(buf);
    if (!j)
        return fail(b, NULL, "line %d column %d: %s", je.line, je.column, je.text);
    if (want_object ? !json_is_object(j) : !json_is_array(j)) {
        json_decref(j);
        return fail(b, NULL, want_object ? "must hold a JSON object {...}"
                                         : "must hold a JSON list [...]");
    }
    *ret = j;
    return 0;
}

static void names_free(struct names *n)
{
    for (size_t i = 0; i < n->n; i++)
        free(n->v[i]);
    free(n->v);
    n->v = NULL;
    n->n = 0;
}

static int cmp_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static bool names_has(const struct names *n, const char *name)
{
    return n->n && bsearch(&name, n->v, n->n, sizeof *n->v, cmp_name);
}

/* Lists directory rel of the tree, sorted by name (bytes, not the locale), without
 * "." files (.gitkeep, editor swap files). A missing optional directory is empty. */
static int list_dir(struct cbuild *b, const char *rel, bool optional, struct names *ret)
{
    struct dirent *de;
    DIR *d;
    size_t cap = 0;
    int fd, r = 0;

    set_file(b, "%s", rel);
    fd = openat(b->srcfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && optional)
        return 0;
    if (fd < 0)
        return fail_code(b, -errno, NULL, "%s", strerror(errno));
    d = fdopendir(fd);
    if (!d) {
        close(fd);
        return fail_code(b, -errno, NULL, "%s", strerror(errno));
    }
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (++b->nfiles > MAX_FILES) {
            r = fail(b, NULL, "more than %d files in the tree", MAX_FILES);
            break;
        }
        if (de->d_name[0] == '.')
            continue;
        if (ret->n == cap) {
            char **v = realloc(ret->v, (cap = cap ? 2 * cap : 16) * sizeof *v);
            if (!v) {
                r = fail_code(b, -ENOMEM, NULL, "out of memory");
                break;
            }
            ret->v = v;
        }
        if (!(ret->v[ret->n] = strdup(de->d_name))) {
            r = fail_code(b, -ENOMEM, NULL, "out of memory");
            break;
        }
        ret->n++;
    }
    closedir(d);
    if (ret->n)
        qsort(ret->v, ret->n, sizeof *ret->v, cmp_name);
    return r;
}

/* What may stand in a directory of the tree. */
enum entry { ENTRY_FILE, ENTRY_DIR, ENTRY_ID_JSON, ENTRY_PNG, ENTRY_CALENDAR };

/* The region and year of a calendar file name "<region>-<year>.json". */
static bool calendar_name(const char *name, char region[static MAX_ID + 1], int *year)
{
    const char *dash = strrchr(name, '-');
    size_t n;

    if (!dash || !has_suffix(name, ".json") || strlen(dash) != strlen("-2026.json"))
        return false;
    for (int i = 1; i <= 4; i++)
        if (!isdigit((unsigned char)dash[i]))
            return false;
    n = (size_t)(dash - name);
    if (n < 1 || n > MAX_ID)
        return false;
    memcpy(region, name, n);
    region[n] = '\0';
    *year = atoi(dash + 1);
    return is_id(region);
}

static int check_entry(struct cbuild *b, const char *dir, const char *name, enum entry kind)
{
    struct stat st;
    char stem[MAX_NAME + 1], region[MAX_ID + 1];
    int year;

    snprintf(b->file, sizeof b->file, "%s%s%s", dir ? dir : "", dir ? "/" : "", name);
    path_pop(b, 0);
    if (fstatat(b->srcfd, b->file, &st, 0) < 0)
        return fail_code(b, -errno, NULL, "%s", strerror(errno));
    if (kind == ENTRY_DIR)
        return S_ISDIR(st.st_mode) ? 0 : fail(b, NULL, "must be a directory");
    if (!S_ISREG(st.st_mode))
        return fail(b, NULL, "must be a file");
    switch (kind) {
    case ENTRY_ID_JSON:
        snprintf(stem, sizeof stem, "%s", name);
        if (has_suffix(stem, ".json"))
            stem[strlen(stem) - 5] = '\0';
        if (!has_suffix(name, ".json") || !is_id(stem))
            return fail(b, NULL, "file name must be <id>.json, the id [a-z0-9-]{1,64}");
        break;
    case ENTRY_PNG:
        if (!has_suffix(name, ".png"))
            return fail(b, NULL, "not a .png file; images/ holds PNG pictures only");
        break;
    case ENTRY_CALENDAR:
        if (!calendar_name(name, region, &year))
            return fail(b, NULL, "file name must be <region>-<year>.json, e.g. cn-2026.json");
        break;
    default:
        break;
    }
    return 0;
}

/* Reads every directory of the tree and checks that it holds only what the format
 * document describes, before any file is parsed. */
static int scan_tree(struct cbuild *b, struct tree *t)
{
    static const struct {
        const char *name;
        enum entry kind;
    } top[] = {
        {"agencies.json", ENTRY_FILE}, {"announcements.json", ENTRY_FILE},
        {"calendar", ENTRY_DIR},       {"categories.json", ENTRY_FILE},
        {"consultations", ENTRY_DIR},
        {"disclosure", ENTRY_DIR},     {"forms", ENTRY_DIR},
        {"hall.json", ENTRY_FILE},
        {"images", ENTRY_DIR},         {"onething", ENTRY_DIR},
        {"services", ENTRY_DIR},
    };
    const struct {
        const char *dir;
        struct names *names;
        enum entry kind;
    } dirs[] = {
        {"images", &t->images, ENTRY_PNG},
        {"services", &t->services, ENTRY_ID_JSON},
        {"onething", &t->onething, ENTRY_ID_JSON},
        {"disclosure/docs", &t->docs, ENTRY_ID_JSON},
        {"calendar", &t->calendar, ENTRY_CALENDAR},
        {"forms", &t->forms, ENTRY_ID_JSON},
        {"consultations", &t->consultations, ENTRY_ID_JSON},
    };
    size_t i, k;
    int r;

    r = list_dir(b, ".", false, &t->root);
    for (i = 0; r >= 0 && i < t->root.n; i++) {
        for (k = 0; k < sizeof top / sizeof top[0]; k++)
            if (strcmp(top[k].name, t->root.v[i]) == 0)
                break;
        if (k == sizeof top / sizeof top[0]) {
            set_file(b, "%s", t->root.v[i]);
            return fail(b, NULL, "not part of a content tree (see docs/content-format.md)");
        }
        r = check_entry(b, NULL, t->root.v[i], top[k].kind);
    }
    if (r >= 0)
        r = list_dir(b, "disclosure", true, &t->disclosure);
    for (i = 0; r >= 0 && i < t->disclosure.n; i++) {
        const char *name = t->disclosure.v[i];
        if (strcmp(name, "topics.json") == 0)
            r = check_entry(b, "disclosure", name, ENTRY_FILE);
        else if (strcmp(name, "docs") == 0)
            r = check_entry(b, "disclosure", name, ENTRY_DIR);
        else {
            set_file(b, "disclosure/%s", name);
            r = fail(b, NULL, "not part of a content tree (disclosure/ holds topics.json and "
                              "docs/)");
        }
    }
    for (k = 0; r >= 0 && k < sizeof dirs / sizeof dirs[0]; k++) {
        r = list_dir(b, dirs[k].dir, true, dirs[k].names);
        for (i = 0; r >= 0 && i < dirs[k].names->n; i++)
            r = check_entry(b, dirs[k].dir, dirs[k].names->v[i], dirs[k].kind);
    }
    return r;
}

/* ---- the passes -------------------------------------------------------------------- */

/* The width and height in a PNG's header (the IHDR chunk comes first); -1 if none. */
static int png_size(const unsigned char *p, size_t n, uint32_t *w, uint32_t *h)
{
    if (n < 24 || memcmp(p + 12, "IHDR", 4) != 0)
        return -1;
    *w = (uint32_t)p[16] << 24 | (uint32_t)p[17] << 16 | (uint32_t)p[18] << 8 | p[19];
    *h = (uint32_t)p[20] << 24 | (uint32_t)p[21] << 16 | (uint32_t)p[22] << 8 | p[23];
    return 0;
}

/* A pictogram shown beside words (a category's icon, a one-thing step's image): an
 * image in images/ (load_images checked it is a PNG), small enough for a picture the
 * kiosk decodes beside every row: MAX_PICTO bytes, MAX_PICTO_SIDE pixels a side. */
static int check_picto(struct cbuild *b, const char *field, const char *name)
{
    sqlite3_stmt *s;
    uint32_t w = 0, h = 0;
    int r;

    if (sqlite3_prepare_v2(b->db, "SELECT data FROM image WHERE name = ?", -1, &s, NULL) != SQLITE_OK)
        return db_fail(b);
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    r = sqlite3_step(s);
    if (r != SQLITE_ROW) {
        r = r == SQLITE_DONE ? fail(b, field, "no image %s in images/", quote(b, name)) : db_fail(b);
    } else {
        const unsigned char *p = sqlite3_column_blob(s, 0);
        size_t n = (size_t)sqlite3_column_bytes(s, 0);
        png_size(p, n, &w, &h); /* load_images checked it has a header */
        if (n > MAX_PICTO)
            r = fail(b, field, "%s is %zu bytes, a pictogram at most %d (64 KiB)", quote(b, name), n,
                     MAX_PICTO);
        else if (w > MAX_PICTO_SIDE || h > MAX_PICTO_SIDE)
            r = fail(b, field, "%s is %" PRIu32 " x %" PRIu32 " pixels, a pictogram at most %d x %d",
                     quote(b, name), w, h, MAX_PICTO_SIDE, MAX_PICTO_SIDE);
        else
            r = 0;
    }
    sqlite3_finalize(s);
    return r;
}

static int load_images(struct cbuild *b, const struct names *images)
{
    static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    char *data;
    size_t n;
    int r = 0;

    for (size_t i = 0; r >= 0 && i < images->n; i++) {
        set_file(b, "images/%s", images->v[i]);
        r = read_file(b, MAX_IMAGE, "2 MiB", &data, &n);
        if (r < 0)
            break;
        uint32_t w = 0, h = 0;
        if (n < sizeof png || memcmp(data, png, sizeof png) != 0)
            r = fail(b, NULL, "not a PNG file");
        else if (png_size((const unsigned char *)data, n, &w, &h) < 0)
            r = fail(b, NULL, "not a PNG file (no IHDR header)");
        else if (w == 0 || h == 0 || w > MAX_IMAGE_SIDE || h > MAX_IMAGE_SIDE)
            r = fail(b, NULL, "%" PRIu32 " x %" PRIu32 " pixels, at most %d x %d", w, h,
                     MAX_IMAGE_SIDE, MAX_IMAGE_SIDE);
        else if (strlen(images->v[i]) > MAX_NAME)
            r = fail(b, NULL, "file name longer than %d bytes", MAX_NAME);
        else
            r = sql_insert(b, "INSERT INTO image(name, data) VALUES(?, ?)", "sb",
                           images->v[i], data, (int)n);
        free(data);
        if (r >= 0)
            b->stats.images++;
    }
    return r;
}

static int add_window(struct cbuild *b, json_t *o, size_t index, void *ctx)
{
    const char *id;
    struct text name;
    int floor, r;
    double x, y;

    (void)index;
    (void)ctx;
    r = get_id(b, o, "id", &id);
    if (!r && (r = sql_exists(b, "SELECT 1 FROM hall_window WHERE id = ?", "s", id)) > 0)
        r = fail(b, "id", "duplicate id %s", quote(b, id));
    if (!r)
        r = get_text(b, o, "name", &name);
    if (!r)
        r = get_int(b, o, "floor", -9, 199, &floor);
    /* the kiosk shows a window on its floor's map: a floor without one is an error */
    if (!r && (r = sql_exists(b, "SELECT 1 FROM hall_floor WHERE floor = ?", "i", floor)) == 0)
        r = fail(b, "floor", "floor %d has no map (floors or map_image)", floor);
    if (r > 0)
        r = 0;
    if (!r)
        r = get_number(b, o, "x", 0, 1, &x);
    if (!r)
        r = get_number(b, o, "y", 0, 1, &y);
    if (!r)
        r = sql_insert(b, "INSERT INTO hall_window(id, name_zh, name_en, floor, x, y)"
                          " VALUES(?, ?, ?, ?, ?, ?)", "stidd", id, &name, floor, x, y);
    if (!r)
        b->stats.windows++;
    return r;
}

static int add_floor(struct cbuild *b, json_t *o, size_t index, void *ctx)
{
    const char *map;
    int floor, r;

    (void)index;
    (void)ctx;
    r = get_int(b, o, "floor", -9, 199, &floor);
    if (!r && (r = sql_exists(b, "SELECT 1 FROM hall_floor WHERE floor = ?", "i", floor)) > 0)
        r = fail(b, "floor", "floor %d has a map already%s", floor,
                 floor == 1 ? " (map_image is floor 1's)" : "");
    if (!r)
        r = get_ref(b, o, "map_image", &REF_IMAGE, &map);
    if (!r)
        r = sql_insert(b, "INSERT INTO hall_floor(floor, map_image) VALUES(?, ?)", "is", floor, map);
    return r;
}

/* An official channel: a name, and a QR code (url) and/or a number to call (phone). */
static int add_channel(struct cbuild *b, json_t *o, size_t index, void *ctx)
{
    const char *url = "", *phone = "";
    struct text name;
    json_t *v;
    int r;

    (void)ctx;
    r = get_text(b, o, "name", &name);
    if (!r)
        r = opt_url(b, o, "url", &url);
    if (!r && (v = json_object_get(o, "phone")))
        r = val_string(b, v, "phone", MAX_PHONE, &phone);
    if (!r && !*url && !*phone)
        r = fail(b, NULL, "needs a url (shown as a QR code) or a phone number, or both");
    if (!r)
        r = sql_insert(b, "INSERT INTO hall_channel(seq, name_zh, name_en, url, phone)"
                          " VALUES(?, ?, ?, ?, ?)", "itss", (int)index, &name, url, phone);
    return r;
}

static int load_hall(struct cbuild *b)
{
    static const char *const keys[] = {"name", "address", "hours", "inquiry_point",
                                       "inquiry_window", "phone", "region", "map_image",
                                       "floors", "windows", "channels", NULL};
    static const char *const window_keys[] = {"id", "name", "floor", "x", "y", NULL};
    static const char *const floor_keys[] = {"floor", "map_image", NULL};
    static const char *const channel_keys[] = {"name", "url", "phone", NULL};
    struct text name, address, hours, inquiry;
    const char *phone, *region, *map = "", *desk = "";
    json_t *o, *windows, *floors, *channels;
    int r;

    set_file(b, "%s", "hall.json");
    r = load_json(b, true, &o);
    if (r < 0)
        return r;
    r = check_keys(b, o, keys);
    if (!r)
        r = get_text(b, o, "name", &name);
    if (!r)
        r = get_text(b, o, "address", &address);
    if (!r)
        r = get_text(b, o, "hours", &hours);
    if (!r)
        r = get_text(b, o, "inquiry_point", &inquiry);
    if (!r)
        r = get_string(b, o, "phone", &phone);
    if (!r)
        r = get_id(b, o, "region", &region);
    /* map_image (older content) is floor 1's map; floors gives one per floor */
    if (!r && json_object_get(o, "map_image"))
        r = get_ref(b, o, "map_image", &REF_IMAGE, &map);
    if (!r && *map)
        r = sql_insert(b, "INSERT INTO hall_floor(floor, map_image) VALUES(1, ?)", "s", map);
    if (!r)
        r = get_list(b, o, "floors", 1, true, &floors);
    if (!r)
        r = each(b, floors, "floors", floor_keys, add_floor, NULL);
    if (!r)
        r = get_list(b, o, "windows", 0, false, &windows);
    if (!r)
        r = each(b, windows, "windows", window_keys, add_window, NULL);
    if (!r && json_object_get(o, "inquiry_window"))
        r = get_ref(b, o, "inquiry_window", &REF_WINDOW, &desk);
    if (!r)
        r = get_list(b, o, "channels", 0, true, &channels);
    if (!r)
        r = each(b, channels, "channels", channel_keys, add_channel, NULL);
    if (!r)
        r = sql_insert(b, "INSERT INTO hall(name_zh, name_en, address_zh, address_en,"
                          " hours_zh, hours_en, inquiry_zh, inquiry_en, phone, region,"
                          " map_image, inquiry_window) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       "ttttssss", &name, &address, &hours, &inquiry, phone, region, map, desk);
    json_decref(o);
    return r;
}

static int add_agency(struct cbuild *b, json_t *o, size_t index, void *ctx)
{
    struct text name, shortname, address, hours;
    const char *id, *phone, *website;
    int r;

    (void)ctx;
    r = get_id(b, o, "id", &id);
    if (!r && (r = sql_exists(b, "SELECT 1 FROM agency WHERE id = ?", "s", id)) > 0)
        r = fail(b, "id", "duplicate id %s", quote(b, id));
    if (!r)
        r = get_text(b, o, "name", &name);
    if (!r)
        r = get_text(b, o, "short", &shortname);
    if (!r)
        r = get_text(b, o, "address", &address);
    if (!r)
        r = get_text(b, o, "hours", &hours);
    if (!r)
        r = get_string(b, o, "phone", &phone);
    if (!r)
        r = get_url(b, o, "website", &website);
    if (!r)
        r = sql_insert(b, "INSERT INTO agency(id, name_zh, name_en, short_zh, short_en,"
                          " address_zh, address_en, hours_zh, hours_en, phone, website, sort)"
                          " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       "sttttssi", id, &name, &shortname, &address, &hours, phone, website,
                       (int)index);
    /* every agency is also a department category, named by its short name */
    if (!r)
        r = sql_insert(b, "INSERT INTO category(id, kind, name_zh, name_en, icon, sort)"
                          " VALUES('dept-' || ?, 'department', ?, ?, 'dept', ?)",
                       "sti", id, &shortname, (int)index);
    if (!r)
        b->stats.agencies++;
    return r;
}

static int load_agencies(struct cbuild *b)
{
    static const char *const keys[] = {"id", "name", "short", "address", "hours", "phone",
                                       "website", NULL};
    json_t *list;
    int r;

    set_file(b, "%s", "agencies.json");
    r = load_json(b, false, &list);
    if (r < 0)
        return r;
    r = val_list(b, list, NULL, 0);
    if (!r)
        r = each(b, list, "", keys, add_agency, NULL);
    json_decref(list);
    return r;
}

/* The two audience categories are data the compiler adds, not source. */
static int add_audiences(struct cbuild *b)
{
    static const struct text individual = {"个人办事", "For individuals"};
    static const struct text business = {"企业办事", "For businesses"};
    const char *sql = "INSERT INTO category(id, kind, name_zh, name_en, icon, sort)"
                      " VALUES('audience-' || ?1, 'audience', ?2, ?3, ?1, ?4)";
    int r;

    r = sql_insert(b, sql, "sti", "individual", &individual, 0);
    if (!r)
        r = sql_insert(b, sql, "sti", "business", &business, 1);
    return r;
}

static int add_life_event(struct cbuild *b, json_t *o, size_t index, void *ctx)
{
    const char *id, *icon;
    struct text name;
    int r;

    (void)ctx;
    r = get_id(b, o, "id", &id);
    if (!r && (r = sql_exists(b, REF_LIFE_EVENT.sql, "s", id)) > 0)
        r = fail(b, "id", "duplicate id %s", quote(b, id));
    if (!r && (r = sql_exists(b, "SELECT 1 FROM category WHERE id = ?", "s", id)) > 0)
        r = fail(b, "id", "%s is taken by a derived category (\"dept-<agency>\" or "
                          "\"audience-<audience>\")", quote(b, id));
    if (!r)
        r = get_text(b, o, "name", &name);
    if (!r)
        r = get_string(b, o, "icon", &icon);
    if (!r) { /* its pictogram: images/icon-<icon>.png */
        char *file = xasprintf("icon-%s.png", icon);
        r = strlen(file) > MAX_NAME ? fail(b, "icon", "longer than %d bytes", MAX_NAME - 9)
                                    : check_picto(b, "icon", file);
        free(file);
    }
    if (!r)
        r = sql_insert(b, "INSERT INTO category(id, kind, name_zh, name_en, icon, sort)"
                          " VALUES(?, 'life_event', ?, ?, ?, ?)",
                       "stsi", id, &name, icon, (int)index);
    if (!r)
        b->stats.life_events++;
    return r;
}

static int load_categories(struct cbuild *b)
{
    static const char *const keys[] = {"id", "name", "icon", NULL};
    json_t *list;
    int r;

    set_file(b, "%s", "categories.json");
    r = load_json(b, false, &list);
    if (r < 0)
        return r;
    r = val_list(b, list, NULL, 0);
    if (!r)
        r = each(b, list, "", keys, add_life_event, NULL);
    json_decref(list);
    return r;
}

/* ---- services ---------------------------------------------------------------------- */

static const char *const service_types[] = {"licence", "confirmation", "payment",
                                            "public_service", "other", NULL};
enum { ON_THE_SPOT, PROMISED };
static const char *const handlings[] = {"on_the_spot", "promised", NULL};
enum { MONTHS = 2 };
static const char *const limit_units[] = {"working_days", "calendar_days", "months", NULL};
enum { DEPTH_NONE };
static const char *const depths[] = {"none", "info", "download", "apply", "full", NULL};
static const char *const audiences[] = {"individual", "business", NULL};
enum { CONDITIONAL = 1 };
static const char *const requireds[] = {"required", "conditional", NULL};
enum { ELECTRONIC = 2 };
static const char *const forms[] = {"original", "copy", "electronic", "original_and_copy",
                                    NULL};
static const char *const step_kinds[] = {"required", "optional", "alternative", NULL};

struct limit {
    int value, unit;
};

static int get_limit(struct cbuild *b, json_t *o, const char *key, struct limit *ret)
{
    static const char *const keys[] = {"value", "unit", NULL};
    int r = 0;
    json_t *v = need(b, o, key, &r);

    if (!v)
        return r;
    r = val_object(b, v, key, keys);
    size_t m = path_key(b, key);
    if (!r)
        r = get_int(b, v, "value", 0, MAX_LIMIT, &ret->value);
    if (!r)
        r = get_enum(b, v, "unit", limit_units, &ret->unit);
    path_pop(b, m);
    return r;
}

static int limit_days(const struct limit *l)
{
    return l->unit == MONTHS ? 30 * l->value : l->value;
}

static int add_service_category(struct cbuild *b, const char *service, const char *prefix,
                                const char *id)
{
    int r = sql_exists(b, "SELECT 1 FROM service_category WHERE service_id = ?"
                          " AND category_id = ? || ?", "sss", service, prefix, id);
    if (r > 0)
        return fail(b, NULL, "%s is listed twice", quote(b, id));
    if (r == 0)
        r = sql_insert(b, "INSERT INTO service_category(service_id, category_id)"
                          " VALUES(?, ? || ?)", "sss", service, prefix, id);
    return r;
}

static int add_life_event_of(struct cbuild *b, json_t *v, size_t index, void *service)
{
    const char *id;
    int r = val_ref(b, v, NULL, &REF_LIFE_EVENT, &id);
    (void)index;
    return r < 0 ? r : add_service_category(b, service, "", id);
}

static int add_audience_of(struct cbuild *b, json_t *v, size_t index, void *service)
{
    int a, r = val_enum(b, v, NULL, audiences, &a);
    (void)index;
    return r < 0 ? r : add_service_category(b, service, "audience-", audiences[a]);
}

static int add_fee(struct cbuild *b, json_t *o, size_t seq, void *service)
{
    struct text name, standard, basis;
    int waivable, r;

    r = get_text(b, o, "name", &name);
    if (!r)
        r = get_text(b, o, "standard", &standard);
    if (!r)
        r = get_text(b, o, "basis", &basis);
    if (!r)
        r = get_bool(b, o, "waivable", &waivable);
    if (!r)
        r = sql_insert(b, "INSERT INTO fee(service_id, seq, name_zh, name_en, standard_zh,"
                          " standard_en, basis_zh, basis_en, waivable)"
                          " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       "sittti", (const char *)service, (int)seq, &name, &standard, &basis,
                       waivable);
    return r;
}

static int add_material(struct cbuild *b, json_t *o, size_t seq, void *service)
{
    struct text name, condition = no_text, source;
    const char *paper = "", *blank_url = "", *sample_url = "";
    int required, form, copies, r;
    json_t *v;

    r = get_text(b, o, "name", &name);
    if (!r)
        r = get_enum(b, o, "required", requireds, &required);
    if (!r) {
        v = json_object_get(o, "condition");
        if (required == CONDITIONAL && !v)
            r = fail(b, "condition", "missing (required when \"required\" is \"conditional\")");
        else if (required != CONDITIONAL && v)
            r = fail(b, "condition", "only allowed when \"required\" is \"conditional\"");
        else if (v)
            r = val_text(b, v, "condition", MAX_TEXT, &condition);
    }
    if (!r)
        r = get_enum(b, o, "form", forms, &form);
    if (!r)
        r = get_int(b, o, "copies", 0, 20, &copies);
    if (!r && copies == 0 && form != ELECTRONIC)
        r = fail(b, "copies", "0 is only allowed when \"form\" is \"electronic\"");
    if (!r && (v = json_object_get(o, "paper")))
        r = val_string(b, v, "paper", MAX_TEXT, &paper);
    if (!r)
        r = get_text(b, o, "source", &source);
    if (!r)
        r = opt_url(b, o, "blank_url", &blank_url);
    if (!r)
        r = opt_url(b, o, "sample_url", &sample_url);
    if (!r)
        r = sql_insert(b, "INSERT INTO material(service_id, seq, name_zh, name_en, required,"
                          " condition_zh, condition_en, form, copies, paper, source_zh,"
                          " source_en, blank_url, sample_url)"
                          " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       "sitstsistss", (const char *)service, (int)seq, &name,
                       requireds[required], &condition, forms[form], copies, paper, &source,
                       blank_url, sample_url);
    return r;
}

static int add_step(struct cbuild *b, json_t *o, size_t seq, void *service)
{
    struct text title, text;
    int kind, r;

    r = get_text(b, o, "title", &title);
    if (!r)
        r = get_text(b, o, "text", &text);
    if (!r)
        r = get_enum(b, o, "kind", step_kinds, &kind);
    if (!r)
        r = sql_insert(b, "INSERT INTO step(service_id, seq, title_zh, title_en, text_zh,"
                          " text_en, kind) VALUES(?, ?, ?, ?, ?, ?, ?)",
                       "sitts", (const char *)service, (int)seq, &title, &text,
                       step_kinds[kind]);
    return r;
}

static int add_faq(struct cbuild *b, json_t *o, size_t seq, void *service)
{
    struct text q, a;
    int r;

    r = get_text(b, o, "q", &q);
    if (!r)
        r = get_text(b, o, "a", &a);
    if (!r)
        r = sql_insert(b, "INSERT INTO faq(service_id, seq, q_zh, q_en, a_zh, a_en)"
                          " VALUES(?, ?, ?, ?, ?, ?)", "sitt", (const char *)service,
                       (int)seq, &q, &a);
    return r;
}

static int get_online(struct cbuild *b, json_t *o, int *ret_depth, const char **ret_url)
{
    static const char *const keys[] = {"depth", "url", NULL};
    int r = 0;
    json_t *v = need(b, o, "online", &r), *url;

    if (!v)
        return r;
    r = val_object(b, v, "online", keys);
    size_t m = path_key(b, "online");
    if (!r)
        r = get_enum(b, v, "depth", depths, ret_depth);
    if (!r) {
        url = json_object_get(v, "url");
        if (url)
            r = val_url(b, url, "url", ret_url);
        else if (*ret_depth != DEPTH_NONE)
            r = fail(b, "url", "missing (required unless depth is \"none\")");
    }
    path_pop(b, m);
    return r;
}

static int load_service(struct cbuild *b, const char *id)
{
    static const char *const keys[] = {
        "code", "name", "type", "agency", "life_events", "audience", "summary", "conditions",
        "serves", "handling", "statutory_limit", "promised_limit", "visits", "online",
        "guide_url", "appointment", "window", "location", "hours", "phone_consult",
        "phone_complaint", "fees", "materials", "steps", "faqs", "legal_basis", NULL};
    static const char *const fee_keys[] = {"name", "standard", "basis", "waivable", NULL};
    static const char *const material_keys[] = {"name", "required", "condition", "form",
                                                "copies", "paper", "source", "blank_url",
                                                "sample_url", NULL};
    static const char *const step_keys[] = {"title", "text", "kind", NULL};
    static const char *const faq_keys[] = {"q", "a", NULL};
    struct text name, summary, conditions, serves, location, hours, legal;
    const char *code, *agency, *guide_url, *window, *consult, *complaint, *online_url = "";
    int type, handling, visits, depth, appointment, is_free = 0, r;
    struct limit statutory, promised;
    json_t *o, *list, *fees;
    void *sid = (void *)id;

    set_file(b, "services/%s.json", id);
    r = load_json(b, true, &o);
    if (r < 0)
        return r;
    r = check_keys(b, o, keys);
    if (!r)
        r = get_string(b, o, "code", &code);
    if (!r)
        r = get_text(b, o, "name", &name);
    if (!r)
        r = get_enum(b, o, "type", service_types, &type);
    if (!r)
        r = get_ref(b, o, "agency", &REF_AGENCY, &agency);
    if (!r)
        r = get_list(b, o, "life_events", 1, false, &list);
    if (!r)
        r = each(b, list, "life_events", NULL, add_life_event_of, sid);
    if (!r)
        r = get_list(b, o, "audience", 1, false, &list);
    if (!r)
        r = each(b, list, "audience", NULL, add_audience_of, sid);
    if (!r)
        r = add_service_category(b, id, "dept-", agency);
    if (!r)
        r = get_text(b, o, "summary", &summary);
    if (!r)
        r = get_text(b, o, "conditions", &conditions);
    if (!r)
        r = get_text(b, o, "serves", &serves);
    if (!r)
        r = get_enum(b, o, "handling", handlings, &handling);
    if (!r)
        r = get_limit(b, o, "statutory_limit", &statutory);
    if (!r)
        r = get_limit(b, o, "promised_limit", &promised);
    if (!r && handling != ON_THE_SPOT && statutory.value == 0)
        r = fail(b, "statutory_limit.value", "0 is only allowed when handling is "
                                             "\"on_the_spot\"");
    if (!r && handling != ON_THE_SPOT && promised.value == 0)
        r = fail(b, "promised_limit.value", "0 is only allowed when handling is "
                                            "\"on_the_spot\"");
    if (!r && limit_days(&promised) > limit_days(&statutory))
        r = fail(b, "promised_limit", "%d %s is longer than the statutory limit %d %s",
                 promised.value, limit_units[promised.unit], statutory.value,
                 limit_units[statutory.unit]);
    if (!r)
        r = get_int(b, o, "visits", 0, 5, &visits);
    if (!r)
        r = get_online(b, o, &depth, &online_url);
    if (!r)
        r = get_url(b, o, "guide_url", &guide_url);
    if (!r)
        r = get_bool(b, o, "appointment", &appointment);
    if (!r)
        r = get_ref(b, o, "window", &REF_WINDOW, &window);
    if (!r)
        r = get_text(b, o, "location", &location);
    if (!r)
        r = get_text(b, o, "hours", &hours);
    if (!r)
        r = get_string(b, o, "phone_consult", &consult);
    if (!r)
        r = get_string(b, o, "phone_complaint", &complaint);
    if (!r && (fees = need(b, o, "fees", &r))) {
        if (json_is_string(fees) && strcmp(json_string_value(fees), "free") == 0)
            is_free = 1;
        else if (json_is_array(fees))
            r = val_list(b, fees, "fees", 1);
        else
            r = fail(b, "fees", "must be \"free\" or a list of fees");
        if (!r && !is_free)
            r = each(b, fees, "fees", fee_keys, add_fee, sid);
    }
    if (!r)
        r = get_list(b, o, "materials", 1, false, &list);
    if (!r)
        r = each(b, list, "materials", material_keys, add_material, sid);
    if (!r)
        r = get_list(b, o, "steps", 1, false, &list);
    if (!r)
        r = each(b, list, "steps", step_keys, add_step, sid);
    if (!r)
        r = get_list(b, o, "faqs", 0, true, &list);
    if (!r)
        r = each(b, list, "faqs", faq_keys, add_faq, sid);
    if (!r)
        r = get_text(b, o, "legal_basis", &legal);
    if (!r)
        r = sql_insert(b, "INSERT INTO service(id, code, type, agency_id, name_zh, name_en,"
                          " summary_zh, summary_en, conditions_zh, conditions_en, serves_zh,"
                          " serves_en, handling, statutory_value, statutory_unit,"
                          " promised_value, promised_unit, visits, online_depth, online_url,"
                          " guide_url, appointment, window_id, location_zh, location_en,"
                          " hours_zh, hours_en, phone_consult, phone_complaint, free,"
                          " legal_basis_zh, legal_basis_en) VALUES(?, ?, ?, ?, ?, ?, ?, ?,"
                          " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                          " ?, ?)",
                       "ssssttttsisisisssisttssit", id, code, service_types[type], agency, &name,
                       &summary, &conditions, &serves, handlings[handling], statutory.value,
                       limit_units[statutory.unit], promised.value,
                       limit_units[promised.unit], visits, depths[depth], online_url,
                       guide_url, appointment, window, &location, &hours, consult, complaint,
                       is_free, &legal);
    if (!r)
        b->stats.services++;
    json_decref(o);
    return r;
}

/* ---- one-things -------------------------------------------------------------------- */

static int add_onething_step(struct cbuild *b, json_t *o, size_t seq, void *onething)
{
    const char *service, *image = "";
    struct text note;
    json_t *v;
    int r;

    r = get_ref(b, o, "service", &REF_SERVICE, &service);
    if (!r)
        r = get_text(b, o, "note", &note);
    if (!r && (v = json_object_get(o, "image")) && !(r = val_string(b, v, "image", MAX_NAME, &image)))
        r = check_picto(b, "image", image);
    if (!r)
        r = sql_insert(b, "INSERT INTO onething_step(onething_id, seq, service_id, note_zh,"
                          " note_en, image) VALUES(?, ?, ?, ?, ?, ?)",
                       "sists", (const char *)onething, (int)seq, service, &note, image);
    return r;
}

static int load_onething(struct cbuild *b, const char *id, int sort)
{
    static const char *const keys[] = {"name", "summary", "image", "url", "steps", NULL};
    static const char *const step_keys[] = {"service", "note", "image", NULL};
    struct text name, summary;
    const char *image, *url = "";
    json_t *o, *steps;
    int r;

    set_file(b, "onething/%s.json", id);
    r = load_json(b, true, &o);
    if (r < 0)
        return r;
    r = check_keys(b, o, keys);
    if (!r)
        r = get_text(b, o, "name", &name);
    if (!r)
        r = get_text(b, o, "summary", &summary);
    if (!r)
        r = get_ref(b, o, "image", &REF_IMAGE, &image);
    if (!r && json_object_get(o, "url")) /* optional: the list's own page */
        r = get_url(b, o, "url", &url);
    if (!r)
        r = get_list(b, o, "steps", 2, false, &steps);
    if (!r)
        r = each(b, steps, "steps", step_keys, add_onething_step, (void *)id);
    if (!r)
        r = sql_insert(b, "INSERT INTO onething(id, name_zh, name_en, summary_zh, summary_en,"
                          " image, url, sort) VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
                       "sttssi", id, &name, &summary, image, url, sort);
    if (!r)
        b->stats.onethings++;
    json_decref(o);
    return r;
}

/* ---- disclosure -------------------------------------------------------------------- */

static int add_topic(struct cbuild *b, json_t *o, size_t index, void *ctx)
{
    struct text name;
    const char *id;
    int r;

    (void)ctx;
    r = get_id(b, o, "id", &id);
    if (!r && (r = sql_exists(b, REF_TOPIC.sql, "s", id)) > 0)
        r = fail(b, "id", "duplicate id %s", quote(b, id));
    if (!r)
        r = get_text(b, o, "name", &name);
    if (!r)
        r = sql_insert(b, "INSERT INTO doc_topic(id, name_zh, name_en, sort)"
                          " VALUES(?, ?, ?, ?)", "sti", id, &name, (int)index);
    if (!r)
        b->stats.topics++;
    return r;
}

static int load_topics(struct cbuild *b, const struct names *disclosure)
{
    static const char *const keys[] = {"id", "name", NULL};
    json_t *list;
    int r;

    if (!names_has(disclosure, "topics.json"))
        return 0;
    set_file(b, "%s", "disclosure/topics.json");
    r = load_json(b, false, &list);
    if (r < 0)
        return r;
    r = val_list(b, list, NULL, 0);
    if (!r)
        r = each(b, list, "", keys, add_topic, NULL);
    json_decref(list);
    return r;
}

/* Body text: consecutive lines starting with '|' form a table whose first row is the
 * header; every row needs as many cells as the header. */
static int check_body(struct cbuild *b, const char *field, const char *s)
{
    int line = 0, header = -1;

    for (const char *p = s; *p;) {
        const char *end = strchr(p, '\n'), *q;
        int cells = 1;

        if (!end)
            end = p + strlen(p);
        line++;
        if (*p != '|') {
            header = -1;
        } else {
            q = end;
            while (q > p + 1 && isspace((unsigned char)q[-1]))
                q--;
            if (q > p + 1 && q[-1] == '|')
                q--;
            for (const char *c = p + 1; c < q; c++)
                cells += *c == '|';
            if (header < 0)
                header = cells;
            else if (cells != header)
                return fail(b, field, "line %d: a table row has %d cells, its header %d",
                            line, cells, header);
        }
        p = *end ? end + 1 : end;
    }
    return 0;
}

static int add_attachment(struct cbuild *b, json_t *o, size_t seq, void *doc)
{
    struct text name;
    const char *url, *size;
    int r;

    r = get_text(b, o, "name", &name);
    if (!r)
        r = get_url(b, o, "url", &url);
    if (!r)
        r = get_string(b, o, "size", &size);
    if (!r)
        r = sql_insert(b, "INSERT INTO attachment(doc_id, seq, name_zh, name_en, url, size)"
                          " VALUES(?, ?, ?, ?, ?, ?)", "sitss", (const char *)doc, (int)seq,
                       &name, url, size);
    return r;
}

static const char *const validities[] = {"in_force", "expired", "repealed", "amended", NULL};
enum { INTERPRETATION = 3 };
static const char *const doc_kinds[] = {"normal", "guide", "annual_report", "interpretation",
                                        NULL};

static int get_interprets(struct cbuild *b, json_t *o, const char *id, int kind,
                          const char **ret)
{
    json_t *v = json_object_get(o, "interprets");
    char name[MAX_ID + 8];
    int r = 0;

    if (kind != INTERPRETATION)
        return v ? fail(b, "interprets", "only allowed when kind is \"interpretation\"") : 0;
    if (!v)
        return fail(b, "interprets", "missing (required when kind is \"interpretation\")");
    r = val_id(b, v, "interprets", ret);
    if (r < 0)
        return r;
    if (strcmp(*ret, id) == 0)
        return fail(b, "interprets", "must name another document, not this one");
    snprintf(name, sizeof name, "%s.json", *ret);
    if (!names_has(b->docs, name))
        return fail(b, "interprets", "unknown document %s (not in disclosure/docs/)",
                    quote(b, *ret));
    return 0;
}

static int load_doc(struct cbuild *b, const char *id)
{
    static const char *const keys[] = {
        "index_no", "title", "summary", "agency", "doc_no", "written", "published", "topic",
        "validity", "keywords", "kind", "interprets", "body", "attachments", NULL};
    static const char *const attachment_keys[] = {"name", "url", "size", NULL};
    struct text title, summary, doc_no = no_text, keywords, body;
    const char *index_no, *agency, *written, *published, *topic, *interprets = "";
    int validity, kind, r;
    long written_day, published_day;
    json_t *o, *list;

    set_file(b, "disclosure/docs/%s.json", id);
    r = load_json(b, true, &o);
    if (r < 0)
        return r;
    r = check_keys(b, o, keys);
    if (!r)
        r = get_string(b, o, "index_no", &index_no);
    if (!r)
        r = get_text(b, o, "title", &title);
    if (!r)
        r = get_text(b, o, "summary", &summary);
    if (!r)
        r = get_ref(b, o, "agency", &REF_AGENCY, &agency);
    if (!r)
        r = opt_text(b, o, "doc_no", &doc_no);
    if (!r)
        r = get_date(b, o, "written", &written_day, &written);
    if (!r)
        r = get_date(b, o, "published", &published_day, &published);
    if (!r && written_day > published_day)
        r = fail(b, "written", "%s is after published %s", written, published);
    if (!r)
        r = get_ref(b, o, "topic", &REF_TOPIC, &topic);
    if (!r)
        r = get_enum(b, o, "validity", validities, &validity);
    if (!r)
        r = get_text(b, o, "keywords", &keywords);
    if (!r)
        r = get_enum(b, o, "kind", doc_kinds, &kind);
    if (!r)
        r = get_interprets(b, o, id, kind, &interprets);
    if (!r)
        r = get_long_text(b, o, "body", MAX_BODY, &body);
    if (!r)
        r = check_body(b, "body.zh", body.zh);
    if (!r)
        r = check_body(b, "body.en", body.en);
    if (!r)
        r = get_list(b, o, "attachments", 0, false, &list);
    if (!r)
        r = each(b, list, "attachments", attachment_keys, add_attachment, (void *)id);
    if (!r)
        r = sql_insert(b, "INSERT INTO doc(id, index_no, title_zh, title_en, summary_zh,"
                          " summary_en, agency_id, doc_no_zh, doc_no_en, written, published,"
                          " topic_id, validity, keywords_zh, keywords_en, kind, interprets,"
                          " body_zh, body_en) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                          " ?, ?, ?, ?, ?, ?)",
                       "ssttstsssstsst", id, index_no, &title, &summary, agency, &doc_no,
                       written, published, topic, validities[validity], &keywords,
                       doc_kinds[kind], interprets, &body);
    if (!r)
        b->stats.docs++;
    json_decref(o);
    return r;
}

/* ---- consultations (public comment on drafts) ---------------------------------------- */

static int add_question(struct cbuild *b, json_t *o, size_t seq, void *consultation)
{
    struct text q;
    int r = val_text(b, o, "", MAX_TEXT, &q);

    if (!r)
        r = sql_insert(b, "INSERT INTO consultation_question(consultation_id, seq, text_zh,"
                          " text_en) VALUES(?, ?, ?, ?)", "sit", (const char *)consultation,
                       (int)seq, &q);
    return r;
}

static const char *const outcomes[] = {"adopted", "partly", "not_adopted", NULL};

static int add_point(struct cbuild *b, json_t *o, size_t seq, void *consultation)
{
    struct text point, reason;
    int outcome, r;

    r = get_text(b, o, "point", &point);
    if (!r)
        r = get_enum(b, o, "outcome", outcomes, &outcome);
    if (!r)
        r = get_text(b, o, "reason", &reason);
    if (!r)
        r = sql_insert(b, "INSERT INTO consultation_point(consultation_id, seq, point_zh,"
                          " point_en, outcome, reason_zh, reason_en) VALUES(?, ?, ?, ?, ?, ?,"
                          " ?)", "sitst", (const char *)consultation, (int)seq, &point,
                       outcomes[outcome], &reason);
    return r;
}

/* The published feedback of a closed consultation: on or after its closing day. */
static int get_feedback(struct cbuild *b, json_t *o, const char *id, long closes_day,
                        const char *closes, const char **ret_published, struct text *ret_summary)
{
    static const char *const keys[] = {"published", "summary", "points", NULL};
    static const char *const point_keys[] = {"point", "outcome", "reason", NULL};
    json_t *v = json_object_get(o, "feedback"), *points;
    long day;
    int r;

    if (!v)
        return 0;
    size_t m = path_key(b, "feedback");
    r = val_object(b, v, NULL, keys);
    if (!r)
        r = get_date(b, v, "published", &day, ret_published);
    if (!r && day < closes_day)
        r = fail(b, "published", "%s is before closes %s: feedback comes after the comment"
                 " period", *ret_published, closes);
    if (!r)
        r = get_long_text(b, v, "summary", MAX_BODY, ret_summary);
    if (!r)
        r = check_body(b, "summary.zh", ret_summary->zh);
    if (!r)
        r = check_body(b, "summary.en", ret_summary->en);
    if (!r)
        r = get_list(b, v, "points", 1, false, &points);
    if (!r)
        r = each(b, points, "points", point_keys, add_point, (void *)id);
    path_pop(b, m);
    return r;
}

static int load_consultation(struct cbuild *b, const char *id)
{
    static const char *const keys[] = {"title", "agency", "opens", "closes", "draft",
                                       "explanation", "questions", "feedback", NULL};
    struct text title, draft, explanation, summary = no_text;
    const char *agency, *opens, *closes, *published = "";
    long opens_day, closes_day;
    json_t *o, *questions;
    int r;

    set_file(b, "consultations/%s.json", id);
    r = load_json(b, true, &o);
    if (r < 0)
        return r;
    r = check_keys(b, o, keys);
    if (!r)
        r = get_text(b, o, "title", &title);
    if (!r)
        r = get_ref(b, o, "agency", &REF_AGENCY, &agency);
    if (!r)
        r = get_date(b, o, "opens", &opens_day, &opens);
    if (!r)
        r = get_date(b, o, "closes", &closes_day, &closes);
    if (!r && closes_day <= opens_day)
        r = fail(b, "closes", "%s is not after opens %s", closes, opens);
    if (!r)
        r = get_long_text(b, o, "draft", MAX_BODY, &draft);
    if (!r)
        r = check_body(b, "draft.zh", draft.zh);
    if (!r)
        r = check_body(b, "draft.en", draft.en);
    if (!r)
        r = get_long_text(b, o, "explanation", MAX_BODY, &explanation);
    if (!r)
        r = check_body(b, "explanation.zh", explanation.zh);
    if (!r)
        r = check_body(b, "explanation.en", explanation.en);
    if (!r)
        r = get_list(b, o, "questions", 0, true, &questions);
    if (!r && json_array_size(questions) > MAX_QUESTIONS)
        r = fail(b, "questions", "has %zu entries, at most %d", json_array_size(questions),
                 MAX_QUESTIONS);
    if (!r)
        r = each(b, questions, "questions", NULL, add_question, (void *)id);
    if (!r)
        r = get_feedback(b, o, id, closes_day, closes, &published, &summary);
    if (!r)
        r = sql_insert(b, "INSERT INTO consultation(id, title_zh, title_en, agency_id, opens,"
                          " closes, draft_zh, draft_en, explanation_zh, explanation_en,"
                          " feedback_published, feedback_summary_zh, feedback_summary_en)"
                          " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       "stsssttst", id, &title, agency, opens, closes, &draft, &explanation,
                       published, &summary);
    if (!r)
        b->stats.consultations++;
    json_decref(o);
    return r;
}

/* ---- announcements and calendars --------------------------------------------------- */

static const char *const announcement_priorities[] = {"normal", "urgent", NULL};

/* A notice (docs/content-format.md, "announcements.json"): shown from starts to ends,
 * published on a date by an agency, normal or urgent. */
static int add_announcement(struct cbuild *b, json_t *o, size_t index, void *ctx)
{
    struct text title, body;
    const char *id, *starts, *ends, *published, *agency;
    long starts_day, ends_day, published_day;
    int r, priority = 0;

    (void)ctx;
    r = get_id(b, o, "id", &id);
    if (!r && (r = sql_exists(b, "SELECT 1 FROM announcement WHERE id = ?", "s", id)) > 0)
        r = fail(b, "id", "duplicate id %s", quote(b, id));
    if (!r)
        r = get_text(b, o, "title", &title);
    if (!r)
        r = get_text(b, o, "body", &body);
    if (!r)
        r = get_date(b, o, "published", &published_day, &published);
    if (!r)
        r = get_ref(b, o, "agency", &REF_AGENCY, &agency);
    if (!r)
        r = get_date(b, o, "starts", &starts_day, &starts);
    if (!r)
        r = get_date(b, o, "ends", &ends_day, &ends);
    if (!r && ends_day < starts_day)
        r = fail(b, "ends", "%s is before starts %s", ends, starts);
    if (!r && published_day > ends_day)
        r = fail(b, "published", "%s is after ends %s", published, ends);
    if (!r && json_object_get(o, "priority"))
        r = get_enum(b, o, "priority", announcement_priorities, &priority);
    if (!r)
        r = sql_insert(b, "INSERT INTO announcement(id, title_zh, title_en, body_zh, body_en,"
                          " starts, ends, sort, published, agency_id, priority)"
                          " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       "sttssisss", id, &title, &body, starts, ends, (int)index, published, agency,
                       announcement_priorities[priority]);
    if (!r)
        b->stats.announcements++;
    return r;
}

static int load_announcements(struct cbuild *b, const struct names *root)
{
    static const char *const keys[] = {"id",     "title", "body", "published", "agency",
                                       "starts", "ends",  "priority", NULL};
    json_t *list;
    int r;

    if (!names_has(root, "announcements.json"))
        return 0;
    set_file(b, "%s", "announcements.json");
    r = load_json(b, false, &list);
    if (r < 0)
        return r;
    r = val_list(b, list, NULL, 0);
    if (!r)
        r = each(b, list, "", keys, add_announcement, NULL);
    json_decref(list);
    return r;
}

struct calendar {
    const char *region;
    int year;
    size_t nholidays;
    long from[MAX_LIST], to[MAX_LIST];
};

static int in_year(struct cbuild *b, const char *field, const char *date, long day, int year)
{
    return year_of(day) == year ? 0 : fail(b, field, "%s is outside %d", date, year);
}

static int add_holiday(struct cbuild *b, json_t *o, size_t i, void *ctx)
{
    struct calendar *c = ctx;
    const char *from, *to;
    struct text name;
    char a[11], z[11];
    int r;

    r = get_date(b, o, "from", &c->from[i], &from);
    if (!r)
        r = in_year(b, "from", from, c->from[i], c->year);
    if (!r)
        r = get_date(b, o, "to", &c->to[i], &to);
    if (!r)
        r = in_year(b, "to", to, c->to[i], c->year);
    if (!r && c->to[i] < c->from[i])
        r = fail(b, "to", "%s is before from %s", to, from);
    for (size_t k = 0; !r && k < i; k++)
        if (c->from[i] <= c->to[k] && c->from[k] <= c->to[i]) {
            format_date(c->from[k], a);
            format_date(c->to[k], z);
            r = fail(b, NULL, "%s..%s overlaps holidays[%zu] (%s..%s)", from, to, k, a, z);
        }
    if (!r)
        r = get_text(b, o, "name", &name);
    for (long day = c->from[i]; !r && day <= c->to[i]; day++) {
        format_date(day, a);
        r = sql_insert(b, "INSERT INTO calendar_day(region, date, kind, name_zh, name_en)"
                          " VALUES(?, ?, 'holiday', ?, ?)", "sst", c->region, a, &name);
    }
    c->nholidays = i + 1;
    return r;
}

static int add_workday(struct cbuild *b, json_t *o, size_t i, void *ctx)
{
    static const char *const day_names[] = {"Sunday", "Monday", "Tuesday", "Wednesday",
                                            "Thursday", "Friday", "Saturday"};
    struct calendar *c = ctx;
    const char *date;
    struct text name;
    char a[11], z[11];
    long day;
    int r, wd;

    (void)i;
    r = get_date(b, o, "date", &day, &date);
    if (!r)
        r = in_year(b, "date", date, day, c->year);
    for (size_t k = 0; !r && k < c->nholidays; k++)
        if (c->from[k] <= day && day <= c->to[k]) {
            format_date(c->from[k], a);
            format_date(c->to[k], z);
            r = fail(b, "date", "%s falls inside holidays[%zu] (%s..%s)", date, k, a, z);
        }
    if (!r && (wd = civil_weekday(day)) != 0 && wd != 6)
        r = fail(b, "date", "%s is a %s; a make-up working day is a Saturday or Sunday",
                 date, day_names[wd]);
    if (!r && (r = sql_exists(b, "SELECT 1 FROM calendar_day WHERE region = ? AND date = ?",
                              "ss", c->region, date)) > 0)
        r = fail(b, "date", "%s is listed twice", date);
    if (!r)
        r = get_text(b, o, "name", &name);
    if (!r)
        r = sql_insert(b, "INSERT INTO calendar_day(region, date, kind, name_zh, name_en)"
                          " VALUES(?, ?, 'workday', ?, ?)", "sst", c->region, date, &name);
    return r;
}

static int load_calendar(struct cbuild *b, const char *name)
{
    static const char *const keys[] = {"region", "year", "source", "holidays", "workdays",
                                       NULL};
    static const char *const holiday_keys[] = {"from", "to", "name", NULL};
    static const char *const workday_keys[] = {"date", "name", NULL};
    char region[MAX_ID + 1];
    const char *source;
    int year, r;
    json_t *o, *list;
    struct calendar *c = calloc(1, sizeof *c);

    if (!c)
        return fail_code(b, -ENOMEM, NULL, "out of memory");
    calendar_name(name, region, &year);     /* checked by scan_tree() */
    set_file(b, "calendar/%s", name);
    r = load_json(b, true, &o);
    if (r < 0) {
        free(c);
        return r;
    }
    r = check_keys(b, o, keys);
    if (!r)
        r = get_id(b, o, "region", &c->region);
    if (!r && strcmp(c->region, region) != 0)
        r = fail(b, "region", "%s does not match the file name %s", quote(b, c->region), name);
    if (!r)
        r = get_int(b, o, "year", MIN_YEAR, MAX_YEAR, &c->year);
    if (!r && c->year != year)
        r = fail(b, "year", "%d does not match the file name %s", c->year, name);
    if (!r)
        r = get_string(b, o, "source", &source);
    if (!r)
        r = get_list(b, o, "holidays", 0, false, &list);
    if (!r)
        r = each(b, list, "holidays", holiday_keys, add_holiday, c);
    if (!r)
        r = get_list(b, o, "workdays", 0, false, &list);
    if (!r)
        r = each(b, list, "workdays", workday_keys, add_workday, c);
    if (!r)
        r = sql_insert(b, "INSERT INTO calendar_year(region, year, source) VALUES(?, ?, ?)",
                       "sis", c->region, c->year, source);
    if (!r)
        b->stats.calendar_years++;
    json_decref(o);
    free(c);
    return r;
}

/* ---- forms ------------------------------------------------------------------------- */

static const char *const form_kinds[] = {"request", "feedback", "rating", "questionnaire",
                                         "comment", NULL};
/* What each field type is - its name, keyboard, limit in characters, whether it is
 * personal data - comes from the one table in firmware/core/field.h, which the kiosk's
 * form engine and wizard read too; the lists below are its names as val_enum wants
 * them (NULL-terminated; the keyboard and id-format lists leave out NONE, "", so their
 * index is the enum's minus one). */
struct field_names {
    const char *types[FIELD_TYPE_COUNT + 1];
    const char *keyboards[FIELD_KB_COUNT];
    const char *id_formats[FIELD_IDF_COUNT];
};

static struct field_names field_names(void)
{
    struct field_names n = {0};
    for (int i = 0; i < FIELD_TYPE_COUNT; i++)
        n.types[i] = field_type_name((enum field_type)i);
    for (int i = 1; i < FIELD_KB_COUNT; i++)
        n.keyboards[i - 1] = field_keyboard_name((enum field_keyboard)i);
    for (int i = 1; i < FIELD_IDF_COUNT; i++)
        n.id_formats[i - 1] = field_id_format_name((enum field_id_format)i);
    return n;
}

/* The types whose row says WHICH, for a message: "text, longtext and name" (CONJ "and"). */
static const char *types_where(char *buf, size_t size, bool (*which)(const struct field_kind *),
                               const char *conj)
{
    int n = 0, total = 0;
    for (int i = 0; i < FIELD_TYPE_COUNT; i++)
        total += which(field_kind((enum field_type)i));
    buf[0] = '\0';
    for (int i = 0; i < FIELD_TYPE_COUNT; i++) {
        if (!which(field_kind((enum field_type)i)))
            continue;
        n++;
        snprintf(buf + strlen(buf), size - strlen(buf), "%s%s",
                 n == 1 ? "" : n == total ? conj : ", ", field_type_name((enum field_type)i));
    }
    return buf;
}

static bool kind_sized(const struct field_kind *k) { return k->sized; }
static bool kind_choices(const struct field_kind *k) { return k->choices; }
static bool kind_readable(const struct field_kind *k) { return k->readable; }

/* The form caps are the store's (core/store.h), so the compiler refuses exactly what
 * the kiosk would refuse to load. */
enum {
    MAX_FORM_STEPS = STORE_FORM_MAX_STEPS,
    MAX_FORM_FIELDS = STORE_FORM_MAX_FIELDS,
    MAX_CHOICES = STORE_FORM_MAX_CHOICES,
    MAX_VALUES = MAX_CHOICES * (MAX_ID + 1),    /* a condition's ids joined by ',' */
};

struct form_field_info {        /* a field read so far, for the references after it */
    const char *id;
    enum field_type type;
    int step, group;
    bool required;              /* "required": true */
    json_t *choices;
};

struct form_build {
    const char *id;
    int step;                   /* the step being read */
    int nfields;
    struct form_field_info fields[MAX_FORM_FIELDS];
};

struct cond {
    const char *field;          /* "" for none */
    const char *op;             /* "in" | "not_in" | "" */
    char values[MAX_VALUES];
};

static const struct cond no_cond = {"", "", ""};

static struct form_field_info *form_field_find(struct form_build *f, const char *id, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(f->fields[i].id, id) == 0)
            return &f->fields[i];
    return NULL;
}

static bool choice_has(json_t *choices, const char *id)
{
    for (size_t i = 0; i < json_array_size(choices); i++) {
        json_t *c = json_object_get(json_array_get(choices, i), "id");
        if (json_is_string(c) && strcmp(json_string_value(c), id) == 0)
            return true;
    }
    return false;
}

/* A condition {"field": F, "in": [...]} or {"field": F, "not_in": [...]}: F is one of
 * the first N fields (those before the one that asks), a choice, multichoice or flag
 * field; the values are its choice ids ("true" / "false" for a flag), each once. */
static int val_cond(struct cbuild *b, struct form_build *f, json_t *v, const char *key, int n,
                    struct cond *ret)
{
    static const char *const keys[] = {"field", "in", "not_in", NULL};
    struct form_field_info *ref = NULL;
    json_t *list, *in, *not_in;
    const char *field;
    size_t len = 0;
    int r;

    r = val_object(b, v, key, keys);
    if (r < 0)
        return r;
    size_t m = path_key(b, key);
    r = get_id(b, v, "field", &field);
    if (!r && !(ref = form_field_find(f, field, n)))
        r = fail(b, "field", "unknown field %s (a condition reads a field defined before it)",
                 quote(b, field));
    char types[128];
    if (!r && !field_kind(ref->type)->readable)
        r = fail(b, "field", "%s is of type %s; a condition reads a %s field", quote(b, field),
                 field_type_name(ref->type), types_where(types, sizeof types, kind_readable, " or "));
    in = json_object_get(v, "in");
    not_in = json_object_get(v, "not_in");
    if (!r && !in == !not_in)
        r = fail(b, NULL, "needs exactly one of \"in\" and \"not_in\"");
    list = in ? in : not_in;
    const char *lkey = in ? "in" : "not_in";
    if (!r)
        r = val_list(b, list, lkey, 1);
    if (!r)
        ret->values[0] = '\0';
    size_t ml = path_key(b, lkey);
    for (size_t i = 0; !r && i < json_array_size(list); i++) {
        const char *value;
        size_t mi = path_index(b, i);
        r = val_id(b, json_array_get(list, i), NULL, &value);
        if (!r && ref->type == FIELD_FLAG && strcmp(value, "true") != 0 &&
            strcmp(value, "false") != 0)
            r = fail(b, NULL, "%s is a flag: the values are \"true\" and \"false\", got %s",
                     quote(b, field), quote(b, value));
        if (!r && ref->type != FIELD_FLAG && !choice_has(ref->choices, value))
            r = fail(b, NULL, "%s is not a choice of %s", quote(b, value), quote(b, field));
        for (size_t k = 0; !r && k < i; k++)
            if (strcmp(json_string_value(json_array_get(list, k)), value) == 0)
                r = fail(b, NULL, "%s is listed twice", quote(b, value));
        if (!r && len + strlen(value) + 2 > sizeof ret->values)
            r = fail(b, NULL, "too many values");
        if (!r)
            len += (size_t)snprintf(ret->values + len, sizeof ret->values - len, "%s%s",
                                    len ? "," : "", value);
        path_pop(b, mi);
    }
    path_pop(b, ml);
    path_pop(b, m);
    if (!r) {
        ret->field = field;
        ret->op = lkey;
    }
    return r;
}

static int add_form_choice(struct cbuild *b, json_t *o, size_t seq, void *ctx)
{
    struct form_build *f = ctx;
    struct form_field_info *fi = &f->fields[f->nfields];
    const char *id, *id_format = "";
    struct text label;
    json_t *v;
    int fmt, r;

    r = get_id(b, o, "id", &id);
    for (size_t k = 0; !r && k < seq; k++)
        if (strcmp(json_string_value(json_object_get(json_array_get(fi->choices, k), "id")),
                   id) == 0)
            r = fail(b, "id", "duplicate choice id %s", quote(b, id));
    if (!r)
        r = get_text(b, o, "label", &label);
    if (!r && (v = json_object_get(o, "id_format"))) {
        struct field_names names = field_names();
        r = val_enum(b, v, "id_format", names.id_formats, &fmt);
        if (!r)
            id_format = names.id_formats[fmt];
    }
    if (!r)
        r = sql_insert(b, "INSERT INTO form_choice(form_id, field_seq, seq, id, label_zh,"
                          " label_en, id_format) VALUES(?, ?, ?, ?, ?, ?, ?)",
                       "siists", f->id, f->nfields, (int)seq, id, &label, id_format);
    return r;
}

static int add_form_field(struct cbuild *b, json_t *o, size_t index, void *ctx)
{
    static const char *const choice_keys[] = {"id", "label", "id_format", NULL};
    struct form_build *f = ctx;
    struct form_field_info *fi;
    struct text label, help = no_text;
    struct cond visible = no_cond, required_if = no_cond;
    const char *id, *keyboard, *required = "no", *id_type_field = "";
    struct field_names names = field_names();
    char list[128];
    int type, max = 0, kb, pii = 0, r;
    json_t *v;

    (void)index;
    if (f->nfields == MAX_FORM_FIELDS)
        return fail(b, NULL, "a form has at most %d fields", MAX_FORM_FIELDS);
    fi = &f->fields[f->nfields];
    memset(fi, 0, sizeof *fi);
    fi->group = -1;
    r = get_id(b, o, "id", &id);
    if (!r && form_field_find(f, id, f->nfields))
        r = fail(b, "id", "duplicate field id %s", quote(b, id));
    if (!r)
        r = get_text(b, o, "label", &label);
    if (!r)
        r = opt_text(b, o, "help", &help);
    if (!r)
        r = get_enum(b, o, "type", names.types, &type);
    if (r)
        return r;
    const struct field_kind *rule = field_kind((enum field_type)type);

    /* choices: for choice and multichoice fields only */
    v = json_object_get(o, "choices");
    if (rule->choices) {
        if (!v)
            r = fail(b, "choices", "missing (required for a %s field)", names.types[type]);
        else
            r = val_list(b, v, "choices", 2);
        if (!r && json_array_size(v) > MAX_CHOICES)
            r = fail(b, "choices", "has %zu entries, at most %d", json_array_size(v),
                     MAX_CHOICES);
        fi->choices = v;
        if (!r)
            r = each(b, v, "choices", choice_keys, add_form_choice, f);
    } else if (v) {
        r = fail(b, "choices", "only allowed for %s fields",
                 types_where(list, sizeof list, kind_choices, " and "));
    }

    /* id_type_field: the choice field whose answer picks an id_number's validator */
    v = json_object_get(o, "id_type_field");
    if (!r && type == FIELD_ID_NUMBER && !v)
        r = fail(b, "id_type_field", "missing (required for an id_number field)");
    else if (!r && type != FIELD_ID_NUMBER && v)
        r = fail(b, "id_type_field", "only allowed for an id_number field");
    else if (!r && v) {
        struct form_field_info *ref = NULL;
        r = val_id(b, v, "id_type_field", &id_type_field);
        if (!r && !(ref = form_field_find(f, id_type_field, f->nfields)))
            r = fail(b, "id_type_field", "unknown field %s (it must come before this one)",
                     quote(b, id_type_field));
        else if (!r && ref->type != FIELD_CHOICE)
            r = fail(b, "id_type_field", "%s must be a choice field", quote(b, id_type_field));
        for (size_t k = 0; !r && k < json_array_size(ref->choices); k++)
            if (!json_object_get(json_array_get(ref->choices, k), "id_format"))
                r = fail(b, "id_type_field", "choice %s of %s has no \"id_format\"",
                         quote(b, json_string_value(json_object_get(
                                      json_array_get(ref->choices, k), "id"))),
                         quote(b, id_type_field));
    }

    /* required: true | false | a condition */
    v = json_object_get(o, "required");
    if (!r && v) {
        if (json_is_boolean(v))
            required = json_is_true(v) ? "yes" : "no";
        else if (json_is_object(v))
            r = val_cond(b, f, v, "required", f->nfields, &required_if);
        else
            r = fail(b, "required", "must be true, false or a condition {\"field\": ...,"
                                    " \"in\": [...]}");
        if (!r && json_is_object(v))
            required = "if";
    }
    if (!r && (v = json_object_get(o, "visible")))
        r = val_cond(b, f, v, "visible", f->nfields, &visible);

    v = json_object_get(o, "max");
    if (!r && v && !rule->sized)
        r = fail(b, "max", "only allowed for %s fields, not %s",
                 types_where(list, sizeof list, kind_sized, " and "), names.types[type]);
    else if (!r && v)
        r = val_int(b, v, "max", 1, rule->max_chars, &max);
    else
        max = rule->sized ? field_limit((enum field_type)type, 0) : 0;

    keyboard = field_keyboard_name(rule->keyboard);
    v = json_object_get(o, "keyboard");
    if (!r && v && rule->keyboard == FIELD_KB_NONE)
        r = fail(b, "keyboard", "not allowed for %s fields (nothing is typed)",
                 names.types[type]);
    else if (!r && v && (r = val_enum(b, v, "keyboard", names.keyboards, &kb)) == 0)
        keyboard = names.keyboards[kb];

    v = json_object_get(o, "pii");
    if (!r && v && !json_is_boolean(v))
        r = fail(b, "pii", "must be true or false");
    else if (v)
        pii = json_is_true(v);
    if (!r && rule->pii && !pii)
        r = fail(b, "pii", "%s fields hold personal data: it must say \"pii\": true",
                 names.types[type]);

    if (!r)
        r = sql_insert(b, "INSERT INTO form_field(form_id, seq, step, id, type, label_zh,"
                          " label_en, help_zh, help_en, required, required_field, required_op,"
                          " required_values, visible_field, visible_op, visible_values,"
                          " max_len, keyboard, pii, id_type_field, one_of) VALUES(?, ?, ?,"
                          " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, -1)",
                       "siissttsssssssisis", f->id, f->nfields, f->step, id, names.types[type],
                       &label, &help, required, required_if.field, required_if.op,
                       required_if.values, visible.field, visible.op, visible.values, max,
                       keyboard, pii, id_type_field);
    if (!r) {
        fi->id = id;
        fi->type = type;
        fi->step = f->step;
        fi->required = strcmp(required, "yes") == 0;
        f->nfields++;
    }
    return r;
}

static int add_form_step(struct cbuild *b, json_t *o, size_t seq, void *ctx)
{
    static const char *const field_keys[] = {"id", "label", "help", "type", "required",
                                             "visible", "max", "keyboard", "choices", "pii",
                                             "id_type_field", NULL};
    struct form_build *f = ctx;
    struct text title;
    const char *id;
    json_t *fields;
    int r;

    r = get_id(b, o, "id", &id);
    if (!r && (r = sql_exists(b, "SELECT 1 FROM form_step WHERE form_id = ? AND id = ?",
                              "ss", f->id, id)) > 0)
        r = fail(b, "id", "duplicate step id %s", quote(b, id));
    if (!r)
        r = get_text(b, o, "title", &title);
    f->step = (int)seq;
    if (!r)
        r = get_list(b, o, "fields", 1, false, &fields);
    if (!r)
        r = each(b, fields, "fields", field_keys, add_form_field, f);
    if (!r)
        r = sql_insert(b, "INSERT INTO form_step(form_id, seq, id, title_zh, title_en)"
                          " VALUES(?, ?, ?, ?, ?)", "sist", f->id, (int)seq, id, &title);
    return r;
}

/* "at_least_one": groups of two or more text fields of one step, none required on its
 * own, of which the visitor must fill at least one. */
static int add_form_group(struct cbuild *b, json_t *list, size_t group, void *ctx)
{
    struct form_build *f = ctx;
    struct form_field_info *first = NULL;
    int r = val_list(b, list, NULL, 2);

    for (size_t i = 0; !r && i < json_array_size(list); i++) {
        struct form_field_info *fi = NULL;
        const char *id;
        size_t mi = path_index(b, i);
        r = val_id(b, json_array_get(list, i), NULL, &id);
        if (!r && !(fi = form_field_find(f, id, f->nfields)))
            r = fail(b, NULL, "unknown field %s", quote(b, id));
        else if (!r && fi->type != FIELD_TEXT && fi->type != FIELD_LONGTEXT)
            r = fail(b, NULL, "%s is of type %s; a group holds text and longtext fields",
                     quote(b, id), field_type_name(fi->type));
        else if (!r && fi->required)
            r = fail(b, NULL, "%s is required on its own; a group's fields are not",
                     quote(b, id));
        else if (!r && fi->group >= 0)
            r = fail(b, NULL, "%s is already in group %d", quote(b, id), fi->group);
        else if (!r && first && fi->step != first->step)
            r = fail(b, NULL, "%s is in another step than %s; a group's fields share a step",
                     quote(b, id), quote(b, first->id));
        if (!r) {
            fi->group = (int)group;
            first = first ? first : fi;
            r = sql_insert(b, "UPDATE form_field SET one_of = ? WHERE form_id = ? AND id = ?",
                           "iss", (int)group, f->id, id);
        }
        path_pop(b, mi);
    }
    return r;
}

static int load_form(struct cbuild *b, const char *id, int sort)
{
    static const char *const keys[] = {"kind", "title", "intro", "privacy", "steps",
                                       "at_least_one", "staff_help", "follow_up", NULL};
    static const char *const step_keys[] = {"id", "title", "fields", NULL};
    struct text title, intro, privacy;
    struct cond follow_up = no_cond;
    const char *staff_help = "";
    json_t *o, *steps, *groups, *v;
    int kind, r;
    struct form_build *f = calloc(1, sizeof *f);

    if (!f)
        return fail_code(b, -ENOMEM, NULL, "out of memory");
    f->id = id;
    set_file(b, "forms/%s.json", id);
    r = load_json(b, true, &o);
    if (r < 0) {
        free(f);
        return r;
    }
    r = check_keys(b, o, keys);
    if (!r)
        r = get_enum(b, o, "kind", form_kinds, &kind);
    if (!r)
        r = get_text(b, o, "title", &title);
    if (!r)
        r = get_text(b, o, "intro", &intro);
    if (!r)
        r = get_text(b, o, "privacy", &privacy);
    if (!r)
        r = get_list(b, o, "steps", 1, false, &steps);
    if (!r && json_array_size(steps) > MAX_FORM_STEPS)
        r = fail(b, "steps", "has %zu entries, at most %d", json_array_size(steps),
                 MAX_FORM_STEPS);
    if (!r)
        r = each(b, steps, "steps", step_keys, add_form_step, f);
    if (!r)
        r = get_list(b, o, "at_least_one", 1, true, &groups);
    if (!r)
        r = each(b, groups, "at_least_one", NULL, add_form_group, f);
    if (!r && (v = json_object_get(o, "staff_help"))) {
        struct form_field_info *fi = NULL;
        r = val_id(b, v, "staff_help", &staff_help);
        if (!r && !(fi = form_field_find(f, staff_help, f->nfields)))
            r = fail(b, "staff_help", "unknown field %s", quote(b, staff_help));
        else if (!r && fi->type != FIELD_FLAG)
            r = fail(b, "staff_help", "%s must be a flag field", quote(b, staff_help));
    }
    if (!r && (v = json_object_get(o, "follow_up")))
        r = val_cond(b, f, v, "follow_up", f->nfields, &follow_up);
    if (!r)
        r = sql_insert(b, "INSERT INTO form(id, kind, title_zh, title_en, intro_zh, intro_en,"
                          " privacy_zh, privacy_en, staff_help, follow_up_field, follow_up_op,"
                          " follow_up_values, sort) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                          " ?)", "sstttssssi", id, form_kinds[kind], &title, &intro, &privacy,
                       staff_help, follow_up.field, follow_up.op, follow_up.values, sort);
    if (!r)
        b->stats.forms++;
    json_decref(o);
    free(f);
    return r;
}

/* ---- the build --------------------------------------------------------------------- */

/* The search indexes and the pinyin keys of every title, from the tables just written
 * (sync/search_index.c). */
static int fill_search(struct cbuild *b)
{
    char err[512];
    int r;

    set_file(b, "%s", "");
    r = sindex_fill(b->db, err, sizeof err);
    return r < 0 ? fail_code(b, r, NULL, "%s", err) : 0;
}

/* Both checks find only bugs of this file: the rules above keep references whole. */
static int check_database(struct cbuild *b)
{
    sqlite3_stmt *st;
    int r = 0, rc;

    set_file(b, "%s", "");
    if (sqlite3_prepare_v2(b->db, "PRAGMA foreign_key_check", -1, &st, NULL) != SQLITE_OK)
        return db_fail(b);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        r = fail_code(b, -EPROTO, NULL, "foreign_key_check: a %s row refers to a missing %s",
                      (const char *)sqlite3_column_text(st, 0),
                      (const char *)sqlite3_column_text(st, 2));
    else if (rc != SQLITE_DONE)
        r = db_fail(b);
    sqlite3_finalize(st);
    if (r < 0)
        return r;
    if (sqlite3_prepare_v2(b->db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
        return db_fail(b);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        r = db_fail(b);
    else if (strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0)
        r = fail_code(b, -EPROTO, NULL, "integrity_check: %s",
                      (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return r;
}

static int built_at(struct cbuild *b, char out[static 32])
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    time_t t = time(NULL);
    struct tm tm;

    if (epoch && *epoch) {
        char *end;
        errno = 0;
        long long v = strtoll(epoch, &end, 10);
        if (errno || *end || v < 0 || !isdigit((unsigned char)*epoch))
            return fail(b, NULL, "SOURCE_DATE_EPOCH: must be seconds since 1970, got %s",
                        quote(b, epoch));
        t = (time_t)v;
    }
    if (!gmtime_r(&t, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
        return fail(b, NULL, "SOURCE_DATE_EPOCH: out of range");
    return 0;
}

static int open_db(struct cbuild *b, const char *tmp, uint64_t content_version)
{
    char when[32], version[24], schema[16];
    int r;

    set_file(b, "%s", "");
    r = built_at(b, when);
    if (r < 0)
        return r;
    snprintf(version, sizeof version, "%" PRIu64, content_version);
    snprintf(schema, sizeof schema, "%d", CONTENT_SCHEMA_VERSION);
    set_file(b, "%s", tmp);
    if (sqlite3_open_v2(tmp, &b->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK)
        return db_fail(b);
    /* one transaction into a file nobody reads yet: no journal on disk, no syncs until
     * the single fsync before the rename. 8 KB pages: a service or document row leaves
     * less of a page unused than at 4 KB (content.db 2 % smaller). */
    r = sql_exec(b, "PRAGMA page_size = 8192; PRAGMA journal_mode = MEMORY;"
                    " PRAGMA synchronous = OFF; BEGIN");
    if (!r)
        r = sql_exec(b, content_schema_sql);
    if (!r)
        r = sql_insert(b, "INSERT INTO meta(key, value) VALUES('schema_version', ?),"
                          " ('content_version', ?), ('built_at', ?)", "sss", schema, version,
                       when);
    return r;
}

/* Finishes the database and puts it in place: commit, compact, close, fsync, rename over
 * out, fsync the directory. */
static int install_db(struct cbuild *b, const char *tmp, const char *out)
{
    int r;

    set_file(b, "%s", tmp);
    r = sql_exec(b, "COMMIT");
    for (size_t i = 0; i < b->nstmts; i++)
        sqlite3_finalize(b->stmts[i].st);
    b->nstmts = 0;
    /* no rollback journal for the VACUUM either: in MEMORY mode it would hold a copy of
     * every page of the file in RAM (the compiler's peak) */
    if (!r)
        r = sql_exec(b, "PRAGMA journal_mode = OFF; VACUUM");
    if (r < 0)
        return r;
    if (sqlite3_close(b->db) != SQLITE_OK)
        return db_fail(b);
    b->db = NULL;
    if ((r = fio_publish(tmp, out, 0)) < 0)
        return fail_code(b, r, NULL, "put in place as %s: %s", out, strerror(-r));
    set_file(b, "%s", out);
    return 0;
}

int cbuild_run_opts(const char *src_dir, const char *out_path,
                    const struct cbuild_options *opts, struct cbuild_stats *ret_stats,
                    char *err, size_t errlen)
{
    struct cbuild b = {.srcfd = -1, .err = err, .errlen = errlen};
    struct tree t = {0};
    char *tmp = NULL, *journal = NULL;
    bool tmp_made = false;
    int r;

    bool check = opts && opts->check_only;

    if (err && errlen)
        err[0] = '\0';
    if (!src_dir || !*src_dir || (!check && (!out_path || !*out_path)))
        return fail_code(&b, -EINVAL, NULL, "no source directory or output path");
    if (check)
        out_path = ":memory:";
    if (asprintf(&tmp, "%s.tmp-%ld", out_path, (long)getpid()) < 0) {
        tmp = NULL;
        r = fail_code(&b, -ENOMEM, NULL, "out of memory");
        goto out;
    }
    if (asprintf(&journal, "%s-journal", tmp) < 0) {
        journal = NULL;
        r = fail_code(&b, -ENOMEM, NULL, "out of memory");
        goto out;
    }
    b.srcfd = open(src_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (b.srcfd < 0) {
        set_file(&b, "%s", src_dir);
        r = fail_code(&b, -errno, NULL, "%s", strerror(errno));
        goto out;
    }
    b.docs = &t.docs;
    r = scan_tree(&b, &t);
    if (r < 0)
        goto out;
    /* a stale temp file of an earlier run with the same pid */
    if (!check) {
        unlink(tmp);
        unlink(journal);
        tmp_made = true;
    }
    r = open_db(&b, check ? out_path : tmp, opts ? opts->content_version : 0);
    if (!r)
        r = load_images(&b, &t.images);
    if (!r)
        r = load_hall(&b);
    if (!r)
        r = load_agencies(&b);
    if (!r)
        r = add_audiences(&b);
    if (!r)
        r = load_categories(&b);
    for (size_t i = 0; !r && i < t.services.n; i++) {
        t.services.v[i][strlen(t.services.v[i]) - 5] = '\0';    /* the id: no ".json" */
        r = load_service(&b, t.services.v[i]);
    }
    for (size_t i = 0; !r && i < t.onething.n; i++) {
        t.onething.v[i][strlen(t.onething.v[i]) - 5] = '\0';
        r = load_onething(&b, t.onething.v[i], (int)i);
    }
    if (!r)
        r = load_topics(&b, &t.disclosure);
    for (size_t i = 0; !r && i < t.docs.n; i++) {
        char *id = strndup(t.docs.v[i], strlen(t.docs.v[i]) - 5);
        r = id ? load_doc(&b, id) : fail_code(&b, -ENOMEM, NULL, "out of memory");
        free(id);
    }
    for (size_t i = 0; !r && i < t.consultations.n; i++) {
        t.consultations.v[i][strlen(t.consultations.v[i]) - 5] = '\0';
        r = load_consultation(&b, t.consultations.v[i]);
    }
    if (!r)
        r = load_announcements(&b, &t.root);
    for (size_t i = 0; !r && i < t.calendar.n; i++)
        r = load_calendar(&b, t.calendar.v[i]);
    for (size_t i = 0; !r && i < t.forms.n; i++) {
        t.forms.v[i][strlen(t.forms.v[i]) - 5] = '\0';
        r = load_form(&b, t.forms.v[i], (int)i);
    }
    if (!r && !check)
        r = fill_search(&b);
    if (!r)
        r = check_database(&b);
    if (!r && !check)
        r = install_db(&b, tmp, out_path);
    if (!r) {
        tmp_made = false;
        if (ret_stats)
            *ret_stats = b.stats;
    }
out:
    for (size_t i = 0; i < b.nstmts; i++)
        sqlite3_finalize(b.stmts[i].st);
    sqlite3_close(b.db);        /* an open transaction rolls back */
    if (tmp_made) {
        unlink(tmp);
        unlink(journal);
    }
    names_free(&t.root);
    names_free(&t.images);
    names_free(&t.services);
    names_free(&t.onething);
    names_free(&t.disclosure);
    names_free(&t.docs);
    names_free(&t.calendar);
    names_free(&t.forms);
    names_free(&t.consultations);
    if (b.srcfd >= 0)
        close(b.srcfd);
    free(tmp);
    free(journal);
    return r < 0 ? r : 0;
}

int cbuild_run(const char *src_dir, const char *out_path, char *err, size_t errlen)
{
    return cbuild_run_opts(src_dir, out_path, NULL, NULL, err, errlen);
}
