/* main.c - the kiosk program: arguments, config, wiring; nothing else. */
#include "core/config.h"
#include "core/state.h"
#include "core/store.h"
#include "base/util.h"
#include "screens/app.h"
#include "screens/present.h"
#include "screens/script.h"
#include "screens/window.h"
#include "ui/ui.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#ifndef KIOSK_VERSION
#define KIOSK_VERSION "0.0.0"
#endif

static const char usage[] =
    "usage: kiosk [OPTIONS]\n"
    "  --config PATH     INI configuration (keys in README.md)\n"
    "  --content PATH    content database, relative to the current directory\n"
    "                    (default: content.db here, else beside the program)\n"
    "  --state PATH      state database, relative to the current directory\n"
    "                    (default: state.db here, else beside the program)\n"
    "  --fullscreen      fill the screen (on the kiosk board)\n"
    "  --size WxH        logical screen size for --headless (default 1080x1920)\n"
    "  --headless        run on SDL's offscreen video driver (with --script or --tour)\n"
    "  --script FILE     replay a script (one step per line), then exit\n"
    "  --out DIR         where --script writes shots and trees (default: out)\n"
    "  --tour DIR        run the built-in tour of every screen, writing PNGs and trees to DIR\n"
    "  --list-screens    print the screen registry (name, in the tour, overlay)\n"
    "  --version         print the version\n"
    "  --help            this text\n";

static char exe_dir[PATH_MAX];

/* KIOSK_BENCH=1 makes the kiosk report, on stderr, when its first frame reached the
 * screen and, at exit, its memory: the figures tests/bench quotes. */
static void report_memory(void)
{
    FILE *f = fopen("/proc/self/smaps_rollup", "r");
    char line[256];
    long rss = -1, pss = -1;
    if (!f)
        return;
    while (fgets(line, sizeof line, f)) {
        sscanf(line, "Rss: %ld kB", &rss);
        sscanf(line, "Pss: %ld kB", &pss);
    }
    fclose(f);
    fprintf(stderr, "kiosk: memory rss %ld kB pss %ld kB\n", rss, pss);
}

/* KIOSK_BENCH=1: when start-up reached STAGE, in CLOCK_MONOTONIC ms (the clock the
 * first-frame line and tests/bench/bench_startup.sh use), with the CPU time so far. */
static void bench_mark(const char *stage)
{
    if (!getenv("KIOSK_BENCH"))
        return;
    struct timespec ts, cpu;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
    fprintf(stderr, "kiosk: start-up: %s at %.1f ms (monotonic), cpu %.1f ms\n", stage,
            ts.tv_sec * 1e3 + ts.tv_nsec / 1e6, cpu.tv_sec * 1e3 + cpu.tv_nsec / 1e6);
}

static void find_exe_dir(void)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) {
        snprintf(exe_dir, sizeof exe_dir, ".");
        return;
    }
    buf[n] = '\0';
    snprintf(exe_dir, sizeof exe_dir, "%s", dirname(buf));
}

static bool exists(const char *p)
{
    return access(p, F_OK) == 0;
}

/* A default nobody chose (PATH is still DEFAULT_NAME) that does not exist here is
 * looked for beside the program (the build tree), so `./build/kiosk` works from
 * anywhere. A path given on the command line or in the config is never replaced: it
 * means what it says, and one that cannot be used is an error (README.md). An
 * installed kiosk (one with ../share/hallkiosk beside it) keeps its defaults relative
 * to its working directory (/var/lib/hallkiosk under kiosk.service): never
 * /usr/bin/state.db. */
static bool installed;

static void resolve(char **path, const char *default_name, const char *rel_to_exe)
{
    if (strcmp(*path, default_name) != 0 || exists(*path) || installed)
        return;
    char *p = xasprintf("%s/%s", exe_dir, rel_to_exe);
    free(*path);
    *path = p;
}

/* KEY set to a path from the command line, relative ones written "./PATH". */
static int set_path(struct kiosk_config *cfg, const char *key, const char *value, char *err, size_t errlen)
{
    if (!*value) {
        snprintf(err, errlen, "an empty path");
        return -EINVAL;
    }
    char *v = value[0] == '/' ? xstrdup(value) : xasprintf("./%s", value);
    int r = config_set(cfg, "kiosk", key, v, err, errlen);
    free(v);
    return r;
}

