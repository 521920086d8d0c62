/* office_ingest.h - kiosk-office ingest: every sealed submission that reached the office,
 * by network (WEB_ROOT/inbox/<kiosk_id>/<receipt>.sealed, what kiosk-sync PUTs) or on a
 * USB stick (STICK/hallkiosk-export/<kiosk_id>/, what kiosk-sync usb-export writes,
 * checked against its index.json by usb_export_check), opened with the seal key and
 * registered in office.db (office.h).
 *
 * The rules (sync/README.md, "kiosk-office ingest"):
 *  - one submission counts once: the register's key is the receipt number, and a file
 *    whose receipt is registered with the same bytes (SHA-256) is a duplicate;
 *  - a file is archived (office/archive/<kiosk_id>/<receipt>.sealed) only after its row
 *    is committed, so a crash between the two leaves a duplicate for the next run,
 *    never a loss; a stick's files are copied, the stick is not changed;
 *  - a file that cannot be opened, is not what its name says, or conflicts with the
 *    register is moved (from a stick: copied) to office/quarantine/ with NAME.reason, a
 *    one-line cause; it never stops the batch;
 *  - running it twice changes nothing.
 * Load: commits every OFFICE_INGEST_BATCH files; one read, one seal_open and one insert
 * per file (benchmark: tests/bench/bench_office.sh). */
#ifndef KIOSK_OFFICE_INGEST_H
#define KIOSK_OFFICE_INGEST_H

#include "office.h"

#define OFFICE_INGEST_BATCH 2000
#define OFFICE_KIOSK_DIRS_MAX 100000 /* kiosk folders looked at in the inbox */
#define OFFICE_DIR_FILES_MAX 1000000 /* files looked at in one folder */

struct office_ingest_stats {
    long registered;  /* new rows */
    long duplicates;  /* already registered, byte for byte (archived or left on the stick) */
    long quarantined; /* moved or copied to quarantine/ */
    long problems;    /* lines of the sticks' index checks */
};

/* Ingests the inbox and the N_STICKS folders STICKS. One line per quarantined file and
 * per stick problem on stderr ("kiosk-office: ingest: PATH: cause"). Returns 0 when the
 * batch ran (see *ret for what happened), or a negative errno with o->err when it could
 * not run at all (no seal key, office.db failing). */
int office_ingest(struct office *o, char *const *sticks, int n_sticks, struct office_ingest_stats *ret);

#endif
