/* store.h - the content store: read-only access to content.db for the screens.
 *
 * Everything returned is a plain struct the caller owns and frees with the matching
 * *_free function; no SQLite type leaks out, so ui/ and screens/ never see sqlite3.h.
 * Visitor-facing texts come in both languages (ktext), so a language switch needs no
 * new query. Load: a handful of queries per screen change, none per frame, except
 * store_services_page, which a scrolling list calls for each new page of 64 rows.
 *
 * Errors: every function returns 0 or a negative errno, and an answer is whole or an
 * error, never silently short. -ENOENT: no such row. -EIO: SQLite failed (a locked,
 * missing or corrupt table), which screens report to the visitor as "something went
 * wrong" (the oops screen) rather than as an empty list. -E2BIG: a list longer than
 * STORE_MAX_LIST rows, or over a cap named below: only a corrupt or hostile content.db
 * gets there. On an error nothing is returned that needs freeing. */
#ifndef KIOSK_STORE_H
#define KIOSK_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include "i18n.h"

typedef struct store store;

/* The most rows one list returns, and the most rows a paged list counts: far beyond
 * any hall's content, a bound on what a broken content.db can make the kiosk allocate. */
#define STORE_MAX_LIST 100000

typedef struct ktext {
    char *s[LANG_COUNT]; /* [LANG_ZH], [LANG_EN]; never NULL once loaded, may be "" */
} ktext;
#define KT(t, lang) ((t).s[(lang)])

struct hall_window {
    char *id;
    ktext name;
    int floor;
    double x, y; /* position on the map image, fractions 0..1 */
};

struct hall_floor {
    int floor;
    char *map_image; /* an image of the store */
};

/* An official channel of the government: a QR code to scan (url) and/or a number to
 * call (phone); either may be "", never both. */
struct hall_channel {
    ktext name;
    char *url, *phone;
};

struct hall {
    ktext name, address, hours, inquiry;
    char *phone, *region;
    char *map_image;      /* floor 1's map in older content ("" if none): use hall_map */
    char *inquiry_window; /* the window id where the inquiry desk is; "" if not given */
    struct hall_window *windows;
    int n_windows;
    struct hall_floor *floors; /* the floors that have a map, by floor number */
    int n_floors;
    struct hall_channel *channels;
    int n_channels;
};

struct category {
    char *id, *kind, *icon; /* kind: life_event | department | audience */
    ktext name;
    int count; /* services in it */
};

struct category_list {
    struct category *items;
    int n;
};

/* one row of a service list: just what the row shows */
struct service_row {
    char *id;
    ktext name, agency;
    int visits;
    int free;
};

struct material {
    ktext name, condition, source;
    char *required, *form, *paper, *blank_url, *sample_url;
    int copies;
};

struct step {
    ktext title, text;
    char *kind; /* required | optional | alternative */
};

struct fee {
    ktext name, standard, basis;
    int waivable;
};

struct faq {
    ktext q, a;
};

struct service {
    char *id, *code, *type, *handling, *statutory_unit, *promised_unit, *online_depth,
        *online_url, *guide_url, *window_id, *phone_consult, *phone_complaint;
    ktext name, agency, summary, conditions, serves, location, hours, legal_basis;
    int statutory_value, promised_value, visits, appointment, free;
    struct material *materials;
    int n_materials;
    struct step *steps;
    int n_steps;
    struct fee *fees;
    int n_fees;
    struct faq *faqs;
    int n_faqs;
};

/* a cross-department "one thing" checklist: several services in order */
struct onething_step {
    char *service_id, *image;
    ktext service_name, agency, note;
};

struct onething {
    char *id, *image;
    char *url; /* the list's own page (its QR code); "" when the content gives none */
    ktext name, summary;
    struct onething_step *steps;
    int n_steps;
};

struct onething_list {
    struct onething *items; /* without steps */
    int n;
};

struct announcement {
    char *id;
    ktext title, body;
    ktext agency;       /* the publishing agency's name; empty when none */
    char published[11]; /* YYYY-MM-DD; "" when none */
    char ends[11];      /* the last day it is shown, YYYY-MM-DD */
    bool urgent;
};

struct announcement_list {
    struct announcement *items;
    int n;
};

/* Opens PATH read-only and checks its schema version. Returns 0, -ENOENT when the
 * file is missing, -EPROTO on a schema mismatch, -EIO otherwise; err names the cause. */
int store_open(const char *path, store **ret, char *err, size_t errlen);

/* SQLite's heap, all connections of the process together (page caches, schemas,
 * statements), in bytes: the memory bench's and the monkey's SQLite figure. */
size_t store_sqlite_bytes(void);
/* Sets SQLite's soft heap limit for the whole process (sqlite3_soft_heap_limit64):
 * past it, page caches recycle their pages instead of growing. */
void store_sqlite_limit(size_t bytes);
void store_close(store *st); /* accepts NULL */

/* A meta value (schema_version, content_version, built_at, ...); NULL when absent.
 * You own the string. */
char *store_meta(store *st, const char *key);

