/* hallmap.c - see hallmap.h. */
#include "hallmap.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the width and height of a PNG from its IHDR chunk; 0 when it is not one */
static void png_size(const unsigned char *p, size_t n, int *w, int *h)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    *w = *h = 0;
    if (n < 24 || memcmp(p, sig, 8) != 0 || memcmp(p + 12, "IHDR", 4) != 0)
        return;
    unsigned long W = (unsigned long)p[16] << 24 | (unsigned long)p[17] << 16 | p[18] << 8 | p[19];
    unsigned long H = (unsigned long)p[20] << 24 | (unsigned long)p[21] << 16 | p[22] << 8 | p[23];
    if (W > 0 && H > 0 && W <= 16384 && H <= 16384) { /* a map, not a poster */
        *w = (int)W;
        *h = (int)H;
    }
}

void hallmap_load(app *a, struct hallmap *m, const struct hall_window *win, int floor)
{
    memset(m, 0, sizeof *m);
    m->win = win;
    m->floor = win ? win->floor : floor;
    const char *name = hall_map(app_hall(a), m->floor);
    if (!name || store_image(app_store(a), name, &m->png, &m->len) < 0) {
        m->png = NULL;
        return;
    }
    snprintf(m->key, sizeof m->key, "map:%s", name);
    png_size(m->png, m->len, &m->iw, &m->ih);
    if (!m->iw) {
        freep(&m->png);
        m->len = 0;
    }
}

void hallmap_free(struct hallmap *m)
{
    freep(&m->png);
    m->len = 0;
}

void hallmap_floor_words(app *a, int floor, char *out, size_t n)
{
    if (floor >= 1)
        snprintf(out, n, app_tr(a, "hallmap.floor"), floor);
    else /* basements: B1, B2 */
        snprintf(out, n, app_tr(a, "hallmap.basement"), 1 - floor);
}

int hallmap_draw(app *a, const struct hallmap *m, const char *prefix, int x, int y, int w,
                 int max_h, bool draw)
{
    ui *u = app_ui(a);
    const struct ui_palette *p = ui_pal(u);
    char words[96], id[96];
    int g = ui_gap(u), y0 = y;
    hallmap_floor_words(a, m->floor, words, sizeof words);
    snprintf(id, sizeof id, "%s.floor", prefix);
    if (draw)
        y += ui_label(u, id, UI_ROLE_HEADING, UI_FONT_BODY, true, p->text, words, x, y, w);
    else
        y += ui_text_height(u, UI_FONT_BODY, true, words, w);
    if (!m->png)
        return y - y0;
    y += g / 2;
    int mw = w, mh = (int)((long)w * m->ih / m->iw);
    if (max_h > 0 && mh > max_h - (y - y0)) {
        mh = MAX(ui_mm(u, 30), max_h - (y - y0));
        mw = (int)((long)mh * m->iw / m->ih);
    }
    if (draw) {
        ui_rect r = ui_image(u, m->key, m->png, m->len, (ui_rect){x + (w - mw) / 2, y, mw, mh});
        if (r.w > 0) { /* read aloud: "Hall map · Floor 2" */
            char label[192];
            snprintf(id, sizeof id, "%s.map", prefix);
            snprintf(label, sizeof label, "%s · %s", app_tr(a, "help.map"), words);
            ui_node_add(u, id, UI_ROLE_IMAGE, label, r, false);
        }
        if (r.w > 0 && m->win) {
            /* a ring around the window, not just a colour: it reads in grey too */
            int rad = MAX(ui_mm(u, 9), r.w * 6 / 100);
            int cx = r.x + (int)(m->win->x * r.w), cy = r.y + (int)(m->win->y * r.h);
            ui_rect ring = {cx - rad, cy - rad, 2 * rad, 2 * rad};
            ui_frame_round(u, ring, rad, MAX(3, ui_mm(u, 1.6)), p->accent);
            snprintf(id, sizeof id, "%s.ring", prefix);
            ui_node_add(u, id, UI_ROLE_IMAGE, app_kt(a, &m->win->name), ring, false);
        }
    }
    return y + mh - y0;
}
