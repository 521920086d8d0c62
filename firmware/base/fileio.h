/* fileio.h - whole files, written safely and read with a cap; every layer uses it.
 *
 * Writing: a file is replaced whole or not at all. The bytes go to a temp file in the
 * same folder (PATH.tmp, or DIR/.NAME.tmp with FIO_HIDDEN_TMP), which is fsynced and
 * renamed over PATH; then the folder is fsynced so the rename itself survives a power
 * cut. A reader, or a crash at any point, sees the old file or the new one, never a
 * mix; a failure leaves the old file untouched and removes the temp file.
 *
 * Reading: a file is read whole only if it is a regular file of at most CAP bytes;
 * anything larger is refused with -EFBIG before it is read (and if it grows past CAP
 * while being read), so a size never comes from the file itself.
 *
 * Errors are 0 or a negative errno. Strings returned are yours to free. */
#ifndef KIOSK_FILEIO_H
#define KIOSK_FILEIO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* flags of fio_write_atomic and fio_atomic_open */
#define FIO_NO_SYNC     0x1u /* no fsync at all: a scratch file a power cut may lose */
#define FIO_NO_DIR_SYNC 0x2u /* fsync the file, not the folder: the caller fsyncs the
                              * folder once after several renames (fio_fsync_dir) */
#define FIO_HIDDEN_TMP  0x4u /* the temp file is DIR/.NAME.tmp rather than PATH.tmp */
/* flag of fio_read_capped */
#define FIO_NOFOLLOW    0x8u /* refuse (-ELOOP) when PATH itself is a symbolic link */

/* All of BUF to FD, retrying short writes and EINTR. */
int fio_write_all(int fd, const void *buf, size_t len);

/* fsync of the folder DIR itself / of the folder that holds PATH. A file system that
 * cannot fsync a folder (EINVAL, as on some USB sticks) is not an error. */
int fio_fsync_dir(const char *dir);
int fio_fsync_parent(const char *path);

/* PATH <- LEN bytes of DATA, atomically (see above), with permissions exactly MODE
 * (the umask is not applied). */
int fio_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
                     unsigned flags);

/* The same, for contents written piecewise: open, write to a->fd (fio_write_all, or
 * anything else), then commit, or abort to give up. Commit and abort always release
 * A; a failed commit removes the temp file and leaves PATH as it was. */
struct fio_atomic {
    int fd;
    char *path, *tmp;
    unsigned flags;
};
int fio_atomic_open(struct fio_atomic *a, const char *path, mode_t mode, unsigned flags);
int fio_atomic_commit(struct fio_atomic *a);
void fio_atomic_abort(struct fio_atomic *a);

/* Puts a finished file in place: fsync TMP, rename it over PATH, fsync the folder
 * (FIO_NO_SYNC and FIO_NO_DIR_SYNC as above). TMP must be in PATH's folder. On a
 * failure TMP is left for the caller to remove. */
int fio_publish(const char *tmp, const char *path, unsigned flags);

/* Reads all of PATH / of the open FD if it is a regular file of at most CAP bytes.
 * 0 with *ret (NUL-terminated; you own it) and *ret_len; -EFBIG when it is larger,
 * -EINVAL when it is not a regular file (a FIFO does not block the open), -errno when
 * it cannot be opened or read. FLAGS: 0 or FIO_NOFOLLOW. */
int fio_read_capped(const char *path, size_t cap, unsigned flags, char **ret, size_t *ret_len);
int fio_read_fd_capped(int fd, size_t cap, char **ret, size_t *ret_len);

/* A decimal number with nothing else: digits only (no sign, space or empty string),
 * at most UINT64_MAX. 0 with *ret, or -EINVAL (*ret untouched). fio_parse_u64n reads
 * exactly the first N bytes of S. */
int fio_parse_u64(const char *s, uint64_t *ret);
int fio_parse_u64n(const char *s, size_t n, uint64_t *ret);

#endif
