/* monkey.c - see monkey.h. */
#include "monkey.h"
#include "kbd.h"
#include "soak.h"
#include "core/marker.h"
#include "core/store.h"
#include "base/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SEEN_MAX 64
#define TAPS_SLOTS 8192 /* a power of two */
#define COMBOS (2 * UI_THEME_COUNT)
#define STUCK_TOUCHES 25
#define COMBO_EVERY 250
#define RELOAD_EVERY 700
#define USB_EVERY 900
#define TREE_EVERY 10
#define DEMO_PIN "246810" /* README.md, "Staff" */

struct tap_count {
    uint64_t key; /* hash of screen and widget id; 0 free */
    uint32_t n;
};

/* what the monkey has seen, over all its runs in this process */
static struct {
    uint64_t rng;
    char seen[SEEN_MAX][32];
    int n_seen;
    bool combo_seen[COMBOS];
    uint64_t first_sight[SEEN_MAX]; /* per screen: bit lang * UI_THEME_COUNT + theme */
    struct tap_count taps[TAPS_SLOTS];
    char last_screen[32];
    int same_screen;
    long trees;
    size_t heap_warm, heap_end;
    size_t sqlite_warm, sqlite_end; /* SQLite's share of them */
    const char *heap_measure;
    struct {
        long taps, misses, drags, presses, corners, keys, pins, idles, waits, reloads, homes, sticks;
    } n;
} mk;

struct run {
    const struct script_hook *h;
    long seed, touch;
};

/* ---- randomness: xorshift64*, reproducible per seed ----------------------------- */

static uint64_t rnd(void)
{
    mk.rng ^= mk.rng >> 12;
    mk.rng ^= mk.rng << 25;
    mk.rng ^= mk.rng >> 27;
    return mk.rng * 2685821657736338717ULL;
}

/* uniform in [lo, hi] */
static int rnd_in(int lo, int hi)
{
    return hi <= lo ? lo : lo + (int)(rnd() % (uint64_t)(hi - lo + 1));
}

static double rnd01(void)
{
    return (double)(rnd() >> 11) / (double)(1ULL << 53);
}

/* ---- bookkeeping --------------------------------------------------------------- */

static int seen_index(const char *screen)
{
    for (int i = 0; i < mk.n_seen; i++)
        if (strcmp(mk.seen[i], screen) == 0)
            return i;
    if (mk.n_seen == SEEN_MAX)
        return -1;
    snprintf(mk.seen[mk.n_seen], sizeof mk.seen[0], "%s", screen);
    return mk.n_seen++;
}

static struct tap_count *tap_slot(const char *screen, const char *id)
{
    uint64_t key = util_hash(id, strlen(id), util_hash(screen, strlen(screen), 1469598103934665603ULL)) | 1;
    for (uint64_t i = key & (TAPS_SLOTS - 1), k = 0; k < TAPS_SLOTS; k++, i = (i + 1) & (TAPS_SLOTS - 1)) {
        if (mk.taps[i].key == key || mk.taps[i].key == 0) {
            mk.taps[i].key = key;
            return &mk.taps[i];
        }
    }
    return NULL; /* full: no bias any more, which is fine */
}

