/* form.h - the form engine: one runtime for every form the content defines (the
 * information request, feedback, the service rating, questionnaires; docs/architecture.md,
 * "Forms are content"). What each type of field is (its name, keyboard, limit,
 * validator) comes from core/field.h. The wizard screen loads a form, shows its steps and fields,
 * feeds what the visitor types, asks whether a field is valid (and which message to
 * show), which fields are visible given the answers so far, builds the review page and
 * submits: serialise -> seal -> outbox, in one call that returns the receipt.
 *
 * Personal data: a form owns a copy of every value typed into it. Replacing a value,
 * form_reset and form_free overwrite the old bytes with sodium_memzero before they are
 * freed, and so does every function here that copies a value (review lines, the
 * serialised submission). Nothing here writes a value to disk or to a log: the only
 * thing that leaves is the sealed submission, through state_outbox_add.
 *
 * Values are kept exactly as typed (a wrong ID stays on screen to be corrected); the
 * checks and the submission use the validators' normalised form (upper-case X, phone
 * "0571-85100001", trimmed text). Visibility and required-ness follow the content's
 * conditions (docs/content-format.md, "forms/<id>.json"): a hidden field is never
 * required, never checked and never submitted.
 *
 * Load: a few calls per key press over a form of at most STORE_FORM_MAX_FIELDS fields;
 * every call walks the fields linearly, which is far below a frame's budget. */
#ifndef KIOSK_FORM_H
#define KIOSK_FORM_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "field.h"
#include "i18n.h"
#include "state.h"
#include "store.h"
#include "validate.h"

struct seal_public;
struct workday_cal;

enum form_kind { FORM_REQUEST, FORM_FEEDBACK, FORM_RATING, FORM_QUESTIONNAIRE, FORM_COMMENT };

/* The longest consultation id a comment refers to (docs/content-format.md: ids). */
#define FORM_REF_MAX 64

#define FORM_SUBMISSION_FORMAT 1

typedef struct form form;

/* ---- loading and wiping ---- */

/* Loads form ID from the content store and makes a runtime for it. Returns 0,
 * -ENOENT (no such form), -EPROTO (a definition this engine cannot run: unknown type,
 * a condition reading a later or unknown field ...), -E2BIG or -EIO. */
int form_load(store *st, const char *id, form **ret);
/* The same from a definition you loaded; the form takes DEF (also on failure). */
int form_new(struct form_def *def, form **ret);
/* Wipes every value (sodium_memzero) and frees the form. Accepts NULL. */
void form_free(form *f);
/* Wipes every value; the form stays loaded, as if nothing had been typed. */
void form_reset(form *f);

/* The definition: steps, fields, labels, choices (owned by the form). */
const struct form_def *form_definition(const form *f);
enum form_kind form_kind_of(const form *f);
/* The index of FIELD in form_definition(f)->fields, or -ENOENT. */
int form_field_index(const form *f, const char *field);
/* Field INDEX's type, keyboard and limit (the most characters its value may hold:
 * field_limit of its type and declared "max"; 0 for choices and flags). The rest of
 * what its type means is field_kind(type) (core/field.h). */
enum field_type form_field_type(const form *f, int index);
enum field_keyboard form_field_keyboard(const form *f, int index);
int form_field_limit(const form *f, int index);

/* The visitor's language, written into the submission so the office can reply in it
 * (default LANG_ZH). */
void form_set_lang(form *f, kiosk_lang lang);
/* The clock used to check birth dates (0, the default: the real clock). The scripted
 * driver's virtual clock sets it; form_submit sets it to its NOW. */
void form_set_clock(form *f, time_t now);

/* A comment (kind FORM_COMMENT) is on one consultation: ID (an id, copied) goes into
 * the submission as "consultation". 0, or -EINVAL (another kind, or a bad id). A
 * comment without one is never submitted (form_submit: -EINVAL). */
int form_set_consultation(form *f, const char *id);
/* The consultation set, or NULL. */
const char *form_consultation(const form *f);

/* ---- values ---- */

/* Sets FIELD to a copy of VALUE (UTF-8, as typed; "" clears it); the old value is
 * wiped. Nothing but the length is checked here, so what was typed is never lost.
 * Choice fields hold a choice id, multichoice fields choice ids joined by ",", flags
 * "true" or "false" (or ""). Returns 0, -ENOENT (unknown field) or -E2BIG (over the
 * field's limit in characters, or over FIELD_VALUE_MAX bytes; the old value stays). */
int form_set(form *f, const char *field, const char *value);
/* FIELD's value as set ("" when unset or unknown). Owned by the form: valid until the
 * next form_set of that field, form_reset or form_free. */
const char *form_get(const form *f, const char *field);
/* Choice fields: picks CHOICE. Multichoice: ticks or unticks it (kept in the order of
 * the choices). Flags: CHOICE is ignored and the flag flips. 0, -ENOENT, -EINVAL. */
