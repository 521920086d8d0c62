/* bench_fleet.c - what `kiosk-office fleet` costs on a province's fleet, run by hand:
 *
 *     bench_fleet [N] [USAGE_ROWS] [ROUNDS]
 *
 * Writes N heartbeats (default 10,000) into a temp web root, shaped like agent.c's
 * (sync/README.md "The heartbeat"), each with USAGE_ROWS usage counters (default 100)
 * and 20 failed searches, a mix of healthy and troubled kiosks (every 10th stale,
 * every 7th behind, every 13th low on disk, every 17th failing, every 500th garbage),
 * and a published manifest. Then, ROUNDS times (default 3), times office_fleet_load,
 * the JSON, the table, and the Prometheus textfile, and prints each, with the total
 * against the target of 2 s, in wall-clock and in CPU time (on a shared machine
 * the wall clock counts the neighbours too). The files are in the page cache, as on an
 * office server where nginx wrote them during the night. Never fails on time.
 * tests/bench/bench_fleet.sh runs the typical and the largest heartbeats. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/util.h"
#include "bundle.h"
#include "office_fleet.h"

/* Milliseconds on CLOCK: CLOCK_MONOTONIC for the wall, CLOCK_PROCESS_CPUTIME_ID for this
 * process's CPU (on a shared machine the wall clock also counts the neighbours). */
static double clock_ms(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}
#define now_ms() clock_ms(CLOCK_MONOTONIC)
#define cpu_ms() clock_ms(CLOCK_PROCESS_CPUTIME_ID)

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* A bundle head (sync/README.md "The bundle format"), signature zeros: fleet reads
 * only content_version and scope from it. */
static void write_manifest(const char *path, int version)
{
    char m[256];
    int mlen = snprintf(m, sizeof m, "{\"format\": 1, \"content_version\": %d, \"scope\": \"province\"}", version);
    unsigned char head[BUNDLE_HEADER_SIZE] = {0}, sig[BUNDLE_SIG_SIZE] = {0};
    memcpy(head, BUNDLE_MAGIC, 8);
    put32(head + 8, 1);
    put32(head + 16, (uint32_t)mlen);
    put32(head + 20, BUNDLE_SIG_SIZE);
    FILE *fp = fopen(path, "wb");
    if (!fp || fwrite(head, 1, sizeof head, fp) != sizeof head || fwrite(m, 1, (size_t)mlen, fp) != (size_t)mlen ||
        fwrite(sig, 1, sizeof sig, fp) != sizeof sig || fclose(fp) != 0) {
        perror(path);
        exit(2);
    }
}

static size_t write_heartbeat(const char *dir, int i, time_t now, int usage_rows)
{
    char id[32], sent[32], path[512];
    strbuf sb = {0};
    snprintf(id, sizeof id, "K%06d", i);
    int stale = i % 10 == 0, behind = i % 7 == 0, low = i % 13 == 0, failing = i % 17 == 0;
    bundle_time_format((int64_t)now - (stale ? 40 * 3600 : 3600 + i % 3600), sent);
    if (i % 500 == 499) {
        strbuf_adds(&sb, "{\"kiosk_id\": \"truncated in transit");
    } else {
        strbuf_addf(&sb,
                    "{\"kiosk_id\":\"%s\",\"scope\":\"province\",\"sent_at\":\"%s\",\"firmware_version\":\"0.%d.0\","
                    "\"content_version\":%d,\"uptime_seconds\":%d,\"disk_free_bytes\":%lld,"
                    "\"outbox\":{\"pending\":%d,\"uploaded\":%d,\"exported\":%d},\"errors\":[%s],"
                    "\"previous_sync\":{\"finished_at\":\"2026-12-05T01:00:00Z\",\"result\":\"%s\",\"exit\":%d,"
                    "\"errors\":[]},\"this_sync\":{\"installed\":false,\"uploaded\":%d,\"upload_failed\":0},\"usage\":[",
                    id, sent, 1 + i % 3, behind ? 41 : 42, 86400 + i, low ? 300ll << 20 : (20ll << 30) + i, i % 4,
                    100 + i % 900, i % 2,
                    failing ? "\"content: http://office/bundles/province/42.kbundle: payload.sha256: the payload "
                              "hashes to 84386858b8a606a6..., the manifest says fb2f71827f756a01... [bad-hash]\""
                            : "",
                    failing ? "failed" : "ok", failing ? 4 : 0, i % 4);
        for (int u = 0; u < usage_rows; u++)
            strbuf_addf(&sb, "%s{\"kind\":\"%s\",\"ref\":\"item-%04d\",\"views\":%d,\"qr_shows\":%d}", u ? "," : "",
                        u % 3 ? "guide" : "doc", (u * 37 + i) % 5000, 1000 - u, u % 7);
        strbuf_adds(&sb, "],\"failed_searches\":[");
        for (int q = 0; q < 20; q++)
            strbuf_addf(&sb, "%s{\"day\":\"2026-12-05\",\"key\":\"query %d\",\"count\":%d}", q ? "," : "", q * 13 + i % 50,
                        20 - q);
        strbuf_adds(&sb, "]}");
    }
    snprintf(path, sizeof path, "%s/%s.json", dir, id);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || fio_write_all(fd, sb.buf, sb.len) < 0 || close(fd) < 0) {
        perror(path);
        exit(2);
    }
    size_t len = sb.len;
    strbuf_release(&sb);
    return len;
}

