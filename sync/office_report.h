/* office_report.h - kiosk-office report and site: the annual report's request table
 * (docs/rules.md §9, the national 2021 format; rows and columns in sync/README.md) with the
 * year's satisfaction, feedback by kind and the heartbeats' most-viewed guides and
 * failed searches; and a static HTML dashboard without JavaScript and without personal
 * data (fleet, register, inline SVG charts).
 *
 * Neither reads a submission's body: only the register's columns (kind, applicant
 * kind, dates, status, outcome, a rating's level, a feedback's kind), so nothing
 * personal can reach a report or the site. Load: one pass of grouped queries over an
 * index of the register (a million rows in about a second). */
#ifndef KIOSK_OFFICE_REPORT_H
#define KIOSK_OFFICE_REPORT_H

#include "office.h"

#define OFFICE_SITE_ROWS_MAX 5000 /* register rows on the dashboard: every open one first */

/* Writes the report of YEAR to CSV_PATH and/or HTML_PATH (either may be NULL), each
 * atomically. 0 or -errno with o->err. */
int office_report(struct office *o, int year, const char *csv_path, const char *html_path);

/* Writes OUT/index.html (OUT created if missing). 0 or -errno with o->err. */
int office_site(struct office *o, const char *out_dir);

#endif
