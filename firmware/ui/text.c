/* text.c - fonts, line breaking and the text cache.
 *
 * Line breaking follows UAX #14 through libunibreak: Chinese breaks between any two
 * characters, closing punctuation never starts a line, opening punctuation never ends
 * one, and Latin words break only at spaces (a word wider than the line is cut by
 * characters as a last resort). Glyphs the shipped font lacks are drawn with the
 * first fallback font that has them, so rare characters in names never show as boxes.
 *
 * The cache maps (text, font size, weight, colour, wrap width) to laid-out lines;
 * each line is rasterised on first draw. Hits are the overwhelming case: a frame
 * while scrolling redraws the same few hundred strings. Eviction is LRU by bytes: the
 * budget comes from ui.c (a few screens' worth of pixels, see ui_create), counting
 * each entry's text, lines and rasterised surfaces. A miss evicts from the cold end
 * right away, sparing only the entry it returns; rasterising a line grows an entry
 * in place, so ui_frame_end trims back to the budget once no block is in use. */
#include "ui_internal.h"
#include "base/util.h"

#include <linebreak.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_BUCKETS 4096
#define CACHE_MAX_ENTRIES 6000
#define TEXT_MAX_BYTES (512 * 1024) /* longer texts are cut: bodies are capped at 256 KiB */

struct entry {
    uint64_t hash;
    char *text;
    int px, width;
    bool bold;
    ui_color color;
    struct tblock block;
    size_t bytes;
    struct entry *hnext;       /* bucket chain */
    struct entry *prev, *next; /* LRU list, most recent first */
};

struct text_cache {
    struct entry *buckets[CACHE_BUCKETS];
    struct entry *head, *tail;
    size_t bytes, budget;
    int entries;
    uint64_t hits, misses, rasterised;
};

struct text_cache *text_cache_new(size_t budget)
{
    static int lb_init;
    if (!lb_init) {
        init_linebreak();
        lb_init = 1;
    }
    struct text_cache *tc = xcalloc(1, sizeof(struct text_cache));
    tc->budget = budget;
    return tc;
}

static void entry_free(struct entry *e)
{
    for (int i = 0; i < e->block.nlines; i++)
        SDL_FreeSurface(e->block.lines[i].surf);
    free(e->block.lines);
    free(e->text);
    free(e);
}

static void lru_unlink(struct text_cache *tc, struct entry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        tc->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        tc->tail = e->prev;
    e->prev = e->next = NULL;
}

static void lru_front(struct text_cache *tc, struct entry *e)
{
    e->next = tc->head;
    e->prev = NULL;
    if (tc->head)
        tc->head->prev = e;
    tc->head = e;
    if (!tc->tail)
        tc->tail = e;
}

static void evict(struct text_cache *tc, struct entry *e)
{
    struct entry **pp = &tc->buckets[e->hash % CACHE_BUCKETS];
    while (*pp != e)
        pp = &(*pp)->hnext;
    *pp = e->hnext;
    lru_unlink(tc, e);
    tc->bytes -= e->bytes;
    tc->entries--;
    entry_free(e);
}

void text_cache_clear(struct text_cache *tc)
{
    while (tc->tail)
        evict(tc, tc->tail);
}

static bool over(const struct text_cache *tc)
{
    return tc->bytes > tc->budget || tc->entries > CACHE_MAX_ENTRIES;
}

void text_cache_trim(struct text_cache *tc)
{
    while (tc->tail && over(tc))
        evict(tc, tc->tail);
}

void text_cache_set_budget(struct text_cache *tc, size_t budget)
{
    tc->budget = budget;
    text_cache_trim(tc);
}

void text_cache_wipe(struct text_cache *tc)
{
    for (struct entry *e = tc->head; e; e = e->next) {
        explicit_bzero(e->text, strlen(e->text));
        for (int i = 0; i < e->block.nlines; i++) {
            SDL_Surface *sf = e->block.lines[i].surf;
            if (sf && sf->pixels)
                explicit_bzero(sf->pixels, (size_t)sf->pitch * (size_t)sf->h);
        }
    }
    text_cache_clear(tc);
}

void text_cache_free(struct text_cache *tc)
{
    if (!tc)
        return;
    text_cache_clear(tc);
    free(tc);
}

