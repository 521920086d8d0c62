/* store.c - see store.h. SQLite's STATIC/TRANSIENT rules are wrapped here once: every
 * text leaving this file is a fresh copy the caller owns. */
#include "store.h"
#include "content_schema.h"
#include "workday.h"
#include "base/util.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct store {
    sqlite3 *db;
};

/* caps on what one query may return, so a corrupt or hostile content.db cannot make
 * the kiosk allocate without bound: over them is -E2BIG (store.h), never a short list */
#define MAX_LIST STORE_MAX_LIST
#define MAX_IMAGE (8 * 1024 * 1024)

static char *col_str(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return xstrdup(t ? (const char *)t : "");
}

static ktext col_kt(sqlite3_stmt *s, int i)
{
    ktext t = {{col_str(s, i), col_str(s, i + 1)}};
    return t;
}

void ktext_free(ktext *t)
{
    for (int i = 0; i < LANG_COUNT; i++)
        freep(&t->s[i]);
}

static sqlite3_stmt *prep(store *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return NULL;
    return s;
}

/* The end of a read: SQLITE_DONE is the whole answer, anything else (a locked, missing
 * or corrupt table) an error, never the end of a list. */
static int step_end(int rc)
{
    return rc == SQLITE_DONE ? 0 : -EIO;
}

/* Finalises S after its one row was wanted and not found: -ENOENT when the answer was
 * empty, -EIO when SQLite failed. */
static int none_found(sqlite3_stmt *s, int rc)
{
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? -ENOENT : -EIO;
}

/* Steps S to its end and finalises it, appending each row, filled by FILL into a zeroed
 * element of ELEM bytes, to a growing array. *ret_arr and *ret_n get what was gathered
 * even on an error, for the caller's usual free function. 0 at SQLITE_DONE, -E2BIG over
 * MAX_LIST rows, -EIO on an SQLite error. */
static int collect(sqlite3_stmt *s, size_t elem, void (*fill)(sqlite3_stmt *, void *),
                   void *ret_arr, int *ret_n)
{
    char *arr = NULL;
    int n = 0, cap = 0, rc, r;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && n < MAX_LIST) {
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            arr = xrealloc(arr, (size_t)cap * elem);
        }
        memset(arr + (size_t)n * elem, 0, elem);
        fill(s, arr + (size_t)n * elem);
        n++;
    }
    r = rc == SQLITE_ROW ? -E2BIG : step_end(rc);
    sqlite3_finalize(s);
    memcpy(ret_arr, &arr, sizeof arr);
    *ret_n = n;
    return r;
}

int store_open(const char *path, store **ret, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    int r = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    if (r != SQLITE_OK) {
        snprintf(err, errlen, "%s: cannot open: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return r == SQLITE_CANTOPEN ? -ENOENT : -EIO;
    }
    store tmp = {db};
    sqlite3_stmt *s = prep(&tmp, "SELECT value FROM meta WHERE key='schema_version'");
    if (!s || sqlite3_step(s) != SQLITE_ROW) {
        snprintf(err, errlen, "%s: not a content database (no schema_version): %s", path,
                 sqlite3_errmsg(db));
        sqlite3_finalize(s);
        sqlite3_close(db);
        return -EPROTO;
    }
    int v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    if (v != CONTENT_SCHEMA_VERSION) {
        snprintf(err, errlen, "%s: content schema version %d, this kiosk reads version %d",
                 path, v, CONTENT_SCHEMA_VERSION);
        sqlite3_close(db);
        return -EPROTO;
    }
    /* screens read a few rows each; 1 MiB of pages holds every list and the open
     * document, where SQLite's default (2 MB) only filled up over a day's visitors */
    sqlite3_exec(db, "PRAGMA cache_size = -1024", NULL, NULL, NULL);
    store *st = xcalloc(1, sizeof *st);
    st->db = db;
    *ret = st;
    return 0;
}

size_t store_sqlite_bytes(void)
{
    sqlite3_int64 n = sqlite3_memory_used();
    return n > 0 ? (size_t)n : 0;
}

void store_sqlite_limit(size_t bytes)
{
    sqlite3_soft_heap_limit64((sqlite3_int64)bytes);
}

void store_close(store *st)
{
    if (!st)
        return;
    sqlite3_close(st->db);
    free(st);
}

char *store_meta(store *st, const char *key)
{
    sqlite3_stmt *s = prep(st, "SELECT value FROM meta WHERE key=?");
    char *v = NULL;
    if (!s)
        return NULL;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW)
        v = col_str(s, 0);
    sqlite3_finalize(s);
    return v;
}

static void fill_window(sqlite3_stmt *s, void *p)
{
    struct hall_window *w = p;
    w->id = col_str(s, 0);
    w->name = col_kt(s, 1);
    w->floor = sqlite3_column_int(s, 3);
    w->x = sqlite3_column_double(s, 4);
    w->y = sqlite3_column_double(s, 5);
}

static void fill_floor(sqlite3_stmt *s, void *p)
{
    struct hall_floor *f = p;
    f->floor = sqlite3_column_int(s, 0);
    f->map_image = col_str(s, 1);
}

static void fill_channel(sqlite3_stmt *s, void *p)
{
    struct hall_channel *c = p;
    c->name = col_kt(s, 0);
    c->url = col_str(s, 2);
    c->phone = col_str(s, 3);
}

int store_hall(store *st, struct hall *ret)
{
    struct hall h = {0};
    sqlite3_stmt *s = prep(st, "SELECT name_zh,name_en,address_zh,address_en,hours_zh,"
                               "hours_en,inquiry_zh,inquiry_en,phone,region,map_image,inquiry_window FROM hall");
    if (!s)
        return -EIO;
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return none_found(s, rc);
    h.name = col_kt(s, 0);
    h.address = col_kt(s, 2);
    h.hours = col_kt(s, 4);
    h.inquiry = col_kt(s, 6);
    h.phone = col_str(s, 8);
    h.region = col_str(s, 9);
    h.map_image = col_str(s, 10);
    h.inquiry_window = col_str(s, 11);
    sqlite3_finalize(s);
    s = prep(st, "SELECT id,name_zh,name_en,floor,x,y FROM hall_window ORDER BY id");
    if (!s) {
        hall_free(&h);
        return -EIO;
    }
    if ((rc = collect(s, sizeof *h.windows, fill_window, &h.windows, &h.n_windows)) < 0) {
        hall_free(&h);
        return rc;
    }
    s = prep(st, "SELECT floor,map_image FROM hall_floor ORDER BY floor");
    if (!s || (rc = collect(s, sizeof *h.floors, fill_floor, &h.floors, &h.n_floors)) < 0) {
        hall_free(&h);
        return s ? rc : -EIO;
    }
    s = prep(st, "SELECT name_zh,name_en,url,phone FROM hall_channel ORDER BY seq");
    if (!s || (rc = collect(s, sizeof *h.channels, fill_channel, &h.channels, &h.n_channels)) < 0) {
        hall_free(&h);
        return s ? rc : -EIO;
    }
    *ret = h;
    return 0;
}