static int line(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int line(struct run *r, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return r->h->line(r->h->ctx, buf);
}

static int write_tree(struct run *r)
{
    mk.trees++;
    return line(r, "tree monkey-%ld-%05ld", r->seed, r->touch);
}

/* notes the screen (and the language and theme) now shown; a first sight writes a tree */
static int observe(struct run *r)
{
    app *a = r->h->a;
    const char *screen = app_screen_name(a);
    int combo = (int)app_lang(a) * UI_THEME_COUNT + (int)ui_theme(app_ui(a));
    if (combo >= 0 && combo < COMBOS)
        mk.combo_seen[combo] = true;
    int i = seen_index(screen);
    if (strcmp(screen, mk.last_screen) == 0) {
        mk.same_screen++;
    } else {
        snprintf(mk.last_screen, sizeof mk.last_screen, "%s", screen);
        mk.same_screen = 0;
    }
    if (i >= 0 && combo >= 0 && combo < COMBOS && !(mk.first_sight[i] & (1ULL << combo))) {
        mk.first_sight[i] |= 1ULL << combo;
        return write_tree(r);
    }
    return 0;
}

/* ---- the tree ------------------------------------------------------------------- */

static bool visible_rect(const struct ui_node *n, ui_rect *ret)
{
    int x0 = MAX(n->rect.x, n->clip.x), y0 = MAX(n->rect.y, n->clip.y);
    int x1 = MIN(n->rect.x + n->rect.w, n->clip.x + n->clip.w);
    int y1 = MIN(n->rect.y + n->rect.h, n->clip.y + n->clip.h);
    *ret = (ui_rect){x0, y0, x1 - x0, y1 - y0};
    return x1 > x0 && y1 > y0;
}

/* a widget picked from the tree, copied out of it (the tree changes with every step) */
struct pick {
    char id[96];
    ui_rect vis;
    enum ui_role role;
};

enum want { W_ANY, W_DIALOG, W_KEY, W_LIST, W_FORM };

/* The staff menu's sync, import and export start real processes that end in real
 * time, so a run would differ from the last with the same seed; their own tests
 * (staff_sync_now, usb_stick) cover them. */
static bool real_time_job(const char *id)
{
    return strcmp(id, "staff.sync") == 0 || strcmp(id, "staff.import") == 0 || strcmp(id, "staff.export") == 0;
}

static bool wanted(const struct ui_node *n, enum want w)
{
    if (real_time_job(n->id))
        return false;
    switch (w) {
    case W_DIALOG: return n->interactive && strncmp(n->id, "dialog.", 7) == 0;
    case W_KEY: return n->interactive && strncmp(n->id, "kb.", 3) == 0;
    case W_LIST: return n->role == UI_ROLE_LIST;
    case W_FORM:
        return n->interactive && (strncmp(n->id, "choice.", 7) == 0 || strcmp(n->id, "form.next") == 0 ||
                                  strcmp(n->id, "form.submit") == 0);
    default: return n->interactive;
    }
}

static bool has(app *a, enum want w)
{
    ui *u = app_ui(a);
    ui_rect v;
    for (int i = 0; i < ui_tree_count(u); i++)
        if (wanted(ui_tree_node(u, i), w) && visible_rect(ui_tree_node(u, i), &v))
            return true;
    return false;
}

/* A visible widget of kind W: taps are weighted 1 / (1 + times tapped here)^2, so the
 * monkey tries what it has not tried; keys are picked evenly. False if there is none. */
static bool pick(app *a, enum want w, struct pick *ret)
{
    ui *u = app_ui(a);
    const char *screen = app_screen_name(a);
    double total = 0;
    int n = ui_tree_count(u);
    double *wt = xcalloc((size_t)MAX(n, 1), sizeof *wt);
    for (int i = 0; i < n; i++) {
        const struct ui_node *nd = ui_tree_node(u, i);
        ui_rect v;
        if (!wanted(nd, w) || !visible_rect(nd, &v))
            continue;
        double x = 1;
        if (w == W_ANY) {
            struct tap_count *c = tap_slot(screen, nd->id);
            double k = c ? c->n : 0;
            x = 1.0 / ((1 + k) * (1 + k));
        }
        wt[i] = x;
        total += x;
    }
    int chosen = -1;
    if (total > 0) {
        double at = rnd01() * total;
        for (int i = 0; i < n; i++) {
            if (wt[i] <= 0)
                continue;
            chosen = i; /* the last one stands when rounding leaves AT above 0 */
            if ((at -= wt[i]) <= 0)
                break;
        }
    }
    bool found = chosen >= 0;
    if (found) {
        const struct ui_node *nd = ui_tree_node(u, chosen);
        snprintf(ret->id, sizeof ret->id, "%s", nd->id);
        visible_rect(nd, &ret->vis);
        ret->role = nd->role;
    }
    free(wt);
    return found;
}

/* ---- gestures, through the app's pointer and the driver's wait ------------------ */

static void point_in(ui_rect v, int *x, int *y)
{
    /* inside, away from the very edge */
    *x = v.x + (v.w > 4 ? rnd_in(2, v.w - 3) : v.w / 2);
    *y = v.y + (v.h > 4 ? rnd_in(2, v.h - 3) : v.h / 2);
}

static int press(struct run *r, int x, int y, int hold_ms)
{
    app_pointer(r->h->a, 0, x, y);
    if (line(r, "wait %d", hold_ms) < 0)
        return -1;
    app_pointer(r->h->a, 2, x, y);
    return line(r, "wait %d", rnd_in(150, 400));
}

static int tap_pick(struct run *r, const struct pick *p)
{
    struct tap_count *c = tap_slot(app_screen_name(r->h->a), p->id);
    if (c)
        c->n++;
    int x, y;
    point_in(p->vis, &x, &y);
    return press(r, x, y, rnd_in(40, 160));
}

static int tap_id(struct run *r, const char *id)
{
    ui *u = app_ui(r->h->a);
    for (int i = 0; i < ui_tree_count(u); i++) {
        const struct ui_node *n = ui_tree_node(u, i);
        ui_rect v;
        if (n->interactive && strcmp(n->id, id) == 0 && visible_rect(n, &v)) {
            struct pick p = {.vis = v, .role = n->role};
            snprintf(p.id, sizeof p.id, "%s", n->id);
            return tap_pick(r, &p) < 0 ? -1 : 1;
        }
    }
    return 0;
}

/* a drag of DY px from (X, Y) in STEPS moves 16 ms apart: few steps make a fling */
static int drag(struct run *r, int x, int y, int dx, int dy, int steps)
{
    app *a = r->h->a;
    app_pointer(a, 0, x, y);
    for (int i = 1; i <= steps; i++) {
        if (line(r, "wait 16") < 0)
            return -1;
        app_pointer(a, 1, x + dx * i / steps, y + dy * i / steps);
    }
    app_pointer(a, 2, x + dx, y + dy);
    return line(r, "wait %d", rnd_in(200, 1500));
}

/* Home from wherever: a dialog's own way out, then the home button. */
static int go_home(struct run *r)
{
    app *a = r->h->a;
    mk.n.homes++;
    for (int i = 0; i < 3 && has(a, W_DIALOG); i++) {
        int t = tap_id(r, "dialog.go_home");
        if (t == 0)
            t = tap_id(r, "dialog.ok");
        if (t == 0)
            t = tap_id(r, "dialog.more_time");
        if (t <= 0)
            return t;
    }
    if (tap_id(r, "kb.done") < 0)
        return -1;
    return tap_id(r, "nav.home") < 0 ? -1 : 0;
}

/* content.db again under a new inode, as an install does (a copy renamed over it).
 * -1 when the driver failed a step; -2 with *ERRNO_RET when the file could not be. */
static int reinstall_content(struct run *r, int *errno_ret)
{
    const char *path = app_config(r->h->a)->content_db;
    char *tmp = xasprintf("%s.monkey-%d", path, (int)getpid());
    FILE *in = fopen(path, "rb"), *out = in ? fopen(tmp, "wb") : NULL;
    int rc = in && out ? 0 : -errno;
    char buf[64 * 1024];
    size_t n;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            rc = -EIO;
    if (in)
        fclose(in);
    if (out && fclose(out) != 0 && rc == 0)
        rc = -EIO;
    if (rc == 0 && rename(tmp, path) != 0)
        rc = -errno;
    if (rc < 0)
        unlink(tmp);
    free(tmp);
    if (rc < 0) {
        *errno_ret = -rc;
        return -2;
    }
    mk.n.reloads++;
    /* the kiosk opens it on the home screen within its 30 s check */
    if (go_home(r) < 0 || line(r, "wait 31000") < 0)
        return -1;
    return 0;
}

/* A USB stick at work for staff, as kiosk-usb marks it (work_dir/usb-busy with a live
 * pid: ours): "working" on whatever screen, then what happened. */
static int usb_stick(struct run *r)
{
    const char *dir = app_config(r->h->a)->work_dir;
    char *path = xasprintf("%s/usb-busy", dir);
    mkdir(dir, 0700);
    FILE *f = fopen(path, "w");
    int rc = f ? 0 : -1;
    if (f) {
        char boot[MARKER_BOOT_ID_SIZE];
        marker_boot_id(boot);
        fprintf(f, "{\"pid\": %d, \"boot\": \"%s\"}\n", (int)getpid(), boot);
        rc = fclose(f) == 0 ? 0 : -1;
    }
    if (rc == 0) {
        mk.n.sticks++;
        rc = line(r, "wait %d", rnd_in(2500, 6000));
        unlink(path);
        if (rc == 0)
            rc = line(r, "wait 2500");
    }
    free(path);
    return rc;
}

static int set_combo(struct run *r, int combo)
{
    static const char *const themes[] = {"standard", "large", "contrast"};
    _Static_assert(ARRAY_SIZE(themes) == UI_THEME_COUNT, "a theme the monkey does not know");
    if (line(r, "lang %s", combo / UI_THEME_COUNT ? "en" : "zh") < 0)
        return -1;
    return line(r, "theme %s", themes[combo % UI_THEME_COUNT]);
}

static int type_pin(struct run *r)
{
    mk.n.pins++;
    /* whatever random digits are in the field go first: a held backspace */
    ui *u = app_ui(r->h->a);
    for (int i = 0; i < ui_tree_count(u); i++) {
        const struct ui_node *n = ui_tree_node(u, i);
        ui_rect v;
        if (n->interactive && strcmp(n->id, "kb.back") == 0 && visible_rect(n, &v)) {
            if (press(r, v.x + v.w / 2, v.y + v.h / 2, 2500) < 0)
                return -1;
            break;
        }
    }
    for (const char *p = DEMO_PIN; *p; p++) {
        char id[16];
        snprintf(id, sizeof id, "kb.k.%c", *p);
        int t = tap_id(r, id);
        if (t <= 0)
            return t;
    }
    return tap_id(r, "staff.enter") < 0 ? -1 : 0;
}

/* one touch; returns -1 when the driver failed a step */
static int touch(struct run *r)
{
    app *a = r->h->a;
    ui *u = app_ui(a);
    struct pick p;
    if (mk.same_screen >= STUCK_TOUCHES && strcmp(app_screen_name(a), "home") != 0) {
        mk.same_screen = 0;
        return go_home(r);
    }
    if (has(a, W_DIALOG) && rnd01() < 0.8 && pick(a, W_DIALOG, &p)) {
        mk.n.taps++;
        return tap_pick(r, &p);
    }
    if (strcmp(app_screen_name(a), "staff-pin") == 0 && rnd01() < 0.3)
        return type_pin(r);
    bool keys = has(a, W_KEY);
    /* a form: a choice, or onwards, half the time, so that some reach the receipt */
    if (!keys && strcmp(app_screen_name(a), "form") == 0 && rnd01() < 0.5 && pick(a, W_FORM, &p)) {
        mk.n.taps++;
        return tap_pick(r, &p);
    }
    if (keys && rnd01() < 0.4 && pick(a, W_KEY, &p)) {
        mk.n.keys++;
        if (strcmp(p.id, "kb.back") == 0 && rnd01() < 0.3) /* a held backspace repeats */
            return press(r, p.vis.x + p.vis.w / 2, p.vis.y + p.vis.h / 2, rnd_in(600, 2500));
        return tap_pick(r, &p);
    }
    double roll = rnd01();
    ui_rect s = ui_screen(u);
    if (roll < 0.66) {
        if (!pick(a, W_ANY, &p))
            return line(r, "wait 500");
        mk.n.taps++;
        return tap_pick(r, &p);
    }
    if (roll < 0.78) {
        mk.n.drags++;
        int x, y, steps = rnd_in(2, 14);
        if (pick(a, W_LIST, &p)) {
            point_in(p.vis, &x, &y);
            int dy = (int)((rnd01() * 2.4 - 1.2) * p.vis.h);
            return drag(r, x, y, rnd_in(-20, 20), dy, steps);
        }
        x = rnd_in(0, s.w - 1);
        y = rnd_in(0, s.h - 1);
        return drag(r, x, y, rnd_in(-s.w / 3, s.w / 3), rnd_in(-s.h / 2, s.h / 2), steps);
    }
    if (roll < 0.84) {
        mk.n.presses++;
        if (!pick(a, W_ANY, &p))
            return line(r, "wait 500");
        int x, y;
        point_in(p.vis, &x, &y);
        return press(r, x, y, rnd_in(500, 2500));
    }
    if (roll < 0.85) {
        /* the staff gesture: held in the top-left corner */
        mk.n.corners++;
        int c = ui_mm(u, STAFF_CORNER_MM) / 3;
        return press(r, c, c, STAFF_HOLD_MS + rnd_in(100, 600));
    }
    if (roll < 0.92) {
        mk.n.misses++;
        return press(r, rnd_in(0, s.w - 1), rnd_in(0, s.h - 1), rnd_in(40, 160));
    }
    if (roll < 0.98) {
        mk.n.waits++;
        return line(r, "wait %d", rnd_in(100, 5000));
    }
    /* walks away: the warning, and usually the wipe back home */
    mk.n.idles++;
    int idle = app_config(a)->idle_seconds;
    return line(r, "idle %d", rnd_in(MAX(idle - 10, 1), idle + 45));
}

/* The live heap on the home screen with read-aloud off, after the idle reset's
 * release (app_release: the text cache emptied, images and font sizes closed), so that a cache filling up to its budget (ui.c) or the sound queued for
 * reading is not taken for a leak; the home screen's own strings are drawn again
 * before the count. */
static size_t heap_at_home(struct run *r, size_t *ret_sqlite)
{
    if (go_home(r) < 0)
        return 0;
    /* read-aloud off: its queue holds the synthesised sound of the whole screen */
    if (app_reading(r->h->a) && tap_id(r, "chrome.read") <= 0)
        return 0;
    app_release(r->h->a);
    if (line(r, "wait 2000") < 0)
        return 0;
    *ret_sqlite = store_sqlite_bytes();
    return soak_heap_bytes(&mk.heap_measure);
}

static int run(const struct script_hook *h, long seed, long count, char *err, size_t errlen)
{
    struct run r = {h, seed, 0};
    mk.rng = (uint64_t)seed * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL;
    if (!mk.rng)
        mk.rng = 1;
    long warm = MIN(count / 2, 5000);
    mk.heap_warm = mk.heap_end = 0;
    int combo = (int)app_lang(h->a) * UI_THEME_COUNT + (int)ui_theme(app_ui(h->a));
    for (r.touch = 1; r.touch <= count; r.touch++) {
        int rc = touch(&r);
        if (rc == 0 && r.touch % COMBO_EVERY == 0)
            rc = set_combo(&r, combo = (combo + 1) % COMBOS);
        int e = 0;
        if (rc == 0 && r.touch % RELOAD_EVERY == 0 && (rc = reinstall_content(&r, &e)) == -2) {
            snprintf(err, errlen, "monkey: cannot install %s again: %s", app_config(h->a)->content_db,
                     strerror(e));
            return -1;
        }
        if (rc == 0 && r.touch % USB_EVERY == USB_EVERY / 2)
            rc = usb_stick(&r);
        if (rc == 0)
            rc = observe(&r);
        if (rc == 0 && r.touch % TREE_EVERY == 0)
            rc = write_tree(&r);
        if (rc == 0 && r.touch == warm && !(mk.heap_warm = heap_at_home(&r, &mk.sqlite_warm)))
            rc = -1;
        if (rc < 0) {
            snprintf(err, errlen, "monkey %ld %ld: touch %ld: the driver failed a step (above)", seed, count,
                     r.touch);
            return -1;
        }
    }
    if (!(mk.heap_end = heap_at_home(&r, &mk.sqlite_end))) {
        snprintf(err, errlen, "monkey %ld %ld: could not go home at the end", seed, count);
        return -1;
    }
    int combos = 0;
    for (int i = 0; i < COMBOS; i++)
        combos += mk.combo_seen[i];
    printf("monkey: seed %ld: %ld touches: %ld taps, %ld keys, %ld drags, %ld long presses, %ld staff corner, "
           "%ld PIN, %ld anywhere, %ld waits, %ld idle, %ld content installs, %ld USB sticks, %ld home; %ld trees\n",
           seed, count, mk.n.taps, mk.n.keys, mk.n.drags, mk.n.presses, mk.n.corners, mk.n.pins, mk.n.misses,
           mk.n.waits, mk.n.idles, mk.n.reloads, mk.n.sticks, mk.n.homes, mk.trees);
    printf("monkey: screens reached:");
    for (int i = 0; i < mk.n_seen; i++)
        printf(" %s", mk.seen[i]);
    printf("; language and theme pairs seen: %d of %d\n", combos, COMBOS);
    if (mk.heap_warm)
        printf("monkey: live heap after warm-up (%ld touches) %zu bytes, at the end %zu bytes (%+.2f %%) [%s]\n",
               warm, mk.heap_warm, mk.heap_end, 100.0 * ((double)mk.heap_end - (double)mk.heap_warm) / (double)mk.heap_warm,
               mk.heap_measure);
    if (mk.heap_warm)
        printf("monkey: of which SQLite (sqlite3_memory_used) %zu bytes after warm-up, %zu at the end\n",
               mk.sqlite_warm, mk.sqlite_end);
    fflush(stdout);
    return 0;
}

static int check(const char *pct_s, const char *except, char *err, size_t errlen)
{
    char *end;
    double pct = strtod(pct_s, &end);
    if (*end || pct < 0) {
        snprintf(err, errlen, "monkey-check: \"%s\" is not a percentage", pct_s);
        return -1;
    }
    strbuf missing = {0};
    for (int i = 0; app_screen_at(i); i++) {
        const char *name = app_screen_at(i)->name;
        bool seen = false;
        for (int k = 0; k < mk.n_seen && !seen; k++)
            seen = strcmp(mk.seen[k], name) == 0;
        if (seen)
            continue;
        if (except) {
            size_t len = strlen(name);
            const char *p = except;
            bool excused = false;
            while (*p && !excused) {
                const char *comma = strchr(p, ',');
                size_t n = comma ? (size_t)(comma - p) : strlen(p);
                excused = n == len && strncmp(p, name, n) == 0;
                p += n + (comma ? 1 : 0);
            }
            if (excused)
                continue;
        }
        strbuf_addf(&missing, " %s", name);
    }
    int combos = 0;
    for (int i = 0; i < COMBOS; i++)
        combos += mk.combo_seen[i];
    int rc = 0;
    if (missing.len) {
        snprintf(err, errlen, "monkey-check: screens never reached:%s", missing.buf);
        rc = -1;
    } else if (combos != COMBOS) {
        snprintf(err, errlen, "monkey-check: only %d of %d language and theme pairs seen", combos, COMBOS);
        rc = -1;
    } else if (!mk.heap_warm) {
        snprintf(err, errlen, "monkey-check: no heap figures (run monkey with at least 5 touches first)");
        rc = -1;
    } else if ((double)mk.heap_end > (double)mk.heap_warm * (1 + pct / 100)) {
        snprintf(err, errlen, "monkey-check: the live heap grew from %zu to %zu bytes, more than %.1f %%",
                 mk.heap_warm, mk.heap_end, pct);
        rc = -1;
    }
    strbuf_release(&missing);
    return rc;
}

int monkey_step(const struct script_hook *h, const char *cmd, const char *a1, const char *a2,
                char *err, size_t errlen)
{
    if (strcmp(cmd, "monkey") == 0) {
        char *e1 = NULL, *e2 = NULL;
        long seed = a1 ? strtol(a1, &e1, 10) : 0, count = a2 ? strtol(a2, &e2, 10) : 0;
        if (!a1 || !a2 || *e1 || *e2 || seed < 0 || count < 1 || count > 10000000) {
            snprintf(err, errlen, "monkey: expected SEED COUNT (a number, then 1-10000000 touches)");
            return -1;
        }
        return run(h, seed, count, err, errlen);
    }
    if (strcmp(cmd, "monkey-check") == 0) {
        if (!a1) {
            snprintf(err, errlen, "monkey-check: expected PCT [EXCEPT,...]");
            return -1;
        }
        return check(a1, a2, err, errlen);
    }
    return 1;
}
