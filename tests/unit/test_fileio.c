/* test_fileio.c - whole-file I/O (base/fileio.h) on real files in a temp folder: an
 * atomic write leaves the old file or the new one when it fails part-way or is killed,
 * a capped read refuses CAP + 1 bytes, and parse_u64 takes digits and nothing else. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/util.h"

static char dir[64];

static char *in_dir(const char *name)
{
    return xasprintf("%s/%s", dir, name);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "%s", "/tmp/test_fileio.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}

/* The bytes of PATH, NUL-terminated, or NULL. */
static char *slurp(const char *path, size_t *ret_len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    strbuf sb = {0};
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        strbuf_add(&sb, buf, n);
    fclose(f);
    if (ret_len)
        *ret_len = sb.len;
    if (!sb.buf)
        strbuf_adds(&sb, "");
    return strbuf_detach(&sb);
}

/* How many names in the temp folder (not . and ..). */
static int entries(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    assert_non_null(d);
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

/* ---- atomic writes ---- */

static void test_fileio_write_atomic_replaces_whole_with_the_callers_mode(void **state)
{
    (void)state;
    char *path = in_dir("a.txt"), *got;
    struct stat st;
    mode_t old = umask(077);
    assert_int_equal(fio_write_atomic(path, "first", 5, 0640, 0), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640); /* MODE exactly, not masked */
    assert_string_equal(got = slurp(path, NULL), "first");
    free(got);
    assert_int_equal(fio_write_atomic(path, "2nd", 3, 0600, FIO_NO_SYNC), 0);
    assert_string_equal(got = slurp(path, NULL), "2nd");
    free(got);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(fio_write_atomic(path, "", 0, 0644, FIO_NO_DIR_SYNC), 0);
    assert_string_equal(got = slurp(path, NULL), "");
    free(got);
    umask(old);
    assert_int_equal(entries(), 1); /* no temp file left */
    unlink(path);
    free(path);
}

static void test_fileio_failed_write_leaves_the_old_file_and_no_temp(void **state)
{
    (void)state;
    char *path = in_dir("b.txt"), *tmp = in_dir("b.txt.tmp"), *got;
    size_t big = 1 << 20;
    char *data = xmalloc(big);
    memset(data, 'n', big);
    assert_int_equal(fio_write_atomic(path, "old", 3, 0644, 0), 0);

    /* the disk fills up part-way: a file size limit makes write() fail with EFBIG */
    struct rlimit was, lim;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &was), 0);
    lim = was;
    lim.rlim_cur = 64 * 1024;
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    int r = fio_write_atomic(path, data, big, 0644, 0);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &was), 0);
    signal(SIGXFSZ, old_handler);
    assert_int_equal(r, -EFBIG);
    assert_string_equal(got = slurp(path, NULL), "old");
    free(got);
    assert_int_equal(access(tmp, F_OK), -1);

    /* the temp file cannot be made (a folder stands in its place) */
    assert_int_equal(mkdir(tmp, 0755), 0);
    assert_true(fio_write_atomic(path, "new", 3, 0644, 0) < 0);
    assert_string_equal(got = slurp(path, NULL), "old");
    free(got);
    rmdir(tmp);

    /* the rename fails (PATH is a non-empty folder): the temp file goes */
    char *sub = in_dir("c"), *inner = in_dir("c/x");
    assert_int_equal(mkdir(sub, 0755), 0);
    assert_int_equal(fio_write_atomic(inner, "x", 1, 0644, 0), 0);
    assert_true(fio_write_atomic(sub, "new", 3, 0644, 0) < 0);
    assert_int_equal(access(inner, F_OK), 0);
    char *subtmp = in_dir("c.tmp");
    assert_int_equal(access(subtmp, F_OK), -1);
    unlink(inner);
    rmdir(sub);
    assert_int_equal(entries(), 1);
    unlink(path);
    free(subtmp);
    free(sub);
    free(inner);
    free(data);
    free(tmp);
    free(path);
}

/* A writer killed at an arbitrary moment while it rewrites the file over and over: the
 * file is always one whole version, and a reader never sees a mix. */
