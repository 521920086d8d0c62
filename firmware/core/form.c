/* form.c - see form.h. The definition comes from store_form_get; form_new resolves
 * its names once (types, keyboards, the fields conditions read) into indexes, so the
 * per-key-press questions are array walks. Every buffer that ever holds a visitor's
 * value is wiped with sodium_memzero before it is freed or leaves scope; the JSON
 * writer grows by copy-wipe-free, never by realloc, so no stale copy is left behind. */
#include "form.h"
#include "receipt.h"
#include "seal.h"
#include "workday.h"
#include "base/util.h"

#include <errno.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(SEAL_PLAIN_MAX + SEAL_OVERHEAD <= OUTBOX_SEALED_MAX, "a sealed form fits the outbox");
_Static_assert(RECEIPT_SIZE <= OUTBOX_RECEIPT_MAX, "a receipt fits the outbox");

static const char *const kind_names[] = {"request", "feedback", "rating", "questionnaire",
                                          "comment"};
struct cond {
    int field; /* -1: none */
};

struct field_rt {
    enum field_type type;
    enum field_keyboard keyboard;
    int max_chars;                 /* field_limit: the most characters of its value */
    int visible_ref, required_ref; /* the field each condition reads, -1 for none */
    int id_type_ref;               /* id_number: the document-type field */
    enum field_id_format *formats; /* per choice, for a document-type field */
    char *value;                   /* NULL when unset */
    size_t len;
};

struct form {
    struct form_def *def;
    enum form_kind kind;
    struct field_rt *rt;
    int follow_up_ref, staff_help;
    kiosk_lang lang;
    time_t now;
    char *consultation;            /* a comment: the consultation it is on, else NULL */
};

/* ---- loading ---------------------------------------------------------------------- */

static int name_index(const char *const names[], size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return (int)i;
    return -1;
}

static int find_field(const struct form_def *d, const char *id, int before)
{
    for (int i = 0; i < before; i++)
        if (strcmp(d->fields[i].id, id) == 0)
            return i;
    return -1;
}

/* The field a condition reads: one before BEFORE, of a type a condition can read. */
static int resolve_cond(const struct form_def *d, const struct form_cond *c, int before,
                        int *ret)
{
    if (!*c->field) {
        *ret = -1;
        return 0;
    }
    int i = find_field(d, c->field, before);
    if (i < 0)
        return -EPROTO;
    int t = field_type_from_name(d->fields[i].type);
    if (t < 0 || !field_kind((enum field_type)t)->readable)
        return -EPROTO;
    *ret = i;
    return 0;
}

