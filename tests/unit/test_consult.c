/* test_consult.c - public comment (firmware/core/consult.c): a consultation's status
 * on a day, and the comment form built from the demo content (the content.db the build
 * made: $KIOSK_BUILD_DIR/content.db): the consultation's questions asked before the
 * comment, the comment or one answer required, the consultation's id in the
 * submission, no comment on a closed consultation. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/consult.h"

static store *content;

static int group_setup(void **s)
{
    (void)s;
    char path[512], err[256];
    const char *dir = getenv("KIOSK_BUILD_DIR");
    snprintf(path, sizeof path, "%s/content.db", dir ? dir : "build");
    if (store_open(path, &content, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

static int group_teardown(void **s)
{
    (void)s;
    store_close(content);
    return 0;
}

static void test_status_counts_both_ends_of_the_period_as_open(void **s)
{
    (void)s;
    int days = -1;
    assert_int_equal(consult_status_of("2026-11-10", "2026-12-31", "2026-11-09", &days), CONSULT_UPCOMING);
    assert_int_equal(days, 1);
    assert_int_equal(consult_status_of("2026-11-10", "2026-12-31", "2026-11-10", &days), CONSULT_OPEN);
    assert_int_equal(days, 51);
    assert_int_equal(consult_status_of("2026-11-10", "2026-12-31", "2026-12-31", &days), CONSULT_CLOSING_SOON);
    assert_int_equal(days, 0);
    assert_int_equal(consult_status_of("2026-11-10", "2026-12-31", "2027-01-01", &days), CONSULT_CLOSED);
    assert_int_equal(days, 1);
}

static void test_status_is_closing_soon_in_the_last_week(void **s)
{
    (void)s;
    int days = -1;
    /* 7 days before the closing day: open; 6: closing soon (7 days left, today included) */
    assert_int_equal(consult_status_of("2026-10-30", "2026-12-01", "2026-11-24", &days), CONSULT_OPEN);
    assert_int_equal(days, 7);
    assert_int_equal(consult_status_of("2026-10-30", "2026-12-01", "2026-11-25", &days), CONSULT_CLOSING_SOON);
    assert_int_equal(days, 6);
    /* across a year end and a leap day */
    assert_int_equal(consult_status_of("2028-02-01", "2028-03-01", "2028-02-28", &days), CONSULT_CLOSING_SOON);
    assert_int_equal(days, 2);
}

static void test_status_refuses_a_date_that_is_not_real(void **s)
{
    (void)s;
    assert_int_equal(consult_status_of("2026-02-30", "2026-12-31", "2026-11-27", NULL), -EINVAL);
    assert_int_equal(consult_status_of("2026-11-10", "2026-12-31", "27/11/2026", NULL), -EINVAL);
    assert_int_equal(consult_status_of(NULL, "2026-12-31", "2026-11-27", NULL), -EINVAL);
}

static void test_comment_form_asks_the_questions_before_the_comment(void **s)
{
    (void)s;
    form *f = NULL;
    assert_int_equal(consult_open_comment(content, "elderly-meal-aid-2026", "2026-11-27", &f), 0);
    const struct form_def *d = form_definition(f);
    assert_int_equal(form_kind_of(f), FORM_COMMENT);
    assert_string_equal(form_consultation(f), "elderly-meal-aid-2026");
    assert_string_equal(d->fields[0].id, "q1");
    assert_string_equal(d->fields[1].id, "q2");
    assert_string_equal(d->fields[2].id, "comment");
    assert_string_equal(d->fields[1].label.s[LANG_EN],
                        "How far is your nearest meal point on foot? Where is another one needed?");
    assert_int_equal(d->fields[0].step, d->fields[2].step);
    /* nothing filled: the comment asks for one of the group; one answer is enough */
    const char *key = NULL;
    assert_int_not_equal(form_check(f, "comment", &key), VALID_OK);
    assert_string_equal(key, "form.one_of");
    assert_int_equal(form_set(f, "q2", "Ten minutes"), 0);
    assert_int_equal(form_check(f, "comment", NULL), VALID_OK);
    assert_int_equal(form_set(f, "identity", "anonymous"), 0);
    assert_int_equal(form_first_invalid(f, NULL, NULL), 0);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(form_serialise(f, "K0001-261127-0001-R", "K0001", "2026-11-27T02:00:00Z", &text, &len), 0);
    assert_non_null(strstr(text, "\"kind\":\"comment\",\"form\":\"comment\",\"consultation\":\"elderly-meal-aid-2026\""));
    assert_non_null(strstr(text, "\"q2\":\"Ten minutes\""));
    form_text_wipe(text, len);
    form_free(f);
}

static void test_comment_form_without_questions_requires_the_comment(void **s)
{
    (void)s;
    struct consultation c = {.id = "no-questions"};
    form *f = NULL;
    assert_int_equal(consult_comment_form(content, "comment", &c, &f), 0);
    assert_string_equal(form_definition(f)->fields[0].id, "comment");
    assert_true(form_required(f, "comment"));
    form_free(f);
}

static void test_no_comment_on_a_closed_or_upcoming_consultation(void **s)
{
    (void)s;
    form *f = NULL;
    assert_int_equal(consult_open_comment(content, "park-green-space-2026", "2026-11-27", &f), -EACCES);
    assert_int_equal(consult_open_comment(content, "elderly-meal-aid-2026", "2026-11-09", &f), -EACCES);
    assert_int_equal(consult_open_comment(content, "elderly-meal-aid-2026", "2027-01-01", &f), -EACCES);
    assert_int_equal(consult_open_comment(content, "no-such-thing", "2026-11-27", &f), -ENOENT);
    assert_null(f);
}

static void test_only_a_comment_form_takes_a_consultation(void **s)
{
    (void)s;
    struct consultation c = {.id = "elderly-meal-aid-2026"};
    form *f = NULL;
    assert_int_equal(consult_comment_form(content, "feedback", &c, &f), -EPROTO);
    assert_int_equal(form_load(content, "feedback", &f), 0);
    assert_int_equal(form_set_consultation(f, "elderly-meal-aid-2026"), -EINVAL);
    form_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_counts_both_ends_of_the_period_as_open),
        cmocka_unit_test(test_status_is_closing_soon_in_the_last_week),
        cmocka_unit_test(test_status_refuses_a_date_that_is_not_real),
        cmocka_unit_test(test_comment_form_asks_the_questions_before_the_comment),
        cmocka_unit_test(test_comment_form_without_questions_requires_the_comment),
        cmocka_unit_test(test_no_comment_on_a_closed_or_upcoming_consultation),
        cmocka_unit_test(test_only_a_comment_form_takes_a_consultation),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
