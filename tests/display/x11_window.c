/* x11_window.c - what an X server shows of the kiosk, for tests/display/x11.sh:
 *
 *   x11_window NAME [OUT.ppm]
 *
 * Reads DISPLAY. Waits (at most 20 s) for a viewable window titled NAME anywhere in
 * the tree (a window manager reparents it), then prints one line:
 *   display WxH window X,Y WxH wm yes|no
 * with the window's place on the root and whether a window manager says it runs
 * (_NET_SUPPORTING_WM_CHECK). With OUT.ppm, the root window's pixels go there too.
 * Exit status 1 when there is no display or no such window. */
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static Window find(Display *d, Window w, const char *name, int depth)
{
    char *wn = NULL;
    XWindowAttributes wa;
    if (XFetchName(d, w, &wn) && wn) {
        int same = strcmp(wn, name) == 0;
        XFree(wn);
        if (same && XGetWindowAttributes(d, w, &wa) && wa.map_state == IsViewable)
            return w;
    }
    Window root, parent, *kids = NULL, found = None;
    unsigned n = 0;
    if (depth < 4 && XQueryTree(d, w, &root, &parent, &kids, &n)) {
        for (unsigned i = 0; i < n && found == None; i++)
            found = find(d, kids[i], name, depth + 1);
        if (kids)
            XFree(kids);
    }
    return found;
}

static int wm_running(Display *d)
{
    Atom check = XInternAtom(d, "_NET_SUPPORTING_WM_CHECK", True);
    Atom type;
    int format;
    unsigned long n, after;
    unsigned char *data = NULL;
    int yes = check != None &&
              XGetWindowProperty(d, DefaultRootWindow(d), check, 0, 1, False, XA_WINDOW, &type, &format, &n,
                                 &after, &data) == Success &&
              type == XA_WINDOW && n == 1;
    if (data)
        XFree(data);
    return yes;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: x11_window NAME [OUT.ppm]\n");
        return 2;
    }
    Display *d = XOpenDisplay(NULL);
    if (!d) {
        fprintf(stderr, "x11_window: cannot open the display\n");
        return 1;
    }
    Window root = DefaultRootWindow(d), w = None;
    for (int i = 0; i < 400 && w == None; i++) {
        w = find(d, root, argv[1], 0);
        if (w == None)
            usleep(50000);
    }
    if (w == None) {
        fprintf(stderr, "x11_window: no viewable window named %s\n", argv[1]);
        return 1;
    }
    XWindowAttributes ra, wa;
    XGetWindowAttributes(d, root, &ra);
    XGetWindowAttributes(d, w, &wa);
    int x, y;
    Window child;
    XTranslateCoordinates(d, w, root, 0, 0, &x, &y, &child);
    printf("display %dx%d window %d,%d %dx%d wm %s\n", ra.width, ra.height, x, y, wa.width, wa.height,
           wm_running(d) ? "yes" : "no");
    if (argc > 2) {
        XImage *im = XGetImage(d, root, 0, 0, (unsigned)ra.width, (unsigned)ra.height, AllPlanes, ZPixmap);
        FILE *f = im ? fopen(argv[2], "wb") : NULL;
        if (!f) {
            fprintf(stderr, "x11_window: %s: cannot write the root's pixels\n", argv[2]);
            return 1;
        }
        fprintf(f, "P6\n%d %d\n255\n", ra.width, ra.height);
        for (int yy = 0; yy < ra.height; yy++)
            for (int xx = 0; xx < ra.width; xx++) {
                unsigned long p = XGetPixel(im, xx, yy);
                unsigned char rgb[3] = {(unsigned char)(p >> 16), (unsigned char)(p >> 8), (unsigned char)p};
                fwrite(rgb, 1, 3, f);
            }
        fclose(f);
        XDestroyImage(im);
    }
    XCloseDisplay(d);
    return 0;
}
