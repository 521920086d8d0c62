/* guide.c - one service guide, every field of docs/rules.md §3 in the order a visitor
 * reads: what it is and who can apply; what to bring; the steps; how long; how many
 * visits; fees; where (with the hall map, the window marked); when; phones; FAQs; the
 * legal basis last. The guide is loaded whole on entry (one query per table, a few
 * ms) and then only drawn; long guides scroll. */
#include "app.h"
#include "guide_qr.h"
#include "hallmap.h"
#include "print.h"
#include "sections.h"
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct guide {
    struct service *s;
    struct ui_scroll scroll;
    struct hallmap map; /* the floor of the service's window, the window ringed */
    bool printing; /* this screen started a print: say what became of it */
};

static void *guide_enter(app *a, const char *arg)
{
    struct guide *g = xcalloc(1, sizeof *g);
    int r = arg ? store_service_get(app_store(a), arg, &g->s) : -ENOENT;
    if (r < 0 && r != -ENOENT)
        app_push(a, &screen_oops, NULL);
    if (r == 0) {
        state_count(app_state(a), "service", g->s->id, STATE_VIEWS);
        const struct hall_window *win = hall_window_by_id(app_hall(a), g->s->window_id);
        if (win)
            hallmap_load(a, &g->map, win, win->floor);
    }
    return g;
}

static void guide_leave(app *a, void *st)
{
    (void)a;
    struct guide *g = st;
    service_free(g->s);
    hallmap_free(&g->map);
    free(g);
}

static const char *guide_title(app *a, void *st)
{
    struct guide *g = st;
    return g->s ? app_kt(a, &g->s->name) : app_tr(a, "guide.missing");
}

static void fmt_limit(app *a, int value, const char *unit, char *out, size_t n)
{
    char key[64];
    snprintf(key, sizeof key, "guide.unit.%s", unit);
    snprintf(out, n, app_tr(a, key), value);
}

static void key_of(char *out, size_t n, const char *prefix, const char *v)
{
    snprintf(out, n, "%s%s", prefix, v);
}

static void draw_map(app *a, struct guide *g, struct sec *s)
{
    s->y += hallmap_draw(a, &g->map, "guide.map", s->x, s->y, s->w, 0, true) + ui_gap(app_ui(a)) / 2;
    sec_subheading(s, "guide.map.window", app_kt(a, &g->map.win->name));
}

static void draw_facts(app *a, struct guide *g, struct sec *s)
{
    /* the three questions first: how long, how many visits, how much */
    struct service *v = g->s;
    char when[96], visits[96], fee[96], line[512];
    if (strcmp(v->handling, "on_the_spot") == 0)
        snprintf(when, sizeof when, "%s", app_tr(a, "guide.on_the_spot"));
    else
        fmt_limit(a, v->promised_value, v->promised_unit, when, sizeof when);
    if (v->visits == 0)
        snprintf(visits, sizeof visits, "%s", app_tr(a, "guide.visits_none"));
    else
        snprintf(visits, sizeof visits, app_tr(a, "guide.visits_n"), v->visits);
    snprintf(fee, sizeof fee, "%s", app_tr(a, v->free ? "guide.free_short" : "guide.fees_apply"));
    snprintf(line, sizeof line, "%s %s\n%s %s\n%s %s\n%s %s", app_tr(a, "guide.fact_time"), when,
             app_tr(a, "guide.fact_visits"), visits, app_tr(a, "guide.fact_fee"), fee,
             app_tr(a, "guide.fact_where"), app_kt(a, &v->location));
    ui *u = app_ui(a);
    const struct ui_palette *p = ui_pal(u);
    int pad = ui_gap(u);
    int h = ui_text_height(u, UI_FONT_BODY, true, line, s->w - 2 * pad) + 2 * pad;
    ui_fill_round(u, (ui_rect){s->x, s->y, s->w, h}, ui_mm(u, 2), p->pressed);
    ui_label(u, "guide.facts", UI_ROLE_TEXT, UI_FONT_BODY, true, p->text, line, s->x + pad,
             s->y + pad, s->w - 2 * pad);
    s->y += h + ui_gap(u);
}

