/* study.h: a study folder's own files: study.yaml (what was asked), summary.csv and report.csv (what came out). */
#ifndef NNRUN_STUDY_H
#define NNRUN_STUDY_H

#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "plan.h"

/* A study as study.yaml records a plan: every key of the base, then the
 * sweep, resolved (malloc'd; NULL with e set). */
char *study_text(const struct study *s, struct err *e);

/* Records in DIR/study.yaml, under the study's lock, that the config
 * file config_file, whose own study (before KEY=VALUE arguments) reads
 * as config, is run with plan (study_text after the arguments). The
 * plan is added when new; the same plan again writes nothing. A folder
 * holding the study of another config (another file, or this file
 * before it changed) is an error (NN_EUSAGE), unless force, which
 * replaces that study with this one. */
int study_record(const char *dir, const char *config_file, const char *config,
		 const char *plan, int force, struct err *e);

/* The runs of every plan recorded in a study folder, each once (by run
 * id), in the order the plans were first run. */
struct study_run {
	uint32_t plan;
	uint64_t index;
};

struct study_set {
	int n_plans;
	struct study *studies;          /* each plan, as recorded */
	struct plan *plans;
	uint64_t count;                 /* distinct runs */
	struct study_run *runs;         /* NULL for one plan: run i is its index i */
	int n_keys;                     /* the keys that tell runs apart: */
	enum config_key keys[KEY_COUNT]; /* the summary's columns */
};

/* Reads DIR/study.yaml (a folder without one is "not a study folder");
 * on success the caller frees ss with study_set_free. */
int study_set_load(struct study_set *ss, const char *dir, struct err *e);
void study_set_free(struct study_set *ss);

/* The resolved config of run i (0 <= i < ss->count). */
int study_set_config(const struct study_set *ss, uint64_t i, struct config *c,
		     struct err *e);

/* The values of c for the keys that tell runs apart, but seed,
 * "key=value key=value" ("all" when only seed does): what a report
 * group shares, and its label. */
void study_group_label(const struct study_set *ss, const struct config *c,
		       char *buf, size_t max);

#define STUDY_LABEL_MAX 512

/* A study's report groups as `nnrun report` makes them, from one pass
 * over the runs in plan order (each run's files read once), with
 * nothing written: what `nnrun compare` and `nnrun curves` read. Groups
 * are in the order of their first run, also those with no complete run
 * (rg[k].st.runs 0). */
struct study_groups_data;
struct report_group;
struct curve;
struct study_groups {
	int n;
	const struct report_group *rg;  /* labels, statistics, sorted values */
	const struct curve *cv;         /* loss curves */
	const uint64_t *first;          /* each group's first run in the plan */
	struct study_groups_data *data; /* what the above live in */
};

int study_groups_make(const struct study_set *p, const char *dir, struct study_groups *sg,
		      struct err *e);
void study_groups_free(struct study_groups *sg);

/* Sorts v ascending (no NaN in v). */
void study_sort(double *v, size_t n);

/* The q-quantile of sorted v[0..n-1] (n > 0), interpolating linearly as
 * NumPy's default does. */
double study_quantile(const double *v, size_t n, double q);

/* `nnrun report DIR`: reads DIR/study.yaml and, from every recorded
 * plan's runs, rebuilds STUDY/summary.csv (one row per run) and
 * STUDY/report.csv (runs grouped by every key that tells them apart but
 * seed); prints the report's table to table_out unless NULL. *missing is
 * the number of runs with no complete result. */
int study_report(const char *dir, FILE *table_out, uint64_t *missing,
		 struct err *e);

/* study_report when every run is complete, as a rerun with nothing left
 * to do finds them: one pass both checks the runs and rebuilds the
 * files, reading each run's files once (*complete 1). The pass stops at
 * the first run not complete and writes nothing (*complete 0). */
int study_report_if_complete(const char *dir, FILE *table_out, int *complete,
			     struct err *e);

#endif
