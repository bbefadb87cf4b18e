/* predict.h: a kept network's outputs for input rows, as CSV. */
#ifndef NNRUN_PREDICT_H
#define NNRUN_PREDICT_H

#include <stdio.h>

#include "err.h"
#include "netfile.h"

#define PREDICT_GRID_MAX 2048

/* The points of --grid: n values from -0.5 to 1.5, as np.linspace(-0.5,
 * 1.5, n) makes them (i * (2 / (n-1)) - 0.5, the last exactly 1.5). */
double predict_grid_value(int i, int n);

/* Writes to out the CSV `x1,..,xN,output1,..,outputM`, one row per input
 * row, every number as fmt_double writes it: the outputs of the network
 * in source (a run's folder or a network.yaml) for the rows of input (a
 * CSV file of numbers, "-" for stdin; NULL: the rows of the network's
 * task, with their targets in columns target1,..,targetM before the
 * outputs), or, with grid > 0, for the grid x grid points of a 2-input
 * network, x1 in the outer loop and x2 in the inner. */
int predict_write(const char *source, const char *input, int grid, FILE *out,
		  struct err *e);

/* The first output of nf at the n x n points of --grid, in its order,
 * into out (n * n values); nf must have 2 inputs. */
int predict_grid(const struct netfile *nf, int n, double *out, struct err *e);

#endif
