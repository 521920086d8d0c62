/* state.c - see state.h. */
#include "state.h"
#include "base/civil.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sqlite3.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

struct state {
    sqlite3 *db;
};

/* version n upgrades from n-1; index 0 creates version 1 */
static const char *const migrations[] = {
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);",
    "CREATE TABLE usage(kind TEXT NOT NULL, ref TEXT NOT NULL,"
    " views INTEGER NOT NULL DEFAULT 0, qr_shows INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY(kind, ref)) WITHOUT ROWID;",
    /* 3: the outbox (id orders it oldest first; sealed is NULL once purged), the
     * per-day receipt sequence, and the status cache the sync agent fills */
    "CREATE TABLE outbox(id INTEGER PRIMARY KEY, receipt TEXT NOT NULL UNIQUE,"
    " kind TEXT NOT NULL, created_at TEXT NOT NULL, due_date TEXT NOT NULL,"
    " due_estimated INTEGER NOT NULL, follow_up INTEGER NOT NULL,"
    " uploaded_at TEXT NOT NULL DEFAULT '', exported_at TEXT NOT NULL DEFAULT '',"
    " sealed BLOB);"
    "CREATE TABLE receipt_seq(day TEXT PRIMARY KEY, last INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE status_cache(receipt TEXT PRIMARY KEY, status TEXT NOT NULL,"
    " outcome TEXT NOT NULL, reason TEXT NOT NULL, updated_at TEXT NOT NULL,"
    " due_date TEXT NOT NULL);",
    /* 4: failed searches (the content team's to-do list) and the staff menu */
    "CREATE TABLE search_miss(day TEXT NOT NULL, key TEXT NOT NULL, count INTEGER NOT NULL,"
    " PRIMARY KEY(day, key)) WITHOUT ROWID;"
    "CREATE TABLE staff_pin(id INTEGER PRIMARY KEY CHECK(id = 1), hash TEXT NOT NULL,"
    " failures INTEGER NOT NULL DEFAULT 0, locked_until INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE staff_log(id INTEGER PRIMARY KEY, at TEXT NOT NULL, what TEXT NOT NULL);",
    /* 5: staff_pin.hash is '' until staff set their own PIN. Older kiosks copied the
     * initial hash (often the demo's) into it on the first attempt; a hash is kept
     * only when the log says staff changed the PIN. */
    ("UPDATE staff_pin SET hash='' WHERE NOT EXISTS"
     " (SELECT 1 FROM staff_log WHERE what='PIN changed');"),
    /* 6: the notices hall staff post for the day (local times, see state.h) */
    "CREATE TABLE staff_notice(id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL,"
    " urgent INTEGER NOT NULL, posted_at TEXT NOT NULL, expires TEXT NOT NULL);",
};
_Static_assert(ARRAY_SIZE(migrations) == STATE_SCHEMA_VERSION, "a version without a migration");

static int exec(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return -EIO;
    }
    return 0;
}

/* Makes PATH (created if missing) mode 0600, before SQLite opens it: SQLite gives its
 * -wal and -shm the main file's mode. An older kiosk's 0644 file, -wal and -shm are
 * narrowed too. Returns 0 or a negative errno. */
static int make_private(const char *path)
{
    if (strcmp(path, ":memory:") == 0 || strncmp(path, "file:", 5) == 0)
        return 0;
    const char *suffix[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < ARRAY_SIZE(suffix); i++) {
        char *p = xasprintf("%s%s", path, suffix[i]);
        int fd = open(p, O_RDWR | O_CLOEXEC | O_NOFOLLOW | (i == 0 ? O_CREAT : 0), 0600);
        int e = fd < 0 ? errno : 0;
        if (fd >= 0 && fchmod(fd, 0600) < 0)
            e = errno;
        if (fd >= 0)
            close(fd);
        free(p);
        if (e && !(i > 0 && e == ENOENT))
            return -e;
    }
    return 0;
}

int state_open(const char *path, state **ret, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    char msg[256];
    int r = make_private(path);
    if (r < 0) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(-r));
        return -EIO;
    }
    r = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (r != SQLITE_OK) {
        snprintf(err, errlen, "%s: cannot open: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return -EIO;
    }
    sqlite3_busy_timeout(db, 5000);
    if (exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
                 "PRAGMA cache_size=-512; PRAGMA journal_size_limit=" STATE_WAL_LIMIT_STR ";",
             msg, sizeof msg) < 0)
        goto fail;
    int version = 0;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        version = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    if (version > STATE_SCHEMA_VERSION) {
        snprintf(err, errlen, "%s: state schema version %d is newer than this kiosk's %d",
                 path, version, STATE_SCHEMA_VERSION);
        sqlite3_close(db);
        return -EPROTO;
    }
    for (int v = version; v < STATE_SCHEMA_VERSION; v++) {
        char *sql = xasprintf("BEGIN; %s PRAGMA user_version=%d; COMMIT;", migrations[v], v + 1);
        r = exec(db, sql, msg, sizeof msg);
        free(sql);
        if (r < 0) {
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            goto fail;
        }
    }
    state *st = xcalloc(1, sizeof *st);
    st->db = db;
    *ret = st;
    return 0;
