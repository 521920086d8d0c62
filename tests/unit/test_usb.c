/* test_usb.c - USB sticks (sync/usb.h): the newest valid bundle on a stick installs and
 * every other file gets its result and reason; the bytes installed are the private
 * copy's, even when the file on the stick is swapped at the worst moment; an export
 * writes every pending submission once, a second one changes nothing, and the office's
 * check finds a missing, an altered and an unlisted file; the words exist in both
 * languages for every reason, with glyphs in the shipped fonts.
 *
 * A plain folder stands for the stick here (tests/sync/usb_stick.sh mounts real file
 * systems). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL_ttf.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "bundle_fixture.h"
#include "core/receipt.h"
#include "usb.h"

#define MESSAGES "sync/usb-messages.tsv"
#define FONT_REGULAR "fonts/NotoSansSC-Regular-subset.otf"
#define FONT_BOLD "fonts/NotoSansSC-Bold-subset.otf"

static struct usb_import_opts io;
static char content_db[512], stick[512], work[512];

/* A kiosk at content version 5 (installed, so the history says 5), an empty stick. */
static int kiosk_reset(void **s)
{
    (void)s;
    char cmd[1800];
    snprintf(cmd, sizeof cmd, "rm -rf '%s/k' '%s/stick' && mkdir '%s/k' '%s/stick'", fx_dir, fx_dir, fx_dir, fx_dir);
    if (system(cmd) != 0)
        return -1;
    snprintf(content_db, sizeof content_db, "%s/k/content.db", fx_dir);
    snprintf(stick, sizeof stick, "%s/stick", fx_dir);
    snprintf(work, sizeof work, "%s/k/sync", fx_dir);
    io = (struct usb_import_opts){.dir = stick, .work_dir = work};
    io.install = (struct install_opts){.content_db = content_db, .keys = &fx_ring, .scope = "hall-1",
                                       .max_payload = BUNDLE_PAYLOAD_MAX_DEFAULT, .clock_tolerance = 86400,
                                       .kiosk_version = "0.1.0"};
    fx_make_db(fx_path("src.db"), CONTENT_SCHEMA_VERSION, 0, 40);
    if (fx_pack(fx_path("src.db"), fx_path("v5.kbundle"), 5, "hall-1", time(NULL), 30, &fx_key, 1) < 0)
        return -1;
    struct bundle_error err;
    struct install_result res;
    return install_bundle(fx_path("v5.kbundle"), &io.install, &res, &err);
}

/* Packs content version V for SCOPE (ROWS rows, so versions differ in their bytes) to
 * the stick's NAME. */
static void put(const char *name, uint64_t v, const char *scope)
{
    char out[1100];
    snprintf(out, sizeof out, "%s/%s", stick, name);
    fx_make_db(fx_path("src.db"), CONTENT_SCHEMA_VERSION, 0, 20 + (int)v);
    assert_int_equal(fx_pack(fx_path("src.db"), out, v, scope, time(NULL), 30, &fx_key, 1), 0);
}

/* Flips one bit of the stick's NAME at byte AT (negative: from the end). */
static void flip(const char *name, long at)
{
    char path[1100];
    size_t n;
    snprintf(path, sizeof path, "%s/%s", stick, name);
    unsigned char *buf = fx_read(path, &n);
    buf[at < 0 ? (long)n + at : at] ^= 0x10;
    fx_write(path, buf, n);
    free(buf);
}

static const struct usb_file *file_named(const struct usb_import_report *rep, const char *name)
{
    for (size_t i = 0; i < rep->n_files; i++)
        if (strcmp(rep->files[i].name, name) == 0)
            return &rep->files[i];
    fail_msg("%s is not in the report", name);
    return NULL;
}

static void assert_result(const struct usb_import_report *rep, const char *name, enum usb_result result,
                          const char *reason)
{
    const struct usb_file *f = file_named(rep, name);
    if (f->result != result || strcmp(f->reason, reason) != 0)
        fail_msg("%s: %s [%s], want %s [%s] (%s)", name, usb_result_name(f->result), f->reason,
                 usb_result_name(result), reason, f->detail);
}

/* No private copy is left in work_dir. */
static void assert_no_copies(void)
{
    DIR *d = opendir(work);
    struct dirent *e;
    if (!d)
        return;
    while ((e = readdir(d)))
        if (strstr(e->d_name, ".kbundle"))
            fail_msg("left behind in work_dir: %s", e->d_name);
    closedir(d);
}

