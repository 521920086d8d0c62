/* workday.h - the working-day calendar of a region (docs/rules.md §6) and the deadlines
 * counted in working days (docs/rules.md §1).
 *
 * A day is a working day if it is listed as a make-up working day, or it is Monday to
 * Friday and not listed as a holiday. The lists are data: the State Council publishes
 * them once a year, content carries them (tables calendar_year and calendar_day, read
 * by store_calendar), and a calendar knows which years it covers. A day outside them
 * falls back to Monday-Friday and is flagged as an estimate, never silently guessed.
 *
 * A calendar is an opaque object: a window of at most WORKDAY_MAX_YEARS consecutive
 * years, each with two 366-bit sets (holidays, make-up days), so a lookup is O(1) and
 * a whole calendar is about 5 KB. Load: built once per content install; a deadline
 * walks at most a few hundred days. Pure C, no SQLite. */
#ifndef KIOSK_WORKDAY_H
#define KIOSK_WORKDAY_H

#include "base/civil.h"

#include <stdbool.h>
#include <time.h>

#define WORKDAY_MAX_YEARS 50   /* the covered years must fit in a window this wide */
#define WORKDAY_MIN_YEAR 1900  /* dates outside these years are invalid */
#define WORKDAY_MAX_YEAR 2199
#define WORKDAY_MAX_ADD 1000   /* most working days workday_add counts */
#define WORKDAY_REPLY_DAYS 20  /* reply to an information request, docs/rules.md §1 */

enum workday_kind {
    WORKDAY_HOLIDAY = 1, /* a listed day off (may fall on a weekend) */
    WORKDAY_MAKEUP = 2,  /* a Saturday or Sunday that is worked (调休) */
};

/* A calendar date (base/civil.h). Valid here when it is a real day of
 * WORKDAY_MIN_YEAR..WORKDAY_MAX_YEAR. */
typedef civil_date workday_date;

struct workday_cal;

/* ---- dates ---- */

bool workday_date_valid(workday_date d);
/* Parses "YYYY-MM-DD" (zero-padded, nothing else). 0 or -EINVAL; *ret untouched then. */
int workday_date_parse(const char *s, workday_date *ret);
/* Writes "YYYY-MM-DD" and the NUL into BUF (11 bytes). D must be valid. */
void workday_date_format(workday_date d, char buf[static 11]);
/* The local date of NOW. 0, or -EINVAL when the clock cannot be read as a date. */
int workday_date_from_time(time_t now, workday_date *ret);
/* 0 Sunday .. 6 Saturday. */
int workday_weekday(workday_date d);
/* D plus N calendar days (N may be negative). 0, or -ERANGE when the result leaves
 * WORKDAY_MIN_YEAR..WORKDAY_MAX_YEAR. */
int workday_date_add_days(workday_date d, int n, workday_date *ret);
/* <0, 0, >0 as A is before, equal to, after B. */
int workday_date_cmp(workday_date a, workday_date b);

/* ---- building a calendar ---- */

/* An empty calendar for REGION (copied); it covers no year yet. Never NULL. */
struct workday_cal *workday_cal_new(const char *region);
void workday_cal_free(struct workday_cal *cal); /* accepts NULL */
/* The region given to workday_cal_new; owned by CAL. */
const char *workday_cal_region(const struct workday_cal *cal);

/* Marks YEAR as covered: from now on its days are known, not estimated. Returns 0,
 * -EINVAL (year out of range), -EEXIST (already covered) or -E2BIG (the covered years
 * would span more than WORKDAY_MAX_YEARS). */
int workday_cal_add_year(struct workday_cal *cal, int year);

/* Lists DATE ("YYYY-MM-DD") as KIND, a single enum workday_kind. Returns 0, -EINVAL
 * (bad date or kind, or a make-up day that is not a Saturday or Sunday), -ENOENT (its
 * year is not covered: add the year first) or -EEXIST (the day is already listed). */
int workday_cal_add_day(struct workday_cal *cal, const char *date, int kind);

/* Years covered, their count, and the days listed (for tests and the status screen). */
int workday_cal_years(const struct workday_cal *cal);
bool workday_cal_covers(const struct workday_cal *cal, int year);
/* The listed kind of D: WORKDAY_HOLIDAY, WORKDAY_MAKEUP, or 0. */
int workday_cal_listed(const struct workday_cal *cal, workday_date d);

/* ---- asking it ---- */

/* Whether D is a working day. CAL may be NULL (no calendar: every day an estimate).
 * *ret_estimated (may be NULL) is set true when D's year is not covered and the answer
 * is plain Monday-Friday, false otherwise. D must be valid. */
bool workday_is_working(const struct workday_cal *cal, workday_date d, bool *ret_estimated);

/* The Nth working day counted from the day after START (so N=1 from Friday
 * 2026-02-13 is Saturday 2026-02-14, a make-up day). N is 1..WORKDAY_MAX_ADD.
 * *ret_estimated is true when any day walked (START excluded) lies in a year CAL does
 * not cover: a date inside covered years is never an estimate.
 * Returns 0, -EINVAL (invalid START or N) or -ERANGE; the ret_* are set only on 0. */
int workday_add(const struct workday_cal *cal, workday_date start, int n,
                workday_date *ret_date, bool *ret_estimated);

/* The expected reply date of an information request received on RECEIVED:
 * workday_add(cal, received, WORKDAY_REPLY_DAYS, ...). The legal receipt date is set
 * by the office, so the screen shows this as expected, and as an estimate when so. */
int workday_reply_deadline(const struct workday_cal *cal, workday_date received,
                           workday_date *ret_date, bool *ret_estimated);

/* True when TODAY is after DUE, the last day on which an answer is in time. Computed
 * from the dates every time, never stored (docs/rules.md §1). */
bool workday_overdue(workday_date due, workday_date today);

#endif
