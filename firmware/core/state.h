/* state.h - the state store: state.db, the kiosk's only read-write database. It is
 * never replaced by an install; it holds the outbox, caches and counters (their
 * tables arrive with the features that need them). WAL mode, synchronous=FULL: a
 * commit that returned is on disk. Load: a few writes per visitor, never per frame. */
#ifndef KIOSK_STATE_H
#define KIOSK_STATE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct state state;

#define STATE_SCHEMA_VERSION 6

/* state.db's write-ahead log is truncated back to this many bytes after each
 * checkpoint, so a busy day does not leave a large -wal file behind for ever. */
#define STATE_WAL_LIMIT_STR "1048576"

/* Opens PATH, creating it (and its tables) on first run and upgrading older
 * schema versions in place. PATH (and its -wal and -shm) are made mode 0600. Returns 0 or a negative errno-style code, err set. */
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

/* The receipt printer's last known state, for the staff menu and the heartbeat
 * (docs/printer.md): WHAT is kiosk-print's state word ("ready", "paper-near-end",
 * "paper-end", ...; 1-31 bytes of a-z and '-'), AT when it was seen (UTC,
 * YYYY-MM-DDTHH:MM:SSZ). Kept in the meta table as printer_state and
 * printer_state_since; the time stays that of the first sighting while the state holds.
 * state_printer_seen returns 1 when the state changed (or none was known), 0 when it
 * holds, -EINVAL or -EIO. state_printer_get fills "" when none is known. */
int state_printer_seen(state *st, const char *what, const char *at);
int state_printer_get(state *st, char *what, size_t what_size, char *since, size_t since_size);

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
    char kind[16];          /* request | feedback | rating | questionnaire | comment */
    char created_at[32];    /* UTC, YYYY-MM-DDTHH:MM:SSZ */
    char due_date[16];      /* expected reply date YYYY-MM-DD, "" when none */
    int due_estimated;      /* 1 when the date runs past the calendar's coverage */
    int follow_up;          /* 1 for a bad rating that must be called back */
    char uploaded_at[32];   /* "" until the office acknowledged an upload */
    char exported_at[32];   /* "" until exported to a USB stick */
    int has_sealed;         /* 0 once retention removed the sealed blob */
};

/* Adds a submission. MAKE_RECEIPT is called inside the transaction with the next
 * sequence number of DAY (YYYYMMDD, the kiosk's local date; seq counts from 1) and must
 * write the receipt number into ret (OUTBOX_RECEIPT_MAX bytes); a negative return
 * rolls everything back and is returned. SEALED (LEN bytes, 1..OUTBOX_SEALED_MAX) is
 * read only after MAKE_RECEIPT returned, so the callback may seal the submission, its
 * receipt number included, into that buffer (form_submit does). The caller fills
 * kind, created_at, due_date, due_estimated and follow_up of *e; the rest is ignored.
 * On success the row is on disk (synchronous=FULL) and *e (with its receipt)
 * describes it. Returns 0 or a negative errno-style code (-EINVAL for a bad entry,
 * -EBUSY when the database stays locked, -EIO); on failure nothing was written and
 * the day's sequence did not move. */
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

/* ---- the request status cache --------------------------------------------------
 *
 * What the central office last said about a receipt, filled by the sync agent from
 * the signed status feed and read by the status screen. Overdue is computed from
 * due_date and today, never stored (docs/rules.md §1). */

struct status_entry {
    char receipt[OUTBOX_RECEIPT_MAX];
    char status[32];      /* the office's processing state, e.g. "received", "replied" */
    char outcome[32];     /* one of state_status_outcomes[] */
    char reason[256];     /* the office's reason code or short text; may be "" */
    char updated_at[32];  /* UTC, YYYY-MM-DDTHH:MM:SSZ */
    char due_date[16];    /* YYYY-MM-DD, "" when none */
};

/* The outcomes of docs/rules.md §1, NULL-terminated: disclosed, partly_disclosed,
 * not_disclosed, cannot_provide, not_processed, other, in_progress. */
extern const char *const state_status_outcomes[];

/* The cached status of RECEIPT; -ENOENT when the office has said nothing yet. */
int state_status_get(state *st, const char *receipt, struct status_entry *ret);
/* Inserts or replaces the status of e->receipt. -EINVAL for an unknown outcome or a
 * string that does not fit its field. */
int state_status_put(state *st, const struct status_entry *e);

/* ---- the staff menu ---------------------------------------------------------------------
 *
 * The PIN is kept as an Argon2id hash (libsodium crypto_pwhash_str). Five wrong tries
 * lock the menu with a growing delay (1 minute, doubling each further wrong try, at
 * most a day). Every attempt is logged in staff_log, with the time and what happened,
 * never the digits typed. */
#define STAFF_PIN_MIN 4
#define STAFF_PIN_MAX 12
#define STAFF_TRIES 5

