/* window.h - the kiosk's window: made the cheapest way the display allows.
 *
 * Fullscreen under X11 with no window manager (a kiosk's own X server, or Xvfb) is a
 * borderless window the size of the display: asking for fullscreen there makes SDL
 * wait about 100 ms for a window manager that never answers (docs/display.md,
 * "Start-up"). With a window manager, and on every other video driver, SDL's
 * fullscreen is used as before. */
#ifndef WINDOW_H
#define WINDOW_H

#include <stdbool.h>
#include <stddef.h>

struct SDL_Window;

/* Makes the window: W x H (the panel's size), fullscreen when FULLSCREEN, hidden when
 * HEADLESS. NULL with a message in ERR. The caller owns it (SDL_DestroyWindow). */
struct SDL_Window *window_open(int w, int h, bool fullscreen, bool headless, char *err, size_t errlen);

/* Whether the X display WIN is on has a window manager (EWMH's
 * _NET_SUPPORTING_WM_CHECK); true when it cannot tell, or not X11. */
bool window_x11_has_wm(struct SDL_Window *win);

#endif
