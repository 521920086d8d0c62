/* home.c - the home screen: the hall's name, the date and clock, the announcements
 * ticker and the large tiles that lead everywhere. It is also the attract screen, so
 * it is what an idle kiosk shows all day: only the clock (once a minute) and the
 * ticker (a short slide every few seconds) ever redraw, each its own strip. */
#include "app.h"
#include "hallnote.h"
#include "pictos.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>

#include <string.h>

#define TICKER_PAGE_MS 8000
#define TICKER_SLIDE_MS 400
#define TICKER_FRAME_MS 33

struct home {
    struct announcement_list ann;
    char date[16]; /* the day ann was loaded for: a new day reloads it */
    unsigned notes_gen; /* hallnote_gen when loaded: a staff notice posted or gone reloads it */
    int page, prev_page;
    uint64_t page_started; /* when the current page started sliding in */
    uint64_t next_page;
    int shown_minute;
    ui_rect clock_rect, ticker_rect;
};

/* The tiles, in reading order: each says which screen it opens and with what, and
 * its pictogram (assets/pictograms/PICTO.png, pictos.h). A new tile is a row here and
 * its two strings. */
struct tile {
    const char *id, *label, *sub;
    const struct screen_ops *screen;
    const char *arg;
    const char *picto;
};

static const struct tile tiles[] = {
    {"tile.guides", "home.guides", "home.guides_sub", &screen_guides, NULL, "guides"},
    {"tile.disclosure", "home.disclosure", "home.disclosure_sub", &screen_disclosure, NULL, "disclosure"},
    {"tile.request", "home.request", "home.request_sub", &screen_wizard, "info-request", "request"},
    {"tile.feedback", "home.feedback", "home.feedback_sub", &screen_feedback, NULL, "feedback"},
    {"tile.status", "home.status", "home.status_sub", &screen_status, NULL, "status"},
    {"tile.help", "home.help", "home.help_sub", &screen_help, NULL, "help"},
    {"tile.consult", "consult.tile", "consult.tile_sub", &screen_consults, NULL, "consult"},
};

/* the notices current today (the home screen stays up for days); a failed read says
 * so with the oops screen when the screen is entered, and later leaves the ticker
 * empty (a new day would otherwise bring the oops screen back over home) */
static void load_notices(app *a, struct home *h, bool report)
{
    announcement_list_free(&h->ann);
    app_date_str(a, h->date, sizeof h->date);
    h->page = 0;
    h->prev_page = -1;
    h->notes_gen = hallnote_gen(a);
    if (hallnote_list(a, &h->ann) < 0) {
        memset(&h->ann, 0, sizeof h->ann);
        if (report)
            app_push(a, &screen_oops, NULL);
    }
}

static void *home_enter(app *a, const char *arg)
{
    (void)arg;
    struct home *h = xcalloc(1, sizeof *h);
    load_notices(a, h, true);
    h->shown_minute = -1;
    return h;
}

static void home_leave(app *a, void *st)
{
    (void)a;
    struct home *h = st;
    announcement_list_free(&h->ann);
    free(h);
}

static const char *home_title(app *a, void *st)
{
    (void)st;
    return app_kt(a, &app_hall(a)->name);
}

/* "{y}-{m}-{d} {w}" style templates from the string table (home.date) */
static void format_date(app *a, struct tm *tm, char *out, size_t n)
{
    char wkey[32], mkey[32];
    snprintf(wkey, sizeof wkey, "weekday.%d", tm->tm_wday);
    snprintf(mkey, sizeof mkey, "month.%d", tm->tm_mon + 1);
    const char *tpl = app_tr(a, "home.date");
    strbuf sb = {0};
    for (const char *p = tpl; *p; p++) {
        if (p[0] == '{' && p[1] && p[2] == '}') {
            switch (p[1]) {
            case 'y': strbuf_addf(&sb, "%d", tm->tm_year + 1900); break;
            case 'm': strbuf_addf(&sb, "%d", tm->tm_mon + 1); break;
            case 'M': strbuf_adds(&sb, app_tr(a, mkey)); break;
            case 'd': strbuf_addf(&sb, "%d", tm->tm_mday); break;
            case 'w': strbuf_adds(&sb, app_tr(a, wkey)); break;
            default: strbuf_add(&sb, p, 3); break;
            }
            p += 2;
        } else {
            strbuf_addc(&sb, *p);
        }
    }
    snprintf(out, n, "%s", sb.buf ? sb.buf : "");
    strbuf_release(&sb);
}

