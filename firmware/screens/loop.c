/* loop.c - the frame loop: input in, taps routed, timers and ticks run, a frame drawn
 * when something changed, and sleep until the next thing to do. An idle kiosk sleeps
 * in SDL_WaitEventTimeout and draws nothing. The scripted driver (script.c) calls
 * app_step and app_next_wakeup itself, on a virtual clock. */
#include "app_internal.h"
#include "kbd.h"
#include "present.h"
#include "watchdog.h"
#include "speak.h"
#include "base/util.h"

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- timers ------------------------------------------------------------------------------ */

void app_timer_add(app *a, const char *name, int (*fn)(app *a, uint64_t now), uint64_t first_due)
{
    expect(a->n_timers < APP_TIMERS_MAX);
    a->timers[a->n_timers++] = (struct app_timer){name, fn, first_due};
}

void app_timer_kick(app *a, const char *name)
{
    for (int i = 0; i < a->n_timers; i++)
        if (strcmp(a->timers[i].name, name) == 0)
            a->timers[i].due = MAX(app_now_ms(a), 1);
}

static void run_timers(app *a, uint64_t now)
{
    for (int i = 0; i < a->n_timers; i++) {
        struct app_timer *t = &a->timers[i];
        if (t->due && now >= t->due) {
            int ms = t->fn(a, now);
            t->due = ms < 0 ? 0 : now + (uint64_t)MAX(ms, 1);
        }
    }
}

/* ---- input ------------------------------------------------------------------------------- */

void app_pointer(app *a, int kind, int x, int y)
{
    uint64_t t = app_now_ms(a);
    a->last_input = t;
    int corner = ui_mm(a->ui, STAFF_CORNER_MM);
    if (kind == 0)
        a->corner_since = x < corner && y < corner ? t : 0;
    else if (kind == 2 || x >= corner || y >= corner)
        a->corner_since = 0;
    if (kind == 0)
        ui_pointer_down(a->ui, x, y, t);
    else if (kind == 1)
        ui_pointer_move(a->ui, x, y, t);
    else
        ui_pointer_up(a->ui, x, y, t);
}

static void route_tap(app *a, const char *id)
{
    struct frame *top = nav_top(a);
    if (top->ops->overlay) {
        /* a dialog is modal: only it hears taps */
        if (top->ops->event)
            top->ops->event(a, top->st, id);
        ui_damage_all(a->ui);
        return;
    }
    enum kbd_result kr = kbd_event(a->kbd, a, id);
    if (kr != KBD_IGNORED) {
        if ((kr == KBD_CHANGED || kr == KBD_DONE) && top->ops->event)
            top->ops->event(a, top->st, kr == KBD_DONE ? "field.done" : "field.changed");
        ui_damage_all(a->ui);
        return;
    }
    if (chrome_tap(a, id))
        return;
    if (top->ops->event)
        top->ops->event(a, top->st, id);
    ui_damage_all(a->ui);
}

/* ---- a step ------------------------------------------------------------------------------ */

ui_rect app_step(app *a)
{
    uint64_t now = app_now_ms(a);
    const char *tap;
    while ((tap = ui_take_tap(a->ui)))
        route_tap(a, tap);
    run_timers(a, now);
    if (a->corner_since && now >= a->corner_since + STAFF_HOLD_MS) {
        a->corner_since = 0;
        while (nav_top(a)->ops->overlay && a->depth > 1)
            app_pop(a);
        app_push(a, &screen_staff_pin, NULL); /* forgets the press: no tap on release */
    }
    struct frame *f = nav_top(a);
    int wake = -1;
    if (kbd_tick(a->kbd, a, now, &wake) && f->ops->event) {
        f->ops->event(a, f->st, "field.changed");
        ui_damage_all(a->ui);
    }
    a->kbd_wake = wake >= 0 ? now + (uint64_t)wake : 0;
    f = nav_top(a);
    if (f->ops->tick && f->next_tick && now >= f->next_tick) {
        int depth = a->depth;
        const struct screen_ops *ops = f->ops;
        void *st = f->st;
        int ms = f->ops->tick(a, f->st, now);
        /* a tick may leave its screen (the idle countdown goes home) */
        if (a->depth == depth && nav_top(a)->ops == ops && nav_top(a)->st == st)
            f->next_tick = ms < 0 ? 0 : now + (uint64_t)MAX(ms, 1);
    }
    const char *said = ui_take_read(a->ui);
    if (a->reading && said) {
        speak_stop(a->sp);
        speak_say(a->sp, said, a->lang);
    }
    if (!ui_wants_frame(a->ui))
        return (ui_rect){0, 0, 0, 0};
    ui_frame_begin(a->ui, now);
    chrome_draw(a);
    ui_rect drawn = ui_frame_end(a->ui);
    if (a->read_screen) {
        a->read_screen = false;
        chrome_read_screen(a);
    }
    return drawn;
}

static void sooner(int64_t *best, uint64_t due, uint64_t now)
{
    if (!due)
        return;
    int64_t d = due > now ? (int64_t)(due - now) : 0;
    if (*best < 0 || d < *best)
        *best = d;
}

