/* test_escpos.c - the ESC/POS encoder and status parser (core/escpos.h). The raster is
 * checked by decoding it back with an independent reader written here from the
 * command's definition (GS v 0 m xL xH yL yH, then rows), and the status bytes are the
 * ones Epson's manual gives for each condition, written out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/escpos.h"

/* Decodes every GS v 0 in B into OUT (rows stacked), returns the rows; WIDTH set. */
static int decode(const struct escpos_buf *b, uint8_t *out, size_t outcap, int *width, int *bands)
{
    int rows = 0;
    *bands = 0;
    for (size_t i = 0; i + 8 <= b->len;) {
        const uint8_t *p = b->data + i;
        if (p[0] == 0x1d && p[1] == 'v' && p[2] == '0') {
            assert_int_equal(p[3], 0);
            int xb = p[4] | p[5] << 8, h = p[6] | p[7] << 8;
            *width = xb * 8;
            assert_true((size_t)(rows + h) * xb <= outcap);
            assert_true(i + 8 + (size_t)xb * h <= b->len);
            memcpy(out + (size_t)rows * xb, p + 8, (size_t)xb * h);
            rows += h;
            (*bands)++;
            i += 8 + (size_t)xb * h;
        } else {
            i++;
        }
    }
    return rows;
}

static void test_escpos_raster_round_trips_in_bands(void **state)
{
    (void)state;
    enum { W = ESCPOS_DOTS_58, H = 300, STRIDE = W / 8 + 5 };
    static uint8_t img[H * STRIDE], back[H * (W / 8)];
    for (int y = 0; y < H; y++)
        for (int x = 0; x < STRIDE; x++) {
            uint8_t v = (uint8_t)(y * 7 + x * 13 + (x >= W / 8 ? 0xff : 0));
            img[y * STRIDE + x] = v == 0x10 ? 0x11 : v; /* no DLE: the next test has those */
        }
    struct escpos_buf b = {0};
    escpos_init(&b);
    assert_int_equal(escpos_raster(&b, img, W, H, STRIDE), 0);
    escpos_feed_cut(&b, 4);
    assert_memory_equal(b.data, "\x1b@", 2);
    int width = 0, bands = 0;
    assert_int_equal(decode(&b, back, sizeof back, &width, &bands), H);
    assert_int_equal(width, W);
    assert_int_equal(bands, 3);   /* 128 + 128 + 44 */
    for (int y = 0; y < H; y++)
        assert_memory_equal(back + y * (W / 8), img + y * STRIDE, W / 8);
    /* the job ends: feed 4 lines, then a partial cut */
    assert_memory_equal(b.data + b.len - 7, "\x1b" "d\x04\x1dV\x42\x00", 7);
    /* ESC @ + 3 band heads + the rows + feed/cut: nothing else */
    assert_int_equal(b.len, 2 + 3 * 8 + (size_t)H * (W / 8) + 7);
    escpos_buf_free(&b);
}

/* Real-time commands hidden in the dots (DLE EOT / ENQ / DC4, also across a row's end)
 * lose their DLE; every other byte arrives as it was. */
static void test_escpos_raster_hides_no_realtime_command(void **state)
{
    (void)state;
    enum { W = 64, H = 3, B = W / 8 };
    static const uint8_t img[H * B] = {
        0x10, 0x04, 0x01, 0x10, 0x05, 0x02, 0x10, 0x14,   /* EOT, ENQ, DC4 */
        0x01, 0x10, 0x10, 0x04, 0x10, 0x20, 0xff, 0x10,   /* DLE DLE EOT; DLE then a dot; a row ending in DLE */
        0x04, 0x03, 0x10, 0x00, 0x00, 0x10, 0x41, 0x10,   /* ... and EOT on the next row */
    };
    static const size_t changed[] = {0, 3, 6, 10, 15};
    struct escpos_buf b = {0};
    assert_int_equal(escpos_raster(&b, img, W, H, B), 0);
    for (size_t i = 0; i + 1 < b.len; i++)
        assert_false(b.data[i] == 0x10 &&
                     (b.data[i + 1] == 0x04 || b.data[i + 1] == 0x05 || b.data[i + 1] == 0x14));
    uint8_t back[H * B];
    int width = 0, bands = 0;
    assert_int_equal(decode(&b, back, sizeof back, &width, &bands), H);
    for (size_t i = 0, c = 0; i < sizeof img; i++) {
        bool dle = c < sizeof changed / sizeof *changed && changed[c] == i;
        assert_int_equal(back[i], dle ? 0 : img[i]);
        c += dle;
    }
    escpos_buf_free(&b);
}

