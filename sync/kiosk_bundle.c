/* kiosk_bundle.c - kiosk-bundle, the central office's tool: `build` compiles a content
 * source tree into a content database; keygen, pack, verify and inspect come later.
 *
 * One function per subcommand, found in the table below; each parses its own options
 * and returns the exit status: 0 done, 1 the work failed (one line on stderr,
 * "kiosk-bundle: SUBCOMMAND: what"), 2 a usage error. */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_tool.h"
#include "content_build.h"
#include "submission_tool.h"
#include "core/content_schema.h"

#ifndef KIOSK_VERSION
#define KIOSK_VERSION "unknown"
#endif

enum { EXIT_WORK = 1, EXIT_USAGE = 2 };

static const char build_usage[] =
    "usage: kiosk-bundle build SRC_DIR -o OUT.db [--content-version N]\n"
    "Compile the content source tree SRC_DIR (docs/content-format.md) into the content\n"
    "database OUT.db. The first error stops the build with one line, FILE: FIELD: cause.\n"
    "  -o, --output OUT.db       the database to write (replaced only on success)\n"
    "      --content-version N   meta.content_version (default 0)\n"
    "Honours SOURCE_DATE_EPOCH for meta.built_at.\n";

static int usage_error(const char *cmd, const char *what, const char *arg)
{
    fprintf(stderr, "kiosk-bundle: %s%s%s%s\n", cmd ? cmd : "", cmd ? ": " : "", what,
            arg ? arg : "");
    fprintf(stderr, "Try 'kiosk-bundle %s--help'.\n", cmd ? "build " : "");
    return EXIT_USAGE;
}

static int cmd_build(int argc, char **argv)
{
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'},
        {"content-version", required_argument, NULL, 'V'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    struct cbuild_options opts = {0};
    struct cbuild_stats st;
    const char *out = NULL;
    char err[1024], *end;
    int c, r;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:h", options, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'V':
            errno = 0;
            opts.content_version = strtoull(optarg, &end, 10);
            if (errno || *end || !*optarg || optarg[0] < '0' || optarg[0] > '9')
                return usage_error("build", "--content-version wants a number, got ", optarg);
            break;
        case 'h':
            fputs(build_usage, stdout);
            return 0;
        case ':':
            return usage_error("build", "missing value for ", argv[optind - 1]);
        default:
            return usage_error("build", "unknown option ", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage_error("build", "missing SRC_DIR", NULL);
    if (optind + 1 < argc)
        return usage_error("build", "unexpected argument ", argv[optind + 1]);
    if (!out)
        return usage_error("build", "missing -o OUT.db", NULL);

    r = cbuild_run_opts(argv[optind], out, &opts, &st, err, sizeof err);
    if (r < 0) {
        fprintf(stderr, "kiosk-bundle: build: %s\n", err);
        return EXIT_WORK;
    }
    printf("%s: %u services, %u docs, %u one-thing lists, %u agencies, %u life events, "
           "%u topics, %u announcements, %u calendar years, %u windows, %u images, "
           "%u forms, %u consultations (schema %d)\n", out, st.services, st.docs, st.onethings,
           st.agencies, st.life_events, st.topics, st.announcements, st.calendar_years,
           st.windows, st.images, st.forms, st.consultations, CONTENT_SCHEMA_VERSION);
    return 0;
}

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"build", cmd_build, "compile a content source tree into a content database"},
    {"pack", bundle_tool_pack, "sign a content database into a .kbundle"},
    {"verify", bundle_tool_verify, "check a bundle (or status feed) against trusted keys"},
    {"inspect", bundle_tool_inspect, "print a bundle's manifest and its tables' row counts"},
    {"sign-feed", bundle_tool_sign_feed, "sign request statuses as a status feed"},
    {"keygen", submission_tool_keygen, "write the signing and sealing key pairs"},
    {"open-submission", submission_tool_open, "print sealed submissions as JSON"},
    {"open-export", submission_tool_open_export, "check a USB export folder, print its submissions"},
};

static void usage(FILE *f)
{
    fputs("usage: kiosk-bundle COMMAND [ARGS]\n"
          "       kiosk-bundle COMMAND --help\n"
          "       kiosk-bundle --version\n"
          "Commands:\n", f);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("kiosk-bundle %s (content schema %d)\n", KIOSK_VERSION,
               CONTENT_SCHEMA_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    return usage_error(NULL, "unknown command ", argv[1]);
}
