/* train.h: the epoch loop, reporting each epoch's loss to a callback. */
#ifndef NNRUN_TRAIN_H
#define NNRUN_TRAIN_H

#include <stdint.h>

#include "net.h"

/* Outputs kept for the verdict and metrics.csv: a gate's four rows. */
#define TRAIN_SHOWN 4

struct train_spec {
	struct net_spec net;
	const struct task_data *data;   /* the rows, which outlive the run */
	double learning_rate;
	uint64_t epochs;
	uint32_t seed;
	double *params;   /* non-NULL: gets the trained parameters
			     (net_param_count values, net_params order) */
};

/* Called once per epoch with the loss of the forward pass before that
 * epoch's update. A non-zero return stops training and is returned. */
typedef int (*train_epoch_fn)(void *ctx, uint64_t epoch, double loss);

struct train_result {
	uint64_t epochs_run;     /* epochs whose loss was reported */
	int diverged;            /* a loss was NaN or infinite: stopped there */
	int64_t solved_epoch;    /* first epoch whose rounded outputs were
				    all right (before its update), -1 if none */
	double final_loss;       /* loss of the trained network; when
				    diverged, the non-finite loss reported */
	double outputs[TRAIN_SHOWN]; /* the first outputs of the trained
				    network (of the last pass when diverged) */
	int n_outputs;           /* how many of them: rows x outputs, at most 4 */
	int correct;             /* rows whose outputs all round to the target */
	int rows;
};

/* Trains a new network of spec->net; 0, or the callback's non-zero
 * return, or -1 when out of memory. */
int train_run(const struct train_spec *spec, train_epoch_fn on_epoch,
	      void *ctx, struct train_result *res);

#endif
