/* install.h - installing a verified bundle as content.db, so that a kill -9 or a power
 * cut at any moment leaves either the old or the new content, whole.
 *
 * The order (docs/architecture.md, "Contracts"): lock -> clean stale temp files -> verify the
 * signature -> scope, schema, kiosk version, no rollback, clock and expiry -> stream
 * the payload into a temp file beside content.db while hashing -> compare hashes and
 * sizes -> PRAGMA integrity_check, meta.schema_version, meta.content_version -> fsync
 * -> hard-link the current content.db to content.db.prev -> rename the temp file over
 * content.db -> fsync the directory -> append to the install history.
 *
 * Files beside CONTENT_DB (all documented in sync/README.md):
 *   content.db.prev        the previous content (a hard link), the fallback
 *   content.db.installed   the install history, one line per install, written
 *                          atomically: the newest version ever installed guards
 *                          against rollback even if content.db is put back by hand
 *   content.db.lock        flock()ed while an install runs (USB and timer never race)
 *   content.db.install-PID.tmp   the database being written; removed at the next start
 *
 * Load: one install a night; the payload is streamed, memory stays flat. */
#ifndef KIOSK_INSTALL_H
#define KIOSK_INSTALL_H

#include <stdint.h>

#include "bundle.h"

struct install_opts {
    const char *content_db;              /* path of content.db */
    const struct bundle_keyring *keys;   /* trusted signing keys */
    const char *scope;                   /* this kiosk's scope */
    uint64_t max_payload;                /* cap on stored and decompressed payload */
    int64_t clock_tolerance;             /* seconds the clock may be behind created_at */
    const char *kiosk_version;           /* this firmware, against min_kiosk_version */
    int64_t now;                         /* 0: the system clock */
};

struct install_result {
    uint64_t previous;                   /* content version before */
    uint64_t installed;                  /* content version now */
    char key_id[2 * BUNDLE_KEY_ID_SIZE + 1];
};

/* The content version of CONTENT_DB's meta (0 when there is no readable file) and the
 * newest ever installed according to the history (0 when none). */
int install_versions(const char *content_db, uint64_t *ret_current, uint64_t *ret_newest);

/* The checks of a verified manifest against this kiosk, in order: scope, schema
 * version, kiosk version, no rollback (newer than the current content and not older
 * than the newest ever installed), clock, expiry. Touches nothing; the sync agent runs
 * it on the published head before downloading a payload. */
int install_check(const struct bundle_manifest *m, const struct install_opts *o,
                  struct bundle_error *err);

/* Installs the bundle at PATH. Returns 0 with *ret filled (if not NULL), or a
 * negative errno-style code with ERR saying why; content.db is then unchanged. */
int install_bundle(const char *path, const struct install_opts *o, struct install_result *ret,
                   struct bundle_error *err);

#endif
