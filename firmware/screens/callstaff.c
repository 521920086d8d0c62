/* callstaff.c - "call staff", from the bottom bar of every screen: an overlay that
 * says staff were called and where the inquiry desk is. The configured bell
 * (call_staff_command) rings as a background job, so the screen never waits for it
 * and the child is always reaped; a second press while it rings starts no second
 * copy. */
#include "dialog.h"
#include "base/job.h"
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

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

static void call_draw(app *a, void *st, ui_rect screen)
{
    (void)st;
    char body[512];
    snprintf(body, sizeof body, "%s\n%s", app_tr(a, "staff.body"), app_kt(a, &app_hall(a)->inquiry));
    const struct dialog_button ok = {"dialog.ok", app_tr(a, "dialog.ok"), UI_BTN_PRIMARY};
    dialog_draw(a, screen, app_tr(a, "staff.title"), body, &ok, 1);
}

static void call_event(app *a, void *st, const char *id)
{
    (void)st;
    if (strcmp(id, "dialog.ok") == 0)
        app_pop(a);
}

static void call_tour(app *a, struct tour *t)
{
    (void)a;
    app_tour_view(t, "call-staff", "tap-id chrome.staff\n");
}

const struct screen_ops screen_call_staff = {
    .name = "call-staff",
    .draw = call_draw,
    .event = call_event,
    .tour = call_tour,
    .overlay = true,
    .idle_dismiss = true,
};
