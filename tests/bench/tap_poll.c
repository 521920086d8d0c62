/* tap_poll.c - tap-to-pressed-state as seen from outside the kiosk: injects real
 * pointer presses with the XTest extension and polls the X root window's pixels of
 * the pressed widget until they change. Run by tests/bench/bench_tap.sh, never by
 * ctest.
 *
 *   tap_poll < COMMANDS
 *
 * Reads DISPLAY, where the kiosk already runs full screen. COMMANDS, one a line:
 *   tap NAME X Y          a tap (press, 60 ms, release) at X,Y, then waits until the
 *                         screen settles (the lower three quarters of the root window
 *                         unchanged for 400 ms, at most 5 s)
 *   press NAME X Y W H N  N presses on the widget at X,Y W×H: each from the moment the
 *                         press is sent to the first poll on which the widget's pixels
 *                         (three rows of them) differ from before it; then the finger slides off the widget
 *                         (sideways, so no list scrolls) and lifts, which is no tap,
 *                         and the widget must come back as it was (at most 2 s)
 * Prints one line per press, taps included, in the order sent (the kiosk logs one
 * line per press too, KIOSK_BENCH=1, in the same order):
 *   tap NAME -            or   press NAME MS
 * and, after each press command, "summary NAME n N median MS p95 MS p99 MS max MS".
 * Exit status 1 when a press showed nothing within 2 s or a widget did not come back. */
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XTest.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_PRESSES 1000

static Display *dpy;
static Window root;
static int scr_w, scr_h;

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void sleep_ms(double ms)
{
    struct timespec t = {(time_t)(ms / 1e3), (long)((ms - (time_t)(ms / 1e3) * 1e3) * 1e6)};
    nanosleep(&t, NULL);
}

/* a hash of the pixels of X,Y W×H (0 if the server refused) */
static uint64_t hash_rect(int x, int y, int w, int h)
{
    XImage *im = XGetImage(dpy, root, x, y, (unsigned)w, (unsigned)h, AllPlanes, ZPixmap);
    if (!im)
        return 0;
    uint64_t v = 1469598103934665603ULL;
    for (int r = 0; r < h; r++) {
        const unsigned char *row = (const unsigned char *)im->data + (size_t)r * (size_t)im->bytes_per_line;
        size_t n = (size_t)w * (size_t)(im->bits_per_pixel / 8);
        for (size_t i = 0; i < n; i++) {
            v ^= row[i];
            v *= 1099511628211ULL;
        }
    }
    XDestroyImage(im);
    return v;
}

/* the lower three quarters of the screen, 16 full rows (the clock and the ticker above
 * change by themselves) */
static uint64_t hash_screen(void)
{
    uint64_t v = 0;
    for (int i = 0; i < 16; i++)
        v = v * 31 + hash_rect(0, scr_h / 4 + (scr_h * 3 / 4 - 1) * i / 15, scr_w, 1);
    return v;
}

static void settle(void)
{
    double t0 = now_ms(), since = t0;
    uint64_t last = hash_screen();
    while (now_ms() - since < 400 && now_ms() - t0 < 5000) {
        sleep_ms(10);
        uint64_t h = hash_screen();
        if (h != last)
            since = now_ms(), last = h;
    }
}

