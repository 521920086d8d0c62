/* ui.c - the toolkit's core: themes and sizes, damage and frames, the semantic tree,
 * input resolution, scroll areas with fling, drawing primitives and widgets.
 * See ui.h for the model. Load: one frame per change; at most a few hundred nodes
 * per frame; input events are a handful per second except while dragging. */
#include "ui_internal.h"
#include "base/util.h"
#include "ui/pngio.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <sys/mman.h>
#include <malloc.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_NODES 4096
#define MAX_SCROLLS 16
#define MAX_CLIP 16
#define MAX_IMAGES 32
#define MAX_FONTSETS 24
#define ARENA_MAX (4 * 1024 * 1024)

struct theme {
    double font_mm[UI_FONT_COUNT];
    double gap_mm, target_mm, line_spacing;
    const struct ui_palette *pal;
    bool large;
    const char *name;
};

static const struct ui_palette pal_standard = {
    .bg = 0xEEF2F7, .surface = 0xFFFFFF, .text = 0x16202E, .muted = 0x4A5566,
    .primary = 0x0B57A0, .on_primary = 0xFFFFFF, .border = 0xB8C4D3, .accent = 0xB3261E,
    .on_accent = 0xFFFFFF, .pressed = 0xD6E4F5, .scrim = 0x000000, .highlight = 0xFFE08A,
};

/* light on black; every text colour here is at least 7:1 against black and the
 * fills it sits on (yellow 19.6, white 21, cyan 16.7, white on #333 12.6) */
static const struct ui_palette pal_contrast = {
    .bg = 0x000000, .surface = 0x000000, .text = 0xFFFFFF, .muted = 0xFFFF66,
    .primary = 0xFFFF00, .on_primary = 0x000000, .border = 0xFFFFFF, .accent = 0x00FFFF,
    .on_accent = 0x000000, .pressed = 0x333333, .scrim = 0x000000, .highlight = 0x000000,
};

/* body text 10.5 mm (CJK glyphs about 9 mm high, docs/rules.md asks at least 4.8 mm);
 * large text 1.5 times that; touch targets at least 12 and 15 mm */
static const struct theme themes[UI_THEME_COUNT] = {
    [UI_THEME_STANDARD] = {{8.5, 10.5, 12.5, 15.0, 22.0}, 4.0, 12.0, 1.45, &pal_standard, false, "standard"},
    [UI_THEME_LARGE] = {{12.75, 15.75, 18.0, 21.0, 30.0}, 5.0, 15.0, 1.45, &pal_standard, true, "large"},
    [UI_THEME_CONTRAST] = {{12.75, 15.75, 18.0, 21.0, 30.0}, 5.0, 15.0, 1.45, &pal_contrast, true, "contrast"},
};

struct scroll_reg {
    struct ui_scroll *s;
    ui_rect r;
    char id[64];
};

struct tree {
    struct ui_node nodes[MAX_NODES];
    int n;
    strbuf arena; /* ids and labels, NUL-separated; nodes hold offsets until finished */
    size_t id_off[MAX_NODES], label_off[MAX_NODES];
    struct scroll_reg scrolls[MAX_SCROLLS];
    int nscrolls;
};

struct image {
    char *key;
    SDL_Surface *src, *scaled;
    uint64_t used;
};

/* A tree's arena above this is given back at the next release (ui_release) */
#define ARENA_BASE (64 * 1024)

/* a font file mapped into memory once: FreeType then parses it from memory instead
 * of through thousands of small reads per opened size. It is opened once, as one
 * TTF_Font, and set to each size as a fontset needs it (ui_font_sized): opening it
 * again for every size cost 2 ms and 0.6 MB of FreeType's tables each time. */
struct fontfile {
    void *data;
    size_t len;
    int face;
    TTF_Font *font; /* NULL until first needed */
    int px;         /* the size FONT is set to now */
    bool failed;    /* it would not open: not tried again */
};

struct ui {
    struct fontfile files[2 + 3]; /* regular, bold, fallbacks */
    SDL_Surface *target;
    struct ui_options opt;
    enum ui_theme_id theme_id;
    const struct theme *theme;
    struct fontset *fontsets[MAX_FONTSETS];
    int nfontsets;
    struct text_cache *tc;

    /* damage: a bounding box is enough, the changes we have are local or whole */
    bool damaged;
    /* damage raised while a frame is being drawn (a screen scrolls a field into view
     * from its draw): the frame's clip is already set, so it is drawn next frame */
    bool in_frame, later_damaged;
    ui_rect later;
    ui_rect damage;
    ui_rect clip_stack[MAX_CLIP];
    int nclip;

    struct tree trees[2];
    struct tree *cur, *done;
    uint64_t frames, now_ms;

    /* pointer */
    bool down, dragging;
    int down_x, down_y, last_x, last_y;
    char press_id[64];
    ui_rect press_rect;
    uint64_t press_ms;
    struct ui_scroll *drag_scroll;
    ui_rect drag_rect;
    double drag_start_offset;
    struct sample {
        int y;
        uint64_t t;
    } samples[8];
    int nsamples;
    char tap_id[64];
    bool tap_pending;
    bool touch_reads;
    char *read_label; /* a copy, wiped by ui_wipe */
    char *read_handed; /* the last one ui_take_read returned */
    int tap_x, tap_y;

    struct image images[MAX_IMAGES];
    size_t image_budget; /* decoded and scaled pixels, bytes: see image_budget() */
    int shrink_trees;    /* trees whose arena ui_frame_begin gives back (ui_release) */
};

static void wipe_str(char **s);

/* ---- sizes -------------------------------------------------------------------- */

static double px_per_mm(ui *u)
{
    double pw = u->opt.panel_w_mm, ph = u->opt.panel_h_mm;
    double portrait_w = MIN(pw, ph), landscape_w = MAX(pw, ph);
    int w = u->target ? u->target->w : 1080, h = u->target ? u->target->h : 1920;
    return (double)w / (w > h ? landscape_w : portrait_w);
}

double ui_px_per_mm(ui *u)
{
    return px_per_mm(u);
}

bool ui_large(ui *u)
{
    return u->theme->large;
}

const char *ui_theme_name(enum ui_theme_id t)
{
    return t >= 0 && t < UI_THEME_COUNT ? themes[t].name : "?";
}

int ui_mm(ui *u, double mm)
{
    return (int)lround(mm * px_per_mm(u));
}

int ui_font_px(ui *u, enum ui_font f)
{
    return MAX(8, ui_mm(u, u->theme->font_mm[f]));
}

int ui_line_h_px(ui *u, int px)
{
    return (int)ceil(px * u->theme->line_spacing);
}

int ui_line_h(ui *u, enum ui_font f)
{
    return ui_line_h_px(u, ui_font_px(u, f));
}

int ui_gap(ui *u)
{
    return ui_mm(u, u->theme->gap_mm);
}

int ui_target_min(ui *u)
{
    return ui_mm(u, u->theme->target_mm);
}

ui_rect ui_screen(ui *u)
{
    return (ui_rect){0, 0, u->target->w, u->target->h};
}

const struct ui_palette *ui_pal(ui *u)
{
    return u->theme->pal;
}

struct text_cache *ui_text_cache(ui *u)
{
    return u->tc;
}

const struct ui_options *ui_options(ui *u)
{
    return &u->opt;
}

/* ---- fonts -------------------------------------------------------------------- */

/* The heap malloc has handed out, for the fonts' share in ui_stats: FreeType's
 * allocations are not ours to count one by one. 0 where mallinfo2 says nothing
 * (under AddressSanitizer). */
static size_t heap_in_use(void)
{
    struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
}

/* the faces belong to the files (fontfile), not to the fontset */
static void fontset_free(struct fontset *fs)
{
    if (!fs)
        return;
    free(fs->adv);
    free(fs);
}

static void fontfile_close(struct fontfile *ff)
{
    if (ff->font)
        TTF_CloseFont(ff->font);
    ff->font = NULL;
    ff->px = 0;
}

