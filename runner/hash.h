/* hash.h: XXH64 (xxHash's 64-bit hash, seed 0), streaming or in one call. */
#ifndef NNRUN_HASH_H
#define NNRUN_HASH_H

#include <stddef.h>
#include <stdint.h>

/* The state of a hash being fed: hash_init, any number of hash_update,
 * then hash_final (which leaves the state usable for more updates). */
struct hash {
	uint64_t v[4];          /* the four lanes */
	uint64_t total;         /* bytes fed so far */
	unsigned char buf[32];  /* a partial stripe */
	size_t n;               /* bytes in buf */
};

void hash_init(struct hash *h);
void hash_update(struct hash *h, const void *data, size_t len);
uint64_t hash_final(const struct hash *h);

/* XXH64 of len bytes at data, as `xxhsum -H1` prints it. */
uint64_t hash_bytes(const void *data, size_t len);

#endif
