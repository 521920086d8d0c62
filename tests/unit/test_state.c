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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_is_created_in_wal_mode_with_full_sync),
        cmocka_unit_test(test_state_reopens_an_existing_file),
        cmocka_unit_test(test_state_rolls_old_search_misses_up_by_month),
        cmocka_unit_test(test_state_refuses_a_newer_schema),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
