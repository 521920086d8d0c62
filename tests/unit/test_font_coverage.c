/*
 * test_font_coverage: every character the kiosk can show from its content must
 * have a glyph in BOTH bundled subset fonts (fonts/NotoSansSC-*-subset.otf).
 *
 * Walks every *.json under assets/content/ (recursively) and, if present,
 * firmware/strings.tsv. Paths are relative to the repository root, which is
 * ctest's working directory for this test.
 *
 *  - Each file's bytes are validated as UTF-8 here (an invalid sequence is a
 *    failure naming the file and byte offset).
 *  - JSON files are then parsed with jansson, so \uXXXX escapes are decoded;
 *    every object key and every string value is checked.
 *  - TSV lines are checked field by field.
 *  - Every code point >= U+0020 must satisfy TTF_GlyphIsProvided32() in the
 *    Regular and in the Bold font. Each missing character is reported once,
 *    with U+XXXX, the file and the first JSON path (or TSV line/field) where it
 *    occurs; then the test fails.
 *
 * If this fails after content changed, run tools/make-fonts.sh (it adds every
 * character found under assets/ and firmware/ to the subset) and commit the
 * regenerated fonts; see fonts/README.md.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>
#include <SDL_ttf.h>

#define FONT_REGULAR "fonts/NotoSansSC-Regular-subset.otf"
#define FONT_BOLD "fonts/NotoSansSC-Bold-subset.otf"
#define CONTENT_DIR "assets/content"
#define STRINGS_TSV "firmware/strings.tsv"
#define FONT_PT 24
/* Only used to say whether re-running tools/make-fonts.sh can help. */
#define SYSTEM_FONT "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
#define SYSTEM_FONT_SC_INDEX 2

#define CP_LIMIT 0x110000u

/* ------------------------------------------------------------------------ */
/* UTF-8                                                                     */
/* ------------------------------------------------------------------------ */

/*
 * Decode one UTF-8 sequence from s[0..len). Strict (RFC 3629): no overlong
 * forms, no surrogates, nothing above U+10FFFF. Returns the sequence length
 * and stores the code point, or returns 0 if the bytes at s are invalid.
 */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    if (len == 0)
        return 0;
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2; v = c & 0x1F; min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3; v = c & 0x0F; min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4; v = c & 0x07; min = 0x10000;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v >= CP_LIMIT || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return n;
}

/* Byte offset of the first invalid UTF-8 sequence, or -1 if all valid. */
static long utf8_first_invalid(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (n == 0)
            return (long)i;
        i += n;
    }
    return -1;
}

/* ------------------------------------------------------------------------ */
/* Checker                                                                   */
/* ------------------------------------------------------------------------ */

struct checker {
    TTF_Font *regular;
    TTF_Font *bold;
    TTF_Font *full;         /* full system Noto Sans CJK SC, or NULL */
    FILE *out;              /* where problems are reported */
    uint8_t *checked;       /* bitmap: glyph lookup done for this cp */
    uint8_t *missing;       /* bitmap: cp lacks a glyph in >= 1 font */
    uint8_t *reported;      /* bitmap: cp already reported */
    size_t n_missing;       /* distinct missing code points reported */
    size_t n_errors;        /* unreadable / invalid files */
    size_t n_files;
    size_t n_chars;         /* code points checked (with repetition) */
};

#define BIT_GET(map, i) (((map)[(i) >> 3] >> ((i) & 7)) & 1u)
#define BIT_SET(map, i) ((map)[(i) >> 3] |= (uint8_t)(1u << ((i) & 7)))

static void checker_init(struct checker *chk, TTF_Font *regular, TTF_Font *bold, FILE *out)
{
    memset(chk, 0, sizeof *chk);
    chk->regular = regular;
    chk->bold = bold;
    chk->out = out;
    chk->checked = calloc(CP_LIMIT / 8, 1);
    chk->missing = calloc(CP_LIMIT / 8, 1);
    chk->reported = calloc(CP_LIMIT / 8, 1);
    assert_non_null(chk->checked);
    assert_non_null(chk->missing);
    assert_non_null(chk->reported);
}

