/* doc.c - the document reader: the header fields a disclosure item must carry (index
 * number, agency, document number, dates written and published, topic, validity in
 * words), links between a policy and its interpretations both ways, then the body:
 * headings, paragraphs, and tables laid out as tables - or, when a table's columns
 * cannot all fit at the current text size, as one card per row, so a budget stays
 * readable in large text. Attachments each have a download QR code. Long bodies
 * (20,000+ characters) scroll, with the position indicator on the right. With a
 * printer, a document with attachments prints a slip of their QR codes. The same
 * reader shows a consultation's draft and its explanation (arg "consult:ID#draft").
 *
 * Opening a long body lays out one screenful: every block's height starts as an
 * estimate from its length; a frame lays out the blocks it shows, and the screen's
 * tick measures the rest a few thousand bytes at a time, then stops (the loop sleeps
 * again). A correction above the view moves the scroll offset by as much, so what the
 * visitor reads stays put. The semantic tree holds every block's text from the first
 * frame; a block not laid out yet is marked estimated there (its height is a guess).
 * The machinery is lazy.c's, which the service guide shares. */
#include "app.h"
#include "lazy.h"
#include "print.h"
#include "sections.h"
#include "core/doc_body.h"
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct reader {
    struct doc *d;
    struct body body[LANG_COUNT];
    struct ui_scroll scroll;
    /* the body's blocks, laid out as they come on screen (a 27,000-character report
     * has hundreds) */
    struct lazy lazy;
    bool printing; /* this screen started a print: say what became of it */
};

/* The most attachments one slip carries (each QR code is 2/3 of the paper's width
 * long); the rest are named by count and stay on the screen. */
#define DOC_SLIP_ATTACHMENTS 8

static const struct lazy_ops body_ops;

static void *doc_enter(app *a, const char *arg)
{
    struct reader *r = xcalloc(1, sizeof *r);
    r->lazy = lazy_start(&body_ops, r);
    int e = -ENOENT;
    const char *hash = arg ? strchr(arg, '#') : NULL;
    if (arg && strncmp(arg, "consult:", 8) == 0 && hash) {
        /* "consult:ID#draft" or "#explanation": a consultation's draft (consultation.c) */
        char id[128];
        snprintf(id, sizeof id, "%.*s", (int)(hash - arg - 8), arg + 8);
        e = store_consult_doc(app_store(a), id, hash + 1, &r->d);
    } else if (arg) {
        e = store_doc_get(app_store(a), arg, &r->d);
    }
    if (e < 0 && e != -ENOENT)
        app_push(a, &screen_oops, NULL);
    if (e == 0) {
        for (int l = 0; l < LANG_COUNT; l++)
            body_parse(r->d->body.s[l], &r->body[l]);
        if (*r->d->validity) /* a document of the catalogue, not a draft */
            state_count(app_state(a), "doc", r->d->id, STATE_VIEWS);
    }
    return r;
}

static void doc_leave(app *a, void *st)
{
    (void)a;
    struct reader *r = st;
    for (int l = 0; l < LANG_COUNT; l++)
        body_free(&r->body[l]);
    doc_free(r->d);
    lazy_free(&r->lazy);
    free(r);
}

static const char *doc_title(app *a, void *st)
{
    struct reader *r = st;
    return r->d ? app_kt(a, &r->d->title) : app_tr(a, "docs.missing");
}

