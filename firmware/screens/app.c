/* app.c - see app.h. */
#include "app.h"
#include "kbd.h"
#include "speak.h"
#include "core/search.h"
#include "core/seal.h"
#include "core/workday.h"
#include "base/util.h"

#include <SDL.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define NAV_MAX 16
#define IDLE_WARN_SECONDS 30 /* at least 20 s to answer "need more time?" */

extern char **environ;

struct frame {
    const struct screen_ops *ops;
    void *st;
    uint64_t next_tick; /* 0 = none */
};

enum dialog { DLG_NONE, DLG_STAFF, DLG_IDLE, DLG_USB_BUSY, DLG_USB_DONE };

struct app {
    struct kiosk_config *cfg;
    store *content;
    state *state;
    ui *ui;
    bool headless, fullscreen, quit;
    kiosk_lang lang;
    struct hall hall;
    struct kbd *kbd;
    /* content.db is replaced whole by an install (a rename): we notice a new inode
     * at a quiet moment (the home screen, no dialog) and reopen */
    dev_t content_dev;
    ino_t content_ino;
    uint64_t next_content_check;
    struct speak *sp;      /* read-aloud; NULL when it could not start */
    struct search *search; /* over the current content.db, reopened with it */
    const char *exe_dir, *config_path;
    uint64_t corner_since; /* the staff gesture: when the corner press began, 0 none */
    uint64_t next_usb_check;
    bool usb_busy_seen;    /* a stick was being read at the last check */
    char usb_msg[640];
    bool reading;          /* the read-aloud switch */
    bool read_screen;      /* read the screen once its next frame is drawn */
    struct seal_public seal;
    bool has_seal;
    struct workday_cal *cal;
    uint64_t kbd_wake; /* a held backspace repeats then */

    struct frame nav[NAV_MAX];
    int depth;

    bool virtual_time;
    uint64_t vnow;
    time_t wall_offset; /* added to the real clock, or the virtual wall clock */
    bool wall_fixed;
    time_t wall_fixed_at;
    uint64_t wall_fixed_ms;

    uint64_t last_input;
    enum dialog dialog;
    uint64_t dialog_deadline;
    int idle_shown_secs;
};

/* ---- time -------------------------------------------------------------------------- */

uint64_t app_now_ms(app *a)
{
    return a->virtual_time ? a->vnow : SDL_GetTicks64();
}

void app_set_virtual_time(app *a, uint64_t now_ms)
{
    a->virtual_time = true;
    a->vnow = now_ms;
}

time_t app_wall(app *a)
{
    if (a->wall_fixed)
        return a->wall_fixed_at + (time_t)((app_now_ms(a) - a->wall_fixed_ms) / 1000);
    return time(NULL);
}

void app_set_wall(app *a, time_t t)
{
    a->wall_fixed = true;
    a->wall_fixed_at = t;
    a->wall_fixed_ms = app_now_ms(a);
    ui_damage_all(a->ui);
}

void app_date_str(app *a, char *buf, size_t n)
{
    time_t t = app_wall(a);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%d", &tm);
}

/* ---- accessors ---------------------------------------------------------------------- */

kiosk_lang app_lang(app *a) { return a->lang; }
ui *app_ui(app *a) { return a->ui; }
struct kbd *app_kbd(app *a) { return a->kbd; }
struct speak *app_speak(app *a) { return a->sp; }
struct search *app_search(app *a) { return a->search; }
const char *app_exe_dir(app *a) { return a->exe_dir ? a->exe_dir : "."; }
const char *app_config_path(app *a) { return a->config_path; }
bool app_reading(app *a) { return a->reading; }
const struct seal_public *app_seal_key(app *a) { return a->has_seal ? &a->seal : NULL; }
const struct workday_cal *app_calendar(app *a) { return a->cal; }

void app_status_url(app *a, const char *receipt, char *out, size_t n)
{
    snprintf(out, n, "%s%s", a->cfg->status_url, receipt);
}

void app_format_date(app *a, const char *iso, char *out, size_t n)
{
    workday_date d;
    if (workday_date_parse(iso, &d) < 0) {
        snprintf(out, n, "%s", iso);
        return;
    }
    char mkey[16];
    snprintf(mkey, sizeof mkey, "month.%d", d.m);
    if (a->lang == LANG_EN)
        snprintf(out, n, "%d %s %d", d.d, app_tr(a, mkey), d.y);
    else
        snprintf(out, n, app_tr(a, "date.ymd"), d.y, d.m, d.d);
}