static void test_the_newest_valid_bundle_installs_and_every_file_gets_its_line(void **s)
{
    (void)s;
    struct usb_import_report rep;
    char path[1100];
    put("new.kbundle", 7, "hall-1");
    put("v6.kbundle", 6, "hall-1");
    mkdir(fx_path("stick/updates"), 0755);
    put("updates/old-bundle.kbundle", 3, "hall-1");
    put("updates/same.kbundle", 5, "hall-1");
    put("tampered.kbundle", 8, "hall-1");
    flip("tampered.kbundle", -1);       /* the payload: its hash no longer matches */
    put("forged.kbundle", 9, "hall-1");
    flip("forged.kbundle", 60);         /* the manifest: its signature no longer matches */
    put("other-hall.kbundle", 10, "hall-2");
    put("UPPER.KBUNDLE", 4, "hall-1");
    fx_write(fx_path("stick/notes.txt"), "hello", 5);
    fx_write(fx_path("stick/garbage.kbundle"), "not a bundle at all, just some text, long enough", 48);
    fx_write(fx_path("stick/._new.kbundle"), "macOS metadata", 14);
    fx_write(fx_path("stick/bell\a.kbundle"), "control character", 17);
    fx_write(fx_path("stick/latin1-\xe9.kbundle"), "not UTF-8", 9);
    mkdir(fx_path("stick/dir.kbundle"), 0755);
    mkdir(fx_path("stick/a"), 0755);
    mkdir(fx_path("stick/a/b"), 0755);
    put("a/b/too-deep.kbundle", 11, "hall-1");
    snprintf(path, sizeof path, "%s/new.kbundle", stick);
    assert_int_equal(symlink(path, fx_path("stick/link.kbundle")), 0);

    assert_int_equal(usb_import(&io, &rep), 0);
    assert_true(rep.installed >= 0);
    assert_string_equal(rep.files[rep.installed].name, "new.kbundle");
    assert_int_equal(rep.previous, 5);
    assert_int_equal(rep.version, 7);
    assert_int_equal(fx_db_version(content_db), 7);
    assert_result(&rep, "new.kbundle", USB_INSTALLED, "ok");
    assert_result(&rep, "v6.kbundle", USB_SKIPPED, "superseded");
    assert_result(&rep, "updates/old-bundle.kbundle", USB_REFUSED, "not-newer");
    assert_result(&rep, "updates/same.kbundle", USB_REFUSED, "not-newer");
    assert_result(&rep, "tampered.kbundle", USB_REFUSED, "bad-hash");
    assert_result(&rep, "forged.kbundle", USB_REFUSED, "bad-signature");
    assert_result(&rep, "other-hall.kbundle", USB_REFUSED, "foreign-scope");
    assert_result(&rep, "UPPER.KBUNDLE", USB_REFUSED, "not-newer");
    assert_result(&rep, "garbage.kbundle", USB_REFUSED, "bad-magic");
    assert_result(&rep, "dir.kbundle", USB_SKIPPED, "not-a-file");
    assert_result(&rep, "link.kbundle", USB_SKIPPED, "not-a-file");
    /* hidden files, names that cannot be shown, files two folders down: not looked at */
    assert_int_equal(rep.n_files, 11);
    assert_int_equal(rep.n_found, 11);
    assert_no_copies();

    /* the words: a staff member's line for each, in both languages */
    usb_messages *m = NULL;
    char err[300];
    assert_int_equal(usb_messages_load(MESSAGES, &m, err, sizeof err), 0);
    const char *globals[] = {"kiosk_scope", "hall-1", "this_version", "0.1.0", NULL};
    char *en = usb_file_message(m, file_named(&rep, "updates/old-bundle.kbundle"), USB_EN, globals);
    assert_string_equal(en, "not installed: older than the content already installed (version 3, installed 5)");
    free(en);
    en = usb_file_message(m, file_named(&rep, "updates/same.kbundle"), USB_EN, globals);
    assert_string_equal(en, "not installed: this content is already installed (version 5)");
    free(en);
    en = usb_file_message(m, file_named(&rep, "other-hall.kbundle"), USB_EN, globals);
    assert_string_equal(en, "not installed: it was made for another hall (hall-2); this kiosk is hall-1");
    free(en);
    en = usb_file_message(m, file_named(&rep, "v6.kbundle"), USB_EN, globals);
    assert_string_equal(en, "skipped: new.kbundle on this stick is newer (version 7) and was installed instead");
    free(en);
    en = usb_file_message(m, file_named(&rep, "new.kbundle"), USB_EN, globals);
    assert_string_equal(en, "installed: content version 7 is now in use (it was version 5)");
    free(en);
    for (size_t i = 0; i < rep.n_files; i++) {
        char *zh = usb_file_message(m, &rep.files[i], USB_ZH, globals);
        if (!strstr(zh, "\xE5\xAE\x89\xE8\xA3\x85") && !strstr(zh, "\xE5\xA4\x84\xE7\x90\x86")) /* 安装, 处理 */
            fail_msg("%s: zh message \"%s\"", rep.files[i].name, zh);
        if (strchr(zh, '{'))
            fail_msg("%s: a word not filled in: \"%s\"", rep.files[i].name, zh);
        free(zh);
    }
    /* without the words, the technical line stands in */
    en = usb_file_message(NULL, file_named(&rep, "updates/old-bundle.kbundle"), USB_EN, globals);
    assert_non_null(strstr(en, "refused: manifest.content_version: version 3"));
    free(en);
    usb_messages_free(m);
    usb_import_report_release(&rep);
}

