/* staffnote.c - the staff menu's hall notices: staff post a notice of their own for
 * the day ("window 9 is closed today"), typed on the kiosk's keyboard (pinyin or
 * Latin), normal or urgent (the banner on every screen), shown until closing time
 * today (the last time of day in the hall's hours) or to the end of a date they type;
 * and they remove one. Kept in state.db (state.h), never sent to the central office.
 * Reached only from the staff menu, behind the PIN. Bad input is said next to its
 * field, in the visitor's language, and what was typed stays. */
#include "app.h"
#include "hallnote.h"
#include "kbd.h"
#include "sections.h"
#include "base/civil.h"
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { F_TITLE, F_BODY, F_DATE, F_COUNT };

struct snote {
    char title[STAFF_NOTICE_TITLE_MAX * 4 + 1];
    char body[STAFF_NOTICE_BODY_MAX * 4 + 1];
    char date[16];
    struct kbd_field f[F_COUNT];
    ui_rect box[F_COUNT]; /* content coordinates, for bringing a field into view */
    int focus;            /* F_*, or -1 */
    bool reveal;          /* bring the focused field into view on the next frame */
    bool urgent, on_date;
    const char *err[F_COUNT]; /* string keys of what is wrong with each field */
    char result[256];
    struct staff_notice *live;
    int n_live;
    char closing[16]; /* "HH:MM" from the hall's hours, "" when they name no time */
    struct ui_scroll scroll;
};

/* Closing time: the latest H:MM in the hall's hours ("9:00-12:00, 13:30-17:00" ->
 * 17:00). The hours are free text in the content, so this is the best reading of it;
 * with no time in them, the notice lasts to the end of the day. */
static void closing_time(app *a, char out[16])
{
    out[0] = '\0';
    const struct hall *h = app_hall(a);
    const char *t = h ? KT(h->hours, LANG_ZH) : NULL;
    int best = -1;
    for (const char *p = t; p && *p; p++) {
        int hh, mm, n = 0;
        if (p[0] >= '0' && p[0] <= '9' && (p == t || p[-1] < '0' || p[-1] > '9') &&
            sscanf(p, "%2d:%2d%n", &hh, &mm, &n) == 2 && n >= 4 && p[n - 3] == ':' && hh < 24 && mm < 60)
            best = MAX(best, hh * 60 + mm);
    }
    if (best >= 0)
        snprintf(out, 16, "%02d:%02d", best / 60, best % 60);
}

static void load_live(app *a, struct snote *s)
{
    char now[STAFF_NOTICE_TIME_LEN];
    hallnote_now(a, now);
    if (state_notices_live(app_state(a), now, s->live, &s->n_live) < 0)
        s->n_live = 0;
}

static void *snote_enter(app *a, const char *arg)
{
    (void)arg;
    struct snote *s = xcalloc(1, sizeof *s);
    s->f[F_TITLE] = (struct kbd_field){s->title, sizeof s->title, 0, STAFF_NOTICE_TITLE_MAX, KBD_TEXT};
    s->f[F_BODY] = (struct kbd_field){s->body, sizeof s->body, 0, STAFF_NOTICE_BODY_MAX, KBD_TEXT};
    s->f[F_DATE] = (struct kbd_field){s->date, sizeof s->date, 0, 10, KBD_NUMERIC};
    s->focus = -1;
    s->live = xcalloc(STAFF_NOTICE_LIVE_MAX, sizeof *s->live);
    closing_time(a, s->closing);
    load_live(a, s);
    return s;
}

static void unfocus(app *a, struct snote *s)
{
    if (s->focus >= 0 && kbd_focused(app_kbd(a)) == &s->f[s->focus])
        kbd_focus(app_kbd(a), NULL);
    s->focus = -1;
}

static void snote_leave(app *a, void *st)
{
    struct snote *s = st;
    if (s->focus >= 0 && kbd_focused(app_kbd(a)) == &s->f[s->focus])
        kbd_reset(app_kbd(a));
    free(s->live);
    free(s);
}