void text_cache_stats(struct text_cache *tc, struct ui_stats *st)
{
    st->text_hits = tc->hits;
    st->text_misses = tc->misses;
    st->rasterised_lines = tc->rasterised;
    st->text_bytes = tc->bytes;
    st->text_entries = tc->entries;
    st->text_budget = tc->budget;
}

/* ---- measuring ------------------------------------------------------------------ */

/* The face that draws CP, at FS's size (whether a face has a glyph does not depend
 * on its size) */
static TTF_Font *font_for(struct fontset *fs, uint32_t cp)
{
    if (cp < 0x80 || TTF_GlyphIsProvided32(fs->main, cp))
        return ui_font_sized(fs, fs->main);
    for (int i = 0; i < 3; i++) {
        TTF_Font *fb = ui_fallback(fs, i);
        if (fb && TTF_GlyphIsProvided32(fb, cp))
            return ui_font_sized(fs, fb);
    }
    return ui_font_sized(fs, fs->main);
}

static int advance(struct fontset *fs, TTF_Font *f, uint32_t cp)
{
    if (cp < 0x10000 && f == fs->main && fs->adv[cp])
        return fs->adv[cp] - 1;
    f = ui_font_sized(fs, f);
    int adv = 0;
    if (TTF_GlyphMetrics32(f, cp, NULL, NULL, NULL, NULL, &adv) != 0)
        adv = 0;
    if (cp < 0x10000 && f == fs->main && adv >= 0 && adv < 0xFFFF)
        fs->adv[cp] = (uint16_t)(adv + 1);
    return adv;
}

/* Width of S[0..len): runs of one font measured whole (so kerning matches what is
 * rendered); a single code point comes from the advance cache. */
static int measure(struct fontset *fs, const char *s, int len)
{
    const char *p = s, *end = s + len;
    int w = 0;
    while (p < end) {
        const char *q = p;
        uint32_t cp = utf8_next(&q);
        TTF_Font *f = font_for(fs, cp);
        const char *run = p;
        p = q;
        int n = 1;
        while (p < end) {
            const char *r = p;
            uint32_t c2 = utf8_next(&r);
            if (font_for(fs, c2) != f)
                break;
            p = r;
            n++;
        }
        if (n == 1) {
            w += advance(fs, f, cp);
        } else {
            char buf[512];
            int rl = (int)(p - run);
            char *tmp = rl < (int)sizeof buf ? buf : xmalloc((size_t)rl + 1);
            memcpy(tmp, run, (size_t)rl);
            tmp[rl] = '\0';
            int rw = 0;
            TTF_SizeUTF8(f, tmp, &rw, NULL);
            w += rw;
            if (tmp != buf)
                free(tmp);
        }
    }
    return w;
}

/* ---- layout --------------------------------------------------------------------- */

/* Closing punctuation and the like, which may not begin a line (UAX #14 classes CL,
 * CP, EX, IS and the CJK ones); only needed where we cut a word ourselves. */
static bool no_line_start(uint32_t cp)
{
    static const uint32_t set[] = {
        ')', ']', '}', ',', '.', ':', ';', '!', '?', 0x2019, 0x201D, 0x2026, 0x3001,
        0x3002, 0x3009, 0x300B, 0x300D, 0x300F, 0x3011, 0x3015, 0x3017, 0x3019, 0x301B,
        0xFF01, 0xFF09, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF1F, 0xFF3D, 0xFF5D};
    for (size_t i = 0; i < ARRAY_SIZE(set); i++)
        if (set[i] == cp)
            return true;
    return false;
}

/* how close to the wrap width a line must come before it is measured whole */
#define LAYOUT_SLACK_PX 8

struct lines {
    struct tline *v;
    int n, cap;
};

static void push_line(struct lines *L, struct fontset *fs, const char *s, int start, int end)
{
    /* trailing spaces do not count towards the width */
    while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\t'))
        end--;
    if (L->n == L->cap) {
        L->cap = L->cap ? L->cap * 2 : 8;
        L->v = xrealloc(L->v, (size_t)L->cap * sizeof *L->v);
    }
    struct tline *l = &L->v[L->n++];
    l->start = start;
    l->len = end - start;
    l->width = l->len ? measure(fs, s + start, l->len) : 0;
    l->surf = NULL;
}

