/* net.c: the network's one allocation, forward pass, loss, gradient and step. */
#include "net.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "optim.h"
#include "rng.h"
#include "vexp.h"

/* The tutorial's batch of 4 rows gets kernels with the row count known
 * (the same statements in the same order: the same bits). */
#define NET_FAST_ROWS 4

/* Layers of 2 inputs and up to this many outputs (the tutorial's with
 * a few more hidden units) keep the small loops, not kernel.c's blocks;
 * 2-H-1 networks get a one-row pass of their own. */
#define NET_ROW_MAX 8

/* The vector exp's first use costs a start-up check against libm (tens
 * of microseconds, most of it the core warming up): below this many
 * sigmoids a layer (the tutorial's 8 and 4) libm's calls are kept, so a
 * short tutorial process does not pay it. */
#define NET_VEXP_MIN 16

const char *const net_init_names[NET_INIT_COUNT] = {
	[NET_INIT_NORMAL] = "normal",
	[NET_INIT_XAVIER] = "xavier",
	[NET_INIT_HE] = "he",
};

const char *const net_loss_names[NET_LOSS_COUNT] = {
	[NET_LOSS_MSE] = "mse",
	[NET_LOSS_BCE] = "bce",
};

/* Layers are numbered 0 (input) .. n_layers-1 (output). Layer l >= 1
 * owns W[l] (width[l-1] x width[l], row-major), b[l] (width[l]), their
 * gradients gw[l] and gb[l], its activations a[l] and deltas d[l]
 * (n x width[l], row-major) and its activation spec.act[l]. A pass runs
 * on n rows: all of the task's (x_all, y_all) or a batch of them
 * gathered into x_batch, y_batch, or one row in place (every a[l] and y
 * then point at that row of a_all[l] and y_all); a[0] and y point at
 * the pass's inputs and targets, a_all[l] at the arrays of all rows
 * (a_all[0] is x_all). term holds the per-value loss terms and acc a row of sums
 * for the gradient; state the optimizer's per-parameter state. Every
 * array points into data[], which is all one allocation. */
struct net {
	struct net_spec spec;
	int rows, n;
	int fast_exp; /* see net_set_fast_exp */
	size_t n_params;
	double *y, *term, *acc;
	double *x_all, *y_all, *x_batch, *y_batch;
	double *grad, *state;
	double *w[NET_MAX_LAYERS];
	double *b[NET_MAX_LAYERS];
	double *gw[NET_MAX_LAYERS];
	double *gb[NET_MAX_LAYERS];
	double *a[NET_MAX_LAYERS];
	double *a_all[NET_MAX_LAYERS];
	double *d[NET_MAX_LAYERS];
	double data[];
};

/* Rows in a batch pass: 0 when every pass is over all rows. */
static int net_batch_rows(const struct net_spec *spec, int rows)
{
	return spec->batch > 0 && spec->batch < rows ? spec->batch : 0;
}

size_t net_param_count(const struct net_spec *spec)
{
	size_t n = 0;

	for (int l = 1; l < spec->n_layers; l++)
		n += (size_t)spec->width[l - 1] * (size_t)spec->width[l] +
		     (size_t)spec->width[l];
	return n;
}

size_t net_state_count(const struct net_spec *spec, int rows)
{
	int L = spec->n_layers, widest = 0;
	size_t n = (size_t)rows * (size_t)spec->width[0];

	for (int l = 1; l < L; l++) {
		n += 2 * (size_t)rows * (size_t)spec->width[l];
		if (spec->width[l] > widest)
			widest = spec->width[l];
	}
	/* targets and loss terms, the gradient's row of sums, a batch's
	 * rows, the gradient and the optimizer's state */
	n += 2 * (size_t)rows * (size_t)spec->width[L - 1] + (size_t)widest;
	n += (size_t)net_batch_rows(spec, rows) * (size_t)(spec->width[0] + spec->width[L - 1]);
	return n + net_param_count(spec) + optim_state_count(spec->optim, net_param_count(spec));
}

