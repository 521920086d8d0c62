/* test_state.c - state.db is created on first run in WAL mode with synchronous=FULL,
 * survives a reopen, and a newer schema is refused rather than misread. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/state.h"

#include <sodium.h>
#include <sys/stat.h>

static char dir[] = "/tmp/kiosk-state-XXXXXX";
static char path[256];

static int setup(void **s)
{
    (void)s;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/state.db", dir);
    return 0;
}

static int teardown(void **s)
{
    (void)s;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void count_line(void *ctx, const char *at, const char *what)
{
    (void)at;
    (void)what;
    ++*(int *)ctx;
}

static void test_state_is_created_in_wal_mode_with_full_sync(void **s)
{
    (void)s;
    state *st = NULL;
    char err[256];
    unlink(path);
    assert_int_equal(state_open(path, &st, err, sizeof err), 0);
    char *mode = state_journal_mode(st);
    assert_string_equal(mode, "wal");
    free(mode);
    int sync = -1, version = -1;
    assert_int_equal(state_pragma_int(st, "synchronous", &sync), 0);
    assert_int_equal(sync, 2); /* FULL */
    assert_int_equal(state_pragma_int(st, "user_version", &version), 0);
    assert_int_equal(version, STATE_SCHEMA_VERSION);
    int limit = -1; /* the WAL is cut back to this after each checkpoint */
    assert_int_equal(state_pragma_int(st, "journal_size_limit", &limit), 0);
    assert_int_equal(limit, 1024 * 1024);
    state_close(st);
    assert_int_equal(access(path, F_OK), 0);
}

static void test_state_reopens_an_existing_file(void **s)
{
    (void)s;
    state *st = NULL;
    char err[256];
    assert_int_equal(state_open(path, &st, err, sizeof err), 0);
    state_close(st);
    assert_int_equal(state_open(path, &st, err, sizeof err), 0);
    int version = -1;
    assert_int_equal(state_pragma_int(st, "user_version", &version), 0);
    assert_int_equal(version, STATE_SCHEMA_VERSION);
    state_close(st);
}

static int collect_miss(void *ctx, const char *day, const char *key, int count)
{
    char *out = ctx;
    char line[64];
    snprintf(line, sizeof line, "%s %s %d;", day, key, count);
    strcat(out, line);
    return 0;
}

/* Failed searches older than STATE_MISS_DAYS become monthly rows on the first miss of a
 * new day; months past STATE_MISS_MONTHS go: state.db stays bounded. */
static void test_state_rolls_old_search_misses_up_by_month(void **s)
{
    (void)s;
    char p2[300], err[256], rows[1024] = "";
    snprintf(p2, sizeof p2, "%s/rollup.db", dir);
    state *st = NULL;
    assert_int_equal(state_open(p2, &st, err, sizeof err), 0);
    assert_int_equal(state_search_miss(st, "old", "2025-09-01"), 0);
    assert_int_equal(state_search_miss(st, "a", "2026-09-01"), 0);
    assert_int_equal(state_search_miss(st, "a", "2026-09-01"), 0);
    assert_int_equal(state_search_miss(st, "a", "2026-09-15"), 0);
    assert_int_equal(state_search_miss(st, "b", "2026-09-20"), 0);
    assert_int_equal(state_search_miss(st, "a", "2026-11-20"), 0);
    assert_int_equal(state_search_miss(st, "c", "2026-11-28"), 0); /* rolls up before 2026-10-28 */
    assert_int_equal(state_search_misses(st, "", collect_miss, rows), 0);
    assert_string_equal(rows, "2026-09 a 3;2026-09 b 1;2026-11-20 a 1;2026-11-28 c 1;");
    assert_int_equal(state_rollup(st, "2026-11-28"), 0); /* again: nothing changes */
    rows[0] = '\0';
    assert_int_equal(state_search_misses(st, "", collect_miss, rows), 0);
    assert_string_equal(rows, "2026-09 a 3;2026-09 b 1;2026-11-20 a 1;2026-11-28 c 1;");
    assert_int_equal(state_rollup(st, "bad"), -EINVAL);
    state_close(st);
}

static void test_state_refuses_a_newer_schema(void **s)
{
    (void)s;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version=99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    state *st = NULL;
    char err[256];
    assert_int_equal(state_open(path, &st, err, sizeof err), -EPROTO);
    assert_non_null(strstr(err, "state schema version 99 is newer"));
}

