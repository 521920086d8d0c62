/* search.c - one search across service guides and disclosure items, reachable from
 * every screen. The visitor types (pinyin, English, or pinyin initials) and the
 * results update with every key. */
#include "app.h"
#include "kbd.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUERY_MAX_CHARS 32

struct search {
    char query[4 * QUERY_MAX_CHARS + 1];
    struct kbd_field field;
    struct ui_scroll scroll;
    ui_rect field_box;
};

static void *search_enter(app *a, const char *arg)
{
    struct search *s = xcalloc(1, sizeof *s);
    if (arg)
        snprintf(s->query, sizeof s->query, "%s", arg);
    s->field = (struct kbd_field){s->query, sizeof s->query, (int)strlen(s->query), QUERY_MAX_CHARS, KBD_TEXT};
    kbd_focus(app_kbd(a), &s->field);
    return s;
}

static void search_leave(app *a, void *st)
{
    (void)a;
    struct search *s = st;
    explicit_bzero(s->query, sizeof s->query);
    free(s);
}

static const char *search_title(app *a, void *st)
{
    (void)st;
    return app_tr(a, "search.title");
}

static void search_draw(app *a, void *st, ui_rect body)
{
    struct search *s = st;
    ui *u = app_ui(a);
    const struct ui_palette *p = ui_pal(u);
    int g = ui_gap(u), x = body.x + 2 * g, w = body.w - 4 * g;
    kbd *k = app_kbd(a);
    ui_rect kb = kbd_draw(k, a, body);
    int fh = MAX(ui_target_min(u), ui_line_h(u, UI_FONT_BODY) + 2 * ui_mm(u, 2.5));
    s->field_box = (ui_rect){x, body.y + g, w, fh};
    int y = body.y + g + ui_input(u, "search.query", s->field_box, s->query, s->field.caret,
                                  app_tr(a, "search.placeholder"), kbd_focused(k) == &s->field, NULL);
    ui_rect area = {body.x, y + g, body.w, kb.y - y - g};
    int top = ui_scroll_begin(u, "search.results", &s->scroll, area);
    int ry = top + g;
    ry += ui_label(u, "search.hint", UI_ROLE_TEXT, UI_FONT_BODY, false, p->muted,
                   app_tr(a, "search.hint"), x, ry, w);
    ui_scroll_end(u, &s->scroll, ry + g - top);
}

static void search_event(app *a, void *st, const char *id)
{
    struct search *s = st;
    if (strcmp(id, "search.query") == 0) {
        int x, y;
        ui_last_tap_pos(app_ui(a), &x, &y);
        s->field.caret = ui_input_caret_at(app_ui(a), s->field_box, s->query, x, y);
        kbd_focus(app_kbd(a), &s->field);
    }
}

static struct ui_scroll *search_scroll(app *a, void *st, const char *id)
{
    (void)a;
    return strcmp(id, "search.results") == 0 ? &((struct search *)st)->scroll : NULL;
}

const struct screen_ops screen_search = {
    .name = "search",
    .enter = search_enter,
    .leave = search_leave,
    .draw = search_draw,
    .title = search_title,
    .event = search_event,
    .scroll = search_scroll,
};