static int map_file(struct fontfile *ff, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return -errno;
    if (fstat(fd, &st) < 0 || st.st_size <= 0 || st.st_size > 64 * 1024 * 1024) {
        close(fd);
        return -EINVAL;
    }
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED)
        return -errno;
    ff->data = p;
    ff->len = (size_t)st.st_size;
    return 0;
}

/* FF's face at PX: opened the first time, set to PX when it was at another size */
static TTF_Font *open_font(struct fontfile *ff, int px)
{
    if (!ff->data || ff->failed)
        return NULL;
    if (!ff->font) {
        ff->font = TTF_OpenFontIndexRW(SDL_RWFromConstMem(ff->data, (int)ff->len), 1, px, ff->face);
        ff->failed = !ff->font;
        ff->px = px;
    } else if (ff->px != px) {
        if (TTF_SetFontSize(ff->font, px) != 0)
            return NULL;
        ff->px = px;
    }
    return ff->font;
}

TTF_Font *ui_font_sized(struct fontset *fs, TTF_Font *f)
{
    ui *u = fs->owner;
    for (size_t i = 0; i < ARRAY_SIZE(u->files); i++)
        if (f && u->files[i].font == f)
            return open_font(&u->files[i], fs->px);
    return f;
}

struct fontset *ui_fontset(ui *u, int px, bool bold)
{
    for (int i = 0; i < u->nfontsets; i++)
        if (u->fontsets[i]->px == px && u->fontsets[i]->bold == bold)
            return u->fontsets[i];
    size_t before = heap_in_use();
    TTF_Font *f = open_font(&u->files[bold ? 1 : 0], px);
    if (!f)
        return NULL;
    struct fontset *fs = xcalloc(1, sizeof *fs);
    fs->px = px;
    fs->bold = bold;
    fs->main = f;
    fs->ascent = TTF_FontAscent(f);
    fs->adv = xcalloc(0x10000, sizeof *fs->adv);
    fs->owner = u;
    fs->heap = heap_in_use() - MIN(before, heap_in_use());
    if (u->nfontsets == MAX_FONTSETS) {
        /* sizes change only with the theme or the screen size: drop the oldest */
        text_cache_clear(u->tc);
        fontset_free(u->fontsets[0]);
        memmove(u->fontsets, u->fontsets + 1, (MAX_FONTSETS - 1) * sizeof *u->fontsets);
        u->nfontsets--;
    }
    u->fontsets[u->nfontsets++] = fs;
    return fs;
}

TTF_Font *ui_fallback(struct fontset *fs, int i)
{
    if (i < 0 || i >= 3)
        return NULL;
    if (!fs->fallback_tried[i]) {
        size_t before = heap_in_use();
        fs->fallback_tried[i] = true;
        fs->fallback[i] = open_font(&fs->owner->files[2 + i], fs->px);
        fs->heap += heap_in_use() - MIN(before, heap_in_use());
    }
    return fs->fallback[i];
}

static struct fontset *fontset_for(ui *u, enum ui_font f, bool bold)
{
    struct fontset *fs = ui_fontset(u, ui_font_px(u, f), bold);
    expect(fs); /* the font opened at ui_create; a later failure is a bug */
    return fs;
}

/* ---- life cycle ------------------------------------------------------------------ */

/* The text cache's budget: one and a half screens' worth of ARGB pixels (12 MB at
 * 1080x1920). A screen is far from all text, so this holds the strings of the screen
 * shown, of a scroll's worth above and below it, and of the screens just left; a
 * longer history costs a re-rasterisation (about a millisecond a screen), not a frame. */
#define TEXT_CACHE_SCREENS_X2 3
static size_t text_budget(const SDL_Surface *target)
{
    size_t px = target ? (size_t)target->w * (size_t)target->h : (size_t)1080 * 1920;
    return px * 4 * TEXT_CACHE_SCREENS_X2 / 2;
}

/* The images' budget: two screens' worth of pixels (16 MB at 1080x1920), decoded
 * and scaled copies together. The help screen draws both floors of the hall map in
 * one scroll (7.8 MB each, decoded 1600x900 and scaled to the screen's width), and
 * one that did not fit would be decoded again every frame of a fling. Beyond it the
 * least recently drawn image goes; the idle reset frees them all (ui_release). */
static size_t image_budget(const SDL_Surface *target)
{
    size_t px = target ? (size_t)target->w * (size_t)target->h : (size_t)1080 * 1920;
    return px * 4 * 2;
}

ui *ui_create(SDL_Surface *target, const struct ui_options *opt, char *err, size_t errlen)
{
    if (!TTF_WasInit() && TTF_Init() != 0) {
        snprintf(err, errlen, "TTF_Init: %s", TTF_GetError());
        return NULL;
    }
    ui *u = xcalloc(1, sizeof *u);
    u->target = target;
    u->opt = *opt;
    u->theme_id = UI_THEME_STANDARD;
    u->theme = &themes[UI_THEME_STANDARD];
    u->tc = text_cache_new(text_budget(target));
    u->image_budget = image_budget(target);
    u->cur = &u->trees[0];
    u->done = &u->trees[1];
    const char *files[5] = {opt->font_regular, opt->font_bold, opt->fallback[0],
                            opt->fallback[1], opt->fallback[2]};
    for (int i = 0; i < 5; i++) {
        /* a missing fallback only costs rare characters; the shipped fonts must open */
        if (i >= 2)
            u->files[i].face = opt->fallback_face[i - 2];
        if (files[i] && map_file(&u->files[i], files[i]) < 0 && i < 2) {
            snprintf(err, errlen, "%s: cannot read font", files[i]);
            ui_destroy(u);
            return NULL;
        }
        if (i >= 2 && !files[i])
            break;
    }
    for (int i = 0; i < 2; i++) {
        if (!ui_fontset(u, 20, i == 1)) {
            snprintf(err, errlen, "%s: cannot open font: %s", files[i], TTF_GetError());
            ui_destroy(u);
            return NULL;
        }
    }
    ui_damage_all(u);
    return u;
}

static void image_free(struct image *im)
{
    freep(&im->key);
    SDL_FreeSurface(im->src);
    SDL_FreeSurface(im->scaled);
    im->src = im->scaled = NULL;
    im->used = 0;
}

static size_t surface_bytes(const SDL_Surface *s)
{
    return s ? (size_t)s->pitch * (size_t)s->h : 0;
}

static size_t image_bytes(const struct image *im)
{
    return surface_bytes(im->src) + surface_bytes(im->scaled);
}

void ui_destroy(ui *u)
{
    if (!u)
        return;
    text_cache_free(u->tc);
    for (int i = 0; i < u->nfontsets; i++)
        fontset_free(u->fontsets[i]);
    for (int i = 0; i < MAX_IMAGES; i++)
        image_free(&u->images[i]);
    for (int i = 0; i < 2; i++)
        strbuf_release(&u->trees[i].arena);
    ui_qr_cache_free();
    wipe_str(&u->read_label);
    wipe_str(&u->read_handed);
    for (size_t i = 0; i < ARRAY_SIZE(u->files); i++) {
        fontfile_close(&u->files[i]);
        if (u->files[i].data)
            munmap(u->files[i].data, u->files[i].len);
    }
    free(u);
}

void ui_set_target(ui *u, SDL_Surface *target)
{
    u->target = target;
    text_cache_set_budget(u->tc, text_budget(target));
    ui_damage_all(u);
}

SDL_Surface *ui_target(ui *u)
{
    return u->target;
}

void ui_set_theme(ui *u, enum ui_theme_id t)
{
    if (t < 0 || t >= UI_THEME_COUNT)
        return;
    u->theme_id = t;
    u->theme = &themes[t];
    ui_damage_all(u);
}

enum ui_theme_id ui_theme(ui *u)
{
    return u->theme_id;
}

/* ---- rectangles, damage, clipping ---------------------------------------------- */

