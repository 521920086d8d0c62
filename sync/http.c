/* http.c - see http.h. One attempt is one curl_easy_perform on the reused handle;
 * the retry loop around it decides, from the outcome, whether and when to try again. */
#include "http.h"
#include "base/fileio.h"
#include "base/util.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

struct http {
    CURL *curl;
    struct http_opts o;
    struct http_stats st;
    char errbuf[CURL_ERROR_SIZE];
};

enum sink { SINK_MEM, SINK_FILE };

/* The state of one attempt: what the headers said and where the body goes. */
struct xfer {
    long status;
    char etag[HTTP_ETAG_MAX], retry_after[64], content_range[128];
    enum sink sink;
    int body_ok;          /* the final status says: keep this body */
    /* SINK_MEM */
    char *buf;
    size_t len, cap, alloc;
    /* SINK_FILE */
    int fd;
    uint64_t offset;      /* bytes already in the file when this attempt began */
    uint64_t total;
    const char *etag_path;
    /* what went wrong in a callback */
    int over_cap, write_errno, range_bad;
    /* PUT body */
    const char *up;
    size_t up_len, up_off;
    /* a small copy of an error page, dropped: counted only */
    size_t discarded;
};

static void logf_(http *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(http *h, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    if (!h->o.log)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    h->o.log(h->o.log_ctx, line);
}

int http_new(const struct http_opts *o, http **ret)
{
    http *h = xcalloc(1, sizeof *h);
    h->o = *o;
    h->curl = curl_easy_init();
    if (!h->curl) {
        free(h);
        return -ENOMEM;
    }
    *ret = h;
    return 0;
}

void http_free(http *h)
{
    if (!h)
        return;
    curl_easy_cleanup(h->curl);
    free(h);
}

const struct http_stats *http_stats_of(const http *h)
{
    return &h->st;
}

long http_retry_after(const char *value, time_t now)
{
    const char *p = value;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p)
        return -1;
    if (*p >= '0' && *p <= '9') {
        long v = 0;
        for (; *p >= '0' && *p <= '9'; p++) {
            if (v > 100000000L)
                return -1;
            v = v * 10 + (*p - '0');
        }
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
            p++;
        return *p ? -1 : v;
    }
    time_t t = curl_getdate(p, NULL);
    if (t == -1)
        return -1;
    return t > now ? (long)(t - now) : 0;
}

long http_backoff_ms(const struct http_opts *o, int attempt, long retry_after)
{
    long cap = o->retry_max_seconds * 1000, d = o->retry_base_ms > 0 ? o->retry_base_ms : 1;
    for (int i = 1; i < attempt && d < cap; i++)
        d *= 2;
    d = MIN(d, cap);
    /* full jitter over the upper half: a fleet that failed together spreads out */
    long wait = d / 2 + (long)randombytes_uniform((uint32_t)(d - d / 2 + 1));
    if (retry_after >= 0 && wait < retry_after * 1000)
        wait = retry_after * 1000;
    return wait;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* Copies header VALUE (trimmed) into OUT if it fits; else leaves OUT empty. */
static void header_value(const char *v, size_t n, char *out, size_t size)
{
    while (n > 0 && (*v == ' ' || *v == '\t')) {
        v++;
        n--;
    }
    while (n > 0 && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' '))
        n--;
    if (n < size) {
        memcpy(out, v, n);
        out[n] = '\0';
    } else {
        out[0] = '\0';
    }
}

static int header_is(const char *line, size_t n, const char *name, const char **ret_value)
{
    size_t nl = strlen(name);
    if (n > nl && strncasecmp(line, name, nl) == 0 && line[nl] == ':') {
        *ret_value = line + nl + 1;
        return 1;
    }
    return 0;
}

/* Persists the ETag of a fresh download so a later run can resume it with If-Range;
 * without one, a partial file is useless and is started over. */
static void etag_store(const char *path, const char *etag)
{
    if (!*etag || fio_write_atomic(path, etag, strlen(etag), 0600, FIO_NO_SYNC) < 0)
        unlink(path);
}

/* At the end of a final response's headers, decide what its body is for. */
static int headers_done(struct xfer *x)
{
    if (x->sink == SINK_MEM) {
        x->body_ok = x->status == 200;
        return 0;
    }
    if (x->status == 206) {
        unsigned long long start, end, total;
        if (sscanf(x->content_range, "bytes %llu-%llu/%llu", &start, &end, &total) != 3 ||
            start != x->offset || total != x->total) {
            x->range_bad = 1;
            return -1;
        }
        x->body_ok = 1;
        return 0;
    }
    if (x->status == 200) {
        /* a fresh copy (first download, or If-Range found the file changed) */
        if (ftruncate(x->fd, 0) < 0 || lseek(x->fd, 0, SEEK_SET) < 0) {
            x->write_errno = errno;
            return -1;
        }
        x->offset = 0;
        etag_store(x->etag_path, x->etag);
        x->body_ok = 1;
    }
    return 0;
}

