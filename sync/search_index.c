/* search_index.c - see search_index.h. */
#include "search_index.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/search.h"
#include "pinyin.h"

/* SEARCH_ROWID_DOC, spelt for SQL */
#define ROWID_DOC "1073741824"
_Static_assert(SEARCH_ROWID_DOC == 1073741824LL, "ROWID_DOC must match search.h");

static int db_error(sqlite3 *db, char *err, size_t errlen, const char *what)
{
    snprintf(err, errlen, "search index: %s: %s", what, sqlite3_errmsg(db));
    return -EIO;
}

/* Pinyin keys of the zh title of every row of TABLE. */
static int fill_keys(sqlite3 *db, pinyin *py, const char *select, const char *update,
                     char *err, size_t errlen)
{
    sqlite3_stmt *sel = NULL, *upd = NULL;
    int r = 0, rc;

    if (sqlite3_prepare_v2(db, select, -1, &sel, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, update, -1, &upd, NULL) != SQLITE_OK) {
        r = db_error(db, err, errlen, "pinyin keys");
        goto out;
    }
    while (!r && (rc = sqlite3_step(sel)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(sel, 0);
        const char *title = (const char *)sqlite3_column_text(sel, 1);
        char *syl = NULL, *ini = NULL;
        r = pinyin_convert(py, title ? title : "", &syl, NULL, &ini);
        if (r < 0) {
            snprintf(err, errlen, "pinyin: %s", pinyin_error(py));
            break;
        }
        sqlite3_bind_text(upd, 1, syl, -1, SQLITE_STATIC);
        sqlite3_bind_text(upd, 2, ini, -1, SQLITE_STATIC);
        sqlite3_bind_text(upd, 3, id, -1, SQLITE_STATIC);
        if (sqlite3_step(upd) != SQLITE_DONE)
            r = db_error(db, err, errlen, "pinyin keys");
        sqlite3_reset(upd);
        free(syl);
        free(ini);
    }
    if (!r && rc != SQLITE_DONE)
        r = db_error(db, err, errlen, "pinyin keys");
out:
    sqlite3_finalize(sel);
    sqlite3_finalize(upd);
    return r;
}

static void sql_grams(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const unsigned char *t = sqlite3_value_text(argv[0]);
    (void)argc;
    sqlite3_result_text(ctx, search_grams(t ? (const char *)t : ""), -1, free);
}

/* "shbx" -> "s h b x": one FTS5 token per unit */
static void sql_spaced(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const unsigned char *t = sqlite3_value_text(argv[0]);
    size_t n = t ? strlen((const char *)t) : 0;
    char *s = malloc(2 * n + 1);
    (void)argc;
    if (!s) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        s[2 * i] = (char)t[i];
        s[2 * i + 1] = ' ';
    }
    s[n ? 2 * n - 1 : 0] = '\0';
    sqlite3_result_text(ctx, s, -1, free);
}

/* kiosk_pinyin(text, 0): the syllables of text; kiosk_pinyin(text, 1): its initials,
 * spaced */
static void sql_pinyin(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const unsigned char *t = sqlite3_value_text(argv[0]);
    int initials = sqlite3_value_int(argv[1]);
    char *out = NULL;
    (void)argc;
    if (pinyin_convert(sqlite3_user_data(ctx), t ? (const char *)t : "",
                       initials ? NULL : &out, NULL, initials ? &out : NULL) < 0) {
        sqlite3_result_error(ctx, pinyin_error(sqlite3_user_data(ctx)), -1);
        return;
    }
    if (initials) {
        size_t n = strlen(out);
        char *s = malloc(2 * n + 1);
        if (!s) {
            free(out);
            sqlite3_result_error_nomem(ctx);
            return;
        }
        for (size_t i = 0; i < n; i++) {
            s[2 * i] = out[i];
            s[2 * i + 1] = ' ';
        }
        s[n ? 2 * n - 1 : 0] = '\0';
        free(out);
        out = s;
    }
    sqlite3_result_text(ctx, out, -1, free);
}

