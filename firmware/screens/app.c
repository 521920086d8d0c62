/* app.c - the app's life cycle, its clocks and the accessors screens use (app.h).
 * The rest of the app is in files of their own: nav.c (the stack of screens and
 * dialogs, the registry), chrome.c (the bars every screen shares), loop.c (the frame
 * loop and its timers), watch.c (idle, content reload, USB, jobs). */
#include "app_internal.h"
#include "kbd.h"
#include "speak.h"
#include "core/idreader.h"
#include "core/search.h"
#include "core/workday.h"
#include "base/util.h"

#include <SDL.h>
#include <malloc.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- time -------------------------------------------------------------------------- */

uint64_t app_now_ms(app *a)
{
    return a->virtual_time ? a->vnow : SDL_GetTicks64();
}

void app_set_virtual_time(app *a, uint64_t now_ms)
{
    a->virtual_time = true;
    a->vnow = now_ms;
}

time_t app_wall(app *a)
{
    if (a->wall_fixed)
        return a->wall_fixed_at + (time_t)((app_now_ms(a) - a->wall_fixed_ms) / 1000);
    return time(NULL);
}

void app_set_wall(app *a, time_t t)
{
    a->wall_fixed = true;
    a->wall_fixed_at = t;
    a->wall_fixed_ms = app_now_ms(a);
    ui_damage_all(a->ui);
}

void app_date_str(app *a, char *buf, size_t n)
{
    time_t t = app_wall(a);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%d", &tm);
}

/* ---- accessors ---------------------------------------------------------------------- */

kiosk_lang app_lang(app *a) { return a->lang; }
ui *app_ui(app *a) { return a->ui; }
struct kbd *app_kbd(app *a) { return a->kbd; }
struct speak *app_speak(app *a) { return a->sp; }
struct search *app_search(app *a) { return a->search; }
const char *app_exe_dir(app *a) { return a->exe_dir ? a->exe_dir : "."; }
const struct ui_options *app_ui_options(app *a) { return a->ui_opt; }
const char *app_config_path(app *a) { return a->config_path; }
bool app_reading(app *a) { return a->reading; }
const struct seal_public *app_seal_key(app *a) { return a->has_seal ? &a->seal : NULL; }
const struct workday_cal *app_calendar(app *a) { return a->cal; }

void app_status_url(app *a, const char *receipt, char *out, size_t n)
{
    snprintf(out, n, "%s%s", a->cfg->status_url, receipt);
}

void app_format_date(app *a, const char *iso, char *out, size_t n)
{
    workday_date d;
    if (workday_date_parse(iso, &d) < 0) {
        snprintf(out, n, "%s", iso);
        return;
    }
    char mkey[16];
    snprintf(mkey, sizeof mkey, "month.%d", d.m);
    if (a->lang == LANG_EN)
        snprintf(out, n, "%d %s %d", d.d, app_tr(a, mkey), d.y);
    else
        snprintf(out, n, app_tr(a, "date.ymd"), d.y, d.m, d.d);
}

store *app_store(app *a) { return a->content; }
state *app_state(app *a) { return a->state; }
const struct kiosk_config *app_config(app *a) { return a->cfg; }
const struct hall *app_hall(app *a) { return &a->hall; }

const char *app_tr(app *a, const char *key)
{
    return i18n(key, a->lang);
}

const char *app_kt(app *a, const ktext *t)
{
    const char *s = t->s[a->lang];
    /* content always has both languages; fall back rather than show nothing */
    if (!s || !*s)
        s = t->s[a->lang == LANG_EN ? LANG_ZH : LANG_EN];
    return s ? s : "";
}

void app_set_lang(app *a, kiosk_lang l)
{
    a->lang = l;
    ui_damage_all(a->ui);
}

void app_set_theme(app *a, enum ui_theme_id t)
{
    ui_set_theme(a->ui, t);
}

void app_set_target(app *a, SDL_Surface *s)
{
    ui_set_target(a->ui, s);
    ui_forget(a->ui);
}

/* ---- life cycle ---------------------------------------------------------------------- */

void app_release(app *a)
{
    ui_release(a->ui);
    app_release_engines(a); /* and malloc_trim */
    a->released_for = a->last_input;
}

app *app_create(const struct app_options *o)
{
    app *a = xcalloc(1, sizeof *a);
    a->cfg = o->cfg;
    a->content = o->content;
    a->state = o->state;
    a->ui = o->ui;
    a->headless = o->headless;
    a->fullscreen = o->fullscreen;
    a->exe_dir = o->exe_dir;
    a->ui_opt = o->ui_opt;
    a->config_path = o->config_path;
    a->lang = LANG_ZH;
    struct stat sb;
    if (stat(a->cfg->content_db, &sb) == 0) {
        a->content_dev = sb.st_dev;
        a->content_ino = sb.st_ino;
    }
    app_load_content_parts(a);
    char err[256] = "";
    if (a->cfg->seal_public_key[0] &&
        seal_public_load(a->cfg->seal_public_key, &a->seal, err, sizeof err) == 0)
        a->has_seal = true;
    else
        fprintf(stderr, "kiosk: submissions disabled: no sealing key (%s)\n",
                a->cfg->seal_public_key[0] ? err : "seal_public_key is not set");
    a->kbd = kbd_new(o->ime_dir ? o->ime_dir : "");
    a->jobs = job_runner_new();
    if (a->cfg->id_reader[0] && idreader_new(a->cfg->id_reader, a->cfg->id_reader_baud, &a->idr) < 0)
        fprintf(stderr, "kiosk: no ID card reader: id_reader_baud %d is not a serial rate\n",
                a->cfg->id_reader_baud);
    watch_start(a);
    app_push(a, &screen_home, NULL);
    return a;
}

void app_destroy(app *a)
{
    if (!a)
        return;
    nav_clear(a);
    job_runner_free(a->jobs);
    idreader_free(a->idr);
    sodium_memzero(&a->idcard, sizeof a->idcard);
    kbd_free(a->kbd);
    speak_free(a->sp);
    search_close(a->search);
    hall_free(&a->hall);
    announcement_list_free(&a->urgent);
    workday_cal_free(a->cal);
    store_close(a->content);
    free(a);
}

void app_release_engines(app *a)
{
    kbd_release(a->kbd);
    /* Read-aloud stops, but its engine, once started, stays: espeak-ng keeps about
     * 180 kB each time it is unloaded after speaking, so unloading it at every idle
     * reset would grow the kiosk without bound (docs/architecture.md). */
    speak_stop(a->sp);
    /* give what the engines freed back to the system (~3 MB of heap and arenas that
     * would otherwise stay counted against the kiosk until reused) */
    malloc_trim(0);
    a->reading = false;
    a->read_screen = false;
    a->speech_failed = false;
    ui_set_touch_reads(a->ui, false);
    ui_damage_all(a->ui);
}

void app_quit(app *a)
{
    a->quit = true;
}