int app_next_wakeup(app *a)
{
    uint64_t now = app_now_ms(a);
    if (ui_wants_frame(a->ui))
        return ui_animating(a->ui) ? 16 : 0;
    int64_t best = -1;
    sooner(&best, nav_top(a)->next_tick, now);
    for (int i = 0; i < a->n_timers; i++)
        sooner(&best, a->timers[i].due, now);
    if (a->corner_since)
        sooner(&best, a->corner_since + STAFF_HOLD_MS, now);
    sooner(&best, a->kbd_wake, now);
    return (int)MIN(best, 3600 * 1000LL);
}

/* ---- the interactive loop ------------------------------------------------------------- */

/* A touch on the panel, turned back to the logical picture ([display] rotation) */
static void pointer(app *a, present *p, int kind, int px, int py)
{
    int lw, lh, x, y;
    present_size(p, &lw, &lh);
    present_to_logical(present_rotation(p), lw, lh, px, py, &x, &y);
    app_pointer(a, kind, x, y);
}

/* KIOSK_BENCH=1: a press, from its event to the present of the frame after it (the
 * one that shows the pressed state), and that frame's CPU time; one line per press on
 * stderr, read by tests/bench/bench_tap.sh */
struct press_mark {
    bool pending;
    uint32_t sdl_ts;  /* the event's SDL timestamp (SDL_GetTicks, ms) */
    double taken_ms;  /* when the loop took the event (CLOCK_MONOTONIC) */
};

static double mono_ms(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void press_report(struct press_mark *pm, ui_rect d, double cpu0)
{
    double now = mono_ms(CLOCK_MONOTONIC), cpu = mono_ms(CLOCK_THREAD_CPUTIME_ID) - cpu0;
    uint32_t ticks = SDL_GetTicks();
    fprintf(stderr,
            "kiosk: press: event to present %u ms (SDL ticks), taken to present %.2f ms, "
            "frame cpu %.2f ms, damage %d,%d %dx%d\n",
            ticks - pm->sdl_ts, now - pm->taken_ms, cpu, d.x, d.y, d.w, d.h);
    pm->pending = false;
}

int app_run(app *a, present *p)
{
    bool first = true, bench = getenv("KIOSK_BENCH") != NULL;
    struct press_mark pm = {0};
    while (!a->quit) {
        double cpu0 = pm.pending ? mono_ms(CLOCK_THREAD_CPUTIME_ID) : 0;
        ui_rect d = app_step(a);
        if (pm.pending && !(d.w > 0 && d.h > 0))
            pm.pending = false; /* a press on nothing draws nothing */
        if (d.w > 0 && d.h > 0) {
            present_update(p, d);
            if (pm.pending)
                press_report(&pm, d, cpu0);
            if (first && bench)
                fprintf(stderr, "kiosk: first frame at %.1f ms (monotonic), cpu %.1f ms\n",
                        mono_ms(CLOCK_MONOTONIC), mono_ms(CLOCK_PROCESS_CPUTIME_ID));
            first = false;
        }
        /* systemd's watchdog (watchdog.h): READY=1 after the first frame, then pings;
         * the sleep below ends in time for the next one */
        watchdog_alive(d.w > 0 && d.h > 0);
        int wait = watchdog_wait(app_next_wakeup(a));
        present_settle(p); /* present_warm's thread is done before SDL reads events */
        SDL_Event ev;
        /* sleep until an event or the next deadline: an idle kiosk costs nothing */
        if (!SDL_WaitEventTimeout(&ev, wait < 0 ? 60000 : MAX(wait, 1)))
            continue;
        do {
            switch (ev.type) {
            case SDL_QUIT:
                a->quit = true;
                break;
            case SDL_MOUSEBUTTONDOWN:
                if (ev.button.button == SDL_BUTTON_LEFT) {
                    if (bench)
                        pm = (struct press_mark){true, ev.button.timestamp, mono_ms(CLOCK_MONOTONIC)};
                    pointer(a, p, 0, ev.button.x, ev.button.y);
                }
                break;
            case SDL_MOUSEMOTION:
                if (ev.motion.state & SDL_BUTTON_LMASK)
                    pointer(a, p, 1, ev.motion.x, ev.motion.y);
                break;
            case SDL_MOUSEBUTTONUP:
                if (ev.button.button == SDL_BUTTON_LEFT)
                    pointer(a, p, 2, ev.button.x, ev.button.y);
                break;
            case SDL_KEYDOWN:
                /* on a desktop, Ctrl+Q closes the demo; a full-screen kiosk has no keyboard */
                if (!a->fullscreen && ev.key.keysym.sym == SDLK_q && (ev.key.keysym.mod & KMOD_CTRL))
                    a->quit = true;
                break;
            case SDL_WINDOWEVENT:
                if (ev.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
                    char err[256];
                    if (present_resize(p, err, sizeof err) == 0)
                        app_set_target(a, present_target(p));
                    else
                        fprintf(stderr, "kiosk: %s\n", err);
                } else if (ev.window.event == SDL_WINDOWEVENT_EXPOSED) {
                    ui_damage_all(a->ui);
                }
                break;
            }
        } while (SDL_PollEvent(&ev));
    }
    return 0;
}
