/* curves.c: streams each run's loss.csv onto a thinned grid of epochs and writes the quartiles of its report group. */
#include "curves.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "fmt.h"
#include "plan.h"
#include "results.h"
#include "run.h"
#include "study.h"

/* The epochs a curve keeps: 0, step, 2*step, ... (n_grid of them), and
 * the last epoch in one more slot when that grid misses it. Every run of
 * a group shares epochs and log_every (only seed varies), so one grid
 * serves the whole group. */
struct grid {
	uint64_t step;   /* log_every times the thinning stride */
	uint64_t n_grid;
	uint64_t last;   /* epochs - 1: always logged */
	size_t n;        /* slots */
};

static void grid_of(const struct config *c, struct grid *g)
{
	uint64_t every = c->log_every, rows, stride;

	g->last = c->epochs - 1;
	rows = g->last / every + 1 + (g->last % every != 0);
	stride = rows <= CURVES_MAX_POINTS ? 1 :
		(rows + CURVES_MAX_POINTS - 2) / (CURVES_MAX_POINTS - 1);
	g->step = every * stride;
	g->n_grid = g->last / g->step + 1;
	g->n = (size_t)g->n_grid + (g->last % g->step != 0);
}

/* The slot of epoch, or -1 when the curve skips it. */
static long grid_slot(const struct grid *g, uint64_t epoch)
{
	if (epoch % g->step == 0 && epoch / g->step < g->n_grid)
		return (long)(epoch / g->step);
	if (epoch == g->last)
		return (long)g->n - 1;
	return -1;
}

static uint64_t grid_epoch(const struct grid *g, size_t k)
{
	return k < g->n_grid ? k * g->step : g->last;
}

/* Reads one loss.csv line by line into column r of vals (slot-major,
 * n_runs wide); epochs the grid skips are dropped as they stream by.
 * Counts the run in *diverged when it logged a loss that is not finite
 * (a diverged run logs that loss and stops). */
static int read_run(const char *path, const struct grid *g, double *vals,
		    size_t n_runs, size_t r, size_t *diverged, struct err *e)
{
	int bad = 0;
	FILE *f = fopen(path, "r");
	char line[128];
	int ln = 0, rc = 0;

	if (!f)
		return err_set(e, NN_ERUN, path, 0, 0, "cannot read: %s", strerror(errno));
	while (!rc && fgets(line, sizeof line, f)) {
		char *end;
		uint64_t epoch;
		double loss;
		long k;

		if (++ln == 1) {
			if (strcmp(line, "epoch,loss\n"))
				rc = err_set(e, NN_ERUN, path, 1, 1, "expected the header 'epoch,loss'");
			continue;
		}
		errno = 0;
		epoch = strtoull(line, &end, 10);
		if (end == line || *end != ',' || errno)
			rc = err_set(e, NN_ERUN, path, ln, 1, "expected EPOCH,LOSS");
		else if (loss = strtod(end + 1, &end), *end != '\n' && *end)
			rc = err_set(e, NN_ERUN, path, ln, (int)(end - line) + 1, "expected a number");
		else {
			bad |= !isfinite(loss);
			if ((k = grid_slot(g, epoch)) >= 0)
				vals[(size_t)k * n_runs + r] = loss;
		}
	}
	*diverged += bad;
	if (!rc && ferror(f))
		rc = err_set(e, NN_ERUN, path, 0, 0, "cannot read: %s", strerror(errno));
	fclose(f);
	return rc;
}

/* gnuplot reads a double-quoted string as one column and knows no
 * escapes, so a quote inside becomes an apostrophe. The label says how
 * many of the group's n runs diverged: the quartiles cover the others. */
static void put_gnuplot_label(FILE *f, const char *v, size_t diverged, size_t n)
{
	fputc('"', f);
	for (; *v; v++)
		fputc(*v == '"' ? '\'' : *v, f);
	if (diverged == n)
		fprintf(f, " (all %zu diverged)", n);
	else if (diverged)
		fprintf(f, " (%zu of %zu diverged)", diverged, n);
	fputs("\" q1 median q3\n", f);
}

/* One group's curve: its runs' losses on the grid, then per slot the
 * quartiles of the finite ones (a diverged run drops out; a slot with
 * none is left out). Memory: the group's runs times at most
 * CURVES_MAX_POINTS doubles. */
