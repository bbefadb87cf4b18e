/* test_net.c: gradients, the tutorial's loss curve, and training outcomes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "rng.h"
#include "train.h"

#define TUTORIAL_EPOCHS 10000

/* A spec from widths (input first) and one activation per hidden layer;
 * the output activation is separate, as in the config. */
static struct net_spec make_spec(int n_layers, const int *width,
				 const enum act *hidden, enum act output,
				 enum net_loss loss)
{
	struct net_spec s = {.n_layers = n_layers, .loss = loss};

	for (int l = 0; l < n_layers; l++)
		s.width[l] = width[l];
	for (int l = 1; l < n_layers - 1; l++)
		s.act[l] = hidden[l - 1];
	s.act[n_layers - 1] = output;
	return s;
}

/* The tutorial's rows, built once for every test. */
static const struct task_data *xor_rows(void)
{
	static struct task_data *xor;

	if (!xor)
		xor = task_build("xor");
	assert_non_null(xor);
	return xor;
}

static struct train_spec tutorial_spec(uint32_t seed)
{
	static const int width[] = {2, 2, 1};
	static const enum act hidden[] = {ACT_SIGMOID};
	struct train_spec t = {
		.net = make_spec(3, width, hidden, ACT_SIGMOID, NET_LOSS_MSE),
		.learning_rate = 0.1,
		.epochs = TUTORIAL_EPOCHS,
		.seed = seed,
		.data = xor_rows(),
	};
	return t;
}

/* Losses as train_run reports them. */
struct losses {
	double *v;
	uint64_t n, cap;
	uint64_t stop_at; /* return 7 at this epoch; 0 never stops */
};

static int collect(void *ctx, uint64_t epoch, double loss, int last)
{
	struct losses *ls = ctx;

	(void)last;
	assert_int_equal(epoch, ls->n);
	if (ls->n < ls->cap)
		ls->v[ls->n] = loss;
	ls->n++;
	return ls->stop_at && epoch == ls->stop_at ? 7 : 0;
}

static int ignore(void *ctx, uint64_t epoch, double loss, int last)
{
	(void)last;
	(void)ctx;
	(void)epoch;
	(void)loss;
	return 0;
}

/* ---- gradient check ---- */

/* Draws n parameters from seed, biases too (not zero, so no relu input
 * sits on its kink at 0); with positive_output, the output layer's n_out
 * are made positive (bce with a tanh output needs outputs in (0, 1)). */
static void draw_params(double *p, size_t n, size_t n_out, uint32_t seed,
			int positive_output)
{
	struct rng r;

	rng_seed(&r, seed);
	for (size_t i = 0; i < n; i++) {
		p[i] = rng_gauss(&r);
		if (positive_output && i >= n - n_out)
			p[i] = fabs(p[i]) + 0.1;
	}
}

/* Compares net_gradient (the gradient buffer the optimizers step from)
 * with central differences of net_objective at parameters drawn by
 * draw_params, over data's rows idx[0..n_idx-1] (all when idx is NULL). */
static void check_gradient_rows(struct net_spec spec, const struct task_data *data,
				uint32_t seed, int positive_output, const int *idx, int n_idx)
{
	struct net *net = net_create(&spec, data);
	size_t n = net_param_count(&spec);
	size_t n_out = (size_t)spec.width[spec.n_layers - 2] + 1;
	double *grad = malloc(n * sizeof *grad);
	double *p, worst = 0.0;

	assert_non_null(net);
	assert_non_null(grad);
	p = net_params(net);
	draw_params(p, n, n_out, seed, positive_output);
	if (idx)
		net_use_rows(net, idx, n_idx);
	net_gradient(net, grad);
	for (size_t i = 0; i < n; i++) {
		const double h = 1e-5;
		double keep = p[i], up, down, fd, err;

		p[i] = keep + h;
		up = net_objective(net);
		p[i] = keep - h;
		down = net_objective(net);
		p[i] = keep;
		fd = (up - down) / (2 * h);
		/* Relative error, floored so a gradient near 0 is compared
		 * absolutely: differencing leaves ~1e-10 of noise. */
		err = fabs(grad[i] - fd) / fmax(1e-3, fabs(grad[i]) + fabs(fd));
		if (err > worst)
			worst = err;
		if (err > 1e-6)
			fail_msg("parameter %zu: gradient %.10g, finite "
				 "difference %.10g", i, grad[i], fd);
	}
	assert_true(worst < 1e-6);
	free(grad);
	net_free(net);
}

