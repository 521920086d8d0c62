/* marker.c - see marker.h. */
#include "marker.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

bool marker_pid_alive(long pid)
{
    return pid > 0 && pid <= 0x7fffffffL && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

/* The text of PATH, at most MARKER_MAX_BYTES, NUL-terminated; its status in *st. */
static int read_small(const char *path, char *buf, struct stat *st)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return -errno;
    ssize_t n = -1;
    int r = 0;
    if (fstat(fd, st) < 0)
        r = -errno;
    else if (!S_ISREG(st->st_mode) || st->st_size > MARKER_MAX_BYTES)
        r = -EBADMSG;
    else if ((n = read(fd, buf, MARKER_MAX_BYTES)) < 0)
        r = -errno;
    close(fd);
    if (r == 0)
        buf[n] = '\0';
    return r;
}

static int pid_of(const char *text, long *ret_pid)
{
    const char *p = strstr(text, "\"pid\"");
    if (!p)
        return -EBADMSG;
    p += 5;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (*p++ != ':')
        return -EBADMSG;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (*p < '0' || *p > '9')
        return -EBADMSG;
    char *end;
    errno = 0;
    long pid = strtol(p, &end, 10);
    if (errno || pid <= 0)
        return -EBADMSG;
    *ret_pid = pid;
    return 0;
}

int marker_pid(const char *path, long *ret_pid)
{
    char buf[MARKER_MAX_BYTES + 1];
    struct stat st;
    int r = read_small(path, buf, &st);
    return r < 0 ? r : pid_of(buf, ret_pid);
}

void marker_boot_id(char ret[MARKER_BOOT_ID_SIZE])
{
    FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");
    ret[0] = '\0';
    if (!f)
        return;
    if (!fgets(ret, MARKER_BOOT_ID_SIZE, f))
        ret[0] = '\0';
    fclose(f);
    ret[strcspn(ret, "\n")] = '\0';
}

int marker_active(const char *path)
{
    char buf[MARKER_MAX_BYTES + 1], boot[MARKER_BOOT_ID_SIZE];
    struct stat st;
    long pid = 0;
    if (read_small(path, buf, &st) < 0 || pid_of(buf, &pid) < 0)
        return 0;
    const char *b = strstr(buf, "\"boot\"");
    if (b && (b = strchr(b + 6, '"'))) {
        marker_boot_id(boot);
        if (boot[0] && (strncmp(b + 1, boot, strlen(boot)) != 0 || b[1 + strlen(boot)] != '"'))
            return 0;
    }
    return marker_pid_alive(pid) ? 1 : 0;
}