static ui_rect rect_isect(ui_rect a, ui_rect b)
{
    int x0 = MAX(a.x, b.x), y0 = MAX(a.y, b.y);
    int x1 = MIN(a.x + a.w, b.x + b.w), y1 = MIN(a.y + a.h, b.y + b.h);
    return (ui_rect){x0, y0, MAX(0, x1 - x0), MAX(0, y1 - y0)};
}

static ui_rect rect_union(ui_rect a, ui_rect b)
{
    if (a.w <= 0 || a.h <= 0)
        return b;
    if (b.w <= 0 || b.h <= 0)
        return a;
    int x0 = MIN(a.x, b.x), y0 = MIN(a.y, b.y);
    int x1 = MAX(a.x + a.w, b.x + b.w), y1 = MAX(a.y + a.h, b.y + b.h);
    return (ui_rect){x0, y0, x1 - x0, y1 - y0};
}

static bool rect_has(ui_rect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

void ui_damage(ui *u, ui_rect r)
{
    r = rect_isect(r, ui_screen(u));
    if (r.w <= 0 || r.h <= 0)
        return;
    if (u->in_frame) {
        u->later = u->later_damaged ? rect_union(u->later, r) : r;
        u->later_damaged = true;
        return;
    }
    u->damage = u->damaged ? rect_union(u->damage, r) : r;
    u->damaged = true;
}

void ui_damage_all(ui *u)
{
    if (!u->target) {
        u->damaged = true;
        return;
    }
    if (u->in_frame) {
        u->later = ui_screen(u);
        u->later_damaged = true;
        return;
    }
    u->damage = ui_screen(u);
    u->damaged = true;
}

static void apply_clip(ui *u)
{
    ui_rect c = u->nclip ? u->clip_stack[u->nclip - 1] : ui_screen(u);
    SDL_Rect sr = {c.x, c.y, c.w, c.h};
    SDL_SetClipRect(u->target, &sr);
}

void ui_clip_push(ui *u, ui_rect r)
{
    expect(u->nclip < MAX_CLIP);
    ui_rect base = u->nclip ? u->clip_stack[u->nclip - 1] : ui_screen(u);
    u->clip_stack[u->nclip++] = rect_isect(base, r);
    apply_clip(u);
}

void ui_clip_pop(ui *u)
{
    expect(u->nclip > 1); /* the damage clip stays */
    u->nclip--;
    apply_clip(u);
}

static ui_rect cur_clip(ui *u)
{
    return u->nclip ? u->clip_stack[u->nclip - 1] : ui_screen(u);
}

/* the visible area a node lives in: the innermost scroll area, else the screen */
static ui_rect node_clip(ui *u)
{
    for (int i = u->cur->nscrolls - 1; i >= 0; i--)
        if (u->cur->scrolls[i].s->view_h < 0) /* open scroll area */
            return u->cur->scrolls[i].r;
    return ui_screen(u);
}

/* ---- frames ----------------------------------------------------------------------- */

static void fling_step(ui *u, struct ui_scroll *s, ui_rect r, uint64_t now)
{
    if (s->dragging || s->velocity == 0.0)
        return;
    double dt = s->last_ms ? (double)(now - s->last_ms) / 1000.0 : 0.016;
    if (dt > 0.1)
        dt = 0.1;
    s->last_ms = now;
    s->offset += s->velocity * dt;
    s->velocity *= exp(-dt / 0.325);
    double max = MAX(0, s->content_h - s->view_h);
    if (s->offset < 0 || s->offset > max) {
        s->offset = CLAMP(s->offset, 0, max);
        s->velocity = 0;
    }
    if (fabs(s->velocity) < 15.0)
        s->velocity = 0;
    ui_damage(u, r);
}

bool ui_animating(ui *u)
{
    for (int i = 0; i < u->done->nscrolls; i++)
        if (u->done->scrolls[i].s->velocity != 0.0 && !u->done->scrolls[i].s->dragging)
            return true;
    return false;
}

bool ui_wants_frame(ui *u)
{
    return u->damaged || ui_animating(u);
}

void ui_frame_begin(ui *u, uint64_t now_ms)
{
    u->now_ms = now_ms;
    for (int i = 0; i < u->done->nscrolls; i++)
        fling_step(u, u->done->scrolls[i].s, u->done->scrolls[i].r, now_ms);
    struct tree *t = u->cur;
    t->n = 0;
    t->nscrolls = 0;
    t->arena.len = 0;
    if (u->shrink_trees > 0) {
        u->shrink_trees--;
        if (t->arena.cap > ARENA_BASE)
            strbuf_release(&t->arena);
    }
    if (!u->damaged)
        u->damage = (ui_rect){0, 0, 0, 0};
    u->nclip = 0;
    ui_clip_push(u, u->damage);
    u->frames++;
    u->in_frame = true;
}

ui_rect ui_frame_end(ui *u)
{
    struct tree *t = u->cur;
    for (int i = 0; i < t->n; i++) {
        t->nodes[i].id = t->arena.buf + t->id_off[i];
        t->nodes[i].label = t->arena.buf + t->label_off[i];
    }
    u->cur = u->done;
    u->done = t;
    text_cache_trim(u->tc); /* no block is held between frames */
    ui_rect d = u->damage;
    u->in_frame = false;
    u->damaged = u->later_damaged;
    u->damage = u->later_damaged ? u->later : (ui_rect){0, 0, 0, 0};
    u->later_damaged = false;
    u->nclip = 0;
    SDL_SetClipRect(u->target, NULL);
    return d;
}

uint64_t ui_frames(ui *u)
{
    return u->frames;
}

/* ---- the semantic tree ----------------------------------------------------------- */

void ui_node_add(ui *u, const char *id, enum ui_role role, const char *label, ui_rect r,
                 bool interactive)
{
    struct tree *t = u->cur;
    expect(t->n < MAX_NODES);
    if (t->arena.len > ARENA_MAX)
        label = "";
    int i = t->n++;
    t->id_off[i] = t->arena.len;
    strbuf_add(&t->arena, id ? id : "", strlen(id ? id : "") + 1);
    t->label_off[i] = t->arena.len;
    strbuf_add(&t->arena, label ? label : "", strlen(label ? label : "") + 1);
    t->nodes[i] = (struct ui_node){.role = role, .rect = r, .clip = node_clip(u), .interactive = interactive};
}

void ui_node_truncated(ui *u)
{
    if (u->cur->n > 0)
        u->cur->nodes[u->cur->n - 1].truncated = true;
}

void ui_node_estimated(ui *u)
{
    if (u->cur->n > 0)
        u->cur->nodes[u->cur->n - 1].estimated = true;
}

void ui_tree_inert(ui *u)
{
    for (int i = 0; i < u->cur->n; i++)
        u->cur->nodes[i].interactive = false;
}

int ui_tree_count(ui *u)
{
    return u->done->n;
}

const struct ui_node *ui_tree_node(ui *u, int i)
{
    return i >= 0 && i < u->done->n ? &u->done->nodes[i] : NULL;
}

const char *ui_role_name(enum ui_role r)
{
    static const char *const names[UI_ROLE_COUNT] = {
        "button", "text", "heading", "list", "item", "input", "qr", "image", "dialog"};
    return r < UI_ROLE_COUNT ? names[r] : "?";
}

void ui_json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

void ui_tree_json(ui *u, FILE *f)
{
    fputc('[', f);
    for (int i = 0; i < ui_tree_count(u); i++) {
        const struct ui_node *n = ui_tree_node(u, i);
        fprintf(f, "%s\n  {\"id\": ", i ? "," : "");
        ui_json_str(f, n->id);
        fprintf(f, ", \"role\": \"%s\", \"label\": ", ui_role_name(n->role));
        ui_json_str(f, n->label);
        fprintf(f, ", \"rect\": [%d, %d, %d, %d], \"clip\": [%d, %d, %d, %d], \"interactive\": %s, \"truncated\": %s, "
                   "\"estimated\": %s",
                n->rect.x, n->rect.y, n->rect.w, n->rect.h, n->clip.x, n->clip.y, n->clip.w,
                n->clip.h, n->interactive ? "true" : "false", n->truncated ? "true" : "false",
                n->estimated ? "true" : "false");
        if (n->tinted)
            fprintf(f, ", \"tint\": \"#%06X\", \"bg\": \"#%06X\"", (unsigned)n->tint, (unsigned)n->bg);
        fputc('}', f);
    }
    fprintf(f, "\n]");
}

/* ---- input ------------------------------------------------------------------------ */

static const struct ui_node *hit(ui *u, int x, int y)
{
    /* later nodes are drawn on top */
    for (int i = u->done->n - 1; i >= 0; i--) {
        const struct ui_node *n = &u->done->nodes[i];
        if (n->interactive && rect_has(n->rect, x, y) && rect_has(n->clip, x, y))
            return n;
    }
    return NULL;
}

void ui_pointer_down(ui *u, int x, int y, uint64_t t_ms)
{
    u->down = true;
    u->dragging = false;
    u->down_x = u->last_x = x;
    u->down_y = u->last_y = y;
    u->press_id[0] = '\0';
    u->drag_scroll = NULL;
    const struct ui_node *n = hit(u, x, y);
    if (n) {
        snprintf(u->press_id, sizeof u->press_id, "%s", n->id);
        u->press_rect = n->rect;
        u->press_ms = t_ms;
        ui_damage(u, n->rect);
    }
    for (int i = u->done->nscrolls - 1; i >= 0; i--) {
        struct scroll_reg *sr = &u->done->scrolls[i];
        if (rect_has(sr->r, x, y)) {
            u->drag_scroll = sr->s;
            u->drag_rect = sr->r;
            sr->s->velocity = 0; /* a touch stops a fling */
            break;
        }
    }
    u->nsamples = 0;
    u->samples[u->nsamples++] = (struct sample){y, t_ms};
}

void ui_pointer_move(ui *u, int x, int y, uint64_t t_ms)
{
    if (!u->down)
        return;
    u->last_x = x;
    u->last_y = y;
    int slop = ui_mm(u, 3.0);
    if (!u->dragging && u->drag_scroll &&
        (abs(y - u->down_y) > slop || abs(x - u->down_x) > slop)) {
        u->dragging = true;
        u->drag_scroll->dragging = true;
        u->drag_start_offset = u->drag_scroll->offset;
        if (u->press_id[0])
            ui_damage(u, u->press_rect);
        u->press_id[0] = '\0';
    }
    if (u->dragging) {
        struct ui_scroll *s = u->drag_scroll;
        double max = MAX(0, s->content_h - s->view_h);
        s->offset = CLAMP(u->drag_start_offset - (y - u->down_y), 0, max);
        ui_damage(u, u->drag_rect);
        if (u->nsamples == (int)ARRAY_SIZE(u->samples)) {
            memmove(u->samples, u->samples + 1, sizeof u->samples - sizeof u->samples[0]);
            u->nsamples--;
        }
        u->samples[u->nsamples++] = (struct sample){y, t_ms};
    }
}

void ui_pointer_up(ui *u, int x, int y, uint64_t t_ms)
{
    if (!u->down)
        return;
    ui_pointer_move(u, x, y, t_ms);
    u->down = false;
    if (u->dragging) {
        struct ui_scroll *s = u->drag_scroll;
        /* velocity over the last 100 ms of the drag */
        int k = u->nsamples - 1;
        while (k > 0 && t_ms - u->samples[k - 1].t <= 100)
            k--;
        double dt = (double)(t_ms - u->samples[k].t) / 1000.0;
        double v = dt > 0.005 ? -(double)(y - u->samples[k].y) / dt : 0.0;
        s->dragging = false;
        s->velocity = fabs(v) > 60.0 ? CLAMP(v, -8000.0, 8000.0) : 0.0;
        s->last_ms = t_ms;
        u->dragging = false;
        u->drag_scroll = NULL;
        return;
    }
    if (u->touch_reads && !u->dragging) {
        /* the innermost node with words under the finger */
        for (int i = u->done->n - 1; i >= 0; i--) {
            const struct ui_node *n = &u->done->nodes[i];
            if (n->label[0] && rect_has(n->rect, x, y) && rect_has(n->clip, x, y)) {
                free(u->read_label);
                u->read_label = xstrdup(n->label);
                break;
            }
        }
    }
    if (u->press_id[0]) {
        const struct ui_node *n = hit(u, x, y);
        if (n && strcmp(n->id, u->press_id) == 0) {
            snprintf(u->tap_id, sizeof u->tap_id, "%s", u->press_id);
            u->tap_pending = true;
            u->tap_x = x;
            u->tap_y = y;
        }
        ui_damage(u, u->press_rect);
        u->press_id[0] = '\0';
    }
    u->drag_scroll = NULL;
}

const char *ui_held(ui *u, uint64_t *ret_since_ms)
{
    if (!u->down || u->dragging || !u->press_id[0])
        return NULL;
    if (ret_since_ms)
        *ret_since_ms = u->press_ms;
    return u->press_id;
}

bool ui_is_held(ui *u, const char *id)
{
    return u->down && !u->dragging && strcmp(u->press_id, id) == 0;
}

void ui_set_touch_reads(ui *u, bool on)
{
    u->touch_reads = on;
}

static void wipe_str(char **s)
{
    if (*s) {
        explicit_bzero(*s, strlen(*s));
        freep(s);
    }
}

const char *ui_take_read(ui *u)
{
    wipe_str(&u->read_handed);
    u->read_handed = u->read_label;
    u->read_label = NULL;
    return u->read_handed;
}

const char *ui_take_tap(ui *u)
{
    if (!u->tap_pending)
        return NULL;
    u->tap_pending = false;
    return u->tap_id;
}

void ui_last_tap_pos(ui *u, int *x, int *y)
{
    *x = u->tap_x;
    *y = u->tap_y;
}

void ui_forget(ui *u)
{
    u->done->n = 0;
    u->done->nscrolls = 0;
    u->cur->nscrolls = 0;
    u->down = u->dragging = false;
    u->drag_scroll = NULL;
    u->press_id[0] = '\0';
    ui_damage_all(u);
}

void ui_wipe(ui *u)
{
    for (int i = 0; i < 2; i++) {
        struct tree *t = &u->trees[i];
        if (t->arena.buf)
            explicit_bzero(t->arena.buf, t->arena.cap);
        t->arena.len = 0;
        t->n = 0;
        t->nscrolls = 0;
    }
    text_cache_wipe(u->tc);
    explicit_bzero(u->tap_id, sizeof u->tap_id);
    wipe_str(&u->read_label);
    wipe_str(&u->read_handed);
    ui_forget(u);
}

/* ---- primitives -------------------------------------------------------------------- */

static Uint32 map(ui *u, ui_color c)
{
    return SDL_MapRGB(u->target->format, (c >> 16) & 0xFF, (c >> 8) & 0xFF, c & 0xFF);
}

static bool clipped_out(ui *u, ui_rect r)
{
    ui_rect c = rect_isect(cur_clip(u), r);
    return c.w <= 0 || c.h <= 0;
}

void ui_fill(ui *u, ui_rect r, ui_color c)
{
    if (clipped_out(u, r))
        return;
    SDL_Rect sr = {r.x, r.y, r.w, r.h};
    SDL_FillRect(u->target, &sr, map(u, c));
}

/* inset of row y (0 = top) of a corner of radius rad */
static int corner_inset(int rad, int y)
{
    double d = rad - y - 0.5;
    return rad - (int)lround(sqrt(MAX(0.0, (double)rad * rad - d * d)));
}

void ui_fill_round(ui *u, ui_rect r, int rad, ui_color c)
{
    if (clipped_out(u, r))
        return;
    rad = MIN(rad, MIN(r.w, r.h) / 2);
    Uint32 px = map(u, c);
    SDL_Rect mid = {r.x, r.y + rad, r.w, r.h - 2 * rad};
    SDL_FillRect(u->target, &mid, px);
    for (int y = 0; y < rad; y++) {
        int in = corner_inset(rad, y);
        SDL_Rect top = {r.x + in, r.y + y, r.w - 2 * in, 1};
        SDL_Rect bot = {r.x + in, r.y + r.h - 1 - y, r.w - 2 * in, 1};
        SDL_FillRect(u->target, &top, px);
        SDL_FillRect(u->target, &bot, px);
    }
}

void ui_frame_round(ui *u, ui_rect r, int rad, int t, ui_color c)
{
    if (clipped_out(u, r))
        return;
    rad = MIN(rad, MIN(r.w, r.h) / 2);
    Uint32 px = map(u, c);
    SDL_Rect sides[4] = {{r.x + rad, r.y, r.w - 2 * rad, t},
                         {r.x + rad, r.y + r.h - t, r.w - 2 * rad, t},
                         {r.x, r.y + rad, t, r.h - 2 * rad},
                         {r.x + r.w - t, r.y + rad, t, r.h - 2 * rad}};
    SDL_FillRects(u->target, sides, 4, px);
    for (int y = 0; y < rad; y++) {
        int in = corner_inset(rad, y);
        int in2 = y + 1 < rad ? corner_inset(rad, y + 1) : rad;
        int span = MAX(t, in - in2 + 1);
        if (y < t)
            span = rad - in;
        SDL_Rect segs[4] = {{r.x + in, r.y + y, span, 1},
                            {r.x + r.w - in - span, r.y + y, span, 1},
                            {r.x + in, r.y + r.h - 1 - y, span, 1},
                            {r.x + r.w - in - span, r.y + r.h - 1 - y, span, 1}};
        SDL_FillRects(u->target, segs, 4, px);
    }
}

void ui_fill_alpha(ui *u, ui_rect r, ui_color c, uint8_t a)
{
    ui_rect cr = rect_isect(cur_clip(u), r);
    if (cr.w <= 0 || cr.h <= 0)
        return;
    SDL_Surface *t = u->target;
    if (t->format->BytesPerPixel != 4)
        return;
    SDL_LockSurface(t);
    Uint8 rr = (c >> 16) & 0xFF, gg = (c >> 8) & 0xFF, bb = c & 0xFF;
    for (int y = cr.y; y < cr.y + cr.h; y++) {
        Uint32 *row = (Uint32 *)((Uint8 *)t->pixels + (size_t)y * (size_t)t->pitch);
        for (int x = cr.x; x < cr.x + cr.w; x++) {
            Uint8 r0, g0, b0;
            SDL_GetRGB(row[x], t->format, &r0, &g0, &b0);
            row[x] = SDL_MapRGB(t->format, (Uint8)((rr * a + r0 * (255 - a)) / 255),
                                (Uint8)((gg * a + g0 * (255 - a)) / 255),
                                (Uint8)((bb * a + b0 * (255 - a)) / 255));
        }
    }
    SDL_UnlockSurface(t);
}

void ui_modules(ui *u, const unsigned char *mods, int size, int scale, int quiet, int x, int y)
{
    int full = (size + 2 * quiet) * scale;
    ui_fill(u, (ui_rect){x, y, full, full}, 0xFFFFFF);
    Uint32 dark = map(u, 0x000000);
    for (int my = 0; my < size; my++) {
        int mx = 0;
        while (mx < size) {
            if (!mods[my * size + mx]) {
                mx++;
                continue;
            }
            int start = mx;
            while (mx < size && mods[my * size + mx])
                mx++;
            SDL_Rect run = {x + (quiet + start) * scale, y + (quiet + my) * scale,
                            (mx - start) * scale, scale};
            SDL_FillRect(u->target, &run, dark);
        }
    }
}

/* Frees the least recently drawn images, never KEEP, until the images are within
 * their budget */
static void images_trim(ui *u, const struct image *keep)
{
    for (;;) {
        size_t total = 0;
        struct image *lru = NULL;
        for (int i = 0; i < MAX_IMAGES; i++) {
            struct image *im = &u->images[i];
            if (!im->key)
                continue;
            total += image_bytes(im);
            if (im != keep && (!lru || im->used < lru->used))
                lru = im;
        }
        if (total <= u->image_budget || !lru)
            return;
        image_free(lru);
    }
}

void ui_set_image_budget(ui *u, size_t bytes)
{
    u->image_budget = bytes;
    images_trim(u, NULL);
}

/* The cache entry of KEY, or the least recently used one (emptied) to fill. */
static struct image *image_slot(ui *u, const char *key, bool *found)
{
    struct image *lru = &u->images[0];
    for (int i = 0; i < MAX_IMAGES; i++) {
        if (u->images[i].key && strcmp(u->images[i].key, key) == 0) {
            *found = true;
            return &u->images[i];
        }
        if (u->images[i].used < lru->used)
            lru = &u->images[i];
    }
    *found = false;
    image_free(lru);
    return lru;
}

/* PIC decoded as a mask in TINT, W x H at most (aspect kept): ARGB, NULL if it
 * cannot be decoded or is larger than UI_PICTO_MAX_SIDE. */
static SDL_Surface *picto_decode(const struct ui_picto *pic, ui_color tint, int w, int h)
{
    if (!pic->png || pic->len == 0 || pic->len > INT32_MAX)
        return NULL;
    SDL_Surface *m;
    if (pngio_decode(pic->png, pic->len, UI_PICTO_MAX_SIDE, &m, NULL, 0) < 0)
        return NULL;
    SDL_LockSurface(m);
    bool has_alpha = false;
    for (int y = 0; y < m->h && !has_alpha; y++) {
        const uint32_t *row = (const uint32_t *)((const uint8_t *)m->pixels + y * m->pitch);
        for (int x = 0; x < m->w && !has_alpha; x++)
            has_alpha = (row[x] >> 24) != 0xFF;
    }
    for (int y = 0; y < m->h; y++) {
        uint32_t *row = (uint32_t *)((uint8_t *)m->pixels + y * m->pitch);
        for (int x = 0; x < m->w; x++) {
            uint32_t p = row[x], a = p >> 24;
            if (!has_alpha) /* grey levels as the mask: white is ink */
                a = (((p >> 16) & 0xFF) * 77 + ((p >> 8) & 0xFF) * 150 + (p & 0xFF) * 29) >> 8;
            row[x] = (a << 24) | (tint & 0xFFFFFF);
        }
    }
    SDL_UnlockSurface(m);
    double sc = MIN((double)w / m->w, (double)h / m->h);
    int sw = MAX(1, (int)(m->w * sc)), sh = MAX(1, (int)(m->h * sc));
    SDL_Surface *out = SDL_CreateRGBSurfaceWithFormat(0, sw, sh, 32, SDL_PIXELFORMAT_ARGB8888);
    if (out && SDL_SoftStretchLinear(m, NULL, out, NULL) != 0) {
        SDL_FreeSurface(out);
        out = NULL;
    }
    SDL_FreeSurface(m);
    if (out)
        SDL_SetSurfaceBlendMode(out, SDL_BLENDMODE_BLEND);
    return out;
}

ui_rect ui_picto(ui *u, const char *id, const struct ui_picto *pic, ui_rect r, ui_color tint,
                 ui_color bg, const char *label)
{
    ui_rect out = {r.x, r.y, 0, 0};
    if (r.w <= 0 || r.h <= 0)
        return out;
    char key[320];
    snprintf(key, sizeof key, "picto:%s:%06X:%dx%d", pic->key ? pic->key : "", (unsigned)tint, r.w, r.h);
    bool found;
    struct image *im = image_slot(u, key, &found);
    if (!found) {
        im->scaled = picto_decode(pic, tint, r.w, r.h);
        if (!im->scaled)
            return out;
        im->key = xstrdup(key);
        images_trim(u, im);
    }
    im->used = u->frames + 1;
    out = (ui_rect){r.x + (r.w - im->scaled->w) / 2, r.y + (r.h - im->scaled->h) / 2, im->scaled->w,
                    im->scaled->h};
    if (!clipped_out(u, out)) {
        SDL_Rect dst = {out.x, out.y, out.w, out.h};
        SDL_BlitSurface(im->scaled, NULL, u->target, &dst);
    }
    ui_node_add(u, id, UI_ROLE_IMAGE, label, out, false);
    struct ui_node *n = &u->cur->nodes[u->cur->n - 1];
    n->tinted = true;
    n->tint = tint;
    n->bg = bg;
    return out;
}

ui_rect ui_image(ui *u, const char *key, const void *png, size_t len, ui_rect r)
{
    bool found;
    struct image *im = image_slot(u, key, &found);
    if (!found) {
        if (!png || len == 0 || len > INT32_MAX)
            return (ui_rect){r.x, r.y, 0, 0};
        SDL_Surface *s;
        if (pngio_decode(png, len, PNGIO_MAX_SIDE, &s, NULL, 0) < 0)
            return (ui_rect){r.x, r.y, 0, 0};
        im->src = SDL_ConvertSurface(s, u->target->format, 0);
        SDL_FreeSurface(s);
        if (!im->src)
            return (ui_rect){r.x, r.y, 0, 0};
        im->key = xstrdup(key);
    }
    im->used = u->frames + 1;
    double sc = MIN((double)r.w / im->src->w, (double)r.h / im->src->h);
    int w = MAX(1, (int)(im->src->w * sc)), h = MAX(1, (int)(im->src->h * sc));
    if (!im->scaled || im->scaled->w != w || im->scaled->h != h) {
        SDL_FreeSurface(im->scaled);
        im->scaled = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, u->target->format->format);
        if (im->scaled)
            SDL_SoftStretchLinear(im->src, NULL, im->scaled, NULL);
        images_trim(u, im);
    }
    ui_rect out = {r.x + (r.w - w) / 2, r.y, w, h};
    if (im->scaled && !clipped_out(u, out)) {
        SDL_Rect dst = {out.x, out.y, w, h};
        SDL_BlitSurface(im->scaled, NULL, u->target, &dst);
    }
    return out;
}

