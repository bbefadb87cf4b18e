/* cli.h: the command line, parsed into options before anything is read or written. */
#ifndef NNRUN_CLI_H
#define NNRUN_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "err.h"

struct cli {
	const char *config;       /* CONFIG.yaml, or the folder for `report`/`curves`/`verify` */
	int report;               /* `nnrun report RESULTS/NAME` */
	int curves;               /* `nnrun curves RESULTS/NAME` */
	int verify;               /* `nnrun verify RESULTS/NAME` */
	int compare;              /* `nnrun compare RESULTS/NAME KEY [--baseline VALUE]` */
	const char *compare_key;
	const char *baseline;     /* NULL: every pair of values */
	int predict;              /* `nnrun predict RUN|network.yaml [INPUT.csv|-]` */
	const char *predict_input;/* NULL: the network's task's rows */
	int grid;                 /* predict --grid N; 0: none */
	const char *results;
	int quiet, dry_run, count, force, help, version, keys;
	int jobs;                 /* 0: the number of cores */
	uint64_t shard_i, shard_n;/* shard_n 0: no sharding */
	int64_t index;            /* -1: every run */
	char **args;              /* KEY=VALUE arguments */
	int n_args;
};

int cli_parse(int argc, char **argv, struct cli *c, struct err *e);

/* The help text: every option, and every config key with its default. */
void cli_help(FILE *out);

/* One line per config key, from the key table: its name, then the
 * values it takes by name, if any (for shell completion). */
void cli_keys(FILE *out);

#endif
