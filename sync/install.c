/* install.c - see install.h for the order of steps and the files beside content.db.
 *
 * Why each step is where it is:
 * - content.db is only ever replaced by rename(2) of a complete, fsynced file, so a
 *   reader (and a kill -9) sees the old inode or the new one, never a mixture;
 * - the previous content is hard-linked to content.db.prev before the rename, so
 *   content.db exists at every instant;
 * - the history is appended after the rename: a crash between the two leaves a newer
 *   content.db than the history says, and the rollback check takes the larger of the
 *   two, so nothing is lost (the other order could refuse a re-install of a bundle
 *   that never landed). */
#include "install.h"
#include "base/fileio.h"
#include "base/util.h"
#include "core/content_schema.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define HISTORY_MAX (64 * 1024)   /* the history file is read whole: cap it */
#define HISTORY_KEEP 100          /* lines kept when it is rewritten */
#define fail bundle_fail

/* "file:" URI for PATH, opened immutable: content files are never written in place, so
 * SQLite need not lock them or look for a journal. */
static char *immutable_uri(const char *path)
{
    strbuf sb = {0};
    strbuf_adds(&sb, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/-._~", *p))
            strbuf_addc(&sb, (char)*p);
        else
            strbuf_addf(&sb, "%%%02X", *p);
    }
    strbuf_adds(&sb, "?immutable=1");
    return strbuf_detach(&sb);
}

static sqlite3 *open_ro(const char *path)
{
    sqlite3 *db = NULL;
    char *uri = immutable_uri(path);
    int r = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
    free(uri);
    if (r != SQLITE_OK) {
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

/* meta.KEY of DB as text into OUT; -ENOENT when missing. */
static int meta_get(sqlite3 *db, const char *key, char *out, size_t size)
{
    sqlite3_stmt *s = NULL;
    int r = -ENOENT;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1, &s, NULL) != SQLITE_OK) {
        r = -EIO;
        goto out;
    }
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0)) {
        snprintf(out, size, "%s", (const char *)sqlite3_column_text(s, 0));
        r = 0;
    }
out:
    sqlite3_finalize(s);
    return r;
}

static char *history_path(const char *content_db)
{
    return xasprintf("%s.installed", content_db);
}

/* Reads the history file whole (at most HISTORY_MAX bytes); "" when there is none or
 * it cannot be read. */
static char *history_read(const char *content_db)
{
    char *path = history_path(content_db), *buf;
    size_t n;
    if (fio_read_capped(path, HISTORY_MAX, 0, &buf, &n) < 0)
        buf = xstrdup("");
    free(path);
    return buf;
}

static uint64_t history_newest(const char *text)
{
    uint64_t newest = 0, v;
    for (const char *line = text; *line;) {
        size_t n = strcspn(line, "\n");
        if (*line != '#' && fio_parse_u64n(line, strcspn(line, "\t"), &v) == 0 && v > newest)
            newest = v;
        line += n + (line[n] == '\n');
    }
    return newest;
}

int install_versions(const char *content_db, uint64_t *ret_current, uint64_t *ret_newest)
{
    uint64_t current = 0;
    char v[32];
    if (access(content_db, F_OK) == 0) {
        sqlite3 *db = open_ro(content_db);
        if (db && meta_get(db, "content_version", v, sizeof v) == 0)
            fio_parse_u64(v, &current);
        sqlite3_close(db);
    }
    char *hist = history_read(content_db);
    if (ret_current)
        *ret_current = current;
    if (ret_newest)
        *ret_newest = history_newest(hist);
    free(hist);
    return 0;
}

int install_check(const struct bundle_manifest *m, const struct install_opts *o,
                  struct bundle_error *err)
{
    uint64_t current, newest;
    int64_t now = o->now ? o->now : (int64_t)time(NULL);
    char a[32], b[32];

