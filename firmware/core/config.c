/* config.c - a table-driven INI reader; see config.h. Lines are at most 4 KiB and the
 * file at most 64 KiB: a config file is small, and anything larger is a mistake. */
#include "config.h"
#include "idreader.h"
#include "printer.h"
#include "receipt.h"
#include "base/util.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

enum kind { K_STR, K_INT, K_MM };

struct key {
    const char *section, *name;
    enum kind kind;
    size_t off;
    double lo, hi;
};

#define S(sec, n) {sec, #n, K_STR, offsetof(struct kiosk_config, n), 0, 0}
#define I(sec, n, lo, hi) {sec, #n, K_INT, offsetof(struct kiosk_config, n), lo, hi}
#define M(sec, n, lo, hi) {sec, #n, K_MM, offsetof(struct kiosk_config, n), lo, hi}

static const struct key keys[] = {
    S("kiosk", kiosk_id),
    S("kiosk", scope),
    S("kiosk", content_db),
    S("kiosk", state_db),
    S("kiosk", central_url),
    S("kiosk", sign_public_keys),
    S("kiosk", seal_public_key),
    I("kiosk", idle_seconds, 30, 3600),
    S("kiosk", font_dir),
    S("kiosk", call_staff_command),
    S("kiosk", status_url),
    S("staff", initial_pin_hash),
    S("staff", usb_dir),
    M("display", panel_width_mm, 50, 3000),
    M("display", panel_height_mm, 50, 3000),
    I("display", width, 240, 8192),
    I("display", height, 240, 8192),
    I("display", rotation, 0, 270),
    S("sync", work_dir),
    I("sync", connect_timeout, 1, 300),
    I("sync", low_speed_limit, 1, 100000000),
    I("sync", low_speed_time, 1, 3600),
    I("sync", transfer_timeout, 5, 86400),
    I("sync", retries, 0, 10),
    I("sync", retry_base_ms, 10, 60000),
    I("sync", retry_max_seconds, 1, 3600),
    I("sync", max_payload_mb, 1, 4096),
    I("sync", max_feed_kb, 1, 262144),
    I("sync", retention_days, 0, 3650),
    I("sync", clock_tolerance_hours, 0, 8760),
    S("sync", usb_messages),
    S("devices", id_reader),
    I("devices", id_reader_baud, 9600, 921600),
    S("devices", printer),
    I("devices", printer_baud, 1200, 921600),
    I("devices", paper_mm, 58, 80),
    I("devices", printer_check_minutes, 0, 1440),
};

#define CONFIG_MAX_BYTES (64 * 1024)

/* central_url: https://HOST..., or http:// only to this machine's loopback (127.0.0.0/8,
 * localhost, [::1]) - the tests' nginx - so nothing leaves the box in clear text.
 * HOST is what comes before the first '/', ':' or '?' of the authority; an authority
 * with userinfo ('@') is refused, so "http://127.0.0.1@elsewhere/" cannot pass. */
static int url_ok(const char *url)
{
    const char *h;
    if (!*url)
        return 1;
    if (strncasecmp(url, "https://", 8) == 0)
        h = url + 8;
    else if (strncasecmp(url, "http://", 7) == 0)
        h = url + 7;
    else
        return 0;
    size_t auth = strcspn(h, "/?#");
    if (auth == 0 || memchr(h, '@', auth) || strpbrk(url, " \t\r\n\\"))
        return 0;
    if (h == url + 8)
        return 1;
    size_t host = h[0] == '[' ? strcspn(h, "]") + 1 : strcspn(h, ":/?#");
    if (host > auth || (h[host] != '\0' && h[host] != ':' && h[host] != '/' && h[host] != '?' && h[host] != '#'))
        return 0;
    if (host == 9 && strncasecmp(h, "localhost", 9) == 0)
        return 1;
    if (host == 5 && memcmp(h, "[::1]", 5) == 0)
        return 1;
    /* 127.a.b.c, four numbers of 0-255 */
    unsigned a, b, c, d;
    char tail;
    char ip[16];
    if (host >= sizeof ip)
        return 0;
    memcpy(ip, h, host);
    ip[host] = '\0';
    return sscanf(ip, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) == 4 && a == 127 && b < 256 && c < 256 && d < 256;
}

