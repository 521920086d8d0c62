/* test_store.c - the content store over the demo content.db the build compiled. */
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

#include "base/util.h"
#include "demo_db.h"
#include "core/content_schema.h"
#include "core/store.h"

static store *open_demo(void)
{
    char *p = demo_db_path(), err[256];
    store *st = NULL;
    if (store_open(p, &st, err, sizeof err) < 0)
        fail_msg("%s", err);
    free(p);
    return st;
}

static void test_store_opens_the_demo_content_read_only(void **state)
{
    (void)state;
    store *st = open_demo();
    char *v = store_meta(st, "schema_version");
    assert_non_null(v);
    assert_int_equal(atoi(v), CONTENT_SCHEMA_VERSION);
    free(v);
    store_close(st);
}

static void test_store_refuses_a_missing_file(void **state)
{
    (void)state;
    store *st = NULL;
    char err[256];
    assert_int_equal(store_open("/nonexistent/content.db", &st, err, sizeof err), -ENOENT);
    assert_null(st);
    assert_non_null(strstr(err, "/nonexistent/content.db"));
}

static void test_store_refuses_another_schema_version_naming_both(void **state)
{
    (void)state;
    char tmp[] = "/tmp/kiosk-store-XXXXXX";
    int fd = mkstemp(tmp);
    assert_true(fd >= 0);
    close(fd);
    char *src = demo_db_path();
    char *cmd = xasprintf("cp '%s' '%s'", src, tmp);
    assert_int_equal(system(cmd), 0);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(tmp, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE meta SET value='999' WHERE key='schema_version'",
                                  NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    store *st = NULL;
    char err[256], want[128];
    assert_int_equal(store_open(tmp, &st, err, sizeof err), -EPROTO);
    snprintf(want, sizeof want, "content schema version 999, this kiosk reads version %d",
             CONTENT_SCHEMA_VERSION);
    assert_non_null(strstr(err, want));
    unlink(tmp);
    free(src);
    free(cmd);
}

static void test_store_lists_life_events_departments_and_audiences_with_counts(void **state)
{
    (void)state;
    store *st = open_demo();
    struct category_list l;
    assert_int_equal(store_categories(st, "life_event", &l), 0);
    assert_true(l.n >= 8);
    for (int i = 0; i < l.n; i++) {
        assert_true(l.items[i].count > 0);
        assert_true(*l.items[i].name.s[LANG_ZH] && *l.items[i].name.s[LANG_EN]);
    }
    category_list_free(&l);
    assert_int_equal(store_categories(st, "department", &l), 0);
    assert_true(l.n >= 6);
    category_list_free(&l);
    assert_int_equal(store_categories(st, "audience", &l), 0);
    assert_int_equal(l.n, 2);
    category_list_free(&l);
    store_close(st);
}

static void test_store_pages_through_a_category_consistently(void **state)
{
    (void)state;
    store *st = open_demo();
    int count = 0, n = 0, seen = 0;
    assert_int_equal(store_services_count(st, "audience-individual", &count), 0);
    assert_true(count >= 20);
    struct service_row rows[7];
    char last[128] = "";
    for (int off = 0; off < count; off += 7) {
        assert_int_equal(store_services_page(st, "audience-individual", off, 7, rows, &n), 0);
        assert_true(n > 0 && n <= 7);
        for (int i = 0; i < n; i++) {
            assert_true(strcmp(rows[i].id, last) > 0); /* stable order, no repeats */
            snprintf(last, sizeof last, "%s", rows[i].id);
            service_row_free(&rows[i]);
        }
        seen += n;
    }
    assert_int_equal(seen, count);
    store_close(st);
}

static void test_store_loads_a_whole_guide(void **state)
{
    (void)state;
    store *st = open_demo();
    struct service_row row;
    int n = 0;
    assert_int_equal(store_services_page(st, "audience-business", 0, 1, &row, &n), 0);
    assert_int_equal(n, 1);
    struct service *s = NULL;
    assert_int_equal(store_service_get(st, row.id, &s), 0);
    assert_string_equal(s->id, row.id);
    assert_true(s->n_materials >= 1);
    assert_true(s->n_steps >= 1);
    assert_true(*s->legal_basis.s[LANG_ZH] && *s->legal_basis.s[LANG_EN]);
    assert_true(s->free || s->n_fees > 0);
    service_free(s);
    service_row_free(&row);
    assert_int_equal(store_service_get(st, "no-such-service", &s), -ENOENT);
    store_close(st);
}

static void test_store_finds_announcements_in_force_on_a_date(void **state)
{
    (void)state;
    store *st = open_demo();
    struct announcement_list l;
    assert_int_equal(store_announcements(st, "2026-11-28", &l), 0);
    assert_true(l.n >= 5);
    announcement_list_free(&l);
    assert_int_equal(store_announcements(st, "1999-01-01", &l), 0);
    assert_int_equal(l.n, 0);
    announcement_list_free(&l);
    store_close(st);
}

static int find_notice(const struct announcement_list *l, const char *id)
{
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->items[i].id, id) == 0)
            return i;
    return -1;
}

