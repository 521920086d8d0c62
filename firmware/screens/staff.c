/* staff.c - the hall staff's menu, behind a hidden gesture (a long press on the top
 * left corner of any screen) and a PIN kept as an Argon2 hash. Five wrong PINs lock
 * it for a growing time; every attempt is logged. The menu shows what staff need to
 * know (content version, last sync, outbox counts, disk free, the last log lines) and
 * does what they need to do (sync now, import or export by USB stick, touch test,
 * restart, change PIN, post the hall's own notices: staffnote.c), saying in words what happened. It leaves by itself when left
 * alone, like every screen. */
#include "app.h"
#include "kbd.h"
#include "print.h"
#include "sections.h"
#include "core/idreader.h"
#include "base/fileio.h"
#include "base/job.h"
#include "base/util.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>


/* the demo's PIN, until staff set their own or the config names one (README) */
#define DEMO_PIN "246810"

/* ---- the PIN ------------------------------------------------------------------------------ */

struct pin {
    char typed[16];
    struct kbd_field field;
    ui_rect box;
    const char *message;
    char wait_msg[160];
    char *initial;   /* the configured hash, else the demo's: used (never stored) until
                        staff set their own PIN, which is stored at interactive cost */
};

static void *pin_enter(app *a, const char *arg)
{
    (void)arg;
    struct pin *p = xcalloc(1, sizeof *p);
    p->field = (struct kbd_field){p->typed, sizeof p->typed, 0, STAFF_PIN_MAX, KBD_NUMERIC};
    kbd_focus(app_kbd(a), &p->field);
    const char *h = app_config(a)->initial_pin_hash;
    if (h && *h) {
        p->initial = xstrdup(h);
    } else {
        char hash[crypto_pwhash_STRBYTES];
        if (sodium_init() >= 0 && crypto_pwhash_str(hash, DEMO_PIN, strlen(DEMO_PIN), crypto_pwhash_OPSLIMIT_MIN,
                                                      crypto_pwhash_MEMLIMIT_MIN) == 0)
            p->initial = xstrdup(hash);
    }
    return p;
}

static void pin_leave(app *a, void *st)
{
    (void)a;
    struct pin *p = st;
    sodium_memzero(p->typed, sizeof p->typed);
    free(p->initial);
    free(p);
}

static const char *pin_title(app *a, void *st)
{
    (void)st;
    return app_tr(a, "staff.pin_title");
}

static void pin_draw(app *a, void *st, ui_rect body)
{
    struct pin *p = st;
    ui *u = app_ui(a);
    int g = ui_gap(u), x = body.x + 3 * g, w = body.w - 6 * g;
    kbd_draw(app_kbd(a), a, body);
    struct sec s = sec_start(a, x, body.y + 2 * g, w);
    sec_text(&s, "staff.pin_howto", app_tr(a, "staff.pin_howto"));
    /* the digits never show: one dot each */
    char dots[64] = "";
    for (size_t i = 0; i < strlen(p->typed) && i < 16; i++)
        strcat(dots, "\xE2\x97\x8F");
    int fh = MAX(ui_target_min(u), ui_line_h(u, UI_FONT_BODY) + 2 * ui_mm(u, 2.5));
    p->box = (ui_rect){x, s.y, w, fh};
    const char *msg = p->wait_msg[0] ? p->wait_msg : p->message ? app_tr(a, p->message) : NULL;
    s.y += ui_input(u, "staff.pin", p->box, dots, (int)strlen(dots), NULL, true, msg) + g;
    int bh = MAX(ui_mm(u, 18), ui_button_height(u, UI_BTN_PRIMARY, app_tr(a, "staff.enter"), NULL, w));
    ui_button(u, "staff.enter", (ui_rect){x, s.y, w, bh}, UI_BTN_PRIMARY, app_tr(a, "staff.enter"), NULL);
}

static void pin_event(app *a, void *st, const char *id)
{
    struct pin *p = st;
    if (strcmp(id, "staff.pin") == 0) {
        kbd_focus(app_kbd(a), &p->field);
        return;
    }
    if (strcmp(id, "staff.enter") != 0 && strcmp(id, "field.done") != 0)
        return;
    long wait = 0;
    int r = state_staff_check(app_state(a), p->typed, p->initial, (long)app_wall(a), &wait);
    sodium_memzero(p->typed, sizeof p->typed);
    p->field.caret = 0;
    p->wait_msg[0] = '\0';
    p->message = NULL;
    if (r == 0) {
        app_pop(a);
        app_push(a, &screen_staff, NULL);
        return;
    }
    if (r == -EBUSY)
        snprintf(p->wait_msg, sizeof p->wait_msg, app_tr(a, "staff.locked"), (wait + 59) / 60);
    else
        p->message = r == -EINVAL ? "staff.pin_digits" : "staff.pin_wrong";
    kbd_focus(app_kbd(a), &p->field);
}

