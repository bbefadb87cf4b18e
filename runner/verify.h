/* verify.h: `nnrun verify`: checks every run of a study against its integrity record, changing nothing. */
#ifndef NNRUN_VERIFY_H
#define NNRUN_VERIFY_H

#include <stdint.h>
#include <stdio.h>

#include "err.h"

struct verify_counts {
	uint64_t intact;
	uint64_t damaged;       /* partial, damaged, or another config under the id */
	uint64_t missing;       /* planned runs with no folder: not run yet */
};

/* Checks every run DIR/study.yaml plans, and every other run folder in
 * DIR, as a resume does (results_check); prints "DIR/ID: why" for each
 * damaged run, then a closing count, to out. Reads only. */
int verify_study(const char *dir, FILE *out, struct verify_counts *n,
		 struct err *e);

#endif
