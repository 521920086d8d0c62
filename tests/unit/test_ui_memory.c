/* test_ui_memory.c - the ui's memory bounds (issue 18): decoded images stay within
 * their byte budget, least recently drawn first out, and ui_release gives back the
 * text cache, the images, the open font sizes and the trees' arenas while the next
 * frame still draws the same pixels; a font file's sizes share one face. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "ui/pngio.h"
#include "ui/ui.h"

#define W 240
#define H 320

static ui *make_ui_at(int w, int h, SDL_Surface **ret_surf)
{
    *ret_surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGB888);
    assert_non_null(*ret_surf);
    struct ui_options o = {
        .font_regular = "fonts/NotoSansSC-Regular-subset.otf",
        .font_bold = "fonts/NotoSansSC-Bold-subset.otf",
        .fallback = {"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", NULL},
        .fallback_face = {2},
        .panel_w_mm = 88.4,
        .panel_h_mm = 117.9,
    };
    char err[256];
    ui *s = ui_create(*ret_surf, &o, err, sizeof err);
    if (!s)
        fail_msg("%s", err);
    return s;
}

static ui *make_ui(SDL_Surface **ret_surf)
{
    return make_ui_at(W, H, ret_surf);
}

/* A PNG of W x H (300 kB decoded) in one flat colour, in a malloc'd buffer */
static void *png(uint32_t rgb, size_t *len)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_RGB888);
    assert_non_null(s);
    SDL_FillRect(s, NULL, SDL_MapRGB(s->format, (rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF));
    void *buf;
    assert_int_equal(pngio_encode(s, &buf, len, NULL, 0), 0);
    SDL_FreeSurface(s);
    return buf;
}

static void frame(ui *s, uint64_t t)
{
    ui_damage_all(s);
    ui_frame_begin(s, t);
}

static void test_images_stay_within_their_byte_budget(void **st)
{
    (void)st;
    SDL_Surface *sf;
    ui *s = make_ui(&sf);
    struct ui_stats a;
    ui_stats(s, &a);
    assert_int_equal(a.image_budget, (size_t)W * H * 4 * 2);
    size_t len;
    void *p = png(0x336699, &len);
    size_t most = 0;
    char key[32];
    for (int i = 0; i < 12; i++) {
        /* a different image each frame, each drawn at half size: 375 kB with its
         * scaled copy, so the budget (600 kB) holds the newest one only */
        frame(s, (uint64_t)i);
        snprintf(key, sizeof key, "img-%d", i);
        ui_rect r = ui_image(s, key, p, len, (ui_rect){0, 0, W / 2, H / 2});
        assert_int_equal(r.w, W / 2);
        ui_frame_end(s);
        ui_stats(s, &a);
        assert_true(a.image_bytes <= a.image_budget);
        assert_int_equal(a.images, 1);
        most = a.image_bytes > most ? a.image_bytes : most;
    }
    assert_true(most > a.image_budget / 2); /* it filled: the bound was reached */
    /* a bigger budget holds several */
    ui_set_image_budget(s, (size_t)W * H * 4 * 8);
    for (int i = 0; i < 3; i++) {
        frame(s, (uint64_t)(20 + i));
        snprintf(key, sizeof key, "img-%d", 100 + i);
        ui_image(s, key, p, len, (ui_rect){0, 0, W / 2, H / 2});
        ui_frame_end(s);
    }
    ui_stats(s, &a);
    assert_true(a.images >= 3);
    /* and shrinking it evicts at once */
    ui_set_image_budget(s, 1);
    ui_stats(s, &a);
    assert_true(a.images <= 1);
    free(p);
    ui_destroy(s);
    SDL_FreeSurface(sf);
}

