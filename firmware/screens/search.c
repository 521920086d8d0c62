/* search.c - one search across service guides and disclosure items, reachable from
 * every screen. The visitor types (pinyin, English, or pinyin initials) and the
 * results update with every key. */
#include "app.h"
#include "kbd.h"
#include "core/search.h"
#include "base/util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUERY_MAX_CHARS 32

#define MISS_PAUSE_MS 3000
#define PER_GROUP 20

struct search {
    char query[4 * QUERY_MAX_CHARS + 1];
    struct kbd_field field;
    struct ui_scroll scroll;
    ui_rect field_box;
    struct search_result res;
    bool has_res;
    uint64_t typed_at;  /* when the query last changed; a pause with nothing found */
    bool miss_counted;  /* counts it as a failed search once */
};

static void count_miss(app *a, struct search *s)
{
    char key[256], day[16];
    if (s->miss_counted || !s->has_res || s->res.n_groups > 0 || !s->query[0])
        return;
    s->miss_counted = true;
    if (search_miss_key(s->query, key, sizeof key) <= 0)
        return; /* empty, or it may be personal (digits of an ID, an email): not counted */
    if (!app_search(a) || search_miss_known(app_search(a), key) != 1) {
        sodium_memzero(key, sizeof key);
        return; /* not the content's own words (a name, say): not counted */
    }
    app_date_str(a, day, sizeof day);
    state_search_miss(app_state(a), key, day);
    sodium_memzero(key, sizeof key);
}

static void run_query(app *a, struct search *s)
{
    if (s->has_res)
        search_result_free(&s->res);
    s->has_res = false;
    s->miss_counted = false;
    s->typed_at = app_now_ms(a);
    s->scroll.offset = 0;
    if (!s->query[0] || !app_search(a))
        return;
    if (search_run(app_search(a), s->query, app_lang(a), PER_GROUP, &s->res) == 0)
        s->has_res = true;
}

static void *search_enter(app *a, const char *arg)
{
    struct search *s = xcalloc(1, sizeof *s);
    if (arg)
        snprintf(s->query, sizeof s->query, "%s", arg);
    s->field = (struct kbd_field){s->query, sizeof s->query, (int)strlen(s->query), QUERY_MAX_CHARS, KBD_TEXT};
    kbd_focus(app_kbd(a), &s->field);
    if (s->query[0])
        run_query(a, s);
    return s;
}

static void search_leave(app *a, void *st)
{
    struct search *s = st;
    count_miss(a, s);
    if (s->has_res)
        search_result_free(&s->res);
    sodium_memzero(s->query, sizeof s->query);
    free(s);
}

static const char *search_title(app *a, void *st)
{
    (void)st;
    return app_tr(a, "search.title");
}

/* A box behind bytes [AT, AT+LEN) of TEXT drawn at X, Y in width W, and a line
 * under them: the highlight is never only a colour. */
static void mark_match(ui *u, enum ui_font f, bool bold, const char *text, int w, int at, int len, int x, int y)
{
    const struct ui_palette *p = ui_pal(u);
    ui_rect spans[4];
    int n = len > 0 ? ui_text_span(u, f, bold, text, w, at, len, spans, 4) : 0;
    int line = MAX(2, ui_mm(u, 0.6));
    for (int i = 0; i < n; i++) {
        ui_rect m = {x + spans[i].x, y + spans[i].y, spans[i].w, spans[i].h};
        ui_fill(u, m, p->highlight);
        ui_fill(u, (ui_rect){m.x, m.y + m.h - line, m.w, line}, p->text);
    }
}

/* one hit: its title with the match highlighted (a filled box behind the matched
 * characters, and the match also named in the tree), and a snippet under it */
static int draw_hit(app *a, const struct search_group *grp, const struct search_hit *h, int x, int y, int w)
{
    ui *u = app_ui(a);
    const struct ui_palette *p = ui_pal(u);
    int pad = ui_mm(u, 3), tw = w - 2 * pad;
    int th = ui_text_height(u, UI_FONT_BODY, true, h->title, tw);
    int sh = *h->snippet ? ui_text_height(u, UI_FONT_SMALL, false, h->snippet, tw) : 0;
    int rh = MAX(ui_target_min(u), th + sh + 2 * pad);
    char id[160];
    snprintf(id, sizeof id, "hit.%s.%s", grp->kind == SEARCH_SERVICE ? "svc" : "doc", h->id);
    ui_rect r = {x, y, w, rh};
    if (ui_visible(u, r)) {
        ui_fill(u, r, ui_is_held(u, id) ? p->pressed : p->surface);
        ui_fill(u, (ui_rect){x, y + rh - MAX(1, ui_mm(u, 0.4)), w, MAX(1, ui_mm(u, 0.4))}, p->border);
        mark_match(u, UI_FONT_BODY, true, h->title, tw, h->title_at, h->title_len, x + pad, y + pad);
        ui_text(u, UI_FONT_BODY, true, p->text, h->title, (ui_rect){x + pad, y + pad, tw, 0}, UI_ALIGN_LEFT, NULL);
        if (sh)
            mark_match(u, UI_FONT_SMALL, false, h->snippet, tw, h->snippet_at, h->snippet_len, x + pad, y + pad + th);
        if (sh)
            ui_text(u, UI_FONT_SMALL, false, p->muted, h->snippet, (ui_rect){x + pad, y + pad + th, tw, 0},
                    UI_ALIGN_LEFT, NULL);
    }
    char *label = xasprintf("%s\n%s", h->title, h->snippet);
    ui_node_add(u, id, UI_ROLE_ITEM, label, r, true);
    free(label);
    if (h->title_len) {
        char mid[176], match[256];
        snprintf(mid, sizeof mid, "%s.match", id);
        snprintf(match, sizeof match, "%.*s", h->title_len, h->title + h->title_at);
        ui_node_add(u, mid, UI_ROLE_TEXT, match, (ui_rect){x + pad, y + pad, tw, th}, false);
    }
    return rh;
}

