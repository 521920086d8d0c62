/* disclosure.c - the government information disclosure catalogue (docs/rules.md §2):
 * browse by the mandatory topics, by agency, and by year; the disclosure guide and
 * the annual reports one tap from the first screen; each list shows every document,
 * expired, repealed and amended ones marked in words, never hidden. */
#include "app.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tab { TAB_TOPIC, TAB_AGENCY, TAB_YEAR, TAB_COUNT };
static const char *const tab_key[TAB_COUNT] = {"docs.tab_topic", "docs.tab_agency", "docs.tab_year"};
static const char *const tab_filter[TAB_COUNT] = {"topic", "agency", "year"};

struct catalogue {
    enum tab tab;
    struct doc_count_list lists[TAB_COUNT];
    struct ui_scroll scroll;
};

static void *cat_enter(app *a, const char *arg)
{
    (void)arg;
    struct catalogue *c = xcalloc(1, sizeof *c);
    bool failed = false;
    if (store_doc_topics(app_store(a), &c->lists[TAB_TOPIC]) < 0) {
        memset(&c->lists[TAB_TOPIC], 0, sizeof c->lists[0]);
        failed = true;
    }
    if (store_doc_agencies(app_store(a), &c->lists[TAB_AGENCY]) < 0) {
        memset(&c->lists[TAB_AGENCY], 0, sizeof c->lists[0]);
        failed = true;
    }
    if (store_doc_years(app_store(a), &c->lists[TAB_YEAR]) < 0) {
        memset(&c->lists[TAB_YEAR], 0, sizeof c->lists[0]);
        failed = true;
    }
    if (failed)
        app_push(a, &screen_oops, NULL);
    return c;
}

static void cat_leave(app *a, void *st)
{
    (void)a;
    struct catalogue *c = st;
    for (int t = 0; t < TAB_COUNT; t++)
        doc_count_list_free(&c->lists[t]);
    free(c);
}

static const char *cat_title(app *a, void *st)
{
    (void)st;
    return app_tr(a, "home.disclosure");
}

/* a topic's or agency's name; a year as the string table says years */
static void count_name(app *a, enum tab t, const struct doc_count *c, char *out, size_t n)
{
    if (t == TAB_YEAR)
        snprintf(out, n, app_tr(a, "docs.year"), c->id);
    else
        snprintf(out, n, "%s", app_kt(a, &c->name));
}

static void cat_draw(app *a, void *st, ui_rect body)
{
    struct catalogue *c = st;
    ui *u = app_ui(a);
    int g = ui_gap(u), x = body.x + 2 * g, w = body.w - 4 * g;
    int top = ui_scroll_begin(u, "docs.scroll", &c->scroll, body);
    int y = top + g;
    /* the two things asked for most, first */
    int bw = (w - 2 * g) / 3;
    int bh = MAX(ui_mm(u, 22), MAX(ui_button_height(u, UI_BTN_PRIMARY, app_tr(a, "docs.guide"), NULL, bw),
                                   ui_button_height(u, UI_BTN_PRIMARY, app_tr(a, "docs.annual"), NULL, bw)));
    bh = MAX(bh, ui_button_height(u, UI_BTN_PRIMARY, app_tr(a, "consult.catalogue"), NULL, bw));
    ui_button(u, "docs.guide", (ui_rect){x, y, bw, bh}, UI_BTN_PRIMARY, app_tr(a, "docs.guide"), NULL);
    ui_button(u, "docs.annual", (ui_rect){x + bw + g, y, bw, bh}, UI_BTN_PRIMARY, app_tr(a, "docs.annual"), NULL);
    /* drafts out for comment (yijian zhengji) */
    ui_button(u, "docs.consult", (ui_rect){x + 2 * (bw + g), y, bw, bh}, UI_BTN_PRIMARY,
              app_tr(a, "consult.catalogue"), NULL);
    y += bh + 2 * g;
    int tw = (w - (TAB_COUNT - 1) * g) / TAB_COUNT, th = ui_mm(u, 17);
    char labels[TAB_COUNT][96];
    for (int t = 0; t < TAB_COUNT; t++) {
        snprintf(labels[t], sizeof labels[t], "%s%s", t == (int)c->tab ? app_tr(a, "guides.selected") : "",
                 app_tr(a, tab_key[t]));
        th = MAX(th, ui_button_height(u, UI_BTN_PRIMARY, labels[t], NULL, tw));
    }
    for (int t = 0; t < TAB_COUNT; t++) {
        char id[32];
        snprintf(id, sizeof id, "docs.tab.%d", t);
        ui_button(u, id, (ui_rect){x + t * (tw + g), y, tw, th}, t == (int)c->tab ? UI_BTN_PRIMARY : UI_BTN_SECONDARY,
                  labels[t], NULL);
    }
    y += th + 2 * g;
    struct doc_count_list *l = &c->lists[c->tab];
    int cols = body.w > body.h ? 4 : 2, cw = (w - (cols - 1) * g) / cols, ch = ui_mm(u, 28);
    char count[64];
    char name[160];
    for (int i = 0; i < l->n; i++) {
        snprintf(count, sizeof count, app_tr(a, "docs.count"), l->items[i].count);
        count_name(a, c->tab, &l->items[i], name, sizeof name);
        ch = MAX(ch, ui_button_height(u, UI_BTN_SECONDARY, name, count, cw));
    }
    for (int i = 0; i < l->n; i++) {
        char id[128];
        snprintf(id, sizeof id, "docs.%s.%s", tab_filter[c->tab], l->items[i].id);
        snprintf(count, sizeof count, app_tr(a, "docs.count"), l->items[i].count);
        count_name(a, c->tab, &l->items[i], name, sizeof name);
        ui_button(u, id, (ui_rect){x + (i % cols) * (cw + g), y + (i / cols) * (ch + g), cw, ch}, UI_BTN_SECONDARY,
                  name, count);
    }
    y += ((l->n + cols - 1) / cols) * (ch + g);
    ui_scroll_end(u, &c->scroll, y + g - top);
}