/* the demo's urgent notice is in force on one day only, 2026-12-31 */
static void test_store_shows_a_notice_from_its_first_to_its_last_day(void **state)
{
    (void)state;
    store *st = open_demo();
    struct announcement_list l;
    const struct {
        const char *date, *id;
        bool shown;
    } cases[] = {
        {"2026-11-11", "a-housing-fund-windows", false}, {"2026-11-12", "a-housing-fund-windows", true},
        {"2026-12-31", "a-housing-fund-windows", true},  {"2027-01-01", "a-housing-fund-windows", false},
        {"2026-12-30", "a-new-year-eve-closing", false}, {"2026-12-31", "a-new-year-eve-closing", true},
        {"2027-01-01", "a-new-year-eve-closing", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(store_announcements(st, cases[i].date, &l), 0);
        if ((find_notice(&l, cases[i].id) >= 0) != cases[i].shown)
            fail_msg("%s on %s: expected %s", cases[i].id, cases[i].date,
                     cases[i].shown ? "shown" : "not shown");
        announcement_list_free(&l);
    }
    store_close(st);
}

static void test_store_puts_urgent_notices_first_then_the_newest(void **state)
{
    (void)state;
    store *st = open_demo();
    struct announcement_list l;
    assert_int_equal(store_announcements(st, "2026-12-31", &l), 0);
    assert_true(l.n >= 3);
    assert_string_equal(l.items[0].id, "a-new-year-eve-closing");
    assert_true(l.items[0].urgent);
    assert_string_equal(l.items[0].published, "2026-12-28");
    assert_string_equal(l.items[0].ends, "2026-12-31");
    for (int i = 1; i < l.n; i++) {
        assert_false(l.items[i].urgent);
        if (i > 1 && strcmp(l.items[i - 1].published, l.items[i].published) < 0)
            fail_msg("%s (%s) before the newer %s (%s)", l.items[i - 1].id, l.items[i - 1].published,
                     l.items[i].id, l.items[i].published);
    }
    int k = find_notice(&l, "a-housing-fund-windows");
    assert_true(k > 0);
    assert_string_equal(l.items[k].agency.s[LANG_ZH], "市住房公积金管理中心");
    assert_string_equal(l.items[k].agency.s[LANG_EN], "Municipal Housing Provident Fund Management Centre");
    announcement_list_free(&l);
    store_close(st);
}

static void test_store_returns_the_hall_and_its_map(void **state)
{
    (void)state;
    store *st = open_demo();
    struct hall h;
    assert_int_equal(store_hall(st, &h), 0);
    assert_true(h.n_windows >= 10);
    /* one map per floor: the demo has windows on floors 1 and 2, and none on 3 */
    for (int floor = 1; floor <= 2; floor++) {
        void *png = NULL;
        size_t len = 0;
        assert_non_null(hall_map(&h, floor));
        assert_int_equal(store_image(st, hall_map(&h, floor), &png, &len), 0);
        assert_true(len > 8 && memcmp(png, "\x89PNG", 4) == 0);
        free(png);
    }
    assert_string_not_equal(hall_map(&h, 1), hall_map(&h, 2));
    assert_null(hall_map(&h, 3));
    const struct hall_window *desk = hall_window_by_id(&h, h.inquiry_window);
    assert_non_null(desk);
    assert_int_equal(desk->floor, 1);
    assert_null(hall_window_by_id(&h, "no-such-window"));
    assert_true(h.n_channels >= 2);
    hall_free(&h);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store_opens_the_demo_content_read_only),
        cmocka_unit_test(test_store_refuses_a_missing_file),
        cmocka_unit_test(test_store_refuses_another_schema_version_naming_both),
        cmocka_unit_test(test_store_lists_life_events_departments_and_audiences_with_counts),
        cmocka_unit_test(test_store_pages_through_a_category_consistently),
        cmocka_unit_test(test_store_loads_a_whole_guide),
        cmocka_unit_test(test_store_finds_announcements_in_force_on_a_date),
        cmocka_unit_test(test_store_shows_a_notice_from_its_first_to_its_last_day),
        cmocka_unit_test(test_store_puts_urgent_notices_first_then_the_newest),
        cmocka_unit_test(test_store_returns_the_hall_and_its_map),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
