/* test_search.c - one search across services and documents (core/search.c), over the
 * demo content.db the build compiled ($KIOSK_BUILD_DIR/content.db). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "demo_db.h"
#include "core/search.h"

static search *se;

static int setup(void **state)
{
    char *path = demo_db_path(), err[256];
    (void)state;
    int r = search_open(path, &se, err, sizeof err);
    free(path);
    if (r < 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    search_close(se);
    return 0;
}

static struct search_result run(const char *q, kiosk_lang lang, int per_group)
{
    struct search_result r;
    int rc = search_run(se, q, lang, per_group, &r);
    if (rc < 0)
        fail_msg("search_run(\"%s\") = %d", q, rc);
    return r;
}

static const struct search_group *group(const struct search_result *r, enum search_kind k)
{
    for (int i = 0; i < r->n_groups; i++)
        if (r->groups[i].kind == k)
            return &r->groups[i];
    return NULL;
}

/* The hit for ID in group K, or NULL. */
static const struct search_hit *hit(const struct search_result *r, enum search_kind k,
                                    const char *id)
{
    const struct search_group *g = group(r, k);
    for (int i = 0; g && i < g->n; i++)
        if (strcmp(g->hits[i].id, id) == 0)
            return &g->hits[i];
    return NULL;
}

static void expect_hit(const char *q, enum search_kind k, const char *id, enum search_in in)
{
    struct search_result r = run(q, LANG_ZH, SEARCH_MAX_PER_GROUP);
    const struct search_hit *h = hit(&r, k, id);
    if (!h)
        fail_msg("\"%s\" does not find %s", q, id);
    if (h->in != in)
        fail_msg("\"%s\" finds %s in its %s", q, id, h->in == SEARCH_IN_TITLE ? "title" : "body");
    search_result_free(&r);
}

static void test_search_finds_two_character_queries_by_their_own_index(void **state)
{
    (void)state;
    struct search_result r = run("户口", LANG_ZH, 5);
    assert_int_equal(r.path, SEARCH_GRAM);
    const struct search_group *g = group(&r, SEARCH_SERVICE);
    assert_non_null(g);
    assert_string_equal(g->hits[0].id, "hukou-transfer");   /* its title, first */
    assert_int_equal(g->hits[0].in, SEARCH_IN_TITLE);
    search_result_free(&r);
    expect_hit("户口", SEARCH_SERVICE, "residence-permit", SEARCH_IN_BODY);
    expect_hit("户口", SEARCH_DOC, "svc-marriage-interprovincial-2023", SEARCH_IN_BODY);
    expect_hit("社保", SEARCH_SERVICE, "pension-qualification", SEARCH_IN_BODY);
    expect_hit("社保", SEARCH_DOC, "org-hrss-functions-2024", SEARCH_IN_BODY);
    expect_hit("公积", SEARCH_SERVICE, "hpf-loan", SEARCH_IN_TITLE);
}

static void test_search_finds_a_one_character_query(void **state)
{
    (void)state;
    struct search_result r = run("税", LANG_ZH, 5);
    assert_int_equal(r.path, SEARCH_GRAM);
    search_result_free(&r);
    expect_hit("税", SEARCH_SERVICE, "deed-tax", SEARCH_IN_TITLE);
    expect_hit("税", SEARCH_DOC, "stat-tax-revenue-2026q3", SEARCH_IN_TITLE);
    expect_hit("税", SEARCH_DOC, "pen-tax-late-filing-2024", SEARCH_IN_TITLE);
}

static void test_search_serves_three_characters_and_more_from_the_trigram_index(void **state)
{
    (void)state;
    struct search_result r = run("社会保险", LANG_ZH, 5);
    assert_int_equal(r.path, SEARCH_TRIGRAM);
    search_result_free(&r);
    expect_hit("社会保险", SEARCH_SERVICE, "si-contribution-base", SEARCH_IN_TITLE);
    expect_hit("社会保险", SEARCH_SERVICE, "social-security-card", SEARCH_IN_BODY);
    expect_hit("公积金", SEARCH_DOC, "reg-hf-withdrawal-2025", SEARCH_IN_TITLE);
    expect_hit("营业执照", SEARCH_SERVICE, "company-llc-reg", SEARCH_IN_BODY);
    expect_hit("一般公共预算", SEARCH_DOC, "budget-finance-2026", SEARCH_IN_BODY);
    /* spaces between Chinese characters are dropped */
    expect_hit("社会 保险", SEARCH_SERVICE, "si-contribution-base", SEARCH_IN_TITLE);
}

