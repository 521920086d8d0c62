/* wizard.c - the one wizard that runs every form the content defines: the
 * information request, feedback, the service rating, questionnaires, a comment on a
 * consultation (arg "consult:ID", core/consult.h). Step by step;
 * each field validated where it is typed, the message next to it in the visitor's
 * language, what was typed never cleared; a review page with the ID masked and an
 * edit link per step, and the privacy notice; then submit: sealed and on disk before
 * the receipt is shown.
 *
 * Personal data lives in the form (core/form.c wipes it) and in this screen's one
 * edit buffer for the focused field, wiped with sodium_memzero when the field loses
 * focus and when the screen is left (the idle timer leaves it too). The buffer holds
 * the field's limit in characters (core/field.h) at 4 bytes each, so the keyboard
 * stops at the limit, whatever the script, and says so next to the field.
 *
 * With an ID card reader (docs/idcard-reader.md), a step that shows an ID number field
 * says "lay your ID card on the reader" above it and its name field; a card fills both
 * (and picks the resident ID card as the document), and they stay editable like typed
 * ones. The card's name and number go straight into the form: the app's copy and this
 * screen's are wiped at once. */
#include "app.h"
#include "kbd.h"
#include "sections.h"
#include "core/consult.h"
#include "core/form.h"
#include "core/idreader.h"
#include "core/seal.h"
#include "base/util.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wizard {
    form *f;
    const struct form_def *def;
    int step;                   /* n_steps: the review page */
    int focus;                  /* field index being edited, -1 none */
    char *edit;                 /* the focused field's text while it is typed, NULL */
    size_t edit_cap;            /* bytes of edit: its limit in characters x 4, + 1 */
    struct kbd_field kf;
    bool *touched;              /* per field: show its message */
    ui_rect *boxes;             /* per field: where its box (and message) was drawn */
    bool show_all;              /* Next was pressed: show every message of the step */
    bool complaint_offer;       /* the description reads like a complaint */
    char failed[96];            /* a submit that did not reach the disk */
    struct ui_scroll scroll;
    int scroll_to;              /* field to bring into view after layout, -1 none */
    const char *card_msg;       /* what the last card did (idcard.*), NULL none */
};

static void edit_wipe(struct wizard *w)
{
    if (w->edit) {
        sodium_memzero(w->edit, w->edit_cap);
        free(w->edit);
    }
    w->edit = NULL;
    w->edit_cap = 0;
}

/* commit the focused field's text to the form and forget the buffer */
static void unfocus(app *a, struct wizard *w)
{
    if (w->focus >= 0) {
        form_set(w->f, w->def->fields[w->focus].id, w->edit);
        w->touched[w->focus] = true;
        if (form_kind_of(w->f) == FORM_REQUEST && form_field_type(w->f, w->focus) == FIELD_LONGTEXT)
            w->complaint_offer = form_looks_like_complaint(w->edit);
    }
    w->focus = -1;
    edit_wipe(w);
    if (kbd_focused(app_kbd(a)) == &w->kf)
        kbd_focus(app_kbd(a), NULL);
}

static enum kbd_kind kind_of(enum field_keyboard k)
{
    switch (k) {
    case FIELD_KB_LATIN: return KBD_LATIN;
    case FIELD_KB_NUMERIC: return KBD_NUMERIC;
    case FIELD_KB_ID: return KBD_ID;
    default: return KBD_TEXT;
    }
}

static void focus_field(app *a, struct wizard *w, int i)
{
    unfocus(a, w);
    const struct form_field *fd = &w->def->fields[i];
    w->focus = i;
    int max = form_field_limit(w->f, i);
    w->edit_cap = (size_t)max * FIELD_UTF8_MAX + 1;
    w->edit = xmalloc(w->edit_cap);
    snprintf(w->edit, w->edit_cap, "%s", form_get(w->f, fd->id)); /* form_set kept it in */
    w->kf = (struct kbd_field){w->edit, w->edit_cap, (int)strlen(w->edit), max,
                               kind_of(form_field_keyboard(w->f, i))};
    kbd_focus(app_kbd(a), &w->kf);
    w->scroll_to = i;
}

/* ---- the ID card reader ------------------------------------------------------------------- */

/* The fields of the current step a card fills: the first visible ID number field, and
 * the last visible name field before it. -1 each when the step has no ID number. */
