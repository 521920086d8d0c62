/* consults.c - public comment (yijian zhengji): every draft the content puts out for comment,
 * the open ones first (the soonest to close on top), then those not open yet, then the
 * closed ones, newest first; each row says its agency and where it stands by the
 * kiosk's date ("closes in N days", "closing soon", "closed"). A row opens the
 * consultation screen. Reached from a home tile and from the disclosure catalogue. */
#include "consults.h"
#include "sections.h"
#include "core/consult.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct consults {
    struct consult_row_list l;
    int *order;                 /* indexes into l, in the order shown */
    struct ui_scroll scroll;
};

/* open (soonest closing first), upcoming, closed (store order: latest closing first) */
static int rank(app *a, const struct consult_row *r)
{
    char today[16];
    app_date_str(a, today, sizeof today);
    switch (consult_status_of(r->opens, r->closes, today, NULL)) {
    case CONSULT_OPEN:
    case CONSULT_CLOSING_SOON: return 0;
    case CONSULT_UPCOMING: return 1;
    default: return 2;
    }
}

static void *consults_enter(app *a, const char *arg)
{
    (void)arg;
    struct consults *c = xcalloc(1, sizeof *c);
    if (store_consults(app_store(a), &c->l) < 0) {
        memset(&c->l, 0, sizeof c->l);
        app_push(a, &screen_oops, NULL);
    }
    c->order = xcalloc((size_t)c->l.n + 1, sizeof *c->order);
    int k = 0;
    for (int pass = 0; pass < 3; pass++) {
        int first = k;
        for (int i = 0; i < c->l.n; i++)
            if (rank(a, &c->l.items[i]) == pass)
                c->order[k++] = i;
        if (pass == 0) /* the store lists latest closing first: the open ones reversed */
            for (int x = first, y = k - 1; x < y; x++, y--) {
                int t = c->order[x];
                c->order[x] = c->order[y];
                c->order[y] = t;
            }
    }
    return c;
}

static void consults_leave(app *a, void *st)
{
    (void)a;
    struct consults *c = st;
    consult_row_list_free(&c->l);
    free(c->order);
    free(c);
}

static const char *consults_title(app *a, void *st)
{
    (void)st;
    return app_tr(a, "consult.title");
}

void consult_status_text(app *a, const char *opens, const char *closes, char *out, size_t n)
{
    char today[16], date[64];
    int days = 0;
    app_date_str(a, today, sizeof today);
    switch (consult_status_of(opens, closes, today, &days)) {
    case CONSULT_UPCOMING:
        app_format_date(a, opens, date, sizeof date);
        snprintf(out, n, app_tr(a, "consult.status.upcoming"), date);
        break;
    case CONSULT_OPEN:
        snprintf(out, n, app_tr(a, "consult.status.open"), days + 1);
        break;
    case CONSULT_CLOSING_SOON:
        if (days == 0)
            snprintf(out, n, "%s", app_tr(a, "consult.status.today"));
        else
            snprintf(out, n, app_tr(a, "consult.status.soon"), days + 1);
        break;
    default:
        snprintf(out, n, "%s", app_tr(a, "consult.status.closed"));
        break;
    }
}

static void consults_draw(app *a, void *st, ui_rect body)
{
    struct consults *c = st;
    ui *u = app_ui(a);
    int g = ui_gap(u), x = body.x + 3 * g, w = body.w - 6 * g;
    int top = ui_scroll_begin(u, "consults.scroll", &c->scroll, body);
    struct sec s = sec_start(a, x, top + 2 * g, w);
    sec_text(&s, "consults.intro", app_tr(a, "consult.intro"));
    if (c->l.n == 0)
        sec_muted(&s, "consults.none", app_tr(a, "consult.none"));
    for (int k = 0; k < c->l.n; k++) {
        const struct consult_row *r = &c->l.items[c->order[k]];
        char id[96], status[160], sub[512];
        consult_status_text(a, r->opens, r->closes, status, sizeof status);
        snprintf(sub, sizeof sub, "%s%s%s", status, app_tr(a, "list.sep"), app_kt(a, &r->agency));
        snprintf(id, sizeof id, "consult.open.%s", r->id);
        const char *title = app_kt(a, &r->title);
        int h = ui_item_height(u, title, sub, w);
        ui_item(u, id, (ui_rect){x, s.y, w, h}, title, sub);
        s.y += h + g / 2;
    }
    ui_scroll_end(u, &c->scroll, s.y + 2 * g - top);
}

static void consults_event(app *a, void *st, const char *id)
{
    (void)st;
    if (strncmp(id, "consult.open.", 13) == 0)
        app_push(a, &screen_consultation, id + 13);
}

static void consults_tour(app *a, struct tour *t)
{
    (void)a;
    app_tour_view(t, "consults", "tap-id tile.consult\n");
}

const struct screen_ops screen_consults = {
    .name = "consults",
    .enter = consults_enter,
    .leave = consults_leave,
    .draw = consults_draw,
    .title = consults_title,
    .event = consults_event,
    .tour = consults_tour,
};
