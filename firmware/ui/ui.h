/* ui.h - the kiosk's screen toolkit over SDL2 and SDL2_ttf.
 *
 * Immediate mode, like microui: each frame a screen calls the widget functions, which
 * draw into the target surface and record themselves in the semantic tree (id, role,
 * label, rectangle). Input is resolved against the previous frame's tree: a tap on a
 * button becomes that button's id, handed to the screen's event function. One tree
 * serves the tests, the screen reader and the monkey test.
 *
 * Cost model: a frame is drawn only when something changed (ui_damage). Only the
 * damaged region is redrawn (the surface's clip rectangle) and presented. Text is laid
 * out and rasterised once and cached until it falls out of an LRU budget, so a frame
 * while scrolling is mostly blits. Sizes are given in millimetres of the physical
 * panel and turned into pixels here, so a layout is the same size on any panel.
 *
 * ui knows no SQLite and no content: screens pass it plain strings they own; every
 * string is copied into the frame's arena or the text cache before the call returns. */
#ifndef KIOSK_UI_H
#define KIOSK_UI_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>

typedef struct ui ui;
typedef struct SDL_Surface SDL_Surface;

typedef struct ui_rect {
    int x, y, w, h;
} ui_rect;

typedef uint32_t ui_color; /* 0xRRGGBB */

enum ui_role {
    UI_ROLE_BUTTON,
    UI_ROLE_TEXT,
    UI_ROLE_HEADING,
    UI_ROLE_LIST,
    UI_ROLE_ITEM,
    UI_ROLE_INPUT,
    UI_ROLE_QR,
    UI_ROLE_IMAGE,
    UI_ROLE_DIALOG,
    UI_ROLE_COUNT
};

enum ui_font {
    UI_FONT_SMALL,
    UI_FONT_BODY,
    UI_FONT_HEADING,
    UI_FONT_TITLE,
    UI_FONT_HUGE,
    UI_FONT_COUNT
};

/* standard; large text; high contrast (large text, light on black, contrast >= 7:1) */
enum ui_theme_id { UI_THEME_STANDARD, UI_THEME_LARGE, UI_THEME_CONTRAST, UI_THEME_COUNT };

enum ui_align { UI_ALIGN_LEFT, UI_ALIGN_CENTER, UI_ALIGN_RIGHT };

struct ui_palette {
    ui_color bg, surface, text, muted, primary, on_primary, border, accent, on_accent,
        pressed, scrim, highlight;
};

struct ui_options {
    const char *font_regular;  /* shipped fonts; the fallbacks are tried for glyphs */
    const char *font_bold;     /* the shipped ones lack */
    const char *fallback[3];   /* NULL-terminated list, may be empty */
    int fallback_face[3];      /* face index in a collection (.ttc) */
    double panel_w_mm, panel_h_mm; /* physical panel, portrait orientation */
};

/* Creates the toolkit drawing into TARGET (not owned; must outlive its use).
 * Returns NULL with err set when a font cannot be opened. */
ui *ui_create(SDL_Surface *target, const struct ui_options *opt, char *err, size_t errlen);
void ui_destroy(ui *u); /* accepts NULL */

/* A new target (window resized, orientation changed): everything is damaged. */
void ui_set_target(ui *u, SDL_Surface *target);
SDL_Surface *ui_target(ui *u);
void ui_set_theme(ui *u, enum ui_theme_id t);
enum ui_theme_id ui_theme(ui *u);
/* Whether the theme uses the large sizes (large text and high contrast do). */
bool ui_large(ui *u);
const char *ui_theme_name(enum ui_theme_id t); /* "standard", "large", "contrast" */
const struct ui_palette *ui_pal(ui *u);

/* Physical size -> pixels for the current target and theme. */
int ui_mm(ui *u, double mm);
double ui_px_per_mm(ui *u);
/* The theme's sizes, in pixels. */
int ui_font_px(ui *u, enum ui_font f);
int ui_line_h(ui *u, enum ui_font f);
int ui_gap(ui *u);        /* standard spacing */
int ui_target_min(ui *u); /* smallest allowed touch target side */
ui_rect ui_screen(ui *u);

