/* test_idcard.c - the ID card reader's frame parser and text block (firmware/core/
 * idcard.c): commands as the protocol spells them, replies in any chunking (split at
 * every byte, a byte at a time), garbage and false preambles, wrong checksums and
 * lengths, and a card's text block of which only the name and ID number are kept. The
 * frames are built here by the test's own encoder, from the layout in
 * docs/idcard-reader.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/idcard.h"

/* ---- the test's own encoder ---- */

/* a frame around BODY: preamble, LEN = body + 1 big-endian, body, XOR of LEN and body */
static size_t frame(const uint8_t *body, size_t n, uint8_t *out)
{
    static const uint8_t pre[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69};
    memcpy(out, pre, 5);
    out[5] = (uint8_t)((n + 1) >> 8);
    out[6] = (uint8_t)(n + 1);
    memcpy(out + 7, body, n);
    uint8_t x = out[5] ^ out[6];
    for (size_t i = 0; i < n; i++)
        x ^= body[i];
    out[7 + n] = x;
    return n + 8;
}

/* UTF-8 text of code points below U+10000 as UCS-2 LE into FIELD of CHARS characters,
 * padded with spaces as cards are */
static void ucs2(uint8_t *field, size_t chars, const char *s)
{
    size_t i = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && i < chars) {
        unsigned c;
        if (*p < 0x80)
            c = *p++;
        else if (*p < 0xE0)
            c = (p[0] & 0x1Fu) << 6 | (p[1] & 0x3Fu), p += 2;
        else
            c = (p[0] & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu), p += 3;
        field[2 * i] = (uint8_t)c;
        field[2 * i + 1] = (uint8_t)(c >> 8);
        i++;
    }
    for (; i < chars; i++)
        field[2 * i] = ' ', field[2 * i + 1] = 0;
}

#define NAME "王小明"
#define ID "11010519491231002X"
#define ADDRESS "北京市东城区景山前街4号"

/* the read reply of a card: 90, lengths 0100 0400, the text block, a photo */
static size_t read_reply(uint8_t *out, const char *name, const char *id)
{
    static uint8_t body[3 + 4 + 256 + 1024];
    memset(body, 0, sizeof body);
    body[2] = 0x90;
    body[3] = 0x01, body[4] = 0x00, body[5] = 0x04, body[6] = 0x00;
    uint8_t *t = body + 7;
    ucs2(t + 0, 15, name);       /* name */
    ucs2(t + 30, 1, "1");        /* sex */
    ucs2(t + 32, 2, "01");       /* nation */
    ucs2(t + 36, 8, "19491231"); /* birth */
    ucs2(t + 52, 35, ADDRESS);   /* address */
    ucs2(t + 122, 18, id);       /* ID number */
    ucs2(t + 158, 15, "北京市公安局东城分局");
    ucs2(t + 188, 8, "20200101");
    ucs2(t + 204, 8, "20400101");
    for (int i = 0; i < 1024; i++)
        body[7 + 256 + i] = (uint8_t)(i * 7 + 1);
    return frame(body, sizeof body, out);
}

static uint8_t big[4 * IDCARD_FRAME_MAX];

/* feeds DATA in chunks of CHUNK bytes (0: all at once); counts frames, errors and the
 * last frame's status; keeps the person of a read reply */
struct tally {
    int frames, bad_sum, bad_len, last_sw;
    struct idcard_person person;
    int persons;
};

/* what one idcard_feed said: counted in T */
static void tally(struct tally *t, int r, const struct idcard_frame *f)
{
    if (r == 1) {
        t->frames++;
        t->last_sw = idcard_status(f);
        if (idcard_read_person(f, &t->person) == 0)
            t->persons++;
    } else if (r == -EBADMSG) {
        t->bad_sum++;
    } else if (r == -EMSGSIZE) {
        t->bad_len++;
    } else {
        assert_int_equal(r, 0);
    }
}

static void feed_all(struct idcard_parser *p, const uint8_t *data, size_t n, size_t chunk, struct tally *t)
{
    size_t at = 0;
    while (at < n) {
        size_t len = chunk ? (n - at < chunk ? n - at : chunk) : n - at;
        size_t off = 0;
        while (off < len) {
            size_t used;
            struct idcard_frame f;
            int r = idcard_feed(p, data + at + off, len - off, &used, &f);
            off += used;
            tally(t, r, &f);
            if (r == 0)
                assert_int_equal(off, len); /* 0: everything was taken */
        }
        at += len;
    }
    /* bytes left to search again after a drop, with nothing new */
    int r;
    do {
        struct idcard_frame f;
        size_t used;
        r = idcard_feed(p, NULL, 0, &used, &f);
        tally(t, r, &f);
    } while (r != 0);
}

/* a fresh parser over all of DATA in chunks of CHUNK */
static struct tally parse(const uint8_t *data, size_t n, size_t chunk)
{
    struct idcard_parser p;
    struct tally t = {0};
    idcard_parser_init(&p);
    feed_all(&p, data, n, chunk, &t);
    idcard_parser_wipe(&p);
    return t;
}

