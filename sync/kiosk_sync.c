/* kiosk_sync.c - kiosk-sync: pulls signed content, installs it atomically, uploads the
 * sealed outbox and a heartbeat, and caches request status (docs/architecture.md, flow 3).
 *
 *   kiosk-sync [--config FILE] run            one cycle (the nightly timer runs this)
 *   kiosk-sync [--config FILE] install FILE   verify and install a local bundle (USB)
 *   kiosk-sync [--config FILE] status         what is installed, the last cycle, the outbox
 *   kiosk-sync [--config FILE] usb-import DIR | usb-export DIR | usb-busy PID [STEP]
 *                                            USB sticks (usb_tool.h)
 *   kiosk-sync [--config FILE] provision [--fingerprint HEX] [--force] FILE
 *                                            first boot: the config from a signed
 *                                            provisioning file (provision.h)
 *
 * Every line goes to stderr as "kiosk-sync: what happened" (the journal keeps it);
 * status prints to stdout. Exit codes: agent.h (0 ok, 2 usage or config, 3 refused,
 * 4 network, 5 local, 6 busy, 1 other). */
#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "base/fileio.h"
#include "core/config.h"
#include "provision.h"
#include "usb_tool.h"

#ifndef KIOSK_VERSION
#define KIOSK_VERSION "0.0.0"
#endif

#define DEFAULT_CONFIG "/etc/hallkiosk/kiosk.ini"

static const char usage_text[] =
    "usage: kiosk-sync [--config FILE] COMMAND\n"
    "Commands:\n"
    "  run             one sync cycle: content, outbox, heartbeat, status feed\n"
    "  install FILE    verify and install a local .kbundle (exit 0 only when installed)\n"
    "  status          installed content, the last cycle, outbox counts\n"
    "  usb-import DIR  install the newest valid .kbundle on the stick mounted at DIR\n"
    "                  (exit 0 only when installed, 3 when nothing valid was found)\n"
    "  usb-export DIR  write the sealed outbox to DIR/hallkiosk-export/<kiosk_id>/\n"
    "  usb-busy PID [STEP]  mark work_dir/usb-busy for process PID (kiosk-usb.sh)\n"
    "  provision [--fingerprint HEX] [--force] FILE\n"
    "                  write the config (--config, default " DEFAULT_CONFIG ") from a signed\n"
    "                  provisioning file; HEX is what kiosk-office printed when it made FILE\n"
    "                  (not needed when FILE is signed by a key the config trusts already);\n"
    "                  --force replaces a config made for another kiosk_id\n"
    "Options:\n"
    "  -c, --config FILE   the kiosk's INI file (README.md, section [sync] for this program)\n"
    "      --version       print the version\n"
    "Exit codes: 0 ok, 1 failure, 2 usage or config, 3 refused, 4 network, 5 local (disk,\n"
    "database), 6 another kiosk-sync is running.\n";

static void log_line(void *ctx, const char *line)
{
    (void)ctx;
    fprintf(stderr, "kiosk-sync: %s\n", line);
}

static int cmd_run(const struct kiosk_config *cfg)
{
    struct agent_report rep;
    int code = agent_run(cfg, KIOSK_VERSION, log_line, NULL, &rep);
    if (code == AGENT_EXIT_USAGE && rep.requests == 0 && rep.n_errors > 0 && !rep.heartbeat_sent)
        return code;
    fprintf(stderr,
            "kiosk-sync: run: %s in %.3f s: content %" PRIu64 "%s, %d uploaded%s, heartbeat %s; "
            "%ld requests, %" PRIu64 " bytes down, %" PRIu64 " bytes up\n",
            code == 0 ? "done" : "finished with problems", rep.seconds, rep.content_after,
            rep.installed ? " (new)" : "", rep.uploaded,
            rep.upload_failed ? " (some failed)" : "", rep.heartbeat_sent ? "sent" : "not sent",
            rep.requests, rep.bytes_down, rep.bytes_up);
    return code;
}

static int cmd_install(const struct kiosk_config *cfg, const char *path)
{
    struct bundle_error err = {0};
    uint64_t prev = 0, now = 0;
    int r = agent_install(cfg, KIOSK_VERSION, path, &prev, &now, &err);
    if (r < 0) {
        fprintf(stderr, "kiosk-sync: install: %s: %s: %s [%s]\n", path, err.field, err.cause,
                bundle_reason_name(err.reason));
        return agent_exit_for(r, err.reason);
    }
    fprintf(stderr, "kiosk-sync: install: %s: installed content version %" PRIu64 " (was %" PRIu64 ")\n",
            path, now, prev);
    return 0;
}

static int cmd_status(const struct kiosk_config *cfg)
{
    struct agent_status s;
    agent_status(cfg, &s);
    printf("content: version %" PRIu64 " (%s)\n", s.content_version, cfg->content_db);
    printf("newest installed: %" PRIu64 "\n", s.newest_installed);
    if (s.prev_version)
        printf("previous: version %" PRIu64 " (%s.prev)\n", s.prev_version, cfg->content_db);
    if (s.last_exit < 0)
        printf("last sync: never\n");
    else
        printf("last sync: %s %s (exit %d)\n", s.last_run_at, s.last_result, s.last_exit);
    for (int i = 0; i < s.n_last_errors; i++)
        printf("last error: %s\n", s.last_errors[i]);
    if (s.outbox_ok)
        printf("outbox: %d pending, %d uploaded, %d exported\n", s.pending, s.uploaded, s.exported);
    else
        printf("outbox: unavailable\n");
    return 0;
}

/* provision [--fingerprint HEX] [--force] FILE: ARGV from the command word on. The
 * config need not exist yet, nor load: its trusted keys are only used when no
 * fingerprint is given. */
