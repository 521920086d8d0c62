/* office_report.c - see office_report.h. */
#include "office_report.h"
#include "base/fileio.h"
#include "base/util.h"
#include "bundle.h"
#include "office_fleet.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define N_KINDS 6
#define N_ROWS_MAX 32
#define TOP_MAX 10

static int write_atomic(struct office *o, const char *path, const char *text, size_t len)
{
    int r = fio_write_atomic(path, text, len, 0644, 0);
    if (r < 0)
        snprintf(o->err, sizeof o->err, "%.400s: %s", path, strerror(-r));
    return r;
}

static void html_esc(strbuf *sb, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': strbuf_adds(sb, "&lt;"); break;
        case '>': strbuf_adds(sb, "&gt;"); break;
        case '&': strbuf_adds(sb, "&amp;"); break;
        case '"': strbuf_adds(sb, "&quot;"); break;
        default: strbuf_addc(sb, *s);
        }
    }
}

static const char *col(sqlite3_stmt *s, int i)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    return t ? t : "";
}

static int kind_index(const char *k)
{
    for (int i = 0; office_applicant_kinds[i]; i++)
        if (strcmp(office_applicant_kinds[i], k) == 0)
            return i;
    return N_KINDS - 1; /* unknown: other organisation */
}

/* ---- the request table ------------------------------------------------------------ */

struct table {
    const char *keys[N_ROWS_MAX];
    long cell[N_ROWS_MAX][N_KINDS + 1];
    int n;
};

static int row_of(struct table *t, const char *key)
{
    for (int i = 0; i < t->n; i++)
        if (strcmp(t->keys[i], key) == 0)
            return i;
    return -1;
}

static int request_table(struct office *o, int year, struct table *t)
{
    char jan1[11], dec31[11];
    snprintf(jan1, sizeof jan1, "%04d-01-01", year);
    snprintf(dec31, sizeof dec31, "%04d-12-31", year);
    memset(t, 0, sizeof *t);
    t->keys[t->n++] = "new";
    t->keys[t->n++] = "carried_over";
    for (int i = 0; office_outcomes[i]; i++)
        t->keys[t->n++] = office_outcomes[i];
    t->keys[t->n++] = "total";
    t->keys[t->n++] = "carried_forward";
    int r_new = 0, r_over = 1, r_total = t->n - 2, r_fwd = t->n - 1;

    /* the legal receipt date, or until it is confirmed the submission date */
    sqlite3_stmt *s = office_prepare(
        o, "SELECT applicant_kind,"
           " sum(coalesce(received_on, submitted_on) BETWEEN ?1 AND ?2),"
           " sum(coalesce(received_on, submitted_on) < ?1 AND (replied_on IS NULL OR replied_on >= ?1)),"
           " sum(coalesce(received_on, submitted_on) <= ?2 AND (replied_on IS NULL OR replied_on > ?2))"
           " FROM register WHERE kind = 'request' GROUP BY applicant_kind");
    if (!s)
        return -EIO;
    sqlite3_bind_text(s, 1, jan1, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, dec31, -1, SQLITE_TRANSIENT);
    while (sqlite3_step(s) == SQLITE_ROW) {
        int k = kind_index(col(s, 0));
        t->cell[r_new][k] += sqlite3_column_int64(s, 1);
        t->cell[r_over][k] += sqlite3_column_int64(s, 2);
        t->cell[r_fwd][k] += sqlite3_column_int64(s, 3);
    }
    sqlite3_finalize(s);
    s = office_prepare(o, "SELECT applicant_kind, outcome, count(*) FROM register WHERE kind = 'request'"
                          " AND replied_on BETWEEN ?1 AND ?2 GROUP BY applicant_kind, outcome");
    if (!s)
        return -EIO;
    sqlite3_bind_text(s, 1, jan1, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, dec31, -1, SQLITE_TRANSIENT);
    while (sqlite3_step(s) == SQLITE_ROW) {
        int k = kind_index(col(s, 0)), row = row_of(t, col(s, 1));
        if (row < 0)
            row = row_of(t, "other.other");
        t->cell[row][k] += sqlite3_column_int64(s, 2);
        t->cell[r_total][k] += sqlite3_column_int64(s, 2);
    }
    sqlite3_finalize(s);
    for (int i = 0; i < t->n; i++)
        for (int k = 0; k < N_KINDS; k++)
            t->cell[i][N_KINDS] += t->cell[i][k];
    return 0;
}

