/* stats_cli.c: runner/stats.c on cases read from stdin, for tests/lib/stats_check.py to hold against SciPy and statsmodels.
 *
 *   wilson K N                  -> lo hi
 *   newcombe KA NA KB NB        -> lo hi
 *   fisher A B C D              -> p
 *   group N E1..EN L1..LN D1..DN -> the stats_group fields
 *   pair NA E1..ENA NB E1..ENB  -> the stats_pair fields
 *
 * Every double is printed with 17 significant digits (lossless). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

static void put_est(const struct stats_est *e)
{
	printf(" %d %.17g %.17g %.17g", e->exists, e->value, e->lo, e->hi);
}

static int read_epochs(size_t n, int64_t *v)
{
	for (size_t i = 0; i < n; i++)
		if (scanf("%" SCNd64, &v[i]) != 1)
			return -1;
	return 0;
}

/* Shared by every group case, as a report's groups share it: groups of
 * one size after the first take the kept resamples. */
static struct stats_draws draws;

static int group_case(void)
{
	size_t n;
	struct stats_group g;
	int64_t *e;
	double *l, *scratch;
	int *d, rc = -1;

	if (scanf("%zu", &n) != 1)
		return -1;
	e = calloc(n + 1, sizeof *e);
	l = calloc(n + 1, sizeof *l);
	d = calloc(n + 1, sizeof *d);
	scratch = calloc(3 * n + 2 * STATS_RESAMPLES, sizeof *scratch);
	if (e && l && d && scratch && !read_epochs(n, e)) {
		size_t i, j;
		for (i = 0; i < n && scanf("%lf", &l[i]) == 1; i++)
			;
		for (j = 0; i == n && j < n && scanf("%d", &d[j]) == 1; j++)
			;
		if (i == n && j == n) {
			stats_group(&g, n, e, l, d, scratch, &draws);
			printf("%" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64, g.runs, g.solved,
			       g.done, g.diverged);
			put_est(&g.share);
			put_est(&g.solved_epoch);
			printf(" %.17g %.17g", g.solved_epoch_q1, g.solved_epoch_q3);
			put_est(&g.final_loss_iqm);
			printf(" %.17g\n", g.final_loss_median);
			rc = 0;
		}
	}
	free(e);
	free(l);
	free(d);
	free(scratch);
	return rc;
}

static int pair_case(void)
{
	size_t na, nb;
	int64_t *a = NULL, *b = NULL;
	double *scratch = NULL;
	struct stats_pair p;
	int rc = -1;

	if (scanf("%zu", &na) != 1 || !(a = calloc(na + 1, sizeof *a)) || read_epochs(na, a) ||
	    scanf("%zu", &nb) != 1 || !(b = calloc(nb + 1, sizeof *b)) || read_epochs(nb, b))
		goto out;
	if (!(scratch = calloc(2 * (na + nb) + STATS_RESAMPLES, sizeof *scratch)))
		goto out;
	stats_pair(&p, na, a, nb, b, scratch);
	printf("%" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64, p.n_a, p.solved_a, p.n_b, p.solved_b);
	put_est(&p.diff);
	printf(" %.17g", p.fisher_p);
	put_est(&p.p_sooner);
	printf("\n");
	rc = 0;
out:
	free(a);
	free(b);
	free(scratch);
	return rc;
}

int main(void)
{
	char cmd[32];

	while (scanf("%31s", cmd) == 1) {
		uint64_t k[4];
		double lo, hi;

		if (strcmp(cmd, "wilson") == 0 && scanf("%" SCNu64 " %" SCNu64, &k[0], &k[1]) == 2) {
			stats_wilson(k[0], k[1], STATS_Z95, &lo, &hi);
			printf("%.17g %.17g\n", lo, hi);
		} else if (strcmp(cmd, "newcombe") == 0 &&
			   scanf("%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64, &k[0], &k[1], &k[2], &k[3]) == 4) {
			stats_newcombe(k[0], k[1], k[2], k[3], STATS_Z95, &lo, &hi);
			printf("%.17g %.17g\n", lo, hi);
		} else if (strcmp(cmd, "fisher") == 0 &&
			   scanf("%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64, &k[0], &k[1], &k[2], &k[3]) == 4) {
			printf("%.17g\n", stats_fisher(k[0], k[1], k[2], k[3]));
		} else if (strcmp(cmd, "group") == 0 && !group_case()) {
			continue;
		} else if (strcmp(cmd, "pair") == 0 && !pair_case()) {
			continue;
		} else {
			fprintf(stderr, "stats_cli: bad case at %s\n", cmd);
			stats_draws_free(&draws);
			return 2;
		}
	}
	stats_draws_free(&draws);
	return 0;
}