static const char *snote_title(app *a, void *st)
{
    (void)st;
    return app_tr(a, "staffnote.title");
}

static const char *const field_ids[F_COUNT] = {"snote.title", "snote.body", "snote.date"};

static void draw_field(app *a, struct snote *s, struct sec *sc, int i, const char *label_key, int lines, int top)
{
    ui *u = app_ui(a);
    char id[48];
    snprintf(id, sizeof id, "%s.label", field_ids[i]);
    sec_subheading(sc, id, app_tr(a, label_key));
    int pad = ui_mm(u, 2.5);
    const char *text = s->f[i].buf;
    int th = ui_text_height(u, UI_FONT_BODY, false, *text ? text : " ", sc->w - 2 * pad);
    int bh = MAX(ui_target_min(u), MAX(lines * ui_line_h(u, UI_FONT_BODY), th) + 2 * pad);
    bool focused = s->focus == i;
    int h = ui_input(u, field_ids[i], (ui_rect){sc->x, sc->y, sc->w, bh}, text, focused ? s->f[i].caret : 0, NULL,
                     focused, s->err[i] ? app_tr(a, s->err[i]) : NULL);
    s->box[i] = (ui_rect){sc->x, sc->y - top, sc->w, h};
    sc->y += h + ui_gap(u);
}

/* two buttons side by side, the chosen one says so in words and in its colour */
static void draw_choice(app *a, struct sec *sc, const char *id0, const char *l0, const char *id1, const char *l1,
                        int chosen)
{
    ui *u = app_ui(a);
    int g = ui_gap(u), bw = (sc->w - g) / 2;
    char lab[2][160];
    const char *ids[2] = {id0, id1}, *ls[2] = {l0, l1};
    int bh = ui_mm(u, 18);
    for (int i = 0; i < 2; i++) {
        if (i == chosen)
            snprintf(lab[i], sizeof lab[i], app_tr(a, "staffnote.chosen"), ls[i]);
        else
            snprintf(lab[i], sizeof lab[i], "%s", ls[i]);
        bh = MAX(bh, ui_button_height(u, UI_BTN_PRIMARY, lab[i], NULL, bw));
    }
    for (int i = 0; i < 2; i++)
        ui_button(u, ids[i], (ui_rect){sc->x + i * (bw + g), sc->y, bw, bh},
                  i == chosen ? UI_BTN_PRIMARY : UI_BTN_SECONDARY, lab[i], NULL);
    sc->y += bh + g;
}

