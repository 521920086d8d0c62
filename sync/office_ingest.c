/* office_ingest.c - see office_ingest.h. */
#include "office_ingest.h"
#include "base/fileio.h"
#include "base/util.h"
#include "core/receipt.h"
#include "core/seal.h"
#include "core/state.h"
#include "usb.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A file to move or copy into the archive once its row is committed. */
struct pending {
    char *src, *kiosk, *receipt;
    bool copy; /* from a stick: copy, leave the original */
};

struct ingest {
    struct office *o;
    struct seal_secret key;
    struct office_ingest_stats *st;
    sqlite3_stmt *find, *insert;
    struct pending *pend;
    size_t n_pend, cap_pend;
    /* kiosk -> scope, from the heartbeats */
    char **scope_kiosk, **scope_val;
    size_t n_scope;
};

static void sha256_hex(const void *buf, size_t len, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, buf, len);
    sodium_bin2hex(out, 65, h, sizeof h);
}

/* Reads at most CAP bytes of PATH (a regular file, not a link). */
static int read_small(const char *path, size_t cap, unsigned char **ret, size_t *ret_len)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
    struct stat st;
    if (fd < 0)
        return -errno;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return -EINVAL;
    }
    if ((uint64_t)st.st_size > cap) {
        close(fd);
        return -EFBIG;
    }
    unsigned char *buf = xmalloc((size_t)st.st_size + 1);
    size_t n = 0;
    ssize_t k;
    while (n < (size_t)st.st_size && (k = read(fd, buf + n, (size_t)st.st_size - n)) > 0)
        n += (size_t)k;
    close(fd);
    if (n != (size_t)st.st_size) {
        free(buf);
        return -EIO;
    }
    *ret = buf;
    *ret_len = n;
    return 0;
}

/* Copies SRC to DST (0600) with fsync: written to DST.tmp first, then renamed. */
static int copy_file(const char *src, const char *dst)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    int r = read_small(src, OUTBOX_SEALED_MAX * 4ull, &buf, &len);
    if (r < 0)
        return r;
    r = fio_write_atomic(dst, buf, len, 0600, 0);
    free(buf);
    return r;
}

/* Moves SRC to DST: a rename, or across file systems a copy and an unlink. */
static int move_file(const char *src, const char *dst)
{
    if (rename(src, dst) == 0)
        return 0;
    if (errno != EXDEV)
        return -errno;
    int r = copy_file(src, dst);
    if (r == 0 && unlink(src) < 0)
        r = -errno;
    return r;
}

static int same_bytes(const char *a, const char *b)
{
    unsigned char *x = NULL, *y = NULL;
    size_t xl = 0, yl = 0;
    int same = read_small(a, OUTBOX_SEALED_MAX * 4ull, &x, &xl) == 0 &&
               read_small(b, OUTBOX_SEALED_MAX * 4ull, &y, &yl) == 0 && xl == yl && memcmp(x, y, xl) == 0;
    free(x);
    free(y);
    return same;
}

static void mkdir_in(const char *parent, const char *name)
{
    char *path = xasprintf("%s/%s", parent, name);
    mkdir(path, 0700);
    free(path);
}

/* Quarantines PATH (moved, or with COPY copied) with a one-line REASON. */
static void quarantine(struct ingest *in, const char *path, const char *kiosk, const char *name, bool copy,
                       const char *reason)
{
    char q[PATH_MAX], dst[PATH_MAX + 600], rp[PATH_MAX + 620];
    int r = 0;
    snprintf(q, sizeof q, "%s/quarantine", in->o->dir);
    mkdir(q, 0700);
    snprintf(dst, sizeof dst, "%s/%s-%s", q, kiosk, name);
    if (access(dst, F_OK) == 0 && same_bytes(dst, path)) {
        if (!copy)
            unlink(path);
    } else {
        for (int i = 1; access(dst, F_OK) == 0 && i < 1000; i++)
            snprintf(dst, sizeof dst, "%s/%s-%s.%d", q, kiosk, name, i);
        r = copy ? copy_file(path, dst) : move_file(path, dst);
        snprintf(rp, sizeof rp, "%s.reason", dst);
        FILE *f = fopen(rp, "we");
        if (f) {
            fprintf(f, "%s: %s\n", path, reason);
            fclose(f);
        }
    }
    if (r < 0)
        fprintf(stderr, "kiosk-office: ingest: %s: %s; could not be quarantined (%s), left where it is\n", path,
                reason, strerror(-r));
    else
        fprintf(stderr, "kiosk-office: ingest: %s: quarantined: %s\n", path, reason);
    in->st->quarantined++;
}

