/* test_install.c - installing a bundle: what is refused (each with its reason) leaves
 * content.db exactly as it was; what is accepted replaces it whole, keeps the previous
 * one, and is remembered so an older bundle can never come back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>

#include "bundle_fixture.h"
#include "install.h"

static struct install_opts opts;

/* A kiosk whose content.db is version 1, with no history. */
static int kiosk_reset(void **s)
{
    (void)s;
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s/k' && mkdir '%s/k'", fx_dir, fx_dir);
    if (system(cmd) != 0)
        return -1;
    fx_make_db(fx_path("k/content.db"), CONTENT_SCHEMA_VERSION, 1, 50);
    opts = (struct install_opts){.content_db = fx_path("k/content.db"), .keys = &fx_ring, .scope = "hall-1",
                                 .max_payload = BUNDLE_PAYLOAD_MAX_DEFAULT, .clock_tolerance = 86400,
                                 .kiosk_version = "0.1.0"};
    static char content_db[512];
    snprintf(content_db, sizeof content_db, "%s", fx_path("k/content.db"));
    opts.content_db = content_db;
    return 0;
}

/* The bytes and inode of content.db, to prove a refusal did not touch it. */
struct snapshot {
    char sha[65];
    ino_t ino;
};

static struct snapshot snap(void)
{
    struct snapshot s;
    struct stat st;
    size_t n;
    unsigned char *buf = fx_read(opts.content_db, &n);
    fx_sha256_hex(buf, n, s.sha);
    free(buf);
    if (stat(opts.content_db, &st) < 0)
        abort();
    s.ino = st.st_ino;
    return s;
}

static void assert_unchanged(const struct snapshot *before)
{
    struct snapshot now = snap();
    assert_string_equal(now.sha, before->sha);
    assert_int_equal(now.ino, before->ino);
}

/* No temp file of ours is left beside content.db. */
static void assert_no_temp_files(void)
{
    DIR *d = opendir(fx_path("k"));
    struct dirent *e;
    while ((e = readdir(d)))
        if (strstr(e->d_name, ".tmp"))
            fail_msg("left behind: %s", e->d_name);
    closedir(d);
}

static int install(const char *bundle_path, struct bundle_error *err)
{
    struct install_result res;
    memset(err, 0, sizeof *err);
    return install_bundle(bundle_path, &opts, &res, err);
}

static void pack_version(uint64_t v, const char *out)
{
    fx_make_db(fx_path("src.db"), CONTENT_SCHEMA_VERSION, 0, 300);
    assert_int_equal(fx_pack(fx_path("src.db"), out, v, "hall-1", time(NULL), 30, &fx_key, 1), 0);
}

static void test_install_replaces_content_and_keeps_the_previous(void **s)
{
    (void)s;
    struct bundle_error err;
    struct install_result res;
    pack_version(2, fx_path("v2.kbundle"));
    assert_int_equal(install_bundle(fx_path("v2.kbundle"), &opts, &res, &err), 0);
    assert_int_equal(res.previous, 1);
    assert_int_equal(res.installed, 2);
    assert_string_equal(res.key_id, fx_key.pub.id_hex);
    assert_int_equal(fx_db_version(opts.content_db), 2);
    assert_int_equal(fx_db_version(fx_path("k/content.db.prev")), 1);
    pack_version(3, fx_path("v3.kbundle"));
    assert_int_equal(install(fx_path("v3.kbundle"), &err), 0);
    assert_int_equal(fx_db_version(opts.content_db), 3);
    assert_int_equal(fx_db_version(fx_path("k/content.db.prev")), 2);
    uint64_t current, newest;
    install_versions(opts.content_db, &current, &newest);
    assert_int_equal(current, 3);
    assert_int_equal(newest, 3);
    size_t n;
    char *hist = (char *)fx_read(fx_path("k/content.db.installed"), &n);
    hist = realloc(hist, n + 1);
    hist[n] = '\0';
    assert_non_null(strstr(hist, "\n2\t"));
    assert_non_null(strstr(hist, "\n3\t"));
    free(hist);
    assert_no_temp_files();
}

static void test_the_first_install_needs_no_content_db(void **s)
{
    (void)s;
    struct bundle_error err;
    unlink(opts.content_db);
    pack_version(1, fx_path("v1.kbundle"));
    assert_int_equal(install(fx_path("v1.kbundle"), &err), 0);
    assert_int_equal(fx_db_version(opts.content_db), 1);
    assert_int_equal(access(fx_path("k/content.db.prev"), F_OK), -1);
}