/* ---- text ------------------------------------------------------------------------- */

int ui_text_height(ui *u, enum ui_font f, bool bold, const char *s, int width)
{
    struct fontset *fs = fontset_for(u, f, bold);
    const struct tblock *b = text_get(u, u->tc, fs, 0, s, width);
    return b->nlines * b->line_h;
}

int ui_text_width(ui *u, enum ui_font f, bool bold, const char *s)
{
    struct fontset *fs = fontset_for(u, f, bold);
    const struct tblock *b = text_get(u, u->tc, fs, 0, s, 1 << 20);
    int w = 0;
    for (int i = 0; i < b->nlines; i++)
        w = MAX(w, b->lines[i].width);
    return w;
}

int ui_text_lines(ui *u, enum ui_font f, bool bold, const char *s, int width, int *starts,
                  int *lens, int max)
{
    struct fontset *fs = fontset_for(u, f, bold);
    const struct tblock *b = text_get(u, u->tc, fs, 0, s, width);
    for (int i = 0; i < b->nlines && i < max; i++) {
        starts[i] = b->lines[i].start;
        lens[i] = b->lines[i].len;
    }
    return b->nlines;
}

static int prefix_width(ui *u, enum ui_font f, bool bold, const char *s, int n)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%.*s", MIN(n, (int)sizeof buf - 1), s);
    return ui_text_width(u, f, bold, buf);
}