struct net *net_create(const struct net_spec *spec, const struct task_data *data)
{
	int L = spec->n_layers, rows = data->shape.n_rows;
	size_t n_params = net_param_count(spec);
	size_t n_doubles = n_params + net_state_count(spec, rows);
	size_t n_x = (size_t)rows * (size_t)spec->width[0];
	size_t n_y = (size_t)rows * (size_t)spec->width[L - 1];
	size_t n_bx = (size_t)net_batch_rows(spec, rows) * (size_t)spec->width[0];
	size_t n_by = (size_t)net_batch_rows(spec, rows) * (size_t)spec->width[L - 1];
	int widest = 0;
	struct net *net;
	double *p;

	assert(L >= 2 && L <= NET_MAX_LAYERS);
	assert(spec->width[0] == data->shape.n_in && spec->width[L - 1] == data->shape.n_out);
	net = calloc(1, sizeof *net + n_doubles * sizeof(double));
	if (!net)
		return NULL;
	net->spec = *spec;
	net->rows = net->n = rows;
	net->n_params = n_params;

	/* Parameters first, in net_params order: W[1], b[1], W[2], b[2], ... */
	p = net->data;
	for (int l = 1; l < L; l++) {
		net->w[l] = p;
		p += (size_t)spec->width[l - 1] * (size_t)spec->width[l];
		net->b[l] = p;
		p += spec->width[l];
	}
	net->grad = p;
	for (int l = 1; l < L; l++) {
		net->gw[l] = p;
		p += (size_t)spec->width[l - 1] * (size_t)spec->width[l];
		net->gb[l] = p;
		p += spec->width[l];
	}
	net->state = p;
	p += optim_state_count(spec->optim, n_params);
	net->a[0] = net->a_all[0] = net->x_all = p;
	p += n_x;
	for (int l = 1; l < L; l++) {
		net->a[l] = net->a_all[l] = p;
		p += (size_t)rows * (size_t)spec->width[l];
		net->d[l] = p;
		p += (size_t)rows * (size_t)spec->width[l];
		if (spec->width[l] > widest)
			widest = spec->width[l];
	}
	net->y = net->y_all = p;
	p += n_y;
	net->x_batch = p;
	p += n_bx;
	net->y_batch = p;
	p += n_by;
	net->term = p;
	p += n_y;
	net->acc = p;
	p += widest;
	assert(p == net->data + n_doubles);

	memcpy(net->a[0], data->x, n_x * sizeof(double));
	memcpy(net->y, data->y, n_y * sizeof(double));
	return net;
}

void net_free(struct net *net)
{
	free(net);
}

void net_init(struct net *net, uint32_t seed)
{
	struct rng rng;

	rng_seed(&rng, seed);
	net_init_from(net, &rng);
}

void net_init_from(struct net *net, struct rng *rng)
{
	for (int l = 1; l < net->spec.n_layers; l++) {
		int n_in = net->spec.width[l - 1], n_out = net->spec.width[l];
		size_t n_w = (size_t)n_in * (size_t)n_out;
		double scale = 1.0;

		if (net->spec.init == NET_INIT_XAVIER)
			scale = sqrt(1.0 / n_in);
		else if (net->spec.init == NET_INIT_HE)
			scale = sqrt(2.0 / n_in);
		/* randn(n_in, n_out) * scale; scale 1 is exact, so normal
		 * needs no special case to stay equal to plain randn. */
		for (size_t i = 0; i < n_w; i++)
			net->w[l][i] = rng_gauss(rng) * scale;
		for (int j = 0; j < n_out; j++)
			net->b[l][j] = 0.0;
	}
}

/* NumPy's pairwise summation of n contiguous values (pairwise_sum in
 * its loops_utils): fewer than 8 in order from -0.0; up to 128 in eight
 * running sums combined as a tree, then the rest in order; more split in
 * two at a multiple of 8. np.sum and np.mean reduce a contiguous run so
 * (for 4 values: ((v0 + v1) + v2) + v3). */
static double net_pairwise(const double *v, size_t n, size_t stride)
{
	double r[8], s;
	size_t i;

	if (n < 8) {
		s = -0.0;
		for (i = 0; i < n; i++)
			s += v[i * stride];
		return s;
	}
	if (n <= 128) {
		for (int j = 0; j < 8; j++)
			r[j] = v[(size_t)j * stride];
		for (i = 8; i < n - n % 8; i += 8)
			for (int j = 0; j < 8; j++)
				r[j] += v[(i + (size_t)j) * stride];
		s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
		for (; i < n; i++)
			s += v[i * stride];
		return s;
	}
	i = n / 2;
	i -= i % 8;
	return net_pairwise(v, i, stride) + net_pairwise(v + i * stride, n - i, stride);
}