static void commands(void **state)
{
    (void)state;
    /* as the protocol documents spell them */
    static const uint8_t find[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x01, 0x22};
    static const uint8_t select[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x02, 0x21};
    static const uint8_t read[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x30, 0x01, 0x32};
    uint8_t out[IDCARD_CMD_LEN];
    idcard_command(IDCARD_CMD_FIND, out);
    assert_memory_equal(out, find, sizeof find);
    idcard_command(IDCARD_CMD_SELECT, out);
    assert_memory_equal(out, select, sizeof select);
    idcard_command(IDCARD_CMD_READ, out);
    assert_memory_equal(out, read, sizeof read);
    /* and the parser reads a command back: body CMD PARA */
    struct idcard_parser p;
    idcard_parser_init(&p);
    struct idcard_frame f;
    size_t used;
    assert_int_equal(idcard_feed(&p, read, sizeof read, &used, &f), 1);
    assert_int_equal(used, sizeof read);
    assert_int_equal(f.body_len, 2);
    assert_int_equal(f.body[0], 0x30);
    assert_int_equal(f.body[1], 0x01);
}

static void short_replies(void **state)
{
    (void)state;
    /* a reader's answers to find (card there), find (no card), select */
    static const uint8_t found[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x08, 0x00, 0x00, 0x9F,
                                    0x00, 0x00, 0x00, 0x00, 0x97};
    static const uint8_t none[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x04, 0x00, 0x00, 0x80, 0x84};
    static const uint8_t sel[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x0C, 0x00, 0x00, 0x90,
                                  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x9C};
    struct idcard_parser p;
    idcard_parser_init(&p);
    struct tally t = {0};
    feed_all(&p, found, sizeof found, 0, &t);
    assert_int_equal(t.frames, 1);
    assert_int_equal(t.last_sw, IDCARD_SW_FOUND);
    feed_all(&p, none, sizeof none, 0, &t);
    assert_int_equal(t.last_sw, IDCARD_SW_NO_CARD);
    feed_all(&p, sel, sizeof sel, 0, &t);
    assert_int_equal(t.frames, 3);
    assert_int_equal(t.last_sw, IDCARD_SW_OK);
    assert_int_equal(t.persons, 0);
    assert_int_equal(t.bad_sum + t.bad_len, 0);
}

static void a_card(void **state)
{
    (void)state;
    size_t n = read_reply(big, NAME, ID);
    struct idcard_parser p;
    idcard_parser_init(&p);
    struct tally t = {0};
    feed_all(&p, big, n, 0, &t);
    assert_int_equal(t.frames, 1);
    assert_int_equal(t.persons, 1);
    assert_string_equal(t.person.name, NAME);
    assert_string_equal(t.person.id, ID);
    /* the frame handed out is wiped once the parser is fed again */
    struct idcard_frame f;
    size_t used;
    assert_int_equal(idcard_feed(&p, big, 3, &used, &f), 0);
    static const uint8_t zero[IDCARD_FRAME_MAX];
    assert_memory_equal(p.buf + 3, zero, sizeof p.buf - 3);
    idcard_parser_wipe(&p);
    assert_memory_equal(p.buf, zero, sizeof p.buf);
}

/* the reply split in two at every byte gives the same card, once */
static void split_everywhere(void **state)
{
    (void)state;
    size_t n = read_reply(big, NAME, ID);
    for (size_t k = 0; k <= n; k++) {
        struct idcard_parser p;
        idcard_parser_init(&p);
        struct tally t = {0};
        feed_all(&p, big, k, 0, &t);
        assert_int_equal(t.frames, k == n);
        feed_all(&p, big + k, n - k, 0, &t);
        assert_int_equal(t.frames, 1);
        assert_int_equal(t.persons, 1);
        assert_string_equal(t.person.id, ID);
        assert_int_equal(t.bad_sum + t.bad_len, 0);
    }
}

static void trickle(void **state)
{
    (void)state;
    size_t n = read_reply(big, NAME, ID);
    n += read_reply(big + n, "欧阳·娜娜", "110105194912310029");
    struct tally t = parse(big, n, 1);
    assert_int_equal(t.frames, 2);
    assert_int_equal(t.persons, 2);
    assert_string_equal(t.person.name, "欧阳·娜娜");
    assert_string_equal(t.person.id, "110105194912310029");
}