int store_hall(store *st, struct hall *ret);
void hall_free(struct hall *h);
/* The map image of FLOOR (a name for store_image), or NULL when the floor has none. */
const char *hall_map(const struct hall *h, int floor);
/* The window ID, or NULL when the hall has none of that id (ID may be NULL). */
const struct hall_window *hall_window_by_id(const struct hall *h, const char *id);

/* Categories of KIND (life_event, department, audience) in display order, each with
 * the number of services in it. */
int store_categories(store *st, const char *kind, struct category_list *ret);
int store_category_get(store *st, const char *id, struct category *ret);
void category_free(struct category *c);
void category_list_free(struct category_list *l);

/* The services of a category, in a stable order, OFFSET..OFFSET+N-1. *ret_n is how
 * many were filled (fewer at the end). Rows are freed with service_row_free. */
int store_services_count(store *st, const char *category_id, int *ret);
int store_services_page(store *st, const char *category_id, int offset, int n,
                        struct service_row *rows, int *ret_n);
void service_row_free(struct service_row *r);

/* One whole guide; -ENOENT when there is no such id. */
int store_service_get(store *st, const char *id, struct service **ret);
void service_free(struct service *s); /* accepts NULL */

/* The "one thing" checklists in order (names and summaries only), and one whole. */
int store_onethings(store *st, struct onething_list *ret);
void onething_list_free(struct onething_list *l);
int store_onething_get(store *st, const char *id, struct onething **ret);
void onething_free(struct onething *o); /* accepts NULL */

/* Announcements in force on DATE (YYYY-MM-DD: starts <= DATE <= ends), urgent ones
 * first, then the newest published, then in content order. */
int store_announcements(store *st, const char *date, struct announcement_list *ret);
void announcement_list_free(struct announcement_list *l);

/* The bytes of an image shipped in content; you own *ret_data. -ENOENT if absent. */
int store_image(store *st, const char *name, void **ret_data, size_t *ret_len);

/* The working-day calendar of REGION (hall.region): every year calendar_year lists and
 * every day calendar_day lists for it. You own *ret (workday_cal_free). Returns 0,
 * -ENOENT when REGION has no calendar year (count every deadline as an estimate),
 * -EPROTO on a row the calendar refuses (bad date or kind, a day of an uncovered year,
 * covered years over WORKDAY_MAX_YEARS apart), -E2BIG over the row cap, -EIO. */
struct workday_cal;
int store_calendar(store *st, const char *region, struct workday_cal **ret);

/* ---- forms (docs/content-format.md, "forms/<id>.json") -----------------------------
 * A form's definition as the content holds it; firmware/core/form.h runs it. */

#define STORE_FORM_MAX_STEPS 20
#define STORE_FORM_MAX_FIELDS 100
#define STORE_FORM_MAX_CHOICES 50

/* {"field": F, "in": [values]} (negate 0) or "not_in" (negate 1); field is "" and
 * n_values 0 when there is no condition. */
struct form_cond {
    char *field;
    int negate;
    char **values;
    int n_values;
};

struct form_choice {
    char *id;
    char *id_format; /* resident_id | residence_permit | foreign_pr | passport, or "" */
    ktext label;
};

struct form_field {
    char *id;
    char *type;      /* text | longtext | choice | multichoice | resident_id | id_number |
                        credit_code | phone | email | date | name | flag */
    char *keyboard;  /* pinyin | latin | numeric | id, or "" when nothing is typed */
    char *id_type_field; /* id_number: the choice field naming the document, else "" */
    ktext label, help;   /* help may be "" */
    int step;            /* index into form_def.steps */
    int required;        /* 1: always (when visible) */
    struct form_cond required_if; /* when set: required while it holds */
    struct form_cond visible_if;  /* when set: shown only while it holds */
    int max_len;         /* most characters (text, longtext, name), else 0 */
    int pii;             /* holds personal data */
    int one_of;          /* its at-least-one group, -1 for none */
    struct form_choice *choices;
    int n_choices;
};

struct form_step {
    char *id;
    ktext title;
};

struct form_def {
    char *id, *kind;     /* kind: request | feedback | rating | questionnaire */
    char *staff_help;    /* the flag field meaning "I need staff help", or "" */
    char *content_version; /* meta.content_version of the content it came from */
    ktext title, intro, privacy;
    struct form_cond follow_up; /* when it holds, the submission is flagged */
    struct form_step *steps;
    int n_steps;
    struct form_field *fields; /* in order, step by step */
    int n_fields;
};

struct form_row {
    char *id, *kind;
    ktext title;
};

struct form_list {
    struct form_row *items;
    int n;
};

/* The forms of KIND (NULL: every kind) in content order, id, kind and title only. */
int store_forms(store *st, const char *kind, struct form_list *ret);
void form_list_free(struct form_list *l);

/* One whole form; you own *ret (form_def_free). Returns 0, -ENOENT (no such form),
 * -E2BIG (over a STORE_FORM_MAX_* cap: a corrupt or hostile content.db), -EIO. */
int store_form_get(store *st, const char *id, struct form_def **ret);
void form_def_free(struct form_def *d); /* accepts NULL */