/* The test: one byte flipped at 200+ positions over header, manifest,
 * signature and payload; each refused for the reason its region implies. */
static void test_byte_flips_anywhere_are_refused_and_leave_content_db_alone(void **s)
{
    (void)s;
    struct bundle_error err;
    struct snapshot before = snap();
    size_t n, tried = 0, counts[BUNDLE_REASON_COUNT] = {0};
    pack_version(2, fx_path("flip.kbundle"));
    unsigned char *good = fx_read(fx_path("flip.kbundle"), &n), *buf = malloc(n);
    size_t mlen = good[16] | (size_t)good[17] << 8 | (size_t)good[18] << 16;
    size_t man = BUNDLE_HEADER_SIZE, sig = man + mlen, pay = sig + BUNDLE_SIG_SIZE;
    size_t positions[400], np = 0;
    for (size_t i = 0; i < BUNDLE_HEADER_SIZE; i++)
        positions[np++] = i;
    for (size_t i = 0; i < 70; i++)
        positions[np++] = man + i * (mlen - 1) / 69;
    for (size_t i = 0; i < BUNDLE_SIG_SIZE; i++)
        positions[np++] = sig + i;
    for (size_t i = 0; i < 70; i++)
        positions[np++] = pay + i * (n - pay - 1) / 69;
    assert_true(pay < n && np >= 200);

    for (size_t k = 0; k < np; k++) {
        size_t p = positions[k];
        memcpy(buf, good, n);
        buf[p] ^= (unsigned char)(1u << (p % 8));
        fx_write(fx_path("flipped.kbundle"), buf, n);
        int r = install(fx_path("flipped.kbundle"), &err);
        if (r >= 0)
            fail_msg("a flip at byte %zu was installed", p);
        enum bundle_reason want = p < 8 ? BUNDLE_BAD_MAGIC : p < 12 ? BUNDLE_BAD_FORMAT
                                  : p < 16 ? BUNDLE_BAD_HEADER : p < 20 ? BUNDLE_OK /* several */
                                  : p < 24 ? BUNDLE_BAD_HEADER : p < 32 ? BUNDLE_OK /* several */
                                  : p < 40 ? BUNDLE_UNKNOWN_KEY : p < pay ? BUNDLE_BAD_SIGNATURE : BUNDLE_BAD_HASH;
        int ok = want != BUNDLE_OK ? err.reason == want
                 : p < 20 ? (err.reason == BUNDLE_TOO_LARGE || err.reason == BUNDLE_BAD_SIGNATURE ||
                             err.reason == BUNDLE_TRUNCATED || err.reason == BUNDLE_BAD_HEADER)
                          : (err.reason == BUNDLE_TOO_LARGE || err.reason == BUNDLE_MISMATCH);
        if (!ok)
            fail_msg("byte %zu: refused as %s (%s: %s)", p, bundle_reason_name(err.reason), err.field, err.cause);
        assert_true(err.field[0] && err.cause[0]);
        counts[err.reason]++;
        tried++;
        assert_unchanged(&before);
    }
    assert_no_temp_files();
    print_message("%zu flips refused:", tried);
    for (int i = 0; i < BUNDLE_REASON_COUNT; i++)
        if (counts[i])
            print_message(" %s %zu", bundle_reason_name(i), counts[i]);
    print_message("\n");
    assert_true(tried >= 200);
    /* and the unflipped bundle still installs */
    assert_int_equal(install(fx_path("flip.kbundle"), &err), 0);
    free(good);
    free(buf);
}

static void test_a_truncated_bundle_is_refused(void **s)
{
    (void)s;
    struct bundle_error err;
    struct snapshot before = snap();
    size_t n;
    pack_version(2, fx_path("t.kbundle"));
    unsigned char *buf = fx_read(fx_path("t.kbundle"), &n);
    size_t cuts[] = {0, 20, 100, n / 2, n - 1};
    for (size_t i = 0; i < 5; i++) {
        fx_write(fx_path("t2.kbundle"), buf, cuts[i]);
        assert_true(install(fx_path("t2.kbundle"), &err) < 0);
        assert_int_equal(err.reason, BUNDLE_TRUNCATED);
        assert_unchanged(&before);
    }
    free(buf);
}

