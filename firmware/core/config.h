/* config.h - the one INI file the kiosk, kiosk-sync and kiosk-bundle share
 * (--config PATH). Every key is listed in README.md; an unknown key or a bad value is
 * an error naming the file, the line and the key, so a typo never passes silently. */
#ifndef KIOSK_CONFIG_H
#define KIOSK_CONFIG_H

#include <stddef.h>

struct kiosk_config {
    /* [kiosk] */
    char *kiosk_id;          /* short code, used in receipt numbers and upload paths */
    char *scope;             /* region or hall this kiosk accepts bundles for */
    char *content_db;        /* path of content.db (read-only for the kiosk) */
    char *state_db;          /* path of state.db */
    char *central_url;       /* base URL of the central office */
    char *sign_public_keys;  /* up to two bundle-signing public key files, comma-separated */
    char *seal_public_key;   /* file with the office's public key for sealing submissions */
    int idle_seconds;        /* no touch this long -> "need more time?" */
    char *font_dir;          /* where the shipped fonts are */
    char *call_staff_command;/* run when a visitor presses "call staff"; empty: none */
    char *status_url;        /* a receipt's QR code opens this address + the receipt number */
    /* [staff] */
    char *initial_pin_hash;  /* Argon2 hash of the staff PIN until one is set; "" = demo PIN */
    char *usb_dir;           /* where an inserted USB stick is mounted (the staff menu's import/export) */
    /* [display] */
    double panel_width_mm;   /* physical size of the panel in its portrait orientation */
    double panel_height_mm;
    int width, height;       /* logical screen size in pixels */
    int rotation;            /* 0, 90, 180, 270: clockwise turn of the picture on the panel */
    /* [sync] (kiosk-sync; sync/README.md) */
    char *work_dir;          /* downloads, ETags, the last-run record, the sync lock */
    int connect_timeout;     /* seconds to establish a connection */
    int low_speed_limit;     /* bytes/s below which, for low_speed_time s, a transfer ends */
    int low_speed_time;
    int transfer_timeout;    /* seconds for one whole transfer */
    int retries;             /* further attempts of a failed request */
    int retry_base_ms;       /* the first backoff; doubled per attempt, with jitter */
    int retry_max_seconds;   /* the longest wait between attempts (Retry-After included) */
    int max_payload_mb;      /* cap on a bundle's payload, stored and decompressed */
    int max_feed_kb;         /* cap on the status feed */
    int retention_days;      /* keep uploaded sealed submissions this long */
    int clock_tolerance_hours; /* a clock this far before a bundle's creation is wrong */
    char *usb_messages;      /* usb-import/usb-export's words (zh, en); "": beside kiosk-sync */
    /* [devices] (docs/idcard-reader.md) */
    char *id_reader;         /* the ID card reader's serial port; "": none */
    int id_reader_baud;      /* its rate, one of the termios rates */
    /* [devices] the receipt printer (core/printer.h); "" = none, and no print button */
    char *printer;           /* usblp (/dev/usb/lp0), a serial port or a pty */
    int printer_baud;        /* serial only */
    int paper_mm;            /* 58 or 80: 384 or 576 dots a line */
    int printer_check_minutes; /* ask its status this often while idle on home; 0 = never */
};

/* Sets every key to its default. Strings are owned by cfg. */
void config_defaults(struct kiosk_config *cfg);

/* Reads PATH over what cfg holds. Returns 0, or -errno / -EINVAL with err holding
 * one line "PATH:LINE: KEY: cause". */
int config_load(struct kiosk_config *cfg, const char *path, char *err, size_t errlen);

/* Sets one key from text ("section.key" or "key" for [kiosk]); used by the file
 * parser and by command-line overrides. Returns 0 or -EINVAL with err set. */
int config_set(struct kiosk_config *cfg, const char *section, const char *key,
               const char *value, char *err, size_t errlen);

void config_free(struct kiosk_config *cfg);

#endif
