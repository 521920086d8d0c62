/* print.h - printing a slip from a screen (issue 14). A screen lays out its slip as a
 * list of items (ui/slip.h); print_start renders it into ESC/POS raster
 * (core/escpos.h), writes the job into the sync work folder, and runs kiosk-print on it
 * as the background job "print", so the screen never waits for the printer. The screen
 * then says in words what became of it (print_state_draw): printing, printed, or why
 * not - and the QR code it shows stays the way to take the address along.
 *
 * With no printer configured ([devices] printer empty) there is no print button:
 * print_available is false and print_button draws nothing. */
#ifndef KIOSK_PRINT_H
#define KIOSK_PRINT_H

#include "app.h"
#include "ui/slip.h"
#include "base/job.h"

#include <stdbool.h>

bool print_available(app *a);

/* Renders ITEMS as slip WHAT (its tree's name and the usage counter's ref: "receipt",
 * "guide", ...) and starts the print job. Returns 0, -EBUSY while a print runs, or a
 * negative errno (logged). */
int print_start(app *a, const char *what, const struct slip_item *items, size_t n);

/* The print button (id ID, labelled with the string print.button) at x, y, w; returns
 * its height, 0 when no printer is configured. */
int print_button(app *a, const char *id, int x, int y, int w);
/* The same with the string LABEL_KEY as its label, which says what prints (it must say
 * print, as print.attachments does). */
int print_button_label(app *a, const char *id, const char *label_key, int x, int y, int w);

/* What became of the print this screen started (STARTED: the screen's own flag, so an
 * older print's outcome is not shown on a new screen), in words at x, y, w, with the
 * node id "print.state". Returns the height, 0 when there is nothing to say. */
int print_state_draw(app *a, bool started, int x, int y, int w);
/* The same, with the string HINT_KEY saying where the QR code is when it did not print
 * (print_state_draw's is "print.use_qr": this page's QR code or the number). */
int print_state_draw_hint(app *a, bool started, const char *hint_key, int x, int y, int w);

/* For the staff menu: asks the printer's status as the background job "printer-status"
 * (kiosk-print without a job). print_check_start asks it as the job "printer-check"
 * (the scheduled check, watch.c), or returns -EBUSY while a print or another status
 * ask runs: one talk with the printer at a time.
 *
 * print_job_ended, from the job runner's end of each job: counts a print for the
 * heartbeat, records the state the printer was found in (state_printer_seen, with
 * the time it was first seen) and counts a print that did not find it ready or a
 * check that saw it change to a state other than ready. Returns false when the job's
 * end is not worth a line in the staff log (a check that changed nothing).
 *
 * print_staff_words writes the printer's last known state in the staff's words into
 * BUF (N bytes), with since when ("Paper nearly out ... (since 10:20)"), "checking"
 * while the menu's own ask runs. print_test_slip prints a slip with the kiosk's id,
 * the time and a QR code. */
int print_status_start(app *a);
int print_check_start(app *a);
bool print_job_ended(app *a, const char *name, const struct job_info *info);
void print_staff_words(app *a, char *buf, size_t n);
int print_test_slip(app *a);

#endif
