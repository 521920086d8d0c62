/* usb_tool.c - see usb_tool.h. The work is usb.c's; this file holds what is around it
 * on a kiosk: the USB lock, the busy marker the kiosk UI watches, the words staff read
 * (usb-messages.tsv), and the summary the kiosk UI shows (usb-last.json).
 *
 * Files in work_dir (sync/README.md):
 *   usb.lock        flock()ed while a usb-import or usb-export runs (exit 6 otherwise)
 *   usb-busy        {"pid", "boot", "session", "action", "step", "file", "done", "total",
 *                   "started_at"}: present while a stick is being worked on
 *   usb-last.json   what the last usb-import or usb-export did, written atomically
 *   usb-import-PID.kbundle   the private copy being installed; removed at the end */
#include "usb_tool.h"
#include "agent.h"
#include "base/fileio.h"
#include "base/util.h"
#include "core/content_schema.h"
#include "core/marker.h"
#include "usb.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SUMMARY_MAX (4 * 1024 * 1024)
#define MARKER_MAX 4096
#define MARKER_EVERY_MS 200   /* the busy marker is rewritten at most this often */

static char *work_file(const struct kiosk_config *cfg, const char *name)
{
    return xasprintf("%s/%s", cfg->work_dir, name);
}

static void now_text(char out[32])
{
    bundle_time_format((int64_t)time(NULL), out);
}

static double monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000 + ts.tv_nsec / 1e6;
}

/* PATH <- TEXT whole or not at all; with DURABLE, fsynced (file and folder). */
static int write_file(const char *path, const char *text, int durable)
{
    return fio_write_atomic(path, text, strlen(text), 0644, durable ? 0 : FIO_NO_SYNC);
}

static json_t *json_read(const char *path, size_t cap)
{
    char *buf;
    size_t n;
    json_t *j = NULL;
    if (fio_read_capped(path, cap, 0, &buf, &n) == 0) {
        j = json_loadb(buf, n, JSON_REJECT_DUPLICATES, NULL);
        free(buf);
    }
    if (j && !json_is_object(j)) {
        json_decref(j);
        j = NULL;
    }
    return j;
}


/* ---- the busy marker ------------------------------------------------------------- */

struct busy {
    char *path;
    int own;                 /* created by us: removed at the end */
    long pid;
    char session[64];
    char started_at[32];
    const char *action;
    double last_ms;
};

static void busy_write(struct busy *b, const char *step, const char *file, size_t done, size_t total,
                       int force)
{
    double t = monotonic_ms();
    if (!force && t - b->last_ms < MARKER_EVERY_MS)
        return;
    b->last_ms = t;
    char boot[MARKER_BOOT_ID_SIZE];
    marker_boot_id(boot);
    json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:I, s:I, s:s}", "pid", (json_int_t)b->pid,
                          "boot", boot, "session", b->session, "action", b->action, "step", step, "file", file,
                          "done", (json_int_t)done, "total", (json_int_t)total, "started_at", b->started_at);
    char *text = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    if (text)
        write_file(b->path, text, 0);
    free(text);
    json_decref(j);
}

/* Takes over a marker whose process (kiosk-usb.sh) is alive, or makes our own. */
static void busy_begin(const struct kiosk_config *cfg, const char *action, struct busy *b)
{
    memset(b, 0, sizeof *b);
    b->path = work_file(cfg, "usb-busy");
    b->action = action;
    b->last_ms = -1e9;
    json_t *j = json_read(b->path, MARKER_MAX);
    long pid = j ? (long)json_integer_value(json_object_get(j, "pid")) : 0;
    const char *session = j ? json_string_value(json_object_get(j, "session")) : NULL;
    const char *started = j ? json_string_value(json_object_get(j, "started_at")) : NULL;
    if (pid != (long)getpid() && marker_active(b->path) == 1 && session && started) {
        b->pid = pid;
        snprintf(b->session, sizeof b->session, "%s", session);
        snprintf(b->started_at, sizeof b->started_at, "%s", started);
    } else {
        b->own = 1;
        b->pid = (long)getpid();
        now_text(b->started_at);
        snprintf(b->session, sizeof b->session, "%ld-%lld", b->pid, (long long)time(NULL));
    }
    json_decref(j);
    busy_write(b, "starting", NULL, 0, 0, 1);
}

static void busy_end(struct busy *b)
{
    if (b->own)
        unlink(b->path);
    else
        busy_write(b, "finished", NULL, 0, 0, 1);
    free(b->path);
}

