/* usb.h - USB sticks (docs/architecture.md, flow 4): install the newest valid bundle found on a
 * stick, export the sealed outbox to one, and, at the office, check such an export.
 * Formats and rules: sync/README.md, "USB sticks".
 *
 * Import. Every *.kbundle at the top of the stick and one folder down (names starting
 * with "." are ignored; at most USB_FILES_MAX files are looked at) gets a result:
 *   1. its head (header, manifest, signature: at most 64 KiB + 104 bytes) is read into
 *      memory and checked exactly as the network path checks a published head:
 *      signature by a trusted key, then scope, schema, kiosk version, no rollback,
 *      clock, expiry (install_check); the file's size must match the head;
 *   2. the candidates that passed, newest content version first, are each COPIED whole
 *      into a private file in work_dir (mode 0600, work_dir is 0700); the copy's head
 *      must be byte for byte the head checked in 1; then install_bundle() verifies the
 *      copy from scratch (signature, checks, payload hash, database) and installs it.
 *      The first that installs wins; the older valid ones are "superseded". Nothing
 *      read after step 1 comes from the stick except into the copy, so a file swapped
 *      on the stick after it was checked cannot be what gets installed.
 * At most two bundle-sized files exist at a time: the copy and the database being
 * installed. Load: a stick now and then; a stick of 64 bundles reads 64 heads and
 * copies only until one installs.
 *
 * Export. The submissions not yet acknowledged by an upload are written to
 * DIR/hallkiosk-export/<kiosk_id>/<receipt>.sealed (atomically: temp file, fsync,
 * rename, fsync of the folder) with index.json listing every file of the folder; then
 * they are marked exported. A second export writes nothing new and leaves index.json
 * byte for byte as it was.
 *
 * Nothing here prints: results are values; usb_tool.c (kiosk-sync) and
 * submission_tool.c (kiosk-bundle) say them. */
#ifndef KIOSK_USB_H
#define KIOSK_USB_H

#include <stddef.h>
#include <stdint.h>

#include "bundle.h"
#include "install.h"
#include "core/state.h"

#define USB_FILES_MAX 64           /* bundle files looked at on one stick */
#define USB_FOUND_MAX 1024         /* bundle files reported; more are only counted */
#define USB_SCAN_MAX 4096          /* directory entries read in one folder */
#define USB_SUBDIRS_MAX 64         /* folders looked into, one level down */
#define USB_NAME_MAX 512           /* a file's path relative to the stick */
#define USB_VARS_MAX 6             /* words filled into one file's message */
#define USB_EXPORT_DIR "hallkiosk-export"
#define USB_EXPORT_MAX 100000      /* submissions in one export folder */
/* index.json: the longest entry line usb_index_format writes is 255 bytes (receipt 31,
 * sha256 64, size 6 digits, kind and created_at with every character escaped), the
 * head and the hash line under 200; so no index of USB_EXPORT_MAX entries is larger
 * than USB_INDEX_MAX (32 MB). Before any JSON parse, usb_index_parse also checks the
 * shape: objects, lists, members, nesting and string lengths no index can exceed. */
#define USB_INDEX_ENTRY_MAX 320
#define USB_INDEX_HEAD_MAX 512
#define USB_INDEX_MAX (USB_INDEX_HEAD_MAX + (size_t)USB_EXPORT_MAX * USB_INDEX_ENTRY_MAX)
#define USB_UNLISTED_MAX 100       /* unknown files reported by name */

/* ---- words ----------------------------------------------------------------------
 * usb-messages.tsv: KEY<TAB>zh<TAB>en, '#' comments, at most 64 KiB; {name} in a
 * template is filled in when a message is made. The keys: sync/README.md. */

typedef struct usb_messages usb_messages;

enum usb_lang { USB_ZH = 0, USB_EN = 1 };

/* Loads PATH; 0 or a negative errno-style code with ERR saying "PATH:LINE: cause". */
int usb_messages_load(const char *path, usb_messages **ret, char *err, size_t errlen);
void usb_messages_free(usb_messages *m); /* accepts NULL */
/* KEY's template in LANG, or NULL. Owned by M. */
const char *usb_messages_get(const usb_messages *m, const char *key, enum usb_lang lang);
size_t usb_messages_count(const usb_messages *m);
const char *usb_messages_key_at(const usb_messages *m, size_t i);
/* TEMPLATE with every {name} replaced by its value from VARS (name, value, ..., NULL);
 * an unknown {name} stays as it is. You own the result. */
char *usb_render(const char *tmpl, const char *const *vars);

/* ---- progress ------------------------------------------------------------------- */

enum usb_event {
    USB_EV_LISTED,       /* total: bundle files found (import) or to write (export) */
    USB_EV_CHECKING,     /* name: reading and checking its head */
    USB_EV_COPYING,      /* name: about to copy it whole into work_dir */
    USB_EV_INSTALLING,   /* name: the copy's head matched; path: the copy */
    USB_EV_WRITING,      /* name: a submission being written to the stick */
    USB_EV_INDEX,        /* index.json being written */
};

struct usb_progress {
    enum usb_event ev;
    const char *name;    /* relative to the stick; NULL for LISTED and INDEX */
    const char *path;    /* INSTALLING: the private copy */
    size_t done, total;
};

typedef void (*usb_progress_fn)(void *ctx, const struct usb_progress *p);

/* ---- import ---------------------------------------------------------------------- */

enum usb_result { USB_PENDING = 0, USB_INSTALLED, USB_REFUSED, USB_SKIPPED };
/* "pending", "installed", "refused", "skipped" */
const char *usb_result_name(enum usb_result r);