/* The scope of KIOSK: its heartbeat's, when it names one of the office's; else the
 * office's first scope. */
static const char *kiosk_scope(struct ingest *in, const char *kiosk)
{
    for (size_t i = 0; i < in->n_scope; i++)
        if (strcmp(in->scope_kiosk[i], kiosk) == 0)
            return in->scope_val[i];
    const char *scope = in->o->scopes[0];
    char *path = xasprintf("%s/status/%s.json", in->o->web_root, kiosk);
    json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, NULL);
    const char *s = json_string_value(json_object_get(j, "scope"));
    if (s && office_scope_index(in->o, s) >= 0)
        scope = in->o->scopes[office_scope_index(in->o, s)];
    json_decref(j);
    free(path);
    in->scope_kiosk = xrealloc(in->scope_kiosk, (in->n_scope + 1) * sizeof *in->scope_kiosk);
    in->scope_val = xrealloc(in->scope_val, (in->n_scope + 1) * sizeof *in->scope_val);
    in->scope_kiosk[in->n_scope] = xstrdup(kiosk);
    in->scope_val[in->n_scope] = (char *)scope;
    return in->scope_val[in->n_scope++];
}

static const char *kind_of(const char *k)
{
    if (!k)
        return NULL;
    if (strcmp(k, "request") == 0 || strcmp(k, "feedback") == 0 || strcmp(k, "rating") == 0 ||
        strcmp(k, "comment") == 0)
        return k;
    if (strcmp(k, "questionnaire") == 0 || strcmp(k, "survey") == 0)
        return "survey";
    return NULL;
}

/* A consultation's id as the content gives it: [a-z0-9-], 1..64 characters. */
static bool consultation_id(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 1 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}

enum { REG_NEW, REG_DUP, REG_BAD };

/* Opens and registers one sealed blob. REG_NEW, REG_DUP, or REG_BAD with WHY set;
 * a negative errno when office.db fails. */