static void header(app *a, struct reader *r, struct sec *s)
{
    struct doc *d = r->d;
    ui *u = app_ui(a);
    const struct ui_palette *p = ui_pal(u);
    char vkey[48], written[64], published[64];
    snprintf(vkey, sizeof vkey, "docs.validity.%s", d->validity);
    app_format_date(a, d->written, written, sizeof written);
    app_format_date(a, d->published, published, sizeof published);
    struct {
        const char *id, *key, *value;
    } f[] = {
        {"doc.index_no", "docs.index_no", d->index_no},
        {"doc.agency", "docs.agency", app_kt(a, &d->agency)},
        {"doc.doc_no", "docs.doc_no", app_kt(a, &d->doc_no)},
        {"doc.written", "docs.written", written},
        {"doc.published", "docs.published", published},
        {"doc.topic", "docs.topic", app_kt(a, &d->topic)},
        {"doc.validity", "docs.validity", *d->validity ? app_tr(a, vkey) : ""},
        {"doc.keywords", "docs.keywords", app_kt(a, &d->keywords)},
    };
    int pad = ui_gap(u), y0 = s->y;
    /* measure, then draw the box behind the fields */
    struct sec m = sec_start(a, s->x + pad, 0, s->w - 2 * pad);
    int h = 0;
    for (size_t i = 0; i < ARRAY_SIZE(f); i++)
        if (f[i].value && *f[i].value)
            h += ui_text_height(u, UI_FONT_SMALL, true, app_tr(a, f[i].key), m.w) +
                 ui_text_height(u, UI_FONT_BODY, false, f[i].value, m.w) + ui_gap(u) / 2;
    ui_fill_round(u, (ui_rect){s->x, y0, s->w, h + 2 * pad}, ui_mm(u, 2), p->pressed);
    m.y = y0 + pad;
    for (size_t i = 0; i < ARRAY_SIZE(f); i++)
        sec_field(&m, f[i].id, app_tr(a, f[i].key), f[i].value);
    s->y = y0 + h + 2 * pad + ui_gap(u);
    if (*d->validity && strcmp(d->validity, "in_force") != 0)
        sec_text(s, "doc.validity_note", app_tr(a, "docs.not_in_force"));
}

static void links(app *a, struct reader *r, struct sec *s)
{
    ui *u = app_ui(a);
    struct doc *d = r->d;
    char label[512], id[128];
    if (d->interprets.id) {
        snprintf(label, sizeof label, "%s%s", app_tr(a, "docs.policy"), app_kt(a, &d->interprets.title));
        snprintf(id, sizeof id, "doc.link.%s", d->interprets.id);
        int h = ui_button_height(u, UI_BTN_SECONDARY, label, NULL, s->w);
        ui_button(u, id, (ui_rect){s->x, s->y, s->w, h}, UI_BTN_SECONDARY, label, NULL);
        s->y += h + ui_gap(u);
    }
    for (int i = 0; i < d->n_interpretations; i++) {
        snprintf(label, sizeof label, "%s%s", app_tr(a, "docs.interpretation"), app_kt(a, &d->interpretations[i].title));
        snprintf(id, sizeof id, "doc.link.%s", d->interpretations[i].id);
        int h = ui_button_height(u, UI_BTN_SECONDARY, label, NULL, s->w);
        ui_button(u, id, (ui_rect){s->x, s->y, s->w, h}, UI_BTN_SECONDARY, label, NULL);
        s->y += h + ui_gap(u);
    }
}

/* a table as a grid when its columns fit, else one card per row; with DRAW false only
 * moves s->y as far as drawing it would (nothing drawn or recorded) */
