/* help.c - "Help & hall information": where the hall is, when it is open, where the
 * inquiry desk is (ringed on its floor's map), the map of every floor, what each
 * window handles and on which floor, and the government's official channels (QR
 * codes and numbers to call, from hall.json). */
#include "app.h"
#include "hallmap.h"
#include "sections.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct help {
    struct ui_scroll scroll;
    struct hallmap *maps; /* one per floor with a map; the desk's floor rings the desk */
    int n_maps;
};

static void *help_enter(app *a, const char *arg)
{
    (void)arg;
    struct help *h = xcalloc(1, sizeof *h);
    const struct hall *hall = app_hall(a);
    const struct hall_window *desk = hall_window_by_id(hall, hall->inquiry_window);
    h->maps = xcalloc((size_t)hall->n_floors + 1, sizeof *h->maps);
    for (int i = 0; i < hall->n_floors; i++) {
        int f = hall->floors[i].floor;
        hallmap_load(a, &h->maps[h->n_maps], desk && desk->floor == f ? desk : NULL, f);
        if (h->maps[h->n_maps].png)
            h->n_maps++;
    }
    return h;
}

static void help_leave(app *a, void *st)
{
    (void)a;
    struct help *h = st;
    for (int i = 0; i < h->n_maps; i++)
        hallmap_free(&h->maps[i]);
    free(h->maps);
    free(h);
}

static const char *help_title(app *a, void *st)
{
    (void)st;
    return app_tr(a, "home.help");
}

static void draw_channels(app *a, struct sec *s)
{
    const struct hall *hall = app_hall(a);
    ui *u = app_ui(a);
    int g = ui_gap(u);
    if (hall->n_channels == 0)
        return;
    sec_heading(s, "help.channels", app_tr(a, "help.channels"));
    for (int i = 0; i < hall->n_channels; i++) {
        const struct hall_channel *c = &hall->channels[i];
        char id[64], line[160];
        snprintf(id, sizeof id, "help.channel.%d", i);
        sec_subheading(s, id, app_kt(a, &c->name));
        if (*c->phone) {
            snprintf(id, sizeof id, "help.channel.%d.phone", i);
            snprintf(line, sizeof line, app_tr(a, "help.channel_phone"), c->phone);
            sec_text(s, id, line);
        }
        if (*c->url) {
            snprintf(id, sizeof id, "help.channel.%d.qr", i);
            ui_rect q = ui_qr(u, id, c->url, (ui_rect){s->x, s->y, s->w, MIN(s->w, ui_mm(u, 60))});
            s->y += q.h + g / 2;
            snprintf(id, sizeof id, "help.channel.%d.url", i);
            sec_muted(s, id, c->url);
        }
        s->y += g;
    }
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
    if (h->n_maps)
        sec_heading(&s, "help.map.label", app_tr(a, "help.map"));
    for (int i = 0; i < h->n_maps; i++) {
        char prefix[48];
        snprintf(prefix, sizeof prefix, "help.map%d", h->maps[i].floor);
        s.y += hallmap_draw(a, &h->maps[i], prefix, x, s.y, w, 0, true) + g;
    }
    sec_heading(&s, "help.windows.label", app_tr(a, "help.windows"));
    for (int i = 0; i < hall->n_windows; i++) {
        char id[80], floor[96], line[512];
        snprintf(id, sizeof id, "help.window.%s", hall->windows[i].id);
        hallmap_floor_words(a, hall->windows[i].floor, floor, sizeof floor);
        snprintf(line, sizeof line, "%s · %s", app_kt(a, &hall->windows[i].name), floor);
        sec_text(&s, id, line);
    }
    draw_channels(a, &s);
    int y = s.y;
    ui_scroll_end(u, &h->scroll, y + 2 * g - top);
}


static void help_tour(app *a, struct tour *t)
{
    (void)a;
    app_tour_view(t, "help", "tap-id tile.help\n");
    /* the official channels at the end: their QR codes decode in every theme */
    app_tour_view(t, "help-channels", "tap-id tile.help\nscroll help.scroll 6000\n");
}

const struct screen_ops screen_help = {
    .name = "help",
    .enter = help_enter,
    .leave = help_leave,
    .draw = help_draw,
    .title = help_title,
    .tour = help_tour,
};
