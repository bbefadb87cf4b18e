/* study.h: a study's own files: study.yaml (what was asked), summary.csv and report.csv (what came out). */
#ifndef NNRUN_STUDY_H
#define NNRUN_STUDY_H

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

/* `nnrun report DIR`: reads DIR/study.yaml and rebuilds both. */
int study_report(const char *dir, FILE *table_out, struct err *e);

#endif