static void staff_pin_tour(app *a, struct tour *t)
{
    (void)a;
    app_tour_view(t, "staff-pin", "open staff-pin\n");
}

const struct screen_ops screen_staff_pin = {
    .name = "staff-pin",
    .enter = pin_enter,
    .leave = pin_leave,
    .draw = pin_draw,
    .title = pin_title,
    .event = pin_event,
    .pii = true,
    .tour = staff_pin_tour,
};

/* ---- the menu ------------------------------------------------------------------------------ */

struct menu {
    char content_version[32], built_at[40];
    int pending, uploaded, exported;
    double disk_free_mb;
    char last_sync[160];
    char usb[640];         /* what the last USB stick did, in the visitor's language */
    bool usb_busy;
    char log[6][160];
    int n_log;
    char result[512];      /* what the last action did, in words */
    const struct action *job; /* the background action this menu started last */
    bool job_running;      /* as seen at the last tick */
    bool busy_tap;         /* it was tapped again while it ran */
    bool changing_pin;
    char new_pin[16];
    struct kbd_field field;
    struct ui_scroll scroll;
};

static void add_log(void *ctx, const char *at, const char *what)
{
    struct menu *m = ctx;
    if (m->n_log < 6)
        snprintf(m->log[m->n_log++], sizeof m->log[0], "%.16s  %s", at, what);
}

/* last-run.json of kiosk-sync: just the two fields staff read */
static void read_last_sync(app *a, struct menu *m)
{
    char *path = xasprintf("%s/last-run.json", app_config(a)->work_dir);
    char *buf;
    size_t n;
    int r = fio_read_capped(path, 64 * 1024, 0, &buf, &n); /* kiosk-sync's own cap */
    free(path);
    snprintf(m->last_sync, sizeof m->last_sync, "%s", app_tr(a, "staff.never"));
    if (r < 0)
        return;
    char at[40] = "", result[32] = "";
    /* the names agent.c's last_run_save writes (sync/README.md) */
    app_json_str(buf, "finished_at", at, sizeof at);
    app_json_str(buf, "result", result, sizeof result);
    if (at[0])
        snprintf(m->last_sync, sizeof m->last_sync, "%s  %s", at, result);
    free(buf);
}

/* what kiosk-usb did with the last stick, and whether it is at work now: the
 * insertion does the work, the menu says what happened */
static void read_usb(app *a, struct menu *m)
{
    m->usb_busy = app_usb_status(a, m->usb, sizeof m->usb);
}

static void refresh(app *a, struct menu *m)
{
    char *v = store_meta(app_store(a), "content_version"), *b = store_meta(app_store(a), "built_at");
    snprintf(m->content_version, sizeof m->content_version, "%s", v ? v : "?");
    snprintf(m->built_at, sizeof m->built_at, "%s", b ? b : "?");
    free(v);
    free(b);
    state_outbox_counts(app_state(a), &m->pending, &m->uploaded, &m->exported);
    struct statvfs sv;
    m->disk_free_mb = statvfs(app_config(a)->state_db, &sv) == 0 ? (double)sv.f_bavail * sv.f_frsize / 1e6 : -1;
    read_last_sync(a, m);
    read_usb(a, m);
    m->n_log = 0;
    state_staff_log_tail(app_state(a), 6, add_log, m);
}

static void *menu_enter(app *a, const char *arg)
{
    (void)arg;
    struct menu *m = xcalloc(1, sizeof *m);
    refresh(a, m);
    print_status_start(a); /* the printer's status, asked in the background */
    return m;
}

static void menu_leave(app *a, void *st)
{
    (void)a;
    struct menu *m = st;
    sodium_memzero(m->new_pin, sizeof m->new_pin);
    free(m);
}

static const char *menu_title(app *a, void *st)
{
    (void)st;
    return app_tr(a, "staff.menu_title");
}

