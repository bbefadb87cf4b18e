/* train.c: the epoch loop over one network on a task's rows, reporting every loss. */
#include "train.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

/* How many rows have every output round (>= 0.5 is 1) to its target;
 * written as two comparisons so that a NaN output is never right. */
static inline int train_correct_k(const double *out, const struct task_data *data,
				  int rows, int n_out)
{
	int n = 0;

	for (int r = 0; r < rows; r++) {
		int right = 1;
		for (int j = 0; j < n_out; j++) {
			double o = out[r * n_out + j];
			right &= data->y[r * n_out + j] != 0.0 ? o >= 0.5 : o < 0.5;
		}
		n += right;
	}
	return n;
}

/* The gates' 4 rows of one output get their own unrolled copy: this
 * runs every epoch until the task is solved. */
static int train_correct(const double *out, const struct task_data *data)
{
	if (data->shape.n_rows == 4 && data->shape.n_out == 1)
		return train_correct_k(out, data, 4, 1);
	return train_correct_k(out, data, data->shape.n_rows, data->shape.n_out);
}

const char *const train_stop_names[TRAIN_STOP_COUNT] = {
	[TRAIN_STOP_EPOCHS] = "epochs",
	[TRAIN_STOP_LOSS] = "loss",
	[TRAIN_STOP_SOLVED] = "solved",
	[TRAIN_STOP_PLATEAU] = "plateau",
	[TRAIN_STOP_DIVERGED] = "diverged",
};

/* Keras's EarlyStopping on the loss: an epoch improves when its loss is
 * more than min_delta below the best so far; stop once patience epochs
 * in a row have not. */
struct train_plateau {
	double best;
	uint64_t wait;
};

static int train_plateaued(struct train_plateau *p, const struct train_spec *spec, double loss)
{
	p->wait++;
	if (loss + spec->min_delta < p->best) {
		p->best = loss;
		p->wait = 0;
	}
	return p->wait >= spec->patience;
}

/* Which stop rule ends training at an epoch with this loss, or
 * TRAIN_STOP_EPOCHS for none. */
static enum train_stop train_stop_rule(const struct train_spec *spec, struct train_plateau *p,
				       double loss, int solved)
{
	int plateau = spec->patience && train_plateaued(p, spec, loss);

	if (spec->use_stop_loss && loss <= spec->stop_loss)
		return TRAIN_STOP_LOSS;
	if (spec->stop_solved && solved)
		return TRAIN_STOP_SOLVED;
	if (plateau)
		return TRAIN_STOP_PLATEAU;
	return TRAIN_STOP_EPOCHS;
}

/* From this many activations on, a run repays vexp.c's start-up check
 * (about 0.1 ms, against about 1 ns saved per sigmoid of a narrow layer)
 * and takes every exp from it: a 2-2-1 XOR run from about 2.5 x 10^5
 * epochs, not the tutorial's 10^4. */
#define TRAIN_FAST_EXP_MIN 1e6

/* Activations the run will compute at least (epochs x rows x units past
 * the inputs), in double: a bound for choosing how, not a count. */
static double train_units(const struct train_spec *spec)
{
	double units = 0.0;

	for (int l = 1; l < spec->net.n_layers; l++)
		units += spec->net.width[l];
	return (double)spec->epochs * spec->data->shape.n_rows * units;
}

/* One epoch's updates, right after the epoch's loss pass: the whole
 * batch, or batches of the rows in order or along a fresh permutation;
 * *t counts the steps. */
static void train_epoch(struct net *net, const struct train_spec *spec,
			const struct optim_spec *o, struct rng *rng, int *idx, uint64_t *t)
{
	int rows = spec->data->shape.n_rows, bs = spec->net.batch;

	if (bs <= 0 || bs >= rows) {
		net_backward(net);
		net_step(net, o, ++*t);
		return;
	}
	if (spec->shuffle)
		rng_permutation(rng, idx, rows);
	if (bs == 1) {
		/* Each row in place; the first row's forward pass is the
		 * epoch's loss pass, just run with these parameters. */
		for (int k = 0; k < rows; k++) {
			net_row_backward(net, idx[k], k > 0);
			net_step(net, o, ++*t);
		}
		net_use_rows(net, NULL, 0);
		return;
	}
	for (int at = 0; at < rows; at += bs) {
		net_use_rows(net, idx + at, rows - at < bs ? rows - at : bs);
		net_activate(net);
		net_backward(net);
		net_step(net, o, ++*t);
	}
	net_use_rows(net, NULL, 0);
}

int train_run(const struct train_spec *spec, train_epoch_fn on_epoch,
	      void *ctx, struct train_result *res)
{
	struct net *net = net_create(&spec->net, spec->data);
	int rows = spec->data->shape.n_rows;
	int *idx = NULL;
	struct optim_spec o = spec->optim;
	struct train_plateau plateau = {.best = INFINITY};
	struct rng rng;
	uint64_t t = 0;
	int rc = 0;

	*res = (struct train_result){.solved_epoch = -1, .final_loss = NAN, .rows = rows};
	if (net && spec->net.batch > 0 && spec->net.batch < rows) {
		idx = malloc((size_t)rows * sizeof *idx);
		if (idx)
			for (int i = 0; i < rows; i++)
				idx[i] = i;
	}
	if (!net || (spec->net.batch > 0 && spec->net.batch < rows && !idx)) {
		net_free(net);
		return -1;
	}
	o.kind = spec->net.optim;
	o.lr = spec->learning_rate;
	rng_seed(&rng, spec->seed);
	net_init_from(net, &rng);
	net_set_fast_exp(net, train_units(spec) >= TRAIN_FAST_EXP_MIN);

	for (uint64_t epoch = 0; epoch < spec->epochs; epoch++) {
		double loss = net_forward(net);
		int bad = !isfinite(loss);
		/* Once solved, counted again only for stop_solved: this
		 * runs every epoch. */
		int solved = (res->solved_epoch < 0 || spec->stop_solved) &&
			     train_correct(net_outputs(net), spec->data) == rows;
		enum train_stop stop = bad ? TRAIN_STOP_DIVERGED :
			train_stop_rule(spec, &plateau, loss, solved);

		if (res->solved_epoch < 0 && solved)
			res->solved_epoch = (int64_t)epoch;
		res->epochs_run++;
		res->diverged = bad;
		res->final_loss = loss;
		res->stop = stop;
		rc = on_epoch(ctx, epoch, loss, stop != TRAIN_STOP_EPOCHS);
		if (rc || stop != TRAIN_STOP_EPOCHS)
			break;
		train_epoch(net, spec, &o, &rng, idx, &t);
	}

	/* A diverged net keeps the loss and outputs of its last pass, which
	 * say how it failed (inf or NaN); any other gets one more pass to
	 * measure the trained parameters. */
	if (!res->diverged)
		res->final_loss = net_forward(net);
	res->n_outputs = rows * spec->data->shape.n_out < TRAIN_SHOWN ?
		rows * spec->data->shape.n_out : TRAIN_SHOWN;
	for (int i = 0; i < res->n_outputs; i++)
		res->outputs[i] = net_outputs(net)[i];
	res->correct = train_correct(net_outputs(net), spec->data);
	if (spec->params)
		memcpy(spec->params, net_params(net), net_param_count(&spec->net) * sizeof *spec->params);
	free(idx);
	net_free(net);
	return rc;
}
