/* script.c - see script.h. Time is virtual: `wait` advances it and runs whatever
 * would have happened (ticks, flings, the idle timer) at frame granularity, so a
 * script of minutes runs in a moment and gives the same frames every time. */
#include "script.h"
#include "kbd.h"
#include "monkey.h"
#include "soak.h"
#include "speak.h"
#include "base/job.h"
#include "base/util.h"

#include <SDL.h>
#include <SDL_image.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SCRIPT_MAX_BYTES (1024 * 1024)
#define SETTLE_MAX_MS 20000

struct run {
    app *a;
    const struct script_env *env;
    const char *name;
    int line;
};

static uint64_t vnow(struct run *r)
{
    return app_now_ms(r->a);
}

static void advance(struct run *r, uint64_t ms)
{
    app_set_virtual_time(r->a, vnow(r) + ms);
}

/* Steps the app until nothing is left to draw or animate, at frame rate. */
static void settle(struct run *r)
{
    uint64_t end = vnow(r) + SETTLE_MAX_MS;
    app_step(r->a);
    while (vnow(r) < end) {
        int w = app_next_wakeup(r->a);
        if (w != 0 && !ui_animating(app_ui(r->a)))
            break;
        advance(r, w > 0 ? (uint64_t)w : 1);
        app_step(r->a);
    }
}

static void wait_ms(struct run *r, uint64_t ms)
{
    uint64_t end = vnow(r) + ms;
    app_step(r->a);
    for (;;) {
        int w = app_next_wakeup(r->a);
        if (w < 0 || vnow(r) + (uint64_t)MAX(w, 1) > end)
            break;
        advance(r, (uint64_t)MAX(w, 1));
        app_step(r->a);
    }
    app_set_virtual_time(r->a, end);
    app_step(r->a);
}

static int fail(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct run *r, const char *fmt, ...)
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

/* ---- the tree ---------------------------------------------------------------------------- */

static bool visible(const struct ui_node *n)
{
    int x0 = MAX(n->rect.x, n->clip.x), y0 = MAX(n->rect.y, n->clip.y);
    int x1 = MIN(n->rect.x + n->rect.w, n->clip.x + n->clip.w);
    int y1 = MIN(n->rect.y + n->rect.h, n->clip.y + n->clip.h);
    return x1 > x0 && y1 > y0;
}

static const struct ui_node *find(struct run *r, const char *text, bool interactive_only, bool by_id)
{
    ui *u = app_ui(r->a);
    /* the best match: the whole label, else a label's first line (a tile's name
     * above its explanation), else any label containing the text */
    const struct ui_node *contains = NULL, *first_line = NULL;
    size_t tl = strlen(text);
    for (int i = 0; i < ui_tree_count(u); i++) {
        const struct ui_node *n = ui_tree_node(u, i);
        if ((interactive_only && !n->interactive) || !visible(n))
            continue;
        if (by_id) {
            if (strcmp(n->id, text) == 0)
                return n;
            continue;
        }
        if (strcmp(n->label, text) == 0)
            return n;
        if (!first_line && strncmp(n->label, text, tl) == 0 && n->label[tl] == '\n')
            first_line = n;
        if (!contains && strstr(n->label, text))
            contains = n;
    }
    return first_line ? first_line : contains;
}

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static int write_tree(struct run *r, const char *path)
{
    ui *u = app_ui(r->a);
    FILE *f = fopen(path, "w");
    if (!f)
        return -errno;
    fprintf(f, "{\"screen\": ");
    json_str(f, app_screen_name(r->a));
    fprintf(f, ", \"frames\": %llu, \"lang\": \"%s\", \"theme\": \"%s\", \"size\": [%d, %d], \"px_per_mm\": %.4f,\n \"widgets\": [",
            (unsigned long long)ui_frames(u), i18n_lang_code(app_lang(r->a)),
            ui_theme_name(ui_theme(u)), ui_screen(u).w, ui_screen(u).h, ui_px_per_mm(u));
    for (int i = 0; i < ui_tree_count(u); i++) {
        const struct ui_node *n = ui_tree_node(u, i);
        fprintf(f, "%s\n  {\"id\": ", i ? "," : "");
        json_str(f, n->id);
        fprintf(f, ", \"role\": \"%s\", \"label\": ", ui_role_name(n->role));
        json_str(f, n->label);
        fprintf(f, ", \"rect\": [%d, %d, %d, %d], \"clip\": [%d, %d, %d, %d], \"interactive\": %s, \"truncated\": %s}",
                n->rect.x, n->rect.y, n->rect.w, n->rect.h, n->clip.x, n->clip.y, n->clip.w,
                n->clip.h, n->interactive ? "true" : "false", n->truncated ? "true" : "false");
    }
    fprintf(f, "\n]}\n");
    return fclose(f) == 0 ? 0 : -errno;
}

