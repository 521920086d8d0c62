/* test_store_lists.c - the content store's lists are whole or an error: lists far over
 * the 500 rows the store used to stop at come back complete (or paged complete), the
 * named cap STORE_MAX_LIST is an error when hit, and a corrupt page or a locked
 * database gives -EIO, never a short list or "not found". Each case runs on a copy of
 * the demo content.db with rows added or broken through SQLite directly; the expected
 * counts come from SQL on that copy, not from the store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "demo_db.h"
#include "core/store.h"

#define BULK 700 /* well over the old silent cap of 500 (200 for announcements) */

static char path[64];

/* a fresh copy of the demo content.db for each test */
static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "%s", "/tmp/kiosk-store-lists-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    close(fd);
    char *src = demo_db_path(), *cmd = xasprintf("cp '%s' '%s'", src, path);
    int r = system(cmd);
    free(src);
    free(cmd);
    return r == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    return 0;
}

static sqlite3 *rw_open(void)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    return db;
}

static void exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err);
}

static int count(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int n = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return n;
}

/* Adds N rows to TABLE, each a copy of its first row matching WHERE, with the columns
 * named in OVER (pairs: column, SQL expression of i = 1..N) replaced. */
static void bulk(sqlite3 *db, const char *table, int n, const char *where,
                 const char *const *over)
{
    sqlite3_stmt *s;
    strbuf cols = {0}, exprs = {0};
    char *sql = xasprintf("PRAGMA table_info(%s)", table);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    free(sql);
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(s, 1), *expr = NULL;
        for (int k = 0; over[k]; k += 2)
            if (strcmp(over[k], name) == 0)
                expr = over[k + 1];
        strbuf_addf(&cols, "%s%s", cols.len ? "," : "", name);
        if (expr)
            strbuf_addf(&exprs, "%s(%s)", exprs.len ? "," : "", expr);
        else
            strbuf_addf(&exprs, "%sx.%s", exprs.len ? "," : "", name);
    }
    sqlite3_finalize(s);
    sql = xasprintf("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
                    " INSERT INTO %s(%s) SELECT %s FROM n, (SELECT * FROM %s %s LIMIT 1) x",
                    n, table, cols.buf, exprs.buf, table, where);
    exec(db, sql);
    free(sql);
    strbuf_release(&cols);
    strbuf_release(&exprs);
}

/* The PARENT value with the most rows in TABLE (you own it), and how many it has. */
static char *most_children(sqlite3 *db, const char *table, const char *parent, int *ret_n)
{
    sqlite3_stmt *s;
    char *sql = xasprintf("SELECT %s, count(*) FROM %s GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
                          parent, table);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    char *v = xstrdup((const char *)sqlite3_column_text(s, 0));
    *ret_n = sqlite3_column_int(s, 1);
    sqlite3_finalize(s);
    free(sql);
    return v;
}

static store *open_copy(void)
{
    store *st = NULL;
    char err[256];
    if (store_open(path, &st, err, sizeof err) < 0)
        fail_msg("%s", err);
    return st;
}

#define BULK_ID "printf('bulk-%04d', i)"

/* ---- long lists come back whole ---- */

static void test_store_lists_of_700_come_back_whole(void **state)
{
    (void)state;
    sqlite3 *db = rw_open();
    exec(db, "BEGIN");
    bulk(db, "onething", BULK, "", (const char *[]){"id", BULK_ID, "sort", "100000 + i", NULL});
    bulk(db, "form", BULK, "", (const char *[]){"id", BULK_ID, "sort", "100000 + i", NULL});
    bulk(db, "announcement", BULK, "",
         (const char *[]){"id", BULK_ID, "starts", "'2000-01-01'", "ends", "'2999-12-31'",
                          "published", "'1999-12-31'", "priority", "'normal'", "sort", "100000 + i", NULL});
    bulk(db, "doc", BULK, "WHERE interprets = ''",
         (const char *[]){"id", BULK_ID, "index_no", BULK_ID, "kind", "'guide'",
                          "published", "'1900-01-01'", NULL});
    exec(db, "COMMIT");
    int n_things = count(db, "SELECT count(*) FROM onething");
    int n_forms = count(db, "SELECT count(*) FROM form");
    int n_ann = count(db, "SELECT count(*) FROM announcement WHERE starts <= '2026-11-28'"
                          " AND ends >= '2026-11-28'");
    int n_guides = count(db, "SELECT count(*) FROM doc WHERE kind = 'guide'");
    sqlite3_close(db);
    assert_true(n_things > 500 && n_forms > 500 && n_ann > 500 && n_guides > 500);

    store *st = open_copy();
    struct onething_list things;
    assert_int_equal(store_onethings(st, &things), 0);
    assert_int_equal(things.n, n_things);
    assert_string_equal(things.items[things.n - 1].id, "bulk-0700"); /* sorted last */
    onething_list_free(&things);

    struct form_list forms;
    assert_int_equal(store_forms(st, NULL, &forms), 0);
    assert_int_equal(forms.n, n_forms);
    assert_string_equal(forms.items[forms.n - 1].id, "bulk-0700");
    form_list_free(&forms);

    struct announcement_list ann;
    assert_int_equal(store_announcements(st, "2026-11-28", &ann), 0);
    assert_int_equal(ann.n, n_ann);
    assert_string_equal(ann.items[ann.n - 1].id, "bulk-0700");
    announcement_list_free(&ann);

    struct doc_row_list guides;
    assert_int_equal(store_docs_of_kind(st, "guide", &guides), 0);
    assert_int_equal(guides.n, n_guides);
    assert_string_equal(guides.items[guides.n - 1].id, "bulk-0700"); /* oldest, highest id */
    doc_row_list_free(&guides);
    store_close(st);
}