void hall_free(struct hall *h)
{
    ktext_free(&h->name);
    ktext_free(&h->address);
    ktext_free(&h->hours);
    ktext_free(&h->inquiry);
    freep(&h->phone);
    freep(&h->region);
    freep(&h->map_image);
    for (int i = 0; i < h->n_windows; i++) {
        free(h->windows[i].id);
        ktext_free(&h->windows[i].name);
    }
    freep(&h->windows);
    h->n_windows = 0;
    freep(&h->inquiry_window);
    for (int i = 0; i < h->n_floors; i++)
        free(h->floors[i].map_image);
    freep(&h->floors);
    h->n_floors = 0;
    for (int i = 0; i < h->n_channels; i++) {
        ktext_free(&h->channels[i].name);
        free(h->channels[i].url);
        free(h->channels[i].phone);
    }
    freep(&h->channels);
    h->n_channels = 0;
}

const char *hall_map(const struct hall *h, int floor)
{
    for (int i = 0; i < h->n_floors; i++)
        if (h->floors[i].floor == floor && *h->floors[i].map_image)
            return h->floors[i].map_image;
    if (floor == 1 && h->map_image && *h->map_image)
        return h->map_image;
    return NULL;
}

const struct hall_window *hall_window_by_id(const struct hall *h, const char *id)
{
    for (int i = 0; id && i < h->n_windows; i++)
        if (strcmp(h->windows[i].id, id) == 0)
            return &h->windows[i];
    return NULL;
}

static void read_category(sqlite3_stmt *s, void *p)
{
    struct category *c = p;
    c->id = col_str(s, 0);
    c->kind = col_str(s, 1);
    c->icon = col_str(s, 2);
    c->name = col_kt(s, 3);
    c->count = sqlite3_column_int(s, 5);
}

#define CATEGORY_SELECT                                                                  \
    "SELECT c.id,c.kind,c.icon,c.name_zh,c.name_en,"                                     \
    "(SELECT count(*) FROM service_category sc WHERE sc.category_id=c.id) FROM category c "

int store_categories(store *st, const char *kind, struct category_list *ret)
{
    struct category_list l = {0};
    sqlite3_stmt *s = prep(st, CATEGORY_SELECT "WHERE c.kind=? ORDER BY c.sort, c.id");
    if (!s)
        return -EIO;
    sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
    int r = collect(s, sizeof *l.items, read_category, &l.items, &l.n);
    if (r < 0) {
        category_list_free(&l);
        return r;
    }
    *ret = l;
    return 0;
}

int store_category_get(store *st, const char *id, struct category *ret)
{
    sqlite3_stmt *s = prep(st, CATEGORY_SELECT "WHERE c.id=?");
    if (!s)
        return -EIO;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return none_found(s, rc);
    read_category(s, ret);
    sqlite3_finalize(s);
    return 0;
}

void category_free(struct category *c)
{
    freep(&c->id);
    freep(&c->kind);
    freep(&c->icon);
    ktext_free(&c->name);
}

void category_list_free(struct category_list *l)
{
    for (int i = 0; i < l->n; i++)
        category_free(&l->items[i]);
    freep(&l->items);
    l->n = 0;
}

int store_services_count(store *st, const char *category_id, int *ret)
{
    sqlite3_stmt *s = prep(st, "SELECT count(*) FROM service_category WHERE category_id=?");
    if (!s)
        return -EIO;
    sqlite3_bind_text(s, 1, category_id, -1, SQLITE_STATIC);
    int r = -EIO;
    if (sqlite3_step(s) == SQLITE_ROW) {
        int n = sqlite3_column_int(s, 0);
        *ret = n;
        r = n > MAX_LIST ? -E2BIG : 0;
    }
    sqlite3_finalize(s);
    return r;
}

int store_services_page(store *st, const char *category_id, int offset, int n,
                        struct service_row *rows, int *ret_n)
{
    /* the (category_id, service_id) primary key orders the page without a sort */
    sqlite3_stmt *s = prep(st, "SELECT s.id,s.name_zh,s.name_en,a.short_zh,a.short_en,"
                               "s.visits,s.free FROM service_category sc "
                               "JOIN service s ON s.id=sc.service_id "
                               "JOIN agency a ON a.id=s.agency_id "
                               "WHERE sc.category_id=? ORDER BY sc.service_id LIMIT ? OFFSET ?");
    if (!s)
        return -EIO;
    sqlite3_bind_text(s, 1, category_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, n);
    sqlite3_bind_int(s, 3, offset);
    int k = 0, rc = SQLITE_DONE;
    while (k < n && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct service_row *r = &rows[k++];
        r->id = col_str(s, 0);
        r->name = col_kt(s, 1);
        r->agency = col_kt(s, 3);
        r->visits = sqlite3_column_int(s, 5);
        r->free = sqlite3_column_int(s, 6);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        while (k > 0)
            service_row_free(&rows[--k]);
        *ret_n = 0;
        return -EIO;
    }
    *ret_n = k;
    return 0;
}

void service_row_free(struct service_row *r)
{
    freep(&r->id);
    ktext_free(&r->name);
    ktext_free(&r->agency);
}

/* Runs SQL with ?1 = ID and collects its rows (collect above). */
static int load_children(store *st, const char *sql, const char *id, size_t elem,
                         void *ret_arr, int *ret_n, void (*fill)(sqlite3_stmt *, void *))
{
    sqlite3_stmt *s = prep(st, sql);
    if (!s)
        return -EIO;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    return collect(s, elem, fill, ret_arr, ret_n);
}

static void fill_material(sqlite3_stmt *s, void *p)
{
    struct material *m = p;
    m->name = col_kt(s, 0);
    m->required = col_str(s, 2);
    m->condition = col_kt(s, 3);
    m->form = col_str(s, 5);
    m->copies = sqlite3_column_int(s, 6);
    m->paper = col_str(s, 7);
    m->source = col_kt(s, 8);
    m->blank_url = col_str(s, 10);
    m->sample_url = col_str(s, 11);
}

static void fill_step(sqlite3_stmt *s, void *p)
{
    struct step *x = p;
    x->title = col_kt(s, 0);
    x->text = col_kt(s, 2);
    x->kind = col_str(s, 4);
}

