/* rng.h: NumPy's legacy generator (MT19937 + Marsaglia polar gaussians). */
#ifndef NNRUN_RNG_H
#define NNRUN_RNG_H

#include <stdint.h>

#define RNG_N 624

struct rng {
	uint32_t mt[RNG_N];
	int pos;          /* next word of mt to temper; RNG_N: refill first */
	int has_gauss;    /* a cached second gaussian is waiting */
	double gauss;
};

/* np.random.seed(seed): init_genrand, and the gaussian cache cleared. */
void rng_seed(struct rng *r, uint32_t seed);

/* One tempered 32-bit output. */
uint32_t rng_u32(struct rng *r);

/* A double in [0, 1) from 53 random bits, as NumPy's random_sample. */
double rng_uniform(struct rng *r);

/* One standard normal, as np.random.randn draws them. */
double rng_gauss(struct rng *r);

/* RandomState.uniform(lo, hi): lo + (hi - lo) * random_sample(). */
double rng_uniform_range(struct rng *r, double lo, double hi);

/* An integer in [0, max], as NumPy's legacy bounded draws make it:
 * 32-bit outputs masked to max's bits, rejected until <= max; none
 * drawn when max is 0. RandomState.randint(lo, hi) = lo + this of
 * hi - 1 - lo (when that is below 2^32). */
uint32_t rng_masked(struct rng *r, uint32_t max);

/* np.random.permutation(n) into idx: arange(n) shuffled by Fisher-Yates
 * from the top, each swap's partner a masked draw in [0, i]. */
void rng_permutation(struct rng *r, int *idx, int n);

#endif
