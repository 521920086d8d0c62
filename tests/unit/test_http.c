/* test_http.c - the politeness rules of the sync agent's HTTP client: Retry-After in
 * both of its forms, and exponential backoff with jitter inside its bounds. (The
 * requests themselves are tested against a real nginx in tests/sync.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <time.h>

#include "http.h"

static void test_retry_after_in_seconds(void **s)
{
    (void)s;
    assert_int_equal(http_retry_after("120", 0), 120);
    assert_int_equal(http_retry_after(" 5 ", 0), 5);
    assert_int_equal(http_retry_after("0", 0), 0);
    assert_int_equal(http_retry_after("", 0), -1);
    assert_int_equal(http_retry_after("-3", 0), -1);
    assert_int_equal(http_retry_after("12abc", 0), -1);
    assert_int_equal(http_retry_after("99999999999999999999", 0), -1);
}

static void test_retry_after_as_an_http_date_in_all_three_formats(void **s)
{
    (void)s;
    time_t now = 1445412450; /* 2015-10-21T07:27:30Z */
    assert_int_equal(http_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now), 30);
    assert_int_equal(http_retry_after("Wednesday, 21-Oct-15 07:28:00 GMT", now), 30);
    assert_int_equal(http_retry_after("Wed Oct 21 07:28:00 2015", now), 30);
    /* a date already past means: now */
    assert_int_equal(http_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now), 0);
    assert_int_equal(http_retry_after("soon, please", now), -1);
}

static void test_backoff_doubles_with_jitter_and_respects_the_caps(void **s)
{
    (void)s;
    struct http_opts o = {.retry_base_ms = 1000, .retry_max_seconds = 10};
    for (int i = 0; i < 200; i++) {
        long a1 = http_backoff_ms(&o, 1, -1), a2 = http_backoff_ms(&o, 2, -1), a6 = http_backoff_ms(&o, 6, -1);
        assert_in_range(a1, 500, 1000);
        assert_in_range(a2, 1000, 2000);
        assert_in_range(a6, 5000, 10000); /* 32 s capped at 10 */
        /* Retry-After is a floor, never shortened by jitter */
        assert_in_range(http_backoff_ms(&o, 1, 7), 7000, 7000);
        assert_in_range(http_backoff_ms(&o, 3, 1), 2000, 4000);
    }
    /* the jitter really varies: a fleet that failed together spreads out */
    long first = http_backoff_ms(&o, 4, -1);
    int differs = 0;
    for (int i = 0; i < 50 && !differs; i++)
        differs = http_backoff_ms(&o, 4, -1) != first;
    assert_true(differs);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_retry_after_in_seconds),
        cmocka_unit_test(test_retry_after_as_an_http_date_in_all_three_formats),
        cmocka_unit_test(test_backoff_doubles_with_jitter_and_respects_the_caps),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return r;
}
