/* kbd.c - see kbd.h. */
#include "kbd.h"
#include "app.h"
#include "core/ime.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPEAT_DELAY_MS 500
#define REPEAT_EVERY_MS 90

struct kbd {
    ime *engine;       /* NULL until the first pinyin key, and after kbd_release */
    char *ime_dir;
    bool ime_failed;   /* the engine could not start: pinyin is left out */
    struct kbd_field *f;
    enum ui_kbd_mode mode;
    bool shift;
    int page;
    uint64_t last_repeat;
};

/* the modes a kind of field cycles through with the mode key, its own first */
static const enum ui_kbd_mode cycles[][4] = {
    [KBD_TEXT] = {UI_KBD_PINYIN, UI_KBD_LATIN, UI_KBD_SYMBOLS, UI_KBD_COUNT},
    [KBD_LATIN] = {UI_KBD_LATIN, UI_KBD_SYMBOLS, UI_KBD_PINYIN, UI_KBD_COUNT},
    [KBD_NUMERIC] = {UI_KBD_NUMPAD, UI_KBD_LATIN, UI_KBD_SYMBOLS, UI_KBD_COUNT},
    [KBD_ID] = {UI_KBD_NUMPAD, UI_KBD_LATIN, UI_KBD_COUNT, UI_KBD_COUNT},
};

kbd *kbd_new(const char *ime_dir)
{
    kbd *k = xcalloc(1, sizeof *k);
    k->ime_dir = xstrdup(ime_dir);
    return k;
}

void kbd_free(kbd *k)
{
    if (!k)
        return;
    ime_close(k->engine);
    free(k->ime_dir);
    free(k);
}

/* The engine, opened now if this is the first pinyin key since the start or the last
 * release; NULL when it cannot start (said once on stderr; pinyin is then left out). */
static ime *engine(kbd *k)
{
    if (k->engine || k->ime_failed)
        return k->engine;
    char err[512];
    if (ime_open(k->ime_dir, &k->engine, err, sizeof err) < 0) {
        k->engine = NULL;
        k->ime_failed = true;
        fprintf(stderr, "kiosk: pinyin input unavailable: %s\n", err);
    }
    return k->engine;
}

void kbd_release(kbd *k)
{
    kbd_reset(k);
    ime_close(k->engine);
    k->engine = NULL;
}

bool kbd_ime_loaded(kbd *k)
{
    return k->engine != NULL;
}

static enum ui_kbd_mode next_mode(kbd *k)
{
    const enum ui_kbd_mode *c = cycles[k->f ? k->f->kind : KBD_TEXT];
    int i = 0;
    while (i < 4 && c[i] != k->mode && c[i] != UI_KBD_COUNT)
        i++;
    for (int step = 1; step <= 4; step++) {
        enum ui_kbd_mode m = c[(i + step) % 4];
        if (m == UI_KBD_COUNT)
            continue;
        if (m == UI_KBD_PINYIN && k->ime_failed)
            continue;
        return m;
    }
    return k->mode;
}

void kbd_focus(kbd *k, struct kbd_field *f)
{
    if (k->engine)
        ime_reset(k->engine);
    k->f = f;
    k->shift = false;
    k->page = 0;
    if (f) {
        k->mode = cycles[f->kind][0];
        if (k->mode == UI_KBD_PINYIN && k->ime_failed)
            k->mode = UI_KBD_LATIN;
        f->caret = CLAMP(f->caret, 0, (int)strlen(f->buf));
    }
}

struct kbd_field *kbd_focused(kbd *k)
{
    return k->f;
}

void kbd_reset(kbd *k)
{
    kbd_focus(k, NULL);
}

enum ui_kbd_mode kbd_mode(kbd *k)
{
    return k->mode;
}

bool kbd_has_pinyin(kbd *k)
{
    return !k->ime_failed;
}

static bool composing(kbd *k)
{
    return k->engine && k->mode == UI_KBD_PINYIN && ime_composing(k->engine);
}

/* ---- editing the field -------------------------------------------------------------- */

/* Inserts S at the caret, as much of it as the field takes: whole characters up to
 * its max_chars and its cap in bytes (a phrase picked near the limit is cut there,
 * rather than lost). False when nothing fitted: the field is full, and its screen
 * says so. */
static bool insert(kbd *k, const char *s)
{
    struct kbd_field *f = k->f;
    size_t len = strlen(f->buf), n = 0;
    int room = f->max_chars - (int)utf8_len(f->buf);
    for (const char *p = s; *p && room > 0; room--) {
        const char *q = p;
        utf8_next(&q);
        if (len + (size_t)(q - s) + 1 > f->cap)
            break;
        n = (size_t)(q - s);
        p = q;
    }
    if (n == 0)
        return false; /* the field is full: nothing is lost, nothing more is taken */
    int c = CLAMP(f->caret, 0, (int)len);
    memmove(f->buf + c + n, f->buf + c, len - (size_t)c + 1);
    memcpy(f->buf + c, s, n);
    f->caret = c + (int)n;
    return true;
}

static bool delete_back(kbd *k)
{
    struct kbd_field *f = k->f;
    int c = CLAMP(f->caret, 0, (int)strlen(f->buf));
    if (c == 0)
        return false;
    int start = c - 1;
    while (start > 0 && ((unsigned char)f->buf[start] & 0xC0) == 0x80)
        start--;
    memmove(f->buf + start, f->buf + c, strlen(f->buf + c) + 1);
    f->caret = start;
    return true;
}

static bool backspace(kbd *k)
{
    if (composing(k)) {
        ime_backspace(k->engine);
        k->page = 0;
        return false; /* the field itself is unchanged */
    }
    return delete_back(k);
}

