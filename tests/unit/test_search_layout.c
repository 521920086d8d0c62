/* test_search_layout.c - the body look-up of content.db schema 8 (a trigram index
 * without positions, a query of 4+ characters confirmed in the text: core/search.c)
 * finds exactly what the layout before it found (schema 7: the same trigrams with
 * positions, a query as one phrase).
 *
 * test_search_layout [CONTENT_DB]: the demo content.db by default; the 2,000 + 2,000
 * item set through search_layout_2k.sh. The test copies the database, adds the
 * schema-7 index over the same text (search_text) to the copy, and for a fixed query
 * set compares, per kind, the rowids both give, best first. The queries: fixed ones
 * (Chinese, English, mixed case), 3 to 8 characters cut from the bodies themselves at
 * places a seeded generator picks, the same in upper case, and two such pieces glued
 * together (mostly absent: every trigram may be there, the text not). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "core/search.h"
#include "demo_db.h"

enum { LIMIT = SEARCH_MAX_PER_GROUP + 1, SAMPLES = 120 };

static char *db_path;
static char copy_path[512];

static const char *const fixed[] = {
    "身份证", "三公经费", "社会保险", "营业执照", "食品经营许", "行政处罚决定",
    "identity card", "Identity Card", "SOCIAL", "insur", "the s", "budget", "预算 2025",
    "no such text anywhere", "关于印发", "的通知",
};

/* Copies FROM to TO (bytes). */
static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    char buf[65536];
    size_t n;
    assert_non_null(in);
    assert_non_null(out);
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

static int setup(void **state)
{
    sqlite3 *db;
    char *err = NULL;
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(copy_path, sizeof copy_path, "%s/search_layout.%ld.db", tmp ? tmp : "/tmp",
             (long)getpid());
    copy_file(db_path, copy_path);
    if (sqlite3_open(copy_path, &db) != SQLITE_OK ||
        sqlite3_exec(db,
                     "CREATE VIRTUAL TABLE old_body USING fts5(body_zh, body_en,"
                     " content='search_text', content_rowid='rid', tokenize='trigram');"
                     "INSERT INTO old_body(old_body) VALUES('rebuild');",
                     NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "%s: schema-7 index: %s\n", copy_path, err ? err : sqlite3_errmsg(db));
        sqlite3_free(err);
        sqlite3_close(db);
        return -1;
    }
    sqlite3_close(db);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(copy_path);
    return 0;
}

/* The schema-7 look-up: Q as one phrase over the bodies, KIND's rowids, best first. */
static int old_rowids(sqlite3 *db, const char *q, enum search_kind kind, long long *ids)
{
    sqlite3_stmt *st;
    strbuf m = {0};
    int n = 0;
    strbuf_adds(&m, "{body_zh body_en} : \"");
    for (const char *p = q; *p; p++) {
        if (*p == '"')
            strbuf_addc(&m, '"');
        strbuf_addc(&m, *p);
    }
    strbuf_addc(&m, '"');
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT rowid FROM old_body WHERE old_body MATCH ?1"
                                            " AND rowid BETWEEN ?2 AND ?3 ORDER BY rowid DESC"
                                            " LIMIT ?4", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, m.buf, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, kind == SEARCH_DOC ? SEARCH_ROWID_DOC : 1);
    sqlite3_bind_int64(st, 3, kind == SEARCH_DOC ? INT64_MAX : SEARCH_ROWID_DOC - 1);
    sqlite3_bind_int(st, 4, LIMIT);
    while (sqlite3_step(st) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    strbuf_release(&m);
    return n;
}

/* How many rows of KIND the schema-8 index offers for Q before confirming: every
 * trigram of Q, ANDed. */
static int candidates(sqlite3 *db, const char *q, enum search_kind kind)
{
    const char *at[SEARCH_MAX_QUERY + 1];
    sqlite3_stmt *st;
    strbuf m = {0};
    int n = 0, count;
    for (const char *p = q; *p && n < SEARCH_MAX_QUERY;) {
        at[n++] = p;
        utf8_next(&p);
        at[n] = p;
    }
    for (int i = 0; i + 3 <= n; i++) {
        strbuf_adds(&m, i ? " AND \"" : "\"");
        for (const char *p = at[i]; p < at[i + 3]; p++) {
            if (*p == '"')
                strbuf_addc(&m, '"');
            strbuf_addc(&m, *p);
        }
        strbuf_addc(&m, '"');
    }
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM search WHERE search MATCH ?1"
                                            " AND rowid BETWEEN ?2 AND ?3", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, m.buf, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, kind == SEARCH_DOC ? SEARCH_ROWID_DOC : 1);
    sqlite3_bind_int64(st, 3, kind == SEARCH_DOC ? INT64_MAX : SEARCH_ROWID_DOC - 1);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    count = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    strbuf_release(&m);
    return count;
}

