/* test_pngio.c - PNG in and out of SDL surfaces (ui/pngio.h): pixels survive a round
 * trip with and without alpha, a grey-and-alpha file from the tree decodes to the size
 * its header gives, images over the cap are refused from their header, and damaged or
 * foreign bytes are an error, never a picture. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fileio.h"
#include "ui/pngio.h"

static uint32_t px(SDL_Surface *s, int x, int y)
{
    return ((const uint32_t *)((const uint8_t *)s->pixels + y * s->pitch))[x];
}

static void set_px(SDL_Surface *s, int x, int y, uint32_t v)
{
    ((uint32_t *)((uint8_t *)s->pixels + y * s->pitch))[x] = v;
}

/* a big-endian 32-bit word of the PNG's bytes */
static uint32_t be32(const void *p, size_t at)
{
    const uint8_t *b = (const uint8_t *)p + at;
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* a W x H ARGB8888 surface whose pixels all differ: alpha, red, green and blue from
 * the position */
static SDL_Surface *pattern(int w, int h, bool alpha)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, alpha ? SDL_PIXELFORMAT_ARGB8888
                                                                      : SDL_PIXELFORMAT_RGB888);
    assert_non_null(s);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint32_t a = alpha ? (uint32_t)(x * 37 + y * 11) & 0xFF : 0xFF;
            set_px(s, x, y, a << 24 | (uint32_t)(x * 7 & 0xFF) << 16 | (uint32_t)(y * 5 & 0xFF) << 8 |
                                ((uint32_t)(x ^ y) & 0xFF));
        }
    return s;
}

static void round_trip(bool alpha)
{
    SDL_Surface *s = pattern(23, 17, alpha);
    void *png;
    size_t len;
    char err[200] = "";
    assert_int_equal(pngio_encode(s, &png, &len, err, sizeof err), 0);
    assert_true(len > 33);
    assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
    assert_int_equal(be32(png, 16), 23); /* IHDR: width, height, depth, colour type */
    assert_int_equal(be32(png, 20), 17);
    assert_int_equal(((uint8_t *)png)[24], 8);
    assert_int_equal(((uint8_t *)png)[25], alpha ? 6 : 2); /* RGBA : RGB */
    SDL_Surface *d;
    assert_int_equal(pngio_decode(png, len, PNGIO_MAX_SIDE, &d, err, sizeof err), 0);
    assert_int_equal(d->format->format, SDL_PIXELFORMAT_ARGB8888);
    assert_int_equal(d->w, 23);
    assert_int_equal(d->h, 17);
    for (int y = 0; y < 17; y++)
        for (int x = 0; x < 23; x++) {
            uint32_t want = px(s, x, y);
            if (!alpha) /* RGB888's unused byte comes back as opaque */
                want = 0xFF000000u | (want & 0xFFFFFF);
            if (px(d, x, y) != want)
                fail_msg("pixel %d,%d: %08X, expected %08X", x, y, px(d, x, y), want);
        }
    SDL_FreeSurface(d);
    SDL_FreeSurface(s);
    free(png);
}

static void test_round_trip_with_alpha(void **st)
{
    (void)st;
    round_trip(true);
}

static void test_round_trip_opaque(void **st)
{
    (void)st;
    round_trip(false);
}

/* a pictogram of the tree: 8-bit grey and alpha, decoded to the header's size, grey
 * (R = G = B) with both ink and clear pixels */
static void test_grey_alpha_file(void **st)
{
    (void)st;
    char *png;
    size_t len;
    assert_int_equal(fio_read_capped("assets/pictograms/consult.png", 1 << 20, 0, &png, &len), 0);
    assert_int_equal(((uint8_t *)png)[25], 4); /* grey + alpha */
    SDL_Surface *d;
    assert_int_equal(pngio_decode(png, len, PNGIO_MAX_SIDE, &d, NULL, 0), 0);
    assert_int_equal(d->w, (int)be32(png, 16));
    assert_int_equal(d->h, (int)be32(png, 20));
    int clear = 0, ink = 0;
    for (int y = 0; y < d->h; y++)
        for (int x = 0; x < d->w; x++) {
            uint32_t p = px(d, x, y), a = p >> 24;
            assert_int_equal((p >> 16) & 0xFF, (p >> 8) & 0xFF);
            assert_int_equal((p >> 8) & 0xFF, p & 0xFF);
            clear += a == 0;
            ink += a == 0xFF;
        }
    assert_true(clear > 0 && ink > 0);
    SDL_FreeSurface(d);
    free(png);
}

