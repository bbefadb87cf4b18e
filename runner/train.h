/* train.h: the epoch loop, reporting each epoch's loss to a callback. */
#ifndef NNRUN_TRAIN_H
#define NNRUN_TRAIN_H

#include <stdint.h>

#include "net.h"
#include "optim.h"

/* Outputs kept for the verdict and metrics.csv: a gate's four rows. */
#define TRAIN_SHOWN 4

/* Why training ended: every epoch ran, or a stop rule held, or the loss
 * was not finite. */
enum train_stop {
	TRAIN_STOP_EPOCHS,
	TRAIN_STOP_LOSS,
	TRAIN_STOP_SOLVED,
	TRAIN_STOP_PLATEAU,
	TRAIN_STOP_DIVERGED,
	TRAIN_STOP_COUNT
};

extern const char *const train_stop_names[TRAIN_STOP_COUNT];

/* What a run trains: the network (whose spec names the optimizer and
 * the batch rows), the optimizer's settings (kind and lr are taken from
 * net.optim and learning_rate), and the stop rules, checked on every
 * epoch's loss in this order: stop_loss (when use_stop_loss), stop_solved,
 * patience (0: off) with min_delta, Keras's EarlyStopping: stop when
 * patience epochs in a row have not brought the loss more than
 * min_delta below the best so far. */
struct train_spec {
	struct net_spec net;
	const struct task_data *data;   /* the rows, which outlive the run */
	double learning_rate;
	uint64_t epochs;
	uint32_t seed;
	struct optim_spec optim;
	int shuffle;       /* batches draw np.random.permutation(rows) */
	int use_stop_loss;
	double stop_loss;
	int stop_solved;
	uint64_t patience;
	double min_delta;
	double *params;   /* non-NULL: gets the trained parameters
			     (net_param_count values, net_params order) */
};

/* Called once per epoch with the loss over every row before that
 * epoch's first update; last is set when a stop rule ends training
 * there. A non-zero return stops training and is returned. */
typedef int (*train_epoch_fn)(void *ctx, uint64_t epoch, double loss, int last);

struct train_result {
	uint64_t epochs_run;     /* epochs whose loss was reported */
	int diverged;            /* a loss was NaN or infinite: stopped there */
	enum train_stop stop;    /* why training ended */
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
