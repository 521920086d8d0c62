/* idle.c - "are you still there?": the overlay the idle watcher (watch.c) puts over
 * an inner screen when nobody has touched it for idle_seconds. It counts down at
 * least IDLE_WARN_SECONDS (a visitor needs 20 s to answer with one tap); then the
 * kiosk goes home, which leaves every screen and so wipes what was typed, and
 * releases what the next visitor does not need, the pinyin and speech engines too
 * (app_release). */
#include "dialog.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IDLE_WARN_SECONDS 30

struct idle {
    uint64_t deadline;
    int shown; /* the seconds last drawn */
};

static void *idle_enter(app *a, const char *arg)
{
    (void)arg;
    struct idle *w = xcalloc(1, sizeof *w);
    w->deadline = app_now_ms(a) + IDLE_WARN_SECONDS * 1000;
    w->shown = -1;
    return w;
}

static void idle_leave(app *a, void *st)
{
    (void)a;
    free(st);
}

static int seconds_left(app *a, struct idle *w)
{
    uint64_t now = app_now_ms(a);
    return (int)(w->deadline > now ? (w->deadline - now + 999) / 1000 : 0);
}

static void idle_draw(app *a, void *st, ui_rect screen)
{
    struct idle *w = st;
    char body[512];
    w->shown = seconds_left(a, w);
    snprintf(body, sizeof body, app_tr(a, "idle.body"), (long)w->shown);
    const struct dialog_button b[] = {
        {"dialog.more_time", app_tr(a, "idle.more_time"), UI_BTN_PRIMARY},
        {"dialog.go_home", app_tr(a, "idle.go_home"), UI_BTN_SECONDARY},
    };
    dialog_draw(a, screen, app_tr(a, "idle.title"), body, b, 2);
}

static void idle_event(app *a, void *st, const char *id)
{
    (void)st;
    if (strcmp(id, "dialog.more_time") == 0)
        app_pop(a);
    else if (strcmp(id, "dialog.go_home") == 0) {
        app_home(a);
        app_release(a); /* the visitor said so: nobody is there */
    }
}

static int idle_tick(app *a, void *st, uint64_t now)
{
    struct idle *w = st;
    if (now >= w->deadline) {
        app_home(a);
        app_release(a); /* the idle reset: nobody is there */
        return -1;
    }
    if (seconds_left(a, w) != w->shown)
        ui_damage_all(app_ui(a));
    return 250;
}

static void idle_tour(app *a, struct tour *t)
{
    (void)a;
    app_tour_view(t, "idle-warning", "tap-id tile.guides\nopen idle-warning\n");
}

const struct screen_ops screen_idle_warning = {
    .name = "idle-warning",
    .enter = idle_enter,
    .leave = idle_leave,
    .draw = idle_draw,
    .event = idle_event,
    .tick = idle_tick,
    .tour = idle_tour,
    .overlay = true,
};
