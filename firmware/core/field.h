/* field.h - the kinds of form field, in one table: for each type a form may declare
 * (docs/content-format.md, "forms/<id>.json") its name as written in the content's
 * JSON, the keyboard it is typed on, the most characters (Unicode code points) a value
 * may hold, whether it always holds personal data, and its validator. The content
 * compiler (sync/content_build.c), the form engine (form.c) and the wizard
 * (screens/wizard.c) all read this table and keep no copy of what it says, so a limit
 * the compiler allows is one the keyboard takes and the engine keeps.
 *
 * Pure C over the caller's buffers; the validators allocate nothing. */
#ifndef KIOSK_FIELD_H
#define KIOSK_FIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "validate.h"

enum field_type {
    FIELD_TEXT, FIELD_LONGTEXT, FIELD_CHOICE, FIELD_MULTICHOICE, FIELD_RESIDENT_ID,
    FIELD_ID_NUMBER, FIELD_CREDIT_CODE, FIELD_PHONE, FIELD_EMAIL, FIELD_DATE, FIELD_NAME,
    FIELD_FLAG, FIELD_TYPE_COUNT
};

/* Which on-screen keyboard a field is typed on; NONE for choices and flags. */
enum field_keyboard {
    FIELD_KB_NONE, FIELD_KB_PINYIN, FIELD_KB_LATIN, FIELD_KB_NUMERIC, FIELD_KB_ID,
    FIELD_KB_COUNT
};

/* How an id_number is checked: the "id_format" of the document-type choice picked. */
enum field_id_format {
    FIELD_IDF_NONE, FIELD_IDF_RESIDENT, FIELD_IDF_PERMIT, FIELD_IDF_FOREIGN_PR,
    FIELD_IDF_PASSPORT, FIELD_IDF_COUNT
};

/* The longest value of any field type, in characters (a longtext's), and in bytes:
 * UTF-8 takes at most 4 bytes a character. A choice list of STORE_FORM_MAX_CHOICES
 * ids fits too. */
#define FIELD_CHARS_MAX 4000
#define FIELD_UTF8_MAX 4
#define FIELD_VALUE_MAX (FIELD_CHARS_MAX * FIELD_UTF8_MAX)

/* What a validator is given besides the value. */
struct field_input {
    enum field_type type;           /* set by field_check */
    int max_chars;                  /* the field's limit (field_limit) */
    time_t now;                     /* today, for birth dates in ID numbers */
    enum field_id_format id_format; /* id_number: the document picked, NONE when none */
    /* choice and multichoice: the index of choice ID (N bytes) of the field, or -1 */
    int (*choice)(const void *ctx, const char *id, size_t n);
    const void *ctx;
};

/* Checks VALUE (non-empty, as typed) and on VALID_OK writes its normalised form into
 * OUT (FIELD_VALUE_MAX + 1 bytes). *ret_key is set to a form-specific string-table key
 * when there is one ("form.id_type_first", "form.id_type_mismatch"), else left alone. */
typedef validate_result field_validator(const struct field_input *in, const char *value,
                                        char *out, const char **ret_key);

struct field_kind {
    const char *name;              /* as written in the content's JSON: "longtext" */
    enum field_keyboard keyboard;  /* its keyboard (a form may name another), NONE:
                                      nothing is typed */
    int max_chars;                 /* the most characters a value holds; 0 for a
                                      choice or flag (their values are ids) */
    int default_chars;             /* sized: the limit when a form declares none */
    bool sized;                    /* a form may declare a lower "max" */
    bool pii;                      /* always personal data: a form must say "pii" */
    bool choices;                  /* answered by picking among "choices" */
    bool readable;                 /* a condition may read it */
    bool lines;                    /* line breaks allowed: a box of several lines */
    field_validator *check;
};

/* The row of type T (a valid enum field_type). */
const struct field_kind *field_kind(enum field_type t);

/* Names as written in the content; the lookups return -1 for an unknown name. The
 * keyboard NONE is named "". */
int field_type_from_name(const char *name);
const char *field_type_name(enum field_type t);
int field_keyboard_from_name(const char *name);
const char *field_keyboard_name(enum field_keyboard k);
int field_id_format_from_name(const char *name); /* NONE ("") is not a name: -1 */
const char *field_id_format_name(enum field_id_format f);

/* The limit of a field of type T that declares DECLARED characters (0: none): the
 * declared one when the type is sized and it is within the table's, else the table's.
 * Whether DECLARED is allowed at all is field_declared_ok. */
int field_limit(enum field_type t, int declared);
/* Whether a form may declare DECLARED ("max") for T: 0 (nothing declared) always, else
 * only for a sized type, 1..max_chars. */
bool field_declared_ok(enum field_type t, int declared);

/* Checks VALUE of a field of type T: what the table's validator says. */
validate_result field_check(enum field_type t, const struct field_input *in,
                            const char *value, char *out, const char **ret_key);

/* Trims ASCII blanks and U+3000 at both ends of S: *ret_p, *ret_n. */
void field_trim(const char *s, const char **ret_p, size_t *ret_n);

/* Strict UTF-8 of S (N bytes): the number of code points, or -1 when a sequence is
 * broken or a control character is there (tab and line breaks only when LINES). */
long field_text_chars(const char *s, size_t n, bool lines);

#endif
