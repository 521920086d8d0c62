/* test_config.c - the INI config: defaults, every key, and clear errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"

static char path[] = "/tmp/kiosk-config-XXXXXX";

static void write_cfg(const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    return 0;
}

static void test_config_defaults_are_a_portrait_32_inch_panel(void **state)
{
    (void)state;
    struct kiosk_config c;
    config_defaults(&c);
    assert_int_equal(c.idle_seconds, 90);
    assert_true(c.panel_width_mm > 390 && c.panel_width_mm < 400);
    assert_true(c.panel_height_mm > 700 && c.panel_height_mm < 710);
    assert_int_equal(c.width, 1080);
    assert_int_equal(c.height, 1920);
    config_free(&c);
}

static void test_config_reads_every_documented_key(void **state)
{
    (void)state;
    write_cfg("# a comment\n"
              "[kiosk]\n"
              "kiosk_id = HZ0012\n"
              "scope = hangzhou-citizen-centre\n"
              "content_db = /var/lib/kiosk/content.db\n"
              "state_db = \"/var/lib/kiosk/state.db\"\n"
              "central_url = https://office.example.gov.cn/kiosk\n"
              "sign_public_keys = /etc/kiosk/sign1.pub,/etc/kiosk/sign2.pub\n"
              "seal_public_key = /etc/kiosk/seal.pub\n"
              "idle_seconds = 120\n"
              "call_staff_command = /usr/local/bin/ring\n"
              "[display]\n"
              "panel_width_mm = 476.6\n"
              "panel_height_mm = 268.1\n"
              "width = 1920\n"
              "height = 1080\n");
    struct kiosk_config c;
    char err[256] = "";
    config_defaults(&c);
    assert_int_equal(config_load(&c, path, err, sizeof err), 0);
    assert_string_equal(c.kiosk_id, "HZ0012");
    assert_string_equal(c.scope, "hangzhou-citizen-centre");
    assert_string_equal(c.state_db, "/var/lib/kiosk/state.db");
    assert_string_equal(c.sign_public_keys, "/etc/kiosk/sign1.pub,/etc/kiosk/sign2.pub");
    assert_int_equal(c.idle_seconds, 120);
    assert_int_equal(c.width, 1920);
    assert_true(c.panel_width_mm > 476.5 && c.panel_width_mm < 476.7);
    config_free(&c);
}

static void expect_error(const char *text, const char *want)
{
    write_cfg(text);
    struct kiosk_config c;
    char err[256] = "";
    config_defaults(&c);
    assert_true(config_load(&c, path, err, sizeof err) < 0);
    if (!strstr(err, want))
        fail_msg("error \"%s\" lacks \"%s\"", err, want);
    assert_non_null(strstr(err, path));
    config_free(&c);
}

static void test_config_rejects_an_unknown_key_naming_its_line(void **state)
{
    (void)state;
    expect_error("[kiosk]\nkiosk_id = A\nidle_secnds = 60\n", ":3: idle_secnds: unknown key in [kiosk]");
}

static void test_config_rejects_an_idle_time_out_of_range(void **state)
{
    (void)state;
    expect_error("[kiosk]\nidle_seconds = 5\n", ":2: idle_seconds: must be a whole number from 30 to 3600, got \"5\"");
    expect_error("[kiosk]\nidle_seconds = 90s\n", "idle_seconds: must be a whole number");
}

static void test_config_takes_quarter_turns_of_the_panel_only(void **state)
{
    (void)state;
    expect_error("[display]\nrotation = 45\n", ":2: rotation: must be 0, 90, 180 or 270, got \"45\"");
    expect_error("[display]\nrotation = 360\n", ":2: rotation: must be 0, 90, 180 or 270, got \"360\"");
    expect_error("[display]\n\nrotation = -90\n", ":3: rotation: must be 0, 90, 180 or 270");
    expect_error("[display]\nrotation = 90deg\n", ":2: rotation: must be 0, 90, 180 or 270");
    struct kiosk_config c;
    char err[256];
    config_defaults(&c);
    assert_int_equal(c.rotation, 0);
    assert_int_equal(config_set(&c, "display", "rotation", "270", err, sizeof err), 0);
    assert_int_equal(c.rotation, 270);
    config_free(&c);
}

/* [devices]: the ID card reader's port and a rate termios has (core/idreader.h) */
static void test_config_takes_the_id_reader_and_true_baud_rates_only(void **state)
{
    (void)state;
    expect_error("[devices]\nid_reader_baud = 115201\n", ":2: id_reader_baud: must be 9600, 19200, 38400, 57600, 115200");
    expect_error("[devices]\nid_reader_baud = 115200.5\n", ":2: id_reader_baud: must be 9600");
    expect_error("[devices]\nid_reader_baud = fast\n", ":2: id_reader_baud: must be 9600");
    expect_error("[devices]\nid_readr = /dev/ttyUSB0\n", ":2: id_readr: unknown key in [devices]");
    struct kiosk_config c;
    char err[256];
    config_defaults(&c);
    assert_string_equal(c.id_reader, "");
    assert_int_equal(c.id_reader_baud, 115200);
    assert_int_equal(config_set(&c, "devices", "id_reader_baud", "9600", err, sizeof err), 0);
    assert_int_equal(c.id_reader_baud, 9600);
    assert_int_equal(config_set(&c, "devices", "id_reader", "/dev/hallkiosk-idreader", err, sizeof err), 0);
    assert_string_equal(c.id_reader, "/dev/hallkiosk-idreader");
    config_free(&c);
}