/* Where cmake --install put the fonts and IME data (cmake/install.cmake):
 * ../share/hallkiosk beside the program, whatever the install prefix, else the
 * compiled-in PREFIX/share/hallkiosk. Owned by the caller. */
static char *installed_data_dir(void)
{
    char *p = xasprintf("%s/../share/hallkiosk", exe_dir);
    installed = exists(p);
    if (installed)
        return p;
    free(p);
    return xstrdup(KIOSK_DATADIR);
}

static char *font_file(const char *dir, const char *const *names)
{
    for (; *names; names++) {
        char *p = xasprintf("%s/%s", dir, *names);
        if (exists(p))
            return p;
        free(p);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, 0, 'c'}, {"content", required_argument, 0, 'C'},
        {"state", required_argument, 0, 'S'},  {"fullscreen", no_argument, 0, 'f'},
        {"size", required_argument, 0, 'z'},   {"headless", no_argument, 0, 'H'},
        {"script", required_argument, 0, 's'}, {"out", required_argument, 0, 'o'},
        {"tour", required_argument, 0, 't'},   {"version", no_argument, 0, 'V'},
        {"help", no_argument, 0, 'h'},         {"list-screens", no_argument, 0, 'L'},
        {0, 0, 0, 0}};
    const char *config = NULL, *content = NULL, *statep = NULL, *script = NULL;
    const char *out = "out", *tour = NULL, *size = NULL;
    bool fullscreen = false, headless = false;
    int c;
    bench_mark("main");
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'c': config = optarg; break;
        case 'C': content = optarg; break;
        case 'S': statep = optarg; break;
        case 'f': fullscreen = true; break;
        case 'z': size = optarg; break;
        case 'H': headless = true; break;
        case 's': script = optarg; break;
        case 'o': out = optarg; break;
        case 't': tour = optarg; break;
        case 'V': printf("kiosk %s\n", KIOSK_VERSION); return 0;
        case 'h': fputs(usage, stdout); return 0;
        case 'L':
            /* the registry, for tests: NAME, then "tour" when it is in the tour and
             * "overlay" when it is a dialog */
            for (int i = 0; i < app_screen_count(); i++)
                printf("%s%s%s\n", app_screen_at(i)->name, app_screen_at(i)->tour ? "\ttour" : "",
                       app_screen_at(i)->overlay ? "\toverlay" : "");
            return 0;
        default: fputs(usage, stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "kiosk: unexpected argument \"%s\"\n%s", argv[optind], usage);
        return 2;
    }
    find_exe_dir();
    /* no core dump of a process that holds what visitors type (kiosk.service also
     * sets LimitCORE=0); not dumpable also keeps other processes of the kiosk's user
     * from reading its memory */
    setrlimit(RLIMIT_CORE, &(struct rlimit){0, 0});
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

    struct kiosk_config cfg;
    char err[512];
    config_defaults(&cfg);
    int rc = 1;
    store *st = NULL;
    state *ss = NULL;
    ui *u = NULL;
    app *a = NULL;
    SDL_Window *win = NULL;
    present *pres = NULL;
    char *font_reg = NULL, *font_bold = NULL, *ime_dir = NULL, *data_dir = NULL;

    if (config && config_load(&cfg, config, err, sizeof err) < 0) {
        fprintf(stderr, "kiosk: %s\n", err);
        rc = 2;
        goto out;
    }
    /* the command line's paths are relative to the current directory, as given
     * ("./" keeps a bare "state.db" from reading as the default) */
    if (content && set_path(&cfg, "content_db", content, err, sizeof err) < 0) {
        fprintf(stderr, "kiosk: --content: %s\n", err);
        rc = 2;
        goto out;
    }
    if (statep && set_path(&cfg, "state_db", statep, err, sizeof err) < 0) {
        fprintf(stderr, "kiosk: --state: %s\n", err);
        rc = 2;
        goto out;
    }
    if (size) {
        int w, h;
        if (sscanf(size, "%dx%d", &w, &h) != 2 || w < 240 || h < 240 || w > 8192 || h > 8192) {
            fprintf(stderr, "kiosk: --size: expected WxH such as 1080x1920, got \"%s\"\n", size);
            rc = 2;
            goto out;
        }
        cfg.width = w;
        cfg.height = h;
    }
    data_dir = installed_data_dir();
    resolve(&cfg.content_db, "content.db", "content.db");
    resolve(&cfg.state_db, "state.db", "state.db");
    resolve(&cfg.font_dir, "fonts", "../fonts");
    /* installed (cmake --install, the hallkiosk package): PREFIX/share/hallkiosk,
     * looked for before the source tree so an installed kiosk never uses a checkout */
    char *installed_fonts = xasprintf("%s/fonts", data_dir);
    if (!exists(cfg.font_dir) && exists(installed_fonts))
        config_set(&cfg, "kiosk", "font_dir", installed_fonts, err, sizeof err);
    /* a build tree outside the source tree: the fonts are where the source is */
    if (!exists(cfg.font_dir) && exists(KIOSK_SOURCE_FONTS))
        config_set(&cfg, "kiosk", "font_dir", KIOSK_SOURCE_FONTS, err, sizeof err);
    if (!exists(cfg.font_dir)) /* the error below names where an install puts them */
        config_set(&cfg, "kiosk", "font_dir", installed_fonts, err, sizeof err);
    free(installed_fonts);
    if (!cfg.seal_public_key[0]) {
        /* the demo: the build makes a key pair beside the program (demo-keys/); a
         * real kiosk's config names the central office's key */
        char *demo = xasprintf("%s/demo-keys/seal.pub", exe_dir);
        if (exists(demo))
            config_set(&cfg, "kiosk", "seal_public_key", demo, err, sizeof err);
        free(demo);
    }

    bench_mark("config");
    /* SDL's window surface, updated by rectangles: far cheaper than the software
     * OpenGL path on a board without a GPU (docs/architecture.md, "Software rendering") */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "1");
    if (script || tour)
        headless = true;
    if (headless) {
        SDL_setenv("SDL_VIDEODRIVER", "offscreen", 1);
        SDL_setenv("SDL_AUDIODRIVER", "dummy", 0); /* read-aloud is heard through nothing */
    }
    /* X11: SDL opens an X input method, which reads the locale's table of compose
     * sequences (thousands of lines, half of SDL_Init's time). Text comes from the
     * kiosk's own keyboard, never a physical one's dead keys: an empty table
     * (Compose(5)); an XCOMPOSEFILE of the environment still decides. */
    SDL_setenv("XCOMPOSEFILE", "/dev/null", 0);
    /* No session bus (kiosk.service is a system service): libdbus would "autolaunch" one
     * for SDL_Init, forking the whole kiosk to run dbus-launch (which, where installed,
     * starts a bus nobody uses), and after the fork every page the kiosk writes is first
     * copied. SDL needs no bus: the screen saver is held off through X. A bus of the
     * environment (a user session) is still used. */
    SDL_setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:", 0);
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        if (headless) {
            fprintf(stderr, "kiosk: SDL_Init: %s\n", SDL_GetError());
            goto out;
        }
        /* no display: say so, and show what the kiosk looks like instead */
        tour = "kiosk-tour";
        fprintf(stderr, "kiosk: no display available (%s); writing the tour to %s/ instead\n",
                SDL_GetError(), tour);
        headless = true;
        SDL_setenv("SDL_VIDEODRIVER", "offscreen", 1);
        SDL_setenv("SDL_AUDIODRIVER", "dummy", 0);
        if (SDL_Init(SDL_INIT_VIDEO) != 0) {
            fprintf(stderr, "kiosk: SDL_Init (offscreen): %s\n", SDL_GetError());
            goto out;
        }
    }
    if (!headless) {
        /* with no display SDL falls back to its offscreen driver: say so, and show
         * what the kiosk looks like instead */
        const char *drv = SDL_GetCurrentVideoDriver();
        if (drv && (strcmp(drv, "offscreen") == 0 || strcmp(drv, "dummy") == 0)) {
            tour = "kiosk-tour";
            headless = true;
            fprintf(stderr, "kiosk: no display available; writing the tour to %s/ instead\n", tour);
        }
    }
    if (!headless) {
        /* SDL's wayland and kmsdrm drivers have no window surface of their own: SDL
         * makes one as a texture through a renderer, which the "0" above forbids. There,
         * the window surface goes through GLES2 (llvmpipe on a board without a GPU, on
         * wl_shm under cage; docs/display.md). SDL_FRAMEBUFFER_ACCELERATION in the
         * environment still decides. */
        const char *drv = SDL_GetCurrentVideoDriver();
        if (drv && (strcmp(drv, "wayland") == 0 || strcmp(drv, "kmsdrm") == 0))
            SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "opengles2");
    }
    bench_mark("SDL_Init");

    /* the window has the panel's size: width and height swapped on a turned panel */
    int w, h;
    present_logical_size(cfg.rotation, cfg.width, cfg.height, &w, &h);
    win = window_open(w, h, fullscreen, headless, err, sizeof err);
    if (!win) {
        fprintf(stderr, "kiosk: %s\n", err);
        goto out;
    }
    if (!headless)
        SDL_ShowCursor(fullscreen ? SDL_DISABLE : SDL_ENABLE);
    if (present_open(win, cfg.rotation, &pres, err, sizeof err) < 0) {
        fprintf(stderr, "kiosk: %s\n", err);
        goto out;
    }
    SDL_Surface *surf = present_target(pres);
    /* the X server takes its first picture while the fonts load and the home screen is
     * laid out (present.h) */
    present_warm(pres);
    bench_mark("window");

    /* content (1 MiB of pages), search (4 MiB), state (512 KiB), schemas and
     * statements: past this SQLite recycles pages rather than grow (docs/architecture.md).
     * Opened once the window is, so that the X server's first picture runs meanwhile. */
    store_sqlite_limit((size_t)8 << 20);
    if (store_open(cfg.content_db, &st, err, sizeof err) < 0) {
        fprintf(stderr, "kiosk: %s\n", err);
        goto out;
    }
    if (state_open(cfg.state_db, &ss, err, sizeof err) < 0) {
        fprintf(stderr, "kiosk: %s\n", err);
        goto out;
    }

    bench_mark("databases");

    static const char *const reg_names[] = {"HallKioskSans-Regular.otf", "NotoSansSC-Regular-subset.otf", NULL};
    static const char *const bold_names[] = {"HallKioskSans-Bold.otf", "NotoSansSC-Bold-subset.otf", NULL};
    font_reg = font_file(cfg.font_dir, reg_names);
    font_bold = font_file(cfg.font_dir, bold_names);
    if (!font_reg || !font_bold) {
        fprintf(stderr, "kiosk: %s: the kiosk's fonts are missing\n", cfg.font_dir);
        goto out;
    }
    struct ui_options uo = {
        .font_regular = font_reg,
        .font_bold = font_bold,
        .fallback = {"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                     "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", NULL},
        /* face 2 of the Noto CJK collection is Simplified Chinese (fonts/README.md) */
        .fallback_face = {2, 0, 0},
        .panel_w_mm = cfg.panel_width_mm,
        .panel_h_mm = cfg.panel_height_mm,
    };
    u = ui_create(surf, &uo, err, sizeof err);
    if (!u) {
        fprintf(stderr, "kiosk: %s\n", err);
        goto out;
    }
    bench_mark("fonts");
    ime_dir = xasprintf("%s/ime", exe_dir);
    if (!exists(ime_dir)) {
        free(ime_dir);
        ime_dir = xasprintf("%s/ime", data_dir);
    }
    struct app_options ao = {&cfg, st, ss, u, headless, fullscreen, ime_dir, exe_dir, config, &uo};
    a = app_create(&ao);
    st = NULL; /* the app owns the content store now */
    bench_mark("app");
    struct script_env env = {pres, tour ? tour : out};
    if (tour)
        rc = script_run_tour(a, &env);
    else if (script)
        rc = script_run_file(a, &env, script);
    else
        rc = app_run(a, pres);

out:
    if (getenv("KIOSK_BENCH"))
        report_memory();
    app_destroy(a);
    free(ime_dir);
    free(data_dir);
    ui_destroy(u);
    present_close(pres);
    if (win)
        SDL_DestroyWindow(win);
    if (TTF_WasInit())
        TTF_Quit();
    SDL_Quit();
    free(font_reg);
    free(font_bold);
    state_close(ss);
    store_close(st);
    config_free(&cfg);
    return rc;
}