static void cat_event(app *a, void *st, const char *id)
{
    struct catalogue *c = st;
    int t;
    if (sscanf(id, "docs.tab.%d", &t) == 1 && t >= 0 && t < TAB_COUNT) {
        c->tab = (enum tab)t;
        c->scroll.offset = 0;
    } else if (strcmp(id, "docs.guide") == 0) {
        struct doc_row_list l;
        if (store_docs_of_kind(app_store(a), "guide", &l) == 0) {
            if (l.n > 0)
                app_push(a, &screen_doc, l.items[0].id);
            doc_row_list_free(&l);
        }
    } else if (strcmp(id, "docs.annual") == 0) {
        app_push(a, &screen_docs, "kind:annual_report");
    } else if (strcmp(id, "docs.consult") == 0) {
        app_push(a, &screen_consults, NULL);
    } else if (strncmp(id, "docs.", 5) == 0) {
        app_push(a, &screen_docs, id + 5); /* "topic.budgets" -> topic:budgets below */
    }
}


static void disclosure_tour(app *a, struct tour *t)
{
    (void)a;
    app_tour_view(t, "disclosure", "tap-id tile.disclosure\n");
}

const struct screen_ops screen_disclosure = {
    .name = "disclosure",
    .enter = cat_enter,
    .leave = cat_leave,
    .draw = cat_draw,
    .title = cat_title,
    .event = cat_event,
    .tour = disclosure_tour,
};

/* ---- a list of documents ---------------------------------------------------------------- */

#define PAGE_ROWS 64

struct docs {
    char topic[64], agency[64], kind[64];
    int year;
    char title[256];
    struct doc_filter f;
    int count;
    struct doc_row rows[PAGE_ROWS];
    int page_start, page_n;
    struct doc_row_list kind_rows; /* for kind:... lists */
    struct ui_scroll scroll;
};

/* "topic.budgets", "agency.finance", "year.2025", "kind:annual_report" */
static void *docs_enter(app *a, const char *arg)
{
    struct docs *d = xcalloc(1, sizeof *d);
    d->page_start = -1;
    char what[16] = "", val[64] = "";
    if (arg)
        sscanf(arg, "%15[^.:]%*[.:]%63s", what, val);
    if (strcmp(what, "topic") == 0) {
        snprintf(d->topic, sizeof d->topic, "%s", val);
        d->f.topic = d->topic;
    } else if (strcmp(what, "agency") == 0) {
        snprintf(d->agency, sizeof d->agency, "%s", val);
        d->f.agency = d->agency;
    } else if (strcmp(what, "year") == 0) {
        d->year = atoi(val);
        d->f.year = d->year;
    } else if (strcmp(what, "kind") == 0) {
        snprintf(d->kind, sizeof d->kind, "%s", val);
    }
    int failed = 0;
    if (d->kind[0]) {
        if ((failed = store_docs_of_kind(app_store(a), d->kind, &d->kind_rows)) < 0)
            memset(&d->kind_rows, 0, sizeof d->kind_rows);
        d->count = d->kind_rows.n;
    } else if ((failed = store_docs_count(app_store(a), &d->f, &d->count)) < 0) {
        d->count = 0;
    }
    /* the list's title: the name of what it filters by */
    struct doc_count_list l;
    int r = -1;
    if (d->f.topic)
        r = store_doc_topics(app_store(a), &l);
    else if (d->f.agency)
        r = store_doc_agencies(app_store(a), &l);
    else if (d->f.year)
        r = store_doc_years(app_store(a), &l);
    if (r == 0) {
        for (int i = 0; i < l.n; i++)
            if (strcmp(l.items[i].id, val) == 0)
                count_name(a, d->f.year ? TAB_YEAR : TAB_TOPIC, &l.items[i], d->title, sizeof d->title);
        doc_count_list_free(&l);
    }
    if (failed < 0)
        app_push(a, &screen_oops, NULL);
    return d;
}

