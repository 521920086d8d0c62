/* usb.c - see usb.h for the import and export steps; sync/README.md for the formats.
 *
 * Everything read from a stick is treated as hostile: names are read through file
 * descriptors opened without following symbolic links, only regular files are read,
 * every count and size is capped (USB_* in usb.h), and the bytes that get installed
 * are the private copy's, never the stick's. */
#include "usb.h"
#include "base/fileio.h"
#include "base/util.h"
#include "core/content_schema.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MESSAGES_MAX (64 * 1024)
#define COPY_BLOCK (1024 * 1024)

/* ---- small helpers ------------------------------------------------------------- */

static void sha256_hex(const void *buf, size_t len, char out[65])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, buf, len);
    sodium_bin2hex(out, 65, d, sizeof d);
}


static int pread_full(int fd, void *buf, size_t len, off_t off, size_t *ret_got)
{
    size_t n = 0;
    while (n < len) {
        ssize_t r = pread(fd, (char *)buf + n, len - n, off + (off_t)n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -errno;
        if (r == 0)
            break;
        n += (size_t)r;
    }
    *ret_got = n;
    return 0;
}

/* DIR/NAME <- DATA, whole or not at all, via DIR/.NAME.tmp (a killed export's leftover
 * is recognised by its dot and .tmp). The caller fsyncs DIR once after its renames. */
static int write_atomic(const char *dir, const char *name, const void *data, size_t len)
{
    char *path = xasprintf("%s/%s", dir, name);
    int r = fio_write_atomic(path, data, len, 0644, FIO_HIDDEN_TMP | FIO_NO_DIR_SYNC);
    free(path);
    return r;
}

int usb_receipt_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= OUTBOX_RECEIPT_MAX || s[0] == '-')
        return 0;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') || *s == '-'))
            return 0;
    return 1;
}

static int has_suffix(const char *s, const char *suffix, int nocase)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && (nocase ? strcasecmp(s + n - k, suffix) : strcmp(s + n - k, suffix)) == 0;
}

/* ---- words ----------------------------------------------------------------------- */

struct usb_messages {
    char *text;
    struct msg_row {
        const char *key, *t[2];
    } *rows;
    size_t n;
};

int usb_messages_load(const char *path, usb_messages **ret, char *err, size_t errlen)
{
    usb_messages *m = xcalloc(1, sizeof *m);
    size_t len = 0, cap = 0;
    int r = fio_read_capped(path, MESSAGES_MAX, FIO_NOFOLLOW, &m->text, &len), lineno = 0;

    if (r < 0) {
        snprintf(err, errlen, "%s: %s", path, r == -EFBIG ? "larger than 64 KiB" : strerror(-r));
        goto fail;
    }
    for (char *line = m->text, *next; *line; line = next) {
        next = line + strcspn(line, "\n");
        if (*next)
            *next++ = '\0';
        lineno++;
        if (*line == '\0' || *line == '#')
            continue;
        char *zh = strchr(line, '\t'), *en = zh ? strchr(zh + 1, '\t') : NULL;
        if (!zh || !en || strchr(en + 1, '\t') || zh == line || en == zh + 1 || !en[1]) {
            snprintf(err, errlen, "%s:%d: want KEY<TAB>zh<TAB>en", path, lineno);
            r = -EINVAL;
            goto fail;
        }
        *zh++ = '\0';
        *en++ = '\0';
        if (usb_messages_get(m, line, USB_ZH)) {
            snprintf(err, errlen, "%s:%d: %s: listed twice", path, lineno, line);
            r = -EINVAL;
            goto fail;
        }
        if (m->n == cap) {
            cap = cap ? cap * 2 : 64;
            m->rows = xrealloc(m->rows, cap * sizeof *m->rows);
        }
        m->rows[m->n++] = (struct msg_row){line, {zh, en}};
    }
    *ret = m;
    return 0;
fail:
    usb_messages_free(m);
    return r;
}

void usb_messages_free(usb_messages *m)
{
    if (!m)
        return;
    free(m->rows);
    free(m->text);
    free(m);
}

const char *usb_messages_get(const usb_messages *m, const char *key, enum usb_lang lang)
{
    if (!m || (unsigned)lang > USB_EN)
        return NULL;
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->rows[i].key, key) == 0)
            return m->rows[i].t[lang];
    return NULL;
}

size_t usb_messages_count(const usb_messages *m)
{
    return m ? m->n : 0;
}

const char *usb_messages_key_at(const usb_messages *m, size_t i)
{
    return m && i < m->n ? m->rows[i].key : NULL;
}

char *usb_render(const char *tmpl, const char *const *vars)
{
    strbuf sb = {0};
    strbuf_adds(&sb, "");
    for (const char *p = tmpl; *p;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        const char *value = NULL;
        if (close && close - p - 1 > 0 && close - p - 1 < 32)
            for (size_t i = 0; vars && vars[i] && vars[i + 1]; i += 2)
                if (strlen(vars[i]) == (size_t)(close - p - 1) && !strncmp(vars[i], p + 1, (size_t)(close - p - 1))) {
                    value = vars[i + 1];
                    break;
                }
        if (value) {
            strbuf_adds(&sb, value);
            p = close + 1;
        } else {
            strbuf_addc(&sb, *p++);
        }
    }
    return strbuf_detach(&sb);
}

/* ---- import ---------------------------------------------------------------------- */

const char *usb_result_name(enum usb_result r)
{
    static const char *const names[] = {"pending", "installed", "refused", "skipped"};
    return (unsigned)r < ARRAY_SIZE(names) ? names[r] : "?";
}