/* ---- satisfaction, feedback, heartbeats ------------------------------------------- */

struct counted {
    char *name;
    long n;
};

struct extras {
    long levels[8];
    long ratings, satisfied, bad, bad_followed;
    strbuf bad_rows;             /* HTML rows: receipt, date, level, followed up */
    struct counted feedback[16];
    int n_feedback;
    struct counted *views, *misses;
    size_t n_views, n_misses;
};

static void count_add(struct counted **arr, size_t *n, const char *name, long k)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*arr)[i].name, name) == 0) {
            (*arr)[i].n += k;
            return;
        }
    if (*n >= 100000)
        return;
    *arr = xrealloc(*arr, (*n + 1) * sizeof **arr);
    (*arr)[*n].name = xstrdup(name);
    (*arr)[(*n)++].n = k;
}

static int counted_cmp(const void *a, const void *b)
{
    const struct counted *x = a, *y = b;
    return x->n != y->n ? (x->n < y->n ? 1 : -1) : strcmp(x->name, y->name);
}

static void counted_free(struct counted *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(c[i].name);
    free(c);
}

/* The heartbeats' usage (most-viewed guides) and failed searches. */
static void heartbeats(struct office *o, struct extras *x)
{
    char *dir = xasprintf("%s/status", o->web_root);
    DIR *d = opendir(dir);
    struct dirent *de;
    int files = 0;
    while (d && files < 100000 && (de = readdir(d))) {
        size_t nl = strlen(de->d_name);
        if (de->d_name[0] == '.' || nl < 6 || strcmp(de->d_name + nl - 5, ".json") != 0)
            continue;
        files++;
        char *path = xasprintf("%s/%s", dir, de->d_name);
        struct stat st;
        json_t *j = stat(path, &st) == 0 && st.st_size < 4 * 1024 * 1024 ? json_load_file(path, 0, NULL) : NULL;
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(j, "usage"), i, v) {
            const char *kind = json_string_value(json_object_get(v, "kind")),
                       *ref = json_string_value(json_object_get(v, "ref"));
            if (kind && ref && strcmp(kind, "service") == 0)
                count_add(&x->views, &x->n_views, ref, (long)json_integer_value(json_object_get(v, "views")));
        }
        json_array_foreach(json_object_get(j, "failed_searches"), i, v) {
            /* rows are {"day", "key", "count"} (sync/README.md, the heartbeat); "key" is
             * what was searched for, counted over every day and kiosk */
            const char *q = json_string_value(json_object_get(v, "key"));
            json_t *cnt = json_object_get(v, "count");
            long n = json_is_integer(cnt) ? (long)json_integer_value(cnt) : -1;
            if (q && *q)
                count_add(&x->misses, &x->n_misses, q, n < 0 ? 1 : n);
        }
        json_decref(j);
        free(path);
    }
    if (d)
        closedir(d);
    free(dir);
    if (x->n_views)
        qsort(x->views, x->n_views, sizeof *x->views, counted_cmp);
    if (x->n_misses)
        qsort(x->misses, x->n_misses, sizeof *x->misses, counted_cmp);
}