static void docs_page_clear(struct docs *d)
{
    for (int i = 0; i < d->page_n; i++)
        doc_row_free(&d->rows[i]);
    d->page_n = 0;
    d->page_start = -1;
}

static void docs_leave(app *a, void *st)
{
    (void)a;
    struct docs *d = st;
    docs_page_clear(d);
    doc_row_list_free(&d->kind_rows);
    free(d);
}

static const char *docs_title(app *a, void *st)
{
    struct docs *d = st;
    if (d->kind[0])
        return app_tr(a, "docs.annual");
    return d->title[0] ? d->title : app_tr(a, "home.disclosure");
}

static const struct doc_row *docs_row(app *a, struct docs *d, int i)
{
    if (d->kind[0])
        return i < d->kind_rows.n ? &d->kind_rows.items[i] : NULL;
    int start = i - i % PAGE_ROWS;
    if (start != d->page_start) {
        docs_page_clear(d);
        if (store_docs_page(app_store(a), &d->f, start, PAGE_ROWS, d->rows, &d->page_n) < 0)
            d->page_n = 0;
        d->page_start = start;
    }
    return i - start < d->page_n ? &d->rows[i - start] : NULL;
}

/* "Finance · Shi Cai Fa [2025] No. 12 · 2025-03-05 · Repealed": validity in words */
void app_doc_subtitle(app *a, const char *agency, const char *doc_no, const char *published,
                      const char *validity, char *out, size_t n)
{
    char vkey[48];
    snprintf(vkey, sizeof vkey, "docs.validity.%s", validity);
    const char *sep = app_tr(a, "list.sep");
    snprintf(out, n, "%s%s%s%s%s%s%s", agency, *doc_no ? sep : "", doc_no, sep, published, sep, app_tr(a, vkey));
}

static void docs_draw(app *a, void *st, ui_rect body)
{
    struct docs *d = st;
    ui *u = app_ui(a);
    int g = ui_gap(u);
    char count[64];
    snprintf(count, sizeof count, app_tr(a, "docs.count"), d->count);
    int hh = ui_label(u, "docs.count", UI_ROLE_TEXT, UI_FONT_BODY, false, ui_pal(u)->muted, count,
                      body.x + 2 * g, body.y + g, body.w - 4 * g);
    ui_rect area = {body.x, body.y + hh + 2 * g, body.w, body.h - hh - 2 * g};
    int top = ui_scroll_begin(u, "docs.list", &d->scroll, area);
    int rh = ui_item_h(u) + (ui_large(u) ? 3 : 2) * ui_line_h(u, UI_FONT_BODY);
    int first = MAX(0, (area.y - top) / rh), last = MIN(d->count - 1, (area.y + area.h - top) / rh);
    for (int i = first; i <= last; i++) {
        const struct doc_row *r = docs_row(a, d, i);
        if (!r)
            continue;
        char id[96], sub[512];
        snprintf(id, sizeof id, "doc.%s", r->id);
        app_doc_subtitle(a, app_kt(a, &r->agency), app_kt(a, &r->doc_no), r->published, r->validity, sub, sizeof sub);
        ui_item(u, id, (ui_rect){area.x + g, top + i * rh, area.w - 2 * g, rh - MAX(1, g / 3)}, app_kt(a, &r->title), sub);
    }
    ui_scroll_end(u, &d->scroll, d->count * rh);
}

static void docs_event(app *a, void *st, const char *id)
{
    (void)st;
    if (strncmp(id, "doc.", 4) == 0)
        app_push(a, &screen_doc, id + 4);
}


static void docs_tour(app *a, struct tour *t)
{
    (void)a;
    if (app_tour_first(t, "topic"))
        app_tour_view(t, "docs", "open docs topic.%s\n", app_tour_first(t, "topic"));
}

const struct screen_ops screen_docs = {
    .name = "docs",
    .enter = docs_enter,
    .leave = docs_leave,
    .draw = docs_draw,
    .title = docs_title,
    .event = docs_event,
    .tour = docs_tour,
};
