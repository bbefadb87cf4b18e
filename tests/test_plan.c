/* test_plan.c: expanding sweeps into runs: product, order, ranges, command-line sweeps, ids. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "hash.h"
#include "plan.h"

static int load(struct study *s, const char *text, struct err *e)
{
	char path[] = "/tmp/nnrun-plan-XXXXXX.yaml";
	int fd = mkstemps(path, 5), rc;
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	rc = config_load(s, path, e);
	unlink(path);
	return rc;
}

static void describe(const struct plan *p, uint64_t i, char *buf, size_t max)
{
	struct config c;
	struct err e;

	assert_int_equal(plan_config(p, i, &c, &e), 0);
	assert_true(plan_describe(p, &c, buf, max) >= 0);
}

static void test_plan_is_the_product_with_the_last_key_fastest(void **state)
{
	struct study s;
	struct plan p;
	struct err e;
	char d[256];
	(void)state;

	assert_int_equal(load(&s, "sweep:\n  activation: [sigmoid, tanh, relu]\n"
			       "  learning_rate: [0.1, 0.5]\n", &e), 0);
	assert_int_equal(plan_build(&p, &s, &e), 0);
	assert_int_equal(p.count, 6);
	describe(&p, 0, d, sizeof d);
	assert_string_equal(d, "activation=sigmoid learning_rate=0.1");
	describe(&p, 1, d, sizeof d);
	assert_string_equal(d, "activation=sigmoid learning_rate=0.5");
	describe(&p, 5, d, sizeof d);
	assert_string_equal(d, "activation=relu learning_rate=0.5");
	config_free_study(&s);
}

static void test_key_set_outside_and_inside_the_sweep_is_swept(void **state)
{
	struct study s;
	struct plan p;
	struct err e;
	struct config c;
	(void)state;

	assert_int_equal(load(&s, "seed: 9\nsweep:\n  seed: [1, 2]\n", &e), 0);
	assert_int_equal(plan_build(&p, &s, &e), 0);
	assert_int_equal(p.count, 2);
	assert_int_equal(plan_config(&p, 0, &c, &e), 0);
	assert_int_equal(c.seed, 1);
	config_free_study(&s);
	assert_int_equal(load(&s, "sweep:\n  seed: [1, 2]\nseed: 9\n", &e), 0);
	assert_int_equal(plan_build(&p, &s, &e), 0);
	assert_int_equal(p.count, 2);
	config_free_study(&s);
}

static void test_range_is_inclusive(void **state)
{
	struct study s;
	struct plan p;
	struct err e;
	struct config c;
	(void)state;

	assert_int_equal(load(&s, "sweep:\n  seed: {from: 5, to: 104}\n", &e), 0);
	assert_int_equal(plan_build(&p, &s, &e), 0);
	assert_int_equal(p.count, 100);
	assert_int_equal(plan_config(&p, 0, &c, &e), 0);
	assert_int_equal(c.seed, 5);
	assert_int_equal(plan_config(&p, 99, &c, &e), 0);
	assert_int_equal(c.seed, 104);
	config_free_study(&s);
}

static void test_architectures_are_sweepable(void **state)
{
	struct study s;
	struct plan p;
	struct err e;
	struct config c;
	(void)state;

	assert_int_equal(load(&s, "sweep:\n  layers: [[2, 2, 1], [2, 4, 4, 1]]\n", &e), 0);
	assert_int_equal(plan_build(&p, &s, &e), 0);
	assert_int_equal(p.count, 2);
	assert_int_equal(plan_config(&p, 1, &c, &e), 0);
	assert_int_equal(c.n_layers, 4);
	assert_int_equal(c.layers[2], 4);
	config_free_study(&s);
}

static void test_command_line_commas_inside_brackets_do_not_split(void **state)
{
	struct study s;
	struct plan p;
	struct err e;
	char d[256];
	(void)state;

	assert_int_equal(load(&s, "name: t\n", &e), 0);
	assert_int_equal(config_apply_arg(&s, "layers=[2,2,1],[2,4,1]", &e), 0);
	assert_int_equal(config_apply_arg(&s, "seed=1,2,3", &e), 0);
	assert_int_equal(plan_build(&p, &s, &e), 0);
	assert_int_equal(p.count, 6);
	describe(&p, 3, d, sizeof d);
	assert_string_equal(d, "layers=[2, 4, 1] seed=1");
	config_free_study(&s);
}

static void test_command_line_range_sweeps_like_the_file(void **state)
{
	struct study s;
	struct plan p;
	struct err e;
	struct config c;
	(void)state;

	assert_int_equal(load(&s, "name: t\n", &e), 0);
	assert_int_equal(config_apply_arg(&s, "seed={from: 3, to: 7}", &e), 0);
	assert_int_equal(plan_build(&p, &s, &e), 0);
	assert_int_equal(p.count, 5);
	assert_int_equal(plan_config(&p, 4, &c, &e), 0);
	assert_int_equal(c.seed, 7);
	config_free_study(&s);
}

static void test_sweep_value_is_checked_with_its_position(void **state)
{
	struct study s;
	struct err e;
	(void)state;

	assert_int_equal(load(&s, "sweep:\n  epochs: [10, 1e3]\n", &e), NN_EUSAGE);
	assert_string_equal(e.msg, "epochs must be a whole number in decimal digits, got '1e3'");
	assert_int_equal(e.line, 2);
	assert_int_equal(e.col, 16);
	config_free_study(&s);
}

static void test_seed_range_of_2_pow_32_is_refused_at_once(void **state)
{
	struct study s;
	struct err e;
	(void)state;

	assert_int_equal(load(&s, "sweep:\n  seed: {from: 0, to: 4294967295}\n", &e), NN_EUSAGE);
	assert_string_equal(e.msg, "the range holds 4294967296 values, more than the limit of 1000000 runs");
	config_free_study(&s);
}

static void test_product_over_the_run_limit_is_refused(void **state)
{
	struct study s;
	struct plan p;
	struct err e;
	(void)state;

	assert_int_equal(load(&s, "sweep:\n  seed: {from: 1, to: 1000}\n  epochs: {from: 1, to: 1001}\n", &e), 0);
	assert_int_equal(plan_build(&p, &s, &e), NN_EUSAGE);
	assert_string_equal(e.msg, "the sweep makes more than 1000000 runs");
	config_free_study(&s);
}

static void test_bad_combination_fails_before_anything_runs(void **state)
{
	struct study s;
	struct plan p;
	struct err e;
	(void)state;

	assert_int_equal(load(&s, "activation: [tanh, relu]\nsweep:\n  layers: [[2, 3, 3, 1], [2, 3, 1]]\n", &e), 0);
	assert_int_equal(plan_build(&p, &s, &e), NN_EUSAGE);
	assert_string_equal(e.msg, "activation lists 2 names but layers has 1 hidden layer");
	config_free_study(&s);
}

static void test_selection_checks_only_its_own_runs(void **state)
{
	struct study s;
	struct plan p;
	struct err e;
	struct plan_sel first_two = { 0, 1, 2 }, last = { 3, 1, 1 }, odd = { 1, 2, 2 };
	(void)state;

	assert_int_equal(load(&s, "activation: [tanh, relu]\nsweep:\n  layers: [[2, 3, 3, 1], [2, 3, 1]]\n  seed: [1, 2]\n", &e), 0);
	assert_int_equal(plan_count(&p, &s, &e), 0);
	assert_int_equal(p.count, 4);
	assert_int_equal(plan_check(&p, &first_two, &e), 0);
	assert_int_equal(plan_check(&p, &last, &e), NN_EUSAGE);
	assert_string_equal(e.msg, "activation lists 2 names but layers has 1 hidden layer");
	assert_int_equal(plan_check(&p, &odd, &e), NN_EUSAGE);
	config_free_study(&s);
}

static void test_selection_decodes_the_plans_runs(void **state)
{
	struct study s;
	struct plan p;
	struct err e;
	struct plan_sel shard = { 1, 3, 2 };
	char d[256];
	(void)state;

	assert_int_equal(load(&s, "sweep:\n  learning_rate: [0.1, 0.5]\n  seed: {from: 1, to: 3}\n", &e), 0);
	assert_int_equal(plan_count(&p, &s, &e), 0);
	assert_int_equal(plan_sel_index(&shard, 1), 4);
	describe(&p, plan_sel_index(&shard, 1), d, sizeof d);
	assert_string_equal(d, "learning_rate=0.5 seed=2");
	config_free_study(&s);
}

static void test_run_id_is_the_same_for_the_same_config_only(void **state)
{
	struct config a, b;
	char ia[PLAN_ID_MAX], ib[PLAN_ID_MAX];
	(void)state;

	config_defaults(&a);
	config_defaults(&b);
	strcpy(b.name, "another-study");
	plan_run_id(&a, ia);
	plan_run_id(&b, ib);
	assert_string_equal(ia, ib);
	assert_int_equal(strncmp(ia, "2-2-1_sigmoid_lr0.1_s42_", 24), 0);
	assert_int_equal(strlen(ia), 24 + 16);
	b.epochs = 10001;
	plan_run_id(&b, ib);
	assert_string_not_equal(ia, ib);
	b.epochs = a.epochs;
	b.init = NET_INIT_HE;
	plan_run_id(&b, ib);
	assert_string_not_equal(ia, ib);
}

/* The id's last 16 hex digits are XXH64 of config.yaml's keys but name,
 * exactly as written: anyone can recompute it with xxhsum. */
