/* validate.h - checks what a visitor types into a form (docs/rules.md §5): resident ID and
 * residence-permit numbers (GB 11643), unified social credit codes (GB 32100), phone
 * numbers, e-mail addresses, names, passport and other document numbers, dates; and
 * the masking of ID numbers on screen and paper.
 *
 * Every validator returns a validate_result; the screen turns it into a bilingual
 * message with i18n(validate_message_key(r), lang), so no visitor-facing text is here.
 * Every validator first strips leading and trailing white space (ASCII blanks and the
 * ideographic space U+3000) and refuses input longer than VALIDATE_MAX_INPUT bytes
 * before looking at it; it never reads past the terminating NUL. ret_normalised
 * buffers are written only on VALID_OK and may be NULL. Pure C, no allocation.
 * Load: a few calls per key press. */
#ifndef KIOSK_VALIDATE_H
#define KIOSK_VALIDATE_H

#include <stddef.h>
#include <time.h>

#define VALIDATE_MAX_INPUT 256

/* Buffer sizes for ret_normalised (including the NUL). */
#define VALIDATE_ID_SIZE 19        /* 18 characters */
#define VALIDATE_CREDIT_SIZE 19    /* 18 characters */
#define VALIDATE_PHONE_SIZE 24     /* "0571-85100001-123456" at most */
#define VALIDATE_PASSPORT_SIZE 21  /* 20 characters */
#define VALIDATE_TEXT_SIZE (VALIDATE_MAX_INPUT + 1) /* e-mail, name */

#define VALIDATE_PASSPORT_MIN 5
#define VALIDATE_PASSPORT_MAX 20
#define VALIDATE_NAME_DEFAULT_MAX 64 /* code points, used when max_chars is 0 */
#define VALIDATE_MIN_YEAR 1900
#define VALIDATE_MAX_YEAR 2199

typedef enum validate_result {
    VALID_OK = 0,
    VALID_EMPTY,          /* nothing but white space */
    VALID_TOO_LONG,       /* over VALIDATE_MAX_INPUT bytes, or over a field's limit */
    VALID_BAD_CHAR,       /* a character the field does not allow (or broken UTF-8) */
    VALID_BAD_LENGTH,     /* a number with the wrong count of characters */
    VALID_BAD_CHECKSUM,   /* the check character does not match */
    VALID_BAD_DATE,       /* not a real date, or before VALIDATE_MIN_YEAR */
    VALID_FUTURE_DATE,    /* a birth date after today */
    VALID_BAD_REGION,     /* an ID number whose region code does not exist */
    VALID_BAD_PREFIX,     /* a phone number that cannot start that way */
    VALID_NOT_PERSONAL,   /* a service or hotline number, not a person's contact */
    VALID_NEED_AREA_CODE, /* a landline number without its area code */
    VALID_BAD_FORMAT,     /* the parts are there but not in a usable shape */
    VALID_RESULT_COUNT
} validate_result;

/* The string-table key of R's message, e.g. "valid.bad_checksum" (firmware/strings.tsv).
 * Static; R must be a validate_result. */
const char *validate_message_key(validate_result r);

/* What an 18-character identity number is. */
typedef enum validate_id_type {
    VALIDATE_ID_NONE = 0,      /* not an 18-character number of a known kind */
    VALIDATE_ID_RESIDENT,      /* resident identity card of the mainland */
    VALIDATE_ID_PERMIT_HK,     /* 81...: residence permit for Hong Kong residents */
    VALIDATE_ID_PERMIT_MACAO,  /* 82...: residence permit for Macao residents */
    VALIDATE_ID_PERMIT_TAIWAN, /* 83...: residence permit for Taiwan residents */
    VALIDATE_ID_FOREIGN_PR,    /* 9...: foreigner's permanent residence card (2023 format) */
} validate_id_type;

/* A resident ID or residence-permit number (GB 11643): 17 digits and a check
 * character; a lower-case x is accepted and written as X. Spaces inside are refused.
 * The birth date (characters 7-14) must be a real date from 1900-01-01 up to the
 * local date of NOW. The first two digits must be a province-level code (11..65),
 * 81/82/83 (residence permits), or the first digit 9 (foreigner's permanent residence
 * card). The 15-digit first-generation number (invalid since 2013) is VALID_BAD_LENGTH.
 * ret_normalised: VALIDATE_ID_SIZE bytes. */
