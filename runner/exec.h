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
	const char *study_dir;
};

struct exec_stats {
	uint64_t done, skipped, diverged, failed;
	uint64_t redone;          /* of done and diverged: found damaged, run again */
	int signal;               /* SIGINT or SIGTERM stopped the runs, else 0 */
	int bad_workers;          /* workers that crashed or exited non-zero */
	int bad_status;           /* the last one's exit status (128+N: signal N) */
};

/* Runs plan runs todo[0..n-1]. Runs fail one by one (their error is
 * printed as it happens); the others go on. Returns 0, or an error
 * that stopped everything. */
int exec_runs(const struct plan *p, const uint64_t *todo, uint64_t n,
	      const struct exec_opts *o, struct exec_stats *st, struct err *e);

#endif
