/* civil.h - calendar arithmetic on the proleptic Gregorian calendar: leap years, month
 * lengths, real dates, "YYYY-MM-DD", and day numbers (days since 1970-01-01, negative
 * before it) to count, add and find weekdays with. The conversions are H. Hinnant's
 * days_from_civil / civil_from_days, exact for any int year. Pure C, no time zones:
 * which day "today" is belongs to the caller. */
#ifndef KIOSK_CIVIL_H
#define KIOSK_CIVIL_H

#include <stdbool.h>

typedef struct civil_date {
    int y, m, d;
} civil_date;

bool civil_leap(int y);
/* Days in month M (1..12) of year Y. */
int civil_month_days(int y, int m);
/* A real day: month 1..12, day 1..its length (any year). */
bool civil_valid(civil_date d);

/* Day number of a real date, and back. */
long civil_to_days(civil_date d);
civil_date civil_from_days(long z);
/* 0 Sunday .. 6 Saturday. */
int civil_weekday(long z);

/* Parses exactly "YYYY-MM-DD" (digits, zero-padded, then the NUL). 0 with *ret;
 * -EINVAL when S has another shape, -EDOM when it is not a real day (2023-02-29);
 * *ret untouched then. */
int civil_parse(const char *s, civil_date *ret);
/* Writes "YYYY-MM-DD" and the NUL into BUF (11 bytes); years 0..9999. */
void civil_format(civil_date d, char buf[static 11]);

#endif