/* np.mean of the rows x outputs loss terms: their pairwise sum, divided.
 * Below 8 values that is a plain sum, written here so that the
 * tutorial's 4 values unroll. */
static inline double net_mean(const double *v, size_t n)
{
	double s = -0.0;

	if (n >= 8)
		return net_pairwise(v, n, 1) / (double)n;
	for (size_t i = 0; i < n; i++)
		s += v[i];
	return s / (double)n;
}

/* Loss terms of the last forward pass, one per row and output:
 * (y - o)^2 for mse, and y log o + (1 - y) log(1 - o) for bce (the
 * tutorial's formula, so an output of exactly 0 or 1 gives NaN here as
 * it does in NumPy). */
static inline void net_loss_terms_k(const struct net *net, double *term, int n)
{
	const double *out = net->a[net->spec.n_layers - 1];

	for (int r = 0; r < n; r++) {
		double y = net->y[r], o = out[r];

		if (net->spec.loss == NET_LOSS_MSE)
			term[r] = (y - o) * (y - o);
		else
			term[r] = y * log(o) + (1.0 - y) * log(1.0 - o);
	}
}

static void net_loss_terms(const struct net *net, double *term)
{
	int n = net->n * net->spec.width[net->spec.n_layers - 1];

	if (n == NET_FAST_ROWS)
		net_loss_terms_k(net, term, NET_FAST_ROWS);
	else
		net_loss_terms_k(net, term, n);
}

/* z = x @ W + b for one layer; x is rows x n_in, W n_in x n_out.
 * Each z[r][j] is summed in k order from 0.0, as reference BLAS does,
 * and the bias comes last; looping j innermost keeps that order per
 * output while the compiler vectorises across outputs, and W is read
 * once for all four rows. */
static inline void net_affine_k(const double *restrict x, const double *restrict w,
				const double *restrict b, double *restrict z, int rows, int n_in,
				int n_out)
{
	for (size_t i = 0; i < (size_t)rows * (size_t)n_out; i++)
		z[i] = 0.0;
	for (int k = 0; k < n_in; k++) {
		const double *wk = w + (size_t)k * (size_t)n_out;

		for (int r = 0; r < rows; r++) {
			const double xrk = x[(size_t)r * (size_t)n_in + (size_t)k];
			double *zr = z + (size_t)r * (size_t)n_out;

			for (int j = 0; j < n_out; j++)
				zr[j] += xrk * wk[j];
		}
	}
	for (int r = 0; r < rows; r++)
		for (int j = 0; j < n_out; j++)
			z[(size_t)r * (size_t)n_out + (size_t)j] += b[j];
}

/* The tutorial's layers (2 in, 2 or 1 out) and every output layer get
 * their own copies of the kernels with the trip counts known, so the
 * small loops unroll; other sizes run kernel.c's blocked vector
 * products. Each sum in the same order: the same bits either way. */
static void net_affine(const double *x, const double *w, const double *b,
		       double *z, int rows, int n_in, int n_out)
{
	if (rows == 1 && n_in == 2 && n_out == 2)
		net_affine_k(x, w, b, z, 1, 2, 2);
	else if (rows == 1 && n_out == 1)
		net_affine_k(x, w, b, z, 1, n_in, 1);
	else if (rows == 1)
		net_affine_k(x, w, b, z, 1, n_in, n_out);
	else if (rows != NET_FAST_ROWS)
		kernel_forward(x, w, b, z, rows, n_in, n_out);
	else if (n_in == 2 && n_out == 2)
		net_affine_k(x, w, b, z, NET_FAST_ROWS, 2, 2);
	else if (n_in == 2 && n_out == 1)
		net_affine_k(x, w, b, z, NET_FAST_ROWS, 2, 1);
	else if (n_out == 1)
		net_affine_k(x, w, b, z, NET_FAST_ROWS, n_in, 1);
	else if (n_in == 2 && n_out <= NET_ROW_MAX)
		net_affine_k(x, w, b, z, NET_FAST_ROWS, 2, n_out);
	else
		kernel_forward(x, w, b, z, NET_FAST_ROWS, n_in, n_out);
}

