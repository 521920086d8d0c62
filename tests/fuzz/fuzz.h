/* fuzz.h - what every harness of tests/fuzz shares: the libFuzzer entry points, and
 * FUZZ_CHECK for the invariants a harness asserts (a failed one aborts, which libFuzzer
 * and the replay driver both report as a crash with its input). */
#ifndef KIOSK_FUZZ_H
#define KIOSK_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional: once per process, before the first input (the replay driver calls it too). */
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_CHECK(x)                                                                    \
    do {                                                                                 \
        if (!(x)) {                                                                      \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #x);    \
            abort();                                                                     \
        }                                                                                \
    } while (0)

/* DATA as a NUL-terminated string (cut at its first NUL); free() it. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#endif