/* what belongs to the content: the hall and the calendar, reloaded with it */
static void load_content_parts(app *a)
{
    hall_free(&a->hall);
    if (store_hall(a->content, &a->hall) < 0)
        memset(&a->hall, 0, sizeof a->hall);
    workday_cal_free(a->cal);
    a->cal = NULL;
    if (a->hall.region && store_calendar(a->content, a->hall.region, &a->cal) < 0)
        a->cal = NULL;
    search_close(a->search);
    a->search = NULL;
    char err[256];
    if (search_open(a->cfg->content_db, &a->search, err, sizeof err) < 0) {
        fprintf(stderr, "kiosk: search unavailable: %s\n", err);
        a->search = NULL;
    }
}
store *app_store(app *a) { return a->content; }
state *app_state(app *a) { return a->state; }
const struct kiosk_config *app_config(app *a) { return a->cfg; }
const struct hall *app_hall(app *a) { return &a->hall; }

const char *app_tr(app *a, const char *key)
{
    return i18n(key, a->lang);
}

const char *app_kt(app *a, const ktext *t)
{
    const char *s = t->s[a->lang];
    /* content always has both languages; fall back rather than show nothing */
    if (!s || !*s)
        s = t->s[a->lang == LANG_EN ? LANG_ZH : LANG_EN];
    return s ? s : "";
}

void app_set_lang(app *a, kiosk_lang l)
{
    a->lang = l;
    ui_damage_all(a->ui);
}

void app_set_theme(app *a, enum ui_theme_id t)
{
    ui_set_theme(a->ui, t);
}

void app_set_target(app *a, SDL_Surface *s)
{
    ui_set_target(a->ui, s);
    ui_forget(a->ui);
}

/* ---- navigation ------------------------------------------------------------------- */

static void changed(app *a)
{
    ui_forget(a->ui);
    /* speech stops when the screen changes; the new one is read once drawn */
    speak_stop(a->sp);
    a->read_screen = a->reading;
    struct frame *f = &a->nav[a->depth - 1];
    f->next_tick = f->ops->tick ? 1 : 0; /* tick the new top screen soon */
}

void app_push(app *a, const struct screen_ops *ops, const char *arg)
{
    expect(a->depth < NAV_MAX);
    kbd_reset(a->kbd); /* the focused field belongs to the screen below */
    struct frame *f = &a->nav[a->depth++];
    f->ops = ops;
    f->st = ops->enter ? ops->enter(a, arg) : NULL;
    f->next_tick = 0;
    changed(a);
}

static void leave_top(app *a)
{
    kbd_reset(a->kbd); /* the focused field belonged to the screen we leave */
    struct frame *f = &a->nav[--a->depth];
    if (f->ops->leave)
        f->ops->leave(a, f->st);
    f->st = NULL;
    if (f->ops->pii)
        ui_wipe(a->ui);
}

void app_pop(app *a)
{
    if (a->depth <= 1)
        return;
    leave_top(a);
    changed(a);
}

void app_home(app *a)
{
    while (a->depth > 1)
        leave_top(a);
    changed(a);
}

const char *app_screen_name(app *a)
{
    if (a->dialog == DLG_IDLE)
        return "idle-warning";
    if (a->dialog == DLG_STAFF)
        return "call-staff";
    if (a->dialog == DLG_USB_BUSY || a->dialog == DLG_USB_DONE)
        return "usb";
    return a->depth ? a->nav[a->depth - 1].ops->name : "";
}

const struct screen_ops *app_screen_by_name(const char *name)
{
    static const struct screen_ops *const all[] = {
        &screen_home, &screen_soon, &screen_help, &screen_guides, &screen_services,
        &screen_guide, &screen_qr, &screen_onething, &screen_search, &screen_wizard, &screen_receipt,
        &screen_status, &screen_feedback, &screen_disclosure, &screen_docs, &screen_doc,
        &screen_staff_pin, &screen_staff, &screen_touch,
    };
    for (size_t i = 0; i < ARRAY_SIZE(all); i++)
        if (strcmp(all[i]->name, name) == 0)
            return all[i];
    return NULL;
}

/* ---- life cycle ---------------------------------------------------------------------- */

