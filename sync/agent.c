/* agent.c - see agent.h for the cycle and its files.
 *
 * Every file this module reads is capped (ETags at HTTP_ETAG_MAX, the last-run record
 * and /proc/uptime at SMALL_FILE_MAX); every body from the network is capped by http.c
 * at the size the step expects. state.db is used through core/state.h, except for
 * what state.h has no call for: reading the whole usage table and the failed-search
 * table for the heartbeat, read-only with SQL of our own. */
#include "agent.h"
#include "base/fileio.h"
#include "base/util.h"
#include "core/state.h"
#include "feed.h"
#include "http.h"
#include "install.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#define SMALL_FILE_MAX (64 * 1024)
#define USAGE_ROWS_MAX 1000
#define FAILED_SEARCH_ROWS_MAX 500

struct cycle {
    const struct kiosk_config *cfg;
    const char *kiosk_version;
    agent_log_fn log;
    void *ctx;
    struct agent_report *rep;
    http *http;
    struct bundle_keyring keys;
    int have_keys;
    char *base;               /* central_url without a trailing slash */
    struct install_opts iopts;
    int64_t now;
};

static void say(struct cycle *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct cycle *c, const char *fmt, ...)
{
    char line[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (c->log)
        c->log(c->ctx, line);
}

/* Reports a failed step: logged, kept for the heartbeat and last-run.json, and the
 * first failure decides the exit code. */
static void failed(struct cycle *c, int exit_code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void failed(struct cycle *c, int exit_code, const char *fmt, ...)
{
    struct agent_report *rep = c->rep;
    char line[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (c->log)
        c->log(c->ctx, line);
    if (rep->n_errors < AGENT_ERRORS_MAX)
        snprintf(rep->errors[rep->n_errors++], sizeof rep->errors[0], "%s", line);
    if (rep->exit == AGENT_EXIT_OK)
        rep->exit = exit_code;
}

int agent_exit_for(int code, enum bundle_reason reason)
{
    switch (reason) {
    case BUNDLE_OK:
        break;
    case BUNDLE_IO:
    case BUNDLE_NO_SPACE:
        return AGENT_EXIT_LOCAL;
    case BUNDLE_BAD_KEY:
        return AGENT_EXIT_USAGE;
    default:
        return AGENT_EXIT_REFUSED;
    }
    switch (-code) {
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
    case EROFS:
        return AGENT_EXIT_LOCAL;
    case EMSGSIZE:
        return AGENT_EXIT_REFUSED;
    case ETIMEDOUT:
    case ECONNREFUSED:
    case EHOSTUNREACH:
    case EBUSY:
    case ENOENT:
    case EPROTO:
    case EIO:
        return AGENT_EXIT_NETWORK;
    default:
        return AGENT_EXIT_FAILED;
    }
}

/* ---- small files ---------------------------------------------------------------- */

static char *path_in(const char *dir, const char *name)
{
    return xasprintf("%s/%s", dir, name);
}

/* The whole file if it exists and is at most CAP bytes (trailing newline dropped);
 * NULL otherwise. */
static char *small_read(const char *path, size_t cap)
{
    char *buf;
    size_t n;
    if (fio_read_capped(path, cap, 0, &buf, &n) < 0)
        return NULL;
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        n--;
    buf[n] = '\0';
    return buf;
}

/* Writes TEXT to PATH whole or not at all (base/fileio.h). */
static int small_write(const char *path, const char *text)
{
    return fio_write_atomic(path, text, strlen(text), 0644, 0);
}

static int url_safe(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max || s[0] == '.')
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_' || *s == '.'))
            return 0;
    return 1;
}

static void install_opts_for(const struct kiosk_config *cfg, const struct bundle_keyring *keys,
                             const char *kiosk_version, struct install_opts *o)
{
    o->content_db = cfg->content_db;
    o->keys = keys;
    o->scope = cfg->scope;
    o->max_payload = (uint64_t)cfg->max_payload_mb * 1024 * 1024;
    o->clock_tolerance = (int64_t)cfg->clock_tolerance_hours * 3600;
    o->kiosk_version = kiosk_version;
    o->now = 0;
}

/* The exit code for an HTTP failure. */
static int http_exit(int r)
{
    return agent_exit_for(r, BUNDLE_OK);
}

/* ---- 1, 2: the bundle ------------------------------------------------------------ */

/* Removes downloads other than KEEP (older versions, abandoned ones). */
static void clean_parts(const char *dir, const char *keep)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d)
        return;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        int part = (n > 5 && !strcmp(e->d_name + n - 5, ".part")) ||
                   (n > 10 && !strcmp(e->d_name + n - 10, ".part.etag"));
        if (!part || (keep && !strncmp(e->d_name, keep, strlen(keep))))
            continue;
        char *p = path_in(dir, e->d_name);
        unlink(p);
        free(p);
    }
    closedir(d);
}