static size_t on_header(char *line, size_t size, size_t n, void *ud)
{
    struct xfer *x = ud;
    const char *v;
    (void)size;
    if (n >= 5 && strncmp(line, "HTTP/", 5) == 0) {
        /* a new response (after a redirect or a 100 Continue): forget the last one */
        const char *sp = memchr(line, ' ', n);
        x->status = sp ? strtol(sp + 1, NULL, 10) : 0;
        x->etag[0] = x->retry_after[0] = x->content_range[0] = '\0';
        x->body_ok = 0;
    } else if (header_is(line, n, "etag", &v)) {
        header_value(v, n - (size_t)(v - line), x->etag, sizeof x->etag);
    } else if (header_is(line, n, "retry-after", &v)) {
        header_value(v, n - (size_t)(v - line), x->retry_after, sizeof x->retry_after);
    } else if (header_is(line, n, "content-range", &v)) {
        header_value(v, n - (size_t)(v - line), x->content_range, sizeof x->content_range);
    } else if ((n == 2 && line[0] == '\r') || (n == 1 && line[0] == '\n')) {
        if (x->status >= 200 && !(x->status >= 300 && x->status < 400) && headers_done(x) < 0)
            return 0; /* aborts the transfer */
    }
    return n;
}

static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
    struct xfer *x = ud;
    (void)size;
    if (!x->body_ok) {
        /* an error page: counted, capped, dropped */
        x->discarded += n;
        if (x->discarded > HTTP_SMALL_BODY_MAX) {
            x->over_cap = 1;
            return 0;
        }
        return n;
    }
    if (x->sink == SINK_MEM) {
        if (x->len + n > x->cap) {
            x->over_cap = 1;
            return 0;
        }
        if (x->len + n + 1 > x->alloc) {
            x->alloc = MAX(x->alloc * 2, x->len + n + 1);
            x->alloc = MAX(x->alloc, (size_t)4096);
            x->buf = xrealloc(x->buf, x->alloc);
        }
        memcpy(x->buf + x->len, data, n);
        x->len += n;
        x->buf[x->len] = '\0';
        return n;
    }
    if (x->offset + x->len + n > x->total) {
        x->over_cap = 1;
        return 0;
    }
    const char *p = data;
    size_t left = n;
    while (left > 0) {
        ssize_t w = write(x->fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            x->write_errno = w < 0 ? errno : EIO;
            return 0;
        }
        p += w;
        left -= (size_t)w;
    }
    x->len += n;
    return n;
}

static size_t on_upload(char *buf, size_t size, size_t n, void *ud)
{
    struct xfer *x = ud;
    size_t k = MIN(size * n, x->up_len - x->up_off);
    memcpy(buf, x->up + x->up_off, k);
    x->up_off += k;
    return k;
}

static int retryable_status(long s)
{
    return s == 408 || s == 429 || s == 500 || s == 502 || s == 503 || s == 504;
}

/* One request. Returns 0 on a wanted status, else a negative code; *retry says
 * whether another attempt may help. */
static int attempt(http *h, const char *method, const char *url, struct curl_slist *hdrs,
                   struct xfer *x, uint64_t maxsize, int *retry, struct http_response *resp)
{
    CURL *c = h->curl;
    CURLcode rc;
    int r;