int form_toggle(form *f, const char *field, const char *choice);
/* Whether CHOICE is picked / ticked in FIELD (a flag: whether it is ticked). */
bool form_selected(const form *f, const char *field, const char *choice);

/* ---- what the screen asks ---- */

/* Whether FIELD is shown, given the answers so far. */
bool form_visible(const form *f, const char *field);
/* Whether FIELD must be filled now (visible, and required or its condition holds). */
bool form_required(const form *f, const char *field);
/* Checks FIELD as it stands. VALID_OK for a hidden field, and for an empty optional
 * one unless it is the last hope of an at-least-one group. *ret_key (may be NULL) is
 * the string-table key of the message to show next to the field: the validator's
 * (validate_message_key) or the form's own - "form.pick_one" (a required choice left
 * open), "form.must_tick", "form.one_of" (none of the group filled: give one),
 * "form.id_type_first" (a document number before its type), "form.id_type_mismatch"
 * (a valid number of another document type). An unknown field is VALID_BAD_FORMAT. */
validate_result form_check(const form *f, const char *field, const char **ret_key);
/* Whether STEP has a visible field (a step with none is skipped). */
bool form_step_visible(const form *f, int step);
/* Whether every visible field of STEP checks VALID_OK; if not, *ret_field (may be
 * NULL) is the first that does not. */
bool form_step_complete(const form *f, int step, const char **ret_field);
/* The first field of the form that does not check: 1 and its step and id, or 0 when
 * the form can be submitted. The ret_* may be NULL. */
int form_first_invalid(const form *f, int *ret_step, const char **ret_field);

/* Whether TEXT reads like a complaint, petition or report rather than a request for
 * information (the words of form.complaint_words in the string table: 投诉, 举报, 信访,
 * 不作为, 态度差, 乱收费, "complain", "report a" ...): the screen then offers the
 * feedback form. A heuristic: it never refuses. */
bool form_looks_like_complaint(const char *text);

/* ---- the review page ---- */

struct form_review_line {
    int step;              /* the step to go back to for "edit" */
    const char *field;     /* the field's id, owned by the form */
    const ktext *label;    /* owned by the form */
    ktext value;           /* what to show, in both languages: choice labels for choices
                              (one line each for a multichoice), the ID masked
                              (validate_mask_id), "" when left empty */
    int masked;            /* 1 when value is a masked ID number */
};

struct form_review {
    struct form_review_line *lines; /* every visible field, in order */
    int n;
};

/* Builds the review page. You own *ret: free it with form_review_free, which wipes the
 * values. Returns 0. */
int form_review(const form *f, struct form_review *ret);
void form_review_free(struct form_review *r);

/* ---- submitting ---- */

/* The submission as one line of JSON text, what form_submit seals:
 *   {"format":1,"receipt":R,"kind":K,"form":ID[,"consultation":C],"content_version":V,"created_at":T,
 *    "kiosk":KIOSK,"lang":"zh","fields":{ID:VALUE,...},"flags":{"staff_help":B,
 *    "follow_up":B}}
 * with every visible field: text as normalised strings ("" when empty), multichoice as
 * a list of choice ids, flags as true / false. You own *ret (NUL-terminated, *ret_len
 * bytes) and must wipe it with form_text_wipe. Returns 0, -EINVAL (a bad argument) or
 * -E2BIG (over SEAL_PLAIN_MAX). The fields need not be valid: check first. */
int form_serialise(const form *f, const char *receipt, const char *kiosk,
                   const char *created_at, char **ret, size_t *ret_len);
/* sodium_memzero(s, len) and free(s). Accepts NULL. */
void form_text_wipe(char *s, size_t len);

/* Whether the submission would be flagged for follow-up now / asks for staff help. */
bool form_follow_up(const form *f);
bool form_staff_help(const form *f);

/* Submits the form: checks every field (-EINVAL if one fails: ask form_first_invalid),
 * serialises it, seals it to KEY and adds it to the outbox of ST in one transaction
 * with its receipt number (KIOSK_ID's code, the local date of NOW, the day's
 * sequence). For a request, the expected reply date is WORKDAY_REPLY_DAYS working days
 * after the local date of NOW on CAL (NULL: no calendar), flagged as an estimate past
 * the calendar's coverage. The plaintext is wiped before this returns. On 0 the
 * submission is on disk and *ret describes it (receipt, due date ...); the form keeps
 * its values - free or reset it when the visitor leaves. Other returns: -EINVAL (bad
 * kiosk code or argument), -E2BIG, -ERANGE (the day's sequence is exhausted), or
 * state_outbox_add's codes; nothing was written then. */
int form_submit(form *f, state *st, const struct seal_public *key,
                const struct workday_cal *cal, const char *kiosk_id, time_t now,
                struct outbox_entry *ret);

#endif