static void step_bundle(struct cycle *c)
{
    const struct kiosk_config *cfg = c->cfg;
    char *etag_path = path_in(cfg->work_dir, "manifest.etag"), *etag = small_read(etag_path, HTTP_ETAG_MAX);
    char *url = xasprintf("%s/bundles/%s/manifest", c->base, cfg->scope), *body = NULL;
    char *name = NULL, *part = NULL, *part_etag = NULL, *burl = NULL, manifest_etag[HTTP_ETAG_MAX];
    struct http_response resp;
    struct bundle_manifest m;
    struct bundle_error err = {0};
    struct install_result res;
    uint64_t payload_len;
    size_t len;
    int r;

    install_versions(cfg->content_db, &c->rep->content_before, NULL);
    c->rep->content_after = c->rep->content_before;
    r = http_get_mem(c->http, url, etag, BUNDLE_HEAD_MAX, &body, &len, &resp);
    if (r < 0) {
        failed(c, http_exit(r), "content: %s", resp.error);
        goto out;
    }
    if (resp.status == 304) {
        say(c, "content: up to date (version %" PRIu64 "; the manifest is unchanged)", c->rep->content_before);
        goto out;
    }
    if ((r = bundle_head_parse(body, len, &c->keys, c->iopts.max_payload, &m, &payload_len, &err)) < 0) {
        failed(c, agent_exit_for(r, err.reason), "content: %s: %s: %s [%s]", url, err.field, err.cause,
               bundle_reason_name(err.reason));
        goto out;
    }
    if ((r = install_check(&m, &c->iopts, &err)) < 0) {
        if (err.reason == BUNDLE_NOT_NEWER) {
            say(c, "content: up to date (version %" PRIu64 "; the published bundle is version %" PRIu64 ")",
                c->rep->content_before, m.content_version);
            if (resp.etag[0])
                small_write(etag_path, resp.etag);
        } else {
            failed(c, agent_exit_for(r, err.reason), "content: %s: %s: %s [%s]", url, err.field, err.cause,
                   bundle_reason_name(err.reason));
        }
        goto out;
    }

    snprintf(manifest_etag, sizeof manifest_etag, "%s", resp.etag);
    name = xasprintf("%s-%" PRIu64 "-%.8s.kbundle", cfg->scope, m.content_version, m.payload_sha256);
    part = xasprintf("%s/%s.part", cfg->work_dir, name);
    part_etag = xasprintf("%s.etag", part);
    burl = xasprintf("%s/bundles/%s/%" PRIu64 ".kbundle", c->base, cfg->scope, m.content_version);
    clean_parts(cfg->work_dir, name);
    struct stat st;
    uint64_t have = stat(part, &st) == 0 ? (uint64_t)st.st_size : 0;
    if (have > 0 && access(part_etag, F_OK) == 0)
        say(c, "content: resuming version %" PRIu64 " at byte %" PRIu64 " of %" PRIu64, m.content_version, have,
            (uint64_t)len + payload_len);
    else
        say(c, "content: downloading version %" PRIu64 " (%" PRIu64 " bytes)", m.content_version,
            (uint64_t)len + payload_len);
    r = http_get_file(c->http, burl, part, part_etag, (uint64_t)len + payload_len, &resp);
    if (r < 0) {
        int code = http_exit(r);
        if (code == AGENT_EXIT_LOCAL || r == -EMSGSIZE) {
            /* the disk is the kiosk's too (state.db needs room): give it back */
            unlink(part);
            unlink(part_etag);
            failed(c, code, "content: %s; the partial download was removed", resp.error);
        } else {
            have = stat(part, &st) == 0 ? (uint64_t)st.st_size : 0;
            failed(c, code, "content: %s; %" PRIu64 " bytes kept to resume next time", resp.error, have);
        }
        goto out;
    }
    r = install_bundle(part, &c->iopts, &res, &err);
    unlink(part);
    unlink(part_etag);
    if (r < 0) {
        failed(c, agent_exit_for(r, err.reason), "content: %s: %s: %s [%s]", burl, err.field, err.cause,
               bundle_reason_name(err.reason));
        goto out;
    }
    /* the manifest's ETag, not the bundle's: next time a 304 means nothing new */
    if (manifest_etag[0])
        small_write(etag_path, manifest_etag);
    c->rep->installed = 1;
    c->rep->content_after = res.installed;
    say(c, "content: installed version %" PRIu64 " (was %" PRIu64 "), signed by %s", res.installed,
        res.previous, res.key_id);
out:
    free(etag_path);
    free(etag);
    free(url);
    free(body);
    free(name);
    free(part);
    free(part_etag);
    free(burl);
}

