/* app.h - the kiosk application: a navigation stack of screens, the chrome every
 * screen shares (back, home, language, large text, call staff), the idle timer, the
 * clock, and the frame loop. Screens are files of their own with enter / event /
 * draw / leave; leaving a screen frees its state, so nothing of a visitor's outlives
 * the screen that held it.
 *
 * The app runs either on a real window (app_run) or driven step by step by the
 * scripted driver (script.c) on SDL's offscreen video driver with a virtual clock. */
#ifndef KIOSK_APP_H
#define KIOSK_APP_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "core/config.h"
#include "core/i18n.h"
#include "core/state.h"
#include "core/store.h"
#include "ui/ui.h"

typedef struct app app;

struct tour;

struct screen_ops {
    const char *name;
    /* ARG is screen-specific (an id) and may be NULL; copy what you keep. Returns the
     * screen's state (NULL is fine for stateless screens). */
    void *(*enter)(app *a, const char *arg);
    void (*leave)(app *a, void *st);
    /* Draws into BODY: the area below the chrome, or for an overlay the whole screen
     * (the screen below stays drawn underneath). The title for the chrome comes from
     * title(). */
    void (*draw)(app *a, void *st, ui_rect body);
    const char *(*title)(app *a, void *st);
    /* A tap on one of this screen's widgets. Also "field.changed" when the keyboard
     * changed the focused field's text, and "field.done" when its Done key was hit.
     * An overlay gets every tap while it is on top (it is modal). */
    void (*event)(app *a, void *st, const char *id);
    /* Called when time passes; returns the ms until it wants to be called again, or
     * -1 for never. May damage parts of the screen. Optional. */
    int (*tick)(app *a, void *st, uint64_t now_ms);
    /* The built-in tour (kiosk --tour): how to show this screen, by calling
     * app_tour_view once per view. NULL: the screen is not in the tour (say why at
     * the ops). */
    void (*tour)(app *a, struct tour *t);
    /* The screen shows what a visitor typed (personal data): leaving it wipes the
     * toolkit's text memory too (ui_wipe). */
    bool pii;
    /* A dialog: drawn over the screen below it, modal, no chrome of its own. */
    bool overlay;
    /* An overlay that simply goes away when the visitor does (idle timeout), rather
     * than being covered by the "are you still there?" warning. */
    bool idle_dismiss;
};

struct app_options {
    struct kiosk_config *cfg;
    store *content; /* the app owns it from here on: it reopens a newly installed one */
    state *state;
    ui *ui;
    bool headless;
    bool fullscreen;
    const char *ime_dir; /* the pinyin engine's data; NULL: no pinyin */
    const char *exe_dir;
    const char *config_path;
    const struct ui_options *ui_opt; /* the fonts ui was made with (slips use them) */
};

app *app_create(const struct app_options *o);
void app_destroy(app *a);

/* Navigation. app_push enters a new screen on top; app_pop leaves the top one;
 * app_home leaves all but the home screen. */
void app_push(app *a, const struct screen_ops *ops, const char *arg);
void app_pop(app *a);
void app_home(app *a);
/* The visitor is gone (the idle reset, after app_home): read-aloud is switched off and
 * the pinyin engine and the speech engine are closed and their libraries unloaded, so
 * the next visitor starts afresh and loads them again on first use. */
void app_release_engines(app *a);
/* The idle reset's release, on the home screen: what the next visitor does not need
 * goes (ui_release: text cache, images, font sizes, QR codes, tree arenas; and the
 * engines, app_release_engines) and the freed heap goes back to the system
 * (malloc_trim). The idle warning and the idle watcher call it. */
void app_release(app *a);
const char *app_screen_name(app *a);
/* The screen whose state is ST has work for its tick again (its tick had returned -1):
 * the tick runs soon. Nothing happens if that screen is gone. */
void app_tick_soon(app *a, void *st);

kiosk_lang app_lang(app *a);
void app_set_lang(app *a, kiosk_lang l);
void app_set_theme(app *a, enum ui_theme_id t);
/* i18n in the current language */
const char *app_tr(app *a, const char *key);
/* pick the current language from a content text */
const char *app_kt(app *a, const ktext *t);

ui *app_ui(app *a);
struct kbd;
struct kbd *app_kbd(app *a);
/* read-aloud: the speech queue (NULL if speech could not start) and the switch */
struct speak;
struct speak *app_speak(app *a);
/* The search handle over the current content (NULL if it could not open). */
struct search;
struct search *app_search(app *a);
bool app_reading(app *a);
store *app_store(app *a);
state *app_state(app *a);
const struct kiosk_config *app_config(app *a);
const struct ui_options *app_ui_options(app *a);
/* The hall (name, address, hours, inquiry point, windows), loaded once. */
const struct hall *app_hall(app *a);

/* Time. app_now_ms is monotonic (virtual under the script driver); app_wall is the
 * wall clock, which scripts may fix with `now`. */
