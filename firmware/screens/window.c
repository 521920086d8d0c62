/* window.c - the kiosk's window; see window.h. */
#include "window.h"

#include <SDL.h>
#include <SDL_syswm.h>
#include <stdio.h>
#include <string.h>
#ifdef KIOSK_HAVE_X11
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#endif

#ifdef KIOSK_HAVE_X11
static bool x_failed;

/* a BadWindow from a window that has gone: noted, not fatal */
static int note_error(Display *d, XErrorEvent *e)
{
    (void)d;
    (void)e;
    x_failed = true;
    return 0;
}

/* The window a property _NET_SUPPORTING_WM_CHECK of window W names, or None */
static Window wm_check(Display *d, Window w, Atom check)
{
    Atom type;
    int format;
    unsigned long n, after;
    unsigned char *data = NULL;
    Window r = None;
    if (XGetWindowProperty(d, w, check, 0, 1, False, XA_WINDOW, &type, &format, &n, &after, &data) == Success &&
        type == XA_WINDOW && format == 32 && n == 1 && data)
        r = (Window)*(unsigned long *)data;
    if (data)
        XFree(data);
    return r;
}
#endif

bool window_x11_has_wm(SDL_Window *win)
{
#ifdef KIOSK_HAVE_X11
    SDL_SysWMinfo info;
    SDL_VERSION(&info.version);
    if (!SDL_GetWindowWMInfo(win, &info) || info.subsystem != SDL_SYSWM_X11)
        return true;
    Display *d = info.info.x11.display;
    /* only_if_exists: no EWMH window manager has run on this display since it began */
    Atom check = XInternAtom(d, "_NET_SUPPORTING_WM_CHECK", True);
    if (check == None)
        return false;
    /* the root names a child window that names itself: a stale property from a window
     * manager that has gone names a window that no longer does */
    Window child = wm_check(d, DefaultRootWindow(d), check);
    if (child == None)
        return false;
    XSync(d, False);
    x_failed = false;
    int (*old)(Display *, XErrorEvent *) = XSetErrorHandler(note_error);
    Window self = wm_check(d, child, check);
    XSync(d, False);
    XSetErrorHandler(old);
    return !x_failed && self == child;
#else
    (void)win;
    return true;
#endif
}

SDL_Window *window_open(int w, int h, bool fullscreen, bool headless, char *err, size_t errlen)
{
    Uint32 flags = headless ? SDL_WINDOW_HIDDEN : 0;
    int x = SDL_WINDOWPOS_CENTERED, y = SDL_WINDOWPOS_CENTERED;
    const char *drv = SDL_GetCurrentVideoDriver();
    bool x11 = drv && strcmp(drv, "x11") == 0;
    SDL_Rect b;
    bool cover = false;
    if (!headless && fullscreen) {
        if (x11 && SDL_GetDisplayBounds(0, &b) == 0) {
            /* first a borderless window over the whole display: with no window manager
             * that is fullscreen already */
            x = b.x;
            y = b.y;
            w = b.w;
            h = b.h;
            flags |= SDL_WINDOW_BORDERLESS;
            cover = true;
        } else {
            flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
        }
    } else if (!headless) {
        /* a window scaled to fit this screen, keeping the panel's shape */
        if (SDL_GetDisplayUsableBounds(0, &b) == 0) {
            double sc = SDL_min(1.0, SDL_min(0.92 * b.h / h, 0.92 * b.w / w));
            w = (int)(w * sc);
            h = (int)(h * sc);
        }
        flags |= SDL_WINDOW_RESIZABLE;
    }
    SDL_Window *win = SDL_CreateWindow("Hall Kiosk", x, y, w, h, flags);
    if (!win) {
        snprintf(err, errlen, "cannot create a window: %s", SDL_GetError());
        return NULL;
    }
    if (!cover)
        return win;
    /* a window manager may keep panels over a borderless window: ask it for fullscreen */
    if (!window_x11_has_wm(win)) {
        fprintf(stderr, "kiosk: display: no window manager: a borderless window over the display\n");
        return win;
    }
    fprintf(stderr, "kiosk: display: fullscreen through the window manager\n");
    if (SDL_SetWindowFullscreen(win, SDL_WINDOW_FULLSCREEN_DESKTOP) != 0) {
        snprintf(err, errlen, "cannot make the window fullscreen: %s", SDL_GetError());
        SDL_DestroyWindow(win);
        return NULL;
    }
    return win;
}