static void on_progress(void *ctx, const struct usb_progress *p)
{
    static const char *const steps[] = {
        [USB_EV_LISTED] = "listing", [USB_EV_CHECKING] = "checking", [USB_EV_COPYING] = "copying",
        [USB_EV_INSTALLING] = "installing", [USB_EV_WRITING] = "writing", [USB_EV_INDEX] = "index",
    };
    struct busy *b = ctx;
    int force = p->ev == USB_EV_COPYING || p->ev == USB_EV_INSTALLING || p->ev == USB_EV_INDEX;
    busy_write(b, steps[p->ev], p->name, p->done, p->total, force);
}

int usb_tool_busy(const struct kiosk_config *cfg, const char *pid_text, const char *step)
{
    char *end;
    long pid = strtol(pid_text, &end, 10);
    if (*end || pid <= 1 || !marker_pid_alive(pid)) {
        fprintf(stderr, "kiosk-sync: usb-busy: %s: not the id of a running process\n", pid_text);
        return AGENT_EXIT_USAGE;
    }
    if (mkdir(cfg->work_dir, 0700) < 0 && errno != EEXIST) {
        fprintf(stderr, "kiosk-sync: usb-busy: work_dir %s: %s\n", cfg->work_dir, strerror(errno));
        return AGENT_EXIT_LOCAL;
    }
    struct busy b = {.path = work_file(cfg, "usb-busy"), .pid = pid, .action = "usb", .last_ms = -1e9};
    json_t *j = json_read(b.path, MARKER_MAX);
    const char *session = j ? json_string_value(json_object_get(j, "session")) : NULL;
    const char *started = j ? json_string_value(json_object_get(j, "started_at")) : NULL;
    if (j && json_integer_value(json_object_get(j, "pid")) == pid && session && started) {
        snprintf(b.session, sizeof b.session, "%s", session);
        snprintf(b.started_at, sizeof b.started_at, "%s", started);
    } else {
        now_text(b.started_at);
        snprintf(b.session, sizeof b.session, "%ld-%lld", pid, (long long)time(NULL));
    }
    json_decref(j);
    busy_write(&b, step ? step : "starting", NULL, 0, 0, 1);
    /* absolute, so kiosk-usb can remove it from wherever it runs */
    char *abs = b.path[0] == '/' ? NULL : realpath(b.path, NULL);
    printf("%s\n", abs ? abs : b.path);
    free(abs);
    free(b.path);
    return 0;
}

/* ---- words and the summary --------------------------------------------------------- */

/* usb_messages, else usb-messages.tsv beside this program, else in
 * ../share/hallkiosk/ beside it (cmake --install). NULL (and a line on stderr) when
 * none can be read: the technical lines stand in for the words. */
static usb_messages *messages_load(const struct kiosk_config *cfg)
{
    char exe[4096], err[600];
    usb_messages *m = NULL;
    ssize_t n;

    if (cfg->usb_messages[0]) {
        if (usb_messages_load(cfg->usb_messages, &m, err, sizeof err) < 0)
            fprintf(stderr, "kiosk-sync: usb: messages: %s\n", err);
        return m;
    }
    if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) <= 0) {
        fprintf(stderr, "kiosk-sync: usb: messages: cannot find this program: %s\n", strerror(errno));
        return NULL;
    }
    exe[n] = '\0';
    const char *dir = dirname(exe);
    char *beside = xasprintf("%s/usb-messages.tsv", dir);
    char *shared = xasprintf("%s/../share/hallkiosk/usb-messages.tsv", dir);
    if (access(beside, F_OK) == 0 ? usb_messages_load(beside, &m, err, sizeof err) < 0
                                  : usb_messages_load(shared, &m, err, sizeof err) < 0)
        fprintf(stderr, "kiosk-sync: usb: messages: %s\n", err);
    free(beside);
    free(shared);
    return m;
}

/* KEY's words in both languages into J as message_zh and message_en; FALLBACK when
 * the key is missing. */
static void set_words(json_t *j, const usb_messages *m, const char *key, const char *const *vars,
                      const char *fallback, char **ret_en)
{
    static const char *const names[] = {"message_zh", "message_en"};
    for (int lang = USB_ZH; lang <= USB_EN; lang++) {
        const char *t = usb_messages_get(m, key, (enum usb_lang)lang);
        char *text = t ? usb_render(t, vars) : xstrdup(fallback);
        json_object_set_new(j, names[lang], json_string(text));
        if (lang == USB_EN && ret_en)
            *ret_en = text;
        else
            free(text);
    }
}

