/* test_metrics.c: metrics.csv read back: with rows and n/a, and as written before rows. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run.h"

static char dir[64];

static void write_metrics(const char *text)
{
	char path[128];
	FILE *f;

	strcpy(dir, "/tmp/nnrun-metrics-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/metrics.csv", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

static void clean(void)
{
	char path[128];

	snprintf(path, sizeof path, "%s/metrics.csv", dir);
	unlink(path);
	rmdir(dir);
}

static void test_metrics_with_rows_read_back(void **state)
{
	struct run_outcome out;
	(void)state;

	write_metrics("epochs_run,final_loss,correct,rows,solved_epoch,diverged,seconds,"
		      "output_00,output_01,output_10,output_11,stop_reason\n"
		      "100,0.25,3,4,-1,0,0.5,0.1,0.9,0.8,0.7,plateau\n");
	assert_int_equal(run_read_metrics(dir, &out), 0);
	assert_int_equal(out.res.correct, 3);
	assert_int_equal(out.res.rows, 4);
	assert_int_equal(out.res.solved_epoch, -1);
	assert_true(out.res.final_loss == 0.25 && out.res.outputs[3] == 0.7);
	assert_int_equal(out.res.stop, TRAIN_STOP_PLATEAU);
	clean();
}

static void test_metrics_n_a_reads_as_no_correct(void **state)
{
	struct run_outcome out;
	(void)state;

	write_metrics("epochs_run,final_loss,correct,rows,solved_epoch,diverged,seconds,"
		      "output_00,output_01,output_10,output_11,stop_reason\n"
		      "200,0.0037,n/a,13,n/a,0,0.001,n/a,n/a,n/a,n/a,loss\n");
	assert_int_equal(run_read_metrics(dir, &out), 0);
	assert_int_equal(out.res.correct, -1);
	assert_int_equal(out.res.rows, 13);
	assert_int_equal(out.res.solved_epoch, -1);
	assert_int_equal(out.res.n_outputs, 0);
	clean();
}

static void test_metrics_written_before_rows_still_read(void **state)
{
	struct run_outcome out;
	(void)state;

	write_metrics("epochs_run,final_loss,correct,solved_epoch,diverged,seconds,"
		      "output_00,output_01,output_10,output_11\n"
		      "10000,0.001,4,812,0,0.02,0.05,0.95,0.95,0.04\n");
	assert_int_equal(run_read_metrics(dir, &out), 0);
	assert_int_equal(out.res.correct, 4);
	assert_int_equal(out.res.solved_epoch, 812);
	assert_true(out.seconds == 0.02 && out.res.outputs[1] == 0.95);
	assert_int_equal(out.res.stop, TRAIN_STOP_EPOCHS);
	clean();
}

static void test_metrics_with_junk_in_correct_are_refused(void **state)
{
	struct run_outcome out;
	(void)state;

	write_metrics("epochs_run,final_loss,correct,rows,solved_epoch,diverged,seconds,"
		      "output_00,output_01,output_10,output_11,stop_reason\n"
		      "100,0.25,x,4,-1,0,0.5,n/a,n/a,n/a,n/a,epochs\n");
	assert_int_equal(run_read_metrics(dir, &out), -1);
	clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_metrics_with_rows_read_back),
		cmocka_unit_test(test_metrics_n_a_reads_as_no_correct),
		cmocka_unit_test(test_metrics_written_before_rows_still_read),
		cmocka_unit_test(test_metrics_with_junk_in_correct_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL) ? 1 : 0;
}