static void test_run_id_ends_with_xxh64_of_the_config_but_name(void **state)
{
	struct config c;
	char id[PLAN_ID_MAX], text[1024], want[17];
	int n;
	(void)state;

	config_defaults(&c);
	strcpy(c.name, "xor");
	n = config_format(&c, text, sizeof text);
	assert_true(n > 0);
	assert_int_equal(strncmp(text, "name: xor\n", 10), 0);
	snprintf(want, sizeof want, "%016llx",
		 (unsigned long long)hash_bytes(text + 10, (size_t)n - 10));
	plan_run_id(&c, id);
	assert_string_equal(id + strlen(id) - 16, want);
	assert_string_equal(id, "2-2-1_sigmoid_lr0.1_s42_b320fc42950e5df0");
}

/* The id and the config text of the run loaded from text. */
static void resolved(const char *text, char id[PLAN_ID_MAX], char *yaml, size_t max)
{
	struct study s;
	struct plan p;
	struct config c;
	struct err e;

	assert_int_equal(load(&s, text, &e), 0);
	assert_int_equal(plan_build(&p, &s, &e), 0);
	assert_int_equal(plan_config(&p, 0, &c, &e), 0);
	plan_run_id(&c, id);
	strcpy(c.name, "same");   /* the name is no part of the run */
	assert_true(config_format(&c, yaml, max) > 0);
	config_free_study(&s);
}