static void test_a_bundle_signed_by_an_unknown_key_is_refused(void **s)
{
    (void)s;
    struct bundle_error err;
    struct snapshot before = snap();
    fx_make_db(fx_path("src.db"), CONTENT_SCHEMA_VERSION, 0, 30);
    assert_int_equal(fx_pack(fx_path("src.db"), fx_path("u.kbundle"), 5, "hall-1", time(NULL), 30, &fx_other, 1), 0);
    assert_true(install(fx_path("u.kbundle"), &err) < 0);
    assert_int_equal(err.reason, BUNDLE_UNKNOWN_KEY);
    assert_string_equal(err.field, "header.key_id");
    assert_unchanged(&before);
}

static void test_older_and_equal_versions_are_refused(void **s)
{
    (void)s;
    struct bundle_error err;
    pack_version(1, fx_path("v1.kbundle"));
    struct snapshot before = snap();
    assert_true(install(fx_path("v1.kbundle"), &err) < 0);
    assert_int_equal(err.reason, BUNDLE_NOT_NEWER);
    assert_unchanged(&before);
    pack_version(3, fx_path("v3.kbundle"));
    assert_int_equal(install(fx_path("v3.kbundle"), &err), 0);
    pack_version(2, fx_path("v2.kbundle"));
    before = snap();
    assert_true(install(fx_path("v2.kbundle"), &err) < 0);
    assert_int_equal(err.reason, BUNDLE_NOT_NEWER);
    assert_string_equal(err.field, "manifest.content_version");
    assert_unchanged(&before);
}

/* Someone puts the old content.db back by hand (or the kiosk falls back to .prev): an
 * old USB stick still cannot install anything older than what was once installed. */
static void test_the_newest_ever_installed_guards_against_rollback(void **s)
{
    (void)s;
    struct bundle_error err;
    size_t n;
    pack_version(3, fx_path("v3.kbundle"));
    assert_int_equal(install(fx_path("v3.kbundle"), &err), 0);
    unsigned char *old = fx_read(fx_path("k/content.db.prev"), &n);
    unlink(opts.content_db);
    fx_write(opts.content_db, old, n);
    free(old);
    assert_int_equal(fx_db_version(opts.content_db), 1);
    pack_version(2, fx_path("v2.kbundle"));
    struct snapshot before = snap();
    assert_true(install(fx_path("v2.kbundle"), &err) < 0);
    assert_int_equal(err.reason, BUNDLE_NOT_NEWER);
    assert_non_null(strstr(err.cause, "newest ever 3"));
    assert_unchanged(&before);
    /* the newest itself may come back */
    assert_int_equal(install(fx_path("v3.kbundle"), &err), 0);
}

static void test_an_expired_bundle_is_refused(void **s)
{
    (void)s;
    struct bundle_error err;
    struct snapshot before = snap();
    fx_make_db(fx_path("src.db"), CONTENT_SCHEMA_VERSION, 0, 30);
    assert_int_equal(fx_pack(fx_path("src.db"), fx_path("e.kbundle"), 5, "hall-1", time(NULL) - 40 * 86400, 30,
                             &fx_key, 1), 0);
    assert_true(install(fx_path("e.kbundle"), &err) < 0);
    assert_int_equal(err.reason, BUNDLE_EXPIRED);
    assert_string_equal(err.field, "manifest.expires_at");
    assert_unchanged(&before);
}

static void test_a_clock_before_the_bundle_was_made_is_refused(void **s)
{
    (void)s;
    struct bundle_error err;
    struct snapshot before = snap();
    int64_t made = time(NULL);
    fx_make_db(fx_path("src.db"), CONTENT_SCHEMA_VERSION, 0, 30);
    assert_int_equal(fx_pack(fx_path("src.db"), fx_path("c.kbundle"), 5, "hall-1", made, 30, &fx_key, 1), 0);
    opts.now = made - 3 * 86400; /* a kiosk whose RTC lost power */
    assert_true(install(fx_path("c.kbundle"), &err) < 0);
    assert_int_equal(err.reason, BUNDLE_CLOCK);
    assert_unchanged(&before);
    opts.now = made - 3600; /* an hour slow is within the tolerance */
    assert_int_equal(install(fx_path("c.kbundle"), &err), 0);
    opts.now = 0;
}

