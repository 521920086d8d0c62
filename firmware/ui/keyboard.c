/* keyboard.c - the text field and the on-screen keyboard. A kiosk has no keyboard,
 * so every name, ID number and description is typed here, often by an elderly finger:
 * keys are large (larger in large-text mode), a pressed key shows pressed in the next
 * frame, and the numeric pad for ID and phone numbers has a key for the X that ends
 * some resident ID numbers. The keyboard only draws and names its keys; what a key
 * does is the screen's keyboard controller's business (screens/kbd.c). */
#include "ui_internal.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>

/* ---- the text field ---------------------------------------------------------------- */

static int field_pad(ui *u)
{
    return ui_mm(u, 2.5);
}

/* The lines of TEXT laid out in width W, however many a field's longest value takes:
 * *ret_starts and *ret_lens are yours to free. Returns the count (at least 1). */
static int field_lines(ui *u, const char *text, int w, int **ret_starts, int **ret_lens)
{
    int n = MAX(1, ui_text_lines(u, UI_FONT_BODY, false, text, w, NULL, NULL, 0));
    *ret_starts = xcalloc((size_t)n, sizeof **ret_starts);
    *ret_lens = xcalloc((size_t)n, sizeof **ret_lens);
    ui_text_lines(u, UI_FONT_BODY, false, text, w, *ret_starts, *ret_lens, n);
    return n;
}

/* x, y of byte CARET within TEXT laid out in width W */
static void caret_xy(ui *u, const char *text, int caret, int w, int *rx, int *ry)
{
    int *starts, *lens;
    int n = field_lines(u, text, w, &starts, &lens);
    int line = 0;
    for (int i = 0; i < n; i++)
        if (caret >= starts[i])
            line = i;
    int len = MAX(0, MIN(caret - starts[line], lens[line]));
    char buf[1024]; /* one line of a field: a screen's width of characters */
    snprintf(buf, sizeof buf, "%.*s", MIN(len, (int)sizeof buf - 1), text + starts[line]);
    *rx = ui_text_width(u, UI_FONT_BODY, false, buf);
    *ry = line * ui_line_h(u, UI_FONT_BODY);
    free(starts);
    free(lens);
}

int ui_input(ui *u, const char *id, ui_rect box, const char *text, int caret,
             const char *placeholder, bool focused, const char *error)
{
    const struct ui_palette *p = ui_pal(u);
    int pad = field_pad(u), w = box.w - 2 * pad;
    bool empty = !text || !*text, trunc = false;
    ui_fill_round(u, box, ui_mm(u, 1.5), p->surface);
    ui_frame_round(u, box, ui_mm(u, 1.5), focused ? MAX(2, ui_mm(u, 1.0)) : MAX(1, ui_mm(u, 0.5)),
                   error ? p->accent : focused ? p->primary : p->border);
    ui_rect tr = {box.x + pad, box.y + pad, w, box.h - 2 * pad};
    if (empty && placeholder)
        ui_text(u, UI_FONT_BODY, false, p->muted, placeholder, tr, UI_ALIGN_LEFT, NULL);
    else if (!empty)
        ui_text(u, UI_FONT_BODY, false, p->text, text, tr, UI_ALIGN_LEFT, &trunc);
    if (focused) {
        int cx = 0, cy = 0;
        if (!empty)
            caret_xy(u, text, CLAMP(caret, 0, (int)strlen(text)), w, &cx, &cy);
        int lh = ui_line_h(u, UI_FONT_BODY);
        ui_fill(u, (ui_rect){tr.x + cx, tr.y + cy + lh / 8, MAX(2, ui_mm(u, 0.6)), lh * 3 / 4}, p->primary);
    }
    ui_node_add(u, id, UI_ROLE_INPUT, empty ? "" : text, box, true);
    int h = box.h;
    if (error && *error) {
        char eid[96];
        snprintf(eid, sizeof eid, "%s.error", id);
        h += ui_gap(u) / 2;
        h += ui_label(u, eid, UI_ROLE_TEXT, UI_FONT_BODY, true, p->accent, error, box.x, box.y + h, box.w);
    }
    (void)trunc; /* a long text scrolls in its field: the caret line is what matters */
    return h;
}