/* ---- frames ------------------------------------------------------------------ */

/* Marks a region (or all) as needing a redraw. */
void ui_damage(ui *u, ui_rect r);
void ui_damage_all(ui *u);
/* True when a frame should be drawn now (damage, or an animation running). */
bool ui_wants_frame(ui *u);
/* True while something animates (a fling); the caller keeps drawing at frame rate. */
bool ui_animating(ui *u);

/* Starts a frame at monotonic time NOW_MS: resets the semantic tree, clips drawing to
 * the damaged region. ui_frame_end returns the region to present (empty if none). */
void ui_frame_begin(ui *u, uint64_t now_ms);
ui_rect ui_frame_end(ui *u);
uint64_t ui_frames(ui *u); /* frames drawn since creation */

/* ---- input ------------------------------------------------------------------ */

/* Pointer (mouse or one finger) in target pixels. A press followed by a release on
 * the same interactive widget, without a drag, becomes a tap: ui_take_tap returns its
 * id once (NULL if none). A drag inside a scroll area scrolls it, with fling. */
void ui_pointer_down(ui *u, int x, int y, uint64_t t_ms);
void ui_pointer_move(ui *u, int x, int y, uint64_t t_ms);
void ui_pointer_up(ui *u, int x, int y, uint64_t t_ms);
const char *ui_take_tap(ui *u);
/* In read-aloud mode a tap on anything with words (a paragraph, a heading) reads it:
 * ui_take_read returns the label of what was tapped, once (NULL if nothing). The
 * string belongs to ui until the next frame. */
void ui_set_touch_reads(ui *u, bool on);
const char *ui_take_read(ui *u);
/* The last tap's position, for screens that care where (a map, a touch test). */
void ui_last_tap_pos(ui *u, int *x, int *y);
/* Forget the last frame's widgets (the screen that owned them is gone). */
void ui_forget(ui *u);
/* Forget everything text-shaped the toolkit holds, zeroing it first: the semantic
 * trees and the text cache (strings and their rendered pixels). Called when a visitor
 * leaves a screen that showed personal data, so none of it stays in memory. */
void ui_wipe(ui *u);

/* ---- the semantic tree ------------------------------------------------------ */

struct ui_node {
    const char *id;
    enum ui_role role;
    const char *label;
    ui_rect rect;      /* where it is drawn (may extend past the clip) */
    ui_rect clip;      /* the visible area it is drawn inside */
    bool interactive;
    bool truncated;    /* text did not fit and was cut */
    bool estimated;    /* not laid out yet: its height is a guess (ui_node_estimated) */
    bool tinted;       /* a pictogram: drawn in TINT on BG (the contrast check's pair) */
    ui_color tint, bg;
};

/* The nodes of the last finished frame, in reading order. */
int ui_tree_count(ui *u);
const struct ui_node *ui_tree_node(ui *u, int i);
const char *ui_role_name(enum ui_role r);
/* JSON text of S, quoted and escaped, to F; and the last frame's nodes as a JSON array
 * of {id, role, label, rect, clip, interactive, truncated, estimated}, and for a
 * pictogram its "tint" and "bg" ("#rrggbb"): the tree files the scripted driver and
 * printed slips write (tests read them). */
void ui_json_str(FILE *f, const char *s);
void ui_tree_json(ui *u, FILE *f);
/* Everything added to the current frame's tree so far stops being interactive: a
 * modal dialog drawn next covers it, so taps and the tree's users see only the
 * dialog's targets. */
void ui_tree_inert(ui *u);
/* Adds a node to the current frame's tree without drawing (for custom widgets).
 * id and label are copied. */
void ui_node_add(ui *u, const char *id, enum ui_role role, const char *label, ui_rect r,
                 bool interactive);