int form_new(struct form_def *def, form **ret)
{
    form *f = xcalloc(1, sizeof *f);
    int r = 0, k;

    f->def = def;
    f->rt = xcalloc((size_t)MAX(def->n_fields, 1), sizeof *f->rt);
    f->staff_help = -1;
    k = name_index(kind_names, ARRAY_SIZE(kind_names), def->kind);
    if (k < 0)
        r = -EPROTO;
    f->kind = (enum form_kind)MAX(k, 0);
    for (int i = 0; !r && i < def->n_fields; i++) {
        struct form_field *fd = &def->fields[i];
        struct field_rt *rt = &f->rt[i];
        int t = field_type_from_name(fd->type);
        int kb = field_keyboard_from_name(fd->keyboard);
        rt->id_type_ref = -1;
        /* a limit over the table's is a content.db the compiler did not write */
        if (t < 0 || kb < 0 || find_field(def, fd->id, i) >= 0 ||
            !field_declared_ok((enum field_type)t, fd->max_len)) {
            r = -EPROTO;
            break;
        }
        rt->type = (enum field_type)t;
        rt->keyboard = (enum field_keyboard)kb;
        rt->max_chars = field_limit(rt->type, fd->max_len);
        if (field_kind(rt->type)->choices != (fd->n_choices > 0)) {
            r = -EPROTO;
            break;
        }
        r = resolve_cond(def, &fd->visible_if, i, &rt->visible_ref);
        if (!r)
            r = resolve_cond(def, &fd->required_if, i, &rt->required_ref);
        if (!r && t == FIELD_ID_NUMBER) {
            int ref = find_field(def, fd->id_type_field, i);
            if (ref < 0 || f->rt[ref].type != FIELD_CHOICE) {
                r = -EPROTO;
                break;
            }
            rt->id_type_ref = ref;
            struct form_field *tf = &def->fields[ref];
            if (!f->rt[ref].formats) {
                f->rt[ref].formats = xcalloc((size_t)tf->n_choices, sizeof *f->rt[ref].formats);
                for (int c = 0; !r && c < tf->n_choices; c++) {
                    int x = field_id_format_from_name(tf->choices[c].id_format);
                    if (x < 0)
                        r = -EPROTO;
                    else
                        f->rt[ref].formats[c] = (enum field_id_format)x;
                }
            }
        }
    }
    if (!r)
        r = resolve_cond(def, &def->follow_up, def->n_fields, &f->follow_up_ref);
    if (!r && *def->staff_help) {
        f->staff_help = find_field(def, def->staff_help, def->n_fields);
        if (f->staff_help < 0 || f->rt[f->staff_help].type != FIELD_FLAG)
            r = -EPROTO;
    }
    if (r) {
        form_free(f);
        return r;
    }
    *ret = f;
    return 0;
}

int form_load(store *st, const char *id, form **ret)
{
    struct form_def *def;
    int r = store_form_get(st, id, &def);
    if (r < 0)
        return r;
    return form_new(def, ret);
}

static void value_wipe(struct field_rt *rt)
{
    if (rt->value) {
        sodium_memzero(rt->value, rt->len + 1);
        free(rt->value);
    }
    rt->value = NULL;
    rt->len = 0;
}

void form_reset(form *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->def->n_fields; i++)
        value_wipe(&f->rt[i]);
}

void form_free(form *f)
{
    if (!f)
        return;
    form_reset(f);
    for (int i = 0; i < f->def->n_fields; i++)
        free(f->rt[i].formats);
    free(f->rt);
    free(f->consultation);
    form_def_free(f->def);
    free(f);
}

int form_set_consultation(form *f, const char *id)
{
    if (f->kind != FORM_COMMENT || !id || !*id || strlen(id) > FORM_REF_MAX)
        return -EINVAL;
    free(f->consultation);
    f->consultation = xstrdup(id);
    return 0;
}

const char *form_consultation(const form *f)
{
    return f->consultation;
}

const struct form_def *form_definition(const form *f)
{
    return f->def;
}

enum form_kind form_kind_of(const form *f)
{
    return f->kind;
}

int form_field_index(const form *f, const char *field)
{
    int i = field ? find_field(f->def, field, f->def->n_fields) : -1;
    return i < 0 ? -ENOENT : i;
}

enum field_type form_field_type(const form *f, int index)
{
    expect(index >= 0 && index < f->def->n_fields);
    return f->rt[index].type;
}

enum field_keyboard form_field_keyboard(const form *f, int index)
{
    expect(index >= 0 && index < f->def->n_fields);
    return f->rt[index].keyboard;
}

int form_field_limit(const form *f, int index)
{
    expect(index >= 0 && index < f->def->n_fields);
    return f->rt[index].max_chars;
}

void form_set_lang(form *f, kiosk_lang lang)
{
    f->lang = lang == LANG_EN ? LANG_EN : LANG_ZH;
}

void form_set_clock(form *f, time_t now)
{
    f->now = now;
}

/* ---- values ----------------------------------------------------------------------- */

static const char *value_of(const form *f, int i)
{
    return f->rt[i].value ? f->rt[i].value : "";
}

static void value_put(struct field_rt *rt, const char *v, size_t n)
{
    char *copy = xmalloc(n + 1);
    memcpy(copy, v, n);
    copy[n] = '\0';
    value_wipe(rt);
    rt->value = copy;
    rt->len = n;
}

