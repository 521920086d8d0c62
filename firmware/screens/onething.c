/* onething.c - a cross-department "one thing" checklist (opening a company: register,
 * engrave the seal, get invoices, enrol staff in social insurance, ...): a picture,
 * what it achieves, then each service in order, with its pictogram and what to mind;
 * each opens its guide; the QR code of the list's own page. With a printer, the list
 * prints: each step with its window and floor and the materials to bring, and the QR
 * code. */
#include "app.h"
#include "print.h"
#include "sections.h"
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct thing {
    struct onething *o;
    void *img;
    size_t img_len;
    struct ui_picto *steps; /* each step's pictogram (its image), png NULL if none */
    struct ui_scroll scroll;
    bool printing; /* this screen started a print: say what became of it */
};

/* The most steps, and materials of one step, a slip carries: with the heading, the
 * QR code and the rules, under SLIP_ITEMS_MAX items. The demo content's longest list
 * has 5 steps, its longest guide 12 materials. */
#define ONETHING_SLIP_STEPS 10
#define ONETHING_SLIP_MATERIALS 15

static void *onething_enter(app *a, const char *arg)
{
    struct thing *t = xcalloc(1, sizeof *t);
    int r = arg ? store_onething_get(app_store(a), arg, &t->o) : -ENOENT;
    if (r < 0 && r != -ENOENT)
        app_push(a, &screen_oops, NULL);
    if (r == 0 && *t->o->image && store_image(app_store(a), t->o->image, &t->img, &t->img_len) < 0)
        t->img = NULL;
    if (r == 0) {
        t->steps = xcalloc((size_t)t->o->n_steps + 1, sizeof *t->steps);
        for (int i = 0; i < t->o->n_steps; i++) {
            void *png = NULL;
            const char *name = t->o->steps[i].image;
            if (*name && store_image(app_store(a), name, &png, &t->steps[i].len) == 0) {
                t->steps[i].key = name; /* borrowed from t->o */
                t->steps[i].png = png;
            }
        }
    }
    return t;
}

static void onething_leave(app *a, void *st)
{
    (void)a;
    struct thing *t = st;
    for (int i = 0; t->steps && i < t->o->n_steps; i++)
        free((void *)t->steps[i].png);
    free(t->steps);
    onething_free(t->o);
    free(t->img);
    free(t);
}

static const char *onething_title(app *a, void *st)
{
    struct thing *t = st;
    return t->o ? app_kt(a, &t->o->name) : app_tr(a, "guide.missing");
}

static void onething_draw(app *a, void *st, ui_rect body)
{
    struct thing *t = st;
    ui *u = app_ui(a);
    int g = ui_gap(u), x = body.x + 3 * g, w = body.w - 6 * g;
    int top = ui_scroll_begin(u, "onething.scroll", &t->scroll, body);
    struct sec s = sec_start(a, x, top + 2 * g, w);
    if (!t->o) {
        sec_text(&s, "onething.missing", app_tr(a, "guide.missing"));
        ui_scroll_end(u, &t->scroll, s.y - top);
        return;
    }
    if (t->img) {
        int ih = MIN(w * 9 / 16, ui_mm(u, 60));
        char key[96];
        snprintf(key, sizeof key, "img:%s", t->o->image);
        ui_rect r = ui_image(u, key, t->img, t->img_len, (ui_rect){x, s.y, w, ih});
        ui_node_add(u, "onething.picture", UI_ROLE_IMAGE, app_kt(a, &t->o->name), r, false);
        s.y += r.h + g;
    }
    sec_text(&s, "onething.summary", app_kt(a, &t->o->summary));
    int ph = print_button(a, "onething.print", s.x, s.y, w);
    s.y += ph ? ph + g : 0;
    int sh = print_state_draw_hint(a, t->printing, *t->o->url ? "print.use_qr.list" : "print.use_photo", s.x, s.y, w);
    s.y += sh ? sh + g : 0;
    sec_heading(&s, "onething.steps", app_tr(a, "onething.steps"));
    for (int i = 0; i < t->o->n_steps; i++) {
        struct onething_step *x = &t->o->steps[i];
        char id[160], title[512];
        snprintf(title, sizeof title, app_tr(a, "onething.step"), i + 1, app_kt(a, &x->service_name));
        snprintf(id, sizeof id, "onething.svc.%d.%s", i, x->service_id);
        const struct ui_picto *pic = t->steps[i].png ? &t->steps[i] : NULL;
        int ih = MAX(ui_item_h(u) + ui_line_h(u, UI_FONT_BODY),
                     ui_item_picto_height(u, title, app_kt(a, &x->agency), w, pic));
        ui_item_picto(u, id, (ui_rect){s.x, s.y, w, ih}, title, app_kt(a, &x->agency), pic);
        s.y += ih + g / 2;
        if (*app_kt(a, &x->note)) {
            snprintf(id, sizeof id, "onething.note.%d", i);
            struct sec in = sec_start(a, s.x + ui_mm(u, 6), s.y, w - ui_mm(u, 6));
            sec_muted(&in, id, app_kt(a, &x->note));
            s.y = in.y + g;
        }
    }
    if (*t->o->url) {
        sec_heading(&s, "onething.qr_title", app_tr(a, "onething.qr_title"));
        ui_rect q = ui_qr(u, "onething.qr", t->o->url, (ui_rect){s.x, s.y, w, MIN(w, ui_mm(u, 50))});
        s.y += q.h + g;
        sec_muted(&s, "onething.url", t->o->url);
    }
    ui_scroll_end(u, &t->scroll, s.y + 2 * g - top);
}

