/* marker.h - marker files: a small file in work_dir whose presence says that a process
 * is at work (usb-busy: a USB stick is being read; sync/README.md, "What the kiosk UI
 * reads"). The file is JSON carrying {"pid": N, "boot": "<boot id>", ...}: the process
 * doing the work and the boot it runs in (/proc/sys/kernel/random/boot_id). A marker is
 * stale, and means nothing, when its pid is no live process or its boot is not this
 * one (after a power cut the pid may belong to someone else); so a marker left behind
 * never blocks anything. Used by the writer (kiosk-sync usb-busy,
 * usb-import, usb-export) and by the kiosk UI alike. */
#ifndef KIOSK_MARKER_H
#define KIOSK_MARKER_H

#include <stdbool.h>

#define MARKER_MAX_BYTES 4096 /* a marker larger than this is no marker of ours */

/* Whether PID is a live process (kill(pid, 0) succeeds or fails with EPERM). */
bool marker_pid_alive(long pid);

/* The pid PATH names: 0, -ENOENT (no file), -EBADMSG (no "pid": N in it, or larger
 * than MARKER_MAX_BYTES), -errno. */
int marker_pid(const char *path, long *ret_pid);

/* This boot's id (36 characters and a NUL), "" when the kernel has none. */
#define MARKER_BOOT_ID_SIZE 37
void marker_boot_id(char ret[MARKER_BOOT_ID_SIZE]);

/* 1 when PATH exists, its pid is alive and its "boot" (when it has one) is this boot's;
 * 0 when it is missing or stale. */
int marker_active(const char *path);

#endif