/* f over a layer's rows x n outputs: sigmoid layers of NET_VEXP_MIN
 * values or more, or any with fast_exp, through vexp.c's vector exp
 * (libm's bits), the rest with the tutorial's sizes known. */
static void net_act_forward(enum act act, double *a, int rows, int n, int fast_exp)
{
	if (act == ACT_SIGMOID && (rows * n >= NET_VEXP_MIN || fast_exp))
		vexp_sigmoid(a, rows * n);
	else if (rows == NET_FAST_ROWS && n == 2)
		act_forward(act, a, NET_FAST_ROWS * 2);
	else if (rows == 1 && n == 2)
		act_forward(act, a, 2);
	else if (rows == 1 && n == 1)
		act_forward(act, a, 1);
	else if (rows == NET_FAST_ROWS && n == 1)
		act_forward(act, a, NET_FAST_ROWS);
	else
		act_forward(act, a, rows * n);
}

void net_activate(struct net *net)
{
	for (int l = 1; l < net->spec.n_layers; l++) {
		int n_in = net->spec.width[l - 1], n_out = net->spec.width[l];

		net_affine(net->a[l - 1], net->w[l], net->b[l], net->a[l], net->n, n_in, n_out);
		net_act_forward(net->spec.act[l], net->a[l], net->n, n_out, net->fast_exp);
	}
}

double net_forward(struct net *net)
{
	size_t n_terms = (size_t)net->n * (size_t)net->spec.width[net->spec.n_layers - 1];

	net_activate(net);
	net_loss_terms(net, net->term);
	if (n_terms == NET_FAST_ROWS)
		return net->spec.loss == NET_LOSS_MSE ? net_mean(net->term, NET_FAST_ROWS) :
			-net_mean(net->term, NET_FAST_ROWS);
	if (net->spec.loss == NET_LOSS_MSE)
		return net_mean(net->term, n_terms);
	return -net_mean(net->term, n_terms);
}

/* d = d_next @ W_next^T (4 rows x n): each d[r][i] is a dot product
 * over j, summed in j order from 0.0, so it cannot be split across j.
 * Instead two outputs i run side by side for all four rows: eight
 * independent sums keep both adders busy, and each W_next row and each
 * d_next element is read once per pair. */
static inline void net_back_product_k(const double *d_next, const double *w_next,
				      double *d, int n, int n_next)
{
	const double *d0 = d_next, *d1 = d_next + n_next, *d2 = d_next + 2 * n_next,
		     *d3 = d_next + 3 * n_next;
	int i = 0;

	for (; i + 2 <= n; i += 2) {
		const double *wa = w_next + (size_t)i * (size_t)n_next, *wb = wa + n_next;
		double a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0;
		double b0 = 0.0, b1 = 0.0, b2 = 0.0, b3 = 0.0;

		for (int j = 0; j < n_next; j++) {
			a0 += d0[j] * wa[j];
			a1 += d1[j] * wa[j];
			a2 += d2[j] * wa[j];
			a3 += d3[j] * wa[j];
			b0 += d0[j] * wb[j];
			b1 += d1[j] * wb[j];
			b2 += d2[j] * wb[j];
			b3 += d3[j] * wb[j];
		}
		d[i] = a0, d[n + i] = a1, d[2 * n + i] = a2, d[3 * n + i] = a3;
		d[i + 1] = b0, d[n + i + 1] = b1, d[2 * n + i + 1] = b2, d[3 * n + i + 1] = b3;
	}
	for (; i < n; i++) {
		const double *wi = w_next + (size_t)i * (size_t)n_next;
		double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;

		for (int j = 0; j < n_next; j++) {
			s0 += d0[j] * wi[j];
			s1 += d1[j] * wi[j];
			s2 += d2[j] * wi[j];
			s3 += d3[j] * wi[j];
		}
		d[i] = s0, d[n + i] = s1, d[2 * n + i] = s2, d[3 * n + i] = s3;
	}
}

