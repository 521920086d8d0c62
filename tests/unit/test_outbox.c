/* test_outbox.c - the outbox and the status cache in state.db (firmware/core/state.c):
 * add / get / each / mark / purge / counts; the receipt's sequence and the row commit
 * in one transaction, so a failing make_receipt leaves nothing behind; WAL with
 * synchronous=FULL; the upgrade from schema 2 keeps what was there. */
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

#include "core/receipt.h"
#include "core/state.h"

struct fx {
    char dir[64];
    char path[128];
    state *st;
};

static int setup(void **s)
{
    struct fx *f = calloc(1, sizeof *f);
    char err[256];
    assert_non_null(f);
    strcpy(f->dir, "/tmp/test-outbox-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/state.db", f->dir);
    assert_int_equal(state_open(f->path, &f->st, err, sizeof err), 0);
    *s = f;
    return 0;
}

static int teardown(void **s)
{
    struct fx *f = *s;
    char cmd[160];
    state_close(f->st);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int r = system(cmd);
    free(f);
    return r == 0 ? 0 : -1;
}

/* make_receipt: a real receipt number of kiosk K0001 */
static int kiosk_receipt(void *ctx, const char *day, int seq, char *ret)
{
    (void)ctx;
    return receipt_format("K0001", day, seq, ret);
}

static int failing_receipt(void *ctx, const char *day, int seq, char *ret)
{
    (void)day;
    (void)seq;
    (void)ret;
    return *(int *)ctx;
}

static int fixed_receipt(void *ctx, const char *day, int seq, char *ret)
{
    (void)day;
    (void)seq;
    snprintf(ret, OUTBOX_RECEIPT_MAX, "%s", (const char *)ctx);
    return 0;
}

static struct outbox_entry entry(const char *kind, const char *created)
{
    struct outbox_entry e = {0};
    snprintf(e.kind, sizeof e.kind, "%s", kind);
    snprintf(e.created_at, sizeof e.created_at, "%s", created);
    return e;
}

static void add(struct fx *f, const char *day, struct outbox_entry *e)
{
    static const unsigned char blob[] = "sealed bytes";
    assert_int_equal(state_outbox_add(f->st, e, day, kiosk_receipt, NULL, blob, sizeof blob), 0);
}

static void test_outbox_adds_an_entry_under_the_receipt_the_callback_made(void **s)
{
    struct fx *f = *s;
    struct outbox_entry e = entry("request", "2026-01-28T02:03:04Z"), got;
    snprintf(e.due_date, sizeof e.due_date, "2026-03-06");
    e.due_estimated = 0;
    e.follow_up = 0;
    add(f, "20260128", &e);
    char want[RECEIPT_SIZE];
    assert_int_equal(receipt_format("K0001", "20260128", 1, want), 0);
    assert_string_equal(e.receipt, want);
    assert_int_equal(e.has_sealed, 1);

    assert_int_equal(state_outbox_get(f->st, e.receipt, &got), 0);
    assert_string_equal(got.receipt, want);
    assert_string_equal(got.kind, "request");
    assert_string_equal(got.created_at, "2026-01-28T02:03:04Z");
    assert_string_equal(got.due_date, "2026-03-06");
    assert_int_equal(got.due_estimated, 0);
    assert_int_equal(got.follow_up, 0);
    assert_string_equal(got.uploaded_at, "");
    assert_string_equal(got.exported_at, "");
    assert_int_equal(got.has_sealed, 1);
    assert_int_equal(state_outbox_get(f->st, "K0001-260128-9999-X", &got), -ENOENT);
}

static void test_outbox_counts_the_sequence_per_day_from_one(void **s)
{
    struct fx *f = *s;
    struct outbox_entry a = entry("rating", "2026-01-28T01:00:00Z"), b = a, c = a;
    add(f, "20260128", &a);
    add(f, "20260128", &b);
    add(f, "20260129", &c);
    assert_memory_equal(a.receipt, "K0001-260128-0001-", 18);
    assert_memory_equal(b.receipt, "K0001-260128-0002-", 18);
    assert_memory_equal(c.receipt, "K0001-260129-0001-", 18);
}

