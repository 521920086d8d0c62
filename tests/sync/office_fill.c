/* office_fill.c - writes N sealed submissions shaped like form_serialise's (form.h) into
 * DIR/<kiosk_id>/<receipt>.sealed, the layout of the office's inbox, so the kiosk-office
 * tests and benchmark have submissions of every kind without driving the UI.
 *
 *   office_fill SEAL_PUB DIR KIOSK_ID DAY N [KIND]
 * DAY is YYYYMMDD (the receipts' date and created_at, 10:00 UTC); KIND is request,
 * feedback, rating, questionnaire, comment or mix (the default: the first four in turn,
 * with applicant kinds, rating levels and feedback kinds in turn). Comments alternate
 * between consultations elderly-meal-aid-2026 and parking-fees-2026, the first first. The submitted name is "测试人<seq>"
 * and the phone "1390000<seq, 4 digits>", so a test can look for them. Prints the
 * receipts, one a line. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/receipt.h"
#include "core/seal.h"

static const char *const applicants[] = {"citizen", "business", "research", "public-interest", "legal-service",
                                         "other"};
static const char *const levels[] = {"very-satisfied", "satisfied", "basically-satisfied", "dissatisfied",
                                     "very-dissatisfied"};
static const char *const fb_kinds[] = {"consultation", "complaint", "suggestion", "praise"};
static const char *const kinds[] = {"request", "feedback", "rating", "questionnaire"};

int main(int argc, char **argv)
{
    struct seal_public key;
    char err[256];
    if (argc < 6 || argc > 7 || strlen(argv[4]) != 8) {
        fprintf(stderr, "usage: office_fill SEAL_PUB DIR KIOSK_ID DAY(YYYYMMDD) N [KIND|mix]\n");
        return 2;
    }
    if (seal_public_load(argv[1], &key, err, sizeof err) < 0) {
        fprintf(stderr, "office_fill: %s\n", err);
        return 1;
    }
    const char *dir = argv[2], *kiosk = argv[3], *day = argv[4], *only = argc == 7 ? argv[6] : "mix";
    int n = atoi(argv[5]);
    char folder[4096], path[4200], created[32];
    snprintf(folder, sizeof folder, "%s/%s", dir, kiosk);
    mkdir(dir, 0755);
    mkdir(folder, 0755);
    snprintf(created, sizeof created, "%.4s-%.2s-%.2sT02:00:00Z", day, day + 4, day + 6);
    for (int i = 0; i < n; i++) {
        char receipt[RECEIPT_SIZE], plain[2048], fields[1024], about[64] = "";
        unsigned char box[2048 + SEAL_OVERHEAD];
        int seq = i + 1;
        if (receipt_format(kiosk, day, seq, receipt) < 0) {
            fprintf(stderr, "office_fill: receipt %d of %s on %s: cannot be made\n", seq, kiosk, day);
            return 1;
        }
        const char *kind = strcmp(only, "mix") == 0 ? kinds[i % 4] : only;
        const char *form = "info-request";
        int follow = 0;
        if (strcmp(kind, "request") == 0)
            snprintf(fields, sizeof fields,
                     "{\"applicant-type\":\"%s\",\"name\":\"测试人%d\",\"phone\":\"1390000%04d\","
                     "\"info-title\":\"2026年预算\",\"delivery\":\"email\"}",
                     applicants[(i / 4) % 6], seq, seq % 10000);
        else if (strcmp(kind, "feedback") == 0) {
            form = "feedback";
            snprintf(fields, sizeof fields,
                     "{\"feedback-kind\":\"%s\",\"content\":\"窗口排队太久\",\"name\":\"测试人%d\","
                     "\"phone\":\"1390000%04d\"}",
                     fb_kinds[(i / 4) % 4], seq, seq % 10000);
        } else if (strcmp(kind, "rating") == 0) {
            form = "service-rating";
            const char *level = levels[(i / 4) % 5];
            follow = strstr(level, "dissatisfied") != NULL;
            snprintf(fields, sizeof fields, "{\"rating\":\"%s\",\"name\":\"测试人%d\",\"phone\":\"1390000%04d\"}",
                     level, seq, seq % 10000);
        } else if (strcmp(kind, "comment") == 0) {
            form = "comment";
            snprintf(about, sizeof about, ",\"consultation\":\"%s\"",
                     i % 2 ? "parking-fees-2026" : "elderly-meal-aid-2026");
            snprintf(fields, sizeof fields, "{\"comment\":\"补贴太少\",\"identity\":\"named\","
                     "\"name\":\"测试人%d\",\"phone\":\"1390000%04d\"}", seq, seq % 10000);
        } else {
            form = "hall-survey-2026";
            snprintf(fields, sizeof fields, "{\"visits\":\"first\"}");
        }
        int len = snprintf(plain, sizeof plain,
                           "{\"format\":1,\"receipt\":\"%s\",\"kind\":\"%s\",\"form\":\"%s\"%s,\"content_version\":1,"
                           "\"created_at\":\"%s\",\"kiosk\":\"%s\",\"lang\":\"zh\",\"fields\":%s,"
                           "\"flags\":{\"staff_help\":false,\"follow_up\":%s}}",
                           receipt, kind, form, about, created, kiosk, fields, follow ? "true" : "false");
        if (seal_box(&key, plain, (size_t)len, box) < 0)
            return 1;
        snprintf(path, sizeof path, "%s/%s.sealed", folder, receipt);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0 || write(fd, box, (size_t)len + SEAL_OVERHEAD) != len + SEAL_OVERHEAD) {
            fprintf(stderr, "office_fill: %s: %s\n", path, strerror(errno));
            return 1;
        }
        close(fd);
        printf("%s\n", receipt);
    }
    return 0;
}
