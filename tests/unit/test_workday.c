/* test_workday.c - the working-day calendar (docs/rules.md §6) built from the official 2025
 * and 2026 schedules, checked day by day against a simple list-based reference model,
 * deadlines counted by hand, and the calendar store_calendar reads from the demo
 * content.db. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "demo_db.h"
#include "core/store.h"
#include "core/workday.h"

/* ---- the reference model: a plain list of listed days and Sakamoto's weekday ---- */

struct listed {
    char date[11];
    int kind;
};

static struct listed ref_days[200];
static int ref_n;
static const int ref_years[] = {2025, 2026};

static int ref_weekday(int y, int m, int d)
{
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3)
        y -= 1;
    return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7; /* 0 = Sunday */
}

static int ref_month_days(int y, int m)
{
    if (m == 2)
        return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28;
    return m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
}

static workday_date ref_next(workday_date d)
{
    if (++d.d > ref_month_days(d.y, d.m)) {
        d.d = 1;
        if (++d.m > 12) {
            d.m = 1;
            d.y++;
        }
    }
    return d;
}

static bool ref_covered(int y)
{
    for (size_t i = 0; i < ARRAY_SIZE(ref_years); i++)
        if (ref_years[i] == y)
            return true;
    return false;
}

static bool ref_is_working(workday_date d)
{
    char s[16];
    snprintf(s, sizeof s, "%04d-%02d-%02d", d.y, d.m, d.d);
    for (int i = 0; i < ref_n; i++)
        if (strcmp(ref_days[i].date, s) == 0)
            return ref_days[i].kind == WORKDAY_MAKEUP;
    int wd = ref_weekday(d.y, d.m, d.d);
    return wd != 0 && wd != 6;
}

/* ---- building the official calendar ------------------------------------------------ */

static void list_day(struct workday_cal *cal, workday_date d, int kind)
{
    char s[11];
    workday_date_format(d, s);
    if (workday_cal_add_day(cal, s, kind) != 0)
        fail_msg("cannot list %s", s);
    expect(ref_n < (int)ARRAY_SIZE(ref_days));
    snprintf(ref_days[ref_n].date, sizeof ref_days[ref_n].date, "%s", s);
    ref_days[ref_n++].kind = kind;
}

/* Holidays FROM..TO, both included, as the State Council notices write them. */
static void holidays(struct workday_cal *cal, workday_date from, workday_date to)
{
    for (workday_date d = from; workday_date_cmp(d, to) <= 0; d = ref_next(d))
        list_day(cal, d, WORKDAY_HOLIDAY);
}

static void makeup(struct workday_cal *cal, workday_date d)
{
    list_day(cal, d, WORKDAY_MAKEUP);
}

#define D(y, m, d) ((workday_date){(y), (m), (d)})

/* docs/rules.md §6, exactly. */
static struct workday_cal *official(void)
{
    struct workday_cal *cal = workday_cal_new("cn");
    ref_n = 0;
    assert_int_equal(workday_cal_add_year(cal, 2025), 0);
    assert_int_equal(workday_cal_add_year(cal, 2026), 0);

    /* 2025: Jan 1; Jan 28 - Feb 4 (work Sun Jan 26, Sat Feb 8); Apr 4-6; May 1-5 (work
     * Sun Apr 27); May 31 - Jun 2; Oct 1-8 (work Sun Sep 28, Sat Oct 11) */
    holidays(cal, D(2025, 1, 1), D(2025, 1, 1));
    holidays(cal, D(2025, 1, 28), D(2025, 2, 4));
    makeup(cal, D(2025, 1, 26));
    makeup(cal, D(2025, 2, 8));
    holidays(cal, D(2025, 4, 4), D(2025, 4, 6));
    holidays(cal, D(2025, 5, 1), D(2025, 5, 5));
    makeup(cal, D(2025, 4, 27));
    holidays(cal, D(2025, 5, 31), D(2025, 6, 2));
    holidays(cal, D(2025, 10, 1), D(2025, 10, 8));
    makeup(cal, D(2025, 9, 28));
    makeup(cal, D(2025, 10, 11));

