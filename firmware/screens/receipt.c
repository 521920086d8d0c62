/* receipt.c - the receipt a visitor can trust: shown only after the submission is on
 * disk (the wizard pushes this screen after form_submit returned), it reads the
 * outbox row back rather than trusting memory. The receipt number in large type, a QR
 * of the status address, the expected reply date on the working-day calendar (labelled
 * as an estimate where the calendar does not reach), and what happens next. */
#include "app.h"
#include "print.h"
#include "sections.h"
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct receipt {
    bool found;
    struct outbox_entry e;
    char url[512];
    struct ui_scroll scroll;
    bool printing; /* this screen started a print: say what became of it */
};

static void *receipt_enter(app *a, const char *arg)
{
    struct receipt *r = xcalloc(1, sizeof *r);
    if (arg && state_outbox_get(app_state(a), arg, &r->e) == 0) {
        r->found = true;
        app_status_url(a, r->e.receipt, r->url, sizeof r->url);
    }
    return r;
}

static void receipt_leave(app *a, void *st)
{
    (void)a;
    free(st);
}

static const char *receipt_title(app *a, void *st)
{
    (void)st;
    return app_tr(a, "receipt.title");
}

static void receipt_draw(app *a, void *st, ui_rect body)
{
    struct receipt *r = st;
    ui *u = app_ui(a);
    const struct ui_palette *p = ui_pal(u);
    int g = ui_gap(u), x = body.x + 3 * g, w = body.w - 6 * g;
    int top = ui_scroll_begin(u, "receipt.scroll", &r->scroll, body);
    struct sec s = sec_start(a, x, top + 2 * g, w);
    if (!r->found) {
        sec_text(&s, "receipt.missing", app_tr(a, "receipt.missing"));
        ui_scroll_end(u, &r->scroll, s.y - top);
        return;
    }
    sec_text(&s, "receipt.saved", app_tr(a, "receipt.saved"));
    sec_subheading(&s, "receipt.number.label", app_tr(a, "receipt.number"));
    s.y += ui_label(u, "receipt.number", UI_ROLE_HEADING, UI_FONT_HUGE, true, p->primary, r->e.receipt, x, s.y, w);
    s.y += g;
    char buf[512], date[64];
    if (r->e.due_date[0]) {
        app_format_date(a, r->e.due_date, date, sizeof date);
        snprintf(buf, sizeof buf, app_tr(a, "receipt.due"), date);
        sec_subheading(&s, "receipt.due", buf);
        sec_text(&s, "receipt.due_note", app_tr(a, r->e.due_estimated ? "receipt.due_estimated" : "receipt.due_note"));
    }
    char key[48];
    snprintf(key, sizeof key, "receipt.next.%s", r->e.kind);
    sec_heading(&s, "receipt.next_title", app_tr(a, "receipt.next_title"));
    sec_text(&s, "receipt.next", app_tr(a, key));
    if (r->e.follow_up)
        sec_text(&s, "receipt.follow_up", app_tr(a, "receipt.follow_up"));
    sec_heading(&s, "receipt.qr_title", app_tr(a, "receipt.qr_title"));
    int side = MIN(w, ui_mm(u, 100));
    ui_rect q = ui_qr(u, "receipt.qr", r->url, (ui_rect){x, s.y, w, side});
    s.y += q.h + g;
    sec_muted(&s, "receipt.url", r->url);
    s.y += g;
    int ph = print_button(a, "receipt.print", x, s.y, w);
    s.y += ph ? ph + g : 0;
    int sh = print_state_draw(a, r->printing, x, s.y, w);
    s.y += sh ? sh + g : 0;
    int bh = MAX(ui_mm(u, 18), ui_button_height(u, UI_BTN_PRIMARY, app_tr(a, "receipt.done"), NULL, w));
    ui_button(u, "receipt.done", (ui_rect){x, s.y, w, bh}, UI_BTN_PRIMARY, app_tr(a, "receipt.done"), NULL);
    s.y += bh;
    ui_scroll_end(u, &r->scroll, s.y + 2 * g - top);
}

/* The slip: the receipt number in large type, what was filed, the expected reply date,
 * the QR code to its status. Nothing personal: the outbox row holds nothing else. */
static void receipt_print(app *a, struct receipt *r)
{
    char kind[48], due[256] = "", date[64];
    snprintf(kind, sizeof kind, "print.kind.%s", r->e.kind);
    if (r->e.due_date[0]) {
        app_format_date(a, r->e.due_date, date, sizeof date);
        snprintf(due, sizeof due, app_tr(a, "receipt.due"), date);
    }
    const struct slip_item items[] = {
        {SLIP_HEADING, "slip.title", app_tr(a, "print.slip.receipt")},
        {SLIP_TEXT, "slip.kind", app_tr(a, kind)},
        {SLIP_RULE, "slip.rule", NULL},
        {SLIP_SMALL, "slip.number.label", app_tr(a, "print.slip.number")},
        {SLIP_HUGE, "slip.number", r->e.receipt},
        {SLIP_TEXT, "slip.due", due},
        {SLIP_RULE, "slip.rule2", NULL},
        {SLIP_TEXT, "slip.qr_title", app_tr(a, "receipt.qr_title")},
        {SLIP_QR, "slip.qr", r->url},
        {SLIP_SMALL, "slip.url", r->url},
    };
    int rc = print_start(a, "receipt", items, ARRAY_SIZE(items));
    r->printing = r->printing || rc == 0 || rc == -EBUSY;
}

static void receipt_event(app *a, void *st, const char *id)
{
    struct receipt *r = st;
    if (strcmp(id, "receipt.done") == 0)
        app_home(a);
    else if (strcmp(id, "receipt.print") == 0 && r->found)
        receipt_print(a, r);
}


/* Not in the tour: it shows a submission that is on disk, so it is reached only by
 * filing one (tests/scripts/request_zh.kscript, forms_e2e.py). */
const struct screen_ops screen_receipt = {
    .name = "receipt",
    .enter = receipt_enter,
    .leave = receipt_leave,
    .draw = receipt_draw,
    .title = receipt_title,
    .event = receipt_event,
    .pii = true,
};
