/* test_office_fleet.c - kiosk-office's `fleet` (sync/office_fleet.h) on heartbeats this
 * test writes into a temp web root, shaped like the ones agent.c PUTs (sync/README.md
 * "The heartbeat"): each flag from its own cause, bad files as rows rather than a stop,
 * the exit status, the JSON keys, and the Prometheus file parsed back line by line.
 * (tests/sync/office_fleet.sh does the same on a heartbeat a real kiosk-sync sent.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <jansson.h>

#include "base/util.h"
#include "bundle.h"
#include "office_fleet.h"

#define HOUR 3600
#define GIB (1024ll * 1024 * 1024)

struct fx {
    char dir[64];
    char root[96];
    time_t now;
};

static int setup(void **state)
{
    struct fx *f = xcalloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/test-fleet-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->root, sizeof f->root, "%s/www", f->dir);
    const char *sub[] = {"", "/status", "/bundles", "/bundles/demo"};
    for (size_t i = 0; i < ARRAY_SIZE(sub); i++) {
        char *p = xasprintf("%s%s", f->root, sub[i]);
        assert_int_equal(mkdir(p, 0755), 0);
        free(p);
    }
    int64_t t;
    assert_int_equal(bundle_time_parse("2026-12-06T12:00:00Z", &t), 0);
    f->now = (time_t)t;
    *state = f;
    return 0;
}

static int remove_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

static int teardown(void **state)
{
    struct fx *f = *state;
    nftw(f->dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

/* ---- making the office's files --------------------------------------------------- */

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* A bundle head as sync/README.md lays it out: header, manifest, signature (zeros:
 * fleet does not check it). */
static void write_manifest(const char *path, int version, const char *scope)
{
    char m[512];
    int mlen = snprintf(m, sizeof m,
                        "{\"format\": 1, \"content_version\": %d, \"created_at\": \"2026-12-01T00:00:00Z\", "
                        "\"expires_at\": \"2026-12-31T00:00:00Z\", \"key_id\": \"0123456789abcdef\", "
                        "\"scope\": \"%s\"}",
                        version, scope);
    unsigned char head[BUNDLE_HEADER_SIZE] = {0};
    memcpy(head, BUNDLE_MAGIC, 8);
    put32(head + 8, 1);
    put32(head + 16, (uint32_t)mlen);
    put32(head + 20, BUNDLE_SIG_SIZE);
    unsigned char sig[BUNDLE_SIG_SIZE] = {0};
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fwrite(head, 1, sizeof head, fp);
    fwrite(m, 1, (size_t)mlen, fp);
    fwrite(sig, 1, sizeof sig, fp);
    assert_int_equal(fclose(fp), 0);
}

static void demo_manifest(struct fx *f, int version)
{
    char *p = xasprintf("%s/bundles/demo/manifest", f->root);
    write_manifest(p, version, "demo");
    free(p);
}

static void time_text(time_t t, char out[32]) { bundle_time_format((int64_t)t, out); }

/* A healthy heartbeat of kiosk ID, sent AGO seconds before the fixture's now, running
 * content version 5, as agent.c's step_heartbeat writes it. */
static json_t *hb_new(struct fx *f, const char *id, int64_t ago)
{
    char sent[32];
    time_text(f->now - ago, sent);
    json_t *hb = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:I, s:{s:i, s:i, s:i}, s:[], "
                           "s:{s:s, s:s, s:i, s:[]}, s:{s:b, s:i, s:i}, s:[{s:s, s:s, s:i, s:i}]}",
                           "kiosk_id", id, "scope", "demo", "sent_at", sent, "firmware_version", "0.1.0",
                           "content_version", 5, "uptime_seconds", 3600, "disk_free_bytes", (json_int_t)(20 * GIB),
                           "outbox", "pending", 2, "uploaded", 40, "exported", 1, "errors", "previous_sync",
                           "finished_at", "2026-12-05T01:00:00Z", "result", "ok", "exit", 0, "errors", "this_sync",
                           "installed", 0, "uploaded", 2, "upload_failed", 0, "usage", "kind", "guide", "ref",
                           "marriage-reg", "views", 5, "qr_shows", 1);
    assert_non_null(hb);
    return hb;
}

