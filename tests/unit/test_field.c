/* test_field.c - the field-kind table (firmware/core/field.h) and the three readers
 * that must agree with it: every type, keyboard and id format round-trips between its
 * name and its enum; the content compiler refuses a form declaring a "max" over the
 * table's, with one line FILE: FIELD: cause, and takes exactly the table's; the form
 * engine takes exactly a field's limit of 4-byte and of 3-byte characters and refuses
 * one more, keeping the old value.
 *
 * The compiler runs on a copy of the demo content (assets/content, from the source
 * root where ctest runs this). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "content_build.h"
#include "core/field.h"
#include "core/form.h"
#include "core/store.h"
#include "base/util.h"

/* ---- the table ----------------------------------------------------------------------- */

static void test_every_type_keyboard_and_id_format_round_trips_its_name(void **s)
{
    (void)s;
    for (int t = 0; t < FIELD_TYPE_COUNT; t++) {
        const struct field_kind *k = field_kind((enum field_type)t);
        assert_non_null(k->name);
        assert_true(*k->name);
        assert_int_equal(field_type_from_name(k->name), t);
        assert_string_equal(field_type_name((enum field_type)t), k->name);
        assert_non_null(k->check);
        assert_in_range(k->max_chars, 0, FIELD_CHARS_MAX);
        assert_in_range(k->keyboard, FIELD_KB_NONE, FIELD_KB_COUNT - 1);
        /* what is typed has a limit; what is picked has none and types nothing */
        assert_int_equal(k->keyboard == FIELD_KB_NONE, k->max_chars == 0);
        assert_false(k->choices && k->keyboard != FIELD_KB_NONE);
        if (k->sized)
            assert_in_range(k->default_chars, 1, k->max_chars);
        for (int u = 0; u < t; u++)
            assert_string_not_equal(field_type_name((enum field_type)u), k->name);
    }
    assert_int_equal(field_type_from_name("longtext"), FIELD_LONGTEXT);
    assert_int_equal(field_kind(FIELD_LONGTEXT)->max_chars, FIELD_CHARS_MAX);
    assert_int_equal(field_type_from_name("Longtext"), -1);
    assert_int_equal(field_type_from_name(""), -1);
    assert_int_equal(field_type_from_name(NULL), -1);

    for (int k = 0; k < FIELD_KB_COUNT; k++)
        assert_int_equal(field_keyboard_from_name(field_keyboard_name((enum field_keyboard)k)), k);
    assert_string_equal(field_keyboard_name(FIELD_KB_NONE), "");
    assert_int_equal(field_keyboard_from_name("pinyin"), FIELD_KB_PINYIN);
    assert_int_equal(field_keyboard_from_name("qwerty"), -1);

    for (int f = FIELD_IDF_NONE + 1; f < FIELD_IDF_COUNT; f++)
        assert_int_equal(field_id_format_from_name(field_id_format_name((enum field_id_format)f)), f);
    assert_int_equal(field_id_format_from_name(""), -1);
    assert_int_equal(field_id_format_from_name("passport"), FIELD_IDF_PASSPORT);
}

static void test_a_declared_max_counts_only_within_the_table(void **s)
{
    (void)s;
    int top = field_kind(FIELD_LONGTEXT)->max_chars;
    assert_true(field_declared_ok(FIELD_LONGTEXT, top));
    assert_false(field_declared_ok(FIELD_LONGTEXT, top + 1));
    assert_false(field_declared_ok(FIELD_LONGTEXT, -1));
    assert_true(field_declared_ok(FIELD_PHONE, 0));
    assert_false(field_declared_ok(FIELD_PHONE, 10)); /* a fixed format has its own */
    assert_int_equal(field_limit(FIELD_LONGTEXT, 0), field_kind(FIELD_LONGTEXT)->default_chars);
    assert_int_equal(field_limit(FIELD_LONGTEXT, 500), 500);
    assert_int_equal(field_limit(FIELD_LONGTEXT, top), top);
    assert_int_equal(field_limit(FIELD_PHONE, 0), field_kind(FIELD_PHONE)->max_chars);
    assert_int_equal(field_limit(FIELD_FLAG, 0), 0);
}

/* ---- the form engine ---------------------------------------------------------------- */

/* A form of one field of TYPE declaring MAX_LEN (0: none), as store_form_get gives. */
static struct form_def *one_def(const char *type, int max_len)
{
    struct form_def *d = xcalloc(1, sizeof *d);
    d->id = xstrdup("t");
    d->kind = xstrdup("feedback");
    d->staff_help = xstrdup("");
    d->content_version = xstrdup("1");
    d->follow_up.field = xstrdup("");
    d->n_steps = 1;
    d->steps = xcalloc(1, sizeof *d->steps);
    d->steps[0].id = xstrdup("s");
    d->n_fields = 1;
    d->fields = xcalloc(1, sizeof *d->fields);
    struct form_field *fd = &d->fields[0];
    fd->id = xstrdup("f");
    fd->type = xstrdup(type);
    fd->keyboard = xstrdup(field_keyboard_name(field_kind(field_type_from_name(type))->keyboard));
    fd->id_type_field = xstrdup("");
    fd->visible_if.field = xstrdup("");
    fd->required_if.field = xstrdup("");
    fd->max_len = max_len;
    fd->one_of = -1;
    return d;
}

static form *one_field(const char *type, int max_len)
{
    form *f = NULL;
    assert_int_equal(form_new(one_def(type, max_len), &f), 0);
    return f;
}

static char *repeat(const char *ch, int n)
{
    size_t len = strlen(ch);
    char *s = xmalloc(len * (size_t)n + 1);
    for (int i = 0; i < n; i++)
        memcpy(s + len * (size_t)i, ch, len);
    s[len * (size_t)n] = '\0';
    return s;
}

