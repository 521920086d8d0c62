/* pinyin.h - pinyin keys of Chinese titles, computed when content is built (never on
 * the kiosk), so that a visitor can find 社会保险 by typing "shehuibaoxian", "shebao"
 * or "shbx".
 *
 * Readings come from Debian's rime-data-luna-pinyin (luna_pinyin.dict.yaml): word
 * entries that settle polyphonic characters in context (銀行 yin hang, 行政 xing
 * zheng, 重慶 chong qing, 長春 chang chun) and per-character readings with weights
 * (單: dan 99.52 %). That dictionary is written in Traditional characters; Rime
 * simplifies its candidates at run time. So pinyin_open also reads Unihan's
 * kSimplifiedVariant (Debian's unicode-data) and files every word and character under
 * its Simplified form as well: a Simplified character takes, reading by reading, the
 * highest weight any of its sources gives (业 gets ye from 業 although luna lists 业
 * itself as qiu, a different Traditional character; 干 keeps gan against 乾's qian).
 * A character neither source reads, and a tie the weights leave open (箔: bao? bo?),
 * is settled by Unihan's kMandarin, the customary reading, read only when needed.
 *
 * A title is converted unit by unit (search_unit in core/search.h): one syllable per
 * Han character, the run itself (lower-cased) per run of ASCII letters and digits;
 * anything else yields nothing. Each run of Han characters is segmented along the
 * path of fewest dictionary words (ties: the longer word first), so words beat single
 * characters and a word's reading beats its characters' most frequent ones.
 *
 * Load: pinyin_open reads ~1 MB of dictionary and ~0.1 MB of compressed Unihan, about
 * 0.3 s and 20 MB, once per build; kMandarin (1.2 MB compressed) adds ~0.35 s the
 * first time a title needs it. pinyin_convert costs ~7 us for a 40-character title. */
#ifndef KIOSK_PINYIN_H
#define KIOSK_PINYIN_H

#include <stddef.h>

typedef struct pinyin pinyin;

/* Where Debian puts the data (packages rime-data-luna-pinyin and unicode-data). The
 * environment variables KIOSK_PINYIN_DICT and KIOSK_UNIHAN_DIR override them. */
#define PINYIN_DICT_PATH "/usr/share/rime-data/luna_pinyin.dict.yaml"
#define PINYIN_UNIHAN_DIR "/usr/share/unicode"

/* Loads the dictionary at DICT_PATH and Unihan from UNIHAN_DIR (Unihan_Variants.txt
 * and Unihan_Readings.txt, each plain or .bz2); NULL for either means the environment
 * variable, else the default above. Returns 0, -ENOENT when a file is missing, -EIO
 * when one cannot be read, -EPROTO when the dictionary holds no readings; err then
 * holds one line naming the file and the Debian package that ships it. */
int pinyin_open(const char *dict_path, const char *unihan_dir, pinyin **ret, char *err,
                size_t errlen);
void pinyin_close(pinyin *p); /* accepts NULL */

/* Converts TEXT (UTF-8). Each output is optional (NULL: not wanted); you own each
 * string:
 *   *ret_syllables  one token per unit, separated by one space: "she hui bao xian",
 *                   "2025 nian yu suan"; "?" for a Han character nobody reads;
 *   *ret_full       the same without spaces: "shehuibaoxian";
 *   *ret_initials   the first letter of each token, one byte per unit: "shbx".
 * ü is written v (lv, nve), as on the kiosk's keyboard. Returns 0, or -EIO when
 * Unihan's readings were needed and could not be read (pinyin_error says why). */
int pinyin_convert(pinyin *p, const char *text, char **ret_syllables, char **ret_full,
                   char **ret_initials);

/* The last error of pinyin_convert, one line; "" when none. */
const char *pinyin_error(const pinyin *p);

#endif