/* The same for one row: d[i] = d_next . W_next[i], in j order from 0.0. */
static inline void net_back_product_row(const double *restrict d_next,
					const double *restrict w_next, double *restrict d, int n,
					int n_next)
{
	for (int i = 0; i < n; i++) {
		const double *wi = w_next + (size_t)i * (size_t)n_next;
		double s = 0.0;

		for (int j = 0; j < n_next; j++)
			s += d_next[j] * wi[j];
		d[i] = s;
	}
}

/* The tutorial's hidden layer (four rows, or one at a time) gets its own
 * unrolled copy; every other size runs kernel.c's blocked product (the
 * same sums in the same order). */
static void net_back_product(const double *d_next, const double *w_next,
			     double *d, int rows, int n, int n_next)
{
	if (rows == NET_FAST_ROWS && n == 2 && n_next == 1)
		net_back_product_k(d_next, w_next, d, 2, 1);
	else if (rows == NET_FAST_ROWS && n <= NET_ROW_MAX && n_next == 1)
		net_back_product_k(d_next, w_next, d, n, 1);
	else if (rows == 1 && n == 2 && n_next == 1)
		net_back_product_row(d_next, w_next, d, 2, 1);
	else
		kernel_back(d_next, w_next, d, rows, n, n_next);
}

/* Every delta from the last forward pass. d[L-1] is the step direction
 * for the output's pre-activation: (y - o) f'(o) for mse; for bce
 * (y - o) / (o (1 - o)) f'(o), which with a sigmoid output is just
 * y - o, written so to match the tutorial's arithmetic. Then
 * d[l] = (d[l+1] @ W[l+1]^T) * f'(a[l]). */
static inline void net_out_deltas(struct net *net, int n_out)
{
	int L = net->spec.n_layers;
	const double *out = net->a[L - 1];
	double *d_out = net->d[L - 1];

	for (int r = 0; r < n_out; r++) {
		d_out[r] = net->y[r] - out[r];
		if (net->spec.loss == NET_LOSS_BCE &&
		    net->spec.act[L - 1] != ACT_SIGMOID)
			d_out[r] /= out[r] * (1.0 - out[r]);
	}
	if (!(net->spec.loss == NET_LOSS_BCE &&
	      net->spec.act[L - 1] == ACT_SIGMOID))
		act_backward(net->spec.act[L - 1], out, d_out, n_out);
}

static void net_deltas(struct net *net)
{
	int L = net->spec.n_layers;
	int n_out = net->n * net->spec.width[L - 1];

	if (n_out == NET_FAST_ROWS)
		net_out_deltas(net, NET_FAST_ROWS);
	else if (n_out == 1)
		net_out_deltas(net, 1);
	else
		net_out_deltas(net, n_out);
	for (int l = L - 2; l >= 1; l--) {
		int n = net->spec.width[l], n_next = net->spec.width[l + 1];
		const double *d_next = net->d[l + 1], *w_next = net->w[l + 1];
		double *d = net->d[l];

		net_back_product(d_next, w_next, d, net->n, n, n_next);
		act_backward(net->spec.act[l], net->a[l], d, net->n * n);
	}
}

/* sum(d, axis=0)[j] over rows: NumPy reduces a one-wide column as one
 * contiguous run (pairwise), a wider one row after row from row 0. */
static inline double net_colsum(const double *d, int rows, int n_out, int j)
{
	double s;

	/* below 8 values the pairwise sum is a plain one from -0.0 */
	if (n_out == 1 && rows < 8) {
		s = -0.0;
		for (int r = 0; r < rows; r++)
			s += d[r];
		return s;
	}
	if (n_out == 1)
		return net_pairwise(d, (size_t)rows, 1);
	s = d[j];
	for (int r = 1; r < rows; r++)
		s += d[(size_t)r * (size_t)n_out + (size_t)j];
	return s;
}

/* The weight-gradient product of one layer on 4 rows: NumPy's
 * `X.T.dot(d)` and `np.sum(d, axis=0)`, each product summed over the
 * rows in order from 0.0 (np.sum copies row 0 and adds the others in
 * order), negated: d is the descent direction, gw and gb the gradient.
 * j innermost so the compiler vectorises across outputs. */
