/* script_input.c - the scripted driver's finger: finds widgets in the semantic tree
 * by label or id, taps, drags, holds, and types through the on-screen keyboard the way
 * a visitor would (switching modes, picking pinyin candidates); writes trees. */
#include "script_internal.h"
#include "kbd.h"
#include "speak.h"
#include "core/ime.h"
#include "core/speech.h"
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- the tree ---------------------------------------------------------------------------- */

static bool sr_visible(const struct ui_node *n)
{
    int x0 = MAX(n->rect.x, n->clip.x), y0 = MAX(n->rect.y, n->clip.y);
    int x1 = MIN(n->rect.x + n->rect.w, n->clip.x + n->clip.w);
    int y1 = MIN(n->rect.y + n->rect.h, n->clip.y + n->clip.h);
    return x1 > x0 && y1 > y0;
}

const struct ui_node *sr_find(struct run *r, const char *text, bool interactive_only, bool by_id)
{
    ui *u = app_ui(r->a);
    /* the best match: the whole label, else a label's first line (a tile's name
     * above its explanation), else any label containing the text */
    const struct ui_node *contains = NULL, *first_line = NULL;
    size_t tl = strlen(text);
    for (int i = 0; i < ui_tree_count(u); i++) {
        const struct ui_node *n = ui_tree_node(u, i);
        if ((interactive_only && !n->interactive) || !sr_visible(n))
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

int sr_write_tree(struct run *r, const char *path)
{
    ui *u = app_ui(r->a);
    FILE *f = fopen(path, "w");
    if (!f)
        return -errno;
    fprintf(f, "{\"screen\": ");
    ui_json_str(f, app_screen_name(r->a));
    fprintf(f, ", \"frames\": %llu, \"lang\": \"%s\", \"theme\": \"%s\", \"size\": [%d, %d], \"px_per_mm\": %.4f,\n \"widgets\": ",
            (unsigned long long)ui_frames(u), i18n_lang_code(app_lang(r->a)),
            ui_theme_name(ui_theme(u)), ui_screen(u).w, ui_screen(u).h, ui_px_per_mm(u));
    ui_tree_json(u, f);
    fprintf(f, "}\n");
    return fclose(f) == 0 ? 0 : -errno;
}

char *sr_out_path(struct run *r, const char *name, const char *ext)
{
    mkdir(r->env->outdir, 0755);
    return xasprintf("%s/%s.%s", r->env->outdir, name, ext);
}

/* ---- input synthesis ------------------------------------------------------------------- */

void sr_tap_at(struct run *r, int x, int y)
{
    app_pointer(r->a, 0, x, y);
    app_step(r->a); /* the pressed look is drawn in the next frame */
    sr_advance(r, 80);
    app_pointer(r->a, 2, x, y);
    sr_settle(r);
}

void sr_tap_node(struct run *r, const struct ui_node *n)
{
    int x0 = MAX(n->rect.x, n->clip.x), y0 = MAX(n->rect.y, n->clip.y);
    int x1 = MIN(n->rect.x + n->rect.w, n->clip.x + n->clip.w);
    int y1 = MIN(n->rect.y + n->rect.h, n->clip.y + n->clip.h);
    sr_tap_at(r, (x0 + x1) / 2, (y0 + y1) / 2);
}

/* a slow drag: no fling, so the distance is exact; a long scroll is several drags,
 * each within the area, as a finger would do it */
static void sr_drag_once(struct run *r, const struct ui_node *n, int dy)
{
    int x = n->rect.x + n->rect.w / 2;
    int y0 = n->rect.y + n->rect.h / 2 + dy / 2;
    const int steps = 10;
    app_pointer(r->a, 0, x, y0);
    for (int i = 1; i <= steps; i++) {
        sr_advance(r, 16);
        app_pointer(r->a, 1, x, y0 - dy * i / steps);
        app_step(r->a);
    }
    sr_advance(r, 200);
    app_pointer(r->a, 1, x, y0 - dy);
    app_pointer(r->a, 2, x, y0 - dy);
    sr_settle(r);
}

void sr_drag(struct run *r, const struct ui_node *n, int dy)
{
    int max = MAX(1, n->rect.h * 6 / 10);
    while (dy != 0) {
        int d = CLAMP(dy, -max, max);
        sr_drag_once(r, n, d);
        dy -= d;
    }
}

/* ---- typing through the keyboard, as a finger would -------------------------------- */

static bool sr_key_visible(struct run *r, const char *id)
{
    return sr_find(r, id, true, true) != NULL;
}

int sr_tap_id(struct run *r, const char *id)
{
    const struct ui_node *n = sr_find(r, id, true, true);
    if (!n)
        return -1;
    sr_tap_node(r, n);
    return 0;
}

/* Taps the mode key until PRED holds (at most once round every mode). */
static bool sr_reach_mode(struct run *r, bool (*pred)(struct run *, const char *), const char *arg)
{
    for (int i = 0; i < 5; i++) {
        if (pred(r, arg))
            return true;
        if (sr_tap_id(r, "kb.mode") < 0)
            return false;
    }
    return pred(r, arg);
}

static bool sr_latin_letter_ok(struct run *r, const char *id)
{
    enum ui_kbd_mode m = kbd_mode(app_kbd(r->a));
    bool x_on_pad = strcmp(id, "kb.k.x") == 0 && m == UI_KBD_NUMPAD;
    return (m == UI_KBD_LATIN || x_on_pad) && sr_key_visible(r, id);
}

static bool sr_key_ok(struct run *r, const char *id)
{
    return kbd_mode(app_kbd(r->a)) != UI_KBD_PINYIN && sr_key_visible(r, id);
}

static bool sr_pinyin_ok(struct run *r, const char *id)
{
    (void)id;
    return kbd_mode(app_kbd(r->a)) == UI_KBD_PINYIN;
}

int sr_type_text(struct run *r, const char *text)
{
    if (!kbd_focused(app_kbd(r->a)))
        return sr_fail(r, "type \"%s\": no text field has focus", text);
    for (const char *p = text; *p; p++) {
        unsigned char c = (unsigned char)*p;
        char id[32];
        if (c >= 0x80 || c < 0x20)
            return sr_fail(r, "type: \"%s\": type Latin letters, digits and symbols; use ime for Chinese", text);
        if (c == ' ') {
            if (sr_tap_id(r, "kb.space") < 0)
                return sr_fail(r, "type: no space key on screen");
            continue;
        }
        bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        snprintf(id, sizeof id, "kb.k.%c", letter ? (char)(c | 0x20) : (char)c);
        if (!sr_reach_mode(r, letter ? sr_latin_letter_ok : sr_key_ok, id))
            return sr_fail(r, "type: no key for '%c' on any keyboard of this field", c);
        bool upper = c >= 'A' && c <= 'Z' && kbd_mode(app_kbd(r->a)) == UI_KBD_LATIN;
        if (upper && sr_tap_id(r, "kb.shift") < 0)
            return sr_fail(r, "type: no shift key");
        sr_tap_id(r, id);
    }
    return 0;
}

int sr_type_pinyin(struct run *r, const char *pinyin, int n)
{
    if (!kbd_focused(app_kbd(r->a)))
        return sr_fail(r, "ime \"%s\": no text field has focus", pinyin);
    if (!kbd_has_pinyin(app_kbd(r->a)))
        return sr_fail(r, "ime: the pinyin engine is not available");
    if (!sr_reach_mode(r, sr_pinyin_ok, NULL))
        return sr_fail(r, "ime: the keyboard has no pinyin mode for this field");
    for (const char *p = pinyin; *p; p++) {
        char id[16];
        if (*p == '\'') {
            snprintf(id, sizeof id, "kb.sep");
        } else if (*p >= 'a' && *p <= 'z') {
            snprintf(id, sizeof id, "kb.k.%c", *p);
        } else {
            return sr_fail(r, "ime: \"%s\": pinyin is letters a-z and '", pinyin);
        }
        if (sr_tap_id(r, id) < 0)
            return sr_fail(r, "ime: no key %s on screen", id);
    }
    if (n <= 0)
        return 0;
    for (int page = 0; page < (n - 1) / 8; page++)
        if (sr_tap_id(r, "kb.next") < 0)
            return sr_fail(r, "ime \"%s\" %d: there is no candidate %d", pinyin, n, n);
    char id[32];
    snprintf(id, sizeof id, "kb.cand.%d", (n - 1) % 8);
    if (sr_tap_id(r, id) < 0)
        return sr_fail(r, "ime \"%s\" %d: there is no candidate %d", pinyin, n, n);
    return 0;
}

/* holds a widget down for MS (a key that repeats), then lets go */
int sr_hold(struct run *r, const char *id, uint64_t ms)
{
    const struct ui_node *n = sr_find(r, id, true, true);
    if (!n)
        return sr_fail(r, "hold-id %s: no such interactive widget on screen", id);
    int x = n->rect.x + n->rect.w / 2, y = n->rect.y + n->rect.h / 2;
    app_pointer(r->a, 0, x, y);
    for (uint64_t t = 0; t < ms; t += 10) {
        sr_advance(r, 10);
        app_step(r->a);
    }
    app_pointer(r->a, 2, x, y);
    sr_settle(r);
    return 0;
}

int sr_tap_local(struct run *r, const char *id)
{
    const struct ui_node *n = sr_find(r, id, true, true);
    if (!n)
        return sr_fail(r, "tap-local %s: no such interactive widget on screen", id);
    ui *u = app_ui(r->a);
    ui_rect s = ui_screen(u), w = n->rect; /* copied: the frame below rebuilds the tree */
    int x0 = MAX(w.x, s.x), y0 = MAX(w.y, s.y);
    ui_rect want = {x0, y0, MIN(w.x + w.w, s.x + s.w) - x0, MIN(w.y + w.h, s.y + s.h) - y0};
    int x = MAX(n->rect.x, n->clip.x), y = MAX(n->rect.y, n->clip.y);
    x = (x + MIN(n->rect.x + n->rect.w, n->clip.x + n->clip.w)) / 2;
    y = (y + MIN(n->rect.y + n->rect.h, n->clip.y + n->clip.h)) / 2;
    struct ui_stats before, after;
    ui_stats(u, &before);
    app_pointer(r->a, 0, x, y);
    ui_rect d = app_step(r->a); /* the frame that shows the press */
    ui_stats(u, &after);
    sr_advance(r, 80);
    app_pointer(r->a, 2, x, y);
    sr_settle(r);
    if (d.x != want.x || d.y != want.y || d.w != want.w || d.h != want.h)
        return sr_fail(r, "tap-local %s: the press redrew %dx%d at %d,%d, not the widget's %dx%d at %d,%d",
                       id, d.w, d.h, d.x, d.y, want.w, want.h, want.x, want.y);
    if (after.text_misses != before.text_misses)
        return sr_fail(r, "tap-local %s: the press laid out %llu texts anew", id,
                       (unsigned long long)(after.text_misses - before.text_misses));
    return 0;
}

/* an entry of the speech queue, or of what was spoken, holds TEXT (EXACT: is TEXT) */
static bool speech_has(speak *sp, const char *text, bool exact)
{
    bool found = false;
    for (int i = 0; i < speak_queue_count(sp) + speak_history_count(sp) && !found; i++) {
        int nq = speak_queue_count(sp);
        char *t = i < nq ? speak_queue_item(sp, i) : speak_history_item(sp, i - nq);
        found = t && (exact ? strcmp(t, text) == 0 : strstr(t, text) != NULL);
        free(t);
    }
    return found;
}

/* something read aloud was exactly TEXT (a label read alone, not a screen's reading
 * that contains it) */
int sr_expect_speech_item(struct run *r, const char *text)
{
    speak *sp = app_speak(r->a);
    if (!sp)
        return sr_fail(r, "expect-speech-item: read-aloud is not available");
    return speech_has(sp, text, true)
               ? 0
               : sr_fail(r, "expect-speech-item \"%s\": nothing read aloud was exactly that", text);
}

/* the speech queue, or what was spoken, holds the text */
int sr_expect_speech(struct run *r, const char *text)
{
    speak *sp = app_speak(r->a);
    if (!sp)
        return sr_fail(r, "expect-speech: read-aloud is not available");
    return speech_has(sp, text, false) ? 0 : sr_fail(r, "expect-speech \"%s\": not in the speech queue", text);
}


int sr_expect_loaded(struct run *r, const char *what, const char *yes_no)
{
    bool want = strcmp(yes_no, "yes") == 0;
    if (!want && strcmp(yes_no, "no") != 0)
        return sr_fail(r, "expect-loaded %s %s: say yes or no", what, yes_no);
    bool is;
    if (strcmp(what, "ime") == 0) {
        is = ime_loaded();
    } else if (strcmp(what, "speech") == 0) {
        struct timespec t0, t;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (speak *sp; want && (sp = app_speak(r->a)) && speak_status(sp, NULL) == -EINPROGRESS;) {
            clock_gettime(CLOCK_MONOTONIC, &t);
            if (t.tv_sec - t0.tv_sec > 10)
                break;
            usleep(20 * 1000);
            sr_advance(r, 20);
            app_step(r->a);
        }
        is = speech_loaded();
    } else {
        return sr_fail(r, "expect-loaded %s: ime or speech", what);
    }
    return is == want ? 0 : sr_fail(r, "expect-loaded %s %s: it is %s", what, yes_no, is ? "loaded" : "not loaded");
}
