/* sections.c - see sections.h. */
#include "sections.h"
#include "base/util.h"

#include <stdio.h>

struct sec sec_start(app *a, int x, int y, int w)
{
    return (struct sec){a, app_ui(a), x, y, w, SEC_DRAW};
}

int sec_guess_lines(const char *text, int px, int w, int *ret_w)
{
    int lines = 1;
    long x = 0, widest = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '\n') {
            lines++;
            x = 0;
            continue;
        }
        if ((*p & 0xC0) == 0x80)
            continue; /* inside a character */
        int adv = *p >= 0xE3 ? px : px * 55 / 100;
        if (x + adv > w && x > 0) {
            lines++;
            x = 0;
        }
        x += adv;
        widest = MAX(widest, x);
    }
    if (ret_w)
        *ret_w = (int)MIN(widest, 1 << 20);
    return lines;
}

/* the height of TEXT in font F within W, measured or (SEC_GUESS) guessed */
static int text_h(struct sec *s, enum ui_font f, bool bold, const char *text, int w)
{
    if (s->mode == SEC_GUESS)
        return sec_guess_lines(text, ui_font_px(s->u, f), w, NULL) * ui_line_h(s->u, f);
    return ui_text_height(s->u, f, bold, text, w);
}

/* a label drawn and recorded (SEC_DRAW), else only its height */
static int label(struct sec *s, const char *id, enum ui_role role, enum ui_font f, bool bold, ui_color c,
                 const char *text, int x, int w)
{
    if (s->mode != SEC_DRAW)
        return text_h(s, f, bold, text, w);
    return ui_label(s->u, id, role, f, bold, c, text, x, s->y, w);
}

void sec_heading(struct sec *s, const char *id, const char *text)
{
    const struct ui_palette *p = ui_pal(s->u);
    int g = ui_gap(s->u), bar = ui_mm(s->u, 1.6);
    if (s->mode != SEC_DRAW) {
        s->y += g + text_h(s, UI_FONT_HEADING, true, text, s->w - bar - g) + g / 2;
        return;
    }
    s->y += g;
    int h = ui_text_height(s->u, UI_FONT_HEADING, true, text, s->w - bar - g);
    ui_fill(s->u, (ui_rect){s->x, s->y, bar, h}, p->accent);
    s->y += ui_label(s->u, id, UI_ROLE_HEADING, UI_FONT_HEADING, true, p->text, text,
                     s->x + bar + g, s->y, s->w - bar - g);
    s->y += g / 2;
}

int sec_heading_h(ui *u, const char *text, int w)
{
    int g = ui_gap(u), bar = ui_mm(u, 1.6);
    return g + ui_text_height(u, UI_FONT_HEADING, true, text, w - bar - g) + g / 2;
}

int sec_subheading_h(ui *u, const char *text, int w)
{
    return ui_text_height(u, UI_FONT_BODY, true, text, w);
}

int sec_text_h(ui *u, const char *text, int w)
{
    return ui_text_height(u, UI_FONT_BODY, false, text, w) + ui_gap(u) / 2;
}

void sec_subheading(struct sec *s, const char *id, const char *text)
{
    s->y += label(s, id, UI_ROLE_HEADING, UI_FONT_BODY, true, ui_pal(s->u)->text, text, s->x, s->w);
}

void sec_text(struct sec *s, const char *id, const char *text)
{
    s->y += label(s, id, UI_ROLE_TEXT, UI_FONT_BODY, false, ui_pal(s->u)->text, text, s->x, s->w);
    s->y += ui_gap(s->u) / 2;
}

void sec_muted(struct sec *s, const char *id, const char *text)
{
    s->y += label(s, id, UI_ROLE_TEXT, UI_FONT_SMALL, false, ui_pal(s->u)->muted, text, s->x, s->w);
}

void sec_field(struct sec *s, const char *id, const char *name, const char *value)
{
    if (!value || !*value)
        return;
    char lid[96];
    snprintf(lid, sizeof lid, "%s.label", id);
    s->y += label(s, lid, UI_ROLE_HEADING, UI_FONT_SMALL, true, ui_pal(s->u)->muted, name, s->x, s->w);
    sec_text(s, id, value);
}

void sec_gap(struct sec *s, double mm)
{
    s->y += ui_mm(s->u, mm);
}