int ui_text_span(ui *u, enum ui_font f, bool bold, const char *s, int width, int at, int len,
                 ui_rect *out, int max)
{
    struct fontset *fs = fontset_for(u, f, bold);
    const struct tblock *b = text_get(u, u->tc, fs, 0, s, width);
    int k = 0, end = at + len;
    for (int i = 0; i < b->nlines && k < max; i++) {
        const struct tline *l = &b->lines[i];
        int a = MAX(at, l->start), z = MIN(end, l->start + l->len);
        if (a >= z)
            continue;
        int x0 = prefix_width(u, f, bold, s + l->start, a - l->start);
        int x1 = prefix_width(u, f, bold, s + l->start, z - l->start);
        out[k++] = (ui_rect){x0, i * b->line_h, x1 - x0, b->line_h};
    }
    return k;
}

int ui_text(ui *u, enum ui_font f, bool bold, ui_color c, const char *s, ui_rect r,
            enum ui_align align, bool *ret_truncated)
{
    struct fontset *fs = fontset_for(u, f, bold);
    const struct tblock *b = text_get(u, u->tc, fs, c, s, r.w);
    int lh = b->line_h, n = b->nlines;
    bool trunc = false;
    if (r.h > 0 && n * lh > r.h) {
        n = MAX(1, r.h / lh);
        trunc = true;
    }
    ui_rect clip = cur_clip(u);
    for (int i = 0; i < n; i++) {
        int y = r.y + i * lh;
        if (y + lh <= clip.y || y >= clip.y + clip.h)
            continue; /* off screen: not even rasterised */
        SDL_Surface *ls = text_line_surface(u, u->tc, fs, b, i);
        if (!ls)
            continue;
        int x = r.x;
        if (align == UI_ALIGN_CENTER)
            x += (r.w - ls->w) / 2;
        else if (align == UI_ALIGN_RIGHT)
            x += r.w - ls->w;
        SDL_Rect dst = {x, y + (lh - ls->h) / 2, 0, 0};
        SDL_BlitSurface(ls, NULL, u->target, &dst);
    }
    for (int i = 0; i < n && !trunc; i++)
        if (b->lines[i].width > r.w)
            trunc = true;
    if (ret_truncated)
        *ret_truncated = trunc;
    return n * lh;
}