/* What the swap hooks do: at EVENT, replace the stick's NAME with REPLACEMENT. */
struct swap {
    enum usb_event ev;
    const char *name, *replacement;
    int done;
};

static void swap_on(void *ctx, const struct usb_progress *p)
{
    struct swap *sw = ctx;
    char from[1100], to[1100];
    if (p->ev != sw->ev || !p->name || strcmp(p->name, sw->name) != 0)
        return;
    snprintf(from, sizeof from, "%s/%s", stick, sw->replacement);
    snprintf(to, sizeof to, "%s/%s", stick, sw->name);
    assert_int_equal(rename(from, to), 0);
    if (p->ev == USB_EV_INSTALLING)
        assert_non_null(p->path); /* the private copy, which is what gets installed */
    sw->done = 1;
}

static void test_a_file_swapped_after_it_was_copied_cannot_get_installed(void **s)
{
    (void)s;
    struct usb_import_report rep;
    put("update.kbundle", 7, "hall-1");
    /* the evil twin: a bundle the kiosk would install too (valid, newer) - the point is
     * that whatever is on the stick now, the copy is what gets installed */
    mkdir(fx_path("stick/.spare"), 0755);
    put(".spare/v9.kbundle", 9, "hall-1");
    struct swap sw = {.ev = USB_EV_INSTALLING, .name = "update.kbundle", .replacement = ".spare/v9.kbundle"};
    io.progress = swap_on;
    io.ctx = &sw;
    assert_int_equal(usb_import(&io, &rep), 0);
    io.progress = NULL;
    assert_true(sw.done);
    assert_result(&rep, "update.kbundle", USB_INSTALLED, "ok");
    assert_int_equal(rep.version, 7);
    assert_int_equal(fx_db_version(content_db), 7); /* the copy's, not the stick's 9 */
    assert_no_copies();
    usb_import_report_release(&rep);
}

static void test_a_file_swapped_between_its_check_and_its_copy_is_refused(void **s)
{
    (void)s;
    struct usb_import_report rep;
    put("update.kbundle", 7, "hall-1");
    mkdir(fx_path("stick/.spare"), 0755);
    put(".spare/v9.kbundle", 9, "hall-1");
    struct swap sw = {.ev = USB_EV_COPYING, .name = "update.kbundle", .replacement = ".spare/v9.kbundle"};
    io.progress = swap_on;
    io.ctx = &sw;
    assert_int_equal(usb_import(&io, &rep), 0);
    io.progress = NULL;
    assert_true(sw.done);
    /* the copy is not what was checked: nothing installed, the stick must be read again */
    assert_result(&rep, "update.kbundle", USB_REFUSED, "changed");
    assert_int_equal(rep.installed, -1);
    assert_int_equal(fx_db_version(content_db), 5);
    assert_no_copies();
    usb_import_report_release(&rep);

    /* the same head with a damaged payload swapped in: the copy's payload fails */
    put("update.kbundle", 7, "hall-1");
    put(".spare/v7-bad.kbundle", 7, "hall-1");
    flip(".spare/v7-bad.kbundle", -1);
    struct swap sw2 = {.ev = USB_EV_COPYING, .name = "update.kbundle", .replacement = ".spare/v7-bad.kbundle"};
    io.progress = swap_on;
    io.ctx = &sw2;
    assert_int_equal(usb_import(&io, &rep), 0);
    io.progress = NULL;
    assert_true(sw2.done);
    assert_int_equal(rep.installed, -1);
    assert_int_equal(fx_db_version(content_db), 5);
    const struct usb_file *f = file_named(&rep, "update.kbundle");
    assert_true(!strcmp(f->reason, "changed") || !strcmp(f->reason, "bad-hash"));
    usb_import_report_release(&rep);
}

