/* startup_poll.c - start-up as seen from outside the kiosk: starts a program, then
 * polls the X root window's pixels until the program's first complete frame is on
 * screen. Run by tests/bench/bench_startup.sh, never by ctest.
 *
 *   startup_poll SETTLE_MS -- PROGRAM ARGS...
 *
 * Reads DISPLAY. Samples ROWS full-width rows of the root window spread over its
 * lower three quarters (below the title bar's clock and the notice ticker, the only
 * parts that change by themselves), hashing each poll's pixels, until they have
 * changed and then stayed the same for SETTLE_MS (at most 30 s after the exec); then
 * stops the program (SIGTERM). The first complete frame is the first poll from which
 * the pixels stay as they are at the end. Prints, on one line:
 *   t0 MONOTONIC_MS frame MS polls N cpu MS
 * t0 is taken just before fork+exec, frame is after t0, and cpu is the program's
 * user+system time at exit (getrusage), all in ms. Exit status 1 when the pixels never
 * settled or the program could not start. */
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ROWS 16
#define MAX_POLLS 200000

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static uint64_t hash_rows(Display *d, Window root, int w, int h)
{
    uint64_t x = 1469598103934665603ULL;
    for (int i = 0; i < ROWS; i++) {
        int y = h / 4 + (h * 3 / 4 - 1) * i / (ROWS - 1);
        XImage *im = XGetImage(d, root, 0, y, (unsigned)w, 1, AllPlanes, ZPixmap);
        if (!im)
            return 0;
        for (int px = 0; px < w; px++) {
            x ^= XGetPixel(im, px, 0) & 0xffffff;
            x *= 1099511628211ULL;
        }
        XDestroyImage(im);
    }
    return x;
}

int main(int argc, char **argv)
{
    if (argc < 4 || strcmp(argv[2], "--") != 0) {
        fprintf(stderr, "usage: startup_poll SETTLE_MS -- PROGRAM ARGS...\n");
        return 2;
    }
    char *end;
    long settle = strtol(argv[1], &end, 10);
    if (*end || settle < 100 || settle > 10000) {
        fprintf(stderr, "startup_poll: SETTLE_MS: expected 100..10000, got \"%s\"\n", argv[1]);
        return 2;
    }
    Display *d = XOpenDisplay(NULL);
    if (!d) {
        fprintf(stderr, "startup_poll: cannot open display \"%s\"\n", getenv("DISPLAY") ? getenv("DISPLAY") : "");
        return 2;
    }
    Window root = DefaultRootWindow(d);
    int w = DisplayWidth(d, DefaultScreen(d)), h = DisplayHeight(d, DefaultScreen(d));
    static double t[MAX_POLLS];
    static uint64_t hs[MAX_POLLS];

    double t0 = now_ms();
    pid_t pid = fork();
    if (pid < 0)
        return 1;
    if (pid == 0) {
        execvp(argv[3], argv + 3);
        _exit(127);
    }
    int n = 0;
    double changed = -1; /* when the pixels last changed, once they have */
    while (n < MAX_POLLS) {
        uint64_t hv = hash_rows(d, root, w, h);
        double tn = now_ms();
        t[n] = tn - t0;
        hs[n] = hv;
        if (n > 0 && hv != hs[n - 1])
            changed = t[n];
        n++;
        if ((changed >= 0 && t[n - 1] - changed > settle) || t[n - 1] > 30000)
            break;
        if (waitpid(pid, NULL, WNOHANG) == pid) {
            fprintf(stderr, "startup_poll: %s ended before SETTLE_MS\n", argv[3]);
            return 1;
        }
    }
    kill(pid, SIGTERM);
    int status;
    struct rusage ru;
    wait4(pid, &status, 0, &ru);
    int first = n - 1;
    while (first > 0 && hs[first - 1] == hs[n - 1])
        first--;
    double cpu = ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3 + ru.ru_stime.tv_sec * 1e3 +
                 ru.ru_stime.tv_usec / 1e3;
    XCloseDisplay(d);
    if (first == 0 || hs[n - 1] == hs[0]) { /* nothing was drawn */
        printf("t0 %.1f frame - polls %d cpu %.1f\n", t0, n, cpu);
        return 1;
    }
    printf("t0 %.1f frame %.1f polls %d cpu %.1f\n", t0, t[first], n, cpu);
    return 0;
}
