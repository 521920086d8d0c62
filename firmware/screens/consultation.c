/* consultation.c - one draft put out for public comment: its agency, the comment
 * period and where it stands by the kiosk's date, the draft and its explanation (each
 * opened in the document reader), the questions the agency asks. While it is open, a
 * "comment" button opens the comment form (the wizard with "consult:ID"); once closed,
 * no button, and the published feedback: each point adopted, partly adopted or not,
 * with the reason - or, before it is published, a line saying it will be. */
#include "consults.h"
#include "sections.h"
#include "core/consult.h"
#include "core/doc_body.h"
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct consultation_screen {
    struct consultation *c;
    struct body summary[LANG_COUNT];
    struct ui_scroll scroll;
};

static void *consultation_enter(app *a, const char *arg)
{
    struct consultation_screen *s = xcalloc(1, sizeof *s);
    int e = arg ? store_consult_get(app_store(a), arg, &s->c) : -ENOENT;
    if (e < 0 && e != -ENOENT)
        app_push(a, &screen_oops, NULL);
    if (e == 0)
        for (int l = 0; l < LANG_COUNT; l++)
            body_parse(s->c->feedback_summary.s[l], &s->summary[l]);
    return s;
}

static void consultation_leave(app *a, void *st)
{
    (void)a;
    struct consultation_screen *s = st;
    for (int l = 0; l < LANG_COUNT; l++)
        body_free(&s->summary[l]);
    consultation_free(s->c);
    free(s);
}

static const char *consultation_title(app *a, void *st)
{
    (void)st;
    return app_tr(a, "consult.title");
}

static bool is_open(app *a, const struct consultation *c)
{
    char today[16];
    app_date_str(a, today, sizeof today);
    int st = consult_status_of(c->opens, c->closes, today, NULL);
    return st == CONSULT_OPEN || st == CONSULT_CLOSING_SOON;
}

static int button(app *a, struct sec *s, const char *id, enum ui_button_style style, const char *label,
                  const char *sub)
{
    ui *u = app_ui(a);
    int h = MAX(ui_mm(u, 18), ui_button_height(u, style, label, sub, s->w));
    ui_button(u, id, (ui_rect){s->x, s->y, s->w, h}, style, label, sub);
    s->y += h + ui_gap(u);
    return h;
}

static void feedback(app *a, struct consultation_screen *cs, struct sec *s)
{
    const struct consultation *c = cs->c;
    char date[64], id[64], line[1024];
    sec_heading(s, "consult.feedback", app_tr(a, "consult.feedback"));
    if (!*c->feedback_published) {
        sec_text(s, "consult.no_feedback", app_tr(a, "consult.no_feedback"));
        return;
    }
    app_format_date(a, c->feedback_published, date, sizeof date);
    sec_field(s, "consult.feedback_published", app_tr(a, "consult.feedback_published"), date);
    int lang = app_lang(a);
    const struct body *b = &cs->summary[lang];
    for (int i = 0; i < b->n; i++) {
        snprintf(id, sizeof id, "consult.summary.%d", i);
        if (b->blocks[i].kind == BODY_HEADING)
            sec_subheading(s, id, b->blocks[i].text);
        else if (b->blocks[i].kind == BODY_PARAGRAPH)
            sec_text(s, id, b->blocks[i].text);
        else /* a table: one line per row, its cells joined */
            for (int r = 0; r < b->blocks[i].n_rows; r++) {
                size_t n = 0;
                line[0] = '\0';
                for (int k = 0; k < b->blocks[i].rows[r].n && n < sizeof line; k++)
                    n += (size_t)snprintf(line + n, sizeof line - n, "%s%s", k ? app_tr(a, "list.sep") : "",
                                          b->blocks[i].rows[r].cells[k]);
                snprintf(id, sizeof id, "consult.summary.%d.%d", i, r);
                sec_text(s, id, line);
            }
    }
    for (int i = 0; i < c->n_points; i++) {
        char key[64];
        const struct consult_point *p = &c->points[i];
        sec_gap(s, 2);
        snprintf(id, sizeof id, "consult.point.%d", i);
        snprintf(line, sizeof line, "%d. %s", i + 1, app_kt(a, &p->point));
        sec_subheading(s, id, line);
        snprintf(key, sizeof key, "consult.outcome.%s", p->outcome);
        snprintf(id, sizeof id, "consult.outcome.%d", i);
        sec_field(s, id, app_tr(a, "consult.outcome"), app_tr(a, key));
        snprintf(id, sizeof id, "consult.reason.%d", i);
        sec_field(s, id, app_tr(a, "consult.reason"), app_kt(a, &p->reason));
    }
}