static void draw_screen(ui *s, const void *p, size_t len, uint64_t t)
{
    frame(s, t);
    ui_fill(s, (ui_rect){0, 0, W, H}, 0xFFFFFF);
    ui_text(s, UI_FONT_BODY, false, 0x000000, "办事指南 Guide \xF0\xA0\xAE\xB7", (ui_rect){0, 0, W, 0}, UI_ALIGN_LEFT,
            NULL);
    ui_text(s, UI_FONT_TITLE, true, 0x000000, "标题", (ui_rect){0, 60, W, 0}, UI_ALIGN_LEFT, NULL);
    ui_image(s, "map", p, len, (ui_rect){0, 160, W / 2, H / 2});
    /* labels enough to grow a tree's arena well past its base size */
    char label[512];
    memset(label, 'x', sizeof label - 1);
    label[sizeof label - 1] = '\0';
    for (int i = 0; i < 400; i++) {
        char id[32];
        snprintf(id, sizeof id, "n%d", i);
        ui_node_add(s, id, UI_ROLE_TEXT, label, (ui_rect){0, 0, 1, 1}, false);
    }
    ui_frame_end(s);
}

static void test_release_gives_back_caches_and_draws_the_same(void **st)
{
    (void)st;
    SDL_Surface *sf;
    ui *s = make_ui(&sf);
    size_t len;
    void *p = png(0xCC3300, &len);
    draw_screen(s, p, len, 1);
    draw_screen(s, p, len, 2);
    size_t bytes = (size_t)sf->pitch * (size_t)sf->h;
    void *before = xmalloc(bytes);
    memcpy(before, sf->pixels, bytes);
    struct ui_stats a;
    ui_stats(s, &a);
    assert_true(a.text_bytes > 0);
    assert_int_equal(a.images, 1);
    assert_true(a.fontsets >= 2);
    assert_true(a.fallbacks >= 1); /* U+20BB7 is not in the shipped subset */
    size_t trees = a.tree_bytes;
    assert_true(trees > 2 * 200 * 1024); /* two arenas of about 200 kB */

    ui_release(s);
    ui_stats(s, &a);
    assert_int_equal(a.text_bytes, 0);
    assert_int_equal(a.text_entries, 0);
    assert_int_equal(a.images, 0);
    assert_int_equal(a.image_bytes, 0);
    assert_int_equal(a.fontsets, 0);
    assert_int_equal(a.fallbacks, 0);

    /* the next frames reopen what they need and draw the same pixels */
    memset(sf->pixels, 0, bytes);
    draw_screen(s, p, len, 3);
    assert_memory_equal(sf->pixels, before, bytes);
    ui_stats(s, &a);
    assert_true(a.fontsets >= 2 && a.images == 1);
    /* each arena was given back once and grew again to what a frame needs: the
     * trees did not keep a larger capacity than before */
    draw_screen(s, p, len, 4);
    ui_stats(s, &a);
    assert_true(a.tree_bytes <= trees);

    free(before);
    free(p);
    ui_destroy(s);
    SDL_FreeSurface(sf);
}

/* One label per size and weight, drawn so that every label switches its file's face
 * to another size (ui_font_sized) */
#define SIZES_W 900
#define SIZES_H 2600
static const char sample[] = "\xe6\x94\xbf\xe5\x8a\xa1 Hall \xe5\xa4\xa7\xe5\x8e\x85 0123";

static ui_rect sizes_row(ui *s, int k, int *y)
{
    ui_rect r = {0, *y, SIZES_W, ui_line_h(s, (enum ui_font)(k % UI_FONT_COUNT))};
    *y += r.h + 4;
    assert_true(*y <= SIZES_H);
    return r;
}

