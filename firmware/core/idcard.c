/* idcard.c - see idcard.h. */
#include "idcard.h"

#include <errno.h>
#include <sodium.h>
#include <string.h>

static const uint8_t preamble[IDCARD_PREAMBLE_LEN] = {0xAA, 0xAA, 0xAA, 0x96, 0x69};

void idcard_parser_init(struct idcard_parser *p)
{
    memset(p, 0, sizeof *p);
}

void idcard_parser_wipe(struct idcard_parser *p)
{
    unsigned long dropped = p->dropped;
    sodium_memzero(p, sizeof *p);
    p->dropped = dropped;
}

static unsigned frame_len(const struct idcard_parser *p)
{
    return (unsigned)p->buf[5] << 8 | p->buf[6];
}

/* The bytes gathered after the first go to be searched again, before the redo bytes
 * still waiting (which came after them). buf's and redo's bytes together never exceed
 * IDCARD_FRAME_MAX: redo only shrinks while it is read, and new data is taken only once
 * it is empty. */
static void requeue(struct idcard_parser *p)
{
    size_t rest = p->redo_n - p->redo_at;
    size_t keep = p->n - 1;
    memmove(p->redo + keep, p->redo + p->redo_at, rest);
    memcpy(p->redo, p->buf + 1, keep);
    p->redo_n = keep + rest;
    p->redo_at = 0;
    sodium_memzero(p->buf, p->n);
    p->n = 0;
}

static void drop(struct idcard_parser *p)
{
    requeue(p);
    p->dropped++;
}

/* Takes byte B: 1 a frame is complete, 0 more is needed, or -EBADMSG / -EMSGSIZE. */
static int take(struct idcard_parser *p, uint8_t b)
{
    if (p->n < IDCARD_PREAMBLE_LEN) {
        if (b != preamble[p->n]) {
            /* not a preamble after all: search again from its second byte on */
            if (p->n > 0) {
                p->buf[p->n++] = b;
                requeue(p);
            }
            return 0;
        }
        p->buf[p->n++] = b;
        return 0;
    }
    p->buf[p->n++] = b;
    if (p->n == IDCARD_HEAD_LEN) {
        unsigned len = frame_len(p);
        if (len < IDCARD_LEN_MIN || len > IDCARD_LEN_MAX) {
            drop(p);
            return -EMSGSIZE;
        }
        return 0;
    }
    if (p->n < IDCARD_HEAD_LEN || p->n < IDCARD_HEAD_LEN + frame_len(p))
        return 0;
    uint8_t x = 0;
    for (size_t i = IDCARD_PREAMBLE_LEN; i + 1 < p->n; i++)
        x ^= p->buf[i];
    if (x != p->buf[p->n - 1]) {
        drop(p);
        return -EBADMSG;
    }
    return 1;
}

int idcard_feed(struct idcard_parser *p, const uint8_t *data, size_t n, size_t *ret_used,
                struct idcard_frame *ret)
{
    size_t used = 0;
    int r = 0;
    if (p->handed) {
        sodium_memzero(p->buf, p->n);
        p->n = 0;
        p->handed = 0;
    }
    *ret = (struct idcard_frame){0};
    /* bytes already seen, put back by a drop, always come before new ones */
    while (r == 0 && (p->redo_at < p->redo_n || used < n)) {
        uint8_t b;
        if (p->redo_at < p->redo_n) {
            b = p->redo[p->redo_at];
            p->redo[p->redo_at++] = 0;
        } else {
            b = data[used++];
        }
        r = take(p, b);
        if (p->redo_at == p->redo_n)
            p->redo_at = p->redo_n = 0;
    }
    if (ret_used)
        *ret_used = used;
    if (r == 1) {
        p->handed = 1;
        ret->body = p->buf + IDCARD_HEAD_LEN;
        ret->body_len = p->n - IDCARD_HEAD_LEN - 1;
    }
    return r;
}

void idcard_command(unsigned cmd, uint8_t out[IDCARD_CMD_LEN])
{
    memcpy(out, preamble, IDCARD_PREAMBLE_LEN);
    out[5] = 0x00;
    out[6] = 0x03;
    out[7] = (uint8_t)(cmd >> 8);
    out[8] = (uint8_t)cmd;
    out[9] = out[5] ^ out[6] ^ out[7] ^ out[8];
}

int idcard_status(const struct idcard_frame *f)
{
    if (!f->body || f->body_len < 3 || f->body[0] != 0 || f->body[1] != 0)
        return -EPROTO;
    return f->body[2];
}

/* UCS-2 LE characters [off, off + chars) of TEXT as UTF-8 into OUT (room for chars x 3
 * + 1), padding (spaces and NULs) cut at the end. -EBADMSG for a surrogate or a control
 * character. */
static int ucs2_field(const uint8_t *text, size_t off, size_t chars, char *out)
{
    size_t k = 0, end = 0;
    for (size_t i = 0; i < chars; i++) {
        unsigned c = text[off + 2 * i] | (unsigned)text[off + 2 * i + 1] << 8;
        if (c == 0)
            break;
        if (c < 0x20 || (c >= 0x7F && c < 0xA0) || (c >= 0xD800 && c < 0xE000))
            return -EBADMSG;
        if (c < 0x80) {
            out[k++] = (char)c;
        } else if (c < 0x800) {
            out[k++] = (char)(0xC0 | c >> 6);
            out[k++] = (char)(0x80 | (c & 0x3F));
        } else {
            out[k++] = (char)(0xE0 | c >> 12);
            out[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[k++] = (char)(0x80 | (c & 0x3F));
        }
        if (c != ' ')
            end = k;
    }
    sodium_memzero(out + end, k - end);
    out[end] = '\0';
    return 0;
}

int idcard_text_person(const uint8_t *text, struct idcard_person *ret)
{
    memset(ret, 0, sizeof *ret);
    char id[IDCARD_ID_CHARS * 3 + 1];
    int r = ucs2_field(text, IDCARD_NAME_OFF, IDCARD_NAME_CHARS, ret->name);
    if (r == 0)
        r = ucs2_field(text, IDCARD_ID_OFF, IDCARD_ID_CHARS, id);
    if (r == 0 && (ret->name[0] == '\0' || strlen(id) != IDCARD_ID_CHARS))
        r = -EBADMSG;
    for (int i = 0; r == 0 && i < IDCARD_ID_CHARS; i++)
        if (!(id[i] >= '0' && id[i] <= '9') && !(i == IDCARD_ID_CHARS - 1 && id[i] == 'X'))
            r = -EBADMSG;
    if (r == 0)
        memcpy(ret->id, id, IDCARD_ID_CHARS + 1);
    else
        sodium_memzero(ret, sizeof *ret);
    sodium_memzero(id, sizeof id);
    return r;
}

int idcard_read_person(const struct idcard_frame *f, struct idcard_person *ret)
{
    memset(ret, 0, sizeof *ret);
    if (idcard_status(f) != IDCARD_SW_OK || f->body_len != 3 + 4 + IDCARD_TEXT_LEN + IDCARD_PHOTO_LEN)
        return -EPROTO;
    const uint8_t *d = f->body + 3;
    unsigned text = (unsigned)d[0] << 8 | d[1], photo = (unsigned)d[2] << 8 | d[3];
    if (text != IDCARD_TEXT_LEN || photo != IDCARD_PHOTO_LEN)
        return -EPROTO;
    return idcard_text_person(d + 4, ret);
}