/* An Argon2id hash of PIN at the given cost (the tests' stand-ins for the configured
 * initial_pin_hash and the demo's). */
static char *hash_of(const char *pin, unsigned long long ops, size_t mem)
{
    static char h[2][crypto_pwhash_STRBYTES];
    static int i;
    char *out = h[i++ % 2];
    assert_true(sodium_init() >= 0);
    assert_int_equal(crypto_pwhash_str(out, pin, strlen(pin), ops, mem), 0);
    return out;
}

/* The m= and t= of a stored $argon2id$v=19$m=...,t=...,p=...$ hash. */
static void stored_cost(long *m, long *t)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT hash FROM staff_pin WHERE id=1", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    const char *h = (const char *)sqlite3_column_text(s, 0);
    const char *p = strstr(h, "$m=");
    assert_non_null(p);
    assert_int_equal(sscanf(p, "$m=%ld,t=%ld", m, t), 2);
    sqlite3_finalize(s);
    sqlite3_close(db);
}

/* Issue 16, 1: a wrong first attempt made with the demo's hash (initial_pin_hash still
 * empty) must not freeze that hash: once the administrator configures a PIN, it wins
 * and the demo PIN is refused, until staff set their own in the menu. */
static void test_state_staff_configured_pin_wins_until_staff_set_one(void **s)
{
    (void)s;
    state *st = NULL;
    char err[256];
    long wait = 0;
    unlink(path);
    assert_int_equal(state_open(path, &st, err, sizeof err), 0);
    const char *demo = hash_of("246810", crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN);
    assert_int_equal(state_staff_check(st, "1111", demo, 100, &wait), -EACCES);
    assert_int_equal(state_staff_check(st, "246810", demo, 101, &wait), 0);
    /* the administrator sets initial_pin_hash; the kiosk restarts */
    state_close(st);
    assert_int_equal(state_open(path, &st, err, sizeof err), 0);
    const char *conf = hash_of("97531", crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN);
    assert_int_equal(state_staff_check(st, "246810", conf, 102, &wait), -EACCES);
    assert_int_equal(state_staff_check(st, "97531", conf, 103, &wait), 0);
    /* staff set their own: now only theirs opens the menu */
    assert_int_equal(state_staff_set_pin(st, "8642"), 0);
    assert_int_equal(state_staff_check(st, "97531", conf, 104, &wait), -EACCES);
    assert_int_equal(state_staff_check(st, "8642", conf, 105, &wait), 0);
    state_close(st);
}

/* A state.db from an older kiosk, where the first attempt froze the demo's hash: on
 * opening, that hash is dropped and the configured one applies; a PIN staff set (the
 * log says so) is kept. */
static void test_state_staff_frozen_demo_hash_is_dropped_on_upgrade(void **s)
{
    (void)s;
    for (int changed = 0; changed < 2; changed++) {
        state *st = NULL;
        char err[256];
        long wait = 0;
        unlink(path);
        assert_int_equal(state_open(path, &st, err, sizeof err), 0);
        state_close(st);
        sqlite3 *db;
        sqlite3_stmt *q;
        assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO staff_pin(id, hash) VALUES(1, ?)", -1, &q, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(q, 1, hash_of("246810", crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN), -1,
                          SQLITE_TRANSIENT);
        assert_int_equal(sqlite3_step(q), SQLITE_DONE);
        sqlite3_finalize(q);
        if (changed)
            assert_int_equal(sqlite3_exec(db, "INSERT INTO staff_log(at, what) VALUES('x', 'PIN changed')", NULL,
                                          NULL, NULL), SQLITE_OK);
        /* back to version 4: without the tables of later versions */
        assert_int_equal(sqlite3_exec(db, "DROP TABLE staff_notice; PRAGMA user_version=4", NULL, NULL, NULL),
                         SQLITE_OK);
        sqlite3_close(db);
        assert_int_equal(state_open(path, &st, err, sizeof err), 0);
        const char *conf = hash_of("97531", crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN);
        assert_int_equal(state_staff_check(st, "97531", conf, 100, &wait), changed ? -EACCES : 0);
        assert_int_equal(state_staff_check(st, "246810", conf, 101, &wait), changed ? 0 : -EACCES);
        state_close(st);
    }
}

