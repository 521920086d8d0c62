/* script.h - the scripted driver: replays a script against the app on SDL's
 * offscreen video driver with a virtual clock, one step per line, so tests (and
 * anyone without a touchscreen) can drive the kiosk and see it. The steps are listed
 * in README.md; a failing step prints its line number and why. */
#ifndef KIOSK_SCRIPT_H
#define KIOSK_SCRIPT_H

#include "app.h"

struct SDL_Window;

struct script_env {
    struct present *present; /* the window and its rotation (present.h) */
    const char *outdir; /* where shot and tree write; created if missing */
};

/* What a module of extra steps (monkey.h, soak.h) gets from the driver: the app, the
 * out dir, and LINE, which runs one script line as if it stood in the script (0, or
 * -1 once the driver has said why it failed). */
struct script_hook {
    app *a;
    const char *outdir;
    int (*line)(void *ctx, const char *line);
    void *ctx;
};

/* Runs the script in PATH. Returns 0 when every step succeeded, 1 otherwise. */
int script_run_file(app *a, const struct script_env *env, const char *path);
/* Runs script text (lines separated by '\n'); NAME is used in messages. */
int script_run_text(app *a, const struct script_env *env, const char *name, const char *text);
/* The built-in tour: every screen that exists, both languages, both themes,
 * portrait and landscape; a shot and a tree of each. */
int script_run_tour(app *a, const struct script_env *env);

#endif
