/* receipt.c - see receipt.h. */
#include "receipt.h"
#include "base/civil.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

enum { MOD = 31, RADIX = 3 };
_Static_assert(sizeof RECEIPT_ALPHABET - 1 == MOD, "the alphabet has one symbol per value");

/* a typed receipt number is at most this long, hyphens and spaces included */
#define TYPED_MAX 64

static int value_of(char c)
{
    const char *p = c ? strchr(RECEIPT_ALPHABET, c) : NULL;
    return p ? (int)(p - RECEIPT_ALPHABET) : -1;
}

char receipt_check_char(const char *s)
{
    int sum = 0;
    for (; *s; s++) {
        int v = value_of(*s);
        if (v < 0)
            return 0;
        /* Horner: after the loop sum = v1*3^(n-1) + ... + vn; one more *3 below */
        sum = (sum * RADIX + v) % MOD;
    }
    sum = sum * RADIX % MOD;
    return RECEIPT_ALPHABET[(MOD - sum) % MOD];
}

int receipt_kiosk_valid(const char *kiosk)
{
    size_t n = kiosk ? strnlen(kiosk, RECEIPT_KIOSK_MAX + 1) : 0;
    if (n < 1 || n > RECEIPT_KIOSK_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (value_of(kiosk[i]) < 0)
            return 0;
    return 1;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* YYMMDD of a real date (every 2-digit year is 20YY) */
static bool date_valid(const char *s)
{
    if (!all_digits(s, 6))
        return false;
    int y = (s[0] - '0') * 10 + (s[1] - '0');
    int m = (s[2] - '0') * 10 + (s[3] - '0');
    int d = (s[4] - '0') * 10 + (s[5] - '0');
    return civil_valid((civil_date){2000 + y, m, d});
}

int receipt_format(const char *kiosk, const char *day, int seq, char *ret)
{
    char body[RECEIPT_SIZE];
    if (!receipt_kiosk_valid(kiosk) || !day || strnlen(day, 9) != 8 || !all_digits(day, 8) ||
        !date_valid(day + 2))
        return -EINVAL;
    if (seq < 1 || seq > RECEIPT_SEQ_MAX)
        return -ERANGE;
    snprintf(body, sizeof body, "%s%.6s%04d", kiosk, day + 2, seq);
    char check = receipt_check_char(body);
    snprintf(ret, RECEIPT_SIZE, "%s-%.6s-%04d-%c", kiosk, day + 2, seq, check);
    return 0;
}

int receipt_verify(const char *typed, char *ret)
{
    char s[TYPED_MAX + 1];
    size_t n = 0;

    if (!typed || strnlen(typed, TYPED_MAX + 1) > TYPED_MAX)
        return -EINVAL;
    for (const char *p = typed; *p; p++) {
        char c = *p;
        if (c == '-' || c == ' ' || c == '\t')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c == 'O')
            c = '0';
        else if (c == 'I' || c == 'L')
            c = '1';
        if (value_of(c) < 0)
            return -EINVAL;
        s[n++] = c;
    }
    s[n] = '\0';
    /* kiosk code, YYMMDD, NNNN, check */
    if (n < 1 + 6 + 4 + 1 || n > RECEIPT_KIOSK_MAX + 6 + 4 + 1)
        return -EINVAL;
    size_t k = n - 11;
    if (!date_valid(s + k) || !all_digits(s + k + 6, 4) || memcmp(s + k + 6, "0000", 4) == 0)
        return -EINVAL;
    char check = s[n - 1];
    s[n - 1] = '\0';
    if (receipt_check_char(s) != check)
        return -EILSEQ;
    if (ret)
        snprintf(ret, RECEIPT_SIZE, "%.*s-%.6s-%.4s-%c", (int)k, s, s + k, s + k + 6, check);
    return 0;
}

const char *receipt_message_key(int r)
{
    return r == 0 ? "receipt.ok" : r == -EILSEQ ? "receipt.bad_check" : "receipt.bad_format";
}
