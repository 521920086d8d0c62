/* status.c - "check a request's status": the visitor types the receipt number from
 * their slip; a mistyped number is caught by its check character and said so plainly;
 * a known one shows what this kiosk knows (when it was filed, whether it has reached
 * the office) and what the office last said (from the status feed that sync fills),
 * with "overdue" computed from the dates, never stored. */
#include "app.h"
#include "kbd.h"
#include "sections.h"
#include "core/i18n.h"
#include "core/receipt.h"
#include "core/workday.h"
#include "base/util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct status {
    char typed[64];
    struct kbd_field field;
    ui_rect box;
    const char *message;      /* a string-table key for the field, or NULL */
    bool looked;              /* a valid number was looked up */
    bool in_outbox, has_status;
    struct outbox_entry e;
    struct status_entry s;
    struct ui_scroll scroll;
};

static void *status_enter(app *a, const char *arg)
{
    struct status *s = xcalloc(1, sizeof *s);
    if (arg)
        snprintf(s->typed, sizeof s->typed, "%s", arg);
    s->field = (struct kbd_field){s->typed, sizeof s->typed, (int)strlen(s->typed), 24, KBD_LATIN};
    kbd_focus(app_kbd(a), &s->field);
    return s;
}

static void status_leave(app *a, void *st)
{
    (void)a;
    sodium_memzero(st, sizeof(struct status));
    free(st);
}

static const char *status_title(app *a, void *st)
{
    (void)st;
    return app_tr(a, "home.status");
}

static void look_up(app *a, struct status *s)
{
    char norm[OUTBOX_RECEIPT_MAX];
    s->looked = s->in_outbox = s->has_status = false;
    int r = receipt_verify(s->typed, norm);
    if (r != 0) {
        s->message = receipt_message_key(r);
        return;
    }
    s->message = NULL;
    s->looked = true;
    s->in_outbox = state_outbox_get(app_state(a), norm, &s->e) == 0;
    s->has_status = state_status_get(app_state(a), norm, &s->s) == 0;
    snprintf(s->typed, sizeof s->typed, "%s", norm);
    s->field.caret = (int)strlen(s->typed);
}

static void draw_result(app *a, struct status *s, struct sec *sc)
{
    char buf[512], date[64];
    if (!s->in_outbox && !s->has_status) {
        sec_text(sc, "status.unknown", app_tr(a, "status.unknown"));
        return;
    }
    sec_heading(sc, "status.result", s->typed);
    if (s->in_outbox) {
        char key[48];
        snprintf(key, sizeof key, "status.kind.%s", s->e.kind);
        sec_field(sc, "status.kind", app_tr(a, "status.kind"), app_tr(a, key));
        snprintf(buf, sizeof buf, "%.10s %.5s", s->e.created_at, s->e.created_at + 11);
        sec_field(sc, "status.created", app_tr(a, "status.created"), buf);
        sec_field(sc, "status.delivery", app_tr(a, "status.delivery"),
                  app_tr(a, s->e.uploaded_at[0] || s->e.exported_at[0] ? "status.delivered" : "status.waiting"));
    }
    const char *due = s->has_status && s->s.due_date[0] ? s->s.due_date : s->in_outbox ? s->e.due_date : "";
    if (*due) {
        app_format_date(a, due, date, sizeof date);
        sec_field(sc, "status.due", app_tr(a, "status.due"), date);
    }
    const char *outcome = s->has_status ? s->s.outcome : "in_progress";
    char key[64];
    snprintf(key, sizeof key, "status.outcome.%s", outcome);
    sec_field(sc, "status.outcome", app_tr(a, "status.outcome"), app_tr(a, key));
    if (s->has_status && s->s.reason[0]) {
        /* a reason code of the outcome has words (status.reason.OUTCOME.CODE); other text shows as sent */
        char rkey[96];
        snprintf(rkey, sizeof rkey, "status.reason.%s.%.40s", outcome, s->s.reason);
        sec_field(sc, "status.reason", app_tr(a, "status.reason"), i18n_has(rkey) ? app_tr(a, rkey) : s->s.reason);
    }
    /* overdue is computed from the dates, never stored (docs/rules.md §1) */
    workday_date d, today;
    char now[16];
    app_date_str(a, now, sizeof now);
    if (*due && strcmp(outcome, "in_progress") == 0 && workday_date_parse(due, &d) == 0 &&
        workday_date_parse(now, &today) == 0 && workday_overdue(d, today))
        sec_text(sc, "status.overdue", app_tr(a, "status.overdue"));
}

static void status_draw(app *a, void *st, ui_rect body)
{
    struct status *s = st;
    ui *u = app_ui(a);
    int g = ui_gap(u), x = body.x + 3 * g, w = body.w - 6 * g;
    ui_rect kb = kbd_draw(app_kbd(a), a, body);
    int top = ui_scroll_begin(u, "status.scroll", &s->scroll, (ui_rect){body.x, body.y, body.w, kb.y - body.y});
    struct sec sc = sec_start(a, x, top + 2 * g, w);
    sec_text(&sc, "status.howto", app_tr(a, "status.howto"));
    int fh = MAX(ui_target_min(u), ui_line_h(u, UI_FONT_BODY) + 2 * ui_mm(u, 2.5));
    s->box = (ui_rect){x, sc.y, w, fh};
    sc.y += ui_input(u, "status.receipt", s->box, s->typed, s->field.caret, app_tr(a, "status.placeholder"),
                     kbd_focused(app_kbd(a)) == &s->field, s->message ? app_tr(a, s->message) : NULL) + g;
    int bh = MAX(ui_mm(u, 18), ui_button_height(u, UI_BTN_PRIMARY, app_tr(a, "status.look_up"), NULL, w));
    ui_button(u, "status.look_up", (ui_rect){x, sc.y, w, bh}, UI_BTN_PRIMARY, app_tr(a, "status.look_up"), NULL);
    sc.y += bh + g;
    if (s->looked)
        draw_result(a, s, &sc);
    ui_scroll_end(u, &s->scroll, sc.y + 2 * g - top);
}

static void status_event(app *a, void *st, const char *id)
{
    struct status *s = st;
    if (strcmp(id, "status.receipt") == 0) {
        int x, y;
        ui_last_tap_pos(app_ui(a), &x, &y);
        s->field.caret = ui_input_caret_at(app_ui(a), s->box, s->typed, x, y);
        kbd_focus(app_kbd(a), &s->field);
    } else if (strcmp(id, "status.look_up") == 0 || strcmp(id, "field.done") == 0) {
        kbd_focus(app_kbd(a), NULL);
        look_up(a, s);
    } else if (strcmp(id, "field.changed") == 0) {
        s->looked = false;
        s->message = NULL;
    }
}


static void status_tour(app *a, struct tour *t)
{
    (void)a;
    app_tour_view(t, "status", "tap-id tile.status\n");
}

const struct screen_ops screen_status = {
    .name = "status",
    .enter = status_enter,
    .leave = status_leave,
    .draw = status_draw,
    .title = status_title,
    .event = status_event,
    .pii = true,
    .tour = status_tour,
};