static void file_var(struct usb_file *f, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void file_var(struct usb_file *f, const char *name, const char *fmt, ...)
{
    va_list ap;
    if (f->n_vars == USB_VARS_MAX)
        return;
    snprintf(f->var_name[f->n_vars], sizeof f->var_name[0], "%s", name);
    va_start(ap, fmt);
    vsnprintf(f->var_value[f->n_vars], sizeof f->var_value[0], fmt, ap);
    va_end(ap);
    f->n_vars++;
}

static void file_result(struct usb_file *f, enum usb_result result, const char *reason,
                        const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void file_result(struct usb_file *f, enum usb_result result, const char *reason,
                        const char *fmt, ...)
{
    va_list ap;
    f->result = result;
    snprintf(f->reason, sizeof f->reason, "%s", reason);
    va_start(ap, fmt);
    vsnprintf(f->detail, sizeof f->detail, fmt, ap);
    va_end(ap);
}

static void file_refused(struct usb_file *f, const struct bundle_error *err)
{
    file_result(f, USB_REFUSED, bundle_reason_name(err->reason), "%s: %s", err->field, err->cause);
}

/* What the import knows of a file whose head passed: kept for the copy step. */
struct candidate {
    size_t file;             /* index into the report's files */
    unsigned char *head;     /* the head as read and checked */
    size_t head_len;
    uint64_t payload_len;
    uint64_t version;
};

struct import {
    const struct usb_import_opts *o;
    struct usb_import_report *rep;
    int root;                /* the stick's directory */
    struct candidate *cands;
    size_t n_cands;
};

static void progress(usb_progress_fn fn, void *ctx, enum usb_event ev, const char *name,
                     const char *path, size_t done, size_t total)
{
    if (fn) {
        struct usb_progress p = {.ev = ev, .name = name, .path = path, .done = done, .total = total};
        fn(ctx, &p);
    }
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(((const struct usb_file *)a)->name, ((const struct usb_file *)b)->name);
}

/* 1 when NAME can be shown to staff as it is: valid UTF-8, no control characters. */
static int name_printable(const char *name)
{
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return 0;
    json_t *j = json_string(name); /* NULL for invalid UTF-8 */
    json_decref(j);
    return j != NULL;
}

static void found(struct usb_import_report *rep, const char *sub, const char *name)
{
    if (!name_printable(name))
        return; /* not a name anyone gave a bundle; it could not be shown either */
    rep->n_found++;
    if (rep->n_files == USB_FOUND_MAX)
        return;
    struct usb_file *f = &rep->files[rep->n_files];
    if ((sub ? strlen(sub) + 1 : 0) + strlen(name) >= sizeof f->name) {
        rep->n_found--; /* a FAT name is at most 255 bytes: this is not a stick's */
        return;
    }
    memset(f, 0, sizeof *f);
    snprintf(f->name, sizeof f->name, "%s%s%s", sub ? sub : "", sub ? "/" : "", name);
    rep->n_files++;
}

static int is_dir_at(int dirfd, const struct dirent *e)
{
    struct stat st;
    if (e->d_type == DT_DIR)
        return 1;
    if (e->d_type != DT_UNKNOWN)
        return 0;
    return fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

/* Lists the *.kbundle files at the top of the stick and one folder down. */
static int list_bundles(struct import *im)
{
    int fd = dup(im->root);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    char (*subs)[256] = xcalloc(USB_SUBDIRS_MAX, sizeof *subs);
    size_t n_subs = 0, seen = 0;
    struct dirent *e;

    if (!d) {
        int r = -errno;
        if (fd >= 0)
            close(fd);
        free(subs);
        return r;
    }
    while (seen++ < USB_SCAN_MAX && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue; /* ".", "..", and what other systems hide there (._x, .Trashes) */
        if (has_suffix(e->d_name, ".kbundle", 1))
            found(im->rep, NULL, e->d_name);
        else if (n_subs < USB_SUBDIRS_MAX && strlen(e->d_name) < sizeof subs[0] &&
                 strcmp(e->d_name, USB_EXPORT_DIR) != 0 && is_dir_at(im->root, e))
            snprintf(subs[n_subs++], sizeof subs[0], "%s", e->d_name);
    }
    closedir(d);
    for (size_t i = 0; i < n_subs; i++) {
        int sfd = openat(im->root, subs[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        DIR *sd = sfd >= 0 ? fdopendir(sfd) : NULL;
        if (!sd) {
            if (sfd >= 0)
                close(sfd);
            continue; /* a folder that cannot be read holds nothing for us */
        }
        seen = 0;
        while (seen++ < USB_SCAN_MAX && (e = readdir(sd)))
            if (e->d_name[0] != '.' && has_suffix(e->d_name, ".kbundle", 1))
                found(im->rep, subs[i], e->d_name);
        closedir(sd);
    }
    free(subs);
    qsort(im->rep->files, im->rep->n_files, sizeof *im->rep->files, name_cmp);
    return 0;
}

/* Opens NAME ("file" or "folder/file") on the stick, following no symbolic link. */
static int open_on_stick(int root, const char *name)
{
    const char *slash = strchr(name, '/');
    if (!slash)
        return openat(root, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    char *sub = xstrndup(name, (size_t)(slash - name));
    int dfd = openat(root, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    free(sub);
    if (dfd < 0)
        return -1;
    int fd = openat(dfd, slash + 1, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    int e = errno;
    close(dfd);
    errno = e;
    return fd;
}

/* Opens F for reading: a regular file, its size in *st. -1 with F's result set. */
static int open_file(struct import *im, struct usb_file *f, struct stat *st)
{
    int fd = open_on_stick(im->root, f->name);
    if (fd < 0) {
        if (errno == ELOOP || errno == ENOTDIR || errno == ENXIO || errno == EISDIR)
            file_result(f, USB_SKIPPED, "not-a-file", "file: not a regular file (%s)", strerror(errno));
        else
            file_result(f, USB_REFUSED, "io", "file: cannot open: %s", strerror(errno));
        return -1;
    }
    if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
        file_result(f, USB_SKIPPED, "not-a-file", "file: not a regular file");
        close(fd);
        return -1;
    }
    return fd;
}

/* The words of a refusal by install_check. */
static void check_vars(struct import *im, struct usb_file *f, const struct bundle_manifest *m,
                       const struct bundle_error *err)
{
    const struct install_opts *io = &im->o->install;
    char t[32];
    switch (err->reason) {
    case BUNDLE_FOREIGN_SCOPE:
        file_var(f, "scope", "%s", m->scope);
        break;
    case BUNDLE_SCHEMA:
        file_var(f, "schema", "%d", m->schema_version);
        break;
    case BUNDLE_KIOSK_TOO_OLD:
        file_var(f, "needs", "%s", m->min_kiosk_version);
        break;
    case BUNDLE_NOT_NEWER: {
        uint64_t current = 0, newest = 0;
        install_versions(io->content_db, &current, &newest);
        file_var(f, "installed", "%" PRIu64, MAX(current, newest));
        if (m->content_version == MAX(current, newest))
            snprintf(f->message_key, sizeof f->message_key, "reason.not-newer.same");
        break;
    }
    case BUNDLE_CLOCK:
        bundle_time_format(io->now ? io->now : (int64_t)time(NULL), t);
        t[10] = ' ';
        t[16] = '\0'; /* "YYYY-MM-DD HH:MM" */
        file_var(f, "now", "%s UTC", t);
        break;
    case BUNDLE_EXPIRED:
        bundle_time_format(m->expires_at, t);
        t[10] = '\0';
        file_var(f, "expires", "%s", t);
        break;
    default:
        break;
    }
}

/* Step 1 for F: read its head into memory and check it as the network path does. */
static void check_head(struct import *im, size_t i)
{
    struct usb_file *f = &im->rep->files[i];
    const struct install_opts *io = &im->o->install;
    unsigned char header[BUNDLE_HEADER_SIZE], *head = NULL;
    struct bundle_manifest m;
    struct bundle_error err = {0};
    struct stat st;
    size_t hl = 0, got = 0;
    uint64_t plen = 0;
    int fd = open_file(im, f, &st), r;

    if (fd < 0)
        return;
    if ((r = pread_full(fd, header, sizeof header, 0, &got)) < 0) {
        file_result(f, USB_REFUSED, "io", "header: cannot read: %s", strerror(-r));
        goto out;
    }
    if (got < sizeof header) {
        file_result(f, USB_REFUSED, "truncated", "header: %zu bytes, shorter than the %d-byte header",
                    got, BUNDLE_HEADER_SIZE);
        goto out;
    }
    if (bundle_head_len(header, sizeof header, &hl, &err) < 0) {
        file_refused(f, &err);
        goto out;
    }
    head = xmalloc(hl);
    if ((r = pread_full(fd, head, hl, 0, &got)) < 0) {
        file_result(f, USB_REFUSED, "io", "manifest: cannot read: %s", strerror(-r));
        goto out;
    }
    if (got < hl) {
        file_result(f, USB_REFUSED, "truncated", "manifest: the file ends after %zu of the %zu bytes of"
                    " header, manifest and signature", got, hl);
        goto out;
    }
    if (bundle_head_parse(head, hl, io->keys, io->max_payload, &m, &plen, &err) < 0) {
        file_refused(f, &err);
        goto out;
    }
    f->version = m.content_version;
    file_var(f, "version", "%" PRIu64, m.content_version);
    if ((uint64_t)st.st_size < hl + plen) {
        file_result(f, USB_REFUSED, "truncated", "payload: the file ends after %" PRIu64 " of %" PRIu64
                    " payload bytes", (uint64_t)st.st_size - hl, plen);
        goto out;
    }
    if ((uint64_t)st.st_size > hl + plen) {
        file_result(f, USB_REFUSED, "trailing-data", "payload: %" PRIu64 " bytes after the payload",
                    (uint64_t)st.st_size - hl - plen);
        goto out;
    }
    if (install_check(&m, io, &err) < 0) {
        file_refused(f, &err);
        check_vars(im, f, &m, &err);
        goto out;
    }
    im->cands[im->n_cands++] = (struct candidate){.file = i, .head = head, .head_len = hl,
                                                  .payload_len = plen, .version = m.content_version};
    head = NULL;
out:
    free(head);
    close(fd);
}

static int cand_cmp(const void *a, const void *b)
{
    const struct candidate *x = a, *y = b;
    if (x->version != y->version)
        return x->version > y->version ? -1 : 1;
    return x->file < y->file ? -1 : x->file > y->file;
}

/* Step 2 for candidate C: copy the file whole into COPY and compare the copy's head
 * with the head checked in step 1. 0, or -1 with the file's result set. */
static int copy_candidate(struct import *im, const struct candidate *c, const char *copy)
{
    struct usb_file *f = &im->rep->files[c->file];
    uint64_t total = c->head_len + c->payload_len, n = 0;
    unsigned char *buf = NULL;
    struct stat st;
    size_t got;
    int in = open_file(im, f, &st), out = -1, r = -1;

    if (in < 0)
        return -1;
    if ((uint64_t)st.st_size != total) {
        file_result(f, USB_REFUSED, "changed", "file: %jd bytes now, %" PRIu64 " when it was checked",
                    (intmax_t)st.st_size, total);
        goto out;
    }
    out = open(copy, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (out < 0) {
        int e = errno;
        file_result(f, USB_REFUSED, e == ENOSPC || e == EDQUOT ? "no-space" : "io",
                    "copy: %s: cannot create: %s", copy, strerror(e));
        im->rep->local_failure = 1;
        goto out;
    }
    buf = xmalloc(COPY_BLOCK);
    for (;;) {
        ssize_t k = read(in, buf, COPY_BLOCK);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            file_result(f, USB_REFUSED, "io", "file: cannot read: %s", strerror(errno));
            goto out;
        }
        if (k == 0)
            break;
        if (n + (uint64_t)k > total) {
            file_result(f, USB_REFUSED, "changed", "file: grew past %" PRIu64 " bytes while being copied", total);
            goto out;
        }
        int w = fio_write_all(out, buf, (size_t)k);
        if (w < 0) {
            file_result(f, USB_REFUSED, w == -ENOSPC || w == -EDQUOT || w == -EFBIG ? "no-space" : "io",
                        "copy: %s: cannot write: %s", copy, strerror(-w));
            im->rep->local_failure = 1;
            goto out;
        }
        n += (uint64_t)k;
    }
    if (n != total) {
        file_result(f, USB_REFUSED, "changed", "file: shrank to %" PRIu64 " of %" PRIu64 " bytes while being copied",
                    n, total);
        goto out;
    }
    /* the head installed must be the head checked, byte for byte */
    if (pread_full(out, buf, c->head_len, 0, &got) < 0 || got != c->head_len ||
        memcmp(buf, c->head, c->head_len) != 0) {
        file_result(f, USB_REFUSED, "changed", "head: the copy's head differs from the head checked");
        goto out;
    }
    r = 0;
out:
    free(buf);
    close(in);
    if (out >= 0)
        close(out);
    return r;
}

/* Removes copies a killed import left in WORK_DIR (the caller holds the USB lock). */
static void clean_copies(const char *work_dir)
{
    DIR *d = opendir(work_dir);
    struct dirent *e;
    if (!d)
        return;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, "usb-import-", 11) != 0 || !has_suffix(e->d_name, ".kbundle", 0))
            continue;
        char *p = xasprintf("%s/%s", work_dir, e->d_name);
        unlink(p);
        free(p);
    }
    closedir(d);
}

int usb_import(const struct usb_import_opts *o, struct usb_import_report *ret)
{
    struct usb_import_report *rep = ret;
    struct import im = {.o = o, .rep = rep, .root = -1};
    char *copy = NULL;
    int r;

    memset(rep, 0, sizeof *rep);
    rep->installed = -1;
    install_versions(o->install.content_db, &rep->previous, NULL);
    rep->version = rep->previous;
    im.root = open(o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (im.root < 0) {
        r = -errno;
        snprintf(rep->error, sizeof rep->error, "%s: %s", o->dir, strerror(errno));
        return r;
    }
    rep->files = xcalloc(USB_FOUND_MAX, sizeof *rep->files);
    if ((r = list_bundles(&im)) < 0) {
        snprintf(rep->error, sizeof rep->error, "%s: cannot list: %s", o->dir, strerror(-r));
        goto out;
    }
    progress(o->progress, o->ctx, USB_EV_LISTED, NULL, NULL, 0, rep->n_files);

    /* 1: heads */
    im.cands = xcalloc(USB_FILES_MAX, sizeof *im.cands);
    for (size_t i = 0; i < rep->n_files; i++) {
        struct usb_file *f = &rep->files[i];
        if (i >= USB_FILES_MAX) {
            file_result(f, USB_SKIPPED, "too-many-files", "file: only the first %d bundle files are read",
                        USB_FILES_MAX);
            continue;
        }
        progress(o->progress, o->ctx, USB_EV_CHECKING, f->name, NULL, i, MIN(rep->n_files, (size_t)USB_FILES_MAX));
        check_head(&im, i);
    }

    /* 2: copies, newest first, until one installs */
    qsort(im.cands, im.n_cands, sizeof *im.cands, cand_cmp);
    if (im.n_cands) {
        if (mkdir(o->work_dir, 0700) < 0 && errno != EEXIST) {
            for (size_t k = 0; k < im.n_cands; k++)
                file_result(&rep->files[im.cands[k].file], USB_REFUSED, "io", "copy: work_dir %s: %s",
                            o->work_dir, strerror(errno));
            rep->local_failure = 1;
            goto out;
        }
        clean_copies(o->work_dir);
        copy = xasprintf("%s/usb-import-%ld.kbundle", o->work_dir, (long)getpid());
    }
    for (size_t k = 0; k < im.n_cands; k++) {
        const struct candidate *c = &im.cands[k];
        struct usb_file *f = &rep->files[c->file];
        struct install_result res;
        struct bundle_error err = {0};

        if (rep->installed >= 0) {
            const struct usb_file *w = &rep->files[rep->installed];
            file_result(f, USB_SKIPPED, "superseded", "file: %s (version %" PRIu64 ") was installed",
                        w->name, w->version);
            file_var(f, "winner", "%s", w->name);
            file_var(f, "winner_version", "%" PRIu64, w->version);
            continue;
        }
        progress(o->progress, o->ctx, USB_EV_COPYING, f->name, NULL, k, im.n_cands);
        unlink(copy);
        if (copy_candidate(&im, c, copy) < 0) {
            unlink(copy);
            continue;
        }
        progress(o->progress, o->ctx, USB_EV_INSTALLING, f->name, copy, k, im.n_cands);
        r = install_bundle(copy, &o->install, &res, &err);
        unlink(copy);
        if (r < 0) {
            file_refused(f, &err);
            if (err.reason == BUNDLE_NO_SPACE || err.reason == BUNDLE_IO)
                rep->local_failure = 1;
            continue;
        }
        file_result(f, USB_INSTALLED, "ok", "installed content version %" PRIu64 " (was %" PRIu64 "), signed by %s",
                    res.installed, res.previous, res.key_id);
        file_var(f, "previous", "%" PRIu64, res.previous);
        rep->installed = (int)c->file;
        rep->previous = res.previous;
        rep->version = res.installed;
    }
    r = 0;
out:
    if (im.cands)
        for (size_t k = 0; k < im.n_cands; k++)
            free(im.cands[k].head);
    free(im.cands);
    free(copy);
    close(im.root);
    return r;
}

void usb_import_report_release(struct usb_import_report *r)
{
    if (!r)
        return;
    free(r->files);
    r->files = NULL;
    r->n_files = 0;
}

char *usb_file_message(const usb_messages *m, const struct usb_file *f, enum usb_lang lang,
                       const char *const *globals)
{
    char key[64], rkey[32];
    const char *vars[2 * USB_VARS_MAX + 2 * 16 + 1];
    size_t n = 0;

    if (f->message_key[0])
        snprintf(key, sizeof key, "%s", f->message_key);
    else
        snprintf(key, sizeof key, "reason.%s", f->reason);
    snprintf(rkey, sizeof rkey, "result.%s", usb_result_name(f->result));
    const char *rt = usb_messages_get(m, key, lang), *res = usb_messages_get(m, rkey, lang);
    if (!rt || !res)
        return xasprintf("%s: %s", usb_result_name(f->result), f->detail[0] ? f->detail : f->reason);
    for (int i = 0; i < f->n_vars; i++) {
        vars[n++] = f->var_name[i];
        vars[n++] = f->var_value[i];
    }
    for (size_t i = 0; globals && globals[i] && globals[i + 1] && n + 2 < ARRAY_SIZE(vars); i += 2) {
        vars[n++] = globals[i];
        vars[n++] = globals[i + 1];
    }
    vars[n] = NULL;
    char *reason = usb_render(rt, vars);
    const char *outer[] = {"reason", reason, NULL};
    char *msg = usb_render(res, outer);
    free(reason);
    return msg;
}

/* ---- index.json ------------------------------------------------------------------ */

static const char index_hash_key[] = "\"index_sha256\": \"";

char *usb_index_format(const struct usb_index *ix, size_t *ret_len)
{
    strbuf sb = {0};
    char hash[65];
    strbuf_addf(&sb, "{\"format\": 1, \"kind\": \"hallkiosk-export\", \"kiosk_id\": \"%s\", \"count\": %zu,"
                     " \"files\": [\n", ix->kiosk_id, ix->n);
    for (size_t i = 0; i < ix->n; i++) {
        const struct usb_index_entry *e = &ix->e[i];
        json_t *j = json_pack("{s:s, s:s, s:I, s:s, s:s}", "receipt", e->receipt, "sha256", e->sha256,
                              "size", (json_int_t)e->size, "kind", e->kind, "created_at", e->created_at);
        char *line = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        expect(line);
        strbuf_addf(&sb, "%s%s\n", line, i + 1 < ix->n ? "," : "");
        free(line);
        json_decref(j);
    }
    strbuf_adds(&sb, "],\n");
    sha256_hex(sb.buf, sb.len, hash);
    strbuf_addf(&sb, "%s%s\"}\n", index_hash_key, hash);
    *ret_len = sb.len;
    return strbuf_detach(&sb);
}

void usb_index_release(struct usb_index *ix)
{
    if (!ix)
        return;
    free(ix->e);
    ix->e = NULL;
    ix->n = 0;
}

static int is_hex64(const char *s)
{
    if (strlen(s) != 64)
        return 0;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return 0;
    return 1;
}

/* A plain string field of at most MAX-1 printable ASCII bytes. */
static const char *str_field(json_t *o, const char *key, size_t max)
{
    const char *s = json_string_value(json_object_get(o, key));
    if (!s || !*s || strlen(s) >= max)
        return NULL;
    for (const char *p = s; *p; p++)
        if (*p < 0x20 || *p > 0x7e)
            return NULL;
    return s;
}

/* one line: jansson's message quotes the input, control bytes included */
#define index_fail(...) (snprintf(err, errlen, __VA_ARGS__), util_one_line(err), r = -EBADMSG)

enum { INDEX_STRING_MAX = 128, INDEX_MEMBERS = 5 };

/* The shape of TEXT, without parsing it: a JSON parser spends about 80 bytes of memory
 * per byte of "{},", so what no index made by usb_index_format can have is refused
 * here (usb.h). 0, or -EBADMSG with ERR saying why. */
static int index_shape(const char *text, size_t len, char *err, size_t errlen)
{
    size_t objects = 0, lists = 0, colons = 0, commas = 0, slen = 0;
    int depth = 0, in_str = 0, esc = 0, r = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_str) {
            if (esc)
                esc = 0;
            else if (c == '\\')
                esc = 1;
            else if (c == '"')
                in_str = 0;
            if (in_str && ++slen > INDEX_STRING_MAX)
                return index_fail("a string of more than %d bytes at byte %zu", INDEX_STRING_MAX, i);
            continue;
        }
        switch (c) {
        case '"': in_str = 1; slen = 0; break;
        case '{': objects++; depth++; break;
        case '[': lists++; depth++; break;
        case '}': case ']': depth--; break;
        case ':': colons++; break;
        case ',': commas++; break;
        default: break;
        }
        if (depth > 3 || depth < 0)
            return index_fail("nested deeper than an index is, at byte %zu", i);
        if (objects > USB_EXPORT_MAX + 1)
            return index_fail("more objects than an index of %d entries has", USB_EXPORT_MAX);
        if (lists > 1)
            return index_fail("more than one list, at byte %zu", i);
        if (colons > 6 + (size_t)INDEX_MEMBERS * USB_EXPORT_MAX || commas > 6 + (size_t)INDEX_MEMBERS * USB_EXPORT_MAX)
            return index_fail("more members than an index of %d entries has", USB_EXPORT_MAX);
    }
    return r;
}

int usb_index_parse(const char *text, size_t len, struct usb_index *ret, char *err, size_t errlen)
{
    struct usb_index ix = {0};
    json_t *j = NULL, *files;
    json_error_t je;
    char hash[65];
    size_t body, i;
    int r = 0;

    /* the last line: "index_sha256": "<hex>"} and the hash of every byte before it */
    if (len > USB_INDEX_MAX) {
        index_fail("%zu bytes, more than an index of %d entries has (%zu)", len, USB_EXPORT_MAX,
                   (size_t)USB_INDEX_MAX);
        goto out;
    }
    if (len < 2 || text[len - 1] != '\n' || memchr(text, '\0', len)) {
        index_fail("not an export index (empty, binary, or no final newline)");
        goto out;
    }
    for (body = len - 1; body > 0 && text[body - 1] != '\n'; body--)
        ;
    size_t kl = sizeof index_hash_key - 1;
    if (len - body != kl + 64 + 3 || memcmp(text + body, index_hash_key, kl) != 0 ||
        memcmp(text + len - 3, "\"}\n", 3) != 0) {
        index_fail("the last line is not \"index_sha256\": \"<64 hex digits>\"}");
        goto out;
    }
    sha256_hex(text, body, hash);
    if (memcmp(text + body + kl, hash, 64) != 0) {
        index_fail("index_sha256 does not match the index: it was changed or damaged");
        goto out;
    }
    if (index_shape(text, len, err, errlen) < 0) {
        r = -EBADMSG;
        goto out;
    }
    if (!(j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je)) || !json_is_object(j)) {
        index_fail("not JSON: line %d: %s", je.line, je.text);
        goto out;
    }
    const char *kind = json_string_value(json_object_get(j, "kind"));
    const char *kiosk = str_field(j, "kiosk_id", sizeof ix.kiosk_id);
    const char *ih = json_string_value(json_object_get(j, "index_sha256"));
    files = json_object_get(j, "files");
    if (json_integer_value(json_object_get(j, "format")) != 1 || !json_is_integer(json_object_get(j, "format")) ||
        !kind || strcmp(kind, "hallkiosk-export") != 0) {
        index_fail("not a format-1 hallkiosk-export index");
        goto out;
    }
    if (!kiosk || !usb_receipt_name_ok(kiosk)) {
        index_fail("kiosk_id: missing or malformed");
        goto out;
    }
    if (!ih || strncmp(ih, hash, 64) != 0 || strlen(ih) != 64) {
        index_fail("index_sha256: the field disagrees with the last line");
        goto out;
    }
    if (!json_is_array(files) || json_array_size(files) > USB_EXPORT_MAX ||
        !json_is_integer(json_object_get(j, "count")) ||
        json_integer_value(json_object_get(j, "count")) != (json_int_t)json_array_size(files)) {
        index_fail("files: not a list of at most %d, or count disagrees with it", USB_EXPORT_MAX);
        goto out;
    }
    snprintf(ix.kiosk_id, sizeof ix.kiosk_id, "%s", kiosk);
    ix.e = xcalloc(json_array_size(files) + 1, sizeof *ix.e);
    json_t *v;
    json_array_foreach(files, i, v) {
        struct usb_index_entry *e = &ix.e[i];
        const char *rc = str_field(v, "receipt", sizeof e->receipt), *sha = str_field(v, "sha256", 65);
        const char *k = str_field(v, "kind", sizeof e->kind), *at = str_field(v, "created_at", sizeof e->created_at);
        json_t *size = json_object_get(v, "size");
        if (!json_is_object(v) || !rc || !usb_receipt_name_ok(rc) || !sha || !is_hex64(sha) || !k || !at ||
            !json_is_integer(size) || json_integer_value(size) <= 0 ||
            json_integer_value(size) > OUTBOX_SEALED_MAX) {
            index_fail("files[%zu]: want receipt, sha256, size (1..%d), kind, created_at", i, OUTBOX_SEALED_MAX);
            goto out;
        }
        if (i > 0 && strcmp(ix.e[i - 1].receipt, rc) >= 0) {
            index_fail("files[%zu]: %s: listed twice or out of order", i, rc);
            goto out;
        }
        snprintf(e->receipt, sizeof e->receipt, "%s", rc);
        snprintf(e->sha256, sizeof e->sha256, "%s", sha);
        e->size = (uint64_t)json_integer_value(size);
        snprintf(e->kind, sizeof e->kind, "%s", k);
        snprintf(e->created_at, sizeof e->created_at, "%s", at);
        ix.n++;
    }
    *ret = ix;
    ix.e = NULL;
out:
    json_decref(j);
    usb_index_release(&ix);
    return r;
}

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const struct usb_index_entry *)a)->receipt, ((const struct usb_index_entry *)b)->receipt);
}