    /* 2026: Jan 1-3 (work Sun Jan 4); Feb 15-23 (work Sat Feb 14, Sat Feb 28); Apr 4-6;
     * May 1-5 (work Sat May 9); Jun 19-21; Sep 25-27; Oct 1-7 (work Sun Sep 20, Sat
     * Oct 10) */
    holidays(cal, D(2026, 1, 1), D(2026, 1, 3));
    makeup(cal, D(2026, 1, 4));
    holidays(cal, D(2026, 2, 15), D(2026, 2, 23));
    makeup(cal, D(2026, 2, 14));
    makeup(cal, D(2026, 2, 28));
    holidays(cal, D(2026, 4, 4), D(2026, 4, 6));
    holidays(cal, D(2026, 5, 1), D(2026, 5, 5));
    makeup(cal, D(2026, 5, 9));
    holidays(cal, D(2026, 6, 19), D(2026, 6, 21));
    holidays(cal, D(2026, 9, 25), D(2026, 9, 27));
    holidays(cal, D(2026, 10, 1), D(2026, 10, 7));
    makeup(cal, D(2026, 9, 20));
    makeup(cal, D(2026, 10, 10));
    return cal;
}

static int setup(void **state)
{
    *state = official();
    return 0;
}

static int teardown(void **state)
{
    workday_cal_free(*state);
    return 0;
}

static bool working(struct workday_cal *cal, workday_date d)
{
    bool est = true;
    bool w = workday_is_working(cal, d, &est);
    if (est)
        fail_msg("%04d-%02d-%02d is inside the covered years but was estimated", d.y, d.m, d.d);
    return w;
}

static void expect_add(struct workday_cal *cal, workday_date start, int n, workday_date want,
                       bool want_estimated)
{
    workday_date got = {0, 0, 0};
    bool est = !want_estimated;
    assert_int_equal(workday_add(cal, start, n, &got, &est), 0);
    char a[11], b[11];
    workday_date_format(want, a);
    workday_date_format(got, b);
    assert_string_equal(b, a);
    assert_int_equal(est, want_estimated);
}

/* ---- single days -------------------------------------------------------------------- */

static void test_workday_a_makeup_sunday_is_a_working_day(void **state)
{
    struct workday_cal *cal = *state;
    assert_int_equal(workday_weekday(D(2025, 1, 26)), 0);
    assert_true(working(cal, D(2025, 1, 26)));
    assert_true(working(cal, D(2025, 2, 8))); /* Saturday */
    assert_int_equal(workday_cal_listed(cal, D(2025, 1, 26)), WORKDAY_MAKEUP);
}

static void test_workday_the_2025_spring_festival_is_off_from_28_january_to_4_february(void **state)
{
    struct workday_cal *cal = *state;
    for (workday_date d = D(2025, 1, 28); workday_date_cmp(d, D(2025, 2, 4)) <= 0; d = ref_next(d))
        assert_false(working(cal, d));
    assert_true(working(cal, D(2025, 1, 27)));  /* Monday before */
    assert_true(working(cal, D(2025, 2, 5)));   /* Wednesday after */
    assert_false(working(cal, D(2025, 1, 1)));  /* New Year, a Wednesday */
}

static void test_workday_2026_spring_festival_saturdays_are_worked_and_15_to_23_off(void **state)
{
    struct workday_cal *cal = *state;
    assert_int_equal(workday_weekday(D(2026, 2, 14)), 6);
    assert_int_equal(workday_weekday(D(2026, 2, 28)), 6);
    assert_true(working(cal, D(2026, 2, 14)));
    assert_true(working(cal, D(2026, 2, 28)));
    for (int day = 15; day <= 23; day++)
        assert_false(working(cal, D(2026, 2, day)));
    assert_true(working(cal, D(2026, 2, 24)));
}

