/* feed.h - the signed status feed: what the central office says about the requests it
 * received, published as one static file per scope, status-feed/<scope>.json, and
 * cached by each kiosk so a visitor can look a receipt up offline.
 *
 * Signed like a bundle manifest: an Ed25519 signature (same keys, same key id) over the
 * exact bytes of a JSON body, carried in a JSON envelope (format in sync/README.md):
 *   {"format":1,"key_id":"<16 hex>","signature":"<base64>","body":"<JSON text>"}
 * The envelope is never given to a JSON parser: it is read byte by byte (exactly those
 * four members, flat, into buffers no larger than the file), the signature is checked
 * over the body's bytes, and only then is the body parsed. Caps: the file at the
 * caller's limit and at most FEED_BYTES_MAX, FEED_ENTRIES_MAX entries, every string at
 * its column's length. */
#ifndef KIOSK_FEED_H
#define KIOSK_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "bundle.h"

#define FEED_FORMAT_VERSION 1
#define FEED_ENTRIES_MAX 200000
#define FEED_BYTES_MAX (256 * 1024 * 1024) /* max_feed_kb's upper bound */

struct feed_entry {        /* the fields of state.h's status_entry; strings owned by the feed */
    char *receipt;         /* 1-31 of A-Z a-z 0-9 - _ */
    char *status;          /* the office's processing state, e.g. received, replied (<= 31 bytes) */
    char *outcome;         /* one of state_status_outcomes[] (docs/rules.md §1), e.g. in_progress */
    char *reason;          /* reason code or short text, "" when none (<= 255 bytes) */
    char *updated_at;      /* YYYY-MM-DDTHH:MM:SSZ */
    char *due_date;        /* YYYY-MM-DD or "" */
};

struct feed {
    char scope[BUNDLE_SCOPE_MAX + 1];
    char key_id[2 * BUNDLE_KEY_ID_SIZE + 1];
    int64_t created_at, expires_at;
    struct feed_entry *entries;
    size_t n;
};

/* Builds and signs a feed for SCOPE from ENTRIES_JSON (a JSON array of entry objects,
 * checked like a received feed). *ret_text is the envelope; you own it. */
int feed_sign(const struct bundle_seckey *key, const char *scope, int expires_days, int64_t now,
              const char *entries_json, size_t len, char **ret_text, struct bundle_error *err);

/* The same from N entries in memory (each checked like a received entry): the body and
 * the envelope are written directly, without a JSON tree, so a feed of FEED_ENTRIES_MAX
 * entries is signed in well under a second (kiosk-office feed). feed_sign parses its
 * JSON and calls this. *ret_text is the envelope; you own it. */
int feed_sign_entries(const struct bundle_seckey *key, const char *scope, int expires_days, int64_t now,
                      const struct feed_entry *entries, size_t n, char **ret_text, struct bundle_error *err);

/* Verifies the envelope in BUF with KEYS, then parses the body into *ret (release it
 * with feed_release). Scope and expiry are the caller's to check. */
int feed_parse(const void *buf, size_t len, const struct bundle_keyring *keys, struct feed *ret,
               struct bundle_error *err);
void feed_release(struct feed *f);

#endif
