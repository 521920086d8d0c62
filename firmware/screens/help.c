/* help.c - "Help & hall information": where the hall is, when it is open, where the
 * inquiry desk is, the hall map, and what each window handles. */
#include "app.h"
#include "sections.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>

#include <stdlib.h>
#include <string.h>

struct help {
    struct ui_scroll scroll;
    void *map;
    size_t map_len;
};

static void *help_enter(app *a, const char *arg)
{
    (void)arg;
    struct help *h = xcalloc(1, sizeof *h);
    const struct hall *hall = app_hall(a);
    if (hall->map_image && store_image(app_store(a), hall->map_image, &h->map, &h->map_len) < 0)
        h->map = NULL;
    return h;
}

static void help_leave(app *a, void *st)
{
    (void)a;
    struct help *h = st;
    free(h->map);
    free(h);
}

static const char *help_title(app *a, void *st)
{
    (void)st;
    return app_tr(a, "home.help");
}

static void help_draw(app *a, void *st, ui_rect body)
{
    struct help *h = st;
    ui *u = app_ui(a);
    const struct hall *hall = app_hall(a);
    int g = ui_gap(u), x = body.x + 3 * g, w = body.w - 6 * g;
    int top = ui_scroll_begin(u, "help.scroll", &h->scroll, body);
    struct sec s = sec_start(a, x, top + 2 * g, w);
    sec_field(&s, "help.hall", app_tr(a, "help.hall"), app_kt(a, &hall->name));
    sec_field(&s, "help.address", app_tr(a, "help.address"), app_kt(a, &hall->address));
    sec_field(&s, "help.hours", app_tr(a, "help.hours"), app_kt(a, &hall->hours));
    sec_field(&s, "help.inquiry", app_tr(a, "help.inquiry"), app_kt(a, &hall->inquiry));
    sec_field(&s, "help.phone", app_tr(a, "help.phone"), hall->phone ? hall->phone : "");
    if (h->map) {
        sec_heading(&s, "help.map.label", app_tr(a, "help.map"));
        ui_rect r = ui_image(u, "hall-map", h->map, h->map_len, (ui_rect){x, s.y, w, w});
        ui_node_add(u, "help.map", UI_ROLE_IMAGE, app_tr(a, "help.map"), r, false);
        s.y += r.h + g;
    }
    sec_heading(&s, "help.windows.label", app_tr(a, "help.windows"));
    for (int i = 0; i < hall->n_windows; i++) {
        char id[80];
        snprintf(id, sizeof id, "help.window.%s", hall->windows[i].id);
        sec_text(&s, id, app_kt(a, &hall->windows[i].name));
    }
    int y = s.y;
    ui_scroll_end(u, &h->scroll, y + 2 * g - top);
}


static void help_tour(app *a, struct tour *t)
{
    (void)a;
    app_tour_view(t, "help", "tap-id tile.help\n");
}

const struct screen_ops screen_help = {
    .name = "help",
    .enter = help_enter,
    .leave = help_leave,
    .draw = help_draw,
    .title = help_title,
    .tour = help_tour,
};