static void card_fields(struct wizard *w, int *ret_name, int *ret_id)
{
    *ret_name = *ret_id = -1;
    int name = -1;
    for (int i = 0; w->def && w->step < w->def->n_steps && i < w->def->n_fields; i++) {
        const struct form_field *fd = &w->def->fields[i];
        if (fd->step != w->step || !form_visible(w->f, fd->id))
            continue;
        enum field_type t = form_field_type(w->f, i);
        if (t == FIELD_NAME) {
            name = i;
        } else if (t == FIELD_ID_NUMBER || t == FIELD_RESIDENT_ID) {
            *ret_name = name;
            *ret_id = i;
            return;
        }
    }
}

/* whether the reader is there and answers: only then is the visitor told to use it */
static bool reader_ready(app *a)
{
    const struct idreader *r = app_idreader(a);
    return r && idreader_state_of(r) == IDREADER_ANSWERS;
}

static void fill_from_card(app *a, struct wizard *w)
{
    struct idcard_person card;
    int name, idf;
    if (app_idcard_take(a, &card) < 0)
        return;
    card_fields(w, &name, &idf);
    if (idf >= 0) {
        unfocus(a, w); /* a field being typed is closed first; the card's words replace it */
        const struct form_field *fd = &w->def->fields[idf];
        int t = fd->id_type_field[0] ? form_field_index(w->f, fd->id_type_field) : -1;
        for (int c = 0; t >= 0 && c < w->def->fields[t].n_choices; c++) {
            const struct form_choice *ch = &w->def->fields[t].choices[c];
            if (strcmp(ch->id_format, "resident_id") == 0 && !form_selected(w->f, w->def->fields[t].id, ch->id))
                form_toggle(w->f, w->def->fields[t].id, ch->id);
        }
        form_set(w->f, fd->id, card.id);
        w->touched[idf] = true;
        if (name >= 0) {
            form_set(w->f, w->def->fields[name].id, card.name);
            w->touched[name] = true;
        }
        w->card_msg = "idcard.read_ok";
    }
    sodium_memzero(&card, sizeof card);
}

static void *wizard_enter(app *a, const char *arg)
{
    struct wizard *w = xcalloc(1, sizeof *w);
    w->focus = -1;
    w->scroll_to = -1;
    /* "consult:ID": a comment on consultation ID, taken only while it is open */
    char today[16];
    app_date_str(a, today, sizeof today);
    int r = !arg ? -ENOENT
            : strncmp(arg, "consult:", 8) == 0 ? consult_open_comment(app_store(a), arg + 8, today, &w->f)
                                               : form_load(app_store(a), arg, &w->f);
    if (r == -EACCES)
        r = -ENOENT; /* closed meanwhile: "this form could not be found" */
    if (r < 0 && r != -ENOENT)
        app_push(a, &screen_oops, NULL);
    if (r == 0) {
        w->def = form_definition(w->f);
        w->touched = xcalloc((size_t)w->def->n_fields + 1, sizeof *w->touched);
        w->boxes = xcalloc((size_t)w->def->n_fields + 1, sizeof *w->boxes);
        form_set_lang(w->f, app_lang(a));
        form_set_clock(w->f, app_wall(a));
        while (w->step < w->def->n_steps && !form_step_visible(w->f, w->step))
            w->step++;
    }
    return w;
}

static void wizard_leave(app *a, void *st)
{
    struct wizard *w = st;
    app_idcard_want(a, &screen_wizard, false);
    edit_wipe(w);
    form_free(w->f); /* wipes every value */
    free(w->touched);
    free(w->boxes);
    free(w);
}

static const char *wizard_title(app *a, void *st)
{
    struct wizard *w = st;
    return w->def ? app_kt(a, &w->def->title) : app_tr(a, "form.missing");
}

/* ---- drawing one field ----------------------------------------------------------------- */

static const char *field_message(app *a, struct wizard *w, int i)
{
    const char *key = NULL;
    if (!w->touched[i] && !w->show_all)
        return NULL;
    if (form_check(w->f, w->def->fields[i].id, &key) == VALID_OK || !key)
        return NULL;
    return app_tr(a, key);
}

/* While the focused field holds its limit the keyboard takes nothing more: say so
 * beside it, with the limit, so typing does not just stop. */