static void write_file(struct fx *f, const char *name, const char *text, size_t len, time_t mtime)
{
    char *p = xasprintf("%s/status/%s", f->root, name);
    FILE *fp = fopen(p, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
    struct timeval tv[2] = {{.tv_sec = mtime}, {.tv_sec = mtime}};
    assert_int_equal(utimes(p, tv), 0);
    free(p);
}

static void write_text(struct fx *f, const char *name, const char *text, time_t mtime)
{
    write_file(f, name, text, strlen(text), mtime);
}

/* Writes HB as status/ID.json with the file's mtime MTIME_AGO seconds before now
 * (the web server wrote it a moment after the kiosk sent it); takes HB. */
static void hb_put(struct fx *f, const char *id, json_t *hb, int64_t mtime_ago)
{
    char *text = json_dumps(hb, JSON_COMPACT), *name = xasprintf("%s.json", id);
    write_file(f, name, text, strlen(text), f->now - mtime_ago);
    free(text);
    free(name);
    json_decref(hb);
}

static const struct office_fleet_row *row_of(const struct office_fleet *fl, const char *id)
{
    for (size_t i = 0; i < office_fleet_count(fl); i++)
        if (!strcmp(office_fleet_row(fl, i)->kiosk_id, id))
            return office_fleet_row(fl, i);
    fail_msg("no row for %s", id);
    return NULL;
}

/* office_fleet_main with stdout captured into *RET_OUT (yours to free). */
static int run_main(struct fx *f, const char *manifest, char **ret_out, int argc, ...)
{
    char *argv[8], *path = xasprintf("%s/stdout.txt", f->dir);
    va_list ap;
    va_start(ap, argc);
    for (int i = 0; i < argc; i++)
        argv[i] = va_arg(ap, char *);
    va_end(ap);
    fflush(stdout);
    int saved = dup(1), fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(saved >= 0 && fd >= 0);
    dup2(fd, 1);
    close(fd);
    int status = office_fleet_main(f->root, manifest, f->now, argc, argv);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    strbuf sb = {0};
    char block[4096];
    for (size_t k; (k = fread(block, 1, sizeof block, fp)) > 0;)
        strbuf_add(&sb, block, k);
    fclose(fp);
    free(path);
    if (ret_out)
        *ret_out = sb.buf ? strbuf_detach(&sb) : xstrdup("");
    else
        strbuf_release(&sb);
    return status;
}

/* ---- the tests ------------------------------------------------------------------- */

static void test_a_fresh_kiosk_on_the_published_content_is_well(void **state)
{
    struct fx *f = *state;
    struct office_fleet *fl = NULL;
    demo_manifest(f, 5);
    hb_put(f, "K0001", hb_new(f, "K0001", 2 * HOUR), 2 * HOUR - 3);

    assert_int_equal(office_fleet_load(f->root, NULL, f->now, &fl), 0);
    assert_int_equal(office_fleet_count(fl), 1);
    const struct office_fleet_row *r = office_fleet_row(fl, 0);
    assert_string_equal(r->kiosk_id, "K0001");
    assert_string_equal(r->file, "status/K0001.json");
    assert_string_equal(r->scope, "demo");
    assert_string_equal(r->firmware, "0.1.0");
    assert_int_equal(r->last_seen, f->now - 2 * HOUR);
    assert_int_equal(r->last_seen_source, OFFICE_FLEET_SOURCE_SENT_AT);
    assert_int_equal(r->age_seconds, 2 * HOUR);
    assert_int_equal(r->content_version, 5);
    assert_int_equal(r->published_version, 5);
    assert_int_equal(r->outbox_pending, 2);
    assert_int_equal(r->outbox_uploaded, 40);
    assert_int_equal(r->disk_free_bytes, 20 * GIB);
    assert_string_equal(r->last_sync_result, "ok");
    assert_int_equal(r->error_count, 0);
    assert_int_equal(r->flags, 0);
    assert_string_equal(r->problem, "");
    assert_int_equal(office_fleet_attention(fl), 0);
    assert_int_equal(office_fleet_published(fl, "demo"), 5);
    office_fleet_free(fl);

    char *out = NULL;
    assert_int_equal(run_main(f, NULL, &out, 0), 0);
    assert_non_null(strstr(out, "K0001"));
    assert_non_null(strstr(out, "1 kiosk(s), 0 need attention"));
    free(out);
}

/* Every cause in its own kiosk; the rest of each heartbeat healthy. */
static void write_the_troubled_fleet(struct fx *f)
{
    json_t *hb;
    demo_manifest(f, 5);
    hb_put(f, "A-fresh", hb_new(f, "A-fresh", 60), 59);
    hb_put(f, "B-35h", hb_new(f, "B-35h", 35 * HOUR), 35 * HOUR);
    hb_put(f, "C-37h", hb_new(f, "C-37h", 37 * HOUR), 37 * HOUR);
    hb = hb_new(f, "D-behind", 60);
    json_object_set_new(hb, "content_version", json_integer(4));
    hb_put(f, "D-behind", hb, 60);
    hb = hb_new(f, "E-lowdisk", 60);
    json_object_set_new(hb, "disk_free_bytes", json_integer(100ll * 1024 * 1024));
    hb_put(f, "E-lowdisk", hb, 60);
    hb = hb_new(f, "F-prevfailed", 60);
    json_object_set_new(json_object_get(hb, "previous_sync"), "result", json_string("failed"));
    json_object_set_new(json_object_get(hb, "previous_sync"), "exit", json_integer(4));
    hb_put(f, "F-prevfailed", hb, 60);
    hb = hb_new(f, "G-errors", 60);
    json_array_append_new(json_object_get(hb, "errors"),
                          json_string("content: http://x/2.kbundle: payload: bad hash [bad-hash]\x1b[2J"));
    json_array_append_new(json_object_get(hb, "errors"), json_string("second"));
    json_array_append_new(json_object_get(hb, "errors"), json_string("third"));
    json_array_append_new(json_object_get(hb, "errors"), json_string("fourth"));
    hb_put(f, "G-errors", hb, 60);
    hb = hb_new(f, "H-uploadfail", 60);
    json_object_set_new(json_object_get(hb, "this_sync"), "upload_failed", json_integer(3));
    hb_put(f, "H-uploadfail", hb, 60);
    write_text(f, "I-garbage.json", "{\"kiosk_id\": \"I-garbage\", \"sent", f->now - 60);
    /* over the cap by one byte: valid JSON, never parsed */
    size_t big = OFFICE_FLEET_HEARTBEAT_MAX + 1;
    char *text = xmalloc(big);
    memset(text, ' ', big);
    text[0] = '{', text[big - 1] = '}';
    write_file(f, "J-oversize.json", text, big, f->now - 60);
    free(text);
    hb = hb_new(f, "K-missing", 60);
    json_object_del(hb, "content_version");
    json_object_del(hb, "outbox");
    hb_put(f, "K-missing", hb, 60);
    hb = hb_new(f, "L-nosentat", 0);
    json_object_del(hb, "sent_at");
    hb_put(f, "L-nosentat", hb, 2 * HOUR);
    /* the kiosk's clock says now, the file was written 40 h ago: the clock runs ahead */
    hb_put(f, "M-clockahead", hb_new(f, "M-clockahead", 0), 40 * HOUR);
    hb_put(f, "N-wrongid", hb_new(f, "K0001", 60), 60);
    write_text(f, "O-array.json", "[1, 2]", f->now - 60);
    hb = hb_new(f, "P-otherscope", 60);
    json_object_set_new(hb, "scope", json_string("hall-2"));
    json_object_set_new(hb, "content_version", json_integer(1));
    hb_put(f, "P-otherscope", hb, 60);
    write_text(f, "bad name!.json", "{}", f->now - 60);
    write_text(f, "README.txt", "not a heartbeat", f->now - 60);
    write_text(f, ".K0009.json.tmp", "{}", f->now - 60);
    char *link = xasprintf("%s/status/Q-link.json", f->root);
    assert_int_equal(symlink("/etc/hostname", link), 0);
    free(link);
}

static void test_each_cause_raises_its_own_flag_and_bad_files_are_rows(void **state)
{
    struct fx *f = *state;
    struct office_fleet *fl = NULL;
    write_the_troubled_fleet(f);

    assert_int_equal(office_fleet_load(f->root, NULL, f->now, &fl), 0);
    const struct {
        const char *id;
        unsigned flags;
    } want[] = {
        {"A-fresh", 0},
        {"B-35h", 0},
        {"C-37h", OFFICE_FLEET_STALE},
        {"D-behind", OFFICE_FLEET_BEHIND},
        {"E-lowdisk", OFFICE_FLEET_LOW_DISK},
        {"F-prevfailed", OFFICE_FLEET_FAILING_SYNC},
        {"G-errors", OFFICE_FLEET_FAILING_SYNC},
        {"H-uploadfail", OFFICE_FLEET_FAILING_SYNC},
        {"I-garbage", OFFICE_FLEET_INVALID},
        {"J-oversize", OFFICE_FLEET_INVALID},
        {"K-missing", OFFICE_FLEET_INVALID},
        {"L-nosentat", 0},
        {"M-clockahead", OFFICE_FLEET_STALE},
        {"N-wrongid", OFFICE_FLEET_INVALID},
        {"O-array", OFFICE_FLEET_INVALID},
        {"P-otherscope", 0}, /* no manifest for hall-2: never "behind" */
        {"Q-link", OFFICE_FLEET_INVALID},
        {"bad name!", OFFICE_FLEET_INVALID},
    };
    assert_int_equal(office_fleet_count(fl), ARRAY_SIZE(want));
    for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
        const struct office_fleet_row *r = office_fleet_row(fl, i);
        /* sorted by kiosk id, bytewise ("bad name!" after the capitals) */
        assert_string_equal(r->kiosk_id, want[i].id);
        if (r->flags != want[i].flags)
            fail_msg("%s: flags 0x%x, want 0x%x (problem \"%s\", note \"%s\")", r->kiosk_id, r->flags,
                     want[i].flags, r->problem, r->note);
        assert_int_equal(r->problem[0] != '\0', (want[i].flags & OFFICE_FLEET_INVALID) != 0);
    }
    assert_int_equal(office_fleet_attention(fl), 14);
    assert_int_equal(office_fleet_flag_count(fl, OFFICE_FLEET_INVALID), 7);
    assert_int_equal(office_fleet_flag_count(fl, OFFICE_FLEET_FAILING_SYNC), 3);

    /* why, in words, and what was still read */
    assert_non_null(strstr(row_of(fl, "I-garbage")->problem, "not JSON"));
    assert_non_null(strstr(row_of(fl, "J-oversize")->problem, "over the cap"));
    assert_string_equal(row_of(fl, "K-missing")->problem, "content_version: missing (and 1 more)");
    assert_int_equal(row_of(fl, "K-missing")->disk_free_bytes, 20 * GIB);
    assert_non_null(strstr(row_of(fl, "N-wrongid")->problem, "kiosk_id: \"K0001\""));
    assert_non_null(strstr(row_of(fl, "O-array")->problem, "not a JSON object"));
    assert_non_null(strstr(row_of(fl, "Q-link")->problem, "symbolic link"));
    assert_false(row_of(fl, "bad name!")->id_valid);
    assert_true(row_of(fl, "A-fresh")->id_valid);
    assert_int_equal(row_of(fl, "P-otherscope")->published_version, -1);
    assert_int_equal(row_of(fl, "D-behind")->published_version, 5);

    /* last seen: sent_at, else the file's mtime, and the row says which */
    const struct office_fleet_row *l = row_of(fl, "L-nosentat"), *m = row_of(fl, "M-clockahead");
    assert_int_equal(l->last_seen_source, OFFICE_FLEET_SOURCE_MTIME);
    assert_int_equal(l->last_seen, f->now - 2 * HOUR);
    assert_non_null(strstr(l->note, "no sent_at"));
    assert_int_equal(m->last_seen_source, OFFICE_FLEET_SOURCE_MTIME);
    assert_int_equal(m->last_seen, f->now - 40 * HOUR);
    assert_non_null(strstr(m->note, "clock runs ahead"));
    assert_int_equal(row_of(fl, "C-37h")->last_seen_source, OFFICE_FLEET_SOURCE_SENT_AT);
    assert_int_equal(row_of(fl, "J-oversize")->last_seen_source, OFFICE_FLEET_SOURCE_MTIME);

    /* error lines: all counted, three kept, no control character survives */
    const struct office_fleet_row *g = row_of(fl, "G-errors");
    assert_int_equal(g->error_count, 4);
    assert_int_equal(g->errors_kept, OFFICE_FLEET_ERRORS_KEPT);
    assert_null(strchr(g->errors[0], '\x1b'));
    assert_non_null(strstr(g->errors[0], "[bad-hash]?[2J"));
    assert_string_equal(row_of(fl, "F-prevfailed")->last_sync_result, "failed");

    /* the fleet's notes: the ignored file, the scope without a manifest */
    int ignored = 0, no_manifest = 0;
    for (size_t i = 0; i < office_fleet_note_count(fl); i++) {
        ignored += strstr(office_fleet_note(fl, i), "1 file(s) not named *.json") != NULL;
        no_manifest += strstr(office_fleet_note(fl, i), "bundles/hall-2/manifest: manifest: none published") != NULL;
    }
    assert_int_equal(ignored, 1);
    assert_int_equal(no_manifest, 1);
    office_fleet_free(fl);

    char *out = NULL;
    assert_int_equal(run_main(f, NULL, &out, 0), 1);
    assert_non_null(strstr(out, "C-37h: stale: no heartbeat for 1d 13h (by sent_at)"));
    assert_non_null(strstr(out, "D-behind: behind: content version 4, published 5"));
    assert_non_null(strstr(out, "18 kiosk(s), 14 need attention: stale 2, behind 1, low-disk 1, failing-sync 3, "
                                "invalid 7"));
    assert_null(strchr(out, '\x1b'));
    free(out);
}