int form_set(form *f, const char *field, const char *value)
{
    int i = form_field_index(f, field);
    if (i < 0)
        return i;
    size_t n = value ? strnlen(value, FIELD_VALUE_MAX + 1) : 0;
    if (n > FIELD_VALUE_MAX)
        return -E2BIG;
    /* the keyboard takes no more than this; anything longer did not come from it */
    if (f->rt[i].max_chars > 0 && n > 0 && utf8_len(value) > (size_t)f->rt[i].max_chars)
        return -E2BIG;
    if (n == 0)
        value_wipe(&f->rt[i]);
    else
        value_put(&f->rt[i], value, n);
    return 0;
}

const char *form_get(const form *f, const char *field)
{
    int i = form_field_index(f, field);
    return i < 0 ? "" : value_of(f, i);
}

static int choice_index(const struct form_field *fd, const char *id, size_t n)
{
    for (int c = 0; c < fd->n_choices; c++)
        if (strlen(fd->choices[c].id) == n && memcmp(fd->choices[c].id, id, n) == 0)
            return c;
    return -1;
}

/* Whether the multichoice value V lists choice C. */
static bool list_has(const char *v, const char *c)
{
    size_t n = strlen(c);
    for (const char *p = v; *p;) {
        const char *end = strchr(p, ',');
        size_t k = end ? (size_t)(end - p) : strlen(p);
        if (k == n && memcmp(p, c, n) == 0)
            return true;
        p += k + (end ? 1 : 0);
    }
    return false;
}

static bool flag_set(const char *v)
{
    return strcmp(v, "true") == 0;
}

bool form_selected(const form *f, const char *field, const char *choice)
{
    int i = form_field_index(f, field);
    if (i < 0)
        return false;
    const char *v = value_of(f, i);
    switch (f->rt[i].type) {
    case FIELD_CHOICE:
        return choice && strcmp(v, choice) == 0;
    case FIELD_MULTICHOICE:
        return choice && list_has(v, choice);
    case FIELD_FLAG:
        return flag_set(v);
    default:
        return false;
    }
}

int form_toggle(form *f, const char *field, const char *choice)
{
    int i = form_field_index(f, field);
    if (i < 0)
        return i;
    const struct form_field *fd = &f->def->fields[i];
    struct field_rt *rt = &f->rt[i];
    if (rt->type == FIELD_FLAG)
        return form_set(f, field, flag_set(value_of(f, i)) ? "false" : "true");
    if (!choice || choice_index(fd, choice, strlen(choice)) < 0)
        return -EINVAL;
    if (rt->type == FIELD_CHOICE)
        return form_set(f, field, choice);
    if (rt->type != FIELD_MULTICHOICE)
        return -EINVAL;
    /* rebuild the list in the order of the choices; ids are not personal data */
    strbuf sb = {0};
    for (int c = 0; c < fd->n_choices; c++) {
        const char *id = fd->choices[c].id;
        bool on = list_has(value_of(f, i), id);
        if (strcmp(id, choice) == 0)
            on = !on;
        if (!on)
            continue;
        if (sb.len)
            strbuf_addc(&sb, ',');
        strbuf_adds(&sb, id);
    }
    int r = form_set(f, field, sb.buf ? sb.buf : "");
    strbuf_release(&sb);
    return r;
}

/* ---- conditions ------------------------------------------------------------------- */

static bool field_visible(const form *f, int i);

/* Whether condition C (read from field REF) holds. A hidden field matches nothing; an
 * unanswered choice matches neither "in" nor "not_in"; an unticked flag is "false". */