int ui_input_caret_at(ui *u, ui_rect box, const char *text, int x, int y)
{
    int pad = field_pad(u), w = box.w - 2 * pad;
    if (!*text)
        return 0;
    int *starts, *lens;
    int n = field_lines(u, text, w, &starts, &lens);
    int line = CLAMP((y - box.y - pad) / MAX(1, ui_line_h(u, UI_FONT_BODY)), 0, n - 1);
    int tx = x - box.x - pad, best = starts[line], best_d = 1 << 30;
    const char *s = text + starts[line], *end = s + lens[line];
    char buf[1024];
    for (const char *q = s;;) {
        int off = (int)(q - s);
        snprintf(buf, sizeof buf, "%.*s", MIN(off, (int)sizeof buf - 1), s);
        int d = abs(ui_text_width(u, UI_FONT_BODY, false, buf) - tx);
        if (d < best_d) {
            best_d = d;
            best = starts[line] + off;
        }
        if (q >= end)
            break;
        utf8_next(&q);
    }
    free(starts);
    free(lens);
    return best;
}

/* ---- the keyboard ---------------------------------------------------------------------- */

static const char *const rows_letters[3] = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};
static const char *const rows_symbols[3][10] = {
    {"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"},
    {"@", ".", "-", "_", "/", ":", ";", "(", ")", "#"},
    {",", "?", "!", "'", "\"", "&", "+", NULL},
};

static int key_h(ui *u)
{
    /* tall enough for the target size and for a key's label at the theme's size */
    int label = ui_line_h(u, UI_FONT_BODY) + 2 * ui_mm(u, 3.0);
    return MAX(MAX(ui_target_min(u), label), ui_mm(u, ui_large(u) ? 22.0 : 18.0));
}

static int key_gap(ui *u)
{
    return MAX(2, ui_mm(u, 1.2));
}

static int cands_per_row(int width)
{
    return width >= 1500 ? 8 : 4;
}

static int cand_rows(const struct ui_kbd_view *v, int width)
{
    if (v->mode != UI_KBD_PINYIN || !v->preedit || !*v->preedit)
        return 0;
    return v->ncands > cands_per_row(width) ? 2 : 1;
}

int ui_keyboard_h(ui *u, const struct ui_kbd_view *v, int width)
{
    int kh = key_h(u), g = key_gap(u);
    int rows = 4;
    int h = g + rows * (kh + g);
    int cr = cand_rows(v, width);
    if (v->mode == UI_KBD_PINYIN)
        h += ui_line_h(u, UI_FONT_SMALL) + g + MAX(1, cr) * (kh + g); /* room kept, so keys never jump */
    return h;
}

static void key(ui *u, const char *id, ui_rect r, const char *label, enum ui_button_style st)
{
    ui_button(u, id, r, st, label, NULL);
}

static void letter_key(ui *u, const char *ch, bool upper, ui_rect r)
{
    char id[32], label[8];
    snprintf(id, sizeof id, "kb.k.%s", ch);
    snprintf(label, sizeof label, "%s", ch);
    if (upper && label[0] >= 'a' && label[0] <= 'z' && !label[1])
        label[0] = (char)(label[0] - 'a' + 'A');
    key(u, id, r, label, UI_BTN_SECONDARY);
}