static void test_sizes_share_one_face_and_draw_as_if_alone(void **st)
{
    (void)st;
    SDL_Surface *sf;
    ui *s = make_ui_at(SIZES_W, SIZES_H, &sf);
    struct ui_stats a;
    ui_stats(s, &a);
    size_t base = a.font_bytes;
    int base_sets = a.fontsets;

    /* all sizes measured first, so that each size is open before any is drawn; then
     * drawn, regular then bold, each label at another size than the last */
    for (int k = 0; k < 2 * UI_FONT_COUNT; k++)
        assert_true(ui_text_height(s, (enum ui_font)(k % UI_FONT_COUNT), k >= UI_FONT_COUNT, sample, SIZES_W) > 0);
    frame(s, 1);
    ui_fill(s, (ui_rect){0, 0, SIZES_W, SIZES_H}, 0xFFFFFF);
    int y = 0;
    for (int k = 0; k < 2 * UI_FONT_COUNT; k++)
        ui_text(s, (enum ui_font)(k % UI_FONT_COUNT), k >= UI_FONT_COUNT, 0x000000, sample, sizes_row(s, k, &y),
                UI_ALIGN_LEFT, NULL);
    ui_frame_end(s);
    ui_stats(s, &a);
    assert_true(a.fontsets >= 2 * UI_FONT_COUNT);
    /* the faces were opened once each, at ui_create: the sizes since took only their
     * advance caches (FreeType's heap is not counted under AddressSanitizer) */
    size_t adv = (size_t)(a.fontsets - base_sets) * 0x10000 * sizeof(uint16_t);
    size_t grew = a.font_bytes - base - adv;
    print_message("fonts: %zu kB at ui_create, %zu kB more for %d more sizes and their advance caches\n",
                  base / 1024, (a.font_bytes - base) / 1024, a.fontsets - base_sets);
    assert_true(grew < 2 * 1024 * 1024); /* each size used to open its face again: 0.7 MB */

    /* each label as a ui that never saw another size draws it */
    y = 0;
    for (int k = 0; k < 2 * UI_FONT_COUNT; k++) {
        SDL_Surface *one;
        ui *u = make_ui_at(SIZES_W, SIZES_H, &one);
        frame(u, 1);
        ui_fill(u, (ui_rect){0, 0, SIZES_W, SIZES_H}, 0xFFFFFF);
        ui_rect r = sizes_row(u, k, &y);
        ui_text(u, (enum ui_font)(k % UI_FONT_COUNT), k >= UI_FONT_COUNT, 0x000000, sample, r, UI_ALIGN_LEFT,
                NULL);
        ui_frame_end(u);
        for (int row = r.y; row < r.y + r.h; row++) {
            const uint8_t *got = (const uint8_t *)sf->pixels + (size_t)row * sf->pitch;
            const uint8_t *want = (const uint8_t *)one->pixels + (size_t)row * one->pitch;
            if (memcmp(got, want, (size_t)SIZES_W * 4) != 0)
                fail_msg("label %d (font %d, %s): row %d differs from the label drawn alone", k,
                         k % UI_FONT_COUNT, k >= UI_FONT_COUNT ? "bold" : "regular", row);
        }
        ui_destroy(u);
        SDL_FreeSurface(one);
    }
    ui_destroy(s);
    SDL_FreeSurface(sf);
}

static void test_release_shrinks_the_tree_arenas(void **st)
{
    (void)st;
    SDL_Surface *sf;
    ui *s = make_ui(&sf);
    size_t len;
    void *p = png(0x00AA00, &len);
    draw_screen(s, p, len, 1);
    draw_screen(s, p, len, 2);
    struct ui_stats big, small;
    ui_stats(s, &big);
    ui_release(s);
    /* two frames with few nodes: each tree is built once after the release */
    for (int i = 0; i < 2; i++) {
        frame(s, (uint64_t)(10 + i));
        ui_node_add(s, "one", UI_ROLE_TEXT, "one", (ui_rect){0, 0, 1, 1}, false);
        ui_frame_end(s);
    }
    ui_stats(s, &small);
    assert_true(big.tree_bytes - small.tree_bytes > 2 * 200 * 1024);
    free(p);
    ui_destroy(s);
    SDL_FreeSurface(sf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_images_stay_within_their_byte_budget),
        cmocka_unit_test(test_release_gives_back_caches_and_draws_the_same),
        cmocka_unit_test(test_release_shrinks_the_tree_arenas),
        cmocka_unit_test(test_sizes_share_one_face_and_draw_as_if_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