static const char *limit_message(app *a, struct wizard *w, char *buf, size_t n)
{
    if ((int)utf8_len(w->edit) < w->kf.max_chars)
        return NULL;
    snprintf(buf, n, app_tr(a, "form.limit_reached"), w->kf.max_chars);
    return buf;
}

static void draw_choices(app *a, struct wizard *w, const struct form_field *fd, struct sec *s)
{
    ui *u = app_ui(a);
    int g = ui_gap(u);
    int cols = s->w > ui_mm(u, 250) ? 3 : 2;
    if (fd->n_choices <= 2)
        cols = MAX(1, MIN(cols, fd->n_choices));
    int cw = (s->w - (cols - 1) * g) / cols;
    int row_h = 0, x0 = s->x;
    for (int c = 0; c < fd->n_choices; c++) {
        char label[512];
        bool on = form_selected(w->f, fd->id, fd->choices[c].id);
        snprintf(label, sizeof label, "%s%s", app_tr(a, on ? "form.checked" : "form.unchecked"),
                 app_kt(a, &fd->choices[c].label));
        row_h = MAX(row_h, ui_button_height(u, UI_BTN_SECONDARY, label, NULL, cw));
    }
    for (int c = 0; c < fd->n_choices; c++) {
        char id[160], label[512];
        bool on = form_selected(w->f, fd->id, fd->choices[c].id);
        /* the tick is a shape, not only a colour */
        snprintf(label, sizeof label, "%s%s", app_tr(a, on ? "form.checked" : "form.unchecked"),
                 app_kt(a, &fd->choices[c].label));
        snprintf(id, sizeof id, "choice.%s.%s", fd->id, fd->choices[c].id);
        int col = c % cols, row = c / cols;
        ui_button(u, id, (ui_rect){x0 + col * (cw + g), s->y + row * (row_h + g), cw, row_h},
                  on ? UI_BTN_PRIMARY : UI_BTN_SECONDARY, label, NULL);
    }
    s->y += ((fd->n_choices + cols - 1) / cols) * (row_h + g);
}

static void draw_flag(app *a, struct wizard *w, const struct form_field *fd, struct sec *s)
{
    ui *u = app_ui(a);
    bool on = form_selected(w->f, fd->id, NULL);
    char id[128], label[512];
    snprintf(id, sizeof id, "flag.%s", fd->id);
    snprintf(label, sizeof label, "%s%s", app_tr(a, on ? "form.checked" : "form.unchecked"), app_kt(a, &fd->label));
    int h = ui_button_height(u, UI_BTN_SECONDARY, label, NULL, s->w);
    ui_button(u, id, (ui_rect){s->x, s->y, s->w, h}, on ? UI_BTN_PRIMARY : UI_BTN_SECONDARY, label, NULL);
    s->y += h + ui_gap(u);
}

static void draw_field(app *a, struct wizard *w, int i, struct sec *s)
{
    ui *u = app_ui(a);
    const struct ui_palette *p = ui_pal(u);
    const struct form_field *fd = &w->def->fields[i];
    char id[128], label[512], buf[256];
    if (form_field_type(w->f, i) == FIELD_FLAG) {
        draw_flag(a, w, fd, s);
        const char *msg = field_message(a, w, i);
        if (msg) {
            snprintf(id, sizeof id, "field.%s.error", fd->id);
            s->y += ui_label(u, id, UI_ROLE_TEXT, UI_FONT_BODY, true, p->accent, msg, s->x, s->y, s->w);
        }
        return;
    }
    snprintf(label, sizeof label, "%s%s", app_kt(a, &fd->label),
             form_required(w->f, fd->id) ? app_tr(a, "form.required_mark") : "");
    snprintf(id, sizeof id, "field.%s.label", fd->id);
    sec_subheading(s, id, label);
    if (*app_kt(a, &fd->help)) {
        snprintf(id, sizeof id, "field.%s.help", fd->id);
        sec_muted(s, id, app_kt(a, &fd->help));
    }
    s->y += ui_gap(u) / 2;
    if (fd->n_choices > 0) {
        draw_choices(a, w, fd, s);
        const char *msg = field_message(a, w, i);
        if (msg) {
            snprintf(id, sizeof id, "field.%s.error", fd->id);
            s->y += ui_label(u, id, UI_ROLE_TEXT, UI_FONT_BODY, true, p->accent, msg, s->x, s->y, s->w);
        }
        s->y += ui_gap(u);
        return;
    }
    bool focused = w->focus == i;
    const char *text = focused ? w->edit : form_get(w->f, fd->id);
    int lines = field_kind(form_field_type(w->f, i))->lines ? 4 : 1;
    int pad = ui_mm(u, 2.5);
    int th = ui_text_height(u, UI_FONT_BODY, false, *text ? text : " ", s->w - 2 * pad);
    int bh = MAX(ui_target_min(u), MAX(lines * ui_line_h(u, UI_FONT_BODY), th) + 2 * pad);
    ui_rect box = {s->x, s->y, s->w, bh};
    w->boxes[i] = box;
    snprintf(id, sizeof id, "field.%s", fd->id);
    const char *msg = focused ? limit_message(a, w, buf, sizeof buf) : field_message(a, w, i);
    int h = ui_input(u, id, box, text, focused ? w->kf.caret : 0, NULL, focused, msg);
    w->boxes[i].h = h; /* the message under the box is brought into view with it */
    s->y += h + ui_gap(u);
}

