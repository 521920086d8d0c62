/* print.c - a slip from a screen to the printer as a background job; see print.h. */
#include "print.h"
#include "app_internal.h"
#include "base/fileio.h"
#include "base/job.h"
#include "base/util.h"
#include "core/escpos.h"
#include "core/state.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

bool print_available(app *a)
{
    const char *p = app_config(a)->printer;
    return p && *p;
}

int print_start(app *a, const char *what, const struct slip_item *items, size_t n)
{
    const struct kiosk_config *cfg = app_config(a);
    const struct job_info *j = app_job(a, "print");
    if (j && j->state == JOB_RUNNING)
        return -EBUSY;
    struct slip_picture pic;
    char err[256];
    int dots = cfg->paper_mm == 58 ? ESCPOS_DOTS_58 : ESCPOS_DOTS_80;
    int r = slip_render(app_ui_options(a), dots, what, items, n, &pic, err, sizeof err);
    if (r != 0) {
        fprintf(stderr, "kiosk: print: %s\n", err);
        return r;
    }
    struct escpos_buf b = {0};
    escpos_init(&b);
    r = escpos_raster(&b, pic.bits, pic.width, pic.height, pic.stride);
    escpos_feed_cut(&b, 4);
    /* the job and the slip's tree (what it says: tests, staff) in the work folder */
    mkdir(cfg->work_dir, 0755);
    char *job = xasprintf("%s/print-slip.escpos", cfg->work_dir);
    char *tree = xasprintf("%s/print-slip.json", cfg->work_dir);
    if (r == 0)
        r = fio_write_atomic(job, b.data, b.len, 0600, 0);
    if (r == 0)
        r = fio_write_atomic(tree, pic.tree_json, strlen(pic.tree_json), 0600, 0);
    escpos_buf_free(&b);
    slip_picture_free(&pic);
    if (r == 0) {
        char *prog = xasprintf("%s/kiosk-print", app_exe_dir(a));
        char baud[16];
        snprintf(baud, sizeof baud, "%d", cfg->printer_baud);
        char *argv[] = {prog, "--baud", baud, cfg->printer, job, NULL};
        r = app_job_start(a, "print", argv);
        free(prog);
    } else {
        fprintf(stderr, "kiosk: print: %s: %s\n", job, strerror(-r));
    }
    if (r == 0)
        snprintf(a->print_what, sizeof a->print_what, "%s", what);
    free(job);
    free(tree);
    return r;
}

int print_button(app *a, const char *id, int x, int y, int w)
{
    return print_button_label(a, id, "print.button", x, y, w);
}

int print_button_label(app *a, const char *id, const char *label_key, int x, int y, int w)
{
    if (!print_available(a))
        return 0;
    ui *u = app_ui(a);
    const char *label = app_tr(a, label_key);
    int h = MAX(ui_mm(u, 18), ui_button_height(u, UI_BTN_SECONDARY, label, NULL, w));
    ui_button(u, id, (ui_rect){x, y, w, h}, UI_BTN_SECONDARY, label, NULL);
    return h;
}

/* kiosk-print's line "OUTCOME STATE" (kiosk_print.c) in the visitor's words */
static const char *state_key(const struct job_info *j)
{
    if (j->state == JOB_RUNNING)
        return "print.printing";
    const char *l = j->last_line;
    if (j->exit_code == 0 && strncmp(l, "printed ", 8) == 0)
        return "print.done";
    if (strstr(l, "paper-end"))
        return "print.paper_end";
    if (strstr(l, "cover-open"))
        return "print.cover_open";
    return "print.offline";
}

int print_state_draw(app *a, bool started, int x, int y, int w)
{
    return print_state_draw_hint(a, started, "print.use_qr", x, y, w);
}

int print_state_draw_hint(app *a, bool started, const char *hint_key, int x, int y, int w)
{
    const struct job_info *j = app_job(a, "print");
    if (!started || !j || j->state == JOB_NONE)
        return 0;
    ui *u = app_ui(a);
    const char *key = state_key(j);
    char buf[512];
    if (strcmp(key, "print.done") == 0 || strcmp(key, "print.printing") == 0)
        snprintf(buf, sizeof buf, "%s", app_tr(a, key));
    else
        snprintf(buf, sizeof buf, "%s%s", app_tr(a, key), app_tr(a, hint_key));
    return ui_label(u, "print.state", UI_ROLE_TEXT, UI_FONT_BODY, true, ui_pal(u)->text, buf, x, y, w);
}

/* kiosk-print without a job: only the status, as background job NAME */
static int status_job(app *a, const char *name)
{
    const struct kiosk_config *cfg = app_config(a);
    if (!print_available(a))
        return -ENODEV;
    char *prog = xasprintf("%s/kiosk-print", app_exe_dir(a));
    char baud[16];
    snprintf(baud, sizeof baud, "%d", cfg->printer_baud);
    char *argv[] = {prog, "--baud", baud, cfg->printer, NULL};
    int r = app_job_start(a, name, argv);
    free(prog);
    return r;
}

