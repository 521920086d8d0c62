/* fuzz_png.c - PNG bytes as the toolkit decodes them for a content image or a
 * pictogram (firmware/ui/pngio.h). The input is the file, whole. The harness caps
 * pictures at 64 px a side so a run stays fast.
 * Invariants: a refusal is -EINVAL, -EFBIG or -ENOMEM, with a message and no surface;
 * a decoded picture is ARGB8888 within the cap, and encoding it and decoding that
 * again gives back the same pixels. */
#include "fuzz.h"

#include "ui/pngio.h"

#include <errno.h>

#define CAP 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    SDL_Surface *s = NULL, *t = NULL;
    char err[200] = "";
    int rc = pngio_decode(data, size, CAP, &s, err, sizeof err);
    if (rc < 0) {
        FUZZ_CHECK(rc == -EINVAL || rc == -EFBIG || rc == -ENOMEM);
        FUZZ_CHECK(!s && err[0]);
        return 0;
    }
    FUZZ_CHECK(s && s->format->format == SDL_PIXELFORMAT_ARGB8888);
    FUZZ_CHECK(s->w >= 1 && s->w <= CAP && s->h >= 1 && s->h <= CAP);
    void *png;
    size_t len;
    FUZZ_CHECK(pngio_encode(s, &png, &len, err, sizeof err) == 0);
    FUZZ_CHECK(pngio_decode(png, len, CAP, &t, err, sizeof err) == 0);
    FUZZ_CHECK(t->w == s->w && t->h == s->h);
    for (int y = 0; y < s->h; y++)
        FUZZ_CHECK(memcmp((uint8_t *)s->pixels + y * s->pitch, (uint8_t *)t->pixels + y * t->pitch,
                          (size_t)s->w * 4) == 0);
    SDL_FreeSurface(t);
    SDL_FreeSurface(s);
    free(png);
    return 0;
}
