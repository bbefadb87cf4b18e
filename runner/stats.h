/* stats.h: interval estimates over seeds (Wilson, censored median, interquartile mean, bootstrap, Newcombe, Fisher, probability of improvement). */
#ifndef NNRUN_STATS_H
#define NNRUN_STATS_H

#include <stddef.h>
#include <stdint.h>

/* The bootstrap: a fixed number of percentile-method resamples, drawn
 * from MT19937 seeded afresh with STATS_SEED for every estimate, so the
 * same results give the same intervals, whatever else the report holds.
 * A resample of n values takes index floor(u * n) for each of n uniform
 * doubles u (NumPy's random_sample from RandomState(STATS_SEED)). */
#define STATS_RESAMPLES 2000
#define STATS_SEED 20211206u

/* The normal quantile of a two-sided 95% interval, norm.ppf(0.975). */
#define STATS_Z95 1.959963984540054

/* An estimate and its 95% interval; exists 0 when the data cannot give
 * one (no runs; a censored median with fewer than half solved, whose
 * interval may still exist). An unbounded end is +inf; an interval that
 * does not exist (no runs) is NaN. */
struct stats_est {
	int exists;
	double value, lo, hi;
};

/* What a report group's runs give: computed once, rendered by the CSV,
 * the terminal table and the page alike. */
struct stats_group {
	uint64_t runs, solved, done, diverged;
	struct stats_est share;          /* solved/runs, Wilson score interval */
	struct stats_est solved_epoch;   /* censored median, bootstrap interval */
	double solved_epoch_q1, solved_epoch_q3; /* NAN when they do not exist */
	struct stats_est final_loss_iqm; /* bootstrap interval */
	double final_loss_median;        /* NAN without runs */
};

/* Wilson's score interval for k successes of n (n > 0) at normal
 * quantile z, as statsmodels' proportion_confint(method="wilson"). */
void stats_wilson(uint64_t k, uint64_t n, double z, double *lo, double *hi);

/* The q-quantile of a survival time over n runs whose finite times are
 * sorted[0..n_finite-1] and whose others never came (+inf): the smallest
 * time t by which at least q of the runs have come, that is the
 * ceil(q n)-th smallest time; +inf when fewer than q n runs came. */
double stats_censored_quantile(const double *sorted, size_t n_finite, size_t n, double q);

/* The interquartile mean of sorted[0..n-1] (n > 0): the mean of what is
 * left when floor(n/4) values are cut at each end, as SciPy's
 * trim_mean(x, 0.25) and rliable's IQM. */
double stats_iqm(const double *sorted, size_t n);

/* The q-quantile of sorted v[0..n-1] (n > 0), interpolating linearly as
 * NumPy's default does; an end at +inf gives +inf. */
double stats_quantile(const double *v, size_t n, double q);

/* The bootstrap resamples every group of n runs alike (one seed), so a
 * report of many groups of a few hundred seeds draws them once: the
 * counts of the last group size drawn, kept for groups of at most
 * STATS_DRAWS_MAX_N runs (a count then fits a byte), STATS_RESAMPLES n
 * bytes. Zero it before use; stats_draws_free frees it. */
#define STATS_DRAWS_MAX_N 255

struct stats_draws {
	size_t n;                /* the group size kept; 0: none */
	unsigned char *counts;   /* resample b's count of run i at b n + i */
};

void stats_draws_free(struct stats_draws *d);

/* Fills g from one group's runs: solved_epoch[i] < 0 for a run that did
 * not solve, final_loss[i] (NaN counts as +inf: a diverged run's loss is
 * the worst), diverged[i]. scratch holds 3 n + 2 STATS_RESAMPLES doubles;
 * draws (NULL: none) keeps the resamples for the next group of as many
 * runs. Time O(n STATS_RESAMPLES); memory that scratch. */
void stats_group(struct stats_group *g, size_t n, const int64_t *solved_epoch,
		 const double *final_loss, const int *diverged, double *scratch,
		 struct stats_draws *draws);

/* A comparison of two groups A and B on share solved and epochs to solve. */
struct stats_pair {
	uint64_t n_a, solved_a, n_b, solved_b;
	struct stats_est diff;      /* share A - share B, Newcombe's hybrid score */
	double fisher_p;            /* Fisher's exact test, two-sided */
	struct stats_est p_sooner;  /* P(A solves sooner than B), ties half,
				       unsolved never; bootstrap interval */
};

/* Newcombe's hybrid-score interval for p_a - p_b (method 10), as
 * statsmodels' confint_proportions_2indep(method="newcomb"). */
void stats_newcombe(uint64_t ka, uint64_t na, uint64_t kb, uint64_t nb,
		    double z, double *lo, double *hi);

/* The two-sided p-value of Fisher's exact test of the table
 * [[a, b], [c, d]]: the probability, under the hypergeometric law with
 * the table's margins, of tables no more likely than this one. */
double stats_fisher(uint64_t a, uint64_t b, uint64_t c, uint64_t d);

/* The Mann-Whitney U of x over y divided by nx ny: the share of pairs
 * with x > y, ties counted half; x and y sorted ascending (+inf allowed). */
double stats_prob_greater(const double *x, size_t nx, const double *y, size_t ny);

/* P(a value of A is lower than one of B), ties half, from sorted a and b
 * (+inf allowed), with a percentile bootstrap interval (STATS_RESAMPLES
 * resamples, seeded): the probability of improvement when lower is
 * better. scratch holds n_a + n_b + STATS_RESAMPLES doubles. */
void stats_prob_lower(struct stats_est *est, const double *a, size_t n_a, const double *b,
		      size_t n_b, double *scratch);

/* Fills p from the epochs (< 0: unsolved) of A's and B's runs;
 * scratch holds 2 (n_a + n_b) + STATS_RESAMPLES doubles. */
void stats_pair(struct stats_pair *p, size_t n_a, const int64_t *epochs_a,
		size_t n_b, const int64_t *epochs_b, double *scratch);

#endif