static void test_stale_counts_from_now_and_fresh_heartbeats_clear_the_exit_status(void **state)
{
    struct fx *f = *state;
    demo_manifest(f, 5);
    hb_put(f, "K0001", hb_new(f, "K0001", 60), 60);
    assert_int_equal(run_main(f, NULL, NULL, 0), 0);
    f->now += 36 * HOUR; /* 36 h and a minute later */
    assert_int_equal(run_main(f, NULL, NULL, 0), 1);
    f->now -= 120; /* 35 h 59 min */
    assert_int_equal(run_main(f, NULL, NULL, 0), 0);
}

static void test_a_malformed_sent_at_falls_back_to_the_files_mtime(void **state)
{
    struct fx *f = *state;
    struct office_fleet *fl = NULL;
    json_t *hb = hb_new(f, "K0001", 60);
    json_object_set_new(hb, "sent_at", json_string("yesterday"));
    hb_put(f, "K0001", hb, 37 * HOUR);
    hb_put(f, "K0002", hb_new(f, "K0002", 60), 60);
    write_text(f, "K0003.json", "not json", f->now - 5 * HOUR);
    assert_int_equal(office_fleet_load(f->root, NULL, f->now, &fl), 0);
    const struct office_fleet_row *r = row_of(fl, "K0001"), *g = row_of(fl, "K0003");
    assert_int_equal(r->sent_at, -1);
    assert_int_equal(r->last_seen_source, OFFICE_FLEET_SOURCE_MTIME);
    assert_int_equal(r->last_seen, f->now - 37 * HOUR);
    assert_int_equal(r->flags, OFFICE_FLEET_STALE);
    assert_string_equal(r->note, "sent_at is not YYYY-MM-DDTHH:MM:SSZ; mtime used");
    assert_int_equal(row_of(fl, "K0002")->flags, 0);
    /* a file that is not a heartbeat still has a time it arrived */
    assert_int_equal(g->last_seen_source, OFFICE_FLEET_SOURCE_MTIME);
    assert_int_equal(g->age_seconds, 5 * HOUR);
    assert_string_equal(g->note, "");
    office_fleet_free(fl);
}

