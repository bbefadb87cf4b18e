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

/* Adam's update of every length from 1 to 37 (vector blocks and the
 * scalar rest), against torch's formula written here one parameter at
 * a time: the same bits in the parameters and both moments, before and after the second moment's
 * correction reaches exactly 1 (beta2 0.6 gets there at step 74). */
static void test_adam_steps_match_torch_formula_one_parameter_at_a_time(void **state)
{
	struct optim_spec o = {.kind = OPTIM_ADAM, .lr = 0.01, .beta1 = 0.9, .beta2 = 0.6,
			       .eps = 1e-8};
	uint64_t r = 0x2545f4914f6cdd1dull;

	(void)state;
	for (size_t n = 1; n <= 37; n++) {
		double p[37], want[37], g[37], g2[37], m[37] = {0}, v[37] = {0};
		double st[2 * 37 + 2 * OPTIM_POWER_SIZE] = {0};

		for (size_t i = 0; i < n; i++) {
			r ^= r << 13, r ^= r >> 7, r ^= r << 17;
			p[i] = want[i] = (double)(int64_t)(r % 2000001) * 1e-6 - 1.0;
		}
		for (uint64_t t = 1; t <= 80; t++) {
			double bc1 = 1.0 - pow(o.beta1, (double)t), bc2 = 1.0 - pow(o.beta2, (double)t);
			double step_size = o.lr / bc1, bc2_sqrt = sqrt(bc2);

			for (size_t i = 0; i < n; i++) {
				r ^= r << 13, r ^= r >> 7, r ^= r << 17;
				g[i] = g2[i] = ((double)(int64_t)(r % 2000001) - 1000000.0) *
					       (t % 3 ? 1e-6 : 1e-2);
			}
			optim_rules[OPTIM_ADAM].step(&o, p, g, st, n, t);
			for (size_t i = 0; i < n; i++) {
				double denom;

				m[i] = m[i] * o.beta1 + (1.0 - o.beta1) * g2[i];
				v[i] = v[i] * o.beta2 + (1.0 - o.beta2) * g2[i] * g2[i];
				denom = (bc2_sqrt == 1.0 ? sqrt(v[i]) : sqrt(v[i]) / bc2_sqrt) + o.eps;
				want[i] = want[i] + -step_size * m[i] / denom;
			}
			for (size_t i = 0; i < n; i++)
				if (bits(p[i]) != bits(want[i]) || bits(st[i]) != bits(m[i]) ||
				    bits(st[n + i]) != bits(v[i]))
					fail_msg("n %zu step %llu parameter %zu: %a (m %a, v %a), want "
						 "%a (m %a, v %a)", n, (unsigned long long)t, i, p[i],
						 st[i], st[n + i], want[i], m[i], v[i]);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bias_correction_beta_0_9_matches_pow),
		cmocka_unit_test(test_adam_steps_match_torch_formula_one_parameter_at_a_time),
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
