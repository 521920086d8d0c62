/* test_marker.c - marker files (core/marker.h): a marker counts only while the process
 * it names lives in this boot; one left by a dead process or an earlier boot (a power
 * cut during a USB session) is stale and blocks nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/marker.h"

static char dir[] = "/tmp/kiosk-marker-XXXXXX";
static char path[256];

static int setup(void **s)
{
    (void)s;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/usb-busy", dir);
    return 0;
}

static int teardown(void **s)
{
    (void)s;
    unlink(path);
    return rmdir(dir);
}

static void put(const char *fmt, long pid, const char *boot)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, fmt, pid, boot);
    fclose(f);
}

/* A pid that was alive a moment ago and is not now. */
static long dead_pid(void)
{
    pid_t p = fork();
    assert_true(p >= 0);
    if (p == 0)
        _exit(0);
    assert_int_equal(waitpid(p, NULL, 0), p);
    return (long)p;
}

static void test_marker_of_a_live_process_is_active(void **s)
{
    (void)s;
    char boot[MARKER_BOOT_ID_SIZE];
    long pid = 0;
    marker_boot_id(boot);
    put("{\"pid\": %ld, \"boot\": \"%s\", \"step\": \"copying\"}", (long)getpid(), boot);
    assert_int_equal(marker_active(path), 1);
    assert_int_equal(marker_pid(path, &pid), 0);
    assert_int_equal(pid, (long)getpid());
    /* the format kiosk-sync wrote before it carried the boot */
    put("{\"pid\":%ld,\"session\":\"%s\"}", (long)getpid(), "x");
    assert_int_equal(marker_active(path), 1);
}

static void test_marker_of_a_dead_process_is_stale(void **s)
{
    (void)s;
    put("{\"pid\": %ld, \"session\": \"%s\"}", dead_pid(), "s");
    assert_int_equal(marker_active(path), 0);
}

static void test_marker_of_an_earlier_boot_is_stale(void **s)
{
    (void)s;
    put("{\"pid\": %ld, \"boot\": \"%s\"}", (long)getpid(), "00000000-0000-0000-0000-000000000000");
    assert_int_equal(marker_active(path), 0);
}

static void test_a_missing_or_malformed_marker_is_not_active(void **s)
{
    (void)s;
    long pid;
    unlink(path);
    assert_int_equal(marker_active(path), 0);
    assert_int_equal(marker_pid(path, &pid), -ENOENT);
    put("{\"step\": \"%ld%s\"}", 1, "");
    assert_int_equal(marker_active(path), 0);
    assert_int_equal(marker_pid(path, &pid), -EBADMSG);
    put("{\"pid\": -%ld%s}", 1, "");
    assert_int_equal(marker_active(path), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_marker_of_a_live_process_is_active),
        cmocka_unit_test(test_marker_of_a_dead_process_is_stale),
        cmocka_unit_test(test_marker_of_an_earlier_boot_is_stale),
        cmocka_unit_test(test_a_missing_or_malformed_marker_is_not_active),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
