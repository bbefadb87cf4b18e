/* optim.c: torch.optim's update rules (SGD, momentum, Nesterov, Adam, Rprop) as one table. */
#include "optim.h"

#include <math.h>

/* Each rule is written in torch.optim's operation order (PyTorch 1.13,
 * torch/optim/sgd.py, adam.py, rprop.py, single-tensor path), so a NumPy
 * implementation of the same lines gives the same bits, and torch itself
 * agrees to within rounding of its fused vector kernels. */

const char *const optim_names[OPTIM_COUNT] = {
	[OPTIM_SGD] = "sgd",
	[OPTIM_MOMENTUM] = "momentum",
	[OPTIM_NESTEROV] = "nesterov",
	[OPTIM_ADAM] = "adam",
	[OPTIM_RPROP] = "rprop",
};

/* grad = grad.add(param, alpha=weight_decay) */
static void optim_decay(const struct optim_spec *o, const double *p, double *g, size_t n)
{
	if (o->weight_decay == 0.0)
		return;
	for (size_t i = 0; i < n; i++)
		g[i] = g[i] + o->weight_decay * p[i];
}

/* param.add_(grad, alpha=-lr); written p - lr g, which is the same
 * double, and with weight decay 0 the tutorial's W += (a^T d) lr bit
 * for bit (g is -(a^T d): negation is exact). */
static void optim_sgd(const struct optim_spec *o, double *p, double *g,
		      double *state, size_t n, uint64_t t)
{
	const double lr = o->lr;

	(void)state, (void)t;
	optim_decay(o, p, g, n);
	for (size_t i = 0; i < n; i++)
		p[i] -= lr * g[i];
}

/* buf = clone(grad) at the first step, else buf.mul_(momentum).add_(grad)
 * (dampening 0); Nesterov steps along grad.add(buf, alpha=momentum). */
static void optim_heavy_ball(const struct optim_spec *o, double *p, double *g,
			     double *buf, size_t n, uint64_t t, int nesterov)
{
	const double lr = o->lr, mu = o->momentum;

	optim_decay(o, p, g, n);
	for (size_t i = 0; i < n; i++) {
		double d;

		buf[i] = t == 1 ? g[i] : buf[i] * mu + g[i];
		d = nesterov ? g[i] + mu * buf[i] : buf[i];
		p[i] -= lr * d;
	}
}

static void optim_momentum(const struct optim_spec *o, double *p, double *g,
			   double *state, size_t n, uint64_t t)
{
	optim_heavy_ball(o, p, g, state, n, t, 0);
}

static void optim_nesterov(const struct optim_spec *o, double *p, double *g,
			   double *state, size_t n, uint64_t t)
{
	optim_heavy_ball(o, p, g, state, n, t, 1);
}

/* exp_avg.mul_(beta1).add_(grad, alpha=1-beta1);
 * exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1-beta2);
 * step_size = lr / (1 - beta1**t);
 * denom = exp_avg_sq.sqrt() / sqrt(1 - beta2**t) + eps;
 * param.addcdiv_(exp_avg, denom, value=-step_size).
 * state: m then v, n each. */
static void optim_adam(const struct optim_spec *o, double *p, double *g,
		       double *state, size_t n, uint64_t t)
{
	double *m = state, *v = state + n;
	const double b1 = o->beta1, b2 = o->beta2;
	const double bc1 = 1.0 - pow(b1, (double)t), bc2 = 1.0 - pow(b2, (double)t);
	const double step_size = o->lr / bc1, bc2_sqrt = sqrt(bc2);
	const double neg_step = -step_size, a1 = 1.0 - b1, a2 = 1.0 - b2;

	optim_decay(o, p, g, n);
	for (size_t i = 0; i < n; i++) {
		double denom;

		m[i] = m[i] * b1 + a1 * g[i];
		v[i] = v[i] * b2 + a2 * g[i] * g[i];
		denom = sqrt(v[i]) / bc2_sqrt + o->eps;
		p[i] = p[i] + neg_step * m[i] / denom;
	}
}

/* Torch's Rprop: s = sign(grad * prev); step_size times etaplus (s > 0),
 * etaminus (s < 0) or 1, clamped to [step_min, step_max]; where s < 0
 * the gradient counts as 0; param -= sign(grad) * step_size; prev =
 * grad. state: prev then step_size (which starts at lr: see train). */
static void optim_rprop(const struct optim_spec *o, double *p, double *g,
			double *state, size_t n, uint64_t t)
{
	double *prev = state, *step = state + n;

	if (t == 1)
		for (size_t i = 0; i < n; i++)
			step[i] = o->lr;
	for (size_t i = 0; i < n; i++) {
		double s = g[i] * prev[i], f = 1.0, sg;

		if (s > 0)
			f = o->etaplus;
		else if (s < 0)
			f = o->etaminus;
		step[i] = fmin(fmax(step[i] * f, o->step_min), o->step_max);
		if (s < 0)
			g[i] = 0.0;
		sg = g[i] > 0 ? 1.0 : g[i] < 0 ? -1.0 : 0.0;
		p[i] = p[i] + -1.0 * (sg * step[i]);
		prev[i] = g[i];
	}
}

const struct optim_rule optim_rules[OPTIM_COUNT] = {
	[OPTIM_SGD] = { "sgd", optim_sgd, 0 },
	[OPTIM_MOMENTUM] = { "momentum", optim_momentum, 1 },
	[OPTIM_NESTEROV] = { "nesterov", optim_nesterov, 1 },
	[OPTIM_ADAM] = { "adam", optim_adam, 2 },
	[OPTIM_RPROP] = { "rprop", optim_rprop, 2 },
};
