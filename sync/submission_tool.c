/* submission_tool.c - see submission_tool.h.
 *
 * keygen writes the two key pairs the office keeps: sign.pub / sign.key (Ed25519, for
 * bundles and status feeds; sync/bundle.h) and seal.pub / seal.key (X25519, for
 * crypto_box_seal; firmware/core/seal.h). Kiosks get the two .pub files; the .key
 * files (mode 0600) never leave the office.
 *
 * open-submission opens sealed submissions with seal.key and prints each as one line
 * of JSON (the object firmware/core/form.h documents): from a .sealed file (what a
 * kiosk uploads or exports), or from every outbox row of a state.db that still has its
 * blob, oldest first. The database is opened read-only. Plaintext buffers are wiped
 * after printing: what they hold is personal data. */
#include "submission_tool.h"
#include "bundle.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fileio.h"
#include "core/seal.h"
#include "core/state.h"
#include "usb.h"

enum { EXIT_WORK = 1, EXIT_USAGE = 2 };

static const char keygen_usage[] =
    "usage: kiosk-bundle keygen --out DIR\n"
    "Write a fresh signing pair (sign.pub, sign.key: Ed25519, for bundles) and sealing\n"
    "pair (seal.pub, seal.key: X25519, for visitor submissions) into DIR, created if\n"
    "missing. Each file is one line \"TYPE BASE64\"; the .key files are mode 0600.\n"
    "Existing keys are never replaced.\n"
    "  -o, --out DIR   where to write the four files\n";

static const char open_usage[] =
    "usage: kiosk-bundle open-submission --key SEAL_SECRET_KEY FILE_OR_DB\n"
    "Print each sealed submission as one line of JSON: FILE is one .sealed blob; a\n"
    "state.db prints every outbox row that still has its blob, oldest first.\n"
    "  -k, --key FILE   the sealing secret key (seal.key from keygen)\n";

static int usage_error(const char *cmd, const char *what, const char *arg)
{
    fprintf(stderr, "kiosk-bundle: %s: %s%s\n", cmd, what, arg ? arg : "");
    fprintf(stderr, "Try 'kiosk-bundle %s --help'.\n", cmd);
    return EXIT_USAGE;
}

/* Parses "--opt VALUE" style options: the one VALUE option (short letter c), --help. */
static int one_option(int argc, char **argv, const char *cmd, const char *usage,
                      const struct option *options, const char *shorts, const char **ret)
{
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, shorts, options, NULL)) != -1) {
        switch (c) {
        case 'h':
            fputs(usage, stdout);
            return 0;
        case ':':
            return usage_error(cmd, "missing value for ", argv[optind - 1]);
        case '?':
            return usage_error(cmd, "unknown option ", argv[optind - 1]);
        default:
            *ret = optarg;
        }
    }
    return -1;
}

int submission_tool_keygen(int argc, char **argv)
{
    static const struct option options[] = {
        {"out", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    static const char *const names[] = {"sign.pub", "sign.key", "seal.pub", "seal.key"};
    const char *dir = NULL;
    struct bundle_pubkey pub;
    struct bundle_error berr = {0};
    char err[512], path[4096];
    int r = one_option(argc, argv, "keygen", keygen_usage, options, ":o:h", &dir);

    if (r >= 0)
        return r;
    if (optind < argc)
        return usage_error("keygen", "unexpected argument ", argv[optind]);
    if (!dir)
        return usage_error("keygen", "missing --out DIR", NULL);
    if (sodium_init() < 0) {
        fprintf(stderr, "kiosk-bundle: keygen: libsodium cannot be initialised\n");
        return EXIT_WORK;
    }
    if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
        fprintf(stderr, "kiosk-bundle: keygen: %s: %s\n", dir, strerror(errno));
        return EXIT_WORK;
    }
    /* all four or none: refuse before writing anything */
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (access(path, F_OK) == 0) {
            fprintf(stderr, "kiosk-bundle: keygen: %s: exists; not replaced\n", path);
            return EXIT_WORK;
        }
    }
    r = bundle_keygen(dir, &pub, &berr);
    if (r < 0) {
        fprintf(stderr, "kiosk-bundle: keygen: %s: %s\n", berr.field, berr.cause);
        return EXIT_WORK;
    }
    r = seal_keygen(dir, err, sizeof err);
    if (r < 0) {
        fprintf(stderr, "kiosk-bundle: keygen: %s\n", err);
        for (size_t i = 0; i < 2; i++) {
            snprintf(path, sizeof path, "%s/%s", dir, names[i]);
            unlink(path);
        }
        return EXIT_WORK;
    }
    printf("%s: sign.pub (key id %s), sign.key, seal.pub, seal.key\n", dir, pub.id_hex);
    return 0;
}

/* Prints the plaintext PLAIN (LEN bytes) as one line of JSON; 0 or -EBADMSG when it
 * is not a JSON object. */
