/* fuzz_content.c - the content compiler (sync/content_build.h) on one item file of each
 * kind. A small source tree is made once in a temporary folder from the demo content
 * (hall, agencies, categories, images, topics and the four services the marriage
 * one-thing list names); each input is written into it as one file and the tree is
 * compiled with check_only (every rule, a database in memory, no search indexes). The
 * first byte picks the file (KINDS below: a service, a form, a one-thing list, a
 * document, a calendar year, the announcements, the topics, or one of the tree's own
 * hall, agencies and categories); the rest is its text. The file is removed (or the
 * tree's own put back) after each input.
 * Invariants: a refusal is one line naming a file of the tree; an accepted tree counts
 * the item the input added.
 * Each input costs a new SQLite database and its schema: ~12 ms natively, and under ASan
 * its default 256 MB quarantine makes every allocation a fresh page, so a smaller one
 * (__asan_default_options) triples the speed. */
#include "fuzz.h"

#include "content_build.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef KIOSK_CONTENT_DIR
#error "KIOSK_CONTENT_DIR: the demo content's source tree (CMake defines it)"
#endif

static char tree[64];

const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "quarantine_size_mb=16";
}

/* Files of the tree that the harness replaces; the others are new files. */
static const char *const own[] = {"hall.json", "agencies.json", "categories.json", "disclosure/topics.json"};
static char *own_text[4];
static size_t own_len[4];

static const struct kind {
    const char *path;
    int own;                /* index into own[], -1 for a new file */
} KINDS[] = {
    {"services/fuzz.json", -1},     {"forms/fuzz.json", -1},
    {"onething/fuzz.json", -1},     {"disclosure/docs/fuzz.json", -1},
    {"calendar/cn-2026.json", -1},  {"announcements.json", -1},
    {"disclosure/topics.json", 3},  {"hall.json", 0},
    {"agencies.json", 1},           {"categories.json", 2},
};
#define NKINDS (sizeof KINDS / sizeof KINDS[0])

static void write_file(const char *rel, const void *data, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tree, rel);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    FUZZ_CHECK(fd >= 0);
    FUZZ_CHECK(write(fd, data, len) == (ssize_t)len);
    close(fd);
}

static char *read_demo(const char *rel, size_t *ret_len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", KIOSK_CONTENT_DIR, rel);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "fuzz_content: %s: %s\n", path, strerror(errno));
        abort();
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    FUZZ_CHECK(buf && fread(buf, 1, (size_t)n, f) == (size_t)n);
    fclose(f);
    *ret_len = (size_t)n;
    return buf;
}

static void copy_demo(const char *rel)
{
    size_t n;
    char *text = read_demo(rel, &n);
    write_file(rel, text, n);
    free(text);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_tree(void)
{
    nftw(tree, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    for (size_t i = 0; i < 4; i++)
        free(own_text[i]);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static const char *const dirs[] = {"images", "services", "forms", "onething", "disclosure",
                                       "disclosure/docs", "calendar"};
    static const char *const images[] = {"images/hall-map-1.png", "images/hall-map-2.png",
                                         "images/onething-marriage.png"};
    static const char *const services[] = {"birth-registration-service", "hukou-transfer",
                                           "marriage-reg", "premarital-check"};
    char path[512];
    /* in memory where there is a tmpfs: a file made and removed per input costs ext4 a
     * search of its inode bitmap */
    snprintf(tree, sizeof tree, "%s/kiosk-fuzz-content-XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    FUZZ_CHECK(mkdtemp(tree));
    atexit(remove_tree);
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", tree, dirs[i]);
        FUZZ_CHECK(mkdir(path, 0700) == 0);
    }
    for (size_t i = 0; i < 4; i++) {
        own_text[i] = read_demo(own[i], &own_len[i]);
        write_file(own[i], own_text[i], own_len[i]);
    }
    for (size_t i = 0; i < sizeof images / sizeof images[0]; i++)
        copy_demo(images[i]);
    for (size_t i = 0; i < sizeof services / sizeof services[0]; i++) {
        snprintf(path, sizeof path, "services/%s.json", services[i]);
        copy_demo(path);
    }
    return 0;
}

/* How many items of the kind an accepted tree holds. */
static unsigned count_of(const struct cbuild_stats *s, size_t kind)
{
    switch (kind) {
    case 0: return s->services;
    case 1: return s->forms;
    case 2: return s->onethings;
    case 3: return s->docs;
    case 4: return s->calendar_years;
    default: return 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t kind = data[0] % NKINDS;
    const struct kind *k = &KINDS[kind];
    struct cbuild_options o = {.check_only = true};
    struct cbuild_stats stats = {0};
    char err[1024] = "";

    write_file(k->path, data + 1, size - 1);
    int r = cbuild_run_opts(tree, NULL, &o, &stats, err, sizeof err);
    if (r == 0) {
        FUZZ_CHECK(count_of(&stats, kind) >= 1);
        FUZZ_CHECK(stats.services >= 4);
    } else {
        FUZZ_CHECK(r < 0 && err[0] && !strchr(err, '\n'));
        /* "FILE: FIELD: cause": FILE is in the tree (or the tree itself) */
        FUZZ_CHECK(strchr(err, ':'));
    }
    if (k->own >= 0) {
        write_file(k->path, own_text[k->own], own_len[k->own]);
    } else {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", tree, k->path);
        FUZZ_CHECK(unlink(path) == 0);
    }
    return 0;
}
