/* soak.c - see soak.h. */
#include "soak.h"
#include "core/store.h"
#include "base/util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__SANITIZE_ADDRESS__)
#define SOAK_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SOAK_ASAN 1
#endif
#endif

#ifdef SOAK_ASAN
/* libasan's (sanitizer/allocator_interface.h, which gcc 12 does not ship) */
size_t __sanitizer_get_current_allocated_bytes(void);
#else
#include <malloc.h>
#endif

#define SKIP_HOP_MS 15000
#define SKIP_MAX_S (31L * 86400)

size_t soak_heap_bytes(const char **measure)
{
#ifdef SOAK_ASAN
    if (measure)
        *measure = "AddressSanitizer allocator";
    return __sanitizer_get_current_allocated_bytes();
#else
    struct mallinfo2 m = mallinfo2();
    if (measure)
        *measure = "mallinfo2 uordblks+hblkhd";
    return m.uordblks + m.hblkhd;
#endif
}

static void export_wall(app *a)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)app_wall(a));
    setenv("KIOSK_WALL", buf, 1);
}

static void skip_ms(app *a, uint64_t ms)
{
    uint64_t end = app_now_ms(a) + ms;
    app_step(a);
    while (app_now_ms(a) < end) {
        uint64_t hop = MIN(end - app_now_ms(a), SKIP_HOP_MS);
        app_set_virtual_time(a, app_now_ms(a) + hop);
        app_step(a);
    }
    export_wall(a);
}

/* "90", "90s", "15m", "2h", "3d" in ms; 0 when malformed or over SKIP_MAX_S */
static uint64_t parse_duration(const char *s)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || v < 0)
        return 0;
    long mul = 1;
    if (*end == 'm')
        mul = 60;
    else if (*end == 'h')
        mul = 3600;
    else if (*end == 'd')
        mul = 86400;
    else if (*end != 's' && *end != '\0')
        return 0;
    if (*end && end[1])
        return 0;
    if (v > SKIP_MAX_S / mul)
        return 0;
    return (uint64_t)(v * mul) * 1000;
}

/* Proportional set size in kB from /proc/self/smaps_rollup; -1 without it */
static long pss_kb(void)
{
    FILE *f = fopen("/proc/self/smaps_rollup", "r");
    if (!f)
        return -1;
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "Pss: %ld kB", &kb) == 1)
            break;
    fclose(f);
    return kb;
}

int soak_step(const struct script_hook *h, const char *cmd, const char *a1, const char *a2,
              char *err, size_t errlen)
{
    (void)a2;
    if (strcmp(cmd, "skip") == 0) {
        uint64_t ms = a1 ? parse_duration(a1) : 0;
        if (!ms) {
            snprintf(err, errlen, "skip: expected a duration such as 90, 15m, 2h or 3d (at most 31d), got \"%s\"",
                     a1 ? a1 : "");
            return -1;
        }
        skip_ms(h->a, ms);
        return 0;
    }
    if (strcmp(cmd, "skip-to") == 0) {
        int hh, mm;
        char extra;
        if (!a1 || sscanf(a1, "%d:%d%c", &hh, &mm, &extra) != 2 || hh < 0 || hh > 23 || mm < 0 || mm > 59) {
            snprintf(err, errlen, "skip-to: expected HH:MM, got \"%s\"", a1 ? a1 : "");
            return -1;
        }
        time_t now = app_wall(h->a);
        struct tm tm;
        localtime_r(&now, &tm);
        long at = hh * 3600L + mm * 60, cur = tm.tm_hour * 3600L + tm.tm_min * 60 + tm.tm_sec;
        long wait = at > cur ? at - cur : at - cur + 86400;
        skip_ms(h->a, (uint64_t)wait * 1000);
        return 0;
    }
    if (strcmp(cmd, "memory") == 0) {
        /* what the process holds now, as is (caches not emptied), and who holds it */
        if (!a1) {
            snprintf(err, errlen, "memory: missing a name");
            return -1;
        }
        app_step(h->a);
        struct ui_stats us;
        ui_stats(app_ui(h->a), &us);
        const char *how;
        size_t heap = soak_heap_bytes(&how), sq = store_sqlite_bytes();
        /* the window surface is heap under the dummy video driver (headless) */
        size_t known = us.text_bytes + us.image_bytes + us.font_bytes + us.tree_bytes + sq + us.target_bytes;
        size_t free_kb = 0;
#ifndef SOAK_ASAN
        struct mallinfo2 m = mallinfo2();
        free_kb = m.fordblks / 1024;
#endif
        printf("memory %s: pss %ld kB; heap %zu kB (%s), free in malloc's arena %zu kB; "
               "text cache %zu kB of %zu kB, %d entries; images %zu kB of %zu kB, %d; "
               "fonts %zu kB, %d sizes, %d fallbacks; trees %zu kB; sqlite %zu kB; "
               "window surface %zu kB; rest of heap %zu kB\n",
               a1, pss_kb(), heap / 1024, how, free_kb, us.text_bytes / 1024, us.text_budget / 1024,
               us.text_entries, us.image_bytes / 1024, us.image_budget / 1024, us.images,
               us.font_bytes / 1024, us.fontsets, us.fallbacks, us.tree_bytes / 1024, sq / 1024,
               us.target_bytes / 1024, heap > known ? (heap - known) / 1024 : 0);
        fflush(stdout);
        return 0;
    }
    if (strcmp(cmd, "heap") == 0) {
        if (!a1) {
            snprintf(err, errlen, "heap: missing a name");
            return -1;
        }
        /* with the text cache emptied, as the monkey counts it (monkey.h) */
        ui_wipe(app_ui(h->a));
        ui_damage_all(app_ui(h->a));
        app_step(h->a);
        const char *how;
        size_t n = soak_heap_bytes(&how);
        printf("heap %s: %zu bytes live (%s)\n", a1, n, how);
        fflush(stdout);
        return 0;
    }
    return 1;
}
