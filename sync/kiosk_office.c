/* kiosk_office.c - kiosk-office, the central office's workbench (sync/README.md,
 * "kiosk-office"): `init` once, then `--office DIR [--now T] COMMAND [ARGS]`.
 *
 * One function per command, found in the table at the end; each parses its own
 * options and returns the exit status: 0 done, 1 the work failed or needs attention,
 * 2 bad arguments or input (one line "FILE: FIELD: cause" on stderr). The register
 * and the workflow are office.c; ingest is office_ingest.c; report and site are
 * office_report.c; fleet is office_fleet.c. Only `show` prints personal data. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

#include "base/fileio.h"
#include "base/util.h"
#include "bundle.h"
#include "content_build.h"
#include "core/receipt.h"
#include "core/content_schema.h"
#include "core/seal.h"
#include "feed.h"
#include "office.h"
#include "office_fleet.h"
#include "office_ingest.h"
#include "office_report.h"
#include "provision.h"

enum { EXIT_OK = 0, EXIT_WORK = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
    "usage: kiosk-office init DIR --web-root W --sign-key K --seal-key S --scope S1[,S2...]\n"
    "       kiosk-office --office DIR [--now YYYY-MM-DDTHH:MM:SSZ] COMMAND [ARGS]\n"
    "Commands:\n"
    "  publish SRC_DIR --scope S [--expires-days D] [--min-kiosk-version V]\n"
    "  ingest [STICK_DIR...]\n"
    "  list [--kind K] [--status S] [--due-within N] [--overdue] [--json]\n"
    "  consultations [--json]       comments counted per consultation\n"
    "  show RECEIPT                 (the only command that prints personal data)\n"
    "  confirm RECEIPT [--date D]   supplement RECEIPT [--date D]   supplied RECEIPT [--date D]\n"
    "  extend RECEIPT [--days N]    reply RECEIPT --outcome KEY [--reason TEXT] [--date D]\n"
    "  follow-up RECEIPT --note TEXT [--date D]\n"
    "  export --since D --format csv|json   import-replies FILE.csv\n"
    "  feed   fleet [ARGS]   report --year Y --csv F --html F   site OUT\n"
    "  usb-stick DIR [--bundle FILE.kbundle]\n"
    "                               the published status feed (and a bundle) onto a stick\n"
    "  provision --kiosk K --scope S [--central-url URL] -o FILE\n"
    "                               (prints the fingerprint the kiosk is given with it)\n";

static int bad(const char *cmd, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(const char *cmd, const char *field, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "kiosk-office: %s: %s: ", cmd, field);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return EXIT_USAGE;
}

static int fail_office(struct office *o, const char *cmd)
{
    fprintf(stderr, "kiosk-office: %s: %s\n", cmd, o->err);
    return EXIT_WORK;
}

/* ---- option parsing: --name VALUE pairs and flags, positional arguments ---------- */

struct opts {
    const char *names[12];   /* accepted options, without "--" */
    bool is_flag[12];
    const char *val[12];     /* the value, or "1" for a flag given */
    const char *pos[64];
    int n_pos;
};

static int opt_index(const struct opts *p, const char *name)
{
    for (int i = 0; i < 12 && p->names[i]; i++) {
        size_t n = strlen(p->names[i]) - (p->is_flag[i] ? 1 : 0);
        if (strlen(name) == n && strncmp(p->names[i], name, n) == 0)
            return i;
    }
    return -1;
}

/* Parses ARGV[1..] (ARGV[0] is the command). Flags are names ending in '!' in SPEC. */
static int parse_opts(const char *cmd, int argc, char **argv, const char *const *spec, struct opts *p)
{
    memset(p, 0, sizeof *p);
    for (int i = 0; spec[i] && i < 12; i++) {
        size_t n = strlen(spec[i]);
        p->is_flag[i] = spec[i][n - 1] == '!';
        p->names[i] = spec[i];
    }
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--", 2) == 0 && argv[i][2]) {
            const char *name = argv[i] + 2;
            int k = -1;
            for (int j = 0; j < 12 && p->names[j]; j++) {
                size_t n = strlen(p->names[j]) - (p->is_flag[j] ? 1 : 0);
                if (strlen(name) == n && strncmp(p->names[j], name, n) == 0)
                    k = j;
            }
            if (k < 0)
                return bad(cmd, argv[i], "unknown option");
            if (p->is_flag[k])
                p->val[k] = "1";
            else if (i + 1 >= argc)
                return bad(cmd, argv[i], "missing value");
            else
                p->val[k] = argv[++i];
        } else if (p->n_pos < 64)
            p->pos[p->n_pos++] = argv[i];
        else
            return bad(cmd, argv[i], "too many arguments");
    }
    return 0;
}

static const char *opt(const struct opts *p, const char *name)
{
    int i = opt_index(p, name);
    return i >= 0 ? p->val[i] : NULL;
}

static int parse_int(const char *s, long lo, long hi, long *ret)
{
    char *end;
    if (!s || !*s)
        return -EINVAL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return -EINVAL;
    *ret = v;
    return 0;
}

/* ---- init ------------------------------------------------------------------------- */

static int cmd_init(int argc, char **argv)
{
    static const char *const spec[] = {"web-root", "sign-key", "seal-key", "scope", NULL};
    struct opts p;
    char err[700];
    int r = parse_opts("init", argc, argv, spec, &p);
    if (r)
        return r;
    if (p.n_pos != 1)
        return bad("init", "DIR", "give exactly one office directory");
    for (int i = 0; spec[i]; i++)
        if (!p.val[i])
            return bad("init", spec[i], "missing (--%s)", spec[i]);
    if (office_init(p.pos[0], opt(&p, "web-root"), opt(&p, "sign-key"), opt(&p, "seal-key"), opt(&p, "scope"), err,
                    sizeof err) < 0) {
        fprintf(stderr, "kiosk-office: init: %s\n", err);
        return EXIT_USAGE;
    }
    printf("init: %s: office.ini and office.db written (scopes %s)\n", p.pos[0], opt(&p, "scope"));
    return EXIT_OK;
}

/* ---- publish ---------------------------------------------------------------------- */

static int num_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* A web server's ETag is the file's mtime in seconds and its size (nginx), so a manifest
 * published in the same second as the one it replaces, and of the same size, would look
 * unchanged to a kiosk asking If-None-Match. The new one gets a later second. */
static void manifest_newer_mtime(const char *mnew, const char *mpath)
{
    struct stat old, cur;
    if (stat(mpath, &old) < 0 || stat(mnew, &cur) < 0 || cur.st_mtime > old.st_mtime)
        return;
    struct timespec t[2] = {{.tv_sec = old.st_mtime + 1}, {.tv_sec = old.st_mtime + 1}};
    if (utimensat(AT_FDCWD, mnew, t, 0) < 0)
        fprintf(stderr, "kiosk-office: publish: %s: %s (kiosks may see the manifest late)\n", mnew,
                strerror(errno));
}

/* The content version of the manifest published for SCOPE, 0 when none or unreadable. */
static uint64_t manifest_version(const char *path, const struct bundle_seckey *key)
{
    unsigned char buf[BUNDLE_HEAD_MAX];
    struct bundle_keyring ring = {.n = 1};
    struct bundle_manifest m;
    uint64_t plen;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    ring.keys[0] = key->pub;
    if (n <= 0 || bundle_head_parse(buf, (size_t)n, &ring, UINT64_MAX, &m, &plen, NULL) < 0)
        return 0;
    return m.content_version;
}