static void test_only_the_first_64_files_are_looked_at(void **s)
{
    (void)s;
    struct usb_import_report rep;
    for (int i = 0; i < USB_FILES_MAX + 6; i++) {
        char name[64];
        snprintf(name, sizeof name, "stick/b%03d.kbundle", i);
        fx_write(fx_path(name), "junk", 4);
    }
    assert_int_equal(usb_import(&io, &rep), 0);
    assert_int_equal(rep.n_files, USB_FILES_MAX + 6);
    for (size_t i = 0; i < rep.n_files; i++) {
        const char *want = i < USB_FILES_MAX ? "truncated" : "too-many-files";
        if (strcmp(rep.files[i].reason, want) != 0)
            fail_msg("%s: %s, want %s", rep.files[i].name, rep.files[i].reason, want);
    }
    usb_import_report_release(&rep);
}

static void test_an_empty_stick_or_a_missing_folder(void **s)
{
    (void)s;
    struct usb_import_report rep;
    assert_int_equal(usb_import(&io, &rep), 0);
    assert_int_equal(rep.n_found, 0);
    assert_int_equal(rep.installed, -1);
    usb_import_report_release(&rep);
    io.dir = fx_path("no-such-stick");
    assert_int_equal(usb_import(&io, &rep), -ENOENT);
    assert_non_null(strstr(rep.error, "no-such-stick"));
    usb_import_report_release(&rep);
}

/* ---- export -------------------------------------------------------------------- */

static int receipt_cb(void *ctx, const char *day, int seq, char *ret)
{
    (void)ctx;
    return receipt_format("K0001", day, seq, ret);
}

/* Files N submissions; their "sealed" bytes are just distinct bytes here. */
static void file_submissions(const char *state_db, int n)
{
    state *st;
    char err[256];
    assert_int_equal(state_open(state_db, &st, err, sizeof err), 0);
    for (int i = 0; i < n; i++) {
        struct outbox_entry e;
        unsigned char blob[100];
        memset(&e, 0, sizeof e);
        snprintf(e.kind, sizeof e.kind, i % 2 ? "feedback" : "request");
        snprintf(e.created_at, sizeof e.created_at, "2026-11-28T09:%02d:00Z", i % 60);
        randombytes_buf(blob, sizeof blob);
        assert_int_equal(state_outbox_add(st, &e, "20261128", receipt_cb, NULL, blob, sizeof blob), 0);
    }
    state_close(st);
}

struct lines {
    char text[16][600];
    int n;
};

static void collect_line(void *ctx, const char *line)
{
    struct lines *l = ctx;
    if (l->n < 16)
        snprintf(l->text[l->n++], sizeof l->text[0], "%s", line);
}

static char *folder_path(const char *name)
{
    static char buf[1200];
    snprintf(buf, sizeof buf, "%s/hallkiosk-export/K0001%s%s", stick, name ? "/" : "", name ? name : "");
    return buf;
}

