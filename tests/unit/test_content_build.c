/* test_content_build.c - the content compiler (sync/content_build.c).
 *
 * Each test writes a small valid source tree into a fresh mkdtemp() directory, then
 * either checks the rows the build writes or breaks one thing and checks the exact
 * error line: file, field and cause. Fixture JSON is written with ' for " so it reads
 * as JSON; put() and edit() swap them back. */
#include <errno.h>
#include <dirent.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "content_build.h"

/* ---- the fixture tree -------------------------------------------------------------- */

static const char hall_json[] =
    "{\n"
    "  'name': {'zh': '测试大厅', 'en': 'Test hall'},\n"
    "  'address': {'zh': '测试路1号', 'en': '1 Test Road'},\n"
    "  'hours': {'zh': '工作日 9:00-17:00', 'en': 'Working days 9:00-17:00'},\n"
    "  'inquiry_point': {'zh': '一楼咨询台', 'en': 'Inquiry desk, ground floor'},\n"
    "  'phone': '0571-12345',\n"
    "  'region': 'cn',\n"
    "  'map_image': 'hall-map.png',\n"
    "  'floors': [{'floor': 2, 'map_image': 'hall-map.png'}],\n"
    "  'inquiry_window': 'w01',\n"
    "  'channels': [{'name': {'zh': '热线', 'en': 'Hotline'}, 'phone': '12345'},\n"
    "               {'name': {'zh': '网站', 'en': 'Website'}, 'url': 'https://gov.example.cn/'}],\n"
    "  'windows': [\n"
    "    {'id': 'w01', 'name': {'zh': '1号窗口', 'en': 'Window 1'}, 'floor': 1, 'x': 0.1, 'y': 0.2},\n"
    "    {'id': 'w02', 'name': {'zh': '2号窗口', 'en': 'Window 2'}, 'floor': 2, 'x': 1, 'y': 0}\n"
    "  ]\n"
    "}\n";

static const char agencies_json[] =
    "[\n"
    "  {'id': 'market', 'name': {'zh': '市场监督管理局', 'en': 'Market Regulation Bureau'},\n"
    "   'short': {'zh': '市场监管局', 'en': 'Market Regulation'},\n"
    "   'address': {'zh': 'B座3楼', 'en': '3/F, Block B'}, 'hours': {'zh': '工作日', 'en': 'Working days'},\n"
    "   'phone': '0571-1', 'website': 'https://amr.example.gov.cn'},\n"
    "  {'id': 'civil-affairs', 'name': {'zh': '民政局', 'en': 'Civil Affairs Bureau'},\n"
    "   'short': {'zh': '民政局', 'en': 'Civil Affairs'},\n"
    "   'address': {'zh': 'A座3楼', 'en': '3/F, Block A'}, 'hours': {'zh': '工作日', 'en': 'Working days'},\n"
    "   'phone': '0571-2', 'website': 'https://mzj.example.gov.cn'}\n"
    "]\n";

/* "business" is a life event here and an audience too, as in the demo content */
static const char categories_json[] =
    "[\n"
    "  {'id': 'marriage', 'name': {'zh': '婚姻登记', 'en': 'Marriage'}, 'icon': 'marriage'},\n"
    "  {'id': 'business', 'name': {'zh': '开办企业', 'en': 'Starting a business'}, 'icon': 'business'}\n"
    "]\n";

static const char company_json[] =
    "{\n"
    "  'code': '11330100MB0000001',\n"
    "  'name': {'zh': '企业设立登记', 'en': 'Company registration'},\n"
    "  'type': 'licence',\n"
    "  'agency': 'market',\n"
    "  'life_events': ['business'],\n"
    "  'audience': ['business'],\n"
    "  'summary': {'zh': '设立有限责任公司。', 'en': 'Registering a limited company.'},\n"
    "  'conditions': {'zh': '股东符合法定人数。', 'en': 'Shareholders meet the legal number.'},\n"
    "  'serves': {'zh': '企业', 'en': 'Businesses'},\n"
    "  'handling': 'promised',\n"
    "  'statutory_limit': {'value': 15, 'unit': 'working_days'},\n"
    "  'promised_limit': {'value': 3, 'unit': 'working_days'},\n"
    "  'visits': 1,\n"
    "  'online': {'depth': 'full', 'url': 'https://zwfw.example.gov.cn/company'},\n"
    "  'guide_url': 'https://zwfw.example.gov.cn/guide/company-reg',\n"
    "  'appointment': true,\n"
    "  'window': 'w02',\n"
    "  'location': {'zh': '1楼 2号窗口', 'en': 'Floor 1, Window 2'},\n"
    "  'hours': {'zh': '工作日', 'en': 'Working days'},\n"
    "  'phone_consult': '0571-3',\n"
    "  'phone_complaint': '12345',\n"
    "  'fees': [{'name': {'zh': '工本费', 'en': 'Licence fee'}, 'standard': {'zh': '0元', 'en': 'CNY 0'},\n"
    "            'basis': {'zh': '财税〔2017〕1号', 'en': 'Caishui [2017] No. 1'}, 'waivable': true}],\n"
    "  'materials': [\n"
    "    {'name': {'zh': '公司登记申请书', 'en': 'Application form'}, 'required': 'required',\n"
    "     'form': 'original', 'copies': 1, 'paper': 'A4', 'source': {'zh': '申请人自备', 'en': 'The applicant'},\n"
    "     'blank_url': 'https://zwfw.example.gov.cn/form.pdf', 'sample_url': 'https://zwfw.example.gov.cn/sample.pdf'},\n"
    "    {'name': {'zh': '授权委托书', 'en': 'Power of attorney'}, 'required': 'conditional',\n"
    "     'condition': {'zh': '委托代理人办理的', 'en': 'When an agent applies'},\n"
    "     'form': 'electronic', 'copies': 0, 'source': {'zh': '申请人自备', 'en': 'The applicant'}}\n"
    "  ],\n"
    "  'steps': [\n"
    "    {'title': {'zh': '申请', 'en': 'Apply'}, 'text': {'zh': '网上提交', 'en': 'Submit online'}, 'kind': 'required'},\n"
    "    {'title': {'zh': '领照', 'en': 'Collect'}, 'text': {'zh': '窗口领取', 'en': 'At the window'}, 'kind': 'alternative'}\n"
    "  ],\n"
    "  'faqs': [{'q': {'zh': '要多久？', 'en': 'How long?'}, 'a': {'zh': '三个工作日。', 'en': 'Three working days.'}}],\n"
    "  'legal_basis': {'zh': '《公司法》', 'en': 'Company Law'}\n"
    "}\n";

static const char marriage_json[] =
    "{\n"
    "  'code': '11330100MB0000002',\n"
    "  'name': {'zh': '内地居民结婚登记', 'en': 'Marriage registration'},\n"
    "  'type': 'confirmation',\n"
    "  'agency': 'civil-affairs',\n"
    "  'life_events': ['marriage'],\n"
    "  'audience': ['individual'],\n"
    "  'summary': {'zh': '内地居民办理结婚登记。', 'en': 'Registering a marriage.'},\n"
    "  'conditions': {'zh': '双方自愿，达到法定婚龄。', 'en': 'Both consent and are of legal age.'},\n"
    "  'serves': {'zh': '个人', 'en': 'Individuals'},\n"
    "  'handling': 'on_the_spot',\n"
    "  'statutory_limit': {'value': 1, 'unit': 'working_days'},\n"
    "  'promised_limit': {'value': 0, 'unit': 'working_days'},\n"
    "  'visits': 1,\n"
    "  'online': {'depth': 'none'},\n"
    "  'guide_url': 'https://zwfw.example.gov.cn/guide/marriage',\n"
    "  'appointment': false,\n"
    "  'window': 'w01',\n"
    "  'location': {'zh': '1楼 1号窗口', 'en': 'Floor 1, Window 1'},\n"
    "  'hours': {'zh': '工作日', 'en': 'Working days'},\n"
    "  'phone_consult': '0571-4',\n"
    "  'phone_complaint': '12345',\n"
    "  'fees': 'free',\n"
    "  'materials': [\n"
    "    {'name': {'zh': '户口簿', 'en': 'Household register'}, 'required': 'required',\n"
    "     'form': 'original', 'copies': 1, 'source': {'zh': '本人', 'en': 'The applicant'}},\n"
    "    {'name': {'zh': '身份证', 'en': 'Identity card'}, 'required': 'required',\n"
    "     'form': 'original', 'copies': 1, 'source': {'zh': '本人', 'en': 'The applicant'}},\n"
    "    {'name': {'zh': '合影照片', 'en': 'Joint photographs'}, 'required': 'required',\n"
    "     'form': 'original', 'copies': 3, 'source': {'zh': '照相馆', 'en': 'A photo studio'}}\n"
    "  ],\n"
    "  'steps': [{'title': {'zh': '登记', 'en': 'Register'}, 'text': {'zh': '双方到场', 'en': 'Both attend'}, 'kind': 'required'}],\n"
    "  'legal_basis': {'zh': '《婚姻登记条例》', 'en': 'Marriage Registration Regulations'}\n"
    "}\n";

static const char onething_json[] =
    "{\n"
    "  'name': {'zh': '开办企业一件事', 'en': 'Opening a company'},\n"
    "  'summary': {'zh': '一次办好', 'en': 'All in one visit'},\n"
    "  'image': 'onething-company.png',\n"
    "  'url': 'https://zwfw.example.gov.cn/onething/open-company',\n"
    "  'steps': [\n"
    "    {'service': 'company-reg', 'note': {'zh': '先登记', 'en': 'Register first'}, 'image': 'onething-company.png'},\n"
    "    {'service': 'marriage', 'note': {'zh': '再说', 'en': 'Then this'}}\n"
    "  ]\n"
    "}\n";

static const char topics_json[] =
    "[\n"
    "  {'id': 'budgets', 'name': {'zh': '预决算', 'en': 'Budgets and final accounts'}},\n"
    "  {'id': 'guide', 'name': {'zh': '公开指南', 'en': 'Disclosure guide'}}\n"
    "]\n";

static const char budget_json[] =
    "{\n"
    "  'index_no': '000014349/2025-00012',\n"
    "  'title': {'zh': '2025年部门预算', 'en': '2025 departmental budget'},\n"
    "  'summary': {'zh': '本局2025年预算。', 'en': 'The bureau budget for 2025.'},\n"
    "  'agency': 'market',\n"
    "  'doc_no': {'zh': '市监〔2025〕1号', 'en': 'AMR [2025] No. 1'},\n"
    "  'written': '2025-03-01', 'published': '2025-03-05',\n"
    "  'topic': 'budgets',\n"
    "  'validity': 'in_force',\n"
    "  'keywords': {'zh': '预算,三公经费', 'en': 'budget,three public funds'},\n"
    "  'kind': 'normal',\n"
    "  'body': {'zh': '# 总体情况\\n\\n| 项目 | 2024年决算 | 2025年预算 |\\n| 合计 | 100 | 120 |',\n"
    "           'en': '# Overview\\n\\n| Item | 2024 actual | 2025 budget |\\n| Total | 100 | 120 |'},\n"
    "  'attachments': [{'name': {'zh': '预算表', 'en': 'Budget tables'}, 'url': 'https://amr.example.gov.cn/b.pdf', 'size': '1.2 MB'}]\n"
    "}\n";