static inline void net_weight_grad_k(const double *a, const double *d, double *gw,
				     double *gb, int n_in, int n_out)
{
	const double *d0 = d, *d1 = d + n_out, *d2 = d + 2 * n_out,
		     *d3 = d + 3 * n_out;

	for (int i = 0; i < n_in; i++) {
		const double a0 = a[i], a1 = a[n_in + i], a2 = a[2 * n_in + i],
			     a3 = a[3 * n_in + i];
		double *gi = gw + (size_t)i * (size_t)n_out;

		for (int j = 0; j < n_out; j++)
			gi[j] = -((((0.0 + a0 * d0[j]) + a1 * d1[j]) + a2 * d2[j]) + a3 * d3[j]);
	}
	for (int j = 0; j < n_out; j++)
		gb[j] = -(((d0[j] + d1[j]) + d2[j]) + d3[j]);
}

/* Any number of rows: each sum over the rows runs in acc, from 0.0 in
 * row order, vectorised across j. */
static inline void net_weight_grad_rows(const double *restrict a, const double *restrict d,
					double *restrict gw, double *restrict gb,
					double *restrict acc, int rows, int n_in, int n_out)
{
	for (int i = 0; i < n_in; i++) {
		double *gi = gw + (size_t)i * (size_t)n_out;

		for (int j = 0; j < n_out; j++)
			acc[j] = 0.0;
		for (int r = 0; r < rows; r++) {
			const double ari = a[(size_t)r * (size_t)n_in + (size_t)i];
			const double *dr = d + (size_t)r * (size_t)n_out;

			for (int j = 0; j < n_out; j++)
				acc[j] += ari * dr[j];
		}
		for (int j = 0; j < n_out; j++)
			gi[j] = -acc[j];
	}
	for (int j = 0; j < n_out; j++)
		gb[j] = -net_colsum(d, rows, n_out, j);
}

/* Any other shape: kernel.c's blocked a^T d (the same sums in the same
 * order), negated, then the biases. */
static void net_weight_grad_wide(const double *a, const double *d, double *gw, double *gb,
				 int rows, int n_in, int n_out)
{
	size_t n = (size_t)n_in * (size_t)n_out;

	kernel_dw(a, d, gw, rows, n_in, n_out);
	for (size_t k = 0; k < n; k++)
		gw[k] = -gw[k];
	for (int j = 0; j < n_out; j++)
		gb[j] = -net_colsum(d, rows, n_out, j);
}

/* gw = -(a^T @ d) (n_in x n_out), gb = -colsum(d) (n_out), a being
 * rows x n_in and d rows x n_out. */
static void net_weight_grad(const double *a, const double *d, double *gw, double *gb,
			    double *acc, int rows, int n_in, int n_out)
{
	if (rows == 1 && n_in == 2 && n_out == 2)
		net_weight_grad_rows(a, d, gw, gb, acc, 1, 2, 2);
	else if (rows == 1 && n_in == 2 && n_out == 1)
		net_weight_grad_rows(a, d, gw, gb, acc, 1, 2, 1);
	else if (rows == 1 && n_out == 1)
		net_weight_grad_rows(a, d, gw, gb, acc, 1, n_in, 1);
	else if (rows != NET_FAST_ROWS)
		net_weight_grad_wide(a, d, gw, gb, rows, n_in, n_out);
	else if (n_in == 2 && n_out == 2)
		net_weight_grad_k(a, d, gw, gb, 2, 2);
	else if (n_in == 2 && n_out == 1)
		net_weight_grad_k(a, d, gw, gb, 2, 1);
	else if (n_out == 1)
		net_weight_grad_k(a, d, gw, gb, n_in, 1);
	else if (n_in == 2 && n_out <= NET_ROW_MAX)
		net_weight_grad_k(a, d, gw, gb, 2, n_out);
	else
		net_weight_grad_wide(a, d, gw, gb, NET_FAST_ROWS, n_in, n_out);
}

void net_backward(struct net *net)
{
	net_deltas(net);
	for (int l = 1; l < net->spec.n_layers; l++)
		net_weight_grad(net->a[l - 1], net->d[l], net->gw[l], net->gb[l], net->acc,
				net->n, net->spec.width[l - 1], net->spec.width[l]);
}


