/* callstaff.c - "call staff", from the bottom bar of every screen: an overlay that
 * says only what really happened, and where the inquiry desk is (its floor's map,
 * the desk ringed, the floor in words).
 *
 * With no bell configured (call_staff_command empty) it says so and sends the
 * visitor to the desk. With one, the bell rings as a background job, so the screen
 * never waits for it and the child is always reaped; the overlay says "calling…"
 * while it runs, "staff notified" only once it exited 0, and "the call did not go
 * through" when it failed or gave no answer within CALLSTAFF_TIMEOUT_MS, each time
 * with the desk. A second press while it rings starts no second copy. */
#include "dialog.h"
#include "hallmap.h"
#include "base/job.h"
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* how long the bell may take before the screen says it got no answer */
#define CALLSTAFF_TIMEOUT_MS 15000

void app_call_staff(app *a)
{
    /* for the heartbeat: how often visitors needed a person; nothing about who */
    state_count(app_state(a), "event", "call_staff", STATE_VIEWS);
    const char *cmd = app_config(a)->call_staff_command;
    if (cmd && *cmd) {
        char *argv[] = {"/bin/sh", "-c", (char *)cmd, NULL};
        int r = app_job_start(a, "call-staff", argv);
        if (r < 0 && r != -EBUSY)
            fprintf(stderr, "kiosk: call staff: cannot start \"%s\": %s\n", cmd, strerror(-r));
    }
    if (strcmp(app_screen_name(a), screen_call_staff.name) != 0)
        app_push(a, &screen_call_staff, NULL);
}

enum call_state { CALL_NO_BELL, CALL_RINGING, CALL_NOTIFIED, CALL_FAILED, CALL_NO_ANSWER };

struct call {
    app *a;
    struct hallmap map; /* the desk's floor, the desk ringed */
    enum call_state shown; /* what the last frame said */
};

static enum call_state call_state(app *a)
{
    const char *cmd = app_config(a)->call_staff_command;
    if (!cmd || !*cmd)
        return CALL_NO_BELL;
    const struct job_info *j = app_job(a, "call-staff");
    if (j->state == JOB_NONE)
        return CALL_FAILED; /* configured, but it never started */
    if (j->state == JOB_RUNNING)
        return app_now_ms(a) - j->started_ms >= CALLSTAFF_TIMEOUT_MS ? CALL_NO_ANSWER : CALL_RINGING;
    return j->exit_code == 0 ? CALL_NOTIFIED : CALL_FAILED;
}

static const char *const state_names[] = {"no_bell", "ringing", "notified", "failed", "no_answer"};

static void *call_enter(app *a, const char *arg)
{
    (void)arg;
    struct call *c = xcalloc(1, sizeof *c);
    c->a = a;
    const struct hall *h = app_hall(a);
    const struct hall_window *desk = hall_window_by_id(h, h->inquiry_window);
    if (desk)
        hallmap_load(a, &c->map, desk, desk->floor);
    return c;
}

static void call_leave(app *a, void *st)
{
    (void)a;
    struct call *c = st;
    hallmap_free(&c->map);
    free(c);
}

static int room_measure(void *ctx, int w, int max_h)
{
    struct call *c = ctx;
    return hallmap_draw(c->a, &c->map, "callstaff.map", 0, 0, w, max_h, false);
}

static void room_draw(void *ctx, int x, int y, int w, int max_h)
{
    struct call *c = ctx;
    hallmap_draw(c->a, &c->map, "callstaff.map", x, y, w, max_h, true);
}

static void call_draw(app *a, void *st, ui_rect screen)
{
    struct call *c = st;
    enum call_state s = call_state(a);
    char title_key[64], body_key[64], body[1024];
    snprintf(title_key, sizeof title_key, "callstaff.%s.title", state_names[s]);
    snprintf(body_key, sizeof body_key, "callstaff.%s.body", state_names[s]);
    snprintf(body, sizeof body, "%s\n%s", app_tr(a, body_key), app_kt(a, &app_hall(a)->inquiry));
    const struct dialog_button ok = {"dialog.ok", app_tr(a, "dialog.ok"), UI_BTN_PRIMARY};
    const struct dialog_room room = {room_measure, room_draw, c};
    dialog_draw_room(a, screen, app_tr(a, title_key), body, c->map.win ? &room : NULL, &ok, 1);
    c->shown = s;
}

static void call_event(app *a, void *st, const char *id)
{
    (void)st;
    if (strcmp(id, "dialog.ok") == 0)
        app_pop(a);
}

/* while the bell rings, wake at its timeout to say it gave no answer (its end wakes
 * the screen by itself) */
static int call_tick(app *a, void *st, uint64_t now)
{
    struct call *c = st;
    enum call_state s = call_state(a);
    if (s != c->shown)
        ui_damage_all(app_ui(a));
    if (s != CALL_RINGING)
        return -1;
    uint64_t due = app_job(a, "call-staff")->started_ms + CALLSTAFF_TIMEOUT_MS;
    return now >= due ? 0 : (int)MIN(due - now, (uint64_t)CALLSTAFF_TIMEOUT_MS);
}

static void call_tour(app *a, struct tour *t)
{
    (void)a;
    app_tour_view(t, "call-staff", "tap-id chrome.staff\n");
}

const struct screen_ops screen_call_staff = {
    .name = "call-staff",
    .enter = call_enter,
    .leave = call_leave,
    .draw = call_draw,
    .event = call_event,
    .tick = call_tick,
    .tour = call_tour,
    .overlay = true,
    .idle_dismiss = true,
};