static void check_gradient(struct net_spec spec, uint32_t seed,
			   int positive_output)
{
	check_gradient_rows(spec, xor_rows(), seed, positive_output, NULL, 0);
}

static void test_gradient_sigmoid_mse_2_2_1_matches_finite_differences(void **state)
{
	static const int width[] = {2, 2, 1};
	static const enum act hidden[] = {ACT_SIGMOID};

	(void)state;
	check_gradient(make_spec(3, width, hidden, ACT_SIGMOID, NET_LOSS_MSE), 1, 0);
}

static void test_gradient_tanh_mse_2_5_1_matches_finite_differences(void **state)
{
	static const int width[] = {2, 5, 1};
	static const enum act hidden[] = {ACT_TANH};

	(void)state;
	check_gradient(make_spec(3, width, hidden, ACT_SIGMOID, NET_LOSS_MSE), 2, 0);
}

static void test_gradient_relu_mse_2_8_1_matches_finite_differences(void **state)
{
	static const int width[] = {2, 8, 1};
	static const enum act hidden[] = {ACT_RELU};

	(void)state;
	check_gradient(make_spec(3, width, hidden, ACT_SIGMOID, NET_LOSS_MSE), 3, 0);
}

static void test_gradient_width_1_hidden_matches_finite_differences(void **state)
{
	static const int width[] = {2, 1, 1};
	static const enum act hidden[] = {ACT_SIGMOID};

	(void)state;
	check_gradient(make_spec(3, width, hidden, ACT_SIGMOID, NET_LOSS_MSE), 4, 0);
}

static void test_gradient_two_hidden_tanh_relu_mse_matches_finite_differences(void **state)
{
	static const int width[] = {2, 4, 3, 1};
	static const enum act hidden[] = {ACT_TANH, ACT_RELU};

	(void)state;
	check_gradient(make_spec(4, width, hidden, ACT_SIGMOID, NET_LOSS_MSE), 5, 0);
}

static void test_gradient_three_hidden_mixed_mse_matches_finite_differences(void **state)
{
	static const int width[] = {2, 3, 7, 2, 1};
	static const enum act hidden[] = {ACT_RELU, ACT_SIGMOID, ACT_TANH};

	(void)state;
	check_gradient(make_spec(5, width, hidden, ACT_SIGMOID, NET_LOSS_MSE), 6, 0);
}

static void test_gradient_tanh_output_mse_matches_finite_differences(void **state)
{
	static const int width[] = {2, 6, 1};
	static const enum act hidden[] = {ACT_SIGMOID};

	(void)state;
	check_gradient(make_spec(3, width, hidden, ACT_TANH, NET_LOSS_MSE), 7, 0);
}

static void test_gradient_sigmoid_bce_2_3_1_matches_finite_differences(void **state)
{
	static const int width[] = {2, 3, 1};
	static const enum act hidden[] = {ACT_SIGMOID};

	(void)state;
	check_gradient(make_spec(3, width, hidden, ACT_SIGMOID, NET_LOSS_BCE), 8, 0);
}

static void test_gradient_relu_bce_2_4_4_1_matches_finite_differences(void **state)
{
	static const int width[] = {2, 4, 4, 1};
	static const enum act hidden[] = {ACT_RELU, ACT_RELU};

	(void)state;
	check_gradient(make_spec(4, width, hidden, ACT_SIGMOID, NET_LOSS_BCE), 9, 0);
}

static void test_gradient_three_hidden_tanh_bce_matches_finite_differences(void **state)
{
	static const int width[] = {2, 5, 3, 4, 1};
	static const enum act hidden[] = {ACT_TANH, ACT_TANH, ACT_SIGMOID};

	(void)state;
	check_gradient(make_spec(5, width, hidden, ACT_SIGMOID, NET_LOSS_BCE), 10, 0);
}

static void test_gradient_bce_with_tanh_output_matches_finite_differences(void **state)
{
	static const int width[] = {2, 3, 1};
	static const enum act hidden[] = {ACT_SIGMOID};

	(void)state;
	check_gradient(make_spec(3, width, hidden, ACT_TANH, NET_LOSS_BCE), 11, 1);
}

/* Several outputs: encoder-4's four one-hot rows through 4-2-4 and
 * 4-3-2-4, both losses. */
