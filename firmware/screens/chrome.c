/* chrome.c - what every screen shares around its body: the title bar (back, home,
 * the title, search) and the bottom bar (language, text size, contrast, read-aloud,
 * call staff), and the composition of a frame: the base screen in its chrome, then
 * every overlay above it. */
#include "app_internal.h"
#include "hallnote.h"
#include "speak.h"
#include "base/util.h"

#include <stdio.h>
#include <string.h>

/* the height of a chrome button; the bars add a gap above and below */
static int btn_h(ui *u)
{
    return MAX(ui_target_min(u), ui_mm(u, ui_large(u) ? 24.0 : 19.0));
}

/* The title bar: back and home, then the screen's title. A long title (a service's
 * full name) steps down a size and wraps, and the bar grows to hold it: a title is
 * never cut off. */
/* the search button at the right of the title bar, on every screen but search */
static int search_w(app *a)
{
    ui *u = a->ui;
    if (nav_base(a)->ops == &screen_search)
        return 0;
    return MAX(btn_h(u), ui_text_width(u, UI_FONT_BODY, true, app_tr(a, "search.title")) + 2 * ui_mm(u, 4)) +
           ui_gap(u);
}

static int top_x(app *a)
{
    ui *u = a->ui;
    int g = ui_gap(u), x = g;
    if (nav_base(a) != &a->nav[0]) {
        int bh = btn_h(u);
        x += MAX(bh, ui_text_width(u, UI_FONT_BODY, true, app_tr(a, "nav.back")) + 2 * ui_mm(u, 4)) + g;
        x += MAX(bh, ui_text_width(u, UI_FONT_BODY, true, app_tr(a, "nav.home")) + 2 * ui_mm(u, 4)) + 2 * g;
    }
    return x;
}

static enum ui_font title_font(app *a, const char *title, int w)
{
    ui *u = a->ui;
    if (ui_text_width(u, UI_FONT_TITLE, true, title) <= w)
        return UI_FONT_TITLE;
    return UI_FONT_HEADING;
}

static int top_h(app *a)
{
    ui *u = a->ui;
    struct frame *f = nav_base(a);
    const char *title = f->ops->title ? f->ops->title(a, f->st) : "";
    int w = ui_screen(u).w - ui_gap(u) - top_x(a) - search_w(a);
    int th = ui_text_height(u, title_font(a, title, w), true, title, w);
    return MAX(btn_h(u), th) + 2 * ui_gap(u);
}

static void draw_top(app *a, ui_rect r)
{
    ui *u = a->ui;
    const struct ui_palette *p = ui_pal(u);
    struct frame *f = nav_base(a);
    int g = ui_gap(u), bh = btn_h(u);
    ui_fill(u, r, p->primary);
    int x = r.x + g;
    if (nav_base(a) != &a->nav[0]) {
        int bw = MAX(bh, ui_text_width(u, UI_FONT_BODY, true, app_tr(a, "nav.back")) + 2 * ui_mm(u, 4));
        ui_button(u, "nav.back", (ui_rect){x, r.y + g, bw, bh}, UI_BTN_SECONDARY,
                  app_tr(a, "nav.back"), NULL);
        x += bw + g;
        bw = MAX(bh, ui_text_width(u, UI_FONT_BODY, true, app_tr(a, "nav.home")) + 2 * ui_mm(u, 4));
        ui_button(u, "nav.home", (ui_rect){x, r.y + g, bw, bh}, UI_BTN_SECONDARY,
                  app_tr(a, "nav.home"), NULL);
        x += bw + 2 * g;
    }
    const char *title = f->ops->title ? f->ops->title(a, f->st) : "";
    int sw = search_w(a);
    if (sw)
        ui_button(u, "nav.search", (ui_rect){r.x + r.w - sw, r.y + g, sw - g, bh}, UI_BTN_SECONDARY,
                  app_tr(a, "search.title"), NULL);
    int tw = r.x + r.w - g - x - sw;
    enum ui_font font = title_font(a, title, tw);
    int th = ui_text_height(u, font, true, title, tw);
    ui_label(u, "title", UI_ROLE_HEADING, font, true, p->on_primary, title, x, r.y + (r.h - th) / 2, tw);
}

/* The bar at the bottom of every screen: language, text size, contrast, call staff.
 * Its buttons say what they switch to, so the state is in words, not in colour. */
struct chrome_btn {
    const char *id, *label;
    enum ui_button_style style;
};