/* ---- 4: the heartbeat ------------------------------------------------------------ */

static json_t *last_run_load(const char *work_dir)
{
    char *path = path_in(work_dir, "last-run.json"), *text = small_read(path, SMALL_FILE_MAX);
    json_t *j = text ? json_loads(text, JSON_REJECT_DUPLICATES, NULL) : NULL;
    free(path);
    free(text);
    if (j && !json_is_object(j)) {
        json_decref(j);
        j = NULL;
    }
    return j;
}

/* Rows of TABLE (all columns, by name) as a JSON array, at most MAX rows. */
static json_t *table_rows(sqlite3 *db, const char *sql, int max)
{
    json_t *arr = json_array();
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        goto out;
    for (int n = 0; n < max && sqlite3_step(s) == SQLITE_ROW; n++) {
        json_t *row = json_object();
        for (int i = 0; i < sqlite3_column_count(s); i++) {
            const char *col = sqlite3_column_name(s, i);
            switch (sqlite3_column_type(s, i)) {
            case SQLITE_INTEGER:
                json_object_set_new(row, col, json_integer(sqlite3_column_int64(s, i)));
                break;
            case SQLITE_FLOAT:
                json_object_set_new(row, col, json_real(sqlite3_column_double(s, i)));
                break;
            case SQLITE_TEXT:
                json_object_set_new(row, col, json_stringn((const char *)sqlite3_column_text(s, i),
                                                           MIN((size_t)sqlite3_column_bytes(s, i), 1024)));
                break;
            default:
                json_object_set_new(row, col, json_null());
            }
        }
        json_array_append_new(arr, row);
    }
out:
    sqlite3_finalize(s);
    return arr;
}

/* How many notices hall staff posted are live at NOW (the kiosk's local time, as
 * firmware/core/state.h keeps them): their count only, never their words. -1: none
 * can be read (an older state.db has no such table). */
static int staff_notices_live(sqlite3 *db, int64_t now)
{
    char at[20];
    time_t t = (time_t)now;
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M", &tm);
    sqlite3_stmt *s = NULL;
    int n = -1;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM staff_notice WHERE posted_at <= ?1 AND expires > ?1", -1, &s,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_text(s, 1, at, -1, SQLITE_STATIC);
        if (sqlite3_step(s) == SQLITE_ROW)
            n = sqlite3_column_int(s, 0);
    }
    sqlite3_finalize(s);
    return n;
}

/* Anonymous usage counters, failed searches and the count of staff notices from
 * state.db, read-only. */
static void heartbeat_usage(const struct kiosk_config *cfg, int64_t now, json_t *hb)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    if (access(cfg->state_db, F_OK) != 0 ||
        sqlite3_open_v2(cfg->state_db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return;
    }
    sqlite3_busy_timeout(db, 5000);
    char *sql = xasprintf("SELECT kind, ref, views, qr_shows FROM usage ORDER BY views + qr_shows DESC, kind, ref LIMIT %d",
                          USAGE_ROWS_MAX);
    json_object_set_new(hb, "usage", table_rows(db, sql, USAGE_ROWS_MAX));
    free(sql);
    /* the search feature names its table; any of these spellings is reported */
    if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND (name LIKE 'failed_search%'"
                               " OR name LIKE 'search_fail%' OR name LIKE 'search_miss%') ORDER BY name LIMIT 1",
                           -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
        char *q = sqlite3_mprintf("SELECT * FROM \"%w\" LIMIT %d", (const char *)sqlite3_column_text(s, 0),
                                  FAILED_SEARCH_ROWS_MAX);
        json_object_set_new(hb, "failed_searches", table_rows(db, q, FAILED_SEARCH_ROWS_MAX));
        sqlite3_free(q);
    }
    sqlite3_finalize(s);
    s = NULL;
    /* the receipt printer's last known state and since when it holds (state.h,
     * state_printer_seen): a roll running out shows before visitors are turned away */
    json_t *printer = json_object();
    if (sqlite3_prepare_v2(db, "SELECT key, value FROM meta WHERE key IN ('printer_state', 'printer_state_since')",
                           -1, &s, NULL) == SQLITE_OK)
        while (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 1) == SQLITE_TEXT)
            json_object_set_new(printer, strcmp((const char *)sqlite3_column_text(s, 0), "printer_state") == 0 ? "state" : "since",
                                json_stringn((const char *)sqlite3_column_text(s, 1),
                                             MIN((size_t)sqlite3_column_bytes(s, 1), 64)));
    sqlite3_finalize(s);
    if (json_object_get(printer, "state"))
        json_object_set_new(hb, "printer", printer);
    else
        json_decref(printer);
    int notices = staff_notices_live(db, now);
    if (notices >= 0)
        json_object_set_new(hb, "staff_notices", json_integer(notices));
    sqlite3_close(db);
}

