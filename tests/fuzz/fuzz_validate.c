/* fuzz_validate.c - the form validators (firmware/core/validate.h) and receipt numbers
 * (firmware/core/receipt.h) on arbitrary text. Invariants asserted:
 *  - what a validator accepts, its normalised form is accepted again and normalises to
 *    itself (the screen stores the normalised form and may check it again);
 *  - a normalised form has the shape the header promises (lengths, case, digits);
 *  - masking keeps the count of characters and never shows an 8+ character number whole;
 *  - a receipt number read leniently is its canonical form, whose check character is the
 *    one receipt_check_char computes, and any one symbol changed is never accepted;
 *  - receipt_format of fields taken from the input is read back by receipt_verify as is.
 * Input: the text itself; its first bytes also pick a name's length limit and the
 * receipt's day and sequence. */
#include "fuzz.h"

#include "base/util.h"
#include "core/receipt.h"
#include "core/validate.h"

#include <ctype.h>
#include <errno.h>

/* 2026-06-01 12:00 local: birth dates after it are in the future */
#define FUZZ_NOW ((time_t)1780315200)

static size_t count_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

static void check_id(const char *s)
{
    char out[VALIDATE_ID_SIZE], again[VALIDATE_ID_SIZE];
    if (validate_resident_id(s, FUZZ_NOW, out) != VALID_OK)
        return;
    FUZZ_CHECK(strlen(out) == 18);
    for (int i = 0; i < 17; i++)
        FUZZ_CHECK(isdigit((unsigned char)out[i]));
    FUZZ_CHECK(isdigit((unsigned char)out[17]) || out[17] == 'X');
    FUZZ_CHECK(validate_id_kind(out) != VALIDATE_ID_NONE);
    FUZZ_CHECK(validate_resident_id(out, FUZZ_NOW, again) == VALID_OK);
    FUZZ_CHECK(strcmp(out, again) == 0);
}

static void check_credit(const char *s)
{
    char out[VALIDATE_CREDIT_SIZE], again[VALIDATE_CREDIT_SIZE];
    if (validate_credit_code(s, out) != VALID_OK)
        return;
    FUZZ_CHECK(strlen(out) == 18);
    for (int i = 0; i < 18; i++)
        FUZZ_CHECK(isdigit((unsigned char)out[i]) || isupper((unsigned char)out[i]));
    FUZZ_CHECK(validate_credit_code(out, again) == VALID_OK);
    FUZZ_CHECK(strcmp(out, again) == 0);
}

static void check_phone(const char *s)
{
    char out[VALIDATE_PHONE_SIZE], again[VALIDATE_PHONE_SIZE];
    if (validate_phone(s, out) != VALID_OK)
        return;
    FUZZ_CHECK(strlen(out) < VALIDATE_PHONE_SIZE);
    for (const char *p = out; *p; p++)
        FUZZ_CHECK(isdigit((unsigned char)*p) || *p == '-');
    FUZZ_CHECK(validate_phone(out, again) == VALID_OK);
    FUZZ_CHECK(strcmp(out, again) == 0);
}

static void check_email(const char *s)
{
    char out[VALIDATE_TEXT_SIZE], again[VALIDATE_TEXT_SIZE];
    if (validate_email(s, out) != VALID_OK)
        return;
    FUZZ_CHECK(strlen(out) <= 254);
    FUZZ_CHECK(strchr(out, '@') && strchr(out, '@') == strrchr(out, '@'));
    for (const char *p = strchr(out, '@'); *p; p++)
        FUZZ_CHECK(!isupper((unsigned char)*p));
    FUZZ_CHECK(validate_email(out, again) == VALID_OK);
    FUZZ_CHECK(strcmp(out, again) == 0);
}

static void check_name(const char *s, size_t max_chars)
{
    char out[VALIDATE_TEXT_SIZE], again[VALIDATE_TEXT_SIZE];
    if (validate_name(s, max_chars, out) != VALID_OK)
        return;
    FUZZ_CHECK(out[0] != '\0' && out[0] != ' ' && out[strlen(out) - 1] != ' ');
    FUZZ_CHECK(!strstr(out, "  "));
    FUZZ_CHECK(count_chars(out) <= (max_chars ? max_chars : VALIDATE_NAME_DEFAULT_MAX));
    FUZZ_CHECK(validate_name(out, max_chars, again) == VALID_OK);
    FUZZ_CHECK(strcmp(out, again) == 0);
}

static void check_passport(const char *s)
{
    char out[VALIDATE_PASSPORT_SIZE], again[VALIDATE_PASSPORT_SIZE];
    if (validate_passport(s, out) != VALID_OK)
        return;
    size_t n = strlen(out);
    FUZZ_CHECK(n >= VALIDATE_PASSPORT_MIN && n <= VALIDATE_PASSPORT_MAX);
    for (const char *p = out; *p; p++)
        FUZZ_CHECK(isdigit((unsigned char)*p) || isupper((unsigned char)*p));
    FUZZ_CHECK(validate_passport(out, again) == VALID_OK);
    FUZZ_CHECK(strcmp(out, again) == 0);
}