static int print_submission(const unsigned char *plain, size_t len)
{
    json_error_t je;
    json_t *j = json_loadb((const char *)plain, len, JSON_REJECT_DUPLICATES, &je);
    if (!j || !json_is_object(j)) {
        json_decref(j);
        return -EBADMSG;
    }
    char *line = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!line)
        return -ENOMEM;
    puts(line);
    sodium_memzero(line, strlen(line));
    free(line);
    return 0;
}

/* Opens one sealed blob and prints it; WHAT names it in an error line. */
static int open_one(const struct seal_secret *key, const void *box, size_t len,
                    const char *what)
{
    unsigned char *plain;
    size_t plen = 0;
    int r;

    if (len <= SEAL_OVERHEAD || len - SEAL_OVERHEAD > SEAL_PLAIN_MAX) {
        fprintf(stderr, "kiosk-bundle: open-submission: %s: %zu bytes is not a sealed"
                        " submission\n", what, len);
        return -EINVAL;
    }
    plain = malloc(len);
    if (!plain) {
        fprintf(stderr, "kiosk-bundle: open-submission: out of memory\n");
        return -ENOMEM;
    }
    r = seal_open(key, box, len, plain, &plen);
    if (r == 0)
        r = print_submission(plain, plen);
    if (r == -EBADMSG)
        fprintf(stderr, "kiosk-bundle: open-submission: %s: cannot be opened with this key"
                        " (sealed to another key, or damaged)\n", what);
    sodium_memzero(plain, len);
    free(plain);
    return r;
}

static int open_db(const struct seal_secret *key, const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    int rc, failed = 0;

    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT receipt, sealed FROM outbox WHERE sealed IS NOT NULL"
                               " ORDER BY id", -1, &s, NULL) != SQLITE_OK) {
        fprintf(stderr, "kiosk-bundle: open-submission: %s: not a kiosk state database: %s\n",
                path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return EXIT_WORK;
    }
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        char what[4200];
        int len = sqlite3_column_bytes(s, 1);
        snprintf(what, sizeof what, "%s: %s", path, (const char *)sqlite3_column_text(s, 0));
        if (len > OUTBOX_SEALED_MAX) {
            fprintf(stderr, "kiosk-bundle: open-submission: %s: larger than %d bytes\n", what,
                    OUTBOX_SEALED_MAX);
            failed++;
            continue;
        }
        failed += open_one(key, sqlite3_column_blob(s, 1), (size_t)len, what) < 0;
    }
    if (rc != SQLITE_DONE) {
        fprintf(stderr, "kiosk-bundle: open-submission: %s: %s\n", path, sqlite3_errmsg(db));
        failed++;
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return failed ? EXIT_WORK : 0;
}

static int open_file(const struct seal_secret *key, const char *path, int fd)
{
    char *buf;
    size_t n;
    int r = fio_read_fd_capped(fd, OUTBOX_SEALED_MAX, &buf, &n);
    if (r < 0) {
        fprintf(stderr, "kiosk-bundle: open-submission: %s: %s\n", path,
                r == -EINVAL  ? "not a regular file"
                : r == -EFBIG ? "too large for a sealed submission"
                              : strerror(-r));
        return EXIT_WORK;
    }
    r = open_one(key, buf, n, path);
    free(buf);
    return r < 0 ? EXIT_WORK : 0;
}