static void test_gradient_encoder_4_multi_output_matches_finite_differences(void **state)
{
	static const int w1[] = {4, 2, 4}, w2[] = {4, 3, 2, 4};
	static const enum act h1[] = {ACT_SIGMOID}, h2[] = {ACT_TANH, ACT_RELU};
	struct task_data *enc = task_build("encoder-4");

	(void)state;
	assert_non_null(enc);
	check_gradient_rows(make_spec(3, w1, h1, ACT_SIGMOID, NET_LOSS_MSE), enc, 31, 0, NULL, 0);
	check_gradient_rows(make_spec(3, w1, h1, ACT_SIGMOID, NET_LOSS_BCE), enc, 32, 0, NULL, 0);
	check_gradient_rows(make_spec(4, w2, h2, ACT_SIGMOID, NET_LOSS_MSE), enc, 33, 0, NULL, 0);
	check_gradient_rows(make_spec(4, w2, h2, ACT_SIGMOID, NET_LOSS_BCE), enc, 34, 0, NULL, 0);
	free(enc);
}

/* A mini-batch: the gradient of the objective summed over the batch's
 * rows only, in the permutation's order (parity-3, rows 5, 0, 6). */
static void test_gradient_of_a_batch_of_rows_matches_finite_differences(void **state)
{
	static const int w[] = {3, 4, 1};
	static const enum act h[] = {ACT_TANH};
	static const int idx[] = {5, 0, 6};
	struct task_data *par = task_build("parity-3");
	struct net_spec spec = make_spec(3, w, h, ACT_SIGMOID, NET_LOSS_MSE);

	(void)state;
	assert_non_null(par);
	spec.batch = 3;
	check_gradient_rows(spec, par, 41, 0, idx, 3);
	spec.loss = NET_LOSS_BCE;
	check_gradient_rows(spec, par, 42, 0, idx, 3);
	free(par);
}

/* ---- the training step descends that gradient ---- */

/* Equal as doubles, or both NaN. */
static int same_double(double a, double b)
{
	return a == b || (isnan(a) && isnan(b));
}

/* One step as training takes it (net_forward, net_backward, net_step,
 * what train_run does each epoch) from parameters drawn from seed moves
 * every weight and bias w to w - lr * gradient, bit for bit: the update
 * sums the same products in the same order as net_gradient. Then
 * train_run, from net_init's parameters, reports at epoch 1 the loss of
 * the parameters that one such step reaches. */
static void check_step(struct net_spec spec, uint32_t seed, double lr,
		       int positive_output)
{
	struct net *net = net_create(&spec, xor_rows());
	size_t n = net_param_count(&spec);
	size_t n_out = (size_t)spec.width[spec.n_layers - 2] + 1;
	double *grad = malloc(n * sizeof *grad), *before = malloc(n * sizeof *before);
	struct train_spec t = {.net = spec, .learning_rate = lr, .epochs = 2, .seed = seed, .data = xor_rows()};
	double v[2], want_loss;
	struct losses got = {.v = v, .cap = 2};
	struct train_result res;
	double *p;

	assert_non_null(net);
	assert_non_null(grad);
	assert_non_null(before);
	p = net_params(net);
	draw_params(p, n, n_out, seed, positive_output);
	memcpy(before, p, n * sizeof *p);
	net_gradient(net, grad);
	net_forward(net);
	net_backward(net);
	net_step(net, &(struct optim_spec){.kind = OPTIM_SGD, .lr = lr}, 1);
	for (size_t i = 0; i < n; i++) {
		double want = before[i] - lr * grad[i];

		if (!same_double(p[i], want))
			fail_msg("parameter %zu of %zu: stepped to %.17g, want "
				 "%.17g - %g * %.17g = %.17g", i, n, p[i],
				 before[i], lr, grad[i], want);
	}

	net_init(net, seed);
	net_gradient(net, grad);
	for (size_t i = 0; i < n; i++)
		p[i] -= lr * grad[i];
	want_loss = net_forward(net);
	assert_int_equal(train_run(&t, collect, &got, &res), 0);
	if (isfinite(v[0])) {
		assert_int_equal(got.n, 2);
		if (!same_double(v[1], want_loss))
			fail_msg("train_run's loss at epoch 1 is %.17g, want %.17g",
				 v[1], want_loss);
	}
	free(before);
	free(grad);
	net_free(net);
}

/* A net of depth hidden layers of width n, all of activation hidden. */
static struct net_spec step_spec(int depth, int n, enum act hidden,
				 enum act output, enum net_loss loss)
{
	int width[NET_MAX_LAYERS];
	enum act acts[NET_MAX_LAYERS];