static const struct usb_index_entry *index_find(const struct usb_index *ix, const char *receipt)
{
    struct usb_index_entry key;
    if (!ix->n)
        return NULL;
    snprintf(key.receipt, sizeof key.receipt, "%s", receipt);
    return bsearch(&key, ix->e, ix->n, sizeof *ix->e, entry_cmp);
}

/* The receipt of a .sealed file name, or 0 when the name is not one of ours. */
static int sealed_receipt(const char *name, char receipt[OUTBOX_RECEIPT_MAX])
{
    size_t n = strlen(name);
    if (name[0] == '.' || !has_suffix(name, ".sealed", 0) || n - 7 >= OUTBOX_RECEIPT_MAX)
        return 0;
    memcpy(receipt, name, n - 7);
    receipt[n - 7] = '\0';
    return 1;
}

/* ---- export ---------------------------------------------------------------------- */

static const char *write_reason(int r)
{
    switch (-r) {
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
        return "no-space";
    case EROFS:
    case EACCES:
    case EPERM:
        return "read-only";
    default:
        return "io";
    }
}

static int export_fail(struct usb_export_report *rep, int r, const char *reason, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int export_fail(struct usb_export_report *rep, int r, const char *reason, const char *fmt, ...)
{
    va_list ap;
    snprintf(rep->reason, sizeof rep->reason, "%s", reason);
    va_start(ap, fmt);
    vsnprintf(rep->detail, sizeof rep->detail, fmt, ap);
    va_end(ap);
    return r;
}

struct export_list {
    struct usb_index_entry *e;
    size_t n, cap;
    struct outbox_entry *pending;   /* the not-uploaded submissions with a sealed blob */
    size_t n_pending, cap_pending;
};

static int collect_pending(void *ctx, const struct outbox_entry *e)
{
    struct export_list *l = ctx;
    if (!e->has_sealed || l->n_pending == USB_EXPORT_MAX)
        return 0;
    if (l->n_pending == l->cap_pending) {
        l->cap_pending = l->cap_pending ? l->cap_pending * 2 : 64;
        l->pending = xrealloc(l->pending, l->cap_pending * sizeof *l->pending);
    }
    l->pending[l->n_pending++] = *e;
    return 0;
}

static struct usb_index_entry *list_add(struct export_list *l, const char *receipt, const char *sha,
                                        size_t size, const char *kind, const char *created_at)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->e = xrealloc(l->e, l->cap * sizeof *l->e);
    }
    struct usb_index_entry *e = &l->e[l->n++];
    memset(e, 0, sizeof *e);
    snprintf(e->receipt, sizeof e->receipt, "%s", receipt);
    snprintf(e->sha256, sizeof e->sha256, "%s", sha);
    e->size = size;
    snprintf(e->kind, sizeof e->kind, "%s", kind);
    snprintf(e->created_at, sizeof e->created_at, "%s", created_at);
    return e;
}

