/* fleet_cli.c - a stand-in for `kiosk-office --office DIR [--now T] fleet ...` until
 * kiosk-office exists, so tests/sync/office_fleet.sh runs office_fleet_main (the very
 * function kiosk-office dispatches to) on a web root a real kiosk-sync PUT into:
 *
 *   sync_fleet_cli WEB_ROOT [--manifest FILE] [--now YYYY-MM-DDTHH:MM:SSZ] [--json] [--prometheus FILE]
 *
 * Exit status: office_fleet_main's (0 well, 1 attention, 2 usage or I/O error). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bundle.h"
#include "office_fleet.h"

int main(int argc, char **argv)
{
    const char *manifest = NULL;
    time_t now = time(NULL);
    int i = 2;
    if (argc < 2) {
        fprintf(stderr, "usage: sync_fleet_cli WEB_ROOT [--manifest FILE] [--now T] [fleet args...]\n");
        return 2;
    }
    for (; i + 1 < argc; i += 2) {
        int64_t t;
        if (!strcmp(argv[i], "--manifest"))
            manifest = argv[i + 1];
        else if (!strcmp(argv[i], "--now") && bundle_time_parse(argv[i + 1], &t) == 0)
            now = (time_t)t;
        else if (!strcmp(argv[i], "--now")) {
            fprintf(stderr, "sync_fleet_cli: --now: %s: not YYYY-MM-DDTHH:MM:SSZ\n", argv[i + 1]);
            return 2;
        } else
            break;
    }
    return office_fleet_main(argv[1], manifest, now, argc - i, argv + i);
}
