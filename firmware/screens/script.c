/* script.c - see script.h. Time is virtual: `wait` advances it and runs whatever
 * would have happened (ticks, flings, the idle timer) at frame granularity, so a
 * script of minutes runs in a moment and gives the same frames every time. */
#include "script_internal.h"
#include "present.h"
#include "kbd.h"
#include "monkey.h"
#include "soak.h"
#include "core/ime.h"
#include "speak.h"
#include "base/fileio.h"
#include "base/job.h"
#include "base/util.h"
#include "ui/pngio.h"

#include <SDL.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SCRIPT_MAX_BYTES (1024 * 1024)
#define SETTLE_MAX_MS 20000


uint64_t sr_vnow(struct run *r)
{
    return app_now_ms(r->a);
}

void sr_advance(struct run *r, uint64_t ms)
{
    app_set_virtual_time(r->a, sr_vnow(r) + ms);
}

/* Steps the app until nothing is left to draw or animate, at frame rate. */
void sr_settle(struct run *r)
{
    uint64_t end = sr_vnow(r) + SETTLE_MAX_MS;
    app_step(r->a);
    while (sr_vnow(r) < end) {
        int w = app_next_wakeup(r->a);
        if (w != 0 && !ui_animating(app_ui(r->a)))
            break;
        sr_advance(r, w > 0 ? (uint64_t)w : 1);
        app_step(r->a);
    }
}

void sr_wait_ms(struct run *r, uint64_t ms)
{
    uint64_t end = sr_vnow(r) + ms;
    app_step(r->a);
    for (;;) {
        int w = app_next_wakeup(r->a);
        if (w < 0 || sr_vnow(r) + (uint64_t)MAX(w, 1) > end)
            break;
        sr_advance(r, (uint64_t)MAX(w, 1));
        app_step(r->a);
    }
    app_set_virtual_time(r->a, end);
    app_step(r->a);
}

int sr_fail(struct run *r, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s:%d: ", r->name, r->line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (screen %s)\n", app_screen_name(r->a));
    return -1;
}

/* ---- argument parsing ---------------------------------------------------------------- */

/* Parses one argument at *p: "quoted \"text\"" or a bare word. */
static char *arg(const char **p)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s)
        return NULL;
    strbuf sb = {0};
    if (*s == '"') {
        s++;
        while (*s && *s != '"') {
            if (*s == '\\' && s[1])
                s++;
            strbuf_addc(&sb, *s++);
        }
        if (*s != '"') {
            strbuf_release(&sb);
            return NULL;
        }
        s++;
    } else {
        while (*s && *s != ' ' && *s != '\t')
            strbuf_addc(&sb, *s++);
    }
    *p = s;
    return strbuf_detach(&sb);
}

/* ---- steps ---------------------------------------------------------------------------------- */

static int parse_time(const char *s, time_t *ret)
{
    struct tm tm = {0};
    const char *end = strptime(s, "%Y-%m-%dT%H:%M", &tm);
    if (!end || *end)
        return -EINVAL;
    tm.tm_isdst = -1;
    *ret = mktime(&tm);
    return 0;
}

/* W x H is the logical size: the window takes the panel's (present.h) */
static int set_size(struct run *r, int w, int h, char *err, size_t errlen)
{
    if (present_set_logical_size(r->env->present, w, h, err, errlen) < 0)
        return -1;
    app_set_target(r->a, present_target(r->env->present));
    sr_settle(r);
    return 0;
}

/* Real time passes (jobs are real processes): steps the app every 20 ms, moving
 * the virtual clock on by as much, until job NAME is no longer running or SECONDS
 * have passed. Frames, taps and timers go on meanwhile, as on a kiosk. */
static int wait_job(struct run *r, const char *name, double seconds)
{
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        if (app_job(r->a, name)->state != JOB_RUNNING)
            break;
        clock_gettime(CLOCK_MONOTONIC, &t);
        if ((t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9 > seconds)
            return sr_fail(r, "wait-job %s: still running after %g s", name, seconds);
        usleep(20 * 1000);
        sr_advance(r, 20);
        app_step(r->a);
    }
    sr_settle(r);
    return 0;
}

/* Real time passes (a device answers in real time: the ID card reader simulator):
 * steps the app every 20 ms, moving the virtual clock on by as much, until TEXT (as
 * `expect` finds it) is on screen - or, with GONE, is not - or SECONDS have passed.
 * TEXT NULL: just let SECONDS pass. */
