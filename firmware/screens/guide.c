/* guide.c - one service guide, every field of docs/rules.md §3 in the order a visitor
 * reads: what it is and who can apply; what to bring; the steps; how long; how many
 * visits; fees; where (with the hall map, the window marked); when; phones; FAQs; the
 * legal basis last. The guide is loaded whole on entry (one query per table, a few
 * ms); long guides scroll. Below the buttons and the facts box, the page is blocks (a
 * section, a material, a step, a fee, a question) laid out as they come on screen, the
 * rest measured in idle ticks (lazy.h): a guide at the content's caps (500 materials,
 * 500 steps) opens in one frame. */
#include "app.h"
#include "guide_qr.h"
#include "hallmap.h"
#include "lazy.h"
#include "print.h"
#include "sections.h"
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the page's blocks below the facts box, in reading order */
enum gkind { GB_WHAT, GB_WHAT_END, GB_WHO, GB_WHO_END, GB_BRING, GB_MATERIAL, GB_STEPS, GB_STEP, GB_TIME,
             GB_VISITS, GB_FEES, GB_FEE, GB_WHERE, GB_WHEN, GB_PHONES, GB_FAQS, GB_FAQ, GB_BASIS, GB_PIECE };
struct gblock {
    enum gkind kind;
    int k;            /* which material, step, fee or question; which piece of a text */
    const char *text; /* GB_PIECE: its words (in the guide's copy of the text) */
    const char *id;   /* GB_PIECE: the text's id ("guide.summary") */
    bool last;        /* GB_PIECE: the text's last piece, which the paragraph gap follows */
};

/* A long text (the summary, the conditions, the legal basis: up to 64 KiB each) is
 * drawn in pieces of about this many bytes, each ending at a line break, so that the
 * first frame lays out only the pieces it shows; a shorter text is one piece. */
#define GUIDE_PIECE_BYTES 2000
enum { LONG_SUMMARY, LONG_CONDITIONS, LONG_BASIS, LONG_COUNT };

struct guide {
    struct service *s;
    struct ui_scroll scroll;
    struct gblock *blocks[LANG_COUNT]; /* per language: the long texts' pieces differ */
    int n_blocks[LANG_COUNT];
    char *copies[LANG_COUNT][LONG_COUNT]; /* the long texts, a NUL where a piece ends */
    struct lazy lazy;
    struct hallmap map; /* the floor of the service's window, the window ringed */
    bool printing; /* this screen started a print: say what became of it */
};

static const struct lazy_ops guide_ops;

static void add_block(struct guide *g, kiosk_lang l, enum gkind kind, int k)
{
    g->blocks[l][g->n_blocks[l]++] = (struct gblock){kind, k, NULL, NULL, false};
}

/* TEXT as pieces of about GUIDE_PIECE_BYTES, cut at a line break between two lines with
 * words (so each piece lays out as the same lines it had in the whole); *COPY keeps
 * them. At most max_pieces(TEXT) blocks. */
static void add_pieces(struct guide *g, kiosk_lang l, const char *text, const char *id, char **copy)
{
    char *c = *copy = xstrdup(text), *start = c;
    for (char *p = c; *p; p++) {
        if (p - start >= GUIDE_PIECE_BYTES && *p == '\n' && p[-1] != '\n' && p[1] && p[1] != '\n') {
            *p = '\0';
            g->blocks[l][g->n_blocks[l]++] = (struct gblock){GB_PIECE, 0, start, id, false};
            start = p + 1;
        }
    }
    g->blocks[l][g->n_blocks[l]++] = (struct gblock){GB_PIECE, 0, start, id, true};
}

static size_t max_pieces(const char *text)
{
    return strlen(text) / GUIDE_PIECE_BYTES + 1;
}

