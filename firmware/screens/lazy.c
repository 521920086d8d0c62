/* lazy.c - see lazy.h. Lifted from the document reader (doc.c) so that the reader and
 * the service guide share one way of opening long pages. */
#include "lazy.h"
#include "base/util.h"

#include <stdlib.h>

/* bytes of text the tick measures per call: about 1,000 Chinese characters, a few ms
 * on the board */
#define LAZY_BYTES_PER_TICK 3000

struct lazy lazy_start(const struct lazy_ops *ops, void *ctx)
{
    return (struct lazy){.ops = ops, .ctx = ctx};
}

void lazy_free(struct lazy *l)
{
    free(l->heights);
    free(l->measured);
    l->heights = NULL;
    l->measured = NULL;
}

/* the heights are for this width, theme, language and count; else they start again
 * from guesses and the tick measures them anew */
static void heights_for(app *a, struct lazy *l, int n, int w)
{
    ui *u = app_ui(a);
    if (l->heights && l->width == w && l->lang == app_lang(a) && l->theme == ui_theme(u) && l->n == n)
        return;
    lazy_free(l);
    l->heights = xcalloc((size_t)n + 1, sizeof *l->heights);
    l->measured = xcalloc((size_t)n + 1, sizeof *l->measured);
    l->n_measured = l->next = 0;
    l->width = w;
    l->lang = app_lang(a);
    l->theme = ui_theme(u);
    l->n = n;
    for (int i = 0; i < n; i++) {
        struct sec g = sec_start(a, 0, 0, w);
        g.mode = SEC_GUESS;
        l->ops->layout(a, l->ctx, i, &g);
        l->heights[i] = g.y;
    }
    app_tick_soon(a, l->ctx);
}

static void set_height(struct lazy *l, int i, int h)
{
    l->heights[i] = h;
    if (!l->measured[i]) {
        l->measured[i] = true;
        l->n_measured++;
    }
}

void lazy_draw(app *a, struct lazy *l, int n, struct sec *s, int top, ui_rect area)
{
    ui *u = app_ui(a);
    heights_for(a, l, n, s->w);
    l->top = s->y - top;
    l->area = area;
    for (int i = 0; i < n; i++) {
        ui_rect br = {s->x, s->y, s->w, l->heights[i]};
        if (!ui_visible(u, br)) {
            /* off screen: only its place in the tree */
            l->ops->stub(a, l->ctx, i, br);
            if (!l->measured[i])
                ui_node_estimated(u);
            s->y += l->heights[i];
            continue;
        }
        int y0 = s->y;
        l->ops->layout(a, l->ctx, i, s);
        set_height(l, i, s->y - y0);
    }
}

int lazy_tick(app *a, struct lazy *l, int n, struct ui_scroll *scroll)
{
    ui *u = app_ui(a);
    if (!l->heights || l->lang != app_lang(a) || l->theme != ui_theme(u) || l->n != n)
        return 16; /* the next frame guesses them afresh */
    if (l->n_measured == n)
        return -1;
    if (ui_animating(u) || scroll->dragging)
        return 16; /* the frames lay out what they show meanwhile */
    int y = l->top, budget = LAZY_BYTES_PER_TICK, grew = 0;
    double shift = 0;
    struct sec s = sec_start(a, 0, 0, l->width);
    s.mode = SEC_MEASURE;
    for (int i = 0; i < n && (budget > 0 || i < l->next); i++) {
        int old = l->heights[i];
        if (i >= l->next && !l->measured[i]) {
            s.y = 0;
            l->ops->layout(a, l->ctx, i, &s);
            set_height(l, i, s.y);
            grew += s.y - old;
            if (y + old <= scroll->offset)
                shift += s.y - old;
            budget -= MAX(1, l->ops->bytes(a, l->ctx, i));
            l->next = i + 1;
        }
        y += l->heights[i];
    }
    if (shift)
        ui_scroll_shift(u, scroll, shift);
    if (grew || l->n_measured == n) {
        /* the position indicator, and the tree once every block is measured */
        int bw = MAX(3, ui_mm(u, 1.5)) + 2;
        ui_damage(u, (ui_rect){l->area.x + l->area.w - bw, l->area.y, bw, l->area.h});
    }
    return l->n_measured == n ? -1 : 16;
}