static void test_a_bundle_for_another_scope_is_refused(void **s)
{
    (void)s;
    struct bundle_error err;
    struct snapshot before = snap();
    fx_make_db(fx_path("src.db"), CONTENT_SCHEMA_VERSION, 0, 30);
    assert_int_equal(fx_pack(fx_path("src.db"), fx_path("f.kbundle"), 5, "hall-2", time(NULL), 30, &fx_key, 1), 0);
    assert_true(install(fx_path("f.kbundle"), &err) < 0);
    assert_int_equal(err.reason, BUNDLE_FOREIGN_SCOPE);
    assert_unchanged(&before);
}

static void test_a_firmware_too_old_for_the_bundle_is_refused(void **s)
{
    (void)s;
    struct bundle_pack_opts o = {.content_version = 5, .scope = "hall-1", .expires_days = 3,
                                 .min_kiosk_version = "99.0.0", .now = time(NULL), .compress = 1};
    struct bundle_error err;
    struct snapshot before = snap();
    fx_make_db(fx_path("src.db"), CONTENT_SCHEMA_VERSION, 0, 30);
    assert_int_equal(bundle_pack(fx_path("src.db"), &fx_key, &o, fx_path("m.kbundle"), NULL, NULL, &err), 0);
    assert_true(install(fx_path("m.kbundle"), &err) < 0);
    assert_int_equal(err.reason, BUNDLE_KIOSK_TOO_OLD);
    assert_unchanged(&before);
}

/* The manifest says which schema; the database inside must say the same. */
static void test_a_wrong_schema_version_is_refused_in_the_manifest_and_inside(void **s)
{
    (void)s;
    struct bundle_error err;
    struct snapshot before = snap();
    size_t n;
    fx_make_db(fx_path("src.db"), CONTENT_SCHEMA_VERSION + 1, 0, 30);
    assert_int_equal(fx_pack(fx_path("src.db"), fx_path("s.kbundle"), 5, "hall-1", time(NULL), 30, &fx_key, 1), 0);
    assert_true(install(fx_path("s.kbundle"), &err) < 0);
    assert_int_equal(err.reason, BUNDLE_SCHEMA);
    assert_string_equal(err.field, "manifest.schema_version");
    /* a manifest that claims the right schema over a database of another */
    fx_make_db(fx_path("src.db"), CONTENT_SCHEMA_VERSION + 1, 5, 30);
    unsigned char *db = fx_read(fx_path("src.db"), &n);
    fx_handmade(fx_path("s2.kbundle"), fx_manifest(db, n, 5, CONTENT_SCHEMA_VERSION, "none", 0, NULL), db, n, &fx_key);
    assert_true(install(fx_path("s2.kbundle"), &err) < 0);
    assert_int_equal(err.reason, BUNDLE_SCHEMA);
    assert_string_equal(err.field, "database.meta.schema_version");
    free(db);
    assert_unchanged(&before);
    assert_no_temp_files();
}

static void test_the_database_inside_must_match_the_manifest_and_be_whole(void **s)
{
    (void)s;
    struct bundle_error err;
    struct snapshot before = snap();
    size_t n;
    /* meta.content_version 4 under a manifest saying 5 */
    fx_make_db(fx_path("src.db"), CONTENT_SCHEMA_VERSION, 4, 300);
    unsigned char *db = fx_read(fx_path("src.db"), &n);
    fx_handmade(fx_path("d.kbundle"), fx_manifest(db, n, 5, CONTENT_SCHEMA_VERSION, "none", 0, NULL), db, n, &fx_key);
    assert_true(install(fx_path("d.kbundle"), &err) < 0);
    assert_int_equal(err.reason, BUNDLE_BAD_DATABASE);
    assert_string_equal(err.field, "database.meta.content_version");
    /* a signed payload that is not a database */
    fx_handmade(fx_path("d.kbundle"), fx_manifest("hello", 5, 5, CONTENT_SCHEMA_VERSION, "none", 0, NULL), "hello", 5,
                &fx_key);
    assert_true(install(fx_path("d.kbundle"), &err) < 0);
    assert_int_equal(err.reason, BUNDLE_BAD_DATABASE);
    /* a database with a broken b-tree page: integrity_check catches it */
    free(db);
    fx_make_db(fx_path("src.db"), CONTENT_SCHEMA_VERSION, 5, 300);
    db = fx_read(fx_path("src.db"), &n);
    size_t page = (size_t)db[16] << 8 | db[17];
    db[page * 2 + 3] = 0xff; /* the cell count of page 3 */
    db[page * 2 + 4] = 0xff;
    fx_handmade(fx_path("d.kbundle"), fx_manifest(db, n, 5, CONTENT_SCHEMA_VERSION, "none", 0, NULL), db, n, &fx_key);
    assert_true(install(fx_path("d.kbundle"), &err) < 0);
    assert_int_equal(err.reason, BUNDLE_BAD_DATABASE);
    /* a database in WAL mode, which a read-only kiosk could not open */
    fx_make_db(fx_path("src.db"), CONTENT_SCHEMA_VERSION, 5, 300);
    free(db);
    db = fx_read(fx_path("src.db"), &n);
    db[18] = db[19] = 2;
    fx_handmade(fx_path("d.kbundle"), fx_manifest(db, n, 5, CONTENT_SCHEMA_VERSION, "none", 0, NULL), db, n, &fx_key);
    assert_true(install(fx_path("d.kbundle"), &err) < 0);
    assert_int_equal(err.reason, BUNDLE_BAD_DATABASE);
    free(db);
    assert_unchanged(&before);
    assert_no_temp_files();
}

