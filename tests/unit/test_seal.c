/* test_seal.c - sealing submissions (firmware/core/seal.c): the key files keygen
 * writes, reading them back, and sealing and opening with crypto_box_seal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/seal.h"

struct fx {
    char dir[64], pub[128], key[128];
};

static int setup(void **s)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    strcpy(f->dir, "/tmp/test-seal-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->pub, sizeof f->pub, "%s/seal.pub", f->dir);
    snprintf(f->key, sizeof f->key, "%s/seal.key", f->dir);
    *s = f;
    return 0;
}

static int teardown(void **s)
{
    struct fx *f = *s;
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int r = system(cmd);
    free(f);
    return r == 0 ? 0 : -1;
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

static void read_line(const char *path, char *buf, size_t n)
{
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    size_t k = fread(buf, 1, n - 1, fp);
    buf[k] = '\0';
    fclose(fp);
}

static void test_keygen_writes_one_line_key_files_with_a_private_secret(void **s)
{
    struct fx *f = *s;
    char err[256], line[256];
    struct stat st;
    assert_int_equal(seal_keygen(f->dir, err, sizeof err), 0);
    assert_int_equal(stat(f->key, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(stat(f->pub, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    read_line(f->pub, line, sizeof line);
    assert_int_equal(strncmp(line, "kiosk-seal-public ", 18), 0);
    assert_int_equal(strlen(line), 18 + 44 + 1);
    assert_int_equal(line[strlen(line) - 1], '\n');
    read_line(f->key, line, sizeof line);
    assert_int_equal(strncmp(line, "kiosk-seal-secret ", 18), 0);
    assert_int_equal(strlen(line), 18 + 44 + 1);
}

static void test_keygen_refuses_to_overwrite_a_key(void **s)
{
    struct fx *f = *s;
    char err[256], before[256], after[256];
    assert_int_equal(seal_keygen(f->dir, err, sizeof err), 0);
    read_line(f->key, before, sizeof before);
    assert_int_equal(seal_keygen(f->dir, err, sizeof err), -EEXIST);
    assert_non_null(strstr(err, "exists"));
    read_line(f->key, after, sizeof after);
    assert_string_equal(before, after);
}

static void test_sealed_text_opens_with_the_secret_key_only(void **s)
{
    struct fx *f = *s;
    char err[256];
    struct seal_public pub;
    struct seal_secret sec, other;
    const char msg[] = "{\"name\":\"张三\"}";
    unsigned char box[sizeof msg + SEAL_OVERHEAD], out[sizeof msg];
    size_t len = 0;

    assert_int_equal(seal_keygen(f->dir, err, sizeof err), 0);
    assert_int_equal(seal_public_load(f->pub, &pub, err, sizeof err), 0);
    assert_int_equal(seal_secret_load(f->key, &sec, err, sizeof err), 0);
    assert_memory_equal(sec.pk, pub.pk, SEAL_KEY_SIZE);   /* derived from the secret */
    assert_int_equal(seal_box(&pub, msg, sizeof msg, box), 0);
    assert_null(memmem(box, sizeof box, "张三", strlen("张三")));
    assert_int_equal(seal_open(&sec, box, sizeof box, out, &len), 0);
    assert_int_equal(len, sizeof msg);
    assert_memory_equal(out, msg, sizeof msg);

    /* another office's key, or one flipped bit, opens nothing */
    char dir2[160];
    snprintf(dir2, sizeof dir2, "%s/other", f->dir);
    assert_int_equal(mkdir(dir2, 0700), 0);
    assert_int_equal(seal_keygen(dir2, err, sizeof err), 0);
    snprintf(dir2, sizeof dir2, "%s/other/seal.key", f->dir);
    assert_int_equal(seal_secret_load(dir2, &other, err, sizeof err), 0);
    assert_int_equal(seal_open(&other, box, sizeof box, out, &len), -EBADMSG);
    box[SEAL_OVERHEAD + 3] ^= 1;
    assert_int_equal(seal_open(&sec, box, sizeof box, out, &len), -EBADMSG);
    seal_secret_wipe(&sec);
    seal_secret_wipe(&other);
    unsigned char zero[sizeof sec] = {0};
    assert_memory_equal(&sec, zero, sizeof sec);
}