static void table(app *a, const struct body_block *b, int k, struct sec *s, bool draw)
{
    ui *u = app_ui(a);
    const struct ui_palette *p = ui_pal(u);
    int pad = ui_mm(u, 1.5), n = b->n_cols, line = MAX(1, ui_mm(u, 0.4));
    if (n <= 0 || b->n_rows <= 0)
        return;
    int natural[BODY_MAX_CELLS] = {0}, sum = 0;
    for (int c = 0; c < n; c++) {
        for (int r = 0; r < b->n_rows; r++)
            if (c < b->rows[r].n) {
                /* the widest word decides what a column can shrink to */
                natural[c] = MAX(natural[c], ui_text_width(u, UI_FONT_BODY, r == 0, b->rows[r].cells[c]) + 2 * pad);
            }
        sum += natural[c];
    }
    char id[96];
    if (sum <= s->w || (n <= 3 && sum <= 2 * s->w)) {
        int widths[BODY_MAX_CELLS];
        for (int c = 0; c < n; c++)
            widths[c] = sum <= s->w ? natural[c] + (s->w - sum) / n : natural[c] * s->w / sum;
        for (int r = 0; r < b->n_rows; r++) {
            int rh = 0;
            for (int c = 0; c < n && c < b->rows[r].n; c++)
                rh = MAX(rh, ui_text_height(u, UI_FONT_BODY, r == 0, b->rows[r].cells[c], widths[c] - 2 * pad));
            rh += 2 * pad;
            ui_rect row = {s->x, s->y, s->w, rh};
            if (!draw) {
                s->y += rh;
                continue;
            }
            if (ui_visible(u, row)) {
                ui_fill(u, row, r == 0 ? p->pressed : p->surface);
                ui_fill(u, (ui_rect){s->x, s->y + rh - line, s->w, line}, p->border);
            }
            int x = s->x;
            for (int c = 0; c < n; c++) {
                const char *cell = c < b->rows[r].n ? b->rows[r].cells[c] : "";
                snprintf(id, sizeof id, "doc.t%d.r%d.c%d", k, r, c);
                ui_label(u, id, r == 0 ? UI_ROLE_HEADING : UI_ROLE_TEXT, UI_FONT_BODY, r == 0, p->text, cell,
                         x + pad, s->y + pad, widths[c] - 2 * pad);
                x += widths[c];
            }
            s->y += rh;
        }
        s->y += ui_gap(u);
        return;
    }
    /* cards: "column: value" for every cell of a row, under the row's first cell */
    for (int r = 1; r < b->n_rows; r++) {
        int y0 = s->y;
        struct sec in = sec_start(a, s->x + 2 * pad, s->y + pad, s->w - 4 * pad);
        const char *first = b->rows[r].n ? b->rows[r].cells[0] : "";
        snprintf(id, sizeof id, "doc.t%d.r%d.c0", k, r);
        if (draw)
            sec_subheading(&in, id, first);
        else
            in.y += sec_subheading_h(u, first, in.w);
        for (int c = 1; c < n && c < b->rows[r].n; c++) {
            char line2[1024];
            snprintf(line2, sizeof line2, "%s%s%s", c < b->rows[0].n ? b->rows[0].cells[c] : "",
                     app_tr(a, "home.ticker_sep"), b->rows[r].cells[c]);
            snprintf(id, sizeof id, "doc.t%d.r%d.c%d", k, r, c);
            if (draw)
                sec_text(&in, id, line2);
            else
                in.y += sec_text_h(u, line2, in.w);
        }
        if (draw)
            ui_frame_round(u, (ui_rect){s->x, y0, s->w, in.y - y0 + pad}, ui_mm(u, 1.5), line, p->border);
        s->y = in.y + pad + ui_gap(u) / 2;
    }
    s->y += ui_gap(u);
}

/* the body in the visitor's language, or the other when it has none */
static const struct body *shown(app *a, struct reader *r)
{
    int lang = app_lang(a);
    const struct body *b = &r->body[lang];
    return b->n ? b : &r->body[lang == LANG_EN ? LANG_ZH : LANG_EN];
}

/* a table's height guessed the way table() lays it out: a grid when the columns'
 * guessed widths fit, else a card per row */
static int guess_table(app *a, const struct body_block *b, int w)
{
    ui *u = app_ui(a);
    int g = ui_gap(u), pad = ui_mm(u, 1.5), px = ui_font_px(u, UI_FONT_BODY), lh = ui_line_h(u, UI_FONT_BODY);
    int n = b->n_cols, natural[BODY_MAX_CELLS] = {0}, sum = 0, h = g;
    if (n <= 0 || b->n_rows <= 0)
        return 0;
    for (int c = 0; c < n; c++) {
        for (int r = 0; r < b->n_rows; r++)
            if (c < b->rows[r].n) {
                int cw;
                sec_guess_lines(b->rows[r].cells[c], px, 1 << 20, &cw);
                natural[c] = MAX(natural[c], cw + 2 * pad);
            }
        sum += natural[c];
    }
    if (sum <= w || (n <= 3 && sum <= 2 * w)) {
        for (int r = 0; r < b->n_rows; r++) {
            int lines = 1;
            for (int c = 0; c < n && c < b->rows[r].n; c++) {
                int cw = sum <= w ? natural[c] + (w - sum) / n : natural[c] * w / sum;
                lines = MAX(lines, sec_guess_lines(b->rows[r].cells[c], px, cw - 2 * pad, NULL));
            }
            h += lines * lh + 2 * pad;
        }
        return h;
    }
    int cw = w - 4 * pad, sep;
    sec_guess_lines(app_tr(a, "home.ticker_sep"), px, 1 << 20, &sep);
    for (int r = 1; r < b->n_rows; r++) {
        h += 2 * pad + g / 2 + (b->rows[r].n ? sec_guess_lines(b->rows[r].cells[0], px, cw, NULL) : 1) * lh;
        for (int c = 1; c < n && c < b->rows[r].n; c++) {
            int hw = 0;
            if (c < b->rows[0].n)
                sec_guess_lines(b->rows[0].cells[c], px, 1 << 20, &hw);
            /* the column's name and the separator lead the value on its first line */
            int lines = sec_guess_lines(b->rows[r].cells[c], px, cw, NULL) + (hw + sep) / MAX(1, cw);
            h += lines * lh + g / 2;
        }
    }
    return h;
}

