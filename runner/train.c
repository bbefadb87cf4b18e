/* train.c: the epoch loop over one network on a task's rows, reporting every loss. */
#include "train.h"

#include <math.h>
#include <string.h>

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

int train_run(const struct train_spec *spec, train_epoch_fn on_epoch,
	      void *ctx, struct train_result *res)
{
	struct net *net = net_create(&spec->net, spec->data);
	int rows = spec->data->shape.n_rows;
	int rc = 0;

	*res = (struct train_result){.solved_epoch = -1, .final_loss = NAN, .rows = rows};
	if (!net)
		return -1;
	net_init(net, spec->seed);

	for (uint64_t epoch = 0; epoch < spec->epochs; epoch++) {
		double loss = net_forward(net);
		int bad = !isfinite(loss);

		if (res->solved_epoch < 0 && train_correct(net_outputs(net), spec->data) == rows)
			res->solved_epoch = (int64_t)epoch;
		res->epochs_run++;
		res->diverged = bad;
		res->final_loss = loss;
		rc = on_epoch(ctx, epoch, loss);
		if (rc || bad)
			break;
		net_backward_update(net, spec->learning_rate);
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
	net_free(net);
	return rc;
}