static char *out_path(struct run *r, const char *name, const char *ext)
{
    mkdir(r->env->outdir, 0755);
    return xasprintf("%s/%s.%s", r->env->outdir, name, ext);
}

/* ---- input synthesis ------------------------------------------------------------------- */

static void tap_at(struct run *r, int x, int y)
{
    app_pointer(r->a, 0, x, y);
    app_step(r->a); /* the pressed look is drawn in the next frame */
    advance(r, 80);
    app_pointer(r->a, 2, x, y);
    settle(r);
}

static void tap_node(struct run *r, const struct ui_node *n)
{
    int x0 = MAX(n->rect.x, n->clip.x), y0 = MAX(n->rect.y, n->clip.y);
    int x1 = MIN(n->rect.x + n->rect.w, n->clip.x + n->clip.w);
    int y1 = MIN(n->rect.y + n->rect.h, n->clip.y + n->clip.h);
    tap_at(r, (x0 + x1) / 2, (y0 + y1) / 2);
}

/* a slow drag: no fling, so the distance is exact; a long scroll is several drags,
 * each within the area, as a finger would do it */
static void drag_once(struct run *r, const struct ui_node *n, int dy)
{
    int x = n->rect.x + n->rect.w / 2;
    int y0 = n->rect.y + n->rect.h / 2 + dy / 2;
    const int steps = 10;
    app_pointer(r->a, 0, x, y0);
    for (int i = 1; i <= steps; i++) {
        advance(r, 16);
        app_pointer(r->a, 1, x, y0 - dy * i / steps);
        app_step(r->a);
    }
    advance(r, 200);
    app_pointer(r->a, 1, x, y0 - dy);
    app_pointer(r->a, 2, x, y0 - dy);
    settle(r);
}

static void drag(struct run *r, const struct ui_node *n, int dy)
{
    int max = MAX(1, n->rect.h * 6 / 10);
    while (dy != 0) {
        int d = CLAMP(dy, -max, max);
        drag_once(r, n, d);
        dy -= d;
    }
}

/* ---- typing through the keyboard, as a finger would -------------------------------- */

static bool key_visible(struct run *r, const char *id)
{
    return find(r, id, true, true) != NULL;
}

static int tap_id(struct run *r, const char *id)
{
    const struct ui_node *n = find(r, id, true, true);
    if (!n)
        return -1;
    tap_node(r, n);
    return 0;
}

/* Taps the mode key until PRED holds (at most once round every mode). */
static bool reach_mode(struct run *r, bool (*pred)(struct run *, const char *), const char *arg)
{
    for (int i = 0; i < 5; i++) {
        if (pred(r, arg))
            return true;
        if (tap_id(r, "kb.mode") < 0)
            return false;
    }
    return pred(r, arg);
}

static bool latin_letter_ok(struct run *r, const char *id)
{
    enum ui_kbd_mode m = kbd_mode(app_kbd(r->a));
    bool x_on_pad = strcmp(id, "kb.k.x") == 0 && m == UI_KBD_NUMPAD;
    return (m == UI_KBD_LATIN || x_on_pad) && key_visible(r, id);
}

