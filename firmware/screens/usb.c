/* usb.c - a USB stick at work, on any screen: kiosk-usb (outside the kiosk) marks
 * that it is reading a stick, and the USB watcher (watch.c) puts this overlay up:
 * "working, do not remove" while the marker is there (ARG "busy"; no button: the
 * stick stays in until the work is done), then what happened, in words, from
 * usb-last.json (ARG "done"). */
#include "dialog.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>

struct usb {
    bool busy;
    char msg[640];
};

static void *usb_enter(app *a, const char *arg)
{
    struct usb *s = xcalloc(1, sizeof *s);
    s->busy = !arg || strcmp(arg, "done") != 0;
    if (!s->busy)
        app_usb_status(a, s->msg, sizeof s->msg);
    return s;
}

static void usb_leave(app *a, void *st)
{
    (void)a;
    free(st);
}

static void usb_draw(app *a, void *st, ui_rect screen)
{
    struct usb *s = st;
    const char *body = s->busy ? app_tr(a, "staff.usb_busy") : s->msg[0] ? s->msg : app_tr(a, "usb.done");
    const struct dialog_button ok = {"dialog.ok", app_tr(a, "dialog.ok"), UI_BTN_PRIMARY};
    dialog_draw(a, screen, app_tr(a, "staff.usb"), body, &ok, s->busy ? 0 : 1);
}

static void usb_event(app *a, void *st, const char *id)
{
    struct usb *s = st;
    if (!s->busy && strcmp(id, "dialog.ok") == 0)
        app_pop(a);
}

static void usb_tour(app *a, struct tour *t)
{
    (void)a;
    app_tour_view(t, "usb-busy", "open usb busy\n");
    app_tour_view(t, "usb-done", "open usb done\n");
}

const struct screen_ops screen_usb = {
    .name = "usb",
    .enter = usb_enter,
    .leave = usb_leave,
    .draw = usb_draw,
    .event = usb_event,
    .tour = usb_tour,
    .overlay = true,
    .idle_dismiss = true,
};