static void fill_fee(sqlite3_stmt *s, void *p)
{
    struct fee *f = p;
    f->name = col_kt(s, 0);
    f->standard = col_kt(s, 2);
    f->basis = col_kt(s, 4);
    f->waivable = sqlite3_column_int(s, 6);
}

static void fill_faq(sqlite3_stmt *s, void *p)
{
    struct faq *f = p;
    f->q = col_kt(s, 0);
    f->a = col_kt(s, 2);
}

int store_service_get(store *st, const char *id, struct service **ret)
{
    sqlite3_stmt *s = prep(st,
        "SELECT s.id,s.code,s.type,s.handling,s.statutory_unit,s.promised_unit,"
        "s.online_depth,s.online_url,s.guide_url,s.window_id,s.phone_consult,"
        "s.phone_complaint,s.name_zh,s.name_en,a.name_zh,a.name_en,s.summary_zh,"
        "s.summary_en,s.conditions_zh,s.conditions_en,s.serves_zh,s.serves_en,"
        "s.location_zh,s.location_en,s.hours_zh,s.hours_en,s.legal_basis_zh,"
        "s.legal_basis_en,s.statutory_value,s.promised_value,s.visits,s.appointment,"
        "s.free FROM service s JOIN agency a ON a.id=s.agency_id WHERE s.id=?");
    if (!s)
        return -EIO;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    if (r != SQLITE_ROW)
        return none_found(s, r);
    struct service *v = xcalloc(1, sizeof *v);
    char **strs[] = {&v->id, &v->code, &v->type, &v->handling, &v->statutory_unit,
                     &v->promised_unit, &v->online_depth, &v->online_url, &v->guide_url,
                     &v->window_id, &v->phone_consult, &v->phone_complaint};
    for (size_t i = 0; i < ARRAY_SIZE(strs); i++)
        *strs[i] = col_str(s, (int)i);
    ktext *kts[] = {&v->name, &v->agency, &v->summary, &v->conditions, &v->serves,
                    &v->location, &v->hours, &v->legal_basis};
    for (size_t i = 0; i < ARRAY_SIZE(kts); i++)
        *kts[i] = col_kt(s, 12 + 2 * (int)i);
    v->statutory_value = sqlite3_column_int(s, 28);
    v->promised_value = sqlite3_column_int(s, 29);
    v->visits = sqlite3_column_int(s, 30);
    v->appointment = sqlite3_column_int(s, 31);
    v->free = sqlite3_column_int(s, 32);
    sqlite3_finalize(s);

    r = load_children(st,
        "SELECT name_zh,name_en,required,condition_zh,condition_en,form,copies,paper,"
        "source_zh,source_en,blank_url,sample_url FROM material WHERE service_id=?1 ORDER BY seq",
        id, sizeof *v->materials, &v->materials, &v->n_materials, fill_material);
    if (!r)
        r = load_children(st,
            "SELECT title_zh,title_en,text_zh,text_en,kind FROM step WHERE service_id=?1 "
            "ORDER BY seq",
            id, sizeof *v->steps, &v->steps, &v->n_steps, fill_step);
    if (!r)
        r = load_children(st,
            "SELECT name_zh,name_en,standard_zh,standard_en,basis_zh,basis_en,waivable "
            "FROM fee WHERE service_id=?1 ORDER BY seq",
            id, sizeof *v->fees, &v->fees, &v->n_fees, fill_fee);
    if (!r)
        r = load_children(st,
            "SELECT q_zh,q_en,a_zh,a_en FROM faq WHERE service_id=?1 ORDER BY seq",
            id, sizeof *v->faqs, &v->faqs, &v->n_faqs, fill_faq);
    if (r < 0) {
        service_free(v);
        return r;
    }
    *ret = v;
    return 0;
}

void service_free(struct service *v)
{
    if (!v)
        return;
    char **strs[] = {&v->id, &v->code, &v->type, &v->handling, &v->statutory_unit,
                     &v->promised_unit, &v->online_depth, &v->online_url, &v->guide_url,
                     &v->window_id, &v->phone_consult, &v->phone_complaint};
    for (size_t i = 0; i < ARRAY_SIZE(strs); i++)
        freep(strs[i]);
    ktext *kts[] = {&v->name, &v->agency, &v->summary, &v->conditions, &v->serves,
                    &v->location, &v->hours, &v->legal_basis};
    for (size_t i = 0; i < ARRAY_SIZE(kts); i++)
        ktext_free(kts[i]);
    for (int i = 0; i < v->n_materials; i++) {
        struct material *m = &v->materials[i];
        ktext_free(&m->name);
        ktext_free(&m->condition);
        ktext_free(&m->source);
        free(m->required);
        free(m->form);
        free(m->paper);
        free(m->blank_url);
        free(m->sample_url);
    }
    for (int i = 0; i < v->n_steps; i++) {
        ktext_free(&v->steps[i].title);
        ktext_free(&v->steps[i].text);
        free(v->steps[i].kind);
    }
    for (int i = 0; i < v->n_fees; i++) {
        ktext_free(&v->fees[i].name);
        ktext_free(&v->fees[i].standard);
        ktext_free(&v->fees[i].basis);
    }
    for (int i = 0; i < v->n_faqs; i++) {
        ktext_free(&v->faqs[i].q);
        ktext_free(&v->faqs[i].a);
    }
    free(v->materials);
    free(v->steps);
    free(v->fees);
    free(v->faqs);
    free(v);
}

static void onething_fields_free(struct onething *o)
{
    freep(&o->id);
    freep(&o->image);
    freep(&o->url);
    ktext_free(&o->name);
    ktext_free(&o->summary);
}

/* id, image, name, summary, url: the head of a "one thing" */
static void fill_onething(sqlite3_stmt *s, void *p)
{
    struct onething *o = p;
    o->id = col_str(s, 0);
    o->image = col_str(s, 1);
    o->name = col_kt(s, 2);
    o->summary = col_kt(s, 4);
    o->url = col_str(s, 6);
}

int store_onethings(store *st, struct onething_list *ret)
{
    struct onething_list l = {0};
    sqlite3_stmt *s = prep(st, "SELECT id,image,name_zh,name_en,summary_zh,summary_en,url "
                               "FROM onething ORDER BY sort, id");
    if (!s)
        return -EIO;
    int r = collect(s, sizeof *l.items, fill_onething, &l.items, &l.n);
    if (r < 0) {
        onething_list_free(&l);
        return r;
    }
    *ret = l;
    return 0;
}

void onething_list_free(struct onething_list *l)
{
    for (int i = 0; i < l->n; i++)
        onething_fields_free(&l->items[i]);
    freep(&l->items);
    l->n = 0;
}

