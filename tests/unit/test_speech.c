/* test_speech.c - text to speech on Debian's espeak-ng: a real guide paragraph in
 * Mandarin and in English comes out as audible speech of a plausible length, the
 * language really changes the voice, and the limits hold. Prints the synthesis speed
 * (seconds of speech per second of CPU) of each paragraph. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dlfcn.h>
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif
#include <errno.h>
#include <espeak-ng/speak_lib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/util.h"
#include "core/speech.h"

static const char guide_zh[] =
    "办理结婚登记，需要男女双方共同到婚姻登记机关提出申请，并携带本人的户口簿和身份证。";
static const char guide_en[] =
    "To register a marriage, both parties apply together at the registration office "
    "and bring their household register and identity card.";

/* Not silent: espeak-ng's voices at their default amplitude measure an RMS of
 * ~3,300-4,800 (of 32,767) over a whole paragraph, pauses included; silence is 0 and
 * any noise floor is far below 50. 500 (-36 dBFS) is six times under the quietest
 * paragraph measured and ten times over any floor. */
#define MIN_RMS 500.0

/* Plausible lengths. Mandarin is spoken at ~2 (slow, to elderly listeners) to ~6.5
 * (fast conversation) syllables a second, one syllable a character: 0.15-0.5 s a
 * character, and up to 0.6 s with the pauses at punctuation. English runs at 60 to
 * 300 words a minute: 0.2-1.0 s a word. At our rates we measure ~0.35 s a character
 * and ~0.45 s a word, in the middle of both ranges; "ban four li three" (the "cmn"
 * voice's bug, see speech.h) would still fit the first, hence the phoneme check. */
#define ZH_MIN_S_PER_CHAR 0.15
#define ZH_MAX_S_PER_CHAR 0.6
#define EN_MIN_S_PER_WORD 0.2
#define EN_MAX_S_PER_WORD 1.0

struct pcm {
    int16_t *s;
    size_t n;
    int rate;
};

/* The open speech: a global rather than cmocka's group state, which a test cannot
 * replace (test_speech_can_be_closed_and_opened_again does). */
static speech *the_speech;

static int group_setup(void **state)
{
    (void)state;
    int r = speech_open(&the_speech);
    if (r < 0) {
        fprintf(stderr, "speech_open: %s (install espeak-ng-data)\n", strerror(-r));
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    speech_close(the_speech);
    return 0;
}

/* Each test's state is the open speech. */
static int setup(void **state)
{
    *state = the_speech;
    return 0;
}

static double cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static struct pcm synth(speech *sp, const char *text, kiosk_lang lang)
{
    struct pcm p = {0};
    assert_int_equal(speech_synth(sp, text, lang, &p.s, &p.n, &p.rate), 0);
    assert_int_equal(p.rate, SPEECH_SAMPLE_RATE);
    return p;
}

static double rms(const struct pcm *p)
{
    double sum = 0;
    for (size_t i = 0; i < p->n; i++)
        sum += (double)p->s[i] * p->s[i];
    return p->n ? sqrt(sum / (double)p->n) : 0;
}

static double seconds(const struct pcm *p)
{
    return (double)p->n / p->rate;
}

static size_t han_chars(const char *s)
{
    size_t n = 0;
    while (*s) {
        uint32_t c = utf8_next(&s);
        if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf))
            n++;
    }
    return n;
}

static size_t words(const char *s)
{
    size_t n = 0;
    for (bool in = false; *s; s++) {
        bool letter = *s != ' ';
        n += letter && !in;
        in = letter;
    }
    return n;
}

/* Synthesises TEXT five times, prints the speed and returns one synthesis. */
static struct pcm synth_timed(speech *sp, const char *text, kiosk_lang lang, const char *name)
{
    struct pcm p = synth(sp, text, lang); /* voice loaded, buffers warm */
    double t0 = cpu_seconds();
    for (int i = 0; i < 5; i++) {
        struct pcm q = synth(sp, text, lang);
        free(q.s);
    }
    double cpu = (cpu_seconds() - t0) / 5;
    print_message("%s: %.2f s of speech in %.1f ms of CPU: %.0f s of speech per CPU second\n",
                  name, seconds(&p), cpu * 1e3, cpu > 0 ? seconds(&p) / cpu : 0.0);
    return p;
}

static void test_speech_reads_a_mandarin_guide_paragraph_audibly_at_a_plausible_length(void **state)
{
    struct pcm p = synth_timed(*state, guide_zh, LANG_ZH, "Mandarin guide paragraph");
    size_t chars = han_chars(guide_zh);
    assert_int_equal(chars, 38);
    double per_char = seconds(&p) / (double)chars;
    print_message("Mandarin: %zu characters, %.2f s, %.3f s a character, RMS %.0f\n", chars,
                  seconds(&p), per_char, rms(&p));
    assert_true(rms(&p) > MIN_RMS);
    assert_true(per_char >= ZH_MIN_S_PER_CHAR && per_char <= ZH_MAX_S_PER_CHAR);
    free(p.s);
}

