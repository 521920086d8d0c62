/* sections.h - a layout cursor for the long, scrolling screens (a guide, the help
 * screen, a document): headings, paragraphs and label/value fields stacked down the
 * page, each recorded in the semantic tree under the id the caller gives. */
#ifndef KIOSK_SECTIONS_H
#define KIOSK_SECTIONS_H

#include "app.h"

struct sec {
    app *a;
    ui *u;
    int x, y, w; /* y advances as things are added */
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

#endif
