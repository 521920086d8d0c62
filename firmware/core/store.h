/* store.h - the content store: read-only access to content.db for the screens.
 *
 * Everything returned is a plain struct the caller owns and frees with the matching
 * *_free function; no SQLite type leaks out, so ui/ and screens/ never see sqlite3.h.
 * Visitor-facing texts come in both languages (ktext), so a language switch needs no
 * new query. Load: a handful of queries per screen change, none per frame, except
 * store_services_page, which a scrolling list calls for each new page of 64 rows. */
#ifndef KIOSK_STORE_H
#define KIOSK_STORE_H

#include <stddef.h>
#include "i18n.h"

typedef struct store store;

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

struct hall {
    ktext name, address, hours, inquiry;
    char *phone, *region, *map_image;
    struct hall_window *windows;
    int n_windows;
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
};

struct announcement_list {
    struct announcement *items;
    int n;
};

/* Opens PATH read-only and checks its schema version. Returns 0, -ENOENT when the
 * file is missing, -EPROTO on a schema mismatch, -EIO otherwise; err names the cause. */
int store_open(const char *path, store **ret, char *err, size_t errlen);
void store_close(store *st); /* accepts NULL */

/* A meta value (schema_version, content_version, built_at, ...); NULL when absent.
 * You own the string. */
char *store_meta(store *st, const char *key);

int store_hall(store *st, struct hall *ret);
void hall_free(struct hall *h);

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

/* Announcements in force on DATE (YYYY-MM-DD), in order. */
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

void ktext_free(ktext *t);

#endif