static void test_workday_2026_national_day_week_and_its_makeup_days(void **state)
{
    struct workday_cal *cal = *state;
    assert_int_equal(workday_weekday(D(2026, 10, 10)), 6);
    assert_true(working(cal, D(2026, 10, 10)));
    assert_true(working(cal, D(2026, 9, 20))); /* Sunday */
    for (int day = 1; day <= 7; day++)
        assert_false(working(cal, D(2026, 10, day)));
    assert_false(working(cal, D(2026, 9, 25))); /* Mid-Autumn, a Friday */
    assert_true(working(cal, D(2026, 10, 8)));
}

static void test_workday_ordinary_weekends_are_off_and_weekdays_on(void **state)
{
    struct workday_cal *cal = *state;
    assert_false(working(cal, D(2026, 3, 7)));  /* Saturday */
    assert_false(working(cal, D(2026, 3, 8)));  /* Sunday */
    assert_true(working(cal, D(2026, 3, 9)));   /* Monday */
    assert_false(working(cal, D(2025, 11, 15)));
    assert_true(working(cal, D(2025, 11, 14)));
}

static void test_workday_every_covered_day_matches_the_reference_model(void **state)
{
    struct workday_cal *cal = *state;
    int n_working[2] = {0, 0};
    for (workday_date d = D(2025, 1, 1); d.y <= 2026; d = ref_next(d)) {
        assert_int_equal(workday_weekday(d), ref_weekday(d.y, d.m, d.d));
        bool w = working(cal, d);
        if (w != ref_is_working(d))
            fail_msg("%04d-%02d-%02d: calendar says %d, reference %d", d.y, d.m, d.d, w, !w);
        n_working[d.y - 2025] += w;
    }
    /* by hand: each year has 261 Mondays-Fridays (365 days, one extra weekday);
     * 2025 loses 18 of them to holidays (Jan 1; Jan 28-31, Feb 3-4; Apr 4; May 1-2, 5;
     * Jun 2; Oct 1-3, 6-8) and gains 5 make-up days: 248.
     * 2026 loses 19 (Jan 1-2; Feb 16-20, 23; Apr 6; May 1, 4-5; Jun 19; Sep 25;
     * Oct 1-2, 5-7) and gains 6 make-up days: 248. */
    assert_int_equal(n_working[0], 248);
    assert_int_equal(n_working[1], 248);
}

static void test_workday_outside_the_covered_years_is_monday_to_friday_and_estimated(void **state)
{
    struct workday_cal *cal = *state;
    bool est = false;
    assert_true(workday_is_working(cal, D(2027, 1, 1), &est)); /* a Friday; really a holiday */
    assert_true(est);
    est = false;
    assert_false(workday_is_working(cal, D(2024, 12, 29), &est)); /* a Sunday */
    assert_true(est);
    assert_false(workday_cal_covers(cal, 2027));
    assert_true(workday_cal_covers(cal, 2025));
    assert_int_equal(workday_cal_years(cal), 2);
    /* no calendar at all: everything is an estimate */
    est = false;
    assert_true(workday_is_working(NULL, D(2026, 10, 1), &est));
    assert_true(est);
}

/* ---- deadlines ---------------------------------------------------------------------- */

static void test_workday_the_first_working_day_after_friday_13_february_2026_is_the_14th(void **state)
{
    struct workday_cal *cal = *state;
    expect_add(cal, D(2026, 2, 13), 1, D(2026, 2, 14), false);
    /* and the second is the Tuesday after the holiday, 24 February */
    expect_add(cal, D(2026, 2, 13), 2, D(2026, 2, 24), false);
}