    if (strcmp(m->scope, o->scope) != 0)
        return fail(err, -EPERM, BUNDLE_FOREIGN_SCOPE, "manifest.scope",
                    "made for \"%s\", this kiosk is \"%s\"", m->scope, o->scope);
    if (m->schema_version != CONTENT_SCHEMA_VERSION)
        return fail(err, -EPROTO, BUNDLE_SCHEMA, "manifest.schema_version",
                    "content schema %d, this firmware reads schema %d", m->schema_version,
                    CONTENT_SCHEMA_VERSION);
    if (bundle_version_cmp(o->kiosk_version, m->min_kiosk_version) < 0)
        return fail(err, -EPROTO, BUNDLE_KIOSK_TOO_OLD, "manifest.min_kiosk_version",
                    "needs kiosk %s, this is %s", m->min_kiosk_version, o->kiosk_version);
    install_versions(o->content_db, &current, &newest);
    if (m->content_version <= current || m->content_version < newest)
        return fail(err, -ESTALE, BUNDLE_NOT_NEWER, "manifest.content_version",
                    "version %" PRIu64 ", installed is %" PRIu64 " (newest ever %" PRIu64 ")",
                    m->content_version, current, MAX(current, newest));
    if (now < m->created_at - o->clock_tolerance) {
        bundle_time_format(now, a);
        bundle_time_format(m->created_at, b);
        return fail(err, -ETIME, BUNDLE_CLOCK, "manifest.created_at",
                    "the clock says %s, before the bundle was made (%s): set the clock", a, b);
    }
    if (now > m->expires_at) {
        bundle_time_format(now, a);
        bundle_time_format(m->expires_at, b);
        return fail(err, -ETIME, BUNDLE_EXPIRED, "manifest.expires_at",
                    "expired at %s (now %s)", b, a);
    }
    return 0;
}

/* Removes what a killed install left: our temp files beside content.db. Only called
 * with the lock held, so none of them belongs to a running install. */
static void clean_stale(const char *dir, const char *base)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t bl = strlen(base);
    if (!d)
        return;
    while ((e = readdir(d))) {
        const char *n = e->d_name, *rest = n + bl;
        if (strncmp(n, base, bl) != 0)
            continue;
        size_t rl = strlen(rest);
        if ((strncmp(rest, ".install-", 9) == 0 && rl > 13 && strcmp(rest + rl - 4, ".tmp") == 0) ||
            strcmp(rest, ".prev.tmp") == 0 || strcmp(rest, ".installed.tmp") == 0) {
            char *p = xasprintf("%s/%s", dir, n);
            unlink(p);
            free(p);
        }
    }
    closedir(d);
}

/* The database in TMP (open as FD): rollback-journal mode, integrity_check ok, the
 * schema this firmware reads, and the content version the manifest signed. */
static int check_db(const char *tmp, int fd, const struct bundle_manifest *m, struct bundle_error *err)
{
    unsigned char hdr[100];
    char v[32];
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    uint64_t version = 0;
    int r;

    if (pread(fd, hdr, sizeof hdr, 0) != (ssize_t)sizeof hdr || memcmp(hdr, "SQLite format 3", 16) != 0)
        return fail(err, -EBADMSG, BUNDLE_BAD_DATABASE, "database", "not an SQLite database");
    if (hdr[18] != 1 || hdr[19] != 1)
        return fail(err, -EBADMSG, BUNDLE_BAD_DATABASE, "database",
                    "in WAL mode; the kiosk opens content read-only (pack it with kiosk-bundle pack)");
    if (!(db = open_ro(tmp))) {
        r = fail(err, -EIO, BUNDLE_BAD_DATABASE, "database", "SQLite cannot open it");
        goto out;
    }
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check(1)", -1, &s, NULL) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW) {
        r = fail(err, -EBADMSG, BUNDLE_BAD_DATABASE, "database", "integrity_check: %s", sqlite3_errmsg(db));
        goto out;
    }
    if (strcmp((const char *)sqlite3_column_text(s, 0), "ok") != 0) {
        r = fail(err, -EBADMSG, BUNDLE_BAD_DATABASE, "database", "integrity_check: %.200s",
                 (const char *)sqlite3_column_text(s, 0));
        goto out;
    }
    if (meta_get(db, "schema_version", v, sizeof v) < 0) {
        r = fail(err, -EBADMSG, BUNDLE_BAD_DATABASE, "database.meta.schema_version", "missing");
        goto out;
    }
    if (atoi(v) != CONTENT_SCHEMA_VERSION) {
        r = fail(err, -EPROTO, BUNDLE_SCHEMA, "database.meta.schema_version",
                 "schema %s, this firmware reads schema %d", v, CONTENT_SCHEMA_VERSION);
        goto out;
    }
    if (meta_get(db, "content_version", v, sizeof v) < 0 || fio_parse_u64(v, &version) < 0 ||
        version != m->content_version) {
        r = fail(err, -EBADMSG, BUNDLE_BAD_DATABASE, "database.meta.content_version",
                 "\"%s\", the manifest says %" PRIu64, v, m->content_version);
        goto out;
    }
    r = 0;