static void assert_same_run(const char *a, const char *b)
{
	char ia[PLAN_ID_MAX], ib[PLAN_ID_MAX], ta[1024], tb[1024];

	resolved(a, ia, ta, sizeof ta);
	resolved(b, ib, tb, sizeof tb);
	assert_string_equal(ia, ib);
	assert_string_equal(ta, tb);
}

static void test_one_item_activation_list_is_the_same_run(void **state)
{
	(void)state;
	assert_same_run("activation: tanh\n", "activation: [tanh]\n");
}

static void test_repeated_activation_list_is_the_same_run(void **state)
{
	(void)state;
	assert_same_run("layers: [2, 3, 3, 1]\nactivation: relu\n",
			"layers: [2, 3, 3, 1]\nactivation: [relu, relu]\n");
}

static void test_learning_rate_0_10_is_0_1(void **state)
{
	(void)state;
	assert_same_run("learning_rate: 0.1\n", "learning_rate: 0.10\n");
	assert_same_run("learning_rate: 0.1\n", "learning_rate: 1e-1\n");
}

static void test_swept_and_fixed_values_are_the_same_run(void **state)
{
	(void)state;
	assert_same_run("name: a\nactivation: [tanh]\nseed: 7\n",
			"name: b\nsweep:\n  activation: [[tanh]]\n  seed: {from: 7, to: 7}\n");
}

/* The cross-key checks run for every planned run, whichever key is
 * swept: here task, which meets layers. */
static void test_every_run_is_checked_whatever_key_is_swept(void **state)
{
	struct study s;
	struct plan p;
	struct err e;
	(void)state;

	assert_int_equal(load(&s, "layers: [2, 2, 1]\nsweep:\n  task: [xor, parity-3]\n", &e), 0);
	assert_int_equal(plan_build(&p, &s, &e), NN_EUSAGE);
	assert_string_equal(e.msg, "the input layer must have width 3 (task parity-3 has 3 inputs and 1 output), got 2");
	assert_int_equal(e.line, 1);
	assert_int_equal(e.col, 10);
	config_free_study(&s);
}