static void snote_draw(app *a, void *st, ui_rect body)
{
    struct snote *s = st;
    ui *u = app_ui(a);
    int g = ui_gap(u), x = body.x + 3 * g, w = body.w - 6 * g;
    ui_rect kb = kbd_draw(app_kbd(a), a, body);
    ui_rect view = {body.x, body.y, body.w, kb.y - body.y};
    int top = ui_scroll_begin(u, "snote.scroll", &s->scroll, view);
    struct sec sc = sec_start(a, x, top + 2 * g, w);
    char buf[256];
    if (s->result[0])
        sec_heading(&sc, "snote.result", s->result);
    sec_heading(&sc, "snote.new", app_tr(a, "staffnote.new"));
    draw_field(a, s, &sc, F_TITLE, "staffnote.title_label", 1, top);
    draw_field(a, s, &sc, F_BODY, "staffnote.body_label", 3, top);
    sec_subheading(&sc, "snote.priority", app_tr(a, "staffnote.priority"));
    draw_choice(a, &sc, "snote.normal", app_tr(a, "staffnote.normal"), "snote.urgent", app_tr(a, "staffnote.urgent"),
                s->urgent ? 1 : 0);
    sec_subheading(&sc, "snote.expires", app_tr(a, "staffnote.expires"));
    if (s->closing[0])
        snprintf(buf, sizeof buf, app_tr(a, "staffnote.closing"), s->closing);
    else
        snprintf(buf, sizeof buf, "%s", app_tr(a, "staffnote.end_of_today"));
    draw_choice(a, &sc, "snote.closing", buf, "snote.on_date", app_tr(a, "staffnote.on_date"), s->on_date ? 1 : 0);
    if (s->on_date)
        draw_field(a, s, &sc, F_DATE, "staffnote.date_label", 1, top);
    int bh = MAX(ui_mm(u, 18), ui_button_height(u, UI_BTN_PRIMARY, app_tr(a, "staffnote.post"), NULL, w));
    ui_button(u, "snote.post", (ui_rect){x, sc.y, w, bh}, UI_BTN_PRIMARY, app_tr(a, "staffnote.post"), NULL);
    sc.y += bh + 2 * g;
    sec_heading(&sc, "snote.live", app_tr(a, "staffnote.live"));
    if (s->n_live == 0)
        sec_muted(&sc, "snote.none", app_tr(a, "staffnote.none"));
    for (int i = 0; i < s->n_live; i++) {
        const struct staff_notice *n = &s->live[i];
        char id[64], until[80];
        snprintf(id, sizeof id, "snote.%lld.title", n->id);
        snprintf(buf, sizeof buf, "%s%s", n->urgent ? app_tr(a, "notice.urgent_prefix") : "", n->title);
        sec_text(&sc, id, buf);
        char day[11], date[48];
        snprintf(day, sizeof day, "%.10s", n->expires);
        app_format_date(a, day, date, sizeof date);
        if (strcmp(n->expires + 11, "24:00") == 0) /* to the end of that day */
            snprintf(until, sizeof until, "%s", date);
        else
            snprintf(until, sizeof until, "%s %.5s", date, n->expires + 11);
        snprintf(buf, sizeof buf, app_tr(a, "staffnote.until"), until);
        snprintf(id, sizeof id, "snote.%lld.until", n->id);
        sec_muted(&sc, id, buf);
        snprintf(id, sizeof id, "snote.%lld.remove", n->id);
        int rh = MAX(ui_target_min(u), ui_button_height(u, UI_BTN_SECONDARY, app_tr(a, "staffnote.remove"), NULL, w / 2));
        ui_button(u, id, (ui_rect){x, sc.y, w / 2, rh}, UI_BTN_SECONDARY, app_tr(a, "staffnote.remove"), NULL);
        sc.y += rh + 2 * g;
    }
    ui_scroll_end(u, &s->scroll, sc.y + 2 * g - top);
    if (s->reveal && s->focus >= 0) {
        /* the focused field above the keyboard */
        s->reveal = false;
        ui_rect b = s->box[s->focus];
        double want = s->scroll.offset;
        if (b.y + b.h - want > view.h - g)
            want = b.y + b.h - view.h + g;
        if (b.y - want < 0)
            want = b.y - g;
        if (want != s->scroll.offset) {
            s->scroll.offset = MAX(0, want);
            ui_damage_all(u);
        }
    }
}

/* "2026-12-01" or "20261201" into *ret; -EINVAL when it is not a date */
static int parse_date(const char *t, civil_date *ret)
{
    char iso[11];
    if (strlen(t) == 8 && strspn(t, "0123456789") == 8)
        snprintf(iso, sizeof iso, "%.4s-%.2s-%.2s", t, t + 4, t + 6);
    else if (strlen(t) == 10)
        memcpy(iso, t, sizeof iso);
    else
        return -EINVAL;
    return civil_parse(iso, ret) == 0 ? 0 : -EINVAL;
}

