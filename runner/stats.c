/* stats.c: interval estimates over seeds: the math alone, no files. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void sort_doubles(double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
}

void stats_wilson(uint64_t k, uint64_t n, double z, double *lo, double *hi)
{
	double nn = (double)n, p = (double)k / nn, z2 = z * z;
	double denom = 1.0 + z2 / nn;
	double center = (p + z2 / (2.0 * nn)) / denom;
	double dist = z * sqrt(p * (1.0 - p) / nn + z2 / (4.0 * nn * nn)) / denom;

	/* At 0 of n and n of n the interval reaches 0 and 1 exactly; the
	 * formula leaves a rounding error there. */
	*lo = k == 0 ? 0.0 : fmax(center - dist, 0.0);
	*hi = k == n ? 1.0 : fmin(center + dist, 1.0);
}

/* Between a and b, the sorted values at ranks lo and lo + 1, at frac. */
static double interpolate(double a, double b, double frac)
{
	if (frac == 0.0 || a == b)
		return a;
	if (isinf(b))
		return b;
	return a + (b - a) * frac;
}

double stats_quantile(const double *v, size_t n, double q)
{
	double pos = q * (double)(n - 1);
	size_t lo = (size_t)pos;

	if (lo + 1 >= n)
		return v[lo < n ? lo : n - 1];
	return interpolate(v[lo], v[lo + 1], pos - (double)lo);
}

/* Reorders v[0..n-1] so that v[k] is the value sorting would put there,
 * none after it smaller and none before it larger (Hoare's selection). */
static void select_rank(double *v, size_t n, size_t k)
{
	long lo = 0, hi = (long)n - 1, kk = (long)k;

	while (lo < hi) {
		double pivot = v[kk];
		long i = lo, j = hi;

		do {
			while (v[i] < pivot)
				i++;
			while (pivot < v[j])
				j--;
			if (i <= j) {
				double t = v[i];
				v[i++] = v[j];
				v[j--] = t;
			}
		} while (i <= j);
		if (j < kk)
			lo = i;
		if (kk < i)
			hi = j;
	}
}

/* stats_quantile of v as if sorted, in linear time; v is reordered. */
static double quantile_unsorted(double *v, size_t n, double q)
{
	double pos = q * (double)(n - 1), next;
	size_t lo = (size_t)pos;

	select_rank(v, n, lo);
	if (lo + 1 >= n)
		return v[lo];
	next = v[lo + 1];
	for (size_t i = lo + 2; i < n; i++)
		next = v[i] < next ? v[i] : next;
	return interpolate(v[lo], next, pos - (double)lo);
}

/* The 1-based rank of the q-quantile of a survival time over n runs. */
static double censored_rank(size_t n, double q)
{
	return ceil(q * (double)n);
}

/* With weights w (NULL: 1 each) on sorted values v[0..n_finite-1]. */
static double censored_quantile_w(const double *v, const double *w, size_t n_finite,
				  size_t n, double q)
{
	double k = censored_rank(n, q), cum = 0.0;

	if (k < 1.0)
		k = 1.0;
	for (size_t i = 0; i < n_finite; i++) {
		cum += w ? w[i] : 1.0;
		if (cum >= k)
			return v[i];
	}
	return INFINITY;
}

double stats_censored_quantile(const double *sorted, size_t n_finite, size_t n, double q)
{
	return censored_quantile_w(sorted, NULL, n_finite, n, q);
}

/* The mean of ranks [g, n - g) of sorted v repeated w[i] times each
 * (w NULL: once each), g = floor(n/4). */
static double iqm_w(const double *v, const double *w, size_t n)
{
	double g = floor((double)n / 4.0), end = (double)n - g, cum = 0.0, sum = 0.0;

	/* Plain comparisons, not fmax/fmin (library calls): nothing here
	 * is NaN or -0. */
	for (size_t i = 0; i < n && cum < end; i++) {
		double c = w ? w[i] : 1.0;
		double from = cum > g ? cum : g, to = cum + c < end ? cum + c : end;
		if (to > from)
			sum += v[i] * (to - from);
		cum += c;
	}
	return sum / (end - g);
}

