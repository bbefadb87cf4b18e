/* test_curves.c: a group's loss curve keeps a bounded number of points, and feeds them right. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "config.h"
#include "curves.h"

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

static void test_the_grid_keeps_log_every(void **state)
{
	struct curves_acc a = acc_for(10000, 10);
	(void)state;

	curves_acc_plan(&a, 1000);
	assert_int_equal(a.grid.step % 10, 0);
	assert_int_equal(a.grid.every, 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_few_runs_keep_every_point_up_to_the_maximum),
		cmocka_unit_test(test_many_runs_keep_fewer_points_within_the_budget),
		cmocka_unit_test(test_a_huge_group_keeps_the_minimum),
		cmocka_unit_test(test_the_grid_keeps_log_every),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
