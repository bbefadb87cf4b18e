/* study.h: a study's own files: study.yaml (what was asked), summary.csv and report.csv (what came out). */
#ifndef NNRUN_STUDY_H
#define NNRUN_STUDY_H

#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "plan.h"

/* Writes STUDY/study.yaml: the base config and the sweep, resolved, so
 * `nnrun report` and later invocations see the same plan. */
int study_write(const struct study *s, const char *dir, struct err *e);

/* Rebuilds STUDY/summary.csv (one row per planned run, from the runs'
 * own files) and STUDY/report.csv (runs grouped by every swept key but
 * seed); prints the report's table to table_out unless NULL. */
int study_summarize(const struct plan *p, const char *dir, FILE *table_out,
		    struct err *e);

/* Reads DIR/study.yaml into s and expands it into p; on success the
 * caller frees s with config_free_study. */
int study_load(struct study *s, struct plan *p, const char *dir, struct err *e);

/* The swept values of c but seed, "key=value key=value" ("all" when
 * only seed is swept): what a report group shares, and its label. */
void study_group_label(const struct plan *p, const struct config *c,
		       char *buf, size_t max);

#define STUDY_LABEL_MAX 512

/* Gives every planned run its report group's number, or -1 when the run
 * is not complete, and collects the groups' labels in plan order (*labels
 * is malloc'd, also for groups with no complete run). */
int study_group_runs(const struct plan *p, const char *dir, int *group,
		     char (**labels)[STUDY_LABEL_MAX], int *n_groups, struct err *e);

/* Sorts v ascending (no NaN in v). */
void study_sort(double *v, size_t n);

/* The q-quantile of sorted v[0..n-1] (n > 0), interpolating linearly as
 * NumPy's default does. */
double study_quantile(const double *v, size_t n, double q);

/* `nnrun report DIR`: reads DIR/study.yaml and rebuilds both; *missing
 * is the number of planned runs with no complete result. */
int study_report(const char *dir, FILE *table_out, uint64_t *missing,
		 struct err *e);

#endif
