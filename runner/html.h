/* html.h: report.html, a study's report as one self-contained page (inline CSS, SVG and a little JavaScript; no other file or host). */
#ifndef NNRUN_HTML_H
#define NNRUN_HTML_H

#include <stdint.h>
#include <stdio.h>

#include "curves.h"
#include "report.h"

/* Points a curve keeps on the page (the last is always kept). */
#define HTML_MAX_POINTS 300

/* Runs the every-run table lists at most (the first, in plan order);
 * summary.csv has them all. About 100 bytes a run: a 10^4-run study of
 * 100 groups' curves stays under 2 MB. */
#define HTML_MAX_RUNS 4000
/* Groups the page shows at most: past this (a random search makes a
 * group of every point), the ones with the lowest final-loss IQM, in plan
 * order; report.csv lists all. 100 groups' curves stay distinct. */
#define HTML_MAX_GROUPS 100
#define HTML_MAX_GROUPS_TEXT "100"
/* Decision-boundary pictures: for at most this many groups, two each. */
#define HTML_MAX_PICTURE_GROUPS 24
#define HTML_GRID 32             /* each picture's side, in grid points */

enum html_status { HTML_DONE, HTML_DIVERGED, HTML_MISSING, HTML_DAMAGED, HTML_CONFLICT };

/* One row of the every-run table. */
struct html_run {
	const char *id;            /* the run's folder: its loss.csv is id/loss.csv */
	const char *values;        /* its swept values, "activation=tanh seed=3" */
	enum html_status status;
	int64_t solved_epoch;      /* -1: never (or not complete) */
	double final_loss;         /* NaN when not complete */
};

/* A 2-input run's output over the grid of `nnrun predict --grid
 * HTML_GRID`, and its task's points. */
struct html_picture {
	int group;
	const char *id;
	int solved;
	const double *out;         /* HTML_GRID^2 values, x1 outer, x2 inner */
	int n_points;
	const double *points;      /* n_points x (x1, x2, target) */
};

struct html_study {
	const char *name;          /* the study folder's name */
	const char *study_yaml;    /* study.yaml's text */
	uint64_t planned, complete, done, diverged;
	double seconds;            /* training time summed over the complete runs */
	int n_groups;
	const struct report_group *groups;
	const struct curve *curves;      /* one per group, as groups */
	uint64_t n_runs;                 /* runs listed (at most HTML_MAX_RUNS) */
	const struct html_run *runs;
	int n_pictures;
	const struct html_picture *pictures;
};

/* Writes the page: the study, the report table (sortable; each figure's
 * exact value in data-v, its interval in data-lo and data-hi, as
 * report.csv writes them), loss curves per group (median and
 * interquartile band, log axis), solved-by-epoch curves, the final-loss
 * profile (share of runs below each loss); groups can be switched on
 * and off; for 2-input tasks a few runs' decision boundaries per group;
 * every run (paged) with its swept values, result and loss.csv. */
void html_write(FILE *f, const struct html_study *s);

#endif