/* F's one field takes exactly LIMIT characters CH and refuses one more. */
static void takes_exactly(form *f, const char *ch, int limit, bool valid)
{
    char *full = repeat(ch, limit), *over = repeat(ch, limit + 1);
    assert_int_equal(form_set(f, "f", full), 0);
    assert_string_equal(form_get(f, "f"), full);
    if (valid)
        assert_int_equal(form_check(f, "f", NULL), VALID_OK);
    assert_int_equal(form_set(f, "f", over), -E2BIG);
    assert_string_equal(form_get(f, "f"), full); /* the old value stays */
    free(full);
    free(over);
}

static void test_form_set_takes_exactly_the_limit_in_characters(void **s)
{
    (void)s;
    static const char *const four = "\xF0\xA0\x80\x80"; /* U+20000, CJK Ext B: 4 bytes */
    static const char *const three = "\xE4\xB8\xAD";    /* U+4E2D 中: 3 bytes */
    for (int t = 0; t < FIELD_TYPE_COUNT; t++) {
        const struct field_kind *k = field_kind((enum field_type)t);
        if (k->keyboard != FIELD_KB_PINYIN)
            continue; /* Chinese is typed into these */
        /* the table's most, and the default of a form that declares nothing */
        int declared[] = {k->sized ? k->max_chars : 0, 0};
        for (size_t d = 0; d < ARRAY_SIZE(declared); d++) {
            form *f = one_field(k->name, declared[d]);
            int limit = form_field_limit(f, 0);
            assert_int_equal(limit, declared[d] ? declared[d] : field_limit((enum field_type)t, 0));
            takes_exactly(f, four, limit, true);
            takes_exactly(f, three, limit, true);
            form_free(f);
        }
    }
    /* a fixed format: its limit in Latin characters, whether or not they check */
    form *f = one_field("phone", 0);
    assert_int_equal(form_field_limit(f, 0), field_kind(FIELD_PHONE)->max_chars);
    takes_exactly(f, "1", form_field_limit(f, 0), false);
    form_free(f);
}

static void test_a_content_db_declaring_more_than_the_table_is_refused(void **s)
{
    (void)s;
    /* a max over the table's: a content.db the compiler did not write (corrupt or
     * hostile) is not run */
    form *f = NULL;
    struct form_def *d = one_def("longtext", FIELD_CHARS_MAX + 1);
    assert_int_equal(form_new(d, &f), -EPROTO);
    assert_null(f);
}

/* ---- the content compiler ----------------------------------------------------------- */

struct tree {
    char dir[64], src[96], out[96];
};

/* A copy of the demo content whose feedback form declares MAX for its longtext. */
static void demo_with_max(struct tree *t, int max)
{
    char cmd[768], path[160];
    snprintf(t->dir, sizeof t->dir, "/tmp/test_field.XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->src, sizeof t->src, "%s/content", t->dir);
    snprintf(t->out, sizeof t->out, "%s/content.db", t->dir);
    snprintf(cmd, sizeof cmd, "cp -r assets/content '%s'", t->src);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/forms/feedback.json", t->src);
    /* the one "max": 1000 of the file is the longtext's (steps[0].fields[2]) */
    snprintf(cmd, sizeof cmd, "grep -c '\"max\": 1000,' '%s' | grep -qx 1 &&"
             " sed -i 's/\"max\": 1000,/\"max\": %d,/' '%s' && grep -q '\"max\": %d,' '%s'",
             path, max, path, max, path);
    assert_int_equal(system(cmd), 0);
}

static void tree_remove(struct tree *t)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
    assert_int_equal(system(cmd), 0);
}

static void test_the_compiler_refuses_a_max_over_the_table_and_takes_the_table_s(void **s)
{
    (void)s;
    struct tree t;
    char err[512], want[160];
    int top = field_kind(FIELD_LONGTEXT)->max_chars;

    demo_with_max(&t, top + 1);
    assert_int_equal(cbuild_run(t.src, t.out, err, sizeof err), -EINVAL);
    snprintf(want, sizeof want, "forms/feedback.json: steps[0].fields[2].max: must be 1..%d, got %d",
             top, top + 1);
    assert_string_equal(err, want);
    assert_int_equal(access(t.out, F_OK), -1); /* nothing written */
    tree_remove(&t);

    /* exactly the table's: built, and the kiosk's form engine allows as much */
    demo_with_max(&t, top);
    assert_int_equal(cbuild_run(t.src, t.out, err, sizeof err), 0);
    store *st = NULL;
    assert_int_equal(store_open(t.out, &st, err, sizeof err), 0);
    form *f = NULL;
    assert_int_equal(form_load(st, "feedback", &f), 0);
    int i = form_field_index(f, "content");
    assert_true(i >= 0);
    assert_int_equal(form_field_limit(f, i), top);
    char *full = repeat("\xE4\xB8\xAD", top), *over = repeat("\xE4\xB8\xAD", top + 1);
    assert_int_equal(form_set(f, "content", full), 0);
    assert_int_equal(form_set(f, "content", over), -E2BIG);
    free(full);
    free(over);
    form_free(f);
    store_close(st);
    tree_remove(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_type_keyboard_and_id_format_round_trips_its_name),
        cmocka_unit_test(test_a_declared_max_counts_only_within_the_table),
        cmocka_unit_test(test_form_set_takes_exactly_the_limit_in_characters),
        cmocka_unit_test(test_a_content_db_declaring_more_than_the_table_is_refused),
        cmocka_unit_test(test_the_compiler_refuses_a_max_over_the_table_and_takes_the_table_s),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