/* 1 when FOLDER/NAME holds exactly DATA. */
static int same_file(const char *folder, const char *name, const void *data, size_t len)
{
    char *path = xasprintf("%s/%s", folder, name), *have = NULL;
    size_t hl = 0;
    int same = fio_read_capped(path, OUTBOX_SEALED_MAX, FIO_NOFOLLOW, &have, &hl) == 0 && hl == len &&
               memcmp(have, data, len) == 0;
    free(have);
    free(path);
    return same;
}

/* Puts the sealed blob of RECEIPT into FOLDER unless it is there byte for byte. 1 when
 * written, 0 when it was there, negative on failure (rep says why). */
static int put_sealed(struct usb_export_report *rep, const char *folder, state *st,
                      const struct outbox_entry *e, struct export_list *l)
{
    void *data = NULL;
    size_t len = 0;
    char sha[65], *name = xasprintf("%s.sealed", e->receipt);
    int r = state_outbox_sealed(st, e->receipt, &data, &len);

    if (r < 0) {
        r = export_fail(rep, r, "local", "%s: cannot read the sealed submission: %s", e->receipt, strerror(-r));
        goto out;
    }
    sha256_hex(data, len, sha);
    list_add(l, e->receipt, sha, len, e->kind, e->created_at);
    if (same_file(folder, name, data, len)) {
        r = 0;
        goto out;
    }
    if ((r = write_atomic(folder, name, data, len)) < 0) {
        r = export_fail(rep, r, write_reason(r), "%s/%s: cannot write: %s", rep->folder, name, strerror(-r));
        goto out;
    }
    r = 1;
out:
    free(data);
    free(name);
    return r;
}