static void garbage(void **state)
{
    (void)state;
    /* noise, a preamble's start, a lone preamble with an absurd length, then a card; a
     * false preamble with a plausible length that swallows the next real frame, and
     * another card */
    uint8_t *b = big;
    size_t n = 0;
    static const uint8_t noise[] = {0x00, 0xFF, 0xAA, 0x13, 0xAA, 0xAA, 0x96, 0xAA, 0xAA, 0xAA, 0xAA};
    memcpy(b, noise, sizeof noise), n += sizeof noise;
    static const uint8_t absurd[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0xFF, 0xFF};
    memcpy(b + n, absurd, sizeof absurd), n += sizeof absurd;
    n += read_reply(b + n, NAME, ID);
    static const uint8_t liar[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x20, 0x00};
    memcpy(b + n, liar, sizeof liar), n += sizeof liar;
    static const uint8_t none[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x04, 0x00, 0x00, 0x80, 0x84};
    memcpy(b + n, none, sizeof none), n += sizeof none;
    n += read_reply(b + n, "李四", "110105194912310029");
    for (size_t chunk = 0; chunk < 40; chunk++) {
        struct tally t = parse(b, n, chunk);
        assert_int_equal(t.persons, 2);
        assert_string_equal(t.person.name, "李四");
        assert_int_equal(t.frames, 3); /* the card, "no card" behind the liar, a card */
        assert_int_equal(t.bad_len, 1);
        assert_true(t.bad_sum >= 1);
    }
}

static void bad_checksum_and_lengths(void **state)
{
    (void)state;
    size_t n = read_reply(big, NAME, ID);
    big[n - 1] ^= 0x01;
    size_t m = n + read_reply(big + n, NAME, ID);
    struct idcard_parser p;
    idcard_parser_init(&p);
    struct tally t = {0};
    feed_all(&p, big, n, 0, &t);
    assert_int_equal(t.bad_sum, 1);
    assert_int_equal(t.persons, 0);
    feed_all(&p, big + n, m - n, 0, &t); /* the next, good one still reads */
    assert_int_equal(t.persons, 1);
    /* a flipped data byte fails the checksum too */
    n = read_reply(big, NAME, ID);
    big[100] ^= 0x40;
    t = parse(big, n, 0);
    assert_int_equal(t.persons, 0);
    assert_true(t.bad_sum >= 1);
    /* LEN below a command's and above the longest reply */
    static const uint8_t tiny[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x02, 0x00, 0x02};
    t = parse(tiny, sizeof tiny, 0);
    assert_int_equal(t.bad_len, 1);
    uint8_t huge[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, (IDCARD_LEN_MAX + 1) >> 8, (uint8_t)(IDCARD_LEN_MAX + 1)};
    t = parse(huge, sizeof huge, 0);
    assert_int_equal(t.bad_len, 1);
    assert_int_equal(t.frames, 0);
}

static void text_block(void **state)
{
    (void)state;
    struct idcard_person who;
    struct idcard_parser p;
    struct tally t;
    /* a card removed mid-read: the reply stops; nothing comes of it */
    size_t n = read_reply(big, NAME, ID);
    t = parse(big, n / 3, 0);
    assert_int_equal(t.frames, 0);
    idcard_parser_wipe(&p);
    static const uint8_t zero[IDCARD_FRAME_MAX];
    assert_memory_equal(p.buf, zero, sizeof p.buf);
    /* an ID number with a letter that is not a final X, a short one, no name */
    const char *bad_ids[] = {"1101051949123100A2", "11010519491231002", "X1010519491231002X"};
    for (size_t i = 0; i < sizeof bad_ids / sizeof *bad_ids; i++) {
        n = read_reply(big, NAME, bad_ids[i]);
        t = parse(big, n, 0);
        assert_int_equal(t.frames, 1);
        assert_int_equal(t.persons, 0);
    }
    uint8_t text[IDCARD_TEXT_LEN];
    memset(text, 0, sizeof text);
    ucs2(text + 122, 18, ID);
    ucs2(text, 15, "");
    assert_int_equal(idcard_text_person(text, &who), -EBADMSG);
    assert_string_equal(who.id, "");
    /* a surrogate in the name */
    ucs2(text, 15, NAME);
    text[2] = 0x00, text[3] = 0xD8;
    assert_int_equal(idcard_text_person(text, &who), -EBADMSG);
    /* the fields end at their padding; a Latin name keeps its inner spaces */
    ucs2(text, 15, "ZHANG SAN");
    assert_int_equal(idcard_text_person(text, &who), 0);
    assert_string_equal(who.name, "ZHANG SAN");
    assert_string_equal(who.id, ID);
    /* a read reply that failed (41) or has other lengths is not a card */
    uint8_t body[3 + 4 + 256 + 1024] = {0};
    body[2] = 0x41;
    n = frame(body, 3, big);
    t = parse(big, n, 0);
    assert_int_equal(t.last_sw, IDCARD_SW_READ_FAILED);
    assert_int_equal(t.persons, 0);
    body[2] = 0x90, body[3] = 0x01, body[4] = 0x00, body[5] = 0x03, body[6] = 0xFF;
    ucs2(body + 7, 15, NAME);
    ucs2(body + 7 + 122, 18, ID);
    n = frame(body, sizeof body, big);
    memset(&t, 0, sizeof t);
    feed_all(&p, big, n, 0, &t);
    assert_int_equal(t.frames, 1);
    assert_int_equal(t.persons, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(commands),
        cmocka_unit_test(short_replies),
        cmocka_unit_test(a_card),
        cmocka_unit_test(split_everywhere),
        cmocka_unit_test(trickle),
        cmocka_unit_test(garbage),
        cmocka_unit_test(bad_checksum_and_lengths),
        cmocka_unit_test(text_block),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