static int wait_for(struct run *r, const char *text, bool gone, double seconds)
{
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        sr_settle(r);
        if (text && (sr_find(r, text, false, false) != NULL) != gone)
            return 0;
        clock_gettime(CLOCK_MONOTONIC, &t);
        if ((t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9 > seconds)
            return !text ? 0 : sr_fail(r, "%s \"%s\": %s after %g s", gone ? "wait-gone" : "wait-for", text,
                           gone ? "still on screen" : "not on screen", seconds);
        usleep(20 * 1000);
        sr_advance(r, 20);
        app_step(r->a);
    }
}

/* The kiosk's children that have ended but were not reaped (zombies), after giving
 * running jobs up to 10 s (real time) to end and be reaped. */
static int count_zombies(struct run *r)
{
    for (int i = 0; i < 500 && app_jobs_running(r->a); i++) {
        usleep(20 * 1000);
        sr_advance(r, 20);
        app_step(r->a);
    }
    return job_count_zombies();
}

/* steps of other modules (monkey.h, soak.h) run script lines through this */
static int step(struct run *r, const char *line);
static int hook_line(void *r, const char *line)
{
    return step(r, line) < 0 ? -1 : 0;
}

static int step(struct run *r, const char *line)
{
    const char *p = line;
    char *cmd = arg(&p), *a1 = NULL, *a2 = NULL;
    char msg[256];
    int rc = 0;
    if (!cmd)
        return 0;
    a1 = arg(&p);
    a2 = arg(&p);
    char *extra = arg(&p);
    struct script_hook hook = {r->a, r->env->outdir, hook_line, r};
    char why[512];
    int ext;
    if (extra) {
        rc = sr_fail(r, "%s: too many arguments", cmd);
        free(extra);
        goto out;
    }
#define NEED(n)                                                                        \
    if ((n) >= 1 && !a1) {                                                             \
        rc = sr_fail(r, "%s: missing argument", cmd);                                     \
        goto out;                                                                      \
    }                                                                                  \
    if ((n) >= 2 && !a2) {                                                             \
        rc = sr_fail(r, "%s: missing second argument", cmd);                              \
        goto out;                                                                      \
    }
    if (strcmp(cmd, "size") == 0) {
        NEED(2);
        int w = atoi(a1), h = atoi(a2);
        if (w < 240 || h < 240 || w > 8192 || h > 8192)
            rc = sr_fail(r, "size: %s x %s is not a sensible screen", a1, a2);
        else if (set_size(r, w, h, msg, sizeof msg) < 0)
            rc = sr_fail(r, "size: cannot resize the screen to %dx%d: %s", w, h, msg);
    } else if (strcmp(cmd, "lang") == 0) {
        NEED(1);
        if (strcmp(a1, "zh") && strcmp(a1, "en"))
            rc = sr_fail(r, "lang: expected zh or en, got \"%s\"", a1);
        else
            app_set_lang(r->a, strcmp(a1, "en") == 0 ? LANG_EN : LANG_ZH);
        sr_settle(r);
    } else if (strcmp(cmd, "theme") == 0) {
        NEED(1);
        if (strcmp(a1, "standard") == 0)
            app_set_theme(r->a, UI_THEME_STANDARD);
        else if (strcmp(a1, "large") == 0)
            app_set_theme(r->a, UI_THEME_LARGE);
        else if (strcmp(a1, "contrast") == 0)
            app_set_theme(r->a, UI_THEME_CONTRAST);
        else
            rc = sr_fail(r, "theme: expected standard, large or contrast, got \"%s\"", a1);
        sr_settle(r);
    } else if (strcmp(cmd, "tap") == 0 || strcmp(cmd, "tap-id") == 0) {
        NEED(1);
        bool by_id = strcmp(cmd, "tap-id") == 0;
        const struct ui_node *n = sr_find(r, a1, true, by_id);
        if (!n)
            rc = sr_fail(r, "%s \"%s\": no such interactive widget on screen", cmd, a1);
        else
            sr_tap_node(r, n);
    } else if (strcmp(cmd, "tap-phys") == 0) {
        /* a finger at a point of the panel, as the touch screen reports it: turned
         * back to the logical picture as app_run does ([display] rotation) */
        NEED(2);
        int pw, ph, lw, lh, x, y;
        present *pr = r->env->present;
        present_size(pr, &lw, &lh);
        present_logical_size(present_rotation(pr), lw, lh, &pw, &ph);
        int px = atoi(a1), py = atoi(a2);
        if (px < 0 || py < 0 || px >= pw || py >= ph) {
            rc = sr_fail(r, "tap-phys: %s %s is off the %dx%d panel", a1, a2, pw, ph);
        } else {
            present_to_logical(present_rotation(pr), lw, lh, px, py, &x, &y);
            sr_tap_at(r, x, y);
        }
    } else if (strcmp(cmd, "staff") == 0) {
        /* the hidden gesture, then the PIN on the pad, as staff do it */
        NEED(1);
        int c = ui_mm(app_ui(r->a), STAFF_CORNER_MM) / 3;
        app_pointer(r->a, 0, c, c);
        for (int t = 0; t < STAFF_HOLD_MS + 200; t += 50) {
            sr_advance(r, 50);
            app_step(r->a);
        }
        app_pointer(r->a, 2, c, c);
        sr_settle(r);
        if (strcmp(app_screen_name(r->a), "staff-pin") != 0)
            rc = sr_fail(r, "staff: the long press did not open the PIN pad");
        else if ((rc = sr_type_text(r, a1)) == 0 && sr_tap_id(r, "staff.enter") < 0)
            rc = sr_fail(r, "staff: no enter button");
    } else if (strcmp(cmd, "touch") == 0 || strcmp(cmd, "touch-id") == 0) {
        /* a finger on any widget with words (touch-id: the widget with that id),
         * interactive or not (read-aloud reads it) */
        NEED(1);
        bool by_id = strcmp(cmd, "touch-id") == 0;
        const struct ui_node *n = sr_find(r, a1, false, by_id);
        if (!n)
            rc = sr_fail(r, "%s \"%s\": no such %s on screen", cmd, a1, by_id ? "widget" : "text");
        else
            sr_tap_node(r, n);
    } else if (strcmp(cmd, "expect-loaded") == 0) {
        NEED(2);
        rc = sr_expect_loaded(r, a1, a2);
    } else if (strcmp(cmd, "expect-speech-item") == 0) {
        NEED(1);
        rc = sr_expect_speech_item(r, a1);
    } else if (strcmp(cmd, "expect-speech") == 0) {
        NEED(1);
        rc = sr_expect_speech(r, a1);
    } else if (strcmp(cmd, "type") == 0) {
        NEED(1);
        rc = sr_type_text(r, a1);
    } else if (strcmp(cmd, "ime") == 0) {
        NEED(1);
        rc = sr_type_pinyin(r, a1, a2 ? atoi(a2) : 0);
    } else if (strcmp(cmd, "ime-file") == 0) {
        /* tests only: the pinyin read from a file and wiped after use, so that no copy
         * of it stays in the script's own memory (tests/scripts/ime_forget.sh scans
         * the kiosk's memory for it) */
        NEED(1);
        char pinyin[IME_MAX_INPUT + 1];
        int fd = open(a1, O_RDONLY | O_CLOEXEC);
        ssize_t n = fd >= 0 ? read(fd, pinyin, IME_MAX_INPUT) : -1;
        if (fd >= 0)
            close(fd);
        if (n <= 0) {
            rc = sr_fail(r, "ime-file \"%s\": cannot read it", a1);
        } else {
            pinyin[n] = '\0';
            pinyin[strcspn(pinyin, "\n")] = '\0';
            rc = sr_type_pinyin(r, pinyin, a2 ? atoi(a2) : 0);
        }
        sodium_memzero(pinyin, sizeof pinyin);
    } else if (strcmp(cmd, "tap-local") == 0) {
        NEED(1);
        rc = sr_tap_local(r, a1);
    } else if (strcmp(cmd, "hold-id") == 0) {
        NEED(2);
        rc = sr_hold(r, a1, (uint64_t)atol(a2));
    } else if (strcmp(cmd, "scroll") == 0) {
        NEED(2);
        const struct ui_node *n = sr_find(r, a1, false, true);
        char *end;
        long dy = strtol(a2, &end, 10);
        if (*end)
            rc = sr_fail(r, "scroll: \"%s\" is not a number of pixels", a2);
        else if (!n || n->role != UI_ROLE_LIST)
            rc = sr_fail(r, "scroll \"%s\": no scrolling area with that id", a1);
        else {
            /* a copy: the frames the drag draws rebuild the tree N points into */
            struct ui_node area = *n;
            sr_drag(r, &area, (int)dy);
        }
    } else if (strcmp(cmd, "wait") == 0 || strcmp(cmd, "idle") == 0) {
        NEED(1);
        char *end;
        double v = strtod(a1, &end);
        if (*end || end == a1 || !isfinite(v) || v < 0 || v > 86400000)
            rc = sr_fail(r, "%s: \"%s\" is not a duration", cmd, a1);
        else
            sr_wait_ms(r, (uint64_t)(strcmp(cmd, "idle") == 0 ? v * 1000 : v));
    } else if (strcmp(cmd, "now") == 0) {
        NEED(1);
        time_t t;
        if (parse_time(a1, &t) < 0)
            rc = sr_fail(r, "now: expected YYYY-MM-DDTHH:MM, got \"%s\"", a1);
        else
            app_set_wall(r->a, t);
        sr_settle(r);
    } else if (strcmp(cmd, "sh") == 0) {
        /* tests only (scripts never run on a kiosk): act on the world, e.g. install
         * new content while the kiosk runs */
        NEED(1);
        int st = system(a1);
        if (st != 0)
            rc = sr_fail(r, "sh \"%s\": exit status %d", a1, st);
    } else if (strcmp(cmd, "home") == 0) {
        /* back to the home screen, as the idle reset does (the tour's way home) */
        app_home(r->a);
        sr_settle(r);
    } else if (strcmp(cmd, "job") == 0) {
        /* tests only: start a shell command as background job NAME */
        NEED(2);
        char *argv[] = {"/bin/sh", "-c", a2, NULL};
        int e = app_job_start(r->a, a1, argv);
        if (e < 0)
            rc = sr_fail(r, "job %s: cannot start: %s", a1, strerror(-e));
        sr_settle(r);
    } else if (strcmp(cmd, "wait-job") == 0) {
        NEED(2);
        char *end;
        double v = strtod(a2, &end);
        if (*end || v <= 0 || v > 3600)
            rc = sr_fail(r, "wait-job: \"%s\" is not a number of seconds", a2);
        else
            rc = wait_job(r, a1, v);
    } else if (strcmp(cmd, "wait-real") == 0) {
        NEED(1);
        char *end;
        double v = strtod(a1, &end);
        if (*end || !(v > 0 && v <= 3600))
            rc = sr_fail(r, "wait-real: \"%s\" is not a number of seconds", a1);
        else
            rc = wait_for(r, NULL, false, v);
    } else if (strcmp(cmd, "wait-for") == 0 || strcmp(cmd, "wait-gone") == 0) {
        NEED(2);
        char *end;
        double v = strtod(a2, &end);
        if (*end || !(v > 0 && v <= 3600))
            rc = sr_fail(r, "%s: \"%s\" is not a number of seconds", cmd, a2);
        else
            rc = wait_for(r, a1, strcmp(cmd, "wait-gone") == 0, v);
    } else if (strcmp(cmd, "expect-job") == 0) {
        /* expect-job NAME running|done|ok|failed|none */
        NEED(2);
        const struct job_info *j = app_job(r->a, a1);
        bool okay = strcmp(a2, "none") == 0      ? j->state == JOB_NONE
                    : strcmp(a2, "running") == 0 ? j->state == JOB_RUNNING
                    : strcmp(a2, "done") == 0  ? j->state == JOB_DONE
                    : strcmp(a2, "ok") == 0    ? j->state == JOB_DONE && j->exit_code == 0
                    : strcmp(a2, "failed") == 0 ? j->state == JOB_DONE && j->exit_code != 0
                                                : false;
        if (!okay)
            rc = sr_fail(r, "expect-job %s %s: the job is %s (exit %d)", a1, a2,
                      j->state == JOB_RUNNING ? "running" : j->state == JOB_DONE ? "done" : "never started",
                      j->exit_code);
    } else if (strcmp(cmd, "expect-no-zombies") == 0) {
        int z = count_zombies(r);
        if (z)
            rc = sr_fail(r, "expect-no-zombies: %d unreaped child processes", z);
    } else if (strcmp(cmd, "open") == 0) {
        NEED(1);
        const struct screen_ops *ops = app_screen_by_name(a1);
        if (!ops) {
            rc = sr_fail(r, "open: no screen called \"%s\"", a1);
        } else {
            app_push(r->a, ops, a2);
            sr_settle(r);
        }
    } else if (strcmp(cmd, "expect") == 0 || strcmp(cmd, "expect-not") == 0) {
        NEED(1);
        const struct ui_node *n = sr_find(r, a1, false, false);
        if (strcmp(cmd, "expect") == 0 && !n)
            rc = sr_fail(r, "expect \"%s\": not on screen", a1);
        else if (strcmp(cmd, "expect-not") == 0 && n)
            rc = sr_fail(r, "expect-not \"%s\": on screen (widget %s)", a1, n->id);
    } else if (strcmp(cmd, "expect-value") == 0) {
        NEED(2);
        const struct ui_node *n = sr_find(r, a1, false, true);
        if (!n)
            rc = sr_fail(r, "expect-value %s: no such widget on screen", a1);
        else if (strcmp(n->label, a2) != 0)
            rc = sr_fail(r, "expect-value %s: is \"%s\", expected \"%s\"", a1, n->label, a2);
    } else if (strcmp(cmd, "expect-screen") == 0) {
        NEED(1);
        if (strcmp(app_screen_name(r->a), a1) != 0)
            rc = sr_fail(r, "expect-screen %s: the screen is %s", a1, app_screen_name(r->a));
    } else if (strcmp(cmd, "shot") == 0 || strcmp(cmd, "tree") == 0) {
        NEED(1);
        bool shot = strcmp(cmd, "shot") == 0;
        char *path = sr_out_path(r, a1, shot ? "png" : "json");
        sr_settle(r);
        char why_png[256] = "";
        if (shot ? pngio_save(present_frame(r->env->present), path, why_png, sizeof why_png) < 0
                 : sr_write_tree(r, path) < 0)
            rc = sr_fail(r, "%s: cannot write %s%s%s", cmd, path, *why_png ? ": " : "", why_png);
        free(path);
    } else if (strcmp(cmd, "tour") == 0) {
        /* the whole built-in tour inside a script, for the memory bench */
        if (script_run_tour(r->a, r->env) != 0)
            rc = sr_fail(r, "tour: a step of the tour failed (above)");
    } else if ((ext = monkey_step(&hook, cmd, a1, a2, why, sizeof why)) <= 0 ||
               (ext = soak_step(&hook, cmd, a1, a2, why, sizeof why)) <= 0) {
        if (ext < 0)
            rc = sr_fail(r, "%s", why);
    } else {
        rc = sr_fail(r, "unknown step \"%s\"", cmd);
    }
out:
    free(cmd);
    free(a1);
    free(a2);
    return rc;
#undef NEED
}

