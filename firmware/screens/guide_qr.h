/* guide_qr.h - what a visitor can take away from a guide as QR codes, in a fixed
 * order: the guide's own page, the online handling address (when there is one),
 * then each material's blank form and filled-in sample. The guide screen and the QR
 * screen share this list, so a button's index means the same code on both. */
#ifndef KIOSK_GUIDE_QR_H
#define KIOSK_GUIDE_QR_H

#include "core/store.h"

struct guide_qr {
    const char *url;   /* points into the service; valid while it is */
    char *caption[LANG_COUNT];
};

/* Builds the list; returns its length. Free with guide_qr_free. */
int guide_qr_list(const struct service *v, struct guide_qr **ret);
void guide_qr_free(struct guide_qr *l, int n);
/* The index of material M's blank form (WHICH 0) or sample (1) in the list. */
int guide_qr_index(const struct service *v, int m, int which);

#endif