static bool cond_holds(const form *f, const struct form_cond *c, int ref)
{
    if (ref < 0)
        return true;
    if (!field_visible(f, ref))
        return false;
    const char *v = value_of(f, ref);
    bool any = false;
    switch (f->rt[ref].type) {
    case FIELD_FLAG:
        v = flag_set(v) ? "true" : "false";
        /* fall through */
    case FIELD_CHOICE:
        if (!*v)
            return false;
        for (int k = 0; k < c->n_values; k++)
            any = any || strcmp(c->values[k], v) == 0;
        break;
    case FIELD_MULTICHOICE:
        if (!*v)
            return false;
        for (int k = 0; k < c->n_values; k++)
            any = any || list_has(v, c->values[k]);
        break;
    default:
        return false;
    }
    return c->negate ? !any : any;
}

/* form_new checked that conditions read earlier fields only, so this terminates. */
static bool field_visible(const form *f, int i)
{
    return cond_holds(f, &f->def->fields[i].visible_if, f->rt[i].visible_ref);
}

static bool field_required(const form *f, int i)
{
    const struct form_field *fd = &f->def->fields[i];
    if (!field_visible(f, i))
        return false;
    if (fd->required)
        return true;
    return f->rt[i].required_ref >= 0 && cond_holds(f, &fd->required_if, f->rt[i].required_ref);
}

bool form_visible(const form *f, const char *field)
{
    int i = form_field_index(f, field);
    return i >= 0 && field_visible(f, i);
}

bool form_required(const form *f, const char *field)
{
    int i = form_field_index(f, field);
    return i >= 0 && field_required(f, i);
}

bool form_follow_up(const form *f)
{
    return f->follow_up_ref >= 0 && cond_holds(f, &f->def->follow_up, f->follow_up_ref);
}

bool form_staff_help(const form *f)
{
    return f->staff_help >= 0 && field_visible(f, f->staff_help) &&
           flag_set(value_of(f, f->staff_help));
}

/* ---- checking --------------------------------------------------------------------- */

/* field_input's choice lookup over the field's choices */
static int choice_of(const void *ctx, const char *id, size_t n)
{
    return choice_index(ctx, id, n);
}

/* Checks the non-empty value V of field I with its kind's validator (core/field.h) and
 * writes its normalised form into OUT (FIELD_VALUE_MAX + 1 bytes). *ret_key gets a
 * form-specific key, or stays NULL. */
static validate_result check_value(const form *f, int i, const char *v, char *out,
                                   const char **ret_key)
{
    const struct field_rt *rt = &f->rt[i];
    struct field_input in = {
        .max_chars = rt->max_chars,
        .now = f->now ? f->now : time(NULL),
        .choice = choice_of,
        .ctx = &f->def->fields[i],
    };
    if (rt->type == FIELD_ID_NUMBER) {
        /* the document picked says how the number is checked */
        const char *doc = value_of(f, rt->id_type_ref);
        int c = choice_index(&f->def->fields[rt->id_type_ref], doc, strlen(doc));
        if (c >= 0 && field_visible(f, rt->id_type_ref))
            in.id_format = f->rt[rt->id_type_ref].formats[c];
    }
    return field_check(rt->type, &in, v, out, ret_key);
}

static bool value_empty(const form *f, int i)
{
    const char *p;
    size_t n;
    if (f->rt[i].type == FIELD_FLAG)
        return !flag_set(value_of(f, i));
    field_trim(value_of(f, i), &p, &n);
    return n == 0;
}

/* Whether some other visible field of I's at-least-one group is filled. */
static bool group_filled(const form *f, int i)
{
    int g = f->def->fields[i].one_of;
    for (int k = 0; k < f->def->n_fields; k++)
        if (k != i && f->def->fields[k].one_of == g && field_visible(f, k) && !value_empty(f, k))
            return true;
    return false;
}

/* Checks field I; OUT (FIELD_VALUE_MAX + 1 bytes, may be NULL) gets the normalised
 * value ("" for an empty field). */