static const char explained_json[] =
    "{\n"
    "  'index_no': '000014349/2025-00013',\n"
    "  'title': {'zh': '2025年部门预算解读', 'en': 'The 2025 budget explained'},\n"
    "  'summary': {'zh': '解读。', 'en': 'What it means.'},\n"
    "  'agency': 'market',\n"
    "  'written': '2025-03-05', 'published': '2025-03-05',\n"
    "  'topic': 'budgets',\n"
    "  'validity': 'in_force',\n"
    "  'keywords': {'zh': '预算,解读', 'en': 'budget,explained'},\n"
    "  'kind': 'interpretation',\n"
    "  'interprets': 'budget-2025',\n"
    "  'body': {'zh': '预算增长主要用于窗口建设。', 'en': 'The increase goes to the service windows.'},\n"
    "  'attachments': []\n"
    "}\n";

static const char announcements_json[] =
    "[\n"
    "  {'id': 'a1', 'title': {'zh': '元旦安排', 'en': 'New Year hours'}, 'body': {'zh': '1月1日至3日休息。', 'en': 'Closed 1 to 3 January.'},\n"
    "   'published': '2025-12-18', 'agency': 'civil-affairs', 'starts': '2025-12-20', 'ends': '2026-01-04',\n"
    "   'priority': 'normal'}\n"
    "]\n";

/* a closed consultation with its feedback, and its questions */
static const char consult_json[] =
    "{\n"
    "  'title': {'zh': '公园管理规定（征求意见稿）', 'en': 'Park regulations (draft)'},\n"
    "  'agency': 'civil-affairs',\n"
    "  'opens': '2026-07-15', 'closes': '2026-08-31',\n"
    "  'draft': {'zh': '第一条 公园免费开放。', 'en': 'Article 1 Parks are free.'},\n"
    "  'explanation': {'zh': '# 起草说明\\n\\n整合三份文件。', 'en': '# Note\\n\\nMerges three documents.'},\n"
    "  'questions': [{'zh': '几点开放？', 'en': 'Opening hours?'}, {'zh': '宠物？', 'en': 'Pets?'}],\n"
    "  'feedback': {'published': '2026-10-20',\n"
    "    'summary': {'zh': '共收到意见412条。', 'en': '412 comments received.'},\n"
    "    'points': [\n"
    "      {'point': {'zh': '延长开放时间', 'en': 'Longer hours'}, 'outcome': 'adopted',\n"
    "       'reason': {'zh': '已修改', 'en': 'Changed'}},\n"
    "      {'point': {'zh': '电动车通行', 'en': 'E-bikes'}, 'outcome': 'not_adopted',\n"
    "       'reason': {'zh': '不安全', 'en': 'Unsafe'}}]}\n"
    "}\n";

static const char calendar_json[] =
    "{\n"
    "  'region': 'cn', 'year': 2026, 'source': '国务院办公厅关于2026年部分节假日安排的通知',\n"
    "  'holidays': [\n"
    "    {'from': '2026-01-01', 'to': '2026-01-03', 'name': {'zh': '元旦', 'en': 'New Year'}},\n"
    "    {'from': '2026-02-15', 'to': '2026-02-23', 'name': {'zh': '春节', 'en': 'Spring Festival'}}\n"
    "  ],\n"
    "  'workdays': [\n"
    "    {'date': '2026-01-04', 'name': {'zh': '元旦调休', 'en': 'New Year make-up day'}},\n"
    "    {'date': '2026-02-14', 'name': {'zh': '春节调休', 'en': 'Spring Festival make-up day'}},\n"
    "    {'date': '2026-02-28', 'name': {'zh': '春节调休', 'en': 'Spring Festival make-up day'}}\n"
    "  ]\n"
    "}\n";

/* a 1x1 PNG */
static const unsigned char png[] =
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x01\x00"
    "\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x0b\x49\x44\x41\x54\x78"
    "\x9c\x63\x60\x00\x02\x00\x00\x05\x00\x01\x7a\x5e\xab\x3f\x00\x00\x00\x00\x49\x45\x4e"
    "\x44\xae\x42\x60\x82";

/* ---- helpers ----------------------------------------------------------------------- */

struct fx {
    char dir[64];       /* the test's directory: src/ and content.db */
    char src[96];
    char out[96];
    char err[512];
};

static char *swap_quotes(const char *s)
{
    char *t = strdup(s);
    assert_non_null(t);
    for (char *p = t; *p; p++)
        if (*p == '\'')
            *p = '"';
    return t;
}

static void path_of(const struct fx *f, const char *rel, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s", f->src, rel);
}

static void mkdirs_for(char *path)
{
    for (char *p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
        *p = '\0';
        assert_true(mkdir(path, 0755) == 0 || errno == EEXIST);
        *p = '/';
    }
}