app *app_create(const struct app_options *o)
{
    app *a = xcalloc(1, sizeof *a);
    a->cfg = o->cfg;
    a->content = o->content;
    a->state = o->state;
    a->ui = o->ui;
    a->headless = o->headless;
    a->fullscreen = o->fullscreen;
    a->exe_dir = o->exe_dir;
    a->config_path = o->config_path;
    a->lang = LANG_ZH;
    struct stat sb;
    if (stat(a->cfg->content_db, &sb) == 0) {
        a->content_dev = sb.st_dev;
        a->content_ino = sb.st_ino;
    }
    load_content_parts(a);
    char err[256] = "";
    if (a->cfg->seal_public_key[0] &&
        seal_public_load(a->cfg->seal_public_key, &a->seal, err, sizeof err) == 0)
        a->has_seal = true;
    else
        fprintf(stderr, "kiosk: submissions disabled: no sealing key (%s)\n",
                a->cfg->seal_public_key[0] ? err : "seal_public_key is not set");
    a->kbd = kbd_new(o->ime_dir ? o->ime_dir : "", err, sizeof err);
    if (!kbd_has_pinyin(a->kbd))
        fprintf(stderr, "kiosk: pinyin input unavailable: %s\n", err);
    app_push(a, &screen_home, NULL);
    return a;
}

void app_destroy(app *a)
{
    if (!a)
        return;
    while (a->depth > 0)
        leave_top(a);
    kbd_free(a->kbd);
    speak_free(a->sp);
    search_close(a->search);
    hall_free(&a->hall);
    workday_cal_free(a->cal);
    store_close(a->content);
    free(a);
}

void app_quit(app *a)
{
    a->quit = true;
}

/* ---- call staff ------------------------------------------------------------------------- */

static void call_staff(app *a)
{
    a->dialog = DLG_STAFF;
    /* for the heartbeat: how often visitors needed a person; nothing about who */
    state_count(a->state, "event", "call_staff", STATE_VIEWS);
    const char *cmd = a->cfg->call_staff_command;
    if (cmd && *cmd) {
        /* ring the bell or light the lamp; never wait for it */
        pid_t pid;
        char *argv[] = {"/bin/sh", "-c", (char *)cmd, NULL};
        if (posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ) == 0)
            SDL_Log("call staff: started \"%s\" (pid %d)", cmd, (int)pid);
    }
    ui_damage_all(a->ui);
}

/* ---- chrome ------------------------------------------------------------------------ */

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
    if (a->nav[a->depth - 1].ops == &screen_search)
        return 0;
    return MAX(btn_h(u), ui_text_width(u, UI_FONT_BODY, true, app_tr(a, "search.title")) + 2 * ui_mm(u, 4)) +
           ui_gap(u);
}

