/* test_config.c: reading configs and KEY=VALUE arguments: defaults, strict values, positions. */
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

static char path[64];

/* Writes text to a temporary config file and loads it. */
static int load(struct study *s, const char *text, struct err *e)
{
	FILE *f;
	int fd;

	strcpy(path, "/tmp/nnrun-test-XXXXXX.yaml");
	fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	int rc = config_load(s, path, e);
	unlink(path);
	return rc;
}

static void expect_error(const char *text, int line, int col, const char *msg);

/* An error of config_check, after a load that succeeds. */
static void expect_check_error(const char *text, int line, int col, const char *msg)
{
	struct study s;
	struct err e;

	assert_int_equal(load(&s, text, &e), 0);
	assert_int_equal(config_check(&s.base, &e), NN_EUSAGE);
	assert_string_equal(e.msg, msg);
	assert_int_equal(e.line, line);
	assert_int_equal(e.col, col);
	config_free_study(&s);
}

static void expect_error(const char *text, int line, int col, const char *msg)
{
	struct study s;
	struct err e;

	assert_int_equal(load(&s, text, &e), NN_EUSAGE);
	assert_string_equal(e.msg, msg);
	assert_int_equal(e.line, line);
	assert_int_equal(e.col, col);
	assert_string_equal(e.file, path);
	config_free_study(&s);
}

static void test_defaults_are_the_tutorial(void **state)
{
	struct study s;
	struct err e;
	(void)state;

	assert_int_equal(load(&s, "name: t\n", &e), 0);
	assert_int_equal(s.base.n_layers, 3);
	assert_int_equal(s.base.layers[1], 2);
	assert_int_equal(s.base.act[0], ACT_SIGMOID);
	assert_true(s.base.learning_rate == 0.1);
	assert_int_equal(s.base.epochs, 10000);
	assert_int_equal(s.base.seed, 42);
	assert_int_equal(s.base.init, NET_INIT_NORMAL);
	assert_int_equal(s.base.loss, NET_LOSS_MSE);
	assert_int_equal(s.base.log_every, 1);
	config_free_study(&s);
}

static void test_name_defaults_to_the_file_stem(void **state)
{
	struct study s;
	struct err e;
	char stem[64];
	(void)state;

	assert_int_equal(load(&s, "epochs: 5\n", &e), 0);
	snprintf(stem, sizeof stem, "%.*s", (int)(strlen(path) - 10), path + 5);
	assert_string_equal(s.base.name, stem);
	config_free_study(&s);
}

static void expect_name(const char *label, const char *name)
{
	struct study s;
	struct err e;

	assert_int_equal(config_load_buffer(&s, label, "epochs: 5\n", 10, &e), 0);
	assert_string_equal(s.base.name, name);
	config_free_study(&s);
}

static void test_name_drops_only_the_yaml_extension(void **state)
{
	(void)state;
	expect_name("configs/exp.v1.yaml", "exp.v1");
	expect_name("configs/exp.v2.yaml", "exp.v2");
	expect_name("xor-lr0.5.yaml", "xor-lr0.5");
	expect_name("a/b.c/xor.yml", "xor");
	expect_name("plain", "plain");
	expect_name("notes.txt", "notes.txt");
}

static void test_name_from_a_hidden_file_is_an_error(void **state)
{
	struct study s;
	struct err e;
	(void)state;

	assert_int_equal(config_load_buffer(&s, "configs/.hidden.yaml", "epochs: 5\n", 10, &e), NN_EUSAGE);
	assert_string_equal(e.file, "configs/.hidden.yaml");
	assert_string_equal(e.msg, "cannot name the study after the file '.hidden.yaml': give it a 'name:'");
	config_free_study(&s);
	assert_int_equal(config_load_buffer(&s, "configs/.yaml", "epochs: 5\n", 10, &e), NN_EUSAGE);
	config_free_study(&s);
}

