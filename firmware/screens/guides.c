/* guides.c - the way into the service guides: categories by life event, by
 * department and by audience, and the cross-department "one thing" checklists.
 * Each category shows its pictogram, says how many services it holds and opens
 * their list. */
#include "app.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tab { TAB_LIFE, TAB_DEPT, TAB_AUDIENCE, TAB_ONETHING, TAB_COUNT };

static const char *const tab_kind[TAB_COUNT] = {"life_event", "department", "audience", NULL};
static const char *const tab_key[TAB_COUNT] = {"guides.tab_life", "guides.tab_dept",
                                               "guides.tab_audience", "guides.tab_onething"};

struct guides {
    enum tab tab;
    struct category_list cats[3];
    struct ui_picto *icons[3]; /* each category's pictogram, png NULL when it has none */
    struct onething_list things;
    struct ui_scroll scroll;
};

/* the pictograms of a tab's categories: images/icon-<icon>.png in content, small
 * (the compiler caps them); decoded by the toolkit once, at the size shown */
static struct ui_picto *load_icons(app *a, const struct category_list *l)
{
    struct ui_picto *p = xcalloc((size_t)l->n + 1, sizeof *p);
    for (int i = 0; i < l->n; i++) {
        char *name = xasprintf("icon-%s.png", l->items[i].icon);
        void *png = NULL;
        if (store_image(app_store(a), name, &png, &p[i].len) == 0) {
            p[i].key = name;
            p[i].png = png;
        } else {
            free(name);
        }
    }
    return p;
}

static void free_icons(struct ui_picto *p, int n)
{
    for (int i = 0; p && i < n; i++) {
        free((char *)p[i].key);
        free((void *)p[i].png);
    }
    free(p);
}

/* category I of the current tab's pictogram, or NULL */
static const struct ui_picto *icon_of(const struct guides *g, int i)
{
    return g->icons[g->tab][i].png ? &g->icons[g->tab][i] : NULL;
}

static void *guides_enter(app *a, const char *arg)
{
    struct guides *g = xcalloc(1, sizeof *g);
    bool failed = false;
    for (int t = 0; t < 3; t++) {
        if (store_categories(app_store(a), tab_kind[t], &g->cats[t]) < 0) {
            memset(&g->cats[t], 0, sizeof g->cats[t]);
            failed = true;
        }
        g->icons[t] = load_icons(a, &g->cats[t]);
    }
    if (store_onethings(app_store(a), &g->things) < 0) {
        memset(&g->things, 0, sizeof g->things);
        failed = true;
    }
    if (failed)
        app_push(a, &screen_oops, NULL);
    /* "guides:onething" opens on the one-thing tab (from a script or a link) */
    if (arg && strcmp(arg, "onething") == 0)
        g->tab = TAB_ONETHING;
    return g;
}

static void guides_leave(app *a, void *st)
{
    (void)a;
    struct guides *g = st;
    for (int t = 0; t < 3; t++) {
        free_icons(g->icons[t], g->cats[t].n);
        category_list_free(&g->cats[t]);
    }
    onething_list_free(&g->things);
    free(g);
}

static const char *guides_title(app *a, void *st)
{
    (void)st;
    return app_tr(a, "home.guides");
}

/* the width of the widest space-separated word, for deciding whether a label can
 * wrap without breaking a word */
static int longest_word(ui *u, const char *s)
{
    int best = 0;
    while (*s) {
        const char *e = strchr(s, ' ');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        char w[128];
        snprintf(w, sizeof w, "%.*s", (int)MIN(n, sizeof w - 1), s);
        best = MAX(best, ui_text_width(u, UI_FONT_BODY, true, w));
        s += n;
        while (*s == ' ')
            s++;
    }
    return best;
}