static void test_export_writes_each_submission_once_and_a_second_export_changes_nothing(void **s)
{
    (void)s;
    struct usb_export_report rep;
    struct usb_export_opts eo = {.dir = stick, .state_db = fx_path("k/state.db"), .kiosk_id = "K0001"};
    struct usb_index ix;
    struct lines lines = {0};
    struct stat st1, st2;
    size_t n1, n2;

    /* nothing filed, no folder: nothing is written */
    assert_int_equal(usb_export(&eo, &rep), 0);
    assert_true(rep.nothing);
    assert_int_equal(access(fx_path("stick/hallkiosk-export"), F_OK), -1);

    file_submissions(eo.state_db, 5);
    assert_int_equal(usb_export(&eo, &rep), 0);
    assert_string_equal(rep.reason, "ok");
    assert_int_equal(rep.exported, 5);
    assert_int_equal(rep.already, 0);
    assert_int_equal(rep.listed, 5);
    assert_int_equal(rep.marked, 5);
    assert_int_equal(usb_export_check(folder_path(NULL), &ix, collect_line, &lines), 0);
    assert_int_equal(ix.n, 5);
    assert_string_equal(ix.kiosk_id, "K0001");
    usb_index_release(&ix);

    /* the second export: nothing new, the index byte for byte and untouched */
    unsigned char *before = fx_read(folder_path("index.json"), &n1);
    assert_int_equal(stat(folder_path("index.json"), &st1), 0);
    assert_int_equal(usb_export(&eo, &rep), 0);
    assert_int_equal(rep.exported, 0);
    assert_int_equal(rep.already, 5);
    assert_int_equal(rep.marked, 0);
    unsigned char *after = fx_read(folder_path("index.json"), &n2);
    assert_int_equal(stat(folder_path("index.json"), &st2), 0);
    assert_int_equal(n1, n2);
    assert_memory_equal(before, after, n1);
    assert_int_equal(st1.st_ino, st2.st_ino);
    free(before);
    free(after);

    /* one went by network meanwhile: it stays on the stick and in the index */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(eo.state_db, &db), SQLITE_OK);
    fx_exec(db, "UPDATE outbox SET uploaded_at = '2026-11-28T10:00:00Z' WHERE id = 1");
    sqlite3_close(db);
    assert_int_equal(usb_export(&eo, &rep), 0);
    assert_int_equal(rep.exported, 0);
    assert_int_equal(rep.already, 4);
    assert_int_equal(rep.kept, 1);
    assert_int_equal(rep.listed, 5);
    after = fx_read(folder_path("index.json"), &n2);
    assert_int_equal(n1, n2);
    free(after);

    /* a new one is added; the rest stay */
    file_submissions(eo.state_db, 1);
    assert_int_equal(usb_export(&eo, &rep), 0);
    assert_int_equal(rep.exported, 1);
    assert_int_equal(rep.listed, 6);
    assert_int_equal(usb_export_check(folder_path(NULL), NULL, collect_line, &lines), 0);
}

static void test_the_office_check_finds_missing_altered_and_unlisted_files(void **s)
{
    (void)s;
    struct usb_export_report rep;
    struct usb_export_opts eo = {.dir = stick, .state_db = fx_path("k/state.db"), .kiosk_id = "K0001"};
    struct usb_index ix;
    struct lines lines = {0};
    file_submissions(eo.state_db, 4);
    assert_int_equal(usb_export(&eo, &rep), 0);
    assert_int_equal(usb_export_check(folder_path(NULL), &ix, collect_line, &lines), 0);
    char gone[64], changed[64];
    snprintf(gone, sizeof gone, "%s.sealed", ix.e[0].receipt);
    snprintf(changed, sizeof changed, "%s.sealed", ix.e[2].receipt);
    usb_index_release(&ix);

    assert_int_equal(unlink(folder_path(gone)), 0);
    char p[1200];
    snprintf(p, sizeof p, "%s", folder_path(changed));
    size_t n;
    unsigned char *buf = fx_read(p, &n);
    buf[n / 2] ^= 1;
    fx_write(p, buf, n);
    free(buf);
    fx_write(folder_path("K0001-261128-9999-X.sealed"), "stranger", 8);
    assert_int_equal(usb_export_check(folder_path(NULL), NULL, collect_line, &lines), 3);
    assert_non_null(strstr(lines.text[0], gone));
    assert_non_null(strstr(lines.text[0], "missing"));
    assert_non_null(strstr(lines.text[1], "altered"));
    assert_non_null(strstr(lines.text[2], "not listed"));

    /* the kiosk's next export puts back its own and will not vouch for the stranger */
    assert_int_equal(usb_export(&eo, &rep), 0);
    assert_int_equal(rep.exported, 2);
    assert_int_equal(rep.n_unlisted, 1);
    assert_string_equal(rep.unlisted[0], "K0001-261128-9999-X.sealed");
    unlink(folder_path("K0001-261128-9999-X.sealed"));
    lines.n = 0;
    assert_int_equal(usb_export_check(folder_path(NULL), NULL, collect_line, &lines), 0);

    /* a changed index: caught by its hash line */
    snprintf(p, sizeof p, "%s", folder_path("index.json"));
    buf = fx_read(p, &n);
    char *at = strstr((char *)buf, "\"size\":100");
    assert_non_null(at);
    at[8] = '2';
    fx_write(p, buf, n);
    free(buf);
    lines.n = 0;
    assert_int_equal(usb_export_check(folder_path(NULL), NULL, collect_line, &lines), 1);
    assert_non_null(strstr(lines.text[0], "index.json: altered or damaged: index_sha256 does not match"));
    /* and the kiosk replaces a damaged index */
    assert_int_equal(usb_export(&eo, &rep), 0);
    assert_true(rep.index_rebuilt);
    assert_int_equal(usb_export_check(folder_path(NULL), NULL, collect_line, &lines), 0);
}