/* Checks PIN at time NOW (seconds). INITIAL_HASH is used while staff have not set a
 * PIN of their own (the configured initial PIN, else the demo's); it is never stored,
 * so a changed configuration always applies. A stored hash is at crypto_pwhash's
 * interactive cost or higher (an older, cheaper one is replaced on a right PIN). Returns 0 (right), -EACCES (wrong), -EBUSY (locked:
 * *ret_wait is the seconds left), -EINVAL (not 4-12 digits), -EIO. */
int state_staff_check(state *st, const char *pin, const char *initial_hash, long now, long *ret_wait);
/* Sets a new PIN (4-12 digits). 0, -EINVAL, -EIO. */
int state_staff_set_pin(state *st, const char *pin);
/* Appends a line to the staff log (what happened, in English, no secrets). */
int state_staff_log(state *st, const char *what);
/* The last N log lines, newest first: FN(ctx, at, what). */
int state_staff_log_tail(state *st, int n, void (*fn)(void *ctx, const char *at, const char *what), void *ctx);

/* ---- staff notices -----------------------------------------------------------------------
 *
 * What hall staff post from the staff menu for the day ("window 9 is closed today"),
 * without the central office: shown in the ticker and on the notice board, an urgent
 * one as the banner. Not visitor data, so not sealed; the heartbeat carries only their
 * count. Times are the kiosk's local time "YYYY-MM-DDTHH:MM" (T24:00 is the end of that
 * day); a notice is live while posted_at <= now < expires. Posting and removing each
 * write a staff log line in the same transaction. Expired rows are deleted on the next
 * post, so the table holds at most STAFF_NOTICE_LIVE_MAX rows plus the expired ones of
 * the last post. */
#define STAFF_NOTICE_TITLE_MAX 40  /* characters */
#define STAFF_NOTICE_BODY_MAX 300  /* characters */
#define STAFF_NOTICE_LIVE_MAX 8    /* live at once */
#define STAFF_NOTICE_TIME_LEN 17   /* "YYYY-MM-DDTHH:MM" and the NUL */

struct staff_notice {
    long long id;
    char title[STAFF_NOTICE_TITLE_MAX * 4 + 1]; /* UTF-8, never "" */
    char body[STAFF_NOTICE_BODY_MAX * 4 + 1];   /* UTF-8, may be "" */
    int urgent;
    char posted_at[STAFF_NOTICE_TIME_LEN];
    char expires[STAFF_NOTICE_TIME_LEN];
};

/* Whether S is a local time "YYYY-MM-DDTHH:MM" of a real day (HH 00..24, 24 only with
 * :00). */
bool state_notice_time_ok(const char *s);
/* Posts *N (title, body, urgent, posted_at = now, expires); sets n->id. -EINVAL: an
 * empty or over-long title or body, invalid UTF-8, a bad time, expires not after
 * posted_at; -ENOSPC: STAFF_NOTICE_LIVE_MAX are live already; -EIO. */
int state_notice_add(state *st, struct staff_notice *n);
/* Removes notice ID (logged); -ENOENT when there is none. */
int state_notice_remove(state *st, long long id);
/* The notices live at NOW, urgent first, then the newest: at most
 * STAFF_NOTICE_LIVE_MAX into RET (an array of that many). 0 or -EIO/-EINVAL. */
int state_notices_live(state *st, const char *now, struct staff_notice *ret, int *ret_n);
/* The earliest expiry after NOW of a live notice into RET ("" when none). */
int state_notice_next_expiry(state *st, const char *now, char ret[STAFF_NOTICE_TIME_LEN]);

/* ---- failed searches -----------------------------------------------------------------
 *
 * Counts one failed search: KEY from search_miss_key (never personal data), DAY the
 * kiosk's local date (YYYY-MM-DD). No time of day, no session, nothing else. Keys over
 * 256 bytes or more than 1,000 distinct keys a day are dropped (-E2BIG), so typing
 * cannot fill the disk. */
int state_search_miss(state *st, const char *key, const char *day);
/* The counts since SINCE (inclusive), most frequent first, for the heartbeat. EACH
 * returning non-zero stops the walk and is returned. */
int state_search_misses(state *st, const char *since,
                        int (*each)(void *ctx, const char *day, const char *key, int count), void *ctx);

/* Rolls old counters up, so that state.db stays within a bounded size however long the
 * kiosk runs: failed searches of days more than STATE_MISS_DAYS before TODAY
 * (YYYY-MM-DD) become one row per month and key (day "YYYY-MM"), a month keeps its
 * STATE_MISS_MONTH_KEYS most frequent keys, and months older than STATE_MISS_MONTHS are
 * deleted. The heartbeat thus sends a month's rows for old days and a day's for the
 * recent ones. Run by state_search_miss and state_outbox_add on the first row of a new
 * day (the kiosk's own date); idempotent. 0, -EINVAL, -EBUSY, -EIO. */
#define STATE_MISS_DAYS 31
#define STATE_MISS_MONTH_KEYS 1000
#define STATE_MISS_MONTHS 13
int state_rollup(state *st, const char *today);

#endif
