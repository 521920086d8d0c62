/* test_ime.c - the pinyin input method on the dictionary the build compiled
 * (KIOSK_BUILD_DIR/ime): common words and names within two pages, typing, paging,
 * choosing, limits, and that nothing is learned from one visitor for the next. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/ime.h"

static char data_dir[4096];

static int group_setup(void **state)
{
    (void)state;
    const char *build = getenv("KIOSK_BUILD_DIR");
    if (!build) {
        fprintf(stderr, "KIOSK_BUILD_DIR is not set (ctest sets it)\n");
        return -1;
    }
    snprintf(data_dir, sizeof data_dir, "%s/ime", build);
    return 0;
}

static int setup(void **state)
{
    ime *e = NULL;
    char err[512] = "";
    int r = ime_open(data_dir, &e, err, sizeof err);
    if (r < 0) {
        fprintf(stderr, "ime_open: %s\n", err);
        return -1;
    }
    *state = e;
    return 0;
}

static int teardown(void **state)
{
    ime_close(*state);
    return 0;
}

static void type(ime *e, const char *keys)
{
    for (const char *k = keys; *k; k++)
        assert_int_equal(ime_key(e, *k), 0);
}

/* Types PINYIN letter by letter, then taps candidates from pages 0 and 1 the way a
 * visitor would: the whole of what is left of WORD if it is there, else the longest
 * candidate that begins it. Returns the number of taps it took to commit WORD. */
static int reach(ime *e, const char *pinyin, const char *word)
{
    type(e, pinyin);
    size_t done = 0; /* bytes of WORD chosen so far */
    for (int taps = 1; taps <= 8; taps++) {
        const char *rest = word + done;
        int best_page = -1, best_index = -1;
        size_t best_len = 0;
        for (int page = 0; page < 2; page++) {
            const char *c[IME_PAGE_SIZE];
            int n = ime_page(e, page, c, IME_PAGE_SIZE);
            assert_true(n >= 0);
            for (int i = 0; i < n; i++) {
                size_t len = strlen(c[i]);
                if (len > best_len && strncmp(rest, c[i], len) == 0) {
                    best_len = len;
                    best_page = page;
                    best_index = i;
                }
            }
        }
        if (best_page < 0)
            fail_msg("%s: nothing on pages 0-1 begins \"%s\" (preedit \"%s\")", pinyin, rest,
                     ime_preedit(e));
        char *committed = (char *)"unset";
        int r = ime_select(e, best_page, best_index, &committed);
        done += best_len;
        if (r == 1) {
            assert_string_equal(committed, word);
            assert_int_equal(done, strlen(word));
            assert_false(ime_composing(e));
            free(committed);
            return taps;
        }
        assert_int_equal(r, 0);
        assert_null(committed);
        assert_true(ime_composing(e));
    }
    fail_msg("%s: not committed after 8 taps", pinyin);
    return -1;
}

/* Each is the first candidate of page 0: one tap. */
static void test_ime_finds_beijing_on_the_first_two_pages(void **state)
{
    assert_int_equal(reach(*state, "beijing", "北京"), 1);
}

static void test_ime_finds_shehuibaoxian_on_the_first_two_pages(void **state)
{
    assert_int_equal(reach(*state, "shehuibaoxian", "社会保险"), 1);
}

static void test_ime_finds_yingyezhizhao_on_the_first_two_pages(void **state)
{
    assert_int_equal(reach(*state, "yingyezhizhao", "营业执照"), 1);
}

static void test_ime_finds_gongjijin_on_the_first_two_pages(void **state)
{
    assert_int_equal(reach(*state, "gongjijin", "公积金"), 1);
}

/* A given name is not in the dictionary, and the sentence guess is 网小明: the
 * visitor taps 王小 (page 0) and then 明 (page 0), two taps. */
static void test_ime_finds_wangxiaoming_on_the_first_two_pages(void **state)
{
    assert_true(reach(*state, "wangxiaoming", "王小明") <= 2);
}

/* The compound surname is a word of its own: one tap. */
static void test_ime_finds_the_surname_ouyang_on_the_first_two_pages(void **state)
{
    assert_int_equal(reach(*state, "ouyang", "欧阳"), 1);
}