static void draw_header(app *a, struct home *h, ui_rect r)
{
    ui *u = app_ui(a);
    const struct ui_palette *p = ui_pal(u);
    int g = ui_gap(u);
    ui_fill(u, r, p->primary);
    time_t now = app_wall(a);
    struct tm tm;
    localtime_r(&now, &tm);
    char clock[16], date[128];
    snprintf(clock, sizeof clock, "%02d:%02d", tm.tm_hour, tm.tm_min);
    format_date(a, &tm, date, sizeof date);
    h->shown_minute = tm.tm_hour * 60 + tm.tm_min;

    int clock_w = ui_text_width(u, UI_FONT_HUGE, true, "00:00") + 2 * g;
    int name_w = r.w - 3 * g - clock_w;
    int y = r.y + g;
    int nh = ui_label(u, "home.hall", UI_ROLE_HEADING, UI_FONT_TITLE, true, p->on_primary,
                      app_kt(a, &app_hall(a)->name), r.x + 2 * g, y, name_w - g);
    ui_label(u, "home.date", UI_ROLE_TEXT, UI_FONT_BODY, false, p->on_primary, date, r.x + 2 * g,
             y + nh + g / 2, name_w - g);
    h->clock_rect = (ui_rect){r.x + r.w - g - clock_w, r.y, clock_w, r.h};
    ui_fill(u, h->clock_rect, p->primary);
    int ch = ui_line_h(u, UI_FONT_HUGE);
    ui_text(u, UI_FONT_HUGE, true, p->on_primary, clock,
            (ui_rect){h->clock_rect.x, r.y + (r.h - ch) / 2, clock_w - g, 0}, UI_ALIGN_RIGHT, NULL);
    ui_node_add(u, "home.clock", UI_ROLE_TEXT, clock, h->clock_rect, false);
}

static int header_h(app *a, ui_rect body)
{
    ui *u = app_ui(a);
    int g = ui_gap(u);
    int clock_w = ui_text_width(u, UI_FONT_HUGE, true, "00:00") + 2 * g;
    int name_w = body.w - 3 * g - clock_w - g;
    int nh = ui_text_height(u, UI_FONT_TITLE, true, app_kt(a, &app_hall(a)->name), name_w);
    int need = g + nh + g / 2 + ui_line_h(u, UI_FONT_BODY) + g;
    return MAX(need, ui_line_h(u, UI_FONT_HUGE) + 2 * g);
}

/* The ticker: the "Notices" key that opens the board, then the current notice's title
 * (one slide every few seconds) and "read all", which open the board at that notice.
 * The strip is as tall as the longest current title needs, up to TICKER_MAX_LINES; a
 * title longer than that is cut, and the tree says so. */
#define TICKER_MAX_LINES 3

static void ticker_label(app *a, const struct announcement *an, char *out, size_t n)
{
    snprintf(out, n, "%s%s", an->urgent ? app_tr(a, "notice.urgent_prefix") : "", app_kt(a, &an->title));
}

static int ticker_key_w(app *a)
{
    ui *u = app_ui(a);
    return MAX(ui_target_min(u), ui_text_width(u, UI_FONT_BODY, true, app_tr(a, "home.notice")) + 2 * ui_gap(u));
}

static int ticker_more_w(app *a)
{
    ui *u = app_ui(a);
    return ui_text_width(u, UI_FONT_SMALL, true, app_tr(a, "notice.more")) + 2 * ui_gap(u);
}

