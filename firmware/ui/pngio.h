/* pngio.h - PNG in and out of SDL surfaces, on libpng's simplified API (png_image_*),
 * for the toolkit's images and pictograms (ui.c) and the scripted driver's screenshots
 * (screens/script.c). PNG is the only image format the kiosk reads or writes.
 *
 * Decoding is capped: an image wider or taller than the caller's MAX_SIDE (itself at
 * most PNGIO_MAX_SIDE, the content compiler's own cap on images) is refused from its
 * header, before any pixel is decoded. Every result surface is ARGB8888, not
 * premultiplied, in sRGB; an image without alpha comes out opaque.
 *
 * Errors are 0 or a negative errno: -EINVAL not a PNG, or a damaged one; -EFBIG
 * larger than the cap; -ENOMEM. ERR (when not NULL) then says why in one line. */
#ifndef KIOSK_PNGIO_H
#define KIOSK_PNGIO_H

#include <stddef.h>

#include <SDL.h>

/* pixels a side, at most, of any image decoded (sync/content_build.c: MAX_IMAGE_SIDE) */
#define PNGIO_MAX_SIDE 4096

/* The LEN bytes of PNG at DATA into *RET, a new ARGB8888 surface the caller frees
 * (SDL_FreeSurface), if neither side exceeds MAX_SIDE (clamped to PNGIO_MAX_SIDE). */
int pngio_decode(const void *data, size_t len, int max_side, SDL_Surface **ret, char *err,
                 size_t errlen);

/* S (any format) as a PNG in *RET (malloc'd, the caller frees) of *RET_LEN bytes:
 * RGBA when S has an alpha channel, RGB otherwise. 8 bits a channel. */
int pngio_encode(SDL_Surface *s, void **ret, size_t *ret_len, char *err, size_t errlen);

/* S as a PNG file at PATH (pngio_encode), replaced whole (base/fileio.h), mode 0644,
 * without fsync: a screenshot. */
int pngio_save(SDL_Surface *s, const char *path, char *err, size_t errlen);

#endif