/* What is stored is at crypto_pwhash's interactive cost or higher (m in KiB). */
static void test_state_staff_stored_hash_is_at_interactive_cost(void **s)
{
    (void)s;
    state *st = NULL;
    char err[256];
    long wait = 0, m = 0, t = 0;
    unlink(path);
    assert_int_equal(state_open(path, &st, err, sizeof err), 0);
    const char *demo = hash_of("246810", crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN);
    assert_int_equal(state_staff_check(st, "1111", demo, 100, &wait), -EACCES);
    assert_int_equal(state_staff_set_pin(st, "8642"), 0);
    stored_cost(&m, &t);
    assert_true(m * 1024 >= (long)crypto_pwhash_MEMLIMIT_INTERACTIVE);
    assert_true(t >= (long)crypto_pwhash_OPSLIMIT_INTERACTIVE);
    /* a cheap hash left by an older kiosk is replaced on the next right PIN */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db, "UPDATE staff_pin SET hash=?", -1, &q, NULL), SQLITE_OK);
    sqlite3_bind_text(q, 1, hash_of("8642", crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN), -1,
                      SQLITE_TRANSIENT);
    assert_int_equal(sqlite3_step(q), SQLITE_DONE);
    sqlite3_finalize(q);
    sqlite3_close(db);
    assert_int_equal(state_staff_check(st, "8642", NULL, 101, &wait), 0);
    stored_cost(&m, &t);
    assert_true(m * 1024 >= (long)crypto_pwhash_MEMLIMIT_INTERACTIVE);
    assert_true(t >= (long)crypto_pwhash_OPSLIMIT_INTERACTIVE);
    assert_int_equal(state_staff_check(st, "8642", NULL, 102, &wait), 0);
    state_close(st);
}

/* state.db and its -wal and -shm are the kiosk's alone (0600), whatever the umask. */
/* The printer's state keeps the time it was first seen while it holds, takes a new one
 * when it changes, survives a reopen, and refuses words that are not a state. */
static void test_state_printer_keeps_since_while_the_state_holds(void **s)
{
    (void)s;
    state *st = NULL;
    char err[256], what[32], since[32];
    assert_int_equal(state_open(path, &st, err, sizeof err), 0);
    assert_int_equal(state_printer_get(st, what, sizeof what, since, sizeof since), 0);
    assert_string_equal(what, "");
    assert_int_equal(state_printer_seen(st, "ready", "2026-11-28T02:00:00Z"), 1);
    assert_int_equal(state_printer_seen(st, "paper-near-end", "2026-11-28T02:10:00Z"), 1);
    assert_int_equal(state_printer_seen(st, "paper-near-end", "2026-11-28T02:20:00Z"), 0);
    assert_int_equal(state_printer_seen(st, "Paper end", "2026-11-28T02:30:00Z"), -EINVAL);
    assert_int_equal(state_printer_seen(st, "paper-end", ""), -EINVAL);
    state_close(st);
    assert_int_equal(state_open(path, &st, err, sizeof err), 0);
    assert_int_equal(state_printer_get(st, what, sizeof what, since, sizeof since), 0);
    assert_string_equal(what, "paper-near-end");
    assert_string_equal(since, "2026-11-28T02:10:00Z");
    assert_int_equal(state_printer_seen(st, "ready", "2026-11-28T03:00:00Z"), 1);
    assert_int_equal(state_printer_get(st, what, sizeof what, since, sizeof since), 0);
    assert_string_equal(what, "ready");
    assert_string_equal(since, "2026-11-28T03:00:00Z");
    state_close(st);
}

static void test_state_files_are_private(void **s)
{
    (void)s;
    state *st = NULL;
    char err[256], p[300];
    struct stat sb;
    unlink(path);
    mode_t old = umask(022);
    assert_int_equal(state_open(path, &st, err, sizeof err), 0);
    umask(old);
    assert_int_equal(state_staff_log(st, "a write, so the WAL exists"), 0);
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        assert_int_equal(stat(p, &sb), 0);
        assert_int_equal(sb.st_mode & 0777, 0600);
    }
    state_close(st);
    /* an older kiosk's world-readable file is made private when opened */
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(state_open(path, &st, err, sizeof err), 0);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    state_close(st);
}

/* A version-5 state.db (as the previous firmware left it, with a PIN and a log line)
 * gains the staff_notice table and keeps what it had. */