uint64_t app_now_ms(app *a);
time_t app_wall(app *a);
void app_set_virtual_time(app *a, uint64_t now_ms);
void app_set_wall(app *a, time_t t);
void app_date_str(app *a, char *buf, size_t n); /* YYYY-MM-DD */

/* Input from the window or the script driver, in target pixels. */
void app_pointer(app *a, int kind /* 0 down, 1 move, 2 up */, int x, int y);

/* Runs ticks, routes taps, and draws a frame if anything changed. Returns the region
 * that was drawn (w == 0 when nothing was). */
ui_rect app_step(app *a);
/* ms until app_step has something to do (0 = now; -1 = nothing until input). */
int app_next_wakeup(app *a);

/* The interactive main loop on a real window, drawn and touched through P (present.h:
 * the panel's rotation). Returns the exit status. */
struct present;
int app_run(app *a, struct present *p);
void app_quit(app *a);

/* A new target surface (the window was resized or the script changed the size). */
void app_set_target(app *a, SDL_Surface *s);

/* A screen by its name (for scripts: `open NAME ARG`); NULL if there is none. */
const struct screen_ops *app_screen_by_name(const char *name);

/* Every screen, one line each in screens.def: screen_<name> for each. */
#include "registry.h"

/* The registry in order: app_screen_count() screens, app_screen_at(0 ..). */
int app_screen_count(void);
const struct screen_ops *app_screen_at(int i);

/* One view of the tour: the script steps (lines, printf-style; they start on the
 * home screen) that bring the screen up; the tour then writes SHOT-<variant>.png and
 * .json and goes home. */
void app_tour_view(struct tour *t, const char *shot, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The content the tour walks: the first category, service, one-thing list, topic and
 * document of the content (NULL when the content has none). */
const char *app_tour_first(struct tour *t, const char *what);

/* Background jobs (base/job.h): child processes the loop reaps without ever waiting.
 * Starts job NAME (0, -EBUSY while one of that name runs, or a negative errno);
 * its end is logged to the staff log and redraws the screen. */
int app_job_start(app *a, const char *name, char *const argv[]);
struct job_info;
const struct job_info *app_job(app *a, const char *name);
/* How many jobs are running now. */
int app_jobs_running(app *a);
/* Runs kiosk-sync (beside the kiosk, with the kiosk's config) as job NAME with the
 * argument words ARGS (NULL-terminated). */
int app_job_sync(app *a, const char *name, const char *const args[]);

/* "Call staff": says so on screen, counts it, and rings the configured bell as a job. */
void app_call_staff(app *a);

/* The resident ID card reader ([devices] id_reader; docs/idcard-reader.md): NULL when
 * none is configured. core/idreader.h says what its state means. */
struct idreader;
const struct idreader *app_idreader(app *a);
/* Screen OPS wants cards (WANT) while it is on top and shows where a card's name and ID
 * number go; it then gets the event "idcard.read" for a card (take it with
 * app_idcard_take) and "idcard.failed" for one that could not be read. Say false (or
 * leave the screen) and the reader is only asked whether it answers. */
void app_idcard_want(app *a, const struct screen_ops *ops, bool want);
/* During "idcard.read": copies the card's name and ID number to *ret (wipe it with
 * sodium_memzero once used) and wipes the app's copy. 0, or -ENOENT at any other time. */
struct idcard_person;
int app_idcard_take(app *a, struct idcard_person *ret);


/* Where the program is (kiosk-sync sits beside it) and the config file it was started
 * with (NULL: none), for the staff menu's actions. */
const char *app_exe_dir(app *a);
const char *app_config_path(app *a);

/* What kiosk-usb did with the last USB stick, in the visitor's language (from
 * <work_dir>/usb-last.json; "" if none), and whether it is reading one now. */
bool app_usb_status(app *a, char *msg, size_t n);
/* The first "KEY": "value" string of a small JSON text (no JSON library in screens). */
void app_json_str(const char *buf, const char *key, char *out, size_t n);

/* The hidden gesture that opens the staff PIN pad: a press held this long in the top
 * left corner (STAFF_CORNER_MM square) of any screen. */
#define STAFF_HOLD_MS 3000
#define STAFF_CORNER_MM 15.0

/* A document row's second line: agency, number, date, validity in words. */
void app_doc_subtitle(app *a, const char *agency, const char *doc_no, const char *published,
                      const char *validity, char *out, size_t n);

/* The office's public key for sealing submissions (NULL when none is configured or
 * it cannot be read: the kiosk then accepts no submissions and says so). */
struct seal_public;
const struct seal_public *app_seal_key(app *a);
/* The working-day calendar of the hall's region (NULL when the content has none). */
struct workday_cal;
const struct workday_cal *app_calendar(app *a);
/* The address a receipt's QR code opens: where the visitor follows their request. */
void app_status_url(app *a, const char *receipt, char *out, size_t n);
/* An ISO date (YYYY-MM-DD) in the visitor's language. */
void app_format_date(app *a, const char *iso, char *out, size_t n);

#endif
