/* doc_body.h - a document body (docs/content-format.md, "Body text") as the blocks the
 * reader lays out: headings, paragraphs, and tables with rows and cells, so a budget's
 * columns of figures can be drawn as a table in any text size.
 *
 * The format: a blank line ends a paragraph; a line starting with "# " is a heading;
 * consecutive lines starting with '|' are a table whose first row is the header, cells
 * separated by '|' (a closing '|' is optional). Lines of one paragraph stay apart,
 * joined by '\n'.
 *
 * Load: once per document opened; linear in the body (256 KiB at most, a few ms). */
#ifndef KIOSK_DOC_BODY_H
#define KIOSK_DOC_BODY_H

enum body_kind { BODY_HEADING, BODY_PARAGRAPH, BODY_TABLE };

/* Caps: a body past them is cut there and marked truncated. */
#define BODY_MAX_BLOCKS 10000
#define BODY_MAX_ROWS 2000  /* rows of one table, header included */
#define BODY_MAX_CELLS 32   /* cells of one row */

struct body_row {
    char **cells;           /* each trimmed, may be "" */
    int n;
};

struct body_block {
    enum body_kind kind;
    char *text;             /* heading (without "# ") or paragraph; NULL for a table */
    struct body_row *rows;  /* table: rows[0] is the header */
    int n_rows;
    int n_cols;             /* table: the most cells in any row */
};

struct body {
    struct body_block *blocks;
    int n;
    int truncated;          /* 1 when a cap cut something off */
};

/* Parses TEXT (UTF-8, NULL taken as ""). Always succeeds; you own *ret (body_free). */
void body_parse(const char *text, struct body *ret);
void body_free(struct body *b); /* accepts an emptied body */

#endif
