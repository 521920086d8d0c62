/* test_open_submission.c - `kiosk-bundle keygen` and `kiosk-bundle open-submission`
 * (sync/submission_tool.c), run as the central office runs them: the keys keygen
 * writes seal what a kiosk submits, and open-submission prints each submission of a
 * state.db, or of one .sealed file, as one line of JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/form.h"
#include "core/seal.h"
#include "core/state.h"
#include "core/store.h"

struct fx {
    char dir[64], keys[96], db[128], tool[512], content[512];
    char out[1 << 16];
    int status;
};

static int setup(void **s)
{
    struct fx *f = calloc(1, sizeof *f);
    const char *build = getenv("KIOSK_BUILD_DIR");
    assert_non_null(f);
    assert_non_null(build);
    strcpy(f->dir, "/tmp/test-open-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->keys, sizeof f->keys, "%s/keys", f->dir);
    snprintf(f->db, sizeof f->db, "%s/state.db", f->dir);
    snprintf(f->tool, sizeof f->tool, "%s/kiosk-bundle", build);
    snprintf(f->content, sizeof f->content, "%s/content.db", build);
    *s = f;
    return 0;
}

static int teardown(void **s)
{
    struct fx *f = *s;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int r = system(cmd);
    free(f);
    return r == 0 ? 0 : -1;
}

/* Runs the tool with ARGS (a shell fragment); stdout into f->out, exit status. */
static int run(struct fx *f, const char *args)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' %s 2>%s/stderr", f->tool, args, f->dir);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(f->out, 1, sizeof f->out - 1, p);
    f->out[n] = '\0';
    f->status = pclose(p);
    return WIFEXITED(f->status) ? WEXITSTATUS(f->status) : -1;
}

static void stderr_has(struct fx *f, const char *text)
{
    char path[128], buf[2048] = "";
    snprintf(path, sizeof path, "%s/stderr", f->dir);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    if (!strstr(buf, text))
        fail_msg("stderr lacks \"%s\": %s", text, buf);
}

/* Submits N feedback forms to f->db with the keys in f->keys; the receipts into R. */
static void submit(struct fx *f, int n, char r[][OUTBOX_RECEIPT_MAX])
{
    char err[256], path[160];
    store *content;
    state *st;
    struct seal_public pub;
    snprintf(path, sizeof path, "%s/seal.pub", f->keys);
    assert_int_equal(seal_public_load(path, &pub, err, sizeof err), 0);
    assert_int_equal(store_open(f->content, &content, err, sizeof err), 0);
    assert_int_equal(state_open(f->db, &st, err, sizeof err), 0);
    for (int i = 0; i < n; i++) {
        form *fm;
        struct outbox_entry e;
        char text[64];
        assert_int_equal(form_load(content, "feedback", &fm), 0);
        snprintf(text, sizeof text, "第%d条建议：多开一个窗口。", i + 1);
        assert_int_equal(form_set(fm, "feedback-kind", "suggestion"), 0);
        assert_int_equal(form_set(fm, "content", text), 0);
        assert_int_equal(form_submit(fm, st, &pub, NULL, "K0007", 1769565600, &e), 0);
        strcpy(r[i], e.receipt);
        form_free(fm);
    }
    state_close(st);
    store_close(content);
}

static void test_keygen_writes_the_signing_and_sealing_pairs(void **s)
{
    struct fx *f = *s;
    char args[256], path[160];
    struct stat st;
    static const struct { const char *name; int mode; } files[] = {
        {"sign.pub", 0644}, {"sign.key", 0600}, {"seal.pub", 0644}, {"seal.key", 0600}};
    snprintf(args, sizeof args, "keygen --out '%s'", f->keys);
    assert_int_equal(run(f, args), 0);
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", f->keys, files[i].name);
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 0777, files[i].mode);
    }
    /* never over existing keys */
    assert_int_equal(run(f, args), 1);
    stderr_has(f, "exists; not replaced");
}

static void test_open_submission_prints_every_submission_of_a_state_db(void **s)
{
    struct fx *f = *s;
    char args[512], r[3][OUTBOX_RECEIPT_MAX];
    snprintf(args, sizeof args, "keygen --out '%s' >/dev/null", f->keys);
    assert_int_equal(run(f, args), 0);
    submit(f, 3, r);
    snprintf(args, sizeof args, "open-submission --key '%s/seal.key' '%s'", f->keys, f->db);
    assert_int_equal(run(f, args), 0);
    char *line = f->out;
    for (int i = 0; i < 3; i++) {
        char *nl = strchr(line, '\n');
        assert_non_null(nl);
        *nl = '\0';
        json_error_t je;
        json_t *j = json_loads(line, 0, &je);
        assert_non_null(j);
        assert_string_equal(json_string_value(json_object_get(j, "receipt")), r[i]);
        assert_string_equal(json_string_value(json_object_get(j, "kind")), "feedback");
        char want[64];
        snprintf(want, sizeof want, "第%d条建议：多开一个窗口。", i + 1);
        assert_string_equal(json_string_value(json_object_get(json_object_get(j, "fields"),
                                                              "content")), want);
        json_decref(j);
        line = nl + 1;
    }
    assert_string_equal(line, "");
}

static void test_open_submission_opens_one_sealed_file(void **s)
{
    struct fx *f = *s;
    char args[512], r[1][OUTBOX_RECEIPT_MAX], err[256], path[160];
    snprintf(args, sizeof args, "keygen --out '%s' >/dev/null", f->keys);
    assert_int_equal(run(f, args), 0);
    submit(f, 1, r);
    state *st;
    void *box;
    size_t len;
    assert_int_equal(state_open(f->db, &st, err, sizeof err), 0);
    assert_int_equal(state_outbox_sealed(st, r[0], &box, &len), 0);
    state_close(st);
    snprintf(path, sizeof path, "%s/%s.sealed", f->dir, r[0]);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(box, 1, len, fp), len);
    fclose(fp);
    free(box);
    snprintf(args, sizeof args, "open-submission --key '%s/seal.key' '%s'", f->keys, path);
    assert_int_equal(run(f, args), 0);
    assert_non_null(strstr(f->out, r[0]));
    assert_int_equal(strchr(f->out, '\n') - f->out + 1, (long)strlen(f->out));

    /* another office's key opens nothing, and says so */
    char other[160];
    snprintf(other, sizeof other, "%s/other", f->dir);
    snprintf(args, sizeof args, "keygen --out '%s' >/dev/null", other);
    assert_int_equal(run(f, args), 0);
    snprintf(args, sizeof args, "open-submission --key '%s/seal.key' '%s'", other, path);
    assert_int_equal(run(f, args), 1);
    assert_string_equal(f->out, "");
    stderr_has(f, "cannot be opened with this key");
    /* the public key is not the secret one */
    snprintf(args, sizeof args, "open-submission --key '%s/seal.pub' '%s'", f->keys, path);
    assert_int_equal(run(f, args), 1);
    stderr_has(f, "not a kiosk-seal-secret key file");
    assert_int_equal(run(f, "open-submission"), 2);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_keygen_writes_the_signing_and_sealing_pairs),
        T(test_open_submission_prints_every_submission_of_a_state_db),
        T(test_open_submission_opens_one_sealed_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
