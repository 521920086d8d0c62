/* validate.c - see validate.h. Each validator works on a trimmed span of at most
 * VALIDATE_MAX_INPUT bytes found with strnlen, so a missing NUL within the cap or a
 * huge paste costs nothing; the normalised form is built in a local buffer and copied
 * out only on success. Where a rule is a judgement call the reason is given beside it. */
#include "validate.h"
#include "base/civil.h"
#include "base/util.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static const char *const message_keys[] = {
    [VALID_OK] = "valid.ok",
    [VALID_EMPTY] = "valid.empty",
    [VALID_TOO_LONG] = "valid.too_long",
    [VALID_BAD_CHAR] = "valid.bad_char",
    [VALID_BAD_LENGTH] = "valid.bad_length",
    [VALID_BAD_CHECKSUM] = "valid.bad_checksum",
    [VALID_BAD_DATE] = "valid.bad_date",
    [VALID_FUTURE_DATE] = "valid.future_date",
    [VALID_BAD_REGION] = "valid.bad_region",
    [VALID_BAD_PREFIX] = "valid.bad_prefix",
    [VALID_NOT_PERSONAL] = "valid.not_personal",
    [VALID_NEED_AREA_CODE] = "valid.need_area_code",
    [VALID_BAD_FORMAT] = "valid.bad_format",
};
_Static_assert(ARRAY_SIZE(message_keys) == VALID_RESULT_COUNT, "a result without a key");

const char *validate_message_key(validate_result r)
{
    expect((unsigned)r < VALID_RESULT_COUNT);
    return message_keys[r];
}