struct usb_file {
    char name[USB_NAME_MAX];     /* relative to the stick, e.g. "updates/hall-7.kbundle" */
    enum usb_result result;
    char reason[24];             /* a bundle reason name (bundle.h) or "ok", "superseded",
                                    "too-many-files", "not-a-file", "changed" */
    char detail[400];            /* technical: "FIELD: cause" */
    char message_key[40];        /* the words, when not "reason.<reason>" */
    uint64_t version;            /* the signed content version; 0 when not read */
    /* the words its message fills in ({version}, {installed}, {scope}, ...) */
    char var_name[USB_VARS_MAX][16];
    char var_value[USB_VARS_MAX][80];
    int n_vars;
};

struct usb_import_opts {
    const char *dir;             /* the stick's mount point */
    const char *work_dir;        /* private copies (created 0700 if missing) */
    struct install_opts install; /* keys, scope, limits: as for the network path */
    usb_progress_fn progress;    /* may be NULL */
    void *ctx;
};

struct usb_import_report {
    struct usb_file *files;      /* n_files entries, sorted by name */
    size_t n_files;
    size_t n_found;              /* bundle files found; > n_files when over USB_FOUND_MAX */
    int installed;               /* index into files, -1 when nothing was installed */
    uint64_t previous;           /* the content version before */
    uint64_t version;            /* the content version now */
    int local_failure;           /* the kiosk's own disk failed (no-space, io) */
    char error[320];             /* usb_import < 0: why the stick could not be read */
};

/* Runs the import. Returns 0 when the stick was read (whether or not something was
 * installed: see ret->installed), or a negative errno-style code when DIR cannot be
 * read at all (ret->error says why). Either way *ret is filled and must be released. */
int usb_import(const struct usb_import_opts *o, struct usb_import_report *ret);
void usb_import_report_release(struct usb_import_report *r);

/* The message of F in LANG: "result: reason" words from M, e.g. "not installed: older
 * than the content already installed (version 3, installed 5)". Without M (or a key
 * missing from it) the technical detail. GLOBALS (name, value, ..., NULL, may be NULL)
 * are further words: kiosk_scope, this_version, kiosk_schema, max, max_mb. You own it. */
char *usb_file_message(const usb_messages *m, const struct usb_file *f, enum usb_lang lang,
                       const char *const *globals);

/* ---- export ---------------------------------------------------------------------- */

struct usb_export_opts {
    const char *dir;             /* the stick's mount point */
    const char *state_db;        /* the outbox; a missing file is an empty outbox */
    const char *kiosk_id;
    int64_t now;                 /* exported_at; 0: the clock */
    usb_progress_fn progress;
    void *ctx;
};

struct usb_export_report {
    char folder[64];             /* "hallkiosk-export/<kiosk_id>" */
    int exported;                /* files written (new, or repaired) */
    int already;                 /* not yet uploaded and already there, byte for byte */
    int kept;                    /* listed from earlier exports (uploaded since) */
    int listed;                  /* entries of index.json */
    int marked;                  /* submissions marked exported for the first time */
    int nothing;                 /* nothing to export and no folder: nothing written */
    int index_rebuilt;           /* the earlier index.json was damaged and was replaced */
    char unlisted[USB_UNLISTED_MAX][USB_NAME_MAX / 4]; /* .sealed files it cannot vouch for */
    int n_unlisted;
    char reason[24];             /* "ok", or on failure: no-space, read-only, io, local */
    char detail[400];
};

/* 0, or a negative errno-style code with ret->reason and ret->detail saying why. What
 * was written before a failure stays valid: files are renamed into place whole, the
 * index last, and nothing is marked exported before its file and the index are on
 * the stick (fsync). */
int usb_export(const struct usb_export_opts *o, struct usb_export_report *ret);

/* ---- index.json ------------------------------------------------------------------ */

struct usb_index_entry {
    char receipt[OUTBOX_RECEIPT_MAX];
    char sha256[65];
    uint64_t size;
    char kind[16];
    char created_at[32];
};

struct usb_index {
    char kiosk_id[16];
    struct usb_index_entry *e;   /* n entries, strictly ascending by receipt */
    size_t n;
};

/* The index text: deterministic (same entries, same bytes), its last line carrying
 * the SHA-256 of every byte before it. You own *ret (NUL-terminated). */
char *usb_index_format(const struct usb_index *ix, size_t *ret_len);
/* Parses and checks TEXT (LEN bytes, at most USB_INDEX_MAX): the size, the hash line,
 * the shape (a cheap scan: at most USB_EXPORT_MAX + 1 objects, one list, nesting 3,
 * strings of 128 bytes), and only then the JSON and every field.
 * 0 or -EBADMSG with ERR saying why. */
int usb_index_parse(const char *text, size_t len, struct usb_index *ret, char *err, size_t errlen);
void usb_index_release(struct usb_index *ix);

/* The office's check of an export folder (DIR/hallkiosk-export/<kiosk_id>): index.json
 * intact, every listed file present with its size and sha256, no .sealed file that is
 * not listed. Calls PROBLEM once per problem ("NAME: what is wrong") and returns how
 * many there were; *ret gets the index (release it) when it could be read. */
int usb_export_check(const char *folder, struct usb_index *ret,
                     void (*problem)(void *ctx, const char *line), void *ctx);

/* 1 when S can be a receipt number in a file name: 1..31 of 0-9 A-Z and '-', not
 * starting with '-'. */
int usb_receipt_name_ok(const char *s);

#endif
