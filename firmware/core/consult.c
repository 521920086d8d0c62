/* consult.c - see consult.h. */
#include "consult.h"
#include "base/civil.h"
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int consult_status_of(const char *opens, const char *closes, const char *today, int *ret_days)
{
    civil_date o, c, t;
    if (!opens || !closes || !today || civil_parse(opens, &o) < 0 ||
        civil_parse(closes, &c) < 0 || civil_parse(today, &t) < 0)
        return -EINVAL;
    long od = civil_to_days(o), cd = civil_to_days(c), td = civil_to_days(t);
    int status, days;
    if (td < od) {
        status = CONSULT_UPCOMING;
        days = (int)(od - td);
    } else if (td > cd) {
        status = CONSULT_CLOSED;
        days = (int)(td - cd);
    } else {
        days = (int)(cd - td);
        status = days < CONSULT_SOON_DAYS ? CONSULT_CLOSING_SOON : CONSULT_OPEN;
    }
    if (ret_days)
        *ret_days = days;
    return status;
}

static char *empty(void)
{
    return xstrdup("");
}

/* Question Q of C as the optional long-text field "q<Q+1>" of STEP in group GROUP. */
static struct form_field question_field(const struct consultation *c, int q, int step, int group)
{
    struct form_field f = {0};
    char id[16];
    snprintf(id, sizeof id, "q%d", q + 1);
    f.id = xstrdup(id);
    f.type = xstrdup("longtext");
    f.keyboard = xstrdup("pinyin");
    f.id_type_field = empty();
    for (int l = 0; l < LANG_COUNT; l++) {
        f.label.s[l] = xstrdup(c->questions[q].s[l]);
        f.help.s[l] = empty();
    }
    f.step = step;
    f.required_if.field = empty();
    f.visible_if.field = empty();
    f.one_of = group;
    return f;
}

int consult_comment_form(store *st, const char *form_id, const struct consultation *c,
                         form **ret)
{
    struct form_def *d;
    int r = store_form_get(st, form_id, &d), at = -1, group = 0;
    if (r < 0)
        return r;
    for (int i = 0; i < d->n_fields; i++) {
        if (strcmp(d->fields[i].id, CONSULT_COMMENT_FIELD) == 0)
            at = i;
        group = MAX(group, d->fields[i].one_of + 1);
    }
    if (strcmp(d->kind, "comment") != 0 || at < 0 ||
        strcmp(d->fields[at].type, "longtext") != 0 ||
        d->n_fields + c->n_questions > STORE_FORM_MAX_FIELDS) {
        form_def_free(d);
        return -EPROTO;
    }
    if (c->n_questions > 0) {
        /* the answers before the comment, in its step; the comment or one answer */
        int n = c->n_questions;
        d->fields = xrealloc(d->fields, (size_t)(d->n_fields + n) * sizeof *d->fields);
        memmove(&d->fields[at + n], &d->fields[at], (size_t)(d->n_fields - at) * sizeof *d->fields);
        d->n_fields += n;
        struct form_field *cf = &d->fields[at + n];
        if (cf->one_of < 0)
            cf->one_of = group;
        for (int q = 0; q < n; q++)
            d->fields[at + q] = question_field(c, q, cf->step, cf->one_of);
        cf->required = 0;
    }
    r = form_new(d, ret);
    if (r == 0 && (r = form_set_consultation(*ret, c->id)) < 0)
        form_free(*ret);
    return r;
}

int consult_open_comment(store *st, const char *consult_id, const char *today, form **ret)
{
    struct consultation *c;
    struct form_list forms;
    int r = store_consult_get(st, consult_id, &c);
    if (r < 0)
        return r;
    r = consult_status_of(c->opens, c->closes, today, NULL);
    if (r >= 0)
        r = r == CONSULT_OPEN || r == CONSULT_CLOSING_SOON ? 0 : -EACCES;
    if (r == 0 && (r = store_forms(st, "comment", &forms)) == 0) {
        r = forms.n > 0 ? consult_comment_form(st, forms.items[0].id, c, ret) : -ENOENT;
        form_list_free(&forms);
    }
    consultation_free(c);
    return r;
}
