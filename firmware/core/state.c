/* state.c - see state.h. */
#include "state.h"
#include "base/util.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
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
};

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

int state_open(const char *path, state **ret, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    char msg[256];
    int r = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (r != SQLITE_OK) {
        snprintf(err, errlen, "%s: cannot open: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return -EIO;
    }
    sqlite3_busy_timeout(db, 5000);
    if (exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
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