static void check_date(const char *s)
{
    int y, m, d, y2, m2, d2;
    char text[16];
    if (validate_date(s, &y, &m, &d) != VALID_OK)
        return;
    FUZZ_CHECK(y >= VALIDATE_MIN_YEAR && y <= VALIDATE_MAX_YEAR && m >= 1 && m <= 12 && d >= 1 && d <= 31);
    snprintf(text, sizeof text, "%04d-%02d-%02d", y, m, d);
    FUZZ_CHECK(validate_date(text, &y2, &m2, &d2) == VALID_OK);
    FUZZ_CHECK(y == y2 && m == m2 && d == d2);
}

static void check_mask(const char *s)
{
    char out[4 * VALIDATE_MAX_INPUT + 1];
    int r = validate_mask_id(s, out, sizeof out);
    if (strlen(s) > VALIDATE_MAX_INPUT) {
        FUZZ_CHECK(r == -EINVAL);
        return;
    }
    FUZZ_CHECK(r == 0);
    size_t chars = count_chars(s);
    FUZZ_CHECK(count_chars(out) == chars);
    if (chars >= 1)
        FUZZ_CHECK(strchr(out, '*'));
    /* too small a buffer is refused, never overrun (ASan watches the exact size) */
    size_t need = strlen(out) + 1;
    char *small = malloc(need - 1 ? need - 1 : 1);
    FUZZ_CHECK(validate_mask_id(s, small, need - 1) == -ENOSPC);
    free(small);
}

/* The symbols of a canonical receipt number, hyphens dropped, check last. */
static size_t receipt_symbols(const char *canonical, char *out)
{
    size_t n = 0;
    for (const char *p = canonical; *p; p++)
        if (*p != '-')
            out[n++] = *p;
    out[n] = '\0';
    return n;
}

static void check_receipt(const char *s)
{
    char out[RECEIPT_SIZE], again[RECEIPT_SIZE], sym[RECEIPT_SIZE], changed[RECEIPT_SIZE];
    int r = receipt_verify(s, out);
    FUZZ_CHECK(r == 0 || r == -EINVAL || r == -EILSEQ);
    if (r != 0)
        return;
    FUZZ_CHECK(receipt_verify(out, again) == 0 && strcmp(out, again) == 0);
    size_t n = receipt_symbols(out, sym);
    FUZZ_CHECK(n >= 12 && n <= RECEIPT_KIOSK_MAX + 11);
    char check = sym[n - 1];
    sym[n - 1] = '\0';
    FUZZ_CHECK(receipt_check_char(sym) == check);
    sym[n - 1] = check;
    /* every single substitution is caught (receipt.h) */
    for (size_t i = 0; i < n; i++)
        for (const char *a = RECEIPT_ALPHABET; *a; a++) {
            if (*a == sym[i])
                continue;
            memcpy(changed, sym, n + 1);
            changed[i] = *a;
            FUZZ_CHECK(receipt_verify(changed, NULL) != 0);
        }
}

static void check_receipt_format(const uint8_t *data, size_t size)
{
    char kiosk[RECEIPT_KIOSK_MAX + 2] = "", day[9], out[RECEIPT_SIZE], again[RECEIPT_SIZE];
    if (size < 4)
        return;
    /* kiosk code: up to 9 bytes after the first three, as typed */
    size_t k = MIN(size - 3, sizeof kiosk - 1);
    memcpy(kiosk, data + 3, k);
    kiosk[k] = '\0';
    unsigned days = (unsigned)data[0] * 256 + data[1];   /* from 2000-01-01 */
    time_t t = (time_t)946684800 + (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(day, sizeof day, "%Y%m%d", &tm);
    int seq = (int)data[2] * 41 - 3;
    int r = receipt_format(kiosk, day, seq, out);
    if (!receipt_kiosk_valid(kiosk)) {
        FUZZ_CHECK(r == -EINVAL);
        return;
    }
    if (seq < 1 || seq > RECEIPT_SEQ_MAX) {
        FUZZ_CHECK(r == -ERANGE);
        return;
    }
    FUZZ_CHECK(r == 0);
    FUZZ_CHECK(receipt_verify(out, again) == 0 && strcmp(out, again) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    check_id(s);
    check_credit(s);
    check_phone(s);
    check_email(s);
    check_name(s, size ? data[0] % 80 : 0);
    check_passport(s);
    check_date(s);
    check_mask(s);
    check_receipt(s);
    check_receipt_format(data, size);
    free(s);
    return 0;
}