static int outbox_counts(const struct kiosk_config *cfg, int *pending, int *uploaded, int *exported);

static void step_heartbeat(struct cycle *c)
{
    const struct kiosk_config *cfg = c->cfg;
    char now[32], *url = xasprintf("%s/status/%s.json", c->base, cfg->kiosk_id), *text = NULL;
    char *dircopy = xstrdup(cfg->content_db), *uptime_text = small_read("/proc/uptime", 128);
    struct statvfs vfs;
    struct http_response resp;
    json_t *hb = json_object(), *errs = json_array(), *prev = last_run_load(cfg->work_dir);
    int pending, uploaded, exported;

    bundle_time_format(c->now, now);
    json_object_set_new(hb, "kiosk_id", json_string(cfg->kiosk_id));
    json_object_set_new(hb, "scope", json_string(cfg->scope));
    json_object_set_new(hb, "sent_at", json_string(now));
    json_object_set_new(hb, "firmware_version", json_string(c->kiosk_version));
    json_object_set_new(hb, "content_version", json_integer((json_int_t)c->rep->content_after));
    json_object_set_new(hb, "uptime_seconds", json_integer(uptime_text ? atoll(uptime_text) : -1));
    if (statvfs(dirname(dircopy), &vfs) == 0)
        json_object_set_new(hb, "disk_free_bytes", json_integer((json_int_t)((uint64_t)vfs.f_bavail * vfs.f_frsize)));
    if (outbox_counts(cfg, &pending, &uploaded, &exported) == 0)
        json_object_set_new(hb, "outbox", json_pack("{s:i, s:i, s:i}", "pending", pending, "uploaded",
                                                     uploaded, "exported", exported));
    for (int i = 0; i < c->rep->n_errors; i++)
        json_array_append_new(errs, json_string(c->rep->errors[i]));
    json_object_set_new(hb, "errors", errs);
    if (prev)
        json_object_set_new(hb, "previous_sync", json_pack("{s:O*, s:O*, s:O*, s:O*}", "finished_at",
                                                           json_object_get(prev, "finished_at"), "result",
                                                           json_object_get(prev, "result"), "exit",
                                                           json_object_get(prev, "exit"), "errors",
                                                           json_object_get(prev, "errors")));
    json_object_set_new(hb, "this_sync", json_pack("{s:b, s:i, s:i}", "installed", c->rep->installed,
                                                   "uploaded", c->rep->uploaded, "upload_failed",
                                                   c->rep->upload_failed));
    heartbeat_usage(cfg, c->now, hb);
    text = json_dumps(hb, JSON_COMPACT | JSON_PRESERVE_ORDER);
    expect(text);
    int r = http_put(c->http, url, text, strlen(text), "application/json", &resp);
    if (r < 0)
        failed(c, http_exit(r), "heartbeat: %s", resp.error);
    else
        c->rep->heartbeat_sent = 1;
    json_decref(hb);
    json_decref(prev);
    free(text);
    free(url);
    free(dircopy);
    free(uptime_text);
}

/* ---- 5: the status feed ---------------------------------------------------------- */

/* Writes the entries of F into state.db's status cache: an entry replaces the cached
 * one unless that one is newer; unchanged entries are not written (each write is a
 * synchronous=FULL commit, and most of a nightly feed is what the kiosk already has).
 * *ret_written says how many changed. */