static void put_bytes(const struct fx *f, const char *rel, const void *data, size_t n)
{
    char path[256];
    FILE *fp;

    path_of(f, rel, path, sizeof path);
    mkdirs_for(path);
    fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

static void put(const struct fx *f, const char *rel, const char *json)
{
    char *t = swap_quotes(json);
    put_bytes(f, rel, t, strlen(t));
    free(t);
}

static char *slurp(const char *path, size_t *ret_len)
{
    FILE *fp = fopen(path, "rb");
    char *buf;
    long n;

    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    n = ftell(fp);
    rewind(fp);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    buf[n] = '\0';
    fclose(fp);
    if (ret_len)
        *ret_len = (size_t)n;
    return buf;
}

/* Replaces the first `from` in the file rel with `to` (both in ' quoting). */
static void edit(const struct fx *f, const char *rel, const char *from, const char *to)
{
    char path[256], *old, *a = swap_quotes(from), *b = swap_quotes(to), *at, *text;

    path_of(f, rel, path, sizeof path);
    old = slurp(path, NULL);
    at = strstr(old, a);
    if (!at)
        fail_msg("%s does not contain %s", rel, a);
    text = malloc(strlen(old) + strlen(b) + 1);
    assert_non_null(text);
    memcpy(text, old, (size_t)(at - old));
    strcpy(text + (at - old), b);
    strcat(text, at + strlen(a));
    put_bytes(f, rel, text, strlen(text));
    free(text);
    free(old);
    free(a);
    free(b);
}

static void write_tree(const struct fx *f)
{
    put(f, "hall.json", hall_json);
    put(f, "agencies.json", agencies_json);
    put(f, "categories.json", categories_json);
    put(f, "services/company-reg.json", company_json);
    put(f, "services/marriage.json", marriage_json);
    put(f, "onething/open-company.json", onething_json);
    put(f, "disclosure/topics.json", topics_json);
    put(f, "disclosure/docs/budget-2025.json", budget_json);
    put(f, "disclosure/docs/budget-2025-explained.json", explained_json);
    put(f, "announcements.json", announcements_json);
    put(f, "calendar/cn-2026.json", calendar_json);
    put(f, "consultations/parks.json", consult_json);
    put_bytes(f, "images/hall-map.png", png, sizeof png - 1);
    put_bytes(f, "images/onething-company.png", png, sizeof png - 1);
    put_bytes(f, "images/icon-marriage.png", png, sizeof png - 1);
    put_bytes(f, "images/icon-business.png", png, sizeof png - 1);
    put(f, ".gitkeep", "");
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);

    assert_non_null(f);
    strcpy(f->dir, "/tmp/test-content-build-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->src, sizeof f->src, "%s/src", f->dir);
    snprintf(f->out, sizeof f->out, "%s/content.db", f->dir);
    assert_int_equal(mkdir(f->src, 0755), 0);
    write_tree(f);
    unsetenv("SOURCE_DATE_EPOCH");
    *state = f;
    return 0;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    struct fx *f = *state;
    nftw(f->dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

static int build(struct fx *f)
{
    return cbuild_run(f->src, f->out, f->err, sizeof f->err);
}

static void expect_error(struct fx *f, const char *line)
{
    int r = build(f);
    if (r >= 0)
        fail_msg("the build succeeded; expected: %s", line);
    assert_string_equal(f->err, line);
    assert_int_equal(access(f->out, F_OK), -1);
}

static sqlite3 *open_out(const struct fx *f)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(f->out, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    return db;
}

/* The first column of the first row of a query, as an integer or as text. */
static long long q_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    long long v;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static const char *q_text(sqlite3 *db, const char *sql)
{
    static char buf[1024];
    sqlite3_stmt *st;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    if (sqlite3_step(st) != SQLITE_ROW)
        fail_msg("no row: %s", sql);
    snprintf(buf, sizeof buf, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return buf;
}

/* ---- a valid tree ------------------------------------------------------------------ */

static void test_build_writes_every_table_from_a_valid_tree(void **state)
{
    struct fx *f = *state;
    static const struct {
        const char *table;
        long long rows;
    } want[] = {
        {"hall", 1}, {"hall_window", 2}, {"hall_floor", 2}, {"hall_channel", 2},
        {"image", 4}, {"agency", 2},
        {"category", 6}, {"service", 2}, {"service_category", 6}, {"material", 5},
        {"step", 3}, {"fee", 1}, {"faq", 1}, {"onething", 1}, {"onething_step", 2},
        {"doc_topic", 2}, {"doc", 2}, {"attachment", 1}, {"announcement", 1},
        {"calendar_year", 1}, {"calendar_day", 15}, {"search", 4},
    };
    struct cbuild_stats st;
    char sql[128];

    assert_int_equal(cbuild_run_opts(f->src, f->out, NULL, &st, f->err, sizeof f->err), 0);
    assert_string_equal(f->err, "");
    assert_int_equal(st.services, 2);
    assert_int_equal(st.docs, 2);
    assert_int_equal(st.onethings, 1);
    assert_int_equal(st.calendar_years, 1);
    assert_int_equal(st.images, 4); /* a map, a one-thing picture, two category icons */

    sqlite3 *db = open_out(f);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", want[i].table);
        if (q_int(db, sql) != want[i].rows)
            fail_msg("%s has %lld rows, want %lld", want[i].table, q_int(db, sql),
                     want[i].rows);
    }
    assert_string_equal(q_text(db, "SELECT name_en || '|' || region || '|' || map_image"
                                   " FROM hall"), "Test hall|cn|hall-map.png");
    assert_int_equal(q_int(db, "SELECT length(data) FROM image WHERE name = 'hall-map.png'"),
                     sizeof png - 1);
    /* map_image is floor 1's map; floors adds the others */
    assert_string_equal(q_text(db, "SELECT group_concat(floor || ':' || map_image, ' ')"
                                   " FROM (SELECT * FROM hall_floor ORDER BY floor)"),
                        "1:hall-map.png 2:hall-map.png");
    assert_string_equal(q_text(db, "SELECT inquiry_window FROM hall"), "w01");
    assert_string_equal(q_text(db, "SELECT url FROM onething"),
                        "https://zwfw.example.gov.cn/onething/open-company");
    assert_string_equal(q_text(db, "SELECT group_concat(seq || '|' || name_en || '|' || url"
                                   " || '|' || phone, ' ') FROM (SELECT * FROM hall_channel"
                                   " ORDER BY seq)"),
                        "0|Hotline||12345 1|Website|https://gov.example.cn/|");
    assert_string_equal(q_text(db, "SELECT agency_id || '|' || window_id || '|' || handling"
                                   " || '|' || promised_value || promised_unit || '|' ||"
                                   " online_depth || '|' || appointment FROM service"
                                   " WHERE id = 'company-reg'"),
                        "market|w02|promised|3working_days|full|1");
    assert_string_equal(q_text(db, "SELECT name_zh FROM material WHERE service_id ="
                                   " 'company-reg' AND seq = 1"), "授权委托书");
    sqlite3_close(db);
}

static void test_build_derives_department_and_audience_categories(void **state)
{
    struct fx *f = *state;

    assert_int_equal(build(f), 0);
    sqlite3 *db = open_out(f);
    assert_string_equal(q_text(db, "SELECT kind || '|' || name_zh || '|' || name_en || '|' ||"
                                   " icon || '|' || sort FROM category WHERE id = 'dept-market'"),
                        "department|市场监管局|Market Regulation|dept|0");
    assert_string_equal(q_text(db, "SELECT kind || '|' || name_zh || '|' || name_en FROM"
                                   " category WHERE id = 'audience-business'"),
                        "audience|企业办事|For businesses");
    assert_string_equal(q_text(db, "SELECT name_en FROM category WHERE id ="
                                   " 'audience-individual'"), "For individuals");
    assert_string_equal(q_text(db, "SELECT kind FROM category WHERE id = 'business'"),
                        "life_event");
    assert_string_equal(q_text(db, "SELECT group_concat(category_id, ',') FROM (SELECT"
                                   " category_id FROM service_category WHERE service_id ="
                                   " 'company-reg' ORDER BY category_id)"),
                        "audience-business,business,dept-market");
    sqlite3_close(db);
}

static void test_build_stores_free_services_and_absent_optional_fields_as_empty(void **state)
{
    struct fx *f = *state;

    assert_int_equal(build(f), 0);
    sqlite3 *db = open_out(f);
    assert_int_equal(q_int(db, "SELECT free FROM service WHERE id = 'marriage'"), 1);
    assert_int_equal(q_int(db, "SELECT free FROM service WHERE id = 'company-reg'"), 0);
    assert_int_equal(q_int(db, "SELECT count(*) FROM fee WHERE service_id = 'marriage'"), 0);
    assert_string_equal(q_text(db, "SELECT online_url FROM service WHERE id = 'marriage'"), "");
    assert_string_equal(q_text(db, "SELECT condition_en || '|' || paper || '|' || blank_url"
                                   " FROM material WHERE service_id = 'marriage' AND seq = 0"),
                        "||");
    assert_string_equal(q_text(db, "SELECT condition_en FROM material WHERE service_id ="
                                   " 'company-reg' AND seq = 1"), "When an agent applies");
    assert_string_equal(q_text(db, "SELECT doc_no_zh || '|' || doc_no_en || '|' || interprets"
                                   " FROM doc WHERE id = 'budget-2025-explained'"),
                        "||budget-2025");
    assert_string_equal(q_text(db, "SELECT interprets FROM doc WHERE id = 'budget-2025'"), "");
    assert_string_equal(q_text(db, "SELECT image FROM onething_step WHERE seq = 1"), "");
    sqlite3_close(db);
}

static void test_build_numbers_rows_by_their_position_in_the_source(void **state)
{
    struct fx *f = *state;

    assert_int_equal(build(f), 0);
    sqlite3 *db = open_out(f);
    assert_string_equal(q_text(db, "SELECT group_concat(id, ',') FROM (SELECT id FROM agency"
                                   " ORDER BY sort)"), "market,civil-affairs");
    assert_string_equal(q_text(db, "SELECT group_concat(id, ',') FROM (SELECT id FROM category"
                                   " WHERE kind = 'life_event' ORDER BY sort)"),
                        "marriage,business");
    assert_string_equal(q_text(db, "SELECT group_concat(name_en, ',') FROM (SELECT name_en"
                                   " FROM material WHERE service_id = 'marriage' ORDER BY seq)"),
                        "Household register,Identity card,Joint photographs");
    assert_string_equal(q_text(db, "SELECT kind FROM step WHERE service_id = 'company-reg'"
                                   " AND seq = 1"), "alternative");
    assert_string_equal(q_text(db, "SELECT group_concat(id, ',') FROM (SELECT id FROM doc_topic"
                                   " ORDER BY sort)"), "budgets,guide");
    sqlite3_close(db);
}

static void test_build_expands_holiday_ranges_to_one_row_per_day(void **state)
{
    struct fx *f = *state;

    assert_int_equal(build(f), 0);
    sqlite3 *db = open_out(f);
    assert_int_equal(q_int(db, "SELECT count(*) FROM calendar_day WHERE kind = 'holiday'"), 12);
    assert_string_equal(q_text(db, "SELECT kind || '|' || name_en FROM calendar_day WHERE"
                                   " region = 'cn' AND date = '2026-02-20'"),
                        "holiday|Spring Festival");
    assert_string_equal(q_text(db, "SELECT kind FROM calendar_day WHERE date = '2026-02-28'"),
                        "workday");
    assert_int_equal(q_int(db, "SELECT count(*) FROM calendar_day WHERE date BETWEEN"
                               " '2026-01-01' AND '2026-01-03'"), 3);
    assert_string_equal(q_text(db, "SELECT source FROM calendar_year WHERE region = 'cn' AND"
                                   " year = 2026"), "国务院办公厅关于2026年部分节假日安排的通知");
    sqlite3_close(db);
}

static void test_build_indexes_services_by_materials_and_docs_by_keywords(void **state)
{
    struct fx *f = *state;

    assert_int_equal(build(f), 0);
    sqlite3 *db = open_out(f);
    /* trigrams without positions: a longer phrase is every trigram of it */
    assert_string_equal(q_text(db, "SELECT kind || ':' || ref FROM search WHERE search MATCH"
                                   " '\"Ide\" AND \"ty \" AND \" ca\" AND \"ard\"'"),
                        "service:marriage");
    assert_string_equal(q_text(db, "SELECT ref FROM search WHERE search MATCH '身份证'"),
                        "marriage");
    assert_string_equal(q_text(db, "SELECT kind || ':' || ref FROM search WHERE search MATCH"
                                   " '三公经 AND 公经费'"), "doc:budget-2025");
    assert_string_equal(q_text(db, "SELECT title_en FROM search_text WHERE ref = 'company-reg'"),
                        "Company registration");
    /* and the titles are not in it: search_title has them */
    assert_int_equal(q_int(db, "SELECT count(*) FROM search WHERE search MATCH '居民结 AND 民结婚'"), 0);
    /* the index keeps no copy of the text, and matches the text it was made from */
    assert_int_equal(q_int(db, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'search%'"
                               " AND name LIKE '%_content'"), 0);
    sqlite3_close(db);
    assert_int_equal(sqlite3_open(f->out, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "INSERT INTO search(search, rank)"
                                      " VALUES('integrity-check', 1)", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
}

static void test_build_writes_meta_with_versions_and_source_date_epoch(void **state)
{
    struct fx *f = *state;
    struct cbuild_options opts = {.content_version = 42};

    setenv("SOURCE_DATE_EPOCH", "1767225600", 1);
    assert_int_equal(cbuild_run_opts(f->src, f->out, &opts, NULL, f->err, sizeof f->err), 0);
    unsetenv("SOURCE_DATE_EPOCH");
    sqlite3 *db = open_out(f);
    assert_string_equal(q_text(db, "SELECT value FROM meta WHERE key = 'schema_version'"), "8");
    assert_string_equal(q_text(db, "SELECT value FROM meta WHERE key = 'content_version'"),
                        "42");
    assert_string_equal(q_text(db, "SELECT value FROM meta WHERE key = 'built_at'"),
                        "2026-01-01T00:00:00Z");
    sqlite3_close(db);

    assert_int_equal(build(f), 0);      /* a plain build replaces it, version 0 */
    db = open_out(f);
    assert_string_equal(q_text(db, "SELECT value FROM meta WHERE key = 'content_version'"),
                        "0");
    sqlite3_close(db);
}

static void test_build_rejects_malformed_source_date_epoch(void **state)
{
    struct fx *f = *state;

    setenv("SOURCE_DATE_EPOCH", "yesterday", 1);
    expect_error(f, "SOURCE_DATE_EPOCH: must be seconds since 1970, got \"yesterday\"");
    unsetenv("SOURCE_DATE_EPOCH");
}

static void test_build_is_byte_identical_for_the_same_tree_and_epoch(void **state)
{
    struct fx *f = *state;
    char *first, *second;
    size_t n1, n2;

    setenv("SOURCE_DATE_EPOCH", "1767225600", 1);
    assert_int_equal(build(f), 0);
    first = slurp(f->out, &n1);
    assert_int_equal(build(f), 0);
    second = slurp(f->out, &n2);
    unsetenv("SOURCE_DATE_EPOCH");
    assert_int_equal(n1, n2);
    assert_memory_equal(first, second, n1);
    free(first);
    free(second);
}

static void test_build_accepts_a_tree_of_only_the_required_files(void **state)
{
    struct fx *f = *state;
    struct fx bare = *f;
    struct cbuild_stats st;

    snprintf(bare.src, sizeof bare.src, "%s/bare", f->dir);
    assert_int_equal(mkdir(bare.src, 0755), 0);
    put(&bare, "hall.json", hall_json);
    put(&bare, "agencies.json", agencies_json);
    put(&bare, "categories.json", categories_json);
    put_bytes(&bare, "images/hall-map.png", png, sizeof png - 1);
    put_bytes(&bare, "images/icon-marriage.png", png, sizeof png - 1);
    put_bytes(&bare, "images/icon-business.png", png, sizeof png - 1);
    assert_int_equal(cbuild_run_opts(bare.src, bare.out, NULL, &st, f->err, sizeof f->err), 0);
    assert_int_equal(st.services, 0);
    assert_int_equal(st.agencies, 2);
}

static void test_failed_build_leaves_existing_output_untouched_and_no_temp_files(void **state)
{
    struct fx *f = *state;
    char *before, *after;
    size_t n1, n2, entries = 0;
    struct dirent *de;
    DIR *d;

    assert_int_equal(build(f), 0);
    before = slurp(f->out, &n1);
    edit(f, "calendar/cn-2026.json", "'2026-02-28'", "'2026-02-29'");
    assert_true(build(f) < 0);
    assert_string_equal(f->err, "calendar/cn-2026.json: workdays[2].date: 2026-02-29 is not a"
                                " real date");
    after = slurp(f->out, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(before, after, n1);
    free(before);
    free(after);

    d = opendir(f->dir);
    assert_non_null(d);
    while ((de = readdir(d)))
        if (de->d_name[0] != '.') {
            entries++;
            if (strcmp(de->d_name, "src") != 0 && strcmp(de->d_name, "content.db") != 0)
                fail_msg("left behind: %s", de->d_name);
        }
    closedir(d);
    assert_int_equal(entries, 2);
}

/* check_only: the same verdict as a build, the same counts, and no file written. */
static void test_check_only_judges_like_a_build_and_writes_nothing(void **state)
{
    struct fx *f = *state;
    struct cbuild_options o = {.check_only = true};
    struct cbuild_stats built, checked;
    DIR *d;
    struct dirent *de;

    assert_int_equal(cbuild_run_opts(f->src, f->out, NULL, &built, f->err, sizeof f->err), 0);
    assert_int_equal(unlink(f->out), 0);
    assert_int_equal(cbuild_run_opts(f->src, NULL, &o, &checked, f->err, sizeof f->err), 0);
    assert_memory_equal(&built, &checked, sizeof built);
    assert_true(checked.services > 0);
    edit(f, "calendar/cn-2026.json", "'2026-02-28'", "'2026-02-29'");
    assert_true(cbuild_run_opts(f->src, f->out, &o, NULL, f->err, sizeof f->err) < 0);
    assert_string_equal(f->err, "calendar/cn-2026.json: workdays[2].date: 2026-02-29 is not a"
                                " real date");
    d = opendir(f->dir);
    assert_non_null(d);
    while ((de = readdir(d)))
        if (de->d_name[0] != '.' && strcmp(de->d_name, "src") != 0)
            fail_msg("written: %s", de->d_name);
    closedir(d);
}

static void test_build_removes_a_stale_temp_file_of_its_own_pid(void **state)
{
    struct fx *f = *state;
    char tmp[160];

    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", f->out, (long)getpid());
    FILE *fp = fopen(tmp, "w");
    assert_non_null(fp);
    fputs("half a database", fp);
    fclose(fp);
    assert_int_equal(build(f), 0);
    assert_int_equal(access(tmp, F_OK), -1);
}

/* ---- one thing broken at a time ---------------------------------------------------- */

static void test_build_rejects_text_without_english(void **state)
{
    struct fx *f = *state;
    edit(f, "services/marriage.json", ", 'en': 'Marriage registration'", "");
    expect_error(f, "services/marriage.json: name.en: missing");
}

static void test_build_rejects_blank_text(void **state)
{
    struct fx *f = *state;
    edit(f, "services/marriage.json", "'zh': '照相馆'", "'zh': '  '");
    expect_error(f, "services/marriage.json: materials[2].source.zh: must not be empty");
}

static void test_build_rejects_unknown_agency(void **state)
{
    struct fx *f = *state;
    edit(f, "services/marriage.json", "'agency': 'civil-affairs'", "'agency': 'civil'");
    expect_error(f, "services/marriage.json: agency: unknown agency \"civil\" (not in"
                    " agencies.json)");
}

static void test_build_rejects_value_outside_its_enum(void **state)
{
    struct fx *f = *state;
    edit(f, "services/company-reg.json", "'type': 'licence'", "'type': 'permit'");
    expect_error(f, "services/company-reg.json: type: must be one of licence, confirmation,"
                    " payment, public_service, other; got \"permit\"");
}

static void test_build_rejects_promised_limit_longer_than_statutory(void **state)
{
    struct fx *f = *state;
    edit(f, "services/company-reg.json", "{'value': 3, ", "{'value': 30, ");
    expect_error(f, "services/company-reg.json: promised_limit: 30 working_days is longer than"
                    " the statutory limit 15 working_days");
}

static void test_build_compares_limits_in_days_counting_a_month_as_30(void **state)
{
    struct fx *f = *state;
    edit(f, "services/company-reg.json", "{'value': 15, 'unit': 'working_days'}",
         "{'value': 1, 'unit': 'months'}");
    edit(f, "services/company-reg.json", "{'value': 3, 'unit': 'working_days'}",
         "{'value': 30, 'unit': 'calendar_days'}");
    assert_int_equal(build(f), 0);
    assert_int_equal(unlink(f->out), 0);
    edit(f, "services/company-reg.json", "'value': 30,", "'value': 31,");
    expect_error(f, "services/company-reg.json: promised_limit: 31 calendar_days is longer"
                    " than the statutory limit 1 months");
}

static void test_build_rejects_zero_promised_limit_unless_on_the_spot(void **state)
{
    struct fx *f = *state;
    edit(f, "services/company-reg.json", "{'value': 3, ", "{'value': 0, ");
    expect_error(f, "services/company-reg.json: promised_limit.value: 0 is only allowed when"
                    " handling is \"on_the_spot\"");
}

static void test_build_rejects_written_after_published(void **state)
{
    struct fx *f = *state;
    edit(f, "disclosure/docs/budget-2025.json", "'written': '2025-03-01'",
         "'written': '2025-03-06'");
    expect_error(f, "disclosure/docs/budget-2025.json: written: 2025-03-06 is after published"
                    " 2025-03-05");
}

static void test_build_rejects_date_that_is_not_on_the_calendar(void **state)
{
    struct fx *f = *state;
    edit(f, "disclosure/docs/budget-2025.json", "'published': '2025-03-05'",
         "'published': '2025-02-30'");
    expect_error(f, "disclosure/docs/budget-2025.json: published: 2025-02-30 is not a real"
                    " date");
}

static void test_build_rejects_date_in_another_format(void **state)
{
    struct fx *f = *state;
    edit(f, "announcements.json", "'2026-01-04'", "'2026/1/4'");
    expect_error(f, "announcements.json: [0].ends: must be a date YYYY-MM-DD, got \"2026/1/4\"");
}

static void test_build_rejects_notice_with_unknown_priority(void **state)
{
    struct fx *f = *state;
    edit(f, "announcements.json", "'priority': 'normal'", "'priority': 'high'");
    expect_error(f, "announcements.json: [0].priority: must be one of normal, urgent; got \"high\"");
}

static void test_build_rejects_notice_from_unknown_agency(void **state)
{
    struct fx *f = *state;
    edit(f, "announcements.json", "'agency': 'civil-affairs'", "'agency': 'nobody'");
    expect_error(f, "announcements.json: [0].agency: unknown agency \"nobody\" (not in agencies.json)");
}

static void test_build_rejects_notice_published_after_it_ends(void **state)
{
    struct fx *f = *state;
    edit(f, "announcements.json", "'published': '2025-12-18'", "'published': '2026-01-05'");
    expect_error(f, "announcements.json: [0].published: 2026-01-05 is after ends 2026-01-04");
}

static void test_build_rejects_notice_without_agency(void **state)
{
    struct fx *f = *state;
    edit(f, "announcements.json", "'agency': 'civil-affairs', ", "");
    expect_error(f, "announcements.json: [0].agency: missing");
}

static void test_build_rejects_duplicate_key_with_its_line(void **state)
{
    struct fx *f = *state;
    edit(f, "hall.json", "'phone': '0571-12345',", "'phone': '0571-12345', 'phone': '0571-1',");
    expect_error(f, "hall.json: line 6 column 32: duplicate object key near '\"phone\"'");
}

static void test_build_rejects_json_syntax_error_with_line_and_column(void **state)
{
    struct fx *f = *state;
    edit(f, "hall.json", "'phone': '0571-12345',", "'phone': '0571-12345'");
    expect_error(f, "hall.json: line 7 column 10: '}' expected near '\"region\"'");
}

static void test_build_rejects_unknown_key_and_suggests_the_known_one(void **state)
{
    struct fx *f = *state;
    edit(f, "services/company-reg.json", "'materials':", "'matrials':");
    expect_error(f, "services/company-reg.json: matrials: unknown key (did you mean"
                    " \"materials\"?)");
}

static void test_build_rejects_unknown_key_inside_a_text(void **state)
{
    struct fx *f = *state;
    edit(f, "categories.json", "'en': 'Marriage'}", "'en': 'Marriage', 'fr': 'Mariage'}");
    expect_error(f, "categories.json: [0].name.fr: unknown key");
}

static void test_build_rejects_list_longer_than_500_entries(void **state)
{
    struct fx *f = *state;
    const char *faq = "{'q': {'zh': '问', 'en': 'Q'}, 'a': {'zh': '答', 'en': 'A'}}";
    size_t n = 501 * (strlen(faq) + 2) + 32;
    char *faqs = malloc(n);

    assert_non_null(faqs);
    strcpy(faqs, "'faqs': [");
    for (int i = 0; i < 501; i++) {
        strcat(faqs, i ? ", " : "");
        strcat(faqs, faq);
    }
    strcat(faqs, "],");
    edit(f, "services/company-reg.json",
         "'faqs': [{'q': {'zh': '要多久？', 'en': 'How long?'}, 'a': {'zh': '三个工作日。', 'en':"
         " 'Three working days.'}}],", faqs);
    free(faqs);
    expect_error(f, "services/company-reg.json: faqs: has 501 entries, at most 500");
}

static void test_build_rejects_reference_to_missing_image(void **state)
{
    struct fx *f = *state;
    edit(f, "onething/open-company.json", "'image': 'onething-company.png',",
         "'image': 'company.png',");
    expect_error(f, "onething/open-company.json: image: no image \"company.png\" in images/");
}

static void test_build_rejects_image_that_is_not_a_png(void **state)
{
    struct fx *f = *state;
    put(f, "images/broken.png", "GIF89a");
    expect_error(f, "images/broken.png: not a PNG file");
}

/* the fixture PNG, its header saying W x H pixels, padded with zeros to N bytes */
static void put_png_sized(const struct fx *f, const char *rel, uint32_t w, uint32_t h, size_t n)
{
    unsigned char *p = calloc(1, n);

    assert_non_null(p);
    memcpy(p, png, sizeof png - 1);
    for (int i = 0; i < 4; i++) {
        p[16 + i] = (unsigned char)(w >> (24 - 8 * i));
        p[20 + i] = (unsigned char)(h >> (24 - 8 * i));
    }
    put_bytes(f, rel, p, n);
    free(p);
}

static void test_build_rejects_category_without_its_pictogram(void **state)
{
    struct fx *f = *state;
    edit(f, "categories.json", "'icon': 'business'", "'icon': 'shop'");
    expect_error(f, "categories.json: [1].icon: no image \"icon-shop.png\" in images/");
}

static void test_build_rejects_category_pictogram_that_is_not_a_png(void **state)
{
    struct fx *f = *state;
    put(f, "images/icon-marriage.png", "<svg/>");
    expect_error(f, "images/icon-marriage.png: not a PNG file");
}

static void test_build_rejects_category_pictogram_too_big(void **state)
{
    struct fx *f = *state;
    put_png_sized(f, "images/icon-marriage.png", 256, 256, 64 * 1024 + 1);
    expect_error(f, "categories.json: [0].icon: \"icon-marriage.png\" is 65537 bytes, a pictogram"
                    " at most 65536 (64 KiB)");
    put_png_sized(f, "images/icon-marriage.png", 513, 256, 1000);
    expect_error(f, "categories.json: [0].icon: \"icon-marriage.png\" is 513 x 256 pixels, a"
                    " pictogram at most 512 x 512");
}

static void test_build_checks_one_thing_step_pictures(void **state)
{
    struct fx *f = *state;
    edit(f, "onething/open-company.json", "'image': 'onething-company.png'},",
         "'image': 'step-register.png'},");
    expect_error(f, "onething/open-company.json: steps[0].image: no image \"step-register.png\" in images/");
    put(f, "images/step-register.png", "GIF89a");
    expect_error(f, "images/step-register.png: not a PNG file");
    put_png_sized(f, "images/step-register.png", 1024, 1024, 5000);
    expect_error(f, "onething/open-company.json: steps[0].image: \"step-register.png\" is 1024 x 1024"
                    " pixels, a pictogram at most 512 x 512");
    put_png_sized(f, "images/step-register.png", 300, 200, 5000);
    assert_int_equal(build(f), 0);
}

static void test_build_rejects_image_over_4096_pixels_a_side(void **state)
{
    struct fx *f = *state;
    put_png_sized(f, "images/huge.png", 100, 4097, 500);
    expect_error(f, "images/huge.png: 100 x 4097 pixels, at most 4096 x 4096");
    put(f, "images/huge.png", "\x89PNG\r\n\x1a\n");
    expect_error(f, "images/huge.png: not a PNG file (no IHDR header)");
}

static void test_build_rejects_workday_inside_a_holiday(void **state)
{
    struct fx *f = *state;
    edit(f, "calendar/cn-2026.json", "'2026-01-04'", "'2026-01-03'");
    expect_error(f, "calendar/cn-2026.json: workdays[0].date: 2026-01-03 falls inside"
                    " holidays[0] (2026-01-01..2026-01-03)");
}

static void test_build_rejects_make_up_workday_on_a_weekday(void **state)
{
    struct fx *f = *state;
    edit(f, "calendar/cn-2026.json", "'2026-01-04'", "'2026-01-05'");
    expect_error(f, "calendar/cn-2026.json: workdays[0].date: 2026-01-05 is a Monday; a"
                    " make-up working day is a Saturday or Sunday");
}

static void test_build_rejects_holiday_ending_before_it_starts(void **state)
{
    struct fx *f = *state;
    edit(f, "calendar/cn-2026.json", "'to': '2026-02-23'", "'to': '2026-02-13'");
    expect_error(f, "calendar/cn-2026.json: holidays[1].to: 2026-02-13 is before from"
                    " 2026-02-15");
}

static void test_build_rejects_holiday_outside_the_year_of_the_file(void **state)
{
    struct fx *f = *state;
    edit(f, "calendar/cn-2026.json", "'from': '2026-01-01'", "'from': '2025-12-31'");
    expect_error(f, "calendar/cn-2026.json: holidays[0].from: 2025-12-31 is outside 2026");
}

static void test_build_rejects_calendar_whose_year_differs_from_its_file_name(void **state)
{
    struct fx *f = *state;
    char from[256], to[256];

    path_of(f, "calendar/cn-2026.json", from, sizeof from);
    path_of(f, "calendar/cn-2025.json", to, sizeof to);
    assert_int_equal(rename(from, to), 0);
    expect_error(f, "calendar/cn-2025.json: year: 2026 does not match the file name"
                    " cn-2025.json");
}

static void test_build_rejects_copies_out_of_range(void **state)
{
    struct fx *f = *state;
    edit(f, "services/marriage.json", "'copies': 3", "'copies': 25");
    expect_error(f, "services/marriage.json: materials[2].copies: must be 0..20, got 25");
}

static void test_build_rejects_zero_copies_of_paper(void **state)
{
    struct fx *f = *state;
    edit(f, "services/marriage.json", "'copies': 3", "'copies': 0");
    expect_error(f, "services/marriage.json: materials[2].copies: 0 is only allowed when"
                    " \"form\" is \"electronic\"");
}

static void test_build_rejects_conditional_material_without_condition(void **state)
{
    struct fx *f = *state;
    edit(f, "services/company-reg.json",
         "'condition': {'zh': '委托代理人办理的', 'en': 'When an agent applies'},", "");
    expect_error(f, "services/company-reg.json: materials[1].condition: missing (required when"
                    " \"required\" is \"conditional\")");
}

static void test_build_rejects_online_handling_without_url(void **state)
{
    struct fx *f = *state;
    edit(f, "services/company-reg.json",
         "{'depth': 'full', 'url': 'https://zwfw.example.gov.cn/company'}", "{'depth': 'apply'}");
    expect_error(f, "services/company-reg.json: online.url: missing (required unless depth is"
                    " \"none\")");
}

static void test_build_rejects_url_that_is_not_https(void **state)
{
    struct fx *f = *state;
    edit(f, "services/marriage.json", "https://zwfw.example.gov.cn/guide/marriage",
         "http://zwfw.example.gov.cn/guide/marriage");
    expect_error(f, "services/marriage.json: guide_url: must start with https://, got"
                    " \"http://zwfw.example.gov.cn/guide/marriage\"");
}

static void test_build_rejects_id_with_capital_letters(void **state)
{
    struct fx *f = *state;
    edit(f, "hall.json", "'id': 'w01'", "'id': 'W01'");
    expect_error(f, "hall.json: windows[0].id: must match [a-z0-9-]{1,64}, got \"W01\"");
}

static void test_build_rejects_duplicate_id(void **state)
{
    struct fx *f = *state;
    edit(f, "hall.json", "'id': 'w02'", "'id': 'w01'");
    expect_error(f, "hall.json: windows[1].id: duplicate id \"w01\"");
}

static void test_build_rejects_string_where_an_integer_belongs(void **state)
{
    struct fx *f = *state;
    edit(f, "hall.json", "'floor': 1,", "'floor': '1',");
    expect_error(f, "hall.json: windows[0].floor: must be an integer");
}

static void test_build_rejects_window_position_off_the_map(void **state)
{
    struct fx *f = *state;
    edit(f, "hall.json", "'x': 0.1", "'x': 1.5");
    expect_error(f, "hall.json: windows[0].x: must be 0..1, got 1.5");
}

static void test_build_rejects_window_on_a_floor_without_a_map(void **state)
{
    struct fx *f = *state;
    edit(f, "hall.json", "'floor': 2, 'x'", "'floor': 3, 'x'");
    expect_error(f, "hall.json: windows[1].floor: floor 3 has no map (floors or map_image)");
}

static void test_build_rejects_floor_1_mapped_twice(void **state)
{
    struct fx *f = *state;
    edit(f, "hall.json", "[{'floor': 2, 'map_image'", "[{'floor': 1, 'map_image'");
    expect_error(f, "hall.json: floors[0].floor: floor 1 has a map already (map_image is floor 1's)");
}

static void test_build_rejects_unknown_floor_map_image(void **state)
{
    struct fx *f = *state;
    edit(f, "hall.json", "[{'floor': 2, 'map_image': 'hall-map.png'}]",
         "[{'floor': 2, 'map_image': 'floor-2.png'}]");
    expect_error(f, "hall.json: floors[0].map_image: no image \"floor-2.png\" in images/");
}

static void test_build_rejects_unknown_inquiry_window(void **state)
{
    struct fx *f = *state;
    edit(f, "hall.json", "'inquiry_window': 'w01'", "'inquiry_window': 'desk'");
    expect_error(f, "hall.json: inquiry_window: unknown window \"desk\" (not in hall.json)");
}

static void test_build_rejects_channel_without_url_or_phone(void **state)
{
    struct fx *f = *state;
    edit(f, "hall.json", "'en': 'Hotline'}, 'phone': '12345'}", "'en': 'Hotline'}}");
    expect_error(f, "hall.json: channels[0]: needs a url (shown as a QR code) or a phone"
                    " number, or both");
}

static void test_build_rejects_channel_url_without_https(void **state)
{
    struct fx *f = *state;
    edit(f, "hall.json", "'https://gov.example.cn/'", "'http://gov.example.cn/'");
    expect_error(f, "hall.json: channels[1].url: must start with https://, got"
                    " \"http://gov.example.cn/\"");
}

static void test_build_rejects_unknown_life_event(void **state)
{
    struct fx *f = *state;
    edit(f, "services/marriage.json", "['marriage']", "['marriage', 'wedding']");
    expect_error(f, "services/marriage.json: life_events[1]: unknown life event \"wedding\""
                    " (not in categories.json)");
}

static void test_build_rejects_service_without_audience(void **state)
{
    struct fx *f = *state;
    edit(f, "services/marriage.json", "'audience': ['individual']", "'audience': []");
    expect_error(f, "services/marriage.json: audience: must not be empty");
}

static void test_build_rejects_life_event_id_taken_by_a_derived_category(void **state)
{
    struct fx *f = *state;
    edit(f, "categories.json", "'id': 'marriage'", "'id': 'dept-market'");
    expect_error(f, "categories.json: [0].id: \"dept-market\" is taken by a derived category"
                    " (\"dept-<agency>\" or \"audience-<audience>\")");
}

static void test_build_rejects_one_thing_with_a_single_step(void **state)
{
    struct fx *f = *state;
    edit(f, "onething/open-company.json",
         ",\n    {'service': 'marriage', 'note': {'zh': '再说', 'en': 'Then this'}}", "");
    expect_error(f, "onething/open-company.json: steps: has 1 entry, at least 2");
}

static void test_build_takes_one_thing_without_url(void **state)
{
    struct fx *f = *state;
    edit(f, "onething/open-company.json", "  'url': 'https://zwfw.example.gov.cn/onething/open-company',\n", "");
    assert_int_equal(build(f), 0);
    sqlite3 *db = open_out(f);
    assert_string_equal(q_text(db, "SELECT url FROM onething"), "");
    sqlite3_close(db);
}

static void test_build_rejects_one_thing_url_that_is_not_https(void **state)
{
    struct fx *f = *state;
    edit(f, "onething/open-company.json", "'https://zwfw.example.gov.cn/onething/open-company'",
         "'http://zwfw.example.gov.cn/onething/open-company'");
    expect_error(f, "onething/open-company.json: url: must start with https://, got"
                    " \"http://zwfw.example.gov.cn/onething/open-company\"");
}

static void test_build_rejects_one_thing_step_of_unknown_service(void **state)
{
    struct fx *f = *state;
    edit(f, "onething/open-company.json", "'service': 'marriage'", "'service': 'divorce'");
    expect_error(f, "onething/open-company.json: steps[1].service: unknown service \"divorce\""
                    " (not in services/)");
}

static void test_build_rejects_interprets_on_a_normal_document(void **state)
{
    struct fx *f = *state;
    edit(f, "disclosure/docs/budget-2025.json", "'kind': 'normal',",
         "'kind': 'normal', 'interprets': 'budget-2025-explained',");
    expect_error(f, "disclosure/docs/budget-2025.json: interprets: only allowed when kind is"
                    " \"interpretation\"");
}

static void test_build_rejects_interpretation_of_unknown_document(void **state)
{
    struct fx *f = *state;
    edit(f, "disclosure/docs/budget-2025-explained.json", "'interprets': 'budget-2025'",
         "'interprets': 'budget-2024'");
    expect_error(f, "disclosure/docs/budget-2025-explained.json: interprets: unknown document"
                    " \"budget-2024\" (not in disclosure/docs/)");
}

static void test_build_rejects_unknown_topic(void **state)
{
    struct fx *f = *state;
    edit(f, "disclosure/docs/budget-2025.json", "'topic': 'budgets'", "'topic': 'budget'");
    expect_error(f, "disclosure/docs/budget-2025.json: topic: unknown topic \"budget\" (not in"
                    " disclosure/topics.json)");
}

static void test_build_rejects_table_row_with_more_cells_than_its_header(void **state)
{
    struct fx *f = *state;
    edit(f, "disclosure/docs/budget-2025.json", "| Total | 100 | 120 |",
         "| Total | 100 | 120 | 7 |");
    expect_error(f, "disclosure/docs/budget-2025.json: body.en: line 4: a table row has 4"
                    " cells, its header 3");
}

static void test_build_rejects_text_over_64_kib(void **state)
{
    struct fx *f = *state;
    size_t n = 64 * 1024 + 1;
    char *big = malloc(n + 32);

    assert_non_null(big);
    strcpy(big, "'en': '");
    memset(big + 7, 'x', n);
    strcpy(big + 7 + n, "'}");
    edit(f, "services/marriage.json", "'en': 'Registering a marriage.'}", big);
    free(big);
    expect_error(f, "services/marriage.json: summary.en: is 65537 bytes long, at most 65536");
}

static void test_build_rejects_json_file_over_4_mib_before_parsing_it(void **state)
{
    struct fx *f = *state;
    size_t n = 4 * 1024 * 1024 + 1;
    char *big = malloc(n);

    assert_non_null(big);
    memset(big, ' ', n);
    big[0] = '{';
    big[n - 1] = '}';
    put_bytes(f, "services/huge.json", big, n);
    free(big);
    expect_error(f, "services/huge.json: file is 4194305 bytes, at most 4194304 (4 MiB)");
}

static void test_build_rejects_image_over_2_mib(void **state)
{
    struct fx *f = *state;
    size_t n = 2 * 1024 * 1024 + 1;
    char *big = calloc(1, n);

    assert_non_null(big);
    memcpy(big, png, sizeof png - 1);
    put_bytes(f, "images/big.png", big, n);
    free(big);
    expect_error(f, "images/big.png: file is 2097153 bytes, at most 2097152 (2 MiB)");
}

static void test_build_rejects_tree_without_hall_json(void **state)
{
    struct fx *f = *state;
    char path[256];

    path_of(f, "hall.json", path, sizeof path);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(build(f), -ENOENT);
    assert_string_equal(f->err, "hall.json: missing");
}

static void test_build_rejects_file_that_is_not_part_of_the_tree(void **state)
{
    struct fx *f = *state;
    put(f, "anouncements.json", "[]");
    expect_error(f, "anouncements.json: not part of a content tree (see"
                    " docs/content-format.md)");
}

static void test_build_rejects_service_file_name_that_is_not_an_id(void **state)
{
    struct fx *f = *state;
    put(f, "services/Passport.json", "{}");
    expect_error(f, "services/Passport.json: file name must be <id>.json, the id"
                    " [a-z0-9-]{1,64}");
}

static void test_build_reports_missing_source_directory(void **state)
{
    struct fx *f = *state;
    char missing[160];

    snprintf(missing, sizeof missing, "%s/nowhere", f->dir);
    assert_int_equal(cbuild_run(missing, f->out, f->err, sizeof f->err), -ENOENT);
    assert_non_null(strstr(f->err, "/nowhere: No such file or directory"));
}

/* ---- forms ------------------------------------------------------------------------- */

static const char request_form_json[] =
    "{\n"
    "  'kind': 'request',\n"
    "  'title': {'zh': '信息公开申请', 'en': 'Information request'},\n"
    "  'intro': {'zh': '申请免费。', 'en': 'Requests are free.'},\n"
    "  'privacy': {'zh': '加密保存，上传后30天删除。', 'en': 'Kept encrypted; deleted 30 days after upload.'},\n"
    "  'steps': [\n"
    "    {'id': 'applicant', 'title': {'zh': '申请人', 'en': 'Applicant'}, 'fields': [\n"
    "      {'id': 'who', 'type': 'choice', 'required': true, 'label': {'zh': '类型', 'en': 'Type'},\n"
    "       'choices': [{'id': 'citizen', 'label': {'zh': '公民', 'en': 'Citizen'}},\n"
    "                   {'id': 'business', 'label': {'zh': '企业', 'en': 'Business'}}]},\n"
    "      {'id': 'name', 'type': 'name', 'required': true, 'pii': true, 'label': {'zh': '姓名', 'en': 'Name'},\n"
    "       'visible': {'field': 'who', 'in': ['citizen']}},\n"
    "      {'id': 'doc', 'type': 'choice', 'label': {'zh': '证件', 'en': 'Document'},\n"
    "       'choices': [{'id': 'id-card', 'id_format': 'resident_id', 'label': {'zh': '身份证', 'en': 'ID card'}},\n"
    "                   {'id': 'passport', 'id_format': 'passport', 'label': {'zh': '护照', 'en': 'Passport'}}]},\n"
    "      {'id': 'doc-no', 'type': 'id_number', 'id_type_field': 'doc', 'pii': true,\n"
    "       'label': {'zh': '证件号码', 'en': 'Number'}},\n"
    "      {'id': 'code', 'type': 'credit_code', 'required': true, 'label': {'zh': '信用代码', 'en': 'Credit code'},\n"
    "       'visible': {'field': 'who', 'not_in': ['citizen']}}\n"
    "    ]},\n"
    "    {'id': 'wanted', 'title': {'zh': '所需信息', 'en': 'Wanted'}, 'fields': [\n"
    "      {'id': 'title', 'type': 'text', 'label': {'zh': '名称', 'en': 'Title'},\n"
    "       'help': {'zh': '至少填一项', 'en': 'Give at least one'}},\n"
    "      {'id': 'doc-number', 'type': 'text', 'max': 50, 'label': {'zh': '文号', 'en': 'Document number'}},\n"
    "      {'id': 'delivery', 'type': 'choice', 'required': true, 'label': {'zh': '方式', 'en': 'Delivery'},\n"
    "       'choices': [{'id': 'post', 'label': {'zh': '邮寄', 'en': 'Post'}}, {'id': 'email', 'label': {'zh': '电邮', 'en': 'Email'}}]},\n"
    "      {'id': 'email', 'type': 'email', 'pii': true, 'label': {'zh': '邮箱', 'en': 'Email'},\n"
    "       'required': {'field': 'delivery', 'in': ['email']}},\n"
    "      {'id': 'help', 'type': 'flag', 'label': {'zh': '需要协助', 'en': 'I need help'}}\n"
    "    ]}\n"
    "  ],\n"
    "  'at_least_one': [['title', 'doc-number']],\n"
    "  'staff_help': 'help',\n"
    "  'follow_up': {'field': 'help', 'in': ['true']}\n"
    "}\n";

static void test_build_writes_a_form_with_its_steps_fields_and_choices(void **state)
{
    struct fx *f = *state;
    struct cbuild_stats st;

    put(f, "forms/request.json", request_form_json);
    assert_int_equal(cbuild_run_opts(f->src, f->out, NULL, &st, f->err, sizeof f->err), 0);
    assert_int_equal(st.forms, 1);
    sqlite3 *db = open_out(f);
    assert_int_equal(q_int(db, "SELECT count(*) FROM form_step"), 2);
    assert_int_equal(q_int(db, "SELECT count(*) FROM form_field"), 10);
    assert_int_equal(q_int(db, "SELECT count(*) FROM form_choice"), 6);
    assert_string_equal(q_text(db, "SELECT kind || '|' || staff_help || '|' || follow_up_field"
                                   " || '|' || follow_up_op || '|' || follow_up_values FROM form"
                                   " WHERE id = 'request'"), "request|help|help|in|true");
    assert_string_equal(q_text(db, "SELECT step || '|' || visible_field || '|' || visible_op ||"
                                   " '|' || visible_values || '|' || keyboard || '|' || max_len"
                                   " || '|' || pii FROM form_field WHERE id = 'code'"),
                        "0|who|not_in|citizen|latin|0|0");
    assert_string_equal(q_text(db, "SELECT required || '|' || required_field || '|' ||"
                                   " required_values FROM form_field WHERE id = 'email'"),
                        "if|delivery|email");
    /* defaults: a text field 200 characters on the pinyin keyboard; a flag types nothing */
    assert_string_equal(q_text(db, "SELECT max_len || keyboard || '|' || one_of FROM form_field"
                                   " WHERE id = 'title'"), "200pinyin|0");
    assert_string_equal(q_text(db, "SELECT max_len || '|' || one_of FROM form_field"
                                   " WHERE id = 'doc-number'"), "50|0");
    assert_string_equal(q_text(db, "SELECT keyboard || '|' || one_of FROM form_field"
                                   " WHERE id = 'help'"), "|-1");
    assert_string_equal(q_text(db, "SELECT group_concat(id_format) FROM (SELECT id_format FROM"
                                   " form_choice c JOIN form_field f ON f.form_id = c.form_id"
                                   " AND f.seq = c.field_seq WHERE f.id = 'doc' ORDER BY c.seq)"),
                        "resident_id,passport");
    sqlite3_close(db);
}

static void test_build_rejects_condition_on_a_later_field(void **state)
{
    struct fx *f = *state;
    put(f, "forms/request.json", request_form_json);
    edit(f, "forms/request.json", "'visible': {'field': 'who', 'in': ['citizen']}",
         "'visible': {'field': 'delivery', 'in': ['post']}");
    expect_error(f, "forms/request.json: steps[0].fields[1].visible.field: unknown field"
                    " \"delivery\" (a condition reads a field defined before it)");
}

static void test_build_rejects_condition_value_that_is_not_a_choice(void **state)
{
    struct fx *f = *state;
    put(f, "forms/request.json", request_form_json);
    edit(f, "forms/request.json", "'in': ['citizen']", "'in': ['person']");
    expect_error(f, "forms/request.json: steps[0].fields[1].visible.in[0]: \"person\" is not"
                    " a choice of \"who\"");
}

static void test_build_rejects_condition_with_both_in_and_not_in(void **state)
{
    struct fx *f = *state;
    put(f, "forms/request.json", request_form_json);
    edit(f, "forms/request.json", "'in': ['citizen']}",
         "'in': ['citizen'], 'not_in': ['business']}");
    expect_error(f, "forms/request.json: steps[0].fields[1].visible: needs exactly one of"
                    " \"in\" and \"not_in\"");
}

static void test_build_rejects_condition_on_a_text_field(void **state)
{
    struct fx *f = *state;
    put(f, "forms/request.json", request_form_json);
    edit(f, "forms/request.json", "'required': {'field': 'delivery', 'in': ['email']}",
         "'required': {'field': 'title', 'in': ['email']}");
    expect_error(f, "forms/request.json: steps[1].fields[3].required.field: \"title\" is of"
                    " type text; a condition reads a choice, multichoice or flag field");
}

static void test_build_rejects_personal_data_field_without_pii(void **state)
{
    struct fx *f = *state;
    put(f, "forms/request.json", request_form_json);
    edit(f, "forms/request.json", "'type': 'name', 'required': true, 'pii': true,",
         "'type': 'name', 'required': true,");
    expect_error(f, "forms/request.json: steps[0].fields[1].pii: name fields hold personal"
                    " data: it must say \"pii\": true");
}

static void test_build_rejects_choice_field_with_a_single_choice(void **state)
{
    struct fx *f = *state;
    put(f, "forms/request.json", request_form_json);
    edit(f, "forms/request.json", ", {'id': 'email', 'label': {'zh': '电邮', 'en': 'Email'}}", "");
    expect_error(f, "forms/request.json: steps[1].fields[2].choices: has 1 entry, at least 2");
}

static void test_build_rejects_id_number_without_its_document_type_field(void **state)
{
    struct fx *f = *state;
    put(f, "forms/request.json", request_form_json);
    edit(f, "forms/request.json", "'id_type_field': 'doc', ", "");
    expect_error(f, "forms/request.json: steps[0].fields[3].id_type_field: missing (required"
                    " for an id_number field)");
}

static void test_build_rejects_document_type_choice_without_id_format(void **state)
{
    struct fx *f = *state;
    put(f, "forms/request.json", request_form_json);
    edit(f, "forms/request.json", "'id_format': 'passport', ", "");
    expect_error(f, "forms/request.json: steps[0].fields[3].id_type_field: choice \"passport\""
                    " of \"doc\" has no \"id_format\"");
}

static void test_build_rejects_at_least_one_group_with_a_required_field(void **state)
{
    struct fx *f = *state;
    put(f, "forms/request.json", request_form_json);
    edit(f, "forms/request.json", "{'id': 'title', 'type': 'text',",
         "{'id': 'title', 'type': 'text', 'required': true,");
    expect_error(f, "forms/request.json: at_least_one[0][0]: \"title\" is required on its own;"
                    " a group's fields are not");
}

static void test_build_rejects_at_least_one_group_across_steps(void **state)
{
    struct fx *f = *state;
    put(f, "forms/request.json", request_form_json);
    edit(f, "forms/request.json", "{'id': 'code', 'type': 'credit_code', 'required': true,",
         "{'id': 'code', 'type': 'text',");
    edit(f, "forms/request.json", "[['title', 'doc-number']]", "[['title', 'code']]");
    expect_error(f, "forms/request.json: at_least_one[0][1]: \"code\" is in another step than"
                    " \"title\"; a group's fields share a step");
}

static void test_build_rejects_max_on_a_field_with_its_own_format(void **state)
{
    struct fx *f = *state;
    put(f, "forms/request.json", request_form_json);
    edit(f, "forms/request.json", "{'id': 'email', 'type': 'email', 'pii': true,",
         "{'id': 'email', 'type': 'email', 'pii': true, 'max': 10,");
    expect_error(f, "forms/request.json: steps[1].fields[3].max: only allowed for text,"
                    " longtext and name fields, not email");
}

static void test_build_rejects_keyboard_on_a_choice_field(void **state)
{
    struct fx *f = *state;
    put(f, "forms/request.json", request_form_json);
    edit(f, "forms/request.json", "{'id': 'who', 'type': 'choice',",
         "{'id': 'who', 'type': 'choice', 'keyboard': 'latin',");
    expect_error(f, "forms/request.json: steps[0].fields[0].keyboard: not allowed for choice"
                    " fields (nothing is typed)");
}

static void test_build_rejects_duplicate_field_id_across_steps(void **state)
{
    struct fx *f = *state;
    put(f, "forms/request.json", request_form_json);
    edit(f, "forms/request.json", "{'id': 'doc-number', 'type': 'text'",
         "{'id': 'name', 'type': 'text'");
    expect_error(f, "forms/request.json: steps[1].fields[1].id: duplicate field id \"name\"");
}

static void test_build_rejects_unknown_form_kind(void **state)
{
    struct fx *f = *state;
    put(f, "forms/request.json", request_form_json);
    edit(f, "forms/request.json", "'kind': 'request'", "'kind': 'survey'");
    expect_error(f, "forms/request.json: kind: must be one of request, feedback, rating,"
                    " questionnaire, comment; got \"survey\"");
}

static void test_build_rejects_staff_help_that_is_not_a_flag(void **state)
{
    struct fx *f = *state;
    put(f, "forms/request.json", request_form_json);
    edit(f, "forms/request.json", "'staff_help': 'help'", "'staff_help': 'title'");
    expect_error(f, "forms/request.json: staff_help: \"title\" must be a flag field");
}

static void test_build_rejects_form_without_privacy_notice(void **state)
{
    struct fx *f = *state;
    put(f, "forms/request.json", request_form_json);
    edit(f, "forms/request.json",
         "  'privacy': {'zh': '加密保存，上传后30天删除。', 'en': 'Kept encrypted; deleted 30 days after upload.'},\n", "");
    expect_error(f, "forms/request.json: privacy: missing");
}

static void test_build_rejects_form_file_name_that_is_not_an_id(void **state)
{
    struct fx *f = *state;
    put(f, "forms/Request.json", request_form_json);
    expect_error(f, "forms/Request.json: file name must be <id>.json, the id [a-z0-9-]{1,64}");
}

/* ---- pinyin keys and the search indexes (sync/search_index.c) --------------------- */

static void test_build_fills_pinyin_keys_from_the_chinese_titles(void **state)
{
    struct fx *f = *state;

    assert_int_equal(build(f), 0);
    sqlite3 *db = open_out(f);
    assert_string_equal(q_text(db, "SELECT pinyin || '|' || initials FROM service"
                                   " WHERE id = 'company-reg'"), "qi ye she li deng ji|qysldj");
    assert_string_equal(q_text(db, "SELECT pinyin || '|' || initials FROM service"
                                   " WHERE id = 'marriage'"),
                        "nei di ju min jie hun deng ji|ndjmjhdj");
    assert_string_equal(q_text(db, "SELECT pinyin || '|' || initials FROM doc"
                                   " WHERE id = 'budget-2025'"), "2025 nian bu men yu suan|2nbmys");
    sqlite3_close(db);
}

static void test_build_ranks_search_rows_shortest_service_and_newest_document_first(void **state)
{
    struct fx *f = *state;

    assert_int_equal(build(f), 0);
    sqlite3 *db = open_out(f);
    /* services from 1 up, the shortest zh title highest; documents from 2^30 up, the
     * newest highest, a tie by id */
    assert_string_equal(q_text(db, "SELECT group_concat(ref, ',') FROM (SELECT ref FROM"
                                   " search ORDER BY rowid DESC)"),
                        "budget-2025,budget-2025-explained,company-reg,marriage");
    assert_int_equal(q_int(db, "SELECT rowid FROM search WHERE ref = 'marriage'"), 1);
    assert_int_equal(q_int(db, "SELECT rowid FROM search WHERE ref = 'budget-2025-explained'"),
                     1073741825);
    sqlite3_close(db);
}

static void test_build_indexes_characters_pairs_and_pinyin_for_short_queries(void **state)
{
    struct fx *f = *state;

    assert_int_equal(build(f), 0);
    sqlite3 *db = open_out(f);
    assert_int_equal(q_int(db, "SELECT rowid FROM search_gram_title WHERE search_gram_title"
                               " MATCH '\"结婚\"'"), 1);
    assert_int_equal(q_int(db, "SELECT rowid FROM search_gram_body WHERE search_gram_body"
                               " MATCH '\"份\"'"), 1);   /* materials: 身份证 */
    assert_int_equal(q_int(db, "SELECT count(*) FROM search_gram_title WHERE"
                               " search_gram_title MATCH '\"份\"'"), 0);
    assert_int_equal(q_int(db, "SELECT rowid FROM search_title WHERE search_title"
                               " MATCH '\"居民结婚\"'"), 1);
    assert_int_equal(q_int(db, "SELECT rowid FROM search_latin WHERE search_latin MATCH"
                               " 'py : \"jie hun\"'"), 1);
    assert_int_equal(q_int(db, "SELECT rowid FROM search_latin WHERE search_latin MATCH"
                               " 'ini : \"q y\"'"), 2);
    assert_int_equal(q_int(db, "SELECT rowid FROM search_latin WHERE search_latin MATCH"
                               " 'en : \"marri\"*'"), 1);
    /* a document's keywords, in pinyin: 预算,三公经费 */
    assert_int_equal(q_int(db, "SELECT rowid FROM search_latin WHERE search_latin MATCH"
                               " 'kpy : \"san gong\"'"), 1073741826);
    assert_int_equal(q_int(db, "SELECT count(*) FROM search_latin WHERE search_latin MATCH"
                               " 'kini : \"s g j f\"'"), 1);
    sqlite3_close(db);
}

static void test_build_fails_clearly_without_the_pinyin_dictionary(void **state)
{
    struct fx *f = *state;

    setenv("KIOSK_PINYIN_DICT", "/nonexistent/luna_pinyin.dict.yaml", 1);
    expect_error(f, "/nonexistent/luna_pinyin.dict.yaml: missing: the pinyin dictionary comes"
                    " with the Debian package rime-data-luna-pinyin (run scripts/setup.sh)");
    assert_int_equal(build(f), -ENOENT);
    unsetenv("KIOSK_PINYIN_DICT");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

/* ---- consultations ------------------------------------------------------------------ */

static void test_build_writes_a_consultation_with_its_questions_and_feedback(void **state)
{
    struct fx *f = *state;
    sqlite3 *db;

    assert_int_equal(build(f), 0);
    db = open_out(f);
    assert_string_equal(q_text(db, "SELECT agency_id || ' ' || opens || ' ' || closes || ' ' ||"
                                   " feedback_published FROM consultation WHERE id = 'parks'"),
                        "civil-affairs 2026-07-15 2026-08-31 2026-10-20");
    assert_string_equal(q_text(db, "SELECT group_concat(text_en, '|') FROM (SELECT text_en FROM"
                                   " consultation_question ORDER BY seq)"),
                        "Opening hours?|Pets?");
    assert_string_equal(q_text(db, "SELECT group_concat(outcome || ':' || reason_zh, '|') FROM"
                                   " (SELECT * FROM consultation_point ORDER BY seq)"),
                        "adopted:已修改|not_adopted:不安全");
    sqlite3_close(db);
}

static const char meals_json[] =
    "{'title': {'zh': '助餐办法', 'en': 'Meals'}, 'agency': 'market',"
    " 'opens': '2026-11-10', 'closes': '2026-12-31',"
    " 'draft': {'zh': '第一条', 'en': 'Article 1'},"
    " 'explanation': {'zh': '说明', 'en': 'Note'}}";

static void test_build_accepts_an_open_consultation_without_questions_or_feedback(void **state)
{
    struct fx *f = *state;
    sqlite3 *db;

    put(f, "consultations/meals.json", meals_json);
    assert_int_equal(build(f), 0);
    db = open_out(f);
    assert_int_equal(q_int(db, "SELECT count(*) FROM consultation_question"
                               " WHERE consultation_id = 'meals'"), 0);
    assert_string_equal(q_text(db, "SELECT feedback_published || '|' || feedback_summary_en FROM"
                                   " consultation WHERE id = 'meals'"), "|");
    sqlite3_close(db);
}

static void test_build_rejects_consultation_closing_before_it_opens(void **state)
{
    struct fx *f = *state;
    edit(f, "consultations/parks.json", "'closes': '2026-08-31'", "'closes': '2026-07-01'");
    expect_error(f, "consultations/parks.json: closes: 2026-07-01 is not after opens 2026-07-15");
}

static void test_build_rejects_consultation_closing_the_day_it_opens(void **state)
{
    struct fx *f = *state;
    edit(f, "consultations/parks.json", "'closes': '2026-08-31'", "'closes': '2026-07-15'");
    expect_error(f, "consultations/parks.json: closes: 2026-07-15 is not after opens 2026-07-15");
}

static void test_build_rejects_consultation_date_that_is_not_real(void **state)
{
    struct fx *f = *state;
    edit(f, "consultations/parks.json", "'opens': '2026-07-15'", "'opens': '2026-02-30'");
    expect_error(f, "consultations/parks.json: opens: 2026-02-30 is not a real date");
}

static void test_build_rejects_feedback_published_before_the_period_closes(void **state)
{
    struct fx *f = *state;
    edit(f, "consultations/parks.json", "'published': '2026-10-20'", "'published': '2026-08-30'");
    expect_error(f, "consultations/parks.json: feedback.published: 2026-08-30 is before closes"
                    " 2026-08-31: feedback comes after the comment period");
}

static void test_build_rejects_consultation_without_a_draft(void **state)
{
    struct fx *f = *state;
    edit(f, "consultations/parks.json",
         "  'draft': {'zh': '第一条 公园免费开放。', 'en': 'Article 1 Parks are free.'},\n", "");
    expect_error(f, "consultations/parks.json: draft: missing");
}

static void test_build_rejects_consultation_without_an_agency(void **state)
{
    struct fx *f = *state;
    edit(f, "consultations/parks.json", "  'agency': 'civil-affairs',\n", "");
    expect_error(f, "consultations/parks.json: agency: missing");
}

static void test_build_rejects_consultation_of_an_unknown_agency(void **state)
{
    struct fx *f = *state;
    edit(f, "consultations/parks.json", "'agency': 'civil-affairs'", "'agency': 'parks'");
    expect_error(f, "consultations/parks.json: agency: unknown agency \"parks\" (not in"
                    " agencies.json)");
}

static void test_build_rejects_feedback_point_of_an_unknown_outcome(void **state)
{
    struct fx *f = *state;
    edit(f, "consultations/parks.json", "'outcome': 'not_adopted'", "'outcome': 'rejected'");
    expect_error(f, "consultations/parks.json: feedback.points[1].outcome: must be one of"
                    " adopted, partly, not_adopted; got \"rejected\"");
}

static void test_build_rejects_feedback_point_without_a_reason(void **state)
{
    struct fx *f = *state;
    edit(f, "consultations/parks.json", ",\n       'reason': {'zh': '不安全', 'en': 'Unsafe'}", "");
    expect_error(f, "consultations/parks.json: feedback.points[1].reason: missing");
}

static void test_build_rejects_feedback_without_points(void **state)
{
    struct fx *f = *state;
    put(f, "consultations/meals.json", meals_json);
    edit(f, "consultations/meals.json", "'explanation': {'zh': '说明', 'en': 'Note'}",
         "'explanation': {'zh': '说明', 'en': 'Note'}, 'feedback': {'published': '2027-01-05',"
         " 'summary': {'zh': '无', 'en': 'None'}, 'points': []}");
    expect_error(f, "consultations/meals.json: feedback.points: must not be empty");
}

static void test_build_rejects_question_without_english(void **state)
{
    struct fx *f = *state;
    edit(f, "consultations/parks.json", "{'zh': '宠物？', 'en': 'Pets?'}", "{'zh': '宠物？'}");
    expect_error(f, "consultations/parks.json: questions[1].en: missing");
}

static void test_build_rejects_a_consultation_file_name_that_is_not_an_id(void **state)
{
    struct fx *f = *state;
    put(f, "consultations/Parks.json", consult_json);
    expect_error(f, "consultations/Parks.json: file name must be <id>.json, the id"
                    " [a-z0-9-]{1,64}");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_build_writes_every_table_from_a_valid_tree),
        T(test_build_derives_department_and_audience_categories),
        T(test_build_stores_free_services_and_absent_optional_fields_as_empty),
        T(test_build_numbers_rows_by_their_position_in_the_source),
        T(test_build_expands_holiday_ranges_to_one_row_per_day),
        T(test_build_indexes_services_by_materials_and_docs_by_keywords),
        T(test_build_writes_meta_with_versions_and_source_date_epoch),
        T(test_build_rejects_malformed_source_date_epoch),
        T(test_build_is_byte_identical_for_the_same_tree_and_epoch),
        T(test_build_accepts_a_tree_of_only_the_required_files),
        T(test_failed_build_leaves_existing_output_untouched_and_no_temp_files),
        T(test_check_only_judges_like_a_build_and_writes_nothing),
        T(test_build_removes_a_stale_temp_file_of_its_own_pid),
        T(test_build_rejects_text_without_english),
        T(test_build_rejects_blank_text),
        T(test_build_rejects_unknown_agency),
        T(test_build_rejects_value_outside_its_enum),
        T(test_build_rejects_promised_limit_longer_than_statutory),
        T(test_build_compares_limits_in_days_counting_a_month_as_30),
        T(test_build_rejects_zero_promised_limit_unless_on_the_spot),
        T(test_build_rejects_written_after_published),
        T(test_build_rejects_date_that_is_not_on_the_calendar),
        T(test_build_rejects_date_in_another_format),
        T(test_build_rejects_notice_with_unknown_priority),
        T(test_build_rejects_notice_from_unknown_agency),
        T(test_build_rejects_notice_published_after_it_ends),
        T(test_build_rejects_notice_without_agency),
        T(test_build_rejects_duplicate_key_with_its_line),
        T(test_build_rejects_json_syntax_error_with_line_and_column),
        T(test_build_rejects_unknown_key_and_suggests_the_known_one),
        T(test_build_rejects_unknown_key_inside_a_text),
        T(test_build_rejects_list_longer_than_500_entries),
        T(test_build_rejects_reference_to_missing_image),
        T(test_build_rejects_image_that_is_not_a_png),
        T(test_build_rejects_category_without_its_pictogram),
        T(test_build_rejects_category_pictogram_that_is_not_a_png),
        T(test_build_rejects_category_pictogram_too_big),
        T(test_build_checks_one_thing_step_pictures),
        T(test_build_rejects_image_over_4096_pixels_a_side),
        T(test_build_rejects_workday_inside_a_holiday),
        T(test_build_rejects_make_up_workday_on_a_weekday),
        T(test_build_rejects_holiday_ending_before_it_starts),
        T(test_build_rejects_holiday_outside_the_year_of_the_file),
        T(test_build_rejects_calendar_whose_year_differs_from_its_file_name),
        T(test_build_rejects_copies_out_of_range),
        T(test_build_rejects_zero_copies_of_paper),
        T(test_build_rejects_conditional_material_without_condition),
        T(test_build_rejects_online_handling_without_url),
        T(test_build_rejects_url_that_is_not_https),
        T(test_build_rejects_id_with_capital_letters),
        T(test_build_rejects_duplicate_id),
        T(test_build_rejects_string_where_an_integer_belongs),
        T(test_build_rejects_window_position_off_the_map),
        T(test_build_rejects_unknown_life_event),
        T(test_build_rejects_service_without_audience),
        T(test_build_rejects_life_event_id_taken_by_a_derived_category),
        T(test_build_rejects_one_thing_with_a_single_step),
        T(test_build_rejects_one_thing_step_of_unknown_service),
        T(test_build_takes_one_thing_without_url),
        T(test_build_rejects_one_thing_url_that_is_not_https),
        T(test_build_rejects_interprets_on_a_normal_document),
        T(test_build_rejects_interpretation_of_unknown_document),
        T(test_build_rejects_unknown_topic),
        T(test_build_rejects_table_row_with_more_cells_than_its_header),
        T(test_build_rejects_text_over_64_kib),
        T(test_build_rejects_json_file_over_4_mib_before_parsing_it),
        T(test_build_rejects_image_over_2_mib),
        T(test_build_rejects_tree_without_hall_json),
        T(test_build_rejects_window_on_a_floor_without_a_map),
        T(test_build_rejects_floor_1_mapped_twice),
        T(test_build_rejects_unknown_floor_map_image),
        T(test_build_rejects_unknown_inquiry_window),
        T(test_build_rejects_channel_without_url_or_phone),
        T(test_build_rejects_channel_url_without_https),
        T(test_build_rejects_file_that_is_not_part_of_the_tree),
        T(test_build_rejects_service_file_name_that_is_not_an_id),
        T(test_build_reports_missing_source_directory),
        T(test_build_fills_pinyin_keys_from_the_chinese_titles),
        T(test_build_ranks_search_rows_shortest_service_and_newest_document_first),
        T(test_build_indexes_characters_pairs_and_pinyin_for_short_queries),
        T(test_build_fails_clearly_without_the_pinyin_dictionary),
        T(test_build_writes_a_form_with_its_steps_fields_and_choices),
        T(test_build_rejects_condition_on_a_later_field),
        T(test_build_rejects_condition_value_that_is_not_a_choice),
        T(test_build_rejects_condition_with_both_in_and_not_in),
        T(test_build_rejects_condition_on_a_text_field),
        T(test_build_rejects_personal_data_field_without_pii),
        T(test_build_rejects_choice_field_with_a_single_choice),
        T(test_build_rejects_id_number_without_its_document_type_field),
        T(test_build_rejects_document_type_choice_without_id_format),
        T(test_build_rejects_at_least_one_group_with_a_required_field),
        T(test_build_rejects_at_least_one_group_across_steps),
        T(test_build_rejects_max_on_a_field_with_its_own_format),
        T(test_build_rejects_keyboard_on_a_choice_field),
        T(test_build_rejects_duplicate_field_id_across_steps),
        T(test_build_rejects_unknown_form_kind),
        T(test_build_writes_a_consultation_with_its_questions_and_feedback),
        T(test_build_accepts_an_open_consultation_without_questions_or_feedback),
        T(test_build_rejects_consultation_closing_before_it_opens),
        T(test_build_rejects_consultation_closing_the_day_it_opens),
        T(test_build_rejects_consultation_date_that_is_not_real),
        T(test_build_rejects_feedback_published_before_the_period_closes),
        T(test_build_rejects_consultation_without_a_draft),
        T(test_build_rejects_consultation_without_an_agency),
        T(test_build_rejects_consultation_of_an_unknown_agency),
        T(test_build_rejects_feedback_point_of_an_unknown_outcome),
        T(test_build_rejects_feedback_point_without_a_reason),
        T(test_build_rejects_feedback_without_points),
        T(test_build_rejects_question_without_english),
        T(test_build_rejects_a_consultation_file_name_that_is_not_an_id),
        T(test_build_rejects_staff_help_that_is_not_a_flag),
        T(test_build_rejects_form_without_privacy_notice),
        T(test_build_rejects_form_file_name_that_is_not_an_id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
