/* png.c: small RGB images as PNG bytes, stored (not compressed) deflate blocks. */
#include "png.h"

#include <string.h>

static uint32_t crc_table[256];

static uint32_t crc32_of(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	if (!crc_table[1])
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t k = i;
			for (int b = 0; b < 8; b++)
				k = k & 1 ? 0xedb88320u ^ (k >> 1) : k >> 1;
			crc_table[i] = k;
		}
	for (size_t i = 0; i < n; i++)
		c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

static uint8_t *be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
	return p + 4;
}

/* A chunk around the len bytes already at p + 8: length, type, CRC. */
static uint8_t *chunk(uint8_t *p, const char *type, size_t len)
{
	be32(p, (uint32_t)len);
	memcpy(p + 4, type, 4);
	return be32(p + 8 + len, crc32_of(p + 4, len + 4));
}

/* Raw scanlines (a filter byte 0, then the row) in 65535-byte stored blocks. */
#define PNG_BLOCK 65535

static size_t raw_size(int w, int h)
{
	return (size_t)h * (1 + 3 * (size_t)w);
}

static size_t zlib_size(size_t raw)
{
	return 2 + raw + 5 * (raw / PNG_BLOCK + 1) + 4;
}

size_t png_size(int w, int h)
{
	return 8 + 25 + 12 + zlib_size(raw_size(w, h)) + 12;
}

size_t png_rgb(uint8_t *out, int w, int h, const uint8_t *rgb)
{
	static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	size_t raw = raw_size(w, h), left = raw, row = 1 + 3 * (size_t)w, at = 0;
	uint32_t s1 = 1, s2 = 0;
	uint8_t *p = out, *z;

	memcpy(p, sig, 8);
	p += 8;
	be32(p + 8, (uint32_t)w);
	be32(p + 12, (uint32_t)h);
	memcpy(p + 16, (const uint8_t[]){ 8, 2, 0, 0, 0 }, 5);  /* 8-bit RGB */
	p = chunk(p, "IHDR", 13);
	z = p + 8;
	*z++ = 0x78;
	*z++ = 0x01;
	do {
		size_t n = left < PNG_BLOCK ? left : PNG_BLOCK;
		*z++ = left == n;       /* BFINAL on the last, type 00: stored */
		*z++ = (uint8_t)n;
		*z++ = (uint8_t)(n >> 8);
		*z++ = (uint8_t)~n;
		*z++ = (uint8_t)(~n >> 8);
		for (size_t i = 0; i < n; i++, at++) {
			size_t r = at / row, c = at % row;
			uint8_t b = c == 0 ? 0 : rgb[r * 3 * (size_t)w + c - 1];
			*z++ = b;
			s1 = (s1 + b) % 65521;
			s2 = (s2 + s1) % 65521;
		}
		left -= n;
	} while (left);
	z = be32(z, s2 << 16 | s1);
	p = chunk(p, "IDAT", (size_t)(z - (p + 8)));
	return (size_t)(chunk(p, "IEND", 0) - out);
}