static void test_name_may_hold_a_dot_but_not_start_with_one(void **state)
{
	(void)state;
	expect_error("name: .hidden\n", 1, 7, "name '.hidden' must not start with '.'");
	expect_error("name: ..\n", 1, 7, "name '..' must not start with '.'");
	expect_error("name: .\n", 1, 7, "name '.' must not start with '.'");
}

static void test_name_keeps_a_dot_inside(void **state)
{
	struct study s;
	struct err e;
	(void)state;

	assert_int_equal(load(&s, "name: exp.v1\n", &e), 0);
	assert_string_equal(s.base.name, "exp.v1");
	config_free_study(&s);
}

static void test_epochs_rejects_1e3(void **state)
{
	(void)state;
	expect_error("epochs: 1e3\n", 1, 9, "epochs must be a whole number in decimal digits, got '1e3'");
}

static void test_epochs_rejects_octal_looking_010(void **state)
{
	(void)state;
	expect_error("epochs: 010\n", 1, 9, "epochs must be written without leading zeros, got '010'");
}

static void test_learning_rate_rejects_junk_after_the_number(void **state)
{
	(void)state;
	expect_error("name: x\nlearning_rate: 0.1x\n", 2, 16, "learning_rate must be a decimal number, got '0.1x'");
}

static void test_learning_rate_rejects_nan(void **state)
{
	(void)state;
	expect_error("learning_rate: nan\n", 1, 16, "learning_rate must be a finite number > 0, got 'nan'");
}

static void test_seed_accepts_2_pow_32_minus_1_and_rejects_2_pow_32(void **state)
{
	struct study s;
	struct err e;
	(void)state;

	assert_int_equal(load(&s, "seed: 4294967295\n", &e), 0);
	assert_int_equal(s.base.seed, 4294967295u);
	config_free_study(&s);
	expect_error("seed: 4294967296\n", 1, 7, "seed must be between 0 and 4294967295, got 4294967296");
}

static void test_quoted_number_is_a_string_not_a_number(void **state)
{
	(void)state;
	expect_error("epochs: \"100\"\n", 1, 9, "epochs must be a whole number, not a quoted string \"100\"");
}

static void test_unknown_key_suggests_the_nearest(void **state)
{
	(void)state;
	expect_error("epochs: 3\nlearning_rat: 0.1\n", 2, 1, "unknown key 'learning_rat' (did you mean 'learning_rate'?)");
}

static void test_unknown_key_that_is_part_of_a_key_suggests_it(void **state)
{
	(void)state;
	expect_error("rate: 0.5\n", 1, 1, "unknown key 'rate' (did you mean 'learning_rate'?)");
}

static void test_duplicate_key_names_the_first(void **state)
{
	(void)state;
	expect_error("seed: 1\nseed: 2\n", 2, 1, "duplicate key 'seed' (first on line 1)");
}

static void test_unknown_activation_lists_the_known(void **state)
{
	(void)state;
	expect_error("activation: softmax\n", 1, 13, "unknown activation 'softmax': expected sigmoid, tanh or relu");
}

static void test_layers_need_two_inputs_and_one_output(void **state)
{
	(void)state;
	expect_check_error("layers: [3, 2, 1]\n", 1, 10, "the input layer must have width 2 (task xor has 2 inputs and 1 output), got 3");
	expect_check_error("layers: [2, 2, 2]\n", 1, 16, "the output layer must have width 1 (task xor has 2 inputs and 1 output), got 2");
}

static void test_layers_must_fit_the_task_with_the_tasks_widths(void **state)
{
	(void)state;
	expect_check_error("task: parity-3\n", 1, 7, "the input layer must have width 3 (task parity-3 has 3 inputs and 1 output), got 2");
	expect_check_error("task: encoder-8\nlayers: [8, 3, 1]\n", 2, 16, "the output layer must have width 8 (task encoder-8 has 8 inputs and 8 outputs), got 1");
	expect_check_error("layers: [2, 2, 1]\nhidden: [4]\n", 2, 9, "give layers or hidden, not both");
	expect_error("task: parity-17\n", 1, 7, "unknown task 'parity-17': expected " TASK_NAMES);
	expect_error("task: parity-03\n", 1, 7, "unknown task 'parity-03': expected " TASK_NAMES);
	expect_error("hidden: 4\n", 1, 9, "hidden must be a list of widths, like [4] or [8, 8]");
}