/* ---- the body's blocks, for lazy.c ---- */

static void block_stub(app *a, void *ctx, int i, ui_rect r)
{
    const struct body_block *blk = &shown(a, ctx)->blocks[i];
    char id[48];
    snprintf(id, sizeof id, "doc.b%d", i);
    ui_node_add(app_ui(a), id, blk->kind == BODY_HEADING ? UI_ROLE_HEADING : UI_ROLE_TEXT,
                blk->kind == BODY_TABLE ? "" : blk->text, r, false);
}

static int block_bytes(app *a, void *ctx, int i)
{
    const struct body_block *blk = &shown(a, ctx)->blocks[i];
    return blk->text ? (int)strlen(blk->text) : 64 * blk->n_rows;
}

/* block I drawn, measured or guessed (s->mode) */
static void block(app *a, void *ctx, int i, struct sec *s)
{
    const struct body_block *blk = &shown(a, ctx)->blocks[i];
    char id[48];
    snprintf(id, sizeof id, "doc.b%d", i);
    if (blk->kind == BODY_TABLE && s->mode == SEC_GUESS)
        s->y += guess_table(a, blk, s->w);
    else if (blk->kind == BODY_TABLE)
        table(a, blk, i, s, s->mode == SEC_DRAW);
    else if (blk->kind == BODY_HEADING)
        sec_heading(s, id, blk->text);
    else
        sec_text(s, id, blk->text);
}

static const struct lazy_ops body_ops = {block, block_stub, block_bytes};

/* Measures the blocks not laid out yet (lazy.c); stops when all are. */
static int doc_tick(app *a, void *st, uint64_t now)
{
    (void)now;
    struct reader *r = st;
    if (!r->d)
        return -1;
    return lazy_tick(a, &r->lazy, shown(a, r)->n, &r->scroll);
}


static void attachments(app *a, struct reader *r, struct sec *s)
{
    ui *u = app_ui(a);
    struct doc *d = r->d;
    if (d->n_attachments == 0)
        return;
    sec_heading(s, "doc.attachments", app_tr(a, "docs.attachments"));
    int g = ui_gap(u), bw = MAX(ui_mm(u, 40), ui_text_width(u, UI_FONT_BODY, true, app_tr(a, "docs.attachment_qr")) + ui_mm(u, 8));
    for (int i = 0; i < d->n_attachments; i++) {
        char id[64], label[512];
        snprintf(label, sizeof label, "%s%s%s", app_kt(a, &d->attachments[i].name), app_tr(a, "list.sep"),
                 d->attachments[i].size);
        int th = ui_text_height(u, UI_FONT_BODY, false, label, s->w - bw - g);
        int bh = MAX(ui_target_min(u), ui_button_height(u, UI_BTN_SECONDARY, app_tr(a, "docs.attachment_qr"), NULL, bw));
        snprintf(id, sizeof id, "doc.attachment.%d", i);
        ui_label(u, id, UI_ROLE_TEXT, UI_FONT_BODY, false, ui_pal(u)->text, label, s->x, s->y, s->w - bw - g);
        snprintf(id, sizeof id, "doc.qr.%d", i);
        ui_button(u, id, (ui_rect){s->x + s->w - bw, s->y, bw, bh}, UI_BTN_SECONDARY, app_tr(a, "docs.attachment_qr"), NULL);
        s->y += MAX(th, bh) + g;
    }
}

static void doc_draw(app *a, void *st, ui_rect bodyr)
{
    struct reader *r = st;
    ui *u = app_ui(a);
    int g = ui_gap(u);
    int top = ui_scroll_begin(u, "doc.scroll", &r->scroll, bodyr);
    struct sec s = sec_start(a, bodyr.x + 3 * g, top + 2 * g, bodyr.w - 6 * g);
    if (!r->d) {
        sec_text(&s, "docs.missing", app_tr(a, "docs.missing"));
    } else {
        if (r->d->n_attachments > 0) { /* first, so it is on screen when the page opens */
            int ph = print_button_label(a, "doc.print", "print.attachments", s.x, s.y, s.w);
            s.y += ph ? ph + g : 0;
            int sh = print_state_draw_hint(a, r->printing, "print.use_qr.doc", s.x, s.y, s.w);
            s.y += sh ? sh + g : 0;
        }
        header(a, r, &s);
        links(a, r, &s);
        if (*app_kt(a, &r->d->summary))
            sec_muted(&s, "doc.summary", app_kt(a, &r->d->summary));
        s.y += g;
        lazy_draw(a, &r->lazy, shown(a, r)->n, &s, top, bodyr);
        attachments(a, r, &s);
    }
    ui_scroll_end(u, &r->scroll, s.y + 3 * g - top);
}