static int cmd_publish(struct office *o, int argc, char **argv)
{
    static const char *const spec[] = {"scope", "expires-days", "min-kiosk-version", NULL};
    struct opts p;
    struct bundle_seckey key;
    struct bundle_error be = {0};
    struct cbuild_options copt = {0};
    char err[600], tmp[PATH_MAX], bdir[PATH_MAX], bpath[PATH_MAX + 32], mnew[PATH_MAX + 32], mpath[PATH_MAX + 32],
        dst[PATH_MAX];
    long expires = 30;
    int r = parse_opts("publish", argc, argv, spec, &p);
    if (r)
        return r;
    const char *scope = opt(&p, "scope");
    if (p.n_pos != 1)
        return bad("publish", "SRC_DIR", "give exactly one content source folder");
    if (!scope || office_scope_index(o, scope) < 0)
        return bad("publish", "--scope", "\"%s\" is not one of this office's scopes", scope ? scope : "");
    if (opt(&p, "expires-days") && parse_int(opt(&p, "expires-days"), 1, 3650, &expires) < 0)
        return bad("publish", "--expires-days", "must be 1..3650");
    if (bundle_seckey_load(o->sign_key, &key, &be) < 0) {
        fprintf(stderr, "kiosk-office: publish: %s: %s: %s\n", o->sign_key, be.field, be.cause);
        return EXIT_WORK;
    }
    /* the next version: above everything published, here or on the web root */
    snprintf(bdir, sizeof bdir, "%s/bundles/%s", o->web_root, scope);
    snprintf(mpath, sizeof mpath, "%s/manifest", bdir);
    uint64_t next = manifest_version(mpath, &key);
    sqlite3_stmt *s = office_prepare(o, "SELECT coalesce(max(version), 0) FROM published WHERE scope = ?");
    if (!s) {
        bundle_seckey_wipe(&key);
        return fail_office(o, "publish");
    }
    sqlite3_bind_text(s, 1, scope, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(s) == SQLITE_ROW && (uint64_t)sqlite3_column_int64(s, 0) > next)
        next = (uint64_t)sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    next++;
    copt.content_version = next;

    /* build into the office directory: a content error changes nothing anywhere */
    snprintf(tmp, sizeof tmp, "%s/content/.build-%s-%d.db", o->dir, scope, (int)getpid());
    r = cbuild_run_opts(p.pos[0], tmp, &copt, NULL, err, sizeof err);
    if (r < 0) {
        unlink(tmp);
        bundle_seckey_wipe(&key);
        fprintf(stderr, "%s\n", err);
        return r == -EINVAL || r == -ENOENT ? EXIT_USAGE : EXIT_WORK;
    }
    char *parent = xasprintf("%s/bundles", o->web_root);
    mkdir(parent, 0755);
    free(parent);
    mkdir(bdir, 0755);
    snprintf(bpath, sizeof bpath, "%s/%" PRIu64 ".kbundle", bdir, next);
    snprintf(mnew, sizeof mnew, "%s/manifest.new", bdir);
    struct bundle_pack_opts po = {
        .content_version = next,
        .scope = scope,
        .expires_days = (int)expires,
        .min_kiosk_version = opt(&p, "min-kiosk-version"),
        .now = (int64_t)o->now,
        .compress = 1,
    };
    struct bundle_manifest m;
    r = bundle_pack(tmp, &key, &po, bpath, mnew, &m, &be);
    bundle_seckey_wipe(&key);
    if (r < 0) {
        unlink(tmp);
        unlink(mnew);
        fprintf(stderr, "kiosk-office: publish: %s: %s: %s [%s]\n", bpath, be.field, be.cause,
                bundle_reason_name(be.reason));
        return EXIT_WORK;
    }
    /* the bundle is complete on disk; now the manifest, atomically */
    manifest_newer_mtime(mnew, mpath);
    if ((r = fio_publish(mnew, mpath, 0)) < 0) {
        fprintf(stderr, "kiosk-office: publish: %s: %s\n", mpath, strerror(-r));
        unlink(mnew);
        unlink(tmp);
        return EXIT_WORK;
    }
    snprintf(dst, sizeof dst, "%s/content/%s.db", o->dir, scope);
    if (rename(tmp, dst) < 0)
        fprintf(stderr, "kiosk-office: publish: %s: %s (the calendar stays the previous one)\n", dst,
                strerror(errno));
    char at[32];
    bundle_time_format((int64_t)o->now, at);
    s = office_prepare(o, "INSERT OR REPLACE INTO published(scope, version, at) VALUES(?,?,?)");
    if (s) {
        sqlite3_bind_text(s, 1, scope, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(s, 2, (sqlite3_int64)next);
        sqlite3_bind_text(s, 3, at, -1, SQLITE_TRANSIENT);
        sqlite3_step(s);
        sqlite3_finalize(s);
    }
    char what[200];
    snprintf(what, sizeof what, "published content version %" PRIu64 " for %s", next, scope);
    office_audit(o, "", what);

    /* keep the last few bundles */
    uint64_t vers[4096];
    size_t nv = 0;
    DIR *d = opendir(bdir);
    struct dirent *de;
    while (d && nv < 4096 && (de = readdir(d))) {
        char *end;
        uint64_t v = strtoull(de->d_name, &end, 10);
        if (end != de->d_name && strcmp(end, ".kbundle") == 0)
            vers[nv++] = v;
    }
    if (d)
        closedir(d);
    qsort(vers, nv, sizeof *vers, num_cmp);
    int removed = 0;
    for (size_t i = 0; nv > OFFICE_KEEP_BUNDLES && i < nv - OFFICE_KEEP_BUNDLES; i++) {
        snprintf(bpath, sizeof bpath, "%s/%" PRIu64 ".kbundle", bdir, vers[i]);
        removed += unlink(bpath) == 0;
    }
    printf("publish: %s: content version %" PRIu64 " published (bundles/%s/%" PRIu64 ".kbundle, %" PRIu64
           " bytes), %d older bundle%s removed\n",
           scope, next, scope, next, m.payload_size, removed, removed == 1 ? "" : "s");
    return EXIT_OK;
}

/* ---- ingest ----------------------------------------------------------------------- */

static int cmd_ingest(struct office *o, int argc, char **argv)
{
    static const char *const spec[] = {NULL};
    struct opts p;
    struct office_ingest_stats st;
    int r = parse_opts("ingest", argc, argv, spec, &p);
    if (r)
        return r;
    for (int i = 0; i < p.n_pos; i++) {
        struct stat sb;
        if (stat(p.pos[i], &sb) < 0 || !S_ISDIR(sb.st_mode))
            return bad("ingest", p.pos[i], "not a folder");
    }
    if (office_ingest(o, (char *const *)p.pos, p.n_pos, &st) < 0)
        return fail_office(o, "ingest");
    printf("ingest: %ld registered, %ld already registered, %ld quarantined, %ld problem%s on sticks or in the "
           "inbox\n",
           st.registered, st.duplicates, st.quarantined, st.problems, st.problems == 1 ? "" : "s");
    return st.quarantined || st.problems ? EXIT_WORK : EXIT_OK;
}

/* ---- the register: list, show, export --------------------------------------------- */

static const char list_cols[] =
    "receipt, kind, kiosk_id, scope, applicant_kind, submitted_at, received_on, due, due_estimated, status, outcome,"
    " reason, replied_on, updated_at";

static const char *col(sqlite3_stmt *s, int i)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    return t ? t : "";
}

static json_t *str_or_null(const char *s)
{
    return *s ? json_string(s) : json_null();
}

static json_t *row_json(struct office *o, sqlite3_stmt *s)
{
    const char *due = col(s, 7), *status = col(s, 9);
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:b, s:s, s:o, s:b}", "receipt", col(s, 0), "kind",
                     col(s, 1), "kiosk_id", col(s, 2), "scope", col(s, 3), "applicant_kind", str_or_null(col(s, 4)),
                     "submitted_at", col(s, 5), "received_on", str_or_null(col(s, 6)), "due", str_or_null(due),
                     "due_estimated", sqlite3_column_int(s, 8), "status", status, "outcome",
                     str_or_null(col(s, 10)), "overdue", office_overdue(o, due, status));
}

