/* html.h: report.html, a study's report as one self-contained page (inline CSS, SVG and a little JavaScript; no other file or host). */
#ifndef NNRUN_HTML_H
#define NNRUN_HTML_H

#include <stdint.h>
#include <stdio.h>

#include "curves.h"
#include "report.h"

/* Points a curve keeps on the page (the last is always kept). */
#define HTML_MAX_POINTS 300

struct html_study {
	const char *name;          /* the study folder's name */
	const char *study_yaml;    /* study.yaml's text */
	uint64_t planned, complete, done, diverged;
	double seconds;            /* training time summed over the complete runs */
	int n_groups;
	const struct report_group *groups;
	const struct curve *curves;      /* one per group, as groups */
};

/* Writes the page: the study, the report table (sortable; each figure's
 * exact value in data-v, its interval in data-lo and data-hi, as
 * report.csv writes them), loss curves per group (median and
 * interquartile band, log axis), solved-by-epoch curves, the final-loss
 * profile (share of runs below each loss); groups can be switched on
 * and off. */
void html_write(FILE *f, const struct html_study *s);

#endif