/* Marks the node added last as cut off (a custom widget whose ui_text said so). */
void ui_node_truncated(ui *u);
/* Marks the node added last as not laid out yet: its label is whole but its rectangle's
 * height is an estimate (a long body measured a few blocks at a time). */
void ui_node_estimated(ui *u);

/* ---- drawing primitives ----------------------------------------------------- */

void ui_fill(ui *u, ui_rect r, ui_color c);
void ui_fill_round(ui *u, ui_rect r, int radius, ui_color c);
void ui_frame_round(ui *u, ui_rect r, int radius, int thickness, ui_color c);
void ui_fill_alpha(ui *u, ui_rect r, ui_color c, uint8_t alpha);
/* Draws an encoded image (PNG) scaled to fit R, keeping its aspect; the decoded
 * image is cached under KEY. Returns the rectangle it occupied. */
ui_rect ui_image(ui *u, const char *key, const void *png, size_t len, ui_rect r);
/* A pictogram: line art beside words (a home tile, a category, a one-thing step) that
 * a person who reads poorly can recognise. The PNG is an alpha mask (its alpha
 * channel; a PNG without one: its grey levels, white the ink), drawn in one colour so
 * it works in every theme. It is decoded once at the size it is shown and kept, small
 * and already tinted, in the image cache (under KEY, the tint and the size); at most
 * UI_PICTO_MAX_SIDE pixels a side is decoded. */
#define UI_PICTO_MAX_SIDE 1024
struct ui_picto {
    const char *key;  /* names the picture in the cache (a file name); copied */
    const void *png;  /* the encoded PNG; borrowed for the call */
    size_t len;
};
/* Draws PIC in TINT, as large as fits R keeping its aspect, centred in R, on a
 * background the caller has drawn in BG. Records a node of role image, never
 * interactive, whose label is LABEL (the words it stands beside: read-aloud reads
 * them, never a file name), with TINT and BG for the contrast check. Returns the
 * rectangle drawn (empty when the PNG cannot be decoded). */
ui_rect ui_picto(ui *u, const char *id, const struct ui_picto *pic, ui_rect r, ui_color tint,
                 ui_color bg, const char *label);

/* A monochrome module matrix (1 = dark) of SIZE x SIZE, drawn with SCALE pixels per
 * module at x, y, dark on light, including a QUIET-module light border. */
void ui_modules(ui *u, const unsigned char *mods, int size, int scale, int quiet, int x, int y);

/* Clip stack (intersected with the damage region). */
void ui_clip_push(ui *u, ui_rect r);
void ui_clip_pop(ui *u);

/* ---- text ------------------------------------------------------------------- */

/* Wrapped height of S in font F (bold or not) within WIDTH pixels. */
int ui_text_height(ui *u, enum ui_font f, bool bold, const char *s, int width);
/* Width of S on one line. */
int ui_text_width(ui *u, enum ui_font f, bool bold, const char *s);
/* Draws S wrapped within r.w starting at r.y; lines past r.h (when r.h > 0) are not
 * drawn and the text counts as truncated. Returns the height used. */
int ui_text(ui *u, enum ui_font f, bool bold, ui_color c, const char *s, ui_rect r,
            enum ui_align align, bool *ret_truncated);

/* The lines S breaks into within WIDTH: fills up to MAX byte offsets and lengths
 * and returns the number of lines (MAX 0 and NULL arrays: only counts them). */
int ui_text_lines(ui *u, enum ui_font f, bool bold, const char *s, int width, int *starts,
                  int *lens, int max);

/* The rectangles (relative to the text's top-left) that bytes [AT, AT+LEN) of S
 * cover when S is wrapped within WIDTH: one per line it spans, at most MAX. For
 * highlighting a search match. Returns how many. */
int ui_text_span(ui *u, enum ui_font f, bool bold, const char *s, int width, int at, int len,
                 ui_rect *out, int max);