static int ticker_h(app *a, struct home *h, int w)
{
    ui *u = app_ui(a);
    int g = ui_gap(u), lh = ui_line_h(u, UI_FONT_BODY), text_h = lh;
    int tw = w - ticker_key_w(a) - ticker_more_w(a) - 2 * g;
    char label[1024];
    for (int i = 0; i < h->ann.n; i++) {
        ticker_label(a, &h->ann.items[i], label, sizeof label);
        text_h = MAX(text_h, MIN(TICKER_MAX_LINES * lh, ui_text_height(u, UI_FONT_BODY, false, label, tw)));
    }
    return MAX(ui_target_min(u), text_h + 2 * g);
}

static void draw_ticker(app *a, struct home *h, ui_rect r, uint64_t now)
{
    ui *u = app_ui(a);
    const struct ui_palette *p = ui_pal(u);
    int g = ui_gap(u);
    h->ticker_rect = r;
    ui_fill(u, r, p->highlight);
    const char *label = app_tr(a, "home.notice");
    int lw = ticker_key_w(a);
    ui_rect key = {r.x, r.y, lw, r.h};
    ui_fill(u, key, p->accent);
    ui_text(u, UI_FONT_BODY, true, p->on_accent, label,
            (ui_rect){r.x, r.y + (r.h - ui_line_h(u, UI_FONT_BODY)) / 2, lw, 0}, UI_ALIGN_CENTER, NULL);
    ui_node_add(u, "home.notices", UI_ROLE_BUTTON, label, key, true);
    ui_rect area = {r.x + lw, r.y, r.w - lw, r.h};
    if (h->ann.n == 0) {
        ui_node_add(u, "home.ticker", UI_ROLE_TEXT, app_tr(a, "notice.none"), area, false);
        return;
    }
    if (ui_is_held(u, "home.ticker"))
        ui_fill(u, area, p->pressed);
    const char *more = app_tr(a, "notice.more");
    int mw = ticker_more_w(a);
    ui_rect text = {area.x + g, area.y, area.w - mw - 2 * g, area.h};
    ui_text(u, UI_FONT_SMALL, true, p->text, more,
            (ui_rect){area.x + area.w - mw, area.y + (area.h - ui_line_h(u, UI_FONT_SMALL)) / 2, mw, 0},
            UI_ALIGN_CENTER, NULL);
    double t = h->prev_page < 0 ? 1.0 : (double)(now - h->page_started) / TICKER_SLIDE_MS;
    if (t > 1.0)
        t = 1.0;
    ui_clip_push(u, text);
    int lh = ui_line_h(u, UI_FONT_BODY);
    bool cut = false;
    char line[1024];
    for (int k = 0; k < 2; k++) {
        int idx = k == 0 ? h->page : h->prev_page;
        if (idx < 0 || (k == 1 && t >= 1.0))
            continue;
        int dy = k == 0 ? (int)((1.0 - t) * text.h) : -(int)(t * text.h);
        ticker_label(a, &h->ann.items[idx], line, sizeof line);
        int full = ui_text_height(u, UI_FONT_BODY, false, line, text.w);
        int th = MIN(TICKER_MAX_LINES * lh, full);
        ui_text(u, UI_FONT_BODY, false, p->text, line,
                (ui_rect){text.x, text.y + (text.h - th) / 2 + dy, text.w, TICKER_MAX_LINES * lh},
                UI_ALIGN_LEFT, NULL);
        /* cut by the line limit, not by the clip while a title slides in */
        if (k == 0)
            cut = full > TICKER_MAX_LINES * lh;
    }
    ui_clip_pop(u);
    ticker_label(a, &h->ann.items[h->page], line, sizeof line);
    char *node = xasprintf("%s %s", line, more);
    ui_node_add(u, "home.ticker", UI_ROLE_BUTTON, node, area, true);
    if (cut)
        ui_node_truncated(u);
    free(node);
}

