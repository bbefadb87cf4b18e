/* optim.c: torch.optim's update rules (SGD, momentum, Nesterov, Adam, Rprop) as one table. */
#include "optim.h"

#include <math.h>
#include <string.h>

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

/* a = hi + lo, each with at most 26 significant bits (Veltkamp), so
 * that a product of halves is exact. Written out, not with fma(): the
 * numeric code is built without contraction and runs anywhere. */
static void optim_split(double a, double *hi, double *lo)
{
	double c = 134217729.0 * a;   /* 2^27 + 1 */

	*hi = c - (c - a);
	*lo = a - *hi;
}

/* power[0] is the step t whose beta**t power[1] + power[2] holds (0:
 * none), a double-double: each step multiplies it by beta with Dekker's
 * exact product of the high parts, so after t steps its relative error
 * is below t 2^-104. pow is within 0.54 ULP of the true value (glibc
 * and Arm's pow.c), so where the double-double lies within 0.4 ULP of
 * its nearest double hi (0.1 ULP or more from a midpoint), hi is the
 * only double pow can return; nearer a midpoint, or at a power of two
 * (whose neighbours are not equally far), or past 2^40 steps, pow
 * decides. Below 2^-60, beta**t and every later power are too small to
 * change 1.0 - beta**t: the product is set to 0, which stays so. */
double optim_bias_correction(double *power, double beta, uint64_t t)
{
	double hi, lo;
	uint64_t u, exp_bits;

	if (t == 1) {
		power[1] = beta;
		power[2] = 0.0;
	} else if (power[0] == (double)(t - 1) && t < (UINT64_C(1) << 40)) {
		double p = power[1] * beta, h1, l1, h2, l2, e, s;

		optim_split(power[1], &h1, &l1);
		optim_split(beta, &h2, &l2);
		e = ((h1 * h2 - p) + h1 * l2 + l1 * h2) + l1 * l2;   /* p + e = hi beta */
		s = power[2] * beta + e;
		power[1] = p + s;
		power[2] = s - (power[1] - p);
	} else {
		power[0] = 0.0;
		return 1.0 - pow(beta, (double)t);
	}
	power[0] = (double)t;
	hi = power[1], lo = power[2];
	if (hi < 0x1p-60) {
		power[1] = power[2] = 0.0;
		return 1.0;
	}
	memcpy(&u, &hi, sizeof u);
	exp_bits = u & UINT64_C(0x7ff0000000000000);
	if (u & UINT64_C(0x000fffffffffffff)) {
		double ulp;

		memcpy(&ulp, &exp_bits, sizeof ulp);
		if (fabs(lo) <= 0.4 * (ulp * 0x1p-52))
			return 1.0 - hi;
	}
	return 1.0 - pow(beta, (double)t);
}

/* The update of n parameters; with the second moment's correction
 * exactly 1 (sqrt(1 - beta2**t) once beta2**t < 2^-54), sqrt(v) / 1 is
 * sqrt(v) and the division goes. */