/* ---- widgets: draw + record ------------------------------------------------- */

enum ui_button_style { UI_BTN_PRIMARY, UI_BTN_SECONDARY, UI_BTN_TILE, UI_BTN_FLAT, UI_BTN_ACCENT };

/* A button with a label (and an optional second line). Returns nothing: taps arrive
 * through ui_take_tap. The label is what the tree and the screen reader see. */
void ui_button(ui *u, const char *id, ui_rect r, enum ui_button_style style,
               const char *label, const char *sublabel);
/* The height a button of width W needs to show LABEL (and SUBLABEL) whole, at least
 * the theme's minimum target. Screens size buttons with it so nothing is cut off. */
int ui_button_height(ui *u, enum ui_button_style style, const char *label,
                     const char *sublabel, int w);

/* ui_button and ui_button_height with a pictogram (PIC, or NULL for none): a tile
 * shows it left of its words, another button above them, in the words' colour. */
void ui_button_picto(ui *u, const char *id, ui_rect r, enum ui_button_style style,
                     const char *label, const char *sublabel, const struct ui_picto *pic);
int ui_button_picto_height(ui *u, enum ui_button_style style, const char *label,
                           const char *sublabel, int w, const struct ui_picto *pic);

/* A list row: a title (bold) and a subtitle (muted) and a chevron, role item. */
void ui_item(ui *u, const char *id, ui_rect r, const char *title, const char *subtitle);
/* The height ui_item needs for one-line texts in the current theme. */
int ui_item_h(ui *u);
/* The height a row of width W needs to show TITLE and SUBTITLE whole (at least
 * ui_item_h). */
int ui_item_height(ui *u, const char *title, const char *subtitle, int w);

/* ui_item and ui_item_height with a pictogram left of the words (PIC, or NULL). */
void ui_item_picto(ui *u, const char *id, ui_rect r, const char *title, const char *subtitle,
                   const struct ui_picto *pic);
int ui_item_picto_height(ui *u, const char *title, const char *subtitle, int w,
                         const struct ui_picto *pic);

/* A paragraph (role text or heading) at x, y within width w; returns its height. */
int ui_label(ui *u, const char *id, enum ui_role role, enum ui_font f, bool bold,
             ui_color c, const char *s, int x, int y, int w);

/* A vertically scrolling area. The screen owns the state; ui keeps a pointer to it
 * until the next frame, so it must live as long as the screen. Between begin and end,
 * content is drawn at y positions shifted by -offset and clipped to the area;
 * ui_scroll_end takes the total content height. */
struct ui_scroll {
    double offset, velocity; /* px, px/s */
    int content_h, view_h;
    bool dragging;
    uint64_t last_ms;
};
/* Returns the y at which content starts (r.y - offset). */
int ui_scroll_begin(ui *u, const char *id, struct ui_scroll *s, ui_rect r);
void ui_scroll_end(ui *u, struct ui_scroll *s, int content_h);
/* Whether R (screen coordinates) can be seen through the current clip; screens use it
 * to skip laying out what is scrolled away. */
bool ui_visible(ui *u, ui_rect r);
/* Scroll by DY pixels as a finger drag would (used by scripts and tests). */
void ui_scroll_by(ui *u, struct ui_scroll *s, double dy);
/* The content above the view grew by DY pixels (an estimated height corrected): moves
 * the offset by as much, also under a finger that is dragging it, so what the visitor
 * sees stays where it is. Damages nothing. */
void ui_scroll_shift(ui *u, struct ui_scroll *s, double dy);

/* ---- text fields and the on-screen keyboard ------------------------------------ */

/* A text field: a box with TEXT (or PLACEHOLDER, muted, when empty), a caret at byte
 * CARET when FOCUSED, and an error message under it (or NULL). Role input; its label
 * is the text. Returns the height used (box + error). The screen keeps the text. */