static void test_stale_temp_files_of_a_killed_install_are_removed(void **s)
{
    (void)s;
    struct bundle_error err;
    fx_write(fx_path("k/content.db.install-99999.tmp"), "half", 4);
    fx_write(fx_path("k/content.db.prev.tmp"), "half", 4);
    fx_write(fx_path("k/content.db.installed.tmp"), "half", 4);
    fx_write(fx_path("k/other.install-1.tmp"), "not ours", 8);
    pack_version(1, fx_path("v1.kbundle")); /* refused as not newer: cleaning comes first */
    assert_true(install(fx_path("v1.kbundle"), &err) < 0);
    assert_int_equal(access(fx_path("k/content.db.install-99999.tmp"), F_OK), -1);
    assert_int_equal(access(fx_path("k/content.db.prev.tmp"), F_OK), -1);
    assert_int_equal(access(fx_path("k/content.db.installed.tmp"), F_OK), -1);
    assert_int_equal(access(fx_path("k/other.install-1.tmp"), F_OK), 0);
    unlink(fx_path("k/other.install-1.tmp"));
}

/* An install killed after it linked content.db.prev to content.db leaves two links
 * to one file; the next install's rename of the temp link onto content.db.prev then
 * does nothing, and the temp link must still go. */
static void test_a_prev_already_linked_to_content_db_leaves_no_temp_file(void **s)
{
    (void)s;
    struct bundle_error err;
    unlink(fx_path("k/content.db.prev"));
    assert_int_equal(link(opts.content_db, fx_path("k/content.db.prev")), 0);
    pack_version(2, fx_path("v2.kbundle"));
    assert_int_equal(install(fx_path("v2.kbundle"), &err), 0);
    assert_int_equal(fx_db_version(opts.content_db), 2);
    assert_int_equal(fx_db_version(fx_path("k/content.db.prev")), 1);
    assert_no_temp_files();
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, kiosk_reset)
    const struct CMUnitTest tests[] = {
        T(test_install_replaces_content_and_keeps_the_previous),
        T(test_the_first_install_needs_no_content_db),
        T(test_byte_flips_anywhere_are_refused_and_leave_content_db_alone),
        T(test_a_truncated_bundle_is_refused),
        T(test_a_bundle_signed_by_an_unknown_key_is_refused),
        T(test_older_and_equal_versions_are_refused),
        T(test_the_newest_ever_installed_guards_against_rollback),
        T(test_an_expired_bundle_is_refused),
        T(test_a_clock_before_the_bundle_was_made_is_refused),
        T(test_a_bundle_for_another_scope_is_refused),
        T(test_a_firmware_too_old_for_the_bundle_is_refused),
        T(test_a_wrong_schema_version_is_refused_in_the_manifest_and_inside),
        T(test_the_database_inside_must_match_the_manifest_and_be_whole),
        T(test_stale_temp_files_of_a_killed_install_are_removed),
        T(test_a_prev_already_linked_to_content_db_leaves_no_temp_file),
    };
    return cmocka_run_group_tests(tests, fx_setup, fx_teardown);
}
