/* doc_body.c - see doc_body.h. One pass over the lines; a block is open while its
 * lines keep coming (a paragraph until a blank line or another kind of line, a table
 * until a line without '|'). */
#include "doc_body.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>

struct parser {
    struct body *b;
    int cap;
    strbuf para;            /* the paragraph being gathered */
    int in_para;
    int table;              /* index of the table being gathered, or -1 */
    int row_cap;
};

static int is_blank_char(const char *p, size_t *ret_len)
{
    unsigned char c = (unsigned char)*p;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f') {
        *ret_len = 1;
        return 1;
    }
    if (c == 0xE3 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0x80) {
        *ret_len = 3;   /* U+3000, the ideographic space */
        return 1;
    }
    return 0;
}

/* s..e without blanks at either end */
static void trim(const char **s, const char **e)
{
    size_t n;
    while (*s < *e && is_blank_char(*s, &n))
        *s += n;
    while (*e > *s) {
        if ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r')
            (*e)--;
        else if (*e - *s >= 3 && (unsigned char)(*e)[-3] == 0xE3 &&
                 (unsigned char)(*e)[-2] == 0x80 && (unsigned char)(*e)[-1] == 0x80)
            *e -= 3;
        else
            break;
    }
}

static struct body_block *new_block(struct parser *p, enum body_kind kind)
{
    struct body *b = p->b;
    if (b->n == BODY_MAX_BLOCKS) {
        b->truncated = 1;
        return NULL;
    }
    if (b->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 16;
        b->blocks = xrealloc(b->blocks, (size_t)p->cap * sizeof *b->blocks);
    }
    struct body_block *blk = &b->blocks[b->n++];
    memset(blk, 0, sizeof *blk);
    blk->kind = kind;
    return blk;
}

static void end_paragraph(struct parser *p)
{
    if (!p->in_para)
        return;
    struct body_block *blk = new_block(p, BODY_PARAGRAPH);
    if (blk)
        blk->text = strbuf_detach(&p->para);
    strbuf_release(&p->para);
    p->in_para = 0;
}

static void add_row(struct parser *p, const char *s, const char *e)
{
    struct body_block *t = &p->b->blocks[p->table];
    if (t->n_rows == BODY_MAX_ROWS) {
        p->b->truncated = 1;
        return;
    }
    if (t->n_rows == p->row_cap) {
        p->row_cap = p->row_cap ? p->row_cap * 2 : 8;
        t->rows = xrealloc(t->rows, (size_t)p->row_cap * sizeof *t->rows);
    }
    struct body_row *row = &t->rows[t->n_rows++];
    memset(row, 0, sizeof *row);
    s++;                            /* the leading '|' */
    trim(&s, &e);
    if (e > s && e[-1] == '|')      /* the optional closing one */
        e--;
    for (const char *c = s;;) {
        const char *bar = memchr(c, '|', (size_t)(e - c)), *ce = bar ? bar : e, *cs = c;
        if (row->n == BODY_MAX_CELLS) {
            p->b->truncated = 1;
            break;
        }
        trim(&cs, &ce);
        row->cells = xrealloc(row->cells, (size_t)(row->n + 1) * sizeof *row->cells);
        row->cells[row->n++] = xstrndup(cs, (size_t)(ce - cs));
        if (!bar)
            break;
        c = bar + 1;
    }
    t->n_cols = MAX(t->n_cols, row->n);
}

void body_parse(const char *text, struct body *ret)
{
    struct body b = {0};
    struct parser p = {.b = &b, .table = -1};
    const char *s = text ? text : "";

    while (*s) {
        const char *nl = strchr(s, '\n'), *e = nl ? nl : s + strlen(s);
        const char *ts = s, *te = e;
        trim(&ts, &te);
        if (ts == te) {                                 /* blank: ends any block */
            end_paragraph(&p);
            p.table = -1;
        } else if (s[0] == '#' && s[1] == ' ') {
            end_paragraph(&p);
            p.table = -1;
            struct body_block *blk = new_block(&p, BODY_HEADING);
            const char *hs = s + 2, *he = e;
            trim(&hs, &he);
            if (blk)
                blk->text = xstrndup(hs, (size_t)(he - hs));
        } else if (s[0] == '|') {
            end_paragraph(&p);
            if (p.table < 0 && new_block(&p, BODY_TABLE)) {
                p.table = b.n - 1;
                p.row_cap = 0;
            }
            if (p.table >= 0)
                add_row(&p, s, e);
        } else {
            p.table = -1;
            const char *ls = s, *le = e;
            trim(&ls, &le);
            if (p.in_para)
                strbuf_addc(&p.para, '\n');
            strbuf_add(&p.para, ls, (size_t)(le - ls));
            p.in_para = 1;
        }
        if (b.truncated && b.n == BODY_MAX_BLOCKS)
            break;
        s = nl ? nl + 1 : e;
    }
    end_paragraph(&p);
    strbuf_release(&p.para);
    *ret = b;
}

void body_free(struct body *b)
{
    for (int i = 0; i < b->n; i++) {
        struct body_block *blk = &b->blocks[i];
        free(blk->text);
        for (int r = 0; r < blk->n_rows; r++) {
            for (int c = 0; c < blk->rows[r].n; c++)
                free(blk->rows[r].cells[c]);
            free(blk->rows[r].cells);
        }
        free(blk->rows);
    }
    freep(&b->blocks);
    b->n = 0;
    b->truncated = 0;
}