/* Kiosk ID's healthy heartbeat with EXTRA spliced in before its closing brace. */
static void hb_put_spliced(struct fx *f, const char *id, const char *extra)
{
    json_t *hb = hb_new(f, id, 60);
    char *text = json_dumps(hb, JSON_COMPACT), *name = xasprintf("%s.json", id);
    size_t len = strlen(text);
    json_decref(hb);
    text[len - 1] = '\0';
    char *all = xasprintf("%s%s", text, extra);
    write_text(f, name, all, f->now - 60);
    free(all);
    free(text);
    free(name);
}

/* fleet reads ten keys and walks past the rest (usage, failed searches) with a scanner
 * of its own: what it skips must still be JSON, and valid JSON must stay valid. */
static void test_what_is_skipped_is_still_checked_for_json_syntax(void **state)
{
    struct fx *f = *state;
    struct office_fleet *fl = NULL;
    char deep[128] = ",\"x\":";
    for (int i = 0; i < 40; i++)
        strcat(deep, "[");
    for (int i = 0; i < 40; i++)
        strcat(deep, "]");
    strcat(deep, "}");
    demo_manifest(f, 5);
    hb_put_spliced(f, "A-valid", ",\"x\":{\"s\":\"a\\\"b\\\\c\\u4e2d\\n/\",\"n\":[-0,1.5e3,2E-2,0.25],"
                                 "\"l\":[true,false,null,{}],\"e\":[]}} \n");
    hb_put_spliced(f, "B-trailing", "} x");
    hb_put_spliced(f, "C-escape", ",\"x\":\"\\q\"}");
    hb_put_spliced(f, "D-unended", ",\"x\":[\"abc]}");
    hb_put_spliced(f, "E-deep", deep);
    hb_put_spliced(f, "F-twice", ",\"content_version\":6}");
    hb_put_spliced(f, "G-keyprefix", ",\"disk_free_bytes2\":1}"); /* not disk_free_bytes twice */
    hb_put_spliced(f, "H-leadzero", ",\"x\":01}");
    hb_put_spliced(f, "I-control", ",\"x\":\"a\tb\"}");
    hb_put_spliced(f, "J-nocolon", ",\"x\" 1}");
    hb_put_spliced(f, "K-comma", ",\"x\":[1,]}");
    write_text(f, "L-hugeint.json", "{\"kiosk_id\":\"L-hugeint\",\"content_version\":99999999999999999999}",
               f->now - 60);
    write_text(f, "M-empty.json", "", f->now - 60);
    write_text(f, "N-emptyobj.json", " {} ", f->now - 60);
    assert_int_equal(office_fleet_load(f->root, NULL, f->now, &fl), 0);
    const struct {
        const char *id, *problem;
    } want[] = {
        {"A-valid", ""},
        {"B-trailing", "file: not JSON: byte "},
        {"C-escape", "a bad escape"},
        {"D-unended", "a string that does not end"},
        {"E-deep", "nested too deep"},
        {"F-twice", "content_version: given twice"},
        {"G-keyprefix", ""},
        {"H-leadzero", "',' or '}' expected"},
        {"I-control", "a control character in a string"},
        {"J-nocolon", "':' expected"},
        {"K-comma", "a value expected"},
        {"L-hugeint", "content_version: too big integer"},
        {"M-empty", "file: not JSON: byte 0: a value expected"},
        {"N-emptyobj", "kiosk_id: missing"},
    };
    assert_int_equal(office_fleet_count(fl), ARRAY_SIZE(want));
    for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
        const struct office_fleet_row *r = office_fleet_row(fl, i);
        assert_string_equal(r->kiosk_id, want[i].id);
        if (!want[i].problem[0] ? r->problem[0] != '\0' : !strstr(r->problem, want[i].problem))
            fail_msg("%s: problem \"%s\", want \"%s\"", r->kiosk_id, r->problem, want[i].problem);
        assert_int_equal((r->flags & OFFICE_FLEET_INVALID) != 0, want[i].problem[0] != '\0');
    }
    assert_int_equal(row_of(fl, "A-valid")->content_version, 5);
    assert_int_equal(row_of(fl, "F-twice")->content_version, 5); /* the first one */
    assert_non_null(strstr(row_of(fl, "B-trailing")->problem, "bytes after the object"));
    office_fleet_free(fl);
}

