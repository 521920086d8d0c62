/* bundle_tool.c - see bundle_tool.h; the format itself is bundle.c. */
#include "bundle_tool.h"
#include "base/fileio.h"
#include "base/util.h"
#include "bundle.h"
#include "feed.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { EXIT_WORK = 1, EXIT_USAGE = 2 };

/* The office's tools read what they packed; still, a payload claiming more than the
 * largest kiosk cap (max_payload_mb 4096) is refused rather than unpacked. */
#define TOOL_PAYLOAD_MAX (4096ull * 1024 * 1024)

static int usage(const char *cmd, const char *what, const char *arg)
{
    fprintf(stderr, "kiosk-bundle: %s: %s%s\nTry 'kiosk-bundle %s --help'.\n", cmd, what, arg ? arg : "", cmd);
    return EXIT_USAGE;
}

static int refuse(const char *cmd, const char *file, const struct bundle_error *e)
{
    fprintf(stderr, "kiosk-bundle: %s: %s: %s: %s [%s]\n", cmd, file, e->field, e->cause,
            bundle_reason_name(e->reason));
    return EXIT_WORK;
}

/* created_at: SOURCE_DATE_EPOCH when set (reproducible output, and tests of expiry),
 * else the clock. */
static int64_t now_or_epoch(void)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    uint64_t v;
    if (e && fio_parse_u64(e, &v) == 0)
        return (int64_t)v;
    return (int64_t)time(NULL);
}

/* --pub may be given twice, or as "a.pub,b.pub". */
static int load_pubs(struct bundle_keyring *ring, char **pubs, int n, struct bundle_error *err)
{
    strbuf sb = {0};
    for (int i = 0; i < n; i++) {
        if (i)
            strbuf_addc(&sb, ',');
        strbuf_adds(&sb, pubs[i]);
    }
    int r = bundle_keyring_load(ring, sb.buf ? sb.buf : "", err);
    strbuf_release(&sb);
    return r;
}

static const char pack_usage[] =
    "usage: kiosk-bundle pack --key sign.key --version N --scope SCOPE [--expires-days D]\n"
    "                         [--min-kiosk-version V] [--no-compress] [--manifest-out FILE]\n"
    "                         content.db -o FILE.kbundle\n"
    "Sign content.db into one bundle (format: sync/README.md). The payload's\n"
    "meta.content_version is set to N; created_at is now (SOURCE_DATE_EPOCH if set).\n"
    "  --key FILE              the signing secret key (kiosk-bundle keygen)\n"
    "  --version N             the content version, 1 or more; kiosks install only newer\n"
    "  --scope SCOPE           the region or hall the bundle is for (config key scope)\n"
    "  --expires-days D        kiosks refuse it after D days (default 30)\n"
    "  --min-kiosk-version V   oldest firmware that may install it (default 0.0.0)\n"
    "  --no-compress           store the database as is (default: zlib)\n"
    "  --manifest-out FILE     also write the head alone, the `manifest` kiosks poll\n"
    "  -o, --output FILE       the bundle to write (replaced only when complete)\n";

