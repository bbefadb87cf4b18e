/* task.h: what a network learns: a task's rows of inputs and targets. */
#ifndef NNRUN_TASK_H
#define NNRUN_TASK_H

#include <stddef.h>

#define TASK_NAME_MAX 200        /* a name, or a data file's absolute path */
#define TASK_MAX_ROWS 65536       /* parity-16 */

/* A task's shape, known from its name alone. */
struct task_shape {
	int n_in, n_out, n_rows;
};

/* The rows: x is n_rows x n_in, y n_rows x n_out, both row-major. */
struct task_data {
	struct task_shape shape;
	const double *x, *y;
	double data[];
};

/* Names to offer, for completion: the gates, then parity-N and
 * encoder-N for a few N. */
#define TASK_N_NAMES 18
extern const char *const task_names[TASK_N_NAMES];

/* The names, for messages. */
#define TASK_NAMES "xor, and, or, nand, nor, xnor, parity-N (N = 2..16), encoder-N (N = 2..256) or a data file (.csv or .data)"

/* The shape of the task called name; -1 when no task has that name. */
int task_shape(const char *name, struct task_shape *shape);

/* Whether every target is 0 or 1: only then is a run solved or not,
 * and its right rows counted; other targets judge a run by its loss. */
int task_binary(const struct task_data *t);

/* The rows of the task called name, in one allocation (free()); NULL
 * when out of memory or name is no task. */
struct task_data *task_build(const char *name);

#endif
