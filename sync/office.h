/* office.h - the central office's register (kiosk-office, sync/README.md "kiosk-office"):
 * the office directory (office.ini, office.db, archive/, quarantine/, content/), every
 * submission registered with its dates, the request workflow of docs/rules.md §1 (confirm,
 * supplement, supplied, extend, reply), follow-ups, and the audit table.
 *
 * The office directory is private (0700, files 0600): office.db holds the opened
 * submissions, which are personal data. Nothing personal is ever written under the web
 * root; only the signed status feed and bundles go there.
 *
 * Dates. A request's due date is WORKDAY_REPLY_DAYS working days after its base date:
 * the date the office confirmed receipt (received_on), or until then the local date of
 * its submission; after a supplement was asked for, the date it was supplied (the clock
 * restarts; while waiting there is no due date). An extension adds at most 20 working
 * days, once. The calendar is the one of the scope's published content (content/
 * <scope>.db, written by publish), so office and kiosk count alike; a due date that
 * walks past the calendar's years is flagged due_estimated. Overdue is computed from the
 * due date and today whenever asked, never stored.
 *
 * Load: one office.db (SQLite, WAL, synchronous=FULL); a register of millions of rows;
 * every command is one process. Errors are values: 0 or a negative errno, with a line
 * in office->err. */
#ifndef KIOSK_OFFICE_H
#define KIOSK_OFFICE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "core/workday.h"

#define OFFICE_SCOPES_MAX 32
#define OFFICE_KEEP_BUNDLES 3      /* published bundles kept per scope */
#define OFFICE_EXTEND_MAX 20       /* working days of the one extension */
#define OFFICE_FEED_EXPIRES_DAYS 14

struct office {
    char *dir;                     /* the office directory */
    char *web_root;                /* the web server's document root */
    char *sign_key, *seal_key;     /* key file paths */
    char *scopes[OFFICE_SCOPES_MAX];
    int n_scopes;
    sqlite3 *db;
    time_t now;                    /* --now, or the clock */
    workday_date today;            /* the local date of now */
    const char *command;           /* the command running, for the audit table */
    struct workday_cal *cals[OFFICE_SCOPES_MAX]; /* loaded on demand; NULL: none */
    bool cal_loaded[OFFICE_SCOPES_MAX];
    char err[600];                 /* one line, set when a call fails */
};

/* The outcome keys of a reply (the annual report's rows), NULL-terminated:
 * disclosed, partly_disclosed, not_disclosed.state_secret, ... other.other. */
extern const char *const office_outcomes[];
/* The applicant kinds (the report's columns, without total), NULL-terminated:
 * natural_person, business, research, public_interest, legal_service, other_org. */
extern const char *const office_applicant_kinds[];
/* The rating levels of the service-rating form, best first, NULL-terminated. */
extern const char *const office_rating_levels[];

bool office_outcome_valid(const char *key);
/* The status feed's outcome (state.h's vocabulary) of KEY: the part before the dot. */
void office_outcome_top(const char *key, char *out, size_t outlen);
/* The applicant kind of the request form's applicant-type choice ("citizen" ->
 * natural_person, ...); "other_org" for anything unknown. */
const char *office_applicant_kind(const char *choice);
/* Whether a rating level is a bad one (dissatisfied, very-dissatisfied). */
bool office_rating_bad(const char *level);

/* Creates DIR (must not exist or be empty) with office.ini and office.db. The keys
 * must be regular files that neither group nor others can read; the web root must not
 * be DIR or inside it, and DIR must not be inside the web root. 0 or -errno with ERR. */
int office_init(const char *dir, const char *web_root, const char *sign_key, const char *seal_key,
                const char *scopes_csv, char *err, size_t errlen);

/* Opens an office directory. NOW is the clock to use. 0 or -errno with ERR. Release
 * with office_close. */
int office_open(struct office *o, const char *dir, time_t now, char *err, size_t errlen);
void office_close(struct office *o);

/* Whether SCOPE is one of the office's; its index or -1. */
int office_scope_index(const struct office *o, const char *scope);
/* The working-day calendar of SCOPE (NULL when its content was never published, or the
 * scope is unknown: every due date is then an estimate). Owned by O. */
const struct workday_cal *office_calendar(struct office *o, const char *scope);


/* "YYYY-MM-DD" of the local date of T. */
void office_date_of(time_t t, char out[11]);

/* A statement on office.db: prepare/step helpers that set o->err. */
int office_exec(struct office *o, const char *sql);
sqlite3_stmt *office_prepare(struct office *o, const char *sql);
int office_begin(struct office *o);
int office_commit(struct office *o);
void office_rollback(struct office *o);

/* Appends to the audit table: now, RECEIPT (may be ""), o->command, WHAT. */
int office_audit(struct office *o, const char *receipt, const char *what);

/* Recomputes and stores the due date of RECEIPT from its dates (a request; other kinds
 * have none). 0 or -errno. */
int office_update_due(struct office *o, const char *receipt);
/* The due date of a request from its dates, as office_update_due stores it: DUE gets
 * "" (no due date: waiting for a supplement) or the date; *ret_est the estimate flag. */
int office_compute_due(struct office *o, const char *scope, const char *submitted_on,
                       const char *received_on, const char *supplement_on, const char *supplied_on,
                       int extended_days, char due[11], bool *ret_est);

/* Whether DUE (YYYY-MM-DD, may be "") is past today, for a request not replied. */
bool office_overdue(const struct office *o, const char *due, const char *status);

#endif
