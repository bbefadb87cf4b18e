/* fuzz_data.c: libFuzzer target over the data file loader, each input read as CSV and as FANN's .data.
 *
 * Whatever the bytes, parsing must end in 0 with finite numbers in the
 * shape announced, or in one error line of bounded length, and never
 * crash, leak or read out of bounds. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_error(const struct err *e)
{
	char line[ERR_FILE_MAX + ERR_MSG_MAX + 64];
	FILE *f = fmemopen(line, sizeof line, "w");

	if (!f)
		return;
	err_print(e, f);
	fclose(f);
	if (strchr(line, '\n') != line + strlen(line) - 1 || e->code != NN_EUSAGE)
		abort();
}

static void check_table(const struct data_table *t)
{
	struct task_data *d;

	if (t->n_rows < 1 || t->n_rows > TASK_MAX_ROWS || t->n_cols < 2 ||
	    t->n_cols > DATA_MAX_COLS)
		abort();
	for (size_t i = 0; i < (size_t)t->n_rows * (size_t)t->n_cols; i++)
		if (!isfinite(t->v[i]))
			abort();
	d = data_task(t, 1);
	if (!d || d->shape.n_rows != t->n_rows || d->shape.n_in + d->shape.n_out != t->n_cols)
		abort();
	free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int fann = 0; fann < 2; fann++) {
		struct data_table t;
		struct err e;

		if (data_parse(&t, "fuzz", (const char *)data, size, fann, &e))
			check_error(&e);
		else
			check_table(&t);
		data_table_free(&t);
	}
	return 0;
}
