/* util.h - small helpers every layer uses (base/ sits below core, ui and screens):
 * checked allocation, string copies, a growable byte buffer, and expect() for broken invariants (a bug, so abort loudly
 * with file and line, as microui does). */
#ifndef KIOSK_UTIL_H
#define KIOSK_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define CLAMP(v, lo, hi) ((v) < (lo) ? (lo) : (v) > (hi) ? (hi) : (v))

#define expect(x)                                                                \
    do {                                                                         \
        if (!(x))                                                                \
            util_die(__FILE__, __LINE__, #x);                                    \
    } while (0)

_Noreturn void util_die(const char *file, int line, const char *what);

/* Allocation that cannot return NULL: out of memory aborts (the kiosk is restarted
 * by systemd; a half-drawn screen is worse). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);             /* NULL in, NULL out */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Frees *p and sets it to NULL. */
void freep(void *p);

/* strbuf: a growable NUL-terminated buffer; strbuf_detach hands you the storage. */
typedef struct strbuf {
    char *buf;
    size_t len, cap;
} strbuf;
void strbuf_add(strbuf *sb, const char *s, size_t n);
void strbuf_adds(strbuf *sb, const char *s);
void strbuf_addf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_addc(strbuf *sb, char c);
char *strbuf_detach(strbuf *sb);          /* you now own the storage; sb is reset */
void strbuf_release(strbuf *sb);

/* UTF-8: decode one code point at *s (advancing it); invalid bytes yield U+FFFD. */
uint32_t utf8_next(const char **s);
/* Encode code point C (at most U+10FFFF) at *q, 1-4 bytes, advancing *q. */
void utf8_put(char **q, uint32_t c);
/* Number of code points. */
size_t utf8_len(const char *s);

/* 64-bit FNV-1a. */
uint64_t util_hash(const void *data, size_t n, uint64_t seed);

/* Case-insensitive (ASCII) substring test. */
bool util_contains(const char *hay, const char *needle);

/* Replaces every control byte of S (below 0x20, and 0x7f) with a space, so text
 * quoted from a file or the network cannot add lines to a one-line message. */
void util_one_line(char *s);

#endif
