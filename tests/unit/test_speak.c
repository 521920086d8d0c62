/* test_speak.c - the read-aloud queue on SDL's dummy sound device (which consumes
 * samples in real time and plays nothing): texts wait in order, speak_stop empties
 * the queue at once, the caller never waits for synthesis, freeing with work in
 * flight is clean, and with no sound device the queue still works. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/util.h"
#include "screens/speak.h"

static const char para_zh[] =
    "办理结婚登记，需要男女双方共同到婚姻登记机关提出申请，并携带本人的户口簿和身份证。";
static const char para_en[] =
    "To register a marriage, both parties apply together at the registration office "
    "and bring their household register and identity card.";

/* Generous bounds on wall-clock time: machines (and sanitizers) are noisy. */
#define SAY_MAX_MS 100.0
#define WAIT_MAX_MS 20000.0

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void sleep_ms(int ms)
{
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* Waits for the worker to finish starting; returns speak_status. */
static int started(speak *sp)
{
    double t0 = now_ms();
    int r;
    while ((r = speak_status(sp, NULL)) == -EINPROGRESS && now_ms() - t0 < WAIT_MAX_MS)
        sleep_ms(2);
    return r;
}

static int setup(void **state)
{
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    speak *sp = NULL;
    if (speak_new(&sp) < 0)
        return -1;
    const char *why = NULL;
    int r = started(sp);
    speak_status(sp, &why);
    if (r < 0) {
        fprintf(stderr, "speak: %s\n", why ? why : "?");
        speak_free(sp);
        return -1;
    }
    *state = sp;
    return 0;
}

static int teardown(void **state)
{
    speak_free(*state);
    return 0;
}

static void assert_queue_item(speak *sp, int i, const char *want)
{
    char *s = speak_queue_item(sp, i);
    assert_non_null(s);
    assert_string_equal(s, want);
    free(s);
}

static void assert_history_item(speak *sp, int i, const char *want)
{
    char *s = speak_history_item(sp, i);
    assert_non_null(s);
    assert_string_equal(s, want);
    free(s);
}

/* Waits until the worker has begun the text, i.e. it is the last in the history. */
static void wait_begun(speak *sp, const char *text)
{
    double t0 = now_ms();
    for (;;) {
        int n = speak_history_count(sp);
        char *last = n ? speak_history_item(sp, n - 1) : NULL;
        bool found = last && strcmp(last, text) == 0;
        free(last);
        if (found)
            return;
        assert_true(now_ms() - t0 < WAIT_MAX_MS);
        sleep_ms(1);
    }
}

static void wait_idle(speak *sp)
{
    double t0 = now_ms();
    while (speak_busy(sp)) {
        assert_true(now_ms() - t0 < WAIT_MAX_MS);
        sleep_ms(5);
    }
}

static void test_speak_queue_holds_three_texts_in_the_order_said(void **state)
{
    speak *sp = *state;
    assert_int_equal(speak_say(sp, para_zh, LANG_ZH), 0);
    assert_int_equal(speak_say(sp, para_en, LANG_EN), 0);
    assert_int_equal(speak_say(sp, "请取号。", LANG_ZH), 0);
    /* the first plays for ~13 s in real time, so all three are still there */
    assert_int_equal(speak_queue_count(sp), 3);
    assert_queue_item(sp, 0, para_zh);
    assert_queue_item(sp, 1, para_en);
    assert_queue_item(sp, 2, "请取号。");
    assert_null(speak_queue_item(sp, 3));
    assert_null(speak_queue_item(sp, -1));
    assert_true(speak_busy(sp));
}

static void test_speak_stop_empties_the_queue_and_silences_at_once(void **state)
{
    speak *sp = *state;
    assert_int_equal(speak_say(sp, para_zh, LANG_ZH), 0);
    assert_int_equal(speak_say(sp, para_en, LANG_EN), 0);
    assert_int_equal(speak_say(sp, "请取号。", LANG_ZH), 0);
    wait_begun(sp, para_zh);
    double t0 = now_ms();
    speak_stop(sp);
    double took = now_ms() - t0;
    print_message("speak_stop took %.3f ms\n", took);
    assert_int_equal(speak_queue_count(sp), 0);
    assert_false(speak_busy(sp));
    assert_true(took < SAY_MAX_MS);
    /* a piece synthesised meanwhile is thrown away, not played */
    sleep_ms(50);
    assert_false(speak_busy(sp));
    /* and speaking goes on afterwards */
    assert_int_equal(speak_say(sp, "您好。", LANG_ZH), 0);
    assert_int_equal(speak_queue_count(sp), 1);
    wait_begun(sp, "您好。");
}

static void test_speak_say_returns_without_waiting_for_synthesis(void **state)
{
    speak *sp = *state;
    strbuf sb = {0};
    while (sb.len + sizeof para_zh < SPEAK_TEXT_MAX)
        strbuf_adds(&sb, para_zh);
    double worst = 0;
    for (int i = 0; i < 8; i++) {
        double t0 = now_ms();
        assert_int_equal(speak_say(sp, i % 2 ? para_en : sb.buf, i % 2 ? LANG_EN : LANG_ZH), 0);
        worst = MAX(worst, now_ms() - t0);
    }
    print_message("speak_say of up to %zu bytes: worst %.3f ms\n", sb.len, worst);
    assert_true(worst < SAY_MAX_MS);
    assert_int_equal(speak_queue_count(sp), 8);
    strbuf_release(&sb);
}

static void test_speak_free_with_work_in_flight_exits_cleanly(void **state)
{
    speak *sp = *state;
    for (int i = 0; i < 10; i++)
        assert_int_equal(speak_say(sp, i % 2 ? para_en : para_zh, i % 2 ? LANG_EN : LANG_ZH), 0);
    wait_begun(sp, para_zh);
    assert_true(speak_busy(sp));
    double t0 = now_ms();
    speak_free(sp);
    *state = NULL;
    double took = now_ms() - t0;
    print_message("speak_free while speaking took %.1f ms\n", took);
    assert_true(took < 1000.0);
}

static void test_speak_free_right_after_say_exits_cleanly(void **state)
{
    /* before the worker has even opened the engine */
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    speak *sp = NULL;
    assert_int_equal(speak_new(&sp), 0);
    assert_int_equal(speak_say(sp, para_zh, LANG_ZH), 0);
    speak_free(sp);
    (void)state;
}

static void test_speak_cuts_a_text_longer_than_the_limit_at_sentence_ends(void **state)
{
    speak *sp = *state;
    strbuf sb = {0};
    while (sb.len < 2 * SPEAK_TEXT_MAX + 100)
        strbuf_adds(&sb, para_zh);
    assert_int_equal(speak_say(sp, sb.buf, LANG_ZH), 0);
    int n = speak_queue_count(sp);
    assert_int_equal(n, 3);
    strbuf back = {0};
    for (int i = 0; i < n; i++) {
        char *s = speak_queue_item(sp, i);
        assert_non_null(s);
        assert_true(strlen(s) <= SPEAK_TEXT_MAX);
        /* every piece but the last ends a sentence */
        if (i < n - 1)
            assert_string_equal(s + strlen(s) - strlen("。"), "。");
        strbuf_adds(&back, s);
        free(s);
    }
    assert_string_equal(back.buf, sb.buf);
    strbuf_release(&sb);
    strbuf_release(&back);
}

static void test_speak_refuses_more_than_the_queue_holds_and_queues_none_of_it(void **state)
{
    speak *sp = *state;
    for (int i = 0; i < SPEAK_QUEUE_MAX; i++)
        assert_int_equal(speak_say(sp, para_en, LANG_EN), 0);
    assert_int_equal(speak_say(sp, "one too many", LANG_EN), -ENOBUFS);
    assert_int_equal(speak_queue_count(sp), SPEAK_QUEUE_MAX);
    speak_stop(sp);
    /* a text that would need more pieces than are free is refused whole */
    for (int i = 0; i < SPEAK_QUEUE_MAX - 1; i++)
        assert_int_equal(speak_say(sp, "一。", LANG_ZH), 0);
    strbuf sb = {0};
    while (sb.len < 2 * SPEAK_TEXT_MAX + 100) /* three pieces */
        strbuf_adds(&sb, para_zh);
    assert_int_equal(speak_say(sp, sb.buf, LANG_ZH), -ENOBUFS);
    assert_true(speak_queue_count(sp) <= SPEAK_QUEUE_MAX - 1);
    strbuf_release(&sb);
}

static void test_speak_says_nothing_for_an_empty_text_and_refuses_an_unknown_language(void **state)
{
    speak *sp = *state;
    assert_int_equal(speak_say(sp, "", LANG_ZH), 0);
    assert_int_equal(speak_say(sp, NULL, LANG_ZH), 0);
    assert_int_equal(speak_say(sp, "x", LANG_COUNT), -EINVAL);
    assert_int_equal(speak_queue_count(sp), 0);
    assert_false(speak_busy(sp));
}

static void test_speak_is_busy_until_the_text_has_sounded_then_remembers_it(void **state)
{
    speak *sp = *state;
    double t0 = now_ms();
    assert_int_equal(speak_say(sp, "您好。", LANG_ZH), 0);
    assert_int_equal(speak_say(sp, "Hello.", LANG_EN), 0);
    assert_true(speak_busy(sp));
    wait_idle(sp);
    double took = now_ms() - t0;
    print_message("two greetings sounded for %.0f ms\n", took);
    /* the dummy device plays in real time: ~0.7 s and ~0.5 s of speech */
    assert_true(took > 500);
    assert_int_equal(speak_queue_count(sp), 0);
    assert_int_equal(speak_history_count(sp), 2);
    assert_history_item(sp, 0, "您好。");
    assert_history_item(sp, 1, "Hello.");
}

static void test_speak_history_keeps_the_last_texts_begun_in_order(void **state)
{
    speak *sp = *state;
    char text[32];
    for (int i = 0; i < SPEAK_HISTORY + 3; i++) {
        snprintf(text, sizeof text, "Item %d.", i);
        assert_int_equal(speak_say(sp, text, LANG_EN), 0);
        wait_begun(sp, text);
        speak_stop(sp); /* cut short: still remembered */
    }
    assert_int_equal(speak_history_count(sp), SPEAK_HISTORY);
    for (int i = 0; i < SPEAK_HISTORY; i++) {
        snprintf(text, sizeof text, "Item %d.", i + 3);
        assert_history_item(sp, i, text);
    }
    assert_null(speak_history_item(sp, SPEAK_HISTORY));
}

static void test_speak_without_a_sound_device_still_goes_through_the_queue(void **state)
{
    (void)state;
    setenv("SDL_AUDIODRIVER", "no-such-driver", 1);
    speak *sp = NULL;
    assert_int_equal(speak_new(&sp), 0);
    const char *why = NULL;
    assert_int_equal(started(sp), -ENODEV);
    speak_status(sp, &why);
    assert_non_null(why);
    print_message("without a device: %s\n", why);
    assert_int_equal(speak_say(sp, para_zh, LANG_ZH), 0);
    assert_int_equal(speak_say(sp, para_en, LANG_EN), 0);
    wait_idle(sp);
    assert_int_equal(speak_history_count(sp), 2);
    assert_history_item(sp, 0, para_zh);
    assert_history_item(sp, 1, para_en);
    speak_free(sp);
    setenv("SDL_AUDIODRIVER", "dummy", 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_speak_queue_holds_three_texts_in_the_order_said, setup, teardown),
        cmocka_unit_test_setup_teardown(test_speak_stop_empties_the_queue_and_silences_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_speak_say_returns_without_waiting_for_synthesis, setup, teardown),
        cmocka_unit_test_setup_teardown(test_speak_free_with_work_in_flight_exits_cleanly, setup, teardown),
        cmocka_unit_test(test_speak_free_right_after_say_exits_cleanly),
        cmocka_unit_test_setup_teardown(test_speak_cuts_a_text_longer_than_the_limit_at_sentence_ends, setup, teardown),
        cmocka_unit_test_setup_teardown(test_speak_refuses_more_than_the_queue_holds_and_queues_none_of_it, setup, teardown),
        cmocka_unit_test_setup_teardown(test_speak_says_nothing_for_an_empty_text_and_refuses_an_unknown_language, setup, teardown),
        cmocka_unit_test_setup_teardown(test_speak_is_busy_until_the_text_has_sounded_then_remembers_it, setup, teardown),
        cmocka_unit_test_setup_teardown(test_speak_history_keeps_the_last_texts_begun_in_order, setup, teardown),
        cmocka_unit_test(test_speak_without_a_sound_device_still_goes_through_the_queue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