static void test_ime_shows_the_typed_syllables_and_then_the_partial_choice(void **state)
{
    ime *e = *state;
    assert_string_equal(ime_preedit(e), "");
    assert_false(ime_composing(e));
    type(e, "shehuibaoxian");
    assert_true(ime_composing(e));
    assert_string_equal(ime_preedit(e), "she hui bao xian");

    const char *c[IME_PAGE_SIZE];
    int n = ime_page(e, 0, c, IME_PAGE_SIZE);
    int shehui = -1;
    for (int i = 0; i < n; i++)
        if (strcmp(c[i], "社会") == 0)
            shehui = i;
    assert_true(shehui >= 0);
    char *committed = (char *)"unset";
    assert_int_equal(ime_select(e, 0, shehui, &committed), 0);
    assert_null(committed);
    assert_string_equal(ime_preedit(e), "社会bao xian");
    n = ime_page(e, 0, c, IME_PAGE_SIZE);
    assert_true(n > 0);
    assert_string_equal(c[0], "保险");

    /* BackSpace first takes the choice back */
    assert_int_equal(ime_backspace(e), 1);
    assert_null(strstr(ime_preedit(e), "社会"));
    n = ime_page(e, 0, c, IME_PAGE_SIZE);
    assert_string_equal(c[0], "社会保险");
}

static void test_ime_pages_hold_eight_candidates_and_page_on(void **state)
{
    ime *e = *state;
    assert_false(ime_has_page(e, 0));
    const char *c[IME_PAGE_SIZE];
    assert_int_equal(ime_page(e, 0, c, IME_PAGE_SIZE), 0);

    type(e, "shi");
    const char *p0[IME_PAGE_SIZE], *p1[IME_PAGE_SIZE];
    char first[IME_PAGE_SIZE][IME_MAX_CAND + 1];
    assert_int_equal(ime_page(e, 0, p0, IME_PAGE_SIZE), IME_PAGE_SIZE);
    for (int i = 0; i < IME_PAGE_SIZE; i++)
        snprintf(first[i], sizeof first[i], "%s", p0[i]);
    assert_int_equal(ime_page(e, 1, p1, IME_PAGE_SIZE), IME_PAGE_SIZE);
    for (int i = 0; i < IME_PAGE_SIZE; i++)
        for (int j = 0; j < IME_PAGE_SIZE; j++)
            assert_string_not_equal(p1[i], first[j]);
    assert_int_equal(ime_page(e, 0, c, 3), 3); /* max is honoured */
    assert_true(ime_has_page(e, 0));
    assert_true(ime_has_page(e, 1));
    assert_false(ime_has_page(e, 100000));
    assert_int_equal(ime_page(e, 100000, c, IME_PAGE_SIZE), 0);
    assert_false(ime_has_page(e, -1));
    assert_int_equal(ime_page(e, -1, c, IME_PAGE_SIZE), -EINVAL);

    /* a candidate chosen from page 1 is that one */
    assert_int_equal(ime_page(e, 1, p1, IME_PAGE_SIZE), IME_PAGE_SIZE);
    char want[IME_MAX_CAND + 1];
    snprintf(want, sizeof want, "%s", p1[2]);
    char *committed = NULL;
    assert_int_equal(ime_select(e, 1, 2, &committed), 1);
    assert_string_equal(committed, want);
    free(committed);
}

static void test_ime_select_rejects_a_candidate_that_is_not_there(void **state)
{
    ime *e = *state;
    char *committed = (char *)"untouched";
    assert_int_equal(ime_select(e, 0, 0, &committed), -ERANGE); /* nothing typed */
    type(e, "ouyang");
    assert_int_equal(ime_select(e, 0, IME_PAGE_SIZE, &committed), -EINVAL);
    assert_int_equal(ime_select(e, 0, -1, &committed), -EINVAL);
    assert_int_equal(ime_select(e, -1, 0, &committed), -EINVAL);
    assert_int_equal(ime_select(e, 100000, 0, &committed), -ERANGE);
    assert_string_equal(committed, "untouched");
    assert_string_equal(ime_preedit(e), "ou yang");
}