static int mkdir_synced(const char *path, const char *parent)
{
    if (mkdir(path, 0755) == 0)
        return fio_fsync_dir(parent);
    if (errno != EEXIST)
        return -errno;
    struct stat st;
    if (lstat(path, &st) < 0)
        return -errno;
    return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

int usb_export(const struct usb_export_opts *o, struct usb_export_report *ret)
{
    struct usb_export_report *rep = ret;
    struct export_list l = {0};
    struct usb_index prev = {0}, ix = {0};
    state *st = NULL;
    char err[256], now[32], *top = NULL, *folder = NULL, *text = NULL, *old = NULL;
    size_t len = 0, old_len = 0;
    DIR *d = NULL;
    int r;

    memset(rep, 0, sizeof *rep);
    snprintf(rep->reason, sizeof rep->reason, "ok");
    if (!usb_receipt_name_ok(o->kiosk_id) || strlen(o->kiosk_id) >= sizeof ix.kiosk_id)
        return export_fail(rep, -EINVAL, "local", "kiosk_id \"%.20s\" cannot name a folder", o->kiosk_id);
    snprintf(rep->folder, sizeof rep->folder, "%s/%s", USB_EXPORT_DIR, o->kiosk_id);
    bundle_time_format(o->now ? o->now : (int64_t)time(NULL), now);

    if (access(o->state_db, F_OK) == 0) {
        if ((r = state_open(o->state_db, &st, err, sizeof err)) < 0) {
            r = export_fail(rep, r, "local", "%s", err);
            goto out;
        }
        if ((r = state_outbox_each(st, OUTBOX_NOT_UPLOADED, collect_pending, &l)) < 0) {
            r = export_fail(rep, r, "local", "%s: cannot list the outbox: %s", o->state_db, strerror(-r));
            goto out;
        }
    }
    top = xasprintf("%s/%s", o->dir, USB_EXPORT_DIR);
    folder = xasprintf("%s/%s", top, o->kiosk_id);
    if (l.n_pending == 0 && access(folder, F_OK) != 0) {
        rep->nothing = 1;
        r = 0;
        goto out;
    }
    if ((r = mkdir_synced(top, o->dir)) < 0 || (r = mkdir_synced(folder, top)) < 0) {
        r = export_fail(rep, r, write_reason(r), "%s: cannot create: %s", rep->folder, strerror(-r));
        goto out;
    }

    /* what an earlier export listed; a damaged index is replaced, not trusted */
    char *ipath = xasprintf("%s/index.json", folder);
    r = fio_read_capped(ipath, USB_INDEX_MAX, FIO_NOFOLLOW, &old, &old_len);
    free(ipath);
    if (r == 0 && usb_index_parse(old, old_len, &prev, err, sizeof err) < 0)
        rep->index_rebuilt = 1;
    else if (r < 0 && r != -ENOENT)
        rep->index_rebuilt = 1;

    progress(o->progress, o->ctx, USB_EV_LISTED, NULL, NULL, 0, l.n_pending);
    for (size_t i = 0; i < l.n_pending; i++) {
        progress(o->progress, o->ctx, USB_EV_WRITING, l.pending[i].receipt, NULL, i, l.n_pending);
        if (!usb_receipt_name_ok(l.pending[i].receipt)) {
            r = export_fail(rep, -EINVAL, "local", "receipt \"%.40s\" cannot name a file", l.pending[i].receipt);
            goto out;
        }
        if ((r = put_sealed(rep, folder, st, &l.pending[i], &l)) < 0)
            goto out;
        if (r)
            rep->exported++;
        else
            rep->already++;
    }
    qsort(l.e, l.n, sizeof *l.e, entry_cmp);
    size_t n_new = l.n;

    /* the folder's other files: earlier exports (kept and listed when the kiosk or the
     * earlier index vouches for their bytes), our own leftovers, strangers */
    if (!(d = opendir(folder))) {
        r = export_fail(rep, -errno, "io", "%s: cannot list: %s", rep->folder, strerror(errno));
        goto out;
    }
    struct dirent *de;
    size_t seen = 0;
    while (seen++ < USB_EXPORT_MAX + USB_SCAN_MAX && (de = readdir(d))) {
        char receipt[OUTBOX_RECEIPT_MAX];
        struct outbox_entry oe;
        const struct usb_index_entry *pe;
        void *data = NULL;
        size_t dlen = 0;
        if (de->d_name[0] == '.' && has_suffix(de->d_name, ".tmp", 0)) {
            char *p = xasprintf("%s/%s", folder, de->d_name);
            unlink(p); /* a killed export's temp file */
            free(p);
            continue;
        }
        if (!sealed_receipt(de->d_name, receipt))
            continue;
        struct usb_index_entry key;
        snprintf(key.receipt, sizeof key.receipt, "%s", receipt);
        if (n_new && bsearch(&key, l.e, n_new, sizeof *l.e, entry_cmp))
            continue;
        if (usb_receipt_name_ok(receipt) && st && state_outbox_get(st, receipt, &oe) == 0 &&
            state_outbox_sealed(st, receipt, &data, &dlen) == 0) {
            char sha[65];
            sha256_hex(data, dlen, sha);
            list_add(&l, receipt, sha, dlen, oe.kind, oe.created_at);
            if (same_file(folder, de->d_name, data, dlen)) {
                rep->kept++;
            } else if ((r = write_atomic(folder, de->d_name, data, dlen)) < 0) {
                free(data);
                r = export_fail(rep, r, write_reason(r), "%s/%s: cannot write: %s", rep->folder, de->d_name,
                                strerror(-r));
                goto out;
            } else {
                rep->exported++; /* repaired */
            }
            free(data);
            continue;
        }
        char *p = xasprintf("%s/%s", folder, de->d_name), *have = NULL, sha[65];
        size_t hl = 0;
        int vouched = 0;
        if (usb_receipt_name_ok(receipt) && (pe = index_find(&prev, receipt)) &&
            fio_read_capped(p, OUTBOX_SEALED_MAX, FIO_NOFOLLOW, &have, &hl) == 0) {
            sha256_hex(have, hl, sha);
            if (hl == pe->size && strcmp(sha, pe->sha256) == 0) {
                list_add(&l, receipt, sha, hl, pe->kind, pe->created_at);
                rep->kept++;
                vouched = 1;
            }
        }
        free(have);
        free(p);
        if (!vouched && rep->n_unlisted < USB_UNLISTED_MAX)
            snprintf(rep->unlisted[rep->n_unlisted++], sizeof rep->unlisted[0], "%.120s", de->d_name);
    }
    closedir(d);
    d = NULL;
    if ((r = fio_fsync_dir(folder)) < 0) {
        r = export_fail(rep, r, write_reason(r), "%s: cannot sync: %s", rep->folder, strerror(-r));
        goto out;
    }

    /* the index, only when it changes: a second export leaves it byte for byte */
    qsort(l.e, l.n, sizeof *l.e, entry_cmp);
    snprintf(ix.kiosk_id, sizeof ix.kiosk_id, "%s", o->kiosk_id);
    ix.e = l.e;
    ix.n = l.n;
    rep->listed = (int)l.n;
    text = usb_index_format(&ix, &len);
    ix.e = NULL;
    if (!old || old_len != len || memcmp(old, text, len) != 0) {
        progress(o->progress, o->ctx, USB_EV_INDEX, NULL, NULL, l.n_pending, l.n_pending);
        if ((r = write_atomic(folder, "index.json", text, len)) < 0 || (r = fio_fsync_dir(folder)) < 0) {
            r = export_fail(rep, r, write_reason(r), "%s/index.json: cannot write: %s", rep->folder, strerror(-r));
            goto out;
        }
    }

    /* only now, with every file and the index on the stick, are they marked */
    for (size_t i = 0; i < l.n_pending; i++) {
        if (l.pending[i].exported_at[0])
            continue;
        if ((r = state_outbox_mark_exported(st, l.pending[i].receipt, now)) < 0) {
            r = export_fail(rep, r, "local", "%s: written, but cannot be marked exported: %s",
                            l.pending[i].receipt, strerror(-r));
            goto out;
        }
        rep->marked++;
    }
    r = 0;
out:
    if (d)
        closedir(d);
    state_close(st);
    usb_index_release(&prev);
    free(l.e);
    free(l.pending);
    free(top);
    free(folder);
    free(text);
    free(old);
    return r;
}

/* ---- the office's check ------------------------------------------------------------ */

static int problem(void (*fn)(void *, const char *), void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int problem(void (*fn)(void *, const char *), void *ctx, const char *fmt, ...)
{
    char line[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (fn)
        fn(ctx, line);
    return 1;
}

int usb_export_check(const char *folder, struct usb_index *ret,
                     void (*fn)(void *ctx, const char *line), void *ctx)
{
    struct usb_index ix = {0};
    char *path = xasprintf("%s/index.json", folder), *text = NULL, err[320];
    size_t len = 0;
    int n = 0, r = fio_read_capped(path, USB_INDEX_MAX, FIO_NOFOLLOW, &text, &len);
    DIR *d = NULL;

    if (r < 0) {
        n += problem(fn, ctx, "index.json: %s", r == -ENOENT ? "missing" : r == -EFBIG ? "too large"
                                                  : strerror(-r));
        goto out;
    }
    if (usb_index_parse(text, len, &ix, err, sizeof err) < 0) {
        n += problem(fn, ctx, "index.json: altered or damaged: %s", err);
        goto out;
    }
    for (size_t i = 0; i < ix.n; i++) {
        const struct usb_index_entry *e = &ix.e[i];
        char *p = xasprintf("%s/%s.sealed", folder, e->receipt), *data = NULL, sha[65];
        size_t dl = 0;
        struct stat st;
        if (lstat(p, &st) < 0)
            n += problem(fn, ctx, "%s.sealed: missing (listed in index.json)", e->receipt);
        else if (!S_ISREG(st.st_mode))
            n += problem(fn, ctx, "%s.sealed: not a regular file", e->receipt);
        else if ((uint64_t)st.st_size != e->size)
            n += problem(fn, ctx, "%s.sealed: altered: %jd bytes, index.json says %" PRIu64, e->receipt,
                         (intmax_t)st.st_size, e->size);
        else if ((r = fio_read_capped(p, OUTBOX_SEALED_MAX, FIO_NOFOLLOW, &data, &dl)) < 0)
            n += problem(fn, ctx, "%s.sealed: cannot read: %s", e->receipt, strerror(-r));
        else if (sha256_hex(data, dl, sha), strcmp(sha, e->sha256) != 0)
            n += problem(fn, ctx, "%s.sealed: altered: its SHA-256 is not the one in index.json", e->receipt);
        free(data);
        free(p);
    }
    if (!(d = opendir(folder))) {
        n += problem(fn, ctx, "%s: cannot list: %s", folder, strerror(errno));
        goto out;
    }
    struct dirent *de;
    size_t seen = 0;
    while (seen++ < USB_EXPORT_MAX + USB_SCAN_MAX && (de = readdir(d))) {
        char receipt[OUTBOX_RECEIPT_MAX];
        size_t nl = strlen(de->d_name);
        if (de->d_name[0] == '.' || nl <= 7 || strcmp(de->d_name + nl - 7, ".sealed") != 0)
            continue;
        if (!sealed_receipt(de->d_name, receipt) || !index_find(&ix, receipt))
            n += problem(fn, ctx, "%s: not listed in index.json", de->d_name);
    }
out:
    if (d)
        closedir(d);
    if (ret) {
        *ret = ix;
        ix.e = NULL;
    }
    usb_index_release(&ix);
    free(text);
    free(path);
    return n;
}
