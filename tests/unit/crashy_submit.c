/* crashy_submit.c - the child of test_crash_submit: submits information requests in a
 * loop and prints each receipt number on stdout only after form_submit returned, the
 * way the receipt screen shows it only after the commit. The test SIGKILLs it at
 * random points; whatever it printed must then be in the outbox, sealed.
 *
 *   crashy_submit CONTENT_DB STATE_DB SEAL_PUB */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/form.h"
#include "core/seal.h"
#include "core/state.h"
#include "core/store.h"
#include "core/workday.h"

int main(int argc, char **argv)
{
    char err[512];
    store *content = NULL;
    state *st = NULL;
    struct workday_cal *cal = NULL;
    struct seal_public key;

    if (argc != 4) {
        fprintf(stderr, "usage: crashy_submit CONTENT_DB STATE_DB SEAL_PUB\n");
        return 2;
    }
    if (store_open(argv[1], &content, err, sizeof err) < 0 ||
        state_open(argv[2], &st, err, sizeof err) < 0 ||
        seal_public_load(argv[3], &key, err, sizeof err) < 0) {
        fprintf(stderr, "crashy_submit: %s\n", err);
        return 1;
    }
    store_calendar(content, "cn", &cal);
    /* a day of its own per run, mostly, so no day's sequence of 9999 runs out */
    time_t now = 1769565600 + 86400 * (time_t)(getpid() % 3000);
    if (write(STDOUT_FILENO, "ready\n", 6) != 6)
        return 1;
    for (;;) {
        form *f = NULL;
        struct outbox_entry e;
        int r = form_load(content, "info-request", &f);
        if (r == 0) {
            form_set(f, "applicant-type", "business");
            form_set(f, "org-name", "杭州示例科技有限公司");
            form_set(f, "credit-code", "91350100M000100Y43");
            form_set(f, "legal-rep", "王小明");
            form_set(f, "contact-name", "李华");
            form_set(f, "info-description", "2025年本区新能源汽车充电桩建设补贴的发放名单");
            form_set(f, "medium", "paper");
            form_set(f, "delivery", "post");
            form_set(f, "phone", "0571-85100001");
            form_set(f, "address", "浙江省杭州市西湖区文三路1号 310012");
            r = form_submit(f, st, &key, cal, "K0001", now, &e);
        }
        form_free(f);
        if (r < 0) {
            fprintf(stderr, "crashy_submit: submit: %s\n", strerror(-r));
            return 1;
        }
        char line[64];
        int n = snprintf(line, sizeof line, "%s\n", e.receipt);
        if (write(STDOUT_FILENO, line, (size_t)n) != n) /* one write: a whole line or none */
            return 1;
    }
}
