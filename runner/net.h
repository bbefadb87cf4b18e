/* net.h: a fully connected network trained full-batch on a task's rows. */
#ifndef NNRUN_NET_H
#define NNRUN_NET_H

#include <stddef.h>
#include <stdint.h>

#include "act.h"
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
 * how its weights are drawn, and what loss it minimises. */
struct net_spec {
	int n_layers;
	int width[NET_MAX_LAYERS];
	enum act act[NET_MAX_LAYERS];
	enum net_init init;
	enum net_loss loss;
};

struct net;

/* Number of weights and biases of spec. */
size_t net_param_count(const struct net_spec *spec);

/* Doubles besides the parameters that a net of spec on rows rows holds:
 * activations, deltas, targets and loss terms (config limits it). */
size_t net_state_count(const struct net_spec *spec, int rows);

/* One allocation holding parameters, activations, deltas and a copy of
 * the task's rows; NULL when out of memory. The spec must already be
 * valid and fit the data (config checks it). */
struct net *net_create(const struct net_spec *spec, const struct task_data *data);
void net_free(struct net *net);

/* np.random.seed(seed); W_l = randn(n_l, n_{l+1}) * scale, layer by
 * layer; biases zero. scale is 1 (normal), sqrt(1/n_l) (xavier) or
 * sqrt(2/n_l) (he). */
void net_init(struct net *net, uint32_t seed);

/* Forward pass over the whole batch; returns the reported loss: the mean
 * over every row and output (summed in NumPy's pairwise order) of the
 * squared error (mse) or of the cross-entropy (bce).
 * bce uses the tutorial-style formula y log o + (1-y) log(1-o), so an
 * output of exactly 0 or 1 makes it NaN, as in NumPy; bce expects outputs
 * in (0, 1), i.e. a sigmoid output layer (config should insist). */
double net_forward(struct net *net);

/* After net_forward: every delta, then every update,
 * W += a_prev^T d * lr, b += colsum(d) * lr: a step down the gradient of
 * half the summed squared error (mse) or the summed cross-entropy (bce). */
void net_backward_update(struct net *net, double lr);

/* The outputs of the last forward pass, rows x output width. */
const double *net_outputs(const struct net *net);

/* The parameters as one array of net_param_count values: for each layer
 * W (n_l x n_{l+1}, row-major) then b. For tests and checks. */
double *net_params(struct net *net);

/* The gradient of the training objective (the quantity the update
 * descends) for every parameter, in net_params order, at the current
 * parameters; runs its own forward pass. For the gradient check. */
void net_gradient(struct net *net, double *grad);

/* The training objective at the current parameters (half the summed
 * squared error, or the summed cross-entropy). */
double net_objective(struct net *net);

#endif
