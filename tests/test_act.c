/* test_act.c: activation names and each row's f and f'. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "act.h"

static void test_every_activation_name_reads_back(void **state)
{
	(void)state;
	for (int i = 0; i < ACT_COUNT; i++) {
		enum act a = ACT_COUNT;

		assert_non_null(act_names[i]);
		assert_int_equal(act_from_name(act_names[i], &a), 0);
		assert_int_equal(a, i);
	}
}

static void test_act_from_name_rejects_unknown_names(void **state)
{
	static const char *const bad[] = {"", "Sigmoid", "relu ", "softmax",
					  "tan"};
	enum act a = ACT_COUNT;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(act_from_name(bad[i], &a), -1);
	assert_int_equal(a, ACT_COUNT);
}

static void test_forward_applies_each_function(void **state)
{
	double s[3] = {0.0, 1.0, -1.0}, t[3] = {0.0, 1.0, -1.0},
	       r[3] = {0.0, 2.5, -1.0};

	(void)state;
	act_forward(ACT_SIGMOID, s, 3);
	assert_true(s[0] == 0.5 && s[1] == 1.0 / (1.0 + exp(-1.0)));
	act_forward(ACT_TANH, t, 3);
	assert_true(t[0] == 0.0 && t[1] == tanh(1.0) && t[2] == -tanh(1.0));
	act_forward(ACT_RELU, r, 3);
	assert_true(r[0] == 0.0 && r[1] == 2.5 && r[2] == 0.0);
}

static void test_backward_uses_each_derivative_of_the_output(void **state)
{
	const double a[2] = {0.25, 0.0};
	double s[2] = {2, 2}, t[2] = {2, 2}, r[2] = {2, 2};

	(void)state;
	act_backward(ACT_SIGMOID, a, s, 2);
	assert_true(s[0] == 2 * 0.1875 && s[1] == 0.0);
	act_backward(ACT_TANH, a, t, 2);
	assert_true(t[0] == 2 * 0.9375 && t[1] == 2.0);
	act_backward(ACT_RELU, a, r, 2);
	assert_true(r[0] == 2.0 && r[1] == 0.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_activation_name_reads_back),
		cmocka_unit_test(test_act_from_name_rejects_unknown_names),
		cmocka_unit_test(test_forward_applies_each_function),
		cmocka_unit_test(test_backward_uses_each_derivative_of_the_output),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	return rc ? 1 : 0;
}
