/* consult.h - public comment on drafts (docs/content-format.md, "consultations/<id>.json"):
 * where a consultation stands on a given day, and the comment form for one.
 *
 * A consultation is open from its opening day to its closing day, both included, by the
 * kiosk's local date; "closing soon" is the last CONSULT_SOON_DAYS days of that. A
 * comment is a form of kind "comment" (core/form.h) to which each of the consultation's
 * questions is added as an optional long-text field, answered in the step that holds
 * the form's comment field, with the rule that the visitor fills the comment or at least
 * one answer. The consultation's id goes into the sealed submission.
 *
 * Pure functions over strings and the content store; no clock is read here. */
#ifndef KIOSK_CONSULT_H
#define KIOSK_CONSULT_H

#include "form.h"
#include "store.h"

#define CONSULT_SOON_DAYS 7
/* The field of a comment form that holds the comment itself; question i (from 1) is
 * field "q<i>". */
#define CONSULT_COMMENT_FIELD "comment"

enum consult_status { CONSULT_UPCOMING, CONSULT_OPEN, CONSULT_CLOSING_SOON, CONSULT_CLOSED };

/* The status on TODAY of a consultation open from OPENS to CLOSES (all "YYYY-MM-DD").
 * *ret_days (may be NULL) gets the days left before the closing day (0: it closes
 * today) while open, the days until it opens while upcoming, the days since it closed
 * when closed. Returns the status, or -EINVAL for a date that is not a real one. */
int consult_status_of(const char *opens, const char *closes, const char *today, int *ret_days);

/* Loads form FORM_ID (which must be of kind comment), adds consultation C's questions to
 * it and makes it a comment on C. You own *ret (form_free). Returns 0, -EPROTO (the form
 * is not a comment form, or has no field CONSULT_COMMENT_FIELD of type longtext, or has
 * no room for the questions), or form_load's codes. */
int consult_comment_form(store *st, const char *form_id, const struct consultation *c,
                         form **ret);

/* The comment form on consultation CONSULT_ID as a visitor opens it on TODAY: the
 * content's first form of kind comment, made by consult_comment_form. Returns 0,
 * -EACCES (the consultation is not open on TODAY: no comment is taken), -ENOENT (no
 * such consultation, or no comment form), -EPROTO, or the store's codes. */
int consult_open_comment(store *st, const char *consult_id, const char *today, form **ret);

#endif
