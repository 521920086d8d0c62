/* test_civil.c - calendar arithmetic (base/civil.h) against independent references:
 * the C library's timegm/gmtime for day numbers and leap years, Sakamoto's formula for
 * weekdays, and a day-by-day walk for month lengths; then the strict date parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/civil.h"

/* ---- the references ---- */

static long ref_days(int y, int m, int d)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12};
    time_t t = timegm(&tm);
    return (long)((t - 12 * 3600) / 86400);
}

static int ref_weekday(int y, int m, int d)
{
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3)
        y -= 1;
    return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

/* ---- day numbers ---- */

static void test_civil_days_agree_with_the_c_library_day_by_day(void **state)
{
    (void)state;
    /* 1600-01-01 .. 2500-12-31: every day, both directions, consecutive */
    long first = ref_days(1600, 1, 1), last = ref_days(2500, 12, 31);
    civil_date prev = civil_from_days(first - 1);
    for (long z = first; z <= last; z++) {
        time_t t = (time_t)z * 86400;
        struct tm tm;
        assert_non_null(gmtime_r(&t, &tm));
        civil_date want = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
        civil_date got = civil_from_days(z);
        if (got.y != want.y || got.m != want.m || got.d != want.d)
            fail_msg("day %ld: got %d-%d-%d, want %d-%d-%d", z, got.y, got.m, got.d, want.y,
                     want.m, want.d);
        assert_int_equal(civil_to_days(want), z);
        assert_true(civil_valid(got));
        assert_int_equal(civil_weekday(z), tm.tm_wday);
        /* a new month starts exactly when the previous one has run its length */
        if (got.d == 1)
            assert_int_equal(prev.d, civil_month_days(prev.y, prev.m));
        else
            assert_int_equal(got.d, prev.d + 1);
        prev = got;
    }
}

static void test_civil_days_before_the_epoch_and_far_out(void **state)
{
    (void)state;
    static const civil_date dates[] = {
        {1970, 1, 1}, {1969, 12, 31}, {1, 1, 1}, {0, 2, 29}, {-1, 12, 31},
        {-400, 3, 1}, {1900, 2, 28}, {2000, 2, 29}, {9999, 12, 31}, {12345, 6, 7},
    };
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++) {
        civil_date d = dates[i];
        long z = civil_to_days(d);
        if (d.y >= 1 && d.y <= 9999)
            assert_int_equal(z, ref_days(d.y, d.m, d.d));
        civil_date back = civil_from_days(z);
        assert_int_equal(back.y, d.y);
        assert_int_equal(back.m, d.m);
        assert_int_equal(back.d, d.d);
        int wd = civil_weekday(z);
        assert_true(wd >= 0 && wd <= 6);
        if (d.y >= 1)
            assert_int_equal(wd, ref_weekday(d.y, d.m, d.d));
        assert_int_equal(civil_to_days(civil_from_days(z + 1)), z + 1);
    }
    assert_int_equal(civil_to_days((civil_date){1970, 1, 1}), 0);
    assert_int_equal(civil_weekday(0), 4);   /* a Thursday */
    assert_int_equal(civil_weekday(-1), 3);
    assert_int_equal(civil_weekday(-7), 4);
}

static void test_civil_leap_years_agree_with_the_c_library(void **state)
{
    (void)state;
    for (int y = 1; y <= 9999; y++) {
        bool want = ref_days(y, 3, 1) - ref_days(y, 2, 28) == 2;
        if (civil_leap(y) != want)
            fail_msg("year %d: leap %d, want %d", y, civil_leap(y), want);
        assert_int_equal(civil_month_days(y, 2), want ? 29 : 28);
        assert_int_equal(civil_to_days((civil_date){y + 1, 1, 1}) - civil_to_days((civil_date){y, 1, 1}),
                         want ? 366 : 365);
    }
    assert_false(civil_leap(1900));
    assert_true(civil_leap(2000));
    assert_false(civil_leap(2100));
    assert_true(civil_leap(2024));
}

/* ---- real dates and their text ---- */

static void test_civil_valid_refuses_days_that_do_not_exist(void **state)
{
    (void)state;
    assert_true(civil_valid((civil_date){2024, 2, 29}));
    assert_false(civil_valid((civil_date){2023, 2, 29}));
    assert_false(civil_valid((civil_date){2100, 2, 29}));
    assert_false(civil_valid((civil_date){2024, 4, 31}));
    assert_true(civil_valid((civil_date){2024, 12, 31}));
    assert_false(civil_valid((civil_date){2024, 13, 1}));
    assert_false(civil_valid((civil_date){2024, 0, 1}));
    assert_false(civil_valid((civil_date){2024, 1, 0}));
    assert_false(civil_valid((civil_date){2024, 1, 32}));
}

static void test_civil_parse_is_strict(void **state)
{
    (void)state;
    civil_date d = {7, 7, 7};
    assert_int_equal(civil_parse("2024-02-29", &d), 0);
    assert_int_equal(d.y, 2024);
    assert_int_equal(d.m, 2);
    assert_int_equal(d.d, 29);
    assert_int_equal(civil_parse("0001-01-01", &d), 0);
    assert_int_equal(d.y, 1);

    static const char *shapes[] = {"",          "2024-2-29",   "2024-02-290", "2024/02/29",
                                   "24-02-29",  "2024-02-2",   " 2024-02-29", "2024-02-29 ",
                                   "2024-0a-01", "+024-02-01", "2024-02",     "2024--02-01",
                                   NULL};
    d = (civil_date){7, 7, 7};
    for (int i = 0; shapes[i]; i++)
        if (civil_parse(shapes[i], &d) != -EINVAL)
            fail_msg("\"%s\" parsed", shapes[i]);
    assert_int_equal(civil_parse(NULL, &d), -EINVAL);
    assert_int_equal(civil_parse("2023-02-29", &d), -EDOM);
    assert_int_equal(civil_parse("2024-13-01", &d), -EDOM);
    assert_int_equal(civil_parse("2024-00-10", &d), -EDOM);
    assert_int_equal(civil_parse("2024-06-31", &d), -EDOM);
    assert_int_equal(d.y, 7); /* untouched on failure */
}

static void test_civil_format_round_trips_every_day_of_a_leap_year(void **state)
{
    (void)state;
    char buf[11], want[11];
    assert_int_equal(civil_parse("2024-01-01", &(civil_date){0}), 0);
    for (long z = civil_to_days((civil_date){2024, 1, 1}); z < civil_to_days((civil_date){2025, 1, 1}); z++) {
        civil_date d = civil_from_days(z), back;
        civil_format(d, buf);
        snprintf(want, sizeof want, "%04d-%02d-%02d", d.y, d.m, d.d);
        assert_string_equal(buf, want);
        assert_int_equal(civil_parse(buf, &back), 0);
        assert_int_equal(civil_to_days(back), z);
    }
    civil_format((civil_date){5, 3, 9}, buf);
    assert_string_equal(buf, "0005-03-09");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_civil_days_agree_with_the_c_library_day_by_day),
        cmocka_unit_test(test_civil_days_before_the_epoch_and_far_out),
        cmocka_unit_test(test_civil_leap_years_agree_with_the_c_library),
        cmocka_unit_test(test_civil_valid_refuses_days_that_do_not_exist),
        cmocka_unit_test(test_civil_parse_is_strict),
        cmocka_unit_test(test_civil_format_round_trips_every_day_of_a_leap_year),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