/* Up to 8 characters of TEXT from character START, LEN characters, into BUF; "" when
 * TEXT is shorter or the piece would change when normalized (line breaks, spaces in
 * a row). */
static void piece(const char *text, int start, int len, char *buf, size_t size)
{
    const char *p = text, *s;
    char norm[SEARCH_MAX_BYTES + 1];
    buf[0] = '\0';
    for (int i = 0; i < start && *p; i++)
        utf8_next(&p);
    s = p;
    for (int i = 0; i < len; i++) {
        if (!*p)
            return;
        utf8_next(&p);
    }
    if ((size_t)(p - s) >= size)
        return;
    memcpy(buf, s, (size_t)(p - s));
    buf[p - s] = '\0';
    if (search_normalize(buf, norm, sizeof norm) < 0 || strcmp(norm, buf) != 0)
        buf[0] = '\0';
}

struct tally {
    int queries, found, rejected;
};

/* Both layouts give the same rowids for Q, in either kind. */
static void same(search *se, sqlite3 *db, const char *q, struct tally *t)
{
    char norm[SEARCH_MAX_BYTES + 1];
    long long want[LIMIT], got[LIMIT];
    assert_true(search_normalize(q, norm, sizeof norm) >= 0);
    for (int k = 0; k < SEARCH_KIND_COUNT; k++) {
        int nw = old_rowids(db, norm, (enum search_kind)k, want);
        int ng = search_body_rowids(se, q, (enum search_kind)k, LIMIT, got);
        assert_true(ng >= 0);
        if (ng != nw || memcmp(want, got, (size_t)nw * sizeof *want) != 0)
            fail_msg("\"%s\" (%s): schema 7 finds %d rows, schema 8 %d (first %lld / %lld)", q,
                     k == SEARCH_DOC ? "documents" : "services", nw, ng, nw ? want[0] : 0,
                     ng ? got[0] : 0);
        t->found += nw > 0;
        if (strlen(norm) > 3 && nw < LIMIT && candidates(db, norm, (enum search_kind)k) > nw)
            t->rejected++;
    }
    t->queries++;
}

static void test_body_lookup_finds_what_the_positional_index_found(void **state)
{
    search *se;
    sqlite3 *db;
    sqlite3_stmt *st;
    char err[256], a[64], b[64], glued[128], upper[64];
    struct tally t = {0};
    uint32_t seed = 18;
    (void)state;

    assert_int_equal(search_open(copy_path, &se, err, sizeof err), 0);
    assert_int_equal(sqlite3_open_v2(copy_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    for (size_t i = 0; i < ARRAY_SIZE(fixed); i++)
        same(se, db, fixed[i], &t);

    /* SAMPLES rows spread over search_text, both languages */
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT body_zh, body_en FROM search_text"
                                            " WHERE rid % (1 + (SELECT count(*) FROM"
                                            " search_ref) / ?1) = 0", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int(st, 1, SAMPLES);
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int l = 0; l < 2; l++) {
            const char *text = (const char *)sqlite3_column_text(st, l);
            int chars = 0;
            for (const char *p = text ? text : ""; *p; chars++)
                utf8_next(&p);
            if (chars < 16)
                continue;
            seed = seed * 1103515245u + 12345u;
            piece(text, (int)(seed >> 8) % (chars - 8), 3 + (int)(seed >> 4) % 6, a, sizeof a);
            seed = seed * 1103515245u + 12345u;
            piece(text, (int)(seed >> 8) % (chars - 8), 3 + (int)(seed >> 4) % 3, b, sizeof b);
            if (*a) {
                same(se, db, a, &t);
                size_t n = strlen(a);
                for (size_t i = 0; i <= n; i++)
                    upper[i] = a[i] >= 'a' && a[i] <= 'z' ? (char)(a[i] - 32) : a[i];
                if (strcmp(upper, a) != 0)
                    same(se, db, upper, &t);
            }
            if (*a && *b) {
                snprintf(glued, sizeof glued, "%s%s", a, b);
                same(se, db, glued, &t);
            }
        }
    }
    sqlite3_finalize(st);
    printf("%d queries, %d look-ups with rows, %d with rows the trigrams offered and the"
           " text did not hold\n", t.queries, t.found, t.rejected);
    /* the set exercises both: matches, and candidates the confirmation turns down */
    assert_true(t.queries >= 50);
    assert_true(t.found >= 20);
    assert_true(t.rejected >= 1);
    sqlite3_close(db);
    search_close(se);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_body_lookup_finds_what_the_positional_index_found),
    };
    db_path = argc > 1 ? xstrdup(argv[1]) : demo_db_path();
    int r = cmocka_run_group_tests(tests, setup, teardown);
    free(db_path);
    return r;
}
