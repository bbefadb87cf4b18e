/* task.c: the built-in tasks' rows: logic gates, parity-N and encoder-N. */
#include "task.h"

#include <stdlib.h>
#include <string.h>

/* The gates' targets for the inputs 00, 01, 10, 11 (XOR's row order). */
static const struct {
	const char *name;
	double y[4];
} task_gates[] = {
	{ "xor", { 0, 1, 1, 0 } },
	{ "and", { 0, 0, 0, 1 } },
	{ "or", { 0, 1, 1, 1 } },
	{ "nand", { 1, 1, 1, 0 } },
	{ "nor", { 1, 0, 0, 0 } },
	{ "xnor", { 1, 0, 0, 1 } },
};

const char *const task_names[TASK_N_NAMES] = {
	"xor", "and", "or", "nand", "nor", "xnor",
	"parity-2", "parity-3", "parity-4", "parity-5", "parity-6", "parity-8",
	"encoder-2", "encoder-4", "encoder-8", "encoder-16", "encoder-32", "encoder-64",
};

#define N_GATES (int)(sizeof task_gates / sizeof task_gates[0])

/* "prefix-N" with N in lo..hi written in plain decimal; else -1. */
static int task_number(const char *name, const char *prefix, int lo, int hi)
{
	size_t pl = strlen(prefix);
	const char *s = name + pl;
	int n = 0;

	if (strncmp(name, prefix, pl) != 0 || !*s || (s[0] == '0'))
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || n > hi)
			return -1;
		n = n * 10 + (*s - '0');
	}
	return n >= lo && n <= hi ? n : -1;
}

static int task_gate(const char *name)
{
	for (int g = 0; g < N_GATES; g++)
		if (strcmp(name, task_gates[g].name) == 0)
			return g;
	return -1;
}

int task_shape(const char *name, struct task_shape *shape)
{
	int n;

	if (task_gate(name) >= 0) {
		*shape = (struct task_shape){ 2, 1, 4 };
	} else if ((n = task_number(name, "parity-", 2, 16)) > 0) {
		*shape = (struct task_shape){ n, 1, 1 << n };
	} else if ((n = task_number(name, "encoder-", 2, 256)) > 0) {
		*shape = (struct task_shape){ n, n, n };
	} else {
		return -1;
	}
	return 0;
}

struct task_data *task_build(const char *name)
{
	struct task_shape sh;
	struct task_data *t;
	double *x, *y;
	int g = task_gate(name);

	if (task_shape(name, &sh))
		return NULL;
	t = calloc(1, sizeof *t + (size_t)sh.n_rows * (size_t)(sh.n_in + sh.n_out) * sizeof(double));
	if (!t)
		return NULL;
	t->shape = sh;
	x = t->data;
	y = x + (size_t)sh.n_rows * (size_t)sh.n_in;
	t->x = x;
	t->y = y;
	for (int r = 0; r < sh.n_rows; r++) {
		int ones = 0;

		if (strncmp(name, "encoder-", 8) == 0) {
			/* one-hot rows; the targets are the inputs */
			x[(size_t)r * (size_t)sh.n_in + (size_t)r] = 1.0;
			y[(size_t)r * (size_t)sh.n_out + (size_t)r] = 1.0;
			continue;
		}
		/* binary counting, the first input the most significant bit */
		for (int k = 0; k < sh.n_in; k++) {
			int bit = (r >> (sh.n_in - 1 - k)) & 1;
			x[(size_t)r * (size_t)sh.n_in + (size_t)k] = bit;
			ones += bit;
		}
		y[r] = g >= 0 ? task_gates[g].y[r] : (double)(ones & 1);
	}
	return t;
}

int task_binary(const struct task_data *t)
{
	size_t n = (size_t)t->shape.n_rows * (size_t)t->shape.n_out;

	for (size_t i = 0; i < n; i++)
		if (t->y[i] != 0.0 && t->y[i] != 1.0)
			return 0;
	return 1;
}