static int remove_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 10000, usage_rows = argc > 2 ? atoi(argv[2]) : 100,
        rounds = argc > 3 ? atoi(argv[3]) : 3;
    if (n < 1 || n > OFFICE_FLEET_KIOSKS_MAX || usage_rows < 0 || usage_rows > 1000 || rounds < 1) {
        fprintf(stderr, "usage: bench_fleet [N 1..%d] [USAGE_ROWS 0..1000] [ROUNDS]\n", OFFICE_FLEET_KIOSKS_MAX);
        return 2;
    }
    char dir[] = "/tmp/bench-fleet-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 2;
    }
    char *root = xasprintf("%s/www", dir), *status = xasprintf("%s/status", root),
         *bundles = xasprintf("%s/bundles", root), *scope = xasprintf("%s/province", bundles),
         *manifest = xasprintf("%s/manifest", scope), *prom = xasprintf("%s/fleet.prom", dir),
         *json = xasprintf("%s/fleet.json", dir), *table = xasprintf("%s/fleet.txt", dir);
    if (mkdir(root, 0755) || mkdir(status, 0755) || mkdir(bundles, 0755) || mkdir(scope, 0755)) {
        perror(root);
        return 2;
    }
    write_manifest(manifest, 42);
    time_t now = time(NULL);
    double t0 = now_ms();
    size_t bytes = 0;
    for (int i = 0; i < n; i++)
        bytes += write_heartbeat(status, i, now, usage_rows);
    printf("heartbeats: %d, %d usage rows + 20 failed searches each, %.1f MB (%.1f KB each), written in %.0f ms\n", n,
           usage_rows, (double)bytes / 1e6, (double)bytes / n / 1e3, now_ms() - t0);
    fflush(stdout);
    int status_code = 0;
    for (int r = 1; r <= rounds; r++) {
        struct office_fleet *f = NULL;
        char err[640];
        double a = now_ms(), ca = cpu_ms();
        if (office_fleet_load_msg(root, NULL, now, &f, err, sizeof err) < 0) {
            fprintf(stderr, "bench_fleet: %s\n", err);
            status_code = 2;
            break;
        }
        double b = now_ms(), cb = cpu_ms();
        FILE *jf = fopen(json, "w"), *tf = fopen(table, "w");
        if (!jf || !tf || office_fleet_write_json(f, jf) < 0 || fclose(jf) != 0) {
            perror(json);
            return 2;
        }
        double c = now_ms(), cc = cpu_ms();
        if (office_fleet_write_table(f, tf) < 0 || fclose(tf) != 0) {
            perror(table);
            return 2;
        }
        double d = now_ms(), cd = cpu_ms();
        if (office_fleet_write_prometheus(f, prom, err, sizeof err) < 0) {
            fprintf(stderr, "bench_fleet: %s\n", err);
            return 2;
        }
        double e = now_ms(), ce = cpu_ms();
        struct stat js, ps;
        stat(json, &js), stat(prom, &ps);
        printf("round %d: wall: load %.0f ms, json %.0f ms (%.1f MB), table %.0f ms, prometheus %.0f ms (%.1f MB); "
               "load + json + prometheus %.0f ms (target 2000)\n",
               r, b - a, c - b, (double)js.st_size / 1e6, d - c, e - d, (double)ps.st_size / 1e6,
               (b - a) + (c - b) + (e - d));
        printf("         cpu:  load %.0f ms, json %.0f ms, table %.0f ms, prometheus %.0f ms; "
               "load + json + prometheus %.0f ms; %zu rows, %zu need attention\n",
               cb - ca, cc - cb, cd - cc, ce - cd, (cb - ca) + (cc - cb) + (ce - cd), office_fleet_count(f),
               office_fleet_attention(f));
        if (r == rounds)
            printf("flags: stale %zu, behind %zu, low-disk %zu, failing-sync %zu, invalid %zu\n",
                   office_fleet_flag_count(f, OFFICE_FLEET_STALE), office_fleet_flag_count(f, OFFICE_FLEET_BEHIND),
                   office_fleet_flag_count(f, OFFICE_FLEET_LOW_DISK),
                   office_fleet_flag_count(f, OFFICE_FLEET_FAILING_SYNC),
                   office_fleet_flag_count(f, OFFICE_FLEET_INVALID));
        office_fleet_free(f);
    }
    nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    free(root), free(status), free(bundles), free(scope), free(manifest), free(prom), free(json), free(table);
    return status_code;
}