	width[0] = 2;
	for (int l = 1; l <= depth; l++) {
		width[l] = n;
		acts[l - 1] = hidden;
	}
	width[depth + 1] = 1;
	return make_spec(depth + 2, width, acts, output, loss);
}

/* Every activation in the hidden layers and at the output, both losses
 * (bce with sigmoid and tanh outputs: it needs outputs in (0, 1)), 1 to
 * 3 hidden layers, widths 1 to 8, and three learning rates. */
static void test_training_step_is_minus_lr_times_gradient(void **state)
{
	static const int widths[] = {1, 2, 3, 5, 8};
	static const double lrs[] = {0.1, 0.5, 2.0};
	const int n_widths = (int)(sizeof widths / sizeof *widths);
	const int n_cases = ACT_COUNT * ACT_COUNT * NET_LOSS_COUNT * 3 * n_widths;
	int checked = 0;

	(void)state;
	for (int k = 0; k < n_cases; k++) {
		int w = k % n_widths, depth = 1 + k / n_widths % 3;
		enum net_loss loss = (enum net_loss)(k / n_widths / 3 % NET_LOSS_COUNT);
		enum act output = (enum act)(k / n_widths / 3 / NET_LOSS_COUNT % ACT_COUNT);
		enum act hidden = (enum act)(k / n_widths / 3 / NET_LOSS_COUNT / ACT_COUNT);

		if (loss == NET_LOSS_BCE && output == ACT_RELU)
			continue;
		check_step(step_spec(depth, widths[w], hidden, output, loss),
			   (uint32_t)(100 + k), lrs[k % 3],
			   loss == NET_LOSS_BCE && output == ACT_TANH);
		checked++;
	}
	assert_int_equal(checked, ACT_COUNT * (2 * ACT_COUNT - 1) * 3 * n_widths);
}

/* ---- one row in place ---- */

/* The gradient of row r by the general one-row pass (net_use_row,
 * net_activate, net_backward), into out; the net is left on all rows. */
static void general_row_gradient(struct net *net, int r, double *out, size_t n)
{
	net_use_rows(net, NULL, 0);
	net_use_row(net, r);
	net_activate(net);
	net_backward(net);
	memcpy(out, net_grad(net), n * sizeof(double));
	net_use_rows(net, NULL, 0);
}

/* One row's gradient from a 1-row batch gathered by net_use_rows, from
 * net_use_row's in-place pass, and from net_use_row right after a pass
 * over all rows without a pass of its own (what online training does
 * for an epoch's first row): the same bits, for every row of a 2-2-1
 * and a 2-3-3-1 net. */
static void check_row_in_place(int n_layers, const int *width)
{
	static const enum act hidden[] = {ACT_SIGMOID, ACT_TANH};
	struct net_spec spec = make_spec(n_layers, width, hidden, ACT_SIGMOID, NET_LOSS_MSE);
	struct net *net;
	size_t n;
	double gathered[32], in_place[32], reused[32];

	spec.batch = 1;
	net = net_create(&spec, xor_rows());
	assert_non_null(net);
	n = net_param_count(&spec);
	assert_true(n <= 32);
	net_init(net, 7);
	for (int r = 0; r < 4; r++) {
		net_use_rows(net, &r, 1);
		net_activate(net);
		net_backward(net);
		memcpy(gathered, net_grad(net), n * sizeof(double));

		general_row_gradient(net, r, in_place, n);
		net_forward(net);
		net_use_row(net, r);
		net_backward(net);
		memcpy(reused, net_grad(net), n * sizeof(double));
		net_use_rows(net, NULL, 0);

		assert_memory_equal(in_place, gathered, n * sizeof(double));
		assert_memory_equal(reused, gathered, n * sizeof(double));
	}
	net_free(net);
}

static void test_one_row_in_place_gives_the_gathered_rows_gradient(void **state)
{
	static const int w221[] = {2, 2, 1}, w2331[] = {2, 3, 3, 1};

	(void)state;
	check_row_in_place(3, w221);
	check_row_in_place(4, w2331);
}

/* net_row_backward (2-H-1 in registers, with libm's exp or with
 * fast_exp vexp_one's) against the general one-row pass of a second
 * net: the same gradient bit for bit, for every hidden width up to 8
 * and one past it, activation pair and loss, with the forward pass and
 * with the epoch's loss pass reused, over weights from small to
 * saturating. */
