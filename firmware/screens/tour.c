/* tour.c - the built-in tour (kiosk --tour DIR): every screen in the registry whose
 * ops have a tour hook shows itself, in both languages, all three themes, portrait
 * and landscape; the tour is a script run by the scripted driver (script.c) that
 * writes a shot and a tree of each view. */
#include "script.h"
#include "base/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The tour: every screen in the registry that has a tour hook shows itself, with ids
 * taken from the content so the tour works on any content.db. */
struct tour {
    strbuf *sb;
    const char *sfx;
    char *category, *service, *onething, *topic, *doc;
};

void app_tour_view(struct tour *t, const char *shot, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *steps = NULL;
    if (vasprintf(&steps, fmt, ap) < 0)
        util_die(__FILE__, __LINE__, "out of memory");
    va_end(ap);
    strbuf_addf(t->sb, "%sshot %s-%s\ntree %s-%s\nhome\n", steps, shot, t->sfx, shot, t->sfx);
    free(steps);
}

const char *app_tour_first(struct tour *t, const char *what)
{
    if (strcmp(what, "category") == 0)
        return t->category;
    if (strcmp(what, "service") == 0)
        return t->service;
    if (strcmp(what, "onething") == 0)
        return t->onething;
    if (strcmp(what, "topic") == 0)
        return t->topic;
    if (strcmp(what, "doc") == 0)
        return t->doc;
    return NULL;
}

static void tour_content(app *a, struct tour *t)
{
    store *st = app_store(a);
    struct category_list cats;
    if (store_categories(st, "life_event", &cats) == 0) {
        if (cats.n)
            t->category = xstrdup(cats.items[0].id);
        category_list_free(&cats);
    }
    struct service_row row;
    int n = 0;
    if (t->category && store_services_page(st, t->category, 0, 1, &row, &n) == 0 && n == 1) {
        t->service = xstrdup(row.id);
        service_row_free(&row);
    }
    struct onething_list things;
    if (store_onethings(st, &things) == 0) {
        if (things.n)
            t->onething = xstrdup(things.items[0].id);
        onething_list_free(&things);
    }
    struct doc_count_list topics;
    if (store_doc_topics(st, &topics) == 0) {
        for (int i = 0; i < topics.n && !t->topic; i++) {
            if (topics.items[i].count == 0)
                continue;
            t->topic = xstrdup(topics.items[i].id);
            struct doc_filter f = {.topic = topics.items[i].id};
            struct doc_row drow;
            int got = 0;
            if (store_docs_page(st, &f, 0, 1, &drow, &got) == 0 && got == 1) {
                t->doc = xstrdup(drow.id);
                doc_row_free(&drow);
            }
        }
        doc_count_list_free(&topics);
    }
}

int script_run_tour(app *a, const struct script_env *env)
{
    static const char *const sizes[][3] = {{"1080", "1920", "portrait"}, {"1920", "1080", "landscape"}};
    static const char *const themes[] = {"standard", "large", "contrast"};
    static const char *const langs[] = {"zh", "en"};
    strbuf sb = {0};
    struct tour t = {.sb = &sb};
    tour_content(a, &t);
    strbuf_adds(&sb, "now 2026-11-28T09:30\n");
    for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
        strbuf_addf(&sb, "size %s %s\n", sizes[s][0], sizes[s][1]);
        for (size_t th = 0; th < ARRAY_SIZE(themes); th++) {
            strbuf_addf(&sb, "theme %s\n", themes[th]);
            for (size_t l = 0; l < ARRAY_SIZE(langs); l++) {
                char sfx[64];
                snprintf(sfx, sizeof sfx, "%s-%s-%s", langs[l], themes[th], sizes[s][2]);
                strbuf_addf(&sb, "lang %s\n", langs[l]);
                t.sfx = sfx;
                for (int i = 0; i < app_screen_count(); i++)
                    if (app_screen_at(i)->tour)
                        app_screen_at(i)->tour(a, &t);
            }
        }
    }
    int rc = script_run_text(a, env, "tour", sb.buf);
    strbuf_release(&sb);
    free(t.category);
    free(t.service);
    free(t.onething);
    free(t.topic);
    free(t.doc);
    if (rc == 0)
        printf("tour: wrote screenshots and trees to %s\n", env->outdir);
    return rc;
}