static void test_escpos_raster_refuses_bad_sizes(void **state)
{
    (void)state;
    static uint8_t img[ESCPOS_DOTS_80];
    struct escpos_buf b = {0};
    assert_int_equal(escpos_raster(&b, img, 0, 1, 1), -EINVAL);
    assert_int_equal(escpos_raster(&b, img, 12, 1, 2), -EINVAL);            /* not whole bytes */
    assert_int_equal(escpos_raster(&b, img, ESCPOS_DOTS_80 + 8, 1, 80), -EINVAL);
    assert_int_equal(escpos_raster(&b, img, 8, 0, 1), -EINVAL);
    assert_int_equal(escpos_raster(&b, img, 8, ESCPOS_MAX_ROWS + 1, 1), -EINVAL);
    assert_int_equal(escpos_raster(&b, img, 16, 1, 1), -EINVAL);            /* stride too short */
    assert_int_equal(b.len, 0);
    escpos_buf_free(&b);
}

static void test_escpos_status_request_bytes(void **state)
{
    (void)state;
    uint8_t r[3];
    escpos_status_request(r, 4);
    assert_memory_equal(r, "\x10\x04\x04", 3);
}

/* Feeds the four replies and returns the state. */
static enum escpos_state four(uint8_t s1, uint8_t s2, uint8_t s3, uint8_t s4)
{
    struct escpos_status st = {0};
    const uint8_t r[4] = {s1, s2, s3, s4};
    for (int n = 1; n <= 4; n++)
        assert_int_equal(escpos_status_scan(n, &r[n - 1], 1, &st), 0);
    return escpos_status_state(&st);
}

static void test_escpos_status_conditions(void **state)
{
    (void)state;
    assert_int_equal(four(0x12, 0x12, 0x12, 0x12), ESCPOS_READY);
    assert_int_equal(four(0x16, 0x12, 0x12, 0x12), ESCPOS_READY);      /* drawer pin only */
    assert_int_equal(four(0x12, 0x12, 0x12, 0x1e), ESCPOS_NEAR_END);
    assert_int_equal(four(0x1a, 0x32, 0x12, 0x7e), ESCPOS_PAPER_END);
    assert_int_equal(four(0x1a, 0x16, 0x12, 0x12), ESCPOS_COVER_OPEN);
    assert_int_equal(four(0x1a, 0x56, 0x12, 0x12), ESCPOS_COVER_OPEN); /* error bit with it */
    assert_int_equal(four(0x1a, 0x52, 0x1a, 0x12), ESCPOS_ERROR);      /* cutter */
    assert_int_equal(four(0x1a, 0x1a, 0x12, 0x12), ESCPOS_OFFLINE);    /* feed button */
    assert_string_equal(escpos_state_name(ESCPOS_PAPER_END), "paper-end");
    assert_string_equal(escpos_state_name(ESCPOS_NEAR_END), "paper-near-end");
}

static void test_escpos_status_scan_skips_what_is_not_a_reply(void **state)
{
    (void)state;
    struct escpos_status st = {0};
    /* nothing, XOFF, XON, a byte with bit 7: no reply */
    assert_int_equal(escpos_status_scan(4, NULL, 0, &st), -EAGAIN);
    assert_int_equal(escpos_status_scan(4, (const uint8_t *)"\x13\x11\x92\x00", 4, &st), -EAGAIN);
    assert_int_equal(st.have, 0);
    assert_int_equal(escpos_status_state(&st), ESCPOS_NO_ANSWER);
    /* a late reply after a stale one: the last counts */
    assert_int_equal(escpos_status_scan(4, (const uint8_t *)"\x7e\x13\x12", 3, &st), 0);
    assert_false(st.paper_end);
    assert_int_equal(st.have, 8);
    assert_int_equal(escpos_status_state(&st), ESCPOS_NO_ANSWER);  /* 1-3 missing */
    assert_int_equal(escpos_status_scan(0, (const uint8_t *)"\x12", 1, &st), -EINVAL);
    assert_int_equal(escpos_status_scan(5, (const uint8_t *)"\x12", 1, &st), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escpos_raster_round_trips_in_bands),
        cmocka_unit_test(test_escpos_raster_hides_no_realtime_command),
        cmocka_unit_test(test_escpos_raster_refuses_bad_sizes),
        cmocka_unit_test(test_escpos_status_request_bytes),
        cmocka_unit_test(test_escpos_status_conditions),
        cmocka_unit_test(test_escpos_status_scan_skips_what_is_not_a_reply),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
