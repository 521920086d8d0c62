/* fuzz_idcard.c - the ID card reader's frame parser (firmware/core/idcard.h) on an
 * arbitrary byte stream, as a reader (or a noisy line) might send it. Invariants:
 *  - every frame handed out is a whole frame: LEN is its body + 1, within the cap, and
 *    its checksum is the XOR of LEN and the body;
 *  - chunking does not matter: the stream fed in chunks of the size the first byte picks
 *    gives the same frames, the same drops and the same cards as fed whole;
 *  - a card read from a frame is a non-empty name and 18 characters of digits (X last);
 *  - after idcard_parser_wipe, the parser holds no byte of the stream.
 * Input: byte 0 picks the chunk size (1..256), the rest is the stream. */
#include "fuzz.h"

#include "core/idcard.h"

#include <errno.h>

struct trace {
    uint32_t hash; /* of every event, in order */
    unsigned frames, drops, cards;
};

static void mix(struct trace *t, uint32_t v)
{
    t->hash = (t->hash ^ v) * 16777619u;
}

static void event(struct trace *t, int r, const struct idcard_frame *f)
{
    mix(t, (uint32_t)(r + 16));
    if (r != 1) {
        t->drops++;
        return;
    }
    t->frames++;
    FUZZ_CHECK(f->body_len + 1 >= IDCARD_LEN_MIN && f->body_len + 1 <= IDCARD_LEN_MAX);
    const uint8_t *len = f->body - 2;
    FUZZ_CHECK(((unsigned)len[0] << 8 | len[1]) == f->body_len + 1);
    FUZZ_CHECK(memcmp(f->body - IDCARD_HEAD_LEN, IDCARD_PREAMBLE, IDCARD_PREAMBLE_LEN) == 0);
    uint8_t x = len[0] ^ len[1];
    for (size_t i = 0; i < f->body_len; i++) {
        x ^= f->body[i];
        mix(t, f->body[i]);
    }
    FUZZ_CHECK(x == f->body[f->body_len]);
    struct idcard_person who;
    if (idcard_read_person(f, &who) == 0) {
        t->cards++;
        FUZZ_CHECK(who.name[0] != '\0');
        FUZZ_CHECK(strlen(who.id) == IDCARD_ID_CHARS);
        for (int i = 0; i < IDCARD_ID_CHARS; i++)
            FUZZ_CHECK((who.id[i] >= '0' && who.id[i] <= '9') || (i == IDCARD_ID_CHARS - 1 && who.id[i] == 'X'));
    } else {
        FUZZ_CHECK(who.name[0] == '\0' && who.id[0] == '\0');
    }
}

static void run(const uint8_t *data, size_t n, size_t chunk, struct trace *t)
{
    static struct idcard_parser p;
    idcard_parser_init(&p);
    memset(t, 0, sizeof *t);
    size_t at = 0;
    for (;;) {
        size_t len = n - at < chunk ? n - at : chunk;
        size_t used;
        struct idcard_frame f;
        int r = idcard_feed(&p, data + at, len, &used, &f);
        FUZZ_CHECK(used <= len);
        at += used;
        if (r != 0)
            event(t, r, &f);
        else if (at == n)
            break;
        FUZZ_CHECK(r == 0 || r == 1 || r == -EBADMSG || r == -EMSGSIZE);
    }
    idcard_parser_wipe(&p);
    static const struct idcard_parser zero;
    FUZZ_CHECK(memcmp(p.buf, zero.buf, sizeof p.buf) == 0 && memcmp(p.redo, zero.redo, sizeof p.redo) == 0);
    FUZZ_CHECK(p.n == 0 && p.redo_n == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t chunk = (size_t)data[0] + 1;
    struct trace whole, chunked;
    run(data + 1, size - 1, size, &whole);
    run(data + 1, size - 1, chunk, &chunked);
    FUZZ_CHECK(whole.hash == chunked.hash && whole.frames == chunked.frames &&
               whole.drops == chunked.drops && whole.cards == chunked.cards);
    return 0;
}