static void test_search_matches_english_words_by_their_start(void **state)
{
    (void)state;
    struct search_result r = run("Tax", LANG_EN, 5);
    assert_int_equal(r.path, SEARCH_LATIN);
    search_result_free(&r);
    expect_hit("tax", SEARCH_SERVICE, "deed-tax", SEARCH_IN_TITLE);
    expect_hit("TAX", SEARCH_DOC, "stat-tax-revenue-2026q3", SEARCH_IN_TITLE);
    expect_hit("marri", SEARCH_SERVICE, "marriage-reg", SEARCH_IN_TITLE);
    expect_hit("social insur", SEARCH_SERVICE, "employer-si-registration", SEARCH_IN_TITLE);
    expect_hit("provident", SEARCH_SERVICE, "hpf-loan", SEARCH_IN_TITLE);
    /* three letters and more also look through the bodies */
    expect_hit("shelf life", SEARCH_DOC, "pen-market-expired-food-2025", SEARCH_IN_TITLE);
    expect_hit("three public", SEARCH_DOC, "budget-finance-2026", SEARCH_IN_BODY);
}

static void test_search_matches_full_pinyin_and_initials(void **state)
{
    (void)state;
    expect_hit("gongjijin", SEARCH_SERVICE, "hpf-loan", SEARCH_IN_TITLE);
    expect_hit("gongjij", SEARCH_SERVICE, "hpf-loan", SEARCH_IN_TITLE); /* still typing */
    expect_hit("gjj", SEARCH_SERVICE, "hpf-unit-registration", SEARCH_IN_TITLE);
    expect_hit("gjj", SEARCH_DOC, "reg-hf-withdrawal-2025", SEARCH_IN_TITLE);
    expect_hit("hukou", SEARCH_SERVICE, "hukou-transfer", SEARCH_IN_TITLE);
    expect_hit("shbx", SEARCH_SERVICE, "si-contribution-base", SEARCH_IN_TITLE);
    expect_hit("shehuibaoxian", SEARCH_SERVICE, "employer-si-registration", SEARCH_IN_TITLE);
    expect_hit("baoxian", SEARCH_SERVICE, "si-contribution-base", SEARCH_IN_TITLE);
    expect_hit("xingzheng", SEARCH_DOC, "pen-market-false-ad-2026", SEARCH_IN_TITLE);
    /* no demo title holds 社保; document keywords do ("人力社保") */
    expect_hit("shebao", SEARCH_DOC, "org-hrss-functions-2024", SEARCH_IN_BODY);
    expect_hit("sb", SEARCH_DOC, "org-hrss-functions-2024", SEARCH_IN_BODY);
    /* a syllable boundary is needed: "hang" is no part of zhang */
    struct search_result r = run("ao", LANG_ZH, SEARCH_MAX_PER_GROUP);
    assert_null(hit(&r, SEARCH_SERVICE, "hukou-transfer"));
    search_result_free(&r);
}

static void test_search_ranks_title_matches_before_body_matches(void **state)
{
    (void)state;
    const char *queries[] = {"户口", "税", "社会保险", "公积金", "tax", "gjj"};
    for (size_t q = 0; q < ARRAY_SIZE(queries); q++) {
        struct search_result r = run(queries[q], LANG_ZH, SEARCH_MAX_PER_GROUP);
        for (int g = 0; g < r.n_groups; g++) {
            int body = 0;
            for (int i = 0; i < r.groups[g].n; i++) {
                if (r.groups[g].hits[i].in == SEARCH_IN_BODY)
                    body = 1;
                else if (body)
                    fail_msg("\"%s\": title match %s after a body match", queries[q],
                             r.groups[g].hits[i].id);
            }
        }
        search_result_free(&r);
    }
}

