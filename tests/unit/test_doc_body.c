/* test_doc_body.c - document bodies as headings, paragraphs and tables
 * (core/doc_body.c), on small texts and on every body of the demo content. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "demo_db.h"
#include "core/doc_body.h"

static void test_body_splits_headings_and_paragraphs(void **state)
{
    struct body b;
    (void)state;
    body_parse("# 一、主要职能\n\n市财政局是工作部门。\n\n第二段第一行\n第二行\n\n\n# 二、构成\n尾段",
               &b);
    assert_int_equal(b.n, 5);
    assert_int_equal(b.blocks[0].kind, BODY_HEADING);
    assert_string_equal(b.blocks[0].text, "一、主要职能");
    assert_int_equal(b.blocks[1].kind, BODY_PARAGRAPH);
    assert_string_equal(b.blocks[1].text, "市财政局是工作部门。");
    assert_string_equal(b.blocks[2].text, "第二段第一行\n第二行");
    assert_int_equal(b.blocks[3].kind, BODY_HEADING);
    assert_string_equal(b.blocks[3].text, "二、构成");
    assert_int_equal(b.blocks[4].kind, BODY_PARAGRAPH);   /* no blank line needed */
    assert_string_equal(b.blocks[4].text, "尾段");
    assert_false(b.truncated);
    body_free(&b);
}

static void test_body_reads_a_hash_without_a_space_as_text(void **state)
{
    struct body b;
    (void)state;
    body_parse("#1 is not a heading\n #2 neither", &b);
    assert_int_equal(b.n, 1);
    assert_int_equal(b.blocks[0].kind, BODY_PARAGRAPH);
    assert_string_equal(b.blocks[0].text, "#1 is not a heading\n#2 neither");
    body_free(&b);
}

static void test_body_lays_out_a_table_with_its_header_row(void **state)
{
    struct body b;
    (void)state;
    body_parse("单位：万元\n"
               "| 项目 | 2024年决算 | 2025年预算 |\n"
               "|一般公共服务支出|7,720.95|  7,558.75  |\n"
               "| 合计 | 8,791.32 | 8,680.92\n"
               "\n"
               "说明。", &b);
    assert_int_equal(b.n, 3);
    assert_int_equal(b.blocks[0].kind, BODY_PARAGRAPH);
    const struct body_block *t = &b.blocks[1];
    assert_int_equal(t->kind, BODY_TABLE);
    assert_null(t->text);
    assert_int_equal(t->n_rows, 3);
    assert_int_equal(t->n_cols, 3);
    assert_string_equal(t->rows[0].cells[0], "项目");
    assert_string_equal(t->rows[0].cells[2], "2025年预算");
    assert_string_equal(t->rows[1].cells[0], "一般公共服务支出");
    assert_string_equal(t->rows[1].cells[2], "7,558.75");
    assert_int_equal(t->rows[2].n, 3);                   /* no closing bar */
    assert_string_equal(t->rows[2].cells[2], "8,680.92");
    assert_int_equal(b.blocks[2].kind, BODY_PARAGRAPH);
    body_free(&b);
}

static void test_body_keeps_empty_cells_and_ends_a_table_at_other_text(void **state)
{
    struct body b;
    (void)state;
    body_parse("| a || c |\r\n| 1 | 2 | 3 |\r\nafter\r\n| x |\n# h\n| y |", &b);
    assert_int_equal(b.n, 5);
    assert_int_equal(b.blocks[0].kind, BODY_TABLE);
    assert_int_equal(b.blocks[0].n_rows, 2);
    assert_string_equal(b.blocks[0].rows[0].cells[1], "");
    assert_string_equal(b.blocks[0].rows[1].cells[2], "3");
    assert_string_equal(b.blocks[1].text, "after");
    assert_int_equal(b.blocks[2].kind, BODY_TABLE);
    assert_int_equal(b.blocks[3].kind, BODY_HEADING);
    assert_int_equal(b.blocks[4].kind, BODY_TABLE);
    assert_string_equal(b.blocks[4].rows[0].cells[0], "y");
    body_free(&b);
}