static void test_fileio_killed_writer_leaves_old_or_new(void **state)
{
    (void)state;
    char *path = in_dir("d.bin");
    size_t len = 256 * 1024;
    char *a = xmalloc(len), *b = xmalloc(len);
    memset(a, 'A', len);
    memset(b, 'B', len);
    assert_int_equal(fio_write_atomic(path, a, len, 0644, FIO_NO_SYNC), 0);
    for (int round = 0; round < 5; round++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            for (unsigned i = 0;; i++)
                if (fio_write_atomic(path, i % 2 ? a : b, len, 0644, FIO_NO_SYNC) < 0)
                    _exit(1);
        }
        for (int reads = 0; reads < 20 + round * 10; reads++) {
            size_t n = 0;
            char *got = slurp(path, &n);
            assert_non_null(got);
            assert_int_equal(n, len);
            assert_true(memcmp(got, a, len) == 0 || memcmp(got, b, len) == 0);
            free(got);
        }
        kill(pid, SIGKILL);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFSIGNALED(status)); /* it was still writing, not failing */
        size_t n = 0;
        char *got = slurp(path, &n);
        assert_int_equal(n, len);
        assert_true(memcmp(got, a, len) == 0 || memcmp(got, b, len) == 0);
        free(got);
    }
    char *tmp = in_dir("d.bin.tmp");
    unlink(tmp);
    unlink(path);
    free(tmp);
    free(a);
    free(b);
    free(path);
}

static void test_fileio_piecewise_commit_and_abort_and_hidden_temp(void **state)
{
    (void)state;
    char *path = in_dir("e.json"), *hidden = in_dir(".e.json.tmp"), *got;
    struct fio_atomic w;
    assert_int_equal(fio_atomic_open(&w, path, 0644, FIO_HIDDEN_TMP), 0);
    assert_string_equal(w.tmp, hidden);
    assert_int_equal(fio_write_all(w.fd, "{\"a\":", 5), 0);
    assert_int_equal(fio_write_all(w.fd, "1}", 2), 0);
    assert_int_equal(access(path, F_OK), -1); /* nothing there until the commit */
    assert_int_equal(fio_atomic_commit(&w), 0);
    assert_null(w.tmp);
    assert_string_equal(got = slurp(path, NULL), "{\"a\":1}");
    free(got);
    assert_int_equal(access(hidden, F_OK), -1);

    assert_int_equal(fio_atomic_open(&w, path, 0644, FIO_HIDDEN_TMP), 0);
    assert_int_equal(fio_write_all(w.fd, "junk", 4), 0);
    fio_atomic_abort(&w);
    assert_string_equal(got = slurp(path, NULL), "{\"a\":1}");
    free(got);
    assert_int_equal(access(hidden, F_OK), -1);

    /* publish: a file made elsewhere put in place */
    char *tmp = in_dir("e.json.new");
    FILE *f = fopen(tmp, "w");
    fputs("[]", f);
    fclose(f);
    assert_int_equal(fio_publish(tmp, path, 0), 0);
    assert_string_equal(got = slurp(path, NULL), "[]");
    free(got);
    assert_int_equal(fio_publish(tmp, path, 0), -ENOENT);
    assert_int_equal(entries(), 1);
    unlink(path);
    free(tmp);
    free(hidden);
    free(path);
}

static void test_fileio_fsync_dir(void **state)
{
    (void)state;
    char *path = in_dir("f");
    assert_int_equal(fio_fsync_dir(dir), 0);
    assert_int_equal(fio_fsync_parent(path), 0); /* its folder exists, it need not */
    assert_int_equal(fio_fsync_parent("relative-name"), 0); /* "." */
    assert_int_equal(fio_fsync_dir(path), -ENOENT);
    assert_int_equal(fio_write_atomic(path, "x", 1, 0644, 0), 0);
    assert_int_equal(fio_fsync_dir(path), -ENOTDIR);
    unlink(path);
    free(path);
}

/* ---- capped reads ---- */