/* ---- shared helpers ---------------------------------------------------------------- */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static char to_upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static char to_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool is_ideographic_space(const char *p, size_t n)
{
    return n >= 3 && memcmp(p, "\xE3\x80\x80", 3) == 0;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Caps S and strips white space at both ends (ASCII blanks and U+3000, which a
 * Chinese input method types for a space). */
static validate_result span(const char *s, const char **ret_p, size_t *ret_n)
{
    if (!s)
        return VALID_EMPTY;
    size_t n = strnlen(s, VALIDATE_MAX_INPUT + 1);
    if (n > VALIDATE_MAX_INPUT)
        return VALID_TOO_LONG;
    const char *p = s;
    for (;;) {
        if (n >= 1 && is_blank(p[0]))
            p++, n--;
        else if (is_ideographic_space(p, n))
            p += 3, n -= 3;
        else
            break;
    }
    for (;;) {
        if (n >= 1 && is_blank(p[n - 1]))
            n--;
        else if (n >= 3 && is_ideographic_space(p + n - 3, 3))
            n -= 3;
        else
            break;
    }
    if (n == 0)
        return VALID_EMPTY;
    *ret_p = p;
    *ret_n = n;
    return VALID_OK;
}

static void put(char *ret, const char *buf, size_t n)
{
    if (!ret)
        return;
    memcpy(ret, buf, n);
    ret[n] = '\0';
}

/* Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
 * Returns the length of the sequence at P (N bytes left), or 0 when it is invalid. */
static size_t utf8_decode(const unsigned char *p, size_t n, uint32_t *ret_cp)
{
    uint32_t c = p[0], min;
    size_t len;
    if (c < 0x80) {
        *ret_cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2, c &= 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, c &= 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, c &= 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *ret_cp = c;
    return len;
}

static int digits(const char *p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (p[i] - '0');
    return v;
}

static bool real_date(int y, int m, int d)
{
    return y >= VALIDATE_MIN_YEAR && y <= VALIDATE_MAX_YEAR && civil_valid((civil_date){y, m, d});
}

/* ---- identity numbers (GB 11643) ---------------------------------------------------- */

/* Province-level codes of GB/T 2260 that resident ID numbers carry. 71 (Taiwan) is a
 * GB/T 2260 code but no resident ID uses it; Taiwan residents' permits use 83. */
static bool province_code(int c)
{
    static const struct {
        int lo, hi;
    } ranges[] = {{11, 15}, {21, 23}, {31, 37}, {41, 46}, {50, 54}, {61, 65}};
    for (size_t i = 0; i < ARRAY_SIZE(ranges); i++)
        if (c >= ranges[i].lo && c <= ranges[i].hi)
            return true;
    return false;
}

static char id_check_char(const char *p)
{
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (p[i] - '0') * weights[i];
    return "10X98765432"[sum % 11];
}

validate_result validate_resident_id(const char *s, time_t now, char *ret_normalised)
{
    const char *p;
    size_t n;
    validate_result r = span(s, &p, &n);
    if (r != VALID_OK)
        return r;
    /* an X anywhere but last is a wrong character, not a wrong length */
    for (size_t i = 0; i < n; i++)
        if (!is_digit(p[i]) && !((p[i] == 'X' || p[i] == 'x') && i == n - 1))
            return VALID_BAD_CHAR;
    if (n != 18)
        return VALID_BAD_LENGTH;

    int region = digits(p, 2);
    if (p[0] != '9' && !province_code(region) && region != 81 && region != 82 && region != 83)
        return VALID_BAD_REGION;

    int y = digits(p + 6, 4), m = digits(p + 10, 2), d = digits(p + 12, 2);
    if (!real_date(y, m, d))
        return VALID_BAD_DATE;
    struct tm today;
    if (!localtime_r(&now, &today))
        return VALID_FUTURE_DATE; /* no usable clock: accept no birth date */
    int ty = today.tm_year + 1900, tm = today.tm_mon + 1, td = today.tm_mday;
    if (y > ty || (y == ty && (m > tm || (m == tm && d > td))))
        return VALID_FUTURE_DATE;

    /* the date is checked first: when it is impossible, saying so is more helpful than
     * "check character does not match", which a typo in the date also causes */
    if (id_check_char(p) != to_upper(p[17]))
        return VALID_BAD_CHECKSUM;

    char buf[VALIDATE_ID_SIZE];
    memcpy(buf, p, 18);
    buf[17] = to_upper(buf[17]);
    put(ret_normalised, buf, 18);
    return VALID_OK;
}

validate_id_type validate_id_kind(const char *normalised)
{
    if (!normalised || strnlen(normalised, 19) != 18)
        return VALIDATE_ID_NONE;
    if (normalised[0] == '9')
        return VALIDATE_ID_FOREIGN_PR;
    if (normalised[0] == '8' && normalised[1] == '1')
        return VALIDATE_ID_PERMIT_HK;
    if (normalised[0] == '8' && normalised[1] == '2')
        return VALIDATE_ID_PERMIT_MACAO;
    if (normalised[0] == '8' && normalised[1] == '3')
        return VALIDATE_ID_PERMIT_TAIWAN;
    if (is_digit(normalised[0]) && is_digit(normalised[1]) && province_code(digits(normalised, 2)))
        return VALIDATE_ID_RESIDENT;
    return VALIDATE_ID_NONE;
}

/* ---- unified social credit code (GB 32100) ------------------------------------------ */

static const char credit_chars[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int credit_value(char c)
{
    for (int i = 0; credit_chars[i]; i++)
        if (credit_chars[i] == c)
            return i;
    return -1;
}

/* The registration-authority, organisation-type and embedded GB 11714 organisation
 * code check are not enforced: the standard's own check character already catches
 * typos, and a stricter rule risks turning away a real organisation. */
validate_result validate_credit_code(const char *s, char *ret_normalised)
{
    static const int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29,
                                    25, 13, 8, 24, 10, 30, 28};
    const char *p;
    size_t n;
    validate_result r = span(s, &p, &n);
    if (r != VALID_OK)
        return r;
    char buf[VALIDATE_CREDIT_SIZE];
    int vals[18];
    for (size_t i = 0; i < n; i++) {
        char c = to_upper(p[i]);
        int v = credit_value(c);
        if (v < 0)
            return VALID_BAD_CHAR;
        if (i < 18) {
            buf[i] = c;
            vals[i] = v;
        }
    }
    if (n != 18)
        return VALID_BAD_LENGTH;
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += vals[i] * weights[i];
    if (vals[17] != (31 - sum % 31) % 31)
        return VALID_BAD_CHECKSUM;
    put(ret_normalised, buf, 18);
    return VALID_OK;
}

/* ---- phone numbers ------------------------------------------------------------------ */

#define PHONE_MAX_DIGITS 20
#define PHONE_MAX_EXT 6

static bool starts_with(const char *p, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    return n >= k && memcmp(p, prefix, k) == 0;
}

/* Where an explicit extension marker starts in P..N, and where its digits start. */
static bool find_extension(const char *p, size_t n, size_t *ret_at, size_t *ret_digits)
{
    for (size_t i = 0; i < n; i++) {
        size_t skip = 0;
        if (starts_with(p + i, n - i, "\xE8\xBD\xAC")) /* zhuan, "extension" */
            skip = 3;
        else if (n - i >= 3 && to_lower(p[i]) == 'e' && to_lower(p[i + 1]) == 'x' &&
                 to_lower(p[i + 2]) == 't')
            skip = (n - i >= 4 && p[i + 3] == '.') ? 4 : 3;
        else if (p[i] == 'x' || p[i] == 'X' || p[i] == '#')
            skip = 1;
        if (skip) {
            *ret_at = i;
            *ret_digits = i + skip;
            return true;
        }
    }
    return false;
}

validate_result validate_phone(const char *s, char *ret_normalised)
{
    const char *p;
    size_t n;
    validate_result r = span(s, &p, &n);
    if (r != VALID_OK)
        return r;

    bool country = false;
    if (starts_with(p, n, "+86"))
        p += 3, n -= 3, country = true;
    else if (starts_with(p, n, "0086"))
        p += 4, n -= 4, country = true;
    else if (p[0] == '+')
        return VALID_BAD_PREFIX; /* another country: the office calls Chinese numbers */

    size_t main_n = n, ext_at = n;
    bool explicit_ext = find_extension(p, n, &main_n, &ext_at);

    /* the number's digits; hyphen-separated group sizes tell "0571-85100001-123" */
    char d[PHONE_MAX_DIGITS + 2];
    size_t nd = 0, groups[4] = {0}, ng = 0;
    for (size_t i = 0; i < main_n; i++) {
        char c = p[i];
        if (is_digit(c)) {
            if (nd == PHONE_MAX_DIGITS)
                return VALID_BAD_LENGTH;
            d[nd++] = c;
            if (ng < ARRAY_SIZE(groups))
                groups[ng]++;
        } else if (c == '-') {
            if (ng < ARRAY_SIZE(groups) && groups[ng])
                ng++;
        } else if (c != ' ' && c != '(' && c != ')') {
            return VALID_BAD_CHAR;
        }
    }
    if (ng < ARRAY_SIZE(groups) && groups[ng])
        ng++;

    char ext[PHONE_MAX_EXT + 1];
    size_t ne = 0;
    if (explicit_ext) {
        for (size_t i = ext_at; i < n; i++) {
            if (p[i] == ' ' || p[i] == '-')
                continue;
            if (!is_digit(p[i]))
                return VALID_BAD_CHAR;
            if (ne == PHONE_MAX_EXT)
                return VALID_BAD_FORMAT;
            ext[ne++] = p[i];
        }
        if (ne == 0)
            return VALID_BAD_FORMAT;
    } else if (ng == 3 && nd > 0 && d[0] == '0' && groups[0] >= 3 && groups[0] <= 4 &&
               groups[1] >= 7 && groups[1] <= 8 && groups[2] <= PHONE_MAX_EXT) {
        memcpy(ext, d + groups[0] + groups[1], groups[2]);
        ne = groups[2];
        nd -= ne;
    }
    if (nd == 0)
        return VALID_BAD_FORMAT;

    /* "+86 571 8510 0001", "+86 10 6234 5678": the international form drops the trunk
     * 0 of a landline (10 digits starting 10 cannot be a mobile number) */
    if (country && nd >= 9 &&
        ((d[0] >= '2' && d[0] <= '9') || (d[0] == '1' && d[1] == '0' && nd == 10))) {
        if (nd == PHONE_MAX_DIGITS)
            return VALID_BAD_LENGTH;
        memmove(d + 1, d, nd++);
        d[0] = '0';
    }

    char out[VALIDATE_PHONE_SIZE];
    if (d[0] == '1') {
        if (nd <= 6)
            return VALID_NOT_PERSONAL; /* 110, 120, 12345, 10086, 114 ... */
        if (nd != 11)
            return VALID_BAD_LENGTH;
        if (d[1] < '3')
            return VALID_BAD_PREFIX;
        if (ne)
            return VALID_BAD_FORMAT; /* a mobile number has no extension */
        put(ret_normalised, d, 11);
        return VALID_OK;
    }
    if (d[0] == '0') {
        /* area codes: 010 and 020-029 are three digits, 03xx-09xx four; 00 is the
         * international prefix and 01x other than 010 does not exist */
        size_t area;
        if (nd < 2 || d[1] == '0')
            return VALID_BAD_PREFIX;
        if (d[1] == '1') {
            if (nd < 3 || d[2] != '0')
                return VALID_BAD_PREFIX;
            area = 3;
        } else {
            area = d[1] == '2' ? 3 : 4;
        }
        if (nd <= area)
            return VALID_BAD_LENGTH;
        size_t local = nd - area;
        char first = d[area];
        if ((first == '1' || first == '9') && local <= 6)
            return VALID_NOT_PERSONAL; /* 0571-12345, 0571-96000: city service lines */
        if (first == '0' || first == '1')
            return VALID_BAD_PREFIX;
        if (local < (area == 3 ? 8u : 7u) || local > 8)
            return VALID_BAD_LENGTH;
        size_t k = 0;
        memcpy(out, d, area), k += area;
        out[k++] = '-';
        memcpy(out + k, d + area, local), k += local;
        if (ne) {
            out[k++] = '-';
            memcpy(out + k, ext, ne), k += ne;
        }
        put(ret_normalised, out, k);
        return VALID_OK;
    }
    if (nd == 10 && (starts_with(d, nd, "400") || starts_with(d, nd, "800")))
        return VALID_NOT_PERSONAL; /* company hotlines */
    if (nd <= 6 && d[0] == '9')
        return VALID_NOT_PERSONAL; /* 95588, 96xxx */
    if (nd == 7 || nd == 8)
        return VALID_NEED_AREA_CODE;
    return VALID_BAD_LENGTH;
}

/* ---- e-mail ------------------------------------------------------------------------- */

#define EMAIL_MAX 254
#define EMAIL_LOCAL_MAX 64
#define EMAIL_LABEL_MAX 63

static bool email_local_char(char c)
{
    return is_digit(c) || is_alpha(c) || (c && strchr("!#$%&'*+/=?^_`{|}~.-", c));
}

validate_result validate_email(const char *s, char *ret_normalised)
{
    const char *p;
    size_t n;
    validate_result r = span(s, &p, &n);
    if (r != VALID_OK)
        return r;
    if (n > EMAIL_MAX)
        return VALID_TOO_LONG;
    size_t at = n, n_at = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c <= ' ' || c >= 0x7F)
            return VALID_BAD_CHAR; /* spaces, controls, non-ASCII */
        if (c == '@')
            at = i, n_at++;
    }
    if (n_at != 1 || at == 0 || at == n - 1)
        return VALID_BAD_FORMAT;
    if (at > EMAIL_LOCAL_MAX)
        return VALID_TOO_LONG;
    for (size_t i = 0; i < at; i++)
        if (!email_local_char(p[i]))
            return VALID_BAD_CHAR;
    if (p[0] == '.' || p[at - 1] == '.')
        return VALID_BAD_FORMAT;
    for (size_t i = 1; i < at; i++)
        if (p[i] == '.' && p[i - 1] == '.')
            return VALID_BAD_FORMAT;

    char buf[VALIDATE_TEXT_SIZE];
    memcpy(buf, p, at + 1);
    const char *dom = p + at + 1;
    size_t dn = n - at - 1, labels = 0, start = 0;
    for (size_t i = 0; i <= dn; i++) {
        if (i < dn && dom[i] != '.') {
            if (!is_digit(dom[i]) && !is_alpha(dom[i]) && dom[i] != '-')
                return VALID_BAD_CHAR;
            buf[at + 1 + i] = to_lower(dom[i]);
            continue;
        }
        size_t len = i - start;
        if (len == 0 || len > EMAIL_LABEL_MAX || dom[start] == '-' || dom[i - 1] == '-')
            return VALID_BAD_FORMAT;
        labels++;
        if (i == dn) {
            /* the top-level domain: two or more characters, not all digits */
            bool all_digits = true;
            for (size_t k = start; k < i; k++)
                all_digits = all_digits && is_digit(dom[k]);
            if (len < 2 || all_digits)
                return VALID_BAD_FORMAT;
        } else {
            buf[at + 1 + i] = '.';
        }
        start = i + 1;
    }
    if (labels < 2)
        return VALID_BAD_FORMAT;
    put(ret_normalised, buf, n);
    return VALID_OK;
}

