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

static bool leap_year(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return mdays[m - 1] + (m == 2 && leap_year(y));
}

bool workday_date_valid(workday_date d)
{
    return d.y >= WORKDAY_MIN_YEAR && d.y <= WORKDAY_MAX_YEAR && d.m >= 1 && d.m <= 12 &&
           d.d >= 1 && d.d <= month_days(d.y, d.m);
}

/* Days since 1970-01-01 (H. Hinnant's days_from_civil; years here are all positive). */
static long day_number(workday_date d)
{
    int y = d.y - (d.m <= 2);
    long era = y / 400;
    long yoe = y - era * 400;
    long doy = (153 * (d.m + (d.m > 2 ? -3 : 9)) + 2) / 5 + d.d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static workday_date from_day_number(long z)
{
    z += 719468;
    long era = z / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    workday_date r;
    r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
    r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
    r.y = (int)(yoe + era * 400 + (r.m <= 2));
    return r;
}

static int day_of_year(workday_date d)
{
    workday_date jan1 = {d.y, 1, 1};
    return (int)(day_number(d) - day_number(jan1));
}

int workday_weekday(workday_date d)
{
    expect(workday_date_valid(d));
    return (int)((day_number(d) + 4) % 7); /* 1970-01-01 was a Thursday */
}

int workday_date_parse(const char *s, workday_date *ret)
{
    if (!s || strnlen(s, 11) != 10 || s[4] != '-' || s[7] != '-')
        return -EINVAL;
    int v[3] = {0, 0, 0}, f = 0;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            f++;
            continue;
        }
        if (s[i] < '0' || s[i] > '9')
            return -EINVAL;
        v[f] = v[f] * 10 + (s[i] - '0');
    }
    workday_date d = {v[0], v[1], v[2]};
    if (!workday_date_valid(d))
        return -EINVAL;
    *ret = d;
    return 0;
}

void workday_date_format(workday_date d, char buf[static 11])
{
    expect(workday_date_valid(d));
    buf[0] = (char)('0' + d.y / 1000);
    buf[1] = (char)('0' + d.y / 100 % 10);
    buf[2] = (char)('0' + d.y / 10 % 10);
    buf[3] = (char)('0' + d.y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + d.m / 10);
    buf[6] = (char)('0' + d.m % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + d.d / 10);
    buf[9] = (char)('0' + d.d % 10);
    buf[10] = '\0';
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
    workday_date r = from_day_number(day_number(d) + n);
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