static void test_ime_backspace_removes_the_last_letter(void **state)
{
    ime *e = *state;
    assert_int_equal(ime_backspace(e), 0);
    type(e, "beijing");
    assert_int_equal(ime_backspace(e), 1);
    assert_string_equal(ime_preedit(e), "bei jin");
    for (int i = 0; i < 6; i++)
        assert_int_equal(ime_backspace(e), 1);
    assert_false(ime_composing(e));
    assert_string_equal(ime_preedit(e), "");
    assert_int_equal(ime_backspace(e), 0);
}

static void test_ime_reset_forgets_the_composition(void **state)
{
    ime *e = *state;
    type(e, "shehuibaoxian");
    char *committed = NULL;
    assert_int_equal(ime_select(e, 0, 1, &committed), 0); /* a partial choice, too */
    ime_reset(e);
    assert_false(ime_composing(e));
    assert_string_equal(ime_preedit(e), "");
    assert_false(ime_has_page(e, 0));
    /* and the next visitor starts cleanly */
    assert_int_equal(reach(e, "gongjijin", "公积金"), 1);
}

static void test_ime_rejects_non_letters(void **state)
{
    ime *e = *state;
    const char bad[] = {'A', 'Z', '0', '9', ' ', '-', ';', '\n', '\0', (char)0xe4, (char)0x7f};
    for (size_t i = 0; i < sizeof bad; i++)
        assert_int_equal(ime_key(e, bad[i]), -EINVAL);
    assert_false(ime_composing(e));
    /* a separator needs a syllable before it, and one is enough */
    assert_int_equal(ime_key(e, '\''), 0);
    assert_false(ime_composing(e));
    type(e, "xi'");
    assert_int_equal(ime_key(e, '\''), 0);
    assert_int_equal(ime_key(e, '1'), -EINVAL);
    type(e, "an");
    assert_string_equal(ime_preedit(e), "xi'an");
    const char *c[IME_PAGE_SIZE];
    assert_true(ime_page(e, 0, c, IME_PAGE_SIZE) > 0);
    assert_string_equal(c[0], "西安");
}

static void test_ime_caps_input_length(void **state)
{
    ime *e = *state;
    for (int i = 0; i < IME_MAX_INPUT; i++)
        assert_int_equal(ime_key(e, 'a'), 0);
    for (int i = 0; i < 6; i++)
        assert_int_equal(ime_key(e, 'a'), -ENOSPC);
    assert_int_equal(ime_key(e, '\''), -ENOSPC);
    /* 64 syllables, a space between each */
    assert_int_equal(strlen(ime_preedit(e)), 2 * IME_MAX_INPUT - 1);

    /* the sentence of 64 啊 is 192 bytes: shown cut, committed whole */
    const char *c[IME_PAGE_SIZE];
    int n = ime_page(e, 0, c, IME_PAGE_SIZE);
    assert_true(n > 0);
    for (int i = 0; i < n; i++)
        assert_true(strlen(c[i]) <= IME_MAX_CAND);
    const char *ellipsis = "\xe2\x80\xa6";
    assert_string_equal(c[0] + strlen(c[0]) - strlen(ellipsis), ellipsis);
    char *committed = NULL;
    assert_int_equal(ime_select(e, 0, 0, &committed), 1);
    assert_int_equal(strlen(committed), 3 * IME_MAX_INPUT);
    free(committed);

    /* room again once committed */
    assert_int_equal(ime_key(e, 'a'), 0);
}

/* The rankings of pages 0 and 1 for PINYIN, then the composition cleared. */
static void ranking(ime *e, const char *pinyin, char out[2 * IME_PAGE_SIZE][IME_MAX_CAND + 1])
{
    memset(out, 0, 2 * IME_PAGE_SIZE * sizeof out[0]);
    type(e, pinyin);
    for (int page = 0; page < 2; page++) {
        const char *c[IME_PAGE_SIZE];
        int n = ime_page(e, page, c, IME_PAGE_SIZE);
        for (int i = 0; i < n; i++)
            snprintf(out[page * IME_PAGE_SIZE + i], IME_MAX_CAND + 1, "%s", c[i]);
    }
    ime_reset(e);
}