static const char *const json_keys[] = {
    "kiosk_id", "file", "scope", "last_seen", "last_seen_source", "age_seconds", "sent_at",
    "firmware_version", "content_version", "published_content_version", "outbox_pending", "outbox_uploaded",
    "outbox_exported", "disk_free_bytes", "last_sync_result", "last_sync_exit", "last_sync_finished_at",
    "upload_failed", "error_count", "errors", "flags", "needs_attention", "problem", "note",
};

static void test_json_is_an_array_of_rows_with_the_documented_keys(void **state)
{
    struct fx *f = *state;
    char *out = NULL;
    write_the_troubled_fleet(f);
    assert_int_equal(run_main(f, NULL, &out, 1, "--json"), 1);
    json_error_t je;
    json_t *arr = json_loads(out, JSON_REJECT_DUPLICATES, &je);
    if (!arr)
        fail_msg("not JSON: %s: %.200s", je.text, out);
    assert_true(json_is_array(arr));
    assert_int_equal(json_array_size(arr), 18);
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o) {
        assert_int_equal(json_object_size(o), ARRAY_SIZE(json_keys));
        for (size_t k = 0; k < ARRAY_SIZE(json_keys); k++)
            if (!json_object_get(o, json_keys[k]))
                fail_msg("row %zu lacks %s", i, json_keys[k]);
    }
    json_t *d = json_array_get(arr, 3), *g = json_array_get(arr, 6), *j = json_array_get(arr, 9);
    assert_string_equal(json_string_value(json_object_get(d, "kiosk_id")), "D-behind");
    assert_int_equal(json_integer_value(json_object_get(d, "content_version")), 4);
    assert_int_equal(json_integer_value(json_object_get(d, "published_content_version")), 5);
    assert_string_equal(json_string_value(json_array_get(json_object_get(d, "flags"), 0)), "behind");
    assert_true(json_is_true(json_object_get(d, "needs_attention")));
    char sent[32];
    time_text(f->now - 60, sent);
    assert_string_equal(json_string_value(json_object_get(d, "last_seen")), sent);
    assert_string_equal(json_string_value(json_object_get(d, "last_seen_source")), "sent_at");
    assert_int_equal(json_integer_value(json_object_get(d, "disk_free_bytes")), 20 * GIB);
    assert_true(json_is_null(json_object_get(d, "problem")));
    assert_int_equal(json_integer_value(json_object_get(g, "error_count")), 4);
    assert_int_equal(json_array_size(json_object_get(g, "errors")), 3);
    assert_string_equal(json_string_value(json_object_get(j, "kiosk_id")), "J-oversize");
    assert_true(json_is_null(json_object_get(j, "content_version")));
    assert_string_equal(json_string_value(json_array_get(json_object_get(j, "flags"), 0)), "invalid");
    assert_string_equal(json_string_value(json_object_get(j, "last_seen_source")), "mtime");
    json_t *a = json_array_get(arr, 0);
    assert_int_equal(json_array_size(json_object_get(a, "flags")), 0);
    assert_true(json_is_false(json_object_get(a, "needs_attention")));
    json_decref(arr);
    free(out);
}

