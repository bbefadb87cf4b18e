/* hash.c: XXH64 as its specification (xxhash's doc/xxhash_spec.md) defines it, seed 0. */
#include "hash.h"

#include <string.h>

#define P1 0x9E3779B185EBCA87ULL
#define P2 0xC2B2AE3D27D4EB4FULL
#define P3 0x165667B19E3779F9ULL
#define P4 0x85EBCA77C2B2AE63ULL
#define P5 0x27D4EB2F165667C5ULL

static uint64_t rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

/* Little-endian reads whatever the machine's order, so that ids and
 * checksums are the same everywhere. */
static uint64_t read64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint32_t read32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t round1(uint64_t acc, uint64_t lane)
{
	return rotl(acc + lane * P2, 31) * P1;
}

static uint64_t merge(uint64_t acc, uint64_t v)
{
	return (acc ^ round1(0, v)) * P1 + P4;
}

static void stripe(uint64_t v[4], const unsigned char *p)
{
	for (int i = 0; i < 4; i++)
		v[i] = round1(v[i], read64(p + 8 * i));
}

void hash_init(struct hash *h)
{
	memset(h, 0, sizeof *h);
	h->v[0] = P1 + P2;
	h->v[1] = P2;
	h->v[2] = 0;
	h->v[3] = 0 - P1;
}

void hash_update(struct hash *h, const void *data, size_t len)
{
	const unsigned char *p = data;

	h->total += len;
	if (h->n + len < 32) {
		memcpy(h->buf + h->n, p, len);
		h->n += len;
		return;
	}
	if (h->n) {
		size_t fill = 32 - h->n;
		memcpy(h->buf + h->n, p, fill);
		stripe(h->v, h->buf);
		p += fill;
		len -= fill;
		h->n = 0;
	}
	for (; len >= 32; p += 32, len -= 32)
		stripe(h->v, p);
	memcpy(h->buf, p, len);
	h->n = len;
}

uint64_t hash_final(const struct hash *h)
{
	const unsigned char *p = h->buf, *end = h->buf + h->n;
	uint64_t acc;

	if (h->total >= 32) {
		acc = rotl(h->v[0], 1) + rotl(h->v[1], 7) + rotl(h->v[2], 12) +
		      rotl(h->v[3], 18);
		for (int i = 0; i < 4; i++)
			acc = merge(acc, h->v[i]);
	} else {
		acc = P5;
	}
	acc += h->total;
	for (; end - p >= 8; p += 8)
		acc = rotl(acc ^ round1(0, read64(p)), 27) * P1 + P4;
	if (end - p >= 4) {
		acc = rotl(acc ^ (uint64_t)read32(p) * P1, 23) * P2 + P3;
		p += 4;
	}
	for (; p < end; p++)
		acc = rotl(acc ^ *p * P5, 11) * P1;
	acc ^= acc >> 33;
	acc *= P2;
	acc ^= acc >> 29;
	acc *= P3;
	acc ^= acc >> 32;
	return acc;
}

uint64_t hash_bytes(const void *data, size_t len)
{
	struct hash h;

	hash_init(&h);
	hash_update(&h, data, len);
	return hash_final(&h);
}
