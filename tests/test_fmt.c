/* test_fmt.c: fmt_double writes what Python's repr does, and the shortest
 * decimal that reads back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

struct fmt_case {
	uint64_t bits;
	const char *repr;
};

#include "fixtures/fmt_cases.inc"

#define RANDOM_COUNT 10000000   /* over the three random tests */
#define RANDOM_COUNT_QUICK 100000
#define SUBNORMAL_COUNT 65536
#define SUBNORMAL_COUNT_QUICK 4096

static double from_bits(uint64_t b)
{
	double x;

	memcpy(&x, &b, sizeof x);
	return x;
}

static uint64_t to_bits(double x)
{
	uint64_t b;

	memcpy(&b, &x, sizeof b);
	return b;
}

/* NNRUN_TEST_QUICK (set under valgrind) shrinks the random tests. */
static long count(long full, long quick)
{
	return getenv("NNRUN_TEST_QUICK") ? quick : full;
}

/* splitmix64: a seeded stream of 64-bit patterns. */
static uint64_t next_u64(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static double next_unit(uint64_t *state)
{
	return (double)(next_u64(state) >> 11) * 0x1p-53;
}

static void check_cases(const struct fmt_case *cases, size_t n)
{
	char buf[FMT_DOUBLE_MAX];

	for (size_t i = 0; i < n; i++) {
		int len = fmt_double(buf, from_bits(cases[i].bits));

		if (strcmp(buf, cases[i].repr) != 0)
			fail_msg("0x%016llx: wrote \"%s\", repr gives \"%s\"",
				 (unsigned long long)cases[i].bits, buf,
				 cases[i].repr);
		assert_int_equal(len, strlen(cases[i].repr));
	}
}

#define CHECK_CASES(group) check_cases(group, sizeof group / sizeof group[0])

static int reads_back(const char *text, double x)
{
	return to_bits(strtod(text, NULL)) == to_bits(x);
}

/* The significant digits of a decimal text, without the zeros that lead
 * or trail them. */
static void significant(const char *text, char *digits)
{
	int n = 0;

	for (; *text && *text != 'e'; text++)
		if (*text >= '0' && *text <= '9' && (n > 0 || *text != '0'))
			digits[n++] = *text;
	while (n > 0 && digits[n - 1] == '0')
		n--;
	digits[n] = '\0';
}

/* Whether a decimal of p significant digits reads back as x > 0; if so,
 * digits gets the closest such. printf's "%.*e" rounds correctly, so its
 * decimal is the closest, and it reads back if any does when x's rounding
 * interval is symmetric. At a power of two the gap below is half the gap
 * above, so there the nearest decimal above can read back while the
 * closest, below, does not: that one is tried too. */
static int p_digits_read_back(double x, int p, char *digits)
{
	char text[48];
	unsigned long long m;
	int e;
	uint64_t b = to_bits(x);

	snprintf(text, sizeof text, "%.*e", p - 1, x);
	if (reads_back(text, x)) {
		significant(text, digits);
		return 1;
	}
	if ((b & ((UINT64_C(1) << 52) - 1)) != 0 || b >> 52 <= 1 ||
	    strtod(text, NULL) > x)
		return 0;
	significant(text, digits);
	m = strtoull(digits, NULL, 10);
	for (size_t i = strlen(digits); i < (size_t)p; i++)
		m *= 10;
	e = atoi(strchr(text, 'e') + 1) - (p - 1);
	snprintf(text, sizeof text, "%llue%d", m + 1, e);
	if (!reads_back(text, x))
		return 0;
	significant(text, digits);
	return 1;
}

/* fmt_double(x) reads back as x, and no shorter decimal does, and of the
 * decimals as short that do, it is the closest to x. */
static void check_shortest(double x)
{
	char buf[FMT_DOUBLE_MAX], ours[24], ref[24];
	int len = fmt_double(buf, x), n;

	assert_int_equal(len, strlen(buf));
	assert_true(len < FMT_DOUBLE_MAX);
	if (!reads_back(buf, x))
		fail_msg("%a: wrote \"%s\", which reads back as %a", x, buf,
			 strtod(buf, NULL));
	if (x == 0)
		return;
	assert_true((buf[0] == '-') == signbit(x));
	x = fabs(x);
	significant(buf, ours);
	n = (int)strlen(ours);
	if (n > 1 && p_digits_read_back(x, n - 1, ref))
		fail_msg("%a: wrote \"%s\", but \"%s\" reads back too", x, buf,
			 ref);
	if (!p_digits_read_back(x, n, ref) || strcmp(ours, ref) != 0)
		fail_msg("%a: wrote \"%s\", but the closest %d digits are %s",
			 x, buf, n, ref);
}

static void test_zeros_nan_inf_and_extremes_match_python_repr(void **state)
{
	(void)state;
	CHECK_CASES(fmt_cases_specials);
}

static void test_powers_of_ten_match_python_repr(void **state)
{
	(void)state;
	CHECK_CASES(fmt_cases_powers_of_ten);
}

static void test_powers_of_two_and_neighbours_match_python_repr(void **state)
{
	(void)state;
	CHECK_CASES(fmt_cases_powers_of_two);
}

static void test_scientific_below_1e_minus_4_and_from_1e16(void **state)
{
	(void)state;
	CHECK_CASES(fmt_cases_boundaries);
}

static void test_exact_ties_keep_the_even_digit(void **state)
{
	(void)state;
	CHECK_CASES(fmt_cases_ties);
}

static void test_scaled_value_just_above_an_integer_matches_repr(void **state)
{
	(void)state;
	CHECK_CASES(fmt_cases_near_integer);
}

static void test_integers_match_python_repr(void **state)
{
	(void)state;
	CHECK_CASES(fmt_cases_integers);
}

static void test_familiar_decimals_match_python_repr(void **state)
{
	(void)state;
	CHECK_CASES(fmt_cases_familiar);
}

static void test_random_doubles_match_python_repr(void **state)
{
	(void)state;
	CHECK_CASES(fmt_cases_random);
}

static void test_powers_of_two_are_shortest_with_their_uneven_gaps(void **state)
{
	(void)state;
	for (int e = -1074; e <= 1023; e++) {
		double x = ldexp(1.0, e);

		check_shortest(x);
		check_shortest(nextafter(x, 0));
		check_shortest(nextafter(x, INFINITY));
	}
}

static void test_small_subnormals_are_shortest(void **state)
{
	long n = count(SUBNORMAL_COUNT, SUBNORMAL_COUNT_QUICK);

	(void)state;
	for (long c = 1; c < n; c++)
		check_shortest(from_bits((uint64_t)c));
}

static void test_random_bit_patterns_are_shortest(void **state)
{
	uint64_t rng = 1;
	long n = count(RANDOM_COUNT, RANDOM_COUNT_QUICK) / 3;

	(void)state;
	for (long i = 0; i < n; i++) {
		double x = from_bits(next_u64(&rng));

		if (isnan(x))
			continue;
		if (isinf(x)) {
			char buf[FMT_DOUBLE_MAX];

			fmt_double(buf, x);
			assert_string_equal(buf, x > 0 ? "inf" : "-inf");
			continue;
		}
		check_shortest(x);
	}
}

static void test_random_unit_interval_is_shortest(void **state)
{
	uint64_t rng = 2;
	long n = count(RANDOM_COUNT, RANDOM_COUNT_QUICK) / 3;

	(void)state;
	for (long i = 0; i < n; i++)
		check_shortest(next_unit(&rng));
}

static void test_random_losses_1e_minus_12_to_1_are_shortest(void **state)
{
	uint64_t rng = 3;
	long n = count(RANDOM_COUNT, RANDOM_COUNT_QUICK);

	(void)state;
	n -= 2 * (n / 3);
	for (long i = 0; i < n; i++)
		check_shortest(pow(10.0, -12.0 * next_unit(&rng)));
}

/* fmt_parse_double must be strtod: the same bits and the same end. */
static void check_parse(const char *text)
{
	char *end, *want_end;
	double got = fmt_parse_double(text, &end), want = strtod(text, &want_end);

	if (to_bits(got) != to_bits(want) || end != want_end)
		fail_msg("\"%s\": %a ending at %td, strtod %a ending at %td", text, got,
			 end - text, want, want_end - text);
}

static void test_parse_reads_fmt_double_text_as_strtod(void **state)
{
	uint64_t rng = 4;
	long n = count(RANDOM_COUNT, RANDOM_COUNT_QUICK) / 3;

	(void)state;
	for (long i = 0; i < n; i++) {
		char buf[FMT_DOUBLE_MAX];
		uint64_t r = next_u64(&rng);

		/* Bit patterns, unit-interval values and losses in turn. */
		fmt_double(buf, i % 3 == 0 ? from_bits(r) : i % 3 == 1 ?
			   (double)(r >> 11) * 0x1p-53 :
			   pow(10.0, -12.0 * (double)(r >> 11) * 0x1p-53));
		check_parse(buf);
	}
}

static void test_parse_reads_every_precision_as_strtod(void **state)
{
	uint64_t rng = 5;
	long n = count(RANDOM_COUNT, RANDOM_COUNT_QUICK) / 8;

	(void)state;
	for (long i = 0; i < n; i++) {
		double x = from_bits(next_u64(&rng));
		char buf[64];

		if (!isfinite(x))
			continue;
		snprintf(buf, sizeof buf, "%.*g", (int)(i % 21) + 1, x);
		check_parse(buf);
		snprintf(buf, sizeof buf, "%.*e", (int)(i % 19), next_unit(&rng) * 1e5);
		check_parse(buf);
	}
}

/* Decimals of up to 20 random digits at random exponents, and the
 * integers and midpoints where 54 bits decide the rounding. */
static void test_parse_reads_random_decimals_and_ties_as_strtod(void **state)
{
	uint64_t rng = 6;
	long n = count(RANDOM_COUNT, RANDOM_COUNT_QUICK) / 6;

	(void)state;
	for (long i = 0; i < n; i++) {
		char buf[96];
		uint64_t m = next_u64(&rng), mod = 1;
		int digits = (int)(next_u64(&rng) % 20) + 1;
		int e = (int)(next_u64(&rng) % 700) - 350;
		double x = from_bits(next_u64(&rng) & ~(UINT64_C(1) << 63));

		for (int d = 0; d < digits && mod < UINT64_C(1000000000000000000); d++)
			mod *= 10;
		snprintf(buf, sizeof buf, "%s%llue%d", i & 1 ? "-" : "",
			 (unsigned long long)(m % mod), e);
		check_parse(buf);
		snprintf(buf, sizeof buf, "0.%0*llu", digits, (unsigned long long)(m % mod));
		check_parse(buf);
		/* 2^53 + k and x's exact midpoint with its upper neighbour. */
		snprintf(buf, sizeof buf, "%llu",
			 (unsigned long long)((UINT64_C(1) << 53) + (m % 4096)));
		check_parse(buf);
		if (isfinite(x) && isfinite(nextafter(x, INFINITY))) {
			long double mid = ((long double)x + (long double)nextafter(x, INFINITY)) / 2;
			snprintf(buf, sizeof buf, "%.*Lg", (int)(i % 25) + 1, mid);
			check_parse(buf);
		}
	}
}

static void test_parse_reads_odd_shapes_as_strtod(void **state)
{
	static const char *const texts[] = {
		"", "-", ".", "-.", "1.", ".5", "-.5", "1.e5", "1e", "1e+", "1e-",
		"1e5x", "1E5", "1e+05", "1e-00005", "1e99999", "1e-99999", "0x1p3",
		"0X10", " 1", "+1", "inf", "-inf", "nan", "infinity", "1,2", "00012.50",
		"-0", "-0.0e5", "0e999999", "0.000000000000000000000000000001",
		"12345678901234567890", "1234567890123456789", "9007199254740993",
		"9223372036854775808", "18446744073709551615", "18446744073709551616",
		"2.2250738585072011e-308", "2.2250738585072014e-308", "4.9e-324",
		"1.7976931348623157e308", "1.7976931348623159e308", "1e-292", "1e-293",
		"1e324", "1e23", "8.98846567431158e307", "0.1", "0.2696367200181884",
	};

	(void)state;
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		check_parse(texts[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zeros_nan_inf_and_extremes_match_python_repr),
		cmocka_unit_test(test_powers_of_ten_match_python_repr),
		cmocka_unit_test(test_powers_of_two_and_neighbours_match_python_repr),
		cmocka_unit_test(test_scientific_below_1e_minus_4_and_from_1e16),
		cmocka_unit_test(test_exact_ties_keep_the_even_digit),
		cmocka_unit_test(test_scaled_value_just_above_an_integer_matches_repr),
		cmocka_unit_test(test_integers_match_python_repr),
		cmocka_unit_test(test_familiar_decimals_match_python_repr),
		cmocka_unit_test(test_random_doubles_match_python_repr),
		cmocka_unit_test(test_powers_of_two_are_shortest_with_their_uneven_gaps),
		cmocka_unit_test(test_small_subnormals_are_shortest),
		cmocka_unit_test(test_random_bit_patterns_are_shortest),
		cmocka_unit_test(test_random_unit_interval_is_shortest),
		cmocka_unit_test(test_random_losses_1e_minus_12_to_1_are_shortest),
		cmocka_unit_test(test_parse_reads_fmt_double_text_as_strtod),
		cmocka_unit_test(test_parse_reads_every_precision_as_strtod),
		cmocka_unit_test(test_parse_reads_random_decimals_and_ties_as_strtod),
		cmocka_unit_test(test_parse_reads_odd_shapes_as_strtod),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	return rc ? 1 : 0;
}