static void test_the_index_text_is_deterministic_and_self_checking(void **s)
{
    (void)s;
    struct usb_index ix = {.kiosk_id = "K0001"}, back;
    struct usb_index_entry e[2] = {
        {"K0001-261128-0001-7", "", 123, "request", "2026-11-28T09:00:00Z"},
        {"K0001-261128-0002-5", "", 456, "feedback", "2026-11-28T09:01:00Z"},
    };
    memset(e[0].sha256, 'a', 64);
    memset(e[1].sha256, 'b', 64);
    ix.e = e;
    ix.n = 2;
    size_t len, len2;
    char err[300], *text = usb_index_format(&ix, &len), *again = usb_index_format(&ix, &len2);
    assert_int_equal(len, len2);
    assert_memory_equal(text, again, len);
    assert_int_equal(usb_index_parse(text, len, &back, err, sizeof err), 0);
    assert_int_equal(back.n, 2);
    assert_string_equal(back.e[1].receipt, e[1].receipt);
    assert_int_equal(back.e[1].size, 456);
    usb_index_release(&back);
    /* the hash covers every byte before the last line: `head -n -1 | sha256sum` */
    char *end = strrchr(text, '\n'), hash[65];
    *end = '\0';
    char *nl = strrchr(text, '\n');
    fx_sha256_hex(text, (size_t)(nl - text + 1), hash);
    assert_non_null(strstr(nl + 1, hash));
    free(text);
    text = usb_index_format(&ix, &len);
    for (size_t i = 0; i < len - 1; i += 7) {
        char c = text[i];
        text[i] = c == 'a' ? 'c' : 'a';
        if (usb_index_parse(text, len, &back, err, sizeof err) == 0)
            fail_msg("a change at byte %zu went unnoticed", i);
        text[i] = c;
    }
    free(text);
    free(again);
}

/* What held up in the review (issue 16), kept: a FIFO, a device node and a 4 GiB
 * sparse file named *.kbundle neither hang nor crash the import, nor get installed;
 * the valid bundle beside them does, and no private copy is left. */
static void test_fifos_devices_and_sparse_files_on_a_stick_are_handled(void **s)
{
    (void)s;
    struct usb_import_report rep;
    put("new.kbundle", 7, "hall-1");
    assert_int_equal(mkfifo(fx_path("stick/fifo.kbundle"), 0644), 0);
    int devs = mknod(fx_path("stick/null.kbundle"), S_IFCHR | 0644, makedev(1, 3)) == 0;
    int fd = open(fx_path("stick/sparse.kbundle"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)4 << 30), 0);
    close(fd);
    alarm(60); /* a read that blocks on the FIFO fails the test instead of hanging it */
    assert_int_equal(usb_import(&io, &rep), 0);
    alarm(0);
    assert_true(rep.installed >= 0);
    assert_string_equal(rep.files[rep.installed].name, "new.kbundle");
    assert_result(&rep, "fifo.kbundle", USB_SKIPPED, "not-a-file");
    if (devs)
        assert_result(&rep, "null.kbundle", USB_SKIPPED, "not-a-file");
    else
        print_message("the device node not tested: mknod needs root\n");
    const struct usb_file *f = file_named(&rep, "sparse.kbundle");
    if (f->result != USB_REFUSED)
        fail_msg("sparse.kbundle: %s [%s] (%s)", usb_result_name(f->result), f->reason, f->detail);
    usb_import_report_release(&rep);
    assert_no_copies();
}

