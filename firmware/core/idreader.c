/* idreader.c - see idreader.h. */
#define _DEFAULT_SOURCE /* cfmakeraw, the B* rates above 38400 */
#include "idreader.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

enum step { STEP_IDLE, STEP_FIND, STEP_SELECT, STEP_READ };

struct idreader {
    char *path;
    speed_t speed;
    int fd;                  /* -1: closed */
    enum idreader_state state;
    enum step step;          /* the command awaiting its reply */
    uint64_t due;            /* the next command (IDLE), or the reply's deadline */
    bool got_bytes;          /* some of the reply came */
    bool held;               /* a card was read: no other until "no card" */
    bool wanted;             /* a form wants a card: look often */
    struct idcard_parser parser;
};

static const struct { int baud; speed_t speed; } rates[] = {
    {9600, B9600}, {19200, B19200}, {38400, B38400}, {57600, B57600},
    {115200, B115200}, {230400, B230400}, {460800, B460800}, {921600, B921600},
};

int idreader_baud_ok(int baud)
{
    for (size_t i = 0; i < ARRAY_SIZE(rates); i++)
        if (rates[i].baud == baud)
            return 0;
    return -EINVAL;
}

int idreader_new(const char *path, int baud, idreader **ret)
{
    *ret = NULL;
    for (size_t i = 0; i < ARRAY_SIZE(rates); i++) {
        if (rates[i].baud != baud)
            continue;
        idreader *r = xcalloc(1, sizeof *r);
        r->path = xstrdup(path);
        r->speed = rates[i].speed;
        r->fd = -1;
        idcard_parser_init(&r->parser);
        *ret = r;
        return 0;
    }
    return -EINVAL;
}

static void port_close(idreader *r)
{
    if (r->fd >= 0)
        close(r->fd);
    r->fd = -1;
    r->step = STEP_IDLE;
    idcard_parser_wipe(&r->parser);
}

void idreader_free(idreader *r)
{
    if (!r)
        return;
    port_close(r);
    free(r->path);
    sodium_memzero(r, sizeof *r);
    free(r);
}