static bool key_ok(struct run *r, const char *id)
{
    return kbd_mode(app_kbd(r->a)) != UI_KBD_PINYIN && key_visible(r, id);
}

static bool pinyin_ok(struct run *r, const char *id)
{
    (void)id;
    return kbd_mode(app_kbd(r->a)) == UI_KBD_PINYIN;
}

static int type_text(struct run *r, const char *text)
{
    if (!kbd_focused(app_kbd(r->a)))
        return fail(r, "type \"%s\": no text field has focus", text);
    for (const char *p = text; *p; p++) {
        unsigned char c = (unsigned char)*p;
        char id[32];
        if (c >= 0x80 || c < 0x20)
            return fail(r, "type: \"%s\": type Latin letters, digits and symbols; use ime for Chinese", text);
        if (c == ' ') {
            if (tap_id(r, "kb.space") < 0)
                return fail(r, "type: no space key on screen");
            continue;
        }
        bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        snprintf(id, sizeof id, "kb.k.%c", letter ? (char)(c | 0x20) : (char)c);
        if (!reach_mode(r, letter ? latin_letter_ok : key_ok, id))
            return fail(r, "type: no key for '%c' on any keyboard of this field", c);
        bool upper = c >= 'A' && c <= 'Z' && kbd_mode(app_kbd(r->a)) == UI_KBD_LATIN;
        if (upper && tap_id(r, "kb.shift") < 0)
            return fail(r, "type: no shift key");
        tap_id(r, id);
    }
    return 0;
}

static int type_pinyin(struct run *r, const char *pinyin, int n)
{
    if (!kbd_focused(app_kbd(r->a)))
        return fail(r, "ime \"%s\": no text field has focus", pinyin);
    if (!kbd_has_pinyin(app_kbd(r->a)))
        return fail(r, "ime: the pinyin engine is not available");
    if (!reach_mode(r, pinyin_ok, NULL))
        return fail(r, "ime: the keyboard has no pinyin mode for this field");
    for (const char *p = pinyin; *p; p++) {
        char id[16];
        if (*p == '\'') {
            snprintf(id, sizeof id, "kb.sep");
        } else if (*p >= 'a' && *p <= 'z') {
            snprintf(id, sizeof id, "kb.k.%c", *p);
        } else {
            return fail(r, "ime: \"%s\": pinyin is letters a-z and '", pinyin);
        }
        if (tap_id(r, id) < 0)
            return fail(r, "ime: no key %s on screen", id);
    }
    if (n <= 0)
        return 0;
    for (int page = 0; page < (n - 1) / 8; page++)
        if (tap_id(r, "kb.next") < 0)
            return fail(r, "ime \"%s\" %d: there is no candidate %d", pinyin, n, n);
    char id[32];
    snprintf(id, sizeof id, "kb.cand.%d", (n - 1) % 8);
    if (tap_id(r, id) < 0)
        return fail(r, "ime \"%s\" %d: there is no candidate %d", pinyin, n, n);
    return 0;
}

/* holds a widget down for MS (a key that repeats), then lets go */
static int hold(struct run *r, const char *id, uint64_t ms)
{
    const struct ui_node *n = find(r, id, true, true);
    if (!n)
        return fail(r, "hold-id %s: no such interactive widget on screen", id);
    int x = n->rect.x + n->rect.w / 2, y = n->rect.y + n->rect.h / 2;
    app_pointer(r->a, 0, x, y);
    for (uint64_t t = 0; t < ms; t += 10) {
        advance(r, 10);
        app_step(r->a);
    }
    app_pointer(r->a, 2, x, y);
    settle(r);
    return 0;
}