/* ---- the pages --------------------------------------------------------------------------- */

static void draw_step(app *a, struct wizard *w, struct sec *s)
{
    const struct form_step *st = &w->def->steps[w->step];
    char buf[512];
    int shown = 0, total = 0;
    for (int k = 0; k < w->def->n_steps; k++)
        if (form_step_visible(w->f, k)) {
            total++;
            if (k <= w->step)
                shown++;
        }
    snprintf(buf, sizeof buf, app_tr(a, "form.step_of"), shown, total, app_kt(a, &st->title));
    sec_heading(s, "form.step", buf);
    if (w->step == 0 && *app_kt(a, &w->def->intro))
        sec_text(s, "form.intro", app_kt(a, &w->def->intro));
    int card_name, card_id;
    card_fields(w, &card_name, &card_id);
    app_idcard_want(a, &screen_wizard, card_id >= 0);
    int hint_at = card_name >= 0 ? card_name : card_id;
    for (int i = 0; i < w->def->n_fields; i++)
        if (w->def->fields[i].step == w->step && form_visible(w->f, w->def->fields[i].id)) {
            if (i == hint_at && reader_ready(a)) {
                sec_subheading(s, "idcard.hint", app_tr(a, "idcard.hint"));
                if (w->card_msg)
                    sec_text(s, "idcard.status", app_tr(a, w->card_msg));
                sec_gap(s, 3);
            }
            draw_field(a, w, i, s);
        }
    if (w->complaint_offer) {
        ui *u = app_ui(a);
        sec_text(s, "form.complaint_note", app_tr(a, "form.complaint_note"));
        int h = ui_button_height(u, UI_BTN_SECONDARY, app_tr(a, "form.to_feedback"), NULL, s->w);
        ui_button(u, "form.to_feedback", (ui_rect){s->x, s->y, s->w, h}, UI_BTN_SECONDARY,
                  app_tr(a, "form.to_feedback"), NULL);
        s->y += h + ui_gap(u);
    }
}

static void draw_review(app *a, struct wizard *w, struct sec *s)
{
    ui *u = app_ui(a);
    struct form_review r;
    sec_heading(s, "form.review", app_tr(a, "form.review"));
    sec_text(s, "form.review_note", app_tr(a, "form.review_note"));
    if (form_review(w->f, &r) < 0)
        return;
    int last_step = -1;
    for (int i = 0; i < r.n; i++) {
        const struct form_review_line *l = &r.lines[i];
        char id[160];
        if (l->step != last_step) {
            last_step = l->step;
            /* each step's title, and an edit link back to it */
            int bw = MAX(ui_target_min(u) * 2, ui_text_width(u, UI_FONT_BODY, true, app_tr(a, "form.edit")) + ui_mm(u, 8));
            int bh = MAX(ui_target_min(u), ui_line_h(u, UI_FONT_BODY) + ui_mm(u, 4));
            s->y += ui_gap(u);
            snprintf(id, sizeof id, "review.step.%d", l->step);
            int th = ui_label(u, id, UI_ROLE_HEADING, UI_FONT_HEADING, true, ui_pal(u)->text,
                              app_kt(a, &w->def->steps[l->step].title), s->x, s->y, s->w - bw - ui_gap(u));
            snprintf(id, sizeof id, "review.edit.%d", l->step);
            ui_button(u, id, (ui_rect){s->x + s->w - bw, s->y, bw, bh}, UI_BTN_SECONDARY, app_tr(a, "form.edit"), NULL);
            s->y += MAX(th, bh) + ui_gap(u) / 2;
        }
        snprintf(id, sizeof id, "review.%s", l->field);
        const char *v = app_kt(a, &l->value);
        sec_field(s, id, app_kt(a, l->label), *v ? v : app_tr(a, "form.left_empty"));
    }
    form_review_free(&r);
    sec_heading(s, "form.privacy_title", app_tr(a, "form.privacy_title"));
    sec_text(s, "form.privacy", app_kt(a, &w->def->privacy));
    if (w->failed[0])
        sec_text(s, "form.failed", app_tr(a, w->failed));
}