static int feed_store(const struct kiosk_config *cfg, const struct feed *f, size_t *ret_written, char *err,
                      size_t errlen)
{
    state *st = NULL;
    size_t written = 0;
    int r;

    if ((r = state_open(cfg->state_db, &st, err, errlen)) < 0)
        return r;
    for (size_t i = 0; i < f->n; i++) {
        const struct feed_entry *e = &f->entries[i];
        struct status_entry cur, next;
        memset(&next, 0, sizeof next);
        snprintf(next.receipt, sizeof next.receipt, "%s", e->receipt);
        snprintf(next.status, sizeof next.status, "%s", e->status);
        snprintf(next.outcome, sizeof next.outcome, "%s", e->outcome);
        snprintf(next.reason, sizeof next.reason, "%s", e->reason);
        snprintf(next.updated_at, sizeof next.updated_at, "%s", e->updated_at);
        snprintf(next.due_date, sizeof next.due_date, "%s", e->due_date);
        r = state_status_get(st, e->receipt, &cur);
        if (r == 0 && (strcmp(cur.updated_at, next.updated_at) > 0 ||
                       (!strcmp(cur.status, next.status) && !strcmp(cur.outcome, next.outcome) &&
                        !strcmp(cur.reason, next.reason) && !strcmp(cur.updated_at, next.updated_at) &&
                        !strcmp(cur.due_date, next.due_date))))
            continue;
        if ((r = state_status_put(st, &next)) < 0) {
            snprintf(err, errlen, "%s: status of %s: %s", cfg->state_db, e->receipt, strerror(-r));
            goto out;
        }
        written++;
    }
    *ret_written = written;
    r = 0;
out:
    state_close(st);
    return r;
}

/* Fills RET's reason and its message, "[reason]" added (cut at its size, like every
 * logged line). */
static void feed_refused(struct agent_feed_result *ret, const char *reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void feed_refused(struct agent_feed_result *ret, const char *reason, const char *fmt, ...)
{
    va_list ap;
    snprintf(ret->reason, sizeof ret->reason, "%s", reason);
    va_start(ap, fmt);
    int n = vsnprintf(ret->error, sizeof ret->error, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof ret->error)
        snprintf(ret->error + n, sizeof ret->error - (size_t)n, " [%s]", reason);
}

int agent_feed_apply(const struct kiosk_config *cfg, const struct bundle_keyring *keys, int64_t now,
                     const char *source, const void *buf, size_t len, struct agent_feed_result *ret)
{
    char *applied_path = path_in(cfg->work_dir, "status-feed.applied");
    char *applied = small_read(applied_path, 64);
    int64_t tolerance = (int64_t)cfg->clock_tolerance_hours * 3600, last = 0;
    struct bundle_error err = {0};
    struct feed f = {0};
    char b[32], msg[320];
    int r, code = AGENT_EXIT_REFUSED;

    memset(ret, 0, sizeof *ret);
    if ((r = feed_parse(buf, len, keys, &f, &err)) < 0) {
        code = agent_exit_for(r, err.reason);
        feed_refused(ret, bundle_reason_name(err.reason), "status feed: %s: %s: %s", source,
                     err.field, err.cause);
        goto out;
    }
    bundle_time_format(f.created_at, ret->created);
    if (strcmp(f.scope, cfg->scope) != 0) {
        feed_refused(ret, bundle_reason_name(BUNDLE_FOREIGN_SCOPE),
                     "status feed: %s: body.scope: made for \"%s\", this kiosk is \"%s\"", source, f.scope,
                     cfg->scope);
        goto out;
    }
    if (applied && bundle_time_parse(applied, &last) == 0 && f.created_at < last) {
        feed_refused(ret, bundle_reason_name(BUNDLE_NOT_NEWER),
                     "status feed: %s: body.created_at: %s, older than the feed already applied (%s)", source,
                     ret->created, applied);
        goto out;
    }
    if (now < f.created_at - tolerance) {
        bundle_time_format(now, b);
        feed_refused(ret, bundle_reason_name(BUNDLE_CLOCK),
                     "status feed: %s: body.created_at: the clock says %s, before the feed was made (%s)", source,
                     b, ret->created);
        goto out;
    }
    if (now > f.expires_at) {
        bundle_time_format(f.expires_at, b);
        feed_refused(ret, bundle_reason_name(BUNDLE_EXPIRED), "status feed: %s: body.expires_at: expired at %s",
                     source, b);
        goto out;
    }
    if ((r = feed_store(cfg, &f, &ret->written, msg, sizeof msg)) < 0) {
        code = AGENT_EXIT_LOCAL;
        feed_refused(ret, bundle_reason_name(BUNDLE_IO), "status feed: %s", msg);
        goto out;
    }
    if ((r = small_write(applied_path, ret->created)) < 0) {
        code = AGENT_EXIT_LOCAL;
        feed_refused(ret, bundle_reason_name(BUNDLE_IO), "status feed: %s: %s", applied_path, strerror(-r));
        goto out;
    }
    ret->entries = f.n;
    snprintf(ret->reason, sizeof ret->reason, "ok");
    code = AGENT_EXIT_OK;
out:
    feed_release(&f);
    free(applied_path);
    free(applied);
    return code;
}

static void step_feed(struct cycle *c)
{
    const struct kiosk_config *cfg = c->cfg;
    char *etag_path = path_in(cfg->work_dir, "status-feed.etag"), *etag = small_read(etag_path, HTTP_ETAG_MAX);
    char *url = xasprintf("%s/status-feed/%s.json", c->base, cfg->scope), *body = NULL;
    struct http_response resp;
    struct agent_feed_result fr;
    size_t len;
    int r;

    c->rep->feed_entries = -1;
    r = http_get_mem(c->http, url, etag, (size_t)cfg->max_feed_kb * 1024, &body, &len, &resp);
    if (r == -ENOENT) {
        say(c, "status feed: none published (%s: 404)", url);
        goto out;
    }
    if (r < 0) {
        failed(c, http_exit(r), "status feed: %s", resp.error);
        goto out;
    }
    if (resp.status == 304) {
        say(c, "status feed: unchanged");
        goto out;
    }
    if ((r = agent_feed_apply(cfg, &c->keys, c->now, url, body, len, &fr)) != AGENT_EXIT_OK) {
        failed(c, r, "%s", fr.error);
        goto out;
    }
    if (resp.etag[0])
        small_write(etag_path, resp.etag);
    c->rep->feed_entries = (long)fr.entries;
    say(c, "status feed: %zu entries, %zu changed (made %s)", fr.entries, fr.written, fr.created);
out:
    free(etag_path);
    free(etag);
    free(url);
    free(body);
}

/* ---- the cycle ------------------------------------------------------------------- */

static void last_run_save(struct cycle *c)
{
    char when[32];
    json_t *j = json_object(), *errs = json_array();
    bundle_time_format((int64_t)time(NULL), when);
    for (int i = 0; i < c->rep->n_errors; i++)
        json_array_append_new(errs, json_string(c->rep->errors[i]));
    json_object_set_new(j, "finished_at", json_string(when));
    json_object_set_new(j, "result", json_string(c->rep->exit == 0 ? "ok" : "failed"));
    json_object_set_new(j, "exit", json_integer(c->rep->exit));
    json_object_set_new(j, "content_version", json_integer((json_int_t)c->rep->content_after));
    json_object_set_new(j, "installed", json_boolean(c->rep->installed));
    json_object_set_new(j, "uploaded", json_integer(c->rep->uploaded));
    json_object_set_new(j, "upload_failed", json_integer(c->rep->upload_failed));
    json_object_set_new(j, "heartbeat_sent", json_boolean(c->rep->heartbeat_sent));
    json_object_set_new(j, "requests", json_integer(c->rep->requests));
    json_object_set_new(j, "bytes_down", json_integer((json_int_t)c->rep->bytes_down));
    json_object_set_new(j, "bytes_up", json_integer((json_int_t)c->rep->bytes_up));
    json_object_set_new(j, "seconds", json_real(c->rep->seconds));
    json_object_set_new(j, "errors", errs);
    char *text = json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER), *path = path_in(c->cfg->work_dir, "last-run.json");
    small_write(path, text);
    free(text);
    free(path);
    json_decref(j);
}