/* A hostile index: BYTES of OPEN "{}," CLOSE with a right hash line, as an attacker who
 * can compute the hash writes it. You own the text. */
static char *hostile_index(size_t bytes, const char *open, size_t *ret_len)
{
    char *t = malloc(bytes + 128), hash[65];
    assert_non_null(t);
    size_t n = (size_t)sprintf(t, "%s", open);
    while (n + 16 < bytes) {
        memcpy(t + n, "{},", 3);
        n += 3;
    }
    n += (size_t)sprintf(t + n, "{}],\n");
    fx_sha256_hex(t, n, hash);
    n += (size_t)sprintf(t + n, "\"index_sha256\": \"%s\"}\n", hash);
    *ret_len = n;
    return t;
}

struct parse_ctx {
    const char *text;
    size_t len;
};

static int parse_index(void *ctx)
{
    struct parse_ctx *c = ctx;
    struct usb_index back;
    char err[300];
    int r = usb_index_parse(c->text, c->len, &back, err, sizeof err);
    if (r == 0)
        usb_index_release(&back);
    return r;
}

/* Issue 16, 3: an index of "{}," costs a JSON parser about 80 bytes of memory per
 * input byte. Its shape is refused before any parse: parsing 8 MiB of it grows the
 * high-water mark of memory by less than 16 MiB (it was about 700 MiB). */
static void test_a_hostile_index_is_refused_before_it_is_parsed(void **s)
{
    (void)s;
    size_t len;
    char err[300];
    struct usb_index back;
    char *text = hostile_index(8u << 20, "{\"files\": [", &len);
    struct parse_ctx c = {text, len};
    int r = 0;
    long grew = fx_maxrss_growth(parse_index, &c, &r);
    print_message("hostile index: %d; max RSS grew by %ld KiB\n", r, grew);
    assert_int_equal(r, -EBADMSG);
    assert_true(grew >= 0 && grew < 16 * 1024);
    /* and the reason is the shape, not the fields */
    assert_int_equal(usb_index_parse(text, len, &back, err, sizeof err), -EBADMSG);
    assert_non_null(strstr(err, "objects"));
    free(text);
    /* nested deeper than an index is, or with a second list */
    text = hostile_index(4096, "{\"files\": [{\"a\": {\"b\": ", &len);
    assert_int_equal(usb_index_parse(text, len, &back, err, sizeof err), -EBADMSG);
    assert_non_null(strstr(err, "nested"));
    free(text);
    text = hostile_index(4096, "{\"files\": [], \"more\": [", &len);
    assert_int_equal(usb_index_parse(text, len, &back, err, sizeof err), -EBADMSG);
    assert_non_null(strstr(err, "list"));
    free(text);
    /* the byte cap follows from the entries: no index of USB_EXPORT_MAX entries is larger */
    assert_true(USB_INDEX_MAX <= 512 + (size_t)USB_EXPORT_MAX * 320);
}

/* ---- the words ----------------------------------------------------------------- */