static void checker_free(struct checker *chk)
{
    free(chk->checked);
    free(chk->missing);
    free(chk->reported);
}

static bool font_has(TTF_Font *font, uint32_t cp)
{
    return TTF_GlyphIsProvided32(font, (Uint32)cp) != 0;
}

/* Check one code point found at file/where. */
static void check_cp(struct checker *chk, uint32_t cp, const char *file, const char *where)
{
    if (cp < 0x20)
        return;
    chk->n_chars++;
    if (!BIT_GET(chk->checked, cp)) {
        BIT_SET(chk->checked, cp);
        if (!font_has(chk->regular, cp) || !font_has(chk->bold, cp))
            BIT_SET(chk->missing, cp);
    }
    if (!BIT_GET(chk->missing, cp) || BIT_GET(chk->reported, cp))
        return;
    BIT_SET(chk->reported, cp);
    chk->n_missing++;

    bool in_reg = font_has(chk->regular, cp);
    bool in_bold = font_has(chk->bold, cp);
    char utf8[5] = {0};
    if (cp < 0x80) {
        utf8[0] = (char)cp;
    } else if (cp < 0x800) {
        utf8[0] = (char)(0xC0 | (cp >> 6));
        utf8[1] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        utf8[0] = (char)(0xE0 | (cp >> 12));
        utf8[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        utf8[2] = (char)(0x80 | (cp & 0x3F));
    } else {
        utf8[0] = (char)(0xF0 | (cp >> 18));
        utf8[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        utf8[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        utf8[3] = (char)(0x80 | (cp & 0x3F));
    }
    const char *hint = "";
    if (chk->full)
        hint = font_has(chk->full, cp) ? " [in the full Noto Sans CJK SC: re-run tools/make-fonts.sh]"
                                       : " [not in Noto Sans CJK SC at all: change the text]";
    fprintf(chk->out, "MISSING U+%04X '%s' (no glyph in %s) first at %s: %s%s\n",
            (unsigned)cp, cp >= 0x7F && cp < 0xA0 ? "?" : utf8,
            !in_reg && !in_bold ? "Regular and Bold" : !in_reg ? "Regular" : "Bold",
            file, where, hint);
}

/* Check every code point of a valid UTF-8 buffer. */
static void check_utf8(struct checker *chk, const char *s, size_t len,
                       const char *file, const char *where)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_decode(p + i, len - i, &cp);
        if (n == 0) { /* cannot happen for validated input; be safe */
            fprintf(chk->out, "INVALID UTF-8 in %s at %s\n", file, where);
            chk->n_errors++;
            return;
        }
        check_cp(chk, cp, file, where);
        i += n;
    }
}

/* --- JSON paths ---------------------------------------------------------- */

struct path {
    char *buf;
    size_t len, cap;
};

static void path_push(struct path *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    assert_true(n >= 0);
    if (p->len + (size_t)n + 1 > p->cap) {
        size_t cap = p->cap ? p->cap : 128;
        while (p->len + (size_t)n + 1 > cap)
            cap *= 2;
        p->buf = realloc(p->buf, cap);
        assert_non_null(p->buf);
        p->cap = cap;
    }
    vsnprintf(p->buf + p->len, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    p->len += (size_t)n;
}

static bool is_plain_key(const char *k)
{
    if (!((*k >= 'A' && *k <= 'Z') || (*k >= 'a' && *k <= 'z') || *k == '_'))
        return false;
    for (; *k; k++)
        if (!((*k >= 'A' && *k <= 'Z') || (*k >= 'a' && *k <= 'z') ||
              (*k >= '0' && *k <= '9') || *k == '_' || *k == '-'))
            return false;
    return true;
}

static void path_push_key(struct path *p, const char *key)
{
    if (is_plain_key(key))
        path_push(p, ".%s", key);
    else
        path_push(p, "[\"%s\"]", key);
}

static void walk_json(struct checker *chk, json_t *v, struct path *p, const char *file)
{
    size_t saved = p->len;
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *child;
        json_object_foreach(v, key, child) {
            path_push_key(p, key);
            check_utf8(chk, key, strlen(key), file, p->buf);
            walk_json(chk, child, p, file);
            p->len = saved;
            p->buf[saved] = '\0';
        }
        break;
    }
    case JSON_ARRAY: {
        size_t i;
        json_t *child;
        json_array_foreach(v, i, child) {
            path_push(p, "[%zu]", i);
            walk_json(chk, child, p, file);
            p->len = saved;
            p->buf[saved] = '\0';
        }
        break;
    }
    case JSON_STRING:
        check_utf8(chk, json_string_value(v), json_string_length(v), file, p->buf);
        break;
    default:
        break;
    }
}

