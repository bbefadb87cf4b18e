/* png.h: small RGB images as PNG bytes (stored deflate blocks: no compression library). */
#ifndef NNRUN_PNG_H
#define NNRUN_PNG_H

#include <stddef.h>
#include <stdint.h>

/* The bytes of a w x h PNG of rgb (h rows of w pixels, 3 bytes each,
 * top row first) written to out, which holds at least png_size(w, h)
 * bytes; returns the length. */
size_t png_size(int w, int h);
size_t png_rgb(uint8_t *out, int w, int h, const uint8_t *rgb);

#endif