static bool is_newline_at(const char *s, int i)
{
    return s[i] == '\n' || s[i] == '\r';
}

static void layout(struct fontset *fs, const char *s, int len, int width, struct lines *L)
{
    if (len == 0) {
        push_line(L, fs, s, 0, 0);
        return;
    }
    char *brks = xmalloc((size_t)len);
    set_linebreaks_utf8((const utf8_t *)s, (size_t)len, "zh", brks);
    int line_start = 0, line_w = 0, pos = 0;
    while (pos < len) {
        /* the next segment ends after the first byte with a break opportunity */
        int i = pos;
        while (i < len - 1 && brks[i] != LINEBREAK_ALLOWBREAK && brks[i] != LINEBREAK_MUSTBREAK)
            i++;
        int seg_end = i + 1;
        bool hard = brks[i] == LINEBREAK_MUSTBREAK && is_newline_at(s, i);
        int vis_end = seg_end;
        while (vis_end > pos && (s[vis_end - 1] == ' ' || is_newline_at(s, vis_end - 1)))
            vis_end--;
        int seg_w = vis_end > pos ? measure(fs, s + pos, vis_end - pos) : 0;
        /* segments measured one by one can add up a pixel or two short of the line
         * measured whole (kerning and rounding across them): near the edge, the
         * whole line decides, so no line comes out wider than WIDTH */
        bool over = line_w + seg_w > width ||
                    (pos > line_start && line_w + seg_w > width - LAYOUT_SLACK_PX &&
                     measure(fs, s + line_start, vis_end - line_start) > width);
        if (over && pos > line_start) {
            push_line(L, fs, s, line_start, pos);
            line_start = pos;
            line_w = 0;
        }
        if (seg_w > width) {
            /* a word longer than the line: cut it by characters, never leaving closing
             * punctuation at the start of the next line (the character before it goes
             * down with it) */
            const char *p = s + pos, *prev = NULL;
            int w = 0, prev_a = 0;
            while (p < s + vis_end) {
                const char *q = p;
                uint32_t cp = utf8_next(&q);
                int a = advance(fs, font_for(fs, cp), cp);
                if (w + a > width && p > s + line_start) {
                    const char *cut = p;
                    int carried = 0;
                    if (no_line_start(cp) && prev && prev > s + line_start) {
                        cut = prev;
                        carried = prev_a;
                    }
                    push_line(L, fs, s, line_start, (int)(cut - s));
                    line_start = (int)(cut - s);
                    w = carried;
                }
                w += a;
                prev = p;
                prev_a = a;
                p = q;
            }
            line_w = w;
        } else {
            line_w += seg_w;
            /* trailing spaces count towards the next segment's fit */
            if (seg_end > vis_end && !hard)
                line_w += advance(fs, fs->main, ' ') * (seg_end - vis_end);
        }
        pos = seg_end;
        if (hard) {
            int end = pos;
            while (end > line_start && is_newline_at(s, end - 1))
                end--;
            push_line(L, fs, s, line_start, end);
            /* "\r\n" is one break */
            line_start = pos;
            line_w = 0;
            if (pos == len)
                push_line(L, fs, s, pos, pos);
        }
    }
    if (line_start < len)
        push_line(L, fs, s, line_start, len);
    free(brks);
}