/* ---- the Prometheus file, parsed back --------------------------------------------- */

struct sample {
    char name[96];
    char labels[8][2][96]; /* name, unescaped value */
    int n_labels;
    char key[512];          /* name and labels as written, for duplicates */
    double value;
};

/* Parses the exposition format strictly enough to fail on anything malformed: every
 * sample's metric has had its HELP and TYPE (gauge) lines before it, label values are
 * quoted with only \\ \" \n escapes, the value is a number, no series repeats. */
static struct sample *prom_parse(const char *path, size_t *ret_n)
{
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    char line[4096], typed[64][96] = {{0}}, helped[64][96] = {{0}};
    int n_typed = 0, n_helped = 0;
    struct sample *s = NULL;
    size_t n = 0;
    while (fgets(line, sizeof line, fp)) {
        size_t len = strlen(line);
        assert_true(len > 0 && line[len - 1] == '\n');
        line[--len] = '\0';
        char name[96];
        if (!strncmp(line, "# HELP ", 7)) {
            assert_int_equal(sscanf(line + 7, "%95s", name), 1);
            assert_true(strlen(line) > 8 + strlen(name)); /* some help text */
            snprintf(helped[n_helped++], 96, "%s", name);
            continue;
        }
        if (!strncmp(line, "# TYPE ", 7)) {
            char type[16];
            assert_int_equal(sscanf(line + 7, "%95s %15s", name, type), 2);
            assert_string_equal(type, "gauge");
            assert_string_equal(name, helped[n_helped - 1]);
            snprintf(typed[n_typed++], 96, "%s", name);
            continue;
        }
        assert_true(line[0] != '#');
        s = xrealloc(s, (n + 1) * sizeof *s);
        struct sample *x = &s[n++];
        memset(x, 0, sizeof *x);
        const char *p = line;
        size_t k = strcspn(p, "{ ");
        assert_true(k > 0 && k < sizeof x->name);
        memcpy(x->name, p, k);
        p += k;
        int known = 0;
        for (int t = 0; t < n_typed; t++)
            known |= !strcmp(typed[t], x->name);
        if (!known)
            fail_msg("%s: a sample before its TYPE line", x->name);
        if (*p == '{') {
            p++;
            while (*p != '}') {
                assert_true(x->n_labels < 8);
                k = strcspn(p, "=");
                assert_true(k > 0 && k < 96 && p[k] == '=' && p[k + 1] == '"');
                memcpy(x->labels[x->n_labels][0], p, k);
                p += k + 2;
                char *v = x->labels[x->n_labels][1];
                size_t vn = 0;
                for (; *p != '"'; p++) {
                    assert_true(*p != '\0' && vn + 1 < 96);
                    if (*p == '\\') {
                        p++;
                        assert_true(*p == '\\' || *p == '"' || *p == 'n');
                        v[vn++] = *p == 'n' ? '\n' : *p;
                    } else
                        v[vn++] = *p;
                }
                p++;
                x->n_labels++;
                if (*p == ',')
                    p++;
                else
                    assert_true(*p == '}');
            }
            p++;
        }
        assert_true(*p == ' ');
        snprintf(x->key, sizeof x->key, "%.*s", (int)(p - line), line);
        char *end;
        x->value = strtod(p + 1, &end);
        assert_true(end != p + 1 && *end == '\0');
        for (size_t i = 0; i + 1 < n; i++)
            if (!strcmp(s[i].key, x->key))
                fail_msg("series repeated: %s", x->key);
    }
    fclose(fp);
    *ret_n = n;
    return s;
}

static const char *label_of(const struct sample *x, const char *name)
{
    for (int i = 0; i < x->n_labels; i++)
        if (!strcmp(x->labels[i][0], name))
            return x->labels[i][1];
    return NULL;
}

