/* field.c - see field.h. The table is one designated-initialiser row per type; a type
 * without a row fails the build (the _Static_assert) or test_field (a row of zeros). */
#include "field.h"
#include "base/util.h"

#include <stdint.h>
#include <string.h>

static field_validator check_text, check_choice, check_multichoice, check_resident_id,
    check_id_number, check_credit_code, check_phone, check_email, check_date, check_name,
    check_flag;

/* The fixed formats' limits are the longest way a visitor may write them: an ID number
 * 18 characters (a passport 20), a phone number with +86, spaces, hyphens and an
 * extension ("+86 (0571) 8510-0001 ext. 123456", the extension word written in
 * Chinese), an e-mail address 254 (RFC 5321). */
#define NAME_MAX_CHARS VALIDATE_NAME_DEFAULT_MAX /* what validate_name allows */
#define ID_MAX_CHARS VALIDATE_PASSPORT_MAX       /* the longest document number */
static const struct field_kind kinds[] = {
    /*                    name           keyboard          max chars        default sized pii
                          choices readable lines  validator */
    [FIELD_TEXT] =        {"text",        FIELD_KB_PINYIN,  500,             200,  1, 0,
                           0, 0, 0, check_text},
    [FIELD_LONGTEXT] =    {"longtext",    FIELD_KB_PINYIN,  FIELD_CHARS_MAX, 1000, 1, 0,
                           0, 0, 1, check_text},
    [FIELD_CHOICE] =      {"choice",      FIELD_KB_NONE,    0,               0,    0, 0,
                           1, 1, 0, check_choice},
    [FIELD_MULTICHOICE] = {"multichoice", FIELD_KB_NONE,    0,               0,    0, 0,
                           1, 1, 0, check_multichoice},
    [FIELD_RESIDENT_ID] = {"resident_id", FIELD_KB_ID,      18,              0,    0, 1,
                           0, 0, 0, check_resident_id},
    [FIELD_ID_NUMBER] =   {"id_number",   FIELD_KB_ID,      ID_MAX_CHARS,    0,    0, 1,
                           0, 0, 0, check_id_number},
    [FIELD_CREDIT_CODE] = {"credit_code", FIELD_KB_LATIN,   18,              0,    0, 0,
                           0, 0, 0, check_credit_code},
    [FIELD_PHONE] =       {"phone",       FIELD_KB_NUMERIC, 32,              0,    0, 1,
                           0, 0, 0, check_phone},
    [FIELD_EMAIL] =       {"email",       FIELD_KB_LATIN,   254,             0,    0, 1,
                           0, 0, 0, check_email},
    [FIELD_DATE] =        {"date",        FIELD_KB_NUMERIC, 10,              0,    0, 0,
                           0, 0, 0, check_date},
    [FIELD_NAME] =        {"name",        FIELD_KB_PINYIN,  NAME_MAX_CHARS,  NAME_MAX_CHARS, 1, 1,
                           0, 0, 0, check_name},
    [FIELD_FLAG] =        {"flag",        FIELD_KB_NONE,    0,               0,    0, 0,
                           0, 1, 0, check_flag},
};
_Static_assert(ARRAY_SIZE(kinds) == FIELD_TYPE_COUNT, "a field type without a row");
/* a name of the most characters is still within what its validator reads */
_Static_assert(NAME_MAX_CHARS * FIELD_UTF8_MAX <= VALIDATE_MAX_INPUT,
               "a full name fits validate_name's input");

static const char *const keyboard_names[] = {
    [FIELD_KB_NONE] = "", [FIELD_KB_PINYIN] = "pinyin", [FIELD_KB_LATIN] = "latin",
    [FIELD_KB_NUMERIC] = "numeric", [FIELD_KB_ID] = "id",
};
_Static_assert(ARRAY_SIZE(keyboard_names) == FIELD_KB_COUNT, "a keyboard without a name");

static const char *const id_format_names[] = {
    [FIELD_IDF_NONE] = "", [FIELD_IDF_RESIDENT] = "resident_id",
    [FIELD_IDF_PERMIT] = "residence_permit", [FIELD_IDF_FOREIGN_PR] = "foreign_pr",
    [FIELD_IDF_PASSPORT] = "passport",
};
_Static_assert(ARRAY_SIZE(id_format_names) == FIELD_IDF_COUNT, "an id format without a name");

const struct field_kind *field_kind(enum field_type t)
{
    expect((unsigned)t < FIELD_TYPE_COUNT);
    return &kinds[t];
}

