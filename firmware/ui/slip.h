/* slip.h - a receipt printer's slip laid out by the kiosk's own text renderer: a list of
 * items (headings, text, tick boxes, QR codes) drawn with the toolkit into an offscreen
 * picture as wide as the paper, then turned into 1-bit dots for ESC/POS raster
 * (core/escpos.h). So Chinese prints on any ESC/POS printer, in the kiosk's own fonts.
 * Like a screen, a slip records its semantic tree (what each item says, where), which
 * the tests read. Text is sized for paper: body text about 3 mm high. */
#ifndef KIOSK_SLIP_H
#define KIOSK_SLIP_H

#include <stddef.h>
#include <stdint.h>

#include "ui/ui.h"

enum slip_kind {
    SLIP_HEADING,  /* bold, larger */
    SLIP_HUGE,     /* the receipt number: as large as fits */
    SLIP_TEXT,
    SLIP_SMALL,
    SLIP_TICK,     /* a tick box, then the text */
    SLIP_QR,       /* TEXT as a QR code, centred */
    SLIP_RULE,     /* a dashed line across (text unused) */
};

struct slip_item {
    enum slip_kind kind;
    const char *id;    /* the tree node's id */
    const char *text;
};

#define SLIP_ITEMS_MAX 200     /* items of one slip */
#define SLIP_MAX_ROWS 8000     /* dots of one slip's length (1 m): longer is cut and fails */

/* The picture: HEIGHT rows of STRIDE bytes, 1 = black, leftmost dot in the top bit; and
 * its tree as JSON {"slip": ..., "size": [w, h], "widgets": [{id, role, label, rect}]}
 * like a screen's tree file. Owns both. */
struct slip_picture {
    uint8_t *bits;
    int width, height;
    size_t stride;
    char *tree_json;
};

/* Lays out ITEMS on paper DOTS wide (384 or 576) with the fonts of OPT (its panel size
 * is ignored). NAME names the slip in its tree. Returns 0, -EINVAL (bad width, too many
 * items), -EFBIG (longer than SLIP_MAX_ROWS) or -ENOMEM/-EIO with err set. */
int slip_render(const struct ui_options *opt, int dots, const char *name,
                const struct slip_item *items, size_t n, struct slip_picture *out,
                char *err, size_t errlen);

void slip_picture_free(struct slip_picture *p);

#endif
