/* i18n.h - the firmware's string table: every visitor-facing word the firmware itself
 * says (the rest comes from content.db). The table is firmware/strings.tsv, compiled
 * into the binary at build time, so a missing content.db can still be explained. */
#ifndef KIOSK_I18N_H
#define KIOSK_I18N_H

#include <stddef.h>

typedef enum { LANG_ZH = 0, LANG_EN = 1, LANG_COUNT } kiosk_lang;

/* The text of KEY in LANG. Never NULL: a key missing from the table returns the key
 * itself (a test checks that every key the code uses exists). The string is static. */
const char *i18n(const char *key, kiosk_lang lang);

/* The first key looked up that the table lacks (a bug: the tour and the script
 * tests fail on it), or NULL. */
const char *i18n_first_missing(void);

/* 1 when KEY is in the table. */
int i18n_has(const char *key);

/* "zh" or "en". */
const char *i18n_lang_code(kiosk_lang lang);

/* Table access for tests and the font-coverage check. */
size_t i18n_count(void);
const char *i18n_key_at(size_t i);

#endif