static bool select_cand(kbd *k, int index)
{
    char *text = NULL;
    int r = ime_select(k->engine, k->page, index, &text);
    k->page = 0;
    if (r == 1 && text) {
        bool ok = insert(k, text);
        free(text);
        return ok;
    }
    return false;
}

/* ---- drawing ------------------------------------------------------------------------- */

ui_rect kbd_draw(kbd *k, app *a, ui_rect area)
{
    if (!k->f)
        return (ui_rect){area.x, area.y + area.h, area.w, 0};
    struct ui_kbd_view v = {
        .mode = k->mode,
        .shift = k->shift,
        .id_x = k->f->kind == KBD_ID,
        .preedit = "",
        .label_space = app_tr(a, "kb.space"),
        .label_done = app_tr(a, "kb.done"),
        .label_back = app_tr(a, "kb.back"),
        .label_shift = app_tr(a, "kb.shift"),
    };
    /* the mode key names the mode it switches to */
    static const char *const names[UI_KBD_COUNT] = {"kb.to_pinyin", "kb.to_latin", "kb.to_symbols",
                                                    "kb.to_numpad"};
    v.label_mode[k->mode] = app_tr(a, names[next_mode(k)]);
    if (composing(k)) {
        v.preedit = ime_preedit(k->engine);
        v.ncands = ime_page(k->engine, k->page, v.cands, 8);
        v.has_prev = k->page > 0;
        v.has_next = ime_has_page(k->engine, k->page + 1);
    }
    return ui_keyboard(app_ui(a), &v, area);
}

/* ---- keys ------------------------------------------------------------------------------ */

enum kbd_result kbd_event(kbd *k, app *a, const char *id)
{
    (void)a;
    if (strncmp(id, "kb.", 3) != 0)
        return KBD_IGNORED;
    if (!k->f)
        return KBD_HANDLED;
    bool changed = false;
    int i;
    if (strncmp(id, "kb.k.", 5) == 0) {
        const char *ch = id + 5;
        bool letter = ch[0] >= 'a' && ch[0] <= 'z' && !ch[1];
        if (letter && k->mode == UI_KBD_PINYIN && !engine(k))
            k->mode = UI_KBD_LATIN; /* the letter goes in as it is */
        if (letter && k->mode == UI_KBD_PINYIN) {
            ime_key(k->engine, ch[0]);
            k->page = 0;
        } else {
            if (composing(k))
                changed |= select_cand(k, 0);
            char buf[8];
            snprintf(buf, sizeof buf, "%s", ch);
            if (letter && ((k->mode == UI_KBD_LATIN && k->shift) || k->mode == UI_KBD_NUMPAD))
                buf[0] = (char)(buf[0] - 'a' + 'A'); /* the X of ID numbers is upper case */
            changed |= insert(k, buf);
            if (k->mode == UI_KBD_LATIN && k->shift)
                k->shift = false; /* one capital, like a phone keyboard */
        }
    } else if (strcmp(id, "kb.sep") == 0) {
        if (composing(k))
            ime_key(k->engine, '\'');
    } else if (strcmp(id, "kb.shift") == 0) {
        k->shift = !k->shift;
    } else if (strcmp(id, "kb.mode") == 0) {
        if (composing(k))
            changed |= select_cand(k, 0);
        k->mode = next_mode(k);
        k->shift = false;
    } else if (strcmp(id, "kb.space") == 0) {
        changed |= composing(k) ? select_cand(k, 0) : insert(k, " ");
    } else if (strcmp(id, "kb.back") == 0) {
        /* releasing a held backspace is not one more delete */
        if (!k->last_repeat)
            changed |= backspace(k);
        k->last_repeat = 0;
    } else if (strcmp(id, "kb.done") == 0) {
        if (composing(k)) {
            /* Enter keeps the letters as typed, as desktop pinyin input does */
            char raw[IME_MAX_INPUT + 1];
            const char *pe = ime_preedit(k->engine);
            size_t n = 0;
            for (; *pe && n < IME_MAX_INPUT; pe++)
                if (*pe >= 'a' && *pe <= 'z')
                    raw[n++] = *pe;
            raw[n] = '\0';
            ime_reset(k->engine);
            changed |= insert(k, raw);
            return changed ? KBD_CHANGED : KBD_HANDLED;
        }
        kbd_focus(k, NULL);
        return KBD_DONE;
    } else if (strcmp(id, "kb.prev") == 0) {
        if (k->page > 0)
            k->page--;
    } else if (strcmp(id, "kb.next") == 0) {
        if (k->engine && ime_has_page(k->engine, k->page + 1))
            k->page++;
    } else if (sscanf(id, "kb.cand.%d", &i) == 1 && composing(k)) {
        changed |= select_cand(k, i);
    }
    return changed ? KBD_CHANGED : KBD_HANDLED;
}

bool kbd_tick(kbd *k, app *a, uint64_t now, int *ret_wake)
{
    uint64_t since;
    const char *held = ui_held(app_ui(a), &since);
    if (!k->f || !held || strcmp(held, "kb.back") != 0)
        return false;
    if (now < since + REPEAT_DELAY_MS) {
        *ret_wake = (int)(since + REPEAT_DELAY_MS - now);
        return false;
    }
    *ret_wake = REPEAT_EVERY_MS;
    if (k->last_repeat && now < k->last_repeat + REPEAT_EVERY_MS) {
        *ret_wake = (int)(k->last_repeat + REPEAT_EVERY_MS - now);
        return false;
    }
    k->last_repeat = now;
    return backspace(k);
}
