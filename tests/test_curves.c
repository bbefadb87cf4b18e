/* test_curves.c: a group's loss curve keeps a bounded number of points, and feeds them right. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "curves.h"
#include "study.h"

static struct curves_acc acc_for(uint64_t epochs, uint64_t every)
{
	struct curves_acc a;
	struct config c;

	config_defaults(&c);
	c.epochs = epochs;
	c.log_every = every;
	curves_acc_init(&a, &c);
	return a;
}

static void test_a_few_runs_keep_every_point_up_to_the_maximum(void **state)
{
	struct curves_acc a = acc_for(1000, 1);
	(void)state;

	curves_acc_plan(&a, 30);
	assert_int_equal(a.grid.n, 1000);
	a = acc_for(100001, 1);
	curves_acc_plan(&a, 30);
	assert_true(a.grid.n <= CURVES_MAX_POINTS + 1);
	assert_int_equal(a.grid.last, 100000);
}

static void test_many_runs_keep_fewer_points_within_the_budget(void **state)
{
	struct curves_acc a = acc_for(10000, 1);
	(void)state;

	curves_acc_plan(&a, 1000);
	assert_true(a.grid.n * 1000 <= CURVES_BUDGET + 1000);
	assert_true(a.grid.n > CURVES_MIN_POINTS);
	assert_int_equal(a.grid.last, 9999);   /* the last epoch is still kept */
}

static void test_a_huge_group_keeps_the_minimum(void **state)
{
	struct curves_acc a = acc_for(10000, 1);
	(void)state;

	curves_acc_plan(&a, 1000000);
	assert_true(a.grid.n >= CURVES_MIN_POINTS && a.grid.n <= CURVES_MIN_POINTS + 1);
}

/* A group of more runs than CURVES_MAX_RUNS: its curve is drawn from
 * the first of them, and holds no more than that many runs' points. */
static void test_a_huge_group_holds_at_most_its_first_runs(void **state)
{
	static const char loss[] = "epoch,loss\n0,0.5\n1,0.25\n2,0.125\n";
	struct curves_acc a = acc_for(3, 1);
	struct curves_feed feed;
	struct curve cv;
	struct err e;
	(void)state;

	curves_acc_plan(&a, CURVES_MAX_RUNS + 100);
	for (unsigned r = 0; r < CURVES_MAX_RUNS + 100; r++) {
		assert_int_equal(curves_acc_begin(&a, &feed, &e), 0);
		curves_acc_feed(&a, "loss.csv", loss, sizeof loss - 1, &e);
		assert_int_equal(curves_acc_end(&a, 1, "loss.csv", &e), 0);
	}
	assert_int_equal(a.runs, CURVES_MAX_RUNS);
	assert_true(a.cap <= CURVES_MAX_RUNS);
	assert_int_equal(curves_acc_finish(&a, "g", &cv, &e), 0);
	assert_int_equal(cv.runs, CURVES_MAX_RUNS);
	assert_int_equal(cv.n, 3);
	assert_true(cv.median[2] == 0.125);
	curves_clear(&cv);
}

static void test_the_grid_keeps_log_every(void **state)
{
	struct curves_acc a = acc_for(10000, 10);
	(void)state;

	curves_acc_plan(&a, 1000);
	assert_int_equal(a.grid.step % 10, 0);
	assert_int_equal(a.grid.every, 10);
}

/* A value and where it stood: sorted by both, the one stable order. */
struct ranked {
	double v;
	size_t at;
};

static int cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->v != y->v)
		return x->v < y->v ? -1 : 1;
	return (x->at > y->at) - (x->at < y->at);
}

static void test_study_sort_is_stable_so_zero_and_minus_zero_keep_their_order(void **state)
{
	static double v[600];
	static struct ranked r[600];
	uint64_t x = 88172645463325252ULL;

	(void)state;
	for (size_t n = 0; n <= 600; n += n < 40 ? 1 : 37) {
		for (int t = 0; t < 20; t++) {
			for (size_t i = 0; i < n; i++) {
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				/* Few distinct values, signed zeros among them. */
				v[i] = x % 5 == 0 ? 0.0 : x % 5 == 1 ? -0.0 :
				       (double)(x % (t + 2)) * 0.5 + (x % 7 == 0 ? 1e300 * 10 : 0);
				r[i] = (struct ranked){ v[i], i };
			}
			study_sort(v, n);
			qsort(r, n, sizeof *r, cmp_ranked);
			for (size_t i = 0; i < n; i++)
				assert_memory_equal(&v[i], &r[i].v, sizeof v[i]);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_few_runs_keep_every_point_up_to_the_maximum),
		cmocka_unit_test(test_many_runs_keep_fewer_points_within_the_budget),
		cmocka_unit_test(test_a_huge_group_keeps_the_minimum),
		cmocka_unit_test(test_a_huge_group_holds_at_most_its_first_runs),
		cmocka_unit_test(test_the_grid_keeps_log_every),
		cmocka_unit_test(test_study_sort_is_stable_so_zero_and_minus_zero_keep_their_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