int submission_tool_open(int argc, char **argv)
{
    static const struct option options[] = {
        {"key", required_argument, NULL, 'k'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    static const char sqlite_magic[16] = "SQLite format 3";
    const char *keypath = NULL, *path;
    struct seal_secret key;
    char err[512], head[16] = {0};
    int r = one_option(argc, argv, "open-submission", open_usage, options, ":k:h", &keypath);

    if (r >= 0)
        return r;
    if (!keypath)
        return usage_error("open-submission", "missing --key SEAL_SECRET_KEY", NULL);
    if (optind >= argc)
        return usage_error("open-submission", "missing FILE_OR_DB", NULL);
    if (optind + 1 < argc)
        return usage_error("open-submission", "unexpected argument ", argv[optind + 1]);
    path = argv[optind];
    if (seal_secret_load(keypath, &key, err, sizeof err) < 0) {
        fprintf(stderr, "kiosk-bundle: open-submission: %s\n", err);
        return EXIT_WORK;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        fprintf(stderr, "kiosk-bundle: open-submission: %s: %s\n", path, strerror(errno));
        seal_secret_wipe(&key);
        return EXIT_WORK;
    }
    bool is_db = pread(fd, head, sizeof head, 0) == (ssize_t)sizeof head &&
                 memcmp(head, sqlite_magic, sizeof head) == 0;
    r = is_db ? open_db(&key, path) : open_file(&key, path, fd);
    close(fd);
    seal_secret_wipe(&key);
    return r;
}

/* ---- open-export ------------------------------------------------------------------ */

static const char open_export_usage[] =
    "usage: kiosk-bundle open-export --key SEAL_SECRET_KEY DIR\n"
    "DIR is a kiosk's USB export folder (STICK/hallkiosk-export/<kiosk_id>). Checks it\n"
    "first: index.json intact (its hash line), every listed <receipt>.sealed present with\n"
    "its size and SHA-256, no .sealed file that is not listed, and each submission opens\n"
    "with the key and names the receipt and kind it is filed under. Then prints each\n"
    "submission as one line of JSON, in receipt order. Any problem: one line per problem\n"
    "on stderr, nothing on stdout, exit 1 (the same submissions come again by network or\n"
    "with the next export).\n"
    "  -k, --key FILE   the sealing secret key (seal.key from keygen)\n";

struct export_ctx {
    const char *dir;
    int problems;
};

static void export_problem(void *ctx, const char *line)
{
    struct export_ctx *c = ctx;
    fprintf(stderr, "kiosk-bundle: open-export: %s/%s\n", c->dir, line);
    c->problems++;
}

/* Opens DIR/<receipt>.sealed of E; with PRINT, prints it, else checks that it names
 * E's receipt and kind. 0 or -1 (one problem reported). */
static int export_entry(const struct seal_secret *key, struct export_ctx *c, const struct usb_index_entry *e,
                        bool print)
{
    char path[4200], *name = NULL;
    unsigned char *box = NULL, *plain = NULL;
    size_t plen = 0;
    struct stat st;
    json_t *j = NULL;
    int r = -1, fd;

    snprintf(path, sizeof path, "%s/%s.sealed", c->dir, e->receipt);
    name = path + strlen(c->dir) + 1;
    if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0 || fstat(fd, &st) < 0 ||
        (uint64_t)st.st_size != e->size || st.st_size <= SEAL_OVERHEAD) {
        char line[300];
        snprintf(line, sizeof line, "%s: cannot be read, or changed since it was checked", name);
        export_problem(c, line);
        goto out;
    }
    box = malloc((size_t)st.st_size);
    plain = malloc((size_t)st.st_size);
    if (!box || !plain || read(fd, box, (size_t)st.st_size) != st.st_size) {
        char line[300];
        snprintf(line, sizeof line, "%s: cannot be read", name);
        export_problem(c, line);
        goto out;
    }
    if (seal_open(key, box, (size_t)st.st_size, plain, &plen) < 0) {
        char line[300];
        snprintf(line, sizeof line, "%s: cannot be opened with this key (sealed to another key, or damaged)", name);
        export_problem(c, line);
        goto out;
    }
    if (print) {
        r = print_submission(plain, plen) == 0 ? 0 : -1;
        goto out;
    }
    j = json_loadb((const char *)plain, plen, JSON_REJECT_DUPLICATES, NULL);
    const char *rc = json_string_value(json_object_get(j, "receipt"));
    const char *kind = json_string_value(json_object_get(j, "kind"));
    if (!json_is_object(j) || !rc || strcmp(rc, e->receipt) != 0 || !kind || strcmp(kind, e->kind) != 0) {
        char line[300];
        snprintf(line, sizeof line, "%s: the sealed submission is not receipt %s of kind %s", name, e->receipt,
                 e->kind);
        export_problem(c, line);
        goto out;
    }
    r = 0;
out:
    json_decref(j);
    if (plain)
        sodium_memzero(plain, (size_t)st.st_size);
    free(plain);
    free(box);
    if (fd >= 0)
        close(fd);
    return r;
}

int submission_tool_open_export(int argc, char **argv)
{
    static const struct option options[] = {
        {"key", required_argument, NULL, 'k'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    const char *keypath = NULL;
    struct seal_secret key;
    struct usb_index ix = {0};
    char err[512];
    int r = one_option(argc, argv, "open-export", open_export_usage, options, ":k:h", &keypath);

    if (r >= 0)
        return r;
    if (!keypath)
        return usage_error("open-export", "missing --key SEAL_SECRET_KEY", NULL);
    if (optind >= argc)
        return usage_error("open-export", "missing DIR", NULL);
    if (optind + 1 < argc)
        return usage_error("open-export", "unexpected argument ", argv[optind + 1]);
    struct export_ctx c = {.dir = argv[optind]};
    if (sodium_init() < 0 || seal_secret_load(keypath, &key, err, sizeof err) < 0) {
        fprintf(stderr, "kiosk-bundle: open-export: %s\n", err);
        return EXIT_WORK;
    }
    usb_export_check(c.dir, &ix, export_problem, &c);
    /* every submission must open and be what the index says before any is printed */
    for (size_t i = 0; !c.problems && i < ix.n; i++)
        export_entry(&key, &c, &ix.e[i], false);
    for (size_t i = 0; !c.problems && i < ix.n; i++)
        export_entry(&key, &c, &ix.e[i], true);
    if (c.problems)
        fprintf(stderr, "kiosk-bundle: open-export: %s: %d problem%s; nothing printed\n", c.dir, c.problems,
                c.problems == 1 ? "" : "s");
    usb_index_release(&ix);
    seal_secret_wipe(&key);
    return c.problems ? EXIT_WORK : 0;
}