/* Writes SUMMARY as usb-last.json. The summary of the other action of the same stick
 * session (usb-import, then usb-export) is kept in it under that action's name, so
 * the kiosk can show both. */
static void summary_write(const struct kiosk_config *cfg, json_t *summary, const struct busy *b)
{
    char *path = work_file(cfg, "usb-last.json");
    json_t *prev = json_read(path, SUMMARY_MAX);
    const char *action = json_string_value(json_object_get(summary, "action"));
    const char *pa = prev ? json_string_value(json_object_get(prev, "action")) : NULL;
    const char *ps = prev ? json_string_value(json_object_get(prev, "session")) : NULL;
    if (pa && ps && action && strcmp(pa, action) != 0 && strcmp(ps, b->session) == 0 &&
        (!strcmp(pa, "import") || !strcmp(pa, "export"))) {
        json_object_del(prev, "import");
        json_object_del(prev, "export");
        json_object_set(summary, pa, prev);
    }
    char *text = json_dumps(summary, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    int r = text ? write_file(path, text, 1) : -ENOMEM;
    if (r < 0)
        fprintf(stderr, "kiosk-sync: usb: %s: cannot write: %s\n", path, strerror(-r));
    free(text);
    json_decref(prev);
    free(path);
}

static json_t *summary_new(const char *action, const char *dir, const struct busy *b)
{
    char at[32];
    now_text(at);
    return json_pack("{s:s, s:s, s:s, s:s}", "action", action, "at", at, "session", b->session, "dir", dir);
}

/* Takes work_dir/usb.lock; -1 (and the exit code in *ret_exit) when it cannot. */
static int lock_take(const struct kiosk_config *cfg, const char *cmd, int *ret_exit)
{
    if (mkdir(cfg->work_dir, 0700) < 0 && errno != EEXIST) {
        fprintf(stderr, "kiosk-sync: %s: work_dir %s: cannot create: %s\n", cmd, cfg->work_dir, strerror(errno));
        *ret_exit = AGENT_EXIT_LOCAL;
        return -1;
    }
    char *lock = work_file(cfg, "usb.lock");
    int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0) {
        int busy = fd >= 0 && errno == EWOULDBLOCK;
        fprintf(stderr, "kiosk-sync: %s: %s: %s\n", cmd, lock,
                busy ? "another usb-import or usb-export is running" : strerror(errno));
        *ret_exit = busy ? AGENT_EXIT_BUSY : AGENT_EXIT_LOCAL;
        if (fd >= 0)
            close(fd);
        fd = -1;
    }
    free(lock);
    return fd;
}

/* ---- usb-import -------------------------------------------------------------------- */

/* The status feed on a stick: DIR/status-feed/<scope>.json, the office's file of the
 * same name (sync/README.md, "usb-import DIR"), applied with agent_feed_apply: the
 * network path's checks. Returns 0 when the stick has none, 1 when it was applied, -1
 * when it was refused (RET and *RET_CODE say why), and records it in SUM. */