/* f(x) of one value: the act table's row, with sigmoid's exp taken from
 * ex (libm's exp, or vexp_one: the same bits). */
static inline double net_act1(enum act act, double x, double (*ex)(double))
{
	double a = x;

	if (act == ACT_SIGMOID)
		return 1.0 / (1.0 + ex(-x));
	act_forward(act, &a, 1);
	return a;
}

/* d f'(out) of one value: the act table's row. */
static inline double net_dact1(enum act act, double out, double d)
{
	act_backward(act, &out, &d, 1);
	return d;
}

/* A 2-H-1 network (the tutorial's 2-2-1 with more or fewer hidden
 * units; H a constant in each copy) on one row r: the sums of
 * net_activate (unless forward is 0: row r's activations are already
 * there) and net_backward on net_use_row(net, r), in the same order,
 * with every value in a register. A one-row step is a chain in which
 * each layer waits for the last; through the arrays each link also
 * waits for a store to reach a load. */
static inline __attribute__((always_inline)) void
net_row_backward_2h1(struct net *net, int r, int forward, double (*ex)(double), const int H)
{
	const enum act f1 = net->spec.act[1], f2 = net->spec.act[2];
	const double *x = net->x_all + 2 * r, y = net->y_all[r];
	const double *w1 = net->w[1], *b1 = net->b[1], *w2 = net->w[2], *b2 = net->b[2];
	double *a1 = net->a_all[1] + H * r, *a2 = net->a_all[2] + r;
	double *gw1 = net->gw[1], *gb1 = net->gb[1], *gw2 = net->gw[2], *gb2 = net->gb[2];
	double h[NET_ROW_MAX], e[NET_ROW_MAX], o, d;

	if (forward) {
		double z = 0.0;

		for (int j = 0; j < H; j++)
			h[j] = net_act1(f1, ((0.0 + x[0] * w1[j]) + x[1] * w1[H + j]) + b1[j], ex);
		for (int k = 0; k < H; k++)
			z += h[k] * w2[k];
		o = net_act1(f2, z + b2[0], ex);
		for (int j = 0; j < H; j++)
			a1[j] = h[j];
		a2[0] = o;
	} else {
		for (int j = 0; j < H; j++)
			h[j] = a1[j];
		o = a2[0];
	}
	/* net_out_deltas, the back product and act_backward */
	d = y - o;
	if (net->spec.loss == NET_LOSS_BCE && f2 != ACT_SIGMOID)
		d /= o * (1.0 - o);
	if (!(net->spec.loss == NET_LOSS_BCE && f2 == ACT_SIGMOID))
		d = net_dact1(f2, o, d);
	for (int j = 0; j < H; j++)
		e[j] = net_dact1(f1, h[j], 0.0 + d * w2[j]);
	/* the weight gradients on one row: each sum from 0.0 (a one-wide
	 * column's from -0.0), negated */
	for (int j = 0; j < H; j++) {
		gw1[j] = -(0.0 + x[0] * e[j]);
		gw1[H + j] = -(0.0 + x[1] * e[j]);
		gb1[j] = H == 1 ? -(-0.0 + e[j]) : -e[j];
	}
	for (int k = 0; k < H; k++)
		gw2[k] = -(0.0 + h[k] * d);
	gb2[0] = -(-0.0 + d);
}

typedef void (*net_row_fn)(struct net *net, int r, int forward);

/* gcc's straight-line vectoriser packs pairs of the small arrays above
 * into vectors and so keeps them on the stack (2-2-1: 263 -> 285 ns an
 * online epoch); without it every value stays in a register. */
#if defined(__GNUC__) && !defined(__clang__)
#define NET_ROW_ATTR __attribute__((optimize("no-tree-slp-vectorize")))
#else
#define NET_ROW_ATTR
#endif

/* The copies for every width H, one table a kind of exp (KIND, taking
 * exp from EXPF, built with the further attributes ATTRS). */
#define NET_ROW_WIDTHS(X, ...) X(1, __VA_ARGS__) X(2, __VA_ARGS__) X(3, __VA_ARGS__) \
	X(4, __VA_ARGS__) X(5, __VA_ARGS__) X(6, __VA_ARGS__) X(7, __VA_ARGS__) X(8, __VA_ARGS__)