validate_result validate_resident_id(const char *s, time_t now, char *ret_normalised);

/* The kind of ID, from the prefix of a number validate_resident_id accepted (pass its
 * normalised form). */
validate_id_type validate_id_kind(const char *normalised);

/* A unified social credit code (GB 32100): 18 characters of 0-9 and A-Z without
 * I O Z S V; lower case accepted, written upper case. ret_normalised:
 * VALIDATE_CREDIT_SIZE bytes. */
validate_result validate_credit_code(const char *s, char *ret_normalised);

/* A personal contact number. A leading +86 or 0086 is dropped; spaces, hyphens and
 * parentheses are separators. Accepted:
 *  - a mobile number, 11 digits 1[3-9]xxxxxxxxx, written "13800138000";
 *  - a landline with area code: 010 or 020-029 and 8 digits, or 0300-0999 and 7-8
 *    digits, the local part starting 2-9, written "0571-85100001" (after +86 the
 *    trunk 0 may be left out: "+86 571 8510 0001"); optionally an extension of 1-6
 *    digits after "转", "ext", "x", "#", or as a third hyphen-separated group,
 *    written "0571-85100001-123".
 * Refused: 3-6 digit numbers starting 1 or 9 and 400/800 numbers (VALID_NOT_PERSONAL);
 * 7-8 digits starting 2-9 (VALID_NEED_AREA_CODE); another country code or a mobile
 * number starting 10-12 (VALID_BAD_PREFIX). ret_normalised: VALIDATE_PHONE_SIZE bytes. */
validate_result validate_phone(const char *s, char *ret_normalised);

/* A practical e-mail check: one @; a local part of 1-64 characters of A-Z a-z 0-9 and
 * !#$%&'*+/=?^_`{|}~.- without leading, trailing or doubled dots; a domain of two or
 * more labels of letters, digits and inner hyphens, each 1-63 characters, the last
 * not all digits; 254 characters at most. No quoted local parts, no IP literals, no
 * non-ASCII (use the xn-- form). The domain is written in lower case.
 * ret_normalised: VALIDATE_TEXT_SIZE bytes. */
validate_result validate_email(const char *s, char *ret_normalised);

/* A person's or organisation's name: any script, rare CJK characters (Ext B-H)
 * included, the dots used in transliterated names (· ・ • ‧), spaces, and - ' . .
 * Refused (VALID_BAD_CHAR): broken UTF-8, control and format characters that can
 * reorder or hide text, private-use and non-characters, digits (ASCII and
 * full-width), other ASCII punctuation, emoji. Runs of spaces (also U+00A0, U+3000)
 * become one ASCII space. At most MAX_CHARS code points (0: VALIDATE_NAME_DEFAULT_MAX).
 * ret_normalised: VALIDATE_TEXT_SIZE bytes. */
validate_result validate_name(const char *s, size_t max_chars, char *ret_normalised);

/* A passport or other document number: 5-20 characters of A-Z and 0-9, lower case
 * written upper case; nothing else inside. ret_normalised: VALIDATE_PASSPORT_SIZE. */
validate_result validate_passport(const char *s, char *ret_normalised);

/* A date written YYYY-MM-DD (zero-padded), a real calendar day, year
 * VALIDATE_MIN_YEAR..VALIDATE_MAX_YEAR. The ret_* may be NULL. */
validate_result validate_date(const char *s, int *ret_y, int *ret_m, int *ret_d);

/* Writes ID masked into OUT (N bytes): 8 or more characters show the first 3 and the
 * last 4 ("110***********0021"); 3-7 characters show only the first and the last; 1-2
 * are all stars, so a short number is never shown whole. Counts code points. Returns
 * 0, -EINVAL (NULL or longer than VALIDATE_MAX_INPUT bytes) or -ENOSPC; OUT is
 * untouched on failure. */
int validate_mask_id(const char *id, char *out, size_t n);

#endif