/* the speech queue, or what was spoken, holds the text */
static int expect_speech(struct run *r, const char *text)
{
    speak *sp = app_speak(r->a);
    if (!sp)
        return fail(r, "expect-speech: read-aloud is not available");
    bool found = false;
    for (int i = 0; i < speak_queue_count(sp) && !found; i++) {
        char *t = speak_queue_item(sp, i);
        found = t && strstr(t, text);
        free(t);
    }
    for (int i = 0; i < speak_history_count(sp) && !found; i++) {
        char *t = speak_history_item(sp, i);
        found = t && strstr(t, text);
        free(t);
    }
    return found ? 0 : fail(r, "expect-speech \"%s\": not in the speech queue", text);
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

static int set_size(struct run *r, int w, int h)
{
    SDL_SetWindowSize(r->env->win, w, h);
    SDL_Surface *s = SDL_GetWindowSurface(r->env->win);
    if (!s || s->w != w || s->h != h)
        return -1;
    app_set_target(r->a, s);
    settle(r);
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
            return fail(r, "wait-job %s: still running after %g s", name, seconds);
        usleep(20 * 1000);
        advance(r, 20);
        app_step(r->a);
    }
    settle(r);
    return 0;
}

/* The kiosk's children that have ended but were not reaped (zombies), after giving
 * running jobs up to 10 s (real time) to end and be reaped. */
