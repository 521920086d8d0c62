/* bench_ui.c CONTENT_DB CATEGORY_ID LONG_GUIDE_ID - frame times of the UI on the
 * software renderer at 1080x1920 (SDL's offscreen driver: the cost of our drawing,
 * without the display's), printed as figures, never judged:
 *   - flinging the service list of CATEGORY_ID (20,000 items in the bench content),
 *   - scrolling the guide LONG_GUIDE_ID by finger,
 *   - opening a guide (push + first frame), over every guide in the content,
 *   - opening the longest guide and the longest document (LONG_DOC_ID) many times,
 *     cold (the text cache emptied before each open) and warm, in wall and CPU time.
 * BENCH_UI_OPEN_ONLY=1 runs only the last; BENCH_UI_OPENS is how many opens (50).
 * Run by tests/bench/bench_ui.sh, by hand. */
#include "base/util.h"
#include "screens/app.h"
#include "ui/ui.h"

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *what, double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    printf("%-44s n=%-5d median %6.2f ms  p99 %6.2f ms  max %6.2f ms\n", what, n, v[n / 2],
           v[(int)(n * 0.99)], v[n - 1]);
}

static double cpu_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static uint64_t vt = 1000;

/* one frame at virtual time T; returns the real time it took */
static double frame(app *a, uint64_t t)
{
    app_set_virtual_time(a, t);
    double t0 = now_ms();
    app_step(a);
    return now_ms() - t0;
}

/* one fling: a fast 720 px drag in DIR (1: content up), released, then frames at
 * 60 Hz until it stops; each frame's time goes to OUT. Returns how many. */
static int fling(app *a, ui *u, int dir, double *out)
{
    int n = 0, y0 = dir > 0 ? 1500 : 500;
    app_pointer(a, 0, 540, y0);
    for (int i = 1; i <= 6; i++) {
        vt += 16;
        app_set_virtual_time(a, vt);
        app_pointer(a, 1, 540, y0 - dir * i * 120);
        out[n++] = frame(a, vt);
    }
    app_pointer(a, 2, 540, y0 - dir * 720);
    for (int i = 0; i < 400 && ui_animating(u); i++)
        out[n++] = frame(a, vt += 16);
    return n;
}

/* opens OPS with ARG N times, each the push and its first frame, then home: cold
 * empties the text cache first (ui_wipe), warm does not */
static void bench_open(app *a, ui *u, const struct screen_ops *ops, const char *arg, const char *what, int n)
{
    static double wall[10000], cpu[10000];
    n = n < 1 ? 1 : n > 10000 ? 10000 : n;
    for (int cold = 1; cold >= 0; cold--) {
        app_push(a, ops, arg); /* once unmeasured: the store's pages and the fonts' glyphs */
        frame(a, vt += 16);
        app_home(a);
        frame(a, vt += 16);
        for (int i = 0; i < n; i++) {
            if (cold)
                ui_wipe(u);
            double t0 = now_ms(), c0 = cpu_ms();
            app_push(a, ops, arg);
            frame(a, vt += 16);
            wall[i] = now_ms() - t0;
            cpu[i] = cpu_ms() - c0;
            app_home(a);
            frame(a, vt += 16);
        }
        char label[96];
        snprintf(label, sizeof label, "open %s, %s (wall)", what, cold ? "cold" : "warm");
        report(label, wall, n);
        snprintf(label, sizeof label, "open %s, %s (CPU)", what, cold ? "cold" : "warm");
        report(label, cpu, n);
    }
}

