/* wipe_free.c - the kiosk program's free() and realloc() wipe the memory they give
 * back, so that what a visitor typed does not linger in freed heap memory after the
 * screen that held it is gone: librime's buffers (the pinyin of a name), the text
 * layout's, SQLite's. They stand in front of glibc's (the symbols of the executable
 * come first for every library too) and call glibc's own entry points; malloc and
 * calloc are glibc's. Linked into the kiosk program only, and not into sanitizer
 * builds, whose allocator is AddressSanitizer's (tests there set its
 * free_fill_byte instead). Cost: one memset per free, of the block's usable size. */

#include <malloc.h>
#include <string.h>

void __libc_free(void *p);
void *__libc_malloc(size_t n);
void *__libc_realloc(void *p, size_t n);

/* a memset the compiler may not drop before the block is handed back */
static void wipe(void *p, size_t n)
{
    memset(p, 0, n);
    __asm__ __volatile__("" : : "r"(p) : "memory");
}

void free(void *p)
{
    if (p)
        wipe(p, malloc_usable_size(p));
    __libc_free(p);
}

void *realloc(void *p, size_t n)
{
    if (!p)
        return __libc_malloc(n);
    if (n == 0) {
        free(p);
        return NULL;
    }
    size_t have = malloc_usable_size(p);
    if (n <= have)
        return __libc_realloc(p, n); /* shrinks in place; the tail is wiped when freed */
    void *q = __libc_malloc(n);
    if (!q)
        return NULL;
    memcpy(q, p, have);
    free(p);
    return q;
}
