/* escpos.c - ESC/POS encoding and real-time status parsing; see escpos.h. */
#include "escpos.h"
#include "base/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void escpos_buf_free(struct escpos_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

static void put(struct escpos_buf *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n)
            cap *= 2;
        b->data = xrealloc(b->data, cap);
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void escpos_init(struct escpos_buf *b)
{
    put(b, "\x1b@", 2);
}

int escpos_raster(struct escpos_buf *b, const uint8_t *bits, int width, int height, size_t stride)
{
    if (width < 8 || width > ESCPOS_DOTS_80 || width % 8 || height < 1 ||
        height > ESCPOS_MAX_ROWS || stride < (size_t)width / 8)
        return -EINVAL;
    int bytes = width / 8;
    for (int y0 = 0; y0 < height; y0 += ESCPOS_BAND_ROWS) {
        int rows = height - y0 < ESCPOS_BAND_ROWS ? height - y0 : ESCPOS_BAND_ROWS;
        /* GS v 0 m xL xH yL yH: m = 0 normal size, x in bytes, y in dots */
        uint8_t head[8] = {0x1d, 'v', '0', 0, (uint8_t)(bytes & 0xff), (uint8_t)(bytes >> 8),
                           (uint8_t)(rows & 0xff), (uint8_t)(rows >> 8)};
        put(b, head, sizeof head);
        size_t from = b->len;
        for (int y = y0; y < y0 + rows; y++)
            put(b, bits + (size_t)y * stride, (size_t)bytes);
        /* A printer acts on its real-time commands wherever they occur, even inside
         * picture data: DLE EOT (status), DLE ENQ and DLE DC4 (which can pulse the drawer
         * or power the printer off). Such a pair in the dots loses its DLE, one white dot
         * that no reader of the slip or its QR code can see. */
        for (size_t i = from; i + 1 < b->len; i++)
            if (b->data[i] == 0x10 && (b->data[i + 1] == 0x04 || b->data[i + 1] == 0x05 ||
                                       b->data[i + 1] == 0x14))
                b->data[i] = 0;
    }
    return 0;
}

void escpos_feed_cut(struct escpos_buf *b, int lines)
{
    uint8_t cmd[7] = {0x1b, 'd', (uint8_t)(lines < 0 ? 0 : lines > 255 ? 255 : lines),
                      0x1d, 'V', 66, 0};
    put(b, cmd, sizeof cmd);
}

void escpos_status_request(uint8_t out[3], int n)
{
    out[0] = 0x10;
    out[1] = 0x04;
    out[2] = (uint8_t)n;
}

/* bit 1 and bit 4 set, bit 0 and bit 7 clear */
static bool is_reply(uint8_t c)
{
    return (c & 0x93) == 0x12;
}

int escpos_status_scan(int n, const uint8_t *buf, size_t len, struct escpos_status *st)
{
    if (n < 1 || n > 4)
        return -EINVAL;
    const uint8_t *reply = NULL;
    for (size_t i = 0; i < len; i++)
        if (is_reply(buf[i]))
            reply = &buf[i];
    if (!reply)
        return -EAGAIN;
    uint8_t c = *reply;
    switch (n) {
    case 1:
        st->offline = c & 0x08;
        break;
    case 2:
        st->cover_open = c & 0x04;
        st->paper_stop = c & 0x20;
        st->error = c & 0x40;
        break;
    case 3:
        st->cutter_error = c & 0x08;
        st->unrecoverable = c & 0x20;
        st->error = st->error || (c & 0x40);
        break;
    default:
        st->paper_near_end = c & 0x0c;
        st->paper_end = c & 0x60;
        break;
    }
    st->have |= (uint8_t)(1u << (n - 1));
    return 0;
}

enum escpos_state escpos_status_state(const struct escpos_status *st)
{
    if ((st->have & 0x0f) != 0x0f)
        return ESCPOS_NO_ANSWER;
    /* what a visitor or staff can fix first: an open cover or an empty roll also
     * raise the error bit on some printers */
    if (st->cover_open)
        return ESCPOS_COVER_OPEN;
    if (st->paper_end || st->paper_stop)
        return ESCPOS_PAPER_END;
    if (st->cutter_error || st->unrecoverable || st->error)
        return ESCPOS_ERROR;
    if (st->offline)
        return ESCPOS_OFFLINE;
    if (st->paper_near_end)
        return ESCPOS_NEAR_END;
    return ESCPOS_READY;
}

const char *escpos_state_name(enum escpos_state s)
{
    static const char *const names[] = {"ready", "paper-near-end", "paper-end", "cover-open",
                                        "offline", "error", "no-answer"};
    return (unsigned)s < ARRAY_SIZE(names) ? names[s] : "no-answer";
}