/* ---- the disclosure catalogue (docs/rules.md §2) ----------------------------------------
 *
 * Validity is a code (in_force | expired | repealed | amended) that the screens show
 * in words; expired, repealed and amended items are listed like any other, never left
 * out. Kind is normal | guide | annual_report | interpretation. */

#define STORE_DOC_MAX_BODY (1 << 20) /* bytes of one body in one language */

/* A topic, an agency or a year, with the number of documents in it. */
struct doc_count {
    char *id;               /* topic or agency id; a year as "2025" */
    ktext name;             /* topic name; agency full name; a year: "2025" in both */
    int count;
};

struct doc_count_list {
    struct doc_count *items;
    int n;
};

/* Every topic in content order, empty ones too (count 0). */
int store_doc_topics(store *st, struct doc_count_list *ret);
/* The agencies that published at least one document, in content order. */
int store_doc_agencies(store *st, struct doc_count_list *ret);
/* The years documents were published in, newest first. */
int store_doc_years(store *st, struct doc_count_list *ret);
void doc_count_list_free(struct doc_count_list *l);

/* Which documents a list shows: any combination; NULL or 0 for "any". */
struct doc_filter {
    const char *topic;      /* topic id */
    const char *agency;     /* agency id */
    int year;               /* year published */
};

/* one row of a document list: what the row shows */
struct doc_row {
    char *id, *published, *validity, *kind;
    ktext title, agency, doc_no; /* agency: its short name; doc_no "" when none */
};

/* The documents of a filter (NULL: all), newest published first (then by id),
 * OFFSET..OFFSET+N-1 into ROWS; *ret_n is how many were filled. */
int store_docs_count(store *st, const struct doc_filter *f, int *ret);
int store_docs_page(store *st, const struct doc_filter *f, int offset, int n,
                    struct doc_row *rows, int *ret_n);
void doc_row_free(struct doc_row *r);

struct doc_row_list {
    struct doc_row *items;
    int n;
};

/* The documents of KIND, newest first: "guide" for the disclosure guides and
 * "annual_report" for the annual reports, one tap from the catalogue. */
int store_docs_of_kind(store *st, const char *kind, struct doc_row_list *ret);
void doc_row_list_free(struct doc_row_list *l);

struct doc_attachment {
    ktext name;
    char *url, *size;       /* size as the source gives it: "1.2 MB" */
};

struct doc_link {
    char *id;
    ktext title;
};

struct doc {
    char *id, *index_no, *agency_id, *topic_id, *written, *published, *validity, *kind;
    ktext title, summary, agency, doc_no, topic, keywords, body; /* agency: full name */
    struct doc_attachment *attachments;
    int n_attachments;
    struct doc_link interprets;          /* the policy this interpretation explains;
                                          * id NULL when it is none */
    struct doc_link *interpretations;    /* the interpretations of this one, newest first */
    int n_interpretations;
};

/* One whole document; you own *ret (doc_free). Returns 0, -ENOENT (no such id),
 * -E2BIG (a body over STORE_DOC_MAX_BODY: a corrupt content.db), -EIO. */
int store_doc_get(store *st, const char *id, struct doc **ret);
void doc_free(struct doc *d); /* accepts NULL */

void ktext_free(ktext *t);


/* ---- public comment on drafts (docs/content-format.md, "consultations/<id>.json") ------
 *
 * A consultation: a draft put out for comment between opens and closes (both days
 * included), and, once closed, how the comments were taken up. Whether one is open
 * is a question of the kiosk's date: core/consult.h answers it. */

#define STORE_CONSULT_MAX_QUESTIONS 20
#define STORE_CONSULT_MAX_POINTS 500

/* one row of the list: what the row shows */
struct consult_row {
    char *id, *opens, *closes, *feedback_published; /* "" while no feedback */
    ktext title, agency;                            /* agency: its short name */
};

struct consult_row_list {
    struct consult_row *items;
    int n;
};

struct consult_point {
    ktext point, reason;
    char *outcome;          /* adopted | partly | not_adopted */
};

struct consultation {
    char *id, *agency_id, *opens, *closes, *feedback_published; /* "" while none */
    ktext title, agency, draft, explanation, feedback_summary;   /* agency: full name */
    ktext *questions;
    int n_questions;
    struct consult_point *points;
    int n_points;
};

/* Every consultation, the latest closing first (then by id); the screen orders open
 * ones first by the kiosk's date. */
int store_consults(store *st, struct consult_row_list *ret);
void consult_row_list_free(struct consult_row_list *l);
/* One whole consultation; you own *ret (consultation_free). 0, -ENOENT, -E2BIG (a
 * draft over STORE_DOC_MAX_BODY or over a cap above: a corrupt content.db), -EIO. */
int store_consult_get(store *st, const char *id, struct consultation **ret);
void consultation_free(struct consultation *c); /* accepts NULL */
/* The draft (WHICH "draft") or its explanation ("explanation") of consultation ID as a
 * document for the reader: its title, agency, the opening date as published, the
 * text as body; validity and kind "" (a draft is not in force). */
int store_consult_doc(store *st, const char *id, const char *which, struct doc **ret);

#endif