static void test_config_reads_the_printer_of_devices(void **state)
{
    (void)state;
    struct kiosk_config c;
    char err[256];
    config_defaults(&c);
    assert_string_equal(c.printer, "");    /* no printer unless one is configured */
    assert_int_equal(c.paper_mm, 80);
    config_free(&c);
    write_cfg("[devices]\nprinter = /dev/ttyS1\nprinter_baud = 9600\npaper_mm = 58\n");
    config_defaults(&c);
    assert_int_equal(config_load(&c, path, err, sizeof err), 0);
    assert_string_equal(c.printer, "/dev/ttyS1");
    assert_int_equal(c.printer_baud, 9600);
    assert_int_equal(c.paper_mm, 58);
    config_free(&c);
    expect_error("[devices]\npaper_mm = 60\n", ":2: paper_mm: must be 58 or 80, got \"60\"");
    expect_error("[devices]\nprinter_baud = 50\n", ":2: printer_baud: must be a standard speed");
    expect_error("[devices]\nprinter_baud = 10000\n", ":2: printer_baud: must be a standard speed");
}

static void test_config_rejects_an_unknown_section_and_a_line_without_equals(void **state)
{
    (void)state;
    expect_error("[kiosks]\n", ":1: [kiosks]: unknown section");
    expect_error("[kiosk]\nkiosk_id\n", ":2: expected key = value");
}

static void test_config_rejects_a_kiosk_id_that_cannot_start_a_receipt_number(void **state)
{
    (void)state;
    expect_error("[kiosk]\nkiosk_id = hz-01\n", ":2: kiosk_id: must be 1-8 of 0-9 and A-Z without I L O U V, got \"hz-01\"");
    expect_error("[kiosk]\nkiosk_id = LZ0001\n", "kiosk_id: must be");
    expect_error("[kiosk]\nkiosk_id = K00000001\n", "kiosk_id: must be");
}

/* Issue 16, 4: the central office is reached over https; plain http only on this
 * machine's loopback (the tests' nginx on 127.0.0.1). */
static void test_config_central_url_is_https_or_loopback(void **state)
{
    (void)state;
    const char *good[] = {"", "https://office.example.gov.cn/kiosk", "HTTPS://office.example.gov.cn",
                          "http://127.0.0.1:8080/x", "http://127.3.4.5", "http://localhost:99/", "http://[::1]:80/k"};
    const char *bad[] = {"http://office.example.gov.cn/kiosk", "http://127.0.0.1@evil.example/",
                         "http://127.0.0.1.evil.example/", "http://localhost.evil.example", "ftp://127.0.0.1/",
                         "file:///etc/passwd", "office.example.gov.cn", "https://", "http://[::2]/"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        struct kiosk_config c;
        char err[256] = "";
        config_defaults(&c);
        if (config_set(&c, "kiosk", "central_url", good[i], err, sizeof err) != 0)
            fail_msg("\"%s\" refused: %s", good[i], err);
        config_free(&c);
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct kiosk_config c;
        char err[256] = "";
        config_defaults(&c);
        if (config_set(&c, "kiosk", "central_url", bad[i], err, sizeof err) == 0)
            fail_msg("\"%s\" accepted", bad[i]);
        assert_non_null(strstr(err, "central_url: "));
        config_free(&c);
    }
    expect_error("[kiosk]\ncentral_url = http://office.example.gov.cn\n", ":2: central_url: must be https://");
}