/* The menu's buttons. The three that run kiosk-sync are background jobs (base/job.h):
 * the menu stays live while they run, says so with the time spent, and a second tap
 * starts no second copy. */
struct action {
    const char *id, *label;
    const char *job;               /* NULL: not a job */
    const char *sync_args[3];      /* kiosk-sync's words; a NULL in place of usb_dir */
    const char *running, *ok, *failed;
};

static const struct action actions[] = {
    {"staff.sync", "staff.sync_now", "sync", {"run", NULL}, "staff.sync_running", "staff.sync_ok", "staff.sync_failed"},
    {"staff.import", "staff.usb_import", "usb-import", {"usb-import", NULL}, "staff.import_running", "staff.import_ok",
     "staff.import_failed"},
    {"staff.export", "staff.usb_export", "usb-export", {"usb-export", NULL}, "staff.export_running", "staff.export_ok",
     "staff.export_failed"},
    {"staff.touch", "staff.touch_test", NULL, {NULL}, NULL, NULL, NULL},
    {"staff.pin_change", "staff.change_pin", NULL, {NULL}, NULL, NULL, NULL},
    {"staff.restart", "staff.restart_kiosk", NULL, {NULL}, NULL, NULL, NULL},
    {"staff.notices", "staffnote.menu", NULL, {NULL}, NULL, NULL, NULL},
};

/* What the menu's last job is doing or did, in words. */
static void job_words(app *a, struct menu *m)
{
    if (!m->job)
        return;
    const struct job_info *j = app_job(a, m->job->job);
    if (j->state == JOB_RUNNING) {
        char run[256];
        snprintf(run, sizeof run, app_tr(a, m->job->running), (long)((app_now_ms(a) - j->started_ms) / 1000));
        snprintf(m->result, sizeof m->result, "%s%s%s", run, m->busy_tap ? "\n" : "",
                 m->busy_tap ? app_tr(a, "staff.job_busy") : "");
    } else if (j->state == JOB_DONE)
        snprintf(m->result, sizeof m->result, "%s", app_tr(a, j->exit_code == 0 ? m->job->ok : m->job->failed));
}


/* the devices found: the ID card reader (docs/idcard-reader.md) */
static void draw_idreader(app *a, struct sec *s)
{
    const struct idreader *r = app_idreader(a);
    char buf[1200];
    if (!r && !app_config(a)->id_reader[0]) {
        snprintf(buf, sizeof buf, "%s", app_tr(a, "idcard.staff_none"));
    } else if (!r) { /* configured, but at a rate no port has */
        snprintf(buf, sizeof buf, app_tr(a, "idcard.staff_absent"), app_config(a)->id_reader);
    } else {
        enum idreader_state st = idreader_state_of(r);
        const char *key = st == IDREADER_ANSWERS ? "idcard.staff_answers"
                          : st == IDREADER_SILENT ? "idcard.staff_silent"
                          : st == IDREADER_OPENED ? "idcard.staff_opened" : "idcard.staff_absent";
        snprintf(buf, sizeof buf, app_tr(a, key), idreader_path(r));
    }
    sec_field(s, "staff.idcard", app_tr(a, "idcard.staff"), buf);
}