/* One step of the slip: its service, the window and floor, the materials with tick
 * boxes. Returns 0 or the store's error. */
static int print_step(app *a, int i, const struct onething_step *x, struct slip_item *items, int *k,
                      char (*lines)[600], int *nl)
{
    struct service *v = NULL;
    int r = store_service_get(app_store(a), x->service_id, &v);
    if (r < 0)
        return r;
    snprintf(lines[*nl], sizeof lines[0], app_tr(a, "onething.step"), i + 1, app_kt(a, &x->service_name));
    items[(*k)++] = (struct slip_item){SLIP_TEXT, "slip.step", lines[(*nl)++]};
    const struct hall_window *win = hall_window_by_id(app_hall(a), v->window_id);
    if (win) {
        snprintf(lines[*nl], sizeof lines[0], app_tr(a, "print.slip.window"), app_kt(a, &win->name), win->floor);
        items[(*k)++] = (struct slip_item){SLIP_SMALL, "slip.window", lines[(*nl)++]};
    }
    for (int m = 0; m < v->n_materials && m < ONETHING_SLIP_MATERIALS; m++) {
        const struct material *mt = &v->materials[m];
        char copies[64] = "";
        if (mt->copies > 0)
            snprintf(copies, sizeof copies, app_tr(a, "guide.copies"), mt->copies);
        snprintf(lines[*nl], sizeof lines[0], "%s%s%s", app_kt(a, &mt->name),
                 *copies ? app_tr(a, "list.sep") : "", copies);
        items[(*k)++] = (struct slip_item){SLIP_TICK, "slip.material", lines[(*nl)++]};
    }
    service_free(v);
    return 0;
}

/* The list's slip: its name, each step in order with its window and floor and the
 * materials to bring, then the QR code of the list's page. */
static void onething_print(app *a, struct thing *t)
{
    int steps = MIN(t->o->n_steps, ONETHING_SLIP_STEPS);
    size_t cap = (size_t)steps * (3 + ONETHING_SLIP_MATERIALS) + 8; /* rule, step, window */
    struct slip_item *items = xcalloc(cap, sizeof *items);
    char (*lines)[600] = xcalloc(cap, sizeof *lines);
    int k = 0, nl = 0, r = 0;
    items[k++] = (struct slip_item){SLIP_HEADING, "slip.title", app_kt(a, &t->o->name)};
    items[k++] = (struct slip_item){SLIP_TEXT, "slip.steps", app_tr(a, "onething.steps")};
    for (int i = 0; r == 0 && i < steps; i++) {
        if (i > 0)
            items[k++] = (struct slip_item){SLIP_RULE, "slip.rule", NULL};
        r = print_step(a, i, &t->o->steps[i], items, &k, lines, &nl);
    }
    if (r < 0) {
        /* the content cannot be read: the screen offers to call staff */
        app_push(a, &screen_oops, NULL);
    } else {
        if (*t->o->url) {
            items[k++] = (struct slip_item){SLIP_RULE, "slip.rule2", NULL};
            items[k++] = (struct slip_item){SLIP_TEXT, "slip.qr_title", app_tr(a, "onething.qr_title")};
            items[k++] = (struct slip_item){SLIP_QR, "slip.qr", t->o->url};
            items[k++] = (struct slip_item){SLIP_SMALL, "slip.url", t->o->url};
        }
        int rc = print_start(a, "onething", items, (size_t)k);
        t->printing = t->printing || rc == 0 || rc == -EBUSY;
    }
    free(items);
    free(lines);
}

static void onething_event(app *a, void *st, const char *id)
{
    struct thing *t = st;
    int i, n = 0;
    if (strcmp(id, "onething.print") == 0 && t->o)
        onething_print(a, t);
    else if (sscanf(id, "onething.svc.%d.%n", &i, &n) == 1 && n > 0)
        app_push(a, &screen_guide, id + n);
}


static void onething_tour(app *a, struct tour *t)
{
    (void)a;
    if (app_tour_first(t, "onething"))
        app_tour_view(t, "onething", "open onething %s\n", app_tour_first(t, "onething"));
}

const struct screen_ops screen_onething = {
    .name = "onething",
    .enter = onething_enter,
    .leave = onething_leave,
    .draw = onething_draw,
    .title = onething_title,
    .event = onething_event,
    .tour = onething_tour,
};