static double monotonic(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void step_outbox(struct cycle *c);

int agent_run(const struct kiosk_config *cfg, const char *kiosk_version, agent_log_fn log,
              void *ctx, struct agent_report *rep)
{
    struct cycle c = {.cfg = cfg, .kiosk_version = kiosk_version, .log = log, .ctx = ctx, .rep = rep};
    struct bundle_error err = {0};
    char *lock = NULL, ua[96];
    int lock_fd = -1;
    double t0 = monotonic();

    memset(rep, 0, sizeof *rep);
    rep->feed_entries = -1;
    c.now = (int64_t)time(NULL);
    if (!cfg->central_url[0]) {
        failed(&c, AGENT_EXIT_USAGE, "config: central_url is not set");
        return rep->exit;
    }
    if (!url_safe(cfg->scope, BUNDLE_SCOPE_MAX) || !url_safe(cfg->kiosk_id, 64)) {
        failed(&c, AGENT_EXIT_USAGE, "config: scope and kiosk_id must be 1-64 of A-Z a-z 0-9 . _ -");
        return rep->exit;
    }
    if (mkdir(cfg->work_dir, 0700) < 0 && errno != EEXIST) {
        failed(&c, AGENT_EXIT_LOCAL, "config: work_dir %s: cannot create: %s", cfg->work_dir, strerror(errno));
        return rep->exit;
    }
    lock = path_in(cfg->work_dir, "lock");
    lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock_fd < 0 || flock(lock_fd, LOCK_EX | LOCK_NB) < 0) {
        failed(&c, errno == EWOULDBLOCK ? AGENT_EXIT_BUSY : AGENT_EXIT_LOCAL, "sync: %s: %s", lock,
               errno == EWOULDBLOCK ? "another kiosk-sync is running" : strerror(errno));
        goto out;
    }
    if (bundle_keyring_load(&c.keys, cfg->sign_public_keys, &err) == 0)
        c.have_keys = 1;
    else
        failed(&c, AGENT_EXIT_USAGE, "config: %s: %s (content and status feed skipped)", err.field, err.cause);
    install_opts_for(cfg, &c.keys, kiosk_version, &c.iopts);

    snprintf(ua, sizeof ua, "kiosk-sync/%s (%s)", kiosk_version, cfg->kiosk_id);
    struct http_opts ho = {
        .connect_timeout = cfg->connect_timeout,
        .low_speed_limit = cfg->low_speed_limit,
        .low_speed_time = cfg->low_speed_time,
        .transfer_timeout = cfg->transfer_timeout,
        .retries = cfg->retries,
        .retry_base_ms = cfg->retry_base_ms,
        .retry_max_seconds = cfg->retry_max_seconds,
        .user_agent = ua,
        .log = log,
        .log_ctx = ctx,
    };
    if (http_new(&ho, &c.http) < 0) {
        failed(&c, AGENT_EXIT_FAILED, "sync: cannot start libcurl");
        goto out;
    }
    c.base = xstrdup(cfg->central_url);
    for (size_t n = strlen(c.base); n > 0 && c.base[n - 1] == '/'; n--)
        c.base[n - 1] = '\0';

    install_versions(cfg->content_db, &rep->content_before, NULL);
    rep->content_after = rep->content_before;
    if (c.have_keys)
        step_bundle(&c);
    step_outbox(&c);
    step_heartbeat(&c);
    if (c.have_keys)
        step_feed(&c);

    const struct http_stats *st = http_stats_of(c.http);
    rep->requests = st->requests;
    rep->bytes_down = st->bytes_down;
    rep->bytes_up = st->bytes_up;
    rep->seconds = monotonic() - t0;
    last_run_save(&c);
out:
    http_free(c.http);
    free(c.base);
    free(lock);
    if (lock_fd >= 0)
        close(lock_fd);
    return rep->exit;
}

