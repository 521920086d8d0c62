/* bench_ime.c - the pinyin input method's figures, run by hand (not a test):
 *   bench_ime [DATA_DIR]      (default: "ime" beside this program, as the kiosk)
 * start-up (ime_open, which includes a warm-up key), memory (VmRSS before and after
 * ime_open, and after the typing), and per-key latency over typing six words 20
 * times: each key is what the keyboard does on a tap, ime_key + ime_preedit + the
 * first page of candidates. Prints figures; fails only if the engine does not open. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/ime.h"

#define REPEATS 20

static const char *const words[] = {
    "beijing", "shehuibaoxian", "yingyezhizhao", "gongjijin", "wangxiaoming", "ouyang",
};

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* A field of /proc/self/status in kB ("VmRSS", "VmHWM"), or -1. */
static long status_kb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    long v = -1;
    size_t n = strlen(field);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, field, n) == 0 && line[n] == ':')
            v = atol(line + n + 1);
    fclose(f);
    return v;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void print_latency(const char *what, double *ms, int n)
{
    qsort(ms, (size_t)n, sizeof *ms, cmp_double);
    printf("%-28s n=%d  median %.3f ms  p99 %.3f ms  max %.3f ms\n", what, n, ms[n / 2],
           ms[(n * 99) / 100], ms[n - 1]);
}

int main(int argc, char **argv)
{
    char dir[PATH_MAX + 16];
    if (argc > 1) {
        snprintf(dir, sizeof dir, "%s", argv[1]);
    } else {
        char exe[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n < 0) {
            perror("bench_ime: /proc/self/exe");
            return 1;
        }
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        snprintf(dir, sizeof dir, "%s/ime", exe);
    }

    long rss_before = status_kb("VmRSS");
    double t0 = now_ms();
    ime *e = NULL;
    char err[512];
    int r = ime_open(dir, &e, err, sizeof err);
    double startup = now_ms() - t0;
    if (r < 0) {
        fprintf(stderr, "bench_ime: %s\n", err);
        return 1;
    }
    long rss_open = status_kb("VmRSS");

    static double key_ms[REPEATS * 64], reset_ms[REPEATS * 6];
    int keys = 0, resets = 0;
    for (int rep = 0; rep < REPEATS; rep++) {
        for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
            for (const char *k = words[w]; *k; k++) {
                const char *cands[IME_PAGE_SIZE];
                double a = now_ms();
                ime_key(e, *k);
                ime_preedit(e);
                ime_page(e, 0, cands, IME_PAGE_SIZE);
                key_ms[keys++] = now_ms() - a;
            }
            double a = now_ms();
            ime_reset(e);
            reset_ms[resets++] = now_ms() - a;
        }
    }
    long rss_typed = status_kb("VmRSS");

    printf("data dir                     %s\n", dir);
    printf("start-up (ime_open)          %.1f ms\n", startup);
    print_latency("per key (key+preedit+page)", key_ms, keys);
    print_latency("ime_reset (new visitor)", reset_ms, resets);
    printf("RSS before ime_open          %ld kB\n", rss_before);
    printf("RSS after ime_open           %ld kB (+%ld kB)\n", rss_open, rss_open - rss_before);
    printf("RSS after typing             %ld kB (+%ld kB), peak %ld kB\n", rss_typed,
           rss_typed - rss_before, status_kb("VmHWM"));
    ime_close(e);
    return 0;
}