static void test_every_reason_has_words_in_both_languages_that_the_fonts_can_show(void **s)
{
    (void)s;
    static const char *const usb_keys[] = {
        "result.installed", "result.refused", "result.skipped", "reason.ok", "reason.superseded",
        "reason.too-many-files", "reason.not-a-file", "reason.changed", "reason.not-newer.same",
        "import.installed", "import.none", "import.empty", "import.unreadable", "import.local", "import.bad-key",
        "feed.applied", "feed.refused", "reason.too-large", "reason.io", "export.done", "export.already", "export.nothing", "export.no-space", "export.read-only", "export.io",
        "export.local", "export.unlisted",
    };
    static const char *const known[] = {
        "reason", "version", "installed", "previous", "scope", "kiosk_scope", "schema", "kiosk_schema", "needs",
        "this_version", "now", "expires", "winner", "winner_version", "max", "max_mb", "file", "exported",
        "already", "listed", "folder", "entries", "changed", NULL,
    };
    usb_messages *m = NULL;
    char err[300], key[64];
    assert_int_equal(usb_messages_load(MESSAGES, &m, err, sizeof err), 0);
    for (int r = 1; r < BUNDLE_REASON_COUNT; r++) {
        snprintf(key, sizeof key, "reason.%s", bundle_reason_name((enum bundle_reason)r));
        if (!usb_messages_get(m, key, USB_ZH) || !usb_messages_get(m, key, USB_EN))
            fail_msg("%s: missing from %s", key, MESSAGES);
    }
    for (size_t i = 0; i < sizeof usb_keys / sizeof usb_keys[0]; i++)
        if (!usb_messages_get(m, usb_keys[i], USB_ZH))
            fail_msg("%s: missing from %s", usb_keys[i], MESSAGES);

    assert_int_equal(TTF_Init(), 0);
    TTF_Font *fonts[2] = {TTF_OpenFont(FONT_REGULAR, 24), TTF_OpenFont(FONT_BOLD, 24)};
    assert_non_null(fonts[0]);
    assert_non_null(fonts[1]);
    int missing = 0;
    for (size_t i = 0; i < usb_messages_count(m); i++) {
        const char *k = usb_messages_key_at(m, i);
        for (int lang = USB_ZH; lang <= USB_EN; lang++) {
            const char *t = usb_messages_get(m, k, (enum usb_lang)lang);
            /* every {word} is one the code fills in */
            for (const char *p = strchr(t, '{'); p; p = strchr(p + 1, '{')) {
                const char *q = strchr(p, '}');
                int ok = 0;
                for (int w = 0; q && known[w]; w++)
                    ok |= strlen(known[w]) == (size_t)(q - p - 1) && !strncmp(known[w], p + 1, (size_t)(q - p - 1));
                if (!ok)
                    fail_msg("%s: an unknown word in \"%s\"", k, t);
            }
            for (const unsigned char *p = (const unsigned char *)t; *p;) {
                uint32_t cp = *p;
                int len = cp < 0x80 ? 1 : cp < 0xE0 ? 2 : cp < 0xF0 ? 3 : 4;
                if (len > 1) {
                    cp &= 0xFFu >> (len + 1);
                    for (int b = 1; b < len; b++)
                        cp = cp << 6 | (p[b] & 0x3F);
                }
                p += len;
                for (int f = 0; f < 2; f++)
                    if (!TTF_GlyphIsProvided32(fonts[f], cp)) {
                        print_message("%s (%s): U+%04X has no glyph in %s\n", k, lang ? "en" : "zh", cp,
                                      f ? FONT_BOLD : FONT_REGULAR);
                        missing++;
                    }
            }
        }
    }
    TTF_CloseFont(fonts[0]);
    TTF_CloseFont(fonts[1]);
    TTF_Quit();
    usb_messages_free(m);
    assert_int_equal(missing, 0);
}

static void test_render_fills_known_words_and_leaves_the_rest(void **s)
{
    (void)s;
    const char *vars[] = {"a", "1", "bb", "two", NULL};
    char *t = usb_render("{a} and {bb}, not {c} nor {", vars);
    assert_string_equal(t, "1 and two, not {c} nor {");
    free(t);
    t = usb_render("", NULL);
    assert_string_equal(t, "");
    free(t);
}

int main(void)
{
    (void)fx_handmade; /* the fixture's hand-made bundles are not needed here */
    (void)fx_manifest;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_the_newest_valid_bundle_installs_and_every_file_gets_its_line, kiosk_reset),
        cmocka_unit_test_setup(test_a_file_swapped_after_it_was_copied_cannot_get_installed, kiosk_reset),
        cmocka_unit_test_setup(test_a_file_swapped_between_its_check_and_its_copy_is_refused, kiosk_reset),
        cmocka_unit_test_setup(test_only_the_first_64_files_are_looked_at, kiosk_reset),
        cmocka_unit_test_setup(test_an_empty_stick_or_a_missing_folder, kiosk_reset),
        cmocka_unit_test_setup(test_export_writes_each_submission_once_and_a_second_export_changes_nothing,
                               kiosk_reset),
        cmocka_unit_test_setup(test_the_office_check_finds_missing_altered_and_unlisted_files, kiosk_reset),
        cmocka_unit_test(test_the_index_text_is_deterministic_and_self_checking),
        cmocka_unit_test_setup(test_fifos_devices_and_sparse_files_on_a_stick_are_handled, kiosk_reset),
        cmocka_unit_test(test_a_hostile_index_is_refused_before_it_is_parsed),
        cmocka_unit_test(test_every_reason_has_words_in_both_languages_that_the_fonts_can_show),
        cmocka_unit_test(test_render_fills_known_words_and_leaves_the_rest),
    };
    return cmocka_run_group_tests(tests, fx_setup, fx_teardown);
}