static int count_zombies(struct run *r)
{
    for (int i = 0; i < 500 && app_jobs_running(r->a); i++) {
        usleep(20 * 1000);
        advance(r, 20);
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
        rc = fail(r, "%s: too many arguments", cmd);
        free(extra);
        goto out;
    }
#define NEED(n)                                                                        \
    if ((n) >= 1 && !a1) {                                                             \
        rc = fail(r, "%s: missing argument", cmd);                                     \
        goto out;                                                                      \
    }                                                                                  \
    if ((n) >= 2 && !a2) {                                                             \
        rc = fail(r, "%s: missing second argument", cmd);                              \
        goto out;                                                                      \
    }
    if (strcmp(cmd, "size") == 0) {
        NEED(2);
        int w = atoi(a1), h = atoi(a2);
        if (w < 240 || h < 240 || w > 8192 || h > 8192)
            rc = fail(r, "size: %s x %s is not a sensible screen", a1, a2);
        else if (set_size(r, w, h) < 0)
            rc = fail(r, "size: cannot resize the screen to %dx%d: %s", w, h, SDL_GetError());
    } else if (strcmp(cmd, "lang") == 0) {
        NEED(1);
        if (strcmp(a1, "zh") && strcmp(a1, "en"))
            rc = fail(r, "lang: expected zh or en, got \"%s\"", a1);
        else
            app_set_lang(r->a, strcmp(a1, "en") == 0 ? LANG_EN : LANG_ZH);
        settle(r);
    } else if (strcmp(cmd, "theme") == 0) {
        NEED(1);
        if (strcmp(a1, "standard") == 0)
            app_set_theme(r->a, UI_THEME_STANDARD);
        else if (strcmp(a1, "large") == 0)
            app_set_theme(r->a, UI_THEME_LARGE);
        else if (strcmp(a1, "contrast") == 0)
            app_set_theme(r->a, UI_THEME_CONTRAST);
        else
            rc = fail(r, "theme: expected standard, large or contrast, got \"%s\"", a1);
        settle(r);
    } else if (strcmp(cmd, "tap") == 0 || strcmp(cmd, "tap-id") == 0) {
        NEED(1);
        bool by_id = strcmp(cmd, "tap-id") == 0;
        const struct ui_node *n = find(r, a1, true, by_id);
        if (!n)
            rc = fail(r, "%s \"%s\": no such interactive widget on screen", cmd, a1);
        else
            tap_node(r, n);
    } else if (strcmp(cmd, "staff") == 0) {
        /* the hidden gesture, then the PIN on the pad, as staff do it */
        NEED(1);
        int c = ui_mm(app_ui(r->a), STAFF_CORNER_MM) / 3;
        app_pointer(r->a, 0, c, c);
        for (int t = 0; t < STAFF_HOLD_MS + 200; t += 50) {
            advance(r, 50);
            app_step(r->a);
        }
        app_pointer(r->a, 2, c, c);
        settle(r);
        if (strcmp(app_screen_name(r->a), "staff-pin") != 0)
            rc = fail(r, "staff: the long press did not open the PIN pad");
        else if ((rc = type_text(r, a1)) == 0 && tap_id(r, "staff.enter") < 0)
            rc = fail(r, "staff: no enter button");
    } else if (strcmp(cmd, "touch") == 0) {
        /* a finger on any widget with words, interactive or not (read-aloud reads it) */
        NEED(1);
        const struct ui_node *n = find(r, a1, false, false);
        if (!n)
            rc = fail(r, "touch \"%s\": no such text on screen", a1);
        else
            tap_node(r, n);
    } else if (strcmp(cmd, "expect-speech") == 0) {
        NEED(1);
        rc = expect_speech(r, a1);
    } else if (strcmp(cmd, "type") == 0) {
        NEED(1);
        rc = type_text(r, a1);
    } else if (strcmp(cmd, "ime") == 0) {
        NEED(1);
        rc = type_pinyin(r, a1, a2 ? atoi(a2) : 0);
    } else if (strcmp(cmd, "hold-id") == 0) {
        NEED(2);
        rc = hold(r, a1, (uint64_t)atol(a2));
    } else if (strcmp(cmd, "scroll") == 0) {
        NEED(2);
        const struct ui_node *n = find(r, a1, false, true);
        char *end;
        long dy = strtol(a2, &end, 10);
        if (*end)
            rc = fail(r, "scroll: \"%s\" is not a number of pixels", a2);
        else if (!n || n->role != UI_ROLE_LIST)
            rc = fail(r, "scroll \"%s\": no scrolling area with that id", a1);
        else
            drag(r, n, (int)dy);
    } else if (strcmp(cmd, "wait") == 0 || strcmp(cmd, "idle") == 0) {
        NEED(1);
        char *end;
        double v = strtod(a1, &end);
        if (*end || v < 0 || v > 86400000)
            rc = fail(r, "%s: \"%s\" is not a duration", cmd, a1);
        else
            wait_ms(r, (uint64_t)(strcmp(cmd, "idle") == 0 ? v * 1000 : v));
    } else if (strcmp(cmd, "now") == 0) {
        NEED(1);
        time_t t;
        if (parse_time(a1, &t) < 0)
            rc = fail(r, "now: expected YYYY-MM-DDTHH:MM, got \"%s\"", a1);
        else
            app_set_wall(r->a, t);
        settle(r);
    } else if (strcmp(cmd, "sh") == 0) {
        /* tests only (scripts never run on a kiosk): act on the world, e.g. install
         * new content while the kiosk runs */
        NEED(1);
        int st = system(a1);
        if (st != 0)
            rc = fail(r, "sh \"%s\": exit status %d", a1, st);
    } else if (strcmp(cmd, "home") == 0) {
        /* back to the home screen, as the idle reset does (the tour's way home) */
        app_home(r->a);
        settle(r);
    } else if (strcmp(cmd, "job") == 0) {
        /* tests only: start a shell command as background job NAME */
        NEED(2);
        char *argv[] = {"/bin/sh", "-c", a2, NULL};
        int e = app_job_start(r->a, a1, argv);
        if (e < 0)
            rc = fail(r, "job %s: cannot start: %s", a1, strerror(-e));
        settle(r);
    } else if (strcmp(cmd, "wait-job") == 0) {
        NEED(2);
        char *end;
        double v = strtod(a2, &end);
        if (*end || v <= 0 || v > 3600)
            rc = fail(r, "wait-job: \"%s\" is not a number of seconds", a2);
        else
            rc = wait_job(r, a1, v);
    } else if (strcmp(cmd, "expect-job") == 0) {
        /* expect-job NAME running|done|ok|failed */
        NEED(2);
        const struct job_info *j = app_job(r->a, a1);
        bool okay = strcmp(a2, "running") == 0 ? j->state == JOB_RUNNING
                    : strcmp(a2, "done") == 0  ? j->state == JOB_DONE
                    : strcmp(a2, "ok") == 0    ? j->state == JOB_DONE && j->exit_code == 0
                    : strcmp(a2, "failed") == 0 ? j->state == JOB_DONE && j->exit_code != 0
                                                : false;
        if (!okay)
            rc = fail(r, "expect-job %s %s: the job is %s (exit %d)", a1, a2,
                      j->state == JOB_RUNNING ? "running" : j->state == JOB_DONE ? "done" : "never started",
                      j->exit_code);
    } else if (strcmp(cmd, "expect-no-zombies") == 0) {
        int z = count_zombies(r);
        if (z)
            rc = fail(r, "expect-no-zombies: %d unreaped child processes", z);
    } else if (strcmp(cmd, "open") == 0) {
        NEED(1);
        const struct screen_ops *ops = app_screen_by_name(a1);
        if (!ops) {
            rc = fail(r, "open: no screen called \"%s\"", a1);
        } else {
            app_push(r->a, ops, a2);
            settle(r);
        }
    } else if (strcmp(cmd, "expect") == 0 || strcmp(cmd, "expect-not") == 0) {
        NEED(1);
        const struct ui_node *n = find(r, a1, false, false);
        if (strcmp(cmd, "expect") == 0 && !n)
            rc = fail(r, "expect \"%s\": not on screen", a1);
        else if (strcmp(cmd, "expect-not") == 0 && n)
            rc = fail(r, "expect-not \"%s\": on screen (widget %s)", a1, n->id);
    } else if (strcmp(cmd, "expect-value") == 0) {
        NEED(2);
        const struct ui_node *n = find(r, a1, false, true);
        if (!n)
            rc = fail(r, "expect-value %s: no such widget on screen", a1);
        else if (strcmp(n->label, a2) != 0)
            rc = fail(r, "expect-value %s: is \"%s\", expected \"%s\"", a1, n->label, a2);
    } else if (strcmp(cmd, "expect-screen") == 0) {
        NEED(1);
        if (strcmp(app_screen_name(r->a), a1) != 0)
            rc = fail(r, "expect-screen %s: the screen is %s", a1, app_screen_name(r->a));
    } else if (strcmp(cmd, "shot") == 0 || strcmp(cmd, "tree") == 0) {
        NEED(1);
        bool shot = strcmp(cmd, "shot") == 0;
        char *path = out_path(r, a1, shot ? "png" : "json");
        settle(r);
        if (shot ? IMG_SavePNG(ui_target(app_ui(r->a)), path) != 0 : write_tree(r, path) < 0)
            rc = fail(r, "%s: cannot write %s", cmd, path);
        free(path);
    } else if ((ext = monkey_step(&hook, cmd, a1, a2, why, sizeof why)) <= 0 ||
               (ext = soak_step(&hook, cmd, a1, a2, why, sizeof why)) <= 0) {
        if (ext < 0)
            rc = fail(r, "%s", why);
    } else {
        rc = fail(r, "unknown step \"%s\"", cmd);
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
    app_set_virtual_time(a, MAX(vnow(&r), 1000));
    settle(&r);
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
            fail(&r, "the string table has no key \"%s\"", i18n_first_missing());
            return 1;
        }
        p += n + (nl ? 1 : 0);
    }
    return 0;
}

int script_run_file(app *a, const struct script_env *env, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
        return 1;
    }
    char *buf = xmalloc(SCRIPT_MAX_BYTES + 1);
    size_t n = fread(buf, 1, SCRIPT_MAX_BYTES + 1, f);
    fclose(f);
    if (n > SCRIPT_MAX_BYTES) {
        fprintf(stderr, "%s: larger than %d bytes\n", path, SCRIPT_MAX_BYTES);
        free(buf);
        return 1;
    }
    buf[n] = '\0';
    int rc = script_run_text(a, env, path, buf);
    free(buf);
    return rc;
}
