/* office_fleet.h - kiosk-office's `fleet`: the health of every kiosk, read from the
 * heartbeats the kiosks PUT to the office's web root (`status/<kiosk_id>.json`, written
 * by kiosk-sync's agent.c; fields in sync/README.md "The heartbeat"). One row per
 * heartbeat file: last seen, firmware, content version against the published one,
 * outbox pending, disk free, last sync result, errors; four health flags plus one for a
 * file that could not be used; and three outputs: a table, JSON, and node_exporter's
 * textfile-collector format (sync/README.md "kiosk-office fleet" documents them all).
 *
 * The flags (each makes a row "need attention"):
 *   stale         no heartbeat for OFFICE_FLEET_STALE_SECONDS (36 h). Last seen is the
 *                 heartbeat's own `sent_at`; the file's mtime (when the web server wrote
 *                 it) stands in when sent_at is missing or malformed, or is more than
 *                 OFFICE_FLEET_CLOCK_AHEAD_SECONDS after the mtime (the kiosk's clock
 *                 runs ahead, and would otherwise never look stale). The row says which.
 *   behind        content_version older than the published manifest of the kiosk's scope.
 *   low-disk      disk_free_bytes under OFFICE_FLEET_LOW_DISK_BYTES (1 GiB).
 *   failing-sync  the previous sync's result was not "ok", this cycle reported errors
 *                 so far, or uploads failed in it.
 *   invalid       the file could not be used as a heartbeat: over the size cap, not a
 *                 regular file, unreadable, not a JSON object, a required field missing
 *                 or malformed, or a kiosk_id that is not the file's name. Such a file
 *                 is a row (with `problem` saying why), never a reason to stop.
 *
 * Published content: for each scope the kiosks name, `WEB_ROOT/bundles/<scope>/manifest`
 * (the head `kiosk-bundle pack --manifest-out` writes, sync/README.md "The bundle
 * format"); PUBLISHED_MANIFEST_PATH, when not NULL, is read first and stands for its own
 * scope (the one its manifest names). The head's layout and lengths are checked, its
 * signature is not: it is the office's own file, and only its content_version and scope
 * are used. A scope without a manifest has no published version, and its kiosks are
 * never "behind".
 *
 * Caps on what is read (every heartbeat is written by a machine in the field through
 * WebDAV PUT, so none of it is trusted): a heartbeat over OFFICE_FLEET_HEARTBEAT_MAX
 * bytes is an invalid row and is not parsed; at most OFFICE_FLEET_DIRENTS_MAX entries of
 * status/ are looked at and OFFICE_FLEET_KIOSKS_MAX heartbeats read (beyond: the fleet
 * is `truncated`, which needs attention); at most OFFICE_FLEET_SCOPES_MAX manifests;
 * strings are cut to their fields' sizes and control characters replaced, so nothing
 * a heartbeat says can move a terminal's cursor or break a Prometheus label.
 *
 * Load: one directory scan, and per heartbeat one read and one pass of a validating
 * JSON scanner that hands only the ten values fleet uses to jansson (the usage
 * counters, most of the bytes, are only checked for syntax). 10,000 heartbeats of
 * ~7 KB: ~0.3 s of CPU to load, ~0.5 s with the JSON and Prometheus outputs; of the
 * largest the agent sends (~60 KB), ~0.9 s and ~1.1 s (tests/bench/bench_fleet.sh).
 *
 * Errors are values: 0 or a negative errno; the _msg variants fill a one-line
 * "FILE: FIELD: cause". Nothing here exits. */
#ifndef KIOSK_OFFICE_FLEET_H
#define KIOSK_OFFICE_FLEET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define OFFICE_FLEET_STALE_SECONDS (36 * 3600)
/* Room for the largest bundle kiosks accept by default (max_payload_mb 512) downloaded
 * and unpacked once more beside the content in use: below this the next install may
 * fail with no-space. */
#define OFFICE_FLEET_LOW_DISK_BYTES (1024ll * 1024 * 1024)
#define OFFICE_FLEET_CLOCK_AHEAD_SECONDS 3600
/* The agent's heartbeat is a few KB to ~150 KB (at most 1,000 usage rows and 500
 * failed searches); nginx accepts at most 2 MB (tests/sync/nginx.sh). */
#define OFFICE_FLEET_HEARTBEAT_MAX (1024 * 1024)
#define OFFICE_FLEET_KIOSKS_MAX 100000
#define OFFICE_FLEET_DIRENTS_MAX 200000
#define OFFICE_FLEET_SCOPES_MAX 1000
#define OFFICE_FLEET_ERRORS_KEPT 3     /* error lines kept per row (all are counted) */
#define OFFICE_FLEET_ERROR_LINE_MAX 300 /* bytes of each kept line */

enum office_fleet_flag {
    OFFICE_FLEET_STALE = 1u << 0,
    OFFICE_FLEET_BEHIND = 1u << 1,
    OFFICE_FLEET_LOW_DISK = 1u << 2,
    OFFICE_FLEET_FAILING_SYNC = 1u << 3,
    OFFICE_FLEET_INVALID = 1u << 4,
};
#define OFFICE_FLEET_FLAG_COUNT 5

/* "stale", "behind", "low-disk", "failing-sync", "invalid"; NULL for anything else
 * (one bit at a time). Static strings. */
const char *office_fleet_flag_name(unsigned flag);