/* A task's rows times the widths bound the network's memory. */
static void test_rows_through_wide_layers_are_limited(void **state)
{
	(void)state;
	expect_check_error("task: parity-16\nhidden: [256]\n", 2, 9,
			   "task parity-16's 65536 rows through layers this wide hold 34870017 values, more than the limit of 32000000");
}

/* hidden takes the ends from the task, and the resolved config says
 * layers, as config.yaml writes it. */
static void test_hidden_takes_the_tasks_widths(void **state)
{
	struct study s;
	struct err e;
	char buf[1024];
	(void)state;

	assert_int_equal(load(&s, "task: encoder-8\nhidden: [3]\n", &e), 0);
	assert_int_equal(config_check(&s.base, &e), 0);
	assert_int_equal(config_format(&s.base, buf, sizeof buf) > 0, 1);
	assert_non_null(strstr(buf, "layers: [8, 3, 8]\n"));
	assert_non_null(strstr(buf, "task: encoder-8\n"));
	assert_null(strstr(buf, "hidden"));
	config_free_study(&s);
}

/* task was added after run ids were published: at its default xor the
 * resolved config does not name it, so the tutorial's id stays. */
static void test_default_task_is_not_written(void **state)
{
	struct config d;
	char buf[1024];
	(void)state;

	config_defaults(&d);
	assert_true(config_format(&d, buf, sizeof buf) > 0);
	assert_null(strstr(buf, "task"));
}

static void test_empty_file_is_an_error(void **state)
{
	(void)state;
	expect_error("# only a comment\n", 0, 0, "the config is empty: expected keys such as 'epochs: 10000'");
}

static void test_name_must_not_escape_the_results(void **state)
{
	(void)state;
	expect_error("name: ../x\n", 1, 7, "name '../x' may hold only letters, digits, '-', '_' and '.' (it names a folder under the results)");
}

static void test_activation_list_is_one_per_hidden_layer(void **state)
{
	struct study s;
	struct err e;
	(void)state;

	assert_int_equal(load(&s, "layers: [2, 3, 3, 1]\nactivation: [tanh, relu]\n", &e), 0);
	assert_int_equal(config_check(&s.base, &e), 0);
	config_free_study(&s);
	assert_int_equal(load(&s, "layers: [2, 3, 1]\nactivation: [tanh, relu]\n", &e), 0);
	assert_int_equal(config_check(&s.base, &e), NN_EUSAGE);
	assert_string_equal(e.msg, "activation lists 2 names but layers has 1 hidden layer");
	assert_int_equal(e.line, 2);
	config_free_study(&s);
}

static void test_override_is_checked_like_the_file(void **state)
{
	struct study s;
	struct err e;
	(void)state;

	assert_int_equal(load(&s, "name: t\n", &e), 0);
	assert_int_equal(config_apply_arg(&s, "epochs=1_000", &e), NN_EUSAGE);
	assert_string_equal(e.msg, "epochs=1_000: epochs must be a whole number in decimal digits, got '1_000'");
	assert_string_equal(e.file, "");
	assert_int_equal(config_apply_arg(&s, "layers=[2,4,1]", &e), 0);
	assert_int_equal(s.base.layers[1], 4);
	assert_int_equal(config_apply_arg(&s, "learning_rate=0.5", &e), 0);
	assert_true(s.base.learning_rate == 0.5);
	config_free_study(&s);
}

static void test_initials_of_a_key_suggest_it(void **state)
{
	(void)state;
	expect_error("lr: 0.5\n", 1, 1, "unknown key 'lr' (did you mean 'learning_rate'?)");
	expect_error("le: 5\n", 1, 1, "unknown key 'le' (did you mean 'log_every'?)");
}

