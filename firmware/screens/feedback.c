/* feedback.c - "feedback and rating": rate the service (five levels; a poor rating
 * asks what went wrong and is followed up), leave feedback (ask, complain, suggest,
 * praise), or answer one of the office's questionnaires. Every one is a form from the
 * content, run by the wizard. */
#include "app.h"
#include "sections.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct hub {
    struct form_list forms;
    struct ui_scroll scroll;
};

static void *hub_enter(app *a, const char *arg)
{
    (void)arg;
    struct hub *h = xcalloc(1, sizeof *h);
    if (store_forms(app_store(a), NULL, &h->forms) < 0) {
        memset(&h->forms, 0, sizeof h->forms);
        app_push(a, &screen_oops, NULL);
    }
    return h;
}

static void hub_leave(app *a, void *st)
{
    (void)a;
    struct hub *h = st;
    form_list_free(&h->forms);
    free(h);
}

static const char *hub_title(app *a, void *st)
{
    (void)st;
    return app_tr(a, "home.feedback");
}

static void hub_draw(app *a, void *st, ui_rect body)
{
    struct hub *h = st;
    ui *u = app_ui(a);
    int g = ui_gap(u), x = body.x + 3 * g, w = body.w - 6 * g;
    int top = ui_scroll_begin(u, "feedback.scroll", &h->scroll, body);
    struct sec s = sec_start(a, x, top + 2 * g, w);
    sec_text(&s, "feedback.intro", app_tr(a, "feedback.intro"));
    /* ratings first, then feedback, then questionnaires; the request has its own tile */
    static const char *const order[] = {"rating", "feedback", "questionnaire"};
    for (size_t k = 0; k < ARRAY_SIZE(order); k++) {
        for (int i = 0; i < h->forms.n; i++) {
            if (strcmp(h->forms.items[i].kind, order[k]) != 0)
                continue;
            char id[128], sub[64];
            snprintf(id, sizeof id, "form.open.%s", h->forms.items[i].id);
            snprintf(sub, sizeof sub, "feedback.sub.%s", order[k]);
            const char *label = app_kt(a, &h->forms.items[i].title);
            int bh = MAX(ui_mm(u, 26), ui_button_height(u, UI_BTN_TILE, label, app_tr(a, sub), w));
            ui_button(u, id, (ui_rect){x, s.y, w, bh}, UI_BTN_TILE, label, app_tr(a, sub));
            s.y += bh + g;
        }
    }
    ui_scroll_end(u, &h->scroll, s.y + 2 * g - top);
}

static void hub_event(app *a, void *st, const char *id)
{
    (void)st;
    if (strncmp(id, "form.open.", 10) == 0)
        app_push(a, &screen_wizard, id + 10);
}


static void feedback_tour(app *a, struct tour *t)
{
    (void)a;
    app_tour_view(t, "feedback", "tap-id tile.feedback\n");
}

const struct screen_ops screen_feedback = {
    .name = "feedback",
    .enter = hub_enter,
    .leave = hub_leave,
    .draw = hub_draw,
    .title = hub_title,
    .event = hub_event,
    .tour = feedback_tour,
};
