/* exec.h: runs a list of planned runs on N worker processes, with progress and clean stops. */
#ifndef NNRUN_EXEC_H
#define NNRUN_EXEC_H

#include <stdint.h>

#include "plan.h"
#include "run.h"

struct exec_opts {
	int jobs;
	int force;
	int quiet;
	int verbose;              /* tutorial lines on stdout (single runs) */
	int whole;                /* the whole plan: clean the study's stale
				     temporaries at the end (a selection
				     touches only its own runs) */
	const char *study_dir;
};

struct exec_stats {
	uint64_t done, skipped, diverged, failed;
	uint64_t redone;          /* of done and diverged: found damaged, run again */
	int signal;               /* SIGINT or SIGTERM stopped the runs, else 0 */
	int bad_workers;          /* workers that crashed or exited non-zero */
	int bad_status;           /* the last one's exit status (128+N: signal N) */
};

/* Runs the selected runs of the plan. Runs fail one by one (their error
 * is printed as it happens); the others go on. A stop signal ends them
 * and removes their partial folders. Returns 0, or an error that
 * stopped everything. */
int exec_runs(const struct plan *p, const struct plan_sel *sel,
	      const struct exec_opts *o, struct exec_stats *st, struct err *e);

/* Counts and reports every selected run as complete already, as
 * exec_runs would have when it found them so (o->quiet, o->study_dir). */
void exec_skipped(const struct plan *p, const struct plan_sel *sel,
		  const struct exec_opts *o, struct exec_stats *st);

#endif