static void test_workday_a_reply_due_across_the_2026_national_day_week(void **state)
{
    struct workday_cal *cal = *state;
    /* Received Friday 2026-09-18; counted from the next day, by hand:
     *   Sep 19 Sat  off
     *   Sep 20 Sun  make-up      1
     *   Sep 21 Mon  2, 22 Tue 3, 23 Wed 4, 24 Thu 5
     *   Sep 25 Fri, 26 Sat, 27 Sun  Mid-Autumn holiday
     *   Sep 28 Mon  6, 29 Tue 7, 30 Wed 8
     *   Oct 1 Thu .. Oct 7 Wed  National Day holiday
     *   Oct 8 Thu   9, Oct 9 Fri 10
     *   Oct 10 Sat  make-up      11
     *   Oct 11 Sun  off
     *   Oct 12 Mon 12, 13 Tue 13, 14 Wed 14, 15 Thu 15, 16 Fri 16
     *   Oct 17 Sat, 18 Sun off
     *   Oct 19 Mon 17, 20 Tue 18, 21 Wed 19, 22 Thu 20
     * so the reply is due on Thursday 2026-10-22. */
    workday_date due;
    bool est = true;
    assert_int_equal(workday_reply_deadline(cal, D(2026, 9, 18), &due, &est), 0);
    assert_int_equal(due.y, 2026);
    assert_int_equal(due.m, 10);
    assert_int_equal(due.d, 22);
    assert_false(est);
}

static void test_workday_a_reply_due_across_new_year_2026(void **state)
{
    struct workday_cal *cal = *state;
    /* Received Saturday 2025-12-20; by hand:
     *   Dec 21 Sun off
     *   Dec 22 Mon 1, 23 Tue 2, 24 Wed 3, 25 Thu 4, 26 Fri 5
     *   Dec 27 Sat, 28 Sun off
     *   Dec 29 Mon 6, 30 Tue 7, 31 Wed 8
     *   Jan 1 Thu, 2 Fri, 3 Sat  New Year holiday
     *   Jan 4 Sun   make-up 9
     *   Jan 5 Mon 10, 6 Tue 11, 7 Wed 12, 8 Thu 13, 9 Fri 14
     *   Jan 10 Sat, 11 Sun off
     *   Jan 12 Mon 15, 13 Tue 16, 14 Wed 17, 15 Thu 18, 16 Fri 19
     *   Jan 17 Sat, 18 Sun off
     *   Jan 19 Mon 20
     * so the reply is due on Monday 2026-01-19, not an estimate (both years covered). */
    expect_add(cal, D(2025, 12, 20), WORKDAY_REPLY_DAYS, D(2026, 1, 19), false);
}

static void test_workday_a_reply_due_past_the_covered_years_is_an_estimate(void **state)
{
    struct workday_cal *cal = *state;
    /* Received Sunday 2026-12-20; 2027 is not covered, so it counts Monday-Friday:
     *   Dec 21 Mon 1, 22 Tue 2, 23 Wed 3, 24 Thu 4, 25 Fri 5
     *   Dec 26 Sat, 27 Sun off
     *   Dec 28 Mon 6, 29 Tue 7, 30 Wed 8, 31 Thu 9
     *   Jan 1 Fri 10 (an estimate: it will surely be New Year's Day)
     *   Jan 2 Sat, 3 Sun off
     *   Jan 4 Mon 11, 5 Tue 12, 6 Wed 13, 7 Thu 14, 8 Fri 15
     *   Jan 9 Sat, 10 Sun off
     *   Jan 11 Mon 16, 12 Tue 17, 13 Wed 18, 14 Thu 19, 15 Fri 20
     * so about Friday 2027-01-15, flagged as an estimate. */
    expect_add(cal, D(2026, 12, 20), WORKDAY_REPLY_DAYS, D(2027, 1, 15), true);
    /* starting in an uncovered year but counting only covered days is not an estimate */
    expect_add(cal, D(2024, 12, 31), 1, D(2025, 1, 2), false);
}