/* Prints ARR indented, as list --json and consultations --json do, and frees it. */
static void put_json(json_t *arr)
{
    char *text = json_dumps(arr, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    puts(text);
    free(text);
    json_decref(arr);
}

static const char *const kinds[] = {"request", "feedback", "rating", "survey", "comment", NULL};
static const char *const statuses[] = {"received", "confirmed", "supplement", "replied", "followed_up", NULL};

static bool in_list(const char *const *l, const char *s)
{
    for (int i = 0; l[i]; i++)
        if (strcmp(l[i], s) == 0)
            return true;
    return false;
}

static int cmd_list(struct office *o, int argc, char **argv)
{
    static const char *const spec[] = {"kind", "status", "due-within", "overdue!", "json!", NULL};
    struct opts p;
    long within = -1;
    int r = parse_opts("list", argc, argv, spec, &p);
    if (r)
        return r;
    if (p.n_pos)
        return bad("list", p.pos[0], "unexpected argument");
    const char *kind = opt(&p, "kind"), *status = opt(&p, "status");
    if (kind && !in_list(kinds, kind))
        return bad("list", "--kind", "\"%s\" is not request, feedback, rating, survey or comment", kind);
    if (status && !in_list(statuses, status))
        return bad("list", "--status", "\"%s\" is not received, confirmed, supplement, replied or followed_up", status);
    if (opt(&p, "due-within") && parse_int(opt(&p, "due-within"), 0, 3650, &within) < 0)
        return bad("list", "--due-within", "must be a number of days, 0..3650");
    char limit[11] = "";
    if (within >= 0) {
        workday_date d;
        workday_date_add_days(o->today, (int)within, &d);
        workday_date_format(d, limit);
    }
    char *sql = xasprintf("SELECT %s FROM register WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR status = ?2)"
                          " AND (?3 = '' OR (due <> '' AND due <= ?3 AND status <> 'replied'))"
                          " ORDER BY submitted_at, receipt",
                          list_cols);
    sqlite3_stmt *s = office_prepare(o, sql);
    free(sql);
    if (!s)
        return fail_office(o, "list");
    sqlite3_bind_text(s, 1, kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, status, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, limit, -1, SQLITE_TRANSIENT);
    bool json = opt(&p, "json") != NULL, overdue_only = opt(&p, "overdue") != NULL;
    json_t *arr = json ? json_array() : NULL;
    long n = 0;
    if (!json)
        printf("%-22s %-8s %-8s %-10s %-15s %-20s %-10s %-11s %-11s %-24s %s\n", "RECEIPT", "KIND", "KIOSK", "SCOPE",
               "APPLICANT", "SUBMITTED", "RECEIVED", "DUE", "STATUS", "OUTCOME", "OVERDUE");
    while (sqlite3_step(s) == SQLITE_ROW) {
        bool od = office_overdue(o, col(s, 7), col(s, 9));
        if (overdue_only && !od)
            continue;
        n++;
        if (json) {
            json_array_append_new(arr, row_json(o, s));
            continue;
        }
        char due[16];
        snprintf(due, sizeof due, "%s%s", *col(s, 7) ? col(s, 7) : "-", sqlite3_column_int(s, 8) ? "~" : "");
        printf("%-22s %-8s %-8s %-10s %-15s %-20s %-10s %-11s %-11s %-24s %s\n", col(s, 0), col(s, 1), col(s, 2),
               col(s, 3), *col(s, 4) ? col(s, 4) : "-", col(s, 5), *col(s, 6) ? col(s, 6) : "-", due, col(s, 9),
               *col(s, 10) ? col(s, 10) : "-", od ? "OVERDUE" : "");
    }
    sqlite3_finalize(s);
    if (json)
        put_json(arr);
    else
        printf("%ld submission%s (~: an estimated due date, past the calendar's years)\n", n, n == 1 ? "" : "s");
    return EXIT_OK;
}

/* The comments registered per consultation (the register's detail of kind comment):
 * how many, the first and the last day one was submitted. */
static int cmd_consultations(struct office *o, int argc, char **argv)
{
    static const char *const spec[] = {"json!", NULL};
    struct opts p;
    int r = parse_opts("consultations", argc, argv, spec, &p);
    if (r)
        return r;
    if (p.n_pos)
        return bad("consultations", p.pos[0], "unexpected argument");
    sqlite3_stmt *s = office_prepare(o, "SELECT detail, count(*), min(submitted_on), max(submitted_on)"
                                        " FROM register WHERE kind = 'comment' GROUP BY detail ORDER BY detail");
    if (!s)
        return fail_office(o, "consultations");
    bool json = opt(&p, "json") != NULL;
    json_t *arr = json ? json_array() : NULL;
    long n = 0, total = 0;
    if (!json)
        printf("%-40s %8s %-10s %-10s\n", "CONSULTATION", "COMMENTS", "FIRST", "LAST");
    while (sqlite3_step(s) == SQLITE_ROW) {
        long c = sqlite3_column_int64(s, 1);
        n++;
        total += c;
        if (json)
            json_array_append_new(arr, json_pack("{s:s, s:I, s:s, s:s}", "consultation", col(s, 0), "comments",
                                                 (json_int_t)c, "first", col(s, 2), "last", col(s, 3)));
        else
            printf("%-40s %8ld %-10s %-10s\n", col(s, 0), c, col(s, 2), col(s, 3));
    }
    sqlite3_finalize(s);
    if (json)
        put_json(arr);
    else
        printf("%ld comment%s on %ld consultation%s\n", total, total == 1 ? "" : "s", n, n == 1 ? "" : "s");
    return EXIT_OK;
}

/* The canonical receipt of ARG into OUT; exit status on failure. */
static int receipt_arg(const char *cmd, const char *arg, char out[RECEIPT_SIZE])
{
    if (!arg)
        return bad(cmd, "RECEIPT", "missing");
    int r = receipt_verify(arg, out);
    if (r == -EILSEQ)
        return bad(cmd, arg, "not a receipt number: its check character does not match (a typo?)");
    if (r < 0)
        return bad(cmd, arg, "not a receipt number");
    return 0;
}

static int cmd_show(struct office *o, int argc, char **argv)
{
    static const char *const spec[] = {NULL};
    struct opts p;
    char rc[RECEIPT_SIZE];
    int r = parse_opts("show", argc, argv, spec, &p);
    if (r || (r = receipt_arg("show", p.n_pos == 1 ? p.pos[0] : NULL, rc)))
        return r;
    sqlite3_stmt *s = office_prepare(o, "SELECT * FROM register WHERE receipt = ?");
    if (!s)
        return fail_office(o, "show");
    sqlite3_bind_text(s, 1, rc, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_finalize(s);
        return bad("show", rc, "no such receipt in the register");
    }
    for (int i = 0; i < sqlite3_column_count(s); i++) {
        const char *name = sqlite3_column_name(s, i);
        if (strcmp(name, "body") == 0)
            continue;
        printf("%-18s %s\n", name, col(s, i));
    }
    printf("overdue            %s\n", office_overdue(o, col(s, 13), col(s, 15)) ? "yes" : "no");
    json_t *body = json_loads(col(s, sqlite3_column_count(s) - 1), 0, NULL);
    char *text = json_dumps(body, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    printf("submission\n%s\n", text ? text : "(unreadable)");
    if (text) {
        sodium_memzero(text, strlen(text));
        free(text);
    }
    json_decref(body);
    sqlite3_finalize(s);
    sqlite3_stmt *a = office_prepare(o, "SELECT at, command, what FROM audit WHERE receipt = ? ORDER BY id");
    if (a) {
        sqlite3_bind_text(a, 1, rc, -1, SQLITE_TRANSIENT);
        printf("audit\n");
        while (sqlite3_step(a) == SQLITE_ROW)
            printf("  %s  %-14s %s\n", col(a, 0), col(a, 1), col(a, 2));
        sqlite3_finalize(a);
    }
    return EXIT_OK;
}

static void csv_cell(FILE *f, const char *s, bool last)
{
    if (strpbrk(s, ",\"\n\r")) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else
        fputs(s, f);
    fputc(last ? '\n' : ',', f);
}

static int cmd_export(struct office *o, int argc, char **argv)
{
    static const char *const spec[] = {"since", "format", NULL};
    struct opts p;
    workday_date d;
    int r = parse_opts("export", argc, argv, spec, &p);
    if (r)
        return r;
    const char *since = opt(&p, "since"), *format = opt(&p, "format");
    if (!since || workday_date_parse(since, &d) < 0)
        return bad("export", "--since", "missing or not a date YYYY-MM-DD");
    if (!format || (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0))
        return bad("export", "--format", "must be csv or json");
    char *sql = xasprintf("SELECT %s FROM register WHERE updated_at >= ? ORDER BY updated_at, receipt", list_cols);
    sqlite3_stmt *s = office_prepare(o, sql);
    free(sql);
    if (!s)
        return fail_office(o, "export");
    sqlite3_bind_text(s, 1, since, -1, SQLITE_TRANSIENT);
    bool csv = strcmp(format, "csv") == 0;
    static const char *const head[] = {"receipt", "kind", "kiosk_id", "scope", "applicant_kind", "submitted_at",
                                       "received_on", "due", "due_estimated", "status", "outcome", "reason",
                                       "replied_on", "updated_at", "overdue"};
    json_t *arr = csv ? NULL : json_array();
    if (csv)
        for (int i = 0; i < 15; i++)
            csv_cell(stdout, head[i], i == 14);
    while (sqlite3_step(s) == SQLITE_ROW) {
        bool od = office_overdue(o, col(s, 7), col(s, 9));
        if (csv) {
            for (int i = 0; i < 14; i++)
                csv_cell(stdout, i == 8 ? (sqlite3_column_int(s, 8) ? "1" : "0") : col(s, i), false);
            csv_cell(stdout, od ? "1" : "0", true);
        } else {
            json_t *j = row_json(o, s);
            json_object_set_new(j, "reason", json_string(col(s, 11)));
            json_object_set_new(j, "replied_on", str_or_null(col(s, 12)));
            json_object_set_new(j, "updated_at", json_string(col(s, 13)));
            json_array_append_new(arr, j);
        }
    }
    sqlite3_finalize(s);
    if (!csv) {
        char *text = json_dumps(arr, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
        puts(text);
        free(text);
        json_decref(arr);
    }
    return EXIT_OK;
}

/* ---- the workflow ----------------------------------------------------------------- */

struct reg {
    char receipt[RECEIPT_SIZE], kind[16], status[16], submitted_on[11], received_on[11], supplement_on[11],
        detail[40], due[11];
    int extended_days;
};

/* Loads RECEIPT's row; an exit status on failure (message printed). */
static int reg_load(struct office *o, const char *cmd, const char *receipt, struct reg *g)
{
    sqlite3_stmt *s = office_prepare(o, "SELECT kind, status, submitted_on, received_on, supplement_on, detail,"
                                        " extended_days, due FROM register WHERE receipt = ?");
    if (!s)
        return fail_office(o, cmd);
    sqlite3_bind_text(s, 1, receipt, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_finalize(s);
        return bad(cmd, receipt, "no such receipt in the register");
    }
    memset(g, 0, sizeof *g);
    snprintf(g->receipt, sizeof g->receipt, "%s", receipt);
    snprintf(g->kind, sizeof g->kind, "%s", col(s, 0));
    snprintf(g->status, sizeof g->status, "%s", col(s, 1));
    snprintf(g->submitted_on, sizeof g->submitted_on, "%s", col(s, 2));
    snprintf(g->received_on, sizeof g->received_on, "%s", col(s, 3));
    snprintf(g->supplement_on, sizeof g->supplement_on, "%s", col(s, 4));
    snprintf(g->detail, sizeof g->detail, "%s", col(s, 5));
    g->extended_days = sqlite3_column_int(s, 6);
    snprintf(g->due, sizeof g->due, "%s", col(s, 7));
    sqlite3_finalize(s);
    return 0;
}

/* --date D, default today: a real date, not in the future, not before NOT_BEFORE. */
static int date_arg(struct office *o, const char *cmd, const char *arg, const char *not_before, char out[11])
{
    workday_date d;
    if (!arg) {
        workday_date_format(o->today, out);
        arg = out;
    }
    if (workday_date_parse(arg, &d) < 0)
        return bad(cmd, "--date", "\"%s\" is not a date YYYY-MM-DD", arg);
    if (workday_date_cmp(d, o->today) > 0)
    {
        char today[11];
        workday_date_format(o->today, today);
        return bad(cmd, "--date", "%s is in the future (today is %s)", arg, today);
    }
    if (not_before && *not_before && strcmp(arg, not_before) < 0)
        return bad(cmd, "--date", "%s is before %s", arg, not_before);
    if (arg != out)
        snprintf(out, 11, "%s", arg);
    return 0;
}

/* Runs SQL (binding ?1 = receipt, ?2 = updated_at, then the TEXTS) and recomputes the
 * due date, then audits WHAT: all in one transaction. */
static int reg_update(struct office *o, const char *cmd, const char *receipt, const char *sql, const char *what,
                      int n, const char *const *texts)
{
    char now_s[32];
    bundle_time_format((int64_t)o->now, now_s);
    if (office_begin(o) < 0)
        return fail_office(o, cmd);
    sqlite3_stmt *s = office_prepare(o, sql);
    int r = -EIO;
    if (s) {
        sqlite3_bind_text(s, 1, receipt, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 2, now_s, -1, SQLITE_TRANSIENT);
        for (int i = 0; i < n; i++)
            sqlite3_bind_text(s, 3 + i, texts[i], -1, SQLITE_TRANSIENT);
        r = sqlite3_step(s) == SQLITE_DONE ? 0 : -EIO;
        if (r < 0)
            snprintf(o->err, sizeof o->err, "office.db: %s", sqlite3_errmsg(o->db));
        sqlite3_finalize(s);
    }
    if (r == 0)
        r = office_update_due(o, receipt);
    if (r == 0)
        r = office_audit(o, receipt, what);
    if (r == 0)
        r = office_commit(o);
    if (r < 0) {
        office_rollback(o);
        return fail_office(o, cmd);
    }
    return 0;
}

static int need_request(const char *cmd, const struct reg *g)
{
    if (strcmp(g->kind, "request") != 0)
        return bad(cmd, g->receipt, "a %s, not an information request", g->kind);
    if (strcmp(g->status, "replied") == 0)
        return bad(cmd, g->receipt, "already replied");
    return 0;
}

static int one_receipt(const char *cmd, int argc, char **argv, const char *const *spec, struct opts *p,
                       char rc[RECEIPT_SIZE])
{
    int r = parse_opts(cmd, argc, argv, spec, p);
    if (r)
        return r;
    if (p->n_pos > 1)
        return bad(cmd, p->pos[1], "unexpected argument");
    return receipt_arg(cmd, p->n_pos ? p->pos[0] : NULL, rc);
}

static int print_due(struct office *o, const char *cmd, const char *receipt)
{
    struct reg g;
    if (reg_load(o, cmd, receipt, &g) == 0)
        printf("%s: %s: %s, due %s\n", cmd, receipt, g.status, *g.due ? g.due : "(the clock stands)");
    return EXIT_OK;
}

static int cmd_confirm(struct office *o, int argc, char **argv)
{
    static const char *const spec[] = {"date", NULL};
    struct opts p;
    struct reg g;
    char rc[RECEIPT_SIZE], date[11], what[80];
    int r = one_receipt("confirm", argc, argv, spec, &p, rc);
    if (r || (r = reg_load(o, "confirm", rc, &g)) || (r = need_request("confirm", &g)) ||
        (r = date_arg(o, "confirm", opt(&p, "date"), g.submitted_on, date)))
        return r;
    snprintf(what, sizeof what, "receipt confirmed as received on %s", date);
    const char *t[] = {date};
    if ((r = reg_update(o, "confirm", rc, "UPDATE register SET received_on = ?3, updated_at = ?2, status ="
                                          " CASE status WHEN 'received' THEN 'confirmed' ELSE status END"
                                          " WHERE receipt = ?1",
                        what, 1, t)))
        return r;
    return print_due(o, "confirm", rc);
}

static int cmd_supplement(struct office *o, int argc, char **argv)
{
    static const char *const spec[] = {"date", NULL};
    struct opts p;
    struct reg g;
    char rc[RECEIPT_SIZE], date[11], what[80];
    int r = one_receipt("supplement", argc, argv, spec, &p, rc);
    if (r || (r = reg_load(o, "supplement", rc, &g)) || (r = need_request("supplement", &g)))
        return r;
    if (*g.supplement_on)
        return bad("supplement", rc, "a supplement was already asked for on %s (only once)", g.supplement_on);
    if ((r = date_arg(o, "supplement", opt(&p, "date"), g.submitted_on, date)))
        return r;
    snprintf(what, sizeof what, "supplement asked for on %s; the clock stands", date);
    const char *t[] = {date};
    if ((r = reg_update(o, "supplement", rc,
                        "UPDATE register SET supplement_on = ?3, status = 'supplement', updated_at = ?2"
                        " WHERE receipt = ?1",
                        what, 1, t)))
        return r;
    return print_due(o, "supplement", rc);
}

static int cmd_supplied(struct office *o, int argc, char **argv)
{
    static const char *const spec[] = {"date", NULL};
    struct opts p;
    struct reg g;
    char rc[RECEIPT_SIZE], date[11], what[80];
    int r = one_receipt("supplied", argc, argv, spec, &p, rc);
    if (r || (r = reg_load(o, "supplied", rc, &g)) || (r = need_request("supplied", &g)))
        return r;
    if (strcmp(g.status, "supplement") != 0)
        return bad("supplied", rc, "no supplement is awaited (status %s)", g.status);
    if ((r = date_arg(o, "supplied", opt(&p, "date"), g.supplement_on, date)))
        return r;
    snprintf(what, sizeof what, "supplement received on %s; the clock restarts", date);
    const char *t[] = {date};
    if ((r = reg_update(o, "supplied", rc,
                        "UPDATE register SET supplied_on = ?3, status = 'confirmed', updated_at = ?2,"
                        " received_on = coalesce(received_on, ?3) WHERE receipt = ?1",
                        what, 1, t)))
        return r;
    return print_due(o, "supplied", rc);
}

static int cmd_extend(struct office *o, int argc, char **argv)
{
    static const char *const spec[] = {"days", NULL};
    struct opts p;
    struct reg g;
    char rc[RECEIPT_SIZE], what[80], days_s[8];
    long days = OFFICE_EXTEND_MAX;
    int r = one_receipt("extend", argc, argv, spec, &p, rc);
    if (r || (r = reg_load(o, "extend", rc, &g)) || (r = need_request("extend", &g)))
        return r;
    if (opt(&p, "days") && parse_int(opt(&p, "days"), 1, OFFICE_EXTEND_MAX, &days) < 0)
        return bad("extend", "--days", "at most %d working days", OFFICE_EXTEND_MAX);
    if (g.extended_days)
        return bad("extend", rc, "already extended by %d working days (only once)", g.extended_days);
    if (strcmp(g.status, "supplement") == 0)
        return bad("extend", rc, "waiting for a supplement: the clock stands");
    snprintf(days_s, sizeof days_s, "%ld", days);
    snprintf(what, sizeof what, "extended by %ld working days", days);
    const char *t[] = {days_s};
    if ((r = reg_update(o, "extend", rc,
                        "UPDATE register SET extended_days = CAST(?3 AS INTEGER), updated_at = ?2 WHERE receipt = ?1",
                        what, 1, t)))
        return r;
    return print_due(o, "extend", rc);
}

/* Checks a reply; an exit status (message printed with WHERE as the file) or 0. */
static int reply_check(struct office *o, const char *where, const char *receipt, const char *outcome,
                       const char *reason, const char *date, char date_out[11])
{
    struct reg g;
    int r;
    if ((r = reg_load(o, where, receipt, &g)) || (r = need_request(where, &g)))
        return r;
    if (!outcome || !office_outcome_valid(outcome))
        return bad(where, "outcome", "\"%s\" is not an outcome key (disclosed, partly_disclosed, "
                   "not_disclosed.REASON, cannot_provide.REASON, not_processed.REASON, other.REASON;"
                   " sync/README.md)", outcome ? outcome : "");
    if (reason && strlen(reason) > 1000)
        return bad(where, "reason", "at most 1000 bytes");
    return date_arg(o, where, date, *g.received_on ? g.received_on : g.submitted_on, date_out);
}

static const char reply_sql[] = "UPDATE register SET status = 'replied', outcome = ?3, reason = ?4, replied_on = ?5,"
                                " updated_at = ?2 WHERE receipt = ?1";

static int cmd_reply(struct office *o, int argc, char **argv)
{
    static const char *const spec[] = {"outcome", "reason", "date", NULL};
    struct opts p;
    char rc[RECEIPT_SIZE], date[11], what[200];
    int r = one_receipt("reply", argc, argv, spec, &p, rc);
    if (r)
        return r;
    if (!opt(&p, "outcome"))
        return bad("reply", "--outcome", "missing");
    if ((r = reply_check(o, "reply", rc, opt(&p, "outcome"), opt(&p, "reason"), opt(&p, "date"), date)))
        return r;
    snprintf(what, sizeof what, "replied on %s: %s", date, opt(&p, "outcome"));
    const char *t[] = {opt(&p, "outcome"), opt(&p, "reason") ? opt(&p, "reason") : "", date};
    if ((r = reg_update(o, "reply", rc, reply_sql, what, 3, t)))
        return r;
    printf("reply: %s: replied on %s: %s\n", rc, date, opt(&p, "outcome"));
    return EXIT_OK;
}

static int cmd_follow_up(struct office *o, int argc, char **argv)
{
    static const char *const spec[] = {"note", "date", NULL};
    struct opts p;
    struct reg g;
    char rc[RECEIPT_SIZE], date[11];
    int r = one_receipt("follow-up", argc, argv, spec, &p, rc);
    if (r || (r = reg_load(o, "follow-up", rc, &g)))
        return r;
    if (!opt(&p, "note") || !*opt(&p, "note"))
        return bad("follow-up", "--note", "missing");
    if (strlen(opt(&p, "note")) > 4000)
        return bad("follow-up", "--note", "at most 4000 bytes");
    if (!(strcmp(g.kind, "feedback") == 0 || (strcmp(g.kind, "rating") == 0 && office_rating_bad(g.detail))))
        return bad("follow-up", rc, "only feedback and bad ratings are followed up (this is a %s%s%s)", g.kind,
                   *g.detail ? ": " : "", g.detail);
    if ((r = date_arg(o, "follow-up", opt(&p, "date"), g.submitted_on, date)))
        return r;
    const char *t[] = {opt(&p, "note"), date};
    if ((r = reg_update(o, "follow-up", rc,
                        "UPDATE register SET status = 'followed_up', follow_up = ?3, followed_up_on = ?4,"
                        " updated_at = ?2 WHERE receipt = ?1",
                        "followed up", 2, t)))
        return r;
    printf("follow-up: %s: followed up on %s\n", rc, date);
    return EXIT_OK;
}

/* ---- import-replies --------------------------------------------------------------- */

/* One CSV record from F into CELLS (at most MAX, each owned by the caller); the number
 * of cells, 0 at the end, -1 on a malformed line. */
static int csv_record(FILE *f, char **cells, int max, int *lineno)
{
    strbuf cell = {0};
    int n = 0, c, quoted = 0, any = 0;
    (*lineno)++;
    while ((c = fgetc(f)) != EOF) {
        any = 1;
        if (quoted) {
            if (c == '"') {
                int d = fgetc(f);
                if (d == '"')
                    strbuf_addc(&cell, '"');
                else {
                    quoted = 0;
                    if (d != EOF)
                        ungetc(d, f);
                }
            } else {
                if (c == '\n')
                    (*lineno)++;
                strbuf_addc(&cell, (char)c);
            }
        } else if (c == '"' && cell.len == 0)
            quoted = 1;
        else if (c == ',' || c == '\n') {
            if (n >= max) {
                strbuf_release(&cell);
                return -1;
            }
            cells[n++] = cell.buf ? strbuf_detach(&cell) : xstrdup("");
            if (c == '\n')
                return n;
        } else if (c != '\r')
            strbuf_addc(&cell, (char)c);
        if (cell.len > 4096) {
            strbuf_release(&cell);
            return -1;
        }
    }
    if (!any)
        return 0;
    if (n >= max || quoted) {
        strbuf_release(&cell);
        return -1;
    }
    cells[n++] = cell.buf ? strbuf_detach(&cell) : xstrdup("");
    return n;
}

#define IMPORT_ROWS_MAX 1000000

static int cmd_import_replies(struct office *o, int argc, char **argv)
{
    static const char *const spec[] = {NULL};
    struct opts p;
    int r = parse_opts("import-replies", argc, argv, spec, &p), lineno = 0, n;
    char *cells[8], where[PATH_MAX + 32];
    if (r)
        return r;
    if (p.n_pos != 1)
        return bad("import-replies", "FILE.csv", "give exactly one file");
    const char *file = p.pos[0];
    FILE *f = fopen(file, "re");
    if (!f)
        return bad("import-replies", file, "%s", strerror(errno));
    int ci[4] = {-1, -1, -1, -1}; /* receipt, outcome, reason, date */
    static const char *const names[] = {"receipt", "outcome", "reason", "date"};
    n = csv_record(f, cells, 8, &lineno);
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < 4; k++)
            if (strcmp(cells[i], names[k]) == 0)
                ci[k] = i;
        free(cells[i]);
    }
    if (n <= 0 || ci[0] < 0 || ci[1] < 0) {
        fclose(f);
        fprintf(stderr, "%s:1: header: must name the columns receipt,outcome[,reason][,date]\n", file);
        return EXIT_USAGE;
    }
    struct row {
        char receipt[RECEIPT_SIZE], date[11];
        char *outcome, *reason;
    } *rows = NULL;
    size_t nr = 0, cap = 0;
    r = 0;
    /* every line checked before one is applied */
    while (r == 0 && (n = csv_record(f, cells, 8, &lineno)) != 0) {
        if (n < 0 || nr >= IMPORT_ROWS_MAX) {
            fprintf(stderr, "%s:%d: line: %s\n", file, lineno, n < 0 ? "not a CSV record of at most 8 cells" : "too many rows");
            r = EXIT_USAGE;
            break;
        }
        const char *v[4];
        for (int k = 0; k < 4; k++)
            v[k] = ci[k] >= 0 && ci[k] < n ? cells[ci[k]] : NULL;
        if (n == 1 && !*cells[0]) {
            free(cells[0]);
            continue;
        }
        if (nr == cap) {
            cap = cap ? 2 * cap : 64;
            rows = xrealloc(rows, cap * sizeof *rows);
        }
        struct row *w = &rows[nr];
        snprintf(where, sizeof where, "%s:%d", file, lineno);
        fflush(stdout);
        if (!v[0] || receipt_verify(v[0], w->receipt) < 0) {
            fprintf(stderr, "%s: receipt: \"%s\" is not a receipt number\n", where, v[0] ? v[0] : "");
            r = EXIT_USAGE;
        } else {
            /* the checks print "kiosk-office: FILE:LINE: FIELD: cause" */
            char lbl[PATH_MAX + 40];
            snprintf(lbl, sizeof lbl, "%s", where);
            r = reply_check(o, lbl, w->receipt, v[1], v[2], v[3] && *v[3] ? v[3] : NULL, w->date);
        }
        if (r == 0) {
            for (size_t k = 0; k < nr; k++)
                if (strcmp(rows[k].receipt, w->receipt) == 0) {
                    fprintf(stderr, "%s: receipt: %s is listed twice\n", where, w->receipt);
                    r = EXIT_USAGE;
                }
        }
        if (r == 0) {
            w->outcome = xstrdup(v[1]);
            w->reason = xstrdup(v[2] ? v[2] : "");
            nr++;
        }
        for (int i = 0; i < n; i++)
            free(cells[i]);
    }
    fclose(f);
    if (r == 0 && office_begin(o) < 0)
        r = fail_office(o, "import-replies");
    for (size_t i = 0; r == 0 && i < nr; i++) {
        char now_s[32], what[200];
        bundle_time_format((int64_t)o->now, now_s);
        sqlite3_stmt *s = office_prepare(o, reply_sql);
        if (!s) {
            r = EXIT_WORK;
            break;
        }
        sqlite3_bind_text(s, 1, rows[i].receipt, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 2, now_s, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 3, rows[i].outcome, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 4, rows[i].reason, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 5, rows[i].date, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(s) != SQLITE_DONE)
            r = EXIT_WORK;
        sqlite3_finalize(s);
        snprintf(what, sizeof what, "replied on %s: %s (imported from %s)", rows[i].date, rows[i].outcome, file);
        if (r == 0 && office_audit(o, rows[i].receipt, what) < 0)
            r = EXIT_WORK;
    }
    if (r == 0 && nr && office_commit(o) < 0)
        r = EXIT_WORK;
    if (r == EXIT_WORK) {
        office_rollback(o);
        fail_office(o, "import-replies");
    }
    if (r == 0)
        printf("import-replies: %s: %zu repl%s recorded\n", file, nr, nr == 1 ? "y" : "ies");
    for (size_t i = 0; i < nr; i++) {
        free(rows[i].outcome);
        free(rows[i].reason);
    }
    free(rows);
    return r;
}

/* ---- feed ------------------------------------------------------------------------- */

static int cmd_feed(struct office *o, int argc, char **argv)
{
    static const char *const spec[] = {"expires-days", NULL};
    struct opts p;
    struct bundle_seckey key;
    struct bundle_error be = {0};
    long expires = OFFICE_FEED_EXPIRES_DAYS;
    int r = parse_opts("feed", argc, argv, spec, &p), status = EXIT_OK;
    if (r)
        return r;
    if (p.n_pos)
        return bad("feed", p.pos[0], "unexpected argument");
    if (opt(&p, "expires-days") && parse_int(opt(&p, "expires-days"), 1, 3650, &expires) < 0)
        return bad("feed", "--expires-days", "must be 1..3650");
    if (bundle_seckey_load(o->sign_key, &key, &be) < 0) {
        fprintf(stderr, "kiosk-office: feed: %s: %s: %s\n", o->sign_key, be.field, be.cause);
        return EXIT_WORK;
    }
    char *dir = xasprintf("%s/status-feed", o->web_root);
    mkdir(dir, 0755);
    sqlite3_stmt *s = office_prepare(o, "SELECT receipt, status, outcome, updated_at, due FROM register"
                                        " WHERE scope = ? AND kind = 'request' ORDER BY updated_at DESC, receipt"
                                        " LIMIT ?");
    for (int i = 0; s && i < o->n_scopes; i++) {
        struct feed_entry *e = NULL;
        size_t n = 0, cap = 0;
        sqlite3_reset(s);
        sqlite3_bind_text(s, 1, o->scopes[i], -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(s, 2, FEED_ENTRIES_MAX);
        while (sqlite3_step(s) == SQLITE_ROW) {
            /* the outcome key's top is the feed's outcome, its sub-reason the reason code;
             * the office's free text never leaves the register */
            const char *outcome = col(s, 2), *dot = strchr(outcome, '.');
            char top[32];
            office_outcome_top(*outcome ? outcome : "in_progress", top, sizeof top);
            if (n == cap) {
                cap = cap ? 2 * cap : 1024;
                e = xrealloc(e, cap * sizeof *e);
            }
            e[n++] = (struct feed_entry){xstrdup(col(s, 0)), xstrdup(col(s, 1)), xstrdup(top),
                                         xstrdup(dot ? dot + 1 : ""), xstrdup(col(s, 3)), xstrdup(col(s, 4))};
        }
        char *text = NULL, *path = xasprintf("%s/%s.json", dir, o->scopes[i]);
        r = feed_sign_entries(&key, o->scopes[i], (int)expires, (int64_t)o->now, e, n, &text, &be);
        if (r < 0) {
            fprintf(stderr, "kiosk-office: feed: %s: %s: %s\n", o->scopes[i], be.field, be.cause);
            status = EXIT_WORK;
        } else if ((r = fio_write_atomic(path, text, strlen(text), 0644, 0)) < 0) {
            fprintf(stderr, "kiosk-office: feed: %s: %s\n", path, strerror(-r));
            status = EXIT_WORK;
        } else
            printf("feed: %s: %zu entr%s signed, status-feed/%s.json published%s\n", o->scopes[i], n,
                   n == 1 ? "y" : "ies", o->scopes[i], n >= FEED_ENTRIES_MAX ? " (at the cap: the most recently updated)" : "");
        struct feed f = {.entries = e, .n = n};
        feed_release(&f);
        free(text);
        free(path);
    }
    if (!s)
        status = fail_office(o, "feed");
    sqlite3_finalize(s);
    free(dir);
    bundle_seckey_wipe(&key);
    if (status == EXIT_OK) {
        o->command = "feed";
        office_audit(o, "", "status feeds published");
    }
    return status;
}

/* ---- usb-stick -------------------------------------------------------------------- */

/* SRC (a regular file, not a link, at most CAP bytes) to DST atomically: a hidden temp
 * file beside DST, fsynced, renamed (what a stick pulled mid-copy keeps is the old file
 * or none, never half of one). 0, or -errno with *RET_FIELD naming the file at fault. */
static int stick_copy(const char *src, const char *dst, uint64_t cap, const char **ret_field)
{
    *ret_field = src;
    int in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (in < 0)
        return -errno;
    struct stat st;
    int e = fstat(in, &st) < 0 ? errno : !S_ISREG(st.st_mode) ? EINVAL : (uint64_t)st.st_size > cap ? EFBIG : 0;
    if (e) {
        close(in);
        return -e;
    }
    struct fio_atomic a;
    *ret_field = dst;
    int r = fio_atomic_open(&a, dst, 0644, FIO_HIDDEN_TMP);
    if (r < 0) {
        close(in);
        return r;
    }
    static char buf[1 << 16];
    uint64_t total = 0;
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0 && r == 0) {
        total += (uint64_t)n;
        *ret_field = total > cap ? src : dst;
        r = total > cap ? -EFBIG : fio_write_all(a.fd, buf, (size_t)n);
    }
    if (n < 0 && r == 0) {
        *ret_field = src;
        r = -errno;
    }
    close(in);
    if (r < 0) {
        fio_atomic_abort(&a);
        return r;
    }
    *ret_field = dst;
    return fio_atomic_commit(&a);
}

/* The stick a USB-only kiosk takes: the office's published status feed of every scope
 * as status-feed/<scope>.json, and optionally a bundle at the top, where usb-import
 * looks (sync/README.md, "usb-import DIR"). */
static int cmd_usb_stick(struct office *o, int argc, char **argv)
{
    static const char *const spec[] = {"bundle", NULL};
    struct opts p;
    struct stat st;
    int r = parse_opts("usb-stick", argc, argv, spec, &p);
    if (r)
        return r;
    if (p.n_pos != 1)
        return bad("usb-stick", "DIR", "give exactly one folder: the mounted stick");
    const char *dir = p.pos[0], *bundle = opt(&p, "bundle");
    if (stat(dir, &st) < 0)
        return bad("usb-stick", dir, "%s", strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return bad("usb-stick", dir, "not a folder");
    if (bundle) {
        size_t n = strlen(bundle);
        if (n < 8 || strcmp(bundle + n - 8, ".kbundle") != 0)
            return bad("usb-stick", "--bundle", "\"%s\" is not a .kbundle file (usb-import reads only those)", bundle);
    }
    /* every scope's feed must be there before anything is written */
    for (int i = 0; i < o->n_scopes; i++) {
        char *src = xasprintf("%s/status-feed/%s.json", o->web_root, o->scopes[i]);
        int missing = access(src, F_OK) != 0;
        free(src);
        if (missing)
            return bad("usb-stick", o->scopes[i], "no status feed published yet: run kiosk-office feed first");
    }
    char *feeds = xasprintf("%s/status-feed", dir);
    if (mkdir(feeds, 0755) < 0 && errno != EEXIST) {
        int e = errno;
        free(feeds);
        return bad("usb-stick", dir, "cannot make status-feed/: %s", strerror(e));
    }
    int status = EXIT_OK;
    const char *field;
    for (int i = 0; i < o->n_scopes && status == EXIT_OK; i++) {
        char *src = xasprintf("%s/status-feed/%s.json", o->web_root, o->scopes[i]);
        char *dst = xasprintf("%s/%s.json", feeds, o->scopes[i]);
        if ((r = stick_copy(src, dst, FEED_BYTES_MAX, &field)) < 0) {
            fprintf(stderr, "kiosk-office: usb-stick: %s: %s\n", field, strerror(-r));
            status = EXIT_WORK;
        } else
            printf("usb-stick: status-feed/%s.json written\n", o->scopes[i]);
        free(src);
        free(dst);
    }
    if (bundle && status == EXIT_OK) {
        const char *base = strrchr(bundle, '/') ? strrchr(bundle, '/') + 1 : bundle;
        char *dst = xasprintf("%s/%s", dir, base);
        if ((r = stick_copy(bundle, dst, BUNDLE_HEAD_MAX + BUNDLE_PAYLOAD_MAX_DEFAULT, &field)) < 0) {
            fprintf(stderr, "kiosk-office: usb-stick: %s: %s\n", field, strerror(-r));
            status = EXIT_WORK;
        } else
            printf("usb-stick: %s written\n", base);
        free(dst);
    }
    free(feeds);
    if (status == EXIT_OK) {
        o->command = "usb-stick";
        office_audit(o, "", "status feeds written to a USB stick");
    }
    return status;
}

/* ---- fleet, report, site ---------------------------------------------------------- */

static int cmd_fleet(struct office *o, int argc, char **argv)
{
    char manifest[PATH_MAX];
    /* the first scope's manifest when published; fleet reads every scope's anyway */
    snprintf(manifest, sizeof manifest, "%s/bundles/%s/manifest", o->web_root, o->scopes[0]);
    return office_fleet_main(o->web_root, access(manifest, F_OK) == 0 ? manifest : NULL, o->now, argc - 1,
                             argv + 1);
}

static int cmd_report(struct office *o, int argc, char **argv)
{
    static const char *const spec[] = {"year", "csv", "html", NULL};
    struct opts p;
    long year;
    int r = parse_opts("report", argc, argv, spec, &p);
    if (r)
        return r;
    if (p.n_pos)
        return bad("report", p.pos[0], "unexpected argument");
    if (parse_int(opt(&p, "year"), 2000, 2199, &year) < 0)
        return bad("report", "--year", "missing or not a year 2000..2199");
    if (!opt(&p, "csv") && !opt(&p, "html"))
        return bad("report", "--csv", "give --csv FILE, --html FILE or both");
    if (office_report(o, (int)year, opt(&p, "csv"), opt(&p, "html")) < 0)
        return fail_office(o, "report");
    return EXIT_OK;
}

static int cmd_site(struct office *o, int argc, char **argv)
{
    static const char *const spec[] = {NULL};
    struct opts p;
    int r = parse_opts("site", argc, argv, spec, &p);
    if (r)
        return r;
    if (p.n_pos != 1)
        return bad("site", "OUT", "give exactly one output folder");
    if (office_site(o, p.pos[0]) < 0)
        return fail_office(o, "site");
    printf("site: %s/index.html written\n", p.pos[0]);
    return EXIT_OK;
}

/* ---- provision -------------------------------------------------------------------- */

/* A kiosk's provisioning file (provision.h), signed with the office's signing key and
 * carrying its public half and the seal key's; the fingerprint printed on stdout is
 * what the IT person types on the board (sync/README.md, "Provisioning a kiosk"). */
static int cmd_provision(struct office *o, int argc, char **argv)
{
    static const char *const spec[] = {"kiosk", "scope", "central-url", "out", NULL};
    struct opts p;
    struct bundle_seckey key;
    struct bundle_error be = {0};
    struct seal_secret seal;
    struct provision pv;
    char err[600], *text = NULL;
    size_t len = 0;
    char *args[64];
    if (argc > 64)
        return bad("provision", "ARGS", "too many");
    for (int i = 0; i < argc; i++) /* -o FILE is --out FILE */
        args[i] = strcmp(argv[i], "-o") == 0 ? (char *)"--out" : argv[i];
    int r = parse_opts("provision", argc, args, spec, &p), sc;
    if (r)
        return r;
    if (p.n_pos)
        return bad("provision", p.pos[0], "unexpected argument");
    if (!opt(&p, "kiosk") || !opt(&p, "scope") || !opt(&p, "out"))
        return bad("provision", !opt(&p, "kiosk") ? "--kiosk" : !opt(&p, "scope") ? "--scope" : "-o", "missing");
    for (sc = 0; sc < o->n_scopes && strcmp(o->scopes[sc], opt(&p, "scope")) != 0; sc++)
        ;
    if (sc == o->n_scopes)
        return bad("provision", "--scope", "\"%s\" is not one of this office's scopes", opt(&p, "scope"));
    memset(&pv, 0, sizeof pv);
    if (strlen(opt(&p, "kiosk")) >= sizeof pv.kiosk_id || strlen(opt(&p, "scope")) >= sizeof pv.scope ||
        (opt(&p, "central-url") && strlen(opt(&p, "central-url")) >= sizeof pv.central_url))
        return bad("provision", "--kiosk", "too long");
    snprintf(pv.kiosk_id, sizeof pv.kiosk_id, "%s", opt(&p, "kiosk"));
    snprintf(pv.scope, sizeof pv.scope, "%s", opt(&p, "scope"));
    snprintf(pv.central_url, sizeof pv.central_url, "%s", opt(&p, "central-url") ? opt(&p, "central-url") : "");
    pv.created_at = (int64_t)o->now;
    if (seal_secret_load(o->seal_key, &seal, err, sizeof err) < 0) {
        fprintf(stderr, "kiosk-office: provision: %s\n", err);
        return EXIT_WORK;
    }
    memcpy(pv.seal_pk, seal.pk, sizeof pv.seal_pk);
    seal_secret_wipe(&seal);
    if (bundle_seckey_load(o->sign_key, &key, &be) < 0) {
        fprintf(stderr, "kiosk-office: provision: %s: %s: %s\n", o->sign_key, be.field, be.cause);
        return EXIT_WORK;
    }
    memcpy(pv.sign_pk[0], key.pub.pk, 32);
    pv.n_sign = 1;
    r = provision_make(&key, &pv, &text, &len, &be);
    bundle_seckey_wipe(&key);
    if (r < 0)
        return bad("provision", be.field, "%s", be.cause);
    r = fio_write_atomic(opt(&p, "out"), text, len, 0644, 0);
    free(text);
    if (r < 0) {
        fprintf(stderr, "kiosk-office: provision: %s: %s\n", opt(&p, "out"), strerror(-r));
        return EXIT_WORK;
    }
    printf("provision: %s: kiosk %s, scope %s\nfingerprint: %s\n", opt(&p, "out"), pv.kiosk_id, pv.scope,
           pv.signer_fingerprint);
    return EXIT_OK;
}

/* ---- dispatch --------------------------------------------------------------------- */

static const struct {
    const char *name;
    int (*fn)(struct office *o, int argc, char **argv);
} commands[] = {
    {"publish", cmd_publish},     {"ingest", cmd_ingest},   {"list", cmd_list},
    {"consultations", cmd_consultations},
    {"show", cmd_show},           {"confirm", cmd_confirm}, {"supplement", cmd_supplement},
    {"supplied", cmd_supplied},   {"extend", cmd_extend},   {"reply", cmd_reply},
    {"follow-up", cmd_follow_up}, {"export", cmd_export},   {"import-replies", cmd_import_replies},
    {"feed", cmd_feed},           {"fleet", cmd_fleet},     {"report", cmd_report},
    {"site", cmd_site},           {"provision", cmd_provision}, {"usb-stick", cmd_usb_stick},
};

int main(int argc, char **argv)
{
    const char *dir = NULL, *now_s = NULL;
    int i = 1;
    if (sodium_init() < 0) {
        fprintf(stderr, "kiosk-office: libsodium cannot be initialised\n");
        return EXIT_WORK;
    }
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(usage_text, stdout);
        return EXIT_OK;
    }
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        printf("kiosk-office %s\n", KIOSK_VERSION);
        return EXIT_OK;
    }
    if (argc >= 2 && strcmp(argv[1], "init") == 0)
        return cmd_init(argc - 1, argv + 1);
    while (i < argc && strncmp(argv[i], "--", 2) == 0) {
        if (strcmp(argv[i], "--office") == 0 && i + 1 < argc)
            dir = argv[i + 1];
        else if (strcmp(argv[i], "--now") == 0 && i + 1 < argc)
            now_s = argv[i + 1];
        else {
            fputs(usage_text, stderr);
            return bad("options", argv[i], "unknown option or missing value");
        }
        i += 2;
    }
    if (!dir)
        return bad("options", "--office", "missing (kiosk-office --office DIR COMMAND; see --help)");
    if (i >= argc)
        return bad("options", "COMMAND", "missing (see --help)");
    time_t now = time(NULL);
    if (now_s) {
        int64_t t;
        if (bundle_time_parse(now_s, &t) < 0)
            return bad("options", "--now", "\"%s\" is not YYYY-MM-DDTHH:MM:SSZ", now_s);
        now = (time_t)t;
    }
    for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
        if (strcmp(commands[k].name, argv[i]) != 0)
            continue;
        struct office o;
        char err[700];
        if (office_open(&o, dir, now, err, sizeof err) < 0) {
            fprintf(stderr, "kiosk-office: %s\n", err);
            return EXIT_USAGE;
        }
        o.command = commands[k].name;
        /* one command at a time on an office: two ingests never move the same file */
        char lock[PATH_MAX];
        snprintf(lock, sizeof lock, "%s/office.lock", dir);
        int lfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (lfd < 0 || flock(lfd, LOCK_EX) < 0) {
            fprintf(stderr, "kiosk-office: %s: %s\n", lock, strerror(errno));
            if (lfd >= 0)
                close(lfd);
            office_close(&o);
            return EXIT_WORK;
        }
        int r = commands[k].fn(&o, argc - i, argv + i);
        office_close(&o);
        close(lfd);
        return r;
    }
    return bad("options", argv[i], "unknown command (see --help)");
}