static int draw_group(app *a, const struct search_group *grp, int x, int y, int w)
{
    ui *u = app_ui(a);
    char head[128];
    snprintf(head, sizeof head, app_tr(a, grp->kind == SEARCH_SERVICE ? "search.group_services" : "search.group_docs"),
             grp->n, grp->more ? "+" : "");
    y += ui_label(u, grp->kind == SEARCH_SERVICE ? "search.group.svc" : "search.group.doc", UI_ROLE_HEADING,
                  UI_FONT_HEADING, true, ui_pal(u)->text, head, x, y, w) + ui_gap(u) / 2;
    for (int i = 0; i < grp->n; i++)
        y += draw_hit(a, grp, &grp->hits[i], x, y, w) + ui_gap(u) / 3;
    return y + ui_gap(u);
}

/* nothing found: say so, and offer the ways that do not need the right word */
static int draw_nothing(app *a, int x, int y, int w)
{
    ui *u = app_ui(a);
    int y0 = y, g = ui_gap(u);
    y += ui_label(u, "search.nothing", UI_ROLE_HEADING, UI_FONT_HEADING, true, ui_pal(u)->text,
                  app_tr(a, "search.nothing"), x, y, w) + g;
    static const char *const ways[][2] = {{"search.to_guides", "search.try_guides"},
                                          {"search.to_docs", "search.try_docs"},
                                          {"chrome.staff", "search.try_staff"}};
    for (size_t i = 0; i < ARRAY_SIZE(ways); i++) {
        const char *label = app_tr(a, ways[i][1]);
        int bh = MAX(ui_mm(u, 18), ui_button_height(u, UI_BTN_SECONDARY, label, NULL, w));
        ui_button(u, ways[i][0], (ui_rect){x, y, w, bh}, i == 2 ? UI_BTN_ACCENT : UI_BTN_SECONDARY, label, NULL);
        y += bh + g;
    }
    return y - y0;
}

static int search_tick(app *a, void *st, uint64_t now)
{
    struct search *s = st;
    if (s->has_res && !s->miss_counted && s->res.n_groups == 0 && s->query[0]) {
        if (now >= s->typed_at + MISS_PAUSE_MS)
            count_miss(a, s);
        else
            return (int)(s->typed_at + MISS_PAUSE_MS - now);
    }
    return 1000;
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
    if (!s->query[0] || !s->has_res) {
        ry += ui_label(u, "search.hint", UI_ROLE_TEXT, UI_FONT_BODY, false, p->muted,
                       app_tr(a, "search.hint"), x, ry, w);
    } else if (s->res.n_groups == 0) {
        ry += draw_nothing(a, x, ry, w);
    } else {
        for (int gi = 0; gi < s->res.n_groups; gi++)
            ry = draw_group(a, &s->res.groups[gi], x, ry, w);
    }
    ui_scroll_end(u, &s->scroll, ry + g - top);
}

static void search_event(app *a, void *st, const char *id)
{
    struct search *s = st;
    if (strcmp(id, "field.changed") == 0) {
        run_query(a, s);
    } else if (strncmp(id, "hit.svc.", 8) == 0) {
        app_push(a, &screen_guide, id + 8);
    } else if (strncmp(id, "hit.doc.", 8) == 0) {
        app_push(a, &screen_doc, id + 8);
    } else if (strcmp(id, "search.to_guides") == 0) {
        count_miss(a, s);
        app_push(a, &screen_guides, NULL);
    } else if (strcmp(id, "search.to_docs") == 0) {
        count_miss(a, s);
        app_push(a, &screen_disclosure, NULL);
    } else if (strcmp(id, "search.query") == 0) {
        int x, y;
        ui_last_tap_pos(app_ui(a), &x, &y);
        s->field.caret = ui_input_caret_at(app_ui(a), s->field_box, s->query, x, y);
        kbd_focus(app_kbd(a), &s->field);
    }
}


static void search_tour(app *a, struct tour *t)
{
    (void)a;
    app_tour_view(t, "search", "tap-id nav.search\n");
}

const struct screen_ops screen_search = {
    .name = "search",
    .enter = search_enter,
    .leave = search_leave,
    .draw = search_draw,
    .title = search_title,
    .event = search_event,
    .tick = search_tick,
    .pii = true,
    .tour = search_tour,
};