static void button(int x, int y, bool down)
{
    XTestFakeMotionEvent(dpy, -1, x, y, CurrentTime);
    XTestFakeButtonEvent(dpy, 1, down, CurrentTime);
    XFlush(dpy);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(const double *v, int n, double p)
{
    int i = (int)(p * (n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

/* the widget's pixels as a poll sees them: three full-width rows of it (a quarter,
 * half and three quarters down), which the pressed background crosses; polling its
 * whole area would load the X server enough to delay the kiosk's own drawing */
static uint64_t hash_widget(int x, int y, int w, int h)
{
    uint64_t v = 0;
    for (int i = 1; i <= 3; i++)
        v = v * 31 + hash_rect(x, y + h * i / 4, w, 1);
    return v;
}

static int press(const char *name, int x, int y, int w, int h, int n)
{
    static double v[MAX_PRESSES];
    int cx = x + w / 2, cy = y + h / 2;
    /* sideways off the widget, or far enough to start a drag when it is full width */
    int ox = x >= 40 ? x - 20 : x + w + 20 < scr_w ? x + w + 20 : cx > scr_w / 2 ? cx - 300 : cx + 300;
    for (int i = 0; i < n; i++) {
        XTestFakeMotionEvent(dpy, -1, cx, cy, CurrentTime);
        XSync(dpy, False);
        sleep_ms(50 + rand() % 50); /* no phase lock with anything */
        uint64_t before = hash_widget(x, y, w, h);
        double t0 = now_ms();
        XTestFakeButtonEvent(dpy, 1, True, CurrentTime);
        XFlush(dpy);
        double t;
        while (hash_widget(x, y, w, h) == before) {
            sleep_ms(0.25); /* the kiosk shares the cores with this poll */
            if (now_ms() - t0 > 2000) {
                fprintf(stderr, "tap_poll: %s: press %d at %d,%d showed nothing in 2 s\n", name, i + 1, cx, cy);
                return -1;
            }
        }
        t = now_ms() - t0;
        v[i] = t;
        printf("press %s %.2f\n", name, t);
        fflush(stdout);
        XTestFakeMotionEvent(dpy, -1, ox, cy, CurrentTime);
        XFlush(dpy);
        sleep_ms(30);
        XTestFakeButtonEvent(dpy, 1, False, CurrentTime);
        XFlush(dpy);
        double t1 = now_ms();
        while (hash_widget(x, y, w, h) != before) {
            if (now_ms() - t1 > 2000) {
                fprintf(stderr, "tap_poll: %s: the widget did not come back after press %d\n", name, i + 1);
                return -1;
            }
            sleep_ms(2);
        }
    }
    qsort(v, (size_t)n, sizeof *v, cmp);
    printf("summary %s n %d median %.2f p95 %.2f p99 %.2f max %.2f\n", name, n, pct(v, n, 0.5),
           pct(v, n, 0.95), pct(v, n, 0.99), v[n - 1]);
    fflush(stdout);
    return 0;
}

int main(void)
{
    dpy = XOpenDisplay(NULL);
    if (!dpy) {
        fprintf(stderr, "tap_poll: cannot open display \"%s\"\n", getenv("DISPLAY") ? getenv("DISPLAY") : "");
        return 2;
    }
    int ev, er, maj, min;
    if (!XTestQueryExtension(dpy, &ev, &er, &maj, &min)) {
        fprintf(stderr, "tap_poll: the X server has no XTest extension\n");
        return 2;
    }
    root = DefaultRootWindow(dpy);
    scr_w = DisplayWidth(dpy, DefaultScreen(dpy));
    scr_h = DisplayHeight(dpy, DefaultScreen(dpy));
    srand(1);
    char line[512], name[128];
    int rc = 0, lineno = 0;
    while (rc == 0 && fgets(line, sizeof line, stdin)) {
        int x, y, w, h, n;
        lineno++;
        if (sscanf(line, "tap %127s %d %d", name, &x, &y) == 3) {
            button(x, y, true);
            sleep_ms(60);
            button(x, y, false);
            printf("tap %s -\n", name);
            fflush(stdout);
            settle();
        } else if (sscanf(line, "press %127s %d %d %d %d %d", name, &x, &y, &w, &h, &n) == 6) {
            if (w < 1 || h < 1 || x < 0 || y < 0 || x + w > scr_w || y + h > scr_h || n < 1 ||
                n > MAX_PRESSES) {
                fprintf(stderr, "stdin:%d: press: %s is off the %dx%d screen or N is not 1..%d\n",
                        lineno, name, scr_w, scr_h, MAX_PRESSES);
                rc = 2;
            } else if (press(name, x, y, w, h, n) < 0) {
                rc = 1;
            }
        } else if (line[0] != '\n' && line[0] != '#') {
            fprintf(stderr, "stdin:%d: expected \"tap NAME X Y\" or \"press NAME X Y W H N\"\n", lineno);
            rc = 2;
        }
    }
    XCloseDisplay(dpy);
    return rc;
}
