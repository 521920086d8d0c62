/* bench_search.c - per-keystroke search latency, run by hand:
 *
 *     bench_search CONTENT_DB [ROUNDS] [--no-warm]
 *
 * Replays typed queries character by character (each prefix is one keystroke, as the
 * search screen runs one search_run per key) in five families: Chinese of 3+
 * characters, Chinese of 1-2 characters, English words, full pinyin, pinyin initials.
 * Each family runs ROUNDS times (default 5) and prints the median, p99 and worst
 * latency per keystroke of the warm rounds (2..ROUNDS), then all families together,
 * then round 1 alone: the first keystrokes after opening, on whatever page cache the
 * OS has (bench_search.sh drops it first, like a kiosk after boot), after search_warm
 * as the kiosk runs it in its idle time after start-up (--no-warm: without). Uses 8 hits per
 * group, Chinese titles, like the search screen.
 * tests/bench/bench_search.sh generates 20,000 + 20,000 items and runs this. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/util.h"
#include "core/search.h"

struct family {
    const char *name;
    const char *queries[16];
};

static const struct family families[] = {
    {"chinese 3+", {"社会保险缴费", "住房公积金提取", "营业执照", "户口迁移", "婚姻登记",
                    "行政处罚决定书", "市财政局部门预算", "最低工资标准", "食品经营许可",
                    "义务教育入学", "不动产登记", "应急预案", NULL}},
    {"chinese 1-2", {"社保", "户口", "税", "医保", "公积", "养老", "许可", "补贴", "招聘",
                     "预算", "龘", NULL}},
    {"english", {"social insurance", "tax", "marriage registration", "housing provident fund",
                 "business licence", "penalty decision", "minimum wage", "budget", NULL}},
    {"pinyin", {"shehuibaoxian", "gongjijin", "hukou", "yingyezhizhao", "shebao",
                "hunyindengji", "zhufanggongjijintiqu", "xingzhengchufa", NULL}},
    {"initials", {"shbx", "gjj", "yyzz", "sb", "hk", "hydj", "xzcf", "zfgjj", NULL}},
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* wall-clock latencies V and the CPU time of the same keystrokes C (the difference is
 * time waited: I/O, or other processes on the CPU) */
static void report(const char *name, double *v, double *c, size_t n, double *worst_q,
                   const char *worst)
{
    qsort(v, n, sizeof *v, cmp_double);
    qsort(c, n, sizeof *c, cmp_double);
    size_t p99 = MIN((size_t)((double)n * 0.99), n - 1);
    printf("%-11s %5zu keys  median %5.2f ms  p99 %6.2f ms  max %6.2f ms  (cpu: median %5.2f"
           " p99 %6.2f)", name, n, v[n / 2], v[p99], v[n - 1], c[n / 2], c[p99]);
    if (worst)
        printf("  (slowest: \"%s\" %.2f ms)", worst, *worst_q);
    printf("\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_search CONTENT_DB [ROUNDS]\n");
        return 2;
    }
    int rounds = argc > 2 ? atoi(argv[2]) : 5;
    char err[256];
    search *s;
    double t0 = now_ms();
    if (search_open(argv[1], &s, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    printf("search_open: %.2f ms\n", now_ms() - t0);
    if (!(argc > 3 && strcmp(argv[3], "--no-warm") == 0)) {
        int steps = 0, w;
        double c0 = cpu_ms();
        t0 = now_ms();
        while ((w = search_warm(s)) > 0)
            steps++;
        if (w < 0) {
            fprintf(stderr, "search_warm failed\n");
            return 1;
        }
        printf("search_warm: %.2f ms (cpu %.2f ms) in %d steps\n", now_ms() - t0, cpu_ms() - c0,
               steps + 1);
    }

    size_t cap = 100000, nall = 0, ncold = 0;
    double *all = xmalloc(cap * sizeof *all), *cold = xmalloc(cap * sizeof *cold);
    double *all_c = xmalloc(cap * sizeof *all_c), *cold_c = xmalloc(cap * sizeof *cold_c);
    for (size_t f = 0; f < ARRAY_SIZE(families); f++) {
        double *v = xmalloc(cap * sizeof *v), *vc = xmalloc(cap * sizeof *vc), worst_t = 0;
        size_t n = 0;
        char worst[256] = "";
        long hits = 0;
        for (int round = 0; round < rounds; round++)
            for (int q = 0; families[f].queries[q]; q++) {
                const char *text = families[f].queries[q];
                for (const char *p = text; *p;) {
                    utf8_next(&p);      /* one more character typed */
                    char prefix[256];
                    snprintf(prefix, sizeof prefix, "%.*s", (int)(p - text), text);
                    struct search_result r;
                    double a = now_ms(), ac = cpu_ms();
                    if (search_run(s, prefix, LANG_ZH, 8, &r) < 0) {
                        fprintf(stderr, "search_run(\"%s\") failed\n", prefix);
                        return 1;
                    }
                    double t = now_ms() - a, tc = cpu_ms() - ac;
                    for (int g = 0; g < r.n_groups; g++)
                        hits += r.groups[g].n;
                    search_result_free(&r);
                    if (round == 0 && rounds > 1) {
                        if (ncold < cap) {
                            cold_c[ncold] = tc;
                            cold[ncold++] = t;
                        }
                        continue;
                    }
                    if (n < cap) {
                        vc[n] = tc;
                        v[n++] = t;
                    }
                    if (nall < cap) {
                        all_c[nall] = tc;
                        all[nall++] = t;
                    }
                    if (t > worst_t) {
                        worst_t = t;
                        snprintf(worst, sizeof worst, "%s", prefix);
                    }
                }
            }
        report(families[f].name, v, vc, n, &worst_t, worst);
        (void)hits;
        free(v);
        free(vc);
    }
    report("all (warm)", all, all_c, nall, NULL, NULL);
    if (ncold)
        report("round 1", cold, cold_c, ncold, NULL, NULL);
    free(all);
    free(cold);
    free(all_c);
    free(cold_c);
    search_close(s);
    return 0;
}