out:
    sqlite3_finalize(s);
    sqlite3_close(db);
    return r;
}

/* PREV <- a copy of CONTENT_DB, whole or not at all. */
static int copy_prev(const char *content_db, const char *prev, struct bundle_error *err)
{
    struct fio_atomic out;
    unsigned char *buf = NULL;
    int r, in = open(content_db, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return fail(err, -errno, BUNDLE_IO, "content.db.prev", "cannot copy: %s", strerror(errno));
    if ((r = fio_atomic_open(&out, prev, 0644, FIO_NO_DIR_SYNC)) < 0) {
        close(in);
        return fail(err, r, BUNDLE_IO, "content.db.prev", "cannot copy: %s", strerror(-r));
    }
    buf = xmalloc(65536);
    for (;;) {
        ssize_t n = read(in, buf, 65536);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            r = fail(err, -errno, BUNDLE_IO, "content.db.prev", "cannot copy: %s", strerror(errno));
            break;
        }
        if (n == 0)
            break;
        if ((r = fio_write_all(out.fd, buf, (size_t)n)) < 0) {
            bundle_fail_write(err, r, "content.db.prev", "the previous content");
            break;
        }
    }
    close(in);
    free(buf);
    if (r < 0) {
        fio_atomic_abort(&out);
        return r;
    }
    if ((r = fio_atomic_commit(&out)) < 0)
        return bundle_fail_write(err, r, "content.db.prev", "the previous content");
    return 0;
}

/* content.db.prev <- the current content.db, by hard link (a copy where links are not
 * supported). A missing content.db (the first install) is not an error. */
static int keep_prev(const char *content_db, struct bundle_error *err)
{
    char *prev = xasprintf("%s.prev", content_db), *tmp = xasprintf("%s.prev.tmp", content_db);
    int r = 0;

    unlink(tmp);
    if (link(content_db, tmp) == 0) {
        if (rename(tmp, prev) < 0)
            r = fail(err, -errno, BUNDLE_IO, "content.db.prev", "cannot rename: %s", strerror(errno));
        /* when an install was killed after this step, content.db.prev is already a
         * link to content.db: rename(2) of two links to one file does nothing and
         * leaves TMP, so it is removed in every case */
        unlink(tmp);
    } else if (errno == EPERM || errno == EXDEV || errno == ENOTSUP || errno == EMLINK) {
        r = copy_prev(content_db, prev, err);
    } else if (errno != ENOENT) {
        r = fail(err, -errno, BUNDLE_IO, "content.db.prev", "cannot link: %s", strerror(errno));
    }
    free(prev);
    free(tmp);
    return r;
}

/* Appends "VERSION<TAB>INSTALLED_AT<TAB>KEY_ID<TAB>DB_SHA256" to the history, keeping
 * the last HISTORY_KEEP lines; written to a temp file and renamed, like content.db. */
