/* consults.h - what the public-comment screens share (consults.c). */
#ifndef KIOSK_CONSULTS_H
#define KIOSK_CONSULTS_H

#include "app.h"

/* Where a consultation open from OPENS to CLOSES stands on the kiosk's date, in words:
 * "open, N days left", "closing soon", "closes today", "closed", "opens on ...". */
void consult_status_text(app *a, const char *opens, const char *closes, char *out, size_t n);

#endif
