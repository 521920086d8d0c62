/* state.h - the state store: state.db, the kiosk's only read-write database. It is
 * never replaced by an install; it holds the outbox, caches and counters (their
 * tables arrive with the features that need them). WAL mode, synchronous=FULL: a
 * commit that returned is on disk. Load: a few writes per visitor, never per frame. */
#ifndef KIOSK_STATE_H
#define KIOSK_STATE_H

#include <stddef.h>

typedef struct state state;

#define STATE_SCHEMA_VERSION 2

/* Opens PATH, creating it (and its tables) on first run and upgrading older
 * schema versions in place. Returns 0 or a negative errno-style code, err set. */
int state_open(const char *path, state **ret, char *err, size_t errlen);
void state_close(state *st); /* accepts NULL */

/* Reads an integer PRAGMA (journal_mode is returned via state_journal_mode). */
int state_pragma_int(state *st, const char *pragma, int *ret);
/* "wal" normally; you own the string. */
char *state_journal_mode(state *st);

/* Anonymous usage counters, for the heartbeat: how often a guide (or any other
 * KIND of content, by its id) was viewed and its QR codes shown. Nothing about who. */
enum state_counter { STATE_VIEWS, STATE_QR_SHOWS };
int state_count(state *st, const char *kind, const char *ref, enum state_counter c);
int state_usage(state *st, const char *kind, const char *ref, int *ret_views, int *ret_qr);

/* ---- the outbox ----------------------------------------------------------------
 *
 * Every visitor submission (an information request, feedback, a rating, a
 * questionnaire) waits here, sealed with crypto_box_seal to the central office's key,
 * until the sync agent uploads it or staff export it to a USB stick. In plaintext the
 * kiosk keeps only what the table below shows: never a name, ID number, phone,
 * address or description. A submission is committed with synchronous=FULL before its
 * receipt is shown, in one transaction with its receipt number's sequence. */

#define OUTBOX_RECEIPT_MAX 32
#define OUTBOX_SEALED_MAX (256 * 1024)

struct outbox_entry {
    char receipt[OUTBOX_RECEIPT_MAX];
    char kind[16];          /* request | feedback | rating | questionnaire */
    char created_at[32];    /* UTC, YYYY-MM-DDTHH:MM:SSZ */
    char due_date[16];      /* expected reply date YYYY-MM-DD, "" when none */
    int due_estimated;      /* 1 when the date runs past the calendar's coverage */
    int follow_up;          /* 1 for a bad rating that must be called back */
    char uploaded_at[32];   /* "" until the office acknowledged an upload */
    char exported_at[32];   /* "" until exported to a USB stick */
    int has_sealed;         /* 0 once retention removed the sealed blob */
};

/* Adds a submission. MAKE_RECEIPT is called inside the transaction with the next
 * sequence number of DAY (YYYYMMDD, the kiosk's local date) and must write the
 * receipt number into ret (OUTBOX_RECEIPT_MAX bytes). On success the row is on disk
 * and *e (with its receipt) describes it. Returns 0 or a negative errno-style code;
 * on failure nothing was written. */
int state_outbox_add(state *st, struct outbox_entry *e, const char *day,
                     int (*make_receipt)(void *ctx, const char *day, int seq, char *ret),
                     void *ctx, const void *sealed, size_t len);
/* The entry for RECEIPT; -ENOENT if there is none. */
int state_outbox_get(state *st, const char *receipt, struct outbox_entry *ret);
/* The sealed blob; you own *ret_data. -ENOENT if none (or removed by retention). */
int state_outbox_sealed(state *st, const char *receipt, void **ret_data, size_t *ret_len);
/* Calls FN for every entry, oldest first; WHICH selects: */
enum outbox_filter { OUTBOX_ALL, OUTBOX_NOT_UPLOADED, OUTBOX_NOT_EXPORTED };
int state_outbox_each(state *st, enum outbox_filter which,
                      int (*fn)(void *ctx, const struct outbox_entry *e), void *ctx);
int state_outbox_mark_uploaded(state *st, const char *receipt, const char *when);
int state_outbox_mark_exported(state *st, const char *receipt, const char *when);
/* Counts for the heartbeat and the staff menu. */
int state_outbox_counts(state *st, int *ret_pending, int *ret_uploaded, int *ret_exported);
/* Removes sealed blobs of entries uploaded before CUTOFF (a UTC timestamp as above);
 * the receipt numbers stay for status lookup. Returns how many were removed. */
int state_outbox_purge(state *st, const char *cutoff);

#endif