static void test_store_a_guide_with_700_materials_and_steps_loads_whole(void **state)
{
    (void)state;
    sqlite3 *db = rw_open();
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT service_id FROM material LIMIT 1", -1, &s,
                                        NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    char *svc = xstrdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    char *where = xasprintf("WHERE service_id = '%s'", svc);
    exec(db, "BEGIN");
    bulk(db, "material", BULK, where, (const char *[]){"seq", "100000 + i", NULL});
    bulk(db, "step", BULK, where, (const char *[]){"seq", "100000 + i", NULL});
    bulk(db, "onething_step", BULK, "", (const char *[]){"seq", "100000 + i", NULL});
    bulk(db, "attachment", BULK, "", (const char *[]){"seq", "100000 + i", NULL});
    exec(db, "COMMIT");
    char *q = xasprintf("SELECT count(*) FROM material %s", where);
    int n_mat = count(db, q);
    free(q);
    q = xasprintf("SELECT count(*) FROM step %s", where);
    int n_steps = count(db, q);
    free(q);
    assert_true(n_mat > 700 && n_steps > 700);

    int n_tsteps, n_att;
    char *thing = most_children(db, "onething_step", "onething_id", &n_tsteps);
    char *doc_id = most_children(db, "attachment", "doc_id", &n_att);
    sqlite3_close(db);
    assert_true(n_tsteps > 700 && n_att > 700);

    store *st = open_copy();
    struct service *v = NULL;
    assert_int_equal(store_service_get(st, svc, &v), 0);
    assert_int_equal(v->n_materials, n_mat);
    assert_int_equal(v->n_steps, n_steps);
    service_free(v);
    struct onething *o = NULL;
    assert_int_equal(store_onething_get(st, thing, &o), 0);
    assert_int_equal(o->n_steps, n_tsteps);
    onething_free(o);
    struct doc *d = NULL;
    assert_int_equal(store_doc_get(st, doc_id, &d), 0);
    assert_int_equal(d->n_attachments, n_att);
    doc_free(d);
    store_close(st);
    free(where);
    free(svc);
    free(thing);
    free(doc_id);
}

static void test_store_pages_a_category_of_700_services_whole(void **state)
{
    (void)state;
    sqlite3 *db = rw_open();
    exec(db, "BEGIN");
    bulk(db, "service", BULK, "", (const char *[]){"id", BULK_ID, "code", BULK_ID, NULL});
    exec(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 700)"
             " INSERT INTO service_category(service_id, category_id)"
             " SELECT printf('bulk-%04d', i), 'bulk-cat' FROM n");
    exec(db, "COMMIT");
    sqlite3_close(db);

    store *st = open_copy();
    int total = 0, n = 0, seen = 0;
    assert_int_equal(store_services_count(st, "bulk-cat", &total), 0);
    assert_int_equal(total, BULK);
    struct service_row rows[64];
    for (int off = 0; off < total; off += 64) {
        assert_int_equal(store_services_page(st, "bulk-cat", off, 64, rows, &n), 0);
        for (int i = 0; i < n; i++) {
            char want[24];
            snprintf(want, sizeof want, "bulk-%04d", seen + i + 1);
            assert_string_equal(rows[i].id, want);
            service_row_free(&rows[i]);
        }
        seen += n;
    }
    assert_int_equal(seen, BULK);
    store_close(st);
}

static void test_store_over_the_named_cap_is_an_error_not_a_short_list(void **state)
{
    (void)state;
    sqlite3 *db = rw_open();
    char *n = xasprintf("%d", STORE_MAX_LIST + 1);
    char *sql = xasprintf("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                          " WHERE i < %s) INSERT INTO announcement(id, title_zh, title_en,"
                          " body_zh, body_en, starts, ends, sort) SELECT 'cap-' || i, 't', 't',"
                          " 'b', 'b', '2000-01-01', '2999-12-31', i FROM n", n);
    exec(db, sql);
    sqlite3_close(db);
    store *st = open_copy();
    struct announcement_list l = {0};
    assert_int_equal(store_announcements(st, "2026-11-28", &l), -E2BIG);
    assert_int_equal(l.n, 0);
    assert_null(l.items);
    store_close(st);
    free(sql);
    free(n);
}