static void home_draw(app *a, void *st, ui_rect body)
{
    struct home *h = st;
    ui *u = app_ui(a);
    int g = ui_gap(u);
    uint64_t now = app_now_ms(a);
    int hh = header_h(a, body);
    draw_header(a, h, (ui_rect){body.x, body.y, body.w, hh});
    int th = ticker_h(a, h, body.w);
    draw_ticker(a, h, (ui_rect){body.x, body.y + hh, body.w, th}, now);

    int sbh = MAX(ui_mm(u, 18), ui_button_height(u, UI_BTN_SECONDARY, app_tr(a, "home.search"), NULL,
                                                 body.w - 4 * g));
    ui_button(u, "nav.search", (ui_rect){body.x + 2 * g, body.y + hh + th + 2 * g, body.w - 4 * g, sbh},
              UI_BTN_SECONDARY, app_tr(a, "home.search"), NULL);
    int top = body.y + hh + th + 2 * g + sbh + 2 * g;
    bool landscape = body.w > body.h;
    int cols = landscape ? 4 : 2, rows = ((int)ARRAY_SIZE(tiles) + cols - 1) / cols;
    int tw = (body.w - (cols + 1) * 2 * g) / cols;
    int tile_h = (body.y + body.h - top - (rows - 1) * 2 * g - g) / rows;
    for (int i = 0; i < (int)ARRAY_SIZE(tiles); i++) {
        int c = i % cols, r = i / cols;
        ui_rect rr = {body.x + 2 * g + c * (tw + 2 * g), top + r * (tile_h + 2 * g), tw, tile_h};
        ui_button_picto(u, tiles[i].id, rr, UI_BTN_TILE, app_tr(a, tiles[i].label), app_tr(a, tiles[i].sub),
                        pictos_get(tiles[i].picto));
    }
}

static void home_event(app *a, void *st, const char *id)
{
    struct home *h = st;
    if (strcmp(id, "home.notices") == 0) {
        app_push(a, &screen_notices, NULL);
        return;
    }
    if (strcmp(id, "home.ticker") == 0) {
        if (h->page < h->ann.n)
            app_push(a, &screen_notices, h->ann.items[h->page].id);
        return;
    }
    for (size_t i = 0; i < ARRAY_SIZE(tiles); i++)
        if (strcmp(id, tiles[i].id) == 0) {
            app_push(a, tiles[i].screen, tiles[i].arg);
            return;
        }
}

static int home_tick(app *a, void *st, uint64_t now)
{
    struct home *h = st;
    ui *u = app_ui(a);
    char today[16];
    app_date_str(a, today, sizeof today);
    if (strcmp(today, h->date) != 0 || hallnote_gen(a) != h->notes_gen) {
        if (hallnote_gen(a) != h->notes_gen)
            h->next_page = 0; /* staff changed the notices: the first gets its whole time */
        load_notices(a, h, false);
        ui_damage_all(u);
    }
    if (h->next_page == 0)
        h->next_page = now + TICKER_PAGE_MS;
    if (h->ann.n > 1 && now >= h->next_page) {
        h->prev_page = h->page;
        h->page = (h->page + 1) % h->ann.n;
        h->page_started = now;
        h->next_page = now + TICKER_PAGE_MS;
    }
    int wait = (int)(h->next_page - now);
    if (h->prev_page >= 0) {
        if (now - h->page_started <= TICKER_SLIDE_MS + TICKER_FRAME_MS) {
            ui_damage(u, h->ticker_rect);
            wait = TICKER_FRAME_MS;
        } else {
            h->prev_page = -1; /* slide finished; the last frame drew the new page */
            ui_damage(u, h->ticker_rect);
        }
    }
    time_t wall = app_wall(a);
    struct tm tm;
    localtime_r(&wall, &tm);
    if (tm.tm_hour * 60 + tm.tm_min != h->shown_minute && h->shown_minute >= 0)
        ui_damage(u, h->clock_rect);
    int to_minute = (60 - tm.tm_sec) * 1000;
    return MIN(wait, to_minute);
}

static void home_tour(app *a, struct tour *t)
{
    (void)a;
    app_tour_view(t, "home", "%s", "");
}

const struct screen_ops screen_home = {
    .name = "home",
    .enter = home_enter,
    .leave = home_leave,
    .draw = home_draw,
    .title = home_title,
    .event = home_event,
    .tick = home_tick,
    .tour = home_tour,
};
