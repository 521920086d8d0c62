/* test_form.c - the form engine (firmware/core/form.c) on the demo content: the
 * information request carries every element the regulation requires; visibility
 * follows the applicant type and the delivery; fields are checked with the right
 * messages; the review masks the ID; a submission is sealed so that only the office's
 * key opens it, and what the office reads back is exactly what was typed; state.db and
 * its WAL never hold a typed name, ID number or phone; a reset leaves nothing behind.
 *
 * Reads the content.db the build made: $KIOSK_BUILD_DIR/content.db. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/form.h"
#include "core/i18n.h"
#include "core/receipt.h"
#include "core/seal.h"
#include "core/state.h"
#include "core/store.h"
#include "core/workday.h"

static store *content;
static struct workday_cal *cal;

/* what a visitor types: each appears nowhere in the content */
static const char NAME[] = "欧阳娜娜";
static char ID[19];               /* a valid resident ID, made in setup */
static const char PHONE[] = "13912345678";
static const char TITLE[] = "2025年老旧小区改造项目资金使用情况";

/* A GB 11643 number: BODY (17 digits) and its check character. */
static void with_check(const char *body, char out[19])
{
    static const int w[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (body[i] - '0') * w[i];
    memcpy(out, body, 17);
    out[17] = "10X98765432"[sum % 11];
    out[18] = '\0';
}

static int group_setup(void **s)
{
    (void)s;
    char path[512], err[256];
    const char *dir = getenv("KIOSK_BUILD_DIR");
    snprintf(path, sizeof path, "%s/content.db", dir ? dir : "build");
    if (store_open(path, &content, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    if (store_calendar(content, "cn", &cal) < 0)
        return -1;
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    with_check("33010619850712004", ID);
    return 0;
}

static int group_teardown(void **s)
{
    (void)s;
    workday_cal_free(cal);
    store_close(content);
    return 0;
}

static form *load(const char *id)
{
    form *f = NULL;
    assert_int_equal(form_load(content, id, &f), 0);
    /* 2026-01-28 10:00 in the hall, so birth dates and deadlines are reproducible */
    form_set_clock(f, 1769565600);
    return f;
}

static const char *key_of(form *f, const char *field)
{
    const char *key = NULL;
    form_check(f, field, &key);
    return key;
}

static void set(form *f, const char *field, const char *value)
{
    assert_int_equal(form_set(f, field, value), 0);
}

/* A complete request of a citizen who wants it sent by email. */
static void fill_request(form *f)
{
    set(f, "applicant-type", "citizen");
    set(f, "name", NAME);
    set(f, "id-type", "resident-id");
    set(f, "id-number", ID);
    set(f, "info-title", TITLE);
    set(f, "medium", "electronic");
    set(f, "delivery", "email");
    set(f, "phone", PHONE);
    set(f, "email", "ouyang.nana@example.cn");
    set(f, "staff-help", "true");
}

/* ---- what the regulation requires ---------------------------------------------- */

/* The index of the choice field whose choices are exactly IDS (in any order), or -1. */
static int choice_field(const struct form_def *d, const char *const ids[], int n)
{
    for (int i = 0; i < d->n_fields; i++) {
        const struct form_field *fd = &d->fields[i];
        if (strcmp(fd->type, "choice") != 0 || fd->n_choices != n)
            continue;
        int found = 0;
        for (int k = 0; k < n; k++)
            for (int c = 0; c < fd->n_choices; c++)
                found += strcmp(fd->choices[c].id, ids[k]) == 0;
        if (found == n)
            return i;
    }
    return -1;
}

/* The first visible field of TYPE that is required now, or -1. */
static int required_of_type(form *f, const char *type)
{
    const struct form_def *d = form_definition(f);
    for (int i = 0; i < d->n_fields; i++)
        if (strcmp(d->fields[i].type, type) == 0 && form_required(f, d->fields[i].id))
            return i;
    return -1;
}

static void test_demo_request_form_carries_every_element_the_regulation_requires(void **s)
{
    (void)s;
    static const char *const applicants[] = {"citizen", "business", "research",
                                             "public-interest", "legal-service", "other"};
    static const char *const media[] = {"paper", "electronic"};
    static const char *const ways[] = {"pickup", "post", "email", "online"};
    form *f = load("info-request");
    const struct form_def *d = form_definition(f);

    assert_int_equal(form_kind_of(f), FORM_REQUEST);
    for (int l = 0; l < LANG_COUNT; l++) {
        assert_true(strlen(KT(d->privacy, l)) > 40);     /* what is kept, why, how long */
        assert_true(strlen(KT(d->intro, l)) > 0);
    }

    /* the six applicant types, asked first and required */
    int type = choice_field(d, applicants, 6);
    assert_true(type >= 0);
    const char *type_id = d->fields[type].id;
    assert_true(form_required(f, type_id));

    /* a citizen: name and proof of identity (ID document type and number), no code */
    set(f, type_id, "citizen");
    int name = required_of_type(f, "name");
    assert_true(name >= 0);
    int idno = required_of_type(f, "id_number");
    assert_true(idno >= 0);
    assert_int_equal(required_of_type(f, "credit_code"), -1);
    const struct form_field *doc =
        &d->fields[form_field_index(f, d->fields[idno].id_type_field)];
    static const char *const formats[] = {"resident_id", "residence_permit", "foreign_pr",
                                          "passport"};
    for (size_t k = 0; k < 4; k++) {
        bool offered = false;
        for (int c = 0; c < doc->n_choices; c++)
            offered = offered || strcmp(doc->choices[c].id_format, formats[k]) == 0;
        if (!offered)
            fail_msg("no ID document of format %s is offered", formats[k]);
    }
    assert_true(form_required(f, doc->id));

    /* every organisation: its name and its unified social credit code, no personal ID */
    for (int a = 1; a < 6; a++) {
        set(f, type_id, applicants[a]);
        assert_true(required_of_type(f, "credit_code") >= 0);
        assert_true(required_of_type(f, "text") >= 0);     /* the organisation's name */
        assert_int_equal(required_of_type(f, "id_number"), -1);
        assert_false(form_visible(f, d->fields[name].id));
    }

    /* contact details: a phone always */
    assert_true(required_of_type(f, "phone") >= 0);

    /* the information wanted: title, document number or description, at least one */
    int group = -1, members = 0;
    for (int i = 0; i < d->n_fields; i++)
        if (d->fields[i].one_of >= 0) {
            group = d->fields[i].one_of;
            members++;
            assert_true(strcmp(d->fields[i].type, "text") == 0 ||
                        strcmp(d->fields[i].type, "longtext") == 0);
        }
    assert_true(group >= 0);
    assert_int_equal(members, 3);

    /* the form wanted and the way of obtaining it, both required */
    int medium = choice_field(d, media, 2), way = choice_field(d, ways, 4);
    assert_true(medium >= 0 && way >= 0);
    assert_true(form_required(f, d->fields[medium].id));
    assert_true(form_required(f, d->fields[way].id));
    /* ... and the contact the way needs: an address for post, an email for email */
    set(f, d->fields[way].id, "post");
    int address = required_of_type(f, "text");
    while (address >= 0 && !d->fields[address].pii)
        address = -1;
    assert_int_equal(required_of_type(f, "email"), -1);
    bool post_address = false;
    for (int i = 0; i < d->n_fields; i++)
        post_address = post_address || (d->fields[i].pii && !strcmp(d->fields[i].type, "text") &&
                                         form_required(f, d->fields[i].id));
    assert_true(post_address);
    set(f, d->fields[way].id, "email");
    assert_true(required_of_type(f, "email") >= 0);

    /* "I need staff help" */
    assert_true(*d->staff_help);
    int help = form_field_index(f, d->staff_help);
    assert_true(help >= 0);
    assert_int_equal(form_field_type(f, help), FIELD_FLAG);
    form_free(f);
}

/* ---- visibility and checks ------------------------------------------------------ */

static void test_organisations_give_a_credit_code_instead_of_an_id(void **s)
{
    (void)s;
    form *f = load("info-request");
    /* nothing chosen yet: neither the person's nor the organisation's fields */
    assert_false(form_visible(f, "name"));
    assert_false(form_visible(f, "credit-code"));
    set(f, "applicant-type", "citizen");
    assert_true(form_visible(f, "name"));
    assert_true(form_visible(f, "id-number"));
    assert_false(form_visible(f, "org-name"));
    assert_false(form_visible(f, "credit-code"));
    set(f, "applicant-type", "legal-service");
    assert_false(form_visible(f, "name"));
    assert_false(form_visible(f, "id-number"));
    assert_true(form_visible(f, "org-name"));
    assert_true(form_visible(f, "credit-code"));
    assert_true(form_required(f, "credit-code"));
    /* a hidden field is never checked: the citizen's empty name is fine now */
    assert_int_equal(form_check(f, "name", NULL), VALID_OK);
    assert_int_equal(form_check(f, "credit-code", NULL), VALID_EMPTY);
    set(f, "credit-code", "91350100M000100Y43");
    assert_int_equal(form_check(f, "credit-code", NULL), VALID_OK);
    set(f, "credit-code", "91350100M000100Y44");
    assert_int_equal(form_check(f, "credit-code", NULL), VALID_BAD_CHECKSUM);
    form_free(f);
}

static void test_address_is_asked_only_for_post_and_email_required_only_for_email(void **s)
{
    (void)s;
    form *f = load("info-request");
    assert_false(form_visible(f, "address"));
    assert_true(form_visible(f, "email"));
    assert_false(form_required(f, "email"));
    set(f, "delivery", "post");
    assert_true(form_required(f, "address"));
    assert_false(form_required(f, "email"));
    set(f, "delivery", "email");
    assert_false(form_visible(f, "address"));
    assert_true(form_required(f, "email"));
    assert_int_equal(form_check(f, "email", NULL), VALID_EMPTY);
    assert_string_equal(key_of(f, "email"), "valid.empty");
    form_free(f);
}

static void test_wrong_id_checksum_is_refused_and_the_typed_value_kept(void **s)
{
    (void)s;
    form *f = load("info-request");
    char wrong[19];
    set(f, "applicant-type", "citizen");
    set(f, "id-type", "resident-id");
    strcpy(wrong, ID);
    wrong[17] = wrong[17] == '1' ? '2' : '1';
    set(f, "id-number", wrong);
    assert_int_equal(form_check(f, "id-number", NULL), VALID_BAD_CHECKSUM);
    assert_string_equal(key_of(f, "id-number"), "valid.bad_checksum");
    assert_string_equal(form_get(f, "id-number"), wrong);
    assert_false(form_step_complete(f, 0, NULL));
    set(f, "id-number", ID);
    assert_int_equal(form_check(f, "id-number", NULL), VALID_OK);
    assert_string_equal(key_of(f, "id-number"), "valid.ok");
    form_free(f);
}

static void test_id_number_is_checked_by_the_document_type_chosen(void **s)
{
    (void)s;
    form *f = load("info-request");
    char permit[19];
    with_check("81000019940823002", permit);
    set(f, "applicant-type", "citizen");
    set(f, "id-number", ID);
    assert_int_equal(form_check(f, "id-number", NULL), VALID_BAD_FORMAT);
    assert_string_equal(key_of(f, "id-number"), "form.id_type_first");

    set(f, "id-type", "resident-id");
    set(f, "id-number", permit);
    assert_int_equal(form_check(f, "id-number", NULL), VALID_BAD_PREFIX);
    assert_string_equal(key_of(f, "id-number"), "form.id_type_mismatch");
    set(f, "id-type", "hmt-permit");
    assert_int_equal(form_check(f, "id-number", NULL), VALID_OK);

    set(f, "id-type", "passport");
    set(f, "id-number", "e12345678");
    assert_int_equal(form_check(f, "id-number", NULL), VALID_OK);
    set(f, "id-number", "E1234");
    assert_int_equal(form_check(f, "id-number", NULL), VALID_OK);
    set(f, "id-number", "E12-34567");
    assert_int_equal(form_check(f, "id-number", NULL), VALID_BAD_CHAR);

    set(f, "id-type", "foreign-pr");
    set(f, "id-number", "USA331234567890");     /* the card issued before 2023 */
    assert_int_equal(form_check(f, "id-number", NULL), VALID_OK);
    set(f, "id-number", ID);
    assert_string_equal(key_of(f, "id-number"), "form.id_type_mismatch");
    form_free(f);
}

static void test_at_least_one_of_title_document_number_or_description_is_needed(void **s)
{
    (void)s;
    form *f = load("info-request");
    const char *field = NULL;
    assert_int_equal(form_check(f, "info-title", NULL), VALID_EMPTY);
    assert_string_equal(key_of(f, "info-title"), "form.one_of");
    assert_string_equal(key_of(f, "info-doc-no"), "form.one_of");
    assert_string_equal(key_of(f, "info-description"), "form.one_of");
    assert_false(form_step_complete(f, 1, &field));
    assert_string_equal(field, "info-title");
    set(f, "info-doc-no", "杭政办发〔2025〕12号");
    assert_int_equal(form_check(f, "info-title", NULL), VALID_OK);
    assert_int_equal(form_check(f, "info-description", NULL), VALID_OK);
    assert_true(form_step_complete(f, 1, NULL));
    /* blanks are not an answer */
    set(f, "info-doc-no", " \xE3\x80\x80 ");
    assert_string_equal(key_of(f, "info-title"), "form.one_of");
    form_free(f);
}

static void test_checks_give_each_field_its_message(void **s)
{
    (void)s;
    form *f = load("info-request");
    assert_string_equal(key_of(f, "applicant-type"), "form.pick_one");
    set(f, "applicant-type", "alien");
    assert_int_equal(form_check(f, "applicant-type", NULL), VALID_BAD_FORMAT);
    set(f, "applicant-type", "citizen");
    assert_string_equal(key_of(f, "name"), "valid.empty");
    set(f, "name", "张3");
    assert_string_equal(key_of(f, "name"), "valid.bad_char");
    set(f, "name", "买买提·艾力");
    assert_int_equal(form_check(f, "name", NULL), VALID_OK);
    set(f, "phone", "12345");
    assert_int_equal(form_check(f, "phone", NULL), VALID_NOT_PERSONAL);
    assert_string_equal(key_of(f, "phone"), "valid.not_personal");
    set(f, "phone", "+86 139-1234-5678");
    assert_int_equal(form_check(f, "phone", NULL), VALID_OK);
    char longer[2100];
    memset(longer, 'a', 1001);
    longer[1001] = '\0';
    /* one over the field's declared 1000: refused where it is set, the old value kept */
    set(f, "info-description", "旧的描述");
    assert_int_equal(form_set(f, "info-description", longer), -E2BIG);
    assert_string_equal(form_get(f, "info-description"), "旧的描述");
    set(f, "info-description", "第一行\n第二行");
    assert_int_equal(form_check(f, "info-description", NULL), VALID_OK);
    set(f, "info-title", "第一行\n第二行");
    assert_int_equal(form_check(f, "info-title", NULL), VALID_BAD_CHAR);
    set(f, "info-title", "\xff\xfe");
    assert_int_equal(form_check(f, "info-title", NULL), VALID_BAD_CHAR);
    assert_int_equal(form_check(f, "no-such-field", NULL), VALID_BAD_FORMAT);
    assert_int_equal(form_set(f, "no-such-field", "x"), -ENOENT);
    /* every key a check can give is in the string table */
    static const char *const keys[] = {"form.pick_one", "form.must_tick", "form.one_of",
                                       "form.id_type_first", "form.id_type_mismatch",
                                       "form.yes", "form.no"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        assert_true(i18n_has(keys[i]));
    form_free(f);
}

static void test_a_filled_request_has_no_invalid_field(void **s)
{
    (void)s;
    form *f = load("info-request");
    int step = -1;
    const char *field = NULL;
    assert_int_equal(form_first_invalid(f, &step, &field), 1);
    assert_int_equal(step, 0);
    assert_string_equal(field, "applicant-type");
    fill_request(f);
    assert_int_equal(form_first_invalid(f, &step, &field), 0);
    for (int i = 0; i < form_definition(f)->n_steps; i++) {
        assert_true(form_step_visible(f, i));
        assert_true(form_step_complete(f, i, NULL));
    }
    assert_true(form_staff_help(f));
    assert_false(form_follow_up(f));
    form_free(f);
}

/* ---- the rating and feedback forms ---------------------------------------------- */

static void test_a_bad_rating_asks_what_went_wrong_and_is_flagged_for_follow_up(void **s)
{
    (void)s;
    form *f = load("service-rating");
    assert_int_equal(form_kind_of(f), FORM_RATING);
    assert_int_equal(form_definition(f)->fields[0].n_choices, 5);
    set(f, "rating", "satisfied");
    assert_false(form_visible(f, "problems"));
    assert_false(form_step_visible(f, 1));
    assert_false(form_follow_up(f));
    assert_int_equal(form_first_invalid(f, NULL, NULL), 0);

    set(f, "rating", "dissatisfied");
    assert_true(form_step_visible(f, 1));
    assert_true(form_required(f, "problems"));
    assert_true(form_visible(f, "details"));
    assert_true(form_visible(f, "phone"));
    assert_false(form_required(f, "phone"));      /* the contact is optional */
    assert_true(form_follow_up(f));
    assert_string_equal(key_of(f, "problems"), "form.pick_one");
    assert_int_equal(form_toggle(f, "problems", "other"), 0);
    assert_int_equal(form_toggle(f, "problems", "long-wait"), 0);
    assert_string_equal(form_get(f, "problems"), "long-wait,other");  /* choice order */
    assert_true(form_selected(f, "problems", "other"));
    assert_int_equal(form_toggle(f, "problems", "other"), 0);
    assert_false(form_selected(f, "problems", "other"));
    assert_int_equal(form_toggle(f, "problems", "nonsense"), -EINVAL);
    assert_int_equal(form_first_invalid(f, NULL, NULL), 0);
    set(f, "rating", "very-dissatisfied");
    assert_true(form_follow_up(f));
    form_free(f);
}

static void test_feedback_may_be_anonymous_and_a_complaint_is_followed_up(void **s)
{
    (void)s;
    form *f = load("feedback");
    assert_int_equal(form_kind_of(f), FORM_FEEDBACK);
    assert_true(form_visible(f, "name"));
    assert_false(form_required(f, "name"));
    assert_int_equal(form_toggle(f, "anonymous", NULL), 0);
    assert_string_equal(form_get(f, "anonymous"), "true");
    assert_false(form_visible(f, "name"));
    assert_false(form_visible(f, "phone"));
    set(f, "feedback-kind", "complaint");
    set(f, "content", "等候太久。");
    assert_int_equal(form_first_invalid(f, NULL, NULL), 0);
    assert_true(form_follow_up(f));
    set(f, "feedback-kind", "praise");
    assert_false(form_follow_up(f));
    form_free(f);
}

static void test_the_sample_questionnaire_asks_nothing_personal(void **s)
{
    (void)s;
    struct form_list l;
    assert_int_equal(store_forms(content, "questionnaire", &l), 0);
    assert_true(l.n >= 1);
    form *f = load(l.items[0].id);
    for (int i = 0; i < form_definition(f)->n_fields; i++)
        assert_false(form_definition(f)->fields[i].pii);
    form_free(f);
    form_list_free(&l);
    assert_int_equal(store_forms(content, NULL, &l), 0);
    assert_true(l.n >= 4);
    form_list_free(&l);
    form *none = NULL;
    assert_int_equal(form_load(content, "no-such-form", &none), -ENOENT);
}

/* ---- the review page ------------------------------------------------------------ */

static const struct form_review_line *line_of(const struct form_review *r, const char *field)
{
    for (int i = 0; i < r->n; i++)
        if (strcmp(r->lines[i].field, field) == 0)
            return &r->lines[i];
    return NULL;
}

static void test_review_shows_choice_labels_and_masks_the_id(void **s)
{
    (void)s;
    form *f = load("info-request");
    struct form_review r;
    char masked[19];
    fill_request(f);
    snprintf(masked, sizeof masked, "%.3s***********%.4s", ID, ID + 14);
    assert_int_equal(form_review(f, &r), 0);
    const struct form_review_line *l = line_of(&r, "id-number");
    assert_non_null(l);
    assert_int_equal(l->masked, 1);
    assert_string_equal(KT(l->value, LANG_ZH), masked);
    assert_string_equal(KT(l->value, LANG_EN), masked);
    assert_int_equal(l->step, 0);
    l = line_of(&r, "applicant-type");
    assert_string_equal(KT(l->value, LANG_ZH), "公民（个人）");
    assert_string_equal(KT(l->value, LANG_EN), "Citizen (an individual)");
    assert_string_equal(KT(*l->label, LANG_EN), "Applicant type");
    l = line_of(&r, "staff-help");
    assert_string_equal(KT(l->value, LANG_ZH), i18n("form.yes", LANG_ZH));
    l = line_of(&r, "name");
    assert_string_equal(KT(l->value, LANG_ZH), NAME);
    assert_int_equal(l->masked, 0);
    l = line_of(&r, "purpose");               /* visible, left empty */
    assert_string_equal(KT(l->value, LANG_EN), "");
    assert_null(line_of(&r, "credit-code"));  /* hidden for a citizen */
    assert_null(line_of(&r, "address"));
    /* the whole page never shows the ID whole */
    for (int i = 0; i < r.n; i++)
        for (int lang = 0; lang < LANG_COUNT; lang++)
            assert_null(strstr(KT(r.lines[i].value, lang), ID));
    form_review_free(&r);
    assert_int_equal(r.n, 0);
    form_free(f);
}

/* ---- the complaint heuristic ---------------------------------------------------- */

static void test_a_description_that_reads_like_a_complaint_is_recognised(void **s)
{
    (void)s;
    static const char *const yes[] = {
        "我要投诉窗口工作人员", "举报某单位违规占地", "申请信访事项处理结果",
        "街道办对噪音问题不作为", "工作人员态度差", "物业乱收费问题", "I want to complain about the waiting time",
        "I would like to report a bribe taken by an official", "Rude staff at window 3",
    };
    static const char *const no[] = {
        "2025年度部门决算报告", "杭政办发〔2025〕12号", "关于老旧小区改造的实施方案",
        "The 2024 annual report on open government information",
        "Minutes of the planning committee meeting", "", "统计公报",
    };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (!form_looks_like_complaint(yes[i]))
            fail_msg("not recognised as a complaint: %s", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (form_looks_like_complaint(no[i]))
            fail_msg("taken for a complaint: %s", no[i]);
    assert_false(form_looks_like_complaint(NULL));
}

/* ---- submitting ----------------------------------------------------------------- */

struct office {
    char dir[64], db[128];
    struct seal_public pub;
    struct seal_secret sec;
    state *st;
};

static void office_open(struct office *o)
{
    char err[256], path[160];
    strcpy(o->dir, "/tmp/test-form-XXXXXX");
    assert_non_null(mkdtemp(o->dir));
    assert_int_equal(seal_keygen(o->dir, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/seal.pub", o->dir);
    assert_int_equal(seal_public_load(path, &o->pub, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/seal.key", o->dir);
    assert_int_equal(seal_secret_load(path, &o->sec, err, sizeof err), 0);
    snprintf(o->db, sizeof o->db, "%s/state.db", o->dir);
    assert_int_equal(state_open(o->db, &o->st, err, sizeof err), 0);
}

static void office_close(struct office *o)
{
    char cmd[128];
    state_close(o->st);
    seal_secret_wipe(&o->sec);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", o->dir);
    assert_int_equal(system(cmd), 0);
}

/* What the office reads: the sealed blob of RECEIPT opened with its key. */
static json_t *office_read(struct office *o, const char *receipt)
{
    void *box = NULL;
    size_t len = 0, plen = 0;
    assert_int_equal(state_outbox_sealed(o->st, receipt, &box, &len), 0);
    unsigned char *plain = malloc(len);
    assert_non_null(plain);
    assert_int_equal(seal_open(&o->sec, box, len, plain, &plen), 0);
    json_error_t je;
    json_t *j = json_loadb((const char *)plain, plen, JSON_REJECT_DUPLICATES, &je);
    if (!j)
        fail_msg("not JSON: %s", je.text);
    assert_null(memchr(plain, '\n', plen));     /* one line */
    free(plain);
    free(box);
    return j;
}

static const char *jstr(json_t *o, const char *path1, const char *path2)
{
    json_t *v = json_object_get(o, path1);
    if (path2)
        v = json_object_get(v, path2);
    if (!json_is_string(v))
        fail_msg("%s%s%s is not a string", path1, path2 ? "." : "", path2 ? path2 : "");
    return json_string_value(v);
}

static void test_submit_seals_exactly_what_was_typed_for_the_office_key(void **s)
{
    (void)s;
    struct office o;
    struct outbox_entry e;
    office_open(&o);
    form *f = load("info-request");
    fill_request(f);
    form_set_lang(f, LANG_EN);
    assert_int_equal(form_submit(f, o.st, &o.pub, cal, "K0001", 1769565600, &e), 0);

    assert_int_equal(receipt_verify(e.receipt, NULL), 0);
    assert_memory_equal(e.receipt, "K0001-260128-0001-", 18);
    assert_string_equal(e.kind, "request");
    assert_string_equal(e.created_at, "2026-01-28T02:00:00Z");
    /* 20 working days from 2026-01-29, across the Spring Festival (Feb 15-23 off, Sat
     * Feb 14 and Sat Feb 28 worked) */
    assert_string_equal(e.due_date, "2026-03-03");
    assert_int_equal(e.due_estimated, 0);
    assert_int_equal(e.follow_up, 0);

    json_t *j = office_read(&o, e.receipt);
    assert_int_equal(json_integer_value(json_object_get(j, "format")), 1);
    assert_string_equal(jstr(j, "receipt", NULL), e.receipt);
    assert_string_equal(jstr(j, "kind", NULL), "request");
    assert_string_equal(jstr(j, "form", NULL), "info-request");
    assert_string_equal(jstr(j, "created_at", NULL), "2026-01-28T02:00:00Z");
    assert_string_equal(jstr(j, "kiosk", NULL), "K0001");
    assert_string_equal(jstr(j, "lang", NULL), "en");
    assert_string_equal(jstr(j, "fields", "applicant-type"), "citizen");
    assert_string_equal(jstr(j, "fields", "name"), NAME);
    assert_string_equal(jstr(j, "fields", "id-type"), "resident-id");
    assert_string_equal(jstr(j, "fields", "id-number"), ID);
    assert_string_equal(jstr(j, "fields", "info-title"), TITLE);
    assert_string_equal(jstr(j, "fields", "info-doc-no"), "");
    assert_string_equal(jstr(j, "fields", "medium"), "electronic");
    assert_string_equal(jstr(j, "fields", "delivery"), "email");
    assert_string_equal(jstr(j, "fields", "phone"), PHONE);
    assert_string_equal(jstr(j, "fields", "email"), "ouyang.nana@example.cn");
    assert_true(json_is_true(json_object_get(json_object_get(j, "fields"), "staff-help")));
    /* hidden fields are not sent */
    assert_null(json_object_get(json_object_get(j, "fields"), "credit-code"));
    assert_null(json_object_get(json_object_get(j, "fields"), "address"));
    assert_true(json_is_true(json_object_get(json_object_get(j, "flags"), "staff_help")));
    assert_true(json_is_false(json_object_get(json_object_get(j, "flags"), "follow_up")));
    json_decref(j);

    /* the form still holds what was typed until the screen wipes it */
    assert_string_equal(form_get(f, "name"), NAME);
    form_free(f);
    office_close(&o);
}

static void test_a_bad_rating_is_submitted_flagged_and_without_a_reply_date(void **s)
{
    (void)s;
    struct office o;
    struct outbox_entry e, got;
    office_open(&o);
    form *f = load("service-rating");
    set(f, "rating", "very-dissatisfied");
    assert_int_equal(form_toggle(f, "problems", "attitude"), 0);
    assert_int_equal(form_toggle(f, "problems", "long-wait"), 0);
    set(f, "phone", PHONE);
    assert_int_equal(form_submit(f, o.st, &o.pub, cal, "K0001", 1769565600, &e), 0);
    assert_string_equal(e.kind, "rating");
    assert_string_equal(e.due_date, "");
    assert_int_equal(e.follow_up, 1);
    assert_int_equal(state_outbox_get(o.st, e.receipt, &got), 0);
    assert_int_equal(got.follow_up, 1);
    json_t *j = office_read(&o, e.receipt);
    json_t *problems = json_object_get(json_object_get(j, "fields"), "problems");
    assert_int_equal(json_array_size(problems), 2);
    assert_string_equal(json_string_value(json_array_get(problems, 0)), "long-wait");
    assert_string_equal(json_string_value(json_array_get(problems, 1)), "attitude");
    assert_true(json_is_true(json_object_get(json_object_get(j, "flags"), "follow_up")));
    json_decref(j);
    form_free(f);
    office_close(&o);
}

static void test_a_reply_date_past_the_calendar_is_an_estimate(void **s)
{
    (void)s;
    struct office o;
    struct outbox_entry e;
    office_open(&o);
    form *f = load("info-request");
    fill_request(f);
    /* 2027-12-20 10:00 in the hall: the demo calendar ends with 2026 */
    assert_int_equal(form_submit(f, o.st, &o.pub, cal, "K0001", 1829268000, &e), 0);
    assert_memory_equal(e.receipt, "K0001-271220-0001-", 18);
    assert_int_equal(e.due_estimated, 1);
    assert_string_equal(e.due_date, "2028-01-17");
    form_free(f);
    office_close(&o);
}

static void test_submit_refuses_an_incomplete_form_and_writes_nothing(void **s)
{
    (void)s;
    struct office o;
    struct outbox_entry e;
    int pending = -1;
    office_open(&o);
    form *f = load("info-request");
    fill_request(f);
    set(f, "phone", "123");
    assert_int_equal(form_submit(f, o.st, &o.pub, cal, "K0001", 1769565600, &e), -EINVAL);
    set(f, "phone", PHONE);
    assert_int_equal(form_submit(f, o.st, &o.pub, cal, "k-1", 1769565600, &e), -EINVAL);
    assert_int_equal(state_outbox_counts(o.st, &pending, NULL, NULL), 0);
    assert_int_equal(pending, 0);
    form_free(f);
    office_close(&o);
}

static char *slurp(const char *path, size_t *ret_len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        *ret_len = 0;
        return NULL;
    }
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    rewind(fp);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    *ret_len = (size_t)n;
    return buf;
}

/* Fails if any of the files of DB (the database, its WAL and shared memory) holds
 * NEEDLE; returns how many of them exist. */
static int assert_nowhere(const char *db, const char *needle)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    int found = 0;
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char path[200];
        size_t len;
        snprintf(path, sizeof path, "%s%s", db, suffixes[i]);
        char *bytes = slurp(path, &len);
        if (!bytes)
            continue;
        found++;
        if (memmem(bytes, len, needle, strlen(needle)))
            fail_msg("%s holds \"%s\" in plaintext", path, needle);
        free(bytes);
    }
    return found;
}

static void test_state_db_and_its_wal_never_hold_a_typed_name_id_or_phone(void **s)
{
    (void)s;
    struct office o;
    struct outbox_entry e;
    office_open(&o);
    for (int i = 0; i < 3; i++) {
        form *f = load(i == 0 ? "info-request" : i == 1 ? "feedback" : "service-rating");
        if (i == 0) {
            fill_request(f);
        } else if (i == 1) {
            set(f, "feedback-kind", "complaint");
            set(f, "content", TITLE);
            set(f, "name", NAME);
            set(f, "phone", PHONE);
        } else {
            set(f, "rating", "dissatisfied");
            set(f, "problems", "attitude");
            set(f, "name", NAME);
            set(f, "phone", PHONE);
        }
        assert_int_equal(form_submit(f, o.st, &o.pub, cal, "K0001", 1769565600, &e), 0);
        form_free(f);
    }
    /* while the kiosk runs: the database, the WAL holding the commits, the shm index */
    assert_true(assert_nowhere(o.db, NAME) >= 2);
    assert_nowhere(o.db, ID);
    assert_nowhere(o.db, PHONE);
    assert_nowhere(o.db, TITLE);
    assert_nowhere(o.db, "ouyang.nana");
    /* and after a checkpoint into the database file */
    char db[128];
    snprintf(db, sizeof db, "%s", o.db);
    state_close(o.st);
    char err[256];
    assert_int_equal(state_open(db, &o.st, err, sizeof err), 0);
    assert_nowhere(o.db, NAME);
    assert_nowhere(o.db, ID);
    assert_nowhere(o.db, PHONE);
    office_close(&o);
}

/* ---- wiping --------------------------------------------------------------------- */

static void test_reset_leaves_no_typed_value_reachable_through_the_api(void **s)
{
    (void)s;
    form *f = load("info-request");
    const struct form_def *d = form_definition(f);
    struct form_review r;
    char *json;
    size_t len;
    fill_request(f);
    form_reset(f);
    for (int i = 0; i < d->n_fields; i++)
        assert_string_equal(form_get(f, d->fields[i].id), "");
    assert_false(form_visible(f, "name"));          /* back to no applicant type */
    assert_int_equal(form_review(f, &r), 0);
    for (int i = 0; i < r.n; i++)
        for (int lang = 0; lang < LANG_COUNT; lang++) {
            const char *v = KT(r.lines[i].value, lang);
            assert_true(!*v || strcmp(v, i18n("form.no", (kiosk_lang)lang)) == 0);
        }
    form_review_free(&r);
    assert_int_equal(form_serialise(f, "K0001-260128-0001-0", "K0001", "2026-01-28T02:00:00Z",
                                    &json, &len), 0);
    assert_null(strstr(json, NAME));
    assert_null(strstr(json, ID));
    assert_null(strstr(json, PHONE));
    form_text_wipe(json, len);
    /* the form still works after a reset */
    fill_request(f);
    assert_int_equal(form_first_invalid(f, NULL, NULL), 0);
    form_free(f);
}

static void test_setting_a_value_too_long_keeps_the_old_one(void **s)
{
    (void)s;
    form *f = load("info-request");
    char *big = malloc(FIELD_VALUE_MAX + 2);
    assert_non_null(big);
    memset(big, 'x', FIELD_VALUE_MAX + 1);
    big[FIELD_VALUE_MAX + 1] = '\0';
    set(f, "info-description", "旧的描述");
    assert_int_equal(form_set(f, "info-description", big), -E2BIG);
    assert_string_equal(form_get(f, "info-description"), "旧的描述");
    set(f, "info-description", "");
    assert_string_equal(form_get(f, "info-description"), "");
    free(big);
    form_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_request_form_carries_every_element_the_regulation_requires),
        cmocka_unit_test(test_organisations_give_a_credit_code_instead_of_an_id),
        cmocka_unit_test(test_address_is_asked_only_for_post_and_email_required_only_for_email),
        cmocka_unit_test(test_wrong_id_checksum_is_refused_and_the_typed_value_kept),
        cmocka_unit_test(test_id_number_is_checked_by_the_document_type_chosen),
        cmocka_unit_test(test_at_least_one_of_title_document_number_or_description_is_needed),
        cmocka_unit_test(test_checks_give_each_field_its_message),
        cmocka_unit_test(test_a_filled_request_has_no_invalid_field),
        cmocka_unit_test(test_a_bad_rating_asks_what_went_wrong_and_is_flagged_for_follow_up),
        cmocka_unit_test(test_feedback_may_be_anonymous_and_a_complaint_is_followed_up),
        cmocka_unit_test(test_the_sample_questionnaire_asks_nothing_personal),
        cmocka_unit_test(test_review_shows_choice_labels_and_masks_the_id),
        cmocka_unit_test(test_a_description_that_reads_like_a_complaint_is_recognised),
        cmocka_unit_test(test_submit_seals_exactly_what_was_typed_for_the_office_key),
        cmocka_unit_test(test_a_bad_rating_is_submitted_flagged_and_without_a_reply_date),
        cmocka_unit_test(test_a_reply_date_past_the_calendar_is_an_estimate),
        cmocka_unit_test(test_submit_refuses_an_incomplete_form_and_writes_nothing),
        cmocka_unit_test(test_state_db_and_its_wal_never_hold_a_typed_name_id_or_phone),
        cmocka_unit_test(test_reset_leaves_no_typed_value_reachable_through_the_api),
        cmocka_unit_test(test_setting_a_value_too_long_keeps_the_old_one),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
