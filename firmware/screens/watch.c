/* watch.c - the watchers: things the kiosk checks as time passes, each a timer of
 * the loop (loop.c) rather than code in it.
 * - idle: nobody touched an inner screen for idle_seconds -> "are you still there?"
 *   (idle.c), whose countdown goes home; dialogs that only say something go away;
 * - content: a newly installed content.db is opened only on the home screen with
 *   nothing over it, so nobody is ever in the middle of a guide or a form when the
 *   content changes;
 * - usb: kiosk-usb (outside the kiosk) is reading a stick: say so on any screen, then
 *   say what happened (usb.c);
 * - jobs: reap the background jobs that ended (base/job.h) and log how;
 * - idcard: talk to the ID card reader (core/idreader.h), and hand a card read to the
 *   screen that asked for it (app_idcard_want);
 * - speech: while read-aloud's engine starts (in its worker, after the switch is
 *   first turned on), see whether it did, so the switch can say when it did not;
 * - printer: ask the receipt printer's status every few minutes while nobody is at the
 *   kiosk, so a roll running out is seen before a visitor needs it (docs/printer.md). */
#include "app_internal.h"
#include "print.h"
#include "speak.h"
#include "core/idreader.h"
#include "core/marker.h"
#include "core/search.h"
#include "core/workday.h"
#include "base/fileio.h"
#include "base/util.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONTENT_CHECK_MS 30000
#define USB_CHECK_MS 2000

/* ---- idle ------------------------------------------------------------------------------- */

static int idle_watch(app *a, uint64_t now)
{
    uint64_t idle_ms = (uint64_t)a->cfg->idle_seconds * 1000;
    if (now - a->last_input < idle_ms)
        return (int)(a->last_input + idle_ms - now);
    /* a stick being read keeps its "do not remove" on screen; the warning counts
     * down by itself */
    if (a->usb_busy_seen || nav_top(a)->ops == &screen_idle_warning)
        return (int)idle_ms;
    while (a->depth > 1 && nav_top(a)->ops->overlay && nav_top(a)->ops->idle_dismiss)
        app_pop(a);
    /* the home screen is the attract screen: nothing to time out, but a visitor who
     * went home by themselves and left leaves caches for nobody */
    if (a->depth > 1) {
        app_push(a, &screen_idle_warning, NULL);
        ui_damage_all(a->ui);
    } else if (a->released_for != a->last_input) {
        app_release(a);
    }
    return (int)idle_ms;
}

/* ---- content reload --------------------------------------------------------------------- */

void app_load_content_parts(app *a)
{
    a->urgent_date[0] = '\0'; /* the urgent banner reads the new content */
    hall_free(&a->hall);
    if (store_hall(a->content, &a->hall) < 0)
        memset(&a->hall, 0, sizeof a->hall);
    workday_cal_free(a->cal);
    a->cal = NULL;
    if (a->hall.region && store_calendar(a->content, a->hall.region, &a->cal) < 0)
        a->cal = NULL;
    search_close(a->search);
    a->search = NULL;
    char err[256];
    if (search_open(a->cfg->content_db, &a->search, err, sizeof err) < 0) {
        fprintf(stderr, "kiosk: search unavailable: %s\n", err);
        a->search = NULL;
    }
}

static int content_watch(app *a, uint64_t now)
{
    (void)now;
    if (a->depth != 1)
        return CONTENT_CHECK_MS;
    struct stat sb;
    if (stat(a->cfg->content_db, &sb) < 0 || (sb.st_dev == a->content_dev && sb.st_ino == a->content_ino))
        return CONTENT_CHECK_MS;
    a->content_dev = sb.st_dev;
    a->content_ino = sb.st_ino; /* a file we cannot open is not retried until it changes */
    store *fresh = NULL;
    char err[256];
    if (store_open(a->cfg->content_db, &fresh, err, sizeof err) < 0) {
        fprintf(stderr, "kiosk: new content not opened, keeping the old: %s\n", err);
        return CONTENT_CHECK_MS;
    }
    nav_clear(a); /* the home screen holds the old content's announcements */
    store_close(a->content);
    a->content = fresh;
    app_load_content_parts(a);
    app_timer_kick(a, "search_warm");
    char *v = store_meta(a->content, "content_version");
    fprintf(stderr, "kiosk: opened new content (version %s)\n", v ? v : "?");
    free(v);
    app_push(a, &screen_home, NULL);
    return CONTENT_CHECK_MS;
}