static void test_workday_a_deadline_inside_the_covered_years_is_never_an_estimate(void **state)
{
    struct workday_cal *cal = *state;
    /* from every day whose 20 working days stay inside 2025-2026, against the reference */
    for (workday_date start = D(2025, 1, 1); workday_date_cmp(start, D(2026, 11, 30)) <= 0;
         start = ref_next(start)) {
        workday_date want = start;
        for (int n = 0; n < WORKDAY_REPLY_DAYS;) {
            want = ref_next(want);
            n += ref_is_working(want);
        }
        assert_true(ref_covered(want.y));
        expect_add(cal, start, WORKDAY_REPLY_DAYS, want, false);
    }
}

static void test_workday_overdue_starts_the_day_after_the_due_date(void **state)
{
    (void)state;
    workday_date due = D(2026, 10, 22);
    assert_false(workday_overdue(due, D(2026, 10, 21)));
    assert_false(workday_overdue(due, due));
    assert_true(workday_overdue(due, D(2026, 10, 23)));
    assert_true(workday_overdue(due, D(2027, 1, 1)));
    assert_false(workday_overdue(D(2026, 12, 31), D(2026, 1, 31)));
}

static void test_workday_add_refuses_a_bad_count_or_start(void **state)
{
    struct workday_cal *cal = *state;
    workday_date out = D(1, 1, 1);
    bool est = false;
    assert_int_equal(workday_add(cal, D(2026, 1, 5), 0, &out, &est), -EINVAL);
    assert_int_equal(workday_add(cal, D(2026, 1, 5), WORKDAY_MAX_ADD + 1, &out, &est), -EINVAL);
    assert_int_equal(workday_add(cal, D(2026, 2, 30), 1, &out, &est), -EINVAL);
    assert_int_equal(workday_add(cal, D(2199, 12, 30), 5, &out, &est), -ERANGE);
    assert_int_equal(out.y, 1); /* untouched */
    assert_int_equal(workday_add(cal, D(2026, 1, 5), WORKDAY_MAX_ADD, &out, &est), 0);
    assert_true(est);
}

/* ---- building ----------------------------------------------------------------------- */

static void test_workday_calendar_refuses_bad_data(void **state)
{
    (void)state;
    struct workday_cal *cal = workday_cal_new("cn");
    assert_string_equal(workday_cal_region(cal), "cn");
    assert_int_equal(workday_cal_add_day(cal, "2026-10-01", WORKDAY_HOLIDAY), -ENOENT);
    assert_int_equal(workday_cal_add_year(cal, 2026), 0);
    assert_int_equal(workday_cal_add_year(cal, 2026), -EEXIST);
    assert_int_equal(workday_cal_add_year(cal, 1800), -EINVAL);
    assert_int_equal(workday_cal_add_day(cal, "2026-10-01", WORKDAY_HOLIDAY), 0);
    assert_int_equal(workday_cal_add_day(cal, "2026-10-01", WORKDAY_HOLIDAY), -EEXIST);
    assert_int_equal(workday_cal_add_day(cal, "2026-10-03", WORKDAY_MAKEUP), 0); /* Sat */
    assert_int_equal(workday_cal_add_day(cal, "2026-10-03", WORKDAY_HOLIDAY), -EEXIST);
    assert_int_equal(workday_cal_add_day(cal, "2026-10-09", WORKDAY_MAKEUP), -EINVAL); /* Fri */
    assert_int_equal(workday_cal_add_day(cal, "2026-02-30", WORKDAY_HOLIDAY), -EINVAL);
    assert_int_equal(workday_cal_add_day(cal, "2026-1-5", WORKDAY_HOLIDAY), -EINVAL);
    assert_int_equal(workday_cal_add_day(cal, NULL, WORKDAY_HOLIDAY), -EINVAL);
    assert_int_equal(workday_cal_add_day(cal, "2026-10-02", 3), -EINVAL);
    assert_int_equal(workday_cal_add_day(cal, "2026-10-02", 0), -EINVAL);
    assert_int_equal(workday_cal_add_day(cal, "2026-12-31", WORKDAY_HOLIDAY), 0);
    assert_int_equal(workday_cal_listed(cal, D(2026, 12, 31)), WORKDAY_HOLIDAY);
    workday_cal_free(cal);
    workday_cal_free(NULL);
}

