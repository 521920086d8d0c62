/* fileio.c - see fileio.h. */
#include "fileio.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int fio_write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t r = write(fd, p, len);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if (r == 0)
            return -EIO;
        p += r;
        len -= (size_t)r;
    }
    return 0;
}

int fio_fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    int r = fsync(fd) < 0 && errno != EINVAL ? -errno : 0;
    close(fd);
    return r;
}

/* The folder of PATH: "a/b" -> "a", "/b" -> "/", "b" -> ".". */
static char *parent_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    return xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
}

int fio_fsync_parent(const char *path)
{
    char *dir = parent_of(path);
    int r = fio_fsync_dir(dir);
    free(dir);
    return r;
}

static int fsync_file(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return -errno;
    int r = fsync(fd) < 0 ? -errno : 0;
    close(fd);
    return r;
}

int fio_publish(const char *tmp, const char *path, unsigned flags)
{
    int r;
    if (!(flags & FIO_NO_SYNC) && (r = fsync_file(tmp)) < 0)
        return r;
    if (rename(tmp, path) < 0)
        return -errno;
    if (!(flags & (FIO_NO_SYNC | FIO_NO_DIR_SYNC)))
        return fio_fsync_parent(path);
    return 0;
}

static char *tmp_path(const char *path, unsigned flags)
{
    if (!(flags & FIO_HIDDEN_TMP))
        return xasprintf("%s.tmp", path);
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xasprintf(".%s.tmp", path);
    return xasprintf("%.*s/.%s.tmp", (int)(slash - path), path, slash + 1);
}

int fio_atomic_open(struct fio_atomic *a, const char *path, mode_t mode, unsigned flags)
{
    a->tmp = tmp_path(path, flags);
    a->fd = open(a->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
    if (a->fd < 0 || fchmod(a->fd, mode) < 0) {
        int e = -errno;
        if (a->fd >= 0) {
            close(a->fd);
            unlink(a->tmp);
        }
        freep(&a->tmp);
        a->fd = -1;
        a->path = NULL;
        return e;
    }
    a->path = xstrdup(path);
    a->flags = flags;
    return 0;
}

void fio_atomic_abort(struct fio_atomic *a)
{
    if (a->fd >= 0)
        close(a->fd);
    if (a->tmp)
        unlink(a->tmp);
    a->fd = -1;
    freep(&a->tmp);
    freep(&a->path);
}

int fio_atomic_commit(struct fio_atomic *a)
{
    int r = 0;
    if (!(a->flags & FIO_NO_SYNC) && fsync(a->fd) < 0)
        r = -errno;
    if (close(a->fd) < 0 && r == 0)
        r = -errno;
    a->fd = -1;
    if (r == 0 && rename(a->tmp, a->path) < 0)
        r = -errno;
    if (r < 0) {
        fio_atomic_abort(a);
        return r;
    }
    if (!(a->flags & (FIO_NO_SYNC | FIO_NO_DIR_SYNC)))
        r = fio_fsync_parent(a->path);
    freep(&a->tmp);
    freep(&a->path);
    return r;
}

int fio_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
                     unsigned flags)
{
    struct fio_atomic a;
    int r = fio_atomic_open(&a, path, mode, flags);
    if (r < 0)
        return r;
    if ((r = fio_write_all(a.fd, data, len)) < 0) {
        fio_atomic_abort(&a);
        return r;
    }
    return fio_atomic_commit(&a);
}

int fio_read_fd_capped(int fd, size_t cap, char **ret, size_t *ret_len)
{
    struct stat st;
    if (fstat(fd, &st) < 0)
        return -errno;
    if (!S_ISREG(st.st_mode))
        return -EINVAL;
    if (st.st_size < 0 || (uint64_t)st.st_size > cap)
        return -EFBIG;
    /* read to the end, whatever fstat said: one byte past CAP proves it grew too big */
    size_t size = (size_t)st.st_size + 1, n = 0;
    char *buf = xmalloc(size + 1);
    for (;;) {
        if (n == size) {
            size = size > cap / 2 ? cap + 1 : size * 2;
            buf = xrealloc(buf, size + 1);
        }
        ssize_t k = read(fd, buf + n, size - n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            int e = -errno;
            free(buf);
            return e;
        }
        if (k == 0)
            break;
        n += (size_t)k;
        if (n > cap) {
            free(buf);
            return -EFBIG;
        }
    }
    buf[n] = '\0';
    *ret = buf;
    *ret_len = n;
    return 0;
}

int fio_read_capped(const char *path, size_t cap, unsigned flags, char **ret, size_t *ret_len)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY |
                            (flags & FIO_NOFOLLOW ? O_NOFOLLOW : 0));
    if (fd < 0)
        return -errno;
    int r = fio_read_fd_capped(fd, cap, ret, ret_len);
    close(fd);
    return r;
}

int fio_parse_u64n(const char *s, size_t n, uint64_t *ret)
{
    uint64_t v = 0;
    if (n == 0)
        return -EINVAL;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -EINVAL;
        unsigned digit = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - digit) / 10)
            return -EINVAL;
        v = v * 10 + digit;
    }
    *ret = v;
    return 0;
}

int fio_parse_u64(const char *s, uint64_t *ret)
{
    return fio_parse_u64n(s, strlen(s), ret);
}
