/* http.h - the sync agent's HTTP client: libcurl's easy interface with the politeness
 * and the limits a fleet of kiosks owes one central server.
 *
 * Every request: a connect timeout, a low-speed cut-off (CURLOPT_LOW_SPEED_LIMIT/TIME),
 * a whole-transfer timeout, a cap on every body read (CURLOPT_MAXFILESIZE_LARGE and our
 * own count in the write callback: Content-Length may be absent or lie), and retries
 * with exponential backoff and full jitter on connection failures, 408, 429 and 5xx.
 * Retry-After (seconds or an HTTP-date) is honoured: the next attempt never comes
 * sooner; a server asking for more than retry_max_seconds ends the attempts. One easy
 * handle is reused, so a cycle's requests share a connection.
 *
 * Nothing here prints: retries are reported through opts.log, and a failed request
 * leaves one line in resp->error for the caller to log. */
#ifndef KIOSK_HTTP_H
#define KIOSK_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define HTTP_ETAG_MAX 256     /* longer ETags are treated as absent */
#define HTTP_SMALL_BODY_MAX (64 * 1024) /* bodies of PUT answers and error pages */

struct http_opts {
    long connect_timeout;     /* seconds */
    long low_speed_limit;     /* bytes/s ... */
    long low_speed_time;      /* ... for this many seconds ends the transfer */
    long transfer_timeout;    /* seconds, a whole transfer */
    int retries;              /* attempts after the first */
    long retry_base_ms;       /* the first backoff; doubles each attempt */
    long retry_max_seconds;   /* the longest wait between attempts */
    const char *user_agent;
    /* one line per retry ("GET URL: 503, retrying in 2.0 s (Retry-After)"); may be NULL */
    void (*log)(void *ctx, const char *line);
    void *log_ctx;
};

struct http_response {
    long status;              /* the final HTTP status; 0 when none came */
    char etag[HTTP_ETAG_MAX]; /* the final response's ETag, "" when none */
    int attempts;             /* how many requests were made */
    char error[320];          /* one line when the call failed */
};

struct http_stats {           /* what a cycle cost, for the log and the benchmark */
    long requests;
    uint64_t bytes_down;      /* headers and bodies received */
    uint64_t bytes_up;        /* request lines, headers and bodies sent */
};

typedef struct http http;

/* Returns 0 or -ENOMEM. curl_global_init is the program's. */
int http_new(const struct http_opts *o, http **ret);
void http_free(http *h); /* accepts NULL */
const struct http_stats *http_stats_of(const http *h);

/* GET URL into memory, at most CAP bytes. IF_NONE_MATCH (may be NULL) is sent as
 * If-None-Match; a 304 returns 0 with status 304 and no body. *ret_body is
 * NUL-terminated and yours (NULL on 304). Returns 0 on 200/304, else a negative code:
 *   -EMSGSIZE   the body is over CAP
 *   -EBUSY      429/503 until the attempts ran out, or a Retry-After too long
 *   -ETIMEDOUT  connect, low-speed or transfer timeout
 *   -ECONNREFUSED, -EHOSTUNREACH   no connection
 *   -ENOENT     404; -EPROTO any other unexpected status; -EIO other failures */
int http_get_mem(http *h, const char *url, const char *if_none_match, size_t cap,
                 char **ret_body, size_t *ret_len, struct http_response *resp);

/* GET URL into PATH, resuming: when PATH holds a partial download and ETAG_PATH its
 * ETag, asks for the rest (Range: bytes=N-, If-Range: ETAG); a 200 instead starts
 * over. The ETag of a fresh response is written to ETAG_PATH as soon as its headers
 * arrive, so a download killed at any point can resume. TOTAL is the exact size
 * expected (the whole file is capped at it). Returns 0 when PATH holds TOTAL bytes;
 * codes as above, and -ENOSPC (or the write's errno) when the disk is full. */
int http_get_file(http *h, const char *url, const char *path, const char *etag_path,
                  uint64_t total, struct http_response *resp);

/* PUT BODY to URL. 0 on any 2xx; codes as above. */
int http_put(http *h, const char *url, const void *body, size_t len, const char *content_type,
             struct http_response *resp);

/* Retry-After: delta-seconds or an HTTP-date (the three formats of RFC 9110), as
 * seconds from NOW; -1 when absent or malformed. Exposed for the tests. */
long http_retry_after(const char *value, time_t now);

/* The wait before attempt N+1 (N >= 1): base * 2^(N-1), capped, with full jitter
 * in [half, whole]; at least RETRY_AFTER seconds when that is >= 0. In ms. */
long http_backoff_ms(const struct http_opts *o, int attempt, long retry_after);

#endif
