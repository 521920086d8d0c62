/* test_text_layout.c - line breaking and the text cache, with the shipped fonts.
 * Rules (docs/rules.md §8): Chinese breaks between any two characters; closing
 * punctuation never starts a line; opening punctuation never ends one; Latin words
 * and numbers inside Chinese break only at spaces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL.h>
#include <string.h>

#include "base/util.h"
#include "ui/ui.h"

static ui *u;
static SDL_Surface *surf;

static const char *closing[] = {"。", "，", "、", "；", "：", "？", "！", "）", "》", "」", "』", "】", NULL};
static const char *opening[] = {"（", "《", "「", "『", "【", NULL};

static const char para[] =
    "申请人应当提交《营业执照》（副本）、法定代表人身份证明（原件及复印件），并填写"
    "「设立登记申请书」；材料齐全的，当场办结！如有疑问，请拨打咨询电话：0571-85100001。"
    "外商投资企业还需提交【投资者主体资格文件】，经公证认证后方可使用？是的。";

static int setup(void **s)
{
    (void)s;
    surf = SDL_CreateRGBSurfaceWithFormat(0, 1080, 1920, 32, SDL_PIXELFORMAT_RGB888);
    assert_non_null(surf);
    struct ui_options o = {
        .font_regular = "fonts/NotoSansSC-Regular-subset.otf",
        .font_bold = "fonts/NotoSansSC-Bold-subset.otf",
        .fallback = {"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", NULL},
        .fallback_face = {2},
        .panel_w_mm = 398.5,
        .panel_h_mm = 708.5,
    };
    char err[256];
    u = ui_create(surf, &o, err, sizeof err);
    if (!u)
        fail_msg("%s", err);
    return 0;
}

static int teardown(void **s)
{
    (void)s;
    ui_destroy(u);
    SDL_FreeSurface(surf);
    return 0;
}

static bool starts_with_any(const char *s, const char **set)
{
    for (; *set; set++)
        if (strncmp(s, *set, strlen(*set)) == 0)
            return true;
    return false;
}

static bool ends_with_any(const char *s, int len, const char **set)
{
    for (; *set; set++) {
        int n = (int)strlen(*set);
        if (len >= n && strncmp(s + len - n, *set, (size_t)n) == 0)
            return true;
    }
    return false;
}

static void test_layout_never_starts_a_line_with_closing_punctuation(void **s)
{
    (void)s;
    int starts[256], lens[256], checked = 0;
    int em = ui_font_px(u, UI_FONT_BODY);
    for (int chars = 4; chars <= 30; chars++) {
        int n = ui_text_lines(u, UI_FONT_BODY, false, para, chars * em + em / 3, starts, lens, 256);
        assert_true(n > 1 && n < 256);
        for (int i = 1; i < n; i++) {
            if (starts_with_any(para + starts[i], closing))
                fail_msg("width %d chars: line %d starts with closing punctuation: %.12s", chars, i,
                         para + starts[i]);
            checked++;
        }
        for (int i = 0; i < n - 1; i++)
            if (ends_with_any(para + starts[i], lens[i], opening))
                fail_msg("width %d chars: line %d ends with opening punctuation", chars, i);
    }
    assert_true(checked > 100);
}

static void test_layout_keeps_latin_words_and_numbers_whole(void **s)
{
    (void)s;
    const char *t = "请携带 Passport 和 residence permit 原件，咨询电话 0571-85100001 或 12345 热线。";
    int starts[64], lens[64];
    int em = ui_font_px(u, UI_FONT_BODY);
    for (int chars = 8; chars <= 20; chars++) { /* every word fits a line */
        int n = ui_text_lines(u, UI_FONT_BODY, false, t, chars * em, starts, lens, 64);
        for (int i = 1; i < n; i++) {
            char before = t[starts[i] - 1], after = t[starts[i]];
            bool alnum_b = (before >= 'A' && before <= 'z') || (before >= '0' && before <= '9');
            bool alnum_a = (after >= 'A' && after <= 'z') || (after >= '0' && after <= '9');
            if (alnum_b && alnum_a)
                fail_msg("width %d: a word was split at line %d: ...%.10s", chars, i, t + starts[i] - 3);
        }
    }
}