static void test_speech_reads_an_english_guide_paragraph_audibly_at_a_plausible_length(void **state)
{
    struct pcm p = synth_timed(*state, guide_en, LANG_EN, "English guide paragraph");
    size_t n = words(guide_en);
    assert_int_equal(n, 20);
    double per_word = seconds(&p) / (double)n;
    print_message("English: %zu words, %.2f s, %.3f s a word (%.0f words a minute), RMS %.0f\n",
                  n, seconds(&p), per_word, 60.0 / per_word, rms(&p));
    assert_true(rms(&p) > MIN_RMS);
    assert_true(per_word >= EN_MIN_S_PER_WORD && per_word <= EN_MAX_S_PER_WORD);
    free(p.s);
}

static void test_speech_mandarin_voice_reads_chinese_text_differently_from_the_english_one(void **state)
{
    speech *sp = *state;
    struct pcm zh = synth(sp, guide_zh, LANG_ZH);
    struct pcm en = synth(sp, guide_zh, LANG_EN);
    struct pcm zh2 = synth(sp, guide_zh, LANG_ZH);
    /* the English voice spells out each character as "Chinese letter" */
    assert_true(zh.n != en.n || memcmp(zh.s, en.s, zh.n * sizeof *zh.s) != 0);
    assert_true(en.n > zh.n * 3 / 2);
    /* and switching back gives the Mandarin voice again: not sample for sample, since
     * espeak-ng varies its output a little from one synthesis to the next (a few
     * hundred samples in 240,000), but the same length to within 1% */
    assert_true(zh2.n > zh.n * 99 / 100 && zh2.n < zh.n * 101 / 100);
    free(zh.s);
    free(en.s);
    free(zh2.s);
}

static void test_speech_mandarin_voice_reads_characters_not_tone_digits_in_english(void **state)
{
    /* Looks at the phonemes of the voice speech_synth has just loaded (espeak-ng's
     * state is process-wide): no switch to English, "(en)", for plain Chinese. */
    struct pcm p = synth(*state, "办理", LANG_ZH);
    free(p.s);
    assert_string_equal(speech_voice(LANG_ZH), "cmn-Latn-pinyin");
    /* the copy of espeak-ng speech_open loaded (it is not linked) */
    void *lib = dlopen(KIOSK_ESPEAK_SONAME, RTLD_NOW | RTLD_NOLOAD);
    assert_non_null(lib);
    const char *(*to_phonemes)(const void **, int, int) = NULL;
    *(void **)&to_phonemes = dlsym(lib, "espeak_TextToPhonemes");
    assert_non_null(to_phonemes);
    const void *text = guide_zh;
    strbuf all = {0};
    while (text) {
#ifdef __SANITIZE_ADDRESS__
        __lsan_disable(); /* espeak-ng's own buffer, lost when it is unloaded */
#endif
        const char *ph = to_phonemes(&text, espeakCHARS_UTF8, 0);
#ifdef __SANITIZE_ADDRESS__
        __lsan_enable();
#endif
        strbuf_adds(&all, ph ? ph : "");
    }
    print_message("phonemes: %s\n", all.buf);
    assert_null(strstr(all.buf, "(en)"));
    assert_non_null(strstr(all.buf, "51")); /* the falling tone of 办 (ban4) */
    strbuf_release(&all);
    dlclose(lib);
}

static void test_speech_empty_text_gives_no_samples(void **state)
{
    int16_t *pcm = (int16_t *)&pcm;
    size_t n = 99;
    int rate = 0;
    assert_int_equal(speech_synth(*state, "", LANG_ZH, &pcm, &n, &rate), 0);
    assert_null(pcm);
    assert_int_equal(n, 0);
    assert_int_equal(rate, SPEECH_SAMPLE_RATE);
}

static void test_speech_refuses_text_over_the_limit_and_leaves_outputs_alone(void **state)
{
    char *text = xmalloc(SPEECH_MAX_TEXT + 2);
    memset(text, 'a', SPEECH_MAX_TEXT + 1);
    text[SPEECH_MAX_TEXT + 1] = '\0';
    int16_t *pcm = NULL;
    size_t n = 7;
    int rate = 3;
    assert_int_equal(speech_synth(*state, text, LANG_EN, &pcm, &n, &rate), -E2BIG);
    assert_null(pcm);
    assert_int_equal(n, 7);
    assert_int_equal(rate, 3);
    free(text);
}

static void test_speech_speaks_a_text_of_exactly_the_limit(void **state)
{
    strbuf sb = {0};
    while (sb.len + sizeof guide_en < SPEECH_MAX_TEXT)
        strbuf_addf(&sb, "%s ", guide_en);
    while (sb.len < SPEECH_MAX_TEXT)
        strbuf_addc(&sb, 'a');
    assert_int_equal(strlen(sb.buf), SPEECH_MAX_TEXT);
    struct pcm p = synth(*state, sb.buf, LANG_EN);
    assert_true(seconds(&p) > 60); /* ~30 repetitions of an 8 s paragraph */
    free(p.s);
    strbuf_release(&sb);
}

