/* workday.c - see workday.h. Lookups are far more common than additions (a deadline
 * asks about every day it walks; the calendar changes once a year), so each covered
 * year is two fixed bit sets indexed by day of the year, and the years are slots of a
 * fixed window indexed by year - base: is_working is a few array reads. */
#include "workday.h"
#include "base/util.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define YEAR_WORDS 6 /* 6 x 64 = 384 bits >= 366 days */

struct year_bits {
    bool covered;
    uint64_t holiday[YEAR_WORDS];
    uint64_t makeup[YEAR_WORDS];
};

struct workday_cal {
    char *region;
    int n_years;
    int base;   /* the year of years[0], once n_years > 0 */
    int lo, hi; /* the first and last covered year */
    struct year_bits years[WORKDAY_MAX_YEARS];
};

/* ---- dates ---------------------------------------------------------------------------- */

bool workday_date_valid(workday_date d)
{
    return d.y >= WORKDAY_MIN_YEAR && d.y <= WORKDAY_MAX_YEAR && civil_valid(d);
}

static int day_of_year(workday_date d)
{
    workday_date jan1 = {d.y, 1, 1};
    return (int)(civil_to_days(d) - civil_to_days(jan1));
}

int workday_weekday(workday_date d)
{
    expect(workday_date_valid(d));
    return civil_weekday(civil_to_days(d));
}

int workday_date_parse(const char *s, workday_date *ret)
{
    workday_date d;
    if (civil_parse(s, &d) < 0 || !workday_date_valid(d))
        return -EINVAL;
    *ret = d;
    return 0;
}

void workday_date_format(workday_date d, char buf[static 11])
{
    expect(workday_date_valid(d));
    civil_format(d, buf);
}

int workday_date_from_time(time_t now, workday_date *ret)
{
    struct tm tm;
    if (!localtime_r(&now, &tm))
        return -EINVAL;
    workday_date d = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
    if (!workday_date_valid(d))
        return -EINVAL;
    *ret = d;
    return 0;
}

int workday_date_add_days(workday_date d, int n, workday_date *ret)
{
    expect(workday_date_valid(d));
    workday_date r = civil_from_days(civil_to_days(d) + n);
    if (!workday_date_valid(r))
        return -ERANGE;
    *ret = r;
    return 0;
}

int workday_date_cmp(workday_date a, workday_date b)
{
    if (a.y != b.y)
        return a.y < b.y ? -1 : 1;
    if (a.m != b.m)
        return a.m < b.m ? -1 : 1;
    return a.d < b.d ? -1 : a.d > b.d;
}

/* ---- the calendar ----------------------------------------------------------------- */

struct workday_cal *workday_cal_new(const char *region)
{
    struct workday_cal *cal = xcalloc(1, sizeof *cal);
    cal->region = xstrdup(region ? region : "");
    return cal;
}

void workday_cal_free(struct workday_cal *cal)
{
    if (!cal)
        return;
    free(cal->region);
    free(cal);
}

const char *workday_cal_region(const struct workday_cal *cal)
{
    return cal->region;
}

/* The slot of a covered YEAR, or -1. */
static int slot_of(const struct workday_cal *cal, int year)
{
    if (!cal || cal->n_years == 0)
        return -1;
    int i = year - cal->base;
    if (i < 0 || i >= WORKDAY_MAX_YEARS || !cal->years[i].covered)
        return -1;
    return i;
}

static const struct year_bits *year_slot(const struct workday_cal *cal, int year)
{
    int i = slot_of(cal, year);
    return i < 0 ? NULL : &cal->years[i];
}