static void draw_materials(app *a, struct guide *g, struct sec *s)
{
    ui *u = app_ui(a);
    const struct ui_palette *p = ui_pal(u);
    struct service *v = g->s;
    int gap = ui_gap(u);
    sec_heading(s, "guide.sec.bring", app_tr(a, "guide.sec.bring"));
    for (int i = 0; i < v->n_materials; i++) {
        struct material *m = &v->materials[i];
        char id[64], key[64], line[1024], title[512];
        /* a checklist: a box to tick in your head, the number, the name */
        snprintf(title, sizeof title, "%s %d. %s", app_tr(a, "guide.checkbox"), i + 1, app_kt(a, &m->name));
        snprintf(id, sizeof id, "guide.material.%d", i);
        s->y += ui_label(u, id, UI_ROLE_TEXT, UI_FONT_BODY, true, p->text, title, s->x, s->y, s->w);
        key_of(key, sizeof key, "guide.form.", m->form);
        char copies[64] = "";
        if (m->copies > 0)
            snprintf(copies, sizeof copies, app_tr(a, "guide.copies"), m->copies);
        snprintf(line, sizeof line, "%s%s%s%s%s", app_tr(a, key), *copies ? app_tr(a, "list.sep") : "",
                 copies, *m->paper ? app_tr(a, "list.sep") : "", m->paper);
        snprintf(id, sizeof id, "guide.material.%d.form", i);
        int ind = ui_mm(u, 6);
        struct sec in = sec_start(a, s->x + ind, s->y, s->w - ind);
        sec_text(&in, id, line);
        if (strcmp(m->required, "conditional") == 0) {
            snprintf(line, sizeof line, app_tr(a, "guide.conditional"), app_kt(a, &m->condition));
            snprintf(id, sizeof id, "guide.material.%d.cond", i);
            sec_text(&in, id, line);
        } else {
            snprintf(id, sizeof id, "guide.material.%d.req", i);
            sec_text(&in, id, app_tr(a, "guide.required"));
        }
        snprintf(id, sizeof id, "guide.material.%d.source", i);
        sec_field(&in, id, app_tr(a, "guide.source"), app_kt(a, &m->source));
        /* its blank form and filled-in sample travel as QR codes */
        int bw = (in.w - gap) / 2, x = in.x;
        int bh = MAX(ui_mm(u, 15), MAX(ui_button_height(u, UI_BTN_SECONDARY, app_tr(a, "guide.blank_qr"), NULL, bw),
                                       ui_button_height(u, UI_BTN_SECONDARY, app_tr(a, "guide.sample_qr"), NULL, bw)));
        bool any = false;
        if (*m->blank_url) {
            snprintf(id, sizeof id, "guide.qr.%d", guide_qr_index(v, i, 0));
            ui_button(u, id, (ui_rect){x, in.y, bw, bh}, UI_BTN_SECONDARY, app_tr(a, "guide.blank_qr"), NULL);
            x += bw + gap;
            any = true;
        }
        if (*m->sample_url) {
            snprintf(id, sizeof id, "guide.qr.%d", guide_qr_index(v, i, 1));
            ui_button(u, id, (ui_rect){x, in.y, bw, bh}, UI_BTN_SECONDARY, app_tr(a, "guide.sample_qr"), NULL);
            any = true;
        }
        if (any)
            in.y += bh + gap;
        s->y = in.y + gap / 2;
    }
}

static void draw_steps(app *a, struct guide *g, struct sec *s)
{
    struct service *v = g->s;
    sec_heading(s, "guide.sec.steps", app_tr(a, "guide.sec.steps"));
    for (int i = 0; i < v->n_steps; i++) {
        struct step *x = &v->steps[i];
        char id[64], key[64], title[512];
        key_of(key, sizeof key, "guide.step.", x->kind);
        snprintf(title, sizeof title, "%d. %s%s", i + 1, app_kt(a, &x->title),
                 strcmp(x->kind, "required") ? app_tr(a, key) : "");
        snprintf(id, sizeof id, "guide.step.%d", i);
        sec_subheading(s, id, title);
        snprintf(id, sizeof id, "guide.step.%d.text", i);
        sec_text(s, id, app_kt(a, &x->text));
    }
}

