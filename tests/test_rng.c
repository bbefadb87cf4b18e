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

/* RandomState(5): [randint(3, 1000) for _ in range(5)], then
 * uniform(0.25, 0.75), from NumPy 1.24. */
static void test_masked_draws_and_uniform_range_are_numpys(void **state)
{
	static const uint32_t want[] = { 870, 209, 704, 121, 403 };
	struct rng r;
	(void)state;

	rng_seed(&r, 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(3 + rng_masked(&r, 1000 - 1 - 3), want[i]);
	assert_true(rng_uniform_range(&r, 0.25, 0.75) == 0.739722499580723);
}

/* randint(0, 2**32) is one unmasked 32-bit output each. */
static void test_masked_draw_of_the_whole_range_is_one_output(void **state)
{
	struct rng r;
	(void)state;

	rng_seed(&r, 9);
	assert_int_equal(rng_masked(&r, UINT32_MAX), 44556670U);
	assert_int_equal(rng_masked(&r, UINT32_MAX), 1565348188U);
	assert_int_equal(rng_masked(&r, UINT32_MAX), 2155534974U);
}

/* NumPy returns lo for randint(lo, lo + 1) without drawing. */
static void test_masked_draw_of_0_draws_nothing(void **state)
{
	struct rng a, b;
	(void)state;

	rng_seed(&a, 1);
	rng_seed(&b, 1);
	assert_int_equal(rng_masked(&a, 0), 0);
	assert_int_equal(rng_u32(&a), rng_u32(&b));
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
		cmocka_unit_test(test_masked_draws_and_uniform_range_are_numpys),
		cmocka_unit_test(test_masked_draw_of_the_whole_range_is_one_output),
		cmocka_unit_test(test_masked_draw_of_0_draws_nothing),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	return rc ? 1 : 0;
}
