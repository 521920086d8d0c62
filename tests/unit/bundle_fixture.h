/* bundle_fixture.h - shared by test_bundle.c and test_install.c: a temp directory, a
 * signing key pair, small content databases and hand-made bundles (to sign things
 * kiosk-bundle pack would never produce). Static functions: each test includes it once. */
#ifndef BUNDLE_FIXTURE_H
#define BUNDLE_FIXTURE_H

#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bundle.h"
#include "core/content_schema.h"

static char fx_dir[] = "/tmp/kiosk-bundle-test-XXXXXX";
static struct bundle_seckey fx_key, fx_other;
static struct bundle_keyring fx_ring;

/* Runs FN(CTX) in a child process; returns by how many KiB FN raised the child's
 * high-water mark of memory (ru_maxrss), FN's return in *RET, or -1 when the child
 * died. What a parser costs, apart from what the test allocated before it. */
__attribute__((unused)) static long fx_maxrss_growth(int (*fn)(void *ctx), void *ctx, int *ret)
{
    int fds[2];
    long out[2] = {-1, 0};
    if (pipe(fds) < 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        struct rusage before, after;
        getrusage(RUSAGE_SELF, &before);
        long r[2] = {0, fn(ctx)};
        getrusage(RUSAGE_SELF, &after);
        r[0] = after.ru_maxrss - before.ru_maxrss;
        _exit(write(fds[1], r, sizeof r) == sizeof r ? 0 : 1);
    }
    close(fds[1]);
    if (pid < 0 || read(fds[0], out, sizeof out) != sizeof out)
        out[0] = -1;
    close(fds[0]);
    if (pid > 0)
        waitpid(pid, NULL, 0);
    *ret = (int)out[1];
    return out[0];
}

static char *fx_path(const char *name)
{
    static char buf[8][512];
    static int i;
    i = (i + 1) % 8;
    snprintf(buf[i], sizeof buf[i], "%s/%s", fx_dir, name);
    return buf[i];
}

static void fx_exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "sql: %s: %s\n", sql, msg);
        abort();
    }
}