static inline void optim_adam_k(const struct optim_spec *o, double *restrict p,
				const double *restrict g, double *restrict m,
				double *restrict v, size_t n, double neg_step,
				double bc2_sqrt, int corrected)
{
	const double b1 = o->beta1, b2 = o->beta2, eps = o->eps;
	const double a1 = 1.0 - b1, a2 = 1.0 - b2;

	for (size_t i = 0; i < n; i++) {
		double denom;

		m[i] = m[i] * b1 + a1 * g[i];
		v[i] = v[i] * b2 + a2 * g[i] * g[i];
		denom = (corrected ? sqrt(v[i]) / bc2_sqrt : sqrt(v[i])) + eps;
		p[i] = p[i] + neg_step * m[i] / denom;
	}
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

/* optim_adam_k four parameters at a time: each lane the same operations
 * in the same order (no FMA: a multiply then an add), and sqrt and the
 * divisions are correctly rounded at any width, so the same bits. The
 * divider is what an Adam step of a small net waits on. */
__attribute__((target("avx2"))) static void
optim_adam_avx2(const struct optim_spec *o, double *restrict p, const double *restrict g,
		double *restrict m, double *restrict v, size_t n, double neg_step,
		double bc2_sqrt, int corrected)
{
	const __m256d b1 = _mm256_set1_pd(o->beta1), b2 = _mm256_set1_pd(o->beta2);
	const __m256d a1 = _mm256_set1_pd(1.0 - o->beta1), a2 = _mm256_set1_pd(1.0 - o->beta2);
	const __m256d eps = _mm256_set1_pd(o->eps), step = _mm256_set1_pd(neg_step);
	const __m256d c2 = _mm256_set1_pd(bc2_sqrt);
	size_t i = 0;

	for (; i + 4 <= n; i += 4) {
		__m256d gi = _mm256_loadu_pd(g + i), mi, vi, denom;

		mi = _mm256_add_pd(_mm256_mul_pd(_mm256_loadu_pd(m + i), b1), _mm256_mul_pd(a1, gi));
		vi = _mm256_add_pd(_mm256_mul_pd(_mm256_loadu_pd(v + i), b2),
				   _mm256_mul_pd(_mm256_mul_pd(a2, gi), gi));
		denom = _mm256_sqrt_pd(vi);
		if (corrected)
			denom = _mm256_div_pd(denom, c2);
		denom = _mm256_add_pd(denom, eps);
		_mm256_storeu_pd(m + i, mi);
		_mm256_storeu_pd(v + i, vi);
		_mm256_storeu_pd(p + i, _mm256_add_pd(_mm256_loadu_pd(p + i),
						      _mm256_div_pd(_mm256_mul_pd(step, mi), denom)));
	}
	optim_adam_k(o, p + i, g + i, m + i, v + i, n - i, neg_step, bc2_sqrt, corrected);
}

static int optim_has_avx2(void)
{
	/* Asked once; a race between threads stores the same answer. */
	static int has = -1;

	if (has < 0) {
		__builtin_cpu_init();
		has = __builtin_cpu_supports("avx2") != 0;
	}
	return has;
}
#endif

/* optim_adam_k, in vectors where the CPU has them. */
static void optim_adam_update(const struct optim_spec *o, double *p, const double *g, double *m,
			      double *v, size_t n, double neg_step, double bc2_sqrt)
{
	int corrected = bc2_sqrt != 1.0;

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	if (optim_has_avx2()) {
		optim_adam_avx2(o, p, g, m, v, n, neg_step, bc2_sqrt, corrected);
		return;
	}
#endif
	if (corrected)
		optim_adam_k(o, p, g, m, v, n, neg_step, bc2_sqrt, 1);
	else
		optim_adam_k(o, p, g, m, v, n, neg_step, bc2_sqrt, 0);
}

/* exp_avg.mul_(beta1).add_(grad, alpha=1-beta1);
 * exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1-beta2);
 * step_size = lr / (1 - beta1**t);
 * denom = exp_avg_sq.sqrt() / sqrt(1 - beta2**t) + eps;
 * param.addcdiv_(exp_avg, denom, value=-step_size).
 * state: m then v, n each, then the two powers of the betas. */
static void optim_adam(const struct optim_spec *o, double *p, double *g,
		       double *state, size_t n, uint64_t t)
{
	double *m = state, *v = state + n, *power = state + 2 * n;
	const double bc1 = optim_bias_correction(power, o->beta1, t);
	const double bc2 = optim_bias_correction(power + OPTIM_POWER_SIZE, o->beta2, t);
	const double step_size = o->lr / bc1, bc2_sqrt = sqrt(bc2);

	optim_decay(o, p, g, n);
	optim_adam_update(o, p, g, m, v, n, -step_size, bc2_sqrt);
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
	[OPTIM_SGD] = { "sgd", optim_sgd, 0, 0 },
	[OPTIM_MOMENTUM] = { "momentum", optim_momentum, 1, 0 },
	[OPTIM_NESTEROV] = { "nesterov", optim_nesterov, 1, 0 },
	[OPTIM_ADAM] = { "adam", optim_adam, 2, 2 * OPTIM_POWER_SIZE },
	[OPTIM_RPROP] = { "rprop", optim_rprop, 2, 0 },
};