static void test_ime_does_not_learn_between_visitors(void **state)
{
    ime *e = *state;
    char fresh[2 * IME_PAGE_SIZE][IME_MAX_CAND + 1], after[2 * IME_PAGE_SIZE][IME_MAX_CAND + 1];
    ranking(e, "shehui", fresh);

    /* a visitor commits the last candidate of page 1 (a rare character), and then
     * the best guess for the rest: what a learning engine would rank up next time */
    type(e, "shehui");
    char *committed = NULL;
    int r = ime_select(e, 1, IME_PAGE_SIZE - 1, &committed);
    for (int taps = 0; r == 0 && taps < 8; taps++)
        r = ime_select(e, 0, 0, &committed);
    assert_int_equal(r, 1);
    assert_string_not_equal(committed, fresh[0]);
    /* and commits it again, as a learning engine would count */
    for (int again = 0; again < 3; again++) {
        char *c2 = NULL;
        type(e, "shehui");
        r = ime_select(e, 1, IME_PAGE_SIZE - 1, &c2);
        for (int taps = 0; r == 0 && taps < 8; taps++)
            r = ime_select(e, 0, 0, &c2);
        assert_int_equal(r, 1);
        free(c2);
    }
    free(committed);
    ime_reset(e); /* the visitor leaves */

    ranking(e, "shehui", after);
    for (int i = 0; i < 2 * IME_PAGE_SIZE; i++)
        assert_string_equal(after[i], fresh[i]);

    /* nor after the kiosk restarts */
    ime_close(e);
    *state = NULL;
    char err[512] = "";
    assert_int_equal(ime_open(data_dir, &e, err, sizeof err), 0);
    *state = e;
    ranking(e, "shehui", after);
    for (int i = 0; i < 2 * IME_PAGE_SIZE; i++)
        assert_string_equal(after[i], fresh[i]);

    /* and nothing was written to the data directory for a later run to load */
    DIR *d = opendir(data_dir);
    assert_non_null(d);
    for (struct dirent *de; (de = readdir(d));)
        if (strstr(de->d_name, "userdb") || strstr(de->d_name, ".txt"))
            fail_msg("%s/%s: engine wrote a user dictionary", data_dir, de->d_name);
    closedir(d);
}

static void test_ime_opens_once_per_process_and_names_a_missing_dictionary(void **state)
{
    (void)state; /* the fixture's engine is open */
    ime *e = NULL;
    char err[512] = "";
    assert_int_equal(ime_open(data_dir, &e, err, sizeof err), -EBUSY);
    assert_null(e);
    ime_close(*state);
    *state = NULL;

    char empty[] = "/tmp/kiosk-ime-XXXXXX";
    assert_non_null(mkdtemp(empty));
    assert_int_equal(ime_open(empty, &e, err, sizeof err), -ENOENT);
    assert_null(e);
    if (!strstr(err, "no compiled pinyin dictionary") || !strstr(err, empty))
        fail_msg("error \"%s\" does not name the missing dictionary", err);
    rmdir(empty);
    assert_int_equal(ime_open("/nonexistent/ime", &e, err, sizeof err), -ENOENT);
    assert_non_null(strstr(err, "/nonexistent/ime"));

    /* and it opens again after a failure */
    assert_int_equal(ime_open(data_dir, &e, err, sizeof err), 0);
    *state = e;
    ime_close(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ime_finds_beijing_on_the_first_two_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ime_finds_shehuibaoxian_on_the_first_two_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ime_finds_yingyezhizhao_on_the_first_two_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ime_finds_gongjijin_on_the_first_two_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ime_finds_wangxiaoming_on_the_first_two_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ime_finds_the_surname_ouyang_on_the_first_two_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ime_shows_the_typed_syllables_and_then_the_partial_choice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ime_pages_hold_eight_candidates_and_page_on, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ime_select_rejects_a_candidate_that_is_not_there, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ime_backspace_removes_the_last_letter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ime_reset_forgets_the_composition, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ime_rejects_non_letters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ime_caps_input_length, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ime_does_not_learn_between_visitors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ime_opens_once_per_process_and_names_a_missing_dictionary, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