/* ---- names -------------------------------------------------------------------------- */

/* Names come in every script of China's peoples and of visitors, so this refuses only
 * what no name contains or what would hide, reorder or garble text on the printed
 * receipt, rather than listing letters. */
static bool name_refused(uint32_t c)
{
    if (c < 0x80) /* ASCII: letters, space, and - ' . only */
        return !(is_alpha((char)c) || c == ' ' || c == '-' || c == '\'' || c == '.');
    static const struct {
        uint32_t lo, hi;
    } refused[] = {
        {0x0080, 0x009F},   /* C1 controls */
        {0x00AD, 0x00AD},   /* soft hyphen: invisible */
        {0x200B, 0x200B},   /* zero width space (ZWNJ and ZWJ stay: Persian, Indic) */
        {0x200E, 0x200F},   /* LRM, RLM */
        {0x2028, 0x202E},   /* line/paragraph separators, bidi embeddings, overrides */
        {0x2060, 0x206F},   /* word joiner, invisible operators, bidi isolates */
        {0x2600, 0x27BF},   /* miscellaneous symbols, dingbats */
        {0xD800, 0xDFFF},   /* surrogates (the decoder refuses them too) */
        {0xE000, 0xF8FF},   /* private use: no font draws it the same way twice */
        {0xFDD0, 0xFDEF},   /* non-characters */
        {0xFEFF, 0xFEFF},   /* byte order mark */
        {0xFF10, 0xFF19},   /* full-width digits */
        {0xFFF9, 0xFFFD},   /* annotation controls, object and replacement characters */
        {0x1F000, 0x1FBFF}, /* emoji, pictographs, game symbols */
        {0xE0000, 0xE00FF}, /* tags */
        {0xF0000, 0x10FFFF} /* supplementary private use */
    };
    if ((c & 0xFFFE) == 0xFFFE)
        return true; /* U+xFFFE, U+xFFFF: non-characters */
    for (size_t i = 0; i < ARRAY_SIZE(refused); i++)
        if (c >= refused[i].lo && c <= refused[i].hi)
            return true;
    return false;
}

