/* job.c - see job.h. */
#include "job.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct slot {
    char name[JOB_NAME_MAX];
    struct job_info info;
    int out_fd;         /* the read end of the child's stdout, -1 when closed */
    char partial[JOB_OUTPUT_MAX]; /* a line not yet ended by '\n' */
    size_t partial_len;
    bool unreported;    /* ended, not yet handed to job_take_done */
    uint64_t seq;       /* the order of ending, for job_take_done */
};

struct job_runner {
    struct slot s[JOB_MAX_NAMES];
    int n;
    uint64_t seq;
};

job_runner *job_runner_new(void)
{
    return xcalloc(1, sizeof(job_runner));
}

static struct slot *find(const job_runner *j, const char *name)
{
    for (int i = 0; i < j->n; i++)
        if (strcmp(j->s[i].name, name) == 0)
            return (struct slot *)&j->s[i];
    return NULL;
}

/* Reads what the child wrote; keeps the last complete line (or the partial one at the
 * end). Output is informative only, so what does not fit is dropped. */
static void drain(struct slot *s)
{
    char buf[1024];
    for (;;) {
        ssize_t got = read(s->out_fd, buf, sizeof buf);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return;
        for (ssize_t i = 0; i < got; i++) {
            if (buf[i] == '\n') {
                if (s->partial_len) {
                    memcpy(s->info.last_line, s->partial, s->partial_len);
                    s->info.last_line[s->partial_len] = '\0';
                }
                s->partial_len = 0;
            } else if (s->partial_len + 1 < sizeof s->partial) {
                s->partial[s->partial_len++] = buf[i];
            }
        }
    }
}

static void finish(job_runner *j, struct slot *s, int status, uint64_t now_ms)
{
    if (s->out_fd >= 0) {
        drain(s);
        if (s->partial_len) {
            memcpy(s->info.last_line, s->partial, s->partial_len);
            s->info.last_line[s->partial_len] = '\0';
            s->partial_len = 0;
        }
        close(s->out_fd);
        s->out_fd = -1;
    }
    s->info.state = JOB_DONE;
    s->info.pid = 0;
    s->info.ended_ms = now_ms;
    s->info.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 127;
    s->unreported = true;
    s->seq = ++j->seq;
}

int job_start(job_runner *j, const char *name, char *const argv[], uint64_t now_ms)
{
    struct slot *s = find(j, name);
    if (s && s->info.state == JOB_RUNNING)
        return -EBUSY;
    if (!s) {
        expect(j->n < JOB_MAX_NAMES);
        expect(strlen(name) < JOB_NAME_MAX);
        s = &j->s[j->n++];
        snprintf(s->name, sizeof s->name, "%s", name);
        s->out_fd = -1;
    }
    memset(&s->info, 0, sizeof s->info);
    s->partial_len = 0;
    s->unreported = false;
    s->info.started_ms = now_ms;

    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0) {
        int r = -errno;
        finish(j, s, 127 << 8, now_ms);
        return r;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, p[1], 1);
    /* a new process group, so ending a job ends what its shell started too */
    posix_spawnattr_t at;
    posix_spawnattr_init(&at);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&at, 0);
    pid_t pid;
    int r = strchr(argv[0], '/') ? posix_spawn(&pid, argv[0], &fa, &at, argv, environ)
                                 : posix_spawnp(&pid, argv[0], &fa, &at, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    close(p[1]);
    if (r != 0) {
        close(p[0]);
        finish(j, s, 127 << 8, now_ms);
        return -r;
    }
    fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
    s->out_fd = p[0];
    s->info.state = JOB_RUNNING;
    s->info.pid = pid;
    return 0;
}

int job_poll(job_runner *j, uint64_t now_ms)
{
    int ended = 0;
    for (int i = 0; i < j->n; i++) {
        struct slot *s = &j->s[i];
        if (s->info.state != JOB_RUNNING)
            continue;
        drain(s);
        int status;
        pid_t w = waitpid(s->info.pid, &status, WNOHANG);
        if (w == s->info.pid || (w < 0 && errno == ECHILD)) {
            finish(j, s, w < 0 ? 127 << 8 : status, now_ms);
            ended++;
        }
    }
    return ended;
}

int job_running(const job_runner *j)
{
    int n = 0;
    for (int i = 0; i < j->n; i++)
        n += j->s[i].info.state == JOB_RUNNING;
    return n;
}

const struct job_info *job_get(const job_runner *j, const char *name)
{
    static const struct job_info none = {.state = JOB_NONE};
    const struct slot *s = find(j, name);
    return s ? &s->info : &none;
}

void job_take_done(job_runner *j, void (*fn)(void *ctx, const char *name, const struct job_info *info), void *ctx)
{
    for (;;) {
        struct slot *first = NULL;
        for (int i = 0; i < j->n; i++)
            if (j->s[i].unreported && (!first || j->s[i].seq < first->seq))
                first = &j->s[i];
        if (!first)
            return;
        first->unreported = false;
        fn(ctx, first->name, &first->info);
    }
}

void job_runner_free(job_runner *j)
{
    if (!j)
        return;
    for (int i = 0; i < j->n; i++) {
        struct slot *s = &j->s[i];
        if (s->info.state == JOB_RUNNING) {
            kill(-s->info.pid, SIGTERM);
            int status;
            while (waitpid(s->info.pid, &status, 0) < 0 && errno == EINTR)
                ;
        }
        if (s->out_fd >= 0)
            close(s->out_fd);
    }
    free(j);
}

int job_count_zombies(void)
{
    int z = 0;
    DIR *d = opendir("/proc");
    struct dirent *e;
    pid_t self = getpid();
    while (d && (e = readdir(d))) {
        char path[300], buf[512], state;
        int ppid;
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = '\0';
        /* pid (comm) state ppid ...; comm may hold spaces, so read after the last ')' */
        char *p = strrchr(buf, ')');
        if (p && sscanf(p + 1, " %c %d", &state, &ppid) == 2 && ppid == self && state == 'Z')
            z++;
    }
    if (d)
        closedir(d);
    return z;
}