static void test_fileio_read_capped_takes_cap_and_refuses_cap_plus_one(void **state)
{
    (void)state;
    char *path = in_dir("g"), *buf = NULL;
    size_t n = 99, cap = 5000;
    char *data = xmalloc(cap + 1);
    for (size_t i = 0; i <= cap; i++)
        data[i] = (char)('a' + i % 26);

    assert_int_equal(fio_write_atomic(path, data, cap, 0644, FIO_NO_SYNC), 0);
    assert_int_equal(fio_read_capped(path, cap, 0, &buf, &n), 0);
    assert_int_equal(n, cap);
    assert_memory_equal(buf, data, cap);
    assert_int_equal(buf[cap], '\0');
    free(buf);
    buf = NULL;
    assert_int_equal(fio_read_capped(path, cap - 1, 0, &buf, &n), -EFBIG);
    assert_null(buf);

    assert_int_equal(fio_write_atomic(path, data, cap + 1, 0644, FIO_NO_SYNC), 0);
    assert_int_equal(fio_read_capped(path, cap, 0, &buf, &n), -EFBIG);
    assert_null(buf);
    assert_int_equal(fio_read_capped(path, cap + 1, 0, &buf, &n), 0);
    assert_int_equal(n, cap + 1);
    free(buf);

    assert_int_equal(fio_write_atomic(path, "", 0, 0644, FIO_NO_SYNC), 0);
    assert_int_equal(fio_read_capped(path, 0, 0, &buf, &n), 0);
    assert_int_equal(n, 0);
    assert_string_equal(buf, "");
    free(buf);

    char *none = in_dir("missing");
    assert_int_equal(fio_read_capped(none, cap, 0, &buf, &n), -ENOENT);
    assert_int_equal(fio_read_capped(dir, cap, 0, &buf, &n), -EINVAL); /* a folder */
    assert_int_equal(symlink("g", none), 0);
    assert_int_equal(fio_read_capped(none, cap, FIO_NOFOLLOW, &buf, &n), -ELOOP);
    assert_int_equal(fio_read_capped(none, cap, 0, &buf, &n), 0);
    assert_int_equal(n, 0);
    free(buf);
    unlink(none);
    assert_int_equal(mkfifo(none, 0600), 0); /* no writer: a blocking open would hang */
    assert_int_equal(fio_read_capped(none, cap, 0, &buf, &n), -EINVAL);
    unlink(none);
    int p[2];
    assert_int_equal(pipe(p), 0);
    assert_int_equal(fio_read_fd_capped(p[0], cap, &buf, &n), -EINVAL); /* no size to trust */
    close(p[0]);
    close(p[1]);
    unlink(path);
    free(none);
    free(data);
    free(path);
}

/* ---- numbers ---- */

static void test_fileio_parse_u64_is_strict(void **state)
{
    (void)state;
    uint64_t v = 7;
    assert_int_equal(fio_parse_u64("0", &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(fio_parse_u64("0042", &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(fio_parse_u64("18446744073709551615", &v), 0);
    assert_true(v == UINT64_MAX);
    assert_int_equal(fio_parse_u64("18446744073709551614", &v), 0);
    assert_true(v == UINT64_MAX - 1);

    static const char *bad[] = {"",   "18446744073709551616", "99999999999999999999", "-1",
                                "+1", " 1",                   "1 ",                   "1x",
                                "0x10", "1\t2",               "1.5",                  "١",
                                NULL};
    v = 7;
    for (int i = 0; bad[i]; i++)
        if (fio_parse_u64(bad[i], &v) != -EINVAL)
            fail_msg("\"%s\" parsed as %llu", bad[i], (unsigned long long)v);
    assert_int_equal(v, 7); /* untouched */

    assert_int_equal(fio_parse_u64n("123\tmore", 3, &v), 0);
    assert_int_equal(v, 123);
    assert_int_equal(fio_parse_u64n("123\tmore", 4, &v), -EINVAL);
    assert_int_equal(fio_parse_u64n("123", 0, &v), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fileio_write_atomic_replaces_whole_with_the_callers_mode),
        cmocka_unit_test(test_fileio_failed_write_leaves_the_old_file_and_no_temp),
        cmocka_unit_test(test_fileio_killed_writer_leaves_old_or_new),
        cmocka_unit_test(test_fileio_piecewise_commit_and_abort_and_hidden_temp),
        cmocka_unit_test(test_fileio_fsync_dir),
        cmocka_unit_test(test_fileio_read_capped_takes_cap_and_refuses_cap_plus_one),
        cmocka_unit_test(test_fileio_parse_u64_is_strict),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
