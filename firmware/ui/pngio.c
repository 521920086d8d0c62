/* pngio.c - see pngio.h. libpng's simplified API is documented in libpng-manual.txt,
 * "V. Simplified API" (libpng 1.6). */
#include "ui/pngio.h"
#include "base/fileio.h"
#include "base/util.h"

#include <errno.h>
#include <png.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(int rc, char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return rc;
}

int pngio_decode(const void *data, size_t len, int max_side, SDL_Surface **ret, char *err,
                 size_t errlen)
{
    *ret = NULL;
    if (!data || len < 8 || png_sig_cmp((png_const_bytep)data, 0, 8) != 0)
        return fail(-EINVAL, err, errlen, "not a PNG");
    if (max_side <= 0 || max_side > PNGIO_MAX_SIDE)
        max_side = PNGIO_MAX_SIDE;
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    /* reads the header only: the size is known before anything is allocated for it */
    if (!png_image_begin_read_from_memory(&im, data, len))
        return fail(-EINVAL, err, errlen, "damaged PNG: %s", im.message);
    if (im.width == 0 || im.height == 0 || im.width > (png_uint_32)max_side ||
        im.height > (png_uint_32)max_side) {
        png_image_free(&im);
        return fail(-EFBIG, err, errlen, "PNG of %ux%u px, more than %d px a side", (unsigned)im.width,
                    (unsigned)im.height, max_side);
    }
    /* ARGB8888 is a 32-bit word 0xAARRGGBB: bytes B, G, R, A in little-endian memory */
    im.format = SDL_BYTEORDER == SDL_LIL_ENDIAN ? PNG_FORMAT_BGRA : PNG_FORMAT_ARGB;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, (int)im.width, (int)im.height, 32,
                                                    SDL_PIXELFORMAT_ARGB8888);
    if (!s) {
        png_image_free(&im);
        return fail(-ENOMEM, err, errlen, "no memory for a PNG of %ux%u px", (unsigned)im.width,
                    (unsigned)im.height);
    }
    /* the row stride counts components, one byte each here */
    if (!png_image_finish_read(&im, NULL, s->pixels, s->pitch, NULL)) {
        SDL_FreeSurface(s);
        png_image_free(&im);
        return fail(-EINVAL, err, errlen, "damaged PNG: %s", im.message);
    }
    png_image_free(&im);
    *ret = s;
    return 0;
}

int pngio_encode(SDL_Surface *s, void **ret, size_t *ret_len, char *err, size_t errlen)
{
    *ret = NULL;
    *ret_len = 0;
    if (!s || s->w <= 0 || s->h <= 0)
        return fail(-EINVAL, err, errlen, "no picture to encode");
    bool alpha = s->format->Amask != 0;
    /* bytes R, G, B (, A) in memory whatever the byte order, which libpng takes as is */
    SDL_Surface *c = SDL_ConvertSurfaceFormat(s, alpha ? SDL_PIXELFORMAT_RGBA32 : SDL_PIXELFORMAT_RGB24, 0);
    if (!c)
        return fail(-ENOMEM, err, errlen, "cannot convert the picture: %s", SDL_GetError());
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    im.width = (png_uint_32)c->w;
    im.height = (png_uint_32)c->h;
    im.format = alpha ? PNG_FORMAT_RGBA : PNG_FORMAT_RGB;
    /* written once into a buffer of the largest size such a PNG can have (a little more
     * than the raw pixels), then cut to size */
    png_alloc_size_t n = PNG_IMAGE_PNG_SIZE_MAX(im);
    void *buf = xmalloc(n);
    int rc = 0;
    if (!png_image_write_to_memory(&im, buf, &n, 0, c->pixels, c->pitch, NULL)) {
        free(buf);
        rc = fail(-EINVAL, err, errlen, "cannot encode a PNG: %s", im.message);
    } else {
        *ret = xrealloc(buf, n);
        *ret_len = n;
    }
    png_image_free(&im);
    SDL_FreeSurface(c);
    return rc;
}

int pngio_save(SDL_Surface *s, const char *path, char *err, size_t errlen)
{
    void *png;
    size_t len;
    int rc = pngio_encode(s, &png, &len, err, errlen);
    if (rc < 0)
        return rc;
    rc = fio_write_atomic(path, png, len, 0644, FIO_NO_SYNC);
    free(png);
    if (rc < 0)
        return fail(rc, err, errlen, "%s: %s", path, strerror(-rc));
    return 0;
}