static void draw_buttons(app *a, struct wizard *w, ui_rect r)
{
    ui *u = app_ui(a);
    int g = ui_gap(u), bw = (r.w - 3 * g) / 2;
    bool review = w->step >= w->def->n_steps;
    const char *next = app_tr(a, review ? "form.submit" : (w->step == w->def->n_steps - 1 ? "form.to_review" : "form.next"));
    ui_fill(u, r, ui_pal(u)->bg);
    int bh = r.h - 2 * g;
    ui_button(u, "form.prev", (ui_rect){r.x + g, r.y + g, bw, bh}, UI_BTN_SECONDARY, app_tr(a, "form.prev"), NULL);
    ui_button(u, review ? "form.submit" : "form.next", (ui_rect){r.x + 2 * g + bw, r.y + g, bw, bh},
              review ? UI_BTN_ACCENT : UI_BTN_PRIMARY, next, NULL);
}

static int buttons_h(app *a, struct wizard *w, int width)
{
    ui *u = app_ui(a);
    int g = ui_gap(u), bw = (width - 3 * g) / 2;
    int h = MAX(ui_mm(u, 18), ui_button_height(u, UI_BTN_PRIMARY, app_tr(a, "form.to_review"), NULL, bw));
    (void)w;
    h = MAX(h, ui_button_height(u, UI_BTN_PRIMARY, app_tr(a, "form.submit"), NULL, bw));
    return h + 2 * g;
}

static void wizard_draw(app *a, void *st, ui_rect body)
{
    struct wizard *w = st;
    ui *u = app_ui(a);
    int g = ui_gap(u), x = body.x + 3 * g, wd = body.w - 6 * g;
    if (!w->def) {
        struct sec s = sec_start(a, x, body.y + 2 * g, wd);
        sec_text(&s, "form.missing", app_tr(a, "form.missing"));
        return;
    }
    ui_rect kb = kbd_draw(app_kbd(a), a, body);
    int bh = buttons_h(a, w, body.w);
    ui_rect buttons = {body.x, kb.y - bh, body.w, bh};
    ui_rect area = {body.x, body.y, body.w, buttons.y - body.y};
    int top = ui_scroll_begin(u, "form.scroll", &w->scroll, area);
    struct sec s = sec_start(a, x, top + g, wd);
    if (w->step < w->def->n_steps)
        draw_step(a, w, &s);
    else
        draw_review(a, w, &s);
    ui_scroll_end(u, &w->scroll, s.y + 2 * g - top);
    if (w->scroll_to >= 0) {
        /* keep the field being typed in above the keyboard */
        ui_rect b = w->boxes[w->scroll_to];
        int need_top = b.y - area.y, need_bottom = b.y + b.h - (area.y + area.h);
        if (b.h > area.h)
            need_top = 0; /* taller than the view (a long text): keep its end, where
                             typing goes and its limit is said, in view */
        if (need_bottom > 0)
            ui_scroll_by(u, &w->scroll, need_bottom + g);
        else if (need_top < 0)
            ui_scroll_by(u, &w->scroll, need_top - g);
        w->scroll_to = -1;
    }
    draw_buttons(a, w, buttons);
}

/* ---- events ---------------------------------------------------------------------------------- */