static validate_result check_field(const form *f, int i, char *out, const char **ret_key)
{
    const struct form_field *fd = &f->def->fields[i];
    enum field_type t = f->rt[i].type;
    const char *key = NULL;
    validate_result r;
    char *buf = out ? out : xmalloc(FIELD_VALUE_MAX + 1);

    buf[0] = '\0';
    if (!field_visible(f, i)) {
        r = VALID_OK;
    } else if (value_empty(f, i)) {
        r = VALID_OK;
        if (t == FIELD_FLAG)
            strcpy(buf, "false");
        if (field_required(f, i)) {
            r = VALID_EMPTY;
            key = t == FIELD_CHOICE || t == FIELD_MULTICHOICE ? "form.pick_one"
                  : t == FIELD_FLAG                          ? "form.must_tick"
                                                            : NULL;
        } else if (fd->one_of >= 0 && !group_filled(f, i)) {
            r = VALID_EMPTY;
            key = "form.one_of";
        }
    } else {
        r = check_value(f, i, value_of(f, i), buf, &key);
    }
    if (r != VALID_OK)
        buf[0] = '\0';
    if (!out) {
        sodium_memzero(buf, FIELD_VALUE_MAX + 1);
        free(buf);
    }
    if (ret_key)
        *ret_key = key ? key : validate_message_key(r);
    return r;
}

validate_result form_check(const form *f, const char *field, const char **ret_key)
{
    int i = form_field_index(f, field);
    if (i < 0) {
        if (ret_key)
            *ret_key = validate_message_key(VALID_BAD_FORMAT);
        return VALID_BAD_FORMAT;
    }
    return check_field(f, i, NULL, ret_key);
}

bool form_step_visible(const form *f, int step)
{
    for (int i = 0; i < f->def->n_fields; i++)
        if (f->def->fields[i].step == step && field_visible(f, i))
            return true;
    return false;
}

bool form_step_complete(const form *f, int step, const char **ret_field)
{
    for (int i = 0; i < f->def->n_fields; i++) {
        if (f->def->fields[i].step != step)
            continue;
        if (check_field(f, i, NULL, NULL) != VALID_OK) {
            if (ret_field)
                *ret_field = f->def->fields[i].id;
            return false;
        }
    }
    return true;
}

int form_first_invalid(const form *f, int *ret_step, const char **ret_field)
{
    for (int i = 0; i < f->def->n_fields; i++)
        if (check_field(f, i, NULL, NULL) != VALID_OK) {
            if (ret_step)
                *ret_step = f->def->fields[i].step;
            if (ret_field)
                *ret_field = f->def->fields[i].id;
            return 1;
        }
    return 0;
}

/* ---- the complaint heuristic ------------------------------------------------------ */

bool form_looks_like_complaint(const char *text)
{
    /* Words that ask for action against someone rather than for a document, kept in
     * the string table (form.complaint_words, '|'-separated) so the firmware's C holds
     * no Chinese text and the words can be tuned beside the other wording. They stay
     * specific: "report" alone would catch every "annual report", so only phrases that
     * mean reporting wrongdoing are listed. Both lists are tried, whatever the
     * language: visitors mix them. Case is ignored for ASCII. */
    if (!text || !*text)
        return false;
    for (int lang = 0; lang < LANG_COUNT; lang++) {
        const char *p = i18n("form.complaint_words", (kiosk_lang)lang);
        while (*p) {
            size_t n = strcspn(p, "|");
            char word[64];
            if (n > 0 && n < sizeof word) {
                memcpy(word, p, n);
                word[n] = '\0';
                if (util_contains(text, word))
                    return true;
            }
            p += n + (p[n] == '|');
        }
    }
    return false;
}

/* ---- the review page -------------------------------------------------------------- */

static void wipe_str(char **s)
{
    if (*s) {
        sodium_memzero(*s, strlen(*s));
        free(*s);
        *s = NULL;
    }
}

