/* fuzz_usb_index.c - the index.json of a USB export (sync/usb.h), read by usb-export
 * on the kiosk (an earlier export on the stick) and by the office's open-export. The
 * first byte picks the mode:
 *   even: the rest is the whole file, hash line included: what a hostile stick holds;
 *   odd:  the rest is the body; the harness appends the hash line of sync/README.md
 *         (a newline first if it lacks one), so the JSON checks after it are reached.
 * Invariants: an accepted index lists at most USB_EXPORT_MAX entries, strictly ascending,
 * each within its caps; usb_index_format of it parses back to the same entries and is
 * deterministic (the same bytes twice); a refusal says why in one line. */
#include "fuzz.h"

#include "base/util.h"
#include "usb.h"

#include <sodium.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (sodium_init() < 0)
        abort();
    return 0;
}

static void check_index(const struct usb_index *ix)
{
    FUZZ_CHECK(usb_receipt_name_ok(ix->kiosk_id));
    FUZZ_CHECK(ix->n <= USB_EXPORT_MAX);
    for (size_t i = 0; i < ix->n; i++) {
        const struct usb_index_entry *e = &ix->e[i];
        FUZZ_CHECK(usb_receipt_name_ok(e->receipt));
        FUZZ_CHECK(strlen(e->sha256) == 64);
        FUZZ_CHECK(e->size >= 1 && e->size <= OUTBOX_SEALED_MAX);
        FUZZ_CHECK(e->kind[0] && e->created_at[0]);
        if (i > 0)
            FUZZ_CHECK(strcmp(ix->e[i - 1].receipt, e->receipt) < 0);
    }
}

static void parse(const char *text, size_t len)
{
    struct usb_index ix = {0}, again = {0};
    char err[400] = "";
    if (usb_index_parse(text, len, &ix, err, sizeof err) != 0) {
        FUZZ_CHECK(err[0] && !strchr(err, '\n'));
        return;
    }
    check_index(&ix);
    size_t flen, flen2;
    char *formatted = usb_index_format(&ix, &flen);
    FUZZ_CHECK(formatted && strlen(formatted) == flen);
    FUZZ_CHECK(usb_index_parse(formatted, flen, &again, err, sizeof err) == 0);
    FUZZ_CHECK(again.n == ix.n && !strcmp(again.kiosk_id, ix.kiosk_id));
    FUZZ_CHECK(ix.n == 0 || memcmp(again.e, ix.e, ix.n * sizeof *ix.e) == 0);
    char *twice = usb_index_format(&again, &flen2);
    FUZZ_CHECK(flen2 == flen && !memcmp(twice, formatted, flen));
    free(twice);
    free(formatted);
    usb_index_release(&again);
    usb_index_release(&ix);
}

static void parse_with_hash(const uint8_t *body, size_t len)
{
    unsigned char d[32];
    char hex[65];
    size_t n = len + (len == 0 || body[len - 1] != '\n');
    char *text = xmalloc(n + 100);
    memcpy(text, body, len);
    text[n - 1] = '\n';
    crypto_hash_sha256(d, (const unsigned char *)text, n);
    sodium_bin2hex(hex, sizeof hex, d, sizeof d);
    int k = snprintf(text + n, 100, "\"index_sha256\": \"%s\"}\n", hex);
    parse(text, n + (size_t)k);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (data[0] % 2 == 0) {
        char *copy = xmalloc(size);       /* exactly the file, nothing after it */
        memcpy(copy, data + 1, size - 1);
        parse(copy, size - 1);
        free(copy);
    } else {
        parse_with_hash(data + 1, size - 1);
    }
    return 0;
}
