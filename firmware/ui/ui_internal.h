/* ui_internal.h - what ui.c and text.c share; not for screens. */
#ifndef KIOSK_UI_INTERNAL_H
#define KIOSK_UI_INTERNAL_H

#include "ui.h"

#include <SDL.h>
#include <SDL_ttf.h>

struct text_cache; /* text.c */

/* One opened face at one pixel size, with the fallbacks at the same size. */
struct fontset {
    int px;
    bool bold;
    TTF_Font *main;          /* shared by every size of the file: ui_font_sized */
    TTF_Font *fallback[3];   /* opened on first need: most sizes never need them */
    bool fallback_tried[3];
    ui *owner;
    int ascent;
    uint16_t *adv; /* advance cache for the BMP, 0 = unknown */
    size_t heap;   /* what FreeType took from the heap to open these faces */
};

/* A cache of at most BUDGET bytes (text, lines and surfaces), least recently used
 * evicted first. */
struct text_cache *text_cache_new(size_t budget);
void text_cache_free(struct text_cache *tc);
void text_cache_clear(struct text_cache *tc);
/* Evicts from the least recently used end until the cache is within its budget;
 * invalidates every block (call it between frames). */
void text_cache_trim(struct text_cache *tc);
void text_cache_set_budget(struct text_cache *tc, size_t budget); /* and trims */
/* text_cache_clear, zeroing every string and pixel first */
void text_cache_wipe(struct text_cache *tc);

/* Opens (or finds) the font set for PX / BOLD. NULL only if the font file is bad. */
struct fontset *ui_fontset(ui *u, int px, bool bold);

/* Laid-out, rasterised text, owned by the cache; valid until the next text call. */
struct tline {
    int start, len, width;
    SDL_Surface *surf; /* NULL for an empty line; rasterised on first draw */
};
struct tblock {
    struct tline *lines;
    int nlines;
    int line_h;
};
const struct tblock *text_get(ui *u, struct text_cache *tc, struct fontset *fs, ui_color c,
                              const char *s, int width);
/* Rasterises line I of B if needed and returns its surface (NULL when empty). */
SDL_Surface *text_line_surface(ui *u, struct text_cache *tc, struct fontset *fs,
                               const struct tblock *b, int i);
void text_cache_stats(struct text_cache *tc, struct ui_stats *st);

/* Opens fallback I of FS at its size if it was not tried yet; NULL if unavailable. */
TTF_Font *ui_fallback(struct fontset *fs, int i);
/* F, one of FS's faces, set to FS's size. A face is shared by every size of its file,
 * so every TTF_ call on a fontset's face goes through this first. */
TTF_Font *ui_font_sized(struct fontset *fs, TTF_Font *f);

/* ui.c accessors used by text.c */
struct text_cache *ui_text_cache(ui *u);
const struct ui_options *ui_options(ui *u);
int ui_line_h_px(ui *u, int px);

#endif
