/* net.h: a fully connected network: forward pass, gradient of its objective, optimizer step. */
#ifndef NNRUN_NET_H
#define NNRUN_NET_H

#include <stddef.h>
#include <stdint.h>

#include "act.h"
#include "optim.h"
#include "task.h"

#define NET_MAX_LAYERS 16     /* input + hidden + output */
#define NET_MAX_WIDTH 1024
#define NET_MAX_PARAMS 4000000
#define NET_MAX_STATE 32000000  /* doubles of activations, deltas and rows */

enum net_init { NET_INIT_NORMAL, NET_INIT_XAVIER, NET_INIT_HE, NET_INIT_COUNT };
enum net_loss { NET_LOSS_MSE, NET_LOSS_BCE, NET_LOSS_COUNT };

extern const char *const net_init_names[NET_INIT_COUNT];
extern const char *const net_loss_names[NET_LOSS_COUNT];

/* What a network is: its widths, one activation per non-input layer
 * (act[l] for l = 1 .. n_layers-1; the last is the output activation),
 * how its weights are drawn, what loss it minimises, the optimizer whose
 * state it holds and the rows of a batch (0: every pass is full). */
struct net_spec {
	int n_layers;
	int width[NET_MAX_LAYERS];
	enum act act[NET_MAX_LAYERS];
	enum net_init init;
	enum net_loss loss;
	enum optim optim;
	int batch;
};

struct net;

/* Number of weights and biases of spec. */
size_t net_param_count(const struct net_spec *spec);

/* Doubles besides the parameters that a net of spec on rows rows holds:
 * activations, deltas, targets, loss terms, a batch's rows, the gradient
 * and the optimizer's state (config limits it). */
size_t net_state_count(const struct net_spec *spec, int rows);

/* One allocation holding parameters, gradient, optimizer state,
 * activations, deltas and a copy of the task's rows; NULL when out of
 * memory. Passes run over all rows until net_use_rows says otherwise. The spec must already be
 * valid and fit the data (config checks it). */
struct net *net_create(const struct net_spec *spec, const struct task_data *data);
void net_free(struct net *net);

/* np.random.seed(seed); W_l = randn(n_l, n_{l+1}) * scale, layer by
 * layer; biases zero. scale is 1 (normal), sqrt(1/n_l) (xavier) or
 * sqrt(2/n_l) (he). */
void net_init(struct net *net, uint32_t seed);

struct rng;

/* The same draws from r, which continues after them (a NumPy user's
 * later np.random calls). */
void net_init_from(struct net *net, struct rng *r);

/* Forward pass over the pass's rows; returns the reported loss: the mean
 * over every row and output (summed in NumPy's pairwise order) of the
 * squared error (mse) or of the cross-entropy (bce).
 * bce uses the tutorial-style formula y log o + (1-y) log(1-o), so an
 * output of exactly 0 or 1 makes it NaN, as in NumPy; bce expects outputs
 * in (0, 1), i.e. a sigmoid output layer (config should insist). */
double net_forward(struct net *net);

/* The same forward pass without the loss: a batch's outputs for
 * net_backward. */
void net_activate(struct net *net);

/* After net_forward: every delta, then the gradient of the objective
 * over the pass's rows, half the summed squared error (mse) or the summed
 * cross-entropy (bce), into the net's gradient buffer (net_params
 * order): -(a_prev^T d) and -colsum(d) per layer, so that sgd's
 * p -= lr g is the tutorial's W += a_prev^T d * lr bit for bit. */
void net_backward(struct net *net);

/* One step of optimizer o (o->kind must be spec.optim) from the
 * gradient buffer; t counts steps from 1. */
void net_step(struct net *net, const struct optim_spec *o, uint64_t t);

/* The rows of the next passes: idx[0..n-1] of the task's rows, in that
 * order (n at most spec.batch), or all of them when idx is NULL. */
void net_use_rows(struct net *net, const int *idx, int n);

/* The next passes run on row r alone, in place: its activations are
 * those the last pass over all rows left in row r (the same parameters
 * give the same bits, so a step right after that pass need not run
 * net_activate again), and a pass writes its own there. net_use_rows
 * with idx NULL goes back to all rows. */
void net_use_row(struct net *net, int r);

/* net_use_row(net, r), net_activate unless forward is 0, and
 * net_backward: one row's gradient, the same bits; the tutorial's 2-2-1
 * in registers. */
void net_row_backward(struct net *net, int r, int forward);

/* With on (and vexp_exact()), sigmoid layers narrower than the vector
 * exp's own threshold, and the 2-2-1 one-row steps, take their exp from
 * vexp.c too: the same bits, worth vexp.c's start-up check (about 0.1
 * ms) only over many values. Off at net_create. */
void net_set_fast_exp(struct net *net, int on);

/* The gradient buffer, as net_backward left it. */
const double *net_grad(const struct net *net);

/* The outputs of the last forward pass, rows x output width. */
const double *net_outputs(const struct net *net);

/* The parameters as one array of net_param_count values: for each layer
 * W (n_l x n_{l+1}, row-major) then b. For tests and checks. */
double *net_params(struct net *net);

/* The gradient of the training objective (the quantity the optimizers
 * descend) for every parameter, in net_params order, at the current
 * parameters over the pass's rows: net_forward, net_backward, then a
 * copy of the gradient buffer. For the gradient check. */
void net_gradient(struct net *net, double *grad);

/* The training objective at the current parameters (half the summed
 * squared error, or the summed cross-entropy). */
double net_objective(struct net *net);

#endif
