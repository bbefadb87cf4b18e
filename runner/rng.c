/* rng.c: MT19937 and NumPy's legacy uniform, bounded-integer and gaussian draws. */
#include "rng.h"

#include <math.h>

/* MT19937's constants, from Matsumoto and Nishimura's reference code. */
#define RNG_M 397
#define RNG_MATRIX_A 0x9908b0dfU
#define RNG_UPPER_MASK 0x80000000U
#define RNG_LOWER_MASK 0x7fffffffU

void rng_seed(struct rng *r, uint32_t seed)
{
	r->mt[0] = seed;
	for (int i = 1; i < RNG_N; i++) {
		uint32_t prev = r->mt[i - 1];
		r->mt[i] = 1812433253U * (prev ^ (prev >> 30)) + (uint32_t)i;
	}
	r->pos = RNG_N;
	r->has_gauss = 0;
	r->gauss = 0.0;
}

/* The twist of one word from its two neighbours' bits and the word
 * RNG_M ahead (wrapping around). */
static inline uint32_t rng_twist(uint32_t cur, uint32_t next, uint32_t ahead)
{
	uint32_t y = (cur & RNG_UPPER_MASK) | (next & RNG_LOWER_MASK);

	return ahead ^ (y >> 1) ^ ((y & 1U) ? RNG_MATRIX_A : 0U);
}

/* Regenerates all RNG_N words of the state at once, in the reference
 * code's three runs (no index wraps inside a run). */
static void rng_refill(struct rng *r)
{
	uint32_t *mt = r->mt;
	int i = 0;

	for (; i < RNG_N - RNG_M; i++)
		mt[i] = rng_twist(mt[i], mt[i + 1], mt[i + RNG_M]);
	for (; i < RNG_N - 1; i++)
		mt[i] = rng_twist(mt[i], mt[i + 1], mt[i + RNG_M - RNG_N]);
	mt[RNG_N - 1] = rng_twist(mt[RNG_N - 1], mt[0], mt[RNG_M - 1]);
	r->pos = 0;
}

/* The next tempered output. */
static inline uint32_t rng_next(struct rng *r)
{
	uint32_t y;

	if (r->pos >= RNG_N)
		rng_refill(r);
	y = r->mt[r->pos++];
	y ^= y >> 11;
	y ^= (y << 7) & 0x9d2c5680U;
	y ^= (y << 15) & 0xefc60000U;
	y ^= y >> 18;
	return y;
}

uint32_t rng_u32(struct rng *r)
{
	return rng_next(r);
}

double rng_uniform(struct rng *r)
{
	/* 27 high bits, then 26, joined into 53: NumPy's random_sample. */
	uint32_t a = rng_u32(r) >> 5;
	uint32_t b = rng_u32(r) >> 6;

	return (a * 67108864.0 + b) / 9007199254740992.0;
}

double rng_gauss(struct rng *r)
{
	double x1, x2, r2, f;

	if (r->has_gauss) {
		r->has_gauss = 0;
		return r->gauss;
	}
	do {
		x1 = 2.0 * rng_uniform(r) - 1.0;
		x2 = 2.0 * rng_uniform(r) - 1.0;
		r2 = x1 * x1 + x2 * x2;
	} while (r2 >= 1.0 || r2 == 0.0);
	/* The polar method yields two normals; NumPy keeps the first for
	 * the next call and returns the second now. */
	f = sqrt(-2.0 * log(r2) / r2);
	r->gauss = f * x1;
	r->has_gauss = 1;
	return f * x2;
}

double rng_uniform_range(struct rng *r, double lo, double hi)
{
	return lo + (hi - lo) * rng_uniform(r);
}

uint32_t rng_masked(struct rng *r, uint32_t max)
{
	uint32_t mask = max, v;

	if (max == 0)
		return 0;
	mask |= mask >> 1;
	mask |= mask >> 2;
	mask |= mask >> 4;
	mask |= mask >> 8;
	mask |= mask >> 16;
	while ((v = rng_next(r) & mask) > max)
		;
	return v;
}

void rng_permutation(struct rng *r, int *idx, int n)
{
	for (int i = 0; i < n; i++)
		idx[i] = i;
	for (int i = n - 1; i >= 1; i--) {
		int j = (int)rng_masked(r, (uint32_t)i), t = idx[i];

		idx[i] = idx[j];
		idx[j] = t;
	}
}
