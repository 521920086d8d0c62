/* qrview.c - "take it with you": one QR code at a time, large, with a caption that
 * says what it opens and the address in print; buttons switch between the guide's
 * codes. Each code shown counts once in the anonymous usage counters. */
#include "app.h"
#include "guide_qr.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct qrview {
    struct service *s; /* a guide's codes, or */
    struct doc *d;     /* a document's attachments */
    struct guide_qr *list;
    int n, sel;
    struct ui_scroll scroll;
};

static void count_show(app *a, struct qrview *q)
{
    if (q->s)
        state_count(app_state(a), "service", q->s->id, STATE_QR_SHOWS);
    else if (q->d)
        state_count(app_state(a), "doc", q->d->id, STATE_QR_SHOWS);
}

static int doc_qr_list(const struct doc *d, struct guide_qr **ret)
{
    struct guide_qr *l = xcalloc((size_t)MAX(1, d->n_attachments), sizeof *l);
    for (int i = 0; i < d->n_attachments; i++) {
        l[i].url = d->attachments[i].url;
        for (int lang = 0; lang < LANG_COUNT; lang++)
            l[i].caption[lang] = xasprintf("%s%s%s", d->attachments[i].name.s[lang], i18n("list.sep", lang),
                                           i18n("qr.attachment", lang));
    }
    *ret = l;
    return d->n_attachments;
}

static void *qr_enter(app *a, const char *arg)
{
    struct qrview *q = xcalloc(1, sizeof *q);
    char id[128] = "";
    int sel = 0;
    if (arg) {
        const char *hash = strchr(arg, '#');
        snprintf(id, sizeof id, "%.*s", hash ? (int)(hash - arg) : (int)strlen(arg), arg);
        if (hash)
            sel = atoi(hash + 1);
    }
    if (strncmp(id, "doc:", 4) == 0) {
        if (store_doc_get(app_store(a), id + 4, &q->d) == 0)
            q->n = doc_qr_list(q->d, &q->list);
    } else if (*id && store_service_get(app_store(a), id, &q->s) == 0) {
        q->n = guide_qr_list(q->s, &q->list);
    }
    if (q->n > 0) {
        q->sel = CLAMP(sel, 0, q->n - 1);
        count_show(a, q);
    }
    return q;
}

static void qr_leave(app *a, void *st)
{
    (void)a;
    struct qrview *q = st;
    guide_qr_free(q->list, q->n);
    service_free(q->s);
    doc_free(q->d);
    free(q);
}

static const char *qr_title(app *a, void *st)
{
    (void)st;
    return app_tr(a, "qr.title");
}

static void qr_draw(app *a, void *st, ui_rect body)
{
    struct qrview *q = st;
    ui *u = app_ui(a);
    const struct ui_palette *p = ui_pal(u);
    int g = ui_gap(u), x = body.x + 3 * g, w = body.w - 6 * g;
    int top = ui_scroll_begin(u, "qr.scroll", &q->scroll, body);
    int y = top + 2 * g;
    if (q->n == 0) {
        y += ui_label(u, "qr.none", UI_ROLE_TEXT, UI_FONT_BODY, false, p->text, app_tr(a, "guide.missing"), x, y, w);
        ui_scroll_end(u, &q->scroll, y - top);
        return;
    }
    y += ui_label(u, "qr.service", UI_ROLE_HEADING, UI_FONT_HEADING, true, p->text,
                  q->s ? app_kt(a, &q->s->name) : app_kt(a, &q->d->title), x, y, w) + g;
    y += ui_label(u, "qr.caption", UI_ROLE_HEADING, UI_FONT_TITLE, true, p->primary,
                  q->list[q->sel].caption[app_lang(a)], x, y, w) + g;
    y += ui_label(u, "qr.howto", UI_ROLE_TEXT, UI_FONT_BODY, false, p->text, app_tr(a, "qr.howto"), x, y, w) + g;
    /* as large as the screen allows, up to 120 mm, never below 6 px per module */
    bool landscape = body.w > body.h;
    int side = MIN(landscape ? body.h * 2 / 3 : w, ui_mm(u, 120));
    ui_rect r = ui_qr(u, "qr.code", q->list[q->sel].url, (ui_rect){x, y, w, side});
    y += r.h + g;
    y += ui_label(u, "qr.url", UI_ROLE_TEXT, UI_FONT_SMALL, false, p->muted, q->list[q->sel].url, x, y, w) + 2 * g;
    if (q->n > 1) {
        y += ui_label(u, "qr.others", UI_ROLE_HEADING, UI_FONT_BODY, true, p->text, app_tr(a, "qr.others"), x, y, w) + g;
        int bh = MAX(ui_target_min(u), ui_mm(u, 15));
        for (int i = 0; i < q->n; i++) {
            char id[32];
            snprintf(id, sizeof id, "qr.pick.%d", i);
            int pad = ui_mm(u, 3);
            int h = ui_text_height(u, UI_FONT_BODY, true, q->list[i].caption[app_lang(a)], w - 2 * pad);
            h += (i == q->sel ? ui_text_height(u, UI_FONT_SMALL, false, app_tr(a, "qr.showing"), w - 2 * pad) : 0);
            h = MAX(bh, h + 2 * pad);
            ui_button(u, id, (ui_rect){x, y, w, h}, i == q->sel ? UI_BTN_PRIMARY : UI_BTN_SECONDARY,
                      q->list[i].caption[app_lang(a)], i == q->sel ? app_tr(a, "qr.showing") : NULL);
            y += h + g;
        }
    }
    ui_scroll_end(u, &q->scroll, y + g - top);
}

static void qr_event(app *a, void *st, const char *id)
{
    struct qrview *q = st;
    int k;
    if (sscanf(id, "qr.pick.%d", &k) == 1 && k >= 0 && k < q->n && k != q->sel) {
        q->sel = k;
        q->scroll.offset = 0;
        count_show(a, q);
    }
}


static void qr_tour(app *a, struct tour *t)
{
    (void)a;
    if (app_tour_first(t, "service"))
        app_tour_view(t, "qr", "open guide %s\ntap-id guide.take_away\n", app_tour_first(t, "service"));
}

const struct screen_ops screen_qr = {
    .name = "qr",
    .enter = qr_enter,
    .leave = qr_leave,
    .draw = qr_draw,
    .title = qr_title,
    .event = qr_event,
    .tour = qr_tour,
};