static int bottom_buttons(app *a, struct chrome_btn *b)
{
    enum ui_theme_id t = ui_theme(a->ui);
    int n = 0;
    b[n++] = (struct chrome_btn){"chrome.lang", app_tr(a, "chrome.lang"), UI_BTN_SECONDARY};
    b[n++] = (struct chrome_btn){"chrome.large",
                                 app_tr(a, t == UI_THEME_STANDARD ? "chrome.large_text" : "chrome.standard_text"),
                                 UI_BTN_SECONDARY};
    b[n++] = (struct chrome_btn){"chrome.contrast",
                                 app_tr(a, t == UI_THEME_CONTRAST ? "chrome.normal_colours" : "chrome.high_contrast"),
                                 UI_BTN_SECONDARY};
    const char *read = !a->reading ? "chrome.read_on" : a->speech_failed ? "chrome.read_unavailable" : "chrome.read_off";
    b[n++] = (struct chrome_btn){"chrome.read", app_tr(a, read), a->reading ? UI_BTN_PRIMARY : UI_BTN_SECONDARY};
    b[n++] = (struct chrome_btn){"chrome.staff", app_tr(a, "chrome.call_staff"), UI_BTN_ACCENT};
    return n;
}

static int bottom_h(app *a)
{
    ui *u = a->ui;
    struct chrome_btn b[8];
    int n = bottom_buttons(a, b), g = ui_gap(u);
    int bw = (ui_screen(u).w - (n + 1) * g) / n, h = btn_h(u);
    for (int i = 0; i < n; i++)
        h = MAX(h, ui_button_height(u, b[i].style, b[i].label, NULL, bw));
    return h + 2 * g;
}

static void draw_bottom(app *a, ui_rect r)
{
    ui *u = a->ui;
    const struct ui_palette *p = ui_pal(u);
    struct chrome_btn b[8];
    int n = bottom_buttons(a, b), g = ui_gap(u);
    ui_fill(u, r, p->surface);
    ui_fill(u, (ui_rect){r.x, r.y, r.w, MAX(1, ui_mm(u, 0.5))}, p->border);
    int bw = (r.w - (n + 1) * g) / n, bh = r.h - 2 * g;
    for (int i = 0; i < n; i++)
        ui_button(u, b[i].id, (ui_rect){r.x + g + i * (bw + g), r.y + g, bw, bh}, b[i].style, b[i].label, NULL);
}


/* Reads the screen aloud from its semantic tree, in reading order: a dialog if one
 * is open, else the screen's words; the keyboard's keys and the chrome are left out. */
void chrome_read_screen(app *a)
{
    ui *u = a->ui;
    strbuf sb = {0};
    int from = 0;
    for (int i = 0; i < ui_tree_count(u); i++)
        if (ui_tree_node(u, i)->role == UI_ROLE_DIALOG)
            from = i;
    for (int i = from; i < ui_tree_count(u) && sb.len < 16 * 1024; i++) {
        const struct ui_node *n = ui_tree_node(u, i);
        if (!n->label[0] || strncmp(n->id, "kb.", 3) == 0 || strncmp(n->id, "chrome.", 7) == 0 ||
            strncmp(n->id, "nav.", 4) == 0 || n->role == UI_ROLE_QR || n->role == UI_ROLE_IMAGE)
            continue;
        strbuf_adds(&sb, n->label);
        strbuf_adds(&sb, "\n");
    }
    if (sb.buf)
        speak_say(a->sp, sb.buf, a->lang);
    strbuf_release(&sb);
}

/* The urgent notice current now (the content's or one staff posted), if any: a banner on every screen ("the hall closes
 * at 15:00 today"); a tap opens it on the notice board. */
static const struct announcement *urgent_notice(app *a)
{
    char today[16];
    app_date_str(a, today, sizeof today);
    unsigned gen = hallnote_gen(a);
    if (strcmp(today, a->urgent_date) != 0 || gen != a->urgent_gen) {
        bool had = a->urgent.n > 0 && a->urgent.items[0].urgent;
        announcement_list_free(&a->urgent);
        snprintf(a->urgent_date, sizeof a->urgent_date, "%s", today);
        a->urgent_gen = gen;
        if (hallnote_list(a, &a->urgent) < 0)
            memset(&a->urgent, 0, sizeof a->urgent); /* no banner; the screens say oops */
        if (had != (a->urgent.n > 0 && a->urgent.items[0].urgent))
            ui_damage_all(a->ui); /* the layout changed: the next frame redraws it all */
    }
    return a->urgent.n > 0 && a->urgent.items[0].urgent ? &a->urgent.items[0] : NULL;
}