static int compute_group(const struct study_set *p, const char *dir, const int *group,
			 int g, struct curve *cv, struct err *e)
{
	struct grid grid = { 0 };
	struct config c;
	size_t n = 0, r = 0;
	double *vals = NULL, *col = NULL;
	int rc = 0;

	for (uint64_t i = 0; i < p->count; i++)
		if (group[i] == g && !n++ && (rc = study_set_config(p, i, &c, e)))
			return rc;
	cv->runs = n;
	if (!n)
		return 0;
	grid_of(&c, &grid);
	vals = malloc(grid.n * n * sizeof *vals);
	col = malloc(n * sizeof *col);
	cv->epoch = malloc(grid.n * sizeof *cv->epoch);
	cv->q1 = malloc(3 * grid.n * sizeof *cv->q1);
	if (!vals || !col || !cv->epoch || !cv->q1) {
		free(vals);
		free(col);
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	}
	cv->median = cv->q1 + grid.n;
	cv->q3 = cv->median + grid.n;
	for (size_t k = 0; k < grid.n * n; k++)
		vals[k] = NAN;
	for (uint64_t i = 0; i < p->count && !rc; i++) {
		char id[PLAN_ID_MAX], path[PATH_MAX];

		if (group[i] != g)
			continue;
		if ((rc = study_set_config(p, i, &c, e)))
			break;
		plan_run_id(&c, id);
		snprintf(path, sizeof path, "%s/%s/loss.csv", dir, id);
		rc = read_run(path, &grid, vals, n, r++, &cv->diverged, e);
	}
	for (size_t k = 0; k < grid.n && !rc; k++) {
		size_t m = 0;

		for (size_t j = 0; j < n; j++)
			if (isfinite(vals[k * n + j]))
				col[m++] = vals[k * n + j];
		if (!m)
			continue;
		study_sort(col, m);
		cv->epoch[cv->n] = grid_epoch(&grid, k);
		cv->q1[cv->n] = study_quantile(col, m, 0.25);
		cv->median[cv->n] = study_quantile(col, m, 0.5);
		cv->q3[cv->n++] = study_quantile(col, m, 0.75);
	}
	free(vals);
	free(col);
	return rc;
}

void curves_free(struct curve *cv, int n)
{
	for (int g = 0; cv && g < n; g++) {
		free(cv[g].epoch);
		free(cv[g].q1);
	}
	free(cv);
}

int curves_compute(const struct study_set *p, const char *dir, const int *group,
		   int n_groups, char (*labels)[STUDY_LABEL_MAX], struct curve **out,
		   struct err *e)
{
	struct curve *cv = calloc((size_t)n_groups + 1, sizeof *cv);
	int rc = 0;

	if (!cv)
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	for (int g = 0; g < n_groups && !rc; g++) {
		cv[g].label = labels[g];
		rc = compute_group(p, dir, group, g, &cv[g], e);
	}
	if (rc) {
		curves_free(cv, n_groups);
		cv = NULL;
	}
	*out = cv;
	return rc;
}

/* curves.csv's rows of one curve, and its gnuplot block unless gp is NULL. */
static void render_group(const struct curve *cv, FILE *csv, FILE *gp)
{
	if (!cv->runs)
		return;
	if (gp)
		put_gnuplot_label(gp, cv->label, cv->diverged, cv->runs);
	for (size_t k = 0; k < cv->n; k++) {
		char q[3][FMT_DOUBLE_MAX];

		fmt_double(q[0], cv->q1[k]);
		fmt_double(q[1], cv->median[k]);
		fmt_double(q[2], cv->q3[k]);
		csv_put_field(csv, cv->label);
		fprintf(csv, ",%" PRIu64 ",%s,%s,%s\n", cv->epoch[k], q[0], q[1], q[2]);
		if (gp)
			fprintf(gp, "%" PRIu64 " %s %s %s\n", cv->epoch[k], q[0], q[1], q[2]);
	}
	if (gp)
		fputs("\n\n", gp);
}

int curves_write(const char *dir, FILE *gnuplot_out, struct err *e)
{
	char (*labels)[STUDY_LABEL_MAX] = NULL;
	char path[PATH_MAX];
	struct results_text csv, gp = { 0 };
	struct study_set p;
	int *group, n_groups = 0, rc;

	if ((rc = study_set_load(&p, dir, e)))
		return rc;
	if (!(group = malloc((size_t)p.count * sizeof *group))) {
		study_set_free(&p);
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	}
	rc = study_group_runs(&p, dir, group, &labels, &n_groups, e);
	if (!rc)
		rc = results_text_open(&csv, e);
	/* The gnuplot text waits in memory until curves.csv is in place, so
	 * a reader that stops early leaves no half-written file behind. */
	if (!rc && gnuplot_out && (rc = results_text_open(&gp, e)))
		results_text_close(&csv, NULL, rc, e);
	if (!rc) {
		fputs("group,epoch,q1,median,q3\n", csv.f);
		struct curve *cv = NULL;
		if (!(rc = curves_compute(&p, dir, group, n_groups, labels, &cv, e)))
			for (int g = 0; g < n_groups; g++)
				render_group(&cv[g], csv.f, gp.f);
		curves_free(cv, n_groups);
		snprintf(path, sizeof path, "%s/curves.csv", dir);
		rc = results_text_close(&csv, path, rc, e);
		if (gp.f) {
			int bad = ferror(gp.f);
			if ((fclose(gp.f) || bad) && !rc)
				rc = err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
			if (!rc)
				fwrite(gp.buf, 1, gp.len, gnuplot_out);
			free(gp.buf);
		}
	}
	free(group);
	free(labels);
	study_set_free(&p);
	return rc;
}
