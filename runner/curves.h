/* curves.h: per-epoch loss quartiles across a study's seeds, one curve per report group. */
#ifndef NNRUN_CURVES_H
#define NNRUN_CURVES_H

#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "study.h"

/* Points kept per curve: longer runs are thinned to an even stride, and
 * the first and last logged epochs are always kept. */
#define CURVES_MAX_POINTS 2000

/* One report group's loss curve: at each kept epoch, the quartiles over
 * the group's runs of their finite losses (epochs where none is finite
 * are left out). */
struct curve {
	const char *label;
	size_t runs, diverged;   /* the group's complete runs; those that diverged */
	size_t n;                /* points */
	uint64_t *epoch;
	double *q1, *median, *q3;
};

/* The curves of groups 0..n_groups-1 (runs as study_group_runs numbers
 * them; labels[g] is kept, not copied); free with curves_free. */
int curves_compute(const struct study_set *p, const char *dir, const int *group,
		   int n_groups, char (*labels)[STUDY_LABEL_MAX], struct curve **out,
		   struct err *e);
void curves_free(struct curve *cv, int n_groups);

/* `nnrun curves DIR`: reads DIR/study.yaml and the loss.csv of every
 * complete run, and writes DIR/curves.csv (group,epoch,q1,median,q3:
 * the quartiles, over the group's runs, of the finite losses logged at
 * that epoch; groups as in report.csv). Unless gnuplot_out is NULL, also
 * prints the curves there as gnuplot data: one block per group, split
 * by two blank lines, whose first line is the quoted group label (with
 * " (K of N diverged)" or " (all N diverged)" when its runs did) and the
 * rest "epoch q1 median q3". */
int curves_write(const char *dir, FILE *gnuplot_out, struct err *e);

#endif