static void menu_draw(app *a, void *st, ui_rect body)
{
    struct menu *m = st;
    ui *u = app_ui(a);
    int g = ui_gap(u), x = body.x + 3 * g, w = body.w - 6 * g;
    ui_rect kb = kbd_draw(app_kbd(a), a, body);
    int top = ui_scroll_begin(u, "staff.scroll", &m->scroll, (ui_rect){body.x, body.y, body.w, kb.y - body.y});
    struct sec s = sec_start(a, x, top + 2 * g, w);
    char buf[256];
    if (m->job && m->job_running != (app_job(a, m->job->job)->state == JOB_RUNNING)) {
        m->job_running = !m->job_running; /* it ended: its log line and the last sync */
        refresh(a, m);
    }
    job_words(a, m); /* in the language of the moment */
    if (m->result[0])
        sec_heading(&s, "staff.result", m->result);
    snprintf(buf, sizeof buf, "%s  (%s)", m->content_version, m->built_at);
    sec_field(&s, "staff.content", app_tr(a, "staff.content"), buf);
    sec_field(&s, "staff.last_sync", app_tr(a, "staff.last_sync"), m->last_sync);
    snprintf(buf, sizeof buf, app_tr(a, "staff.outbox_counts"), m->pending, m->uploaded, m->exported);
    sec_field(&s, "staff.outbox", app_tr(a, "staff.outbox"), buf);
    snprintf(buf, sizeof buf, "%.0f MB", m->disk_free_mb);
    sec_field(&s, "staff.disk", app_tr(a, "staff.disk"), buf);
    sec_field(&s, "staff.usb", app_tr(a, "staff.usb"),
              m->usb_busy ? app_tr(a, "staff.usb_busy") : m->usb[0] ? m->usb : app_tr(a, "staff.usb_none"));
    draw_idreader(a, &s);
    if (print_available(a)) {
        char words[256];
        print_staff_words(a, words, sizeof words);
        sec_field(&s, "staff.printer", app_tr(a, "print.staff.printer"), words);
        int ph = MAX(ui_mm(u, 20), ui_button_height(u, UI_BTN_SECONDARY, app_tr(a, "print.staff.test"), NULL, w));
        ui_button(u, "staff.print_test", (ui_rect){x, s.y, w, ph}, UI_BTN_SECONDARY, app_tr(a, "print.staff.test"), NULL);
        s.y += ph + g;
    }
    if (m->changing_pin) {
        int fh = MAX(ui_target_min(u), ui_line_h(u, UI_FONT_BODY) + 2 * ui_mm(u, 2.5));
        char dots[64] = "";
        for (size_t i = 0; i < strlen(m->new_pin) && i < 16; i++)
            strcat(dots, "\xE2\x97\x8F");
        sec_subheading(&s, "staff.new_pin.label", app_tr(a, "staff.new_pin"));
        s.y += ui_input(u, "staff.new_pin", (ui_rect){x, s.y, w, fh}, dots, (int)strlen(dots), NULL, true, NULL) + g;
    }
    int cols = 2, bw = (w - g) / cols, bh = ui_mm(u, 20);
    for (size_t i = 0; i < ARRAY_SIZE(actions); i++)
        bh = MAX(bh, ui_button_height(u, UI_BTN_SECONDARY, app_tr(a, actions[i].label), NULL, bw));
    for (size_t i = 0; i < ARRAY_SIZE(actions); i++)
        ui_button(u, actions[i].id, (ui_rect){x + (int)(i % cols) * (bw + g), s.y + (int)(i / cols) * (bh + g), bw, bh},
                  UI_BTN_SECONDARY, app_tr(a, actions[i].label), NULL);
    s.y += (int)((ARRAY_SIZE(actions) + cols - 1) / cols) * (bh + g);
    sec_heading(&s, "staff.log", app_tr(a, "staff.log"));
    for (int i = 0; i < m->n_log; i++) {
        char id[32];
        snprintf(id, sizeof id, "staff.log.%d", i);
        sec_muted(&s, id, m->log[i]);
    }
    ui_scroll_end(u, &m->scroll, s.y + 2 * g - top);
}

static void menu_event(app *a, void *st, const char *id)
{
    struct menu *m = st;
    const struct action *act = NULL;
    for (size_t i = 0; i < ARRAY_SIZE(actions); i++)
        if (actions[i].job && strcmp(id, actions[i].id) == 0)
            act = &actions[i];
    if (act) {
        const char *args[4] = {act->sync_args[0], NULL, NULL, NULL};
        if (strcmp(act->job, "sync") != 0)
            args[1] = app_config(a)->usb_dir;
        char line[128];
        snprintf(line, sizeof line, "%s: started from the staff menu", act->job);
        int r = app_job_sync(a, act->job, args);
        if (r == -EBUSY && m->job == act) {
            m->busy_tap = true;
        } else if (r == -EBUSY) {
            snprintf(m->result, sizeof m->result, "%s", app_tr(a, "staff.job_busy"));
        } else {
            m->busy_tap = false;
            state_staff_log(app_state(a), line);
            m->job = act;
            m->job_running = true;
            job_words(a, m);
        }
    } else if (strcmp(id, "staff.print_test") == 0) {
        if (print_test_slip(a) == 0)
            state_staff_log(app_state(a), "print: test slip from the staff menu");
    } else if (strcmp(id, "staff.notices") == 0) {
        app_push(a, &screen_staff_notices, NULL);
        return;
    } else if (strcmp(id, "staff.touch") == 0) {
        app_push(a, &screen_touch, NULL);
        return;
    } else if (strcmp(id, "staff.restart") == 0) {
        state_staff_log(app_state(a), "restart asked from the staff menu");
        app_quit(a); /* systemd's Restart=always starts it again */
        return;
    } else if (strcmp(id, "staff.pin_change") == 0 || strcmp(id, "staff.new_pin") == 0) {
        m->changing_pin = true;
        m->field = (struct kbd_field){m->new_pin, sizeof m->new_pin, (int)strlen(m->new_pin), STAFF_PIN_MAX, KBD_NUMERIC};
        kbd_focus(app_kbd(a), &m->field);
        return;
    } else if (strcmp(id, "field.done") == 0 && m->changing_pin) {
        int r = state_staff_set_pin(app_state(a), m->new_pin);
        m->job = NULL; /* the result line now speaks of the PIN */
        sodium_memzero(m->new_pin, sizeof m->new_pin);
        m->changing_pin = false;
        snprintf(m->result, sizeof m->result, "%s", app_tr(a, r == 0 ? "staff.pin_changed" : "staff.pin_digits"));
    } else {
        return;
    }
    refresh(a, m);
}

