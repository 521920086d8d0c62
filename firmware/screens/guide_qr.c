/* guide_qr.c - see guide_qr.h. */
#include "guide_qr.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>

static int fixed(const struct service *v)
{
    return 1 + (strcmp(v->online_depth, "none") != 0 && *v->online_url);
}

int guide_qr_index(const struct service *v, int m, int which)
{
    int k = fixed(v);
    for (int i = 0; i < v->n_materials; i++) {
        for (int w = 0; w < 2; w++) {
            const char *url = w ? v->materials[i].sample_url : v->materials[i].blank_url;
            if (!*url)
                continue;
            if (i == m && w == which)
                return k;
            k++;
        }
    }
    return -1;
}

int guide_qr_list(const struct service *v, struct guide_qr **ret)
{
    int cap = fixed(v) + 2 * v->n_materials, n = 0;
    struct guide_qr *l = xcalloc((size_t)cap, sizeof *l);
    for (int lang = 0; lang < LANG_COUNT; lang++)
        l[0].caption[lang] = xstrdup(i18n("qr.guide_page", lang));
    l[0].url = v->guide_url;
    n = 1;
    if (fixed(v) == 2) {
        for (int lang = 0; lang < LANG_COUNT; lang++)
            l[1].caption[lang] = xstrdup(i18n("qr.online", lang));
        l[1].url = v->online_url;
        n = 2;
    }
    for (int i = 0; i < v->n_materials; i++) {
        for (int w = 0; w < 2; w++) {
            const char *url = w ? v->materials[i].sample_url : v->materials[i].blank_url;
            if (!*url)
                continue;
            for (int lang = 0; lang < LANG_COUNT; lang++)
                l[n].caption[lang] = xasprintf("%s%s%s", v->materials[i].name.s[lang],
                                               i18n("list.sep", lang),
                                               i18n(w ? "qr.sample" : "qr.blank", lang));
            l[n].url = url;
            n++;
        }
    }
    *ret = l;
    return n;
}

void guide_qr_free(struct guide_qr *l, int n)
{
    if (!l)
        return;
    for (int i = 0; i < n; i++)
        for (int lang = 0; lang < LANG_COUNT; lang++)
            free(l[i].caption[lang]);
    free(l);
}