static void check_row_backward(int hidden_width, enum act hidden, enum act out,
			       enum net_loss loss, int fast_exp)
{
	const int width[] = {2, hidden_width, 1};
	struct net_spec spec = make_spec(3, width, &hidden, out, loss);
	struct net *row, *ref;
	size_t n = net_param_count(&spec);
	double want[64], got[64];

	assert_true(n <= 64);
	spec.batch = 1;
	row = net_create(&spec, xor_rows());
	ref = net_create(&spec, xor_rows());
	assert_non_null(row);
	assert_non_null(ref);
	net_set_fast_exp(row, fast_exp);
	for (uint32_t seed = 1; seed <= 12; seed++) {
		const double scale = seed % 4 == 0 ? 8.0 : seed % 4 == 1 ? 0.25 : 1.0;

		net_init(ref, seed);
		for (size_t i = 0; i < n; i++)
			net_params(ref)[i] *= scale;
		memcpy(net_params(row), net_params(ref), n * sizeof(double));
		for (int r = 0; r < 4; r++) {
			for (int forward = 0; forward <= 1; forward++) {
				general_row_gradient(ref, r, want, n);

				if (forward) {
					/* what a pass with other weights left there must not count */
					double keep = net_params(row)[0];

					net_params(row)[0] = keep + 1.0;
					net_forward(row);
					net_params(row)[0] = keep;
				} else {
					net_forward(row);
				}
				net_row_backward(row, r, forward);
				memcpy(got, net_grad(row), n * sizeof(double));
				net_use_rows(row, NULL, 0);
				if (memcmp(got, want, n * sizeof(double)) != 0)
					fail_msg("2-%d-1 act %d/%d loss %d fast_exp %d seed %u row %d "
						 "forward %d: gradient differs", hidden_width, (int)hidden,
						 (int)out, (int)loss, fast_exp, seed, r, forward);
			}
		}
	}
	net_free(row);
	net_free(ref);
}

static void test_2_h_1_row_in_registers_gives_the_general_rows_gradient(void **state)
{
	(void)state;
	for (int width = 1; width <= 9; width++)
		for (int fast = 0; fast <= 1; fast++)
			for (int h = 0; h < ACT_COUNT; h++)
				for (int o = 0; o < ACT_COUNT; o++)
					for (int l = 0; l <= 1; l++)
						check_row_backward(width, (enum act)h, (enum act)o,
								   l ? NET_LOSS_BCE : NET_LOSS_MSE, fast);
}

/* ---- the optimizers' first steps, as torch.optim takes them ---- */

/* From the tutorial's seed-42 weights, one step of kind: returns the
 * parameters before and the gradient through *before and *grad. */
static void first_step(enum optim kind, double lr, double *before, double *grad,
		       double *after, size_t n)
{
	struct train_spec t = tutorial_spec(42);
	struct net *net;
	struct optim_spec o = {.kind = kind, .lr = lr, .momentum = 0.9, .beta1 = 0.9,
			       .beta2 = 0.999, .eps = 1e-8, .etaminus = 0.5, .etaplus = 1.2,
			       .step_min = 1e-6, .step_max = 50};

	t.net.optim = kind;
	net = net_create(&t.net, t.data);
	assert_non_null(net);
	assert_int_equal(net_param_count(&t.net), n);
	net_init(net, 42);
	memcpy(before, net_params(net), n * sizeof *before);
	net_gradient(net, grad);
	net_step(net, &o, 1);
	memcpy(after, net_params(net), n * sizeof *after);
	net_free(net);
}

/* Momentum's and Nesterov's buffers start as the first gradient, so
 * their first steps are p - lr g and p - lr (1 + momentum) g. */
static void test_momentum_first_step_is_sgd_and_nesterov_adds_momentum(void **state)
{
	double before[9], grad[9], after[9];

	(void)state;
	first_step(OPTIM_MOMENTUM, 0.1, before, grad, after, 9);
	for (int i = 0; i < 9; i++)
		assert_true(after[i] == before[i] - 0.1 * grad[i]);
	first_step(OPTIM_NESTEROV, 0.1, before, grad, after, 9);
	for (int i = 0; i < 9; i++)
		assert_true(after[i] == before[i] - 0.1 * (grad[i] + 0.9 * grad[i]));
}

/* Adam's first step, with its bias corrections, moves every parameter
 * by lr against its gradient's sign (|g| >> eps); Rprop's by exactly its
 * initial step lr. */
