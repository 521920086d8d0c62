/* test_store_disclosure.c - the disclosure catalogue queries of the content store
 * (core/store.c, "the disclosure catalogue"), over the demo content.db. A file of its
 * own beside test_store.c so that the two can grow apart without touching each other. */
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
#include "core/store.h"

static store *st;

static int setup(void **state)
{
    char *path = demo_db_path(), err[256];
    (void)state;
    int r = store_open(path, &st, err, sizeof err);
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
    store_close(st);
    return 0;
}

static int total_docs(void)
{
    int n = 0;
    assert_int_equal(store_docs_count(st, NULL, &n), 0);
    return n;
}

static void test_store_counts_documents_by_topic_agency_and_year(void **state)
{
    (void)state;
    struct doc_count_list l;
    int all = total_docs(), sum;
    assert_true(all >= 50);

    assert_int_equal(store_doc_topics(st, &l), 0);
    assert_true(l.n >= 16);
    assert_string_equal(l.items[0].id, "regulations");   /* content order */
    sum = 0;
    for (int i = 0; i < l.n; i++) {
        assert_true(*l.items[i].name.s[LANG_ZH] && *l.items[i].name.s[LANG_EN]);
        sum += l.items[i].count;
    }
    assert_int_equal(sum, all);
    doc_count_list_free(&l);

    assert_int_equal(store_doc_agencies(st, &l), 0);
    sum = 0;
    for (int i = 0; i < l.n; i++) {
        assert_true(l.items[i].count > 0);
        sum += l.items[i].count;
    }
    assert_int_equal(sum, all);
    doc_count_list_free(&l);

    assert_int_equal(store_doc_years(st, &l), 0);
    assert_true(l.n >= 3);
    sum = 0;
    for (int i = 0; i < l.n; i++) {
        if (i)
            assert_true(strcmp(l.items[i - 1].id, l.items[i].id) > 0);  /* newest first */
        sum += l.items[i].count;
    }
    assert_int_equal(sum, all);
    /* a year's name is the year; screens add 年 from the string table (docs.year) */
    assert_string_equal(l.items[0].name.s[LANG_ZH], l.items[0].id);
    assert_string_equal(l.items[0].name.s[LANG_EN], l.items[0].id);
    doc_count_list_free(&l);
}

static void test_store_pages_documents_of_a_filter_newest_first(void **state)
{
    (void)state;
    struct doc_filter f = {.topic = "regulations"};
    struct doc_row rows[3];
    int count = 0, n = 0, seen = 0;
    char last[16] = "9999-99-99";
    assert_int_equal(store_docs_count(st, &f, &count), 0);
    assert_true(count >= 4);
    for (int off = 0; off < count; off += 3) {
        assert_int_equal(store_docs_page(st, &f, off, 3, rows, &n), 0);
        assert_true(n > 0);
        for (int i = 0; i < n; i++) {
            assert_true(strcmp(rows[i].published, last) <= 0);
            snprintf(last, sizeof last, "%s", rows[i].published);
            assert_true(*rows[i].title.s[LANG_ZH] && *rows[i].agency.s[LANG_EN]);
            doc_row_free(&rows[i]);
        }
        seen += n;
    }
    assert_int_equal(seen, count);
}

static void test_store_lists_expired_repealed_and_amended_documents_too(void **state)
{
    (void)state;
    struct doc_filter f = {.topic = "regulations"};
    struct doc_row rows[50];
    int n = 0, expired = 0, repealed = 0, amended = 0, numbered = 0;
    assert_int_equal(store_docs_page(st, &f, 0, 50, rows, &n), 0);
    for (int i = 0; i < n; i++) {
        expired += strcmp(rows[i].validity, "expired") == 0;
        repealed += strcmp(rows[i].validity, "repealed") == 0;
        amended += strcmp(rows[i].validity, "amended") == 0;
        if (strcmp(rows[i].id, "reg-hf-withdrawal-2023") == 0) {
            assert_string_equal(rows[i].doc_no.s[LANG_ZH], "市公积金发〔2023〕5号");
            numbered = 1;
        }
        doc_row_free(&rows[i]);
    }
    assert_true(repealed > 0 && amended > 0 && numbered);
    (void)expired;
}

