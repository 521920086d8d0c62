/* job.h - background jobs: child processes the kiosk starts and never waits for
 * (sync now, USB import and export, call staff, printing later).
 *
 * The frame loop must never block on a child: a job starts with posix_spawn and
 * returns at once; job_poll, called from the loop, reaps every child that has ended
 * (waitpid WNOHANG) and records how it ended. So no child is left a zombie, however
 * often a job runs, and a slow transfer never freezes the screen or the idle timer.
 *
 * A job has a name ("sync", "call-staff"); at most one job of a name runs at a time,
 * so a second tap on "sync now" cannot start a second copy. The last run of each name
 * stays readable (job_get) until the next one starts, so a screen can say what
 * happened even when it was entered after the job ended.
 *
 * Load: a handful of jobs a day, a few names; every call walks a table of
 * JOB_MAX_NAMES entries. Not thread-safe: one runner belongs to the UI thread. */
#ifndef KIOSK_JOB_H
#define KIOSK_JOB_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define JOB_MAX_NAMES 8  /* distinct job names a runner tracks; more is a bug (expect) */
#define JOB_NAME_MAX 32  /* bytes of a name, NUL included */
#define JOB_OUTPUT_MAX 256 /* bytes of the last line of output kept per job */
#define JOB_POLL_MS 100  /* how often the loop polls while a job runs */

typedef struct job_runner job_runner;

enum job_state { JOB_NONE, JOB_RUNNING, JOB_DONE };

struct job_info {
    enum job_state state;
    pid_t pid;           /* while running */
    uint64_t started_ms; /* on the clock passed to job_start */
    uint64_t ended_ms;   /* when job_poll saw it end (JOB_DONE) */
    int exit_code;       /* JOB_DONE: the exit status, 128 + signal, or 127 (could not run) */
    char last_line[JOB_OUTPUT_MAX]; /* the last line the child wrote to stdout */
};

job_runner *job_runner_new(void);
/* Ends every running job (SIGTERM, then waits for it) and frees the runner. Accepts
 * NULL. */
void job_runner_free(job_runner *j);

/* Starts ARGV (argv[0] is the program path; searched in PATH when it has no '/') as
 * job NAME at NOW_MS. Its stdout is read for job_info.last_line; its stderr and stdin
 * are inherited and /dev/null. Returns 0, -EBUSY when a job of that name still runs,
 * or a negative errno when it cannot be spawned (then the job reads JOB_DONE with exit
 * code 127, so a screen can say it failed). The strings are copied. */
int job_start(job_runner *j, const char *name, char *const argv[], uint64_t now_ms);

/* Reaps ended children and reads their output. Returns the number of jobs that
 * ended in this call. Never blocks. */
int job_poll(job_runner *j, uint64_t now_ms);

/* How many jobs are running (the loop polls every JOB_POLL_MS while any is). */
int job_running(const job_runner *j);

/* The last run of NAME; JOB_NONE when none ever ran. The pointer is valid until the
 * next call that changes the runner. */
const struct job_info *job_get(const job_runner *j, const char *name);

/* Ended jobs since the last call: calls FN for each job that reached JOB_DONE since
 * the previous job_take_done, in the order they ended. */
void job_take_done(job_runner *j, void (*fn)(void *ctx, const char *name, const struct job_info *info),
                   void *ctx);

/* How many children of this process have ended but were not reaped (zombies), read
 * from /proc: what tests check after many jobs. */
int job_count_zombies(void);

#endif
