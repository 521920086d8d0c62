/* dialog.c - see dialog.h. */
#include "dialog.h"
#include "base/util.h"

void dialog_draw(app *a, ui_rect s, const char *title, const char *body, const struct dialog_button *b, int n)
{
    dialog_draw_room(a, s, title, body, NULL, b, n);
}

void dialog_draw_room(app *a, ui_rect s, const char *title, const char *body,
                      const struct dialog_room *room, const struct dialog_button *b, int n)
{
    ui *u = app_ui(a);
    const struct ui_palette *p = ui_pal(u);
    ui_fill_alpha(u, s, p->scrim, 140);
    int g = ui_gap(u), w = MIN(s.w - 4 * g, ui_mm(u, 330));
    int x = s.x + (s.w - w) / 2, tw = w - 4 * g;
    int th = ui_text_height(u, UI_FONT_TITLE, true, title, tw);
    int bh = ui_text_height(u, UI_FONT_BODY, false, body, tw);
    int btn = MAX(ui_target_min(u), ui_mm(u, 20));
    int bw = n ? (tw - (n - 1) * g) / n : 0;
    for (int i = 0; i < n; i++)
        btn = MAX(btn, ui_button_height(u, b[i].style, b[i].label, NULL, bw));
    int h = 2 * g + th + g + bh + 2 * g + (n ? btn + 2 * g : 0);
    int room_max = s.h - 4 * g - h - g, rh = 0;
    if (room && room_max > 0 && (rh = room->measure(room->ctx, tw, room_max)) > 0)
        h += rh + g;
    int y = s.y + (s.h - h) / 2;
    ui_rect box = {x, y, w, h};
    ui_fill_round(u, box, ui_mm(u, 3), p->surface);
    /* a visible edge on every theme: on high contrast the box is as dark as the scrim */
    ui_frame_round(u, box, ui_mm(u, 3), MAX(1, ui_mm(u, 0.7)), p->text);
    ui_node_add(u, "dialog", UI_ROLE_DIALOG, title, box, false);
    y += 2 * g;
    y += ui_label(u, "dialog.title", UI_ROLE_HEADING, UI_FONT_TITLE, true, p->text, title, x + 2 * g, y, tw) + g;
    y += ui_label(u, "dialog.body", UI_ROLE_TEXT, UI_FONT_BODY, false, p->text, body, x + 2 * g, y, tw) + 2 * g;
    if (rh > 0) {
        room->draw(room->ctx, x + 2 * g, y, tw, room_max);
        y += rh + g;
    }
    for (int i = 0; i < n; i++)
        ui_button(u, b[i].id, (ui_rect){x + 2 * g + i * (bw + g), y, bw, btn}, b[i].style, b[i].label, NULL);
}