static void test_outbox_returns_the_sealed_blob_byte_for_byte(void **s)
{
    struct fx *f = *s;
    unsigned char blob[4096];
    for (size_t i = 0; i < sizeof blob; i++)
        blob[i] = (unsigned char)(i * 31 + 7);
    struct outbox_entry e = entry("feedback", "2026-01-28T01:00:00Z");
    assert_int_equal(state_outbox_add(f->st, &e, "20260128", kiosk_receipt, NULL, blob,
                                      sizeof blob), 0);
    void *data = NULL;
    size_t len = 0;
    assert_int_equal(state_outbox_sealed(f->st, e.receipt, &data, &len), 0);
    assert_int_equal(len, sizeof blob);
    assert_memory_equal(data, blob, sizeof blob);
    free(data);
    assert_int_equal(state_outbox_sealed(f->st, "K0001-000101-0001-0", &data, &len), -ENOENT);
}

static void test_failing_make_receipt_leaves_no_row_and_does_not_move_the_sequence(void **s)
{
    struct fx *f = *s;
    struct outbox_entry e = entry("request", "2026-01-28T01:00:00Z");
    int err = -EIO, pending = -1;
    assert_int_equal(state_outbox_add(f->st, &e, "20260128", failing_receipt, &err, "x", 1),
                     -EIO);
    err = -ERANGE;
    assert_int_equal(state_outbox_add(f->st, &e, "20260128", failing_receipt, &err, "x", 1),
                     -ERANGE);
    assert_int_equal(state_outbox_counts(f->st, &pending, NULL, NULL), 0);
    assert_int_equal(pending, 0);
    /* the next submission still gets number 1 of the day */
    add(f, "20260128", &e);
    assert_memory_equal(e.receipt, "K0001-260128-0001-", 18);
}

static void test_a_receipt_number_taken_twice_is_refused_and_rolled_back(void **s)
{
    struct fx *f = *s;
    struct outbox_entry a = entry("request", "2026-01-28T01:00:00Z"), b = a, c = a;
    char same[] = "K0001-260128-0001-X";
    int pending = -1;
    assert_int_equal(state_outbox_add(f->st, &a, "20260128", fixed_receipt, same, "x", 1), 0);
    assert_int_equal(state_outbox_add(f->st, &b, "20260128", fixed_receipt, same, "y", 1),
                     -EEXIST);
    assert_int_equal(state_outbox_counts(f->st, &pending, NULL, NULL), 0);
    assert_int_equal(pending, 1);
    /* the refused one did not use up number 2 */
    add(f, "20260128", &c);
    assert_memory_equal(c.receipt, "K0001-260128-0002-", 18);
}

static void test_outbox_refuses_bad_entries_and_blobs(void **s)
{
    struct fx *f = *s;
    struct outbox_entry e = entry("request", "2026-01-28T01:00:00Z");
    static unsigned char big[OUTBOX_SEALED_MAX + 1];
    assert_int_equal(state_outbox_add(f->st, &e, "20260128", kiosk_receipt, NULL, "x", 0),
                     -EINVAL);
    assert_int_equal(state_outbox_add(f->st, &e, "20260128", kiosk_receipt, NULL, big,
                                      sizeof big), -EINVAL);
    assert_int_equal(state_outbox_add(f->st, &e, "2026-01-28", kiosk_receipt, NULL, "x", 1),
                     -EINVAL);
    assert_int_equal(state_outbox_add(f->st, &e, "20260128", NULL, NULL, "x", 1), -EINVAL);
    struct outbox_entry nokind = entry("", "2026-01-28T01:00:00Z");
    assert_int_equal(state_outbox_add(f->st, &nokind, "20260128", kiosk_receipt, NULL, "x", 1),
                     -EINVAL);
    /* exactly the cap is fine */
    assert_int_equal(state_outbox_add(f->st, &e, "20260128", kiosk_receipt, NULL, big,
                                      OUTBOX_SEALED_MAX), 0);
}