static void fill_onething_step(sqlite3_stmt *s, void *p)
{
    struct onething_step *x = p;
    x->service_id = col_str(s, 0);
    x->image = col_str(s, 1);
    x->service_name = col_kt(s, 2);
    x->agency = col_kt(s, 4);
    x->note = col_kt(s, 6);
}

int store_onething_get(store *st, const char *id, struct onething **ret)
{
    sqlite3_stmt *s = prep(st, "SELECT id,image,name_zh,name_en,summary_zh,summary_en,url "
                               "FROM onething WHERE id=?");
    if (!s)
        return -EIO;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    if (r != SQLITE_ROW)
        return none_found(s, r);
    struct onething *o = xcalloc(1, sizeof *o);
    fill_onething(s, o);
    sqlite3_finalize(s);
    r = load_children(st,
        "SELECT t.service_id,t.image,s.name_zh,s.name_en,a.short_zh,a.short_en,t.note_zh,"
        "t.note_en FROM onething_step t JOIN service s ON s.id=t.service_id "
        "JOIN agency a ON a.id=s.agency_id WHERE t.onething_id=?1 ORDER BY t.seq",
        id, sizeof *o->steps, &o->steps, &o->n_steps, fill_onething_step);
    if (r < 0) {
        onething_free(o);
        return r;
    }
    *ret = o;
    return 0;
}

void onething_free(struct onething *o)
{
    if (!o)
        return;
    onething_fields_free(o);
    for (int i = 0; i < o->n_steps; i++) {
        struct onething_step *x = &o->steps[i];
        free(x->service_id);
        free(x->image);
        ktext_free(&x->service_name);
        ktext_free(&x->agency);
        ktext_free(&x->note);
    }
    free(o->steps);
    free(o);
}

static void fill_announcement(sqlite3_stmt *s, void *p)
{
    struct announcement *a = p;
    a->id = col_str(s, 0);
    a->title = col_kt(s, 1);
    a->body = col_kt(s, 3);
    a->agency = col_kt(s, 5);
    snprintf(a->published, sizeof a->published, "%s", (const char *)sqlite3_column_text(s, 7));
    snprintf(a->ends, sizeof a->ends, "%s", (const char *)sqlite3_column_text(s, 8));
    a->urgent = sqlite3_column_int(s, 9) != 0;
}

int store_announcements(store *st, const char *date, struct announcement_list *ret)
{
    struct announcement_list l = {0};
    sqlite3_stmt *s = prep(st, "SELECT n.id, n.title_zh, n.title_en, n.body_zh, n.body_en,"
                               " coalesce(g.name_zh, ''), coalesce(g.name_en, ''), n.published,"
                               " n.ends, n.priority = 'urgent' AS urgent"
                               " FROM announcement n LEFT JOIN agency g ON g.id = n.agency_id"
                               " WHERE n.starts <= ?1 AND n.ends >= ?1"
                               " ORDER BY urgent DESC, n.published DESC, n.sort, n.id");
    if (!s)
        return -EIO;
    sqlite3_bind_text(s, 1, date, -1, SQLITE_STATIC);
    int r = collect(s, sizeof *l.items, fill_announcement, &l.items, &l.n);
    if (r < 0) {
        announcement_list_free(&l);
        return r;
    }
    *ret = l;
    return 0;
}

void announcement_list_free(struct announcement_list *l)
{
    for (int i = 0; i < l->n; i++) {
        free(l->items[i].id);
        ktext_free(&l->items[i].title);
        ktext_free(&l->items[i].body);
        ktext_free(&l->items[i].agency);
    }
    freep(&l->items);
    l->n = 0;
}

int store_image(store *st, const char *name, void **ret_data, size_t *ret_len)
{
    sqlite3_stmt *s = prep(st, "SELECT data FROM image WHERE name=?");
    if (!s)
        return -EIO;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s), r = rc == SQLITE_DONE ? -ENOENT : -EIO;
    if (rc == SQLITE_ROW) {
        int n = sqlite3_column_bytes(s, 0);
        if (n > MAX_IMAGE) {
            r = -EFBIG;
        } else {
            void *d = xmalloc((size_t)n);
            memcpy(d, sqlite3_column_blob(s, 0), (size_t)n);
            *ret_data = d;
            *ret_len = (size_t)n;
            r = 0;
        }
    }
    sqlite3_finalize(s);
    return r;
}

int store_calendar(store *st, const char *region, struct workday_cal **ret)
{
    /* a full calendar lists every day of WORKDAY_MAX_YEARS years at the very most */
    enum { MAX_DAYS = WORKDAY_MAX_YEARS * 366 };
    sqlite3_stmt *s = prep(st, "SELECT year FROM calendar_year WHERE region=? ORDER BY year");
    if (!s)
        return -EIO;
    sqlite3_bind_text(s, 1, region, -1, SQLITE_STATIC);
    struct workday_cal *cal = workday_cal_new(region);
    int r = 0, n = 0, step = SQLITE_DONE;
    while (!r && (step = sqlite3_step(s)) == SQLITE_ROW) {
        if (++n > WORKDAY_MAX_YEARS)
            r = -E2BIG;
        else if (workday_cal_add_year(cal, sqlite3_column_int(s, 0)) < 0)
            r = -EPROTO;
    }
    if (!r && step != SQLITE_DONE)
        r = -EIO;
    sqlite3_finalize(s);
    if (!r && n == 0)
        r = -ENOENT;
    if (r)
        goto out;

    s = prep(st, "SELECT date,kind FROM calendar_day WHERE region=? ORDER BY date");
    if (!s) {
        r = -EIO;
        goto out;
    }
    sqlite3_bind_text(s, 1, region, -1, SQLITE_STATIC);
    n = 0;
    while (!r && (step = sqlite3_step(s)) == SQLITE_ROW) {
        const char *date = (const char *)sqlite3_column_text(s, 0);
        const char *kind = (const char *)sqlite3_column_text(s, 1);
        int k = !kind ? 0 : strcmp(kind, "holiday") == 0 ? WORKDAY_HOLIDAY
                          : strcmp(kind, "workday") == 0 ? WORKDAY_MAKEUP : 0;
        if (++n > MAX_DAYS)
            r = -E2BIG;
        else if (!k || workday_cal_add_day(cal, date, k) < 0)
            r = -EPROTO;
    }
    if (!r && step != SQLITE_DONE)
        r = -EIO;
    sqlite3_finalize(s);
out:
    if (r) {
        workday_cal_free(cal);
        return r;
    }
    *ret = cal;
    return 0;
}

/* ---- forms ------------------------------------------------------------------------- */

static void form_cond_free(struct form_cond *c)
{
    freep(&c->field);
    for (int i = 0; i < c->n_values; i++)
        free(c->values[i]);
    freep(&c->values);
    c->n_values = 0;
}

