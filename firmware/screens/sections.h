/* sections.h - a layout cursor for the long, scrolling screens (a guide, the help
 * screen, a document): headings, paragraphs and label/value fields stacked down the
 * page, each recorded in the semantic tree under the id the caller gives. */
#ifndef KIOSK_SECTIONS_H
#define KIOSK_SECTIONS_H

#include "app.h"

/* What adding to a sec does: draw and record in the tree; or only move y as drawing
 * would (to measure what is off screen); or move y by a cheap guess from the text's
 * length (sec_guess_lines), for a long page's blocks not laid out yet (lazy.h). */
enum sec_mode { SEC_DRAW, SEC_MEASURE, SEC_GUESS };

struct sec {
    app *a;
    ui *u;
    int x, y, w; /* y advances as things are added */
    enum sec_mode mode; /* SEC_DRAW from sec_start */
};

struct sec sec_start(app *a, int x, int y, int w);
void sec_heading(struct sec *s, const char *id, const char *text);
void sec_subheading(struct sec *s, const char *id, const char *text);
void sec_text(struct sec *s, const char *id, const char *text);
void sec_muted(struct sec *s, const char *id, const char *text);
/* a muted label above its value; nothing when VALUE is empty */
void sec_field(struct sec *s, const char *id, const char *label, const char *value);
void sec_gap(struct sec *s, double mm);

/* How far sec_heading, sec_subheading and sec_text would move the cursor for TEXT in
 * width W, without drawing or recording anything (to measure what is not on screen). */
int sec_heading_h(ui *u, const char *text, int w);
int sec_subheading_h(ui *u, const char *text, int w);
int sec_text_h(ui *u, const char *text, int w);

/* Lines TEXT takes in width W when a character is as wide as a Chinese one (PX) or,
 * outside the CJK ranges, a little over half that: a guess, cheap and linear. The
 * widest line's width goes to *RET_W when it is not NULL. */
int sec_guess_lines(const char *text, int px, int w, int *ret_w);

#endif
