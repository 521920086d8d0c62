/* hallnote.c - see hallnote.h. */
#include "app_internal.h"
#include "hallnote.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hallnote_now(app *a, char buf[STAFF_NOTICE_TIME_LEN])
{
    time_t t = app_wall(a);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(buf, STAFF_NOTICE_TIME_LEN, "%Y-%m-%dT%H:%M", &tm);
}

static void from_staff(const struct staff_notice *n, struct announcement *ret)
{
    memset(ret, 0, sizeof *ret);
    ret->id = xasprintf(HALLNOTE_PREFIX "%lld", n->id);
    for (int l = 0; l < LANG_COUNT; l++) {
        ret->title.s[l] = xstrdup(n->title);
        ret->body.s[l] = xstrdup(n->body);
        ret->agency.s[l] = xstrdup(i18n("notice.from_hall", (kiosk_lang)l));
    }
    snprintf(ret->published, sizeof ret->published, "%.10s", n->posted_at);
    snprintf(ret->ends, sizeof ret->ends, "%.10s", n->expires);
    ret->urgent = n->urgent != 0;
}

int hallnote_list(app *a, struct announcement_list *ret)
{
    char today[16], now[STAFF_NOTICE_TIME_LEN];
    struct announcement_list content = {0};
    struct staff_notice *staff = xcalloc(STAFF_NOTICE_LIVE_MAX, sizeof *staff);
    int n_staff = 0;
    app_date_str(a, today, sizeof today);
    hallnote_now(a, now);
    int r = store_announcements(app_store(a), today, &content);
    if (r < 0) {
        free(staff);
        return r;
    }
    r = state_notices_live(app_state(a), now, staff, &n_staff);
    if (r < 0) {
        announcement_list_free(&content);
        free(staff);
        return r;
    }
    /* staff_notices_live gives urgent first, then the newest; so does the content */
    struct announcement_list l = {xcalloc((size_t)(content.n + n_staff) + 1, sizeof *l.items), 0};
    for (int urgent = 1; urgent >= 0; urgent--) {
        for (int i = 0; i < n_staff; i++)
            if ((staff[i].urgent != 0) == urgent)
                from_staff(&staff[i], &l.items[l.n++]);
        for (int i = 0; i < content.n; i++)
            if (content.items[i].urgent == (urgent != 0)) {
                l.items[l.n++] = content.items[i]; /* its strings move over */
            }
    }
    free(content.items); /* emptied: every item moved */
    free(staff);
    *ret = l;
    return 0;
}

unsigned hallnote_gen(app *a)
{
    char now[STAFF_NOTICE_TIME_LEN];
    hallnote_now(a, now);
    bool back = a->hallnote_seen[0] && strcmp(now, a->hallnote_seen) < 0;
    if (back) {
        /* the clock was set back: that changes nothing when staff have no notice */
        char any[STAFF_NOTICE_TIME_LEN];
        back = state_notice_next_expiry(a->state, "0", any) < 0 || any[0];
    }
    bool expired = a->hallnote_next[0] && strcmp(now, a->hallnote_next) >= 0;
    if (!a->hallnote_seen[0] || back || expired) {
        if (back || expired)
            a->hallnote_gen++;
        if (state_notice_next_expiry(a->state, now, a->hallnote_next) < 0)
            a->hallnote_next[0] = '\0';
    }
    snprintf(a->hallnote_seen, sizeof a->hallnote_seen, "%s", now);
    return a->hallnote_gen;
}

void hallnote_changed(app *a)
{
    a->hallnote_gen++;
    a->hallnote_seen[0] = '\0'; /* the next expiry is asked again */
}
