/* kiosk_print.c - kiosk-print: sends one ESC/POS job to the receipt printer and says
 * how it went. The kiosk runs it as a background job (base/job.h) so the screen never
 * waits for the printer; staff can run it by hand (docs/printer.md).
 *
 *   kiosk-print [--baud N] [--timeout-ms N] DEVICE JOB   print the bytes of file JOB
 *   kiosk-print [--baud N] [--timeout-ms N] DEVICE       only ask the printer's status
 *
 * Prints one line "OUTCOME STATE" (printer_outcome_name, escpos_state_name), e.g.
 * "printed ready", "not-ready paper-end", "absent no-answer"; with no JOB, "status
 * STATE". Exit 0 when printed (or, with no JOB, when the printer can print), 1 when not,
 * 2 for bad arguments (one line FILE: FIELD: cause). */
#include "base/fileio.h"
#include "core/escpos.h"
#include "core/printer.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int usage(void)
{
    fprintf(stderr, "usage: kiosk-print [--baud N] [--timeout-ms N] DEVICE [JOB]\n");
    return 2;
}

static int number(const char *opt, const char *s, uint64_t lo, uint64_t hi, int *ret)
{
    uint64_t v;
    if (!s || fio_parse_u64(s, &v) != 0 || v < lo || v > hi) {
        fprintf(stderr, "kiosk-print: %s: must be a whole number from %llu to %llu\n", opt,
                (unsigned long long)lo, (unsigned long long)hi);
        return -1;
    }
    *ret = (int)v;
    return 0;
}

int main(int argc, char **argv)
{
    int baud = 115200, timeout_ms = 2000, i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        if (strcmp(argv[i], "--baud") == 0) {
            if (number("--baud", argv[i + 1], 1200, 921600, &baud) != 0)
                return 2;
            if (!printer_speed_ok(baud)) {
                fprintf(stderr, "kiosk-print: --baud: %d is not a standard speed\n", baud);
                return 2;
            }
        } else if (strcmp(argv[i], "--timeout-ms") == 0) {
            if (number("--timeout-ms", argv[i + 1], 10, 60000, &timeout_ms) != 0)
                return 2;
        } else {
            return usage();
        }
    }
    if (argc - i < 1 || argc - i > 2)
        return usage();
    const char *dev = argv[i], *jobfile = argc - i == 2 ? argv[i + 1] : NULL;

    if (!jobfile) {
        int fd = printer_open(dev, baud);
        enum escpos_state s = fd < 0 ? ESCPOS_NO_ANSWER : printer_status(fd, timeout_ms);
        if (fd >= 0)
            close(fd);
        printf("%s %s\n", fd < 0 ? "absent" : "status", escpos_state_name(s));
        return s == ESCPOS_READY || s == ESCPOS_NEAR_END ? 0 : 1;
    }

    char *job = NULL;
    size_t len = 0;
    int r = fio_read_capped(jobfile, ESCPOS_JOB_MAX, 0, &job, &len);
    if (r != 0) {
        fprintf(stderr, "%s: JOB: %s\n", jobfile,
                r == -EFBIG ? "larger than the largest slip" : strerror(-r));
        return 2;
    }
    struct printer_result res;
    printer_print(dev, baud, (const uint8_t *)job, len, timeout_ms, &res);
    free(job);
    printf("%s %s\n", printer_outcome_name(res.outcome), escpos_state_name(res.state));
    return res.outcome == PRINTER_PRINTED || res.outcome == PRINTER_PRINTED_NEAR_END ? 0 : 1;
}
