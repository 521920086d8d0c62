/* test_job.c - background jobs (base/job.h): they start without blocking, are always
 * reaped, report how they ended, and a second copy of a name cannot start. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/job.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* polls until NAME is no longer running, or 10 s pass */
static const struct job_info *wait_done(job_runner *j, const char *name)
{
    uint64_t end = now_ms() + 10000;
    while (job_get(j, name)->state == JOB_RUNNING && now_ms() < end) {
        job_poll(j, now_ms());
        usleep(5000);
    }
    return job_get(j, name);
}

static void test_job_starts_without_waiting_and_reports_its_end(void **state)
{
    (void)state;
    job_runner *j = job_runner_new();
    char *argv[] = {"/bin/sh", "-c", "sleep 0.3; echo working; echo all done; exit 3", NULL};
    uint64_t t0 = now_ms();
    assert_int_equal(job_start(j, "slow", argv, t0), 0);
    /* it returned before the child could have finished */
    assert_int_equal(job_get(j, "slow")->state, JOB_RUNNING);
    assert_int_equal(job_running(j), 1);
    const struct job_info *i = wait_done(j, "slow");
    assert_int_equal(i->state, JOB_DONE);
    assert_int_equal(i->exit_code, 3);
    assert_string_equal(i->last_line, "all done");
    assert_true(i->ended_ms >= i->started_ms + 250);
    assert_int_equal(job_running(j), 0);
    job_runner_free(j);
}

static void test_job_refuses_a_second_copy_of_a_running_name(void **state)
{
    (void)state;
    job_runner *j = job_runner_new();
    char *argv[] = {"/bin/sh", "-c", "sleep 5", NULL};
    char *quick[] = {"/bin/true", NULL};
    assert_int_equal(job_start(j, "sync", argv, now_ms()), 0);
    assert_int_equal(job_start(j, "sync", argv, now_ms()), -EBUSY);
    /* another name is another job */
    assert_int_equal(job_start(j, "bell", quick, now_ms()), 0);
    assert_int_equal(wait_done(j, "bell")->exit_code, 0);
    assert_int_equal(job_get(j, "sync")->state, JOB_RUNNING);
    /* freeing the runner ends what still runs, and reaps it */
    uint64_t t0 = now_ms();
    job_runner_free(j);
    assert_true(now_ms() - t0 < 4000);
    assert_int_equal(job_count_zombies(), 0);
}

static void test_job_that_cannot_run_reads_done_with_127(void **state)
{
    (void)state;
    job_runner *j = job_runner_new();
    char *argv[] = {"/nonexistent/kiosk-sync", "run", NULL};
    job_start(j, "sync", argv, now_ms()); /* glibc may spawn, then the child fails */
    const struct job_info *i = wait_done(j, "sync");
    assert_int_equal(i->state, JOB_DONE);
    assert_int_equal(i->exit_code, 127);
    job_runner_free(j);
}

static int ended_count;
static void count_ended(void *ctx, const char *name, const struct job_info *info)
{
    (void)ctx;
    (void)info;
    assert_string_equal(name, "bell");
    ended_count++;
}

static void test_job_leaves_no_zombie_after_200_runs(void **state)
{
    (void)state;
    job_runner *j = job_runner_new();
    char *argv[] = {"/bin/true", NULL};
    ended_count = 0;
    for (int k = 0; k < 200; k++) {
        int r = job_start(j, "bell", argv, now_ms());
        assert_true(r == 0 || r == -EBUSY);
        if (r == -EBUSY)
            k--;
        job_poll(j, now_ms());
        job_take_done(j, count_ended, NULL);
    }
    wait_done(j, "bell");
    job_take_done(j, count_ended, NULL);
    assert_int_equal(ended_count, 200);
    assert_int_equal(job_count_zombies(), 0);
    job_runner_free(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_job_starts_without_waiting_and_reports_its_end),
        cmocka_unit_test(test_job_refuses_a_second_copy_of_a_running_name),
        cmocka_unit_test(test_job_that_cannot_run_reads_done_with_127),
        cmocka_unit_test(test_job_leaves_no_zombie_after_200_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