static void test_workday_calendar_covers_at_most_50_years_in_either_direction(void **state)
{
    (void)state;
    struct workday_cal *cal = workday_cal_new("cn");
    assert_int_equal(workday_cal_add_year(cal, 2030), 0);
    assert_int_equal(workday_cal_add_day(cal, "2030-10-01", WORKDAY_HOLIDAY), 0);
    assert_int_equal(workday_cal_add_year(cal, 2000), 0); /* the window slides down */
    assert_int_equal(workday_cal_add_year(cal, 2049), 0); /* 2000..2049: 50 years */
    assert_int_equal(workday_cal_add_year(cal, 2050), -E2BIG);
    assert_int_equal(workday_cal_add_year(cal, 1999), -E2BIG);
    assert_int_equal(workday_cal_listed(cal, D(2030, 10, 1)), WORKDAY_HOLIDAY);
    assert_true(workday_cal_covers(cal, 2049));
    assert_false(workday_cal_covers(cal, 2031));
    assert_int_equal(workday_cal_years(cal), 3);
    workday_cal_free(cal);

    cal = workday_cal_new("cn");
    assert_int_equal(workday_cal_add_year(cal, 2000), 0);
    assert_int_equal(workday_cal_add_day(cal, "2000-02-29", WORKDAY_HOLIDAY), 0);
    assert_int_equal(workday_cal_add_year(cal, 2049), 0); /* fits the first window */
    workday_cal_free(cal);

    cal = workday_cal_new("cn");
    assert_int_equal(workday_cal_add_year(cal, 2060), 0);
    assert_int_equal(workday_cal_add_year(cal, 2070), 0);
    assert_int_equal(workday_cal_add_day(cal, "2070-12-31", WORKDAY_HOLIDAY), 0);
    assert_int_equal(workday_cal_add_year(cal, 2109), 0); /* the window slides up */
    assert_int_equal(workday_cal_add_year(cal, 2110), -E2BIG);
    assert_int_equal(workday_cal_listed(cal, D(2070, 12, 31)), WORKDAY_HOLIDAY);
    assert_true(workday_cal_covers(cal, 2060));
    assert_true(workday_cal_covers(cal, 2109));
    bool est = true;
    assert_false(workday_is_working(cal, D(2070, 12, 31), &est));
    assert_false(est);
    workday_cal_free(cal);
}

static void test_workday_dates_parse_format_and_count(void **state)
{
    (void)state;
    workday_date d;
    assert_int_equal(workday_date_parse("2024-02-29", &d), 0);
    assert_int_equal(workday_weekday(d), 4); /* a Thursday */
    char s[11];
    workday_date_format(d, s);
    assert_string_equal(s, "2024-02-29");
    assert_int_equal(workday_date_add_days(d, 1, &d), 0);
    workday_date_format(d, s);
    assert_string_equal(s, "2024-03-01");
    assert_int_equal(workday_date_add_days(d, -366, &d), 0);
    workday_date_format(d, s);
    assert_string_equal(s, "2023-03-01");
    d = D(1, 1, 1);
    assert_int_equal(workday_date_parse("2023-02-29", &d), -EINVAL);
    assert_int_equal(workday_date_parse("2026-2-14", &d), -EINVAL);
    assert_int_equal(workday_date_parse("2026-02-14 ", &d), -EINVAL);
    assert_int_equal(workday_date_parse(NULL, &d), -EINVAL);
    assert_int_equal(d.y, 1);
    assert_int_equal(workday_date_add_days(D(1900, 1, 1), -1, &d), -ERANGE);
    assert_true(workday_date_cmp(D(2026, 1, 31), D(2026, 2, 1)) < 0);
    assert_int_equal(workday_date_cmp(D(2026, 2, 1), D(2026, 2, 1)), 0);
    assert_int_equal(workday_date_from_time(0, &d), 0);
}

