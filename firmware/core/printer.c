/* printer.c - the receipt printer's device I/O; see printer.h. */
#include "printer.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static const struct {
    int baud;
    speed_t speed;
} speeds[] = {
    {1200, B1200}, {2400, B2400}, {4800, B4800}, {9600, B9600}, {19200, B19200},
    {38400, B38400}, {57600, B57600}, {115200, B115200}, {230400, B230400},
    {460800, B460800}, {921600, B921600},
};

bool printer_speed_ok(int baud)
{
    for (size_t i = 0; i < ARRAY_SIZE(speeds); i++)
        if (speeds[i].baud == baud)
            return true;
    return false;
}

int printer_open(const char *path, int baud)
{
    speed_t speed = 0;
    for (size_t i = 0; i < ARRAY_SIZE(speeds); i++)
        if (speeds[i].baud == baud)
            speed = speeds[i].speed;
    if (!speed)
        return -EINVAL;
    int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    struct termios t;
    if (tcgetattr(fd, &t) == 0) {   /* a tty: serial port or pty; usblp is none */
        cfmakeraw(&t);
        t.c_cflag |= CLOCAL | CREAD;
        t.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
        cfsetispeed(&t, speed);
        cfsetospeed(&t, speed);
        if (tcsetattr(fd, TCSANOW, &t) != 0) {
            int e = -errno;
            close(fd);
            return e;
        }
    }
    return fd;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for EVENTS on FD until DEADLINE. 1 ready, 0 timed out, -ENODEV hung up. */
static int wait_for(int fd, short events, int64_t deadline)
{
    for (;;) {
        int64_t left = deadline - now_ms();
        if (left <= 0)
            return 0;
        struct pollfd p = {.fd = fd, .events = events};
        int r = poll(&p, 1, (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -errno;
        if (r == 0)
            return 0;
        if (p.revents & events)
            return 1;
        if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
            return -ENODEV;
    }
}

/* Reads and drops whatever the device sent before a request. */
static void drain(int fd)
{
    uint8_t junk[256];
    for (int i = 0; i < 64 && read(fd, junk, sizeof junk) > 0; i++)
        ;
}

enum escpos_state printer_status(int fd, int timeout_ms)
{
    struct escpos_status st = {0};
    drain(fd);
    for (int n = 1; n <= 4; n++) {
        uint8_t req[3];
        escpos_status_request(req, n);
        size_t w = 0;
        if (printer_write(fd, req, sizeof req, timeout_ms, &w) != 0)
            return ESCPOS_NO_ANSWER;
        int64_t deadline = now_ms() + timeout_ms;
        for (;;) {
            if (wait_for(fd, POLLIN, deadline) != 1)
                return ESCPOS_NO_ANSWER;
            uint8_t buf[64];
            ssize_t r = read(fd, buf, sizeof buf);
            if (r < 0 && (errno == EAGAIN || errno == EINTR))
                continue;
            if (r <= 0)
                return ESCPOS_NO_ANSWER;
            if (escpos_status_scan(n, buf, (size_t)r, &st) == 0)
                break;
        }
    }
    return escpos_status_state(&st);
}

int printer_write(int fd, const void *buf, size_t len, int timeout_ms, size_t *written)
{
    const uint8_t *p = buf;
    *written = 0;
    while (*written < len) {
        ssize_t r = write(fd, p + *written, len - *written);
        if (r > 0) {
            *written += (size_t)r;
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && errno != EAGAIN)
            return errno == EIO || errno == ENODEV || errno == EPIPE ? -ENODEV : -errno;
        int w = wait_for(fd, POLLOUT, now_ms() + timeout_ms);
        if (w == 0)
            return -ETIMEDOUT;
        if (w < 0)
            return w;
    }
    return 0;
}

static bool can_print(enum escpos_state s)
{
    return s == ESCPOS_READY || s == ESCPOS_NEAR_END;
}

void printer_print(const char *path, int baud, const uint8_t *job, size_t len, int timeout_ms,
                   struct printer_result *res)
{
    res->state = ESCPOS_NO_ANSWER;
    res->written = 0;
    int fd = printer_open(path, baud);
    if (fd < 0) {
        res->outcome = PRINTER_ABSENT;
        return;
    }
    res->state = printer_status(fd, timeout_ms);
    if (!can_print(res->state)) {
        res->outcome = PRINTER_NOT_READY;
        close(fd);
        return;
    }
    int w = printer_write(fd, job, len, timeout_ms, &res->written);
    if (w == -ENODEV) {
        res->outcome = PRINTER_UNPLUGGED;
        res->state = ESCPOS_NO_ANSWER;
        close(fd);
        return;
    }
    /* a timed-out write is judged by the status: the printer says why it stopped */
    res->state = printer_status(fd, timeout_ms);
    close(fd);
    if (w == 0 && res->state == ESCPOS_READY)
        res->outcome = PRINTER_PRINTED;
    else if (w == 0 && res->state == ESCPOS_NEAR_END)
        res->outcome = PRINTER_PRINTED_NEAR_END;
    else
        res->outcome = PRINTER_FAILED;
}

const char *printer_outcome_name(enum printer_outcome o)
{
    static const char *const names[] = {"printed", "printed", "absent", "not-ready",
                                        "unplugged", "failed"};
    return (unsigned)o < ARRAY_SIZE(names) ? names[o] : "failed";
}
