/* test_pinyin.c - pinyin keys from Debian's luna_pinyin dictionary and Unihan
 * (sync/pinyin.c): words settle polyphones, Simplified titles read like Traditional
 * ones, anything not Chinese passes through. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pinyin.h"

static pinyin *py;

static int setup(void **state)
{
    char err[512];
    (void)state;
    if (pinyin_open(NULL, NULL, &py, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    pinyin_close(py);
    return 0;
}

/* Checks the syllables, the full key and the initials of TEXT. */
static void expect_keys(const char *text, const char *syllables, const char *full,
                        const char *initials)
{
    char *s = NULL, *f = NULL, *i = NULL;
    assert_int_equal(pinyin_convert(py, text, &s, &f, &i), 0);
    if (strcmp(s, syllables) != 0)
        fail_msg("%s: syllables \"%s\", want \"%s\"", text, s, syllables);
    if (full && strcmp(f, full) != 0)
        fail_msg("%s: full \"%s\", want \"%s\"", text, f, full);
    if (initials && strcmp(i, initials) != 0)
        fail_msg("%s: initials \"%s\", want \"%s\"", text, i, initials);
    free(s);
    free(f);
    free(i);
}

static void test_pinyin_reads_common_service_words(void **state)
{
    (void)state;
    expect_keys("社会保险", "she hui bao xian", "shehuibaoxian", "shbx");
    expect_keys("社保", "she bao", "shebao", "sb");
    expect_keys("公积金", "gong ji jin", "gongjijin", "gjj");
    expect_keys("营业执照", "ying ye zhi zhao", "yingyezhizhao", "yyzz");
    expect_keys("户口", "hu kou", "hukou", "hk");
    expect_keys("婚姻登记", "hun yin deng ji", "hunyindengji", "hydj");
    expect_keys("单位", "dan wei", "danwei", "dw");
}

static void test_pinyin_reads_polyphones_right_in_context(void **state)
{
    (void)state;
    expect_keys("银行", "yin hang", "yinhang", "yh");
    expect_keys("行政", "xing zheng", "xingzheng", "xz");
    expect_keys("重庆", "chong qing", "chongqing", "cq");
    expect_keys("长春", "chang chun", "changchun", "cc");
    expect_keys("行政处罚决定书", "xing zheng chu fa jue ding shu", NULL, "xzcfjds");
    expect_keys("中国银行行长", "zhong guo yin hang hang zhang", NULL, "zgyhhz");
    expect_keys("重要", "zhong yao", NULL, "zy");
    expect_keys("调运检疫", "diao yun jian yi", NULL, "dyjy");
}

static void test_pinyin_reads_a_character_by_its_simplified_use(void **state)
{
    (void)state;
    /* luna lists 业 and 积 as other Traditional characters (qiu, zhi); as the
     * Simplified forms of 業 and 積 they read ye and ji */
    expect_keys("企业", "qi ye", NULL, "qy");
    expect_keys("积累", "ji lei", NULL, "jl");
    expect_keys("干部", "gan bu", NULL, "gb");
}

static void test_pinyin_reads_traditional_titles_as_well(void **state)
{
    (void)state;
    expect_keys("銀行", "yin hang", NULL, "yh");
    expect_keys("社會保險", "she hui bao xian", NULL, "shbx");
}

static void test_pinyin_settles_a_tie_with_the_customary_reading(void **state)
{
    (void)state;
    /* luna lists 箔 as bao and bo with no weights; Unihan's kMandarin says bó */
    expect_keys("箔", "bo", NULL, "b");
}

static void test_pinyin_writes_u_umlaut_as_v(void **state)
{
    (void)state;
    expect_keys("随迁子女", "sui qian zi nv", NULL, "sqzn");
    expect_keys("绿色", "lv se", NULL, "ls");
}

static void test_pinyin_passes_what_is_not_chinese_through(void **state)
{
    (void)state;
    expect_keys("ID卡2025版", "id ka 2025 ban", "idka2025ban", "ik2b");
    expect_keys("Social Security, 2025!", "social security 2025", "socialsecurity2025", "ss2");
    expect_keys("（）《》、。", "", "", "");
    expect_keys("", "", "", "");
}

static void test_pinyin_gives_one_token_per_unit_of_the_title(void **state)
{
    (void)state;
    /* punctuation between makes no token; the keys stay aligned with the characters */
    expect_keys("出生登记（新生儿落户）", "chu sheng deng ji xin sheng er luo hu", NULL,
                "csdjxselh");
}

static void test_pinyin_refuses_a_missing_dictionary_naming_its_package(void **state)
{
    pinyin *p = NULL;
    char err[512];
    (void)state;
    assert_int_equal(pinyin_open("/nonexistent/luna_pinyin.dict.yaml", NULL, &p, err,
                                 sizeof err), -ENOENT);
    assert_null(p);
    assert_non_null(strstr(err, "/nonexistent/luna_pinyin.dict.yaml"));
    assert_non_null(strstr(err, "rime-data-luna-pinyin"));
}

static void test_pinyin_refuses_missing_unihan_naming_its_package(void **state)
{
    pinyin *p = NULL;
    char err[512];
    (void)state;
    assert_int_equal(pinyin_open(NULL, "/nonexistent", &p, err, sizeof err), -ENOENT);
    assert_null(p);
    assert_non_null(strstr(err, "/nonexistent/Unihan_Variants.txt"));
    assert_non_null(strstr(err, "unicode-data"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pinyin_reads_common_service_words),
        cmocka_unit_test(test_pinyin_reads_polyphones_right_in_context),
        cmocka_unit_test(test_pinyin_reads_a_character_by_its_simplified_use),
        cmocka_unit_test(test_pinyin_reads_traditional_titles_as_well),
        cmocka_unit_test(test_pinyin_settles_a_tie_with_the_customary_reading),
        cmocka_unit_test(test_pinyin_writes_u_umlaut_as_v),
        cmocka_unit_test(test_pinyin_passes_what_is_not_chinese_through),
        cmocka_unit_test(test_pinyin_gives_one_token_per_unit_of_the_title),
        cmocka_unit_test(test_pinyin_refuses_a_missing_dictionary_naming_its_package),
        cmocka_unit_test(test_pinyin_refuses_missing_unihan_naming_its_package),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