static void urgent_label(app *a, const struct announcement *n, char *out, size_t len)
{
    snprintf(out, len, "%s%s %s", app_tr(a, "notice.urgent_prefix"), app_kt(a, &n->title),
             app_tr(a, "notice.more"));
}

static int banner_h(app *a, const struct announcement *n)
{
    if (!n)
        return 0;
    ui *u = a->ui;
    char label[1024];
    urgent_label(a, n, label, sizeof label);
    int g = ui_gap(u);
    return ui_button_height(u, UI_BTN_ACCENT, label, NULL, ui_screen(u).w - 2 * g) + 2 * g;
}

static void draw_banner(app *a, const struct announcement *n, ui_rect r)
{
    ui *u = a->ui;
    char label[1024];
    urgent_label(a, n, label, sizeof label);
    int g = ui_gap(u);
    ui_fill(u, r, ui_pal(u)->surface);
    ui_button(u, "urgent.banner", (ui_rect){r.x + g, r.y + g, r.w - 2 * g, r.h - 2 * g}, UI_BTN_ACCENT,
              label, NULL);
}

void chrome_draw(app *a)
{
    ui *u = a->ui;
    ui_rect s = ui_screen(u);
    struct frame *f = nav_base(a);
    ui_fill(u, s, ui_pal(u)->bg);
    int bottom = bottom_h(a);
    const struct announcement *urgent = urgent_notice(a);
    int bh = banner_h(a, urgent);
    if (f == &a->nav[0]) {
        /* the home screen draws its own header: the hall's name and the clock */
        if (urgent)
            draw_banner(a, urgent, (ui_rect){0, 0, s.w, bh});
        f->ops->draw(a, f->st, (ui_rect){0, bh, s.w, s.h - bh - bottom});
    } else {
        int top = top_h(a);
        draw_top(a, (ui_rect){0, 0, s.w, top});
        if (urgent)
            draw_banner(a, urgent, (ui_rect){0, top, s.w, bh});
        f->ops->draw(a, f->st, (ui_rect){0, top + bh, s.w, s.h - top - bh - bottom});
    }
    draw_bottom(a, (ui_rect){0, s.h - bottom, s.w, bottom});
    for (struct frame *o = f + 1; o <= nav_top(a); o++) {
        ui_tree_inert(u); /* a dialog is modal: what it covers takes no taps */
        o->ops->draw(a, o->st, s);
    }
}

bool chrome_tap(app *a, const char *id)
{
    if (strcmp(id, "nav.back") == 0) {
        app_pop(a);
    } else if (strcmp(id, "nav.home") == 0) {
        app_home(a);
    } else if (strcmp(id, "nav.search") == 0) {
        app_push(a, &screen_search, NULL);
    } else if (strcmp(id, "urgent.banner") == 0) {
        /* on the board already: the board brings the notice into view, no second board */
        if (nav_base(a)->ops == &screen_notices)
            nav_base(a)->ops->event(a, nav_base(a)->st, id);
        else if (a->urgent.n > 0)
            app_push(a, &screen_notices, a->urgent.items[0].id);
    } else if (strcmp(id, "chrome.lang") == 0) {
        app_set_lang(a, a->lang == LANG_ZH ? LANG_EN : LANG_ZH);
        speak_stop(a->sp); /* read again, in the other language */
        a->read_screen = a->reading;
    } else if (strcmp(id, "chrome.large") == 0) {
        app_set_theme(a, ui_theme(a->ui) == UI_THEME_STANDARD ? UI_THEME_LARGE : UI_THEME_STANDARD);
    } else if (strcmp(id, "chrome.contrast") == 0) {
        app_set_theme(a, ui_theme(a->ui) == UI_THEME_CONTRAST ? UI_THEME_LARGE : UI_THEME_CONTRAST);
    } else if (strcmp(id, "chrome.staff") == 0) {
        app_call_staff(a);
    } else if (strcmp(id, "chrome.read") == 0) {
        /* the speech engine and the sound device start on first use: most visitors
         * never need them, and they cost start-up time and memory */
        if (!a->sp && speak_new(&a->sp) < 0)
            a->sp = NULL;
        a->speech_failed = !a->sp;
        app_timer_kick(a, "speech"); /* the engine starts in the background */
        a->reading = !a->reading;
        ui_set_touch_reads(a->ui, a->reading);
        speak_stop(a->sp);
        a->read_screen = a->reading;
    } else {
        return false;
    }
    ui_damage_all(a->ui);
    return true;
}