/* a stick being read shows its progress, and the result when it is done; a job the
 * menu started shows the seconds it has run, then how it ended */
static int menu_tick(app *a, void *st, uint64_t now)
{
    (void)now;
    struct menu *m = st;
    bool was = m->usb_busy;
    char before[sizeof m->usb];
    memcpy(before, m->usb, sizeof before);
    read_usb(a, m);
    bool running = m->job && app_job(a, m->job->job)->state == JOB_RUNNING;
    if (was != m->usb_busy || strcmp(before, m->usb) != 0 || running || running != m->job_running) {
        m->job_running = running;
        refresh(a, m);
        job_words(a, m);
        ui_damage_all(app_ui(a));
    }
    return running ? 500 : 2000;
}


static void staff_tour(app *a, struct tour *t)
{
    (void)a;
    app_tour_view(t, "staff", "open staff\n");
}

const struct screen_ops screen_staff = {
    .name = "staff",
    .enter = menu_enter,
    .leave = menu_leave,
    .draw = menu_draw,
    .title = menu_title,
    .event = menu_event,
    .tick = menu_tick,
    .tour = staff_tour,
};

/* ---- the touch test: a dot wherever the panel is touched -------------------------------- */

#define TOUCH_DOTS 256

struct touch {
    int x[TOUCH_DOTS], y[TOUCH_DOTS], n;
};

static void *touch_enter(app *a, const char *arg)
{
    (void)a;
    (void)arg;
    return xcalloc(1, sizeof(struct touch));
}

static void touch_leave(app *a, void *st)
{
    (void)a;
    free(st);
}

static const char *touch_title(app *a, void *st)
{
    (void)st;
    return app_tr(a, "staff.touch_test");
}

static void touch_draw(app *a, void *st, ui_rect body)
{
    struct touch *t = st;
    ui *u = app_ui(a);
    /* the whole body is one target, so every touch comes back with its position */
    ui_node_add(u, "touch.area", UI_ROLE_IMAGE, app_tr(a, "staff.touch_howto"), body, true);
    ui_label(u, "touch.howto", UI_ROLE_TEXT, UI_FONT_BODY, false, ui_pal(u)->muted, app_tr(a, "staff.touch_howto"),
             body.x + ui_gap(u), body.y + ui_gap(u), body.w - 2 * ui_gap(u));
    int r = ui_mm(u, 3);
    for (int i = 0; i < t->n; i++)
        ui_fill_round(u, (ui_rect){t->x[i] - r, t->y[i] - r, 2 * r, 2 * r}, r, ui_pal(u)->accent);
}

static void touch_event(app *a, void *st, const char *id)
{
    struct touch *t = st;
    if (strcmp(id, "touch.area") == 0 && t->n < TOUCH_DOTS) {
        ui_last_tap_pos(app_ui(a), &t->x[t->n], &t->y[t->n]);
        t->n++;
    }
}

static void touch_tour(app *a, struct tour *t)
{
    (void)a;
    app_tour_view(t, "touch-test", "open touch-test\n");
}

const struct screen_ops screen_touch = {
    .name = "touch-test",
    .enter = touch_enter,
    .leave = touch_leave,
    .draw = touch_draw,
    .title = touch_title,
    .event = touch_event,
    .tour = touch_tour,
};