static void test_layout_breaks_chinese_between_any_two_characters(void **s)
{
    (void)s;
    const char *t = "办理住房公积金提取业务需要携带本人身份证原件和银行卡";
    int starts[64], lens[64];
    int em = ui_font_px(u, UI_FONT_BODY);
    int n = ui_text_lines(u, UI_FONT_BODY, false, t, 5 * em + 2, starts, lens, 64);
    assert_int_equal(n, 6); /* 26 characters, five to a line */
    for (int i = 0; i < n - 1; i++)
        assert_int_equal(lens[i], 5 * 3);
}

/* No line comes out wider than the width it was laid out for, measured whole: the
 * segments of a line, measured one by one, can add up a pixel or two short of it. */
static void test_layout_no_line_wider_than_its_width(void **s)
{
    (void)s;
    static const char *titles[] = {
        "Step 4: Pension entitlement verification",
        "Human Resources & Social Security, Urban and rural resident basic medical insurance",
        "Registration of a sole proprietorship (individual industrial and commercial household)",
    };
    int starts[64], lens[64], checked = 0;
    char line[512];
    for (size_t t = 0; t < sizeof titles / sizeof *titles; t++)
        for (int bold = 0; bold <= 1; bold++)
            for (int w = 300; w <= 1000; w++) {
                int n = ui_text_lines(u, UI_FONT_HEADING, bold, titles[t], w, starts, lens, 64);
                for (int i = 0; i < n; i++) {
                    snprintf(line, sizeof line, "%.*s", lens[i], titles[t] + starts[i]);
                    int lw = ui_text_width(u, UI_FONT_HEADING, bold, line);
                    if (lw > w && strchr(line, ' '))
                        fail_msg("width %d: line \"%s\" is %d px wide", w, line, lw);
                    checked++;
                }
            }
    assert_true(checked > 1000);
}

static void test_layout_honours_line_feeds(void **s)
{
    (void)s;
    int starts[8], lens[8];
    int n = ui_text_lines(u, UI_FONT_BODY, false, "第一行\n第二行\n\n第四行", 2000, starts, lens, 8);
    assert_int_equal(n, 4);
    assert_int_equal(lens[2], 0);
}

static void test_text_is_rasterised_once_and_then_cached(void **s)
{
    (void)s;
    struct ui_stats a, b;
    ui_frame_begin(u, 1);
    ui_text(u, UI_FONT_BODY, false, 0x000000, para, (ui_rect){0, 0, 900, 0}, UI_ALIGN_LEFT, NULL);
    ui_frame_end(u);
    ui_stats(u, &a);
    ui_damage_all(u);
    ui_frame_begin(u, 2);
    ui_text(u, UI_FONT_BODY, false, 0x000000, para, (ui_rect){0, 0, 900, 0}, UI_ALIGN_LEFT, NULL);
    ui_frame_end(u);
    ui_stats(u, &b);
    assert_true(a.rasterised_lines > 0);
    assert_int_equal(b.rasterised_lines, a.rasterised_lines);
    assert_true(b.text_hits > a.text_hits);
}

static void test_a_rare_character_gets_a_glyph_from_the_fallback_font(void **s)
{
    (void)s;
    /* U+20BB7, a variant of 吉 used in names, is outside the shipped subset */
    int w_rare = ui_text_width(u, UI_FONT_BODY, false, "\xF0\xA0\xAE\xB7");
    int w_han = ui_text_width(u, UI_FONT_BODY, false, "吉");
    assert_true(w_rare > w_han / 2);
}

/* The cache on a small screen (240x320: a 460,800-byte budget), so a few dozen
 * rasterised lines overflow it. */