/* A small content database: meta with SCHEMA and VERSION, and ROWS rows of text. */
static void fx_make_db(const char *path, int schema, uint64_t version, int rows)
{
    sqlite3 *db;
    char sql[256];
    unlink(path);
    if (sqlite3_open(path, &db) != SQLITE_OK)
        abort();
    fx_exec(db, "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                "CREATE TABLE service(id INTEGER PRIMARY KEY, name TEXT);");
    snprintf(sql, sizeof sql, "INSERT INTO meta VALUES('schema_version', '%d'), ('content_version', '%" PRIu64 "')",
             schema, version);
    fx_exec(db, sql);
    fx_exec(db, "BEGIN");
    for (int i = 0; i < rows; i++) {
        snprintf(sql, sizeof sql, "INSERT INTO service(name) VALUES('service %d: %08x %08x')", i,
                 (unsigned)i * 2654435761u, (unsigned)i * 40503u);
        fx_exec(db, sql);
    }
    fx_exec(db, "COMMIT");
    sqlite3_close(db);
}

static uint64_t fx_db_version(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    uint64_t v = 0;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        abort();
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key='content_version'", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        v = (uint64_t)sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

static int fx_key_pair(const char *sub, struct bundle_seckey *ret)
{
    char d[600];
    struct bundle_error err;
    snprintf(d, sizeof d, "%s/%s", fx_dir, sub);
    mkdir(d, 0700);
    if (bundle_keygen(d, NULL, &err) < 0)
        return -1;
    snprintf(d, sizeof d, "%s/%s/sign.key", fx_dir, sub);
    return bundle_seckey_load(d, ret, &err);
}

static int fx_setup(void **s)
{
    (void)s;
    if (sodium_init() < 0 || !mkdtemp(fx_dir))
        return -1;
    if (fx_key_pair("keys", &fx_key) < 0 || fx_key_pair("other", &fx_other) < 0)
        return -1;
    fx_ring.n = 1;
    fx_ring.keys[0] = fx_key.pub;
    return 0;
}

static int fx_teardown(void **s)
{
    (void)s;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int fx_pack(const char *db, const char *out, uint64_t version, const char *scope, int64_t now,
                   int days, const struct bundle_seckey *key, int compress)
{
    struct bundle_pack_opts o = {.content_version = version, .scope = scope, .expires_days = days,
                                 .min_kiosk_version = "0.1.0", .now = now, .compress = compress};
    struct bundle_error err = {0};
    int r = bundle_pack(db, key, &o, out, NULL, NULL, &err);
    if (r < 0)
        fprintf(stderr, "pack: %s: %s [%s]\n", err.field, err.cause, bundle_reason_name(err.reason));
    return r;
}

static unsigned char *fx_read(const char *path, size_t *ret_len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        abort();
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    unsigned char *buf = malloc((size_t)n + 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n)
        abort();
    fclose(f);
    *ret_len = (size_t)n;
    return buf;
}

static void fx_write(const char *path, const void *buf, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0)
        abort();
}

static void fx_sha256_hex(const void *buf, size_t len, char out[65])
{
    unsigned char d[32];
    crypto_hash_sha256(d, buf, len);
    sodium_bin2hex(out, 65, d, 32);
}

/* A bundle built by hand: MANIFEST_FMT (printf, with %s for the payload sha256 and
 * the key id filled by the caller) signed by KEY, then PAYLOAD as is. */
static void fx_handmade(const char *out, const char *manifest, const void *payload, size_t plen,
                        const struct bundle_seckey *key)
{
    size_t mlen = strlen(manifest), hl = BUNDLE_HEADER_SIZE + mlen + BUNDLE_SIG_SIZE;
    unsigned char *buf = calloc(1, hl + plen);
    memcpy(buf, BUNDLE_MAGIC, 8);
    buf[8] = BUNDLE_FORMAT_VERSION;
    buf[16] = (unsigned char)mlen;
    buf[17] = (unsigned char)(mlen >> 8);
    buf[18] = (unsigned char)(mlen >> 16);
    buf[20] = BUNDLE_SIG_SIZE;
    for (int i = 0; i < 8; i++)
        buf[24 + i] = (unsigned char)((uint64_t)plen >> (8 * i));
    memcpy(buf + 32, key->pub.id, BUNDLE_KEY_ID_SIZE);
    memcpy(buf + BUNDLE_HEADER_SIZE, manifest, mlen);
    bundle_sign(key, manifest, mlen, buf + BUNDLE_HEADER_SIZE + mlen);
    memcpy(buf + hl, payload, plen);
    fx_write(out, buf, hl + plen);
    free(buf);
}

/* A valid manifest text for an uncompressed PAYLOAD, with the fields that vary. */
static char *fx_manifest(const void *payload, size_t plen, uint64_t version, int schema,
                         const char *compression, uint64_t db_size, const char *db_sha)
{
    char sha[65], created[32], expires[32];
    static char text[2048];
    fx_sha256_hex(payload, plen, sha);
    bundle_time_format((int64_t)time(NULL) - 60, created);
    bundle_time_format((int64_t)time(NULL) + 86400, expires);
    snprintf(text, sizeof text,
             "{\"format\":1,\"content_version\":%" PRIu64 ",\"created_at\":\"%s\",\"expires_at\":\"%s\","
             "\"key_id\":\"%s\",\"scope\":\"hall-1\",\"schema_version\":%d,\"min_kiosk_version\":\"0.0.0\","
             "\"payload\":{\"size\":%zu,\"sha256\":\"%s\",\"compression\":\"%s\",\"db_size\":%" PRIu64
             ",\"db_sha256\":\"%s\"}}",
             version, created, expires, fx_key.pub.id_hex, schema, plen, sha, compression,
             db_size ? db_size : plen, db_sha ? db_sha : sha);
    return text;
}

#endif
