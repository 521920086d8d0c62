/* hallnote.h - the notices a visitor sees: the content's announcements in force today
 * and the notices hall staff posted on this kiosk (state.db), in one list for the
 * ticker, the notice board and the urgent banner. A staff notice reads the same in
 * both languages (it is typed once), and says it is from the hall where a content
 * notice names its agency. */
#ifndef KIOSK_HALLNOTE_H
#define KIOSK_HALLNOTE_H

#include "app.h"

/* The ids of staff notices in the list: "hall-<state id>". */
#define HALLNOTE_PREFIX "hall-"

/* The kiosk's local time now, "YYYY-MM-DDTHH:MM" (state.h's notice times). */
void hallnote_now(app *a, char buf[STAFF_NOTICE_TIME_LEN]);

/* The notices current now, urgent first (staff ones before the content's), then the
 * staff's, then the content's, newest first: *ret is owned by the caller
 * (announcement_list_free). Returns 0 or a negative errno (the content or state.db
 * could not be read; nothing to free then). */
int hallnote_list(app *a, struct announcement_list *ret);

/* A number that changes whenever hallnote_list's answer may have changed within a day:
 * a staff notice posted, removed or expired (or the clock set back). Cheap enough to
 * call every frame: it asks state.db only when a notice expires. */
unsigned hallnote_gen(app *a);
/* Staff posted or removed a notice. */
void hallnote_changed(app *a);

#endif