int script_run_text(app *a, const struct script_env *env, const char *name, const char *text)
{
    struct run r = {a, env, name, 0};
    app_set_virtual_time(a, MAX(sr_vnow(&r), 1000));
    sr_settle(&r);
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char *line = xstrndup(p, n);
        r.line++;
        char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        size_t len = strlen(s);
        while (len && (s[len - 1] == '\r' || s[len - 1] == ' '))
            s[--len] = '\0';
        int rc = (*s && *s != '#') ? step(&r, s) : 0;
        free(line);
        if (rc < 0)
            return 1;
        if (i18n_first_missing()) {
            sr_fail(&r, "the string table has no key \"%s\"", i18n_first_missing());
            return 1;
        }
        p += n + (nl ? 1 : 0);
    }
    return 0;
}

int script_run_file(app *a, const struct script_env *env, const char *path)
{
    char *buf;
    size_t n;
    int r = fio_read_capped(path, SCRIPT_MAX_BYTES, 0, &buf, &n);
    if (r == -EFBIG) {
        fprintf(stderr, "%s: larger than %d bytes\n", path, SCRIPT_MAX_BYTES);
        return 1;
    }
    if (r < 0) {
        fprintf(stderr, "%s: cannot open: %s\n", path, strerror(-r));
        return 1;
    }
    int rc = script_run_text(a, env, path, buf);
    free(buf);
    return rc;
}