static int extras(struct office *o, int year, struct extras *x)
{
    char jan1[11], dec31[11];
    snprintf(jan1, sizeof jan1, "%04d-01-01", year);
    snprintf(dec31, sizeof dec31, "%04d-12-31", year);
    memset(x, 0, sizeof *x);
    sqlite3_stmt *s = office_prepare(o, "SELECT detail, count(*) FROM register WHERE kind = 'rating'"
                                        " AND submitted_on BETWEEN ?1 AND ?2 GROUP BY detail");
    if (!s)
        return -EIO;
    sqlite3_bind_text(s, 1, jan1, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, dec31, -1, SQLITE_TRANSIENT);
    while (sqlite3_step(s) == SQLITE_ROW) {
        long n = sqlite3_column_int64(s, 1);
        for (int i = 0; office_rating_levels[i]; i++)
            if (strcmp(office_rating_levels[i], col(s, 0)) == 0) {
                x->levels[i] += n;
                x->ratings += n;
                if (i <= 2)
                    x->satisfied += n;
                else
                    x->bad += n;
            }
    }
    sqlite3_finalize(s);
    s = office_prepare(o, "SELECT receipt, submitted_on, detail, status = 'followed_up', coalesce(followed_up_on, '')"
                          " FROM register WHERE kind = 'rating' AND submitted_on BETWEEN ?1 AND ?2"
                          " AND detail IN ('dissatisfied', 'very-dissatisfied') ORDER BY submitted_on, receipt");
    if (!s)
        return -EIO;
    sqlite3_bind_text(s, 1, jan1, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, dec31, -1, SQLITE_TRANSIENT);
    long shown = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        bool done = sqlite3_column_int(s, 3);
        x->bad_followed += done;
        if (shown++ < 2000)
            strbuf_addf(&x->bad_rows, "<tr><td>%s</td><td>%s</td><td>%s</td><td class=\"%s\">%s%s</td></tr>\n",
                        col(s, 0), col(s, 1), col(s, 2), done ? "ok" : "late",
                        done ? "followed up " : "NOT followed up", done ? col(s, 4) : "");
    }
    sqlite3_finalize(s);
    s = office_prepare(o, "SELECT detail, count(*) FROM register WHERE kind = 'feedback'"
                          " AND submitted_on BETWEEN ?1 AND ?2 GROUP BY detail ORDER BY count(*) DESC, detail LIMIT 16");
    if (!s)
        return -EIO;
    sqlite3_bind_text(s, 1, jan1, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, dec31, -1, SQLITE_TRANSIENT);
    while (sqlite3_step(s) == SQLITE_ROW && x->n_feedback < 16) {
        x->feedback[x->n_feedback].name = xstrdup(*col(s, 0) ? col(s, 0) : "(none)");
        x->feedback[x->n_feedback++].n = sqlite3_column_int64(s, 1);
    }
    sqlite3_finalize(s);
    heartbeats(o, x);
    return 0;
}

static void extras_free(struct extras *x)
{
    strbuf_release(&x->bad_rows);
    for (int i = 0; i < x->n_feedback; i++)
        free(x->feedback[i].name);
    counted_free(x->views, x->n_views);
    counted_free(x->misses, x->n_misses);
}

static const char style[] =
    "<style>body{font-family:sans-serif;margin:2em;color:#111}table{border-collapse:collapse;margin:1em 0}"
    "td,th{border:1px solid #999;padding:3px 8px;text-align:right}td:first-child,th:first-child{text-align:left}"
    ".late{color:#fff;background:#b00020;font-weight:bold}.ok{color:#05651f}.est{color:#875a00}"
    "h2{margin-top:1.5em}</style>\n";

static void top_list(strbuf *sb, const char *title, const struct counted *c, size_t n)
{
    strbuf_addf(sb, "<h2>%s</h2>\n<table><tr><th>item</th><th>count</th></tr>\n", title);
    for (size_t i = 0; i < n && i < TOP_MAX; i++) {
        strbuf_adds(sb, "<tr><td>");
        html_esc(sb, c[i].name);
        strbuf_addf(sb, "</td><td>%ld</td></tr>\n", c[i].n);
    }
    if (!n)
        strbuf_adds(sb, "<tr><td colspan=\"2\">none reported</td></tr>\n");
    strbuf_adds(sb, "</table>\n");
}

