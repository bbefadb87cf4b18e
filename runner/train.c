/* train.c: the epoch loop over one network, reporting every loss. */
#include "train.h"

#include <math.h>

static const int train_targets[NET_ROWS] = {0, 1, 1, 0};

/* How many of the outputs round (>= 0.5 is 1) to the XOR targets;
 * written as two comparisons so that a NaN output is never right. */
static int train_correct(const double out[NET_ROWS])
{
	int n = 0;

	for (int r = 0; r < NET_ROWS; r++)
		n += train_targets[r] ? out[r] >= 0.5 : out[r] < 0.5;
	return n;
}

int train_run(const struct train_spec *spec, train_epoch_fn on_epoch,
	      void *ctx, struct train_result *res)
{
	struct net *net = net_create(&spec->net);
	double out[NET_ROWS];
	int rc = 0;

	*res = (struct train_result){.solved_epoch = -1, .final_loss = NAN};
	if (!net)
		return -1;
	net_init(net, spec->seed);

	for (uint64_t epoch = 0; epoch < spec->epochs; epoch++) {
		double loss = net_forward(net);
		int bad = !isfinite(loss);

		if (res->solved_epoch < 0) {
			net_outputs(net, out);
			if (train_correct(out) == NET_ROWS)
				res->solved_epoch = (int64_t)epoch;
		}
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
	net_outputs(net, res->outputs);
	res->correct = train_correct(res->outputs);
	net_free(net);
	return rc;
}
