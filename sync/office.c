/* office.c - see office.h. */
#include "office.h"
#include "base/util.h"
#include "bundle.h"
#include "core/store.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const office_outcomes[] = {
    "disclosed",
    "partly_disclosed",
    "not_disclosed.state_secret",
    "not_disclosed.law_forbids",
    "not_disclosed.security_stability",
    "not_disclosed.third_party",
    "not_disclosed.internal_affairs",
    "not_disclosed.process_info",
    "not_disclosed.enforcement_file",
    "not_disclosed.query_matter",
    "cannot_provide.not_held",
    "cannot_provide.needs_production",
    "cannot_provide.still_unclear",
    "not_processed.petition",
    "not_processed.repeat",
    "not_processed.publication",
    "not_processed.massive",
    "not_processed.confirm_reissue",
    "other.no_supplement",
    "other.fee_unpaid",
    "other.other",
    NULL,
};

const char *const office_applicant_kinds[] = {
    "natural_person", "business", "research", "public_interest", "legal_service", "other_org", NULL,
};

const char *const office_rating_levels[] = {
    "very-satisfied", "satisfied", "basically-satisfied", "dissatisfied", "very-dissatisfied", NULL,
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS register("
    " receipt TEXT PRIMARY KEY,"
    " kind TEXT NOT NULL,"                  /* request, feedback, rating, survey, comment */
    " form TEXT NOT NULL DEFAULT '',"
    " kiosk_id TEXT NOT NULL,"
    " scope TEXT NOT NULL,"
    " applicant_kind TEXT NOT NULL DEFAULT '',"
    " detail TEXT NOT NULL DEFAULT '',"     /* a rating's level, a feedback's kind, a
                                               comment's consultation */
    " submitted_at TEXT NOT NULL,"          /* UTC, as the kiosk wrote it */
    " submitted_on TEXT NOT NULL,"          /* its local date */
    " received_on TEXT,"                    /* the confirmed legal receipt date */
    " supplement_on TEXT, supplied_on TEXT,"
    " extended_days INTEGER NOT NULL DEFAULT 0,"
    " due TEXT NOT NULL DEFAULT '', due_estimated INTEGER NOT NULL DEFAULT 0,"
    " status TEXT NOT NULL,"
    " outcome TEXT NOT NULL DEFAULT '', reason TEXT NOT NULL DEFAULT '', replied_on TEXT,"
    " follow_up_wanted INTEGER NOT NULL DEFAULT 0, follow_up TEXT, followed_up_on TEXT,"
    " via TEXT NOT NULL, sealed_sha256 TEXT NOT NULL,"
    " ingested_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
    " body TEXT NOT NULL);"                 /* the opened submission: personal data */
    "CREATE INDEX IF NOT EXISTS register_updated ON register(updated_at);"
    "CREATE INDEX IF NOT EXISTS register_scope ON register(scope, kind, updated_at);"
    /* covers the report's and the site's grouped queries */
    "CREATE INDEX IF NOT EXISTS register_report ON register(kind, applicant_kind, submitted_on, received_on,"
    " replied_on, outcome, detail, status);"
    "CREATE TABLE IF NOT EXISTS audit(id INTEGER PRIMARY KEY, at TEXT NOT NULL,"
    " receipt TEXT NOT NULL, command TEXT NOT NULL, what TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS published(scope TEXT NOT NULL, version INTEGER NOT NULL,"
    " at TEXT NOT NULL, PRIMARY KEY(scope, version));"
    "INSERT OR IGNORE INTO meta VALUES('schema_version', '1');";

static int seterr(char *err, size_t errlen, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int seterr(char *err, size_t errlen, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (err && errlen)
        vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return code;
}

bool office_outcome_valid(const char *key)
{
    for (int i = 0; office_outcomes[i]; i++)
        if (strcmp(office_outcomes[i], key) == 0)
            return true;
    return false;
}

void office_outcome_top(const char *key, char *out, size_t outlen)
{
    const char *dot = strchr(key, '.');
    snprintf(out, outlen, "%.*s", dot ? (int)(dot - key) : (int)strlen(key), key);
}

const char *office_applicant_kind(const char *choice)
{
    static const char *const map[][2] = {
        {"citizen", "natural_person"},        {"business", "business"},
        {"research", "research"},             {"public-interest", "public_interest"},
        {"legal-service", "legal_service"},   {"other", "other_org"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (choice && strcmp(choice, map[i][0]) == 0)
            return map[i][1];
    return "other_org";
}

bool office_rating_bad(const char *level)
{
    return strcmp(level, "dissatisfied") == 0 || strcmp(level, "very-dissatisfied") == 0;
}

void office_date_of(time_t t, char out[11])
{
    workday_date d;
    if (workday_date_from_time(t, &d) < 0)
        snprintf(out, 11, "1970-01-01");
    else
        workday_date_format(d, out);
}

/* ---- init ------------------------------------------------------------------------- */

/* The key file at PATH: a regular file nobody but its owner can read. */
static int key_private(const char *path, const char *what, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return seterr(err, errlen, -errno, "%s: %s: %s", path, what, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return seterr(err, errlen, -EINVAL, "%s: %s: not a regular file", path, what);
    if (st.st_mode & 077)
        return seterr(err, errlen, -EPERM,
                      "%s: %s: group or others can read it (mode %04o); chmod 600 it first", path, what,
                      (unsigned)(st.st_mode & 07777));
    return 0;
}

/* 1 when CHILD is PARENT or below it (both absolute, resolved). */
static int path_within(const char *child, const char *parent)
{
    size_t n = strlen(parent);
    if (n == 1 && parent[0] == '/')
        return 1;
    return strncmp(child, parent, n) == 0 && (child[n] == '\0' || child[n] == '/');
}

static int scope_ok(const char *s, size_t n)
{
    if (n == 0 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == '-'))
            return 0;
    }
    return !(n <= 2 && s[0] == '.');
}

static int write_file_0600(const char *path, const char *text, char *err, size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return seterr(err, errlen, -errno, "%s: %s", path, strerror(errno));
    size_t len = strlen(text);
    if (write(fd, text, len) != (ssize_t)len || fsync(fd) < 0) {
        int e = errno ? errno : EIO;
        close(fd);
        return seterr(err, errlen, -e, "%s: %s", path, strerror(e));
    }
    close(fd);
    return 0;
}

static int db_open(const char *path, sqlite3 **ret, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    char *msg = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                     " PRAGMA busy_timeout=10000;",
                     NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(db, schema, NULL, NULL, &msg) != SQLITE_OK) {
        seterr(err, errlen, -EIO, "%s: %s", path, msg ? msg : db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_free(msg);
        sqlite3_close(db);
        return -EIO;
    }
    *ret = db;
    return 0;
}

int office_init(const char *dir, const char *web_root, const char *sign_key, const char *seal_key,
                const char *scopes_csv, char *err, size_t errlen)
{
    char web[PATH_MAX], sk[PATH_MAX], ek[PATH_MAX], od[PATH_MAX], path[PATH_MAX + 32];
    int r;

    if (!realpath(web_root, web))
        return seterr(err, errlen, -errno, "%s: --web-root: %s", web_root, strerror(errno));
    if ((r = key_private(sign_key, "--sign-key", err, errlen)) < 0 ||
        (r = key_private(seal_key, "--seal-key", err, errlen)) < 0)
        return r;
    if (!realpath(sign_key, sk) || !realpath(seal_key, ek))
        return seterr(err, errlen, -errno, "%s: %s", sign_key, strerror(errno));
    if (path_within(sk, web) || path_within(ek, web))
        return seterr(err, errlen, -EPERM, "%s: --sign-key/--seal-key: a secret key under the web root", web);
    /* the scopes: a comma-separated list, each a bundle scope */
    const char *s = scopes_csv;
    int n = 0;
    while (*s) {
        const char *c = strchr(s, ',');
        size_t len = c ? (size_t)(c - s) : strlen(s);
        if (!scope_ok(s, len))
            return seterr(err, errlen, -EINVAL, "%s: --scope: \"%.*s\" is not a scope (1-64 of A-Z a-z 0-9 . _ -)",
                          dir, (int)len, s);
        if (++n > OFFICE_SCOPES_MAX)
            return seterr(err, errlen, -EINVAL, "%s: --scope: more than %d scopes", dir, OFFICE_SCOPES_MAX);
        s += len + (c ? 1 : 0);
        if (c && !*s)
            return seterr(err, errlen, -EINVAL, "%s: --scope: an empty scope", dir);
    }
    if (n == 0)
        return seterr(err, errlen, -EINVAL, "%s: --scope: at least one scope", dir);

    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return seterr(err, errlen, -errno, "%s: %s", dir, strerror(errno));
    if (!realpath(dir, od))
        return seterr(err, errlen, -errno, "%s: %s", dir, strerror(errno));
    if (path_within(od, web) || path_within(web, od))
        return seterr(err, errlen, -EPERM,
                      "%s: the office directory holds personal data; it must not be under the web root %s, nor "
                      "hold it",
                      dir, web);
    snprintf(path, sizeof path, "%s/office.ini", od);
    if (access(path, F_OK) == 0)
        return seterr(err, errlen, -EEXIST, "%s: already an office directory", dir);
    if (chmod(od, 0700) < 0)
        return seterr(err, errlen, -errno, "%s: %s", dir, strerror(errno));
    static const char *const subdirs[] = {"archive", "quarantine", "content", NULL};
    for (int i = 0; subdirs[i]; i++) {
        snprintf(path, sizeof path, "%s/%s", od, subdirs[i]);
        if (mkdir(path, 0700) < 0 && errno != EEXIST)
            return seterr(err, errlen, -errno, "%s: %s", path, strerror(errno));
    }
    mode_t old = umask(077);
    snprintf(path, sizeof path, "%s/office.db", od);
    sqlite3 *db = NULL;
    r = db_open(path, &db, err, errlen);
    sqlite3_close(db);
    umask(old);
    if (r < 0)
        return r;
    char *ini = xasprintf("# kiosk-office: the central office's settings (sync/README.md, \"kiosk-office\")\n"
                          "[office]\nweb_root = %s\nsign_key = %s\nseal_key = %s\nscopes = %s\n",
                          web, sk, ek, scopes_csv);
    snprintf(path, sizeof path, "%s/office.ini", od);
    r = write_file_0600(path, ini, err, errlen);
    free(ini);
    return r;
}

/* ---- open ------------------------------------------------------------------------- */

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

static int ini_load(struct office *o, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "re");
    char line[4200];
    int lineno = 0, r = 0;
    if (!f)
        return seterr(err, errlen, -errno, "%s: %s", path, strerror(errno));
    while (r == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        char *t = trim(line), *eq;
        if (!*t || *t == '#' || *t == ';' || strcmp(t, "[office]") == 0)
            continue;
        if (!(eq = strchr(t, '='))) {
            r = seterr(err, errlen, -EINVAL, "%s:%d: not \"key = value\"", path, lineno);
            break;
        }
        *eq = '\0';
        char *k = trim(t), *v = trim(eq + 1);
        if (strcmp(k, "web_root") == 0)
            free(o->web_root), o->web_root = xstrdup(v);
        else if (strcmp(k, "sign_key") == 0)
            free(o->sign_key), o->sign_key = xstrdup(v);
        else if (strcmp(k, "seal_key") == 0)
            free(o->seal_key), o->seal_key = xstrdup(v);
        else if (strcmp(k, "scopes") == 0) {
            for (char *save = NULL, *tok = strtok_r(v, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
                tok = trim(tok);
                if (!scope_ok(tok, strlen(tok)) || o->n_scopes >= OFFICE_SCOPES_MAX) {
                    r = seterr(err, errlen, -EINVAL, "%s:%d: scopes: \"%s\" is not a scope", path, lineno, tok);
                    break;
                }
                o->scopes[o->n_scopes++] = xstrdup(tok);
            }
        } else
            r = seterr(err, errlen, -EINVAL, "%s:%d: %s: unknown key", path, lineno, k);
    }
    fclose(f);
    if (r == 0 && (!o->web_root || !o->sign_key || !o->seal_key || o->n_scopes == 0))
        r = seterr(err, errlen, -EINVAL, "%s: web_root, sign_key, seal_key and scopes must all be set", path);
    return r;
}

int office_open(struct office *o, const char *dir, time_t now, char *err, size_t errlen)
{
    char path[PATH_MAX];
    int r;
    memset(o, 0, sizeof *o);
    o->dir = xstrdup(dir);
    o->now = now;
    o->command = "";
    if (workday_date_from_time(now, &o->today) < 0) {
        office_close(o);
        return seterr(err, errlen, -EINVAL, "--now: not a usable time");
    }
    snprintf(path, sizeof path, "%s/office.ini", dir);
    if ((r = ini_load(o, path, err, errlen)) < 0) {
        office_close(o);
        return r;
    }
    snprintf(path, sizeof path, "%s/office.db", dir);
    if (access(path, F_OK) < 0) {
        office_close(o);
        return seterr(err, errlen, -ENOENT, "%s: no office.db (run kiosk-office init first)", dir);
    }
    mode_t old = umask(077);
    r = db_open(path, &o->db, err, errlen);
    umask(old);
    if (r < 0) {
        office_close(o);
        return r;
    }
    return 0;
}

void office_close(struct office *o)
{
    sqlite3_close(o->db);
    for (int i = 0; i < o->n_scopes; i++) {
        free(o->scopes[i]);
        workday_cal_free(o->cals[i]);
    }
    free(o->dir);
    free(o->web_root);
    free(o->sign_key);
    free(o->seal_key);
    memset(o, 0, sizeof *o);
}

int office_scope_index(const struct office *o, const char *scope)
{
    for (int i = 0; i < o->n_scopes; i++)
        if (strcmp(o->scopes[i], scope) == 0)
            return i;
    return -1;
}

const struct workday_cal *office_calendar(struct office *o, const char *scope)
{
    int i = office_scope_index(o, scope);
    if (i < 0)
        return NULL;
    if (!o->cal_loaded[i]) {
        char path[PATH_MAX], err[256];
        store *st = NULL;
        struct hall h;
        o->cal_loaded[i] = true;
        snprintf(path, sizeof path, "%s/content/%s.db", o->dir, scope);
        if (access(path, R_OK) == 0 && store_open(path, &st, err, sizeof err) == 0) {
            memset(&h, 0, sizeof h);
            if (store_hall(st, &h) == 0 && h.region)
                store_calendar(st, h.region, &o->cals[i]);
            hall_free(&h);
            store_close(st);
        }
    }
    return o->cals[i];
}

/* ---- statements ------------------------------------------------------------------- */

int office_exec(struct office *o, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(o->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(o->err, sizeof o->err, "office.db: %s", msg ? msg : sqlite3_errmsg(o->db));
        sqlite3_free(msg);
        return -EIO;
    }
    return 0;
}

sqlite3_stmt *office_prepare(struct office *o, const char *sql)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(o->db, sql, -1, &s, NULL) != SQLITE_OK) {
        snprintf(o->err, sizeof o->err, "office.db: %s", sqlite3_errmsg(o->db));
        return NULL;
    }
    return s;
}

int office_begin(struct office *o)
{
    return office_exec(o, "BEGIN IMMEDIATE");
}

int office_commit(struct office *o)
{
    return office_exec(o, "COMMIT");
}

void office_rollback(struct office *o)
{
    if (!sqlite3_get_autocommit(o->db))
        sqlite3_exec(o->db, "ROLLBACK", NULL, NULL, NULL);
}

int office_audit(struct office *o, const char *receipt, const char *what)
{
    char at[32];
    struct tm tm;
    gmtime_r(&o->now, &tm);
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    sqlite3_stmt *s = office_prepare(o, "INSERT INTO audit(at, receipt, command, what) VALUES(?,?,?,?)");
    if (!s)
        return -EIO;
    sqlite3_bind_text(s, 1, at, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, receipt ? receipt : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, o->command ? o->command : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 4, what, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        snprintf(o->err, sizeof o->err, "office.db: audit: %s", sqlite3_errmsg(o->db));
        return -EIO;
    }
    return 0;
}

/* ---- dates ------------------------------------------------------------------------ */

int office_compute_due(struct office *o, const char *scope, const char *submitted_on,
                       const char *received_on, const char *supplement_on, const char *supplied_on,
                       int extended_days, char due[11], bool *ret_est)
{
    const struct workday_cal *cal = office_calendar(o, scope);
    workday_date base, d;
    bool est = false, est2 = false;
    const char *from = received_on && *received_on ? received_on : submitted_on;

    due[0] = '\0';
    *ret_est = false;
    if (supplement_on && *supplement_on) {
        if (!supplied_on || !*supplied_on)
            return 0; /* the clock stands while the office waits for the supplement */
        from = supplied_on;
    }
    if (!from || workday_date_parse(from, &base) < 0)
        return -EINVAL;
    if (workday_reply_deadline(cal, base, &d, &est) < 0)
        return -ERANGE;
    if (extended_days > 0 && workday_add(cal, d, extended_days, &d, &est2) < 0)
        return -ERANGE;
    workday_date_format(d, due);
    *ret_est = est || est2;
    return 0;
}

int office_update_due(struct office *o, const char *receipt)
{
    sqlite3_stmt *s = office_prepare(o, "SELECT scope, submitted_on, received_on, supplement_on, supplied_on,"
                                        " extended_days, kind FROM register WHERE receipt = ?");
    char due[11];
    bool est = false;
    int r;
    if (!s)
        return -EIO;
    sqlite3_bind_text(s, 1, receipt, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_finalize(s);
        snprintf(o->err, sizeof o->err, "%s: no such receipt in the register", receipt);
        return -ENOENT;
    }
    if (strcmp((const char *)sqlite3_column_text(s, 6), "request") != 0) {
        sqlite3_finalize(s);
        return 0;
    }
    r = office_compute_due(o, (const char *)sqlite3_column_text(s, 0), (const char *)sqlite3_column_text(s, 1),
                           (const char *)sqlite3_column_text(s, 2), (const char *)sqlite3_column_text(s, 3),
                           (const char *)sqlite3_column_text(s, 4), sqlite3_column_int(s, 5), due, &est);
    sqlite3_finalize(s);
    if (r < 0) {
        snprintf(o->err, sizeof o->err, "%s: the due date cannot be computed from its dates", receipt);
        return r;
    }
    s = office_prepare(o, "UPDATE register SET due = ?, due_estimated = ? WHERE receipt = ?");
    if (!s)
        return -EIO;
    sqlite3_bind_text(s, 1, due, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 2, est);
    sqlite3_bind_text(s, 3, receipt, -1, SQLITE_TRANSIENT);
    r = sqlite3_step(s) == SQLITE_DONE ? 0 : -EIO;
    sqlite3_finalize(s);
    return r;
}

bool office_overdue(const struct office *o, const char *due, const char *status)
{
    workday_date d;
    if (!due || !*due || strcmp(status, "replied") == 0 || workday_date_parse(due, &d) < 0)
        return false;
    return workday_overdue(d, o->today);
}
