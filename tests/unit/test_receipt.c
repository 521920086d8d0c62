/* test_receipt.c - receipt numbers (firmware/core/receipt.c): their format, their
 * uniqueness across a day, and a check character that catches every single-character
 * substitution and every adjacent transposition, compared against a plain reference
 * computation of the documented formula. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/receipt.h"

static const char alphabet[] = RECEIPT_ALPHABET;

/* The documented formula, computed the long way: sum of v_i * 3^(n+1-i) plus the check
 * value is 0 mod 31. */
static char reference_check(const char *s)
{
    size_t n = strlen(s);
    long sum = 0;
    for (size_t i = 0; i < n; i++) {
        long w = 1;
        for (size_t k = 0; k < n - i; k++)
            w = w * 3 % 31;
        sum += (long)(strchr(alphabet, s[i]) - alphabet) * w;
    }
    return alphabet[(31 - sum % 31) % 31];
}

/* "K0001-260128-0042-7" without its hyphens */
static void compact(const char *r, char *out)
{
    for (; *r; r++)
        if (*r != '-')
            *out++ = *r;
    *out = '\0';
}

static void test_receipt_is_kiosk_date_sequence_and_check_character(void **state)
{
    (void)state;
    char r[RECEIPT_SIZE];
    assert_int_equal(receipt_format("K0001", "20260128", 42, r), 0);
    assert_int_equal(strlen(r), 19);
    assert_memory_equal(r, "K0001-260128-0042-", 18);
    assert_int_equal(r[18], reference_check("K00012601280042"));
    assert_int_equal(receipt_verify(r, NULL), 0);
}

static void test_check_character_matches_the_reference_formula(void **state)
{
    (void)state;
    static const char *const kiosks[] = {"K0001", "K9", "HZ000002", "ABCDEFGH", "7"};
    char r[RECEIPT_SIZE], body[32];
    for (size_t k = 0; k < sizeof kiosks / sizeof kiosks[0]; k++)
        for (int seq = 1; seq <= 9999; seq += 37) {
            assert_int_equal(receipt_format(kiosks[k], "20261231", seq, r), 0);
            compact(r, body);
            body[strlen(body) - 1] = '\0';
            assert_int_equal(r[strlen(r) - 1], reference_check(body));
            assert_int_equal(receipt_check_char(body), reference_check(body));
        }
}

static int cmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

static void test_receipts_of_a_whole_days_sequence_are_all_different(void **state)
{
    (void)state;
    char (*all)[RECEIPT_SIZE] = calloc(RECEIPT_SEQ_MAX, RECEIPT_SIZE);
    assert_non_null(all);
    for (int seq = 1; seq <= RECEIPT_SEQ_MAX; seq++)
        assert_int_equal(receipt_format("K0001", "20260128", seq, all[seq - 1]), 0);
    qsort(all, RECEIPT_SEQ_MAX, RECEIPT_SIZE, cmp);
    for (int i = 1; i < RECEIPT_SEQ_MAX; i++)
        assert_string_not_equal(all[i - 1], all[i]);
    free(all);

    char a[RECEIPT_SIZE], b[RECEIPT_SIZE];
    assert_int_equal(receipt_format("K0001", "20260128", 7, a), 0);
    assert_int_equal(receipt_format("K0001", "20260129", 7, b), 0);
    assert_string_not_equal(a, b);
    assert_int_equal(receipt_format("K0002", "20260128", 7, b), 0);
    assert_string_not_equal(a, b);
}

static void test_receipt_refuses_sequence_out_of_range_and_bad_kiosk_codes(void **state)
{
    (void)state;
    char r[RECEIPT_SIZE] = "untouched";
    assert_int_equal(receipt_format("K0001", "20260128", 0, r), -ERANGE);
    assert_int_equal(receipt_format("K0001", "20260128", RECEIPT_SEQ_MAX + 1, r), -ERANGE);
    assert_int_equal(receipt_format("k0001", "20260128", 1, r), -EINVAL); /* lower case */
    assert_int_equal(receipt_format("KV01", "20260128", 1, r), -EINVAL);  /* V: not a symbol */
    assert_int_equal(receipt_format("KO01", "20260128", 1, r), -EINVAL);  /* O: not a symbol */
    assert_int_equal(receipt_format("", "20260128", 1, r), -EINVAL);
    assert_int_equal(receipt_format("K00000001", "20260128", 1, r), -EINVAL); /* 9 long */
    assert_int_equal(receipt_format("K0001", "20260230", 1, r), -EINVAL);
    assert_int_equal(receipt_format("K0001", "2026-01-28", 1, r), -EINVAL);
    assert_string_equal(r, "untouched");
    assert_true(receipt_kiosk_valid("K0001"));
    assert_false(receipt_kiosk_valid("K-01"));
}

/* A sample of receipts: several kiosks, days and sequence numbers. */
static int sample(int i, char *r)
{
    static const char *const kiosks[] = {"K0001", "K0002", "HQ7", "ABC", "K12345"};
    static const char *const days[] = {"20260128", "20251231", "20270704", "20280229"};
    return receipt_format(kiosks[i % 5], days[i / 5 % 4], 1 + (i * 7919) % RECEIPT_SEQ_MAX, r);
}