fail:
    snprintf(err, errlen, "%s: %s", path, msg);
    sqlite3_close(db);
    return -EIO;
}

void state_close(state *st)
{
    if (!st)
        return;
    sqlite3_close(st->db);
    free(st);
}

int state_pragma_int(state *st, const char *pragma, int *ret)
{
    char *sql = xasprintf("PRAGMA %s", pragma);
    sqlite3_stmt *s = NULL;
    int r = -EIO;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW) {
        *ret = sqlite3_column_int(s, 0);
        r = 0;
    }
    sqlite3_finalize(s);
    free(sql);
    return r;
}

char *state_journal_mode(state *st)
{
    sqlite3_stmt *s = NULL;
    char *v = NULL;
    if (sqlite3_prepare_v2(st->db, "PRAGMA journal_mode", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        v = xstrdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return v;
}

int state_count(state *st, const char *kind, const char *ref, enum state_counter c)
{
    const char *sql = c == STATE_VIEWS
        ? "INSERT INTO usage(kind, ref, views) VALUES(?1, ?2, 1) "
          "ON CONFLICT(kind, ref) DO UPDATE SET views = views + 1"
        : "INSERT INTO usage(kind, ref, qr_shows) VALUES(?1, ?2, 1) "
          "ON CONFLICT(kind, ref) DO UPDATE SET qr_shows = qr_shows + 1";
    sqlite3_stmt *s = NULL;
    if (strlen(ref) > 128 || sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return -EINVAL;
    sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, ref, -1, SQLITE_STATIC);
    int r = sqlite3_step(s) == SQLITE_DONE ? 0 : -EIO;
    sqlite3_finalize(s);
    return r;
}

int state_usage(state *st, const char *kind, const char *ref, int *ret_views, int *ret_qr)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT views, qr_shows FROM usage WHERE kind=? AND ref=?",
                           -1, &s, NULL) != SQLITE_OK)
        return -EIO;
    sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, ref, -1, SQLITE_STATIC);
    *ret_views = *ret_qr = 0;
    if (sqlite3_step(s) == SQLITE_ROW) {
        *ret_views = sqlite3_column_int(s, 0);
        *ret_qr = sqlite3_column_int(s, 1);
    }
    sqlite3_finalize(s);
    return 0;
}

/* ---- the outbox ------------------------------------------------------------------ */

/* S fits a char[size] field (with its NUL) and, unless may_be_empty, is not empty. */
static bool fits(const char *s, size_t size, bool may_be_empty)
{
    if (!s)
        return false;
    size_t n = strnlen(s, size);
    return n < size && (may_be_empty || n > 0);
}

static void copy_col(sqlite3_stmt *s, int i, char *out, size_t size)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    snprintf(out, size, "%s", t ? (const char *)t : "");
}

static bool printer_word_ok(const char *w)
{
    size_t n = strlen(w);
    if (n == 0 || n > 31)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((w[i] >= 'a' && w[i] <= 'z') || w[i] == '-'))
            return false;
    return true;
}

int state_printer_get(state *st, char *what, size_t what_size, char *since, size_t since_size)
{
    sqlite3_stmt *s = NULL;
    what[0] = since[0] = '\0';
    if (sqlite3_prepare_v2(st->db, "SELECT key, value FROM meta WHERE key IN ('printer_state', 'printer_state_since')",
                           -1, &s, NULL) != SQLITE_OK)
        return -EIO;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        bool is_state = strcmp((const char *)sqlite3_column_text(s, 0), "printer_state") == 0;
        copy_col(s, 1, is_state ? what : since, is_state ? what_size : since_size);
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : -EIO;
}

int state_printer_seen(state *st, const char *what, const char *at)
{
    char was[32], since[32];
    if (!printer_word_ok(what) || !fits(at, 32, false))
        return -EINVAL;
    int r = state_printer_get(st, was, sizeof was, since, sizeof since);
    if (r < 0)
        return r;
    if (strcmp(was, what) == 0 && since[0])
        return 0;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "INSERT OR REPLACE INTO meta(key, value) VALUES('printer_state', ?1), "
                                   "('printer_state_since', ?2)", -1, &s, NULL) != SQLITE_OK)
        return -EIO;
    sqlite3_bind_text(s, 1, what, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, at, -1, SQLITE_STATIC);
    r = sqlite3_step(s) == SQLITE_DONE ? 1 : -EIO;
    sqlite3_finalize(s);
    return r;
}