int office_report(struct office *o, int year, const char *csv_path, const char *html_path)
{
    struct table t;
    struct extras x;
    int r;
    if ((r = request_table(o, year, &t)) < 0)
        return r;
    if (csv_path) {
        strbuf sb = {0};
        strbuf_adds(&sb, "key");
        for (int k = 0; k < N_KINDS; k++)
            strbuf_addf(&sb, ",%s", office_applicant_kinds[k]);
        strbuf_adds(&sb, ",total\n");
        for (int i = 0; i < t.n; i++) {
            strbuf_adds(&sb, t.keys[i]);
            for (int k = 0; k <= N_KINDS; k++)
                strbuf_addf(&sb, ",%ld", t.cell[i][k]);
            strbuf_addc(&sb, '\n');
        }
        r = write_atomic(o, csv_path, sb.buf, sb.len);
        strbuf_release(&sb);
        if (r < 0)
            return r;
    }
    if ((r = extras(o, year, &x)) < 0)
        return r;
    if (html_path) {
        strbuf sb = {0};
        strbuf_addf(&sb, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Annual report %d"
                         "</title>\n%s</head><body>\n<h1>Requests received and handled, %d</h1>\n<table id=\"requests\">"
                         "<tr><th>key</th>",
                    year, style, year);
        for (int k = 0; k < N_KINDS; k++)
            strbuf_addf(&sb, "<th>%s</th>", office_applicant_kinds[k]);
        strbuf_adds(&sb, "<th>total</th></tr>\n");
        for (int i = 0; i < t.n; i++) {
            strbuf_addf(&sb, "<tr><td>%s</td>", t.keys[i]);
            for (int k = 0; k <= N_KINDS; k++)
                strbuf_addf(&sb, "<td>%ld</td>", t.cell[i][k]);
            strbuf_adds(&sb, "</tr>\n");
        }
        strbuf_addf(&sb, "</table>\n<h2>Satisfaction</h2>\n<table id=\"satisfaction\"><tr><th>level</th><th>ratings</th></tr>\n");
        for (int i = 0; office_rating_levels[i]; i++)
            strbuf_addf(&sb, "<tr><td>%s</td><td>%ld</td></tr>\n", office_rating_levels[i], x.levels[i]);
        strbuf_addf(&sb, "<tr><td>share satisfied (very satisfied, satisfied, basically satisfied)</td><td>%.1f%%</td></tr>\n"
                         "<tr><td>bad reviews</td><td>%ld</td></tr><tr><td>bad reviews followed up</td><td>%ld</td></tr>"
                         "</table>\n<h2>Bad reviews</h2>\n<table id=\"bad\"><tr><th>receipt</th><th>date</th><th>level</th>"
                         "<th>follow-up</th></tr>\n%s</table>\n<h2>Feedback by kind</h2>\n<table id=\"feedback\"><tr><th>kind</th>"
                         "<th>count</th></tr>\n",
                    x.ratings ? 100.0 * (double)x.satisfied / (double)x.ratings : 0.0, x.bad, x.bad_followed,
                    x.bad_rows.buf ? x.bad_rows.buf : "");
        for (int i = 0; i < x.n_feedback; i++)
            strbuf_addf(&sb, "<tr><td>%s</td><td>%ld</td></tr>\n", x.feedback[i].name, x.feedback[i].n);
        strbuf_adds(&sb, "</table>\n");
        top_list(&sb, "Most-viewed guides (kiosks' current heartbeats)", x.views, x.n_views);
        top_list(&sb, "Most frequent failed searches (kiosks' current heartbeats)", x.misses, x.n_misses);
        strbuf_adds(&sb, "</body></html>\n");
        r = write_atomic(o, html_path, sb.buf, sb.len);
        strbuf_release(&sb);
    }
    if (r == 0)
        printf("report %d: %ld new, %ld carried over, %ld answered, %ld carried forward; %ld ratings (%.1f%% satisfied),"
               " %ld bad, %ld followed up\n",
               year, t.cell[0][N_KINDS], t.cell[1][N_KINDS], t.cell[t.n - 2][N_KINDS], t.cell[t.n - 1][N_KINDS],
               x.ratings, x.ratings ? 100.0 * (double)x.satisfied / (double)x.ratings : 0.0, x.bad, x.bad_followed);
    extras_free(&x);
    return r;
}

