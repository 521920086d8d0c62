/* agent.h - the sync agent behind kiosk-sync: one cycle of docs/architecture.md, flow 3, a local
 * install, and the status an operator asks for.
 *
 * A cycle, in order; a failing step is reported and the next steps still run (the
 * heartbeat matters most when something failed):
 *   1. GET  <central_url>/bundles/<scope>/manifest      If-None-Match: the stored ETag
 *      (the head of the current bundle); verify, compare with what is installed;
 *   2. if newer, GET <central_url>/bundles/<scope>/<version>.kbundle into
 *      <work_dir>/<scope>-<version>-<sha8>.kbundle.part, resuming with Range/If-Range;
 *      install it (install.h);
 *   3. PUT  <central_url>/inbox/<kiosk_id>/<receipt>.sealed for each submission not yet
 *      uploaded; mark it uploaded on 2xx; purge sealed blobs past retention_days;
 *   4. PUT  <central_url>/status/<kiosk_id>.json, the heartbeat;
 *   5. GET  <central_url>/status-feed/<scope>.json      If-None-Match; verify; cache it
 *      in state.db's status_cache.
 * Files in work_dir: manifest.etag, status-feed.etag, status-feed.applied, the .part
 * download and its .part.etag, last-run.json, lock.
 *
 * Load: once a night, plus "sync now" from the staff menu; a cycle with nothing new
 * costs three small requests (a 304, the heartbeat PUT, a 304). */
#ifndef KIOSK_AGENT_H
#define KIOSK_AGENT_H

#include <stdint.h>

#include "bundle.h"
#include "core/config.h"

/* Exit codes of kiosk-sync (a contract with systemd units and the staff menu). */
enum agent_exit {
    AGENT_EXIT_OK = 0,        /* everything done (or nothing to do) */
    AGENT_EXIT_FAILED = 1,    /* an unexpected failure */
    AGENT_EXIT_USAGE = 2,     /* bad arguments or configuration */
    AGENT_EXIT_REFUSED = 3,   /* a bundle or feed was refused (signature, scope, version...) */
    AGENT_EXIT_NETWORK = 4,   /* the server could not be reached or kept failing */
    AGENT_EXIT_LOCAL = 5,     /* a local failure: disk full, database, files */
    AGENT_EXIT_BUSY = 6,      /* another kiosk-sync is running */
};

#define AGENT_ERRORS_MAX 8

struct agent_report {
    int exit;                 /* enum agent_exit */
    uint64_t content_before, content_after;
    int installed;            /* 1 when a new bundle was installed */
    int uploaded, upload_failed, purged;
    int heartbeat_sent;
    long feed_entries;        /* entries cached, -1 when the feed was unchanged or failed */
    long requests;
    uint64_t bytes_down, bytes_up;
    double seconds;
    char errors[AGENT_ERRORS_MAX][320];
    int n_errors;
};

/* One line of news for the operator (the program prefixes and prints it). */
typedef void (*agent_log_fn)(void *ctx, const char *line);

/* One cycle. Returns the exit code (also in rep->exit). */
int agent_run(const struct kiosk_config *cfg, const char *kiosk_version, agent_log_fn log,
              void *ctx, struct agent_report *rep);

/* Installs a local bundle file with this kiosk's keys, scope and limits. 0 or a
 * negative code, ERR saying why. */
int agent_install(const struct kiosk_config *cfg, const char *kiosk_version, const char *path,
                  uint64_t *ret_previous, uint64_t *ret_installed, struct bundle_error *err);

/* What agent_feed_apply did with a status feed. */
struct agent_feed_result {
    size_t entries, written; /* entries in the feed; cache rows that changed */
    char created[32];        /* the feed's created_at, "" when it could not be read */
    char reason[32];         /* "ok" or a bundle_reason_name (not-newer, foreign-scope ...) */
    char error[320];         /* "status feed: SOURCE: FIELD: cause [reason]" when refused */
};

/* Applies a signed status feed read into BUF (LEN bytes, already capped at
 * max_feed_kb by the caller) from SOURCE (a URL or a file on a USB stick, for the
 * messages): the signature by a trusted key, the scope, created_at not older than the
 * last feed applied (work_dir/status-feed.applied) nor in the future beyond the clock
 * tolerance, not expired; then caches its entries in state.db and records its
 * created_at. The network cycle and usb-import both use it: the same checks on both
 * paths. Returns an enum agent_exit (AGENT_EXIT_OK when applied). */
int agent_feed_apply(const struct kiosk_config *cfg, const struct bundle_keyring *keys, int64_t now,
                     const char *source, const void *buf, size_t len, struct agent_feed_result *ret);

struct agent_status {
    uint64_t content_version, newest_installed, prev_version;
    char content_built_at[32];
    char last_run_at[32], last_result[16];
    int last_exit;            /* -1 when no cycle has run */
    char last_errors[AGENT_ERRORS_MAX][320];
    int n_last_errors;
    int outbox_ok;            /* 0 when state.db could not be read */
    int pending, uploaded, exported;
};

int agent_status(const struct kiosk_config *cfg, struct agent_status *ret);

/* The exit code for a negative errno-style code from install or HTTP. */
int agent_exit_for(int code, enum bundle_reason reason);

#endif
