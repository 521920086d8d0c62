/* nav.c - the navigation stack and the screen registry. Screens and dialogs live on
 * one stack: a dialog is a screen whose ops say `overlay`; it is drawn over the screen
 * below and is modal while on top. Leaving a screen frees its state, so nothing of a
 * visitor's outlives the screen that held it. */
#include "app_internal.h"
#include "kbd.h"
#include "speak.h"
#include "base/util.h"

#include <string.h>

static const struct screen_ops *const registry[] = {
#define SCREEN(id) &screen_##id,
#include "screens.def"
#undef SCREEN
};

int app_screen_count(void)
{
    return (int)ARRAY_SIZE(registry);
}

const struct screen_ops *app_screen_at(int i)
{
    return i >= 0 && i < (int)ARRAY_SIZE(registry) ? registry[i] : NULL;
}

const struct screen_ops *app_screen_by_name(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(registry); i++)
        if (strcmp(registry[i]->name, name) == 0)
            return registry[i];
    return NULL;
}

struct frame *nav_top(app *a)
{
    return &a->nav[a->depth - 1];
}

struct frame *nav_base(app *a)
{
    int i = a->depth - 1;
    while (i > 0 && a->nav[i].ops->overlay)
        i--;
    return &a->nav[i];
}

static void changed(app *a)
{
    ui_forget(a->ui);
    /* speech stops when the screen changes; the new one is read once drawn */
    speak_stop(a->sp);
    a->read_screen = a->reading;
    struct frame *f = nav_top(a);
    f->next_tick = f->ops->tick ? 1 : 0; /* tick the new top screen soon */
}

void app_push(app *a, const struct screen_ops *ops, const char *arg)
{
    if (a->depth == NAV_MAX) {
        /* a policy and its interpretation link to each other, without end: the oldest
         * screen above home gives way (tests/scripts/nav_deep.kscript) */
        struct frame *old = &a->nav[1];
        if (old->ops->leave)
            old->ops->leave(a, old->st);
        if (old->ops->pii)
            ui_wipe(a->ui);
        memmove(&a->nav[1], &a->nav[2], (size_t)(a->depth - 2) * sizeof a->nav[0]);
        a->depth--;
    }
    /* the focused field belongs to the screen below; a dialog over it keeps it */
    if (!ops->overlay)
        kbd_reset(a->kbd);
    struct frame *f = &a->nav[a->depth++];
    f->ops = ops;
    f->st = ops->enter ? ops->enter(a, arg) : NULL;
    f->next_tick = 0;
    changed(a);
}

static void leave_top(app *a)
{
    struct frame *f = &a->nav[--a->depth];
    if (!f->ops->overlay)
        kbd_reset(a->kbd); /* the focused field belonged to the screen we leave */
    if (f->ops->leave)
        f->ops->leave(a, f->st);
    f->st = NULL;
    if (f->ops->pii)
        ui_wipe(a->ui);
}

void app_pop(app *a)
{
    if (a->depth <= 1)
        return;
    leave_top(a);
    changed(a);
}

void app_tick_soon(app *a, void *st)
{
    for (int i = 0; i < a->depth; i++)
        if (a->nav[i].st == st && a->nav[i].ops->tick && !a->nav[i].next_tick)
            a->nav[i].next_tick = MAX(app_now_ms(a), 1);
}

void app_home(app *a)
{
    while (a->depth > 1)
        leave_top(a);
    changed(a);
}

void nav_clear(app *a)
{
    while (a->depth > 0)
        leave_top(a);
}

const char *app_screen_name(app *a)
{
    return a->depth ? nav_top(a)->ops->name : "";
}
