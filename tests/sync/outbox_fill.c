/* outbox_fill.c - puts N sealed test submissions into a kiosk's outbox, the way the
 * form engine does (seal.h + state_outbox_add), so the sync tests have something to
 * upload without driving the UI. Prints each receipt number on its own line.
 *
 *   sync_outbox_fill STATE_DB SEAL_PUB KIOSK_ID N */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/receipt.h"
#include "core/seal.h"
#include "core/state.h"

/* fixed width, so the sealed length is known before the receipt number is */
#define TEMPLATE "{\"kind\":\"feedback\",\"receipt\":\"%s\",\"text\":\"sync test %04d\"}"

struct ctx {
    const char *kiosk;
    const struct seal_public *key;
    unsigned char *sealed;
    size_t len;
};

static int make_receipt(void *p, const char *day, int seq, char *ret)
{
    struct ctx *c = p;
    char plain[256];
    int r = receipt_format(c->kiosk, day, seq, ret);
    if (r < 0)
        return r;
    /* the receipt goes inside the sealed text, as form_submit does */
    int n = snprintf(plain, sizeof plain, TEMPLATE, ret, seq % 10000);
    if ((size_t)n + SEAL_OVERHEAD != c->len)
        return -EINVAL;
    return seal_box(c->key, plain, (size_t)n, c->sealed);
}

int main(int argc, char **argv)
{
    struct seal_public key;
    state *st = NULL;
    char err[256];
    unsigned char sealed[512];
    if (argc != 5) {
        fprintf(stderr, "usage: sync_outbox_fill STATE_DB SEAL_PUB KIOSK_ID N\n");
        return 2;
    }
    if (seal_public_load(argv[2], &key, err, sizeof err) < 0 || state_open(argv[1], &st, err, sizeof err) < 0) {
        fprintf(stderr, "sync_outbox_fill: %s\n", err);
        return 1;
    }
    struct ctx c = {.kiosk = argv[3], .key = &key, .sealed = sealed};
    time_t now = time(NULL);
    struct tm tm;
    char day[16];
    localtime_r(&now, &tm);
    strftime(day, sizeof day, "%Y%m%d", &tm);
    for (int i = 0; i < atoi(argv[4]); i++) {
        struct outbox_entry e;
        memset(&e, 0, sizeof e);
        snprintf(e.kind, sizeof e.kind, "feedback");
        strftime(e.created_at, sizeof e.created_at, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
        /* a receipt is strlen(kiosk) + 14 characters (receipt.h) */
        char dummy[RECEIPT_SIZE];
        memset(dummy, 'X', sizeof dummy);
        dummy[strlen(argv[3]) + 14] = '\0';
        c.len = (size_t)snprintf(NULL, 0, TEMPLATE, dummy, 0) + SEAL_OVERHEAD;
        int r = state_outbox_add(st, &e, day, make_receipt, &c, sealed, c.len);
        if (r < 0) {
            fprintf(stderr, "sync_outbox_fill: state_outbox_add: %d\n", r);
            state_close(st);
            return 1;
        }
        printf("%s\n", e.receipt);
    }
    state_close(st);
    return 0;
}