    curl_easy_reset(c);
    h->errbuf[0] = '\0';
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    /* an https request is never redirected to clear text */
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, strncasecmp(url, "https:", 6) == 0 ? "https" : "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 3L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, h->o.connect_timeout);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, h->o.low_speed_limit);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, h->o.low_speed_time);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, h->o.transfer_timeout);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)maxsize);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->errbuf);
    curl_easy_setopt(c, CURLOPT_USERAGENT, h->o.user_agent ? h->o.user_agent : "kiosk-sync");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, x);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
    if (!strcmp(method, "PUT")) {
        curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(c, CURLOPT_READFUNCTION, on_upload);
        curl_easy_setopt(c, CURLOPT_READDATA, x);
        curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)x->up_len);
    }

    rc = curl_easy_perform(c);

    curl_off_t down = 0, up = 0;
    long hsize = 0, rsize = 0;
    curl_easy_getinfo(c, CURLINFO_SIZE_DOWNLOAD_T, &down);
    curl_easy_getinfo(c, CURLINFO_SIZE_UPLOAD_T, &up);
    curl_easy_getinfo(c, CURLINFO_HEADER_SIZE, &hsize);
    curl_easy_getinfo(c, CURLINFO_REQUEST_SIZE, &rsize);
    h->st.requests++;
    h->st.bytes_down += (uint64_t)down + (uint64_t)hsize;
    h->st.bytes_up += (uint64_t)up + (uint64_t)rsize;
    resp->attempts++;
    resp->status = x->status;
    snprintf(resp->etag, sizeof resp->etag, "%s", x->etag);

    *retry = 0;
    if (x->over_cap || rc == CURLE_FILESIZE_EXCEEDED) {
        snprintf(resp->error, sizeof resp->error, "%s %s: more than the %" PRIu64 " bytes allowed",
                 method, url, maxsize);
        return -EMSGSIZE;
    }
    if (x->write_errno) {
        snprintf(resp->error, sizeof resp->error, "%s %s: cannot write the download: %s", method, url,
                 strerror(x->write_errno));
        return -x->write_errno;
    }
    if (x->range_bad) {
        snprintf(resp->error, sizeof resp->error, "%s %s: the server resumed at the wrong place (%s)",
                 method, url, x->content_range);
        *retry = 1;
        return -EPROTO;
    }
    if (rc != CURLE_OK) {
        snprintf(resp->error, sizeof resp->error, "%s %s: %s", method, url,
                 h->errbuf[0] ? h->errbuf : curl_easy_strerror(rc));
        switch (rc) {
        case CURLE_OPERATION_TIMEDOUT:
            *retry = 1;
            return -ETIMEDOUT;
        case CURLE_COULDNT_CONNECT:
            *retry = 1;
            return -ECONNREFUSED;
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
            *retry = 1;
            return -EHOSTUNREACH;
        case CURLE_PARTIAL_FILE:
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
            *retry = 1;
            return -EIO;
        default:
            return -EIO;
        }
    }
    long s = x->status;
    if ((s >= 200 && s < 300) || s == 304)
        return 0;
    snprintf(resp->error, sizeof resp->error, "%s %s: HTTP %ld", method, url, s);
    *retry = retryable_status(s);
    if (s == 416 && x->sink == SINK_FILE) {
        /* our partial file does not fit what the server has now: start over */
        if (ftruncate(x->fd, 0) == 0)
            unlink(x->etag_path);
        *retry = 1;
    }
    r = s == 404 ? -ENOENT : (s == 429 || s == 503) ? -EBUSY : -EPROTO;
    return r;
}

/* The retry loop around attempt(); PREPARE resets the per-attempt state. */
static int request(http *h, const char *method, const char *url, struct curl_slist *hdrs,
                   struct xfer *x, uint64_t maxsize, int (*prepare)(struct xfer *, struct curl_slist **),
                   struct http_response *resp)
{
    int r = 0, retry = 0, max = h->o.retries + 1;
    for (int n = 1; n <= max; n++) {
        struct curl_slist *extra = NULL, *all = NULL;
        x->status = 0;
        x->etag[0] = x->retry_after[0] = x->content_range[0] = '\0';
        x->body_ok = x->over_cap = x->write_errno = x->range_bad = 0;
        x->discarded = 0;
        x->up_off = 0;
        if (prepare && (r = prepare(x, &extra)) < 0) {
            snprintf(resp->error, sizeof resp->error, "%s %s: cannot prepare: %s", method, url, strerror(-r));
            return r;
        }
        if (prepare && r == 1) /* nothing left to fetch */
            return 0;
        for (struct curl_slist *l = hdrs; l; l = l->next)
            all = curl_slist_append(all, l->data);
        for (struct curl_slist *l = extra; l; l = l->next)
            all = curl_slist_append(all, l->data);
        r = attempt(h, method, url, all, x, maxsize, &retry, resp);
        curl_slist_free_all(all);
        curl_slist_free_all(extra);
        if (r == 0 || !retry)
            return r;
        long ra = http_retry_after(x->retry_after, time(NULL));
        if (ra > h->o.retry_max_seconds) {
            snprintf(resp->error, sizeof resp->error,
                     "%s %s: HTTP %ld, the server asks to wait %ld s, more than retry_max_seconds (%ld): "
                     "giving up until the next cycle", method, url, x->status, ra, h->o.retry_max_seconds);
            return -EBUSY;
        }
        if (n == max)
            break;
        long wait = http_backoff_ms(&h->o, n, ra);
        logf_(h, "%s, retrying in %.1f s%s (attempt %d of %d)", resp->error, wait / 1000.0,
              ra > 0 && wait == ra * 1000 ? " as Retry-After asks" : "", n + 1, max);
        sleep_ms(wait);
    }
    size_t l = strlen(resp->error);
    snprintf(resp->error + l, sizeof resp->error - l, " (after %d attempt%s)", resp->attempts,
             resp->attempts == 1 ? "" : "s");
    return r;
}

