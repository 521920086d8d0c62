/* soon.c - what a tile opens while its screen is not built yet: says so plainly, in
 * both languages, and offers the way back and the inquiry desk. */
#include "app.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>

struct soon {
    char *title_key;
};

static void *soon_enter(app *a, const char *arg)
{
    (void)a;
    struct soon *s = xcalloc(1, sizeof *s);
    s->title_key = xstrdup(arg ? arg : "soon.title");
    return s;
}

static void soon_leave(app *a, void *st)
{
    (void)a;
    struct soon *s = st;
    free(s->title_key);
    free(s);
}

static const char *soon_title(app *a, void *st)
{
    return app_tr(a, ((struct soon *)st)->title_key);
}

static void soon_draw(app *a, void *st, ui_rect body)
{
    (void)st;
    ui *u = app_ui(a);
    const struct ui_palette *p = ui_pal(u);
    int g = ui_gap(u), x = body.x + 3 * g, w = body.w - 6 * g, y = body.y + 4 * g;
    y += ui_label(u, "soon.heading", UI_ROLE_HEADING, UI_FONT_TITLE, true, p->text,
                  app_tr(a, "soon.heading"), x, y, w) + 2 * g;
    y += ui_label(u, "soon.body", UI_ROLE_TEXT, UI_FONT_BODY, false, p->text,
                  app_tr(a, "soon.body"), x, y, w) + g;
    ui_label(u, "soon.inquiry", UI_ROLE_TEXT, UI_FONT_BODY, false, p->muted,
             app_kt(a, &app_hall(a)->inquiry), x, y, w);
}

const struct screen_ops screen_soon = {
    .name = "soon",
    .enter = soon_enter,
    .leave = soon_leave,
    .draw = soon_draw,
    .title = soon_title,
};