/* Check a JSON document held in memory; `file` names it in reports. */
static void check_json_buffer(struct checker *chk, const char *file, const char *buf, size_t len)
{
    chk->n_files++;
    long bad = utf8_first_invalid((const unsigned char *)buf, len);
    if (bad >= 0) {
        fprintf(chk->out, "INVALID UTF-8 in %s at byte offset %ld\n", file, bad);
        chk->n_errors++;
        return;
    }
    json_error_t err;
    json_t *root = json_loadb(buf, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    if (!root) {
        fprintf(chk->out, "INVALID JSON in %s at line %d, column %d (byte %d): %s\n",
                file, err.line, err.column, err.position, err.text);
        chk->n_errors++;
        return;
    }
    struct path p = {0};
    path_push(&p, "$");
    walk_json(chk, root, &p, file);
    free(p.buf);
    json_decref(root);
}

/* Check a TSV file held in memory: every field of every line. */
static void check_tsv_buffer(struct checker *chk, const char *file, const char *buf, size_t len)
{
    chk->n_files++;
    long bad = utf8_first_invalid((const unsigned char *)buf, len);
    if (bad >= 0) {
        fprintf(chk->out, "INVALID UTF-8 in %s at byte offset %ld\n", file, bad);
        chk->n_errors++;
        return;
    }
    size_t line = 1, field = 1, start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || buf[i] == '\t' || buf[i] == '\n') {
            char where[64];
            snprintf(where, sizeof where, "line %zu, field %zu", line, field);
            size_t flen = i - start;
            if (flen > 0 && buf[start + flen - 1] == '\r')
                flen--;
            check_utf8(chk, buf + start, flen, file, where);
            start = i + 1;
            if (i < len && buf[i] == '\n') {
                line++;
                field = 1;
            } else {
                field++;
            }
        }
    }
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    for (;;) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) {
            if (ferror(f)) {
                free(buf);
                fclose(f);
                return NULL;
            }
            break;
        }
        cap *= 2;
        buf = realloc(buf, cap);
        assert_non_null(buf);
    }
    fclose(f);
    *len = n;
    return buf;
}

static void check_file(struct checker *chk, const char *path, bool tsv)
{
    size_t len = 0;
    char *buf = read_file(path, &len);
    if (!buf) {
        fprintf(chk->out, "CANNOT READ %s: %s\n", path, strerror(errno));
        chk->n_errors++;
        return;
    }
    if (tsv)
        check_tsv_buffer(chk, path, buf, len);
    else
        check_json_buffer(chk, path, buf, len);
    free(buf);
}

/* --- Directory walk ------------------------------------------------------ */

struct strlist {
    char **v;
    size_t n, cap;
};

static void strlist_add(struct strlist *l, const char *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 32;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        assert_non_null(l->v);
    }
    l->v[l->n] = strdup(s);
    assert_non_null(l->v[l->n]);
    l->n++;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Collect regular files *.json under dir (recursively; symlinks not followed). */