static void test_adam_and_rprop_first_steps_are_lr_against_the_sign(void **state)
{
	double before[9], grad[9], after[9];

	(void)state;
	first_step(OPTIM_ADAM, 0.01, before, grad, after, 9);
	for (int i = 0; i < 9; i++)
		/* lr g / (|g| + eps): off lr by lr eps / |g| at most */
		assert_true(fabs(after[i] - (before[i] - 0.01 * copysign(1.0, grad[i]))) <=
			    0.01 * 1e-8 / fabs(grad[i]) + 1e-15);
	first_step(OPTIM_RPROP, 0.01, before, grad, after, 9);
	for (int i = 0; i < 9; i++)
		assert_true(after[i] == before[i] - (grad[i] > 0 ? 0.01 : grad[i] < 0 ? -0.01 : 0.0));
}

/* ---- stop rules ---- */

static void test_stop_solved_ends_at_the_first_solved_epoch(void **state)
{
	struct train_spec t = tutorial_spec(1), free_run = tutorial_spec(1);
	struct train_result res, all;

	(void)state;
	t.stop_solved = 1;
	assert_int_equal(train_run(&free_run, ignore, NULL, &all), 0);
	assert_int_equal(train_run(&t, ignore, NULL, &res), 0);
	assert_true(all.solved_epoch > 0);
	assert_int_equal(res.stop, TRAIN_STOP_SOLVED);
	assert_int_equal(res.solved_epoch, all.solved_epoch);
	assert_int_equal(res.epochs_run, (uint64_t)all.solved_epoch + 1);
	assert_int_equal(all.stop, TRAIN_STOP_EPOCHS);
}

/* The reported loss row at which stop_loss holds is the last. */
static void test_stop_loss_ends_at_the_first_loss_at_or_below(void **state)
{
	struct train_spec t = tutorial_spec(1);
	double v[TUTORIAL_EPOCHS];
	struct losses got = {.v = v, .cap = TUTORIAL_EPOCHS};
	struct train_result res;

	(void)state;
	t.use_stop_loss = 1;
	t.stop_loss = 0.2;
	assert_int_equal(train_run(&t, collect, &got, &res), 0);
	assert_int_equal(res.stop, TRAIN_STOP_LOSS);
	assert_true(v[got.n - 1] <= 0.2);
	for (uint64_t i = 0; i + 1 < got.n; i++)
		assert_true(v[i] > 0.2);
}

/* Seed 42 crawls: with patience 10 and min_delta 1e-3 it stops when ten
 * epochs in a row have not beaten the best by more than 1e-3. */
static void test_patience_stops_after_epochs_without_a_new_best(void **state)
{
	struct train_spec t = tutorial_spec(42);
	double v[TUTORIAL_EPOCHS], best = INFINITY;
	struct losses got = {.v = v, .cap = TUTORIAL_EPOCHS};
	struct train_result res;
	uint64_t best_at = 0;

	(void)state;
	t.patience = 10;
	t.min_delta = 1e-3;
	assert_int_equal(train_run(&t, collect, &got, &res), 0);
	assert_int_equal(res.stop, TRAIN_STOP_PLATEAU);
	for (uint64_t i = 0; i < got.n; i++)
		if (v[i] + 1e-3 < best)
			best = v[i], best_at = i;
	assert_int_equal(got.n - 1, best_at + 10);
}

/* ---- the network's shape and initial weights ---- */

static void test_param_count_of_2_2_1_is_9(void **state)
{
	struct train_spec t = tutorial_spec(42);

	(void)state;
	assert_int_equal(net_param_count(&t.net), 9);
}

static void test_init_seed42_is_randn_per_layer_with_zero_biases(void **state)
{
	/* From the reference note: randn(2,2) then randn(2,1) after seed 42. */
	const double want[9] = {0.49671415301123267, -0.13826430117118466,
				0.64768853810069249, 1.5230298564080254, 0, 0,
				-0.23415337472333597, -0.23413695694918055, 0};
	struct train_spec t = tutorial_spec(42);
	struct net *net = net_create(&t.net, xor_rows());

	(void)state;
	assert_non_null(net);
	net_init(net, 42);
	assert_memory_equal(net_params(net), want, sizeof want);
	net_free(net);
}