double stats_iqm(const double *sorted, size_t n)
{
	return iqm_w(sorted, NULL, n);
}

/* One resample of n values: how many times each index is drawn. */
static void resample(struct rng *r, size_t n, double *counts)
{
	memset(counts, 0, n * sizeof *counts);
	for (size_t i = 0; i < n; i++) {
		size_t k = (size_t)(rng_uniform(r) * (double)n);
		counts[k < n ? k : n - 1] += 1.0;
	}
}

void stats_draws_free(struct stats_draws *d)
{
	free(d->counts);
	memset(d, 0, sizeof *d);
}

/* The counts of every resample of n runs, drawn from a generator seeded
 * as r is: kept in d (when it can hold them) the first time, copied
 * from there after; NULL when not kept. */
static const unsigned char *draws_kept(struct stats_draws *d, size_t n, struct rng *r,
				       double *counts)
{
	if (!d || n > STATS_DRAWS_MAX_N)
		return NULL;
	if (d->n == n)
		return d->counts;
	if (!d->counts &&
	    !(d->counts = malloc((size_t)STATS_RESAMPLES * STATS_DRAWS_MAX_N)))
		return NULL;
	for (int b = 0; b < STATS_RESAMPLES; b++) {
		resample(r, n, counts);
		for (size_t i = 0; i < n; i++)
			d->counts[(size_t)b * n + i] = (unsigned char)counts[i];
	}
	d->n = n;
	return d->counts;
}

/* censored_quantile_w at q = 0.5 and iqm_w, with kept counts: the same
 * sums in the same order, the weights' arithmetic in integers (exact in
 * doubles too, so the results are the same bits). */
static double censored_median_kept(const double *v, const unsigned char *w,
				   size_t n_finite, size_t n)
{
	size_t k = (size_t)censored_rank(n, 0.5), cum = 0;

	if (k < 1)
		k = 1;
	for (size_t i = 0; i < n_finite; i++) {
		cum += w[i];
		if (cum >= k)
			return v[i];
	}
	return INFINITY;
}

static double iqm_kept(const double *v, const unsigned char *w, size_t n)
{
	size_t g = n / 4, end = n - g, cum = 0, i = 0;
	double sum = 0.0;

	for (; i < n && cum + w[i] <= g; i++)
		cum += w[i];
	for (; i < n && cum < end; i++) {
		size_t from = cum > g ? cum : g, to = cum + w[i] < end ? cum + w[i] : end;

		if (to > from)
			sum += v[i] * (double)(to - from);
		cum += w[i];
	}
	return sum / (double)(end - g);
}

/* The percentile interval of the STATS_RESAMPLES values in boot (only
 * two quantiles: selected, not sorted). */
static void percentile_interval(struct stats_est *e, double *boot)
{
	e->hi = quantile_unsorted(boot, STATS_RESAMPLES, 0.975);
	e->lo = quantile_unsorted(boot, STATS_RESAMPLES, 0.025);
}

void stats_group(struct stats_group *g, size_t n, const int64_t *solved_epoch,
		 const double *final_loss, const int *diverged, double *scratch,
		 struct stats_draws *draws)
{
	const unsigned char *kept;
	double *epochs = scratch, *loss = scratch + n, *counts = scratch + 2 * n;
	double *boot = scratch + 3 * n, *boot2 = boot + STATS_RESAMPLES;
	size_t ns = 0;
	struct rng r;

	memset(g, 0, sizeof *g);
	g->runs = n;
	g->solved_epoch_q1 = g->solved_epoch_q3 = g->final_loss_median = NAN;
	g->share.lo = g->share.hi = g->solved_epoch.lo = g->solved_epoch.hi = NAN;
	g->final_loss_iqm.lo = g->final_loss_iqm.hi = NAN;
	for (size_t i = 0; i < n; i++) {
		if (solved_epoch[i] >= 0)
			epochs[ns++] = (double)solved_epoch[i];
		loss[i] = isnan(final_loss[i]) ? INFINITY : final_loss[i];
		g->diverged += diverged[i] != 0;
	}
	g->solved = ns;
	g->done = n - g->diverged;
	if (!n)
		return;
	sort_doubles(epochs, ns);
	sort_doubles(loss, n);