int http_get_mem(http *h, const char *url, const char *if_none_match, size_t cap,
                 char **ret_body, size_t *ret_len, struct http_response *resp)
{
    struct xfer x = {.sink = SINK_MEM, .cap = cap, .fd = -1};
    struct curl_slist *hdrs = NULL;
    int r;

    memset(resp, 0, sizeof *resp);
    if (if_none_match && *if_none_match) {
        char *line = xasprintf("If-None-Match: %s", if_none_match);
        hdrs = curl_slist_append(hdrs, line);
        free(line);
    }
    r = request(h, "GET", url, hdrs, &x, cap, NULL, resp);
    curl_slist_free_all(hdrs);
    if (r < 0 || resp->status == 304) {
        free(x.buf);
        *ret_body = NULL;
        *ret_len = 0;
        return r;
    }
    if (!x.buf)
        x.buf = xstrdup("");
    *ret_body = x.buf;
    *ret_len = x.len;
    return 0;
}

/* Per attempt of a file GET: where the file stands, and the Range to ask for.
 * Returns 1 when the file is already complete. */
static int prepare_file(struct xfer *x, struct curl_slist **extra)
{
    struct stat st;
    char etag[HTTP_ETAG_MAX] = "", line[HTTP_ETAG_MAX + 32];
    if (fstat(x->fd, &st) < 0)
        return -errno;
    uint64_t have = (uint64_t)st.st_size;
    x->len = 0;
    if (have == x->total)
        return 1;
    int efd = have > 0 && have < x->total ? open(x->etag_path, O_RDONLY | O_CLOEXEC) : -1;
    if (efd >= 0) {
        ssize_t n = read(efd, etag, sizeof etag - 1);
        etag[n > 0 ? n : 0] = '\0';
        close(efd);
        if (n <= 0 || (size_t)n >= sizeof etag - 1)
            etag[0] = '\0';
    }
    if (!etag[0]) {
        /* nothing to resume against: start over */
        if (have > 0 && ftruncate(x->fd, 0) < 0)
            return -errno;
        have = 0;
    }
    if (lseek(x->fd, (off_t)have, SEEK_SET) < 0)
        return -errno;
    x->offset = have;
    if (have > 0) {
        snprintf(line, sizeof line, "Range: bytes=%" PRIu64 "-", have);
        *extra = curl_slist_append(*extra, line);
        snprintf(line, sizeof line, "If-Range: %s", etag);
        *extra = curl_slist_append(*extra, line);
    }
    return 0;
}

int http_get_file(http *h, const char *url, const char *path, const char *etag_path,
                  uint64_t total, struct http_response *resp)
{
    struct xfer x = {.sink = SINK_FILE, .total = total, .etag_path = etag_path};
    struct stat st;
    int r;

    memset(resp, 0, sizeof *resp);
    x.fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (x.fd < 0) {
        r = -errno;
        snprintf(resp->error, sizeof resp->error, "GET %s: cannot open %s: %s", url, path, strerror(errno));
        return r;
    }
    if (fstat(x.fd, &st) == 0 && (uint64_t)st.st_size > total && ftruncate(x.fd, 0) < 0) {
        r = -errno;
        goto out;
    }
    r = request(h, "GET", url, NULL, &x, total, prepare_file, resp);
    if (r == 0 && fstat(x.fd, &st) == 0 && (uint64_t)st.st_size != total) {
        snprintf(resp->error, sizeof resp->error, "GET %s: got %jd bytes, expected %" PRIu64, url,
                 (intmax_t)st.st_size, total);
        r = -EPROTO;
    }
    if (r == 0 && resp->attempts > 0 && resp->status != 200 && resp->status != 206) {
        snprintf(resp->error, sizeof resp->error, "GET %s: HTTP %ld", url, resp->status);
        r = -EPROTO;
    }
out:
    close(x.fd);
    return r;
}

int http_put(http *h, const char *url, const void *body, size_t len, const char *content_type,
             struct http_response *resp)
{
    struct xfer x = {.sink = SINK_MEM, .cap = HTTP_SMALL_BODY_MAX, .fd = -1, .up = body, .up_len = len};
    struct curl_slist *hdrs = NULL;
    char line[128];
    int r;

    memset(resp, 0, sizeof *resp);
    snprintf(line, sizeof line, "Content-Type: %s", content_type);
    hdrs = curl_slist_append(hdrs, line);
    hdrs = curl_slist_append(hdrs, "Expect:"); /* no 100-continue round trip */
    r = request(h, "PUT", url, hdrs, &x, HTTP_SMALL_BODY_MAX, NULL, resp);
    curl_slist_free_all(hdrs);
    free(x.buf);
    return r;
}