struct walk {
    state *st;
    int n;
    char first[OUTBOX_RECEIPT_MAX], last[OUTBOX_RECEIPT_MAX];
    int mark; /* mark each entry uploaded while walking */
    int stop_at;
};

static int walk_fn(void *ctx, const struct outbox_entry *e)
{
    struct walk *w = ctx;
    if (w->n == 0)
        snprintf(w->first, sizeof w->first, "%s", e->receipt);
    snprintf(w->last, sizeof w->last, "%s", e->receipt);
    w->n++;
    if (w->mark)
        assert_int_equal(state_outbox_mark_uploaded(w->st, e->receipt, "2026-01-29T00:00:00Z"), 0);
    return w->stop_at && w->n == w->stop_at ? -ECANCELED : 0;
}

static void test_outbox_each_walks_oldest_first_across_pages_and_filters(void **s)
{
    struct fx *f = *s;
    struct outbox_entry e;
    char first[OUTBOX_RECEIPT_MAX] = "", last[OUTBOX_RECEIPT_MAX] = "";
    for (int i = 0; i < 150; i++) {
        e = entry("rating", "2026-01-28T01:00:00Z");
        add(f, i < 100 ? "20260128" : "20260127", &e);
        if (i == 0)
            snprintf(first, sizeof first, "%s", e.receipt);
        snprintf(last, sizeof last, "%s", e.receipt);
    }
    struct walk w = {.st = f->st};
    assert_int_equal(state_outbox_each(f->st, OUTBOX_ALL, walk_fn, &w), 0);
    assert_int_equal(w.n, 150);
    assert_string_equal(w.first, first);   /* insertion order, not receipt order */
    assert_string_equal(w.last, last);

    /* mark every entry uploaded while walking the not-uploaded ones: each is seen once */
    struct walk m = {.st = f->st, .mark = 1};
    assert_int_equal(state_outbox_each(f->st, OUTBOX_NOT_UPLOADED, walk_fn, &m), 0);
    assert_int_equal(m.n, 150);
    struct walk none = {.st = f->st};
    assert_int_equal(state_outbox_each(f->st, OUTBOX_NOT_UPLOADED, walk_fn, &none), 0);
    assert_int_equal(none.n, 0);
    struct walk notexp = {.st = f->st};
    assert_int_equal(state_outbox_each(f->st, OUTBOX_NOT_EXPORTED, walk_fn, &notexp), 0);
    assert_int_equal(notexp.n, 150);
}

static void test_outbox_each_stops_at_the_callbacks_error(void **s)
{
    struct fx *f = *s;
    struct outbox_entry e;
    for (int i = 0; i < 10; i++) {
        e = entry("feedback", "2026-01-28T01:00:00Z");
        add(f, "20260128", &e);
    }
    struct walk w = {.st = f->st, .stop_at = 3};
    assert_int_equal(state_outbox_each(f->st, OUTBOX_ALL, walk_fn, &w), -ECANCELED);
    assert_int_equal(w.n, 3);
}