static void draw_guide(app *a, struct guide *g, struct sec *s)
{
    ui *u = app_ui(a);
    struct service *v = g->s;
    char buf[1024], key[64], lim[96];
    int bh = MAX(ui_mm(u, 18), ui_button_height(u, UI_BTN_PRIMARY, app_tr(a, "guide.take_away"), NULL, s->w));
    ui_button(u, "guide.take_away", (ui_rect){s->x, s->y, s->w, bh}, UI_BTN_PRIMARY,
              app_tr(a, "guide.take_away"), NULL);
    s->y += bh + ui_gap(u);
    int ph = print_button(a, "guide.print", s->x, s->y, s->w);
    s->y += ph ? ph + ui_gap(u) : 0;
    int sh = print_state_draw(a, g->printing, s->x, s->y, s->w);
    s->y += sh ? sh + ui_gap(u) : 0;
    draw_facts(a, g, s);

    sec_heading(s, "guide.sec.what", app_tr(a, "guide.sec.what"));
    sec_text(s, "guide.summary", app_kt(a, &v->summary));
    key_of(key, sizeof key, "guide.type.", v->type);
    snprintf(buf, sizeof buf, "%s%s%s", app_tr(a, key), app_tr(a, "list.sep"), app_kt(a, &v->agency));
    sec_muted(s, "guide.type", buf);
    snprintf(buf, sizeof buf, app_tr(a, "guide.code"), v->code);
    sec_muted(s, "guide.code", buf);
    sec_heading(s, "guide.sec.who", app_tr(a, "guide.sec.who"));
    sec_text(s, "guide.conditions", app_kt(a, &v->conditions));
    sec_field(s, "guide.serves", app_tr(a, "guide.serves"), app_kt(a, &v->serves));

    draw_materials(a, g, s);
    draw_steps(a, g, s);

    sec_heading(s, "guide.sec.time", app_tr(a, "guide.sec.time"));
    if (strcmp(v->handling, "on_the_spot") == 0) {
        sec_text(s, "guide.promised", app_tr(a, "guide.on_the_spot"));
    } else {
        fmt_limit(a, v->promised_value, v->promised_unit, lim, sizeof lim);
        sec_field(s, "guide.promised", app_tr(a, "guide.promised"), lim);
    }
    fmt_limit(a, v->statutory_value, v->statutory_unit, lim, sizeof lim);
    sec_field(s, "guide.statutory", app_tr(a, "guide.statutory"), lim);
    sec_heading(s, "guide.sec.visits", app_tr(a, "guide.sec.visits"));
    if (v->visits == 0)
        snprintf(buf, sizeof buf, "%s", app_tr(a, "guide.visits_none"));
    else
        snprintf(buf, sizeof buf, app_tr(a, "guide.visits_n"), v->visits);
    sec_text(s, "guide.visits", buf);
    sec_text(s, "guide.appointment", app_tr(a, v->appointment ? "guide.appointment_yes" : "guide.appointment_no"));
    key_of(key, sizeof key, "guide.online.", v->online_depth);
    sec_text(s, "guide.online", app_tr(a, key));

    sec_heading(s, "guide.sec.fees", app_tr(a, "guide.sec.fees"));
    if (v->free)
        sec_text(s, "guide.free", app_tr(a, "guide.free"));
    for (int i = 0; i < v->n_fees; i++) {
        struct fee *f = &v->fees[i];
        char id[64];
        snprintf(buf, sizeof buf, "%s%s%s", app_kt(a, &f->name), app_tr(a, "list.sep"), app_kt(a, &f->standard));
        snprintf(id, sizeof id, "guide.fee.%d", i);
        sec_subheading(s, id, buf);
        snprintf(id, sizeof id, "guide.fee.%d.basis", i);
        sec_field(s, id, app_tr(a, "guide.fee_basis"), app_kt(a, &f->basis));
        if (f->waivable) {
            snprintf(id, sizeof id, "guide.fee.%d.waivable", i);
            sec_text(s, id, app_tr(a, "guide.fee_waivable"));
        }
    }

    sec_heading(s, "guide.sec.where", app_tr(a, "guide.sec.where"));
    sec_text(s, "guide.location", app_kt(a, &v->location));
    if (g->map.win)
        draw_map(a, g, s);
    sec_heading(s, "guide.sec.when", app_tr(a, "guide.sec.when"));
    sec_text(s, "guide.hours", app_kt(a, &v->hours));
    sec_heading(s, "guide.sec.phones", app_tr(a, "guide.sec.phones"));
    sec_field(s, "guide.phone_consult", app_tr(a, "guide.phone_consult"), v->phone_consult);
    sec_field(s, "guide.phone_complaint", app_tr(a, "guide.phone_complaint"), v->phone_complaint);
    if (v->n_faqs) {
        sec_heading(s, "guide.sec.faq", app_tr(a, "guide.sec.faq"));
        for (int i = 0; i < v->n_faqs; i++) {
            char id[64];
            snprintf(buf, sizeof buf, "%s%s", app_tr(a, "guide.faq_q"), app_kt(a, &v->faqs[i].q));
            snprintf(id, sizeof id, "guide.faq.%d", i);
            sec_subheading(s, id, buf);
            snprintf(id, sizeof id, "guide.faq.%d.a", i);
            sec_text(s, id, app_kt(a, &v->faqs[i].a));
        }
    }
    sec_heading(s, "guide.sec.basis", app_tr(a, "guide.sec.basis"));
    sec_text(s, "guide.basis", app_kt(a, &v->legal_basis));
}