static void post(app *a, struct snote *s)
{
    struct staff_notice n = {.urgent = s->urgent};
    char today[16];
    s->err[F_TITLE] = s->err[F_DATE] = NULL;
    s->result[0] = '\0';
    hallnote_now(a, n.posted_at);
    app_date_str(a, today, sizeof today);
    const char *t = s->title;
    while (*t == ' ')
        t++;
    if (!*t)
        s->err[F_TITLE] = "staffnote.err_title_empty";
    if (s->on_date) {
        civil_date d;
        char iso[11];
        if (parse_date(s->date, &d) < 0) {
            s->err[F_DATE] = "staffnote.err_date_bad";
        } else {
            civil_format(d, iso);
            if (strcmp(iso, today) < 0)
                s->err[F_DATE] = "staffnote.err_date_past";
            else
                snprintf(n.expires, sizeof n.expires, "%sT24:00", iso);
        }
    } else {
        snprintf(n.expires, sizeof n.expires, "%.10sT%.5s", today, s->closing[0] ? s->closing : "24:00");
        if (strcmp(n.expires, n.posted_at) <= 0) /* after closing: the end of today */
            snprintf(n.expires, sizeof n.expires, "%.10sT24:00", today);
    }
    if (s->err[F_TITLE] || s->err[F_DATE])
        return;
    snprintf(n.title, sizeof n.title, "%s", t);
    snprintf(n.body, sizeof n.body, "%s", s->body);
    int r = state_notice_add(app_state(a), &n);
    if (r == -ENOSPC) {
        snprintf(s->result, sizeof s->result, app_tr(a, "staffnote.err_full"), STAFF_NOTICE_LIVE_MAX);
        return;
    }
    if (r < 0) {
        snprintf(s->result, sizeof s->result, "%s", app_tr(a, "staffnote.err_save"));
        return;
    }
    hallnote_changed(a);
    s->title[0] = s->body[0] = s->date[0] = '\0';
    for (int i = 0; i < F_COUNT; i++)
        s->f[i].caret = 0;
    s->urgent = s->on_date = false;
    snprintf(s->result, sizeof s->result, "%s", app_tr(a, "staffnote.posted"));
    load_live(a, s);
}

static void snote_event(app *a, void *st, const char *id)
{
    struct snote *s = st;
    if (strcmp(id, "field.changed") == 0) {
        if (s->focus >= 0)
            s->err[s->focus] = NULL; /* said once; typing again takes it away */
        return;
    }
    if (strcmp(id, "field.done") == 0) {
        unfocus(a, s);
        return;
    }
    for (int i = 0; i < F_COUNT; i++)
        if (strcmp(id, field_ids[i]) == 0) {
            s->focus = i;
            s->f[i].caret = (int)strlen(s->f[i].buf);
            s->reveal = true;
            kbd_focus(app_kbd(a), &s->f[i]);
            return;
        }
    unfocus(a, s);
    long long nid;
    int n = 0;
    if (strcmp(id, "snote.normal") == 0 || strcmp(id, "snote.urgent") == 0) {
        s->urgent = strcmp(id, "snote.urgent") == 0;
    } else if (strcmp(id, "snote.closing") == 0) {
        s->on_date = false;
        s->err[F_DATE] = NULL;
    } else if (strcmp(id, "snote.on_date") == 0) {
        s->on_date = true;
        s->focus = F_DATE;
        s->reveal = true;
        kbd_focus(app_kbd(a), &s->f[F_DATE]);
    } else if (strcmp(id, "snote.post") == 0) {
        post(a, s);
    } else if (sscanf(id, "snote.%lld.remove%n", &nid, &n) == 1 && id[n] == '\0') {
        int r = state_notice_remove(app_state(a), nid);
        snprintf(s->result, sizeof s->result, "%s",
                 app_tr(a, r == 0 || r == -ENOENT ? "staffnote.removed" : "staffnote.err_save"));
        hallnote_changed(a);
        load_live(a, s);
    }
}

static void snote_tour(app *a, struct tour *t)
{
    (void)a;
    app_tour_view(t, "staff-notices", "open staff-notices\n");
}

const struct screen_ops screen_staff_notices = {
    .name = "staff-notices",
    .enter = snote_enter,
    .leave = snote_leave,
    .draw = snote_draw,
    .title = snote_title,
    .event = snote_event,
    .tour = snote_tour,
};