int bundle_tool_pack(int argc, char **argv)
{
    static const struct option options[] = {
        {"key", required_argument, NULL, 'k'},
        {"version", required_argument, NULL, 'v'},
        {"scope", required_argument, NULL, 's'},
        {"expires-days", required_argument, NULL, 'e'},
        {"min-kiosk-version", required_argument, NULL, 'm'},
        {"no-compress", no_argument, NULL, 'n'},
        {"manifest-out", required_argument, NULL, 'M'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    struct bundle_pack_opts o = {.expires_days = 30, .compress = 1};
    struct bundle_seckey key;
    struct bundle_manifest m;
    struct bundle_error err = {0};
    const char *key_path = NULL, *out = NULL, *head_out = NULL;
    uint64_t v;
    int c, r, have_version = 0;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:h", options, NULL)) != -1) {
        switch (c) {
        case 'k':
            key_path = optarg;
            break;
        case 'v':
            if (fio_parse_u64(optarg, &o.content_version) < 0 || o.content_version < 1)
                return usage("pack", "--version wants a whole number from 1, got ", optarg);
            have_version = 1;
            break;
        case 's':
            o.scope = optarg;
            break;
        case 'e':
            if (fio_parse_u64(optarg, &v) < 0 || v < 1 || v > 3650)
                return usage("pack", "--expires-days wants 1 to 3650, got ", optarg);
            o.expires_days = (int)v;
            break;
        case 'm':
            o.min_kiosk_version = optarg;
            break;
        case 'n':
            o.compress = 0;
            break;
        case 'M':
            head_out = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'h':
            fputs(pack_usage, stdout);
            return 0;
        case ':':
            return usage("pack", "missing value for ", argv[optind - 1]);
        default:
            return usage("pack", "unknown option ", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage("pack", "missing content.db", NULL);
    if (optind + 1 < argc)
        return usage("pack", "unexpected argument ", argv[optind + 1]);
    if (!key_path || !have_version || !o.scope || !out)
        return usage("pack", "--key, --version, --scope and -o are required", NULL);
    if (bundle_seckey_load(key_path, &key, &err) < 0)
        return refuse("pack", key_path, &err);
    o.now = now_or_epoch();
    r = bundle_pack(argv[optind], &key, &o, out, head_out, &m, &err);
    bundle_seckey_wipe(&key);
    if (r < 0)
        return refuse("pack", argv[optind], &err);
    char expires[32];
    bundle_time_format(m.expires_at, expires);
    printf("%s: content version %" PRIu64 ", scope %s, key %s, payload %" PRIu64 " bytes (%s; database %" PRIu64
           " bytes), expires %s\n", out, m.content_version, m.scope, m.key_id, m.payload_size, m.compression,
           m.db_size, expires);
    return 0;
}

static const char verify_usage[] =
    "usage: kiosk-bundle verify --pub sign.pub [--pub next.pub] [--manifest] FILE\n"
    "Exit 0 only when FILE is valid: the signature by a given key, the header against the\n"
    "signed manifest, the payload's hashes and sizes, and its decompression. Otherwise one\n"
    "line: FILE: FIELD: cause [reason]. FILE may also be a status feed (JSON).\n"
    "  --pub FILE     a trusted public key (up to two)\n"
    "  --manifest     FILE is the head alone (the published `manifest`), no payload\n";

int bundle_tool_verify(int argc, char **argv)
{
    static const struct option options[] = {
        {"pub", required_argument, NULL, 'p'},
        {"manifest", no_argument, NULL, 'M'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    char *pubs[BUNDLE_KEYS_MAX + 1];
    int npubs = 0, head_only = 0, c, r;
    struct bundle_keyring ring;
    struct bundle_error err = {0};

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (c) {
        case 'p':
            if (npubs == BUNDLE_KEYS_MAX)
                return usage("verify", "at most two --pub keys", NULL);
            pubs[npubs++] = optarg;
            break;
        case 'M':
            head_only = 1;
            break;
        case 'h':
            fputs(verify_usage, stdout);
            return 0;
        case ':':
            return usage("verify", "missing value for ", argv[optind - 1]);
        default:
            return usage("verify", "unknown option ", argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return usage("verify", "wants exactly one FILE", NULL);
    if (npubs == 0)
        return usage("verify", "missing --pub", NULL);
    const char *file = argv[optind];
    if (load_pubs(&ring, pubs, npubs, &err) < 0)
        return refuse("verify", pubs[0], &err);

    /* a status feed is JSON; a bundle starts with its magic */
    char first = 0;
    FILE *f = fopen(file, "rb");
    if (!f) {
        fprintf(stderr, "kiosk-bundle: verify: %s: file: cannot open: %s [io]\n", file, strerror(errno));
        return EXIT_WORK;
    }
    size_t got = fread(&first, 1, 1, f);
    if (got == 1 && (first == '{' || head_only)) {
        size_t cap = first == '{' ? 256u * 1024 * 1024 : BUNDLE_HEAD_MAX, len = 0;
        char *buf;
        fclose(f);
        if ((r = fio_read_capped(file, cap, 0, &buf, &len)) == -EFBIG) {
            fprintf(stderr, "kiosk-bundle: verify: %s: file: over %zu bytes [too-large]\n", file, cap);
            return EXIT_WORK;
        }
        if (r < 0) {
            fprintf(stderr, "kiosk-bundle: verify: %s: file: cannot read: %s [io]\n", file, strerror(-r));
            return EXIT_WORK;
        }
        if (first == '{') {
            struct feed fd;
            if ((r = feed_parse(buf, len, &ring, &fd, &err)) < 0) {
                free(buf);
                return refuse("verify", file, &err);
            }
            char created[32];
            bundle_time_format(fd.created_at, created);
            printf("%s: valid status feed: scope %s, %zu entries, made %s, signed by %s\n", file, fd.scope, fd.n,
                   created, fd.key_id);
            feed_release(&fd);
        } else {
            struct bundle_manifest m;
            uint64_t plen;
            if ((r = bundle_head_parse(buf, len, &ring, TOOL_PAYLOAD_MAX, &m, &plen, &err)) < 0) {
                free(buf);
                return refuse("verify", file, &err);
            }
            printf("%s: valid manifest: content version %" PRIu64 ", scope %s, signed by %s\n", file,
                   m.content_version, m.scope, m.key_id);
        }
        free(buf);
        return 0;
    }
    fclose(f);

    bundle *b = NULL;
    if ((r = bundle_open(file, &ring, TOOL_PAYLOAD_MAX, &b, &err)) < 0)
        return refuse("verify", file, &err);
    int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    r = bundle_extract(b, null_fd, &err);
    close(null_fd);
    if (r < 0) {
        bundle_close(b);
        return refuse("verify", file, &err);
    }
    const struct bundle_manifest *m = bundle_manifest_of(b);
    printf("%s: valid: content version %" PRIu64 ", scope %s, signed by %s\n", file, m->content_version,
           m->scope, m->key_id);
    bundle_close(b);
    return 0;
}

static const char inspect_usage[] =
    "usage: kiosk-bundle inspect [--pub sign.pub] FILE.kbundle\n"
    "Print the manifest, the signing key id and the rows of each table of the payload.\n"
    "Without --pub the signature is not checked (and the output says so); the payload's\n"
    "hashes always are.\n";

static void print_tables(const char *db_path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL, *q = NULL;
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        printf("tables: cannot open the database: %s\n", sqlite3_errmsg(db));
        sqlite3_close(db);
        return;
    }
    printf("tables:\n");
    if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                               " ORDER BY name", -1, &s, NULL) == SQLITE_OK) {
        while (sqlite3_step(s) == SQLITE_ROW) {
            const char *name = (const char *)sqlite3_column_text(s, 0);
            char *sql = sqlite3_mprintf("SELECT count(*) FROM \"%w\"", name);
            if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
                printf("  %-24s %lld\n", name, (long long)sqlite3_column_int64(q, 0));
            else
                printf("  %-24s ? (%s)\n", name, sqlite3_errmsg(db));
            sqlite3_finalize(q);
            q = NULL;
            sqlite3_free(sql);
        }
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
}

int bundle_tool_inspect(int argc, char **argv)
{
    static const struct option options[] = {
        {"pub", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    char *pubs[BUNDLE_KEYS_MAX + 1];
    int npubs = 0, c, r, fd = -1;
    struct bundle_keyring ring;
    struct bundle_error err = {0};
    bundle *b = NULL;
    char created[32], expires[32], tmp[] = "/tmp/kiosk-inspect-XXXXXX";

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (c) {
        case 'p':
            if (npubs == BUNDLE_KEYS_MAX)
                return usage("inspect", "at most two --pub keys", NULL);
            pubs[npubs++] = optarg;
            break;
        case 'h':
            fputs(inspect_usage, stdout);
            return 0;
        case ':':
            return usage("inspect", "missing value for ", argv[optind - 1]);
        default:
            return usage("inspect", "unknown option ", argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return usage("inspect", "wants exactly one FILE", NULL);
    const char *file = argv[optind];
    if (npubs && load_pubs(&ring, pubs, npubs, &err) < 0)
        return refuse("inspect", pubs[0], &err);
    if ((r = bundle_open(file, npubs ? &ring : NULL, TOOL_PAYLOAD_MAX, &b, &err)) < 0)
        return refuse("inspect", file, &err);
    const struct bundle_manifest *m = bundle_manifest_of(b);
    bundle_time_format(m->created_at, created);
    bundle_time_format(m->expires_at, expires);
    printf("file: %s\n", file);
    printf("format: %u\n", m->format);
    printf("content_version: %" PRIu64 "\n", m->content_version);
    printf("scope: %s\n", m->scope);
    printf("created_at: %s\n", created);
    printf("expires_at: %s%s\n", expires, (int64_t)time(NULL) > m->expires_at ? " (expired)" : "");
    printf("key_id: %s\n", m->key_id);
    if (npubs)
        printf("signature: valid (%s)\n", pubs[bundle_signer(b)]);
    else
        printf("signature: not checked (give --pub to check it)\n");
    printf("min_kiosk_version: %s\n", m->min_kiosk_version);
    printf("schema_version: %d\n", m->schema_version);
    printf("payload: %" PRIu64 " bytes, %s, sha256 %s\n", m->payload_size, m->compression, m->payload_sha256);
    printf("database: %" PRIu64 " bytes, sha256 %s\n", m->db_size, m->db_sha256);

    if ((fd = mkstemp(tmp)) < 0) {
        fprintf(stderr, "kiosk-bundle: inspect: %s: cannot create: %s\n", tmp, strerror(errno));
        r = -errno;
        goto out;
    }
    if ((r = bundle_extract(b, fd, &err)) < 0) {
        refuse("inspect", file, &err);
        goto out;
    }
    printf("payload check: hashes and sizes match the manifest\n");
    print_tables(tmp);
    r = 0;
out:
    if (fd >= 0) {
        close(fd);
        unlink(tmp);
    }
    bundle_close(b);
    return r < 0 ? EXIT_WORK : 0;
}

static const char feed_usage[] =
    "usage: kiosk-bundle sign-feed --key sign.key --scope SCOPE [--expires-days D]\n"
    "                              ENTRIES.json -o FEED.json\n"
    "Sign the request statuses in ENTRIES.json (a JSON array, or an object with an\n"
    "\"entries\" array, of {receipt, status, outcome, reason, updated_at, due_date}) as\n"
    "the status feed kiosks of SCOPE fetch from status-feed/SCOPE.json.\n"
    "  --expires-days D   kiosks refuse the feed after D days (default 7)\n";

int bundle_tool_sign_feed(int argc, char **argv)
{
    static const struct option options[] = {
        {"key", required_argument, NULL, 'k'},
        {"scope", required_argument, NULL, 's'},
        {"expires-days", required_argument, NULL, 'e'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    const char *key_path = NULL, *scope = NULL, *out = NULL;
    struct bundle_seckey key;
    struct bundle_error err = {0};
    int c, r, days = 7;
    uint64_t v;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:h", options, NULL)) != -1) {
        switch (c) {
        case 'k':
            key_path = optarg;
            break;
        case 's':
            scope = optarg;
            break;
        case 'e':
            if (fio_parse_u64(optarg, &v) < 0 || v < 1 || v > 3650)
                return usage("sign-feed", "--expires-days wants 1 to 3650, got ", optarg);
            days = (int)v;
            break;
        case 'o':
            out = optarg;
            break;
        case 'h':
            fputs(feed_usage, stdout);
            return 0;
        case ':':
            return usage("sign-feed", "missing value for ", argv[optind - 1]);
        default:
            return usage("sign-feed", "unknown option ", argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return usage("sign-feed", "wants exactly one ENTRIES.json", NULL);
    if (!key_path || !scope || !out)
        return usage("sign-feed", "--key, --scope and -o are required", NULL);
    const char *in = argv[optind];
    size_t cap = 256u * 1024 * 1024, len;
    char *buf;
    r = fio_read_capped(in, cap, 0, &buf, &len);
    if (r == -EFBIG) {
        fprintf(stderr, "kiosk-bundle: sign-feed: %s: over %zu bytes\n", in, cap);
        return EXIT_WORK;
    }
    if (r < 0) {
        fprintf(stderr, "kiosk-bundle: sign-feed: %s: cannot open: %s\n", in, strerror(-r));
        return EXIT_WORK;
    }
    if (bundle_seckey_load(key_path, &key, &err) < 0) {
        free(buf);
        return refuse("sign-feed", key_path, &err);
    }
    char *text = NULL;
    r = feed_sign(&key, scope, days, now_or_epoch(), buf, len, &text, &err);
    bundle_seckey_wipe(&key);
    free(buf);
    if (r < 0)
        return refuse("sign-feed", in, &err);
    char *line = xasprintf("%s\n", text);
    int ok = (r = fio_write_atomic(out, line, strlen(line), 0644, 0)) == 0;
    if (!ok)
        fprintf(stderr, "kiosk-bundle: sign-feed: %s: cannot write: %s\n", out, strerror(-r));
    else
        printf("%s: status feed for %s signed\n", out, scope);
    free(line);
    free(text);
    return ok ? 0 : EXIT_WORK;
}
