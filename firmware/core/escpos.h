/* escpos.h - the bytes the kiosk sends to an ESC/POS thermal receipt printer, and the
 * parser of the printer's real-time status replies (DLE EOT n). Pure code: no I/O, no
 * SDL; the device is core/printer.h, the slip's picture ui/slip.h.
 *
 * Slips are printed as raster images (GS v 0), never as the printer's own text, so
 * Chinese prints on any ESC/POS printer whatever its code pages (docs/printer.md).
 *
 * Status (Epson's real-time status, which the common printers copy): DLE EOT n asks
 * for one byte; every reply byte has bit 1 and bit 4 set and bit 0 and bit 7 clear,
 * which is how a reply is told from anything else the printer may send.
 *   n = 1 printer:     bit 3 offline
 *   n = 2 offline why: bit 2 cover open, bit 5 stopped at paper end, bit 6 error
 *   n = 3 error why:   bit 3 cutter, bit 5 unrecoverable, bit 6 auto-recoverable
 *   n = 4 paper:       bits 2-3 paper near its end, bits 5-6 paper end */
#ifndef KIOSK_ESCPOS_H
#define KIOSK_ESCPOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ESCPOS_DOTS_58 384     /* dots per line of 58 mm paper at 203 dpi */
#define ESCPOS_DOTS_80 576     /* of 80 mm paper */
#define ESCPOS_MAX_ROWS 16384  /* cap on a slip's height in dots (2 m of paper) */
#define ESCPOS_BAND_ROWS 128   /* a raster is sent in bands this high: printers' buffers are small */
#define ESCPOS_JOB_MAX (ESCPOS_DOTS_80 / 8 * ESCPOS_MAX_ROWS + 4096) /* cap on a job's bytes */

/* A growing byte buffer. Owns data; escpos_buf_free releases it. */
struct escpos_buf {
    unsigned char *data;
    size_t len, cap;
};

void escpos_buf_free(struct escpos_buf *b);

/* ESC @: initialise the printer (clears a half-received command of an earlier job). */
void escpos_init(struct escpos_buf *b);

/* GS v 0 raster of a WIDTH x HEIGHT 1-bit picture: row after row of STRIDE bytes, the
 * most significant bit leftmost, 1 = black (what the printer takes). WIDTH is a multiple
 * of 8 from 8 to ESCPOS_DOTS_80, HEIGHT 1 to ESCPOS_MAX_ROWS. Sent in bands of
 * ESCPOS_BAND_ROWS. A byte 0x10 (DLE) in the dots followed by 0x04, 0x05 or 0x14 is sent
 * as 0x00, so no real-time command hides in a picture. Returns 0 or -EINVAL. */
int escpos_raster(struct escpos_buf *b, const uint8_t *bits, int width, int height, size_t stride);

/* ESC d N (feed N lines, 0-255) then GS V 66 0 (feed to the cutter and cut partially). */
void escpos_feed_cut(struct escpos_buf *b, int lines);

/* The three bytes of DLE EOT N (N 1-4) into OUT. */
void escpos_status_request(uint8_t out[3], int n);

/* What the four status bytes said. */
struct escpos_status {
    uint8_t have;        /* bit n-1 set once the reply to DLE EOT n arrived */
    bool offline, cover_open, paper_stop, error, cutter_error, unrecoverable;
    bool paper_near_end, paper_end;
};

/* Looks through LEN bytes read after DLE EOT N for its reply: the last byte with the
 * fixed bits (others, like XON/XOFF or a stray byte, are skipped). Records it in ST.
 * Returns 0, -EAGAIN when no reply byte is among them, -EINVAL for N outside 1-4. */
int escpos_status_scan(int n, const uint8_t *buf, size_t len, struct escpos_status *st);

/* The printer's state from a status. When several hold, a missing reply wins, then
 * cover open, paper end, error, offline, near end. */
enum escpos_state {
    ESCPOS_READY,          /* all four replies came and nothing is wrong */
    ESCPOS_NEAR_END,       /* prints, but the roll is nearly done: tell staff */
    ESCPOS_PAPER_END,
    ESCPOS_COVER_OPEN,
    ESCPOS_OFFLINE,        /* offline for another reason (e.g. the feed button) */
    ESCPOS_ERROR,          /* cutter or mechanism error */
    ESCPOS_NO_ANSWER,      /* a reply is missing */
};

enum escpos_state escpos_status_state(const struct escpos_status *st);

/* The state's name, one word: "ready", "paper-near-end", "paper-end", "cover-open",
 * "offline", "error", "no-answer". Also what kiosk-print prints. */
const char *escpos_state_name(enum escpos_state s);

#endif