static void test_search_lists_documents_newest_first_within_a_tier(void **state)
{
    (void)state;
    struct search_result r = run("公积金", LANG_ZH, SEARCH_MAX_PER_GROUP);
    const struct search_group *g = group(&r, SEARCH_DOC);
    assert_non_null(g);
    assert_true(g->n >= 3);
    for (int i = 1; i < g->n; i++)
        if (g->hits[i].in == g->hits[i - 1].in)
            assert_true(strcmp(g->hits[i - 1].published, g->hits[i].published) >= 0);
    assert_string_equal(g->hits[0].validity, "in_force");
    search_result_free(&r);
}

static void test_search_treats_fts_syntax_in_the_query_as_text(void **state)
{
    (void)state;
    const char *queries[] = {
        "\"", "\"\"", "社保\"", "\"社会保险", "AND", "OR NOT", "a OR b", "税 OR 社",
        "NEAR(a b)", "*", "社*", "tax*", "^tax", "title_zh:税", "{title_zh}: 社保",
        "(", ")", "'", "xi'an", "-", "+", ":", "\\", "\x01\x02", "％", "😀", "。。。",
        "col:\"x\" AND y", "\xff\xfe",
    };
    for (size_t q = 0; q < ARRAY_SIZE(queries); q++) {
        struct search_result r;
        if (search_run(se, queries[q], LANG_ZH, 5, &r) != 0)
            fail_msg("\"%s\" fails", queries[q]);
        search_result_free(&r);
    }
    /* an operator is a word like any other: nothing has "NEAR" in its title */
    struct search_result r = run("税 OR 社", LANG_ZH, 5);
    assert_int_equal(r.n_groups, 0);
    search_result_free(&r);
}

/* The bytes a highlight marks equal the typed text (Chinese, English any case). */
static void expect_marked(const char *text, int at, int len, const char *want)
{
    assert_true(at >= 0 && len > 0 && (size_t)(at + len) <= strlen(text));
    if ((size_t)len != strlen(want) || strncasecmp(text + at, want, (size_t)len) != 0)
        fail_msg("marked \"%.*s\" in \"%s\", want \"%s\"", len, text + at, text, want);
}

static void test_search_highlights_point_at_the_matched_text(void **state)
{
    (void)state;
    const char *queries[] = {"户口", "税", "社会保险", "一般公共预算", "营业执照"};
    for (size_t q = 0; q < ARRAY_SIZE(queries); q++) {
        struct search_result r = run(queries[q], LANG_ZH, SEARCH_MAX_PER_GROUP);
        assert_true(r.n_groups > 0);
        for (int g = 0; g < r.n_groups; g++)
            for (int i = 0; i < r.groups[g].n; i++) {
                const struct search_hit *h = &r.groups[g].hits[i];
                if (h->in == SEARCH_IN_TITLE)
                    expect_marked(h->title, h->title_at, h->title_len, queries[q]);
                else
                    expect_marked(h->snippet, h->snippet_at, h->snippet_len, queries[q]);
            }
        search_result_free(&r);
    }
    /* English: in the English title; shown in Chinese, the English title is the snippet */
    struct search_result r = run("Tax", LANG_EN, 5);
    const struct search_hit *h = hit(&r, SEARCH_SERVICE, "deed-tax");
    assert_non_null(h);
    expect_marked(h->title, h->title_at, h->title_len, "tax");
    search_result_free(&r);
    r = run("tax", LANG_ZH, 5);
    h = hit(&r, SEARCH_SERVICE, "deed-tax");
    assert_non_null(h);
    assert_int_equal(h->title_len, 0);
    expect_marked(h->snippet, h->snippet_at, h->snippet_len, "tax");
    search_result_free(&r);
    /* pinyin and initials: the characters they stand for */
    r = run("gongjijin", LANG_ZH, 5);
    h = hit(&r, SEARCH_SERVICE, "hpf-loan");
    assert_non_null(h);
    expect_marked(h->title, h->title_at, h->title_len, "公积金");
    search_result_free(&r);
    r = run("shbx", LANG_ZH, 5);
    h = hit(&r, SEARCH_SERVICE, "si-contribution-base");
    assert_non_null(h);
    expect_marked(h->title, h->title_at, h->title_len, "社会保险");
    search_result_free(&r);
    /* a document's pinyin is read apart from its row (doc.pinyin follows the body) */
    r = run("gjj", LANG_ZH, 5);
    h = hit(&r, SEARCH_DOC, "reg-hf-withdrawal-2025");
    assert_non_null(h);
    expect_marked(h->title, h->title_at, h->title_len, "公积金");
    search_result_free(&r);
    r = run("gjj", LANG_EN, 5);
    h = hit(&r, SEARCH_SERVICE, "hpf-loan");
    assert_non_null(h);
    assert_int_equal(h->title_len, 0);
    expect_marked(h->snippet, h->snippet_at, h->snippet_len, "公积金");
    search_result_free(&r);
}