const struct tblock *text_get(ui *u, struct text_cache *tc, struct fontset *fs, ui_color c,
                              const char *s, int width)
{
    size_t n = strnlen(s, TEXT_MAX_BYTES);
    if (width < 1)
        width = 1;
    uint64_t h = util_hash(s, n, ((uint64_t)fs->px << 40) ^ ((uint64_t)fs->bold << 39) ^
                                     ((uint64_t)c << 8) ^ (uint64_t)width);
    for (struct entry *e = tc->buckets[h % CACHE_BUCKETS]; e; e = e->hnext) {
        if (e->hash == h && e->px == fs->px && e->bold == fs->bold && e->color == c &&
            e->width == width && strncmp(e->text, s, n) == 0 && e->text[n] == '\0') {
            tc->hits++;
            lru_unlink(tc, e);
            lru_front(tc, e);
            return &e->block;
        }
    }
    tc->misses++;
    struct entry *e = xcalloc(1, sizeof *e);
    e->hash = h;
    e->text = xstrndup(s, n);
    e->px = fs->px;
    e->bold = fs->bold;
    e->color = c;
    e->width = width;
    struct lines L = {0};
    layout(fs, e->text, (int)n, width, &L);
    e->block.lines = L.v;
    e->block.nlines = L.n;
    e->block.line_h = ui_line_h_px(u, fs->px);
    e->bytes = sizeof *e + n + (size_t)L.cap * sizeof *L.v;
    e->hnext = tc->buckets[h % CACHE_BUCKETS];
    tc->buckets[h % CACHE_BUCKETS] = e;
    lru_front(tc, e);
    tc->bytes += e->bytes;
    tc->entries++;
    while (over(tc) && tc->tail != e)
        evict(tc, tc->tail);
    return &e->block;
}

static SDL_Surface *render_run(TTF_Font *f, const char *s, int len, ui_color c)
{
    char buf[512];
    char *tmp = len < (int)sizeof buf ? buf : xmalloc((size_t)len + 1);
    memcpy(tmp, s, (size_t)len);
    tmp[len] = '\0';
    SDL_Color col = {(c >> 16) & 0xFF, (c >> 8) & 0xFF, c & 0xFF, 0xFF};
    SDL_Surface *r = TTF_RenderUTF8_Blended(f, tmp, col);
    if (tmp != buf)
        free(tmp);
    return r;
}

SDL_Surface *text_line_surface(ui *u, struct text_cache *tc, struct fontset *fs,
                               const struct tblock *b, int i)
{
    (void)u;
    struct tline *l = &b->lines[i];
    if (l->surf || l->len == 0)
        return l->surf;
    /* find the entry to account the bytes and to reach the text */
    struct entry *e = (struct entry *)((char *)b - offsetof(struct entry, block));
    const char *s = e->text + l->start, *end = s + l->len;
    /* split into runs by font; the common case is one run */
    struct run {
        TTF_Font *f;
        const char *p;
        int len;
    } runs[64];
    int nr = 0;
    const char *p = s;
    while (p < end) {
        const char *q = p;
        TTF_Font *f = font_for(fs, utf8_next(&q));
        if (nr && runs[nr - 1].f == f) {
            runs[nr - 1].len += (int)(q - p);
        } else if (nr < (int)ARRAY_SIZE(runs)) {
            runs[nr++] = (struct run){f, p, (int)(q - p)};
        } else {
            runs[nr - 1].len += (int)(q - p);
        }
        p = q;
    }
    SDL_Surface *surf = NULL;
    if (nr == 1) {
        surf = render_run(runs[0].f, runs[0].p, runs[0].len, e->color);
    } else {
        SDL_Surface *parts[64];
        int w = 0, h = 0;
        for (int k = 0; k < nr; k++) {
            parts[k] = render_run(runs[k].f, runs[k].p, runs[k].len, e->color);
            if (parts[k]) {
                w += parts[k]->w;
                h = MAX(h, parts[k]->h + fs->ascent - TTF_FontAscent(runs[k].f));
            }
        }
        surf = SDL_CreateRGBSurfaceWithFormat(0, MAX(w, 1), MAX(h, 1), 32, SDL_PIXELFORMAT_ARGB8888);
        int x = 0;
        for (int k = 0; k < nr; k++) {
            if (!parts[k])
                continue;
            if (surf) {
                SDL_SetSurfaceBlendMode(parts[k], SDL_BLENDMODE_NONE);
                SDL_Rect dst = {x, MAX(0, fs->ascent - TTF_FontAscent(runs[k].f)), 0, 0};
                SDL_BlitSurface(parts[k], NULL, surf, &dst);
            }
            x += parts[k]->w;
            SDL_FreeSurface(parts[k]);
        }
    }
    if (surf) {
        SDL_SetSurfaceBlendMode(surf, SDL_BLENDMODE_BLEND);
        l->surf = surf;
        size_t bytes = (size_t)surf->pitch * (size_t)surf->h;
        e->bytes += bytes;
        tc->bytes += bytes;
        tc->rasterised++;
    }
    return surf;
}