static void test_sealing_refuses_empty_and_oversized_text(void **s)
{
    struct fx *f = *s;
    char err[256];
    struct seal_public pub;
    struct seal_secret sec;
    unsigned char box[64], out[64];
    size_t len;
    assert_int_equal(seal_keygen(f->dir, err, sizeof err), 0);
    assert_int_equal(seal_public_load(f->pub, &pub, err, sizeof err), 0);
    assert_int_equal(seal_secret_load(f->key, &sec, err, sizeof err), 0);
    assert_int_equal(seal_box(&pub, "x", 0, box), -EINVAL);
    assert_int_equal(seal_box(&pub, "x", SEAL_PLAIN_MAX + 1, box), -EINVAL);
    assert_int_equal(seal_open(&sec, box, SEAL_OVERHEAD, out, &len), -EINVAL);
    seal_secret_wipe(&sec);
}

/* Issue 16, 7: seal.key is checked like sign.key - readable by anyone but its owner,
 * it is refused (sync/README.md says both are), as is a key that is no regular file. */
static void test_a_seal_secret_readable_by_others_is_refused(void **s)
{
    struct fx *f = *s;
    char err[256];
    struct seal_secret sec;
    assert_int_equal(seal_keygen(f->dir, err, sizeof err), 0);
    assert_int_equal(seal_secret_load(f->key, &sec, err, sizeof err), 0);
    seal_secret_wipe(&sec);
    const mode_t loose[] = {0644, 0640, 0604, 0660};
    for (size_t i = 0; i < sizeof loose / sizeof *loose; i++) {
        assert_int_equal(chmod(f->key, loose[i]), 0);
        assert_int_equal(seal_secret_load(f->key, &sec, err, sizeof err), -EPERM);
        assert_non_null(strstr(err, "chmod 600"));
    }
    assert_int_equal(chmod(f->key, 0400), 0);
    assert_int_equal(seal_secret_load(f->key, &sec, err, sizeof err), 0);
    seal_secret_wipe(&sec);
    /* the public key may be read by anyone */
    struct seal_public pub;
    assert_int_equal(chmod(f->pub, 0644), 0);
    assert_int_equal(seal_public_load(f->pub, &pub, err, sizeof err), 0);
    /* a directory or a FIFO is no key file */
    assert_true(seal_secret_load(f->dir, &sec, err, sizeof err) < 0);
}

static void test_key_files_of_another_kind_or_shape_are_refused(void **s)
{
    struct fx *f = *s;
    char err[256], path[160], line[256];
    struct seal_public pub;
    struct seal_secret sec;
    assert_int_equal(seal_keygen(f->dir, err, sizeof err), 0);

    /* the secret file is not a public key, nor the reverse */
    assert_int_equal(seal_public_load(f->key, &pub, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "not a kiosk-seal-public key file"));
    assert_int_equal(seal_secret_load(f->pub, &sec, err, sizeof err), -EINVAL);

    snprintf(path, sizeof path, "%s/sign.pub", f->dir);
    write_file(path, "kiosk-sign-public AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
    assert_int_equal(seal_public_load(path, &pub, err, sizeof err), -EINVAL);
    write_file(path, "kiosk-seal-public AAAA\n");
    assert_int_equal(seal_public_load(path, &pub, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "not 32 bytes"));
    write_file(path, "kiosk-seal-public !!!!AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
    assert_int_equal(seal_public_load(path, &pub, err, sizeof err), -EINVAL);
    read_line(f->pub, line, sizeof line);
    line[strlen(line) - 1] = '\0';
    strcat(line, "\nsecond line\n");
    write_file(path, line);
    assert_int_equal(seal_public_load(path, &pub, err, sizeof err), -EINVAL);

    char big[SEAL_KEY_FILE_MAX + 100];
    memset(big, 'A', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    write_file(path, big);
    assert_int_equal(seal_public_load(path, &pub, err, sizeof err), -EFBIG);
    snprintf(path, sizeof path, "%s/missing.pub", f->dir);
    assert_int_equal(seal_public_load(path, &pub, err, sizeof err), -ENOENT);
    assert_non_null(strstr(err, "missing.pub: No such file"));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_keygen_writes_one_line_key_files_with_a_private_secret),
        T(test_keygen_refuses_to_overwrite_a_key),
        T(test_sealed_text_opens_with_the_secret_key_only),
        T(test_sealing_refuses_empty_and_oversized_text),
        T(test_a_seal_secret_readable_by_others_is_refused),
        T(test_key_files_of_another_kind_or_shape_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
