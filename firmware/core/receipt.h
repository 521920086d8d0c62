/* receipt.h - receipt numbers: what a visitor takes home and types back in to ask
 * about a request. Short, typable, unique per kiosk, with a check character.
 *
 *   K0001-260128-0042-7
 *   │     │      │    └ check character
 *   │     │      └ sequence of the day, 0001..9999 (state_outbox_add counts it)
 *   │     └ the kiosk's local date, YYMMDD
 *   └ kiosk code (config kiosk_id), 1..RECEIPT_KIOSK_MAX characters
 *
 * Every character is from RECEIPT_ALPHABET, 31 symbols: the digits and the capitals
 * without I, L, O (they read as 1 and 0) and U, V (they read as each other). 31 is a
 * prime, which the check needs; the letters of pinyin initials are all there, so
 * kiosk codes such as HZ0012 or SZ01 work. The check character is a pure ISO 7064-style system over the prime 31 with
 * radix 3: the symbols' values v1..vn and the check c satisfy
 *     (v1·3^n + v2·3^(n-1) + ... + vn·3 + c) mod 31 = 0.
 * 31 is prime, so every weight 3^k is invertible: a change of any one symbol changes
 * the sum. Swapping neighbours a, b changes it by (a-b)·3^k·2, never 0 mod 31; and
 * since 3 is a primitive root mod 31 (its powers repeat only after 30), swapping any
 * two symbols of a receipt (at most 19 long) is caught too. So every single-character
 * substitution and every transposition is detected.
 *
 * Typed back, a number is read leniently: lower case is upper case; hyphens and spaces
 * may be missing or anywhere; O reads as 0 and I or L as 1 (they are not symbols).
 * Pure C, no allocation. */
#ifndef KIOSK_RECEIPT_H
#define KIOSK_RECEIPT_H

#include <stddef.h>

#define RECEIPT_ALPHABET "0123456789ABCDEFGHJKMNPQRSTWXYZ"
#define RECEIPT_KIOSK_MAX 8
#define RECEIPT_SEQ_MAX 9999
/* "KKKKKKKK-YYMMDD-NNNN-C" and the NUL; fits OUTBOX_RECEIPT_MAX */
#define RECEIPT_SIZE (RECEIPT_KIOSK_MAX + 1 + 6 + 1 + 4 + 1 + 1 + 1)

/* 1 when KIOSK (config kiosk_id) can stand in a receipt number: 1..RECEIPT_KIOSK_MAX
 * symbols of RECEIPT_ALPHABET, upper case. */
int receipt_kiosk_valid(const char *kiosk);

/* Writes the receipt number of the SEQth submission (1..RECEIPT_SEQ_MAX) of DAY
 * ("YYYYMMDD", as state_outbox_add passes it) on KIOSK into RET (RECEIPT_SIZE bytes).
 * Returns 0, or -EINVAL (bad kiosk code or day) / -ERANGE (seq out of range); RET is
 * untouched then. */
int receipt_format(const char *kiosk, const char *day, int seq, char *ret);

/* The check symbol of S, a string of RECEIPT_ALPHABET symbols; 0 if S has any other. */
char receipt_check_char(const char *s);

/* Reads a typed receipt number. On 0, RET (RECEIPT_SIZE bytes, may be NULL) holds its
 * canonical form "K0001-260128-0042-7". Returns -EINVAL when it cannot be a receipt
 * number (wrong length, a character outside the alphabet, not a date), -EILSEQ when
 * its check character does not match (a typo). */
int receipt_verify(const char *typed, char *ret);

/* The string-table key of receipt_verify's result (0, -EINVAL, -EILSEQ): the status
 * screen shows i18n(key, lang). Static. */
const char *receipt_message_key(int r);

#endif
