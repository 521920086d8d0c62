/* app_internal.h - what the files of the app share and screens must not see: the
 * struct behind `app`, and the calls between navigation (nav.c), the chrome
 * (chrome.c), the frame loop (loop.c), the watchers (watch.c) and the life cycle
 * (app.c). Screens include app.h only. */
#ifndef KIOSK_APP_INTERNAL_H
#define KIOSK_APP_INTERNAL_H

#include "app.h"
#include "core/idcard.h"
#include "core/seal.h"
#include "base/job.h"

#include <sys/types.h>

#define NAV_MAX 16
#define APP_TIMERS_MAX 8

struct frame {
    const struct screen_ops *ops;
    void *st;
    uint64_t next_tick; /* 0 = none */
};

/* A watcher: FN runs when DUE has come and returns the ms until it wants to run again
 * (-1: not until app_timer_kick). */
struct app_timer {
    const char *name;
    int (*fn)(app *a, uint64_t now);
    uint64_t due; /* 0 = stopped */
};

struct app {
    struct kiosk_config *cfg;
    store *content;
    state *state;
    ui *ui;
    bool headless, fullscreen, quit;
    kiosk_lang lang;
    struct hall hall;
    struct kbd *kbd;
    struct speak *sp;      /* read-aloud; NULL until first used, after the idle reset, or when it cannot start */
    struct search *search; /* over the current content.db, reopened with it */
    const char *exe_dir, *config_path;
    uint64_t corner_since; /* the staff gesture: when the corner press began, 0 none */
    bool reading;          /* the read-aloud switch */
    bool read_screen;      /* read the screen once its next frame is drawn */
    bool speech_failed;    /* the speech engine could not start: the switch says so */
    struct seal_public seal;
    bool has_seal;
    struct workday_cal *cal;
    uint64_t kbd_wake; /* a held backspace repeats then */
    job_runner *jobs;
    const struct ui_options *ui_opt; /* the fonts, for slips drawn offscreen (print.c) */
    char print_what[16];   /* the slip the running print job prints, counted when it ends */

    /* watch.c: content.db is replaced whole by an install (a rename); a new inode is
     * noticed at a quiet moment (the home screen, nothing over it) and reopened */
    dev_t content_dev;
    ino_t content_ino;
    bool usb_busy_seen; /* a stick was being read at the last check */

    /* watch.c: the ID card reader ([devices] id_reader), NULL when none; the screen
     * that wants cards now; a card between its read and the screen's app_idcard_take
     * (wiped right after the event either way) */
    struct idreader *idr;
    const struct screen_ops *idcard_for;
    struct idcard_person idcard;
    bool idcard_ready;

    struct app_timer timers[APP_TIMERS_MAX];
    int n_timers;

    struct frame nav[NAV_MAX];
    int depth;

    bool virtual_time;
    uint64_t vnow;
    bool wall_fixed;
    time_t wall_fixed_at;
    uint64_t wall_fixed_ms;

    uint64_t last_input;
    uint64_t released_for; /* the last_input app_release ran after (watch.c) */
    /* chrome.c: the notices current on urgent_date, for the urgent banner; reloaded on
     * a new day and with the content ("" forces it) */
    struct announcement_list urgent;
    char urgent_date[16];
    unsigned urgent_gen;
    /* hallnote.c: staff notices posted or removed or expired, and when the next one
     * expires (local "YYYY-MM-DDTHH:MM"; "" none), as of the minute last seen */
    unsigned hallnote_gen;
    char hallnote_next[17], hallnote_seen[17];
};

/* nav.c */
struct frame *nav_top(app *a);
/* The frame the chrome belongs to: the topmost that is not an overlay. */
struct frame *nav_base(app *a);
/* Leaves every screen (app_destroy). */
void nav_clear(app *a);

/* chrome.c: draws the base screen in its chrome, then every overlay above it. */
void chrome_draw(app *a);
/* A tap on the chrome (back, home, search, language, text size, contrast, read-aloud,
 * call staff): true when it was one. */
bool chrome_tap(app *a, const char *id);
/* Reads the screen aloud from its semantic tree. */
void chrome_read_screen(app *a);

/* watch.c: registers the watchers (idle, content reload, USB, jobs, the ID card reader)
 * as timers. */
void watch_start(app *a);
/* What belongs to the content (the hall, the calendar, the search): reloaded with it. */
void app_load_content_parts(app *a);

/* loop.c: timers */
void app_timer_add(app *a, const char *name, int (*fn)(app *a, uint64_t now), uint64_t first_due);
/* Runs timer NAME at the next step. */
void app_timer_kick(app *a, const char *name);

#endif