/* ---- widgets ---------------------------------------------------------------------- */

/* whether laying S out in width W cuts a Latin word across two lines */
static bool breaks_word(ui *u, enum ui_font f, const char *s, int w)
{
    int starts[64], lens[64];
    int n = ui_text_lines(u, f, true, s, w, starts, lens, 64);
    for (int i = 1; i < n && i < 64; i++) {
        unsigned char a = (unsigned char)s[starts[i] - 1], b = (unsigned char)s[starts[i]];
        if (starts[i] > 0 && isalnum(a) && isalnum(b))
            return true;
    }
    return false;
}

/* the side of a pictogram above the words of a button W wide: a fifth of it, at
 * least 12 mm and at most 30 mm */
static int picto_above(ui *u, int w)
{
    return MAX(ui_mm(u, 12.0), MIN(w / 5, ui_mm(u, 30.0)));
}

int ui_button_picto_height(ui *u, enum ui_button_style style, const char *label,
                           const char *sublabel, int w, const struct ui_picto *pic)
{
    int pad = ui_mm(u, 3.0);
    enum ui_font font = style == UI_BTN_TILE ? UI_FONT_TITLE : UI_FONT_BODY;
    if (style != UI_BTN_TILE && breaks_word(u, font, label, w - 2 * pad))
        font = UI_FONT_SMALL;
    int h = ui_text_height(u, font, true, label, w - 2 * pad);
    if (sublabel && *sublabel)
        h += ui_text_height(u, UI_FONT_SMALL, false, sublabel, w - 2 * pad);
    if (pic && style != UI_BTN_TILE)
        h += picto_above(u, w) + pad / 2;
    return MAX(ui_target_min(u), h + 2 * pad);
}

int ui_button_height(ui *u, enum ui_button_style style, const char *label,
                     const char *sublabel, int w)
{
    return ui_button_picto_height(u, style, label, sublabel, w, NULL);
}

void ui_button(ui *u, const char *id, ui_rect r, enum ui_button_style style,
               const char *label, const char *sublabel)
{
    ui_button_picto(u, id, r, style, label, sublabel, NULL);
}