static void test_range_without_spaces_blames_yaml(void **state)
{
	(void)state;
	expect_error("sweep:\n  seed: {from:1,to:5}\n", 2, 9,
		     "YAML needs a space after ':' in a flow mapping: write {from: 1, to: 5}");
}

static void test_override_range_without_spaces_blames_yaml(void **state)
{
	struct study s;
	struct err e;
	(void)state;

	assert_int_equal(load(&s, "name: t\n", &e), 0);
	assert_int_equal(config_apply_arg(&s, "seed={from:1,to:5}", &e), NN_EUSAGE);
	assert_string_equal(e.msg, "seed={from:1,to:5}: YAML needs a space after ':' in a flow mapping: write {from: 1, to: 5}");
	config_free_study(&s);
}

static void test_override_rejects_a_missing_equals_sign(void **state)
{
	struct study s;
	struct err e;
	(void)state;

	assert_int_equal(load(&s, "name: t\n", &e), 0);
	assert_int_equal(config_apply_arg(&s, "epochs", &e), NN_EUSAGE);
	assert_string_equal(e.msg, "expected KEY=VALUE, got 'epochs'");
	config_free_study(&s);
}

static void test_resolved_config_reads_back_to_itself(void **state)
{
	struct study s, t;
	struct err e;
	char a[2048], b[2048];
	(void)state;

	assert_int_equal(load(&s, "name: r\nlayers: [2, 5, 3, 1]\nactivation: [relu, tanh]\n"
			       "learning_rate: 0.30000000000000004\nseed: 7\ninit: he\nloss: bce\n", &e), 0);
	assert_true(config_format(&s.base, a, sizeof a) > 0);
	assert_int_equal(load(&t, a, &e), 0);
	assert_true(config_format(&t.base, b, sizeof b) > 0);
	assert_string_equal(a, b);
	assert_true(t.base.learning_rate == 0.30000000000000004);
	config_free_study(&s);
	config_free_study(&t);
}

static void test_sweep_rejects_a_repeated_seed_at_its_second_place(void **state)
{
	(void)state;
	expect_error("sweep:\n  seed: [3, 1, 2, 1]\n", 2, 19,
		     "sweep of seed repeats 1 (value 4 equals value 2)");
}

static void test_sweep_rejects_0_10_after_0_1(void **state)
{
	(void)state;
	expect_error("sweep:\n  learning_rate: [0.1, 0.10]\n", 2, 24,
		     "sweep of learning_rate repeats 0.1 (value 2 equals value 1)");
}

static void test_sweep_rejects_a_repeat_on_the_command_line(void **state)
{
	struct study s;
	struct err e;
	(void)state;

	assert_int_equal(load(&s, "epochs: 10\n", &e), 0);
	assert_int_equal(config_apply_arg(&s, "layers=[2,2,1],[2, 2, 1]", &e), NN_EUSAGE);
	assert_string_equal(e.msg, "layers=[2,2,1],[2, 2, 1]: sweep of layers repeats [2, 2, 1] (value 2 equals value 1)");
	config_free_study(&s);
}

/* The table's defaults are what config_defaults sets, in their
 * canonical form, and each reads back through the key's own parser. */
static void test_every_default_is_the_tables_and_reads_back(void **state)
{
	struct config d;
	char v[256];
	(void)state;

	config_defaults(&d);
	for (int k = 0; k < KEY_COUNT; k++) {
		struct study s;
		struct err e;
		char arg[300];
		if (!config_keys[k].def)
			continue;
		assert_true(config_format_value(&d, (enum config_key)k, v, sizeof v) > 0);
		assert_string_equal(v, config_keys[k].def);
		snprintf(arg, sizeof arg, "%s=%s", config_keys[k].name, config_keys[k].def);
		assert_int_equal(load(&s, "epochs: 1\n", &e), 0);
		assert_int_equal(config_apply_arg(&s, arg, &e), 0);
		config_free_study(&s);
	}
}