static int import_feed(const struct kiosk_config *cfg, const struct bundle_keyring *keys, const char *dir,
                       const usb_messages *m, json_t *sum, struct agent_feed_result *ret, int *ret_code)
{
    char *rel = xasprintf("status-feed/%s.json", cfg->scope), *path = xasprintf("%s/%s", dir, rel), *buf = NULL;
    char entries[32], changed[32], *zh = NULL, *en = NULL;
    size_t len;
    int r = fio_read_capped(path, (size_t)cfg->max_feed_kb * 1024, FIO_NOFOLLOW, &buf, &len), applied = 0;

    memset(ret, 0, sizeof *ret);
    *ret_code = AGENT_EXIT_OK;
    if (r == -ENOENT) {
        free(rel);
        free(path);
        return 0;
    }
    if (r < 0) {
        *ret_code = AGENT_EXIT_REFUSED;
        snprintf(ret->reason, sizeof ret->reason, "%s", r == -EFBIG ? "too-large" : "io");
        snprintf(ret->error, sizeof ret->error, "status feed: %s: %s [%s]", path,
                 r == -EFBIG ? "larger than max_feed_kb" : strerror(-r), ret->reason);
    } else {
        *ret_code = agent_feed_apply(cfg, keys, (int64_t)time(NULL), path, buf, len, ret);
        applied = *ret_code == AGENT_EXIT_OK;
    }
    snprintf(entries, sizeof entries, "%zu", ret->entries);
    snprintf(changed, sizeof changed, "%zu", ret->written);
    char rkey[64];
    snprintf(rkey, sizeof rkey, "feed.reason.%s", ret->reason);
    if (!usb_messages_get(m, rkey, USB_EN))
        snprintf(rkey, sizeof rkey, "reason.%s", ret->reason);
    const char *rzh = usb_messages_get(m, rkey, USB_ZH), *ren = usb_messages_get(m, rkey, USB_EN);
    const char *rvars[] = {"kiosk_scope", cfg->scope, NULL};
    char *why_zh = usb_render(rzh ? rzh : ret->reason, rvars), *why_en = usb_render(ren ? ren : ret->reason, rvars);
    const char *vzh[] = {"entries", entries, "changed", changed, "file", rel, "reason", why_zh, NULL};
    const char *ven[] = {"entries", entries, "changed", changed, "file", rel, "reason", why_en, NULL};
    const char *key = applied ? "feed.applied" : "feed.refused";
    const char *tzh = usb_messages_get(m, key, USB_ZH), *ten = usb_messages_get(m, key, USB_EN);
    zh = tzh ? usb_render(tzh, vzh) : xstrdup(applied ? "status feed applied" : ret->error);
    en = ten ? usb_render(ten, ven) : xstrdup(applied ? "status feed applied" : ret->error);
    json_object_set_new(sum, "feed",
                        json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:s}", "file", rel, "result",
                                  applied ? "applied" : "refused", "reason", ret->reason, "entries",
                                  (json_int_t)ret->entries, "changed", (json_int_t)ret->written, "created_at",
                                  ret->created, "message_zh", zh, "message_en", en));
    printf("%s: %s [%s]\n", rel, en, ret->reason);
    if (applied)
        fprintf(stderr, "kiosk-sync: usb-import: %s: applied: %zu entries, %zu changed (made %s)\n", path,
                ret->entries, ret->written, ret->created);
    else
        fprintf(stderr, "kiosk-sync: usb-import: %s\n", ret->error);
    free(why_zh);
    free(why_en);
    free(zh);
    free(en);
    free(buf);
    free(rel);
    free(path);
    return applied ? 1 : -1;
}

/* Adds the feed's words (from SUM's "feed") after the summary's own, as one more
 * sentence (the kiosk shows one line), and moves "feed" after them: the kiosk reads
 * the first message_zh / message_en of the file. */
static void add_feed_words(json_t *sum, char **en)
{
    static const char *const names[] = {"message_zh", "message_en"}, *const seps[] = {"。", ". "};
    json_t *feed = json_object_get(sum, "feed");
    if (!feed)
        return;
    for (int i = 0; i < 2; i++) {
        const char *a = json_string_value(json_object_get(sum, names[i]));
        const char *b = json_string_value(json_object_get(feed, names[i]));
        char *both = xasprintf("%s%s%s", a ? a : "", seps[i], b ? b : "");
        json_object_set_new(sum, names[i], json_string(both));
        if (i == 1) {
            free(*en);
            *en = both;
        } else {
            free(both);
        }
    }
    json_incref(feed);
    json_object_del(sum, "feed");
    json_object_set_new(sum, "feed", feed);
}

