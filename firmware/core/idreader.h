/* idreader.h - the resident ID card reader on a serial port (USB-serial or a pty in
 * tests): opening it raw, the find / select / read exchange of core/idcard.h, and
 * coming back quietly when it is unplugged and plugged in again (docs/idcard-reader.md).
 *
 * Nothing here blocks: the port is non-blocking and idreader_poll does what is due now
 * - write a command, read what arrived, check a deadline - and says when it wants to be
 * called again. The loop's watcher calls it (screens/watch.c).
 *
 * Personal data: a card's reply passes through the parser and a read buffer, both
 * wiped (sodium_memzero) as soon as the name and ID number are taken out; those two are
 * written only into the caller's struct idcard_person, which the caller wipes. */
#ifndef KIOSK_IDREADER_H
#define KIOSK_IDREADER_H

#include <stdbool.h>
#include <stdint.h>

#include "idcard.h"

#define IDREADER_POLL_MS 300        /* a find card every so often */
#define IDREADER_FIRST_BYTE_MS 2000 /* a reply must begin within (a read takes ~1 s) */
#define IDREADER_GAP_MS 500         /* and go on without a longer gap */
#define IDREADER_REOPEN_MS 2000     /* an absent reader is looked for again */
#define IDREADER_STEP_MS 20         /* how often to look while a reply comes in */
#define IDREADER_IDLE_MS 10000      /* no form wants a card: only see it is still there */

typedef struct idreader idreader;

enum idreader_state {
    IDREADER_ABSENT,   /* the port cannot be opened (or just failed) */
    IDREADER_OPENED,   /* open; no reply yet */
    IDREADER_SILENT,   /* open, but the last command got no reply in time */
    IDREADER_ANSWERS,  /* the last command got a good reply */
};

enum idreader_event {
    IDREADER_NOTHING,
    IDREADER_CARD,     /* a card was read: *card holds its name and ID number */
    IDREADER_FAILED,   /* a card was there but could not be read (lifted, a bad frame) */
};

/* A reader at PATH, BAUD bits/s (one of the termios rates). Opens nothing yet. You own
 * *ret. Returns 0 or -EINVAL (a rate termios does not have). */
int idreader_new(const char *path, int baud, idreader **ret);
/* Closes the port and wipes every buffer. Accepts NULL. */
void idreader_free(idreader *r);

/* Does what is due at NOW_MS. With WANT_CARDS a found card is selected and read;
 * without, only find card is sent (whether the reader answers) and an exchange under
 * way is let go. *ev says what happened; *card is written only for IDREADER_CARD.
 * Returns the ms until it wants to be called again (> 0). */
int idreader_poll(idreader *r, uint64_t now_ms, bool want_cards, enum idreader_event *ev,
                  struct idcard_person *card);

enum idreader_state idreader_state_of(const idreader *r);
const char *idreader_path(const idreader *r);
/* Whether a true baud rate for termios: 0 or -EINVAL. */
int idreader_baud_ok(int baud);

#endif