	g->share.exists = 1;
	g->share.value = (double)ns / (double)n;
	stats_wilson(ns, n, STATS_Z95, &g->share.lo, &g->share.hi);

	g->solved_epoch.value = stats_censored_quantile(epochs, ns, n, 0.5);
	g->solved_epoch.exists = !isinf(g->solved_epoch.value);
	g->solved_epoch_q1 = stats_censored_quantile(epochs, ns, n, 0.25);
	g->solved_epoch_q3 = stats_censored_quantile(epochs, ns, n, 0.75);
	if (isinf(g->solved_epoch_q1))
		g->solved_epoch_q1 = NAN;
	if (isinf(g->solved_epoch_q3))
		g->solved_epoch_q3 = NAN;
	g->final_loss_median = stats_quantile(loss, n, 0.5);
	g->final_loss_iqm.exists = 1;
	g->final_loss_iqm.value = stats_iqm(loss, n);
	if (n == 1) {
		/* Every resample of one run is that run. */
		g->solved_epoch.lo = g->solved_epoch.hi = g->solved_epoch.value;
		g->final_loss_iqm.lo = g->final_loss_iqm.hi = g->final_loss_iqm.value;
		return;
	}
	/* Both estimates draw from the same seed, so from the same resamples:
	 * each is drawn once. Resamples index all n runs, the unsolved ones
	 * last (+inf). */
	rng_seed(&r, STATS_SEED);
	if ((kept = draws_kept(draws, n, &r, counts))) {
		for (int b = 0; b < STATS_RESAMPLES; b++) {
			boot[b] = censored_median_kept(epochs, kept + (size_t)b * n, ns, n);
			boot2[b] = iqm_kept(loss, kept + (size_t)b * n, n);
		}
	} else {
		for (int b = 0; b < STATS_RESAMPLES; b++) {
			resample(&r, n, counts);
			boot[b] = censored_quantile_w(epochs, counts, ns, n, 0.5);
			boot2[b] = iqm_w(loss, counts, n);
		}
	}
	percentile_interval(&g->solved_epoch, boot);
	percentile_interval(&g->final_loss_iqm, boot2);
}

void stats_newcombe(uint64_t ka, uint64_t na, uint64_t kb, uint64_t nb,
		    double z, double *lo, double *hi)
{
	double pa = (double)ka / (double)na, pb = (double)kb / (double)nb;
	double la, ua, lb, ub;

	stats_wilson(ka, na, z, &la, &ua);
	stats_wilson(kb, nb, z, &lb, &ub);
	*lo = pa - pb - sqrt((pa - la) * (pa - la) + (ub - pb) * (ub - pb));
	*hi = pa - pb + sqrt((ua - pa) * (ua - pa) + (pb - lb) * (pb - lb));
}

static double log_choose(uint64_t n, uint64_t k)
{
	return lgamma((double)n + 1.0) - lgamma((double)k + 1.0) - lgamma((double)(n - k) + 1.0);
}

double stats_fisher(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	uint64_t r1 = a + b, r2 = c + d, c1 = a + c, n = r1 + r2;
	uint64_t x_min = c1 > r2 ? c1 - r2 : 0, x_max = r1 < c1 ? r1 : c1;
	double log_total = log_choose(n, c1), p = 0.0, observed;

	observed = exp(log_choose(r1, a) + log_choose(r2, c1 - a) - log_total);
	/* Tables as likely as this one, but for rounding, count in: the
	 * relative tolerance R's fisher.test uses. */
	for (uint64_t x = x_min; x <= x_max; x++) {
		double px = exp(log_choose(r1, x) + log_choose(r2, c1 - x) - log_total);
		if (px <= observed * (1.0 + 1e-7))
			p += px;
	}
	return fmin(p, 1.0);
}

