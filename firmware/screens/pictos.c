/* pictos.c - looks up the pictograms compiled into the firmware (pictos.h). */
#include "pictos.h"

#include <string.h>

extern const struct ui_picto pictos_table[];
extern const int pictos_count;

const struct ui_picto *pictos_get(const char *name)
{
    for (int i = 0; name && i < pictos_count; i++)
        if (strcmp(pictos_table[i].key + 3, name) == 0) /* past "fw:" */
            return &pictos_table[i];
    return NULL;
}
