/* notices.c - the notice board: every notice current by the kiosk's clock (the
 * content's and those hall staff posted, hallnote.h), urgent ones first, then the newest, each read in full with its date and agency. The ticker
 * on the home screen and the urgent banner open it at one notice (ARG: its id); the
 * banner tapped on the board brings that notice to the top. The page scrolls. */
#include "app.h"
#include "hallnote.h"
#include "sections.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct board {
    struct announcement_list ann;
    struct ui_scroll scroll;
    char *jump; /* the notice to bring to the top on the next frame; NULL: none */
};

static void *notices_enter(app *a, const char *arg)
{
    struct board *b = xcalloc(1, sizeof *b);
    if (hallnote_list(a, &b->ann) < 0) {
        memset(&b->ann, 0, sizeof b->ann);
        app_push(a, &screen_oops, NULL);
    }
    if (arg && *arg)
        b->jump = xstrdup(arg);
    return b;
}

static void notices_leave(app *a, void *st)
{
    (void)a;
    struct board *b = st;
    announcement_list_free(&b->ann);
    free(b->jump);
    free(b);
}

static const char *notices_title(app *a, void *st)
{
    (void)st;
    return app_tr(a, "notice.title");
}

/* the date, then the agency: "10 Nov 2026 · the city housing fund centre" in English */
static void meta_line(app *a, const struct announcement *n, char *out, size_t len)
{
    char date[64] = "";
    if (n->published[0])
        app_format_date(a, n->published, date, sizeof date);
    const char *agency = app_kt(a, &n->agency);
    snprintf(out, len, "%s%s%s", date, date[0] && *agency ? app_tr(a, "notice.meta_sep") : "", agency);
}

static void card(app *a, const struct announcement *n, int i, struct sec *s)
{
    ui *u = app_ui(a);
    const struct ui_palette *p = ui_pal(u);
    int g = ui_gap(u);
    char id[64], meta[512];
    if (n->urgent) {
        const char *tag = app_tr(a, "notice.urgent");
        int tw = ui_text_width(u, UI_FONT_SMALL, true, tag) + 2 * g, th = ui_line_h(u, UI_FONT_SMALL) + g;
        ui_fill_round(u, (ui_rect){s->x, s->y, tw, th}, ui_mm(u, 1), p->accent);
        ui_text(u, UI_FONT_SMALL, true, p->on_accent, tag, (ui_rect){s->x, s->y + g / 2, tw, 0},
                UI_ALIGN_CENTER, NULL);
        snprintf(id, sizeof id, "notice.%d.urgent", i);
        ui_node_add(u, id, UI_ROLE_TEXT, tag, (ui_rect){s->x, s->y, tw, th}, false);
        s->y += th + g / 2;
    }
    snprintf(id, sizeof id, "notice.%d.title", i);
    sec_heading(s, id, app_kt(a, &n->title));
    meta_line(a, n, meta, sizeof meta);
    snprintf(id, sizeof id, "notice.%d.meta", i);
    sec_muted(s, id, meta);
    s->y += g / 2;
    /* one node per paragraph (a blank line between), so a test or read-aloud can tell
     * how far down a long notice is on screen */
    const char *body = app_kt(a, &n->body);
    for (int k = 0; *body; k++) {
        const char *end = strstr(body, "\n\n");
        size_t len = end ? (size_t)(end - body) : strlen(body);
        char *para = xstrndup(body, len);
        snprintf(id, sizeof id, "notice.%d.body.%d", i, k);
        sec_text(s, id, para);
        free(para);
        body += len;
        while (*body == '\n')
            body++;
    }
}

static void notices_draw(app *a, void *st, ui_rect body)
{
    struct board *b = st;
    ui *u = app_ui(a);
    const struct ui_palette *p = ui_pal(u);
    int g = ui_gap(u), jump_y = -1;
    int top = ui_scroll_begin(u, "notice.scroll", &b->scroll, body);
    struct sec s = sec_start(a, body.x + 3 * g, top + 2 * g, body.w - 6 * g);
    if (b->ann.n == 0)
        sec_text(&s, "notice.none", app_tr(a, "notice.none"));
    for (int i = 0; i < b->ann.n; i++) {
        if (i > 0) {
            s.y += g;
            ui_fill(u, (ui_rect){s.x, s.y, s.w, MAX(1, ui_mm(u, 0.4))}, p->border);
            s.y += 2 * g;
        }
        if (b->jump && strcmp(b->jump, b->ann.items[i].id) == 0)
            jump_y = s.y - top - g;
        card(a, &b->ann.items[i], i, &s);
    }
    ui_scroll_end(u, &b->scroll, s.y + 3 * g - top);
    if (b->jump) {
        /* opened at one notice: bring it to the top once the page is laid out */
        freep(&b->jump);
        if (jump_y > 0) {
            b->scroll.offset = jump_y;
            ui_damage_all(u);
        }
    }
}

/* the urgent banner tapped while the board is up (chrome.c hands it over): the
 * urgent notice, first on the board as in the banner, comes to the top */
static void notices_event(app *a, void *st, const char *id)
{
    struct board *b = st;
    if (strcmp(id, "urgent.banner") != 0 || b->ann.n == 0 || !b->ann.items[0].urgent)
        return;
    free(b->jump);
    b->jump = xstrdup(b->ann.items[0].id);
    ui_damage_all(app_ui(a));
}

static void notices_tour(app *a, struct tour *t)
{
    (void)a;
    /* the demo's urgent notice is current on 2026-12-31 only: its banner, then the
     * tour's own day again for the screens after this one */
    app_tour_view(t, "notices-urgent", "now 2026-12-31T09:30\nopen notices\n");
    app_tour_view(t, "notices", "now 2026-11-28T09:30\nopen notices\n");
}

const struct screen_ops screen_notices = {
    .name = "notices",
    .enter = notices_enter,
    .leave = notices_leave,
    .draw = notices_draw,
    .title = notices_title,
    .event = notices_event,
    .tour = notices_tour,
};
