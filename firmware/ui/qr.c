/* qr.c - the QR view: a code a visitor's phone can read from across a counter.
 * libqrencode makes the matrix (error correction M); we draw it with whole pixels per
 * module (at least UI_QR_MIN_SCALE) and a quiet zone of 4 modules, which standard
 * readers need. The last few encodings are cached: a QR screen redraws often while
 * its code stays the same. */
#include "ui_internal.h"
#include "base/util.h"

#include <qrencode.h>
#include <string.h>

#define QR_CACHE 8
#define QR_MAX_TEXT 1024

struct qr_entry {
    char *text;
    QRcode *code;
    unsigned char *mods;
    uint64_t used;
};

static struct qr_entry cache[QR_CACHE];
static uint64_t clock_;

static struct qr_entry *encode(const char *text)
{
    struct qr_entry *lru = &cache[0];
    for (int i = 0; i < QR_CACHE; i++) {
        if (cache[i].text && strcmp(cache[i].text, text) == 0) {
            cache[i].used = ++clock_;
            return &cache[i];
        }
        if (cache[i].used < lru->used)
            lru = &cache[i];
    }
    QRcode *code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!code)
        return NULL;
    free(lru->text);
    QRcode_free(lru->code);
    free(lru->mods);
    lru->text = xstrdup(text);
    lru->code = code;
    lru->mods = xmalloc((size_t)code->width * (size_t)code->width);
    for (int i = 0; i < code->width * code->width; i++)
        lru->mods[i] = code->data[i] & 1;
    lru->used = ++clock_;
    return lru;
}

void ui_qr_cache_free(void)
{
    for (int i = 0; i < QR_CACHE; i++) {
        freep(&cache[i].text);
        QRcode_free(cache[i].code);
        cache[i].code = NULL;
        freep(&cache[i].mods);
    }
}

int ui_qr_modules(const char *text)
{
    struct qr_entry *e = text && strlen(text) <= QR_MAX_TEXT ? encode(text) : NULL;
    return e ? e->code->width : 0;
}

ui_rect ui_qr(ui *u, const char *id, const char *text, ui_rect r)
{
    if (!text || strlen(text) > QR_MAX_TEXT)
        return (ui_rect){r.x, r.y, 0, 0};
    struct qr_entry *e = encode(text);
    if (!e)
        return (ui_rect){r.x, r.y, 0, 0};
    int n = e->code->width, quiet = 4;
    int scale = MAX(UI_QR_MIN_SCALE, MIN(r.w, r.h > 0 ? r.h : r.w) / (n + 2 * quiet));
    int side = (n + 2 * quiet) * scale;
    int x = r.x + (r.w - side) / 2;
    ui_modules(u, e->mods, n, scale, quiet, x, r.y);
    ui_rect out = {x, r.y, side, side};
    ui_node_add(u, id, UI_ROLE_QR, text, out, false);
    return out;
}