static int top_x(app *a)
{
    ui *u = a->ui;
    int g = ui_gap(u), x = g;
    if (a->depth > 1) {
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
    struct frame *f = &a->nav[a->depth - 1];
    const char *title = f->ops->title ? f->ops->title(a, f->st) : "";
    int w = ui_screen(u).w - ui_gap(u) - top_x(a) - search_w(a);
    int th = ui_text_height(u, title_font(a, title, w), true, title, w);
    return MAX(btn_h(u), th) + 2 * ui_gap(u);
}

static void draw_top(app *a, ui_rect r)
{
    ui *u = a->ui;
    const struct ui_palette *p = ui_pal(u);
    struct frame *f = &a->nav[a->depth - 1];
    int g = ui_gap(u), bh = btn_h(u);
    ui_fill(u, r, p->primary);
    int x = r.x + g;
    if (a->depth > 1) {
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
    b[n++] = (struct chrome_btn){"chrome.read", app_tr(a, a->reading ? "chrome.read_off" : "chrome.read_on"),
                                 a->reading ? UI_BTN_PRIMARY : UI_BTN_SECONDARY};
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

static void draw_dialog(app *a)
{
    ui *u = a->ui;
    const struct ui_palette *p = ui_pal(u);
    ui_rect s = ui_screen(u);
    ui_fill_alpha(u, s, p->scrim, 140);
    int g = ui_gap(u), w = MIN(s.w - 4 * g, ui_mm(u, 330));
    int x = s.x + (s.w - w) / 2, tw = w - 4 * g;
    const char *title, *body;
    char buf[512];
    if (a->dialog == DLG_STAFF) {
        title = app_tr(a, "staff.title");
        snprintf(buf, sizeof buf, "%s\n%s", app_tr(a, "staff.body"), app_kt(a, &a->hall.inquiry));
        body = buf;
    } else if (a->dialog == DLG_USB_BUSY || a->dialog == DLG_USB_DONE) {
        title = app_tr(a, "staff.usb");
        body = a->dialog == DLG_USB_BUSY ? app_tr(a, "staff.usb_busy")
                                          : a->usb_msg[0] ? a->usb_msg : app_tr(a, "usb.done");
    } else {
        title = app_tr(a, "idle.title");
        long left = (long)(a->dialog_deadline > app_now_ms(a) ? (a->dialog_deadline - app_now_ms(a) + 999) / 1000 : 0);
        snprintf(buf, sizeof buf, app_tr(a, "idle.body"), left);
        body = buf;
        a->idle_shown_secs = (int)left;
    }
    int th = ui_text_height(u, UI_FONT_TITLE, true, title, tw);
    int bh = ui_text_height(u, UI_FONT_BODY, false, body, tw);
    int btn = MAX(ui_target_min(u), ui_mm(u, 20));
    int h = 2 * g + th + g + bh + 2 * g + btn + 2 * g;
    int y = s.y + (s.h - h) / 2;
    ui_rect box = {x, y, w, h};
    ui_fill_round(u, box, ui_mm(u, 3), p->surface);
    ui_node_add(u, "dialog", UI_ROLE_DIALOG, title, box, false);
    y += 2 * g;
    y += ui_label(u, "dialog.title", UI_ROLE_HEADING, UI_FONT_TITLE, true, p->text, title, x + 2 * g, y, tw) + g;
    y += ui_label(u, "dialog.body", UI_ROLE_TEXT, UI_FONT_BODY, false, p->text, body, x + 2 * g, y, tw) + 2 * g;
    if (a->dialog == DLG_USB_BUSY) {
        /* no button: the stick stays in until the work is done */
    } else if (a->dialog == DLG_STAFF || a->dialog == DLG_USB_DONE) {
        ui_button(u, "dialog.ok", (ui_rect){x + 2 * g, y, tw, btn}, UI_BTN_PRIMARY, app_tr(a, "dialog.ok"), NULL);
    } else {
        int bw = (tw - g) / 2;
        ui_button(u, "dialog.more_time", (ui_rect){x + 2 * g, y, bw, btn}, UI_BTN_PRIMARY,
                  app_tr(a, "idle.more_time"), NULL);
        ui_button(u, "dialog.go_home", (ui_rect){x + 3 * g + bw, y, bw, btn}, UI_BTN_SECONDARY,
                  app_tr(a, "idle.go_home"), NULL);
    }
}

static void draw(app *a)
{
    ui *u = a->ui;
    ui_rect s = ui_screen(u);
    struct frame *f = &a->nav[a->depth - 1];
    ui_fill(u, s, ui_pal(u)->bg);
    int bottom = bottom_h(a);
    if (f->ops == &screen_home) {
        f->ops->draw(a, f->st, (ui_rect){0, 0, s.w, s.h - bottom});
    } else {
        int top = top_h(a);
        draw_top(a, (ui_rect){0, 0, s.w, top});
        f->ops->draw(a, f->st, (ui_rect){0, top, s.w, s.h - top - bottom});
    }
    draw_bottom(a, (ui_rect){0, s.h - bottom, s.w, bottom});
    if (a->dialog != DLG_NONE)
        draw_dialog(a);
}

/* Reads the screen aloud from its semantic tree, in reading order: a dialog if one
 * is open, else the screen's words; the keyboard's keys and the chrome are left out. */
static void read_screen(app *a)
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

/* ---- input, ticks, frames ------------------------------------------------------------ */

void app_pointer(app *a, int kind, int x, int y)
{
    uint64_t t = app_now_ms(a);
    a->last_input = t;
    int corner = ui_mm(a->ui, STAFF_CORNER_MM);
    if (kind == 0)
        a->corner_since = x < corner && y < corner ? t : 0;
    else if (kind == 2 || x >= corner || y >= corner)
        a->corner_since = 0;
    if (kind == 0)
        ui_pointer_down(a->ui, x, y, t);
    else if (kind == 1)
        ui_pointer_move(a->ui, x, y, t);
    else
        ui_pointer_up(a->ui, x, y, t);
}

static void route_tap(app *a, const char *id)
{
    if (a->dialog != DLG_NONE) {
        /* a dialog is modal: only its own buttons answer */
        if (strcmp(id, "dialog.ok") == 0 || strcmp(id, "dialog.more_time") == 0) {
            a->dialog = DLG_NONE;
        } else if (strcmp(id, "dialog.go_home") == 0) {
            a->dialog = DLG_NONE;
            app_home(a);
        }
        ui_damage_all(a->ui);
        return;
    }
    struct frame *top = &a->nav[a->depth - 1];
    enum kbd_result kr = kbd_event(a->kbd, a, id);
    if (kr != KBD_IGNORED) {
        if ((kr == KBD_CHANGED || kr == KBD_DONE) && top->ops->event)
            top->ops->event(a, top->st, kr == KBD_DONE ? "field.done" : "field.changed");
        ui_damage_all(a->ui);
        return;
    }
    if (strcmp(id, "nav.back") == 0) {
        app_pop(a);
    } else if (strcmp(id, "nav.home") == 0) {
        app_home(a);
    } else if (strcmp(id, "nav.search") == 0) {
        app_push(a, &screen_search, NULL);
    } else if (strcmp(id, "chrome.lang") == 0) {
        app_set_lang(a, a->lang == LANG_ZH ? LANG_EN : LANG_ZH);
        speak_stop(a->sp); /* read again, in the other language */
        a->read_screen = a->reading;
    } else if (strcmp(id, "chrome.large") == 0) {
        app_set_theme(a, ui_theme(a->ui) == UI_THEME_STANDARD ? UI_THEME_LARGE : UI_THEME_STANDARD);
    } else if (strcmp(id, "chrome.contrast") == 0) {
        app_set_theme(a, ui_theme(a->ui) == UI_THEME_CONTRAST ? UI_THEME_LARGE : UI_THEME_CONTRAST);
    } else if (strcmp(id, "chrome.staff") == 0) {
        call_staff(a);
    } else if (strcmp(id, "chrome.read") == 0) {
        /* the speech engine and the sound device start on first use: most visitors
         * never need them, and they cost start-up time and memory */
        if (!a->sp && speak_new(&a->sp) < 0)
            a->sp = NULL;
        a->reading = !a->reading;
        ui_set_touch_reads(a->ui, a->reading);
        speak_stop(a->sp);
        a->read_screen = a->reading;
    } else {
        struct frame *f = &a->nav[a->depth - 1];
        if (f->ops->event)
            f->ops->event(a, f->st, id);
        ui_damage_all(a->ui);
    }
}

#define CONTENT_CHECK_MS 30000
#define USB_CHECK_MS 2000

/* the first "KEY": "value" of a small JSON text, unescaping \\" and \\\\ (the messages
 * kiosk-sync writes are plain UTF-8) */
void app_json_str(const char *buf, const char *key, char *out, size_t n)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\"", key);
    const char *p = strstr(buf, pat);
    out[0] = '\0';
    if (!p || !(p = strchr(p + strlen(pat), '"')))
        return;
    size_t k = 0;
    for (p++; *p && *p != '"' && k + 1 < n; p++) {
        if (*p == '\\' && p[1])
            p++;
        out[k++] = *p;
    }
    out[k] = '\0';
}

bool app_usb_status(app *a, char *msg, size_t n)
{
    char *path = xasprintf("%s/usb-busy", a->cfg->work_dir);
    bool busy = access(path, F_OK) == 0;
    free(path);
    msg[0] = '\0';
    path = xasprintf("%s/usb-last.json", a->cfg->work_dir);
    FILE *f = fopen(path, "r");
    free(path);
    if (f) {
        char *buf = xmalloc(64 * 1024);
        size_t got = fread(buf, 1, 64 * 1024 - 1, f);
        fclose(f);
        buf[got] = '\0';
        app_json_str(buf, a->lang == LANG_EN ? "message_en" : "message_zh", msg, n);
        free(buf);
    }
    return busy;
}

/* A USB stick plugged in for staff (kiosk-usb runs outside the kiosk): while it is
 * read, say so on any screen ("do not remove it"), then say in words what happened. */
static void usb_check(app *a, uint64_t now)
{
    if (now < a->next_usb_check)
        return;
    a->next_usb_check = now + USB_CHECK_MS;
    char *path = xasprintf("%s/usb-busy", a->cfg->work_dir);
    bool busy = access(path, F_OK) == 0;
    free(path);
    if (busy == a->usb_busy_seen)
        return;
    a->usb_busy_seen = busy;
    if (a->dialog == DLG_IDLE)
        return;
    if (busy) {
        a->dialog = DLG_USB_BUSY;
    } else {
        app_usb_status(a, a->usb_msg, sizeof a->usb_msg);
        a->dialog = DLG_USB_DONE;
    }
    ui_damage_all(a->ui);
}

/* A newly installed content.db is opened only on the home screen with no dialog, so
 * nobody is ever in the middle of a guide or a form when the content changes. */
static void content_check(app *a, uint64_t now)
{
    if (a->depth != 1 || a->dialog != DLG_NONE || now < a->next_content_check)
        return;
    a->next_content_check = now + CONTENT_CHECK_MS;
    struct stat sb;
    if (stat(a->cfg->content_db, &sb) < 0 || (sb.st_dev == a->content_dev && sb.st_ino == a->content_ino))
        return;
    a->content_dev = sb.st_dev;
    a->content_ino = sb.st_ino; /* a file we cannot open is not retried until it changes */
    store *fresh = NULL;
    char err[256];
    if (store_open(a->cfg->content_db, &fresh, err, sizeof err) < 0) {
        fprintf(stderr, "kiosk: new content not opened, keeping the old: %s\n", err);
        return;
    }
    leave_top(a);
    store_close(a->content);
    a->content = fresh;
    load_content_parts(a);
    char *v = store_meta(a->content, "content_version");
    fprintf(stderr, "kiosk: opened new content (version %s)\n", v ? v : "?");
    free(v);
    app_push(a, &screen_home, NULL);
}

static void idle_check(app *a, uint64_t now)
{
    uint64_t idle_ms = (uint64_t)a->cfg->idle_seconds * 1000;
    if (a->dialog == DLG_IDLE) {
        if (now >= a->dialog_deadline) {
            a->dialog = DLG_NONE;
            app_home(a);
        } else {
            int left = (int)((a->dialog_deadline - now + 999) / 1000);
            if (left != a->idle_shown_secs)
                ui_damage_all(a->ui);
        }
        return;
    }
    /* the home screen is the attract screen: nothing to time out */
    if (a->depth > 1 && now - a->last_input >= idle_ms && a->dialog == DLG_NONE) {
        a->dialog = DLG_IDLE;
        a->dialog_deadline = now + IDLE_WARN_SECONDS * 1000;
        ui_damage_all(a->ui);
        speak_stop(a->sp);
        a->read_screen = a->reading; /* the warning is spoken too */
    }
    if (a->depth == 1 && (a->dialog == DLG_STAFF || a->dialog == DLG_USB_DONE) && now - a->last_input >= idle_ms) {
        a->dialog = DLG_NONE;
        ui_damage_all(a->ui);
    }
}

ui_rect app_step(app *a)
{
    uint64_t now = app_now_ms(a);
    const char *tap;
    while ((tap = ui_take_tap(a->ui)))
        route_tap(a, tap);
    idle_check(a, now);
    content_check(a, now);
    usb_check(a, now);
    if (a->corner_since && now >= a->corner_since + STAFF_HOLD_MS) {
        a->corner_since = 0;
        a->dialog = DLG_NONE;
        app_push(a, &screen_staff_pin, NULL); /* forgets the press: no tap on release */
    }
    struct frame *f = &a->nav[a->depth - 1];
    int wake = -1;
    if (kbd_tick(a->kbd, a, now, &wake) && f->ops->event) {
        f->ops->event(a, f->st, "field.changed");
        ui_damage_all(a->ui);
    }
    a->kbd_wake = wake >= 0 ? now + (uint64_t)wake : 0;
    if (f->ops->tick && f->next_tick && now >= f->next_tick) {
        int ms = f->ops->tick(a, f->st, now);
        f->next_tick = ms < 0 ? 0 : now + (uint64_t)MAX(ms, 1);
    }
    const char *said = ui_take_read(a->ui);
    if (a->reading && said) {
        speak_stop(a->sp);
        speak_say(a->sp, said, a->lang);
    }
    if (!ui_wants_frame(a->ui))
        return (ui_rect){0, 0, 0, 0};
    ui_frame_begin(a->ui, now);
    draw(a);
    ui_rect drawn = ui_frame_end(a->ui);
    if (a->read_screen) {
        a->read_screen = false;
        read_screen(a);
    }
    return drawn;
}

int app_next_wakeup(app *a)
{
    uint64_t now = app_now_ms(a);
    if (ui_wants_frame(a->ui))
        return ui_animating(a->ui) ? 16 : 0;
    int64_t best = -1;
    struct frame *f = &a->nav[a->depth - 1];
    if (f->next_tick)
        best = f->next_tick > now ? (int64_t)(f->next_tick - now) : 0;
    {
        int64_t d = a->next_usb_check > now ? (int64_t)(a->next_usb_check - now) : 0;
        if (best < 0 || d < best)
            best = d;
    }
    if (a->depth == 1 && a->dialog == DLG_NONE) {
        int64_t d = a->next_content_check > now ? (int64_t)(a->next_content_check - now) : 0;
        if (best < 0 || d < best)
            best = d;
    }
    if (a->corner_since) {
        int64_t d = a->corner_since + STAFF_HOLD_MS > now ? (int64_t)(a->corner_since + STAFF_HOLD_MS - now) : 0;
        if (best < 0 || d < best)
            best = d;
    }
    if (a->kbd_wake) {
        int64_t d = a->kbd_wake > now ? (int64_t)(a->kbd_wake - now) : 0;
        if (best < 0 || d < best)
            best = d;
    }
    uint64_t due = 0;
    if (a->dialog == DLG_IDLE)
        due = now + 250;
    else if (a->depth > 1 || a->dialog == DLG_STAFF)
        due = a->last_input + (uint64_t)a->cfg->idle_seconds * 1000;
    if (due) {
        int64_t d = due > now ? (int64_t)(due - now) : 0;
        if (best < 0 || d < best)
            best = d;
    }
    return (int)MIN(best, 3600 * 1000LL);
}

/* ---- the interactive loop ------------------------------------------------------------- */

int app_run(app *a, SDL_Window *win)
{
    bool first = true;
    while (!a->quit) {
        ui_rect d = app_step(a);
        if (d.w > 0 && d.h > 0) {
            SDL_Rect r = {d.x, d.y, d.w, d.h};
            SDL_UpdateWindowSurfaceRects(win, &r, 1);
            if (first && getenv("KIOSK_BENCH")) {
                struct timespec ts;
                clock_gettime(CLOCK_MONOTONIC, &ts);
                fprintf(stderr, "kiosk: first frame at %.1f ms (monotonic)\n",
                        ts.tv_sec * 1e3 + ts.tv_nsec / 1e6);
            }
            first = false;
        }
        int wait = app_next_wakeup(a);
        SDL_Event ev;
        /* sleep until an event or the next deadline: an idle kiosk costs nothing */
        if (!SDL_WaitEventTimeout(&ev, wait < 0 ? 60000 : MAX(wait, 1)))
            continue;
        do {
            switch (ev.type) {
            case SDL_QUIT:
                a->quit = true;
                break;
            case SDL_MOUSEBUTTONDOWN:
                if (ev.button.button == SDL_BUTTON_LEFT)
                    app_pointer(a, 0, ev.button.x, ev.button.y);
                break;
            case SDL_MOUSEMOTION:
                if (ev.motion.state & SDL_BUTTON_LMASK)
                    app_pointer(a, 1, ev.motion.x, ev.motion.y);
                break;
            case SDL_MOUSEBUTTONUP:
                if (ev.button.button == SDL_BUTTON_LEFT)
                    app_pointer(a, 2, ev.button.x, ev.button.y);
                break;
            case SDL_KEYDOWN:
                /* on a desktop, Ctrl+Q closes the demo; a full-screen kiosk has no keyboard */
                if (!a->fullscreen && ev.key.keysym.sym == SDLK_q && (ev.key.keysym.mod & KMOD_CTRL))
                    a->quit = true;
                break;
            case SDL_WINDOWEVENT:
                if (ev.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
                    SDL_Surface *s = SDL_GetWindowSurface(win);
                    if (s)
                        app_set_target(a, s);
                } else if (ev.window.event == SDL_WINDOWEVENT_EXPOSED) {
                    ui_damage_all(a->ui);
                }
                break;
            }
        } while (SDL_PollEvent(&ev));
    }
    return 0;
}