/* The value of NAME for KIOSK (and FLAG, if not NULL); fails when there is none, or more. */
static double prom_value(const struct sample *s, size_t n, const char *name, const char *kiosk, const char *flag)
{
    int found = 0;
    double v = 0;
    for (size_t i = 0; i < n; i++) {
        const char *k = label_of(&s[i], "kiosk"), *fl = label_of(&s[i], "flag");
        if (strcmp(s[i].name, name) || (kiosk && (!k || strcmp(k, kiosk))) || (flag && (!fl || strcmp(fl, flag))))
            continue;
        found++;
        v = s[i].value;
    }
    if (found != 1)
        fail_msg("%s{kiosk=%s, flag=%s}: %d samples", name, kiosk ? kiosk : "-", flag ? flag : "-", found);
    return v;
}

static int prom_has(const struct sample *s, size_t n, const char *name, const char *kiosk)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(s[i].name, name) && label_of(&s[i], "kiosk") && !strcmp(label_of(&s[i], "kiosk"), kiosk))
            return 1;
    return 0;
}

static void test_prometheus_file_is_valid_textfile_format_and_says_what_the_rows_say(void **state)
{
    struct fx *f = *state;
    write_the_troubled_fleet(f);
    json_t *hb = hb_new(f, "R-quote", 60);
    json_object_set_new(hb, "firmware_version", json_string("1.0\"\\x\n"));
    hb_put(f, "R-quote", hb, 60);
    char *prom = xasprintf("%s/fleet.prom", f->dir);
    assert_int_equal(run_main(f, NULL, NULL, 2, "--prometheus", prom), 1);

    size_t n;
    struct sample *s = prom_parse(prom, &n);
    assert_true(n > 0);
    char sent[32];
    int64_t t;
    time_text(f->now - 37 * HOUR, sent);
    assert_int_equal(bundle_time_parse(sent, &t), 0);
    assert_true(prom_value(s, n, "hallkiosk_last_seen_timestamp_seconds", "C-37h", NULL) == (double)t);
    assert_true(prom_value(s, n, "hallkiosk_disk_free_bytes", "E-lowdisk", NULL) == 100.0 * 1024 * 1024);
    assert_true(prom_value(s, n, "hallkiosk_disk_free_bytes", "A-fresh", NULL) == (double)(20 * GIB));
    assert_true(prom_value(s, n, "hallkiosk_outbox_pending", "A-fresh", NULL) == 2);
    assert_true(prom_value(s, n, "hallkiosk_content_version", "D-behind", NULL) == 4);
    assert_true(prom_value(s, n, "hallkiosk_sync_errors", "G-errors", NULL) == 4);
    assert_true(prom_value(s, n, "hallkiosk_last_sync_ok", "F-prevfailed", NULL) == 0);
    assert_true(prom_value(s, n, "hallkiosk_last_sync_ok", "A-fresh", NULL) == 1);
    assert_true(prom_value(s, n, "hallkiosk_needs_attention", "A-fresh", NULL) == 0);
    assert_true(prom_value(s, n, "hallkiosk_needs_attention", "C-37h", NULL) == 1);
    assert_true(prom_value(s, n, "hallkiosk_needs_attention", "J-oversize", NULL) == 1);
    assert_true(prom_value(s, n, "hallkiosk_flag", "C-37h", "stale") == 1);
    assert_true(prom_value(s, n, "hallkiosk_flag", "C-37h", "behind") == 0);
    assert_true(prom_value(s, n, "hallkiosk_flag", "D-behind", "behind") == 1);
    assert_true(prom_value(s, n, "hallkiosk_flag", "E-lowdisk", "low-disk") == 1);
    assert_true(prom_value(s, n, "hallkiosk_flag", "H-uploadfail", "failing-sync") == 1);
    assert_true(prom_value(s, n, "hallkiosk_flag", "K-missing", "invalid") == 1);
    assert_true(prom_value(s, n, "hallkiosk_published_content_version", NULL, NULL) == 5);
    assert_true(prom_value(s, n, "hallkiosk_fleet_kiosks", NULL, NULL) == 19);
    assert_true(prom_value(s, n, "hallkiosk_fleet_needs_attention", NULL, NULL) == 14);
    assert_true(prom_value(s, n, "hallkiosk_fleet_generated_timestamp_seconds", NULL, NULL) == (double)f->now);
    /* a value the heartbeat did not give is no sample, not a made-up number */
    assert_false(prom_has(s, n, "hallkiosk_content_version", "K-missing"));
    assert_true(prom_has(s, n, "hallkiosk_disk_free_bytes", "K-missing"));
    /* a file name that is not a kiosk id gets no series (its label would not be unique) */
    assert_false(prom_has(s, n, "hallkiosk_needs_attention", "bad name!"));
    /* labels: scope on every kiosk series, the firmware escaped and read back whole */
    int info = 0;
    for (size_t i = 0; i < n; i++) {
        if (label_of(&s[i], "kiosk"))
            assert_non_null(label_of(&s[i], "scope"));
        if (!strcmp(s[i].name, "hallkiosk_info") && !strcmp(label_of(&s[i], "kiosk"), "R-quote")) {
            assert_string_equal(label_of(&s[i], "firmware"), "1.0\"\\x?"); /* the newline was a control character */
            assert_string_equal(label_of(&s[i], "last_seen_source"), "sent_at");
            info++;
        }
    }
    assert_int_equal(info, 1);
    free(s);

    /* written atomically: readable by the collector's user, no temp file left beside it */
    struct stat st;
    assert_int_equal(stat(prom, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    char *tmp = xasprintf("%s.%ld.tmp", prom, (long)getpid());
    assert_int_equal(access(tmp, F_OK), -1);
    free(tmp);
    free(prom);
}

static void test_the_manifest_given_stands_for_its_scope_and_others_come_from_the_web_root(void **state)
{
    struct fx *f = *state;
    struct office_fleet *fl = NULL;
    demo_manifest(f, 5);
    char *mine = xasprintf("%s/published-manifest", f->dir), *hall2 = xasprintf("%s/bundles/hall-2", f->root);
    write_manifest(mine, 7, "demo");
    assert_int_equal(mkdir(hall2, 0755), 0);
    char *m2 = xasprintf("%s/manifest", hall2);
    write_manifest(m2, 3, "hall-2");
    hb_put(f, "K0001", hb_new(f, "K0001", 60), 60);
    json_t *hb = hb_new(f, "K0002", 60);
    json_object_set_new(hb, "scope", json_string("hall-2"));
    json_object_set_new(hb, "content_version", json_integer(3));
    hb_put(f, "K0002", hb, 60);

    assert_int_equal(office_fleet_load(f->root, mine, f->now, &fl), 0);
    assert_int_equal(row_of(fl, "K0001")->published_version, 7);
    assert_int_equal(row_of(fl, "K0001")->flags, OFFICE_FLEET_BEHIND);
    assert_int_equal(row_of(fl, "K0002")->published_version, 3);
    assert_int_equal(row_of(fl, "K0002")->flags, 0);
    office_fleet_free(fl);
    /* without it, the web root's own manifest: 5, and K0001 is current */
    assert_int_equal(office_fleet_load(f->root, NULL, f->now, &fl), 0);
    assert_int_equal(row_of(fl, "K0001")->flags, 0);
    office_fleet_free(fl);
    free(mine);
    free(hall2);
    free(m2);
}

static void test_usage_and_io_errors_exit_2_with_one_line(void **state)
{
    struct fx *f = *state;
    struct office_fleet *fl = (struct office_fleet *)0x1;
    char err[640];
    hb_put(f, "K0001", hb_new(f, "K0001", 60), 60);
    assert_int_equal(run_main(f, NULL, NULL, 1, "--bogus"), 2);
    assert_int_equal(run_main(f, NULL, NULL, 1, "--prometheus"), 2);
    assert_int_equal(run_main(f, NULL, NULL, 4, "--prometheus", "a", "--prometheus", "b"), 2);
    char *nodir = xasprintf("%s/no/such/dir/fleet.prom", f->dir);
    assert_int_equal(run_main(f, NULL, NULL, 2, "--prometheus", nodir), 2);
    free(nodir);

    /* a manifest that is not a bundle head: the office's own file, so an error */
    char *garbage = xasprintf("%s/garbage-manifest", f->dir);
    FILE *fp = fopen(garbage, "w");
    fputs("{\"content_version\": 3, \"scope\": \"demo\", \"format\": 1}\n", fp);
    fclose(fp);
    assert_int_equal(run_main(f, garbage, NULL, 0), 2);
    assert_true(office_fleet_load_msg(f->root, garbage, f->now, &fl, err, sizeof err) < 0);
    assert_ptr_equal(fl, (struct office_fleet *)0x1); /* untouched on failure */
    assert_non_null(strstr(err, "garbage-manifest: header.magic: "));
    assert_null(strchr(err, '\n'));
    free(garbage);

    char *missing = xasprintf("%s/nope", f->dir);
    assert_true(office_fleet_load_msg(missing, NULL, f->now, &fl, err, sizeof err) < 0);
    assert_non_null(strstr(err, "/nope: web_root: No such file or directory"));
    free(missing);
}

static void test_a_web_root_without_heartbeats_is_an_empty_fleet(void **state)
{
    struct fx *f = *state;
    struct office_fleet *fl = NULL;
    char *status = xasprintf("%s/status", f->root), *out = NULL;
    assert_int_equal(rmdir(status), 0);
    assert_int_equal(office_fleet_load(f->root, NULL, f->now, &fl), 0);
    assert_int_equal(office_fleet_count(fl), 0);
    assert_null(office_fleet_row(fl, 0));
    office_fleet_free(fl);
    assert_int_equal(run_main(f, NULL, &out, 1, "--json"), 0);
    assert_string_equal(out, "[\n]\n");
    free(out);
    free(status);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_fresh_kiosk_on_the_published_content_is_well, setup, teardown),
        cmocka_unit_test_setup_teardown(test_each_cause_raises_its_own_flag_and_bad_files_are_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale_counts_from_now_and_fresh_heartbeats_clear_the_exit_status, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_malformed_sent_at_falls_back_to_the_files_mtime, setup, teardown),
        cmocka_unit_test_setup_teardown(test_what_is_skipped_is_still_checked_for_json_syntax, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_is_an_array_of_rows_with_the_documented_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prometheus_file_is_valid_textfile_format_and_says_what_the_rows_say,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_the_manifest_given_stands_for_its_scope_and_others_come_from_the_web_root,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_usage_and_io_errors_exit_2_with_one_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_web_root_without_heartbeats_is_an_empty_fleet, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