static void collect_json(const char *dir, struct strlist *out)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        size_t n = strlen(dir) + 1 + strlen(e->d_name) + 1;
        char *path = malloc(n);
        assert_non_null(path);
        snprintf(path, n, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path, &st) == 0) {
            if (S_ISDIR(st.st_mode))
                collect_json(path, out);
            else if (S_ISREG(st.st_mode) && ends_with(e->d_name, ".json"))
                strlist_add(out, path);
        }
        free(path);
    }
    closedir(d);
}

/* ------------------------------------------------------------------------ */
/* Fixtures                                                                  */
/* ------------------------------------------------------------------------ */

struct fonts {
    TTF_Font *regular;
    TTF_Font *bold;
    TTF_Font *full; /* optional, for the report's hint only */
};

static int setup_fonts(void **state)
{
    if (TTF_Init() != 0) {
        fprintf(stderr, "TTF_Init failed: %s\n", TTF_GetError());
        return -1;
    }
    struct fonts *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->regular = TTF_OpenFont(FONT_REGULAR, FONT_PT);
    if (!f->regular)
        fprintf(stderr, "cannot open %s (cwd must be the repo root; "
                "regenerate with tools/make-fonts.sh): %s\n", FONT_REGULAR, TTF_GetError());
    f->bold = TTF_OpenFont(FONT_BOLD, FONT_PT);
    if (!f->bold)
        fprintf(stderr, "cannot open %s (cwd must be the repo root; "
                "regenerate with tools/make-fonts.sh): %s\n", FONT_BOLD, TTF_GetError());
    f->full = TTF_OpenFontIndex(SYSTEM_FONT, FONT_PT, SYSTEM_FONT_SC_INDEX);
    if (f->full) {
        const char *fam = TTF_FontFaceFamilyName(f->full);
        if (!fam || strcmp(fam, "Noto Sans CJK SC") != 0) {
            TTF_CloseFont(f->full);
            f->full = NULL;
        }
    }
    *state = f;
    return 0;
}

static int teardown_fonts(void **state)
{
    struct fonts *f = *state;
    if (f) {
        if (f->regular)
            TTF_CloseFont(f->regular);
        if (f->bold)
            TTF_CloseFont(f->bold);
        if (f->full)
            TTF_CloseFont(f->full);
        free(f);
    }
    TTF_Quit();
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Tests                                                                     */
/* ------------------------------------------------------------------------ */

static void test_fonts_open(void **state)
{
    struct fonts *f = *state;
    assert_non_null(f->regular);
    assert_non_null(f->bold);
    /* Sanity: the subset is the Chinese face, not an empty or wrong font. */
    const uint32_t must[] = {'A', 0x00FC /* ü */, 0x01DC /* ǜ */, 0x3002 /* 。 */,
                             0xFF0C /* ， */, 0x4E2D /* 中 */, 0x653F /* 政 */};
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++) {
        assert_true(font_has(f->regular, must[i]));
        assert_true(font_has(f->bold, must[i]));
    }
}

static void test_content_coverage(void **state)
{
    struct fonts *f = *state;
    assert_non_null(f->regular);
    assert_non_null(f->bold);

    struct strlist files = {0};
    collect_json(CONTENT_DIR, &files);
    if (files.n == 0)
        fail_msg("no *.json found under %s (is the working directory the repo root?)",
                 CONTENT_DIR);
    qsort(files.v, files.n, sizeof *files.v, cmp_str);

    struct checker chk;
    checker_init(&chk, f->regular, f->bold, stderr);
    chk.full = f->full;
    for (size_t i = 0; i < files.n; i++)
        check_file(&chk, files.v[i], false);
    struct stat st;
    if (stat(STRINGS_TSV, &st) == 0)
        check_file(&chk, STRINGS_TSV, true);

    fprintf(stderr, "font coverage: %zu files, %zu characters checked, "
            "%zu missing code points, %zu file errors\n",
            chk.n_files, chk.n_chars, chk.n_missing, chk.n_errors);
    size_t missing = chk.n_missing, errors = chk.n_errors;
    checker_free(&chk);
    for (size_t i = 0; i < files.n; i++)
        free(files.v[i]);
    free(files.v);

    if (missing || errors)
        fail_msg("%zu character(s) without a glyph in the subset fonts, %zu unreadable/"
                 "invalid file(s); see above and fonts/README.md.",
                 missing, errors);
}