void config_defaults(struct kiosk_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->kiosk_id = xstrdup("K0001");
    cfg->scope = xstrdup("demo");
    cfg->content_db = xstrdup("content.db");
    cfg->state_db = xstrdup("state.db");
    cfg->central_url = xstrdup("");
    cfg->sign_public_keys = xstrdup("");
    cfg->seal_public_key = xstrdup("");
    cfg->idle_seconds = 90;
    cfg->font_dir = xstrdup("fonts");
    cfg->call_staff_command = xstrdup("");
    cfg->status_url = xstrdup("https://zwfw.example.gov.cn/kiosk/status/");
    cfg->initial_pin_hash = xstrdup("");
    cfg->usb_dir = xstrdup("/media/hallkiosk-usb");
    /* a 32-inch 16:9 panel standing portrait */
    cfg->panel_width_mm = 398.5;
    cfg->panel_height_mm = 708.5;
    cfg->width = 1080;
    cfg->height = 1920;
    cfg->work_dir = xstrdup("sync");
    cfg->connect_timeout = 15;
    cfg->low_speed_limit = 1000;
    cfg->low_speed_time = 30;
    cfg->transfer_timeout = 3600;
    cfg->retries = 4;
    cfg->retry_base_ms = 1000;
    cfg->retry_max_seconds = 300;
    cfg->max_payload_mb = 512;
    cfg->max_feed_kb = 16384;
    cfg->retention_days = 30;
    cfg->clock_tolerance_hours = 24;
    cfg->usb_messages = xstrdup("");
    cfg->id_reader = xstrdup("");
    cfg->id_reader_baud = 115200;
    cfg->printer = xstrdup("");
    cfg->printer_baud = 115200;
    cfg->paper_mm = 80;
    cfg->printer_check_minutes = 10;
}

void config_free(struct kiosk_config *cfg)
{
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
        if (keys[i].kind == K_STR)
            freep((char *)cfg + keys[i].off);
}

int config_set(struct kiosk_config *cfg, const char *section, const char *key,
               const char *value, char *err, size_t errlen)
{
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        const struct key *k = &keys[i];
        if (strcmp(k->section, section) != 0 || strcmp(k->name, key) != 0)
            continue;
        void *field = (char *)cfg + k->off;
        if (k->kind == K_STR) {
            if (strlen(value) > 1024) {
                snprintf(err, errlen, "%s: longer than 1024 bytes", key);
                return -EINVAL;
            }
            /* it starts every receipt number, so it must be typable back (receipt.h) */
            if (strcmp(key, "kiosk_id") == 0 && !receipt_kiosk_valid(value)) {
                snprintf(err, errlen, "%s: must be 1-%d of 0-9 and A-Z without I L O U V,"
                         " got \"%.64s\"", key, RECEIPT_KIOSK_MAX, value);
                return -EINVAL;
            }
            if (strcmp(key, "central_url") == 0 && !url_ok(value)) {
                snprintf(err, errlen, "%s: must be https:// (plain http only to 127.0.0.1, localhost"
                         " or [::1]), got \"%.64s\"", key, value);
                return -EINVAL;
            }
            free(*(char **)field);
            *(char **)field = xstrdup(value);
            return 0;
        }
        char *end;
        errno = 0;
        double v = strtod(value, &end);
        bool bad = errno || end == value || *end != '\0';
        /* a receipt roll is 58 or 80 mm wide (core/escpos.h) */
        if (strcmp(key, "paper_mm") == 0 && (bad || (v != 58 && v != 80))) {
            snprintf(err, errlen, "%s: must be 58 or 80, got \"%s\"", key, value);
            return -EINVAL;
        }
        if (strcmp(key, "printer_baud") == 0 && !bad && !printer_speed_ok((int)v)) {
            snprintf(err, errlen, "%s: must be a standard speed (9600, 19200, 38400, 57600,"
                     " 115200, ...), got \"%s\"", key, value);
            return -EINVAL;
        }
        /* a panel is mounted turned by quarter turns (screens/present.h) */
        if (strcmp(key, "rotation") == 0 && (bad || (v != 0 && v != 90 && v != 180 && v != 270))) {
            snprintf(err, errlen, "%s: must be 0, 90, 180 or 270, got \"%s\"", key, value);
            return -EINVAL;
        }
        /* a serial port takes only the rates termios has (core/idreader.h) */
        if (strcmp(key, "id_reader_baud") == 0 && (bad || v != (int)v || idreader_baud_ok((int)v) < 0)) {
            snprintf(err, errlen, "%s: must be 9600, 19200, 38400, 57600, 115200, 230400, 460800"
                     " or 921600, got \"%s\"", key, value);
            return -EINVAL;
        }
        /* !(in range), not (below || above): NaN compares false both ways, and a cast
         * of it to long is undefined */
        if (bad || !(v >= k->lo && v <= k->hi) ||
            (k->kind == K_INT && v != (long)v)) {
            snprintf(err, errlen, "%s: must be %s from %g to %g, got \"%s\"", key,
                     k->kind == K_INT ? "a whole number" : "a number", k->lo, k->hi, value);
            return -EINVAL;
        }
        if (k->kind == K_INT)
            *(int *)field = (int)v;
        else
            *(double *)field = v;
        return 0;
    }
    snprintf(err, errlen, "%s: unknown key in [%s]", key, section);
    return -EINVAL;
}

