/* demo_db.h - where the unit tests find the demo content.db the build compiled:
 * $KIOSK_BUILD_DIR/content.db (set by kiosk_unit_test), else build/content.db. You
 * own the string. */
#ifndef KIOSK_TEST_DEMO_DB_H
#define KIOSK_TEST_DEMO_DB_H

#include <stdlib.h>

#include "base/util.h"

static inline char *demo_db_path(void)
{
    const char *dir = getenv("KIOSK_BUILD_DIR");
    return xasprintf("%s/content.db", dir ? dir : "build");
}

#endif