#define NET_ROW_COPY(H, KIND, EXPF, ATTRS)                                        \
	NET_ROW_ATTR ATTRS static void net_row_##KIND##_##H(struct net *net, int r,   \
							   int forward)               \
	{                                                                         \
		net_row_backward_2h1(net, r, forward, EXPF, H);                   \
	}
#define NET_ROW_ENTRY(H, KIND, EXPF, ATTRS) [H] = net_row_##KIND##_##H,
#define NET_ROW_TABLE(KIND, EXPF, ATTRS)                                          \
	NET_ROW_WIDTHS(NET_ROW_COPY, KIND, EXPF, ATTRS)                           \
	static const net_row_fn net_row_##KIND[NET_ROW_MAX + 1] = {               \
		NET_ROW_WIDTHS(NET_ROW_ENTRY, KIND, EXPF, ATTRS)                  \
	};

NET_ROW_TABLE(libm, exp, )
#ifdef VEXP_ONE
NET_ROW_TABLE(one, vexp_one, __attribute__((target("fma"))))
#endif

void net_set_fast_exp(struct net *net, int on)
{
	net->fast_exp = on && vexp_exact();
}

void net_row_backward(struct net *net, int r, int forward)
{
	const int *w = net->spec.width;

	if (net->spec.n_layers == 3 && w[0] == 2 && w[1] <= NET_ROW_MAX && w[2] == 1) {
#ifdef VEXP_ONE
		if (net->fast_exp) {
			net_row_one[w[1]](net, r, forward);
			return;
		}
#endif
		net_row_libm[w[1]](net, r, forward);
		return;
	}
	net_use_row(net, r);
	if (forward)
		net_activate(net);
	net_backward(net);
}

void net_step(struct net *net, const struct optim_spec *o, uint64_t t)
{
	optim_rules[o->kind].step(o, net->data, net->grad, net->state, net->n_params, t);
}

void net_use_rows(struct net *net, const int *idx, int n)
{
	int n_in = net->spec.width[0], n_out = net->spec.width[net->spec.n_layers - 1];

	for (int l = 1; l < net->spec.n_layers; l++)
		net->a[l] = net->a_all[l];
	if (!idx) {
		net->a[0] = net->x_all;
		net->y = net->y_all;
		net->n = net->rows;
		return;
	}
	assert(n >= 1 && n <= net_batch_rows(&net->spec, net->rows));
	for (int r = 0; r < n; r++) {
		memcpy(net->x_batch + (size_t)r * (size_t)n_in,
		       net->x_all + (size_t)idx[r] * (size_t)n_in, (size_t)n_in * sizeof(double));
		memcpy(net->y_batch + (size_t)r * (size_t)n_out,
		       net->y_all + (size_t)idx[r] * (size_t)n_out, (size_t)n_out * sizeof(double));
	}
	net->a[0] = net->x_batch;
	net->y = net->y_batch;
	net->n = n;
}

void net_use_row(struct net *net, int r)
{
	int L = net->spec.n_layers;

	assert(r >= 0 && r < net->rows);
	for (int l = 0; l < L; l++)
		net->a[l] = net->a_all[l] + (size_t)r * (size_t)net->spec.width[l];
	net->y = net->y_all + (size_t)r * (size_t)net->spec.width[L - 1];
	net->n = 1;
}

const double *net_outputs(const struct net *net)
{
	return net->a[net->spec.n_layers - 1];
}

double *net_params(struct net *net)
{
	return net->data;
}

void net_gradient(struct net *net, double *grad)
{
	net_forward(net);
	net_backward(net);
	memcpy(grad, net->grad, net->n_params * sizeof(double));
}

const double *net_grad(const struct net *net)
{
	return net->grad;
}

double net_objective(struct net *net)
{
	size_t n = (size_t)net->n * (size_t)net->spec.width[net->spec.n_layers - 1];
	double s = 0.0;

	net_forward(net);
	for (size_t r = 0; r < n; r++)
		s += net->term[r];
	if (net->spec.loss == NET_LOSS_MSE)
		return 0.5 * s;
	return -s;
}