/* ---- USB -------------------------------------------------------------------------------- */

static bool usb_busy(app *a)
{
    char *path = xasprintf("%s/usb-busy", a->cfg->work_dir);
    bool busy = marker_active(path) == 1; /* a stale marker (dead pid) is no stick */
    free(path);
    return busy;
}

/* the first "KEY": "value" of a small JSON text, unescaping \\" and \\\\ (the messages
 * kiosk-sync writes are plain UTF-8) */
void app_json_str(const char *buf, const char *key, char *out, size_t n)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\"", key);
    const char *p = strstr(buf, pat);
    out[0] = '\0';
    if (!p || !(p = strchr(p + strlen(pat), '"')))
        return;
    size_t k = 0;
    for (p++; *p && *p != '"' && k + 1 < n; p++) {
        if (*p == '\\' && p[1])
            p++;
        out[k++] = *p;
    }
    out[k] = '\0';
}

bool app_usb_status(app *a, char *msg, size_t n)
{
    msg[0] = '\0';
    char *path = xasprintf("%s/usb-last.json", a->cfg->work_dir);
    char *buf;
    size_t got;
    if (fio_read_capped(path, 64 * 1024, 0, &buf, &got) == 0) {
        app_json_str(buf, a->lang == LANG_EN ? "message_en" : "message_zh", msg, n);
        free(buf);
    }
    free(path);
    return usb_busy(a);
}

static int usb_watch(app *a, uint64_t now)
{
    (void)now;
    bool busy = usb_busy(a);
    if (busy == a->usb_busy_seen)
        return USB_CHECK_MS;
    a->usb_busy_seen = busy;
    if (nav_top(a)->ops == &screen_idle_warning)
        return USB_CHECK_MS;
    if (nav_top(a)->ops == &screen_usb)
        app_pop(a); /* "working" gives way to what happened */
    app_push(a, &screen_usb, busy ? "busy" : "done");
    ui_damage_all(a->ui);
    return USB_CHECK_MS;
}

/* ---- jobs ------------------------------------------------------------------------------- */

static void job_ended(void *ctx, const char *name, const struct job_info *info)
{
    app *a = ctx;
    /* the printer's jobs: counted for the heartbeat, its state recorded (print.c) */
    bool log = print_job_ended(a, name, info);
    char line[128];
    snprintf(line, sizeof line, "%s: exit %d", name, info->exit_code);
    if (log)
        state_staff_log(a->state, line);
    fprintf(stderr, "kiosk: job %s\n", line);
    ui_damage_all(a->ui); /* screens show a job's state in words */
}

static int jobs_watch(app *a, uint64_t now)
{
    if (job_poll(a->jobs, now) > 0)
        job_take_done(a->jobs, job_ended, a);
    return job_running(a->jobs) ? JOB_POLL_MS : -1;
}

int app_job_start(app *a, const char *name, char *const argv[])
{
    int r = job_start(a->jobs, name, argv, app_now_ms(a));
    if (r == 0)
        app_timer_kick(a, "jobs");
    else if (r != -EBUSY)
        job_take_done(a->jobs, job_ended, a);
    ui_damage_all(a->ui);
    return r;
}

const struct job_info *app_job(app *a, const char *name)
{
    return job_get(a->jobs, name);
}

int app_jobs_running(app *a)
{
    return job_running(a->jobs);
}

int app_job_sync(app *a, const char *name, const char *const args[])
{
    char *prog = xasprintf("%s/kiosk-sync", app_exe_dir(a));
    const char *cfg = app_config_path(a);
    char *argv[12];
    int n = 0;
    argv[n++] = prog;
    if (cfg) {
        argv[n++] = "--config";
        argv[n++] = (char *)cfg;
    }
    for (int i = 0; args[i]; i++) {
        expect(n + 1 < (int)ARRAY_SIZE(argv));
        argv[n++] = (char *)args[i];
    }
    argv[n] = NULL;
    int r = app_job_start(a, name, argv);
    free(prog);
    return r;
}

/* ---- the printer's paper ------------------------------------------------------------------ */

/* Every printer_check_minutes, when nobody is at the kiosk (the home screen, nothing over
 * it, no touch for PRINTER_QUIET_MS) and the printer is not printing, ask its status
 * in the background (print_check_start): a roll running out is seen, counted and
 * shown to staff before a visitor needs a slip. Otherwise it asks again after
 * PRINTER_QUIET_MS, while the kiosk is in use anyway. */