ui_rect ui_keyboard(ui *u, const struct ui_kbd_view *v, ui_rect area)
{
    const struct ui_palette *p = ui_pal(u);
    int h = ui_keyboard_h(u, v, area.w);
    ui_rect r = {area.x, area.y + area.h - h, area.w, h};
    int kh = key_h(u), g = key_gap(u);
    ui_fill(u, r, p->pressed);
    int y = r.y + g;

    if (v->mode == UI_KBD_PINYIN) {
        /* the typed syllables above the candidate bar */
        int lh = ui_line_h(u, UI_FONT_SMALL);
        ui_fill(u, (ui_rect){r.x, y - g, r.w, lh + g}, p->bg);
        if (v->preedit && *v->preedit)
            ui_label(u, "kb.preedit", UI_ROLE_TEXT, UI_FONT_SMALL, true, p->primary, v->preedit,
                     r.x + 2 * g, y - g / 2, r.w - 4 * g);
        y += lh + g;
        int per = cands_per_row(r.w), cr = MAX(1, cand_rows(v, r.w));
        if (v->preedit && *v->preedit) {
            int aw = MAX(ui_target_min(u), ui_mm(u, 14));
            int cw = (r.w - 2 * aw - (per + 3) * g) / per;
            if (v->has_prev)
                key(u, "kb.prev", (ui_rect){r.x + g, y, aw, cr * kh + (cr - 1) * g}, "<", UI_BTN_SECONDARY);
            if (v->has_next)
                key(u, "kb.next", (ui_rect){r.x + r.w - g - aw, y, aw, cr * kh + (cr - 1) * g}, ">",
                    UI_BTN_SECONDARY);
            for (int i = 0; i < v->ncands && i < 8; i++) {
                char id[32];
                snprintf(id, sizeof id, "kb.cand.%d", i);
                int c = i % per, row = i / per;
                ui_button(u, id, (ui_rect){r.x + 2 * g + aw + c * (cw + g), y + row * (kh + g), cw, kh},
                          UI_BTN_PRIMARY, v->cands[i], NULL);
            }
        }
        y += cr * (kh + g);
    }

    int kw = (r.w - 11 * g) / 10;
    if (v->mode == UI_KBD_NUMPAD) {
        /* a telephone-style pad, wide keys, with backspace, mode and done beside it */
        int cw = (r.w - 5 * g) / 4;
        static const char *const pad[4][3] = {{"1", "2", "3"}, {"4", "5", "6"}, {"7", "8", "9"},
                                              {NULL, "0", "-"}};
        for (int row = 0; row < 4; row++) {
            for (int c = 0; c < 3; c++) {
                const char *ch = pad[row][c];
                if (!ch)
                    ch = v->id_x ? "x" : "+";
                ui_rect kr = {r.x + g + c * (cw + g), y + row * (kh + g), cw, kh};
                letter_key(u, ch, true, kr);
            }
        }
        int x3 = r.x + g + 3 * (cw + g);
        key(u, "kb.back", (ui_rect){x3, y, cw, kh}, v->label_back, UI_BTN_SECONDARY);
        key(u, "kb.mode", (ui_rect){x3, y + kh + g, cw, kh}, v->label_mode[v->mode], UI_BTN_SECONDARY);
        key(u, "kb.done", (ui_rect){x3, y + 2 * (kh + g), cw, 2 * kh + g}, v->label_done, UI_BTN_PRIMARY);
        return r;
    }

    for (int row = 0; row < 3; row++) {
        int n = v->mode == UI_KBD_SYMBOLS ? (row == 2 ? 7 : 10) : (int)strlen(rows_letters[row]);
        int x = r.x + g + (r.w - 2 * g - n * kw - (n - 1) * g) / 2;
        if (row == 2) {
            /* shift (Latin) or the syllable separator (pinyin) left, backspace right */
            int sw = (x - r.x) - 2 * g;
            if (v->mode == UI_KBD_PINYIN)
                key(u, "kb.sep", (ui_rect){r.x + g, y, sw, kh}, "'", UI_BTN_SECONDARY);
            else if (v->mode == UI_KBD_LATIN)
                key(u, "kb.shift", (ui_rect){r.x + g, y, sw, kh}, v->label_shift,
                    v->shift ? UI_BTN_PRIMARY : UI_BTN_SECONDARY);
            key(u, "kb.back", (ui_rect){r.x + r.w - g - sw, y, sw, kh}, v->label_back, UI_BTN_SECONDARY);
        }
        for (int i = 0; i < n; i++) {
            ui_rect kr = {x + i * (kw + g), y, kw, kh};
            if (v->mode == UI_KBD_SYMBOLS) {
                letter_key(u, rows_symbols[row][i], false, kr);
            } else {
                char ch[2] = {rows_letters[row][i], 0};
                letter_key(u, ch, v->mode == UI_KBD_LATIN && v->shift, kr);
            }
        }
        y += kh + g;
    }
    /* bottom row: mode, a punctuation key, space, another, done */
    int mw = kw * 2 + g, pw = kw, dw = kw * 2 + g;
    int sw = r.w - 2 * g - mw - 2 * pw - dw - 4 * g;
    int x = r.x + g;
    key(u, "kb.mode", (ui_rect){x, y, mw, kh}, v->label_mode[v->mode], UI_BTN_SECONDARY);
    x += mw + g;
    const char *p1 = v->mode == UI_KBD_PINYIN ? "\xEF\xBC\x8C" : "@"; /* full-width comma */
    const char *p2 = v->mode == UI_KBD_PINYIN ? "\xE3\x80\x82" : "."; /* ideographic full stop */
    letter_key(u, p1, false, (ui_rect){x, y, pw, kh});
    x += pw + g;
    key(u, "kb.space", (ui_rect){x, y, sw, kh}, v->label_space, UI_BTN_SECONDARY);
    x += sw + g;
    letter_key(u, p2, false, (ui_rect){x, y, pw, kh});
    x += pw + g;
    key(u, "kb.done", (ui_rect){x, y, dw, kh}, v->label_done, UI_BTN_PRIMARY);
    return r;
}