/* The 2-3-1 net's 13 parameters after net_init(seed 3) under init. */
static void init_params(enum net_init init, double out[13])
{
	static const int width[] = {2, 3, 1};
	static const enum act hidden[] = {ACT_RELU};
	struct net_spec s = make_spec(3, width, hidden, ACT_SIGMOID, NET_LOSS_MSE);
	struct net *net;

	s.init = init;
	assert_int_equal(net_param_count(&s), 13);
	net = net_create(&s, xor_rows());
	assert_non_null(net);
	net_init(net, 3);
	memcpy(out, net_params(net), 13 * sizeof *out);
	net_free(net);
}

static void test_init_xavier_and_he_scale_randn_by_fan_in(void **state)
{
	/* Layout: W1 (2x3), b1 (3), W2 (3x1), b2 (1); fan-in 2, then 3. */
	double normal[13], xavier[13], he[13];

	(void)state;
	init_params(NET_INIT_NORMAL, normal);
	init_params(NET_INIT_XAVIER, xavier);
	init_params(NET_INIT_HE, he);
	for (int i = 0; i < 13; i++) {
		int fan_in = i < 9 ? 2 : 3;
		int is_bias = (i >= 6 && i < 9) || i == 12;

		if (is_bias) {
			assert_true(normal[i] == 0 && xavier[i] == 0 && he[i] == 0);
			continue;
		}
		assert_true(xavier[i] == normal[i] * sqrt(1.0 / fan_in));
		assert_true(he[i] == normal[i] * sqrt(2.0 / fan_in));
	}
}

/* ---- training ---- */

static void test_tutorial_seed42_matches_numpy(void **state)
{
	struct train_spec t = tutorial_spec(42);
	struct losses got = {.cap = TUTORIAL_EPOCHS};
	struct train_result res;
	char line[128];
	FILE *f = fopen("tests/golden/xor.csv", "r");
	uint64_t n = 0;

	(void)state;
	if (!f)
		fail_msg("cannot open tests/golden/xor.csv (run from the repo root)");
	got.v = malloc(TUTORIAL_EPOCHS * sizeof *got.v);
	assert_non_null(got.v);
	assert_int_equal(train_run(&t, collect, &got, &res), 0);
	assert_int_equal(got.n, TUTORIAL_EPOCHS);
	assert_int_equal(res.epochs_run, TUTORIAL_EPOCHS);

	assert_non_null(fgets(line, sizeof line, f));
	assert_string_equal(line, "epoch,loss\n");
	while (fgets(line, sizeof line, f)) {
		char *comma = strchr(line, ',');
		double want;

		assert_non_null(comma);
		assert_int_equal(strtoull(line, NULL, 10), n);
		want = strtod(comma + 1, NULL);
		assert_true(n < got.n);
		if (memcmp(&got.v[n], &want, sizeof want) != 0)
			fail_msg("epoch %llu: loss %.17g, NumPy has %.17g",
				 (unsigned long long)n, got.v[n], want);
		n++;
	}
	fclose(f);
	assert_int_equal(n, TUTORIAL_EPOCHS);
	assert_true(got.v[0] == 0.2558299419444368);
	assert_true(got.v[9999] == 0.12822657152410466);
	free(got.v);
}

static void check_learns_xor(uint32_t seed)
{
	struct train_spec t = tutorial_spec(seed);
	struct train_result res;

	assert_int_equal(train_run(&t, ignore, NULL, &res), 0);
	assert_int_equal(res.correct, 4);
	assert_true(res.outputs[0] < 0.5);
	assert_true(res.outputs[1] >= 0.5);
	assert_true(res.outputs[2] >= 0.5);
	assert_true(res.outputs[3] < 0.5);
	assert_true(res.solved_epoch >= 0);
	assert_false(res.diverged);
}

static void test_tutorial_seed1_learns_xor(void **state)
{
	(void)state;
	check_learns_xor(1);
}

static void test_tutorial_seed7_learns_xor(void **state)
{
	(void)state;
	check_learns_xor(7);
}

static void test_tutorial_seed42_stays_in_a_local_minimum(void **state)
{
	struct train_spec t = tutorial_spec(42);
	struct train_result res;

	(void)state;
	assert_int_equal(train_run(&t, ignore, NULL, &res), 0);
	assert_int_equal(res.solved_epoch, -1);
	assert_int_equal(res.correct, 2);
	/* NumPy's predictions round to 0, 0, 1, 1. */
	assert_true(res.outputs[0] < 0.5);
	assert_true(res.outputs[1] < 0.5);
	assert_true(res.outputs[2] >= 0.5);
	assert_true(res.outputs[3] >= 0.5);
	assert_true(res.final_loss < 0.12822657152410466);
}