int form_review(const form *f, struct form_review *ret)
{
    struct form_review rv = {0};
    char *norm = xmalloc(FIELD_VALUE_MAX + 1);

    rv.lines = xcalloc((size_t)MAX(f->def->n_fields, 1), sizeof *rv.lines);
    for (int i = 0; i < f->def->n_fields; i++) {
        const struct form_field *fd = &f->def->fields[i];
        enum field_type t = f->rt[i].type;
        if (!field_visible(f, i))
            continue;
        struct form_review_line *l = &rv.lines[rv.n++];
        l->step = fd->step;
        l->field = fd->id;
        l->label = &fd->label;
        /* show the normalised value when it checks, else what was typed */
        if (check_field(f, i, norm, NULL) != VALID_OK || !*norm) {
            const char *p;
            size_t n;
            field_trim(value_of(f, i), &p, &n);
            memcpy(norm, p, n);
            norm[n] = '\0';
        }
        if (t == FIELD_FLAG) {
            for (int lang = 0; lang < LANG_COUNT; lang++)
                l->value.s[lang] = xstrdup(i18n(flag_set(value_of(f, i)) ? "form.yes" : "form.no",
                                                (kiosk_lang)lang));
        } else if (t == FIELD_CHOICE || t == FIELD_MULTICHOICE) {
            for (int lang = 0; lang < LANG_COUNT; lang++) {
                strbuf sb = {0};
                strbuf_adds(&sb, "");
                for (int c = 0; c < fd->n_choices; c++) {
                    if (!list_has(norm, fd->choices[c].id))
                        continue;
                    if (sb.len)
                        strbuf_addc(&sb, '\n');   /* one ticked choice per line */
                    strbuf_adds(&sb, KT(fd->choices[c].label, lang));
                }
                l->value.s[lang] = strbuf_detach(&sb);
            }
        } else if ((t == FIELD_RESIDENT_ID || t == FIELD_ID_NUMBER) && *norm) {
            char masked[VALIDATE_MAX_INPUT + 1];
            if (validate_mask_id(norm, masked, sizeof masked) < 0) {
                /* too long to mask: show stars only, never the number */
                snprintf(masked, sizeof masked, "****");
            }
            for (int lang = 0; lang < LANG_COUNT; lang++)
                l->value.s[lang] = xstrdup(masked);
            l->masked = 1;
            sodium_memzero(masked, sizeof masked);
        } else {
            for (int lang = 0; lang < LANG_COUNT; lang++)
                l->value.s[lang] = xstrdup(norm);
        }
    }
    sodium_memzero(norm, FIELD_VALUE_MAX + 1);
    free(norm);
    *ret = rv;
    return 0;
}

void form_review_free(struct form_review *r)
{
    for (int i = 0; i < r->n; i++)
        for (int lang = 0; lang < LANG_COUNT; lang++)
            wipe_str(&r->lines[i].value.s[lang]);
    if (r->lines)
        sodium_memzero(r->lines, (size_t)r->n * sizeof *r->lines);
    freep(&r->lines);
    r->n = 0;
}

/* ---- serialising ------------------------------------------------------------------ */

/* A byte buffer for personal data: it grows by allocate-copy-wipe-free, so no copy of
 * its old contents stays behind in freed memory; it refuses to grow past its cap. */