void ui_button_picto(ui *u, const char *id, ui_rect r, enum ui_button_style style,
                     const char *label, const char *sublabel, const struct ui_picto *pic)
{
    const struct ui_palette *p = ui_pal(u);
    bool pressed = ui_is_held(u, id);
    int rad = ui_mm(u, 2.5), pad = ui_mm(u, 3.0);
    ui_color bg = p->surface, fg = p->primary, border = p->border;
    enum ui_font font = UI_FONT_BODY;
    switch (style) {
    case UI_BTN_PRIMARY:
        bg = p->primary, fg = p->on_primary, border = p->primary;
        break;
    case UI_BTN_ACCENT:
        bg = p->accent, fg = p->on_accent, border = p->accent;
        break;
    case UI_BTN_TILE:
        font = UI_FONT_TITLE;
        break;
    case UI_BTN_FLAT:
        bg = p->bg, border = p->bg;
        break;
    case UI_BTN_SECONDARY:
        break;
    }
    if (pressed && style != UI_BTN_PRIMARY && style != UI_BTN_ACCENT)
        bg = p->pressed;
    if (pressed && (style == UI_BTN_PRIMARY || style == UI_BTN_ACCENT))
        bg = p->text;
    if (!clipped_out(u, r)) {
        ui_fill_round(u, r, rad, bg);
        if (style != UI_BTN_FLAT)
            ui_frame_round(u, r, rad, MAX(1, ui_mm(u, 0.5)), pressed ? fg : border);
    }
    bool trunc = false, trunc2 = false;
    int inner_w = r.w - 2 * pad;
    ui_rect prect = {0, 0, 0, 0}; /* where the pictogram goes */
    if (style == UI_BTN_TILE) {
        /* a large label and a line of explanation, centred in the tile, behind an
         * accent bar so the tile reads as one thing; a pictogram above them when the
         * tile has room for one at least a sixth of its width, else left of them */
        int bar = ui_mm(u, 2.0), gap = ui_mm(u, 1.5), avail = r.h - 2 * pad;
        int tx = r.x + pad + bar + pad, tw = r.x + r.w - pad - tx;
        enum ui_font subfont = UI_FONT_BODY;
        bool has_sub = sublabel && *sublabel;
        int h1 = ui_text_height(u, font, true, label, tw);
        int h2 = has_sub ? ui_text_height(u, subfont, false, sublabel, tw) : 0;
        int above = 0;
        if (pic) {
            above = MIN(avail - (h1 + gap + h2) - 2 * gap, r.w / 3);
            if (above < r.w / 6) {
                /* left of the words: a fifth of the tile, else an eighth, where the
                 * label still fits whole in the smaller font (the label comes first;
                 * the explanation goes before the picture) */
                above = 0;
                int sides[] = {MIN(avail, r.w / 5), MIN(avail, r.w / 8)}, ps = 0;
                for (int k = 0; k < 2 && !ps; k++)
                    if (ui_text_height(u, UI_FONT_HEADING, true, label, tw - sides[k] - pad) <= avail)
                        ps = sides[k];
                if (ps) {
                    prect = (ui_rect){r.x + pad, r.y + (r.h - ps) / 2, ps, ps};
                    tx += ps + pad;
                    tw -= ps + pad;
                    h1 = ui_text_height(u, font, true, label, tw);
                    h2 = has_sub ? ui_text_height(u, subfont, false, sublabel, tw) : 0;
                } else {
                    /* else a smaller one above a label in the smaller font, the
                     * explanation dropped; else none */
                    int h1s = ui_text_height(u, UI_FONT_HEADING, true, label, tw);
                    above = MIN(avail - h1s - 2 * gap, r.w / 6);
                    if (above >= ui_mm(u, 10.0))
                        avail -= above + 2 * gap;
                    else
                        above = 0, pic = NULL;
                }
            } else {
                avail -= above + 2 * gap;
            }
        }
        /* a small tile (landscape, large text) steps the fonts down before it would
         * cut anything off, and drops the explanation last */
        if (h1 + gap + h2 > avail) {
            font = UI_FONT_HEADING;
            h1 = ui_text_height(u, font, true, label, tw);
        }
        if (has_sub && h1 + gap + h2 > avail) {
            subfont = UI_FONT_SMALL;
            h2 = ui_text_height(u, subfont, false, sublabel, tw);
        }
        if (has_sub && h1 + gap + h2 > avail) {
            has_sub = false;
            h2 = 0;
            sublabel = NULL;
        }
        int lift = above ? above + 2 * gap : 0;
        int y = r.y + MAX(pad, (r.h - lift - h1 - gap - h2) / 2);
        if (above) {
            prect = (ui_rect){tx - pad - bar, y, above, above};
            y += lift;
        }
        ui_fill(u, (ui_rect){tx - pad - bar, y, bar, MIN(h1 + gap + h2, r.h - 2 * pad)}, p->accent);
        ui_text(u, font, true, p->primary, label, (ui_rect){tx, y, tw, r.y + r.h - pad - y},
                UI_ALIGN_LEFT, &trunc);
        if (has_sub) {
            int y2 = y + h1 + gap;
            ui_text(u, subfont, false, p->muted, sublabel,
                    (ui_rect){tx, y2, tw, MAX(1, r.y + r.h - pad - y2)}, UI_ALIGN_LEFT, &trunc2);
        }
    } else {
        /* a word that cannot fit the button steps the label down a size rather than
         * being broken in the middle ("Standar / d text") */
        if (breaks_word(u, font, label, inner_w))
            font = UI_FONT_SMALL;
        int h = ui_text_height(u, font, true, label, inner_w);
        int sh = sublabel && *sublabel ? ui_text_height(u, UI_FONT_SMALL, false, sublabel, inner_w) : 0;
        int ps = pic ? picto_above(u, r.w) + pad / 2 : 0;
        int y = r.y + MAX(0, (r.h - ps - h - sh) / 2) + ps;
        if (pic)
            prect = (ui_rect){r.x + pad, y - ps, inner_w, picto_above(u, r.w)};
        ui_text(u, font, true, fg, label, (ui_rect){r.x + pad, y, inner_w, r.y + r.h - y},
                UI_ALIGN_CENTER, &trunc);
        if (sh)
            ui_text(u, UI_FONT_SMALL, false, fg, sublabel,
                    (ui_rect){r.x + pad, y + h, inner_w, r.y + r.h - y - h}, UI_ALIGN_CENTER, &trunc2);
    }
    char *full = sublabel && *sublabel ? xasprintf("%s\n%s", label, sublabel) : NULL;
    ui_node_add(u, id, UI_ROLE_BUTTON, full ? full : label, r, true);
    free(full);
    u->cur->nodes[u->cur->n - 1].truncated = trunc || trunc2;
    if (pic) {
        /* after the button: a finger on the picture reads the label alone */
        char pid[96];
        snprintf(pid, sizeof pid, "%s.picto", id);
        ui_picto(u, pid, pic, prect, style == UI_BTN_TILE ? p->primary : fg, bg, label);
    }
}

int ui_item_h(ui *u)
{
    int pad = ui_mm(u, 3.0);
    return MAX(ui_target_min(u), 2 * pad + ui_line_h(u, UI_FONT_BODY) + ui_line_h(u, UI_FONT_SMALL));
}

/* the side of a pictogram left of the words of a row W wide: a sixth of it, at
 * least 11 mm and at most 32 mm */
static int picto_row(ui *u, int w)
{
    return MAX(ui_mm(u, 11.0), MIN(w / 6, ui_mm(u, 32.0)));
}

int ui_item_picto_height(ui *u, const char *title, const char *subtitle, int w,
                         const struct ui_picto *pic)
{
    int pad = ui_mm(u, 3.0), chev = ui_text_width(u, UI_FONT_HEADING, true, ">") + 2 * pad;
    int ps = pic ? picto_row(u, w) + pad : 0;
    int tw = w - 2 * pad - chev - ps;
    int h1 = ui_text_height(u, UI_FONT_BODY, true, title, tw);
    int h2 = subtitle && *subtitle ? ui_text_height(u, UI_FONT_SMALL, false, subtitle, tw) : 0;
    return MAX(MAX(ui_item_h(u), 2 * pad + h1 + h2), pic ? picto_row(u, w) + 2 * pad : 0);
}

