/* slip.c - a slip laid out by the toolkit and turned into dots; see slip.h. */
#include "slip.h"
#include "base/util.h"

#include <SDL.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The body font is 10.5 "mm" in the standard theme (ui.c); on paper it should be about
 * 24 dots (3 mm at 203 dpi), so the slip is drawn as a panel this many mm per dot. */
#define SLIP_MM_PER_DOT (10.5 / 24.0)

static char *tree_json(ui *u, const char *name, int w, int h)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    fprintf(f, "{\"slip\": ");
    ui_json_str(f, name);
    fprintf(f, ", \"size\": [%d, %d],\n \"widgets\": ", w, h);
    ui_tree_json(u, f);
    fprintf(f, "}\n");
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* Draws the items from the top; returns the height used. */
static int lay_out(ui *u, int dots, const struct slip_item *items, size_t n)
{
    int m = 8, x = m, w = dots - 2 * m, y = m, g = 10;
    for (size_t i = 0; i < n; i++) {
        const struct slip_item *it = &items[i];
        const char *t = it->text ? it->text : "";
        switch (it->kind) {
        case SLIP_HEADING:
            y += ui_label(u, it->id, UI_ROLE_HEADING, UI_FONT_HEADING, true, 0, t, x, y, w) + g;
            break;
        case SLIP_HUGE:
            y += ui_label(u, it->id, UI_ROLE_HEADING,
                          ui_text_width(u, UI_FONT_TITLE, true, t) <= w ? UI_FONT_TITLE : UI_FONT_HEADING,
                          true, 0, t, x, y, w) + g;
            break;
        case SLIP_TEXT:
            y += ui_label(u, it->id, UI_ROLE_TEXT, UI_FONT_BODY, false, 0, t, x, y, w) + g / 2;
            break;
        case SLIP_SMALL:
            y += ui_label(u, it->id, UI_ROLE_TEXT, UI_FONT_SMALL, false, 0, t, x, y, w) + g / 2;
            break;
        case SLIP_TICK: {
            int box = ui_font_px(u, UI_FONT_BODY) * 3 / 4, ind = box + g;
            ui_frame_round(u, (ui_rect){x, y + box / 4, box, box}, 0, 2, 0);
            int th = ui_label(u, it->id, UI_ROLE_TEXT, UI_FONT_BODY, false, 0, t, x + ind, y, w - ind);
            y += MAX(box, th) + g / 2;
            break;
        }
        case SLIP_QR: {
            int side = dots * 2 / 3;
            ui_rect q = ui_qr(u, it->id, t, (ui_rect){x, y, w, side});
            y += q.h + g;
            break;
        }
        case SLIP_RULE:
            for (int d = x; d < x + w; d += 12)
                ui_fill(u, (ui_rect){d, y + g / 2, 6, 2}, 0);
            y += g + 2;
            break;
        }
        if (y > SLIP_MAX_ROWS - 2 * m)
            return SLIP_MAX_ROWS + 1;
    }
    return y + 2 * m;
}

int slip_render(const struct ui_options *opt, int dots, const char *name,
                const struct slip_item *items, size_t n, struct slip_picture *out,
                char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if ((dots != 384 && dots != 576) || n > SLIP_ITEMS_MAX) {
        snprintf(err, errlen, "slip: %d dots, %zu items", dots, n);
        return -EINVAL;
    }
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, dots, SLIP_MAX_ROWS, 32, SDL_PIXELFORMAT_XRGB8888);
    if (!s) {
        snprintf(err, errlen, "slip: %s", SDL_GetError());
        return -ENOMEM;
    }
    struct ui_options o = *opt;
    o.panel_w_mm = dots * SLIP_MM_PER_DOT;
    o.panel_h_mm = SLIP_MAX_ROWS * SLIP_MM_PER_DOT;
    ui *u = ui_create(s, &o, err, errlen);
    if (!u) {
        SDL_FreeSurface(s);
        return -EIO;
    }
    ui_damage_all(u);
    ui_frame_begin(u, 0);
    ui_fill(u, (ui_rect){0, 0, dots, SLIP_MAX_ROWS}, 0xffffff);
    int h = lay_out(u, dots, items, n);
    ui_frame_end(u);
    int rc = 0;
    if (h > SLIP_MAX_ROWS) {
        snprintf(err, errlen, "slip %s: longer than %d dots", name, SLIP_MAX_ROWS);
        rc = -EFBIG;
        goto out;
    }
    out->width = dots;
    out->height = h;
    out->stride = (size_t)dots / 8;
    out->bits = xcalloc((size_t)h, out->stride);
    SDL_LockSurface(s);
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)((const uint8_t *)s->pixels + (size_t)y * s->pitch);
        for (int x = 0; x < dots; x++) {
            uint32_t p = row[x];
            /* luminance under half: a black dot (antialiased edges fall either way) */
            unsigned lum = (299 * ((p >> 16) & 0xff) + 587 * ((p >> 8) & 0xff) + 114 * (p & 0xff)) / 1000;
            if (lum < 128)
                out->bits[(size_t)y * out->stride + (size_t)x / 8] |= (uint8_t)(0x80 >> (x % 8));
        }
    }
    SDL_UnlockSurface(s);
    out->tree_json = tree_json(u, name, dots, h);
    if (!out->tree_json) {
        slip_picture_free(out);
        snprintf(err, errlen, "slip %s: out of memory", name);
        rc = -ENOMEM;
    }
out:
    ui_destroy(u);
    SDL_FreeSurface(s);
    return rc;
}

void slip_picture_free(struct slip_picture *p)
{
    free(p->bits);
    free(p->tree_json);
    memset(p, 0, sizeof *p);
}