/* A condition from its three columns; "" field: none. */
static int col_cond(sqlite3_stmt *s, int i, struct form_cond *ret)
{
    struct form_cond c = {0};
    const char *op = (const char *)sqlite3_column_text(s, i + 1);
    const char *values = (const char *)sqlite3_column_text(s, i + 2);
    c.field = col_str(s, i);
    if (!*c.field) {
        *ret = c;
        return 0;
    }
    if (!op || !values || (strcmp(op, "in") != 0 && strcmp(op, "not_in") != 0)) {
        free(c.field);
        return -EPROTO;
    }
    c.negate = strcmp(op, "not_in") == 0;
    for (const char *p = values; *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (c.n_values == STORE_FORM_MAX_CHOICES) {
            form_cond_free(&c);
            return -E2BIG;
        }
        c.values = xrealloc(c.values, (size_t)(c.n_values + 1) * sizeof *c.values);
        c.values[c.n_values++] = xstrndup(p, n);
        p += n + (end ? 1 : 0);
    }
    *ret = c;
    return 0;
}

static void fill_form_row(sqlite3_stmt *s, void *p)
{
    struct form_row *f = p;
    f->id = col_str(s, 0);
    f->kind = col_str(s, 1);
    f->title = col_kt(s, 2);
}

int store_forms(store *st, const char *kind, struct form_list *ret)
{
    struct form_list l = {0};
    sqlite3_stmt *s = prep(st, "SELECT id,kind,title_zh,title_en FROM form "
                               "WHERE ?1 IS NULL OR kind=?1 ORDER BY sort, id");
    if (!s)
        return -EIO;
    sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
    int r = collect(s, sizeof *l.items, fill_form_row, &l.items, &l.n);
    if (r < 0) {
        form_list_free(&l);
        return r;
    }
    *ret = l;
    return 0;
}

void form_list_free(struct form_list *l)
{
    for (int i = 0; i < l->n; i++) {
        free(l->items[i].id);
        free(l->items[i].kind);
        ktext_free(&l->items[i].title);
    }
    freep(&l->items);
    l->n = 0;
}

static int form_load_steps(store *st, struct form_def *d)
{
    sqlite3_stmt *s = prep(st, "SELECT id,title_zh,title_en FROM form_step WHERE form_id=? "
                               "ORDER BY seq");
    int r = 0, rc = SQLITE_DONE;
    if (!s)
        return -EIO;
    sqlite3_bind_text(s, 1, d->id, -1, SQLITE_STATIC);
    d->steps = xcalloc(STORE_FORM_MAX_STEPS, sizeof *d->steps);
    while (!r && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (d->n_steps == STORE_FORM_MAX_STEPS) {
            r = -E2BIG;
            break;
        }
        struct form_step *x = &d->steps[d->n_steps++];
        x->id = col_str(s, 0);
        x->title = col_kt(s, 1);
    }
    if (!r)
        r = step_end(rc);
    sqlite3_finalize(s);
    return r;
}

static int form_load_choices(store *st, const char *form_id, int field_seq,
                             struct form_field *f)
{
    sqlite3_stmt *s = prep(st, "SELECT id,id_format,label_zh,label_en FROM form_choice "
                               "WHERE form_id=? AND field_seq=? ORDER BY seq");
    int r = 0, rc = SQLITE_DONE;
    if (!s)
        return -EIO;
    sqlite3_bind_text(s, 1, form_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, field_seq);
    while (!r && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (f->n_choices == STORE_FORM_MAX_CHOICES) {
            r = -E2BIG;
            break;
        }
        if (!f->choices)
            f->choices = xcalloc(STORE_FORM_MAX_CHOICES, sizeof *f->choices);
        struct form_choice *c = &f->choices[f->n_choices++];
        c->id = col_str(s, 0);
        c->id_format = col_str(s, 1);
        c->label = col_kt(s, 2);
    }
    if (!r)
        r = step_end(rc);
    sqlite3_finalize(s);
    return r;
}

static int form_load_fields(store *st, struct form_def *d)
{
    sqlite3_stmt *s = prep(st,
        "SELECT seq,step,id,type,keyboard,id_type_field,label_zh,label_en,help_zh,help_en,"
        "required,required_field,required_op,required_values,visible_field,visible_op,"
        "visible_values,max_len,pii,one_of FROM form_field WHERE form_id=? ORDER BY seq");
    int r = 0, rc = SQLITE_DONE;
    if (!s)
        return -EIO;
    sqlite3_bind_text(s, 1, d->id, -1, SQLITE_STATIC);
    d->fields = xcalloc(STORE_FORM_MAX_FIELDS, sizeof *d->fields);
    while (!r && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (d->n_fields == STORE_FORM_MAX_FIELDS) {
            r = -E2BIG;
            break;
        }
        struct form_field *f = &d->fields[d->n_fields++];
        int seq = sqlite3_column_int(s, 0);
        const char *req = (const char *)sqlite3_column_text(s, 10);
        f->step = sqlite3_column_int(s, 1);
        f->id = col_str(s, 2);
        f->type = col_str(s, 3);
        f->keyboard = col_str(s, 4);
        f->id_type_field = col_str(s, 5);
        f->label = col_kt(s, 6);
        f->help = col_kt(s, 8);
        f->required = req && strcmp(req, "yes") == 0;
        f->max_len = sqlite3_column_int(s, 17);
        f->pii = sqlite3_column_int(s, 18);
        f->one_of = sqlite3_column_int(s, 19);
        r = col_cond(s, 11, &f->required_if);
        if (!r)
            r = col_cond(s, 14, &f->visible_if);
        if (!r && req && strcmp(req, "if") == 0 && !*f->required_if.field)
            r = -EPROTO;
        if (!r && (f->step < 0 || f->step >= d->n_steps))
            r = -EPROTO;
        if (!r)
            r = form_load_choices(st, d->id, seq, f);
    }
    if (!r)
        r = step_end(rc);
    sqlite3_finalize(s);
    return r;
}