static void rollback(state *st)
{
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

static int sqlite_err(int rc)
{
    return rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? -EBUSY : -EIO;
}

int state_outbox_add(state *st, struct outbox_entry *e, const char *day,
                     int (*make_receipt)(void *ctx, const char *day, int seq, char *ret),
                     void *ctx, const void *sealed, size_t len)
{
    char receipt[OUTBOX_RECEIPT_MAX] = "";
    sqlite3_stmt *s = NULL;
    int r, rc, seq = 0;

    if (!e || !make_receipt || !sealed || len == 0 || len > OUTBOX_SEALED_MAX ||
        !fits(day, 9, false) || strlen(day) != 8 || strspn(day, "0123456789") != 8 ||
        !fits(e->kind, sizeof e->kind, false) || !fits(e->created_at, sizeof e->created_at, false) ||
        !fits(e->due_date, sizeof e->due_date, true))
        return -EINVAL;
    rc = sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return sqlite_err(rc);

    r = -EIO;
    if (sqlite3_prepare_v2(st->db, "INSERT INTO receipt_seq(day, last) VALUES(?, 1)"
                           " ON CONFLICT(day) DO UPDATE SET last = last + 1 RETURNING last",
                           -1, &s, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_text(s, 1, day, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        r = sqlite_err(rc);
        goto fail;
    }
    seq = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    s = NULL;

    r = make_receipt(ctx, day, seq, receipt);
    if (r < 0)
        goto fail;
    if (!fits(receipt, sizeof receipt, false)) {
        r = -EINVAL;
        goto fail;
    }

    r = -EIO;
    if (sqlite3_prepare_v2(st->db, "INSERT INTO outbox(receipt, kind, created_at, due_date,"
                           " due_estimated, follow_up, sealed) VALUES(?, ?, ?, ?, ?, ?, ?)",
                           -1, &s, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_text(s, 1, receipt, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, e->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, e->created_at, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, e->due_date, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 5, e->due_estimated ? 1 : 0);
    sqlite3_bind_int(s, 6, e->follow_up ? 1 : 0);
    sqlite3_bind_blob(s, 7, sealed, (int)len, SQLITE_STATIC);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    s = NULL;
    if (rc != SQLITE_DONE) {
        /* a receipt number already taken is the callback's bug, not a disk error */
        r = rc == SQLITE_CONSTRAINT ? -EEXIST : sqlite_err(rc);
        goto fail;
    }
    rc = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        r = sqlite_err(rc);
        goto fail;
    }
    if (seq == 1) { /* the first submission of a new day */
        char iso[11];
        snprintf(iso, sizeof iso, "%.4s-%.2s-%.2s", day, day + 4, day + 6);
        state_rollup(st, iso);
    }
    memcpy(e->receipt, receipt, sizeof e->receipt);
    e->uploaded_at[0] = e->exported_at[0] = '\0';
    e->due_estimated = e->due_estimated ? 1 : 0;
    e->follow_up = e->follow_up ? 1 : 0;
    e->has_sealed = 1;
    return 0;
fail:
    sqlite3_finalize(s);
    rollback(st);
    return r;
}

#define OUTBOX_COLUMNS                                                                   \
    "id, receipt, kind, created_at, due_date, due_estimated, follow_up, uploaded_at,"    \
    " exported_at, sealed IS NOT NULL"

static void read_entry(sqlite3_stmt *s, struct outbox_entry *e)
{
    memset(e, 0, sizeof *e);
    copy_col(s, 1, e->receipt, sizeof e->receipt);
    copy_col(s, 2, e->kind, sizeof e->kind);
    copy_col(s, 3, e->created_at, sizeof e->created_at);
    copy_col(s, 4, e->due_date, sizeof e->due_date);
    e->due_estimated = sqlite3_column_int(s, 5);
    e->follow_up = sqlite3_column_int(s, 6);
    copy_col(s, 7, e->uploaded_at, sizeof e->uploaded_at);
    copy_col(s, 8, e->exported_at, sizeof e->exported_at);
    e->has_sealed = sqlite3_column_int(s, 9);
}

int state_outbox_get(state *st, const char *receipt, struct outbox_entry *ret)
{
    sqlite3_stmt *s = NULL;
    if (!receipt || sqlite3_prepare_v2(st->db, "SELECT " OUTBOX_COLUMNS " FROM outbox"
                                       " WHERE receipt = ?", -1, &s, NULL) != SQLITE_OK)
        return receipt ? -EIO : -EINVAL;
    sqlite3_bind_text(s, 1, receipt, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s), r;
    if (rc == SQLITE_ROW) {
        read_entry(s, ret);
        r = 0;
    } else {
        r = rc == SQLITE_DONE ? -ENOENT : sqlite_err(rc);
    }
    sqlite3_finalize(s);
    return r;
}

int state_outbox_sealed(state *st, const char *receipt, void **ret_data, size_t *ret_len)
{
    sqlite3_stmt *s = NULL;
    if (!receipt || sqlite3_prepare_v2(st->db, "SELECT sealed FROM outbox WHERE receipt = ?"
                                       " AND sealed IS NOT NULL", -1, &s, NULL) != SQLITE_OK)
        return receipt ? -EIO : -EINVAL;
    sqlite3_bind_text(s, 1, receipt, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s), r;
    if (rc == SQLITE_ROW) {
        int n = sqlite3_column_bytes(s, 0);
        if (n <= 0 || n > OUTBOX_SEALED_MAX) {
            r = -EFBIG;
        } else {
            void *d = xmalloc((size_t)n);
            memcpy(d, sqlite3_column_blob(s, 0), (size_t)n);
            *ret_data = d;
            *ret_len = (size_t)n;
            r = 0;
        }
    } else {
        r = rc == SQLITE_DONE ? -ENOENT : sqlite_err(rc);
    }
    sqlite3_finalize(s);
    return r;
}

/* Reads a page of entries at a time and calls FN outside any statement, so FN may
 * mark the entries it is given (the sync agent does) and the walk stays bounded. */
int state_outbox_each(state *st, enum outbox_filter which,
                      int (*fn)(void *ctx, const struct outbox_entry *e), void *ctx)
{
    enum { PAGE = 64 };
    static const char *const sql[] = {
        [OUTBOX_ALL] = "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE id > ?"
                       " ORDER BY id LIMIT 64",
        [OUTBOX_NOT_UPLOADED] = "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE id > ?"
                                " AND uploaded_at = '' ORDER BY id LIMIT 64",
        [OUTBOX_NOT_EXPORTED] = "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE id > ?"
                                " AND exported_at = '' ORDER BY id LIMIT 64",
    };
    struct outbox_entry *page;
    sqlite3_int64 last = 0;
    int r = 0;

    if ((unsigned)which >= ARRAY_SIZE(sql) || !fn)
        return -EINVAL;
    page = xcalloc(PAGE, sizeof *page);
    for (;;) {
        sqlite3_stmt *s = NULL;
        int n = 0, rc = SQLITE_DONE;
        if (sqlite3_prepare_v2(st->db, sql[which], -1, &s, NULL) != SQLITE_OK) {
            r = -EIO;
            break;
        }
        sqlite3_bind_int64(s, 1, last);
        while (n < PAGE && (rc = sqlite3_step(s)) == SQLITE_ROW) {
            read_entry(s, &page[n++]);
            last = sqlite3_column_int64(s, 0);
        }
        if (n < PAGE && rc != SQLITE_DONE)
            r = sqlite_err(rc);
        sqlite3_finalize(s);
        for (int i = 0; !r && i < n; i++)
            r = fn(ctx, &page[i]);
        if (r || n < PAGE)
            break;
    }
    free(page);
    return r;
}

static int outbox_mark(state *st, const char *sql, const char *receipt, const char *when)
{
    sqlite3_stmt *s = NULL;
    if (!receipt || !fits(when, sizeof ((struct outbox_entry *)0)->uploaded_at, false))
        return -EINVAL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return -EIO;
    sqlite3_bind_text(s, 1, when, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, receipt, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return sqlite_err(rc);
    return sqlite3_changes(st->db) ? 0 : -ENOENT;
}

int state_outbox_mark_uploaded(state *st, const char *receipt, const char *when)
{
    return outbox_mark(st, "UPDATE outbox SET uploaded_at = ? WHERE receipt = ?", receipt,
                       when);
}

int state_outbox_mark_exported(state *st, const char *receipt, const char *when)
{
    return outbox_mark(st, "UPDATE outbox SET exported_at = ? WHERE receipt = ?", receipt,
                       when);
}

int state_outbox_counts(state *st, int *ret_pending, int *ret_uploaded, int *ret_exported)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT count(*) FILTER (WHERE uploaded_at = ''),"
                           " count(*) FILTER (WHERE uploaded_at != ''),"
                           " count(*) FILTER (WHERE exported_at != '') FROM outbox",
                           -1, &s, NULL) != SQLITE_OK)
        return -EIO;
    int rc = sqlite3_step(s), r = 0;
    if (rc == SQLITE_ROW) {
        if (ret_pending)
            *ret_pending = sqlite3_column_int(s, 0);
        if (ret_uploaded)
            *ret_uploaded = sqlite3_column_int(s, 1);
        if (ret_exported)
            *ret_exported = sqlite3_column_int(s, 2);
    } else {
        r = sqlite_err(rc);
    }
    sqlite3_finalize(s);
    return r;
}

int state_outbox_purge(state *st, const char *cutoff)
{
    sqlite3_stmt *s = NULL;
    if (!fits(cutoff, 32, false))
        return -EINVAL;
    if (sqlite3_prepare_v2(st->db, "UPDATE outbox SET sealed = NULL WHERE sealed IS NOT NULL"
                           " AND uploaded_at != '' AND uploaded_at < ?", -1, &s, NULL) !=
        SQLITE_OK)
        return -EIO;
    sqlite3_bind_text(s, 1, cutoff, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return sqlite_err(rc);
    return sqlite3_changes(st->db);
}

/* ---- the status cache ------------------------------------------------------------- */

const char *const state_status_outcomes[] = {
    "disclosed", "partly_disclosed", "not_disclosed", "cannot_provide", "not_processed",
    "other", "in_progress", NULL,
};

int state_status_get(state *st, const char *receipt, struct status_entry *ret)
{
    sqlite3_stmt *s = NULL;
    if (!receipt)
        return -EINVAL;
    if (sqlite3_prepare_v2(st->db, "SELECT receipt, status, outcome, reason, updated_at,"
                           " due_date FROM status_cache WHERE receipt = ?", -1, &s, NULL) !=
        SQLITE_OK)
        return -EIO;
    sqlite3_bind_text(s, 1, receipt, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s), r = 0;
    if (rc == SQLITE_ROW) {
        memset(ret, 0, sizeof *ret);
        copy_col(s, 0, ret->receipt, sizeof ret->receipt);
        copy_col(s, 1, ret->status, sizeof ret->status);
        copy_col(s, 2, ret->outcome, sizeof ret->outcome);
        copy_col(s, 3, ret->reason, sizeof ret->reason);
        copy_col(s, 4, ret->updated_at, sizeof ret->updated_at);
        copy_col(s, 5, ret->due_date, sizeof ret->due_date);
    } else {
        r = rc == SQLITE_DONE ? -ENOENT : sqlite_err(rc);
    }
    sqlite3_finalize(s);
    return r;
}

int state_status_put(state *st, const struct status_entry *e)
{
    bool known = false;
    sqlite3_stmt *s = NULL;

    if (!e || !fits(e->receipt, sizeof e->receipt, false) ||
        !fits(e->status, sizeof e->status, false) || !fits(e->outcome, sizeof e->outcome, false) ||
        !fits(e->reason, sizeof e->reason, true) ||
        !fits(e->updated_at, sizeof e->updated_at, false) ||
        !fits(e->due_date, sizeof e->due_date, true))
        return -EINVAL;
    for (int i = 0; state_status_outcomes[i]; i++)
        known = known || strcmp(state_status_outcomes[i], e->outcome) == 0;
    if (!known)
        return -EINVAL;
    if (sqlite3_prepare_v2(st->db, "INSERT OR REPLACE INTO status_cache(receipt, status,"
                           " outcome, reason, updated_at, due_date) VALUES(?, ?, ?, ?, ?, ?)",
                           -1, &s, NULL) != SQLITE_OK)
        return -EIO;
    sqlite3_bind_text(s, 1, e->receipt, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, e->status, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, e->outcome, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, e->reason, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, e->updated_at, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, e->due_date, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : sqlite_err(rc);
}

/* ---- failed searches ---------------------------------------------------------------- */

#define SEARCH_MISS_KEY_MAX 256
#define SEARCH_MISS_PER_DAY 1000

int state_search_miss(state *st, const char *key, const char *day)
{
    if (!key || !*key || strlen(key) > SEARCH_MISS_KEY_MAX)
        return -E2BIG;
    sqlite3_stmt *s = NULL;
    int distinct = 0;
    if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM search_miss WHERE day=?", -1, &s, NULL) != SQLITE_OK)
        return -EIO;
    sqlite3_bind_text(s, 1, day, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW)
        distinct = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    if (distinct == 0)
        state_rollup(st, day); /* the first miss of a new day */
    const char *sql = distinct >= SEARCH_MISS_PER_DAY
        ? "UPDATE search_miss SET count = count + 1 WHERE day=?2 AND key=?1"
        : "INSERT INTO search_miss(day, key, count) VALUES(?2, ?1, 1) "
          "ON CONFLICT(day, key) DO UPDATE SET count = count + 1";
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return -EIO;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, day, -1, SQLITE_STATIC);
    int r = sqlite3_step(s) == SQLITE_DONE ? 0 : -EIO;
    if (r == 0 && distinct >= SEARCH_MISS_PER_DAY && sqlite3_changes(st->db) == 0)
        r = -E2BIG;
    sqlite3_finalize(s);
    return r;
}

int state_rollup(state *st, const char *today)
{
    if (!today || strlen(today) != 10)
        return -EINVAL;
    char *sql = sqlite3_mprintf(
        "BEGIN IMMEDIATE;"
        /* days before the window: one row per month and key */
        "INSERT INTO search_miss(day, key, count)"
        " SELECT substr(day, 1, 7), key, sum(count) FROM search_miss"
        " WHERE length(day) = 10 AND day < date(%Q, '-%d days') GROUP BY 1, 2"
        " ON CONFLICT(day, key) DO UPDATE SET count = count + excluded.count;"
        "DELETE FROM search_miss WHERE length(day) = 10 AND day < date(%Q, '-%d days');"
        /* a month keeps its most frequent keys only */
        "DELETE FROM search_miss WHERE length(day) = 7 AND (day, key) NOT IN"
        " (SELECT day, key FROM (SELECT day, key, row_number() OVER"
        "  (PARTITION BY day ORDER BY count DESC, key) AS n FROM search_miss WHERE length(day) = 7)"
        "  WHERE n <= %d);"
        "DELETE FROM search_miss WHERE length(day) = 7 AND day < strftime('%%Y-%%m', date(%Q, '-%d months'));"
        "COMMIT;",
        today, STATE_MISS_DAYS, today, STATE_MISS_DAYS, STATE_MISS_MONTH_KEYS, today, STATE_MISS_MONTHS);
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK) {
        int r = sqlite_err(rc);
        rollback(st);
        return r;
    }
    return 0;
}

int state_search_misses(state *st, const char *since,
                        int (*each)(void *ctx, const char *day, const char *key, int count), void *ctx)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT day, key, count FROM search_miss WHERE day >= ? "
                                   "ORDER BY count DESC, day, key LIMIT 10000", -1, &s, NULL) != SQLITE_OK)
        return -EIO;
    sqlite3_bind_text(s, 1, since, -1, SQLITE_STATIC);
    int r = 0;
    while (r == 0 && sqlite3_step(s) == SQLITE_ROW)
        r = each(ctx, (const char *)sqlite3_column_text(s, 0), (const char *)sqlite3_column_text(s, 1),
                 sqlite3_column_int(s, 2));
    sqlite3_finalize(s);
    return r;
}