/* The keys that name files or folders: relative in a config file means relative to the
 * file's folder (README.md); sign_public_keys is a comma-separated list of them. */
static const char *const path_keys[] = {"content_db", "state_db", "sign_public_keys", "seal_public_key",
                                        "font_dir", "work_dir", "usb_dir", "usb_messages"};

static bool is_path_key(const char *key)
{
    for (size_t i = 0; i < ARRAY_SIZE(path_keys); i++)
        if (strcmp(key, path_keys[i]) == 0)
            return true;
    return false;
}

/* VALUE (one path, or a comma-separated list of them) with every relative path put
 * under DIR. You own the result. */
static char *rebase(const char *dir, const char *value)
{
    strbuf sb = {0};
    const char *p = value;
    for (;;) {
        size_t n = strcspn(p, ",");
        while (n && (*p == ' ' || *p == '\t')) {
            p++;
            n--;
        }
        size_t m = n;
        while (m && (p[m - 1] == ' ' || p[m - 1] == '\t'))
            m--;
        if (sb.len)
            strbuf_addc(&sb, ',');
        if (m && p[0] != '/') {
            strbuf_adds(&sb, dir);
            strbuf_addc(&sb, '/');
        }
        strbuf_add(&sb, p, m);
        if (p[n] != ',')
            break;
        p += n + 1;
    }
    if (!sb.len)
        strbuf_adds(&sb, "");
    return strbuf_detach(&sb);
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        *--e = '\0';
    return s;
}

int config_load(struct kiosk_config *cfg, const char *path, char *err, size_t errlen)
{
    struct stat st;
    FILE *f = fopen(path, "r");
    if (!f) {
        int e = errno;
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(e));
        return -e;
    }
    if (fstat(fileno(f), &st) == 0 && st.st_size > CONFIG_MAX_BYTES) {
        fclose(f);
        snprintf(err, errlen, "%s: larger than %d bytes", path, CONFIG_MAX_BYTES);
        return -EFBIG;
    }
    char line[4096], section[64] = "kiosk", msg[512];
    /* the folder relative paths in the file are relative to */
    char *dir = xstrdup(path), *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, strlen(dir) + 1, ".");
    else
        slash[slash == dir ? 1 : 0] = '\0';
    int lineno = 0, r = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(f)) {
            snprintf(err, errlen, "%s:%d: line longer than %zu bytes", path, lineno,
                     sizeof line - 2);
            r = -EINVAL;
            break;
        }
        char *s = trim(line);
        if (*s == '\0' || *s == '#' || *s == ';')
            continue;
        if (*s == '[') {
            char *e = strchr(s, ']');
            if (!e || e[1] != '\0' || e - s - 1 <= 0 || (size_t)(e - s - 1) >= sizeof section) {
                snprintf(err, errlen, "%s:%d: malformed section header", path, lineno);
                r = -EINVAL;
                break;
            }
            *e = '\0';
            snprintf(section, sizeof section, "%s", s + 1);
            if (strcmp(section, "kiosk") != 0 && strcmp(section, "display") != 0 &&
                strcmp(section, "sync") != 0 && strcmp(section, "staff") != 0 &&
                strcmp(section, "devices") != 0) {
                snprintf(err, errlen, "%s:%d: [%s]: unknown section", path, lineno, section);
                r = -EINVAL;
                break;
            }
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, errlen, "%s:%d: expected key = value", path, lineno);
            r = -EINVAL;
            break;
        }
        *eq = '\0';
        char *key = trim(s), *value = trim(eq + 1);
        size_t vl = strlen(value);
        if (vl >= 2 && value[0] == '"' && value[vl - 1] == '"') {
            value[vl - 1] = '\0';
            value++;
        }
        char *rebased = *value && is_path_key(key) ? rebase(dir, value) : NULL;
        int set = config_set(cfg, section, key, rebased ? rebased : value, msg, sizeof msg);
        free(rebased);
        if (set < 0) {
            snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
            r = -EINVAL;
            break;
        }
    }
    fclose(f);
    free(dir);
    return r;
}
