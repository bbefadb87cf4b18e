/* test_kernel.c: every vector variant of the layer products equals the scalar reference bit for bit. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "kernel.h"

/* Shapes: every row count 1..9 and every width 1..37 on one side,
 * against these on the other (both below and past each variant's
 * blocks), then a few wide ones (past the back product's chunk). */
static const int other[] = {1, 2, 3, 5, 8, 13, 37};
static const int wide[][3] = {{4, 128, 128}, {4, 300, 40}, {5, 40, 520}, {9, 257, 33}, {256, 16, 1}};
#define N_OTHER (int)(sizeof other / sizeof *other)
#define N_WIDE (int)(sizeof wide / sizeof *wide)
#define MAX_ELEMS (600 * 600)

static double *x, *w, *b, *out_ref, *out_var;
static uint64_t rng_state = 88172645463325252ull;

/* Values of many magnitudes and both signs, some zeros of each sign:
 * sums where the order of rounding shows. */
static double draw(void)
{
	uint64_t r;

	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	r = rng_state;
	if (r % 31 == 0)
		return r & 32 ? -0.0 : 0.0;
	return ldexp((double)(r >> 11) / 9007199254740992.0, (int)(r % 41) - 20) *
	       (r & 64 ? -1.0 : 1.0);
}

static void fill(double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		v[i] = draw();
}

static int setup(void **state)
{
	(void)state;
	x = malloc(MAX_ELEMS * sizeof *x);
	w = malloc(MAX_ELEMS * sizeof *w);
	b = malloc(MAX_ELEMS * sizeof *b);
	out_ref = malloc(MAX_ELEMS * sizeof *out_ref);
	out_var = malloc(MAX_ELEMS * sizeof *out_var);
	return !(x && w && b && out_ref && out_var);
}

static int teardown(void **state)
{
	(void)state;
	free(x), free(w), free(b), free(out_ref), free(out_var);
	return 0;
}

/* Runs check(impl, rows, p, q) for every supported variant over every shape. */
static void each_shape(void (*check)(const struct kernel_impl *, int, int, int))
{
	int n_checked = 0;

	for (int v = 0; v < kernel_n_impls; v++) {
		if (!kernel_supported(v))
			continue;
		n_checked++;
		for (int rows = 1; rows <= 9; rows++)
			for (int p = 1; p <= 37; p++)
				for (int o = 0; o < N_OTHER; o++) {
					check(&kernel_impls[v], rows, p, other[o]);
					check(&kernel_impls[v], rows, other[o], p);
				}
		for (int s = 0; s < N_WIDE; s++)
			check(&kernel_impls[v], wide[s][0], wide[s][1], wide[s][2]);
	}
	assert_true(n_checked >= 1);
}

static void check_forward(const struct kernel_impl *impl, int rows, int n_in, int n_out)
{
	size_t n_z = (size_t)rows * (size_t)n_out;

	fill(x, (size_t)rows * (size_t)n_in);
	fill(w, (size_t)n_in * (size_t)n_out);
	fill(b, (size_t)n_out);
	kernel_ref.forward(x, w, b, out_ref, rows, n_in, n_out);
	impl->forward(x, w, b, out_var, rows, n_in, n_out);
	if (memcmp(out_ref, out_var, n_z * sizeof *out_ref) != 0)
		fail_msg("%s forward differs at rows %d, %d x %d", impl->name, rows, n_in, n_out);
}

static void check_back(const struct kernel_impl *impl, int rows, int n, int n_next)
{
	size_t n_d = (size_t)rows * (size_t)n;

	fill(x, (size_t)rows * (size_t)n_next);
	fill(w, (size_t)n * (size_t)n_next);
	kernel_ref.back(x, w, out_ref, rows, n, n_next);
	impl->back(x, w, out_var, rows, n, n_next);
	if (memcmp(out_ref, out_var, n_d * sizeof *out_ref) != 0)
		fail_msg("%s back differs at rows %d, %d x %d", impl->name, rows, n, n_next);
}