static void test_body_trims_ideographic_spaces(void **state)
{
    struct body b;
    (void)state;
    body_parse("　　第一条　为了规范管理。　\n\n|　甲　|乙|", &b);
    assert_string_equal(b.blocks[0].text, "第一条　为了规范管理。");
    assert_string_equal(b.blocks[1].rows[0].cells[0], "甲");
    body_free(&b);
}

static void test_body_of_nothing_has_no_blocks(void **state)
{
    struct body b;
    (void)state;
    body_parse("", &b);
    assert_int_equal(b.n, 0);
    body_free(&b);
    body_parse(NULL, &b);
    assert_int_equal(b.n, 0);
    body_free(&b);
    body_parse("\n\n  \n", &b);
    assert_int_equal(b.n, 0);
    body_free(&b);
}

static void test_body_caps_cells_rows_and_blocks(void **state)
{
    struct body b;
    strbuf sb = {0};
    (void)state;

    for (int i = 0; i < 40; i++)
        strbuf_addf(&sb, "| c%d ", i);
    strbuf_adds(&sb, "|\n");
    body_parse(sb.buf, &b);
    assert_int_equal(b.blocks[0].rows[0].n, BODY_MAX_CELLS);
    assert_string_equal(b.blocks[0].rows[0].cells[BODY_MAX_CELLS - 1], "c31");
    assert_true(b.truncated);
    body_free(&b);
    strbuf_release(&sb);

    for (int i = 0; i < BODY_MAX_ROWS + 10; i++)
        strbuf_addf(&sb, "| %d | x |\n", i);
    strbuf_adds(&sb, "\nafter");
    body_parse(sb.buf, &b);
    assert_int_equal(b.n, 2);
    assert_int_equal(b.blocks[0].n_rows, BODY_MAX_ROWS);
    assert_string_equal(b.blocks[1].text, "after");
    assert_true(b.truncated);
    body_free(&b);
    strbuf_release(&sb);

    for (int i = 0; i < BODY_MAX_BLOCKS + 5; i++)
        strbuf_addf(&sb, "# %d\n", i);
    body_parse(sb.buf, &b);
    assert_int_equal(b.n, BODY_MAX_BLOCKS);
    assert_string_equal(b.blocks[BODY_MAX_BLOCKS - 1].text, "9999");
    assert_true(b.truncated);
    body_free(&b);
    strbuf_release(&sb);
}

/* Every body of the demo content parses within the caps, and every table row has as
 * many cells as its header (the compiler's rule, read back). */
static void test_body_parses_every_demo_document(void **state)
{
    char *path = demo_db_path();
    sqlite3 *db;
    sqlite3_stmt *st;
    int docs = 0, tables = 0;
    (void)state;

    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT id, body_zh FROM doc UNION ALL"
                                            " SELECT id, body_en FROM doc", -1, &st, NULL),
                     SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        struct body b;
        body_parse((const char *)sqlite3_column_text(st, 1), &b);
        assert_false(b.truncated);
        assert_true(b.n > 0);
        for (int i = 0; i < b.n; i++) {
            if (b.blocks[i].kind != BODY_TABLE)
                continue;
            tables++;
            for (int r = 1; r < b.blocks[i].n_rows; r++)
                if (b.blocks[i].rows[r].n != b.blocks[i].rows[0].n)
                    fail_msg("%s: a row of %d cells under a header of %d",
                             sqlite3_column_text(st, 0), b.blocks[i].rows[r].n,
                             b.blocks[i].rows[0].n);
        }
        body_free(&b);
        docs++;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    free(path);
    assert_true(docs > 0);
    assert_true(tables > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_body_splits_headings_and_paragraphs),
        cmocka_unit_test(test_body_reads_a_hash_without_a_space_as_text),
        cmocka_unit_test(test_body_lays_out_a_table_with_its_header_row),
        cmocka_unit_test(test_body_keeps_empty_cells_and_ends_a_table_at_other_text),
        cmocka_unit_test(test_body_trims_ideographic_spaces),
        cmocka_unit_test(test_body_of_nothing_has_no_blocks),
        cmocka_unit_test(test_body_caps_cells_rows_and_blocks),
        cmocka_unit_test(test_body_parses_every_demo_document),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