/* hidden crosses tasks of different widths in one sweep. */
static void test_hidden_sweeps_across_tasks_of_other_widths(void **state)
{
	static const char *const want[] = { "2-4-1_", "3-4-1_", "4-4-4_" };
	struct study s;
	struct plan p;
	struct config c;
	struct err e;
	char id[PLAN_ID_MAX], d[256];
	(void)state;

	assert_int_equal(load(&s, "hidden: [4]\nsweep:\n  task: [xor, parity-3, encoder-4]\n", &e), 0);
	assert_int_equal(plan_build(&p, &s, &e), 0);
	assert_int_equal(p.count, 3);
	for (uint64_t i = 0; i < 3; i++) {
		assert_int_equal(plan_config(&p, i, &c, &e), 0);
		plan_run_id(&c, id);
		assert_int_equal(strncmp(id, want[i], strlen(want[i])), 0);
	}
	describe(&p, 2, d, sizeof d);
	assert_string_equal(d, "task=encoder-4");
	config_free_study(&s);
}

/* A task other than xor is part of the run's identity; xor itself, the
 * default, leaves the tutorial's id as it was. */
static void test_task_is_part_of_the_run_id(void **state)
{
	char a[PLAN_ID_MAX], b[PLAN_ID_MAX], x[PLAN_ID_MAX], ta[1024], tb[1024];
	(void)state;

	resolved("task: and\n", a, ta, sizeof ta);
	resolved("task: or\n", b, tb, sizeof tb);
	resolved("task: xor\n", x, tb, sizeof tb);
	assert_string_not_equal(a, b);
	assert_string_equal(x, "2-2-1_sigmoid_lr0.1_s42_b320fc42950e5df0");
	assert_non_null(strstr(ta, "task: and\n"));
}

/* Every key a sweep may take has a typed value: taken out of a config
 * and put into another, it reads as the same text. */
static void test_every_sweepable_key_has_a_typed_value(void **state)
{
	struct config d, c;
	(void)state;

	config_defaults(&d);
	d.use_hidden = 0;
	for (int k = 0; k < KEY_COUNT; k++) {
		struct config_value v;
		char a[256], b[256];
		if (!(config_keys[k].flags & CONFIG_SWEEP))
			continue;
		memset(&c, 0, sizeof c);
		assert_int_equal(config_value_get(&d, (enum config_key)k, &v), 0);
		config_value_put(&c, (enum config_key)k, &v);
		if (k == KEY_HIDDEN)
			continue;   /* no default */
		assert_true(config_format_value(&d, (enum config_key)k, a, sizeof a) >= 0);
		assert_true(config_format_value(&c, (enum config_key)k, b, sizeof b) >= 0);
		assert_string_equal(a, b);
	}
}

/* The drawn points are one axis, at the first random key's place: here
 * after seed, so each seed runs every point. */
static void test_random_points_are_one_axis_at_the_first_random_key(void **state)
{
	struct study s;
	struct plan p;
	struct err e;
	char d0[256], d1[256], d3[256];
	(void)state;

	assert_int_equal(load(&s, "samples: 3\nsweep:\n  seed: [1, 2]\n"
			       "  learning_rate: {uniform: [0.1, 0.9]}\n  activation: [tanh, relu]\n"
			       "  epochs: {int_uniform: [10, 99]}\n", &e), 0);
	assert_int_equal(plan_build(&p, &s, &e), 0);
	assert_int_equal(p.count, 12);
	describe(&p, 0, d0, sizeof d0);
	describe(&p, 1, d1, sizeof d1);
	describe(&p, 6, d3, sizeof d3);
	/* run 1: the same point, the next activation */
	assert_memory_equal(d0, "seed=1 learning_rate=", 21);
	assert_non_null(strstr(d0, " activation=tanh epochs="));
	assert_non_null(strstr(d1, " activation=relu epochs="));
	assert_string_equal(strstr(d0, " epochs="), strstr(d1, " epochs="));
	/* run 6: seed 2, the first point again */
	assert_memory_equal(d3, "seed=2 ", 7);
	assert_string_equal(strchr(d0, ' '), strchr(d3, ' '));
	config_free_study(&s);
}

