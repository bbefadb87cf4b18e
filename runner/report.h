/* report.h: a study's report groups with their statistics, rendered as report.csv and as the terminal table. */
#ifndef NNRUN_REPORT_H
#define NNRUN_REPORT_H

#include <stdio.h>

#include "stats.h"
#include "train.h"

struct report_group {
	const char *label;
	struct stats_group st;
	const double *solved_epochs;   /* the solved runs' epochs, sorted (st.solved) */
	const double *final_losses;    /* every run's final loss, sorted, NaN as +inf (st.runs) */
	int judged_by_loss;            /* targets not all 0 or 1: the solved
					* figures are n/a */
	uint64_t stops[TRAIN_STOP_COUNT]; /* runs by why they stopped */
};

/* report.csv: a header, then one row per group. Every estimate has its
 * 95% interval (_lo, _hi); a figure that does not exist is empty, an
 * unbounded end reads inf. */
void report_csv(FILE *f, const struct report_group *g, int n);

/* Whether a stop rule (loss, solved, plateau) ended any group's run:
 * the table and the page then show those counts. */
int report_stopped_early(const struct report_group *g, int n);

/* The same figures as a table for the terminal, and a closing line
 * that says how the intervals were made. */
void report_table(FILE *f, const struct report_group *g, int n);

#endif