static bool name_space(uint32_t c)
{
    return c == ' ' || c == 0xA0 || c == 0x3000;
}

/* Punctuation that may join the parts of a name but is not a name by itself. */
static bool name_joiner(uint32_t c)
{
    return c == '-' || c == '\'' || c == '.' || c == 0x00B7 || c == 0x30FB || c == 0x2022 ||
           c == 0x2027 || c == 0xFF65;
}

validate_result validate_name(const char *s, size_t max_chars, char *ret_normalised)
{
    const char *p;
    size_t n;
    validate_result r = span(s, &p, &n);
    if (r != VALID_OK)
        return r;
    if (max_chars == 0)
        max_chars = VALIDATE_NAME_DEFAULT_MAX;
    char buf[VALIDATE_TEXT_SIZE];
    size_t k = 0, chars = 0;
    bool letter = false, pending_space = false;
    for (size_t i = 0; i < n;) {
        uint32_t c;
        size_t len = utf8_decode((const unsigned char *)p + i, n - i, &c);
        if (len == 0 || name_refused(c))
            return VALID_BAD_CHAR;
        if (name_space(c)) {
            pending_space = k > 0; /* runs become one space; none at the start */
        } else {
            if (pending_space) {
                buf[k++] = ' ';
                chars++;
                pending_space = false;
            }
            memcpy(buf + k, p + i, len);
            k += len;
            chars++;
            letter = letter || !name_joiner(c);
        }
        i += len;
    }
    if (!letter)
        return VALID_BAD_FORMAT; /* "-", "·", ". ." */
    if (chars > max_chars)
        return VALID_TOO_LONG;
    put(ret_normalised, buf, k);
    return VALID_OK;
}