int usb_tool_import(const struct kiosk_config *cfg, const char *kiosk_version, const char *dir)
{
    struct usb_import_report rep = {0};
    struct bundle_keyring keys;
    struct bundle_error kerr = {0};
    struct busy b;
    char schema[16], max[16], max_mb[16], installed_v[32], version_v[32], *en = NULL;
    const char *key;
    int code, lock = lock_take(cfg, "usb-import", &code);

    if (lock < 0)
        return code;
    rep.installed = -1;
    install_versions(cfg->content_db, &rep.previous, NULL);
    rep.version = rep.previous;
    usb_messages *m = messages_load(cfg);
    busy_begin(cfg, "import", &b);
    json_t *sum = summary_new("import", dir, &b), *files = json_array();
    snprintf(schema, sizeof schema, "%d", CONTENT_SCHEMA_VERSION);
    snprintf(max, sizeof max, "%d", USB_FILES_MAX);
    snprintf(max_mb, sizeof max_mb, "%d", cfg->max_payload_mb);
    const char *globals[] = {"kiosk_scope", cfg->scope, "this_version", kiosk_version, "kiosk_schema", schema,
                             "max", max, "max_mb", max_mb, NULL};

    if (bundle_keyring_load(&keys, cfg->sign_public_keys, &kerr) < 0) {
        fprintf(stderr, "kiosk-sync: usb-import: config: %s: %s [%s]\n", kerr.field, kerr.cause,
                bundle_reason_name(kerr.reason));
        code = AGENT_EXIT_USAGE;
        key = "import.bad-key";
        goto summary;
    }
    struct usb_import_opts o = {.dir = dir, .work_dir = cfg->work_dir, .progress = on_progress, .ctx = &b};
    o.install = (struct install_opts){
        .content_db = cfg->content_db,
        .keys = &keys,
        .scope = cfg->scope,
        .max_payload = (uint64_t)cfg->max_payload_mb * 1024 * 1024,
        .clock_tolerance = (int64_t)cfg->clock_tolerance_hours * 3600,
        .kiosk_version = kiosk_version,
    };
    int r = usb_import(&o, &rep);
    if (r < 0) {
        fprintf(stderr, "kiosk-sync: usb-import: %s\n", rep.error);
        code = r == -ENOENT || r == -ENOTDIR ? AGENT_EXIT_USAGE : AGENT_EXIT_REFUSED;
        key = "import.unreadable";
        goto summary;
    }
    busy_write(&b, "reporting", NULL, rep.n_files, rep.n_files, 1);
    for (size_t i = 0; i < rep.n_files; i++) {
        const struct usb_file *f = &rep.files[i];
        char *zh = usb_file_message(m, f, USB_ZH, globals), *fen = usb_file_message(m, f, USB_EN, globals);
        json_t *jf = json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:s}", "name", f->name, "result",
                               usb_result_name(f->result), "reason", f->reason, "version",
                               f->version ? json_integer((json_int_t)f->version) : json_null(), "message_zh", zh,
                               "message_en", fen, "detail", f->detail);
        json_array_append_new(files, jf);
        printf("%s: %s [%s]\n", f->name, fen, f->reason);
        fprintf(stderr, "kiosk-sync: usb-import: %s/%s: %s: %s [%s]\n", dir, f->name, usb_result_name(f->result),
                f->detail, f->reason);
        free(zh);
        free(fen);
    }
    if (rep.n_found > rep.n_files)
        printf("... %zu more bundle files were not looked at [too-many-files]\n", rep.n_found - rep.n_files);
    if (rep.installed >= 0) {
        code = AGENT_EXIT_OK;
        key = "import.installed";
    } else if (rep.local_failure) {
        code = AGENT_EXIT_LOCAL;
        key = "import.local";
    } else {
        code = AGENT_EXIT_REFUSED;
        key = rep.n_found ? "import.none" : "import.empty";
    }
    /* the office's stick may also carry the status feed: applied whatever became of
     * the bundles, and the stick counts as useful when it was */
    struct agent_feed_result fr;
    int feed_code, feed = import_feed(cfg, &keys, dir, m, sum, &fr, &feed_code);
    if (feed > 0 && code == AGENT_EXIT_REFUSED)
        code = AGENT_EXIT_OK;
    else if (feed < 0 && feed_code == AGENT_EXIT_LOCAL)
        code = AGENT_EXIT_LOCAL;
summary:
    snprintf(installed_v, sizeof installed_v, "%" PRIu64, rep.version);
    snprintf(version_v, sizeof version_v, "%" PRIu64, rep.previous);
    const char *file = rep.installed >= 0 ? rep.files[rep.installed].name : "";
    const char *vars[] = {"version", installed_v, "installed", installed_v, "previous", version_v, "file", file, NULL};
    char *fallback = rep.installed >= 0 ? xasprintf("installed content version %" PRIu64 " from %s", rep.version, file)
                                        : xasprintf("nothing installed (%s)", key);
    json_object_set_new(sum, "exit", json_integer(code));
    json_object_set_new(sum, "installed", rep.installed >= 0
                                              ? json_pack("{s:s, s:I, s:I}", "file", file, "version",
                                                          (json_int_t)rep.version, "previous", (json_int_t)rep.previous)
                                              : json_null());
    json_object_set_new(sum, "content_version", json_integer((json_int_t)rep.version));
    set_words(sum, m, key, vars, fallback, &en);
    add_feed_words(sum, &en);
    json_object_set_new(sum, "files", files);
    json_object_set_new(sum, "not_listed", json_integer((json_int_t)(rep.n_found - rep.n_files)));
    printf("usb-import: %s\n", en);
    fflush(stdout);
    summary_write(cfg, sum, &b);
    busy_end(&b);
    json_decref(sum);
    free(en);
    free(fallback);
    usb_import_report_release(&rep);
    usb_messages_free(m);
    close(lock);
    return code;
}

