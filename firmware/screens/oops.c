/* oops.c - what a screen shows the visitor when it could not read the content (the
 * store answered with an error, store.h): an overlay that says so plainly in both
 * languages and offers the two ways on, calling staff and going back to the home
 * screen. A screen opens it over itself with app_push(a, &screen_oops, NULL). */
#include "dialog.h"

#include <string.h>

static void oops_draw(app *a, void *st, ui_rect screen)
{
    (void)st;
    const struct dialog_button buttons[] = {
        {"oops.call_staff", app_tr(a, "chrome.call_staff"), UI_BTN_ACCENT},
        {"oops.home", app_tr(a, "oops.home"), UI_BTN_SECONDARY},
    };
    dialog_draw(a, screen, app_tr(a, "oops.heading"), app_tr(a, "oops.body"), buttons, 2);
}

static void oops_event(app *a, void *st, const char *id)
{
    (void)st;
    if (strcmp(id, "oops.call_staff") == 0)
        app_call_staff(a);
    else if (strcmp(id, "oops.home") == 0)
        app_home(a);
}

static void oops_tour(app *a, struct tour *t)
{
    (void)a;
    app_tour_view(t, "oops", "open oops\n");
}

const struct screen_ops screen_oops = {
    .name = "oops",
    .draw = oops_draw,
    .event = oops_event,
    .tour = oops_tour,
    .overlay = true,
};
