/* present.c - the final blit, turned for a turned panel; see present.h. */
#include "present.h"
#include "base/util.h"

#include <SDL.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Linux 5.14; older kernels say EINVAL and the pages fault in one by one as before */
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

struct present {
    SDL_Window *win;
    int rotation;
    SDL_Surface *phys;    /* the window surface: borrowed from SDL */
    SDL_Surface *logical; /* owned; NULL for rotation 0 (the UI draws into phys) */
    SDL_Thread *warm;     /* present_warm's thread, until present_settle */
};

void present_logical_size(int rotation, int pw, int ph, int *lw, int *lh)
{
    bool quarter = rotation == 90 || rotation == 270;
    *lw = quarter ? ph : pw;
    *lh = quarter ? pw : ph;
}

void present_to_physical(int rotation, int lw, int lh, int lx, int ly, int *px, int *py)
{
    switch (rotation) {
    case 90: *px = lh - 1 - ly; *py = lx; break;
    case 180: *px = lw - 1 - lx; *py = lh - 1 - ly; break;
    case 270: *px = ly; *py = lw - 1 - lx; break;
    default: *px = lx; *py = ly; break;
    }
}

void present_to_logical(int rotation, int lw, int lh, int px, int py, int *lx, int *ly)
{
    switch (rotation) {
    case 90: *lx = py; *ly = lh - 1 - px; break;
    case 180: *lx = lw - 1 - px; *ly = lh - 1 - py; break;
    case 270: *lx = lw - 1 - py; *ly = px; break;
    default: *lx = px; *ly = py; break;
    }
}

/* (Re)fetches the window surface and, for a turned panel, makes the logical surface
 * of the swapped size in the same pixel format. */
static int attach(present *p, char *err, size_t errlen)
{
    SDL_Surface *s = SDL_GetWindowSurface(p->win);
    if (!s) {
        /* SDL's wayland and kmsdrm drivers have no surface of their own, only a texture
         * through a renderer (main.c asks for GLES2 there); without one SDL fails with
         * no error. */
        const char *why = SDL_GetError();
        snprintf(err, errlen, "no window surface: %s", why[0] ? why
                 : "SDL's video driver has none without a renderer (SDL_FRAMEBUFFER_ACCELERATION; "
                   "docs/display.md)");
        return -EIO;
    }
    p->phys = s;
    if (p->rotation == 0)
        return 0;
    if (s->format->BytesPerPixel != 4) {
        snprintf(err, errlen, "rotation: the window surface has %d bytes a pixel, not 4",
                 s->format->BytesPerPixel);
        return -ENOTSUP;
    }
    int lw, lh;
    present_logical_size(p->rotation, s->w, s->h, &lw, &lh);
    if (p->logical && p->logical->w == lw && p->logical->h == lh &&
        p->logical->format->format == s->format->format)
        return 0;
    SDL_FreeSurface(p->logical);
    p->logical = SDL_CreateRGBSurfaceWithFormat(0, lw, lh, 32, s->format->format);
    if (!p->logical) {
        snprintf(err, errlen, "rotation: cannot make a %dx%d surface: %s", lw, lh, SDL_GetError());
        return -ENOMEM;
    }
    return 0;
}

/* Maps every page of S's pixels in one call: on a virtual machine each page's first
 * touch is a costly fault, 2,000 of them for a 1080x1920 window */
static void populate(SDL_Surface *s)
{
    if (!s || !s->pixels)
        return;
    long pg = sysconf(_SC_PAGESIZE);
    if (pg <= 0)
        return;
    uintptr_t a = (uintptr_t)s->pixels & ~(uintptr_t)(pg - 1);
    uintptr_t end = (uintptr_t)s->pixels + (size_t)s->pitch * (size_t)s->h;
    (void)madvise((void *)a, end - a, MADV_POPULATE_WRITE);
}

static int warm_main(void *arg)
{
    present *p = arg;
    populate(p->phys);
    SDL_UpdateWindowSurface(p->win);
    return 0;
}

