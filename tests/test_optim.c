/* test_optim.c: adam's bias corrections equal torch's 1 - beta**t (C's pow) at every step. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "optim.h"

/* Steps checked: 10^6, or 10^5 under NNRUN_TEST_QUICK (valgrind). */
static uint64_t steps(void)
{
	return getenv("NNRUN_TEST_QUICK") ? 100000 : 1000000;
}

static uint64_t bits(double x)
{
	uint64_t u;

	memcpy(&u, &x, sizeof u);
	return u;
}

/* Every step t = 1 .. steps() in turn, as training takes them: the same
 * double as 1.0 - pow(beta, t), bit for bit. */
static void check_every_step(double beta)
{
	double power[OPTIM_POWER_SIZE] = {0};
	uint64_t n = steps();

	for (uint64_t t = 1; t <= n; t++) {
		double want = 1.0 - pow(beta, (double)t);
		double got = optim_bias_correction(power, beta, t);

		if (bits(got) != bits(want))
			fail_msg("beta %.17g, t %llu: %.17g, pow gives %.17g", beta,
				 (unsigned long long)t, got, want);
	}
}

static void test_bias_correction_beta_0_9_matches_pow(void **state)
{
	(void)state;
	check_every_step(0.9);
}

static void test_bias_correction_beta_0_999_matches_pow(void **state)
{
	(void)state;
	check_every_step(0.999);
}

static void test_bias_correction_beta_0_5_matches_pow(void **state)
{
	(void)state;
	check_every_step(0.5);
}

static void test_bias_correction_beta_0_99_matches_pow(void **state)
{
	(void)state;
	check_every_step(0.99);
}

static void test_bias_correction_beta_0_9999_matches_pow(void **state)
{
	(void)state;
	check_every_step(0.9999);
}

/* Never small enough within the steps checked: the running product's
 * error after 10^6 multiplications still decides no step wrongly. */
static void test_bias_correction_beta_near_1_matches_pow(void **state)
{
	(void)state;
	check_every_step(0.99999);
	check_every_step(1.0 - 0x1p-40);
}

/* 0 (beta**t is 0 from the first step) and the largest double below 1. */
static void test_bias_correction_extreme_betas_match_pow(void **state)
{
	(void)state;
	check_every_step(0.0);
	check_every_step(0x1.fffffffffffffp-1);
}

/* Betas with every mantissa bit in use, from a fixed xorshift stream. */
static void test_bias_correction_random_betas_match_pow(void **state)
{
	uint64_t x = 0x2545f4914f6cdd1dull;

	(void)state;
	for (int i = 0; i < 3; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		/* in [0.5, 1): 0.9 .. 0.9999 is where adam's betas live */
		check_every_step(0.5 + (double)(x >> 11) * 0x1p-54);
	}
}

/* Steps out of turn (a restart, a jump) are still pow's. */
static void test_bias_correction_out_of_turn_matches_pow(void **state)
{
	static const uint64_t ts[] = {1, 2, 3, 7, 8, 9, 1, 2, 100, 101, 5, 6, 1000000, 1000001};
	double power[OPTIM_POWER_SIZE] = {0};

	(void)state;
	for (size_t i = 0; i < sizeof ts / sizeof *ts; i++)
		assert_true(bits(optim_bias_correction(power, 0.999, ts[i])) ==
			    bits(1.0 - pow(0.999, (double)ts[i])));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bias_correction_beta_0_9_matches_pow),
		cmocka_unit_test(test_bias_correction_beta_0_999_matches_pow),
		cmocka_unit_test(test_bias_correction_beta_0_5_matches_pow),
		cmocka_unit_test(test_bias_correction_beta_0_99_matches_pow),
		cmocka_unit_test(test_bias_correction_beta_0_9999_matches_pow),
		cmocka_unit_test(test_bias_correction_beta_near_1_matches_pow),
		cmocka_unit_test(test_bias_correction_extreme_betas_match_pow),
		cmocka_unit_test(test_bias_correction_random_betas_match_pow),
		cmocka_unit_test(test_bias_correction_out_of_turn_matches_pow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
