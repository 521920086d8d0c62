/* onething.c - a cross-department "one thing" checklist (opening a company: register,
 * engrave the seal, get invoices, enrol staff in social insurance, ...): a picture,
 * what it achieves, then each service in order with what to mind; each opens its
 * guide. */
#include "app.h"
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
    struct ui_scroll scroll;
};

static void *onething_enter(app *a, const char *arg)
{
    struct thing *t = xcalloc(1, sizeof *t);
    int r = arg ? store_onething_get(app_store(a), arg, &t->o) : -ENOENT;
    if (r < 0 && r != -ENOENT)
        app_push(a, &screen_oops, NULL);
    if (r == 0 && *t->o->image && store_image(app_store(a), t->o->image, &t->img, &t->img_len) < 0)
        t->img = NULL;
    return t;
}

static void onething_leave(app *a, void *st)
{
    (void)a;
    struct thing *t = st;
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
    sec_heading(&s, "onething.steps", app_tr(a, "onething.steps"));
    for (int i = 0; i < t->o->n_steps; i++) {
        struct onething_step *x = &t->o->steps[i];
        char id[160], title[512];
        snprintf(title, sizeof title, app_tr(a, "onething.step"), i + 1, app_kt(a, &x->service_name));
        snprintf(id, sizeof id, "onething.svc.%d.%s", i, x->service_id);
        int ih = ui_item_h(u) + ui_line_h(u, UI_FONT_BODY);
        ui_item(u, id, (ui_rect){s.x, s.y, w, ih}, title, app_kt(a, &x->agency));
        s.y += ih + g / 2;
        if (*app_kt(a, &x->note)) {
            snprintf(id, sizeof id, "onething.note.%d", i);
            struct sec in = sec_start(a, s.x + ui_mm(u, 6), s.y, w - ui_mm(u, 6));
            sec_muted(&in, id, app_kt(a, &x->note));
            s.y = in.y + g;
        }
    }
    ui_scroll_end(u, &t->scroll, s.y + 2 * g - top);
}

static void onething_event(app *a, void *st, const char *id)
{
    (void)st;
    int i, n = 0;
    if (sscanf(id, "onething.svc.%d.%n", &i, &n) == 1 && n > 0)
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