/* ---- passports and other documents ------------------------------------------------ */

validate_result validate_passport(const char *s, char *ret_normalised)
{
    const char *p;
    size_t n;
    validate_result r = span(s, &p, &n);
    if (r != VALID_OK)
        return r;
    char buf[VALIDATE_PASSPORT_SIZE];
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(p[i]) && !is_alpha(p[i]))
            return VALID_BAD_CHAR;
        if (i < VALIDATE_PASSPORT_MAX)
            buf[i] = to_upper(p[i]);
    }
    if (n < VALIDATE_PASSPORT_MIN || n > VALIDATE_PASSPORT_MAX)
        return VALID_BAD_LENGTH;
    put(ret_normalised, buf, n);
    return VALID_OK;
}

/* ---- dates -------------------------------------------------------------------------- */

validate_result validate_date(const char *s, int *ret_y, int *ret_m, int *ret_d)
{
    const char *p;
    size_t n;
    validate_result r = span(s, &p, &n);
    if (r != VALID_OK)
        return r;
    if (n != 10 || p[4] != '-' || p[7] != '-')
        return VALID_BAD_FORMAT;
    for (size_t i = 0; i < n; i++)
        if (i != 4 && i != 7 && !is_digit(p[i]))
            return VALID_BAD_FORMAT;
    int y = digits(p, 4), m = digits(p + 5, 2), d = digits(p + 8, 2);
    if (!real_date(y, m, d))
        return VALID_BAD_DATE;
    if (ret_y)
        *ret_y = y;
    if (ret_m)
        *ret_m = m;
    if (ret_d)
        *ret_d = d;
    return VALID_OK;
}

