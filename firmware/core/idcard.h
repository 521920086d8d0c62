/* idcard.h - the frame protocol of resident ID card readers (the security module of a
 * second-generation ID card reader, public-security standard GA 467), and the card's
 * text block. docs/idcard-reader.md describes the protocol, the commands and the offsets.
 *
 * A frame, in both directions:
 *   AA AA AA 96 69 | LEN (2 bytes, big-endian) | BODY (LEN - 1 bytes) | CHK
 * LEN counts the bytes after it (BODY and CHK); CHK is the XOR of the two LEN bytes and
 * BODY. A command's body is CMD PARA; a reply's body is the status SW1 SW2 SW3 and the
 * data. Reading the card: find (20 01: SW3 9F, or 80 with no card), select (20 02: 90, or
 * 81), read text and photo (30 01: 90, data = text length (2 bytes BE), photo length (2),
 * the text block, the photo).
 *
 * The parser takes bytes in any chunking (a byte at a time, many frames at once),
 * skips garbage until a preamble, caps LEN (IDCARD_LEN_MAX: the longest reply the kiosk
 * ever asks for) and checks the checksum; a frame that fails either is dropped and the
 * search for a preamble starts again one byte after the one it began at, so a false
 * preamble in garbage never swallows a real frame behind it.
 *
 * Personal data: a read reply holds everything on the card (name, address, ID number,
 * photo ...). The kiosk keeps the name and the ID number only (idcard_read_person);
 * the parser's buffer is wiped with sodium_memzero when a frame has been handed out and
 * is fed again, and by idcard_parser_wipe, which the caller runs as soon as it has taken
 * what it keeps. Pure C over the caller's memory; nothing is allocated. */
#ifndef KIOSK_IDCARD_H
#define KIOSK_IDCARD_H

#include <stddef.h>
#include <stdint.h>

#define IDCARD_PREAMBLE "\xAA\xAA\xAA\x96\x69"
#define IDCARD_PREAMBLE_LEN 5
#define IDCARD_HEAD_LEN 7          /* preamble and LEN */
#define IDCARD_LEN_MIN 3           /* a command: CMD PARA CHK */
/* the read reply: status 3 + lengths 4 + text 256 + photo 1024 + CHK 1 */
#define IDCARD_LEN_MAX (3 + 4 + 256 + 1024 + 1)
#define IDCARD_FRAME_MAX (IDCARD_HEAD_LEN + IDCARD_LEN_MAX)
#define IDCARD_CMD_LEN (IDCARD_HEAD_LEN + 3)

/* commands: CMD << 8 | PARA */
#define IDCARD_CMD_FIND 0x2001
#define IDCARD_CMD_SELECT 0x2002
#define IDCARD_CMD_READ 0x3001

/* SW3 of a reply */
#define IDCARD_SW_OK 0x90
#define IDCARD_SW_FOUND 0x9F
#define IDCARD_SW_NO_CARD 0x80
#define IDCARD_SW_SELECT_FAILED 0x81
#define IDCARD_SW_READ_FAILED 0x41

/* the text block: 256 bytes of UCS-2 little-endian, fixed fields */
#define IDCARD_TEXT_LEN 256
#define IDCARD_PHOTO_LEN 1024
#define IDCARD_NAME_OFF 0      /* 15 characters, padded with spaces */
#define IDCARD_NAME_CHARS 15
#define IDCARD_ID_OFF 122      /* after name 30, sex 2, nation 4, birth 16, address 70 */
#define IDCARD_ID_CHARS 18

/* what the kiosk keeps of a card: UTF-8, NUL-terminated */
#define IDCARD_NAME_SIZE (IDCARD_NAME_CHARS * 3 + 1)
struct idcard_person {
    char name[IDCARD_NAME_SIZE];
    char id[IDCARD_ID_CHARS + 1];
};

struct idcard_parser {
    uint8_t buf[IDCARD_FRAME_MAX]; /* the frame being gathered */
    size_t n;
    uint8_t redo[IDCARD_FRAME_MAX]; /* bytes to search again after a dropped frame */
    size_t redo_n, redo_at;
    int handed;                    /* buf holds a frame handed out: wipe before reuse */
    unsigned long dropped;         /* frames dropped (length or checksum) */
};

struct idcard_frame {
    const uint8_t *body; /* CMD PARA, or SW1 SW2 SW3 and the data; in the parser */
    size_t body_len;
};

void idcard_parser_init(struct idcard_parser *p);
/* Wipes every byte the parser holds (sodium_memzero) and starts afresh. */
void idcard_parser_wipe(struct idcard_parser *p);

/* Feeds up to N bytes of DATA. Returns 1 when a whole, checked frame is ready (*ret
 * points into the parser until the next call; *ret_used says how many bytes of DATA
 * were taken: feed the rest next), 0 when every byte was taken and no frame is ready,
 * -EBADMSG when a frame with a wrong checksum was dropped, -EMSGSIZE when a frame's LEN
 * was out of range (it was dropped). After a negative return feed the rest again: the
 * parser goes on searching. */
int idcard_feed(struct idcard_parser *p, const uint8_t *data, size_t n, size_t *ret_used,
                struct idcard_frame *ret);

/* Writes command CMD (IDCARD_CMD_*) as a frame into OUT (IDCARD_CMD_LEN bytes). */
void idcard_command(unsigned cmd, uint8_t out[IDCARD_CMD_LEN]);

/* SW3 of a reply frame, or -EPROTO when the body is too short or SW1 SW2 are not 00 00. */
int idcard_status(const struct idcard_frame *f);

/* From a read reply (status 90, lengths 256 and 1024): the name and ID number, and
 * nothing else. Returns 0, -EPROTO (not such a reply, wrong lengths) or -EBADMSG (the
 * text does not hold a name and an 18-character number of digits and X). On error
 * *ret is zeroed. */
int idcard_read_person(const struct idcard_frame *f, struct idcard_person *ret);

/* The text block's decoding alone: the name and ID fields of TEXT (IDCARD_TEXT_LEN
 * bytes). Returns 0 or -EBADMSG; *ret is zeroed on error. */
int idcard_text_person(const uint8_t *text, struct idcard_person *ret);

#endif