static void test_state_migrates_from_version_5_to_staff_notices(void **s)
{
    (void)s;
    unlink(path);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    /* version 5's schema, as its migrations made it */
    assert_int_equal(sqlite3_exec(db,
        "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE TABLE usage(kind TEXT NOT NULL, ref TEXT NOT NULL, views INTEGER NOT NULL DEFAULT 0,"
        " qr_shows INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(kind, ref)) WITHOUT ROWID;"
        "CREATE TABLE outbox(id INTEGER PRIMARY KEY, receipt TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,"
        " created_at TEXT NOT NULL, due_date TEXT NOT NULL, due_estimated INTEGER NOT NULL,"
        " follow_up INTEGER NOT NULL, uploaded_at TEXT NOT NULL DEFAULT '',"
        " exported_at TEXT NOT NULL DEFAULT '', sealed BLOB);"
        "CREATE TABLE receipt_seq(day TEXT PRIMARY KEY, last INTEGER NOT NULL) WITHOUT ROWID;"
        "CREATE TABLE status_cache(receipt TEXT PRIMARY KEY, status TEXT NOT NULL, outcome TEXT NOT NULL,"
        " reason TEXT NOT NULL, updated_at TEXT NOT NULL, due_date TEXT NOT NULL);"
        "CREATE TABLE search_miss(day TEXT NOT NULL, key TEXT NOT NULL, count INTEGER NOT NULL,"
        " PRIMARY KEY(day, key)) WITHOUT ROWID;"
        "CREATE TABLE staff_pin(id INTEGER PRIMARY KEY CHECK(id = 1), hash TEXT NOT NULL,"
        " failures INTEGER NOT NULL DEFAULT 0, locked_until INTEGER NOT NULL DEFAULT 0);"
        "CREATE TABLE staff_log(id INTEGER PRIMARY KEY, at TEXT NOT NULL, what TEXT NOT NULL);"
        "INSERT INTO staff_log(at, what) VALUES('2026-11-01T08:00:00Z', 'an old line');"
        "PRAGMA user_version=5;", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    state *st = NULL;
    char err[256];
    int version = 0;
    assert_int_equal(state_open(path, &st, err, sizeof err), 0);
    assert_int_equal(state_pragma_int(st, "user_version", &version), 0);
    assert_int_equal(version, 6);
    struct staff_notice n = {.title = "9号窗口今日暂停", .urgent = 1,
                             .posted_at = "2026-11-28T09:00", .expires = "2026-11-28T17:00"};
    assert_int_equal(state_notice_add(st, &n), 0);
    state_close(st);
    assert_int_equal(state_open(path, &st, err, sizeof err), 0);
    struct staff_notice live[STAFF_NOTICE_LIVE_MAX];
    int nl = -1;
    assert_int_equal(state_notices_live(st, "2026-11-28T10:00", live, &nl), 0);
    assert_int_equal(nl, 1);
    assert_string_equal(live[0].title, "9号窗口今日暂停");
    int lines = 0;
    assert_int_equal(state_staff_log_tail(st, 10, count_line, &lines), 0);
    assert_int_equal(lines, 2); /* the old line kept, the post logged */
    state_close(st);
}

/* Live from posted_at until (not at) expires, urgent first then the newest; bad input
 * and one too many are refused; a post and a removal are logged. */
static void test_state_staff_notices_live_expire_and_caps(void **s)
{
    (void)s;
    state *st = NULL;
    char err[256], next[STAFF_NOTICE_TIME_LEN];
    unlink(path);
    assert_int_equal(state_open(path, &st, err, sizeof err), 0);
    struct staff_notice a = {.title = "A", .posted_at = "2026-11-28T09:00", .expires = "2026-11-28T17:00"};
    struct staff_notice b = {.title = "B", .body = "line\nline", .urgent = 1, .posted_at = "2026-11-28T09:30",
                             .expires = "2026-11-30T24:00"};
    struct staff_notice c = {.title = "C", .posted_at = "2026-11-28T10:00", .expires = "2026-11-29T12:00"};
    assert_int_equal(state_notice_add(st, &a), 0);
    assert_int_equal(state_notice_add(st, &b), 0);
    assert_int_equal(state_notice_add(st, &c), 0);
    struct staff_notice live[STAFF_NOTICE_LIVE_MAX];
    int n = 0;
    assert_int_equal(state_notices_live(st, "2026-11-28T10:00", live, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(live[0].title, "B");
    assert_string_equal(live[1].title, "C");
    assert_string_equal(live[2].title, "A");
    assert_string_equal(live[0].body, "line\nline");
    assert_int_equal(state_notice_next_expiry(st, "2026-11-28T10:00", next), 0);
    assert_string_equal(next, "2026-11-28T17:00");
    assert_int_equal(state_notices_live(st, "2026-11-28T16:59", live, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(state_notices_live(st, "2026-11-28T17:00", live, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(state_notices_live(st, "2026-11-30T23:59", live, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(state_notices_live(st, "2026-12-01T00:00", live, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(state_notice_next_expiry(st, "2026-12-01T00:00", next), 0);
    assert_string_equal(next, "");
    /* removal */
    assert_int_equal(state_notice_remove(st, c.id), 0);
    assert_int_equal(state_notice_remove(st, c.id), -ENOENT);
    assert_int_equal(state_notices_live(st, "2026-11-28T10:00", live, &n), 0);
    assert_int_equal(n, 2);
    /* bad input */
    struct staff_notice bad = {.title = "", .posted_at = "2026-11-28T09:00", .expires = "2026-11-28T17:00"};
    assert_int_equal(state_notice_add(st, &bad), -EINVAL);
    snprintf(bad.title, sizeof bad.title, "x");
    snprintf(bad.expires, sizeof bad.expires, "2026-11-28T08:00"); /* before it is posted */
    assert_int_equal(state_notice_add(st, &bad), -EINVAL);
    snprintf(bad.expires, sizeof bad.expires, "2026-02-30T10:00");
    assert_int_equal(state_notice_add(st, &bad), -EINVAL);
    snprintf(bad.expires, sizeof bad.expires, "2026-11-28T24:30");
    assert_int_equal(state_notice_add(st, &bad), -EINVAL);
    memset(bad.title, 'x', STAFF_NOTICE_TITLE_MAX + 1);
    bad.title[STAFF_NOTICE_TITLE_MAX + 1] = '\0';
    snprintf(bad.expires, sizeof bad.expires, "2026-11-28T17:00");
    assert_int_equal(state_notice_add(st, &bad), -EINVAL);
    bad.title[STAFF_NOTICE_TITLE_MAX] = '\0'; /* exactly the cap */
    assert_int_equal(state_notice_add(st, &bad), 0);
    /* the cap on live notices: 3 live now, 5 more fit, the 9th does not */
    for (int i = 0; i < STAFF_NOTICE_LIVE_MAX - 3; i++) {
        struct staff_notice m = {.title = "m", .posted_at = "2026-11-28T11:00", .expires = "2026-11-28T12:00"};
        assert_int_equal(state_notice_add(st, &m), 0);
    }
    struct staff_notice over = {.title = "over", .posted_at = "2026-11-28T11:00", .expires = "2026-11-28T12:00"};
    assert_int_equal(state_notice_add(st, &over), -ENOSPC);
    /* once they expired, their places are free again */
    snprintf(over.posted_at, sizeof over.posted_at, "2026-11-28T12:00");
    snprintf(over.expires, sizeof over.expires, "2026-11-28T13:00");
    assert_int_equal(state_notice_add(st, &over), 0);
    int lines = 0;
    assert_int_equal(state_staff_log_tail(st, 100, count_line, &lines), 0);
    assert_int_equal(lines, 3 + 1 + 1 + 5 + 1); /* posts and the removal */
    state_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_is_created_in_wal_mode_with_full_sync),
        cmocka_unit_test(test_state_reopens_an_existing_file),
        cmocka_unit_test(test_state_rolls_old_search_misses_up_by_month),
        cmocka_unit_test(test_state_refuses_a_newer_schema),
        cmocka_unit_test(test_state_staff_configured_pin_wins_until_staff_set_one),
        cmocka_unit_test(test_state_staff_frozen_demo_hash_is_dropped_on_upgrade),
        cmocka_unit_test(test_state_staff_stored_hash_is_at_interactive_cost),
        cmocka_unit_test(test_state_files_are_private),
        cmocka_unit_test(test_state_printer_keeps_since_while_the_state_holds),
        cmocka_unit_test(test_state_migrates_from_version_5_to_staff_notices),
        cmocka_unit_test(test_state_staff_notices_live_expire_and_caps),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