int ui_item_height(ui *u, const char *title, const char *subtitle, int w)
{
    return ui_item_picto_height(u, title, subtitle, w, NULL);
}

void ui_item(ui *u, const char *id, ui_rect r, const char *title, const char *subtitle)
{
    ui_item_picto(u, id, r, title, subtitle, NULL);
}

void ui_item_picto(ui *u, const char *id, ui_rect r, const char *title, const char *subtitle,
                   const struct ui_picto *pic)
{
    const struct ui_palette *p = ui_pal(u);
    bool pressed = ui_is_held(u, id);
    int pad = ui_mm(u, 3.0), chev = ui_text_width(u, UI_FONT_HEADING, true, ">") + 2 * pad;
    int ps = pic ? picto_row(u, r.w) + pad : 0, tx = r.x + pad + ps;
    bool t1 = false, t2 = false;
    if (!clipped_out(u, r)) {
        ui_fill(u, r, pressed ? p->pressed : p->surface);
        ui_fill(u, (ui_rect){r.x, r.y + r.h - MAX(1, ui_mm(u, 0.4)), r.w, MAX(1, ui_mm(u, 0.4))}, p->border);
        int tw = r.w - 2 * pad - chev - ps;
        int h2 = subtitle && *subtitle ? ui_text_height(u, UI_FONT_SMALL, false, subtitle, tw) : 0;
        int avail = MAX(ui_line_h(u, UI_FONT_BODY), r.h - 2 * pad - h2);
        /* a long name steps down a size rather than being cut */
        enum ui_font tf = UI_FONT_BODY;
        int h1 = ui_text_height(u, tf, true, title, tw);
        if (h1 > avail) {
            tf = UI_FONT_SMALL;
            h1 = ui_text_height(u, tf, true, title, tw);
        }
        h1 = MIN(h1, avail);
        int y = r.y + MAX(0, (r.h - h1 - h2) / 2);
        ui_text(u, tf, true, p->text, title, (ui_rect){tx, y, tw, avail},
                UI_ALIGN_LEFT, &t1);
        if (h2)
            ui_text(u, UI_FONT_SMALL, false, p->muted, subtitle,
                    (ui_rect){tx, y + h1, tw, MAX(1, r.y + r.h - y - h1)}, UI_ALIGN_LEFT, &t2);
        ui_text(u, UI_FONT_HEADING, true, p->primary, ">",
                (ui_rect){r.x + r.w - chev, r.y + (r.h - ui_line_h(u, UI_FONT_HEADING)) / 2, chev - pad, 0},
                UI_ALIGN_RIGHT, NULL);
    }
    char *full = subtitle && *subtitle ? xasprintf("%s\n%s", title, subtitle) : NULL;
    ui_node_add(u, id, UI_ROLE_ITEM, full ? full : title, r, true);
    free(full);
    u->cur->nodes[u->cur->n - 1].truncated = t1 || t2;
    if (pic) {
        char pid[96];
        snprintf(pid, sizeof pid, "%s.picto", id);
        int side = picto_row(u, r.w);
        ui_picto(u, pid, pic, (ui_rect){r.x + pad, r.y + (r.h - side) / 2, side, side}, p->primary,
                 pressed ? p->pressed : p->surface, title);
    }
}

int ui_label(ui *u, const char *id, enum ui_role role, enum ui_font f, bool bold,
             ui_color c, const char *s, int x, int y, int w)
{
    int h = ui_text_height(u, f, bold, s, w);
    ui_rect r = {x, y, w, h};
    if (!clipped_out(u, r))
        ui_text(u, f, bold, c, s, (ui_rect){x, y, w, 0}, UI_ALIGN_LEFT, NULL);
    ui_node_add(u, id, role, s, r, false);
    return h;
}

/* ---- scroll areas ------------------------------------------------------------------- */

int ui_scroll_begin(ui *u, const char *id, struct ui_scroll *s, ui_rect r)
{
    struct tree *t = u->cur;
    expect(t->nscrolls < MAX_SCROLLS);
    struct scroll_reg *sr = &t->scrolls[t->nscrolls++];
    sr->s = s;
    sr->r = r;
    snprintf(sr->id, sizeof sr->id, "%s", id);
    s->view_h = -1; /* open: nodes added now are clipped by it */
    ui_clip_push(u, r);
    return r.y - (int)lround(s->offset);
}

void ui_scroll_end(ui *u, struct ui_scroll *s, int content_h)
{
    struct scroll_reg *sr = NULL;
    for (int i = u->cur->nscrolls - 1; i >= 0; i--)
        if (u->cur->scrolls[i].s == s)
            sr = &u->cur->scrolls[i];
    expect(sr);
    s->content_h = content_h;
    s->view_h = sr->r.h;
    double max = MAX(0, content_h - sr->r.h);
    if (s->offset > max)
        s->offset = max;
    if (s->offset < 0)
        s->offset = 0;
    /* position indicator: a thin bar at the right edge, so a visitor sees how much
     * there is and where they are */
    if (content_h > sr->r.h) {
        int bw = MAX(3, ui_mm(u, 1.5));
        int bh = MAX(ui_mm(u, 10), (int)((double)sr->r.h * sr->r.h / content_h));
        int by = sr->r.y + (int)((sr->r.h - bh) * (s->offset / max));
        ui_fill_round(u, (ui_rect){sr->r.x + sr->r.w - bw - 2, by, bw, bh}, bw / 2, ui_pal(u)->muted);
    }
    ui_clip_pop(u);
    ui_node_add(u, sr->id, UI_ROLE_LIST, "", sr->r, false);
}

bool ui_visible(ui *u, ui_rect r)
{
    /* against the scroll area, not the damage: the tree must be whole every frame */
    ui_rect c = rect_isect(node_clip(u), r);
    return c.w > 0 && c.h > 0;
}

void ui_scroll_by(ui *u, struct ui_scroll *s, double dy)
{
    double max = MAX(0, s->content_h - s->view_h);
    s->offset = CLAMP(s->offset + dy, 0, max);
    s->velocity = 0;
    ui_damage_all(u);
}

void ui_scroll_shift(ui *u, struct ui_scroll *s, double dy)
{
    s->offset = MAX(0, s->offset + dy);
    if (u->dragging && u->drag_scroll == s)
        u->drag_start_offset += dy;
}

void ui_stats(ui *u, struct ui_stats *ret)
{
    text_cache_stats(u->tc, ret);
    ret->images = 0;
    ret->image_bytes = 0;
    for (int i = 0; i < MAX_IMAGES; i++)
        if (u->images[i].key) {
            ret->images++;
            ret->image_bytes += image_bytes(&u->images[i]);
        }
    ret->image_budget = u->image_budget;
    ret->fontsets = u->nfontsets;
    ret->fallbacks = 0;
    ret->font_bytes = 0;
    for (int i = 0; i < u->nfontsets; i++) {
        for (int k = 0; k < 3; k++)
            ret->fallbacks += u->fontsets[i]->fallback[k] != NULL;
        ret->font_bytes += u->fontsets[i]->heap + 0x10000 * sizeof *u->fontsets[i]->adv;
    }
    ret->tree_bytes = u->trees[0].arena.cap + u->trees[1].arena.cap + sizeof u->trees;
    ret->target_bytes = surface_bytes(u->target);
}

void ui_release(ui *u)
{
    text_cache_clear(u->tc);
    for (int i = 0; i < MAX_IMAGES; i++)
        image_free(&u->images[i]);
    for (int i = 0; i < u->nfontsets; i++)
        fontset_free(u->fontsets[i]);
    u->nfontsets = 0;
    /* the kiosk's own two faces stay open for the home screen; the fallbacks, opened
     * for a rare character, go */
    for (size_t i = 2; i < ARRAY_SIZE(u->files); i++)
        fontfile_close(&u->files[i]);
    ui_qr_cache_free();
    u->shrink_trees = 2;
    ui_damage_all(u);
}