void present_warm(present *p)
{
    const char *drv = SDL_GetCurrentVideoDriver();
    if (p->warm || !drv || strcmp(drv, "x11") != 0)
        return;
    p->warm = SDL_CreateThread(warm_main, "present-warm", p);
}

void present_settle(present *p)
{
    if (p && p->warm) {
        SDL_WaitThread(p->warm, NULL);
        p->warm = NULL;
    }
}

int present_open(SDL_Window *win, int rotation, present **out, char *err, size_t errlen)
{
    present *p = xcalloc(1, sizeof *p);
    p->win = win;
    p->rotation = rotation;
    int r = attach(p, err, errlen);
    if (r < 0) {
        present_close(p);
        return r;
    }
    *out = p;
    return 0;
}

void present_close(present *p)
{
    if (!p)
        return;
    present_settle(p);
    SDL_FreeSurface(p->logical);
    free(p);
}

SDL_Surface *present_target(present *p)
{
    return p->logical ? p->logical : p->phys;
}

int present_rotation(const present *p)
{
    return p->rotation;
}

void present_size(const present *p, int *lw, int *lh)
{
    present_logical_size(p->rotation, p->phys->w, p->phys->h, lw, lh);
}

int present_resize(present *p, char *err, size_t errlen)
{
    present_settle(p);
    return attach(p, err, errlen);
}

int present_set_logical_size(present *p, int lw, int lh, char *err, size_t errlen)
{
    int pw, ph;
    present_settle(p);
    present_logical_size(p->rotation, lw, lh, &pw, &ph); /* the swap is its own inverse */
    SDL_SetWindowSize(p->win, pw, ph);
    int r = attach(p, err, errlen);
    if (r == 0 && (p->phys->w != pw || p->phys->h != ph)) {
        snprintf(err, errlen, "the window is %dx%d, not %dx%d", p->phys->w, p->phys->h, pw, ph);
        r = -EIO;
    }
    return r;
}

/* Copies logical rectangle R of p->logical, turned, into p->phys; returns the
 * physical rectangle it covers. */
static SDL_Rect turn(present *p, ui_rect r)
{
    SDL_Surface *src = p->logical, *dst = p->phys;
    int lw = src->w, lh = src->h;
    int x0 = MAX(r.x, 0), y0 = MAX(r.y, 0);
    int x1 = MIN(r.x + r.w, lw), y1 = MIN(r.y + r.h, lh);
    if (x1 <= x0 || y1 <= y0)
        return (SDL_Rect){0, 0, 0, 0};
    SDL_LockSurface(dst);
    for (int y = y0; y < y1; y++) {
        const Uint32 *row = (const Uint32 *)((const Uint8 *)src->pixels + (size_t)y * src->pitch);
        for (int x = x0; x < x1; x++) {
            int px, py;
            present_to_physical(p->rotation, lw, lh, x, y, &px, &py);
            *(Uint32 *)((Uint8 *)dst->pixels + (size_t)py * dst->pitch + (size_t)px * 4) = row[x];
        }
    }
    SDL_UnlockSurface(dst);
    /* the physical rectangle: from two opposite corners */
    int ax, ay, bx, by;
    present_to_physical(p->rotation, lw, lh, x0, y0, &ax, &ay);
    present_to_physical(p->rotation, lw, lh, x1 - 1, y1 - 1, &bx, &by);
    return (SDL_Rect){MIN(ax, bx), MIN(ay, by), abs(ax - bx) + 1, abs(ay - by) + 1};
}

void present_update(present *p, ui_rect r)
{
    SDL_Rect pr = {r.x, r.y, r.w, r.h};
    present_settle(p);
    if (p->logical)
        pr = turn(p, r);
    if (pr.w > 0 && pr.h > 0)
        SDL_UpdateWindowSurfaceRects(p->win, &pr, 1);
}

SDL_Surface *present_frame(present *p)
{
    present_settle(p);
    if (p->logical)
        turn(p, (ui_rect){0, 0, p->logical->w, p->logical->h});
    return p->phys;
}
