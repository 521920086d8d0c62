/* civil.c - see civil.h. */
#include "civil.h"

#include <errno.h>
#include <stdio.h>

bool civil_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int civil_month_days(int y, int m)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return mdays[m - 1] + (m == 2 && civil_leap(y));
}

bool civil_valid(civil_date d)
{
    return d.m >= 1 && d.m <= 12 && d.d >= 1 && d.d <= civil_month_days(d.y, d.m);
}

/* floor division, for day numbers and years before the epoch's era */
static long floor_div(long a, long b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

long civil_to_days(civil_date d)
{
    long y = (long)d.y - (d.m <= 2);
    long era = floor_div(y, 400);
    long yoe = y - era * 400;
    long doy = (153L * (d.m > 2 ? d.m - 3 : d.m + 9) + 2) / 5 + d.d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

civil_date civil_from_days(long z)
{
    z += 719468;
    long era = floor_div(z, 146097);
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    civil_date r;
    r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
    r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
    r.y = (int)(yoe + era * 400 + (r.m <= 2));
    return r;
}

int civil_weekday(long z)
{
    long w = (z + 4) % 7; /* 1970-01-01 was a Thursday */
    return (int)(w < 0 ? w + 7 : w);
}

int civil_parse(const char *s, civil_date *ret)
{
    int v[3] = {0, 0, 0}, f = 0;
    if (!s)
        return -EINVAL;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (s[i] != '-')
                return -EINVAL;
            f++;
            continue;
        }
        if (s[i] < '0' || s[i] > '9')
            return -EINVAL;
        v[f] = v[f] * 10 + (s[i] - '0');
    }
    if (s[10])
        return -EINVAL;
    civil_date d = {v[0], v[1], v[2]};
    if (!civil_valid(d))
        return -EDOM;
    *ret = d;
    return 0;
}

void civil_format(civil_date d, char buf[static 11])
{
    snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)d.y % 10000u, (unsigned)d.m % 100u,
             (unsigned)d.d % 100u);
}