static void test_outbox_marks_uploads_and_exports_and_counts_them(void **s)
{
    struct fx *f = *s;
    struct outbox_entry a = entry("request", "2026-01-28T01:00:00Z"), b = a, c = a, got;
    add(f, "20260128", &a);
    add(f, "20260128", &b);
    add(f, "20260128", &c);
    assert_int_equal(state_outbox_mark_uploaded(f->st, a.receipt, "2026-01-29T01:00:00Z"), 0);
    assert_int_equal(state_outbox_mark_exported(f->st, a.receipt, "2026-01-28T09:00:00Z"), 0);
    assert_int_equal(state_outbox_mark_exported(f->st, b.receipt, "2026-01-28T09:00:00Z"), 0);
    assert_int_equal(state_outbox_mark_uploaded(f->st, "K0001-260128-0099-0", "2026-01-29T01:00:00Z"),
                     -ENOENT);
    assert_int_equal(state_outbox_mark_uploaded(f->st, a.receipt, ""), -EINVAL);
    int pending = -1, uploaded = -1, exported = -1;
    assert_int_equal(state_outbox_counts(f->st, &pending, &uploaded, &exported), 0);
    assert_int_equal(pending, 2);
    assert_int_equal(uploaded, 1);
    assert_int_equal(exported, 2);
    assert_int_equal(state_outbox_get(f->st, a.receipt, &got), 0);
    assert_string_equal(got.uploaded_at, "2026-01-29T01:00:00Z");
    assert_string_equal(got.exported_at, "2026-01-28T09:00:00Z");
    struct walk w = {.st = f->st};
    assert_int_equal(state_outbox_each(f->st, OUTBOX_NOT_EXPORTED, walk_fn, &w), 0);
    assert_int_equal(w.n, 1);
    assert_string_equal(w.first, c.receipt);
}

static void test_purge_removes_only_blobs_uploaded_before_the_cutoff(void **s)
{
    struct fx *f = *s;
    struct outbox_entry old = entry("request", "2026-01-01T01:00:00Z"), recent = old,
                        waiting = old, got;
    add(f, "20260101", &old);
    add(f, "20260101", &recent);
    add(f, "20260101", &waiting);
    assert_int_equal(state_outbox_mark_uploaded(f->st, old.receipt, "2026-01-02T00:00:00Z"), 0);
    assert_int_equal(state_outbox_mark_uploaded(f->st, recent.receipt, "2026-02-10T00:00:00Z"), 0);
    assert_int_equal(state_outbox_purge(f->st, "2026-02-01T00:00:00Z"), 1);
    assert_int_equal(state_outbox_purge(f->st, "2026-02-01T00:00:00Z"), 0);

    void *data;
    size_t len;
    assert_int_equal(state_outbox_sealed(f->st, old.receipt, &data, &len), -ENOENT);
    assert_int_equal(state_outbox_get(f->st, old.receipt, &got), 0);   /* still for status */
    assert_int_equal(got.has_sealed, 0);
    assert_int_equal(state_outbox_sealed(f->st, recent.receipt, &data, &len), 0);
    free(data);
    assert_int_equal(state_outbox_sealed(f->st, waiting.receipt, &data, &len), 0);
    free(data);
}

static void test_outbox_commits_in_wal_mode_with_full_sync(void **s)
{
    struct fx *f = *s;
    char *mode = state_journal_mode(f->st);
    assert_string_equal(mode, "wal");
    free(mode);
    int sync = -1, version = -1;
    assert_int_equal(state_pragma_int(f->st, "synchronous", &sync), 0);
    assert_int_equal(sync, 2); /* FULL */
    assert_int_equal(state_pragma_int(f->st, "user_version", &version), 0);
    assert_int_equal(version, STATE_SCHEMA_VERSION);

    /* a committed entry is seen by another connection at once */
    struct outbox_entry e = entry("request", "2026-01-28T01:00:00Z");
    add(f, "20260128", &e);
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT receipt, length(sealed) FROM outbox", -1,
                                        &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), e.receipt);
    assert_int_equal(sqlite3_column_int(st, 1), sizeof "sealed bytes");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_upgrade_from_schema_2_keeps_the_usage_counters(void **s)
{
    struct fx *f = *s;
    char path[160], err[256];
    sqlite3 *db;
    state *st;
    int views = 0, qr = 0;
    snprintf(path, sizeof path, "%s/old.db", f->dir);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
        "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE TABLE usage(kind TEXT NOT NULL, ref TEXT NOT NULL,"
        " views INTEGER NOT NULL DEFAULT 0, qr_shows INTEGER NOT NULL DEFAULT 0,"
        " PRIMARY KEY(kind, ref)) WITHOUT ROWID;"
        "INSERT INTO usage VALUES('service', 'marriage-reg', 5, 2);"
        "PRAGMA user_version=2;", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(state_open(path, &st, err, sizeof err), 0);
    assert_int_equal(state_usage(st, "service", "marriage-reg", &views, &qr), 0);
    assert_int_equal(views, 5);
    assert_int_equal(qr, 2);
    struct outbox_entry e = entry("request", "2026-01-28T01:00:00Z");
    assert_int_equal(state_outbox_add(st, &e, "20260128", kiosk_receipt, NULL, "x", 1), 0);
    state_close(st);
}