static void go_step(struct wizard *w, int dir)
{
    int s = w->step + dir;
    while (s >= 0 && s < w->def->n_steps && !form_step_visible(w->f, s))
        s += dir;
    if (s >= 0)
        w->step = s;
    w->show_all = false;
    w->scroll.offset = 0;
}

static void submit(app *a, struct wizard *w)
{
    const struct seal_public *key = app_seal_key(a);
    struct outbox_entry e;
    w->failed[0] = '\0';
    if (!key) {
        snprintf(w->failed, sizeof w->failed, "form.no_key");
        return;
    }
    form_set_lang(w->f, app_lang(a));
    int r = form_submit(w->f, app_state(a), key, app_calendar(a), app_config(a)->kiosk_id, app_wall(a), &e);
    if (r == -EINVAL) {
        int step;
        if (form_first_invalid(w->f, &step, NULL)) {
            w->step = step;
            w->show_all = true;
            w->scroll.offset = 0;
            return;
        }
    }
    if (r < 0) {
        /* not on disk: no receipt, and everything typed is still here */
        snprintf(w->failed, sizeof w->failed, "form.submit_failed");
        fprintf(stderr, "kiosk: a submission was not stored (error %d)\n", r);
        return;
    }
    /* on disk: the receipt screen replaces the wizard, which wipes the values */
    char receipt[OUTBOX_RECEIPT_MAX];
    snprintf(receipt, sizeof receipt, "%s", e.receipt);
    app_pop(a);
    app_push(a, &screen_receipt, receipt);
}

static void wizard_event(app *a, void *st, const char *id)
{
    struct wizard *w = st;
    if (!w->def)
        return;
    int n = 0;
    char fid[96], cid[96];
    if (strcmp(id, "field.changed") == 0) {
        if (w->focus >= 0)
            form_set(w->f, w->def->fields[w->focus].id, w->edit);
        w->scroll_to = w->focus;
        return;
    }
    if (strcmp(id, "field.done") == 0) {
        unfocus(a, w);
        return;
    }
    if (strcmp(id, "idcard.read") == 0) {
        fill_from_card(a, w);
        return;
    }
    if (strcmp(id, "idcard.failed") == 0) {
        w->card_msg = "idcard.failed";
        return;
    }
    if (sscanf(id, "field.%95[^.]%n", fid, &n) == 1 && id[n] == '\0') {
        int i = form_field_index(w->f, fid);
        if (i >= 0) {
            if (w->focus != i)
                focus_field(a, w, i);
            int x, y;
            ui_last_tap_pos(app_ui(a), &x, &y);
            w->kf.caret = ui_input_caret_at(app_ui(a), w->boxes[i], w->edit, x, y);
        }
        return;
    }
    unfocus(a, w);
    if (sscanf(id, "choice.%95[^.].%95s", fid, cid) == 2) {
        form_toggle(w->f, fid, cid);
        int i = form_field_index(w->f, fid);
        if (i >= 0)
            w->touched[i] = true;
    } else if (sscanf(id, "flag.%95s", fid) == 1) {
        form_toggle(w->f, fid, NULL);
    } else if (strcmp(id, "form.prev") == 0) {
        if (w->step == 0)
            app_pop(a);
        else
            go_step(w, -1);
    } else if (strcmp(id, "form.next") == 0) {
        if (form_step_complete(w->f, w->step, NULL))
            go_step(w, +1);
        else
            w->show_all = true; /* say what is missing, next to each field */
    } else if (strcmp(id, "form.submit") == 0) {
        submit(a, w);
    } else if (sscanf(id, "review.edit.%d", &n) == 1 && n >= 0 && n < w->def->n_steps) {
        w->step = n;
        w->scroll.offset = 0;
    } else if (strcmp(id, "form.to_feedback") == 0) {
        app_pop(a);
        app_push(a, &screen_wizard, "feedback");
    }
}


static void wizard_tour(app *a, struct tour *t)
{
    (void)a;
    app_tour_view(t, "request", "tap-id tile.request\n");
    app_tour_view(t, "feedback-form", "open form feedback\n");
}

const struct screen_ops screen_wizard = {
    .name = "form",
    .enter = wizard_enter,
    .leave = wizard_leave,
    .draw = wizard_draw,
    .title = wizard_title,
    .event = wizard_event,
    .pii = true,
    .tour = wizard_tour,
};