/* refused from the header: one pixel over the caller's cap, and over PNGIO_MAX_SIDE
 * whatever the caller asks */
static void test_caps(void **st)
{
    (void)st;
    SDL_Surface *s = pattern(PNGIO_MAX_SIDE + 1, 1, false), *d = (SDL_Surface *)&d;
    void *png;
    size_t len;
    char err[200] = "";
    assert_int_equal(pngio_encode(s, &png, &len, NULL, 0), 0);
    assert_int_equal(pngio_decode(png, len, PNGIO_MAX_SIDE, &d, err, sizeof err), -EFBIG);
    assert_null(d);
    assert_non_null(strstr(err, "4097x1"));
    assert_int_equal(pngio_decode(png, len, 100000, &d, NULL, 0), -EFBIG);
    free(png);
    SDL_FreeSurface(s);

    s = pattern(40, 10, true);
    assert_int_equal(pngio_encode(s, &png, &len, NULL, 0), 0);
    assert_int_equal(pngio_decode(png, len, 39, &d, NULL, 0), -EFBIG);
    assert_int_equal(pngio_decode(png, len, 40, &d, NULL, 0), 0);
    SDL_FreeSurface(d);
    free(png);
    SDL_FreeSurface(s);
}

static void test_damaged_and_foreign_bytes(void **st)
{
    (void)st;
    SDL_Surface *s = pattern(64, 64, true), *d = (SDL_Surface *)&d;
    void *png;
    size_t len;
    char err[200] = "";
    assert_int_equal(pngio_encode(s, &png, &len, NULL, 0), 0);
    SDL_FreeSurface(s);

    assert_int_equal(pngio_decode("GIF89a\1\0\1\0", 10, 0, &d, err, sizeof err), -EINVAL);
    assert_null(d);
    assert_string_equal(err, "not a PNG");
    assert_int_equal(pngio_decode(png, 0, 0, &d, NULL, 0), -EINVAL);
    assert_int_equal(pngio_decode(NULL, 100, 0, &d, NULL, 0), -EINVAL);
    /* cut short: the header alone, then half the pixels */
    assert_int_equal(pngio_decode(png, 20, 0, &d, NULL, 0), -EINVAL);
    err[0] = 0;
    assert_int_equal(pngio_decode(png, len / 2, 0, &d, err, sizeof err), -EINVAL);
    assert_null(d);
    assert_non_null(strstr(err, "damaged PNG"));
    /* a byte of the pixel data changed: its chunk's CRC no longer matches */
    uint8_t *b = png;
    b[len - 20] ^= 0x55;
    assert_int_equal(pngio_decode(png, len, 0, &d, NULL, 0), -EINVAL);
    assert_null(d);
    free(png);
}

static void test_save(void **st)
{
    (void)st;
    char dir[] = "/tmp/test_pngio.XXXXXX", path[64], err[200] = "";
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/shot.png", dir);
    SDL_Surface *s = pattern(31, 9, false), *d;
    assert_int_equal(pngio_save(s, path, err, sizeof err), 0);
    char *png;
    size_t len;
    assert_int_equal(fio_read_capped(path, 1 << 20, 0, &png, &len), 0);
    assert_int_equal(pngio_decode(png, len, 0, &d, NULL, 0), 0);
    assert_int_equal(d->w, 31);
    assert_int_equal(px(d, 30, 8), 0xFF000000u | (px(s, 30, 8) & 0xFFFFFF));
    SDL_FreeSurface(d);
    free(png);
    unlink(path);
    char bad[96];
    snprintf(bad, sizeof bad, "%s/no/such/folder.png", dir);
    assert_true(pngio_save(s, bad, err, sizeof err) < 0);
    assert_non_null(strstr(err, "no/such/folder.png"));
    SDL_FreeSurface(s);
    assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_with_alpha),
        cmocka_unit_test(test_round_trip_opaque),
        cmocka_unit_test(test_grey_alpha_file),
        cmocka_unit_test(test_caps),
        cmocka_unit_test(test_damaged_and_foreign_bytes),
        cmocka_unit_test(test_save),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
