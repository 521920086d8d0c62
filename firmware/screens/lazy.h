/* lazy.h - a long scrolling page laid out a block at a time (a document's body, a
 * service guide), so it opens in one frame however long it is. Every block's height
 * starts as a guess from its length; a frame lays out only the blocks it shows and puts
 * the others in the semantic tree at their guessed place, marked estimated (their words
 * are there from the first frame); the screen's tick measures the rest a few thousand
 * bytes at a time, top down, then stops (the loop sleeps again). A correction above the
 * view moves the scroll offset by as much, so what the visitor reads stays put. */
#ifndef KIOSK_LAZY_H
#define KIOSK_LAZY_H

#include "app.h"
#include "sections.h"

/* What a screen tells about its blocks 0..n-1; CTX is its state (also the key of
 * app_tick_soon). */
struct lazy_ops {
    /* block I at s->y, moving s->y below it, as s->mode says: drawn and recorded in
     * the tree (SEC_DRAW), only measured (SEC_MEASURE) or guessed cheaply from its
     * length (SEC_GUESS: sec_guess_lines) */
    void (*layout)(app *a, void *ctx, int i, struct sec *s);
    /* block I is off screen at R (its height a guess or a measure): its node in the
     * tree, never interactive, without laying it out */
    void (*stub)(app *a, void *ctx, int i, ui_rect r);
    /* bytes of text block I holds: what measuring it costs the tick */
    int (*bytes)(app *a, void *ctx, int i);
};

struct lazy {
    const struct lazy_ops *ops;
    void *ctx;
    /* heights for one width, theme, language and block count: guessed until measured */
    int *heights;
    bool *measured;
    int n, n_measured, next; /* next: where the tick's measuring goes on */
    int width;
    kiosk_lang lang;
    enum ui_theme_id theme;
    int top;      /* where block 0 starts in the scrolled content (last frame) */
    ui_rect area; /* the scroll area (last frame) */
};

/* An empty page of OPS for the screen whose state is CTX (nothing allocated yet). */
struct lazy lazy_start(const struct lazy_ops *ops, void *ctx);
void lazy_free(struct lazy *l);

/* Blocks 0..N-1 from s->y down, inside the scroll area AREA whose content begins at
 * screen y TOP: each block on screen is laid out and drawn, the others stubbed at their
 * height. The heights start again from guesses (and the tick is woken) when the width,
 * theme, language or N changed since the last frame. */
void lazy_draw(app *a, struct lazy *l, int n, struct sec *s, int top, ui_rect area);

/* The screen's tick for its N blocks: measures blocks not laid out yet, about 3,000
 * bytes of text a call, moving SCROLL's offset by each correction above the view.
 * Returns the tick's answer: ms until it wants to run again, or -1 once every block is
 * measured. */
int lazy_tick(app *a, struct lazy *l, int n, struct ui_scroll *scroll);

#endif