static int register_blob(struct ingest *in, const char *kiosk, const char *receipt, const unsigned char *box,
                         size_t len, const char *via, char *why, size_t whylen)
{
    char sha[65], canon[RECEIPT_SIZE], submitted_on[11], now_s[32];
    unsigned char *plain = NULL;
    size_t plen = 0;
    json_t *j = NULL;
    int r = REG_BAD;

    if (len <= SEAL_OVERHEAD || len - SEAL_OVERHEAD > SEAL_PLAIN_MAX) {
        snprintf(why, whylen, "%zu bytes is not a sealed submission", len);
        return REG_BAD;
    }
    sha256_hex(box, len, sha);
    sqlite3_reset(in->find);
    sqlite3_bind_text(in->find, 1, receipt, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(in->find) == SQLITE_ROW) {
        int same = strcmp((const char *)sqlite3_column_text(in->find, 0), sha) == 0;
        sqlite3_reset(in->find);
        if (same)
            return REG_DUP;
        snprintf(why, whylen, "receipt %s is already registered with other bytes", receipt);
        return REG_BAD;
    }
    sqlite3_reset(in->find);
    plain = xmalloc(len);
    if (seal_open(&in->key, box, len, plain, &plen) < 0) {
        snprintf(why, whylen, "cannot be opened with the seal key (sealed to another key, or altered)");
        goto out;
    }
    j = json_loadb((const char *)plain, plen, JSON_REJECT_DUPLICATES, NULL);
    const char *rc = json_string_value(json_object_get(j, "receipt"));
    const char *kind = kind_of(json_string_value(json_object_get(j, "kind")));
    const char *created = json_string_value(json_object_get(j, "created_at"));
    const char *jk = json_string_value(json_object_get(j, "kiosk"));
    const char *form = json_string_value(json_object_get(j, "form"));
    json_t *fields = json_object_get(j, "fields"), *flags = json_object_get(j, "flags");
    int64_t t;
    if (!json_is_object(j)) {
        snprintf(why, whylen, "opened, but not a submission (not a JSON object)");
        goto out;
    }
    if (!rc || receipt_verify(rc, canon) < 0 || strcmp(canon, rc) != 0 || strcmp(rc, receipt) != 0) {
        snprintf(why, whylen, "receipt: the sealed submission is not receipt %s", receipt);
        goto out;
    }
    if (!kind) {
        snprintf(why, whylen, "kind: missing or not request, feedback, rating, questionnaire or comment");
        goto out;
    }
    if (!created || bundle_time_parse(created, &t) < 0) {
        snprintf(why, whylen, "created_at: missing or not a UTC time");
        goto out;
    }
    if (jk && strcmp(jk, kiosk) != 0) {
        snprintf(why, whylen, "kiosk: filed under %s but sealed by %s", kiosk, jk);
        goto out;
    }
    if (strncmp(receipt, kiosk, strlen(kiosk)) != 0 || receipt[strlen(kiosk)] != '-') {
        snprintf(why, whylen, "receipt: %s is not a receipt of kiosk %s", receipt, kiosk);
        goto out;
    }
    const char *applicant = "", *detail = "";
    if (strcmp(kind, "request") == 0)
        applicant = office_applicant_kind(json_string_value(json_object_get(fields, "applicant-type")));
    else if (strcmp(kind, "rating") == 0)
        detail = json_string_value(json_object_get(fields, "rating"));
    else if (strcmp(kind, "feedback") == 0)
        detail = json_string_value(json_object_get(fields, "feedback-kind"));
    else if (strcmp(kind, "comment") == 0) {
        /* a comment counts for its consultation (docs/content-format.md: an id) */
        detail = json_string_value(json_object_get(j, "consultation"));
        if (!consultation_id(detail)) {
            snprintf(why, whylen, "consultation: missing or not an id on a comment");
            goto out;
        }
    } else
        detail = form;
    if (!detail)
        detail = "";
    office_date_of((time_t)t, submitted_on);
    char due[11] = "";
    bool est = false;
    const char *scope = kiosk_scope(in, kiosk);
    if (strcmp(kind, "request") == 0 &&
        office_compute_due(in->o, scope, submitted_on, NULL, NULL, NULL, 0, due, &est) < 0)
        due[0] = '\0';
    bundle_time_format((int64_t)in->o->now, now_s);
    char *body = json_dumps(j, JSON_COMPACT);
    sqlite3_stmt *s = in->insert;
    sqlite3_reset(s);
    sqlite3_bind_text(s, 1, receipt, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, form ? form : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 4, kiosk, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 5, scope, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 6, applicant, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, detail, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 8, created, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 9, submitted_on, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 10, due, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 11, est);
    sqlite3_bind_int(s, 12, json_is_true(json_object_get(flags, "follow_up")));
    sqlite3_bind_text(s, 13, via, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 14, sha, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 15, now_s, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 16, body, -1, SQLITE_TRANSIENT);
    int rc2 = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    sodium_memzero(body, strlen(body));
    free(body);
    if (rc2 != SQLITE_DONE) {
        snprintf(in->o->err, sizeof in->o->err, "office.db: %s", sqlite3_errmsg(in->o->db));
        r = -EIO;
        goto out;
    }
    char what[120];
    snprintf(what, sizeof what, "registered %s from kiosk %s by %s", kind, kiosk, via);
    r = office_audit(in->o, receipt, what) < 0 ? -EIO : REG_NEW;
out:
    json_decref(j);
    if (plain) {
        sodium_memzero(plain, len);
        free(plain);
    }
    return r;
}

/* Archives the pending files of the committed batch. */
static void flush_pending(struct ingest *in)
{
    char dir[PATH_MAX], dst[PATH_MAX + 128];
    for (size_t i = 0; i < in->n_pend; i++) {
        struct pending *p = &in->pend[i];
        snprintf(dir, sizeof dir, "%s/archive", in->o->dir);
        mkdir_in(dir, p->kiosk);
        snprintf(dst, sizeof dst, "%s/%s/%s.sealed", dir, p->kiosk, p->receipt);
        int r = 0;
        if (access(dst, F_OK) == 0 && same_bytes(dst, p->src)) {
            if (!p->copy && unlink(p->src) < 0)
                r = -errno;
        } else
            r = p->copy ? copy_file(p->src, dst) : move_file(p->src, dst);
        if (r < 0)
            fprintf(stderr, "kiosk-office: ingest: %s: registered, but not archived: %s (the next run archives it)\n",
                    p->src, strerror(-r));
        free(p->src);
        free(p->kiosk);
        free(p->receipt);
    }
    if (in->n_pend) {
        snprintf(dir, sizeof dir, "%s/archive", in->o->dir);
        fio_fsync_dir(dir);
    }
    in->n_pend = 0;
}

static int commit_batch(struct ingest *in)
{
    if (office_commit(in->o) < 0)
        return -EIO;
    flush_pending(in);
    return office_begin(in->o);
}

