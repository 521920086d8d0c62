/* printer.h - the receipt printer as a device: open its usblp node, serial port or pty,
 * ask its real-time status (core/escpos.h), write a job. Every wait is a poll() with a
 * deadline, so a printer that never answers cannot hang the caller; still, these calls
 * block for up to their timeouts, so the kiosk runs them in a background job
 * (kiosk-print), never in the frame loop.
 *
 * Each job opens the device afresh and closes it after, so a printer unplugged and
 * plugged back in (usblp gives it a new node under the same name) is found again by the
 * next job, and an unplug mid-job is an error of that job only. */
#ifndef KIOSK_PRINTER_H
#define KIOSK_PRINTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/escpos.h"

/* How a job ended. */
enum printer_outcome {
    PRINTER_PRINTED,      /* the printer took every byte and said "ready" after */
    PRINTER_PRINTED_NEAR_END, /* the same, and its paper is nearly at its end */
    PRINTER_ABSENT,       /* the device cannot be opened: not plugged in, or no such path */
    PRINTER_NOT_READY,    /* its status before the job said it cannot print (status.state) */
    PRINTER_UNPLUGGED,    /* the device went away while the job was written */
    PRINTER_FAILED,       /* written, but the status after the job was not "ready" */
};

struct printer_result {
    enum printer_outcome outcome;
    enum escpos_state state;  /* the last status read (ESCPOS_NO_ANSWER if none) */
    size_t written;           /* bytes of the job the device took */
};

/* Whether BAUD is a standard serial speed the device can be set to (1200 ... 921600). */
bool printer_speed_ok(int baud);

/* Opens PATH for reading and writing without becoming its controlling terminal; a tty
 * (serial port, pty) is put in raw mode at BAUD (one of the standard speeds, 1200 to
 * 921600). Returns the descriptor, -EINVAL for a speed that is not standard, or -errno. */
int printer_open(const char *path, int baud);

/* Asks DLE EOT 1..4 and reads each reply within TIMEOUT_MS. Returns the state; a reply
 * that does not come in time leaves it ESCPOS_NO_ANSWER, a hang-up too. */
enum escpos_state printer_status(int fd, int timeout_ms);

/* Writes LEN bytes, waiting at most TIMEOUT_MS for the device to take more each time it
 * is full. Returns 0, -ETIMEDOUT, or -ENODEV when the device went away (its other end
 * closed, EIO). *WRITTEN says how many bytes it took. */
int printer_write(int fd, const void *buf, size_t len, int timeout_ms, size_t *written);

/* One whole job: open, status (must be ready or near end), write JOB, status again.
 * "Printed" only when every byte was taken and the final status is ready or near end. */
void printer_print(const char *path, int baud, const uint8_t *job, size_t len, int timeout_ms,
                   struct printer_result *res);

/* The outcome's name, one word ("printed", "absent", ...): what kiosk-print prints. */
const char *printer_outcome_name(enum printer_outcome o);

#endif