int store_form_get(store *st, const char *id, struct form_def **ret)
{
    sqlite3_stmt *s = prep(st, "SELECT id,kind,staff_help,title_zh,title_en,intro_zh,intro_en,"
                               "privacy_zh,privacy_en,follow_up_field,follow_up_op,"
                               "follow_up_values FROM form WHERE id=?");
    if (!s)
        return -EIO;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return none_found(s, rc);
    struct form_def *d = xcalloc(1, sizeof *d);
    d->id = col_str(s, 0);
    d->kind = col_str(s, 1);
    d->staff_help = col_str(s, 2);
    d->title = col_kt(s, 3);
    d->intro = col_kt(s, 5);
    d->privacy = col_kt(s, 7);
    int r = col_cond(s, 9, &d->follow_up);
    sqlite3_finalize(s);
    d->content_version = store_meta(st, "content_version");
    if (!d->content_version)
        d->content_version = xstrdup("");
    if (!r)
        r = form_load_steps(st, d);
    if (!r)
        r = form_load_fields(st, d);
    if (!r && (d->n_steps == 0 || d->n_fields == 0))
        r = -EPROTO;
    if (r) {
        form_def_free(d);
        return r;
    }
    *ret = d;
    return 0;
}

void form_def_free(struct form_def *d)
{
    if (!d)
        return;
    free(d->id);
    free(d->kind);
    free(d->staff_help);
    free(d->content_version);
    ktext_free(&d->title);
    ktext_free(&d->intro);
    ktext_free(&d->privacy);
    form_cond_free(&d->follow_up);
    for (int i = 0; i < d->n_steps; i++) {
        free(d->steps[i].id);
        ktext_free(&d->steps[i].title);
    }
    free(d->steps);
    for (int i = 0; i < d->n_fields; i++) {
        struct form_field *f = &d->fields[i];
        free(f->id);
        free(f->type);
        free(f->keyboard);
        free(f->id_type_field);
        ktext_free(&f->label);
        ktext_free(&f->help);
        form_cond_free(&f->required_if);
        form_cond_free(&f->visible_if);
        for (int k = 0; k < f->n_choices; k++) {
            free(f->choices[k].id);
            free(f->choices[k].id_format);
            ktext_free(&f->choices[k].label);
        }
        free(f->choices);
    }
    free(d->fields);
    free(d);
}

/* ---- the disclosure catalogue ------------------------------------------------------- */

static void fill_count(sqlite3_stmt *s, void *p)
{
    struct doc_count *c = p;
    c->id = col_str(s, 0);
    c->name = col_kt(s, 1);
    c->count = sqlite3_column_int(s, 3);
}

/* a year is its own name; screens dress it from their string table (docs.year) */
static void fill_year_count(sqlite3_stmt *s, void *p)
{
    struct doc_count *c = p;
    c->id = col_str(s, 0);
    c->name.s[LANG_ZH] = xstrdup(c->id);
    c->name.s[LANG_EN] = xstrdup(c->id);
    c->count = sqlite3_column_int(s, 3);
}

static int count_list(store *st, const char *sql, struct doc_count_list *ret, int year_names)
{
    struct doc_count_list l = {0};
    sqlite3_stmt *s = prep(st, sql);
    if (!s)
        return -EIO;
    int r = collect(s, sizeof *l.items, year_names ? fill_year_count : fill_count, &l.items,
                    &l.n);
    if (r < 0) {
        doc_count_list_free(&l);
        return r;
    }
    *ret = l;
    return 0;
}

int store_doc_topics(store *st, struct doc_count_list *ret)
{
    return count_list(st, "SELECT t.id, t.name_zh, t.name_en,"
                          " (SELECT count(*) FROM doc d WHERE d.topic_id = t.id)"
                          " FROM doc_topic t ORDER BY t.sort, t.id", ret, 0);
}

int store_doc_agencies(store *st, struct doc_count_list *ret)
{
    return count_list(st, "SELECT a.id, a.name_zh, a.name_en, count(*) FROM agency a"
                          " JOIN doc d ON d.agency_id = a.id GROUP BY a.id"
                          " ORDER BY a.sort, a.id", ret, 0);
}

int store_doc_years(store *st, struct doc_count_list *ret)
{
    return count_list(st, "SELECT substr(published, 1, 4) AS y, NULL, NULL, count(*)"
                          " FROM doc GROUP BY y ORDER BY y DESC", ret, 1);
}

void doc_count_list_free(struct doc_count_list *l)
{
    for (int i = 0; i < l->n; i++) {
        free(l->items[i].id);
        ktext_free(&l->items[i].name);
    }
    freep(&l->items);
    l->n = 0;
}

#define DOC_ROW_SELECT                                                                   \
    "SELECT d.id, d.published, d.validity, d.kind, d.title_zh, d.title_en, a.short_zh,"  \
    " a.short_en, d.doc_no_zh, d.doc_no_en FROM doc d JOIN agency a ON a.id = d.agency_id "

static void read_doc_row(sqlite3_stmt *s, void *p)
{
    struct doc_row *r = p;
    r->id = col_str(s, 0);
    r->published = col_str(s, 1);
    r->validity = col_str(s, 2);
    r->kind = col_str(s, 3);
    r->title = col_kt(s, 4);
    r->agency = col_kt(s, 6);
    r->doc_no = col_kt(s, 8);
}

void doc_row_free(struct doc_row *r)
{
    freep(&r->id);
    freep(&r->published);
    freep(&r->validity);
    freep(&r->kind);
    ktext_free(&r->title);
    ktext_free(&r->agency);
    ktext_free(&r->doc_no);
}

/* "WHERE ..." for a filter, and its values bound from ?1 on: the SQL differs by which
 * fields are set, so each combination keeps its index (topic, agency, published). */
static void doc_where(const struct doc_filter *f, char *sql, size_t n)
{
    const char *and = "WHERE";
    size_t o = 0;
    int k = 1;
    sql[0] = '\0';
    if (!f)
        return;
    if (f->topic) {
        o += (size_t)snprintf(sql + o, n - o, "%s d.topic_id = ?%d ", and, k++);
        and = "AND";
    }
    if (f->agency) {
        o += (size_t)snprintf(sql + o, n - o, "%s d.agency_id = ?%d ", and, k++);
        and = "AND";
    }
    if (f->year)
        snprintf(sql + o, n - o, "%s d.published >= ?%d AND d.published < ?%d ", and, k, k + 1);
}

static int doc_bind(sqlite3_stmt *s, const struct doc_filter *f)
{
    int k = 1;
    char from[24], to[24];
    if (!f)
        return k;
    if (f->topic)
        sqlite3_bind_text(s, k++, f->topic, -1, SQLITE_STATIC);
    if (f->agency)
        sqlite3_bind_text(s, k++, f->agency, -1, SQLITE_STATIC);
    if (f->year) {
        snprintf(from, sizeof from, "%04d-01-01", CLAMP(f->year, 0, 9998));
        snprintf(to, sizeof to, "%04d-01-01", CLAMP(f->year, 0, 9998) + 1);
        sqlite3_bind_text(s, k++, from, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, k++, to, -1, SQLITE_TRANSIENT);
    }
    return k;
}