struct sbuf {
    char *p;
    size_t len, cap, max;
    int err;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
    if (b->err)
        return;
    if (b->len + n + 1 > b->max) {
        b->err = -E2BIG;
        return;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = MAX(b->cap * 2, b->len + n + 1);
        cap = MAX(cap, (size_t)1024);
        cap = MIN(cap, b->max);
        char *p = xmalloc(cap);
        if (b->p) {
            memcpy(p, b->p, b->len);
            sodium_memzero(b->p, b->cap);
            free(b->p);
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_str(struct sbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

/* S as a JSON string: quotes, backslash escapes and \u00XX for control characters;
 * everything else (UTF-8 included) as it is. */
static void sb_json(struct sbuf *b, const char *s)
{
    sb_add(b, "\"", 1);
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
            continue;
        sb_add(b, run, (size_t)(s - run));
        char esc[8];
        switch (c) {
        case '"': sb_str(b, "\\\""); break;
        case '\\': sb_str(b, "\\\\"); break;
        case '\n': sb_str(b, "\\n"); break;
        case '\r': sb_str(b, "\\r"); break;
        case '\t': sb_str(b, "\\t"); break;
        default:
            snprintf(esc, sizeof esc, "\\u%04x", c);
            sb_str(b, esc);
        }
        run = s + 1;
    }
    sb_add(b, run, (size_t)(s - run));
    sb_add(b, "\"", 1);
}

static void sb_wipe(struct sbuf *b)
{
    if (b->p) {
        sodium_memzero(b->p, b->cap);
        free(b->p);
    }
    b->p = NULL;
    b->len = b->cap = 0;
}

int form_serialise(const form *f, const char *receipt, const char *kiosk,
                   const char *created_at, char **ret, size_t *ret_len)
{
    struct sbuf b = {.max = SEAL_PLAIN_MAX + 1};
    char num[16];

    if (!receipt || !kiosk || !created_at || !ret || !ret_len)
        return -EINVAL;
    char *norm = xmalloc(FIELD_VALUE_MAX + 1);
    snprintf(num, sizeof num, "%d", FORM_SUBMISSION_FORMAT);
    sb_str(&b, "{\"format\":");
    sb_str(&b, num);
    sb_str(&b, ",\"receipt\":");
    sb_json(&b, receipt);
    sb_str(&b, ",\"kind\":");
    sb_json(&b, kind_names[f->kind]);
    sb_str(&b, ",\"form\":");
    sb_json(&b, f->def->id);
    if (f->consultation) {
        sb_str(&b, ",\"consultation\":");
        sb_json(&b, f->consultation);
    }
    sb_str(&b, ",\"content_version\":");
    sb_json(&b, f->def->content_version);
    sb_str(&b, ",\"created_at\":");
    sb_json(&b, created_at);
    sb_str(&b, ",\"kiosk\":");
    sb_json(&b, kiosk);
    sb_str(&b, ",\"lang\":");
    sb_json(&b, i18n_lang_code(f->lang));
    sb_str(&b, ",\"fields\":{");
    bool first = true;
    for (int i = 0; i < f->def->n_fields; i++) {
        enum field_type t = f->rt[i].type;
        if (!field_visible(f, i))
            continue;
        if (check_field(f, i, norm, NULL) != VALID_OK) {
            /* not valid: send it trimmed as typed; form_submit never gets here */
            const char *p;
            size_t n;
            field_trim(value_of(f, i), &p, &n);
            memcpy(norm, p, n);
            norm[n] = '\0';
        }
        if (!first)
            sb_str(&b, ",");
        first = false;
        sb_json(&b, f->def->fields[i].id);
        sb_str(&b, ":");
        if (t == FIELD_FLAG) {
            sb_str(&b, flag_set(value_of(f, i)) ? "true" : "false");
        } else if (t == FIELD_MULTICHOICE) {
            sb_str(&b, "[");
            bool firstc = true;
            for (int c = 0; c < f->def->fields[i].n_choices; c++) {
                const char *id = f->def->fields[i].choices[c].id;
                if (!list_has(norm, id))
                    continue;
                if (!firstc)
                    sb_str(&b, ",");
                firstc = false;
                sb_json(&b, id);
            }
            sb_str(&b, "]");
        } else {
            sb_json(&b, norm);
        }
    }
    sb_str(&b, "},\"flags\":{\"staff_help\":");
    sb_str(&b, form_staff_help(f) ? "true" : "false");
    sb_str(&b, ",\"follow_up\":");
    sb_str(&b, form_follow_up(f) ? "true" : "false");
    sb_str(&b, "}}");
    sodium_memzero(norm, FIELD_VALUE_MAX + 1);
    free(norm);
    if (!b.err && b.len > SEAL_PLAIN_MAX)
        b.err = -E2BIG;
    if (b.err) {
        int r = b.err;
        sb_wipe(&b);
        return r;
    }
    *ret = b.p;
    *ret_len = b.len;
    return 0;
}

void form_text_wipe(char *s, size_t len)
{
    if (!s)
        return;
    sodium_memzero(s, len);
    free(s);
}

/* ---- submitting ------------------------------------------------------------------- */

struct submit_ctx {
    const form *f;
    const struct seal_public *key;
    const char *kiosk, *created_at;
    size_t plain_len;        /* the serialised length, the same for every receipt */
    unsigned char *sealed;   /* plain_len + SEAL_OVERHEAD bytes */
};

/* Called by state_outbox_add inside its transaction: the receipt number of SEQ, and
 * the submission sealed with it into ctx->sealed, which the outbox reads next. */
static int make_receipt(void *p, const char *day, int seq, char *ret)
{
    struct submit_ctx *c = p;
    char receipt[RECEIPT_SIZE], *plain = NULL;
    size_t len = 0;
    int r = receipt_format(c->kiosk, day, seq, receipt);
    if (r < 0)
        return r;
    r = form_serialise(c->f, receipt, c->kiosk, c->created_at, &plain, &len);
    if (r < 0)
        return r;
    if (len != c->plain_len)
        r = -EINVAL; /* cannot happen: a receipt's length is fixed by its kiosk code */
    else
        r = seal_box(c->key, plain, len, c->sealed);
    form_text_wipe(plain, len);
    if (r < 0)
        return r;
    memcpy(ret, receipt, sizeof receipt);
    return 0;
}

int form_submit(form *f, state *st, const struct seal_public *key,
                const struct workday_cal *cal, const char *kiosk_id, time_t now,
                struct outbox_entry *ret)
{
    struct outbox_entry e = {0};
    struct submit_ctx c = {.f = f, .key = key, .kiosk = kiosk_id};
    char day[9], placeholder[RECEIPT_SIZE], *plain = NULL;
    struct tm utc, local;
    workday_date today;
    int r;

    if (!f || !st || !key || !ret || !receipt_kiosk_valid(kiosk_id) ||
        !gmtime_r(&now, &utc) || !localtime_r(&now, &local) ||
        workday_date_from_time(now, &today) < 0)
        return -EINVAL;
    if (seal_init() < 0)
        return -EIO;
    f->now = now;
    if (form_first_invalid(f, NULL, NULL) || (f->kind == FORM_COMMENT && !f->consultation))
        return -EINVAL;
    strftime(e.created_at, sizeof e.created_at, "%Y-%m-%dT%H:%M:%SZ", &utc);
    snprintf(day, sizeof day, "%04u%02u%02u", (unsigned)today.y % 10000u, (unsigned)today.m % 100u,
             (unsigned)today.d % 100u);
    snprintf(e.kind, sizeof e.kind, "%s", kind_names[f->kind]);
    e.follow_up = form_follow_up(f);
    if (f->kind == FORM_REQUEST) {
        workday_date due;
        bool estimated = true;
        r = workday_reply_deadline(cal, today, &due, &estimated);
        if (r < 0)
            return r;
        workday_date_format(due, e.due_date);
        e.due_estimated = estimated;
    }
    c.created_at = e.created_at;

    /* the length of the submission: any receipt of this kiosk has the same length */
    r = receipt_format(kiosk_id, day, 1, placeholder);
    if (r < 0)
        return r;
    r = form_serialise(f, placeholder, kiosk_id, e.created_at, &plain, &c.plain_len);
    if (r < 0)
        return r;
    form_text_wipe(plain, c.plain_len);
    c.sealed = xmalloc(c.plain_len + SEAL_OVERHEAD);
    r = state_outbox_add(st, &e, day, make_receipt, &c, c.sealed, c.plain_len + SEAL_OVERHEAD);
    free(c.sealed); /* ciphertext: nothing to wipe */
    if (r < 0)
        return r;
    *ret = e;
    return 0;
}