int field_type_from_name(const char *name)
{
    for (int i = 0; name && i < FIELD_TYPE_COUNT; i++)
        if (strcmp(kinds[i].name, name) == 0)
            return i;
    return -1;
}

const char *field_type_name(enum field_type t)
{
    return field_kind(t)->name;
}

int field_keyboard_from_name(const char *name)
{
    for (int i = 0; name && i < FIELD_KB_COUNT; i++)
        if (strcmp(keyboard_names[i], name) == 0)
            return i;
    return -1;
}

const char *field_keyboard_name(enum field_keyboard k)
{
    expect((unsigned)k < FIELD_KB_COUNT);
    return keyboard_names[k];
}

int field_id_format_from_name(const char *name)
{
    for (int i = FIELD_IDF_NONE + 1; name && i < FIELD_IDF_COUNT; i++)
        if (strcmp(id_format_names[i], name) == 0)
            return i;
    return -1;
}

const char *field_id_format_name(enum field_id_format f)
{
    expect((unsigned)f < FIELD_IDF_COUNT);
    return id_format_names[f];
}

bool field_declared_ok(enum field_type t, int declared)
{
    const struct field_kind *k = field_kind(t);
    return declared == 0 || (k->sized && declared >= 1 && declared <= k->max_chars);
}

int field_limit(enum field_type t, int declared)
{
    const struct field_kind *k = field_kind(t);
    if (k->sized && declared >= 1 && declared <= k->max_chars)
        return declared;
    return k->sized ? k->default_chars : k->max_chars;
}

validate_result field_check(enum field_type t, const struct field_input *in,
                            const char *value, char *out, const char **ret_key)
{
    struct field_input x = *in;
    x.type = t;
    return field_kind(t)->check(&x, value, out, ret_key);
}

/* ---- text --------------------------------------------------------------------------- */

long field_text_chars(const char *s, size_t n, bool lines)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    long count = 0;
    while (p < end) {
        uint32_t c = *p;
        size_t len;
        if (c < 0x80) {
            if ((c < 0x20 && !(lines && (c == '\n' || c == '\r' || c == '\t'))) || c == 0x7f)
                return -1;
            len = 1;
        } else if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
        } else {
            return -1;
        }
        if ((size_t)(end - p) < len)
            return -1;
        uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
        for (size_t k = 1; k < len; k++) {
            if ((p[k] & 0xC0) != 0x80)
                return -1;
            cp = cp << 6 | (p[k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x80 && cp < 0xA0))
            return -1;
        p += len;
        count++;
    }
    return count;
}