int store_docs_count(store *st, const struct doc_filter *f, int *ret)
{
    char where[256], sql[384];
    doc_where(f, where, sizeof where);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM doc d %s", where);
    sqlite3_stmt *s = prep(st, sql);
    if (!s)
        return -EIO;
    doc_bind(s, f);
    int r = -EIO;
    if (sqlite3_step(s) == SQLITE_ROW) {
        int n = sqlite3_column_int(s, 0);
        *ret = n;
        r = n > MAX_LIST ? -E2BIG : 0;
    }
    sqlite3_finalize(s);
    return r;
}

int store_docs_page(store *st, const struct doc_filter *f, int offset, int n,
                    struct doc_row *rows, int *ret_n)
{
    char where[256], sql[768];
    doc_where(f, where, sizeof where);
    snprintf(sql, sizeof sql, DOC_ROW_SELECT "%s ORDER BY d.published DESC, d.id LIMIT ?%d"
             " OFFSET ?%d", where, 90, 91);
    sqlite3_stmt *s = prep(st, sql);
    if (!s)
        return -EIO;
    doc_bind(s, f);
    sqlite3_bind_int(s, 90, CLAMP(n, 0, MAX_LIST));
    sqlite3_bind_int(s, 91, CLAMP(offset, 0, MAX_LIST));
    int k = 0, rc = SQLITE_DONE;
    while (k < n && (rc = sqlite3_step(s)) == SQLITE_ROW)
        read_doc_row(s, &rows[k++]);
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        while (k > 0)
            doc_row_free(&rows[--k]);
        *ret_n = 0;
        return -EIO;
    }
    *ret_n = k;
    return 0;
}

int store_docs_of_kind(store *st, const char *kind, struct doc_row_list *ret)
{
    struct doc_row_list l = {0};
    sqlite3_stmt *s = prep(st, DOC_ROW_SELECT "WHERE d.kind = ?1 ORDER BY d.published DESC, d.id");
    if (!s)
        return -EIO;
    sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
    int r = collect(s, sizeof *l.items, read_doc_row, &l.items, &l.n);
    if (r < 0) {
        doc_row_list_free(&l);
        return r;
    }
    *ret = l;
    return 0;
}

void doc_row_list_free(struct doc_row_list *l)
{
    for (int i = 0; i < l->n; i++)
        doc_row_free(&l->items[i]);
    freep(&l->items);
    l->n = 0;
}

static void fill_attachment(sqlite3_stmt *s, void *p)
{
    struct doc_attachment *a = p;
    a->name = col_kt(s, 0);
    a->url = col_str(s, 2);
    a->size = col_str(s, 3);
}

static void fill_doc_link(sqlite3_stmt *s, void *p)
{
    struct doc_link *l = p;
    l->id = col_str(s, 0);
    l->title = col_kt(s, 1);
}

int store_doc_get(store *st, const char *id, struct doc **ret)
{
    sqlite3_stmt *s = prep(st,
        "SELECT d.id, d.index_no, d.agency_id, d.topic_id, d.written, d.published,"
        " d.validity, d.kind, d.interprets, d.title_zh, d.title_en, d.summary_zh,"
        " d.summary_en, a.name_zh, a.name_en, d.doc_no_zh, d.doc_no_en, t.name_zh,"
        " t.name_en, d.keywords_zh, d.keywords_en, d.body_zh, d.body_en FROM doc d"
        " JOIN agency a ON a.id = d.agency_id JOIN doc_topic t ON t.id = d.topic_id"
        " WHERE d.id = ?1");
    if (!s)
        return -EIO;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    if (r != SQLITE_ROW)
        return none_found(s, r);
    if (sqlite3_column_bytes(s, 21) > STORE_DOC_MAX_BODY ||
        sqlite3_column_bytes(s, 22) > STORE_DOC_MAX_BODY) {
        sqlite3_finalize(s);
        return -E2BIG;
    }
    struct doc *d = xcalloc(1, sizeof *d);
    char **strs[] = {&d->id, &d->index_no, &d->agency_id, &d->topic_id, &d->written,
                     &d->published, &d->validity, &d->kind};
    for (size_t i = 0; i < ARRAY_SIZE(strs); i++)
        *strs[i] = col_str(s, (int)i);
    char *interprets = col_str(s, 8);
    ktext *kts[] = {&d->title, &d->summary, &d->agency, &d->doc_no, &d->topic, &d->keywords,
                    &d->body};
    for (size_t i = 0; i < ARRAY_SIZE(kts); i++)
        *kts[i] = col_kt(s, 9 + 2 * (int)i);
    sqlite3_finalize(s);

    r = load_children(st,
        "SELECT name_zh, name_en, url, size FROM attachment WHERE doc_id = ?1 ORDER BY seq",
        id, sizeof *d->attachments, &d->attachments, &d->n_attachments, fill_attachment);
    if (!r && *interprets) {
        int n = 0;
        struct doc_link *l = NULL;
        r = load_children(st, "SELECT ?1, title_zh, title_en FROM doc WHERE id = ?1",
                          interprets, sizeof *l, &l, &n, fill_doc_link);
        if (!r && n == 1) {
            d->interprets = l[0];
        } else {                /* a dangling reference: keep the id, no title */
            for (int i = 0; i < n; i++) {
                free(l[i].id);
                ktext_free(&l[i].title);
            }
            d->interprets.id = xstrdup(interprets);
            d->interprets.title.s[LANG_ZH] = xstrdup("");
            d->interprets.title.s[LANG_EN] = xstrdup("");
        }
        free(l);
    }
    free(interprets);
    if (!r)
        r = load_children(st,
            "SELECT id, title_zh, title_en FROM doc WHERE interprets = ?1 AND interprets <> ''"
            " ORDER BY published DESC, id",
            id, sizeof *d->interpretations, &d->interpretations, &d->n_interpretations,
            fill_doc_link);
    if (r < 0) {
        doc_free(d);
        return r;
    }
    *ret = d;
    return 0;
}

void doc_free(struct doc *d)
{
    if (!d)
        return;
    char **strs[] = {&d->id, &d->index_no, &d->agency_id, &d->topic_id, &d->written,
                     &d->published, &d->validity, &d->kind};
    for (size_t i = 0; i < ARRAY_SIZE(strs); i++)
        freep(strs[i]);
    ktext *kts[] = {&d->title, &d->summary, &d->agency, &d->doc_no, &d->topic, &d->keywords,
                    &d->body};
    for (size_t i = 0; i < ARRAY_SIZE(kts); i++)
        ktext_free(kts[i]);
    for (int i = 0; i < d->n_attachments; i++) {
        ktext_free(&d->attachments[i].name);
        free(d->attachments[i].url);
        free(d->attachments[i].size);
    }
    free(d->attachments);
    free(d->interprets.id);
    ktext_free(&d->interprets.title);
    for (int i = 0; i < d->n_interpretations; i++) {
        free(d->interpretations[i].id);
        ktext_free(&d->interpretations[i].title);
    }
    free(d->interpretations);
    free(d);
}