static void guide_draw(app *a, void *st, ui_rect body)
{
    struct guide *g = st;
    ui *u = app_ui(a);
    int gap = ui_gap(u);
    int top = ui_scroll_begin(u, "guide.scroll", &g->scroll, body);
    struct sec s = sec_start(a, body.x + 3 * gap, top + 2 * gap, body.w - 6 * gap);
    if (g->s)
        draw_guide(a, g, &s);
    else
        sec_text(&s, "guide.missing", app_tr(a, "guide.missing"));
    ui_scroll_end(u, &g->scroll, s.y + 3 * gap - top);
}

/* The checklist slip: the materials with tick boxes, where (window, floor), the hours,
 * and the guide's own QR code. */
static void guide_print(app *a, struct guide *g)
{
    struct service *v = g->s;
    struct guide_qr *qr = NULL;
    int nqr = guide_qr_list(v, &qr);
    int n = v->n_materials < SLIP_ITEMS_MAX - 12 ? v->n_materials : SLIP_ITEMS_MAX - 12;
    struct slip_item *items = xcalloc((size_t)n + 12, sizeof *items);
    char (*lines)[600] = xcalloc((size_t)n + 1, sizeof *lines);
    int k = 0;
    items[k++] = (struct slip_item){SLIP_HEADING, "slip.title", app_kt(a, &v->name)};
    items[k++] = (struct slip_item){SLIP_TEXT, "slip.bring", app_tr(a, "guide.sec.bring")};
    for (int i = 0; i < n; i++) {
        const struct material *m = &v->materials[i];
        if (m->copies > 0) {
            char copies[64];
            snprintf(copies, sizeof copies, app_tr(a, "guide.copies"), m->copies);
            snprintf(lines[i], sizeof lines[i], "%d. %s%s%s", i + 1, app_kt(a, &m->name),
                     app_tr(a, "list.sep"), copies);
        } else {
            snprintf(lines[i], sizeof lines[i], "%d. %s", i + 1, app_kt(a, &m->name));
        }
        items[k++] = (struct slip_item){SLIP_TICK, "slip.material", lines[i]};
    }
    items[k++] = (struct slip_item){SLIP_RULE, "slip.rule", NULL};
    items[k++] = (struct slip_item){SLIP_TEXT, "slip.where.title", app_tr(a, "guide.sec.where")};
    if (g->map.win) {
        snprintf(lines[n], sizeof lines[n], app_tr(a, "print.slip.window"), app_kt(a, &g->map.win->name),
                 g->map.win->floor);
        items[k++] = (struct slip_item){SLIP_TEXT, "slip.window", lines[n]};
    }
    items[k++] = (struct slip_item){SLIP_SMALL, "slip.location", app_kt(a, &v->location)};
    items[k++] = (struct slip_item){SLIP_TEXT, "slip.hours.title", app_tr(a, "guide.sec.when")};
    items[k++] = (struct slip_item){SLIP_SMALL, "slip.hours", app_kt(a, &v->hours)};
    if (nqr > 0) {
        items[k++] = (struct slip_item){SLIP_RULE, "slip.rule2", NULL};
        items[k++] = (struct slip_item){SLIP_TEXT, "slip.qr_title", qr[0].caption[app_lang(a)]};
        items[k++] = (struct slip_item){SLIP_QR, "slip.qr", qr[0].url};
    }
    int rc = print_start(a, "guide", items, (size_t)k);
    g->printing = g->printing || rc == 0 || rc == -EBUSY;
    free(items);
    free(lines);
    guide_qr_free(qr, nqr);
}

static void guide_event(app *a, void *st, const char *id)
{
    struct guide *g = st;
    int k;
    if (!g->s)
        return;
    if (strcmp(id, "guide.print") == 0) {
        guide_print(a, g);
    } else if (strcmp(id, "guide.take_away") == 0) {
        app_push(a, &screen_qr, g->s->id);
    } else if (sscanf(id, "guide.qr.%d", &k) == 1) {
        char arg[160];
        snprintf(arg, sizeof arg, "%s#%d", g->s->id, k);
        app_push(a, &screen_qr, arg);
    }
}


static void guide_tour(app *a, struct tour *t)
{
    (void)a;
    if (app_tour_first(t, "service"))
        app_tour_view(t, "guide", "open guide %s\n", app_tour_first(t, "service"));
}

const struct screen_ops screen_guide = {
    .name = "guide",
    .enter = guide_enter,
    .leave = guide_leave,
    .draw = guide_draw,
    .title = guide_title,
    .event = guide_event,
    .tour = guide_tour,
};
