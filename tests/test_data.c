/* test_data.c: data files: CSV with a header and FANN's .data, read strictly into a task's rows. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "hash.h"

static void parse_ok(struct data_table *t, const char *text, int fann)
{
	struct err e;

	if (data_parse(t, "t", text, strlen(text), fann, &e)) {
		fprintf(stderr, "%s:%d:%d: %s\n", e.file, e.line, e.col, e.msg);
		fail();
	}
}

static void expect_error(const char *text, int fann, int line, int col, const char *msg)
{
	struct data_table t;
	struct err e;

	assert_int_equal(data_parse(&t, "t", text, strlen(text), fann, &e), NN_EUSAGE);
	assert_string_equal(e.msg, msg);
	assert_int_equal(e.line, line);
	assert_int_equal(e.col, col);
	data_table_free(&t);
}

static void test_csv_reads_the_rows_after_the_header(void **state)
{
	struct data_table t;
	(void)state;

	parse_ok(&t, "a,b,y\n0,1,1\n1,0.5,-2e-3\n", 0);
	assert_int_equal(t.n_rows, 2);
	assert_int_equal(t.n_cols, 3);
	assert_int_equal(t.n_out, 0);
	assert_true(t.v[4] == 0.5 && t.v[5] == -2e-3);
	data_table_free(&t);
}

static void test_csv_takes_crlf_spaces_and_no_last_newline(void **state)
{
	struct data_table t;
	(void)state;

	parse_ok(&t, "a , b,y\r\n 0 ,\t1 ,1\r\n1,1,0", 0);
	assert_int_equal(t.n_rows, 2);
	assert_true(t.v[0] == 0 && t.v[1] == 1 && t.v[5] == 0);
	data_table_free(&t);
}

static void test_csv_numbers_read_as_strtod_reads_them(void **state)
{
	struct data_table t;
	(void)state;

	parse_ok(&t, "x,y\n0.1,2.2250738585072014e-308\n", 0);
	assert_true(t.v[0] == 0.1 && t.v[1] == 2.2250738585072014e-308);
	data_table_free(&t);
}

static void test_csv_rejects_what_would_lose_digits(void **state)
{
	(void)state;
	expect_error("x,y\n0,1e-400\n", 0, 2, 3, "number '1e-400' is too small for a double");
	expect_error("x,y\n0,0x1p3\n", 0, 2, 3,
		     "bad number '0x1p3': expected a finite decimal like 0, 1.5 or -2e-3");
	expect_error("x,y\n0,1e\n", 0, 2, 3,
		     "bad number '1e': expected a finite decimal like 0, 1.5 or -2e-3");
}

static void test_csv_needs_two_columns(void **state)
{
	(void)state;
	expect_error("y\n1\n", 0, 1, 1,
		     "the header names 1 column: at least 2 are needed (inputs, then targets)");
}

static void test_csv_position_of_a_short_row_is_its_end(void **state)
{
	(void)state;
	expect_error("a,b,y\n0,1,1\r\n0,1\r\n", 0, 3, 4, "row has 2 cells, the header 3");
}

static void test_fann_lines_do_not_matter_as_in_fanns_fscanf(void **state)
{
	struct data_table t;
	(void)state;

	parse_ok(&t, "2 2\n1\n0 0 0\n\n\t1 0 1   \n", 1);
	assert_int_equal(t.n_rows, 2);
	assert_int_equal(t.n_cols, 3);
	assert_int_equal(t.n_out, 1);
	assert_true(t.v[3] == 1 && t.v[4] == 0 && t.v[5] == 1);
	data_table_free(&t);
}

static void test_fann_xor_is_the_builtin_xor(void **state)
{
	static const char xor_data[] = "4 2 1\n0 0\n0\n0 1\n1\n1 0\n1\n1 1\n0\n";
	struct data_table t;
	struct task_data *a, *b;
	(void)state;

	parse_ok(&t, xor_data, 1);
	a = data_task(&t, 1);
	b = task_build("xor");
	assert_non_null(a);
	assert_memory_equal(&a->shape, &b->shape, sizeof a->shape);
	assert_memory_equal(a->x, b->x, 8 * sizeof(double));
	assert_memory_equal(a->y, b->y, 4 * sizeof(double));
	free(a);
	free(b);
	data_table_free(&t);
}

static void test_targets_are_the_last_columns(void **state)
{
	struct data_table t;
	struct task_data *d;
	struct task_shape sh;
	(void)state;

	parse_ok(&t, "a,b,c,d\n1,2,3,4\n5,6,7,8\n", 0);
	assert_int_equal(data_shape(&t, 4, &sh), -1);
	d = data_task(&t, 3);
	assert_int_equal(d->shape.n_in, 1);
	assert_int_equal(d->shape.n_out, 3);
	assert_true(d->x[0] == 1 && d->x[1] == 5);
	assert_true(d->y[0] == 2 && d->y[2] == 4 && d->y[3] == 6 && d->y[5] == 8);
	free(d);
	data_table_free(&t);
}

static void test_checksum_is_xxh64_of_the_bytes(void **state)
{
	static const char text[] = "a,y\n0,1\n";
	struct data_table t;
	(void)state;

	parse_ok(&t, text, 0);
	assert_true(t.xxh64 == hash_bytes(text, strlen(text)));
	data_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_reads_the_rows_after_the_header),
		cmocka_unit_test(test_csv_takes_crlf_spaces_and_no_last_newline),
		cmocka_unit_test(test_csv_numbers_read_as_strtod_reads_them),
		cmocka_unit_test(test_csv_rejects_what_would_lose_digits),
		cmocka_unit_test(test_csv_needs_two_columns),
		cmocka_unit_test(test_csv_position_of_a_short_row_is_its_end),
		cmocka_unit_test(test_fann_lines_do_not_matter_as_in_fanns_fscanf),
		cmocka_unit_test(test_fann_xor_is_the_builtin_xor),
		cmocka_unit_test(test_targets_are_the_last_columns),
		cmocka_unit_test(test_checksum_is_xxh64_of_the_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL) ? 1 : 0;
}