void field_trim(const char *s, const char **ret_p, size_t *ret_n)
{
    size_t n = strlen(s);
    for (;;) {
        if (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
            s++, n--;
        else if (n >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0)
            s += 3, n -= 3;
        else
            break;
    }
    for (;;) {
        char c = n ? s[n - 1] : 0;
        if (n && (c == ' ' || c == '\t' || c == '\n' || c == '\r'))
            n--;
        else if (n >= 3 && memcmp(s + n - 3, "\xE3\x80\x80", 3) == 0)
            n -= 3;
        else
            break;
    }
    *ret_p = s;
    *ret_n = n;
}

/* the trimmed value, as it is: the caller checked it */
static validate_result copy_trimmed(const char *v, char *out)
{
    const char *p;
    size_t n;
    field_trim(v, &p, &n);
    if (n > FIELD_VALUE_MAX)
        return VALID_TOO_LONG;
    memcpy(out, p, n);
    out[n] = '\0';
    return VALID_OK;
}

static validate_result text_of(const struct field_input *in, const char *v, char *out,
                               bool lines)
{
    const char *p;
    size_t n;
    field_trim(v, &p, &n);
    long chars = field_text_chars(p, n, lines);
    if (chars < 0)
        return VALID_BAD_CHAR;
    if (in->max_chars > 0 && chars > in->max_chars)
        return VALID_TOO_LONG;
    return copy_trimmed(v, out);
}

/* text and longtext: line breaks where the type's row allows them */
static validate_result check_text(const struct field_input *in, const char *v, char *out,
                                  const char **ret_key)
{
    (void)ret_key;
    return text_of(in, v, out, field_kind(in->type)->lines);
}

static validate_result check_name(const struct field_input *in, const char *v, char *out,
                                  const char **ret_key)
{
    (void)ret_key;
    return validate_name(v, (size_t)in->max_chars, out);
}

static validate_result check_phone(const struct field_input *in, const char *v, char *out,
                                   const char **ret_key)
{
    (void)in, (void)ret_key;
    return validate_phone(v, out);
}

static validate_result check_email(const struct field_input *in, const char *v, char *out,
                                   const char **ret_key)
{
    (void)in, (void)ret_key;
    return validate_email(v, out);
}

static validate_result check_credit_code(const struct field_input *in, const char *v,
                                         char *out, const char **ret_key)
{
    (void)in, (void)ret_key;
    return validate_credit_code(v, out);
}

static validate_result check_date(const struct field_input *in, const char *v, char *out,
                                  const char **ret_key)
{
    (void)in, (void)ret_key;
    validate_result r = validate_date(v, NULL, NULL, NULL);
    return r == VALID_OK ? copy_trimmed(v, out) : r;
}

static validate_result check_resident_id(const struct field_input *in, const char *v,
                                         char *out, const char **ret_key)
{
    (void)ret_key;
    return validate_resident_id(v, in->now, out);
}

/* The 15-character foreigner's permanent residence card issued before 2023 (three
 * letters of the nationality, twelve digits): still valid until it expires. */
static bool old_foreign_pr(const char *s, size_t n, char *out)
{
    if (n != 15)
        return false;
    for (size_t i = 0; i < 15; i++) {
        char c = s[i];
        if (i < 3 && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (i < 3 ? !(c >= 'A' && c <= 'Z') : !(c >= '0' && c <= '9'))
            return false;
        out[i] = c;
    }
    out[15] = '\0';
    return true;
}

static validate_result check_id_number(const struct field_input *in, const char *v,
                                       char *out, const char **ret_key)
{
    const char *p;
    size_t n;
    switch (in->id_format) {
    case FIELD_IDF_NONE:
    case FIELD_IDF_COUNT:
        *ret_key = "form.id_type_first";
        return VALID_BAD_FORMAT;
    case FIELD_IDF_PASSPORT:
        return validate_passport(v, out);
    case FIELD_IDF_FOREIGN_PR:
        field_trim(v, &p, &n);
        if (old_foreign_pr(p, n, out))
            return VALID_OK;
        break;
    default:
        break;
    }
    validate_result r = validate_resident_id(v, in->now, out);
    if (r != VALID_OK)
        return r;
    validate_id_type k = validate_id_kind(out);
    bool fits = in->id_format == FIELD_IDF_RESIDENT     ? k == VALIDATE_ID_RESIDENT
                : in->id_format == FIELD_IDF_FOREIGN_PR ? k == VALIDATE_ID_FOREIGN_PR
                                                        : k == VALIDATE_ID_PERMIT_HK ||
                                                              k == VALIDATE_ID_PERMIT_MACAO ||
                                                              k == VALIDATE_ID_PERMIT_TAIWAN;
    if (!fits) {
        out[0] = '\0';
        *ret_key = "form.id_type_mismatch";
        return VALID_BAD_PREFIX;
    }
    return VALID_OK;
}

/* ---- choices and flags ------------------------------------------------------------------ */

static validate_result check_choice(const struct field_input *in, const char *v, char *out,
                                    const char **ret_key)
{
    (void)ret_key;
    size_t n = strnlen(v, FIELD_VALUE_MAX + 1);
    if (n > FIELD_VALUE_MAX || !in->choice || in->choice(in->ctx, v, n) < 0)
        return VALID_BAD_FORMAT;
    memcpy(out, v, n + 1);
    return VALID_OK;
}

static validate_result check_multichoice(const struct field_input *in, const char *v,
                                         char *out, const char **ret_key)
{
    (void)ret_key;
    size_t len = strnlen(v, FIELD_VALUE_MAX + 1);
    if (len > FIELD_VALUE_MAX || !in->choice)
        return VALID_BAD_FORMAT;
    for (const char *q = v; *q;) {
        const char *end = strchr(q, ',');
        size_t k = end ? (size_t)(end - q) : strlen(q);
        if (in->choice(in->ctx, q, k) < 0)
            return VALID_BAD_FORMAT;
        /* each choice once */
        for (const char *o = v; o < q;) {
            const char *oe = strchr(o, ',');
            if ((size_t)(oe - o) == k && memcmp(o, q, k) == 0)
                return VALID_BAD_FORMAT;
            o = oe + 1;
        }
        q += k + (end ? 1 : 0);
    }
    memcpy(out, v, len + 1);
    return VALID_OK;
}

static validate_result check_flag(const struct field_input *in, const char *v, char *out,
                                  const char **ret_key)
{
    (void)in, (void)ret_key;
    if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
        return VALID_BAD_FORMAT;
    strcpy(out, v);
    return VALID_OK;
}
