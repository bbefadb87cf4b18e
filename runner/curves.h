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
/* A group's curve holds its runs' losses on the grid until its last run
 * is read: with many runs, fewer points (at least CURVES_MIN_POINTS), so
 * that it holds about CURVES_BUDGET doubles (2 MiB) at most. */
#define CURVES_MIN_POINTS 64
#define CURVES_BUDGET (1u << 18)
/* Runs a curve is drawn from at most (its group's first complete ones):
 * past them, CURVES_MIN_POINTS points a run would no longer keep it
 * within CURVES_BUDGET. */
#define CURVES_MAX_RUNS (CURVES_BUDGET / CURVES_MIN_POINTS)

/* One report group's loss curve: at each kept epoch, the quartiles over
 * the group's runs of their finite losses (epochs where none is finite
 * are left out). */
struct curve {
	const char *label;
	size_t runs, diverged;   /* the runs it is drawn from (a group's first
				    CURVES_MAX_RUNS complete runs); those that diverged */
	size_t n;                /* points */
	uint64_t *epoch;
	double *q1, *median, *q3;
};

/* The epochs a curve keeps: 0, step, 2*step, ... (n_grid of them), and
 * the last epoch in one more slot when that grid misses it. Every run of
 * a group shares epochs and log_every (only seed varies), so one grid
 * serves the whole group. */
struct curves_grid {
	uint64_t every;  /* log_every */
	uint64_t step;   /* log_every times the thinning stride */
	uint64_t n_grid;
	uint64_t last;   /* epochs - 1: always logged */
	size_t n;        /* slots */
};

/* Where a run's loss.csv is in its parse: one run is fed at a time, so
 * the caller keeps one of these for all the groups. */
struct curves_feed {
	int ln, bad, failed;
	int skip;                /* the curve has its CURVES_MAX_RUNS runs */
	size_t carry;
	char line[128];          /* a line cut by a chunk's end */
};

/* A group's curve gathered one run at a time, each run's loss.csv fed in
 * chunks as it is read: the runs' losses on the grid, run after run.
 * Memory: grid.n doubles (at most CURVES_MAX_POINTS) per run kept. */
struct curves_acc {
	struct curves_grid grid;
	size_t runs, cap;        /* runs kept; rows allocated */
	size_t diverged;         /* kept runs that logged a loss not finite */
	double *vals;            /* runs x grid.n, run-major */
	struct curves_feed *feed; /* the run being fed */
};

/* An empty curve for the runs of c's group. */
void curves_acc_init(struct curves_acc *a, const struct config *c);

/* Before its first run: the group has runs to come, so the curve keeps
 * at most CURVES_BUDGET / runs points (between CURVES_MIN_POINTS and
 * CURVES_MAX_POINTS). */
void curves_acc_plan(struct curves_acc *a, uint64_t runs);

/* Starts a run, parsed in feed; 0 or an error (out of memory). */
int curves_acc_begin(struct curves_acc *a, struct curves_feed *feed, struct err *e);

/* The next bytes of the run's loss.csv; a malformed line sets e once
 * (path names the file in the message) and curves_acc_end returns it. */
void curves_acc_feed(struct curves_acc *a, const char *path, const char *bytes, size_t len,
		     struct err *e);

/* Ends the run: keeps it in the curve when keep (0, or the feed's
 * error), else forgets it and any error (0). */
int curves_acc_end(struct curves_acc *a, int keep, const char *path, struct err *e);

/* The curve of the runs kept (labelled label, kept not copied); frees
 * the runs' losses. */
int curves_acc_finish(struct curves_acc *a, const char *label, struct curve *cv,
		      struct err *e);
void curves_acc_free(struct curves_acc *a);

void curves_free(struct curve *cv, int n_groups);

/* Frees one curve's points, leaving it empty. */
void curves_clear(struct curve *cv);

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