static void test_search_with_no_result_returns_zero_groups(void **state)
{
    (void)state;
    const char *queries[] = {"龘龘龘", "龘", "龘龘", "zzqqxx", "qqqqqqqq", "", "   ", "，。"};
    for (size_t q = 0; q < ARRAY_SIZE(queries); q++) {
        struct search_result r = run(queries[q], LANG_ZH, 5);
        if (r.n_groups != 0)
            fail_msg("\"%s\" found %d groups", queries[q], r.n_groups);
        search_result_free(&r);
    }
    struct search_result r = run("", LANG_ZH, 5);
    assert_int_equal(r.path, SEARCH_NOTHING);
    search_result_free(&r);
}

static void test_search_caps_hits_per_group_and_says_there_are_more(void **state)
{
    (void)state;
    struct search_result r = run("市", LANG_ZH, 2);
    const struct search_group *g = group(&r, SEARCH_DOC);
    assert_non_null(g);
    assert_int_equal(g->n, 2);
    assert_true(g->more);
    search_result_free(&r);
    r = run("市", LANG_ZH, 100000);
    g = group(&r, SEARCH_DOC);
    assert_int_equal(g->n, SEARCH_MAX_PER_GROUP);
    search_result_free(&r);
    r = run("市", LANG_ZH, 0);          /* at least one */
    assert_int_equal(group(&r, SEARCH_DOC)->n, 1);
    search_result_free(&r);
}

static void test_search_caps_the_query_at_64_characters(void **state)
{
    (void)state;
    char q[1024] = "", n[512];
    for (int i = 0; i < 100; i++)
        strcat(q, "税");
    assert_int_equal(search_normalize(q, n, sizeof n), 64 * 3);
    struct search_result r = run(q, LANG_ZH, 5);
    assert_int_equal(r.n_groups, 0);
    search_result_free(&r);
    memset(q, 'a', sizeof q - 1);
    q[sizeof q - 1] = '\0';
    r = run(q, LANG_ZH, 5);
    search_result_free(&r);
    /* many ways to split into syllables, none that ends well: a bounded search */
    q[0] = '\0';
    for (int i = 0; i < 15; i++)
        strcat(q, "xian");
    strcat(q, "v");
    r = run(q, LANG_ZH, 5);
    search_result_free(&r);
}

static void test_search_normalizes_case_and_spaces(void **state)
{
    char n[128];
    (void)state;
    assert_int_equal(search_normalize("  Social\t  Security ", n, sizeof n), 15);
    assert_string_equal(n, "social security");
    search_normalize("社会 保险 ", n, sizeof n);
    assert_string_equal(n, "社会保险");
    search_normalize("ID 卡", n, sizeof n);
    assert_string_equal(n, "id卡");
    assert_int_equal(search_normalize("abc", n, 3), -ENOSPC);
}