/* Issue 16, 9: NaN passes both range comparisons, so it must be refused as such; and
 * infinities, and numbers too large for a double. */
static void test_config_rejects_nan_and_infinity(void **state)
{
    (void)state;
    const char *bad[] = {"nan", "NaN", "-nan", "nan(0x1)", "inf", "-inf", "infinity", "1e999"};
    const char *keys[] = {"panel_width_mm", "panel_height_mm", "width"};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
        for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
            char text[128], want[64];
            snprintf(text, sizeof text, "[display]\n%s = %s\n", keys[k], bad[i]);
            snprintf(want, sizeof want, ":2: %s: must be", keys[k]);
            expect_error(text, want);
        }
    expect_error("[kiosk]\nidle_seconds = nan\n", ":2: idle_seconds: must be");
}

/* Issue 16, 11: a relative path in the config is relative to the config file's folder,
 * whatever the current directory; an absolute one, and every other key, as written. */
static void test_config_paths_are_relative_to_its_folder(void **state)
{
    (void)state;
    write_cfg("[kiosk]\n"
              "content_db = c/content.db\n"
              "state_db = state.db\n"
              "sign_public_keys = k/one.pub, /etc/two.pub\n"
              "seal_public_key = ../seal.pub\n"
              "font_dir = fonts\n"
              "status_url = https://x.example/s/\n"
              "[sync]\n"
              "work_dir = /var/lib/x/sync\n"
              "usb_messages = words.tsv\n");
    struct kiosk_config c;
    char err[256] = "", want[512];
    config_defaults(&c);
    assert_int_equal(config_load(&c, path, err, sizeof err), 0);
    char dir[sizeof path];
    snprintf(dir, sizeof dir, "%s", path);
    *strrchr(dir, '/') = '\0';
    snprintf(want, sizeof want, "%s/c/content.db", dir);
    assert_string_equal(c.content_db, want);
    snprintf(want, sizeof want, "%s/state.db", dir);
    assert_string_equal(c.state_db, want);
    snprintf(want, sizeof want, "%s/k/one.pub,/etc/two.pub", dir);
    assert_string_equal(c.sign_public_keys, want);
    snprintf(want, sizeof want, "%s/../seal.pub", dir);
    assert_string_equal(c.seal_public_key, want);
    snprintf(want, sizeof want, "%s/fonts", dir);
    assert_string_equal(c.font_dir, want);
    snprintf(want, sizeof want, "%s/words.tsv", dir);
    assert_string_equal(c.usb_messages, want);
    assert_string_equal(c.work_dir, "/var/lib/x/sync");
    assert_string_equal(c.status_url, "https://x.example/s/");
    config_free(&c);
}

static void test_config_names_a_missing_file(void **state)
{
    (void)state;
    struct kiosk_config c;
    char err[256] = "";
    config_defaults(&c);
    assert_true(config_load(&c, "/nonexistent/kiosk.ini", err, sizeof err) < 0);
    assert_non_null(strstr(err, "/nonexistent/kiosk.ini: cannot open"));
    config_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_defaults_are_a_portrait_32_inch_panel),
        cmocka_unit_test(test_config_reads_every_documented_key),
        cmocka_unit_test(test_config_rejects_an_unknown_key_naming_its_line),
        cmocka_unit_test(test_config_rejects_an_idle_time_out_of_range),
        cmocka_unit_test(test_config_takes_quarter_turns_of_the_panel_only),
        cmocka_unit_test(test_config_takes_the_id_reader_and_true_baud_rates_only),
        cmocka_unit_test(test_config_rejects_an_unknown_section_and_a_line_without_equals),
        cmocka_unit_test(test_config_rejects_a_kiosk_id_that_cannot_start_a_receipt_number),
        cmocka_unit_test(test_config_central_url_is_https_or_loopback),
        cmocka_unit_test(test_config_rejects_nan_and_infinity),
        cmocka_unit_test(test_config_paths_are_relative_to_its_folder),
        cmocka_unit_test(test_config_names_a_missing_file),
        cmocka_unit_test(test_config_reads_the_printer_of_devices),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