/* ---- consultations ------------------------------------------------------------------ */

static void fill_consult_row(sqlite3_stmt *s, void *p)
{
    struct consult_row *r = p;
    r->id = col_str(s, 0);
    r->opens = col_str(s, 1);
    r->closes = col_str(s, 2);
    r->feedback_published = col_str(s, 3);
    r->title = col_kt(s, 4);
    r->agency = col_kt(s, 6);
}

int store_consults(store *st, struct consult_row_list *ret)
{
    struct consult_row_list l = {0};
    sqlite3_stmt *s = prep(st, "SELECT c.id, c.opens, c.closes, c.feedback_published,"
                               " c.title_zh, c.title_en, a.short_zh, a.short_en"
                               " FROM consultation c JOIN agency a ON a.id = c.agency_id"
                               " ORDER BY c.closes DESC, c.id");
    if (!s)
        return -EIO;
    int r = collect(s, sizeof *l.items, fill_consult_row, &l.items, &l.n);
    if (r < 0) {
        consult_row_list_free(&l);
        return r;
    }
    *ret = l;
    return 0;
}

void consult_row_list_free(struct consult_row_list *l)
{
    for (int i = 0; i < l->n; i++) {
        struct consult_row *r = &l->items[i];
        free(r->id);
        free(r->opens);
        free(r->closes);
        free(r->feedback_published);
        ktext_free(&r->title);
        ktext_free(&r->agency);
    }
    freep(&l->items);
    l->n = 0;
}

static void fill_question(sqlite3_stmt *s, void *p)
{
    *(ktext *)p = col_kt(s, 0);
}

static void fill_point(sqlite3_stmt *s, void *p)
{
    struct consult_point *pt = p;
    pt->point = col_kt(s, 0);
    pt->outcome = col_str(s, 2);
    pt->reason = col_kt(s, 3);
}

int store_consult_get(store *st, const char *id, struct consultation **ret)
{
    sqlite3_stmt *s = prep(st,
        "SELECT c.id, c.agency_id, c.opens, c.closes, c.feedback_published, c.title_zh,"
        " c.title_en, a.name_zh, a.name_en, c.draft_zh, c.draft_en, c.explanation_zh,"
        " c.explanation_en, c.feedback_summary_zh, c.feedback_summary_en"
        " FROM consultation c JOIN agency a ON a.id = c.agency_id WHERE c.id = ?1");
    if (!s)
        return -EIO;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    if (r != SQLITE_ROW)
        return none_found(s, r);
    for (int i = 9; i <= 14; i++)
        if (sqlite3_column_bytes(s, i) > STORE_DOC_MAX_BODY) {
            sqlite3_finalize(s);
            return -E2BIG;
        }
    struct consultation *c = xcalloc(1, sizeof *c);
    char **strs[] = {&c->id, &c->agency_id, &c->opens, &c->closes, &c->feedback_published};
    for (size_t i = 0; i < ARRAY_SIZE(strs); i++)
        *strs[i] = col_str(s, (int)i);
    ktext *kts[] = {&c->title, &c->agency, &c->draft, &c->explanation, &c->feedback_summary};
    for (size_t i = 0; i < ARRAY_SIZE(kts); i++)
        *kts[i] = col_kt(s, 5 + 2 * (int)i);
    sqlite3_finalize(s);
    r = load_children(st, "SELECT text_zh, text_en FROM consultation_question"
                          " WHERE consultation_id = ?1 ORDER BY seq",
                      id, sizeof *c->questions, &c->questions, &c->n_questions, fill_question);
    if (!r)
        r = load_children(st, "SELECT point_zh, point_en, outcome, reason_zh, reason_en"
                              " FROM consultation_point WHERE consultation_id = ?1 ORDER BY seq",
                          id, sizeof *c->points, &c->points, &c->n_points, fill_point);
    if (!r && (c->n_questions > STORE_CONSULT_MAX_QUESTIONS ||
               c->n_points > STORE_CONSULT_MAX_POINTS))
        r = -E2BIG;
    if (r < 0) {
        consultation_free(c);
        return r;
    }
    *ret = c;
    return 0;
}

void consultation_free(struct consultation *c)
{
    if (!c)
        return;
    char **strs[] = {&c->id, &c->agency_id, &c->opens, &c->closes, &c->feedback_published};
    for (size_t i = 0; i < ARRAY_SIZE(strs); i++)
        freep(strs[i]);
    ktext *kts[] = {&c->title, &c->agency, &c->draft, &c->explanation, &c->feedback_summary};
    for (size_t i = 0; i < ARRAY_SIZE(kts); i++)
        ktext_free(kts[i]);
    for (int i = 0; i < c->n_questions; i++)
        ktext_free(&c->questions[i]);
    free(c->questions);
    for (int i = 0; i < c->n_points; i++) {
        ktext_free(&c->points[i].point);
        ktext_free(&c->points[i].reason);
        free(c->points[i].outcome);
    }
    free(c->points);
    free(c);
}

static ktext kt_empty(void)
{
    ktext t = {{xstrdup(""), xstrdup("")}};
    return t;
}

int store_consult_doc(store *st, const char *id, const char *which, struct doc **ret)
{
    struct consultation *c;
    bool note = strcmp(which, "explanation") == 0;
    if (!note && strcmp(which, "draft") != 0)
        return -EINVAL;
    int r = store_consult_get(st, id, &c);
    if (r < 0)
        return r;
    struct doc *d = xcalloc(1, sizeof *d);
    d->id = xstrdup(c->id);
    d->agency_id = xstrdup(c->agency_id);
    d->published = xstrdup(c->opens);
    char **empty[] = {&d->index_no, &d->topic_id, &d->written, &d->validity, &d->kind};
    for (size_t i = 0; i < ARRAY_SIZE(empty); i++)
        *empty[i] = xstrdup("");
    d->title = c->title;
    d->agency = c->agency;
    d->body = note ? c->explanation : c->draft;
    ktext *moved[] = {&c->title, &c->agency, note ? &c->explanation : &c->draft};
    for (size_t i = 0; i < ARRAY_SIZE(moved); i++)
        *moved[i] = kt_empty();
    d->summary = kt_empty();
    d->doc_no = kt_empty();
    d->topic = kt_empty();
    d->keywords = kt_empty();
    d->interprets.title = kt_empty();
    consultation_free(c);
    *ret = d;
    return 0;
}