/* the blocks of the loaded guide in each language (the store caps each list) */
static void plan_blocks(struct guide *g)
{
    struct service *v = g->s;
    for (int l = 0; l < LANG_COUNT; l++) {
        size_t n = (size_t)v->n_materials + v->n_steps + v->n_fees + v->n_faqs + 20 + max_pieces(KT(v->summary, l)) +
                   max_pieces(KT(v->conditions, l)) + max_pieces(KT(v->legal_basis, l));
        g->blocks[l] = xcalloc(n, sizeof *g->blocks[l]);
        add_block(g, l, GB_WHAT, 0);
        add_pieces(g, l, KT(v->summary, l), "guide.summary", &g->copies[l][LONG_SUMMARY]);
        add_block(g, l, GB_WHAT_END, 0);
        add_block(g, l, GB_WHO, 0);
        add_pieces(g, l, KT(v->conditions, l), "guide.conditions", &g->copies[l][LONG_CONDITIONS]);
        add_block(g, l, GB_WHO_END, 0);
        add_block(g, l, GB_BRING, 0);
        for (int i = 0; i < v->n_materials; i++)
            add_block(g, l, GB_MATERIAL, i);
        add_block(g, l, GB_STEPS, 0);
        for (int i = 0; i < v->n_steps; i++)
            add_block(g, l, GB_STEP, i);
        add_block(g, l, GB_TIME, 0);
        add_block(g, l, GB_VISITS, 0);
        add_block(g, l, GB_FEES, 0);
        for (int i = 0; i < v->n_fees; i++)
            add_block(g, l, GB_FEE, i);
        add_block(g, l, GB_WHERE, 0);
        add_block(g, l, GB_WHEN, 0);
        add_block(g, l, GB_PHONES, 0);
        if (v->n_faqs)
            add_block(g, l, GB_FAQS, 0);
        for (int i = 0; i < v->n_faqs; i++)
            add_block(g, l, GB_FAQ, i);
        add_block(g, l, GB_BASIS, 0);
        add_pieces(g, l, KT(v->legal_basis, l), "guide.basis", &g->copies[l][LONG_BASIS]);
    }
}