/* The rowids carry the order of search.h: services shortest zh title first (then by
 * id), documents newest published first (then by id). The text indexed is the view
 * search_text (core/content_schema.c). */
static const char fill_sql[] =
    "INSERT INTO search_ref(rowid, kind, ref)"
    " SELECT row_number() OVER (ORDER BY length(name_zh) DESC, id DESC), 'service', id"
    " FROM service;"
    "INSERT INTO search_ref(rowid, kind, ref)"
    " SELECT " ROWID_DOC " + row_number() OVER (ORDER BY published, id DESC), 'doc', id"
    " FROM doc;"
    "INSERT INTO search(rowid, kind, ref, body_zh, body_en)"
    " SELECT rid, kind, ref, body_zh, body_en FROM search_text;"
    "INSERT INTO search_title(rowid, title_zh, title_en)"
    " SELECT rid, title_zh, title_en FROM search_text;"
    "INSERT INTO search_gram_title(rowid, grams)"
    " SELECT rid, kiosk_grams(title_zh) FROM search_text;"
    "INSERT INTO search_gram_body(rowid, grams)"
    " SELECT rid, kiosk_grams(body_zh) FROM search_text;"
    "INSERT INTO search_latin(rowid, en, py, ini)"
    " SELECT x.rowid, s.name_en, s.pinyin, kiosk_spaced(s.initials)"
    " FROM search_ref x JOIN service s ON x.kind = 'service' AND s.id = x.ref;"
    "INSERT INTO search_latin(rowid, en, py, ini, kpy, kini)"
    " SELECT x.rowid, d.title_en, d.pinyin, kiosk_spaced(d.initials),"
    "  kiosk_pinyin(d.keywords_zh, 0), kiosk_pinyin(d.keywords_zh, 1)"
    " FROM search_ref x JOIN doc d ON x.kind = 'doc' AND d.id = x.ref;"
    /* one segment each: a look-up reads one b-tree, not a dozen */
    "INSERT INTO search(search) VALUES('optimize');"
    "INSERT INTO search_title(search_title) VALUES('optimize');"
    "INSERT INTO search_gram_title(search_gram_title) VALUES('optimize');"
    "INSERT INTO search_gram_body(search_gram_body) VALUES('optimize');"
    "INSERT INTO search_latin(search_latin) VALUES('optimize');";

int sindex_fill(sqlite3 *db, char *err, size_t errlen)
{
    pinyin *py = NULL;
    int r = pinyin_open(NULL, NULL, &py, err, errlen);

    if (r < 0)
        return r;
    r = fill_keys(db, py, "SELECT id, name_zh FROM service ORDER BY id",
                  "UPDATE service SET pinyin = ?1, initials = ?2 WHERE id = ?3", err, errlen);
    if (!r)
        r = fill_keys(db, py, "SELECT id, title_zh FROM doc ORDER BY id",
                      "UPDATE doc SET pinyin = ?1, initials = ?2 WHERE id = ?3", err, errlen);
    if (!r && (sqlite3_create_function(db, "kiosk_grams", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                       NULL, sql_grams, NULL, NULL) != SQLITE_OK ||
               sqlite3_create_function(db, "kiosk_spaced", 1,
                                       SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_spaced,
                                       NULL, NULL) != SQLITE_OK ||
               sqlite3_create_function(db, "kiosk_pinyin", 2,
                                       SQLITE_UTF8 | SQLITE_DETERMINISTIC, py, sql_pinyin,
                                       NULL, NULL) != SQLITE_OK))
        r = db_error(db, err, errlen, "functions");
    if (!r && sqlite3_exec(db, fill_sql, NULL, NULL, NULL) != SQLITE_OK)
        r = db_error(db, err, errlen, "fill");
    sqlite3_create_function(db, "kiosk_grams", 1, SQLITE_UTF8, NULL, NULL, NULL, NULL);
    sqlite3_create_function(db, "kiosk_spaced", 1, SQLITE_UTF8, NULL, NULL, NULL, NULL);
    sqlite3_create_function(db, "kiosk_pinyin", 2, SQLITE_UTF8, NULL, NULL, NULL, NULL);
    pinyin_close(py);
    return r;
}