int print_status_start(app *a)
{
    return status_job(a, "printer-status");
}

int print_check_start(app *a)
{
    static const char *const busy[] = {"print", "printer-status", "printer-check"};
    for (size_t i = 0; i < ARRAY_SIZE(busy); i++) {
        const struct job_info *j = app_job(a, busy[i]);
        if (j && j->state == JOB_RUNNING)
            return -EBUSY; /* one talk with the printer at a time */
    }
    return status_job(a, "printer-check");
}

static const char *const printer_states[] = {"ready", "paper-near-end", "paper-end", "cover-open",
                                             "offline", "error", "no-answer"};

/* the state word of kiosk-print's line "OUTCOME STATE", NULL when it is none */
static const char *state_word(const struct job_info *info)
{
    const char *st = strchr(info->last_line, ' ');
    for (size_t i = 0; st && i < ARRAY_SIZE(printer_states); i++)
        if (strcmp(st + 1, printer_states[i]) == 0)
            return printer_states[i];
    return NULL;
}

bool print_job_ended(app *a, const char *name, const struct job_info *info)
{
    bool print = strcmp(name, "print") == 0, check = strcmp(name, "printer-check") == 0;
    if (!print && !check && strcmp(name, "printer-status") != 0)
        return true;
    state *st = app_state(a);
    /* for the heartbeat's usage table: what was printed, nothing about who */
    if (print && info->exit_code == 0 && a->print_what[0])
        state_count(st, "print", a->print_what, STATE_VIEWS);
    const char *word = state_word(info);
    if (!word)
        return true;
    /* and for staff: what state the printer was found in when a print did not go
     * smoothly (paper near end, paper end, ...) */
    if (print && strcmp(word, "ready") != 0)
        state_count(st, "printer", word, STATE_VIEWS);
    char at[32];
    time_t now = app_wall(a);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    int changed = state_printer_seen(st, word, at);
    /* the scheduled check counts a change only, and is logged only then: every ten
     * minutes a line would bury the staff log */
    if (check && changed == 1) {
        if (strcmp(word, "ready") != 0)
            state_count(st, "printer", word, STATE_VIEWS);
        char line[96];
        snprintf(line, sizeof line, "printer: %s (scheduled check)", word);
        state_staff_log(st, line);
    }
    return !check;
}

void print_staff_words(app *a, char *buf, size_t n)
{
    const struct job_info *s = app_job(a, "printer-status");
    char word[32], since[32];
    if (s && s->state == JOB_RUNNING) {
        snprintf(buf, n, "%s", app_tr(a, "print.staff.checking"));
        return;
    }
    if (state_printer_get(app_state(a), word, sizeof word, since, sizeof since) < 0 || !word[0]) {
        snprintf(buf, n, "%s", app_tr(a, "print.staff.unknown"));
        return;
    }
    const char *words = app_tr(a, "print.staff.no-answer");
    for (size_t i = 0; i < ARRAY_SIZE(printer_states); i++)
        if (strcmp(word, printer_states[i]) == 0) {
            char key[48];
            snprintf(key, sizeof key, "print.staff.%s", printer_states[i]);
            words = app_tr(a, key);
        }
    /* since when, in the kiosk's local time: the hour today, the date too before */
    struct tm tm = {0}, today;
    char *end = strptime(since, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (strcmp(word, "ready") == 0 || !end || *end) {
        snprintf(buf, n, "%s", words);
        return;
    }
    time_t t = timegm(&tm), now = app_wall(a);
    localtime_r(&t, &tm);
    localtime_r(&now, &today);
    char when[32];
    strftime(when, sizeof when, tm.tm_yday == today.tm_yday && tm.tm_year == today.tm_year ? "%H:%M" : "%m-%d %H:%M",
             &tm);
    snprintf(buf, n, app_tr(a, "print.staff.since"), words, when);
}

int print_test_slip(app *a)
{
    char when[64], url[512];
    time_t now = app_wall(a);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
    app_status_url(a, "", url, sizeof url);
    const struct slip_item items[] = {
        {SLIP_HEADING, "slip.title", app_tr(a, "print.staff.test_title")},
        {SLIP_HUGE, "slip.kiosk", app_config(a)->kiosk_id},
        {SLIP_TEXT, "slip.time", when},
        {SLIP_TICK, "slip.tick", app_tr(a, "print.staff.test_tick")},
        {SLIP_RULE, "slip.rule", NULL},
        {SLIP_QR, "slip.qr", url},
        {SLIP_SMALL, "slip.url", url},
    };
    return print_start(a, "test", items, ARRAY_SIZE(items));
}