/* ---- the site --------------------------------------------------------------------- */

/* A bar chart as inline SVG: N bars with LABELS and VALUES (0..MAX). */
static void svg_bars(strbuf *sb, const char *id, const char *title, char labels[][16], const double *values, int n,
                     double max, const char *unit)
{
    const int w = 900, h = 240, left = 50, bottom = 40, top = 20;
    double bw = n ? (double)(w - left - 10) / n : 0;
    if (max <= 0)
        max = 1;
    strbuf_addf(sb, "<h2>%s</h2>\n<svg id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                    " viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">\n"
                    "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fafafa\"/>\n"
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n"
                    "<text x=\"4\" y=\"%d\" font-size=\"11\">%.0f%s</text>\n",
                title, id, w, h, w, h, title, w, h, left, h - bottom, w - 5, h - bottom, top + 10, max, unit);
    for (int i = 0; i < n; i++) {
        double bh = values[i] / max * (h - bottom - top);
        double x = left + i * bw + 1;
        strbuf_addf(sb, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#1f5fa8\"><title>%s: %.1f%s"
                        "</title></rect>\n",
                    x, h - bottom - bh, bw > 3 ? bw - 2 : bw, bh, labels[i], values[i], unit);
        if (n <= 13 || i % 4 == 0)
            strbuf_addf(sb, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\">%s</text>\n", x, h - bottom + 14, labels[i]);
    }
    strbuf_adds(sb, "</svg>\n");
}

static void cell_i64(strbuf *sb, int64_t v)
{
    if (v < 0)
        strbuf_adds(sb, "<td>-</td>");
    else
        strbuf_addf(sb, "<td>%lld</td>", (long long)v);
}

static void cell_text(strbuf *sb, const char *s)
{
    strbuf_adds(sb, "<td>");
    html_esc(sb, s && *s ? s : "-");
    strbuf_adds(sb, "</td>");
}

/* The fleet's rows (office_fleet.h), the columns that matter at a glance; error texts
 * stay in `fleet`, only their count shows here. */
static void site_fleet(struct office *o, strbuf *sb)
{
    char manifest[PATH_MAX], err[300];
    struct office_fleet *f = NULL;
    snprintf(manifest, sizeof manifest, "%s/bundles/%s/manifest", o->web_root, o->scopes[0]);
    strbuf_adds(sb, "<h2>Fleet health</h2>\n");
    if (office_fleet_load_msg(o->web_root, access(manifest, F_OK) == 0 ? manifest : NULL, o->now, &f, err,
                              sizeof err) < 0) {
        strbuf_adds(sb, "<p id=\"fleet\">The heartbeats could not be read: ");
        html_esc(sb, err);
        strbuf_adds(sb, "</p>\n");
        return;
    }
    strbuf_adds(sb, "<table id=\"fleet\"><tr><th>kiosk</th><th>scope</th><th>last seen</th><th>firmware</th>"
                    "<th>content</th><th>published</th><th>outbox pending</th><th>disk free</th><th>last sync</th>"
                    "<th>errors</th><th>needs attention</th></tr>\n");
    size_t n = office_fleet_count(f);
    for (size_t i = 0; i < n && i < 10000; i++) {
        const struct office_fleet_row *r = office_fleet_row(f, i);
        char seen[32] = "-";
        if (r->last_seen >= 0)
            bundle_time_format(r->last_seen, seen);
        strbuf_addf(sb, "<tr%s>", r->flags ? " class=\"attention\"" : "");
        cell_text(sb, r->kiosk_id);
        cell_text(sb, r->scope);
        cell_text(sb, seen);
        cell_text(sb, r->firmware);
        cell_i64(sb, r->content_version);
        cell_i64(sb, r->published_version);
        cell_i64(sb, r->outbox_pending);
        cell_i64(sb, r->disk_free_bytes);
        cell_text(sb, r->last_sync_result);
        cell_i64(sb, (int64_t)r->error_count);
        strbuf_addf(sb, "<td%s>", r->flags ? " class=\"late\"" : "");
        int k = 0;
        for (unsigned bit = 1; bit < (1u << OFFICE_FLEET_FLAG_COUNT); bit <<= 1)
            if ((r->flags & bit) && office_fleet_flag_name(bit))
                strbuf_addf(sb, "%s%s", k++ ? ", " : "", office_fleet_flag_name(bit));
        strbuf_adds(sb, k ? "</td></tr>\n" : "no</td></tr>\n");
    }
    size_t att = office_fleet_attention(f);
    strbuf_addf(sb, "</table>\n<p>%zu kiosk%s, %zu need%s attention.</p>\n", n, n == 1 ? "" : "s", att,
                att == 1 ? "s" : "");
    office_fleet_free(f);
}