/* ---- usb-export -------------------------------------------------------------------- */

int usb_tool_export(const struct kiosk_config *cfg, const char *dir)
{
    struct usb_export_report rep;
    struct busy b;
    struct stat st;
    char exported[16], already[16], listed[16], *en = NULL;
    const char *key;
    int code, lock = lock_take(cfg, "usb-export", &code);

    if (lock < 0)
        return code;
    usb_messages *m = messages_load(cfg);
    busy_begin(cfg, "export", &b);
    json_t *sum = summary_new("export", dir, &b), *unlisted = json_array();

    if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
        memset(&rep, 0, sizeof rep);
        snprintf(rep.reason, sizeof rep.reason, "io");
        snprintf(rep.detail, sizeof rep.detail, "%s: not a folder", dir);
        fprintf(stderr, "kiosk-sync: usb-export: %s\n", rep.detail);
        code = AGENT_EXIT_USAGE;
        key = "export.io";
        goto summary;
    }
    struct usb_export_opts o = {.dir = dir, .state_db = cfg->state_db, .kiosk_id = cfg->kiosk_id,
                                .progress = on_progress, .ctx = &b};
    int r = usb_export(&o, &rep);
    if (r < 0) {
        fprintf(stderr, "kiosk-sync: usb-export: %s: %s [%s]\n", dir, rep.detail, rep.reason);
        code = r == -EINVAL && !strcmp(rep.reason, "local") ? AGENT_EXIT_USAGE : AGENT_EXIT_LOCAL;
        key = !strcmp(rep.reason, "no-space") ? "export.no-space" : !strcmp(rep.reason, "read-only")
                  ? "export.read-only" : !strcmp(rep.reason, "local") ? "export.local" : "export.io";
        goto summary;
    }
    code = AGENT_EXIT_OK;
    key = rep.nothing || (rep.exported == 0 && rep.already == 0) ? "export.nothing"
          : rep.exported == 0 ? "export.already" : "export.done";
    fprintf(stderr, "kiosk-sync: usb-export: %s/%s: %d written, %d already there, %d kept from earlier exports,"
                    " %d listed, %d marked exported%s\n", dir, rep.folder, rep.exported, rep.already, rep.kept,
            rep.listed, rep.marked, rep.index_rebuilt ? "; the damaged index.json was replaced" : "");
summary:
    snprintf(exported, sizeof exported, "%d", rep.exported);
    snprintf(already, sizeof already, "%d", rep.already);
    snprintf(listed, sizeof listed, "%d", rep.listed);
    const char *vars[] = {"exported", exported, "already", already, "listed", listed, "folder", rep.folder, NULL};
    char *fallback = xasprintf("%s: %d written, %d already there [%s]", rep.folder, rep.exported, rep.already,
                               rep.reason);
    json_object_set_new(sum, "exit", json_integer(code));
    json_object_set_new(sum, "folder", json_string(rep.folder));
    json_object_set_new(sum, "exported", json_integer(rep.exported));
    json_object_set_new(sum, "already", json_integer(rep.already));
    json_object_set_new(sum, "kept", json_integer(rep.kept));
    json_object_set_new(sum, "listed", json_integer(rep.listed));
    json_object_set_new(sum, "marked", json_integer(rep.marked));
    json_object_set_new(sum, "index_rebuilt", json_boolean(rep.index_rebuilt));
    json_object_set_new(sum, "reason", json_string(rep.reason));
    json_object_set_new(sum, "detail", json_string(rep.detail));
    set_words(sum, m, key, vars, fallback, &en);
    printf("%s: %s [%s]\n", rep.folder[0] ? rep.folder : dir, en, rep.reason);
    for (int i = 0; i < rep.n_unlisted; i++) {
        const char *uv[] = {"file", rep.unlisted[i], NULL};
        json_t *u = json_pack("{s:s}", "name", rep.unlisted[i]);
        char *uen = NULL;
        set_words(u, m, "export.unlisted", uv, "a file the kiosk does not know", &uen);
        printf("%s/%s: %s [unlisted]\n", rep.folder, rep.unlisted[i], uen);
        json_array_append_new(unlisted, u);
        free(uen);
    }
    json_object_set_new(sum, "unlisted", unlisted);
    fflush(stdout);
    summary_write(cfg, sum, &b);
    busy_end(&b);
    json_decref(sum);
    free(en);
    free(fallback);
    usb_messages_free(m);
    close(lock);
    return code;
}
