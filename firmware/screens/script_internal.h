/* script_internal.h - what the scripted driver's files share: one run of a script,
 * its virtual clock, and the finger that acts on the semantic tree (script_input.c). */
#ifndef KIOSK_SCRIPT_INTERNAL_H
#define KIOSK_SCRIPT_INTERNAL_H

#include "script.h"

#include <stdbool.h>
#include <stdint.h>

struct run {
    app *a;
    const struct script_env *env;
    const char *name;
    int line;
};

/* the virtual clock (script.c) */
uint64_t sr_vnow(struct run *r);
void sr_advance(struct run *r, uint64_t ms);
/* Steps the app until nothing is left to draw or animate, at frame rate. */
void sr_settle(struct run *r);
void sr_wait_ms(struct run *r, uint64_t ms);
/* Prints FILE:LINE: the message (screen NAME) and returns -1. */
int sr_fail(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* the tree and the finger (script_input.c) */
const struct ui_node *sr_find(struct run *r, const char *text, bool interactive_only, bool by_id);
int sr_write_tree(struct run *r, const char *path);
/* OUTDIR/NAME.EXT, the folder made if missing; you free it */
char *sr_out_path(struct run *r, const char *name, const char *ext);
/* a finger down and up at logical point X, Y */
void sr_tap_at(struct run *r, int x, int y);
void sr_tap_node(struct run *r, const struct ui_node *n);
int sr_tap_id(struct run *r, const char *id);
void sr_drag(struct run *r, const struct ui_node *n, int dy);
int sr_type_text(struct run *r, const char *text);
int sr_type_pinyin(struct run *r, const char *pinyin, int n);
int sr_hold(struct run *r, const char *id, uint64_t ms);
/* tap-local ID: a tap on ID, and fails unless the frame that shows the press redrew
 * only ID's rectangle and laid out no text (issue 18: tap to pressed within a frame) */
int sr_tap_local(struct run *r, const char *id);
int sr_expect_speech(struct run *r, const char *text);
/* expect-loaded ime|speech yes|no: whether the pinyin or speech engine is loaded;
 * "speech yes" first gives read-aloud's worker up to 10 s (real time) to start it */
int sr_expect_loaded(struct run *r, const char *what, const char *yes_no);
int sr_expect_speech_item(struct run *r, const char *text);

#endif