/* RandomState(0).uniform(0.1, 0.9), twice: the points in order. */
static void test_random_points_are_randomstate_draws(void **state)
{
	struct study s;
	struct plan p;
	struct config c;
	struct err e;
	(void)state;

	assert_int_equal(load(&s, "samples: 2\nsweep:\n  learning_rate: {uniform: [0.1, 0.9]}\n", &e), 0);
	assert_int_equal(plan_build(&p, &s, &e), 0);
	assert_int_equal(plan_config(&p, 0, &c, &e), 0);
	assert_true(c.learning_rate == 0.1 + (0.9 - 0.1) * 0.5488135039273248);
	assert_int_equal(plan_config(&p, 1, &c, &e), 0);
	assert_true(c.learning_rate == 0.1 + (0.9 - 0.1) * 0.7151893663724195);
	config_free_study(&s);
}

static void test_random_sweep_without_samples_is_an_error(void **state)
{
	struct study s;
	struct plan p;
	struct err e;
	(void)state;

	assert_int_equal(load(&s, "sweep:\n  seed: {int_uniform: [1, 9]}\n", &e), 0);
	assert_int_equal(plan_count(&p, &s, &e), NN_EUSAGE);
	assert_int_equal(e.line, 2);
	assert_int_equal(e.col, 9);
	assert_string_equal(e.msg, "the random sweep of seed needs samples: N (how many points to draw)");
	config_free_study(&s);
}

/* A command line without the random key keeps the file's samples an error. */
static void test_overriding_the_random_key_leaves_samples_drawing_nothing(void **state)
{
	struct study s;
	struct plan p;
	struct err e;
	(void)state;

	assert_int_equal(load(&s, "samples: 4\nsweep:\n  seed: {int_uniform: [1, 999999]}\n", &e), 0);
	assert_int_equal(plan_count(&p, &s, &e), 0);
	assert_int_equal(p.count, 4);
	assert_int_equal(config_apply_arg(&s, "seed=3", &e), 0);
	assert_int_equal(plan_count(&p, &s, &e), NN_EUSAGE);
	assert_int_equal(e.line, 1);
	assert_non_null(strstr(e.msg, "samples draws nothing"));
	config_free_study(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_sweepable_key_has_a_typed_value),
		cmocka_unit_test(test_random_points_are_one_axis_at_the_first_random_key),
		cmocka_unit_test(test_random_points_are_randomstate_draws),
		cmocka_unit_test(test_random_sweep_without_samples_is_an_error),
		cmocka_unit_test(test_overriding_the_random_key_leaves_samples_drawing_nothing),
		cmocka_unit_test(test_every_run_is_checked_whatever_key_is_swept),
		cmocka_unit_test(test_hidden_sweeps_across_tasks_of_other_widths),
		cmocka_unit_test(test_task_is_part_of_the_run_id),
		cmocka_unit_test(test_plan_is_the_product_with_the_last_key_fastest),
		cmocka_unit_test(test_key_set_outside_and_inside_the_sweep_is_swept),
		cmocka_unit_test(test_range_is_inclusive),
		cmocka_unit_test(test_architectures_are_sweepable),
		cmocka_unit_test(test_command_line_commas_inside_brackets_do_not_split),
		cmocka_unit_test(test_command_line_range_sweeps_like_the_file),
		cmocka_unit_test(test_sweep_value_is_checked_with_its_position),
		cmocka_unit_test(test_seed_range_of_2_pow_32_is_refused_at_once),
		cmocka_unit_test(test_product_over_the_run_limit_is_refused),
		cmocka_unit_test(test_bad_combination_fails_before_anything_runs),
		cmocka_unit_test(test_selection_checks_only_its_own_runs),
		cmocka_unit_test(test_selection_decodes_the_plans_runs),
		cmocka_unit_test(test_run_id_is_the_same_for_the_same_config_only),
		cmocka_unit_test(test_run_id_ends_with_xxh64_of_the_config_but_name),
		cmocka_unit_test(test_one_item_activation_list_is_the_same_run),
		cmocka_unit_test(test_repeated_activation_list_is_the_same_run),
		cmocka_unit_test(test_learning_rate_0_10_is_0_1),
		cmocka_unit_test(test_swept_and_fixed_values_are_the_same_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL) ? 1 : 0;
}