/* ---- the staff menu ------------------------------------------------------------------ */

static bool pin_ok(const char *pin)
{
    size_t n = strlen(pin);
    if (n < STAFF_PIN_MIN || n > STAFF_PIN_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (pin[i] < '0' || pin[i] > '9')
            return false;
    return true;
}

int state_staff_log(state *st, const char *what)
{
    sqlite3_stmt *s = NULL;
    char at[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (sqlite3_prepare_v2(st->db, "INSERT INTO staff_log(at, what) VALUES(?, ?)", -1, &s, NULL) != SQLITE_OK)
        return -EIO;
    sqlite3_bind_text(s, 1, at, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, what, -1, SQLITE_STATIC);
    int r = sqlite3_step(s) == SQLITE_DONE ? 0 : -EIO;
    sqlite3_finalize(s);
    /* the log is for the last weeks, not for ever */
    sqlite3_exec(st->db, "DELETE FROM staff_log WHERE id <= (SELECT max(id) FROM staff_log) - 1000", NULL, NULL, NULL);
    return r;
}

int state_staff_log_tail(state *st, int n, void (*fn)(void *ctx, const char *at, const char *what), void *ctx)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT at, what FROM staff_log ORDER BY id DESC LIMIT ?", -1, &s, NULL) != SQLITE_OK)
        return -EIO;
    sqlite3_bind_int(s, 1, CLAMP(n, 0, 100));
    while (sqlite3_step(s) == SQLITE_ROW)
        fn(ctx, (const char *)sqlite3_column_text(s, 0), (const char *)sqlite3_column_text(s, 1));
    sqlite3_finalize(s);
    return 0;
}

/* Whether HASH (a crypto_pwhash_str string) costs at least the interactive limits. */
static bool hash_cost_ok(const char *hash)
{
    const char *p = strstr(hash, "$m=");
    long m = 0, t = 0;
    if (strncmp(hash, "$argon2id$", 10) != 0 || !p || sscanf(p, "$m=%ld,t=%ld", &m, &t) != 2)
        return false;
    return (unsigned long long)m * 1024 >= crypto_pwhash_MEMLIMIT_INTERACTIVE &&
           (unsigned long long)t >= crypto_pwhash_OPSLIMIT_INTERACTIVE;
}

/* Stores the Argon2id hash of PIN at interactive cost as staff's own PIN, and resets
 * the failures. 0, -EIO. */
static int store_pin(state *st, const char *pin)
{
    char hash[crypto_pwhash_STRBYTES];
    if (sodium_init() < 0 ||
        crypto_pwhash_str(hash, pin, strlen(pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return -EIO;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "INSERT INTO staff_pin(id, hash, failures, locked_until) VALUES(1, ?, 0, 0) "
                                   "ON CONFLICT(id) DO UPDATE SET hash=excluded.hash, failures=0, locked_until=0",
                           -1, &s, NULL) != SQLITE_OK)
        return -EIO;
    sqlite3_bind_text(s, 1, hash, -1, SQLITE_TRANSIENT);
    int r = sqlite3_step(s) == SQLITE_DONE ? 0 : -EIO;
    sqlite3_finalize(s);
    sodium_memzero(hash, sizeof hash);
    return r;
}

int state_staff_set_pin(state *st, const char *pin)
{
    if (!pin_ok(pin))
        return -EINVAL;
    int r = store_pin(st, pin);
    if (r == 0)
        state_staff_log(st, "PIN changed");
    return r;
}

int state_staff_check(state *st, const char *pin, const char *initial_hash, long now, long *ret_wait)
{
    char hash[crypto_pwhash_STRBYTES] = "";
    int failures = 0;
    long locked_until = 0;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT hash, failures, locked_until FROM staff_pin WHERE id=1", -1, &s, NULL) !=
        SQLITE_OK)
        return -EIO;
    if (sqlite3_step(s) == SQLITE_ROW) {
        snprintf(hash, sizeof hash, "%s", (const char *)sqlite3_column_text(s, 0));
        failures = sqlite3_column_int(s, 1);
        locked_until = (long)sqlite3_column_int64(s, 2);
    }
    sqlite3_finalize(s);
    /* '' = staff never set a PIN: the configured (or demo) hash, never stored */
    bool own = hash[0] != '\0';
    if (!own && initial_hash)
        snprintf(hash, sizeof hash, "%s", initial_hash);
    if (now < locked_until) {
        *ret_wait = locked_until - now;
        state_staff_log(st, "PIN attempt while locked");
        return -EBUSY;
    }
    if (!pin_ok(pin)) {
        state_staff_log(st, "PIN attempt: not 4-12 digits");
        return -EINVAL;
    }
    bool right = hash[0] && sodium_init() >= 0 && crypto_pwhash_str_verify(hash, pin, strlen(pin)) == 0;
    bool cheap = own && right && !hash_cost_ok(hash);
    sodium_memzero(hash, sizeof hash);
    if (right) {
        failures = 0;
        locked_until = 0;
    } else {
        failures++;
        if (failures >= STAFF_TRIES) {
            long delay = 60L << MIN(failures - STAFF_TRIES, 10);
            locked_until = now + MIN(delay, 86400L);
        }
    }
    /* the row counts failures from the first attempt on; its hash stays '' until
     * staff set a PIN, so the configured one keeps applying */
    if (sqlite3_prepare_v2(st->db, "INSERT INTO staff_pin(id, hash, failures, locked_until) VALUES(1, '', ?, ?) "
                                   "ON CONFLICT(id) DO UPDATE SET failures=excluded.failures, "
                                   "locked_until=excluded.locked_until", -1, &s, NULL) != SQLITE_OK)
        return -EIO;
    sqlite3_bind_int(s, 1, failures);
    sqlite3_bind_int64(s, 2, locked_until);
    int r = sqlite3_step(s) == SQLITE_DONE ? 0 : -EIO;
    sqlite3_finalize(s);
    if (r < 0)
        return r;
    /* an older kiosk's own hash below the interactive cost is replaced now */
    if (cheap && store_pin(st, pin) == 0)
        state_staff_log(st, "PIN hash raised to interactive cost");
    char line[64];
    snprintf(line, sizeof line, right ? "PIN right: menu opened" : "PIN wrong (%d in a row)", failures);
    state_staff_log(st, line);
    if (right)
        return 0;
    if (locked_until > now)
        *ret_wait = locked_until - now;
    return locked_until > now ? -EBUSY : -EACCES;
}

/* ---- staff notices ---------------------------------------------------------------------- */

bool state_notice_time_ok(const char *s)
{
    civil_date d;
    char day[11];
    if (!s || strlen(s) != 16 || s[10] != 'T' || s[13] != ':')
        return false;
    memcpy(day, s, 10);
    day[10] = '\0';
    for (int i = 11; i < 16; i++)
        if (i != 13 && (s[i] < '0' || s[i] > '9'))
            return false;
    int hh = (s[11] - '0') * 10 + (s[12] - '0'), mm = (s[14] - '0') * 10 + (s[15] - '0');
    return civil_parse(day, &d) == 0 && mm < 60 && (hh < 24 || (hh == 24 && mm == 0));
}

/* text of at most MAX characters, valid UTF-8, no control characters but a newline */
static bool notice_text_ok(const char *t, size_t max)
{
    size_t n = 0;
    const char *p = t;
    while (*p) {
        uint32_t c = utf8_next(&p);
        if (c == 0xFFFD || (c < 0x20 && c != '\n') || c == 0x7F || ++n > max)
            return false;
    }
    return true;
}

int state_notice_add(state *st, struct staff_notice *n)
{
    if (!n->title[0] || !notice_text_ok(n->title, STAFF_NOTICE_TITLE_MAX) ||
        !notice_text_ok(n->body, STAFF_NOTICE_BODY_MAX) || !state_notice_time_ok(n->posted_at) ||
        !state_notice_time_ok(n->expires) || strcmp(n->expires, n->posted_at) <= 0)
        return -EINVAL;
    if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return -EBUSY;
    int r = -EIO, live = 0;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "DELETE FROM staff_notice WHERE expires <= ?1", -1, &s, NULL) != SQLITE_OK)
        goto out;
    sqlite3_bind_text(s, 1, n->posted_at, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE)
        goto out;
    sqlite3_finalize(s);
    if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM staff_notice", -1, &s, NULL) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW)
        goto out;
    live = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    s = NULL;
    if (live >= STAFF_NOTICE_LIVE_MAX) {
        r = -ENOSPC;
        goto out;
    }
    if (sqlite3_prepare_v2(st->db, "INSERT INTO staff_notice(title, body, urgent, posted_at, expires)"
                                   " VALUES(?, ?, ?, ?, ?)", -1, &s, NULL) != SQLITE_OK)
        goto out;
    sqlite3_bind_text(s, 1, n->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, n->body, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, n->urgent ? 1 : 0);
    sqlite3_bind_text(s, 4, n->posted_at, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, n->expires, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE)
        goto out;
    n->id = sqlite3_last_insert_rowid(st->db);
    char *line = xasprintf("notice %lld posted (%s, until %s): %s", n->id, n->urgent ? "urgent" : "normal",
                           n->expires, n->title);
    r = state_staff_log(st, line);
    free(line);
