/* dialog.h - the look of an overlay screen (a dialog): a scrim over the screen below,
 * a centred box with a title, a body and up to three buttons side by side. The
 * overlay screens (idle.c, callstaff.c, usb.c) draw themselves with it. */
#ifndef KIOSK_DIALOG_H
#define KIOSK_DIALOG_H

#include "app.h"

struct dialog_button {
    const char *id, *label;
    enum ui_button_style style;
};

/* Draws the dialog over SCREEN. TITLE and BODY are shown whole (the box grows); N
 * may be 0 (a dialog that waits for something, not for the visitor). */
void dialog_draw(app *a, ui_rect screen, const char *title, const char *body,
                 const struct dialog_button *buttons, int n);

/* Room for a picture below a dialog's body: measure(ctx, width, max_height) says how
 * tall the picture is at the box's text width (drawing nothing), draw(ctx, x, y,
 * width, max_height) draws it there. */
struct dialog_room {
    int (*measure)(void *ctx, int w, int max_h);
    void (*draw)(void *ctx, int x, int y, int w, int max_h);
    void *ctx;
};
/* As dialog_draw, with ROOM (may be NULL) between the body and the buttons, given
 * what height the screen leaves. */
void dialog_draw_room(app *a, ui_rect screen, const char *title, const char *body,
                      const struct dialog_room *room, const struct dialog_button *buttons,
                      int n);

#endif