static void guides_draw(app *a, void *st, ui_rect body)
{
    struct guides *g = st;
    ui *u = app_ui(a);
    int gap = ui_gap(u);
    /* the tabs: the selected one is filled, and says so in words for the reader */
    char labels[TAB_COUNT][128];
    for (int t = 0; t < TAB_COUNT; t++)
        snprintf(labels[t], sizeof labels[t], "%s%s", t == (int)g->tab ? app_tr(a, "guides.selected") : "",
                 app_tr(a, tab_key[t]));
    /* four tabs in a row, or two rows of two when a word would not fit a tab */
    int per_row = TAB_COUNT;
    int tw = (body.w - (per_row + 1) * gap) / per_row;
    for (int t = 0; t < TAB_COUNT; t++)
        if (longest_word(u, labels[t]) > tw - 2 * ui_mm(u, 3.0))
            per_row = TAB_COUNT / 2;
    tw = (body.w - (per_row + 1) * gap) / per_row;
    int th = ui_mm(u, 17);
    for (int t = 0; t < TAB_COUNT; t++)
        th = MAX(th, ui_button_height(u, UI_BTN_PRIMARY, labels[t], NULL, tw));
    for (int t = 0; t < TAB_COUNT; t++) {
        char id[32];
        snprintf(id, sizeof id, "guides.tab.%d", t);
        int c = t % per_row, r = t / per_row;
        ui_button(u, id, (ui_rect){body.x + gap + c * (tw + gap), body.y + gap + r * (th + gap), tw, th},
                  t == (int)g->tab ? UI_BTN_PRIMARY : UI_BTN_SECONDARY, labels[t], NULL);
    }
    int tabs_h = (TAB_COUNT / per_row) * (th + gap);
    ui_rect area = {body.x, body.y + tabs_h + gap, body.w, body.h - tabs_h - gap};
    int top = ui_scroll_begin(u, "guides.scroll", &g->scroll, area);
    int y = top + gap;
    if (g->tab == TAB_ONETHING) {
        for (int i = 0; i < g->things.n; i++) {
            char id[96];
            snprintf(id, sizeof id, "onething.%s", g->things.items[i].id);
            /* as tall as its summary needs: it is never cut off */
            const char *name = app_kt(a, &g->things.items[i].name), *sum = app_kt(a, &g->things.items[i].summary);
            int ih = ui_item_height(u, name, sum, body.w - 4 * gap);
            ui_item(u, id, (ui_rect){body.x + 2 * gap, y, body.w - 4 * gap, ih}, name, sum);
            y += ih + gap;
        }
    } else {
        struct category_list *l = &g->cats[g->tab];
        bool landscape = body.w > body.h;
        int cols = landscape ? 4 : 2;
        int cw = (body.w - (cols + 3) * gap) / cols;
        int ch = ui_mm(u, 34);
        char count[64];
        for (int i = 0; i < l->n; i++) {
            snprintf(count, sizeof count, app_tr(a, "guides.count"), l->items[i].count);
            ch = MAX(ch, ui_button_picto_height(u, UI_BTN_SECONDARY, app_kt(a, &l->items[i].name), count,
                                                cw, icon_of(g, i)));
        }
        for (int i = 0; i < l->n; i++) {
            char id[96];
            snprintf(id, sizeof id, "cat.%s", l->items[i].id);
            snprintf(count, sizeof count, app_tr(a, "guides.count"), l->items[i].count);
            int c = i % cols, r = i / cols;
            ui_button_picto(u, id, (ui_rect){body.x + 2 * gap + c * (cw + gap), y + r * (ch + gap), cw, ch},
                            UI_BTN_SECONDARY, app_kt(a, &l->items[i].name), count,
                            icon_of(g, i));
        }
        y += ((l->n + cols - 1) / cols) * (ch + gap);
    }
    ui_scroll_end(u, &g->scroll, y + gap - top);
}

static void guides_event(app *a, void *st, const char *id)
{
    struct guides *g = st;
    int t;
    if (sscanf(id, "guides.tab.%d", &t) == 1 && t >= 0 && t < TAB_COUNT) {
        g->tab = (enum tab)t;
        g->scroll.offset = 0;
    } else if (strncmp(id, "cat.", 4) == 0) {
        app_push(a, &screen_services, id + 4);
    } else if (strncmp(id, "onething.", 9) == 0) {
        app_push(a, &screen_onething, id + 9);
    }
}


static void guides_tour(app *a, struct tour *t)
{
    (void)a;
    app_tour_view(t, "guides", "tap-id tile.guides\n");
}

const struct screen_ops screen_guides = {
    .name = "guides",
    .enter = guides_enter,
    .leave = guides_leave,
    .draw = guides_draw,
    .title = guides_title,
    .event = guides_event,
    .tour = guides_tour,
};