int ui_input(ui *u, const char *id, ui_rect box, const char *text, int caret,
             const char *placeholder, bool focused, const char *error);
/* The byte offset in TEXT nearest to a tap at X (target pixels) inside a field whose
 * box is BOX: where the caret goes when a visitor taps the field. */
int ui_input_caret_at(ui *u, ui_rect box, const char *text, int x, int y);

enum ui_kbd_mode { UI_KBD_PINYIN, UI_KBD_LATIN, UI_KBD_SYMBOLS, UI_KBD_NUMPAD, UI_KBD_COUNT };

/* What the keyboard shows; the screen's keyboard controller fills it. */
struct ui_kbd_view {
    enum ui_kbd_mode mode;
    bool shift;                /* Latin capitals */
    bool id_x;                 /* numeric pad offers X (resident ID numbers) */
    const char *preedit;       /* pinyin typed so far, "" if none */
    const char *cands[8];      /* the candidate page */
    int ncands;
    bool has_prev, has_next;   /* candidate paging */
    const char *label_mode[UI_KBD_COUNT]; /* what the mode key says in each mode */
    const char *label_space, *label_done, *label_back, *label_shift;
};

/* Draws the keyboard at the bottom of R (as tall as the theme needs) and returns the
 * rectangle it took. Keys are buttons with ids "kb.k.<char>" (letters lower case,
 * digits, symbols), "kb.shift", "kb.mode", "kb.space", "kb.back", "kb.done",
 * "kb.sep" (pinyin syllable separator), candidates "kb.cand.<i>" (0-based) and
 * "kb.prev" / "kb.next". */
ui_rect ui_keyboard(ui *u, const struct ui_kbd_view *v, ui_rect r);
/* The keyboard's height for the current theme and mode. */
int ui_keyboard_h(ui *u, const struct ui_kbd_view *v, int width);

/* The widget currently held down (NULL if none), and since when: for keys that
 * repeat when held (backspace). */
const char *ui_held(ui *u, uint64_t *ret_since_ms);
/* Whether widget ID is held down now (custom widgets draw it pressed). */
bool ui_is_held(ui *u, const char *id);

/* ---- QR codes ------------------------------------------------------------------ */

#define UI_QR_MIN_SCALE 6 /* pixels per module, at least, on a 1080-wide screen */

/* Draws TEXT as a QR code with a 4-module quiet zone, as large as fits R (square,
 * centred horizontally, top at r.y) but never under UI_QR_MIN_SCALE px per module.
 * Records a node of role qr whose label is TEXT. Returns the rectangle drawn. */
ui_rect ui_qr(ui *u, const char *id, const char *text, ui_rect r);
/* Modules per side of TEXT's code (0 if it cannot be encoded), to plan a layout. */
int ui_qr_modules(const char *text);
/* Frees the encodings cache (at exit). */
void ui_qr_cache_free(void);

/* ---- caches, for benchmarks and the memory budget ------------------------------ */
struct ui_stats {
    uint64_t text_hits, text_misses, rasterised_lines;
    size_t text_bytes, text_budget; /* the text cache's size and its bound */
    int text_entries;
    size_t image_bytes, image_budget; /* decoded and scaled images held, and their bound */
    int images;
    int fontsets, fallbacks; /* sizes open, fallback faces opened at those sizes */
    size_t font_bytes;       /* heap they took when opened (0 under AddressSanitizer) */
    size_t tree_bytes;       /* the two semantic trees with their arenas */
    size_t target_bytes;     /* the surface drawn into */
};
void ui_stats(ui *u, struct ui_stats *ret);
/* Sets the images' budget in bytes (tests) and frees images beyond it. */
void ui_set_image_budget(ui *u, size_t bytes);
/* Gives back what the next visitor does not need, for the idle reset: the text
 * cache, every decoded image, every open font size (reopened when drawn), the QR
 * codes and the trees' arenas beyond their base size. Damages the whole screen. */
void ui_release(ui *u);

#endif