static void test_search_miss_key_leaves_out_what_may_be_personal(void **state)
{
    char k[128];
    (void)state;
    assert_int_equal(search_miss_key(" 社保卡 补办 ", k, sizeof k), (int)strlen("社保卡补办"));
    assert_string_equal(k, "社保卡补办");
    assert_int_equal(search_miss_key("13912345678", k, sizeof k), -EPERM);
    assert_int_equal(search_miss_key("33010619900101123X", k, sizeof k), -EPERM);
    assert_int_equal(search_miss_key("me@example.com", k, sizeof k), -EPERM);
    assert_string_equal(k, "");
    assert_true(search_miss_key("2025年预算", k, sizeof k) > 0);
}

/* Issue 16, 2: phone numbers typed with separators, a name beside them, e-mail
 * addresses however spelled, and queries longer than a title are never counted. */
static void test_search_miss_key_drops_phones_mail_and_long_text(void **state)
{
    char k[300];
    (void)state;
    const char *personal[] = {
        "138 0013 8000", "138-0013-8000", "张伟 138 0013 8000", "(010) 8765.4321", "+86 138 0013",
        "１３８００１３８０００", "1 2 3 4 5", "zhang at example.cn", "zhang at example dot cn",
        "zhang＠example.cn", "zhang@example.cn", "wang.fang@qq.com", "qq.com", "zhang艾特qq",
        "请帮我查一下我去年在这里提交的那份关于房屋征收补偿的申请", /* 28 characters */
        "please tell me where my application is", /* over 24 characters */
    };
    for (size_t i = 0; i < ARRAY_SIZE(personal); i++) {
        int r = search_miss_key(personal[i], k, sizeof k);
        if (r != -EPERM)
            fail_msg("\"%s\" is counted as \"%s\" (%d)", personal[i], k, r);
        assert_string_equal(k, "");
    }
    const char *kept[] = {"2025年预算", "社保卡 补办", "social insurance", "a4纸", "1234"};
    for (size_t i = 0; i < ARRAY_SIZE(kept); i++)
        if (search_miss_key(kept[i], k, sizeof k) <= 0)
            fail_msg("\"%s\" is not counted", kept[i]);
}

/* Better still, only queries made of the content's own words are counted: each Han
 * character must be in a pair of neighbours the content has, each Latin word must
 * find something on its own. A name does not. */
static void test_search_miss_counts_only_the_content_vocabulary(void **state)
{
    (void)state;
    assert_int_equal(search_miss_known(se, "离婚登记申领"), 1);
    assert_int_equal(search_miss_known(se, "social insurance"), 1);
    assert_int_equal(search_miss_known(se, "登记xyzzy"), 0);
    assert_int_equal(search_miss_known(se, "xyzzy"), 0);
    assert_int_equal(search_miss_known(se, "张伟"), 0);
    assert_int_equal(search_miss_known(se, "张伟社保"), 0);
    assert_int_equal(search_miss_known(se, ""), 0);
}

/* The ids of R, group by group, as one string. */
static char *ids_of(const struct search_result *r)
{
    strbuf sb = {0};
    for (int g = 0; g < r->n_groups; g++) {
        strbuf_addf(&sb, "[%d more=%d]", r->groups[g].kind, r->groups[g].more);
        for (int i = 0; i < r->groups[g].n; i++)
            strbuf_addf(&sb, " %s/%d", r->groups[g].hits[i].id, r->groups[g].hits[i].in);
    }
    return strbuf_detach(&sb);
}

static void test_search_warm_runs_in_steps_and_changes_no_result(void **state)
{
    (void)state;
    const char *queries[] = {"社保", "社会保险", "营业执照办理", "gjj", "tax", "penalty decision"};
    char *before[ARRAY_SIZE(queries)];
    char *path = demo_db_path(), err[256];
    search *fresh;
    assert_int_equal(search_open(path, &fresh, err, sizeof err), 0);
    free(path);
    for (size_t q = 0; q < ARRAY_SIZE(queries); q++) {
        struct search_result r;
        assert_int_equal(search_run(fresh, queries[q], LANG_ZH, 8, &r), 0);
        before[q] = ids_of(&r);
        search_result_free(&r);
    }
    int steps = 1, w;
    while ((w = search_warm(fresh)) > 0)
        assert_true(++steps < 20);
    assert_int_equal(w, 0);
    assert_true(steps > 1);                 /* in steps, not all at once */
    assert_int_equal(search_warm(fresh), 0); /* and done stays done */
    for (size_t q = 0; q < ARRAY_SIZE(queries); q++) {
        struct search_result r;
        assert_int_equal(search_run(fresh, queries[q], LANG_ZH, 8, &r), 0);
        char *after = ids_of(&r);
        assert_true(r.n_groups > 0);
        assert_string_equal(after, before[q]);
        free(after);
        free(before[q]);
        search_result_free(&r);
    }
    search_close(fresh);
}

