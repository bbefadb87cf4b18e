/* compare.h: `nnrun compare`: pairs of values of one swept key, the other swept keys matched. */
#ifndef NNRUN_COMPARE_H
#define NNRUN_COMPARE_H

#include <stdio.h>

#include "err.h"

/* Compares, in the study folder dir, every pair of values of the swept
 * key (or every value with baseline, unless NULL), within each setting of
 * the other swept keys but seed: the difference in share solved
 * (Newcombe's interval, Fisher's exact p) and the probability that the
 * first value solves sooner (unsolved runs never do; bootstrap
 * interval). Writes DIR/compare.csv and prints the table to table_out
 * unless NULL. */
int compare_study(const char *dir, const char *key, const char *baseline,
		  FILE *table_out, struct err *e);

#endif