#define PRINTER_QUIET_MS 60000

static int printer_watch(app *a, uint64_t now)
{
    if (a->depth != 1 || now - a->last_input < PRINTER_QUIET_MS || print_check_start(a) < 0)
        return PRINTER_QUIET_MS;
    return a->cfg->printer_check_minutes * 60000;
}

/* ---- the ID card reader ------------------------------------------------------------------ */

static int idcard_watch(app *a, uint64_t now)
{
    struct frame *top = nav_top(a);
    bool want = a->idcard_for && top->ops == a->idcard_for;
    enum idreader_state was = idreader_state_of(a->idr);
    enum idreader_event ev;
    int ms = idreader_poll(a->idr, now, want, &ev, &a->idcard);
    if (ev != IDREADER_NOTHING && want && top->ops->event) {
        a->idcard_ready = ev == IDREADER_CARD;
        top->ops->event(a, top->st, ev == IDREADER_CARD ? "idcard.read" : "idcard.failed");
        a->idcard_ready = false;
    }
    sodium_memzero(&a->idcard, sizeof a->idcard); /* taken or not, it goes now */
    if (ev != IDREADER_NOTHING || idreader_state_of(a->idr) != was)
        ui_damage_all(a->ui); /* the form's hint, the staff menu's words */
    return ms;
}

const struct idreader *app_idreader(app *a)
{
    return a->idr;
}

void app_idcard_want(app *a, const struct screen_ops *ops, bool want)
{
    const struct screen_ops *was = a->idcard_for;
    a->idcard_for = want ? ops : NULL;
    if (a->idr && a->idcard_for && !was)
        app_timer_kick(a, "idcard"); /* look for a card now, not at the next find */
}

int app_idcard_take(app *a, struct idcard_person *ret)
{
    if (!a->idcard_ready) {
        memset(ret, 0, sizeof *ret);
        return -ENOENT;
    }
    memcpy(ret, &a->idcard, sizeof *ret);
    sodium_memzero(&a->idcard, sizeof a->idcard);
    a->idcard_ready = false;
    return 0;
}

/* ---- speech ----------------------------------------------------------------------------- */

#define SPEECH_CHECK_MS 50

/* kicked by the read-aloud switch (chrome.c); stops once the engine is up or failed */
static int speech_watch(app *a, uint64_t now)
{
    (void)now;
    if (!a->sp)
        return -1;
    int st = speak_status(a->sp, NULL);
    if (st == -EINPROGRESS)
        return SPEECH_CHECK_MS;
    /* without a sound device speech is still synthesised: only an engine failure shows */
    bool failed = st < 0 && st != -ENODEV;
    if (failed != a->speech_failed) {
        a->speech_failed = failed;
        ui_damage_all(a->ui);
    }
    return -1;
}

/* ---- search warm-up ----------------------------------------------------------------------- */

#define SEARCH_WARM_AFTER_MS 2000   /* after start-up's first frames */
#define SEARCH_WARM_STEP_MS 50      /* one step (a few ms) at a time, between frames */

/* reads the search index's hot pages in idle time (search_warm), once per content.db; a
 * step read from a cold disk may take a frame or two, so not while someone is touching */
static int search_warm_watch(app *a, uint64_t now)
{
    if (!a->search)
        return -1;
    if (a->last_input && now < a->last_input + SEARCH_WARM_AFTER_MS)
        return SEARCH_WARM_AFTER_MS;
    return search_warm(a->search) > 0 ? SEARCH_WARM_STEP_MS : -1;
}

void watch_start(app *a)
{
    app_timer_add(a, "idle", idle_watch, 1);
    app_timer_add(a, "content", content_watch, 1);
    app_timer_add(a, "usb", usb_watch, 1);
    app_timer_add(a, "jobs", jobs_watch, 0);
    app_timer_add(a, "speech", speech_watch, 0);
    app_timer_add(a, "search_warm", search_warm_watch, app_now_ms(a) + SEARCH_WARM_AFTER_MS);
    if (a->idr)
        app_timer_add(a, "idcard", idcard_watch, 1);
    if (print_available(a) && a->cfg->printer_check_minutes > 0)
        app_timer_add(a, "printer", printer_watch, app_now_ms(a) + (uint64_t)a->cfg->printer_check_minutes * 60000);
}
