/* services.c - the services of one category, as a scrolling list. A category may hold
 * tens of thousands of items (a province's whole catalogue), so only the rows on
 * screen are drawn, and rows are fetched from the store a page of 64 at a time into a
 * small cache: a fling across 20,000 items touches only the pages it shows. */
#include "app.h"
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_ROWS 64
#define PAGES 6

struct page {
    int start, n; /* start = -1: empty */
    uint64_t used;
    struct service_row rows[PAGE_ROWS];
};

struct services {
    struct category cat;
    int count;
    struct page pages[PAGES];
    uint64_t clock;
    struct ui_scroll scroll;
};

static void page_clear(struct page *p)
{
    for (int i = 0; i < p->n; i++)
        service_row_free(&p->rows[i]);
    p->n = 0;
    p->start = -1;
}

static const struct service_row *row_at(app *a, struct services *s, int i)
{
    int start = i - i % PAGE_ROWS;
    struct page *lru = &s->pages[0];
    for (int k = 0; k < PAGES; k++) {
        if (s->pages[k].start == start) {
            s->pages[k].used = ++s->clock;
            return i - start < s->pages[k].n ? &s->pages[k].rows[i - start] : NULL;
        }
        if (s->pages[k].used < lru->used)
            lru = &s->pages[k];
    }
    page_clear(lru);
    if (store_services_page(app_store(a), s->cat.id, start, PAGE_ROWS, lru->rows, &lru->n) < 0)
        lru->n = 0;
    lru->start = start;
    lru->used = ++s->clock;
    return i - start < lru->n ? &lru->rows[i - start] : NULL;
}

static void *services_enter(app *a, const char *arg)
{
    struct services *s = xcalloc(1, sizeof *s);
    int r = arg ? store_category_get(app_store(a), arg, &s->cat) : -ENOENT;
    if (r < 0) {
        s->cat.id = xstrdup(arg ? arg : "");
        s->cat.name.s[LANG_ZH] = xstrdup("");
        s->cat.name.s[LANG_EN] = xstrdup("");
    }
    if (r == 0 || r == -ENOENT)
        r = store_services_count(app_store(a), s->cat.id, &s->count);
    if (r < 0)
        s->count = 0;
    if (r < 0 && r != -ENOENT)
        app_push(a, &screen_oops, NULL);
    for (int k = 0; k < PAGES; k++)
        s->pages[k].start = -1;
    return s;
}

static void services_leave(app *a, void *st)
{
    (void)a;
    struct services *s = st;
    for (int k = 0; k < PAGES; k++)
        page_clear(&s->pages[k]);
    category_free(&s->cat);
    free(s);
}

static const char *services_title(app *a, void *st)
{
    return app_kt(a, &((struct services *)st)->cat.name);
}

/* "Market Regulation · At most 1 visit · Free" */
static void row_subtitle(app *a, const struct service_row *r, char *out, size_t n)
{
    char visits[64];
    if (r->visits == 0)
        snprintf(visits, sizeof visits, "%s", app_tr(a, "guide.visits_none"));
    else
        snprintf(visits, sizeof visits, app_tr(a, "guide.visits_n"), r->visits);
    snprintf(out, n, "%s%s%s%s%s", app_kt(a, &r->agency), app_tr(a, "list.sep"), visits,
             r->free ? app_tr(a, "list.sep") : "", r->free ? app_tr(a, "guide.free_short") : "");
}

static void services_draw(app *a, void *st, ui_rect body)
{
    struct services *s = st;
    ui *u = app_ui(a);
    int g = ui_gap(u);
    char count[64];
    snprintf(count, sizeof count, app_tr(a, "guides.count"), s->count);
    int hh = ui_label(u, "services.count", UI_ROLE_TEXT, UI_FONT_BODY, false, ui_pal(u)->muted,
                      count, body.x + 2 * g, body.y + g, body.w - 4 * g);
    ui_rect area = {body.x, body.y + hh + 2 * g, body.w, body.h - hh - 2 * g};
    int top = ui_scroll_begin(u, "services.list", &s->scroll, area);
    /* rows are all one height, so a row's place is a multiplication: room for a name
     * on two lines (three in large text, where long English names need it) */
    int rh = ui_item_h(u) + (ui_large(u) ? 2 : 1) * ui_line_h(u, UI_FONT_BODY);
    int first = MAX(0, (area.y - top) / rh), last = MIN(s->count - 1, (area.y + area.h - top) / rh);
    for (int i = first; i <= last; i++) {
        const struct service_row *r = row_at(a, s, i);
        if (!r)
            continue;
        char id[96], sub[256];
        snprintf(id, sizeof id, "svc.%s", r->id);
        row_subtitle(a, r, sub, sizeof sub);
        ui_item(u, id, (ui_rect){area.x + g, top + i * rh, area.w - 2 * g, rh - MAX(1, g / 3)},
                app_kt(a, &r->name), sub);
    }
    ui_scroll_end(u, &s->scroll, s->count * rh);
}

static void services_event(app *a, void *st, const char *id)
{
    (void)st;
    if (strncmp(id, "svc.", 4) == 0)
        app_push(a, &screen_guide, id + 4);
}


static void services_tour(app *a, struct tour *t)
{
    (void)a;
    if (app_tour_first(t, "category"))
        app_tour_view(t, "services", "open services %s\n", app_tour_first(t, "category"));
}

const struct screen_ops screen_services = {
    .name = "services",
    .enter = services_enter,
    .leave = services_leave,
    .draw = services_draw,
    .title = services_title,
    .event = services_event,
    .tour = services_tour,
};