static void check_dw(const struct kernel_impl *impl, int rows, int n_in, int n_out)
{
	size_t n_g = (size_t)n_in * (size_t)n_out;

	fill(x, (size_t)rows * (size_t)n_in);
	fill(b, (size_t)rows * (size_t)n_out);
	kernel_ref.dw(x, b, out_ref, rows, n_in, n_out, 0.0, 0);
	impl->dw(x, b, out_var, rows, n_in, n_out, 0.0, 0);
	if (memcmp(out_ref, out_var, n_g * sizeof *out_ref) != 0)
		fail_msg("%s dw differs at rows %d, %d x %d", impl->name, rows, n_in, n_out);
	/* the step form: W += (a^T d) * lr on the same starting weights */
	fill(out_ref, n_g);
	memcpy(out_var, out_ref, n_g * sizeof *out_var);
	kernel_ref.dw(x, b, out_ref, rows, n_in, n_out, 0.1, 1);
	impl->dw(x, b, out_var, rows, n_in, n_out, 0.1, 1);
	if (memcmp(out_ref, out_var, n_g * sizeof *out_ref) != 0)
		fail_msg("%s dw step differs at rows %d, %d x %d", impl->name, rows, n_in, n_out);
}

static void test_every_variant_forward_equals_scalar_bits(void **state)
{
	(void)state;
	each_shape(check_forward);
}

static void test_every_variant_back_product_equals_scalar_bits(void **state)
{
	(void)state;
	each_shape(check_back);
}

static void test_every_variant_weight_gradient_equals_scalar_bits(void **state)
{
	(void)state;
	each_shape(check_dw);
}

/* The public entry points run a variant this CPU has: the same bits. */
static void test_dispatched_products_equal_scalar_bits(void **state)
{
	(void)state;
	assert_non_null(kernel_active());
	fill(x, 4 * 70), fill(w, 70 * 70), fill(b, 70);
	kernel_ref.forward(x, w, b, out_ref, 4, 70, 70);
	kernel_forward(x, w, b, out_var, 4, 70, 70);
	assert_memory_equal(out_ref, out_var, 4 * 70 * sizeof *out_ref);
	kernel_ref.back(x, w, out_ref, 4, 70, 70);
	kernel_back(x, w, out_var, 4, 70, 70);
	assert_memory_equal(out_ref, out_var, 4 * 70 * sizeof *out_ref);
	kernel_ref.dw(x, b, out_ref, 4, 70, 17, 0.0, 0);
	kernel_dw(x, b, out_var, 4, 70, 17);
	assert_memory_equal(out_ref, out_var, 70 * 17 * sizeof *out_ref);
	fill(out_ref, 70 * 17);
	memcpy(out_var, out_ref, 70 * 17 * sizeof *out_var);
	kernel_ref.dw(x, b, out_ref, 4, 70, 17, 0.5, 1);
	kernel_dw_step(x, b, out_var, 4, 70, 17, 0.5);
	assert_memory_equal(out_ref, out_var, 70 * 17 * sizeof *out_ref);
}

/* The reference is today's order: one sum from 0.0, products in index
 * order, bias last (checked on a case where another order rounds
 * differently). */
static void test_scalar_reference_sums_in_index_order(void **state)
{
	double xs[3] = {1.0, 1.0, 1.0}, ws[3] = {1e16, 1.0, -1e16}, bs[1] = {0.5}, z[1];
	double dn[3] = {1e16, 1.0, -1e16}, wn[3] = {1.0, 1.0, 1.0}, d[1];

	(void)state;
	kernel_ref.forward(xs, ws, bs, z, 1, 3, 1);
	assert_true(z[0] == ((0.0 + 1e16) + 1.0) - 1e16 + 0.5);
	kernel_ref.back(dn, wn, d, 1, 1, 3);
	assert_true(d[0] == ((0.0 + 1e16) + 1.0) - 1e16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_variant_forward_equals_scalar_bits),
		cmocka_unit_test(test_every_variant_back_product_equals_scalar_bits),
		cmocka_unit_test(test_every_variant_weight_gradient_equals_scalar_bits),
		cmocka_unit_test(test_dispatched_products_equal_scalar_bits),
		cmocka_unit_test(test_scalar_reference_sums_in_index_order),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