static int port_open(idreader *r)
{
    int fd = open(r->path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    struct termios t;
    if (tcgetattr(fd, &t) < 0) {
        int e = -errno;
        close(fd);
        return e;
    }
    cfmakeraw(&t);
    t.c_cflag |= CLOCAL | CREAD;
    t.c_cc[VMIN] = 0;
    t.c_cc[VTIME] = 0;
    cfsetispeed(&t, r->speed);
    cfsetospeed(&t, r->speed);
    if (tcsetattr(fd, TCSANOW, &t) < 0) {
        int e = -errno;
        close(fd);
        return e;
    }
    tcflush(fd, TCIOFLUSH);
    r->fd = fd;
    return 0;
}

/* the port failed (unplugged): close it and look for it again later */
static int lost(idreader *r, uint64_t now)
{
    port_close(r);
    r->state = IDREADER_ABSENT;
    r->held = false;
    int ms = r->wanted ? IDREADER_REOPEN_MS : IDREADER_IDLE_MS;
    r->due = now + (uint64_t)ms;
    return ms;
}

static int send_cmd(idreader *r, enum step s, uint64_t now)
{
    static const unsigned cmds[] = {0, IDCARD_CMD_FIND, IDCARD_CMD_SELECT, IDCARD_CMD_READ};
    uint8_t cmd[IDCARD_CMD_LEN];
    idcard_command(cmds[s], cmd);
    /* ten bytes into an empty output queue: a short write means the port is gone */
    if (write(r->fd, cmd, sizeof cmd) != (ssize_t)sizeof cmd)
        return -EIO;
    idcard_parser_wipe(&r->parser);
    r->step = s;
    r->got_bytes = false;
    r->due = now + IDREADER_FIRST_BYTE_MS;
    return 0;
}

/* The exchange ends: wait for the next find. */
static void rest(idreader *r, uint64_t now)
{
    r->step = STEP_IDLE;
    r->due = now + (uint64_t)(r->wanted ? IDREADER_POLL_MS : IDREADER_IDLE_MS);
    idcard_parser_wipe(&r->parser);
}

/* A checked reply to the current step. */
static void reply(idreader *r, const struct idcard_frame *f, uint64_t now, bool want,
                  enum idreader_event *ev, struct idcard_person *card)
{
    int sw = idcard_status(f);
    r->state = IDREADER_ANSWERS;
    enum step s = r->step;
    if (s == STEP_FIND) {
        if (sw == IDCARD_SW_NO_CARD)
            r->held = false;
        if (sw == IDCARD_SW_FOUND && want && !r->held && send_cmd(r, STEP_SELECT, now) == 0)
            return;
    } else if (s == STEP_SELECT) {
        if (sw == IDCARD_SW_OK && want && send_cmd(r, STEP_READ, now) == 0)
            return;
        if (want)
            *ev = IDREADER_FAILED;
    } else if (s == STEP_READ) {
        if (want && idcard_read_person(f, card) == 0) {
            *ev = IDREADER_CARD;
            r->held = true;
        } else if (want) {
            *ev = IDREADER_FAILED;
        }
    }
    rest(r, now);
}

int idreader_poll(idreader *r, uint64_t now, bool want, enum idreader_event *ev,
                  struct idcard_person *card)
{
    *ev = IDREADER_NOTHING;
    if (want && !r->wanted && (r->fd < 0 || r->step == STEP_IDLE) && r->due > now)
        r->due = now; /* a form wants a card: look now, not at the next idle check */
    r->wanted = want;
    if (r->fd < 0) {
        if (now < r->due)
            return (int)(r->due - now);
        if (port_open(r) < 0)
            return lost(r, now);
        r->state = IDREADER_OPENED;
        r->step = STEP_IDLE;
        r->due = now;
    }
    if (r->step != STEP_IDLE) {
        uint8_t buf[256];
        for (;;) {
            ssize_t n = read(r->fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                break;
            if (n < 0) {
                sodium_memzero(buf, sizeof buf);
                return lost(r, now);
            }
            if (n == 0)
                break;
            r->got_bytes = true;
            r->due = now + IDREADER_GAP_MS;
            size_t at = 0;
            while (at < (size_t)n && r->step != STEP_IDLE) {
                size_t used;
                struct idcard_frame f;
                int e = idcard_feed(&r->parser, buf + at, (size_t)n - at, &used, &f);
                at += used;
                if (e == 1)
                    reply(r, &f, now, want, ev, card);
                else if (e < 0 && r->step == STEP_READ && want) {
                    *ev = IDREADER_FAILED; /* a wrong checksum: the card's reply is bad */
                    rest(r, now);
                } else if (e == 0 && used == 0)
                    break;
            }
            sodium_memzero(buf, (size_t)n);
            if (*ev != IDREADER_NOTHING || r->step == STEP_IDLE)
                break;
        }
        if (r->step != STEP_IDLE) {
            if (now < r->due)
                return (int)MIN(r->due - now, (uint64_t)IDREADER_STEP_MS);
            /* no reply, or it stopped: a lifted card, or a reader that says nothing */
            if (r->step == STEP_FIND || !r->got_bytes)
                r->state = IDREADER_SILENT;
            if (r->step != STEP_FIND && want)
                *ev = IDREADER_FAILED;
            rest(r, now);
            tcflush(r->fd, TCIFLUSH);
        }
    }
    if (now < r->due)
        return (int)(r->due - now);
    /* time for the next find; whatever arrived unasked is stale */
    tcflush(r->fd, TCIFLUSH);
    if (send_cmd(r, STEP_FIND, now) < 0)
        return lost(r, now);
    return IDREADER_STEP_MS;
}

enum idreader_state idreader_state_of(const idreader *r)
{
    return r->state;
}

const char *idreader_path(const idreader *r)
{
    return r->path;
}