/* The attachments slip: the document's title, number and date, then each attachment's
 * name and QR code (at most DOC_SLIP_ATTACHMENTS, then how many more). */
static void doc_print(app *a, struct reader *r)
{
    struct doc *d = r->d;
    int n = MIN(d->n_attachments, DOC_SLIP_ATTACHMENTS);
    struct slip_item *items = xcalloc((size_t)n * 3 + 8, sizeof *items);
    char(*names)[512] = xcalloc((size_t)n, sizeof *names);
    char(*ids)[3][32] = xcalloc((size_t)n, sizeof *ids);
    char docno[512] = "", date[64] = "", published[160] = "", more[256] = "";
    int k = 0;
    items[k++] = (struct slip_item){SLIP_HEADING, "slip.title", app_kt(a, &d->title)};
    if (*app_kt(a, &d->doc_no)) {
        snprintf(docno, sizeof docno, "%s%s%s", app_tr(a, "docs.doc_no"), app_tr(a, "home.ticker_sep"),
                 app_kt(a, &d->doc_no));
        items[k++] = (struct slip_item){SLIP_TEXT, "slip.doc_no", docno};
    }
    if (*d->published) {
        app_format_date(a, d->published, date, sizeof date);
        snprintf(published, sizeof published, "%s%s%s", app_tr(a, "docs.published"),
                 app_tr(a, "home.ticker_sep"), date);
        items[k++] = (struct slip_item){SLIP_SMALL, "slip.published", published};
    }
    items[k++] = (struct slip_item){SLIP_RULE, "slip.rule", NULL};
    items[k++] = (struct slip_item){SLIP_TEXT, "slip.attachments", app_tr(a, "docs.attachments")};
    for (int i = 0; i < n; i++) {
        snprintf(names[i], sizeof names[i], "%d. %s", i + 1, app_kt(a, &d->attachments[i].name));
        snprintf(ids[i][0], sizeof ids[i][0], "slip.attachment.%d", i);
        snprintf(ids[i][1], sizeof ids[i][1], "slip.qr.%d", i);
        snprintf(ids[i][2], sizeof ids[i][2], "slip.url.%d", i);
        items[k++] = (struct slip_item){SLIP_TEXT, ids[i][0], names[i]};
        items[k++] = (struct slip_item){SLIP_QR, ids[i][1], d->attachments[i].url};
        items[k++] = (struct slip_item){SLIP_SMALL, ids[i][2], d->attachments[i].url};
    }
    if (d->n_attachments > n) {
        items[k++] = (struct slip_item){SLIP_RULE, "slip.rule2", NULL};
        snprintf(more, sizeof more, app_tr(a, "print.slip.more"), d->n_attachments - n);
        items[k++] = (struct slip_item){SLIP_TEXT, "slip.more", more};
    }
    int rc = print_start(a, "attachments", items, (size_t)k);
    r->printing = r->printing || rc == 0 || rc == -EBUSY;
    free(items);
    free(names);
    free(ids);
}

static void doc_event(app *a, void *st, const char *id)
{
    struct reader *r = st;
    int k;
    if (!r->d)
        return;
    if (strcmp(id, "doc.print") == 0) {
        doc_print(a, r);
    } else if (strncmp(id, "doc.link.", 9) == 0) {
        app_push(a, &screen_doc, id + 9);
    } else if (sscanf(id, "doc.qr.%d", &k) == 1) {
        char arg[160];
        snprintf(arg, sizeof arg, "doc:%s#%d", r->d->id, k);
        app_push(a, &screen_qr, arg);
    }
}


static void doc_tour(app *a, struct tour *t)
{
    (void)a;
    if (app_tour_first(t, "doc"))
        app_tour_view(t, "doc", "open doc %s\n", app_tour_first(t, "doc"));
}

const struct screen_ops screen_doc = {
    .name = "doc",
    .enter = doc_enter,
    .leave = doc_leave,
    .draw = doc_draw,
    .title = doc_title,
    .event = doc_event,
    .tick = doc_tick,
    .tour = doc_tour,
};