static void test_status_cache_returns_what_sync_stored(void **s)
{
    struct fx *f = *s;
    struct status_entry e = {0}, got;
    snprintf(e.receipt, sizeof e.receipt, "K0001-260128-0001-7");
    snprintf(e.status, sizeof e.status, "replied");
    snprintf(e.outcome, sizeof e.outcome, "partly_disclosed");
    snprintf(e.reason, sizeof e.reason, "third_party_privacy");
    snprintf(e.updated_at, sizeof e.updated_at, "2026-02-20T08:00:00Z");
    snprintf(e.due_date, sizeof e.due_date, "2026-03-06");
    assert_int_equal(state_status_get(f->st, e.receipt, &got), -ENOENT);
    assert_int_equal(state_status_put(f->st, &e), 0);
    assert_int_equal(state_status_get(f->st, e.receipt, &got), 0);
    assert_memory_equal(&got, &e, sizeof e);
    /* a newer word replaces the old one */
    snprintf(e.outcome, sizeof e.outcome, "disclosed");
    assert_int_equal(state_status_put(f->st, &e), 0);
    assert_int_equal(state_status_get(f->st, e.receipt, &got), 0);
    assert_string_equal(got.outcome, "disclosed");
}

static void test_status_cache_accepts_only_the_regulations_outcomes(void **s)
{
    struct fx *f = *s;
    struct status_entry e = {0};
    static const char *const want[] = {"disclosed", "partly_disclosed", "not_disclosed",
                                       "cannot_provide", "not_processed", "other",
                                       "in_progress"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_string_equal(state_status_outcomes[i], want[i]);
    assert_null(state_status_outcomes[sizeof want / sizeof want[0]]);
    snprintf(e.receipt, sizeof e.receipt, "K0001-260128-0001-7");
    snprintf(e.status, sizeof e.status, "replied");
    snprintf(e.outcome, sizeof e.outcome, "approved");
    snprintf(e.updated_at, sizeof e.updated_at, "2026-02-20T08:00:00Z");
    assert_int_equal(state_status_put(f->st, &e), -EINVAL);
    snprintf(e.outcome, sizeof e.outcome, "in_progress");
    assert_int_equal(state_status_put(f->st, &e), 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_outbox_adds_an_entry_under_the_receipt_the_callback_made),
        T(test_outbox_counts_the_sequence_per_day_from_one),
        T(test_outbox_returns_the_sealed_blob_byte_for_byte),
        T(test_failing_make_receipt_leaves_no_row_and_does_not_move_the_sequence),
        T(test_a_receipt_number_taken_twice_is_refused_and_rolled_back),
        T(test_outbox_refuses_bad_entries_and_blobs),
        T(test_outbox_each_walks_oldest_first_across_pages_and_filters),
        T(test_outbox_each_stops_at_the_callbacks_error),
        T(test_outbox_marks_uploads_and_exports_and_counts_them),
        T(test_purge_removes_only_blobs_uploaded_before_the_cutoff),
        T(test_outbox_commits_in_wal_mode_with_full_sync),
        T(test_upgrade_from_schema_2_keeps_the_usage_counters),
        T(test_status_cache_returns_what_sync_stored),
        T(test_status_cache_accepts_only_the_regulations_outcomes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
