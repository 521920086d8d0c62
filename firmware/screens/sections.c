/* sections.c - see sections.h. */
#include "sections.h"
#include "base/util.h"

#include <stdio.h>

struct sec sec_start(app *a, int x, int y, int w)
{
    return (struct sec){a, app_ui(a), x, y, w};
}

void sec_heading(struct sec *s, const char *id, const char *text)
{
    const struct ui_palette *p = ui_pal(s->u);
    int g = ui_gap(s->u), bar = ui_mm(s->u, 1.6);
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
    s->y += ui_label(s->u, id, UI_ROLE_HEADING, UI_FONT_BODY, true, ui_pal(s->u)->text, text,
                     s->x, s->y, s->w);
}

void sec_text(struct sec *s, const char *id, const char *text)
{
    s->y += ui_label(s->u, id, UI_ROLE_TEXT, UI_FONT_BODY, false, ui_pal(s->u)->text, text,
                     s->x, s->y, s->w);
    s->y += ui_gap(s->u) / 2;
}

void sec_muted(struct sec *s, const char *id, const char *text)
{
    s->y += ui_label(s->u, id, UI_ROLE_TEXT, UI_FONT_SMALL, false, ui_pal(s->u)->muted, text,
                     s->x, s->y, s->w);
}

void sec_field(struct sec *s, const char *id, const char *label, const char *value)
{
    if (!value || !*value)
        return;
    char lid[96];
    snprintf(lid, sizeof lid, "%s.label", id);
    s->y += ui_label(s->u, lid, UI_ROLE_HEADING, UI_FONT_SMALL, true, ui_pal(s->u)->muted, label,
                     s->x, s->y, s->w);
    sec_text(s, id, value);
}

void sec_gap(struct sec *s, double mm)
{
    s->y += ui_mm(s->u, mm);
}