int agent_install(const struct kiosk_config *cfg, const char *kiosk_version, const char *path,
                  uint64_t *ret_previous, uint64_t *ret_installed, struct bundle_error *err)
{
    struct bundle_keyring keys;
    struct install_opts o;
    struct install_result res;
    int r = bundle_keyring_load(&keys, cfg->sign_public_keys, err);
    if (r < 0)
        return r;
    install_opts_for(cfg, &keys, kiosk_version, &o);
    if ((r = install_bundle(path, &o, &res, err)) < 0)
        return r;
    *ret_previous = res.previous;
    *ret_installed = res.installed;
    return 0;
}

int agent_status(const struct kiosk_config *cfg, struct agent_status *ret)
{
    struct agent_status s;
    char *prev = xasprintf("%s.prev", cfg->content_db);
    json_t *last = last_run_load(cfg->work_dir);

    memset(&s, 0, sizeof s);
    s.last_exit = -1;
    install_versions(cfg->content_db, &s.content_version, &s.newest_installed);
    if (access(prev, F_OK) == 0)
        install_versions(prev, &s.prev_version, NULL);
    if (last) {
        json_t *errs = json_object_get(last, "errors"), *v;
        size_t i;
        const char *at = json_string_value(json_object_get(last, "finished_at"));
        const char *result = json_string_value(json_object_get(last, "result"));
        snprintf(s.last_run_at, sizeof s.last_run_at, "%s", at ? at : "?");
        snprintf(s.last_result, sizeof s.last_result, "%s", result ? result : "?");
        s.last_exit = (int)json_integer_value(json_object_get(last, "exit"));
        json_array_foreach(errs, i, v) {
            if (s.n_last_errors < AGENT_ERRORS_MAX && json_is_string(v))
                snprintf(s.last_errors[s.n_last_errors++], sizeof s.last_errors[0], "%s", json_string_value(v));
        }
        json_decref(last);
    }
    s.outbox_ok = outbox_counts(cfg, &s.pending, &s.uploaded, &s.exported) == 0;
    free(prev);
    *ret = s;
    return 0;
}

/* ---- 3: the outbox ---------------------------------------------------------------- */

static int outbox_counts(const struct kiosk_config *cfg, int *pending, int *uploaded, int *exported)
{
    state *st = NULL;
    char err[256];
    int r;
    if (access(cfg->state_db, F_OK) != 0)
        return -ENOENT; /* not created here: the kiosk owns state.db's first run */
    if ((r = state_open(cfg->state_db, &st, err, sizeof err)) < 0)
        return r;
    r = state_outbox_counts(st, pending, uploaded, exported);
    state_close(st);
    return r;
}