static int cmd_provision(const char *config, int argc, char **argv)
{
    const char *fingerprint = NULL, *file = NULL;
    int force = 0, code = AGENT_EXIT_REFUSED, r;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--fingerprint") == 0 && i + 1 < argc)
            fingerprint = argv[++i];
        else if (strcmp(argv[i], "--force") == 0)
            force = 1;
        else if (argv[i][0] == '-' || file) {
            fprintf(stderr, "kiosk-sync: provision: %s: unknown option or extra argument\n%s", argv[i], usage_text);
            return AGENT_EXIT_USAGE;
        } else
            file = argv[i];
    }
    if (!file) {
        fprintf(stderr, "kiosk-sync: provision: FILE: missing\n%s", usage_text);
        return AGENT_EXIT_USAGE;
    }
    if (!config)
        config = DEFAULT_CONFIG;
    struct bundle_error err = {0};
    struct bundle_keyring ring = {.n = 0};
    struct provision pv;
    char *buf = NULL;
    size_t len = 0;
    if (!fingerprint) {
        /* a provisioned kiosk takes a new file signed by a key it trusts */
        struct kiosk_config cfg;
        char msg[600];
        config_defaults(&cfg);
        if (config_load(&cfg, config, msg, sizeof msg) == 0 && cfg.sign_public_keys[0] &&
            bundle_keyring_load(&ring, cfg.sign_public_keys, &err) < 0)
            ring.n = 0;
        config_free(&cfg);
    }
    r = fio_read_capped(file, PROVISION_FILE_MAX, 0, &buf, &len);
    if (r < 0) {
        if (r == -EFBIG)
            fprintf(stderr, "kiosk-sync: provision: %s: file: over the cap of %d bytes [too-large]\n", file,
                    PROVISION_FILE_MAX);
        else
            fprintf(stderr, "kiosk-sync: provision: %s: file: %s [io]\n", file, strerror(-r));
        return r == -EFBIG ? AGENT_EXIT_REFUSED : AGENT_EXIT_USAGE;
    }
    r = provision_parse(buf, len, fingerprint, &ring, &pv, &err);
    free(buf);
    if (r == 0)
        r = provision_apply(&pv, config, force, &err);
    if (r < 0) {
        fprintf(stderr, "kiosk-sync: provision: %s: %s: %s [%s]\n",
                strcmp(err.field, "config") && strcmp(err.field, "key") && err.reason != BUNDLE_OTHER_KIOSK ? file : config,
                err.field, err.cause, bundle_reason_name(err.reason));
        return err.reason == BUNDLE_IO || err.reason == BUNDLE_NO_SPACE ? AGENT_EXIT_LOCAL : code;
    }
    fprintf(stderr, "kiosk-sync: provision: %s: kiosk %s, scope %s, central_url %s, signed by %s\n", config,
            pv.kiosk_id, pv.scope, pv.central_url[0] ? pv.central_url : "(none)", pv.signer_fingerprint);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"config", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {0},
    };
    struct kiosk_config cfg;
    const char *config = NULL;
    char err[600];
    int c, code;

    while ((c = getopt_long(argc, argv, "+c:h", options, NULL)) != -1) {
        switch (c) {
        case 'c':
            config = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        case 'V':
            printf("kiosk-sync %s\n", KIOSK_VERSION);
            return 0;
        default:
            fputs(usage_text, stderr);
            return AGENT_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "kiosk-sync: missing COMMAND\n%s", usage_text);
        return AGENT_EXIT_USAGE;
    }
    const char *cmd = argv[optind];
    int nargs = argc - optind - 1;
    if (!strcmp(cmd, "provision")) {
        if (sodium_init() < 0) {
            fprintf(stderr, "kiosk-sync: cannot initialise libsodium\n");
            return AGENT_EXIT_FAILED;
        }
        return cmd_provision(config, argc - optind, argv + optind);
    }
    if ((!strcmp(cmd, "run") || !strcmp(cmd, "status")) ? nargs != 0
        : (!strcmp(cmd, "install") || !strcmp(cmd, "usb-import") || !strcmp(cmd, "usb-export")) ? nargs != 1
        : !strcmp(cmd, "usb-busy") ? nargs < 1 || nargs > 2 : 1) {
        fprintf(stderr, "kiosk-sync: %s: unknown command or wrong arguments\n%s", cmd, usage_text);
        return AGENT_EXIT_USAGE;
    }
    config_defaults(&cfg);
    if (config && config_load(&cfg, config, err, sizeof err) < 0) {
        fprintf(stderr, "kiosk-sync: config: %s\n", err);
        config_free(&cfg);
        return AGENT_EXIT_USAGE;
    }
    if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "kiosk-sync: cannot initialise libsodium or libcurl\n");
        config_free(&cfg);
        return AGENT_EXIT_FAILED;
    }
    if (!strcmp(cmd, "run"))
        code = cmd_run(&cfg);
    else if (!strcmp(cmd, "install"))
        code = cmd_install(&cfg, argv[optind + 1]);
    else if (!strcmp(cmd, "usb-import"))
        code = usb_tool_import(&cfg, KIOSK_VERSION, argv[optind + 1]);
    else if (!strcmp(cmd, "usb-export"))
        code = usb_tool_export(&cfg, argv[optind + 1]);
    else if (!strcmp(cmd, "usb-busy"))
        code = usb_tool_busy(&cfg, argv[optind + 1], nargs > 1 ? argv[optind + 2] : NULL);
    else
        code = cmd_status(&cfg);
    curl_global_cleanup();
    config_free(&cfg);
    return code;
}