/* The check must be able to fail: U+20BB7 𠮷 (CJK Ext. B) is not in the subset. */
static void test_detects_missing_glyph(void **state)
{
    struct fonts *f = *state;
    assert_non_null(f->regular);
    assert_non_null(f->bold);
    assert_false(font_has(f->regular, 0x20BB7));
    assert_false(font_has(f->bold, 0x20BB7));

    char *report = NULL;
    size_t report_len = 0;
    FILE *out = open_memstream(&report, &report_len);
    assert_non_null(out);
    struct checker chk;
    checker_init(&chk, f->regular, f->bold, out);

    /* Raw UTF-8 and a \u escape (surrogate pair) of the same character. */
    static const char doc[] =
        "{\"shop\": {\"name\": {\"zh\": \"\xF0\xA0\xAE\xB7\xE9\x87\x8E\xE5\xAE\xB6\","
        " \"en\": \"Yoshinoya\"}},"
        " \"list\": [\"ok\", \"\\ud842\\udfb7\"]}";
    check_json_buffer(&chk, "<self-test>", doc, sizeof doc - 1);
    fclose(out);

    assert_int_equal(chk.n_errors, 0);
    assert_int_equal(chk.n_missing, 1); /* reported once, at its first path */
    assert_non_null(strstr(report, "U+20BB7"));
    assert_non_null(strstr(report, "<self-test>: $.shop.name.zh"));
    assert_null(strstr(report, "U+91CE")); /* 野 is covered */
    checker_free(&chk);
    free(report);

    /* The escaped form alone is caught too. */
    report = NULL;
    out = open_memstream(&report, &report_len);
    assert_non_null(out);
    checker_init(&chk, f->regular, f->bold, out);
    static const char esc[] = "[\"\\ud842\\udfb7\"]";
    check_json_buffer(&chk, "<self-test-2>", esc, sizeof esc - 1);
    fclose(out);
    assert_int_equal(chk.n_missing, 1);
    assert_non_null(strstr(report, "U+20BB7"));
    assert_non_null(strstr(report, "<self-test-2>: $[0]"));
    checker_free(&chk);
    free(report);
}

/* Invalid UTF-8 is a failure naming the file and byte offset. */
static void test_detects_invalid_utf8(void **state)
{
    struct fonts *f = *state;
    assert_non_null(f->regular);
    assert_non_null(f->bold);

    char *report = NULL;
    size_t report_len = 0;
    FILE *out = open_memstream(&report, &report_len);
    assert_non_null(out);
    struct checker chk;
    checker_init(&chk, f->regular, f->bold, out);
    /* Truncated 3-byte sequence (first two bytes of 中) at offset 2. */
    static const char bad[] = "[\"\xE4\xB8\"]";
    check_json_buffer(&chk, "<bad-utf8>", bad, sizeof bad - 1);
    /* Overlong encoding of '/' and an encoded surrogate are rejected too. */
    static const char overlong[] = "\xC0\xAF";
    static const char surrogate[] = "\xED\xA0\x80";
    fclose(out);

    assert_int_equal(chk.n_errors, 1);
    assert_non_null(strstr(report, "<bad-utf8> at byte offset 2"));
    assert_int_equal(utf8_first_invalid((const unsigned char *)overlong, 2), 0);
    assert_int_equal(utf8_first_invalid((const unsigned char *)surrogate, 3), 0);
    assert_int_equal(utf8_first_invalid((const unsigned char *)"a\xF0\xA0\xAE\xB7", 5), -1);
    checker_free(&chk);
    free(report);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fonts_open),
        cmocka_unit_test(test_detects_missing_glyph),
        cmocka_unit_test(test_detects_invalid_utf8),
        cmocka_unit_test(test_content_coverage),
    };
    return cmocka_run_group_tests(tests, setup_fonts, teardown_fonts);
}