int main(int argc, char **argv)
{
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: bench_ui CONTENT_DB CATEGORY_ID LONG_GUIDE_ID [LONG_DOC_ID]\n");
        return 2;
    }
    SDL_setenv("SDL_VIDEODRIVER", "offscreen", 1);
    if (SDL_Init(SDL_INIT_VIDEO) != 0)
        return 1;
    SDL_Window *win = SDL_CreateWindow("bench", 0, 0, 1080, 1920, SDL_WINDOW_HIDDEN);
    SDL_Surface *surf = SDL_GetWindowSurface(win);
    struct kiosk_config cfg;
    config_defaults(&cfg);
    char err[256];
    store *st = NULL;
    state *ss = NULL;
    if (store_open(argv[1], &st, err, sizeof err) < 0 || state_open("/tmp/bench_ui_state.db", &ss, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    struct ui_options uo = {"fonts/NotoSansSC-Regular-subset.otf", "fonts/NotoSansSC-Bold-subset.otf",
                            {"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", NULL}, {2, 0, 0},
                            cfg.panel_width_mm, cfg.panel_height_mm};
    ui *u = ui_create(surf, &uo, err, sizeof err);
    if (!u) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    struct app_options ao = {&cfg, st, ss, u, true, false, NULL, NULL, NULL, NULL};
    app *a = app_create(&ao);
    frame(a, vt);

    if (getenv("BENCH_UI_OPEN_ONLY")) {
        int opens = getenv("BENCH_UI_OPENS") ? atoi(getenv("BENCH_UI_OPENS")) : 50;
        bench_open(a, u, &screen_guide, argv[3], "the longest guide", opens);
        if (argc == 5)
            bench_open(a, u, &screen_doc, argv[4], "the longest document", opens);
        goto done;
    }

    /* fling the 20,000-item list: each fling is a fast drag released, then frames at
     * 60 Hz until it stops; 40 flings, alternately down and up */
    app_push(a, &screen_services, argv[2]);
    frame(a, vt += 16);
    static double ft[200000];
    int n = 0;
    for (int f = 0; f < 40; f++)
        n += fling(a, u, f % 4 < 3 ? 1 : -1, ft + n);
    report("fling a 20,000-item list (frame)", ft, n);
    app_home(a);
    frame(a, vt += 16);

    /* scroll the longest guide by finger, 8 px a frame, down and back */
    app_push(a, &screen_guide, argv[3]);
    frame(a, vt += 16);
    n = 0;
    for (int pass = 0; pass < 2; pass++) {
        int y = pass ? 300 : 1600;
        app_pointer(a, 0, 540, y);
        for (int i = 0; i < 160; i++) {
            y += pass ? 8 : -8;
            vt += 16;
            app_set_virtual_time(a, vt);
            app_pointer(a, 1, 540, y);
            ft[n++] = frame(a, vt);
        }
        vt += 300;
        app_set_virtual_time(a, vt);
        app_pointer(a, 2, 540, y);
        frame(a, vt);
    }
    report("scroll the longest guide by finger (frame)", ft, n);
    app_home(a);
    frame(a, vt += 16);

    if (argc == 5) {
        /* the reader on the longest body: finger scroll, then flings to the end and back */
        double t0 = now_ms();
        app_push(a, &screen_doc, argv[4]);
        frame(a, vt += 16);
        printf("%-44s %.2f ms\n", "open the longest document (enter + frame)", now_ms() - t0);
        n = 0;
        int y = 1600;
        app_pointer(a, 0, 540, y);
        for (int i = 0; i < 160; i++) {
            y -= 8;
            vt += 16;
            app_set_virtual_time(a, vt);
            app_pointer(a, 1, 540, y);
            ft[n++] = frame(a, vt);
        }
        app_pointer(a, 2, 540, y);
        for (int f = 0; f < 30; f++)
            n += fling(a, u, f < 20 ? 1 : -1, ft + n);
        report("scroll and fling the longest document (frame)", ft, n);
        app_home(a);
        frame(a, vt += 16);
    }

    /* open every guide: push (loads it from the store) + its first frame */
    struct category_list cats;
    n = 0;
    if (store_categories(st, "life_event", &cats) == 0) {
        for (int c = 0; c < cats.n && n < 2000; c++) {
            struct service_row rows[64];
            int got = 0;
            store_services_page(st, cats.items[c].id, 0, 64, rows, &got);
            for (int i = 0; i < got; i++) {
                double t0 = now_ms();
                app_push(a, &screen_guide, rows[i].id);
                frame(a, vt += 16);
                ft[n++] = now_ms() - t0;
                app_home(a);
                frame(a, vt += 16);
                service_row_free(&rows[i]);
            }
        }
        category_list_free(&cats);
    }
    report("open a guide (enter + first frame)", ft, n);
    bench_open(a, u, &screen_guide, argv[3], "the longest guide", 50);
    if (argc == 5)
        bench_open(a, u, &screen_doc, argv[4], "the longest document", 50);
done:;
    struct ui_stats us;
    ui_stats(u, &us);
    printf("text cache: %d entries, %zu KiB, %llu hits, %llu misses\n", us.text_entries, us.text_bytes / 1024,
           (unsigned long long)us.text_hits, (unsigned long long)us.text_misses);
    app_destroy(a);
    ui_destroy(u);
    SDL_DestroyWindow(win);
    SDL_Quit();
    state_close(ss);
    config_free(&cfg);
    return 0;
}