/* One file PATH named NAME from KIOSK's folder. */
static int ingest_file(struct ingest *in, const char *path, const char *kiosk, const char *name, const char *via,
                       bool copy)
{
    char receipt[OUTBOX_RECEIPT_MAX] = "", why[400];
    size_t nl = strlen(name);
    unsigned char *buf = NULL;
    size_t len = 0;
    int r;

    if (nl <= 7 || nl - 7 >= sizeof receipt || strcmp(name + nl - 7, ".sealed") != 0) {
        quarantine(in, path, kiosk, name, copy, "not a sealed submission (the name is not RECEIPT.sealed)");
        return 0;
    }
    memcpy(receipt, name, nl - 7);
    receipt[nl - 7] = '\0';
    if (!usb_receipt_name_ok(receipt)) {
        quarantine(in, path, kiosk, name, copy, "the name is not a receipt number");
        return 0;
    }
    if ((r = read_small(path, OUTBOX_SEALED_MAX, &buf, &len)) < 0) {
        quarantine(in, path, kiosk, name, copy,
                   r == -EFBIG ? "larger than a sealed submission can be" : "cannot be read");
        return 0;
    }
    r = register_blob(in, kiosk, receipt, buf, len, via, why, sizeof why);
    free(buf);
    if (r < 0)
        return r;
    if (r == REG_BAD) {
        quarantine(in, path, kiosk, name, copy, why);
        return 0;
    }
    if (r == REG_NEW)
        in->st->registered++;
    else
        in->st->duplicates++;
    if (in->n_pend == in->cap_pend) {
        in->cap_pend = in->cap_pend ? 2 * in->cap_pend : 256;
        in->pend = xrealloc(in->pend, in->cap_pend * sizeof *in->pend);
    }
    in->pend[in->n_pend++] = (struct pending){xstrdup(path), xstrdup(kiosk), xstrdup(receipt), copy};
    if (in->n_pend >= OFFICE_INGEST_BATCH)
        return commit_batch(in);
    return 0;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in DIR (not starting with "."), sorted; at most MAX. */
static int list_dir(const char *dir, size_t max, char ***ret, size_t *ret_n)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0;
    if (!d)
        return -errno;
    while (n < max && (de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            names = xrealloc(names, cap * sizeof *names);
        }
        names[n++] = xstrdup(de->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, name_cmp);
    *ret = names;
    *ret_n = n;
    return 0;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static int is_dir(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Every file in FOLDER, a kiosk's folder; SKIP (may be NULL) names files not to read. */
static int ingest_folder(struct ingest *in, const char *folder, const char *kiosk, const char *via, bool copy,
                         char **bad, char **bad_why, size_t n_bad)
{
    char **names = NULL;
    size_t n = 0;
    int r = list_dir(folder, OFFICE_DIR_FILES_MAX, &names, &n);
    if (r < 0) {
        fprintf(stderr, "kiosk-office: ingest: %s: cannot list: %s\n", folder, strerror(-r));
        in->st->problems++;
        return 0;
    }
    for (size_t i = 0; r >= 0 && i < n; i++) {
        char *path = xasprintf("%s/%s", folder, names[i]);
        const char *why = NULL;
        for (size_t k = 0; k < n_bad; k++)
            if (strcmp(bad[k], names[i]) == 0)
                why = bad_why[k];
        if (copy && strcmp(names[i], "index.json") == 0)
            ; /* the stick's index, checked before */
        else if (why)
            quarantine(in, path, kiosk, names[i], copy, why);
        else if (is_dir(path))
            fprintf(stderr, "kiosk-office: ingest: %s: a folder, left alone\n", path);
        else
            r = ingest_file(in, path, kiosk, names[i], via, copy);
        free(path);
    }
    free_names(names, n);
    return r;
}

struct stick_ctx {
    const char *folder;
    long *problems;
    char **bad, **why;
    size_t n_bad;
    bool index_bad;
};

static void stick_problem(void *ctx, const char *line)
{
    struct stick_ctx *c = ctx;
    const char *colon = strstr(line, ": ");
    fprintf(stderr, "kiosk-office: ingest: %s/%s\n", c->folder, line);
    (*c->problems)++;
    if (!colon)
        return;
    char *name = xstrndup(line, (size_t)(colon - line));
    if (strcmp(name, "index.json") == 0) {
        c->index_bad = true;
        free(name);
        return;
    }
    c->bad = xrealloc(c->bad, (c->n_bad + 1) * sizeof *c->bad);
    c->why = xrealloc(c->why, (c->n_bad + 1) * sizeof *c->why);
    c->bad[c->n_bad] = name;
    c->why[c->n_bad++] = xasprintf("USB export: %s", colon + 2);
}

static int ingest_stick(struct ingest *in, const char *stick)
{
    char *top = xasprintf("%s/%s", stick, USB_EXPORT_DIR);
    char **kiosks = NULL;
    size_t nk = 0;
    int r = list_dir(top, OFFICE_KIOSK_DIRS_MAX, &kiosks, &nk);
    if (r < 0) {
        fprintf(stderr, "kiosk-office: ingest: %s: no export folder (%s)\n", top, strerror(-r));
        in->st->problems++;
        free(top);
        return 0;
    }
    r = 0;
    for (size_t i = 0; r >= 0 && i < nk; i++) {
        char *folder = xasprintf("%s/%s", top, kiosks[i]);
        if (is_dir(folder) && receipt_kiosk_valid(kiosks[i])) {
            struct stick_ctx c = {.folder = folder, .problems = &in->st->problems};
            struct usb_index ix = {0};
            usb_export_check(folder, &ix, stick_problem, &c);
            usb_index_release(&ix);
            if (c.index_bad)
                fprintf(stderr, "kiosk-office: ingest: %s: its index.json cannot vouch for the files; nothing read"
                                " from it (they come again by network or with the next export)\n",
                        folder);
            else
                r = ingest_folder(in, folder, kiosks[i], "usb", true, c.bad, c.why, c.n_bad);
            free_names(c.bad, c.n_bad);
            free_names(c.why, c.n_bad);
        }
        free(folder);
    }
    free_names(kiosks, nk);
    free(top);
    return r;
}

int office_ingest(struct office *o, char *const *sticks, int n_sticks, struct office_ingest_stats *ret)
{
    struct ingest in = {.o = o, .st = ret};
    char err[512], *inbox = NULL, **kiosks = NULL;
    size_t nk = 0;
    struct stat st;
    int r;

    memset(ret, 0, sizeof *ret);
    if (stat(o->seal_key, &st) == 0 && (st.st_mode & 077)) {
        snprintf(o->err, sizeof o->err, "%s: seal_key: group or others can read it; chmod 600 it", o->seal_key);
        return -EPERM;
    }
    if (seal_secret_load(o->seal_key, &in.key, err, sizeof err) < 0) {
        snprintf(o->err, sizeof o->err, "%s", err);
        return -EINVAL;
    }
    in.find = office_prepare(o, "SELECT sealed_sha256 FROM register WHERE receipt = ?");
    in.insert = office_prepare(o, "INSERT INTO register(receipt, kind, form, kiosk_id, scope, applicant_kind,"
                                  " detail, submitted_at, submitted_on, due, due_estimated, follow_up_wanted,"
                                  " via, sealed_sha256, ingested_at, updated_at, status, body)"
                                  " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?15,'received',?16)");
    if (!in.find || !in.insert || (r = office_begin(o)) < 0) {
        r = -EIO;
        goto out;
    }
    inbox = xasprintf("%s/inbox", o->web_root);
    r = list_dir(inbox, OFFICE_KIOSK_DIRS_MAX, &kiosks, &nk);
    if (r == -ENOENT)
        r = 0;
    else if (r < 0) {
        snprintf(o->err, sizeof o->err, "%s: cannot list: %s", inbox, strerror(-r));
        goto out;
    }
    for (size_t i = 0; r >= 0 && i < nk; i++) {
        char *folder = xasprintf("%s/%s", inbox, kiosks[i]);
        if (!is_dir(folder) || !receipt_kiosk_valid(kiosks[i])) {
            fprintf(stderr, "kiosk-office: ingest: %s: not a kiosk's folder, left alone\n", folder);
            ret->problems++;
        } else
            r = ingest_folder(&in, folder, kiosks[i], "network", false, NULL, NULL, 0);
        free(folder);
    }
    for (int i = 0; r >= 0 && i < n_sticks; i++)
        r = ingest_stick(&in, sticks[i]);
    if (r >= 0 && (r = office_commit(o)) == 0)
        flush_pending(&in);
out:
    if (r < 0)
        office_rollback(o);
    for (size_t i = 0; i < in.n_pend; i++) {
        free(in.pend[i].src);
        free(in.pend[i].kiosk);
        free(in.pend[i].receipt);
    }
    free(in.pend);
    for (size_t i = 0; i < in.n_scope; i++)
        free(in.scope_kiosk[i]);
    free(in.scope_kiosk);
    free(in.scope_val);
    free_names(kiosks, nk);
    free(inbox);
    sqlite3_finalize(in.find);
    sqlite3_finalize(in.insert);
    seal_secret_wipe(&in.key);
    return r < 0 ? r : 0;
}
