/* test_vexp.c: the vector exp (and its one-value form) gives libm's exp bit for bit, on random inputs over the whole range and every special case. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <float.h>
#include <cmocka.h>
#if defined(__GLIBC__)
#include <gnu/libc-version.h>
#endif

#include "act.h"
#include "vexp.h"

/* Random inputs: NNRUN_VEXP_COUNT if set (`make vexp-check` runs 10^8),
 * else 10^6, or 10^5 under NNRUN_TEST_QUICK (valgrind). */
static long count(void)
{
	if (getenv("NNRUN_VEXP_COUNT"))
		return atol(getenv("NNRUN_VEXP_COUNT"));
	return getenv("NNRUN_TEST_QUICK") ? 100000 : 1000000;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* A third each: uniform over (-800, 800) (past overflow and underflow),
 * magnitudes spread over 2^-80 .. 2^10 with either sign, and any bit
 * pattern at all (subnormals, infinities, NaNs). */
static double draw(void)
{
	uint64_t r = next();
	double u = (double)(r >> 11) / 9007199254740992.0, x;

	switch (r % 3) {
	case 0:
		return u * 1600.0 - 800.0;
	case 1:
		return ldexp(u, (int)(next() % 91) - 80) * (r & 8 ? -1.0 : 1.0);
	default:
		r = next();
		memcpy(&x, &r, sizeof x);
		return x;
	}
}

/* Fails with the first input whose vexp, or vexp_one where it is in
 * use, differs from exp in any bit. */
static void assert_same_as_libm(const double *x, int n)
{
	double y[256];

	memcpy(y, x, (size_t)n * sizeof *y);
	vexp(y, n);
	for (int i = 0; i < n; i++) {
		double want = exp(x[i]);

		if (memcmp(&want, &y[i], sizeof want) != 0)
			fail_msg("exp(%a): vexp %a, libm %a", x[i], y[i], want);
#ifdef VEXP_ONE
		if (vexp_exact()) {
			double one = vexp_one(x[i]);

			if (memcmp(&want, &one, sizeof want) != 0)
				fail_msg("exp(%a): vexp_one %a, libm %a", x[i], one, want);
		}
#endif
	}
}

static void test_vexp_equals_libm_on_random_inputs(void **state)
{
	double x[256];
	long n = count();

	(void)state;
	printf("vector exp %s; %ld random inputs\n", vexp_exact() ? "in use" : "off (libm)", n);
	for (long done = 0; done < n; done += 256) {
		for (int i = 0; i < 256; i++)
			x[i] = draw();
		assert_same_as_libm(x, 256);
	}
}

static void test_vexp_equals_libm_on_special_cases(void **state)
{
	const double special[] = {
		0.0, -0.0, INFINITY, -INFINITY, NAN, -NAN, DBL_MIN, -DBL_MIN,
		DBL_TRUE_MIN, -DBL_TRUE_MIN, DBL_MAX, -DBL_MAX, 1.0, -1.0,
		/* the main path's ends: 2^-54 <= |x| < 512 */
		0x1p-54, -0x1p-54, 0x1.fffffffffffffp-55, -0x1.fffffffffffffp-55,
		0x1.fffffffffffffp8, -0x1.fffffffffffffp8, 512.0, -512.0, 1024.0, -1024.0,
		/* overflow, the largest finite result, underflow, subnormal results */
		709.782712893384, 709.7827128933841, 709.78, 710.0,
		-708.39641853226408, -708.4, -720.0, -744.44007192138121,
		-745.13321910194110, -745.1332191019412, -746.0,
		/* halfway points of x * 128 / ln 2 and their neighbours */
		0.0027076061740558544, -0.0027076061740558544, 0.0027076061740558548,
		0.34657359027997264, -0.34657359027997264, 0.6931471805599453,
		-0.6931471805599453, 88.72283905206835, -87.33654475055310,
	};
	const int n = (int)(sizeof special / sizeof *special);

	(void)state;
	for (int i = 0; i < n; i += 4)
		assert_same_as_libm(special + i, n - i < 4 ? n - i : 4);
	assert_same_as_libm(special, n);
	/* every table entry, at and around k ln 2 / 128 */
	for (int k = -1000; k <= 1000; k += 4) {
		double x[12];

		for (int j = 0; j < 4; j++) {
			double c = (k + j) * 0.0054152123481117092;

			x[3 * j] = c, x[3 * j + 1] = nextafter(c, 1e9), x[3 * j + 2] = nextafter(c, -1e9);
		}
		assert_same_as_libm(x, 12);
	}
}

/* Where the sequence should run (AVX2 and FMA, glibc 2.36) it is in
 * use: a mistake in vexp4 or vexp_one fails the start-up check, which
 * turns the vector exp off silently (right elsewhere, a loss here). */
static void test_vexp_is_in_use_where_it_can_be(void **state)
{
	(void)state;
#if defined(VEXP_ONE)
	__builtin_cpu_init();
	if (getenv("NNRUN_EXP") || !__builtin_cpu_supports("avx2") ||
	    !__builtin_cpu_supports("fma") || strcmp(gnu_get_libc_version(), "2.36") != 0)
		skip();
	assert_int_equal(vexp_exact(), 1);
#else
	skip();
#endif
}

/* The sigmoid row of act.h, value for value, at every count (vector
 * blocks and the scalar rest). */
static void test_vexp_sigmoid_equals_the_act_row(void **state)
{
	double a[37], b[37];

	(void)state;
	for (int n = 1; n <= 37; n++)
		for (int rep = 0; rep < 50; rep++) {
			for (int i = 0; i < n; i++)
				a[i] = b[i] = (double)(int64_t)(next() % 2000001 - 1000000) * 1e-4;
			a[0] = b[0] = rep == 0 ? 800.0 : rep == 1 ? -800.0 : a[0];
			vexp_sigmoid(a, n);
			act_forward(ACT_SIGMOID, b, n);
			assert_memory_equal(a, b, (size_t)n * sizeof *a);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vexp_is_in_use_where_it_can_be),
		cmocka_unit_test(test_vexp_equals_libm_on_random_inputs),
		cmocka_unit_test(test_vexp_equals_libm_on_special_cases),
		cmocka_unit_test(test_vexp_sigmoid_equals_the_act_row),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