static ui *small_ui(SDL_Surface **ret_surf)
{
    *ret_surf = SDL_CreateRGBSurfaceWithFormat(0, 240, 320, 32, SDL_PIXELFORMAT_RGB888);
    assert_non_null(*ret_surf);
    struct ui_options o = {
        .font_regular = "fonts/NotoSansSC-Regular-subset.otf",
        .font_bold = "fonts/NotoSansSC-Bold-subset.otf",
        .panel_w_mm = 88.4,
        .panel_h_mm = 117.9,
    };
    char err[256];
    ui *s = ui_create(*ret_surf, &o, err, sizeof err);
    if (!s)
        fail_msg("%s", err);
    return s;
}

/* a frame that redraws the whole screen, so every line drawn is rasterised */
static void frame(ui *s, uint64_t t)
{
    ui_damage_all(s);
    ui_frame_begin(s, t);
}

static void draw(ui *s, const char *text)
{
    ui_text(s, UI_FONT_BODY, false, 0x000000, text, (ui_rect){0, 0, 240, 0}, UI_ALIGN_LEFT, NULL);
}

/* 1 when TEXT was still cached: drawing it again was a hit, not a miss */
static int cached(ui *s, const char *text)
{
    struct ui_stats a, b;
    ui_stats(s, &a);
    frame(s, 1);
    draw(s, text);
    ui_frame_end(s);
    ui_stats(s, &b);
    assert_int_equal(b.text_misses - a.text_misses + b.text_hits - a.text_hits, 1);
    return b.text_hits > a.text_hits;
}

static void test_text_cache_stays_within_its_byte_budget(void **st)
{
    (void)st;
    SDL_Surface *sf;
    ui *s = small_ui(&sf);
    struct ui_stats a;
    ui_stats(s, &a);
    assert_int_equal(a.text_budget, (size_t)240 * 320 * 4 * 3 / 2);
    char buf[64];
    size_t most = 0;
    for (int i = 0; i < 400; i++) {
        frame(s, (uint64_t)i);
        snprintf(buf, sizeof buf, "Line %d of the budget test, wide", i);
        draw(s, buf);
        ui_frame_end(s);
        ui_stats(s, &a);
        assert_true(a.text_bytes <= a.text_budget);
        most = a.text_bytes > most ? a.text_bytes : most;
    }
    /* it did fill: the bound was reached, not just never approached */
    assert_true(most > a.text_budget / 2);
    assert_true(a.rasterised_lines >= 400);
    ui_destroy(s);
    SDL_FreeSurface(sf);
}

static void test_text_cache_evicts_the_least_recently_used(void **st)
{
    (void)st;
    SDL_Surface *sf;
    ui *s = small_ui(&sf);
    char buf[64];
    /* "kept" is drawn every frame; "old" once at the start */
    assert_false(cached(s, "old"));
    int i = 0;
    struct ui_stats a, b;
    ui_stats(s, &b);
    do {
        a = b;
        frame(s, (uint64_t)i);
        draw(s, "kept");
        snprintf(buf, sizeof buf, "Filler %d, drawn once", i);
        draw(s, buf);
        ui_frame_end(s);
        ui_stats(s, &b);
        i++;
    } while (b.text_entries > a.text_entries && i < 1000); /* until one is evicted */
    assert_true(i < 1000);
    assert_true(cached(s, "kept"));
    /* the oldest filler went before the newest ones, and "old" before any of them */
    snprintf(buf, sizeof buf, "Filler %d, drawn once", i - 1);
    assert_true(cached(s, buf));
    assert_false(cached(s, "old"));
    ui_destroy(s);
    SDL_FreeSurface(sf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_never_starts_a_line_with_closing_punctuation),
        cmocka_unit_test(test_layout_keeps_latin_words_and_numbers_whole),
        cmocka_unit_test(test_layout_breaks_chinese_between_any_two_characters),
        cmocka_unit_test(test_layout_no_line_wider_than_its_width),
        cmocka_unit_test(test_layout_honours_line_feeds),
        cmocka_unit_test(test_text_is_rasterised_once_and_then_cached),
        cmocka_unit_test(test_a_rare_character_gets_a_glyph_from_the_fallback_font),
        cmocka_unit_test(test_text_cache_stays_within_its_byte_budget),
        cmocka_unit_test(test_text_cache_evicts_the_least_recently_used),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