static int history_append(const char *content_db, const struct bundle_manifest *m, int64_t now)
{
    char *old = history_read(content_db), *path = history_path(content_db), when[32];
    size_t count = 0, seen = 0;
    strbuf sb = {0};
    int r;

    for (const char *line = old; *line; line += strcspn(line, "\n") + (line[strcspn(line, "\n")] == '\n'))
        count += *line != '#';
    strbuf_adds(&sb, "# content installs (kiosk-sync): version, installed_at, key_id, db_sha256\n");
    for (const char *line = old; *line;) {
        size_t n = strcspn(line, "\n");
        uint64_t v;
        if (*line != '#' && seen++ + HISTORY_KEEP > count &&
            fio_parse_u64n(line, strcspn(line, "\t"), &v) == 0) {
            strbuf_add(&sb, line, n);
            strbuf_addc(&sb, '\n');
        }
        line += n + (line[n] == '\n');
    }
    bundle_time_format(now, when);
    strbuf_addf(&sb, "%" PRIu64 "\t%s\t%s\t%s\n", m->content_version, when, m->key_id, m->db_sha256);

    r = fio_write_atomic(path, sb.buf, sb.len, 0644, 0);
    strbuf_release(&sb);
    free(old);
    free(path);
    return r;
}

int install_bundle(const char *path, const struct install_opts *o, struct install_result *ret,
                   struct bundle_error *err)
{
    char *dircopy = xstrdup(o->content_db), *basecopy = xstrdup(o->content_db);
    char *lock = xasprintf("%s.lock", o->content_db);
    char *tmp = xasprintf("%s.install-%ld.tmp", o->content_db, (long)getpid());
    const char *dir = dirname(dircopy), *base = basename(basecopy);
    struct install_result res = {0};
    bundle *b = NULL;
    int r, lock_fd = -1, fd = -1, tmp_made = 0;
    int64_t now = o->now ? o->now : (int64_t)time(NULL);

    lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock_fd < 0) {
        r = fail(err, -errno, BUNDLE_IO, "content.db.lock", "%s: cannot open: %s", lock, strerror(errno));
        goto out;
    }
    while (flock(lock_fd, LOCK_EX) < 0) {
        if (errno != EINTR) {
            r = fail(err, -errno, BUNDLE_IO, "content.db.lock", "%s: cannot lock: %s", lock, strerror(errno));
            goto out;
        }
    }
    clean_stale(dir, base);

    if ((r = bundle_open(path, o->keys, o->max_payload, &b, err)) < 0)
        goto out;
    const struct bundle_manifest *m = bundle_manifest_of(b);
    if ((r = install_check(m, o, err)) < 0)
        goto out;
    install_versions(o->content_db, &res.previous, NULL);

    fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        r = fail(err, -errno, errno == ENOSPC ? BUNDLE_NO_SPACE : BUNDLE_IO, "content.db",
                 "%s: cannot create: %s", tmp, strerror(errno));
        goto out;
    }
    tmp_made = 1;
    if ((r = bundle_extract(b, fd, err)) < 0)
        goto out;
    if ((r = check_db(tmp, fd, m, err)) < 0)
        goto out;
    if (fsync(fd) < 0) {
        r = bundle_fail_write(err, -errno, "content.db", "the new content");
        goto out;
    }
    close(fd);
    fd = -1;
    if ((r = keep_prev(o->content_db, err)) < 0)
        goto out;
    if (rename(tmp, o->content_db) < 0) {
        r = fail(err, -errno, BUNDLE_IO, "content.db", "cannot rename into place: %s", strerror(errno));
        goto out;
    }
    tmp_made = 0;
    /* From here the new content is installed; what follows only makes it durable and
     * recorded, and a failure is not a refusal. */
    fio_fsync_parent(o->content_db);
    history_append(o->content_db, m, now);
    res.installed = m->content_version;
    snprintf(res.key_id, sizeof res.key_id, "%s", m->key_id);
    if (ret)
        *ret = res;
    r = 0;
out:
    if (fd >= 0)
        close(fd);
    if (tmp_made)
        unlink(tmp);
    bundle_close(b);
    if (lock_fd >= 0)
        close(lock_fd); /* releases the flock */
    free(dircopy);
    free(basecopy);
    free(lock);
    free(tmp);
    return r;
}