/* ---- masking ------------------------------------------------------------------------ */

static bool utf8_start(char c)
{
    return ((unsigned char)c & 0xC0) != 0x80;
}

int validate_mask_id(const char *id, char *out, size_t n)
{
    if (!id || !out)
        return -EINVAL;
    size_t len = strnlen(id, VALIDATE_MAX_INPUT + 1);
    if (len > VALIDATE_MAX_INPUT)
        return -EINVAL;
    size_t chars = 0;
    for (size_t i = 0; i < len; i++)
        chars += utf8_start(id[i]);
    size_t head = chars >= 8 ? 3 : chars >= 3 ? 1 : 0;
    size_t tail = chars >= 8 ? 4 : chars >= 3 ? 1 : 0;

    /* byte offsets of the end of the head and the start of the tail */
    size_t head_end = 0, tail_start = len, seen = 0;
    for (size_t i = 0; i < len; i++) {
        if (!utf8_start(id[i]))
            continue;
        if (seen == head)
            head_end = i;
        if (seen == chars - tail)
            tail_start = i;
        seen++;
    }
    if (head == 0)
        head_end = 0;
    size_t stars = chars - head - tail;
    size_t need = head_end + stars + (len - tail_start) + 1;
    if (need > n)
        return -ENOSPC;
    memcpy(out, id, head_end);
    memset(out + head_end, '*', stars);
    memcpy(out + head_end + stars, id + tail_start, len - tail_start);
    out[need - 1] = '\0';
    return 0;
}