static void consultation_draw(app *a, void *st, ui_rect body)
{
    struct consultation_screen *cs = st;
    ui *u = app_ui(a);
    int g = ui_gap(u);
    int top = ui_scroll_begin(u, "consult.scroll", &cs->scroll, body);
    struct sec s = sec_start(a, body.x + 3 * g, top + 2 * g, body.w - 6 * g);
    const struct consultation *c = cs->c;
    if (!c) {
        sec_text(&s, "consult.missing", app_tr(a, "consult.missing"));
        ui_scroll_end(u, &cs->scroll, s.y + 3 * g - top);
        return;
    }
    char status[160], opens[64], closes[64], period[160];
    consult_status_text(a, c->opens, c->closes, status, sizeof status);
    app_format_date(a, c->opens, opens, sizeof opens);
    app_format_date(a, c->closes, closes, sizeof closes);
    snprintf(period, sizeof period, app_tr(a, "consult.period_fmt"), opens, closes);
    sec_heading(&s, "consult.name", app_kt(a, &c->title));
    sec_field(&s, "consult.status", app_tr(a, "consult.status"), status);
    sec_field(&s, "consult.agency", app_tr(a, "consult.agency"), app_kt(a, &c->agency));
    sec_field(&s, "consult.period", app_tr(a, "consult.period"), period);
    sec_gap(&s, 2);
    bool open = is_open(a, c);
    if (open)
        button(a, &s, "consult.comment", UI_BTN_PRIMARY, app_tr(a, "consult.comment"),
               app_tr(a, "consult.comment_sub"));
    button(a, &s, "consult.draft", UI_BTN_SECONDARY, app_tr(a, "consult.read_draft"), NULL);
    button(a, &s, "consult.explanation", UI_BTN_SECONDARY, app_tr(a, "consult.read_explanation"), NULL);
    if (c->n_questions > 0) {
        sec_heading(&s, "consult.questions", app_tr(a, "consult.questions"));
        for (int i = 0; i < c->n_questions; i++) {
            char id[48], line[1024];
            snprintf(id, sizeof id, "consult.question.%d", i);
            snprintf(line, sizeof line, "%d. %s", i + 1, app_kt(a, &c->questions[i]));
            sec_text(&s, id, line);
        }
    }
    char today[16];
    app_date_str(a, today, sizeof today);
    if (consult_status_of(c->opens, c->closes, today, NULL) == CONSULT_CLOSED) {
        sec_muted(&s, "consult.closed_note", app_tr(a, "consult.closed_note"));
        feedback(a, cs, &s);
    }
    ui_scroll_end(u, &cs->scroll, s.y + 3 * g - top);
}

static void consultation_event(app *a, void *st, const char *id)
{
    struct consultation_screen *cs = st;
    char arg[128];
    if (!cs->c)
        return;
    if (strcmp(id, "consult.comment") == 0 && is_open(a, cs->c)) {
        snprintf(arg, sizeof arg, "consult:%s", cs->c->id);
        app_push(a, &screen_wizard, arg);
    } else if (strcmp(id, "consult.draft") == 0 || strcmp(id, "consult.explanation") == 0) {
        snprintf(arg, sizeof arg, "consult:%s#%s", cs->c->id, id + 8);
        app_push(a, &screen_doc, arg);
    }
}

/* the tour shows an open consultation and a closed one with its feedback */
static void consultation_tour(app *a, struct tour *t)
{
    struct consult_row_list l;
    char today[16];
    const char *open = NULL, *closed = NULL;
    if (store_consults(app_store(a), &l) < 0)
        return;
    app_date_str(a, today, sizeof today);
    for (int i = 0; i < l.n; i++) {
        int st = consult_status_of(l.items[i].opens, l.items[i].closes, today, NULL);
        if (!open && (st == CONSULT_OPEN || st == CONSULT_CLOSING_SOON))
            open = l.items[i].id;
        if (!closed && st == CONSULT_CLOSED && *l.items[i].feedback_published)
            closed = l.items[i].id;
    }
    if (open)
        app_tour_view(t, "consultation-open", "open consultation %s\n", open);
    if (closed)
        app_tour_view(t, "consultation-closed", "open consultation %s\nscroll consult.scroll 1500\n", closed);
    consult_row_list_free(&l);
}

const struct screen_ops screen_consultation = {
    .name = "consultation",
    .enter = consultation_enter,
    .leave = consultation_leave,
    .draw = consultation_draw,
    .title = consultation_title,
    .event = consultation_event,
    .tour = consultation_tour,
};