static void test_huge_learning_rate_diverges_and_stops(void **state)
{
	/* relu hidden, bce, lr 1e6: NumPy's loss is NaN at epoch 1. */
	static const int width[] = {2, 8, 1};
	static const enum act hidden[] = {ACT_RELU};
	struct train_spec t = {
		.net = make_spec(3, width, hidden, ACT_SIGMOID, NET_LOSS_BCE),
		.learning_rate = 1e6,
		.epochs = 1000,
		.seed = 42,
		.data = xor_rows(),
	};
	double v[1000];
	struct losses got = {.v = v, .cap = 1000};
	struct train_result res;

	(void)state;
	assert_int_equal(train_run(&t, collect, &got, &res), 0);
	assert_true(res.diverged);
	assert_int_equal(res.epochs_run, 2);
	assert_int_equal(got.n, 2);
	assert_true(isfinite(v[0]));
	assert_true(isnan(v[1]));
	assert_true(isnan(res.final_loss));
}

static void test_callback_nonzero_stops_training_and_is_returned(void **state)
{
	struct train_spec t = tutorial_spec(42);
	double v[TUTORIAL_EPOCHS];
	struct losses got = {.v = v, .cap = TUTORIAL_EPOCHS, .stop_at = 9};
	struct train_result res;

	(void)state;
	assert_int_equal(train_run(&t, collect, &got, &res), 7);
	assert_int_equal(res.epochs_run, 10);
	assert_int_equal(got.n, 10);
	assert_false(res.diverged);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gradient_sigmoid_mse_2_2_1_matches_finite_differences),
		cmocka_unit_test(test_gradient_tanh_mse_2_5_1_matches_finite_differences),
		cmocka_unit_test(test_gradient_relu_mse_2_8_1_matches_finite_differences),
		cmocka_unit_test(test_gradient_width_1_hidden_matches_finite_differences),
		cmocka_unit_test(test_gradient_two_hidden_tanh_relu_mse_matches_finite_differences),
		cmocka_unit_test(test_gradient_three_hidden_mixed_mse_matches_finite_differences),
		cmocka_unit_test(test_gradient_tanh_output_mse_matches_finite_differences),
		cmocka_unit_test(test_gradient_sigmoid_bce_2_3_1_matches_finite_differences),
		cmocka_unit_test(test_gradient_relu_bce_2_4_4_1_matches_finite_differences),
		cmocka_unit_test(test_gradient_three_hidden_tanh_bce_matches_finite_differences),
		cmocka_unit_test(test_gradient_bce_with_tanh_output_matches_finite_differences),
		cmocka_unit_test(test_gradient_encoder_4_multi_output_matches_finite_differences),
		cmocka_unit_test(test_gradient_of_a_batch_of_rows_matches_finite_differences),
		cmocka_unit_test(test_training_step_is_minus_lr_times_gradient),
		cmocka_unit_test(test_momentum_first_step_is_sgd_and_nesterov_adds_momentum),
		cmocka_unit_test(test_adam_and_rprop_first_steps_are_lr_against_the_sign),
		cmocka_unit_test(test_stop_solved_ends_at_the_first_solved_epoch),
		cmocka_unit_test(test_stop_loss_ends_at_the_first_loss_at_or_below),
		cmocka_unit_test(test_patience_stops_after_epochs_without_a_new_best),
		cmocka_unit_test(test_param_count_of_2_2_1_is_9),
		cmocka_unit_test(test_init_seed42_is_randn_per_layer_with_zero_biases),
		cmocka_unit_test(test_init_xavier_and_he_scale_randn_by_fan_in),
		cmocka_unit_test(test_tutorial_seed42_matches_numpy),
		cmocka_unit_test(test_one_row_in_place_gives_the_gathered_rows_gradient),
		cmocka_unit_test(test_2_h_1_row_in_registers_gives_the_general_rows_gradient),
		cmocka_unit_test(test_tutorial_seed1_learns_xor),
		cmocka_unit_test(test_tutorial_seed7_learns_xor),
		cmocka_unit_test(test_tutorial_seed42_stays_in_a_local_minimum),
		cmocka_unit_test(test_huge_learning_rate_diverges_and_stops),
		cmocka_unit_test(test_callback_nonzero_stops_training_and_is_returned),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	return rc ? 1 : 0;
}