int workday_cal_add_year(struct workday_cal *cal, int year)
{
    if (year < WORKDAY_MIN_YEAR || year > WORKDAY_MAX_YEAR)
        return -EINVAL;
    if (year_slot(cal, year))
        return -EEXIST;
    if (cal->n_years == 0) {
        cal->base = cal->lo = cal->hi = year;
    } else {
        int lo = MIN(cal->lo, year), hi = MAX(cal->hi, year);
        if (hi - lo + 1 > WORKDAY_MAX_YEARS)
            return -E2BIG;
        if (year < cal->base) {
            /* slide the window down; the span check keeps every covered slot in it */
            int shift = cal->base - year;
            memmove(&cal->years[shift], &cal->years[0],
                    (size_t)(WORKDAY_MAX_YEARS - shift) * sizeof cal->years[0]);
            memset(&cal->years[0], 0, (size_t)shift * sizeof cal->years[0]);
            cal->base = year;
        } else if (year - cal->base >= WORKDAY_MAX_YEARS) {
            int shift = year - cal->base - WORKDAY_MAX_YEARS + 1;
            memmove(&cal->years[0], &cal->years[shift],
                    (size_t)(WORKDAY_MAX_YEARS - shift) * sizeof cal->years[0]);
            memset(&cal->years[WORKDAY_MAX_YEARS - shift], 0,
                   (size_t)shift * sizeof cal->years[0]);
            cal->base += shift;
        }
        cal->lo = lo;
        cal->hi = hi;
    }
    cal->years[year - cal->base].covered = true;
    cal->n_years++;
    return 0;
}

static bool bit(const uint64_t *set, int i)
{
    return (set[i / 64] >> (i % 64)) & 1;
}

int workday_cal_add_day(struct workday_cal *cal, const char *date, int kind)
{
    workday_date d;
    if (workday_date_parse(date, &d) < 0 || (kind != WORKDAY_HOLIDAY && kind != WORKDAY_MAKEUP))
        return -EINVAL;
    int wd = workday_weekday(d);
    if (kind == WORKDAY_MAKEUP && wd != 0 && wd != 6)
        return -EINVAL; /* a weekday is worked anyway: listing it is a data error */
    int slot = slot_of(cal, d.y);
    if (slot < 0)
        return -ENOENT;
    struct year_bits *y = &cal->years[slot];
    int i = day_of_year(d);
    if (bit(y->holiday, i) || bit(y->makeup, i))
        return -EEXIST;
    uint64_t *set = kind == WORKDAY_HOLIDAY ? y->holiday : y->makeup;
    set[i / 64] |= UINT64_C(1) << (i % 64);
    return 0;
}

int workday_cal_years(const struct workday_cal *cal)
{
    return cal ? cal->n_years : 0;
}

bool workday_cal_covers(const struct workday_cal *cal, int year)
{
    return year_slot(cal, year) != NULL;
}

int workday_cal_listed(const struct workday_cal *cal, workday_date d)
{
    expect(workday_date_valid(d));
    const struct year_bits *y = year_slot(cal, d.y);
    if (!y)
        return 0;
    int i = day_of_year(d);
    return bit(y->holiday, i) ? WORKDAY_HOLIDAY : bit(y->makeup, i) ? WORKDAY_MAKEUP : 0;
}

/* ---- asking it -------------------------------------------------------------------- */

bool workday_is_working(const struct workday_cal *cal, workday_date d, bool *ret_estimated)
{
    expect(workday_date_valid(d));
    int wd = workday_weekday(d);
    bool weekday = wd >= 1 && wd <= 5;
    const struct year_bits *y = year_slot(cal, d.y);
    if (ret_estimated)
        *ret_estimated = !y;
    if (!y)
        return weekday;
    int i = day_of_year(d);
    if (bit(y->makeup, i))
        return true;
    return weekday && !bit(y->holiday, i);
}

int workday_add(const struct workday_cal *cal, workday_date start, int n,
                workday_date *ret_date, bool *ret_estimated)
{
    if (!workday_date_valid(start) || n < 1 || n > WORKDAY_MAX_ADD)
        return -EINVAL;
    bool estimated = false;
    workday_date d = start;
    while (n > 0) {
        if (workday_date_add_days(d, 1, &d) < 0)
            return -ERANGE;
        bool est;
        if (workday_is_working(cal, d, &est))
            n--;
        estimated = estimated || est;
    }
    if (ret_date)
        *ret_date = d;
    if (ret_estimated)
        *ret_estimated = estimated;
    return 0;
}

int workday_reply_deadline(const struct workday_cal *cal, workday_date received,
                           workday_date *ret_date, bool *ret_estimated)
{
    return workday_add(cal, received, WORKDAY_REPLY_DAYS, ret_date, ret_estimated);
}

bool workday_overdue(workday_date due, workday_date today)
{
    return workday_date_cmp(today, due) > 0;
}
