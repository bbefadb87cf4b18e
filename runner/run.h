/* run.h: one run end to end: train a resolved config and write its results. */
#ifndef NNRUN_RUN_H
#define NNRUN_RUN_H

#include <signal.h>

#include "config.h"
#include "err.h"
#include "results.h"
#include "train.h"

#define RUN_CONFIG_MAX 4096

enum run_status {
	RUN_PENDING,
	RUN_RUNNING,
	RUN_DONE,
	RUN_DIVERGED,
	RUN_SKIPPED,    /* already complete for the same config */
	RUN_FAILED,
};

struct run_opts {
	const char *study_dir;
	int force;      /* rerun even when complete */
	int verbose;    /* print the tutorial's lines to stdout */
	/* When a run is found damaged and redone, what was wrong goes here
	 * ("STUDY/ID: loss.csv: size 120, expected 2345"); NULL: nowhere. */
	char *redo;
	size_t redo_max;
	const volatile sig_atomic_t *stop; /* non-zero: stop the run, save
					      nothing (NULL: never) */
	/* Where the finished run waits for its commit, under tag; the
	 * batch is closed while the run trains when its due is set. */
	struct results_batch *batch;
	uint64_t tag;
};

#define RUN_REDO_MAX (PATH_MAX + RESULTS_WHY_MAX)

struct run_outcome {
	enum run_status status;
	struct train_result res;
	double seconds;
	int redone;     /* found damaged (or partial) and run again */
};

/* The text of config.yaml for c: a comment line, then every key. */
int run_config_text(const struct config *c, char *buf, size_t max);

/* Trains c into a temporary folder and adds it to o->batch, its status
 * in out (RUN_DONE or RUN_DIVERGED: complete once the batch commits it);
 * or finds it complete already (RUN_SKIPPED, nothing added). */
int run_one(const struct config *c, const struct run_opts *o,
	    struct run_outcome *out, struct err *e);

/* The trained network's predictions and what happened, in words, on
 * stdout (the tutorial's last lines). */
void run_print_verdict(const struct config *c, const struct train_result *res);

/* The figures of a finished run, as metrics.csv holds them; 0, or -1 if
 * unreadable. */
int run_read_metrics(const char *run_dir, struct run_outcome *out);

/* The same from metrics.csv's text (NUL-terminated). */
int run_parse_metrics(const char *text, struct run_outcome *out);

#endif
