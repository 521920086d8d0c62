/* present.h - the final blit: from the surface the UI draws on to the panel.
 *
 * A panel mounted turned (config [display] rotation = 90, 180 or 270: the clockwise
 * turn of the picture on the panel) gets the picture turned here, rectangle by damaged
 * rectangle, and its touches turned back: the UI lays out for the logical size (for 90
 * and 270 the window's width and height swapped) and never knows. Rotation 0 draws
 * straight into the window surface, as before. */
#ifndef PRESENT_H
#define PRESENT_H

#include "ui/ui.h"

#include <stdbool.h>

typedef struct present present;
struct SDL_Window;

/* Opens the window's presenter. ROTATION is 0, 90, 180 or 270 (config.c checks).
 * 0, or -errno with a message in ERR. The presenter borrows WIN and owns the logical
 * surface it makes for a turned panel. */
int present_open(struct SDL_Window *win, int rotation, present **out, char *err, size_t errlen);
void present_close(present *p);

/* Start-up on X11: maps the window surface's pages and sends it to the X server once,
 * on a thread of its own, so that the server's first taking of the picture (tens of
 * milliseconds on a virtual machine) runs while the first frame is laid out and drawn
 * (docs/display.md, "Start-up"). Until present_settle, which every other present_
 * call does first, nothing else may ask SDL about the window or its events. Elsewhere
 * it does nothing. */
void present_warm(present *p);
void present_settle(present *p);

/* The surface the UI draws on: the window surface, or the logical one. Valid until
 * present_resize. */
SDL_Surface *present_target(present *p);

/* The logical size for a window of physical size PW x PH, and back: swapped for 90
 * and 270. */
void present_logical_size(int rotation, int pw, int ph, int *lw, int *lh);

/* Makes the window fit logical size LW x LH (for the scripted driver's `size`);
 * then, as after the window changed size, fetches the new window surface. 0 or
 * -errno (ERR says why). present_target changes: hand it to app_set_target. */
int present_set_logical_size(present *p, int lw, int lh, char *err, size_t errlen);
int present_resize(present *p, char *err, size_t errlen);

/* Shows the damaged logical rectangle R on the panel. */
void present_update(present *p, ui_rect r);

/* The whole frame as the panel shows it (the scripted driver's `shot`): the window
 * surface, with the logical picture turned into it first. Borrowed. */
SDL_Surface *present_frame(present *p);

/* A point on the panel (physical pixels, as touches arrive) to the point of the
 * logical picture drawn there. Pure arithmetic: tested through the scripted driver's
 * tap-phys. */
void present_to_logical(int rotation, int lw, int lh, int px, int py, int *lx, int *ly);
/* The physical point where logical point (LX, LY) is shown. */
void present_to_physical(int rotation, int lw, int lh, int lx, int ly, int *px, int *py);

int present_rotation(const present *p);
/* The logical size of the picture. */
void present_size(const present *p, int *lw, int *lh);

#endif
