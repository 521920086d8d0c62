/* i18n.c - lookup in the generated, key-sorted table (strings_gen.c). About a hundred
 * lookups per drawn frame, so a binary search over a few hundred keys is plenty. */
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct i18n_entry {
    const char *key;
    const char *text[2];
};

extern const struct i18n_entry i18n_table[];
extern const size_t i18n_table_len;

static int cmp(const void *k, const void *e)
{
    return strcmp(k, ((const struct i18n_entry *)e)->key);
}

static const struct i18n_entry *find(const char *key)
{
    return bsearch(key, i18n_table, i18n_table_len, sizeof i18n_table[0], cmp);
}

static char first_missing[128];

const char *i18n_first_missing(void)
{
    return first_missing[0] ? first_missing : NULL;
}

const char *i18n(const char *key, kiosk_lang lang)
{
    const struct i18n_entry *e = find(key);
    if (!e) {
        if (!first_missing[0])
            snprintf(first_missing, sizeof first_missing, "%s", key);
        return key;
    }
    return e->text[lang == LANG_EN ? 1 : 0];
}

int i18n_has(const char *key)
{
    return find(key) != NULL;
}

const char *i18n_lang_code(kiosk_lang lang)
{
    return lang == LANG_EN ? "en" : "zh";
}

size_t i18n_count(void)
{
    return i18n_table_len;
}

const char *i18n_key_at(size_t i)
{
    return i < i18n_table_len ? i18n_table[i].key : NULL;
}
