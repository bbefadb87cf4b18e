/* test_rng.c: the generator draws NumPy's numbers, bit for bit. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

/* Each fixture holds NumPy's first DRAWS values for one seed, written by
 * tests/gen_fixtures.py with repr; DRAWS crosses two state refills. */
#define DRAWS 1300

/* Reads exactly DRAWS doubles, one a line, from a fixture file. */
static void load_fixture(const char *kind, uint32_t seed, double *v)
{
	char path[128], line[64];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof path, "tests/fixtures/%s_%lu.txt", kind,
		 (unsigned long)seed);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (run the tests from the repo root)", path);
	while (n < DRAWS && fgets(line, sizeof line, f)) {
		char *end;
		v[n] = strtod(line, &end);
		assert_true(end != line);
		n++;
	}
	fclose(f);
	assert_int_equal(n, DRAWS);
}

/* Bitwise equality: == would also pass -0.0 for 0.0. */
static void assert_same_bits(double got, double want, int i)
{
	if (memcmp(&got, &want, sizeof got) != 0)
		fail_msg("draw %d: got %.17g, NumPy has %.17g", i, got, want);
}

static void check_randn(uint32_t seed)
{
	static double want[DRAWS];
	struct rng r;

	load_fixture("randn", seed, want);
	rng_seed(&r, seed);
	for (int i = 0; i < DRAWS; i++)
		assert_same_bits(rng_gauss(&r), want[i], i);
}

static void check_uniform(uint32_t seed)
{
	static double want[DRAWS];
	struct rng r;

	load_fixture("uniform", seed, want);
	rng_seed(&r, seed);
	for (int i = 0; i < DRAWS; i++)
		assert_same_bits(rng_uniform(&r), want[i], i);
}

#define SEED_TESTS(s)                                                     \
	static void test_randn_seed_##s##_matches_numpy(void **state)      \
	{                                                                  \
		(void)state;                                               \
		check_randn(s##U);                                         \
	}                                                                  \
	static void test_random_sample_seed_##s##_matches_numpy(void **state) \
	{                                                                  \
		(void)state;                                               \
		check_uniform(s##U);                                       \
	}
SEED_TESTS(0)
SEED_TESTS(1)
SEED_TESTS(42)
SEED_TESTS(4294967295)

static void test_reseeding_clears_the_cached_gaussian(void **state)
{
	static double want[DRAWS];
	struct rng r;

	(void)state;
	load_fixture("randn", 42, want);
	rng_seed(&r, 42);
	rng_gauss(&r); /* leaves the pair's second value cached */
	rng_seed(&r, 42);
	assert_same_bits(rng_gauss(&r), want[0], 0);
	assert_same_bits(rng_gauss(&r), want[1], 1);
}

static void test_seed_42_first_weights_are_the_tutorials(void **state)
{
	/* W1 = randn(2, 2) after np.random.seed(42), from the reference note. */
	const double w1[4] = {0.49671415301123267, -0.13826430117118466,
			      0.64768853810069249, 1.5230298564080254};
	struct rng r;

	(void)state;
	rng_seed(&r, 42);
	for (int i = 0; i < 4; i++)
		assert_same_bits(rng_gauss(&r), w1[i], i);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_randn_seed_0_matches_numpy),
		cmocka_unit_test(test_randn_seed_1_matches_numpy),
		cmocka_unit_test(test_randn_seed_42_matches_numpy),
		cmocka_unit_test(test_randn_seed_4294967295_matches_numpy),
		cmocka_unit_test(test_random_sample_seed_0_matches_numpy),
		cmocka_unit_test(test_random_sample_seed_1_matches_numpy),
		cmocka_unit_test(test_random_sample_seed_42_matches_numpy),
		cmocka_unit_test(test_random_sample_seed_4294967295_matches_numpy),
		cmocka_unit_test(test_reseeding_clears_the_cached_gaussian),
		cmocka_unit_test(test_seed_42_first_weights_are_the_tutorials),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	return rc ? 1 : 0;
}
