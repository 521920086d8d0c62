/* hallmap.h - the hall map of one floor with a window ringed on it, as the guide, the
 * help screen and "call staff" show it: the floor said in words ("2楼" / "Floor 2"),
 * the map of that floor (hall.json's floors), and a ring around the window. */
#ifndef KIOSK_HALLMAP_H
#define KIOSK_HALLMAP_H

#include "app.h"

#include <stddef.h>

struct hallmap {
    const struct hall_window *win; /* borrowed from app_hall; NULL: no ring */
    int floor;
    char key[80];   /* the image cache key: the map's name */
    void *png;      /* owned; NULL when the floor has no map or it cannot be read */
    size_t len;
    int iw, ih;     /* the PNG's size, from its header */
};

/* Loads the map of WIN's floor (WIN NULL: floor FLOOR, nothing ringed). A missing or
 * unreadable map leaves m->png NULL (hallmap_draw then says only the floor). */
void hallmap_load(app *a, struct hallmap *m, const struct hall_window *win, int floor);
void hallmap_free(struct hallmap *m);

/* The floor in words, in the visitor's language, into OUT. */
void hallmap_floor_words(app *a, int floor, char *out, size_t n);

/* Draws the floor words (node PREFIX.floor), the map (PREFIX.map) no taller than
 * MAX_H, and the ring (PREFIX.ring, labelled with the window's name) from X, Y in
 * width W. With DRAW false, draws nothing and only measures. Returns the height. */
int hallmap_draw(app *a, const struct hallmap *m, const char *prefix, int x, int y, int w,
                 int max_h, bool draw);

#endif