struct receipts {
    char (*list)[OUTBOX_RECEIPT_MAX];
    size_t n, cap;
};

#define OUTBOX_BATCH_MAX 100000 /* receipts taken per cycle; the rest wait a night */

static int collect(void *ctx, const struct outbox_entry *e)
{
    struct receipts *rs = ctx;
    if (!e->has_sealed || rs->n == OUTBOX_BATCH_MAX)
        return 0;
    if (rs->n == rs->cap) {
        rs->cap = rs->cap ? rs->cap * 2 : 64;
        rs->list = xrealloc(rs->list, rs->cap * sizeof *rs->list);
    }
    snprintf(rs->list[rs->n++], OUTBOX_RECEIPT_MAX, "%s", e->receipt);
    return 0;
}

/* PUT each sealed submission not yet acknowledged; mark it uploaded only on a 2xx.
 * The PUT is idempotent (same path, same bytes), so a cycle killed between the PUT and
 * the mark just sends it again. Then sealed blobs past retention are removed. */
static void step_outbox(struct cycle *c)
{
    const struct kiosk_config *cfg = c->cfg;
    struct receipts rs = {0};
    state *st = NULL;
    char err[256], now[32], cutoff[32];
    int r;

    if (access(cfg->state_db, F_OK) != 0) {
        say(c, "outbox: no state.db yet (%s), nothing to upload", cfg->state_db);
        return;
    }
    if ((r = state_open(cfg->state_db, &st, err, sizeof err)) < 0) {
        failed(c, AGENT_EXIT_LOCAL, "outbox: %s", err);
        return;
    }
    if ((r = state_outbox_each(st, OUTBOX_NOT_UPLOADED, collect, &rs)) < 0) {
        failed(c, AGENT_EXIT_LOCAL, "outbox: %s: cannot list: %s", cfg->state_db, strerror(-r));
        goto out;
    }
    for (size_t i = 0; i < rs.n; i++) {
        const char *receipt = rs.list[i];
        void *data = NULL;
        size_t len = 0;
        struct http_response resp;
        if (!url_safe(receipt, OUTBOX_RECEIPT_MAX - 1)) {
            c->rep->upload_failed++;
            failed(c, AGENT_EXIT_LOCAL, "outbox: receipt \"%.40s\" cannot be part of a URL; skipped", receipt);
            continue;
        }
        if ((r = state_outbox_sealed(st, receipt, &data, &len)) < 0) {
            c->rep->upload_failed++;
            failed(c, AGENT_EXIT_LOCAL, "outbox: %s: cannot read the sealed submission: %s", receipt, strerror(-r));
            continue;
        }
        char *url = xasprintf("%s/inbox/%s/%s.sealed", c->base, cfg->kiosk_id, receipt);
        r = http_put(c->http, url, data, len, "application/octet-stream", &resp);
        free(data);
        free(url);
        if (r < 0) {
            c->rep->upload_failed++;
            failed(c, http_exit(r), "outbox: %s", resp.error);
            if (r == -EBUSY || r == -ETIMEDOUT || r == -ECONNREFUSED || r == -EHOSTUNREACH) {
                say(c, "outbox: the server is not taking uploads; %zu left for the next cycle", rs.n - i - 1);
                c->rep->upload_failed += (int)(rs.n - i - 1);
                break;
            }
            continue;
        }
        bundle_time_format((int64_t)time(NULL), now);
        if ((r = state_outbox_mark_uploaded(st, receipt, now)) < 0) {
            failed(c, AGENT_EXIT_LOCAL, "outbox: %s: uploaded, but cannot record it: %s (it will be sent again)",
                   receipt, strerror(-r));
            continue;
        }
        c->rep->uploaded++;
    }
    if (rs.n)
        say(c, "outbox: %d of %zu submissions uploaded", c->rep->uploaded, rs.n);
    bundle_time_format(c->now - (int64_t)cfg->retention_days * 86400, cutoff);
    if ((r = state_outbox_purge(st, cutoff)) < 0) {
        failed(c, AGENT_EXIT_LOCAL, "outbox: cannot remove sealed blobs uploaded before %s: %s", cutoff,
               strerror(-r));
    } else if (r > 0) {
        c->rep->purged = r;
        say(c, "outbox: %d sealed submissions uploaded before %s removed (retention_days %d); receipts kept",
            r, cutoff, cfg->retention_days);
    }
out:
    free(rs.list);
    state_close(st);
}