static void test_check_character_catches_every_single_substitution(void **state)
{
    (void)state;
    char r[RECEIPT_SIZE], t[RECEIPT_SIZE];
    long tried = 0;
    for (int i = 0; i < 400; i++) {
        assert_int_equal(sample(i, r), 0);
        for (size_t p = 0; r[p]; p++) {
            if (r[p] == '-')
                continue;
            for (const char *a = alphabet; *a; a++) {
                if (*a == r[p])
                    continue;
                strcpy(t, r);
                t[p] = *a;
                if (receipt_verify(t, NULL) == 0)
                    fail_msg("%s accepted as a typo of %s", t, r);
                tried++;
            }
        }
    }
    assert_true(tried > 100000);
}

static void test_check_character_catches_every_adjacent_transposition(void **state)
{
    (void)state;
    char r[RECEIPT_SIZE], c[RECEIPT_SIZE], t[RECEIPT_SIZE];
    long tried = 0;
    for (int i = 0; i < 2000; i++) {
        assert_int_equal(sample(i, r), 0);
        compact(r, c);
        /* neighbours in what is typed, across the hyphens too; and any two symbols */
        for (size_t p = 0; c[p]; p++)
            for (size_t q = p + 1; c[q]; q++) {
                if (c[p] == c[q])
                    continue;
                strcpy(t, c);
                t[p] = c[q];
                t[q] = c[p];
                if (receipt_verify(t, NULL) == 0)
                    fail_msg("%s accepted as a typo of %s", t, c);
                tried += q == p + 1;
            }
    }
    assert_true(tried > 10000);
}

static void test_typed_receipt_accepts_lower_case_spaces_and_missing_hyphens(void **state)
{
    (void)state;
    char r[RECEIPT_SIZE], c[RECEIPT_SIZE], typed[64], back[RECEIPT_SIZE];
    assert_int_equal(receipt_format("K0001", "20260128", 42, r), 0);
    compact(r, c);
    assert_int_equal(receipt_verify(c, back), 0);
    assert_string_equal(back, r);
    for (char *p = c; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    assert_int_equal(receipt_verify(c, back), 0);
    assert_string_equal(back, r);
    snprintf(typed, sizeof typed, "  %.5s 260128-00 42  %c ", r, r[18]);
    assert_int_equal(receipt_verify(typed, back), 0);
    assert_string_equal(back, r);
}

static void test_typed_receipt_reads_o_as_zero_and_i_or_l_as_one(void **state)
{
    (void)state;
    char r[RECEIPT_SIZE], typed[RECEIPT_SIZE], back[RECEIPT_SIZE];
    assert_int_equal(receipt_format("K0001", "20260111", 1001, r), 0);
    strcpy(typed, r);
    typed[1] = 'O';   /* K0001 -> KO001 */
    typed[4] = 'l';   /* -> KO00l */
    typed[10] = 'I';  /* 260111 -> 2601I1 */
    assert_int_equal(receipt_verify(typed, back), 0);
    assert_string_equal(back, r);
}

static void test_typed_text_that_is_not_a_receipt_is_refused(void **state)
{
    (void)state;
    char r[RECEIPT_SIZE], t[RECEIPT_SIZE], back[RECEIPT_SIZE] = "untouched";
    assert_int_equal(receipt_verify("", back), -EINVAL);
    assert_int_equal(receipt_verify("hello", back), -EINVAL);
    assert_int_equal(receipt_verify("K0001-260128-0042", back), -EINVAL); /* no check */
    assert_int_equal(receipt_verify("K0001-261328-0042-7", back), -EINVAL); /* month 13 */
    assert_int_equal(receipt_verify("K0001-260128-0000-7", back), -EINVAL); /* seq 0 */
    assert_int_equal(receipt_verify("K0001_260128_0042_7", back), -EINVAL);
    assert_int_equal(receipt_verify("查询K0001-260128-0042-7", back), -EINVAL);
    char longer[200];
    memset(longer, '1', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    assert_int_equal(receipt_verify(longer, back), -EINVAL);
    assert_int_equal(receipt_verify(NULL, back), -EINVAL);
    /* the right shape with a wrong check character is a typo, told apart */
    assert_int_equal(receipt_format("K0001", "20260128", 42, r), 0);
    strcpy(t, r);
    t[18] = t[18] == '5' ? '6' : '5';
    assert_int_equal(receipt_verify(t, back), -EILSEQ);
    assert_string_equal(back, "untouched");
}

static void test_every_receipt_message_key_is_in_the_string_table(void **state)
{
    (void)state;
    assert_true(i18n_has(receipt_message_key(0)));
    assert_true(i18n_has(receipt_message_key(-EINVAL)));
    assert_true(i18n_has(receipt_message_key(-EILSEQ)));
    assert_string_not_equal(receipt_message_key(-EINVAL), receipt_message_key(-EILSEQ));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_receipt_is_kiosk_date_sequence_and_check_character),
        cmocka_unit_test(test_check_character_matches_the_reference_formula),
        cmocka_unit_test(test_receipts_of_a_whole_days_sequence_are_all_different),
        cmocka_unit_test(test_receipt_refuses_sequence_out_of_range_and_bad_kiosk_codes),
        cmocka_unit_test(test_check_character_catches_every_single_substitution),
        cmocka_unit_test(test_check_character_catches_every_adjacent_transposition),
        cmocka_unit_test(test_typed_receipt_accepts_lower_case_spaces_and_missing_hyphens),
        cmocka_unit_test(test_typed_receipt_reads_o_as_zero_and_i_or_l_as_one),
        cmocka_unit_test(test_typed_text_that_is_not_a_receipt_is_refused),
        cmocka_unit_test(test_every_receipt_message_key_is_in_the_string_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