static void test_store_filters_by_agency_and_year_together(void **state)
{
    (void)state;
    struct doc_filter f = {.agency = "finance", .year = 2026};
    struct doc_row rows[20];
    int count = 0, n = 0;
    assert_int_equal(store_docs_count(st, &f, &count), 0);
    assert_int_equal(store_docs_page(st, &f, 0, 20, rows, &n), 0);
    assert_int_equal(n, count);
    assert_true(n > 0);
    for (int i = 0; i < n; i++) {
        assert_memory_equal(rows[i].published, "2026-", 5);
        doc_row_free(&rows[i]);
    }
    f = (struct doc_filter){.year = 1901};
    assert_int_equal(store_docs_count(st, &f, &count), 0);
    assert_int_equal(count, 0);
}

static void test_store_finds_the_disclosure_guides_and_annual_reports(void **state)
{
    (void)state;
    struct doc_row_list l;
    assert_int_equal(store_docs_of_kind(st, "guide", &l), 0);
    assert_true(l.n >= 2);
    for (int i = 0; i < l.n; i++)
        assert_string_equal(l.items[i].kind, "guide");
    assert_true(strcmp(l.items[0].published, l.items[l.n - 1].published) >= 0);
    doc_row_list_free(&l);
    assert_int_equal(store_docs_of_kind(st, "annual_report", &l), 0);
    assert_true(l.n >= 3);
    doc_row_list_free(&l);
}

static void test_store_reads_a_whole_document_with_its_header_and_attachments(void **state)
{
    (void)state;
    struct doc *d = NULL;
    assert_int_equal(store_doc_get(st, "budget-finance-2026", &d), 0);
    assert_string_equal(d->index_no, "11330100MB0F23456B/2026-00024");
    assert_string_equal(d->written, "2026-02-06");
    assert_string_equal(d->topic_id, "budgets");
    assert_string_equal(d->validity, "in_force");
    assert_true(*d->agency.s[LANG_ZH] && *d->topic.s[LANG_EN] && *d->keywords.s[LANG_ZH]);
    assert_non_null(strstr(d->body.s[LANG_ZH], "| 收入项目 |"));
    assert_true(*d->body.s[LANG_EN]);
    assert_int_equal(d->n_attachments, 3);
    assert_memory_equal(d->attachments[0].url, "https://", 8);
    assert_string_equal(d->attachments[0].size, "356 KB");
    assert_null(d->interprets.id);
    assert_int_equal(d->n_interpretations, 0);
    doc_free(d);
}

static void test_store_links_a_policy_and_its_interpretation_both_ways(void **state)
{
    (void)state;
    struct doc *d = NULL;
    assert_int_equal(store_doc_get(st, "interp-hf-flexible-employment-2024", &d), 0);
    assert_string_equal(d->kind, "interpretation");
    assert_string_equal(d->interprets.id, "soc-hf-flexible-employment-2024");
    assert_non_null(strstr(d->interprets.title.s[LANG_ZH], "灵活就业"));
    doc_free(d);
    assert_int_equal(store_doc_get(st, "soc-hf-flexible-employment-2024", &d), 0);
    assert_int_equal(d->n_interpretations, 1);
    assert_string_equal(d->interpretations[0].id, "interp-hf-flexible-employment-2024");
    assert_true(*d->interpretations[0].title.s[LANG_EN]);
    doc_free(d);
}

static void test_store_reports_a_missing_document(void **state)
{
    (void)state;
    struct doc *d = NULL;
    assert_int_equal(store_doc_get(st, "no-such-doc", &d), -ENOENT);
    assert_null(d);
    doc_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store_counts_documents_by_topic_agency_and_year),
        cmocka_unit_test(test_store_pages_documents_of_a_filter_newest_first),
        cmocka_unit_test(test_store_lists_expired_repealed_and_amended_documents_too),
        cmocka_unit_test(test_store_filters_by_agency_and_year_together),
        cmocka_unit_test(test_store_finds_the_disclosure_guides_and_annual_reports),
        cmocka_unit_test(test_store_reads_a_whole_document_with_its_header_and_attachments),
        cmocka_unit_test(test_store_links_a_policy_and_its_interpretation_both_ways),
        cmocka_unit_test(test_store_reports_a_missing_document),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
