/* fuzz_config.c - the config INI reader (firmware/core/config.h) on arbitrary files.
 * The input is the file, read through config_load from a memfd, over the defaults.
 * Invariants: a file that loads leaves every number within the range README.md gives
 * (so NaN or a value out of range never passes), kiosk_id fit for a receipt number and
 * every string at most 1 KiB; a refusal is one line that starts with the path. */
#include "fuzz.h"

#include "core/config.h"
#include "core/receipt.h"

#include <math.h>
#include <sys/mman.h>
#include <unistd.h>

static int fd = -1;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fd = memfd_create("fuzz-config", MFD_CLOEXEC);
    FUZZ_CHECK(fd >= 0);
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    return 0;
}

static void check_range(double v, double lo, double hi)
{
    FUZZ_CHECK(!isnan(v) && v >= lo && v <= hi);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct kiosk_config cfg;
    char err[512] = "";
    FUZZ_CHECK(ftruncate(fd, 0) == 0);
    FUZZ_CHECK(pwrite(fd, data, size, 0) == (ssize_t)size);
    config_defaults(&cfg);
    int r = config_load(&cfg, path, err, sizeof err);
    if (r == 0) {
        FUZZ_CHECK(receipt_kiosk_valid(cfg.kiosk_id));
        check_range(cfg.idle_seconds, 30, 3600);
        check_range(cfg.panel_width_mm, 50, 3000);
        check_range(cfg.panel_height_mm, 50, 3000);
        check_range(cfg.width, 240, 8192);
        check_range(cfg.height, 240, 8192);
        check_range(cfg.connect_timeout, 1, 300);
        check_range(cfg.low_speed_limit, 1, 100000000);
        check_range(cfg.low_speed_time, 1, 3600);
        check_range(cfg.transfer_timeout, 5, 86400);
        check_range(cfg.retries, 0, 10);
        check_range(cfg.retry_base_ms, 10, 60000);
        check_range(cfg.retry_max_seconds, 1, 3600);
        check_range(cfg.max_payload_mb, 1, 4096);
        check_range(cfg.max_feed_kb, 1, 1048576);
        check_range(cfg.retention_days, 0, 3650);
        check_range(cfg.clock_tolerance_hours, 0, 8760);
        const char *strs[] = {cfg.kiosk_id, cfg.scope, cfg.content_db, cfg.state_db, cfg.central_url,
                              cfg.sign_public_keys, cfg.seal_public_key, cfg.font_dir,
                              cfg.call_staff_command, cfg.status_url, cfg.initial_pin_hash,
                              cfg.usb_dir, cfg.work_dir, cfg.usb_messages};
        for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
            FUZZ_CHECK(strs[i] && strlen(strs[i]) <= 1024);
    } else {
        FUZZ_CHECK(r < 0);
        FUZZ_CHECK(strncmp(err, path, strlen(path)) == 0);
        FUZZ_CHECK(!strchr(err, '\n'));
    }
    config_free(&cfg);
    return 0;
}