/* The share of pairs with x > y, ties half, over sorted x and y
 * repeated wx[i], wy[j] times (NULL: once each). */
static double prob_greater_w(const double *x, const double *wx, size_t nx,
			     const double *y, const double *wy, size_t ny)
{
	double below = 0.0, equal = 0.0, u = 0.0, total_x = 0.0, total_y = 0.0;
	size_t j = 0, k = 0;   /* y[0..j) < x[i], y[j..k) == x[i] */

	for (size_t i = 0; i < ny; i++)
		total_y += wy ? wy[i] : 1.0;
	for (size_t i = 0; i < nx; i++) {
		double w = wx ? wx[i] : 1.0;
		if (i == 0 || x[i] != x[i - 1]) {
			while (j < ny && y[j] < x[i]) {
				below += wy ? wy[j] : 1.0;
				j++;
			}
			if (k < j)
				k = j;
			equal = 0.0;
			while (k < ny && y[k] == x[i]) {
				equal += wy ? wy[k] : 1.0;
				k++;
			}
		}
		u += w * (below + 0.5 * equal);
		total_x += w;
	}
	return u / (total_x * total_y);
}

double stats_prob_greater(const double *x, size_t nx, const double *y, size_t ny)
{
	return prob_greater_w(x, NULL, nx, y, NULL, ny);
}

/* Epochs to solve, sorted, the unsolved last at +inf; the number solved. */
static uint64_t epochs_sorted(const int64_t *epochs, size_t n, double *out)
{
	uint64_t solved = 0;

	for (size_t i = 0; i < n; i++) {
		out[i] = epochs[i] >= 0 ? (double)epochs[i] : INFINITY;
		solved += epochs[i] >= 0;
	}
	sort_doubles(out, n);
	return solved;
}

void stats_prob_lower(struct stats_est *est, const double *a, size_t n_a, const double *b,
		      size_t n_b, double *scratch)
{
	double *wa = scratch, *wb = wa + n_a, *boot = wb + n_b;
	struct rng r;

	est->lo = est->hi = NAN;
	est->exists = n_a && n_b;
	if (!est->exists) {
		est->value = NAN;
		return;
	}
	/* A is the lower when B's value is the greater. */
	est->value = stats_prob_greater(b, n_b, a, n_a);
	rng_seed(&r, STATS_SEED);
	for (int k = 0; k < STATS_RESAMPLES; k++) {
		resample(&r, n_a, wa);
		resample(&r, n_b, wb);
		boot[k] = prob_greater_w(b, wb, n_b, a, wa, n_a);
	}
	percentile_interval(est, boot);
}

void stats_pair(struct stats_pair *p, size_t n_a, const int64_t *epochs_a,
		size_t n_b, const int64_t *epochs_b, double *scratch)
{
	double *ta = scratch, *tb = scratch + n_a;

	memset(p, 0, sizeof *p);
	p->n_a = n_a;
	p->n_b = n_b;
	p->solved_a = epochs_sorted(epochs_a, n_a, ta);
	p->solved_b = epochs_sorted(epochs_b, n_b, tb);
	p->fisher_p = NAN;
	p->diff.lo = p->diff.hi = p->p_sooner.lo = p->p_sooner.hi = NAN;
	if (!n_a || !n_b)
		return;
	p->diff.exists = 1;
	p->diff.value = (double)p->solved_a / (double)n_a - (double)p->solved_b / (double)n_b;
	stats_newcombe(p->solved_a, n_a, p->solved_b, n_b, STATS_Z95, &p->diff.lo, &p->diff.hi);
	p->fisher_p = stats_fisher(p->solved_a, n_a - p->solved_a, p->solved_b, n_b - p->solved_b);
	/* A solves sooner when its time to solve is the lower. */
	stats_prob_lower(&p->p_sooner, ta, n_a, tb, n_b, scratch + n_a + n_b);
}
