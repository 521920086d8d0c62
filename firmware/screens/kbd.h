/* kbd.h - the keyboard controller: what each key of the on-screen keyboard (drawn by
 * ui_keyboard) does to the focused text field, including pinyin through the input
 * method engine. One per app. The field's text belongs to the screen that holds it;
 * the controller only edits it in place and never keeps a copy, so wiping a screen's
 * fields wipes what was typed (the engine's composition is wiped by kbd_reset). */
#ifndef KIOSK_KBD_H
#define KIOSK_KBD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui/ui.h"

typedef struct app app;

enum kbd_kind {
    KBD_TEXT,    /* names, addresses, descriptions: pinyin first */
    KBD_LATIN,   /* email, passport numbers: Latin letters first */
    KBD_NUMERIC, /* phone numbers: the numeric pad */
    KBD_ID,      /* resident ID numbers: the numeric pad with X */
};

struct kbd_field {
    char *buf;       /* NUL-terminated UTF-8, owned by the screen */
    size_t cap;      /* bytes available in buf, including the NUL: at least
                        max_chars x 4 + 1, so the limit is in characters for any script */
    int caret;       /* byte offset */
    int max_chars;   /* the field's length limit in characters: a key, or a candidate
                        picked, inserts what fits and nothing more */
    enum kbd_kind kind;
};

typedef struct kbd kbd;

/* IME_DIR is the pinyin engine's data directory (copied). The engine (librime) is
 * loaded on the first pinyin key, not here; if it cannot start, that key goes in as a
 * Latin letter, pinyin mode is left out from then on, and the rest of the keyboard
 * works. */
kbd *kbd_new(const char *ime_dir);
void kbd_free(kbd *k);
/* kbd_reset, then closes the engine and unloads librime, with all it held of what was
 * typed: the idle reset calls it, and the next visitor's first pinyin key loads it
 * again. */
void kbd_release(kbd *k);

/* Focuses F (NULL hides the keyboard) and picks the keyboard its kind wants. */
void kbd_focus(kbd *k, struct kbd_field *f);
struct kbd_field *kbd_focused(kbd *k);
/* Forgets any composition and unfocuses: a visitor left or went idle. */
void kbd_reset(kbd *k);

/* Draws the keyboard at the bottom of AREA when a field is focused; returns the
 * rectangle it took (h == 0 when hidden). */
ui_rect kbd_draw(kbd *k, app *a, ui_rect area);

enum kbd_result { KBD_IGNORED, KBD_HANDLED, KBD_CHANGED, KBD_DONE };
/* A tap on a widget: a keyboard key is handled here (the field may change); other ids
 * are KBD_IGNORED and belong to the screen. */
enum kbd_result kbd_event(kbd *k, app *a, const char *id);
/* Backspace repeats while held: call on every step; returns true when the field
 * changed. *ret_wake is set to the ms until the next repeat (or left alone). */
bool kbd_tick(kbd *k, app *a, uint64_t now, int *ret_wake);

/* For scripts: the current mode, whether pinyin is available (true until the engine
 * failed to start) and whether the engine is loaded now. */
enum ui_kbd_mode kbd_mode(kbd *k);
bool kbd_has_pinyin(kbd *k);
bool kbd_ime_loaded(kbd *k);

#endif