static void *guide_enter(app *a, const char *arg)
{
    struct guide *g = xcalloc(1, sizeof *g);
    g->lazy = lazy_start(&guide_ops, g);
    int r = arg ? store_service_get(app_store(a), arg, &g->s) : -ENOENT;
    if (r < 0 && r != -ENOENT)
        app_push(a, &screen_oops, NULL);
    if (r == 0) {
        state_count(app_state(a), "service", g->s->id, STATE_VIEWS);
        plan_blocks(g);
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
    lazy_free(&g->lazy);
    for (int l = 0; l < LANG_COUNT; l++) {
        free(g->blocks[l]);
        for (int t = 0; t < LONG_COUNT; t++)
            free(g->copies[l][t]);
    }
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

/* the top of the page, always laid out: the take-away and print buttons and the three
 * questions first: how long, how many visits, how much */
static void draw_top(app *a, struct guide *g, struct sec *s)
{
    ui *u = app_ui(a);
    struct service *v = g->s;
    int bh = MAX(ui_mm(u, 18), ui_button_height(u, UI_BTN_PRIMARY, app_tr(a, "guide.take_away"), NULL, s->w));
    ui_button(u, "guide.take_away", (ui_rect){s->x, s->y, s->w, bh}, UI_BTN_PRIMARY,
              app_tr(a, "guide.take_away"), NULL);
    s->y += bh + ui_gap(u);
    int ph = print_button(a, "guide.print", s->x, s->y, s->w);
    s->y += ph ? ph + ui_gap(u) : 0;
    int sh = print_state_draw(a, g->printing, s->x, s->y, s->w);
    s->y += sh ? sh + ui_gap(u) : 0;

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
    const struct ui_palette *p = ui_pal(u);
    int pad = ui_gap(u);
    int h = ui_text_height(u, UI_FONT_BODY, true, line, s->w - 2 * pad) + 2 * pad;
    ui_fill_round(u, (ui_rect){s->x, s->y, s->w, h}, ui_mm(u, 2), p->pressed);
    ui_label(u, "guide.facts", UI_ROLE_TEXT, UI_FONT_BODY, true, p->text, line, s->x + pad,
             s->y + pad, s->w - 2 * pad);
    s->y += h + ui_gap(u);
}

/* bold body text (role text) as s->mode says; returns its height */
static int bold_text(struct sec *s, const char *id, const char *text)
{
    if (s->mode == SEC_GUESS)
        return sec_guess_lines(text, ui_font_px(s->u, UI_FONT_BODY), s->w, NULL) * ui_line_h(s->u, UI_FONT_BODY);
    if (s->mode == SEC_MEASURE)
        return ui_text_height(s->u, UI_FONT_BODY, true, text, s->w);
    return ui_label(s->u, id, UI_ROLE_TEXT, UI_FONT_BODY, true, ui_pal(s->u)->text, text, s->x, s->y, s->w);
}

static void material_title(app *a, const struct material *m, int i, char *out, size_t n)
{
    /* a checklist: a box to tick in your head, the number, the name */
    snprintf(out, n, "%s %d. %s", app_tr(a, "guide.checkbox"), i + 1, app_kt(a, &m->name));
}

static void block_material(app *a, struct guide *g, int i, struct sec *s)
{
    ui *u = app_ui(a);
    struct service *v = g->s;
    struct material *m = &v->materials[i];
    int gap = ui_gap(u);
    char id[64], key[64], line[1024], title[512];
    material_title(a, m, i, title, sizeof title);
    snprintf(id, sizeof id, "guide.material.%d", i);
    s->y += bold_text(s, id, title);
    key_of(key, sizeof key, "guide.form.", m->form);
    char copies[64] = "";
    if (m->copies > 0)
        snprintf(copies, sizeof copies, app_tr(a, "guide.copies"), m->copies);
    snprintf(line, sizeof line, "%s%s%s%s%s", app_tr(a, key), *copies ? app_tr(a, "list.sep") : "",
             copies, *m->paper ? app_tr(a, "list.sep") : "", m->paper);
    snprintf(id, sizeof id, "guide.material.%d.form", i);
    int ind = ui_mm(u, 6);
    struct sec in = sec_start(a, s->x + ind, s->y, s->w - ind);
    in.mode = s->mode;
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
    if (*m->blank_url || *m->sample_url) {
        int bw = (in.w - gap) / 2, x = in.x;
        int bh = MAX(ui_mm(u, 15), MAX(ui_button_height(u, UI_BTN_SECONDARY, app_tr(a, "guide.blank_qr"), NULL, bw),
                                       ui_button_height(u, UI_BTN_SECONDARY, app_tr(a, "guide.sample_qr"), NULL, bw)));
        if (*m->blank_url && s->mode == SEC_DRAW) {
            snprintf(id, sizeof id, "guide.qr.%d", guide_qr_index(v, i, 0));
            ui_button(u, id, (ui_rect){x, in.y, bw, bh}, UI_BTN_SECONDARY, app_tr(a, "guide.blank_qr"), NULL);
        }
        if (*m->blank_url)
            x += bw + gap;
        if (*m->sample_url && s->mode == SEC_DRAW) {
            snprintf(id, sizeof id, "guide.qr.%d", guide_qr_index(v, i, 1));
            ui_button(u, id, (ui_rect){x, in.y, bw, bh}, UI_BTN_SECONDARY, app_tr(a, "guide.sample_qr"), NULL);
        }
        in.y += bh + gap;
    }
    s->y = in.y + gap / 2;
}

static void step_title(app *a, const struct step *x, int i, char *out, size_t n)
{
    char key[64];
    key_of(key, sizeof key, "guide.step.", x->kind);
    snprintf(out, n, "%d. %s%s", i + 1, app_kt(a, &x->title), strcmp(x->kind, "required") ? app_tr(a, key) : "");
}

static void fee_title(app *a, const struct fee *f, char *out, size_t n)
{
    snprintf(out, n, "%s%s%s", app_kt(a, &f->name), app_tr(a, "list.sep"), app_kt(a, &f->standard));
}

static void faq_title(app *a, const struct service *v, int i, char *out, size_t n)
{
    snprintf(out, n, "%s%s", app_tr(a, "guide.faq_q"), app_kt(a, &v->faqs[i].q));
}

static void visits_words(app *a, const struct service *v, char *out, size_t n)
{
    if (v->visits == 0)
        snprintf(out, n, "%s", app_tr(a, "guide.visits_none"));
    else
        snprintf(out, n, app_tr(a, "guide.visits_n"), v->visits);
}

/* a step or a question: TITLE (id PREFIX.K) over TEXT (id PREFIX.K.SUFFIX) */
static void titled(struct sec *s, const char *prefix, int k, const char *title, const char *suffix, const char *text)
{
    char id[64];
    snprintf(id, sizeof id, "%s.%d", prefix, k);
    sec_subheading(s, id, title);
    snprintf(id, sizeof id, "%s.%d.%s", prefix, k, suffix);
    sec_text(s, id, text);
}

/* block I drawn, measured or guessed (s->mode): for lazy.c */
static void guide_block(app *a, void *ctx, int i, struct sec *s)
{
    struct guide *g = ctx;
    struct service *v = g->s;
    const struct gblock *b = &g->blocks[app_lang(a)][i];
    char buf[1024], key[64], lim[96], id[64];
    switch (b->kind) {
    case GB_WHAT:
        sec_heading(s, "guide.sec.what", app_tr(a, "guide.sec.what"));
        break;
    case GB_PIECE:
        /* sec_text's, the paragraph gap after the last piece only */
        if (s->mode == SEC_DRAW)
            s->y += ui_label(s->u, b->id, UI_ROLE_TEXT, UI_FONT_BODY, false, ui_pal(s->u)->text, b->text, s->x, s->y, s->w);
        else if (s->mode == SEC_MEASURE)
            s->y += ui_text_height(s->u, UI_FONT_BODY, false, b->text, s->w);
        else
            s->y += sec_guess_lines(b->text, ui_font_px(s->u, UI_FONT_BODY), s->w, NULL) * ui_line_h(s->u, UI_FONT_BODY);
        s->y += b->last ? ui_gap(s->u) / 2 : 0;
        break;
    case GB_WHAT_END:
        key_of(key, sizeof key, "guide.type.", v->type);
        snprintf(buf, sizeof buf, "%s%s%s", app_tr(a, key), app_tr(a, "list.sep"), app_kt(a, &v->agency));
        sec_muted(s, "guide.type", buf);
        snprintf(buf, sizeof buf, app_tr(a, "guide.code"), v->code);
        sec_muted(s, "guide.code", buf);
        break;
    case GB_WHO:
        sec_heading(s, "guide.sec.who", app_tr(a, "guide.sec.who"));
        break;
    case GB_WHO_END:
        sec_field(s, "guide.serves", app_tr(a, "guide.serves"), app_kt(a, &v->serves));
        break;
    case GB_BRING:
        sec_heading(s, "guide.sec.bring", app_tr(a, "guide.sec.bring"));
        break;
    case GB_MATERIAL:
        block_material(a, g, b->k, s);
        break;
    case GB_STEPS:
        sec_heading(s, "guide.sec.steps", app_tr(a, "guide.sec.steps"));
        break;
    case GB_STEP:
        step_title(a, &v->steps[b->k], b->k, buf, sizeof buf);
        titled(s, "guide.step", b->k, buf, "text", app_kt(a, &v->steps[b->k].text));
        break;
    case GB_TIME:
        sec_heading(s, "guide.sec.time", app_tr(a, "guide.sec.time"));
        if (strcmp(v->handling, "on_the_spot") == 0) {
            sec_text(s, "guide.promised", app_tr(a, "guide.on_the_spot"));
        } else {
            fmt_limit(a, v->promised_value, v->promised_unit, lim, sizeof lim);
            sec_field(s, "guide.promised", app_tr(a, "guide.promised"), lim);
        }
        fmt_limit(a, v->statutory_value, v->statutory_unit, lim, sizeof lim);
        sec_field(s, "guide.statutory", app_tr(a, "guide.statutory"), lim);
        break;
    case GB_VISITS:
        sec_heading(s, "guide.sec.visits", app_tr(a, "guide.sec.visits"));
        visits_words(a, v, buf, sizeof buf);
        sec_text(s, "guide.visits", buf);
        sec_text(s, "guide.appointment", app_tr(a, v->appointment ? "guide.appointment_yes" : "guide.appointment_no"));
        key_of(key, sizeof key, "guide.online.", v->online_depth);
        sec_text(s, "guide.online", app_tr(a, key));
        break;
    case GB_FEES:
        sec_heading(s, "guide.sec.fees", app_tr(a, "guide.sec.fees"));
        if (v->free)
            sec_text(s, "guide.free", app_tr(a, "guide.free"));
        break;
    case GB_FEE: {
        const struct fee *f = &v->fees[b->k];
        fee_title(a, f, buf, sizeof buf);
        snprintf(id, sizeof id, "guide.fee.%d", b->k);
        sec_subheading(s, id, buf);
        snprintf(id, sizeof id, "guide.fee.%d.basis", b->k);
        sec_field(s, id, app_tr(a, "guide.fee_basis"), app_kt(a, &f->basis));
        if (f->waivable) {
            snprintf(id, sizeof id, "guide.fee.%d.waivable", b->k);
            sec_text(s, id, app_tr(a, "guide.fee_waivable"));
        }
        break;
    }
    case GB_WHERE:
        sec_heading(s, "guide.sec.where", app_tr(a, "guide.sec.where"));
        sec_text(s, "guide.location", app_kt(a, &v->location));
        if (g->map.win) {
            s->y += hallmap_draw(a, &g->map, "guide.map", s->x, s->y, s->w, 0, s->mode == SEC_DRAW) + ui_gap(s->u) / 2;
            sec_subheading(s, "guide.map.window", app_kt(a, &g->map.win->name));
        }
        break;
    case GB_WHEN:
        sec_heading(s, "guide.sec.when", app_tr(a, "guide.sec.when"));
        sec_text(s, "guide.hours", app_kt(a, &v->hours));
        break;
    case GB_PHONES:
        sec_heading(s, "guide.sec.phones", app_tr(a, "guide.sec.phones"));
        sec_field(s, "guide.phone_consult", app_tr(a, "guide.phone_consult"), v->phone_consult);
        sec_field(s, "guide.phone_complaint", app_tr(a, "guide.phone_complaint"), v->phone_complaint);
        break;
    case GB_FAQS:
        sec_heading(s, "guide.sec.faq", app_tr(a, "guide.sec.faq"));
        break;
    case GB_FAQ:
        faq_title(a, v, b->k, buf, sizeof buf);
        titled(s, "guide.faq", b->k, buf, "a", app_kt(a, &v->faqs[b->k].a));
        break;
    case GB_BASIS:
        sec_heading(s, "guide.sec.basis", app_tr(a, "guide.sec.basis"));
        break;
    }
}

/* block I off screen at R: one node in the tree, under the id of its first line, with
 * its heading and its main text */
static void guide_stub(app *a, void *ctx, int i, ui_rect r)
{
    struct guide *g = ctx;
    struct service *v = g->s;
    const struct gblock *b = &g->blocks[app_lang(a)][i];
    char id[64], title[1024];
    const char *text = "";
    enum ui_role role = UI_ROLE_HEADING;
    static const char *const heading[] = {
        [GB_WHAT] = "guide.sec.what", [GB_WHO] = "guide.sec.who", [GB_BRING] = "guide.sec.bring",
        [GB_STEPS] = "guide.sec.steps", [GB_TIME] = "guide.sec.time", [GB_VISITS] = "guide.sec.visits",
        [GB_FEES] = "guide.sec.fees", [GB_WHERE] = "guide.sec.where", [GB_WHEN] = "guide.sec.when",
        [GB_PHONES] = "guide.sec.phones", [GB_FAQS] = "guide.sec.faq", [GB_BASIS] = "guide.sec.basis",
    };
    switch (b->kind) {
    case GB_PIECE:
        ui_node_add(app_ui(a), b->id, UI_ROLE_TEXT, b->text, r, false);
        return;
    case GB_WHAT_END:
        role = UI_ROLE_TEXT;
        snprintf(id, sizeof id, "guide.type");
        snprintf(title, sizeof title, "%s", app_kt(a, &v->agency));
        break;
    case GB_WHO_END:
        role = UI_ROLE_TEXT;
        snprintf(id, sizeof id, "guide.serves");
        snprintf(title, sizeof title, "%s", app_tr(a, "guide.serves"));
        text = app_kt(a, &v->serves);
        break;
    case GB_MATERIAL:
        role = UI_ROLE_TEXT;
        snprintf(id, sizeof id, "guide.material.%d", b->k);
        material_title(a, &v->materials[b->k], b->k, title, sizeof title);
        break;
    case GB_STEP:
        snprintf(id, sizeof id, "guide.step.%d", b->k);
        step_title(a, &v->steps[b->k], b->k, title, sizeof title);
        text = app_kt(a, &v->steps[b->k].text);
        break;
    case GB_FEE:
        snprintf(id, sizeof id, "guide.fee.%d", b->k);
        fee_title(a, &v->fees[b->k], title, sizeof title);
        break;
    case GB_FAQ:
        snprintf(id, sizeof id, "guide.faq.%d", b->k);
        faq_title(a, v, b->k, title, sizeof title);
        text = app_kt(a, &v->faqs[b->k].a);
        break;
    default:
        snprintf(id, sizeof id, "%s", heading[b->kind]);
        snprintf(title, sizeof title, "%s", app_tr(a, heading[b->kind]));
        text = b->kind == GB_WHERE ? app_kt(a, &v->location) : b->kind == GB_WHEN ? app_kt(a, &v->hours) : "";
        break;
    }
    if (*text) {
        char *label = xasprintf("%s\n%s", title, text);
        ui_node_add(app_ui(a), id, role, label, r, false);
        free(label);
    } else {
        ui_node_add(app_ui(a), id, role, title, r, false);
    }
}

/* what measuring block I costs: the bytes of its text */
static int guide_bytes(app *a, void *ctx, int i)
{
    struct guide *g = ctx;
    struct service *v = g->s;
    const struct gblock *b = &g->blocks[app_lang(a)][i];
    switch (b->kind) {
    case GB_PIECE:
        return (int)strlen(b->text);
    case GB_WHO_END:
        return (int)strlen(app_kt(a, &v->serves)) + 64;
    case GB_MATERIAL:
        return (int)(strlen(app_kt(a, &v->materials[b->k].name)) + strlen(app_kt(a, &v->materials[b->k].condition)) +
                     strlen(app_kt(a, &v->materials[b->k].source))) + 64;
    case GB_STEP:
        return (int)(strlen(app_kt(a, &v->steps[b->k].title)) + strlen(app_kt(a, &v->steps[b->k].text)));
    case GB_FEE:
        return (int)(strlen(app_kt(a, &v->fees[b->k].name)) + strlen(app_kt(a, &v->fees[b->k].standard)) +
                     strlen(app_kt(a, &v->fees[b->k].basis)));
    case GB_FAQ:
        return (int)(strlen(app_kt(a, &v->faqs[b->k].q)) + strlen(app_kt(a, &v->faqs[b->k].a)));
    default:
        return 64;
    }
}

static const struct lazy_ops guide_ops = {guide_block, guide_stub, guide_bytes};

static void guide_draw(app *a, void *st, ui_rect body)
{
    struct guide *g = st;
    ui *u = app_ui(a);
    int gap = ui_gap(u);
    int top = ui_scroll_begin(u, "guide.scroll", &g->scroll, body);
    struct sec s = sec_start(a, body.x + 3 * gap, top + 2 * gap, body.w - 6 * gap);
    if (g->s) {
        draw_top(a, g, &s);
        lazy_draw(a, &g->lazy, g->n_blocks[app_lang(a)], &s, top, body);
    } else {
        sec_text(&s, "guide.missing", app_tr(a, "guide.missing"));
    }
    ui_scroll_end(u, &g->scroll, s.y + 3 * gap - top);
}

/* Measures the blocks not laid out yet (lazy.c); stops when all are. */
static int guide_tick(app *a, void *st, uint64_t now)
{
    (void)now;
    struct guide *g = st;
    if (!g->s)
        return -1;
    return lazy_tick(a, &g->lazy, g->n_blocks[app_lang(a)], &g->scroll);
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
    .tick = guide_tick,
    .tour = guide_tour,
};