static void test_speech_refuses_an_unknown_language(void **state)
{
    int16_t *pcm = NULL;
    size_t n = 0;
    int rate = 0;
    assert_int_equal(speech_synth(*state, "x", LANG_COUNT, &pcm, &n, &rate), -EINVAL);
    assert_null(speech_voice(LANG_COUNT));
}

static void test_speech_is_one_per_process(void **state)
{
    (void)state;
    speech *other = NULL;
    assert_int_equal(speech_open(&other), -EBUSY);
    assert_null(other);
}

static bool espeak_mapped(void)
{
    void *h = dlopen(KIOSK_ESPEAK_SONAME, RTLD_LAZY | RTLD_NOLOAD);
    if (h)
        dlclose(h);
    return h != NULL;
}

/* Closing unloads espeak-ng, and opening loads a fresh copy that speaks (espeak-ng
 * cannot be initialised twice in one copy). */
static void test_speech_can_be_closed_and_opened_again(void **state)
{
    assert_true(speech_loaded());
    assert_true(espeak_mapped());
    speech_close(*state);
    the_speech = NULL;
    assert_false(speech_loaded());
    assert_false(espeak_mapped());
    speech *sp = NULL;
    assert_int_equal(speech_open(&sp), 0);
    the_speech = sp;
    struct pcm p = synth(sp, "您好。", LANG_ZH);
    assert_true(p.n > 0 && rms(&p) > MIN_RMS);
    free(p.s);
}

/* ---- speech_chunk ---------------------------------------------------------------- */

static void test_speech_chunk_takes_a_text_that_fits_whole(void **state)
{
    (void)state;
    assert_int_equal(speech_chunk("", 16), 0);
    assert_int_equal(speech_chunk(guide_zh, sizeof guide_zh - 1), sizeof guide_zh - 1);
}

static void test_speech_chunk_cuts_after_the_last_sentence_that_fits(void **state)
{
    (void)state;
    const char *t = "请取号。请排队！“带好证件。”然后等候叫号";
    /* up to and including 。” is 请取号。请排队！“带好证件。” */
    size_t want = strlen("请取号。请排队！“带好证件。”");
    assert_int_equal(speech_chunk(t, strlen(t) - 1), want);
    assert_int_equal(speech_chunk(t, want), want);
    assert_int_equal(speech_chunk(t, want - 1), strlen("请取号。请排队！“带好证件。"));
    const char *e = "Bring your card. Fee 1.5 yuan. Wait";
    /* 29 bytes end inside "yuan.": the dot of 1.5 is no sentence end */
    assert_int_equal(speech_chunk(e, 29), strlen("Bring your card. "));
}

static void test_speech_chunk_falls_back_to_a_clause_then_a_character(void **state)
{
    (void)state;
    const char *t = "办理结婚登记，需要男女双方共同到场";
    assert_int_equal(speech_chunk(t, 30), strlen("办理结婚登记，"));
    const char *run = "结婚登记结婚登记";
    /* 3 bytes a character: 10 bytes take 3 characters, never half of the fourth */
    assert_int_equal(speech_chunk(run, 10), 9);
    assert_int_equal(speech_chunk(run, 4), 3);
}

static void test_speech_chunk_pieces_put_together_give_the_text_back(void **state)
{
    (void)state;
    strbuf src = {0}, back = {0};
    for (int i = 0; i < 40; i++)
        strbuf_addf(&src, "%s%s\n", guide_zh, guide_en);
    for (size_t off = 0; off < src.len;) {
        size_t n = speech_chunk(src.buf + off, 300);
        assert_true(n > 0 && n <= 300);
        strbuf_add(&back, src.buf + off, n);
        off += n;
    }
    assert_string_equal(back.buf, src.buf);
    strbuf_release(&src);
    strbuf_release(&back);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_speech_reads_a_mandarin_guide_paragraph_audibly_at_a_plausible_length, setup),
        cmocka_unit_test_setup(test_speech_reads_an_english_guide_paragraph_audibly_at_a_plausible_length, setup),
        cmocka_unit_test_setup(test_speech_mandarin_voice_reads_chinese_text_differently_from_the_english_one, setup),
        cmocka_unit_test_setup(test_speech_mandarin_voice_reads_characters_not_tone_digits_in_english, setup),
        cmocka_unit_test_setup(test_speech_empty_text_gives_no_samples, setup),
        cmocka_unit_test_setup(test_speech_refuses_text_over_the_limit_and_leaves_outputs_alone, setup),
        cmocka_unit_test_setup(test_speech_speaks_a_text_of_exactly_the_limit, setup),
        cmocka_unit_test_setup(test_speech_refuses_an_unknown_language, setup),
        cmocka_unit_test_setup(test_speech_is_one_per_process, setup),
        cmocka_unit_test_setup(test_speech_can_be_closed_and_opened_again, setup),
        cmocka_unit_test_setup(test_speech_chunk_takes_a_text_that_fits_whole, setup),
        cmocka_unit_test_setup(test_speech_chunk_cuts_after_the_last_sentence_that_fits, setup),
        cmocka_unit_test_setup(test_speech_chunk_falls_back_to_a_clause_then_a_character, setup),
        cmocka_unit_test_setup(test_speech_chunk_pieces_put_together_give_the_text_back, setup),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