int office_site(struct office *o, const char *out_dir)
{
    strbuf sb = {0};
    char today[11], path[PATH_MAX + 16];
    int r = 0;
    workday_date_format(o->today, today);
    if (mkdir(out_dir, 0755) < 0 && errno != EEXIST) {
        snprintf(o->err, sizeof o->err, "%s: %s", out_dir, strerror(errno));
        return -errno;
    }
    strbuf_addf(&sb, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Central office dashboard"
                     "</title>\n%s</head><body>\n<h1>Central office dashboard</h1>\n<p>As of %s.</p>\n",
                style, today);
    site_fleet(o, &sb);

    /* requests per week: the 26 weeks up to today */
    char labels[26][16];
    double values[26], max = 0;
    workday_date start;
    workday_date_add_days(o->today, -(26 * 7 - 1), &start);
    sqlite3_stmt *s = office_prepare(o, "SELECT submitted_on, count(*) FROM register WHERE kind = 'request'"
                                        " AND submitted_on >= ? GROUP BY submitted_on");
    memset(values, 0, sizeof values);
    for (int i = 0; i < 26; i++) {
        workday_date d;
        char buf[11];
        workday_date_add_days(start, i * 7, &d);
        workday_date_format(d, buf);
        snprintf(labels[i], sizeof labels[i], "%s", buf + 5);
    }
    if (s) {
        char from[11];
        workday_date_format(start, from);
        sqlite3_bind_text(s, 1, from, -1, SQLITE_TRANSIENT);
        while (sqlite3_step(s) == SQLITE_ROW) {
            workday_date d;
            if (workday_date_parse(col(s, 0), &d) < 0)
                continue;
            /* days since start, by walking months would be slow: count with add_days */
            for (int w = 0; w < 26; w++) {
                workday_date a, b;
                workday_date_add_days(start, w * 7, &a);
                workday_date_add_days(start, w * 7 + 7, &b);
                if (workday_date_cmp(d, a) >= 0 && workday_date_cmp(d, b) < 0) {
                    values[w] += (double)sqlite3_column_int64(s, 1);
                    break;
                }
            }
        }
        sqlite3_finalize(s);
    }
    for (int i = 0; i < 26; i++)
        max = values[i] > max ? values[i] : max;
    svg_bars(&sb, "chart-requests", "Requests per week", labels, values, 26, max, "");

    /* satisfaction per month: the 12 months up to this one */
    char mlabels[12][16];
    double mvalues[12];
    for (int i = 0; i < 12; i++) {
        int y = o->today.y, m = o->today.m - 11 + i;
        while (m < 1)
            m += 12, y--;
        snprintf(mlabels[i], sizeof mlabels[i], "%04d-%02d", y, m);
        mvalues[i] = 0;
        s = office_prepare(o, "SELECT count(*), sum(detail IN ('very-satisfied', 'satisfied', 'basically-satisfied'))"
                              " FROM register WHERE kind = 'rating' AND substr(submitted_on, 1, 7) = ?");
        if (!s)
            break;
        sqlite3_bind_text(s, 1, mlabels[i], -1, SQLITE_TRANSIENT);
        if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int64(s, 0) > 0)
            mvalues[i] = 100.0 * (double)sqlite3_column_int64(s, 1) / (double)sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
    }
    svg_bars(&sb, "chart-satisfaction", "Satisfaction per month (share satisfied)", mlabels, mvalues, 12, 100, "%");

    /* top failed searches */
    struct extras x;
    memset(&x, 0, sizeof x);
    heartbeats(o, &x);
    char flabels[TOP_MAX][16];
    double fvalues[TOP_MAX], fmax = 0;
    int nf = 0;
    for (size_t i = 0; i < x.n_misses && nf < TOP_MAX; i++, nf++) {
        snprintf(flabels[nf], sizeof flabels[nf], "%.15s", x.misses[i].name);
        fvalues[nf] = (double)x.misses[i].n;
        fmax = fvalues[nf] > fmax ? fvalues[nf] : fmax;
    }
    if (nf)
        svg_bars(&sb, "chart-searches", "Top failed searches", flabels, fvalues, nf, fmax, "");
    else
        strbuf_adds(&sb, "<h2>Top failed searches</h2>\n<p>None reported by the kiosks.</p>\n");
    extras_free(&x);

    /* the register: open items first (most urgent due first), then the latest others */
    strbuf_adds(&sb, "<h2>Register</h2>\n<table id=\"register\"><tr><th>receipt</th><th>kind</th><th>submitted</th>"
                     "<th>received</th><th>due</th><th>status</th><th>outcome</th><th>overdue</th></tr>\n");
    s = office_prepare(o, "SELECT receipt, kind, submitted_on, coalesce(received_on, ''), due, due_estimated, status,"
                          " outcome FROM register ORDER BY status IN ('replied', 'followed_up'),"
                          " CASE WHEN due = '' THEN '9999' ELSE due END, submitted_on DESC, receipt LIMIT ?");
    long rows = 0, overdue = 0;
    if (s) {
        sqlite3_bind_int(s, 1, OFFICE_SITE_ROWS_MAX);
        while (sqlite3_step(s) == SQLITE_ROW) {
            bool od = office_overdue(o, col(s, 4), col(s, 6));
            overdue += od;
            rows++;
            strbuf_addf(&sb, "<tr%s><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td%s>%s%s</td><td>%s</td><td>%s</td>"
                             "<td%s>%s</td></tr>\n",
                        od ? " class=\"overdue\"" : "", col(s, 0), col(s, 1), col(s, 2), *col(s, 3) ? col(s, 3) : "-",
                        sqlite3_column_int(s, 5) ? " class=\"est\"" : "", *col(s, 4) ? col(s, 4) : "-",
                        sqlite3_column_int(s, 5) ? " (estimate)" : "", col(s, 6), *col(s, 7) ? col(s, 7) : "-",
                        od ? " class=\"late\"" : "", od ? "OVERDUE" : "no");
        }
        sqlite3_finalize(s);
    } else
        r = -EIO;
    strbuf_addf(&sb, "</table>\n<p>%ld row%s shown (open items first, at most %d), %ld overdue.</p>\n</body></html>\n",
                rows, rows == 1 ? "" : "s", OFFICE_SITE_ROWS_MAX, overdue);
    snprintf(path, sizeof path, "%s/index.html", out_dir);
    if (r == 0)
        r = write_atomic(o, path, sb.buf, sb.len);
    strbuf_release(&sb);
    return r;
}