/* ---- the calendar in the demo content --------------------------------------------- */

static void test_workday_store_reads_the_demo_calendar_as_published(void **state)
{
    struct workday_cal *want = *state;
    char *path = demo_db_path(), err[256];
    store *st = NULL;
    if (store_open(path, &st, err, sizeof err) < 0)
        fail_msg("%s", err);
    struct hall h;
    assert_int_equal(store_hall(st, &h), 0);
    struct workday_cal *cal = NULL;
    int r = store_calendar(st, h.region, &cal);
    if (r == -ENOENT)
        fail_msg("%s has no calendar rows for region \"%s\": assets/content/calendar/"
                 "%s-2025.json and %s-2026.json must be built into it",
                 path, h.region, h.region, h.region);
    if (r < 0)
        fail_msg("store_calendar(%s): %s", h.region, strerror(-r));
    assert_string_equal(workday_cal_region(cal), h.region);
    assert_true(workday_cal_covers(cal, 2025));
    assert_true(workday_cal_covers(cal, 2026));
    for (workday_date d = D(2025, 1, 1); d.y <= 2026; d = ref_next(d)) {
        bool est = true;
        bool w = workday_is_working(cal, d, &est);
        assert_false(est);
        if (w != working(want, d) || workday_cal_listed(cal, d) != workday_cal_listed(want, d))
            fail_msg("content.db: %04d-%02d-%02d is %s (listed %d), docs/rules.md says %s "
                     "(listed %d)", d.y, d.m, d.d, w ? "working" : "off",
                     workday_cal_listed(cal, d), working(want, d) ? "working" : "off",
                     workday_cal_listed(want, d));
    }
    struct workday_cal *none = NULL;
    assert_int_equal(store_calendar(st, "no-such-region", &none), -ENOENT);
    assert_null(none);
    workday_cal_free(cal);
    hall_free(&h);
    store_close(st);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workday_a_makeup_sunday_is_a_working_day),
        cmocka_unit_test(test_workday_the_2025_spring_festival_is_off_from_28_january_to_4_february),
        cmocka_unit_test(test_workday_2026_spring_festival_saturdays_are_worked_and_15_to_23_off),
        cmocka_unit_test(test_workday_2026_national_day_week_and_its_makeup_days),
        cmocka_unit_test(test_workday_ordinary_weekends_are_off_and_weekdays_on),
        cmocka_unit_test(test_workday_every_covered_day_matches_the_reference_model),
        cmocka_unit_test(test_workday_outside_the_covered_years_is_monday_to_friday_and_estimated),
        cmocka_unit_test(test_workday_the_first_working_day_after_friday_13_february_2026_is_the_14th),
        cmocka_unit_test(test_workday_a_reply_due_across_the_2026_national_day_week),
        cmocka_unit_test(test_workday_a_reply_due_across_new_year_2026),
        cmocka_unit_test(test_workday_a_reply_due_past_the_covered_years_is_an_estimate),
        cmocka_unit_test(test_workday_a_deadline_inside_the_covered_years_is_never_an_estimate),
        cmocka_unit_test(test_workday_overdue_starts_the_day_after_the_due_date),
        cmocka_unit_test(test_workday_add_refuses_a_bad_count_or_start),
        cmocka_unit_test(test_workday_calendar_refuses_bad_data),
        cmocka_unit_test(test_workday_calendar_covers_at_most_50_years_in_either_direction),
        cmocka_unit_test(test_workday_dates_parse_format_and_count),
        cmocka_unit_test(test_workday_store_reads_the_demo_calendar_as_published),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