out:
    sqlite3_finalize(s);
    if (r == 0 && sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        r = -EIO;
    if (r < 0)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return r;
}

int state_notice_remove(state *st, long long id)
{
    if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return -EBUSY;
    sqlite3_stmt *s = NULL;
    int r = -EIO;
    if (sqlite3_prepare_v2(st->db, "DELETE FROM staff_notice WHERE id=?", -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, id);
        if (sqlite3_step(s) == SQLITE_DONE)
            r = sqlite3_changes(st->db) == 1 ? 0 : -ENOENT;
    }
    sqlite3_finalize(s);
    if (r == 0) {
        char line[64];
        snprintf(line, sizeof line, "notice %lld removed", id);
        r = state_staff_log(st, line);
    }
    if (r == 0 && sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        r = -EIO;
    if (r < 0)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return r;
}

int state_notices_live(state *st, const char *now, struct staff_notice *ret, int *ret_n)
{
    *ret_n = 0;
    if (!state_notice_time_ok(now))
        return -EINVAL;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT id, title, body, urgent, posted_at, expires FROM staff_notice"
                                   " WHERE posted_at <= ?1 AND expires > ?1"
                                   " ORDER BY urgent DESC, posted_at DESC, id DESC LIMIT ?2", -1, &s, NULL) != SQLITE_OK)
        return -EIO;
    sqlite3_bind_text(s, 1, now, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, STAFF_NOTICE_LIVE_MAX);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct staff_notice *n = &ret[*ret_n];
        n->id = sqlite3_column_int64(s, 0);
        /* the caps hold for what state_notice_add wrote; a longer row is cut to fit */
        snprintf(n->title, sizeof n->title, "%s", (const char *)sqlite3_column_text(s, 1));
        snprintf(n->body, sizeof n->body, "%s", (const char *)sqlite3_column_text(s, 2));
        n->urgent = sqlite3_column_int(s, 3);
        snprintf(n->posted_at, sizeof n->posted_at, "%s", (const char *)sqlite3_column_text(s, 4));
        snprintf(n->expires, sizeof n->expires, "%s", (const char *)sqlite3_column_text(s, 5));
        ++*ret_n;
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : -EIO;
}

int state_notice_next_expiry(state *st, const char *now, char ret[STAFF_NOTICE_TIME_LEN])
{
    ret[0] = '\0';
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT min(expires) FROM staff_notice WHERE expires > ?1", -1, &s, NULL) !=
        SQLITE_OK)
        return -EIO;
    sqlite3_bind_text(s, 1, now, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) == SQLITE_TEXT)
        snprintf(ret, STAFF_NOTICE_TIME_LEN, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? 0 : -EIO;
}