/* Where a row's last_seen comes from. */
enum office_fleet_source {
    OFFICE_FLEET_SOURCE_NONE = 0,      /* neither (the file could not even be stat'ed) */
    OFFICE_FLEET_SOURCE_SENT_AT,       /* the heartbeat's sent_at */
    OFFICE_FLEET_SOURCE_MTIME,         /* the file's modification time */
};
/* "sent_at", "mtime", or NULL for NONE. */
const char *office_fleet_source_name(enum office_fleet_source s);

/* One kiosk. Every string is NUL-terminated, printable (control characters replaced by
 * '?'), and owned by the fleet it came from: valid until office_fleet_free. Numbers
 * that the heartbeat did not give (or that could not be used) are -1. */
struct office_fleet_row {
    char kiosk_id[65];          /* from the file name (cut; bytes outside printable ASCII as '?') */
    int id_valid;               /* the file name is a kiosk id (only then is kiosk_id unique) */
    char file[264];             /* "status/<name>", relative to the web root, cleaned alike */
    char scope[65];             /* "" unknown */
    char firmware[33];          /* firmware_version; "" unknown */
    int64_t last_seen;          /* Unix seconds; -1 unknown */
    enum office_fleet_source last_seen_source;
    int64_t age_seconds;        /* now - last_seen (negative: in the future); 0 if unknown */
    int64_t sent_at;            /* as the heartbeat says, -1 missing or malformed */
    int64_t mtime;              /* the file's, -1 unknown */
    int64_t content_version;
    int64_t published_version;  /* of the scope's manifest; -1 none */
    int64_t outbox_pending, outbox_uploaded, outbox_exported;
    int64_t disk_free_bytes;
    char last_sync_result[16];  /* previous_sync.result ("ok", "failed"); "" none yet */
    int64_t last_sync_exit;
    int64_t last_sync_finished_at;
    int64_t upload_failed;      /* this_sync.upload_failed */
    size_t error_count;         /* this cycle's error lines in the heartbeat */
    size_t errors_kept;         /* <= OFFICE_FLEET_ERRORS_KEPT */
    char *errors[OFFICE_FLEET_ERRORS_KEPT]; /* the first lines, cut to OFFICE_FLEET_ERROR_LINE_MAX */
    unsigned flags;             /* enum office_fleet_flag bits */
    char problem[256];          /* why INVALID ("content_version: missing (and 1 more)"); "" */
    char note[192];             /* anything else worth saying (the clock, ahead of published); "" */
};

/* The fleet: opaque; rows sorted by kiosk_id (bytewise). */
struct office_fleet;

/* Reads every heartbeat under WEB_ROOT/status and the manifests (above); NOW is the
 * office's clock. A missing status/ folder is an empty fleet. Fails (negative errno,
 * *ret untouched) only when WEB_ROOT or status/ cannot be read, or when
 * PUBLISHED_MANIFEST_PATH is given and cannot be read or is not a bundle head; bad
 * heartbeats and bad per-scope manifests never fail it (rows and notes say why).
 * On success *ret is yours: office_fleet_free it. */
int office_fleet_load(const char *web_root, const char *published_manifest_path, time_t now,
                      struct office_fleet **ret);
/* The same, and on failure a one-line "FILE: FIELD: cause" in ERR (if not NULL). */
int office_fleet_load_msg(const char *web_root, const char *published_manifest_path, time_t now,
                          struct office_fleet **ret, char *err, size_t errlen);
void office_fleet_free(struct office_fleet *f); /* accepts NULL */

size_t office_fleet_count(const struct office_fleet *f);
/* Row I (0 <= I < count), owned by F; NULL past the end. */
const struct office_fleet_row *office_fleet_row(const struct office_fleet *f, size_t i);
/* Rows with at least one flag. */
size_t office_fleet_attention(const struct office_fleet *f);
/* Rows with FLAG set (one bit). */
size_t office_fleet_flag_count(const struct office_fleet *f, unsigned flag);
time_t office_fleet_now(const struct office_fleet *f);
/* 1 when a cap stopped the scan of status/ (some heartbeats were not read). */
int office_fleet_truncated(const struct office_fleet *f);
/* Fleet-level notes (a bad manifest, a cap reached), one line each, owned by F. */
size_t office_fleet_note_count(const struct office_fleet *f);
const char *office_fleet_note(const struct office_fleet *f, size_t i);
/* The published content version of SCOPE, -1 when none (or not read). */
int64_t office_fleet_published(const struct office_fleet *f, const char *scope);

/* Outputs (formats in sync/README.md "kiosk-office fleet"). The writers to a FILE
 * return 0 or -EIO; write_prometheus writes PATH atomically (a temp file beside it,
 * not ending in .prom, fsynced and renamed, mode 0644) and fills ERR on failure. */
int office_fleet_write_table(const struct office_fleet *f, FILE *out);
int office_fleet_write_json(const struct office_fleet *f, FILE *out);
int office_fleet_write_prometheus(const struct office_fleet *f, const char *path, char *err, size_t errlen);

/* `kiosk-office ... fleet [--json] [--prometheus FILE]`: ARGV holds the ARGC arguments
 * after the word `fleet`. Prints the table (or the JSON) on stdout, the fleet's notes
 * on stderr, writes the Prometheus file if asked. Returns the exit status: 0 every
 * kiosk is well, 1 one needs attention (or the scan was truncated), 2 a usage or I/O
 * error (one line "FILE: FIELD: cause" on stderr). */
int office_fleet_main(const char *web_root, const char *published_manifest_path, time_t now, int argc,
                      char **argv);

#endif