/* ---- a broken database is an error ---- */

/* Overwrites the b-tree header of the last leaf page of TABLE with junk. */
static void corrupt_a_leaf_of(const char *table)
{
    sqlite3 *db = rw_open();
    sqlite3_stmt *s;
    char *sql = xasprintf("SELECT pageno FROM dbstat WHERE name = '%s' AND pagetype = 'leaf'"
                          " ORDER BY pageno DESC LIMIT 1", table);
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        fail_msg("dbstat: %s", sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long page = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    int page_size = count(db, "PRAGMA page_size");
    sqlite3_close(db);
    free(sql);
    int fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    unsigned char junk[64];
    memset(junk, 0xee, sizeof junk);
    assert_int_equal(pwrite(fd, junk, sizeof junk, (off_t)(page - 1) * page_size), sizeof junk);
    close(fd);
}

static void test_store_a_corrupt_page_is_an_error_not_the_end_of_the_list(void **state)
{
    (void)state;
    sqlite3 *db = rw_open();
    bulk(db, "onething", BULK, "", (const char *[]){"id", BULK_ID, "sort", "100000 + i", NULL});
    bulk(db, "form", BULK, "", (const char *[]){"id", BULK_ID, "sort", "100000 + i", NULL});
    bulk(db, "doc", BULK, "WHERE interprets = ''",
         (const char *[]){"id", BULK_ID, "index_no", BULK_ID, "kind", "'annual_report'",
                          "published", "'1900-01-01'", NULL});
    sqlite3_close(db);
    corrupt_a_leaf_of("onething");
    corrupt_a_leaf_of("form");
    corrupt_a_leaf_of("doc");

    store *st = open_copy();
    struct onething_list things = {0};
    assert_int_equal(store_onethings(st, &things), -EIO);
    assert_int_equal(things.n, 0);
    struct form_list forms = {0};
    assert_int_equal(store_forms(st, NULL, &forms), -EIO);
    assert_int_equal(forms.n, 0);
    struct doc_row_list docs = {0};
    assert_int_equal(store_docs_of_kind(st, "annual_report", &docs), -EIO);
    assert_int_equal(docs.n, 0);
    store_close(st);
}

static void test_store_a_locked_database_is_an_error_not_empty_or_missing(void **state)
{
    (void)state;
    store *st = open_copy();
    struct hall h;
    assert_int_equal(store_hall(st, &h), 0); /* schema read while it was free */
    hall_free(&h);
    struct service_row row;
    int n = 0;
    assert_int_equal(store_services_page(st, "audience-business", 0, 1, &row, &n), 0);
    assert_int_equal(n, 1);

    sqlite3 *db = rw_open();
    exec(db, "BEGIN EXCLUSIVE"); /* another process holds the file */
    exec(db, "UPDATE meta SET value = value");

    struct category_list cats = {0};
    assert_int_equal(store_categories(st, "life_event", &cats), -EIO);
    assert_int_equal(cats.n, 0);
    struct announcement_list ann = {0};
    assert_int_equal(store_announcements(st, "2026-11-28", &ann), -EIO);
    struct service *v = NULL;
    assert_int_equal(store_service_get(st, row.id, &v), -EIO); /* not -ENOENT */
    assert_null(v);
    assert_int_equal(store_hall(st, &h), -EIO);
    struct service_row rows[8];
    assert_int_equal(store_services_page(st, "audience-business", 0, 8, rows, &n), -EIO);
    assert_int_equal(n, 0);
    struct doc_row drows[8];
    assert_int_equal(store_docs_page(st, NULL, 0, 8, drows, &n), -EIO);
    struct doc_count_list topics = {0};
    assert_int_equal(store_doc_topics(st, &topics), -EIO);
    struct form_def *f = NULL;
    assert_int_equal(store_form_get(st, "request", &f), -EIO);
    void *img = NULL;
    size_t len = 0;
    assert_int_equal(store_image(st, "none", &img, &len), -EIO);

    exec(db, "ROLLBACK");
    sqlite3_close(db);
    /* once the file is free again, the same calls answer */
    assert_int_equal(store_service_get(st, row.id, &v), 0);
    service_free(v);
    assert_int_equal(store_categories(st, "life_event", &cats), 0);
    assert_true(cats.n > 0);
    category_list_free(&cats);
    assert_int_equal(store_image(st, "none", &img, &len), -ENOENT);
    service_row_free(&row);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_store_lists_of_700_come_back_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_a_guide_with_700_materials_and_steps_loads_whole,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_pages_a_category_of_700_services_whole, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_store_over_the_named_cap_is_an_error_not_a_short_list,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_a_corrupt_page_is_an_error_not_the_end_of_the_list,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_a_locked_database_is_an_error_not_empty_or_missing,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
