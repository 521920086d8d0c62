/* pictos.h - the firmware's own pictograms: the home tiles' line art, drawn by
 * tools/draw-pictograms.py into assets/pictograms and compiled into the program at
 * build time (cmake/embed_pictos.cmake), like the fonts a kiosk cannot be without.
 * The pictures of categories and one-thing steps are content (store_image). */
#ifndef KIOSK_PICTOS_H
#define KIOSK_PICTOS_H

#include "ui/ui.h"

/* The pictogram NAME ("guides": assets/pictograms/guides.png), or NULL when the
 * firmware has none by that name. Static: the caller neither frees nor keeps it
 * past the program. */
const struct ui_picto *pictos_get(const char *name);

#endif
