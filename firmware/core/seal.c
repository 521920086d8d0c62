/* seal.c - see seal.h. */
#include "seal.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

_Static_assert(SEAL_OVERHEAD == crypto_box_SEALBYTES, "SEAL_OVERHEAD");
_Static_assert(SEAL_KEY_SIZE == crypto_box_PUBLICKEYBYTES &&
               SEAL_KEY_SIZE == crypto_box_SECRETKEYBYTES, "SEAL_KEY_SIZE");

int seal_init(void)
{
    return sodium_init() < 0 ? -EIO : 0;
}

/* Reads PATH (at most SEAL_KEY_FILE_MAX bytes) and decodes "TYPE base64\n" into KEY. */
static int key_load(const char *path, const char *type, unsigned char key[SEAL_KEY_SIZE],
                    char *err, size_t errlen)
{
    char buf[SEAL_KEY_FILE_MAX + 2];
    size_t n = 0, tn = strlen(type), bin_len = 0;
    ssize_t k;
    int r = 0, fd;

    if (seal_init() < 0) {
        snprintf(err, errlen, "%s: libsodium cannot be initialised", path);
        return -EIO;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        r = -errno;
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return r;
    }
    /* a secret key is its owner's alone, as kiosk-bundle's sign.key (sync/README.md) */
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        close(fd);
        return -EINVAL;
    }
    while (n < sizeof buf - 1 && (k = read(fd, buf + n, sizeof buf - 1 - n)) != 0) {
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            r = -errno;
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            break;
        }
        n += (size_t)k;
    }
    close(fd);
    if (r < 0)
        goto out;
    buf[n] = '\0';
    if (n > SEAL_KEY_FILE_MAX) {
        snprintf(err, errlen, "%s: larger than %d bytes: not a key file", path,
                 SEAL_KEY_FILE_MAX);
        r = -EFBIG;
        goto out;
    }
    if (n > 0 && buf[n - 1] == '\n')
        buf[--n] = '\0';
    if (n > 0 && buf[n - 1] == '\r')
        buf[--n] = '\0';
    if (n < tn + 2 || memcmp(buf, type, tn) != 0 || buf[tn] != ' ' || strchr(buf, '\n')) {
        snprintf(err, errlen, "%s: not a %s key file (one line \"%s <base64>\")", path, type,
                 type);
        r = -EINVAL;
        goto out;
    }
    if (strstr(type, "secret") && (st.st_mode & 077)) {
        snprintf(err, errlen, "%s: secret key readable by others (mode %04o); chmod 600 it", path,
                 (unsigned)(st.st_mode & 07777));
        r = -EPERM;
        goto out;
    }
    if (sodium_base642bin(key, SEAL_KEY_SIZE, buf + tn + 1, n - tn - 1, NULL, &bin_len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        bin_len != SEAL_KEY_SIZE) {
        snprintf(err, errlen, "%s: the key is not %d bytes of base64", path, SEAL_KEY_SIZE);
        sodium_memzero(key, SEAL_KEY_SIZE);
        r = -EINVAL;
    }
out:
    sodium_memzero(buf, sizeof buf);
    return r;
}

int seal_public_load(const char *path, struct seal_public *ret, char *err, size_t errlen)
{
    struct seal_public k;
    int r = key_load(path, SEAL_PUBLIC_TYPE, k.pk, err, errlen);
    if (r == 0)
        *ret = k;
    return r;
}

int seal_secret_load(const char *path, struct seal_secret *ret, char *err, size_t errlen)
{
    struct seal_secret k;
    int r = key_load(path, SEAL_SECRET_TYPE, k.sk, err, errlen);
    if (r == 0 && crypto_scalarmult_base(k.pk, k.sk) != 0) {
        snprintf(err, errlen, "%s: not a usable X25519 secret key", path);
        r = -EINVAL;
    }
    if (r == 0)
        *ret = k;
    sodium_memzero(&k, sizeof k);
    return r;
}

void seal_secret_wipe(struct seal_secret *k)
{
    sodium_memzero(k, sizeof *k);
}

/* Writes DIR/NAME as "TYPE base64\n" with MODE, refusing to replace a file. */
static int key_write(const char *dir, const char *name, const char *type,
                     const unsigned char key[SEAL_KEY_SIZE], mode_t mode, char *err,
                     size_t errlen)
{
    char path[4096], line[128], b64[sodium_base64_ENCODED_LEN(SEAL_KEY_SIZE,
                                                               sodium_base64_VARIANT_ORIGINAL)];
    int fd, r = 0, n;

    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path) {
        snprintf(err, errlen, "%s: path too long", dir);
        return -ENAMETOOLONG;
    }
    sodium_bin2base64(b64, sizeof b64, key, SEAL_KEY_SIZE, sodium_base64_VARIANT_ORIGINAL);
    n = snprintf(line, sizeof line, "%s %s\n", type, b64);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        r = -errno;
        snprintf(err, errlen, "%s: %s", path, errno == EEXIST ? "exists; not replaced"
                                                             : strerror(errno));
        goto out;
    }
    errno = 0;
    if (fchmod(fd, mode) < 0 || write(fd, line, (size_t)n) != n || fsync(fd) < 0) {
        r = errno ? -errno : -EIO;
        snprintf(err, errlen, "%s: %s", path, strerror(-r));
    }
    if (close(fd) < 0 && r == 0) {
        r = -errno;
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
    }
    if (r < 0)
        unlink(path);
out:
    sodium_memzero(line, sizeof line);
    sodium_memzero(b64, sizeof b64);
    return r;
}

int seal_keygen(const char *dir, char *err, size_t errlen)
{
    unsigned char pk[SEAL_KEY_SIZE], sk[SEAL_KEY_SIZE];
    char path[4096];
    int r;

    if (seal_init() < 0) {
        snprintf(err, errlen, "libsodium cannot be initialised");
        return -EIO;
    }
    /* refuse before writing anything, so a failure leaves no half pair */
    snprintf(path, sizeof path, "%s/seal.pub", dir);
    if (access(path, F_OK) == 0) {
        snprintf(err, errlen, "%s: exists; not replaced", path);
        return -EEXIST;
    }
    crypto_box_keypair(pk, sk);
    r = key_write(dir, "seal.key", SEAL_SECRET_TYPE, sk, 0600, err, errlen);
    if (r == 0) {
        r = key_write(dir, "seal.pub", SEAL_PUBLIC_TYPE, pk, 0644, err, errlen);
        if (r < 0) {
            snprintf(path, sizeof path, "%s/seal.key", dir);
            unlink(path);
        }
    }
    if (r == 0) {
        int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd >= 0) {
            fsync(fd);
            close(fd);
        }
    }
    sodium_memzero(sk, sizeof sk);
    return r;
}

int seal_box(const struct seal_public *k, const void *plain, size_t len, unsigned char *out)
{
    if (!k || !plain || !out || len == 0 || len > SEAL_PLAIN_MAX)
        return -EINVAL;
    if (seal_init() < 0)
        return -EIO;
    return crypto_box_seal(out, plain, len, k->pk) == 0 ? 0 : -EIO;
}

int seal_open(const struct seal_secret *k, const void *box, size_t len, unsigned char *out,
              size_t *ret_len)
{
    if (!k || !box || !out || len <= SEAL_OVERHEAD || len - SEAL_OVERHEAD > SEAL_PLAIN_MAX)
        return -EINVAL;
    if (seal_init() < 0)
        return -EIO;
    if (crypto_box_seal_open(out, box, len, k->pk, k->sk) != 0)
        return -EBADMSG;
    *ret_len = len - SEAL_OVERHEAD;
    return 0;
}