/* Every key of the table is read from a file with its position, and
 * only keys of the table are. */
static void test_every_key_of_the_table_is_read_from_a_file(void **state)
{
	struct config d;
	(void)state;

	config_defaults(&d);
	for (int k = 0; k < KEY_COUNT; k++) {
		struct study s;
		struct err e;
		char text[400], v[256];
		/* the keys without a default: a name, hidden widths, a checksum,
		 * samples */
		snprintf(v, sizeof v, "%s", k == KEY_NAME ? "xor" :
			 k == KEY_DATA_XXH64 ? "0123456789abcdef" :
			 k == KEY_SAMPLES ? "5" : "[2]");
		if (config_keys[k].def)
			config_format_value(&d, (enum config_key)k, v, sizeof v);
		snprintf(text, sizeof text, "epochs: 7\n%s: %s\n", config_keys[k].name, v);
		if (k == KEY_EPOCHS)
			snprintf(text, sizeof text, "%s: %s\n", config_keys[k].name, v);
		assert_int_equal(load(&s, text, &e), 0);
		assert_int_equal(s.base.pos[k].line, k == KEY_EPOCHS ? 1 : 2);
		assert_int_equal(s.base.pos[k].col, (int)strlen(config_keys[k].name) + 3);
		config_free_study(&s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_are_the_tutorial),
		cmocka_unit_test(test_name_defaults_to_the_file_stem),
		cmocka_unit_test(test_name_drops_only_the_yaml_extension),
		cmocka_unit_test(test_name_from_a_hidden_file_is_an_error),
		cmocka_unit_test(test_name_may_hold_a_dot_but_not_start_with_one),
		cmocka_unit_test(test_name_keeps_a_dot_inside),
		cmocka_unit_test(test_epochs_rejects_1e3),
		cmocka_unit_test(test_epochs_rejects_octal_looking_010),
		cmocka_unit_test(test_learning_rate_rejects_junk_after_the_number),
		cmocka_unit_test(test_learning_rate_rejects_nan),
		cmocka_unit_test(test_seed_accepts_2_pow_32_minus_1_and_rejects_2_pow_32),
		cmocka_unit_test(test_quoted_number_is_a_string_not_a_number),
		cmocka_unit_test(test_unknown_key_suggests_the_nearest),
		cmocka_unit_test(test_unknown_key_that_is_part_of_a_key_suggests_it),
		cmocka_unit_test(test_initials_of_a_key_suggest_it),
		cmocka_unit_test(test_range_without_spaces_blames_yaml),
		cmocka_unit_test(test_override_range_without_spaces_blames_yaml),
		cmocka_unit_test(test_duplicate_key_names_the_first),
		cmocka_unit_test(test_unknown_activation_lists_the_known),
		cmocka_unit_test(test_sweep_rejects_a_repeated_seed_at_its_second_place),
		cmocka_unit_test(test_sweep_rejects_0_10_after_0_1),
		cmocka_unit_test(test_sweep_rejects_a_repeat_on_the_command_line),
		cmocka_unit_test(test_layers_need_two_inputs_and_one_output),
		cmocka_unit_test(test_layers_must_fit_the_task_with_the_tasks_widths),
		cmocka_unit_test(test_hidden_takes_the_tasks_widths),
		cmocka_unit_test(test_rows_through_wide_layers_are_limited),
		cmocka_unit_test(test_default_task_is_not_written),
		cmocka_unit_test(test_empty_file_is_an_error),
		cmocka_unit_test(test_name_must_not_escape_the_results),
		cmocka_unit_test(test_activation_list_is_one_per_hidden_layer),
		cmocka_unit_test(test_override_is_checked_like_the_file),
		cmocka_unit_test(test_override_rejects_a_missing_equals_sign),
		cmocka_unit_test(test_resolved_config_reads_back_to_itself),
		cmocka_unit_test(test_every_default_is_the_tables_and_reads_back),
		cmocka_unit_test(test_every_key_of_the_table_is_read_from_a_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL) ? 1 : 0;
}