static void test_search_capped_body_look_up_keeps_the_first_hits_and_says_more(void **state)
{
    (void)state;
    const char *q = "社会保险";      /* 4+ characters: every candidate is read to confirm */
    char *path = demo_db_path(), err[256];
    search *capped;
    struct search_result full = run(q, LANG_ZH, SEARCH_MAX_PER_GROUP), r;
    const struct search_group *fg = group(&full, SEARCH_SERVICE), *cg;
    int body = 0;

    assert_non_null(fg);
    assert_int_equal(fg->more, 0);          /* all of them fit: no "more" uncapped */
    for (int i = 0; i < fg->n; i++)
        body += fg->hits[i].in == SEARCH_IN_BODY;
    assert_true(body >= 2);
    assert_int_equal(search_open(path, &capped, err, sizeof err), 0);
    free(path);
    search_set_max_checked(capped, 1);
    assert_int_equal(search_run(capped, q, LANG_ZH, SEARCH_MAX_PER_GROUP, &r), 0);
    cg = group(&r, SEARCH_SERVICE);
    assert_non_null(cg);
    assert_true(cg->n < fg->n);             /* the cap cut the body tier short... */
    assert_int_equal(cg->more, 1);          /* ...and the group says so */
    for (int i = 0; i < cg->n; i++) {       /* what it shows is the first of the full list */
        assert_string_equal(cg->hits[i].id, fg->hits[i].id);
        assert_int_equal(cg->hits[i].in, fg->hits[i].in);
    }
    search_result_free(&r);
    search_result_free(&full);
    search_close(capped);
}

static void test_search_refuses_a_missing_database(void **state)
{
    search *s = NULL;
    char err[256];
    (void)state;
    assert_int_equal(search_open("/nonexistent/content.db", &s, err, sizeof err), -ENOENT);
    assert_null(s);
    assert_non_null(strstr(err, "/nonexistent/content.db"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_search_finds_two_character_queries_by_their_own_index),
        cmocka_unit_test(test_search_finds_a_one_character_query),
        cmocka_unit_test(test_search_serves_three_characters_and_more_from_the_trigram_index),
        cmocka_unit_test(test_search_matches_english_words_by_their_start),
        cmocka_unit_test(test_search_matches_full_pinyin_and_initials),
        cmocka_unit_test(test_search_ranks_title_matches_before_body_matches),
        cmocka_unit_test(test_search_lists_documents_newest_first_within_a_tier),
        cmocka_unit_test(test_search_treats_fts_syntax_in_the_query_as_text),
        cmocka_unit_test(test_search_highlights_point_at_the_matched_text),
        cmocka_unit_test(test_search_with_no_result_returns_zero_groups),
        cmocka_unit_test(test_search_caps_hits_per_group_and_says_there_are_more),
        cmocka_unit_test(test_search_caps_the_query_at_64_characters),
        cmocka_unit_test(test_search_normalizes_case_and_spaces),
        cmocka_unit_test(test_search_miss_key_leaves_out_what_may_be_personal),
        cmocka_unit_test(test_search_miss_key_drops_phones_mail_and_long_text),
        cmocka_unit_test(test_search_miss_counts_only_the_content_vocabulary),
        cmocka_unit_test(test_search_warm_runs_in_steps_and_changes_no_result),
        cmocka_unit_test(test_search_capped_body_look_up_keeps_the_first_hits_and_says_more),
        cmocka_unit_test(test_search_refuses_a_missing_database),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
