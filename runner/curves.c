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

/* The grid of a run of epochs, every log_every, thinned to at most max
 * points. */
static void grid_make(struct curves_grid *g, uint64_t epochs, uint64_t every, uint64_t max)
{
	uint64_t rows, stride;

	g->every = every;
	g->last = epochs - 1;
	rows = g->last / every + 1 + (g->last % every != 0);
	stride = rows <= max ? 1 : (rows + max - 2) / (max - 1);
	g->step = every * stride;
	g->n_grid = g->last / g->step + 1;
	g->n = (size_t)g->n_grid + (g->last % g->step != 0);
}

/* The slot of epoch, or -1 when the curve skips it. */
static long grid_slot(const struct curves_grid *g, uint64_t epoch)
{
	if (epoch % g->step == 0 && epoch / g->step < g->n_grid)
		return (long)(epoch / g->step);
	if (epoch == g->last)
		return (long)g->n - 1;
	return -1;
}

static uint64_t grid_epoch(const struct curves_grid *g, size_t k)
{
	return k < g->n_grid ? k * g->step : g->last;
}

void curves_acc_init(struct curves_acc *a, const struct config *c)
{
	memset(a, 0, sizeof *a);
	grid_make(&a->grid, c->epochs, c->log_every, CURVES_MAX_POINTS);
}

void curves_acc_plan(struct curves_acc *a, uint64_t runs)
{
	uint64_t max = runs ? CURVES_BUDGET / runs : CURVES_MAX_POINTS;

	max = max > CURVES_MAX_POINTS ? CURVES_MAX_POINTS :
		max < CURVES_MIN_POINTS ? CURVES_MIN_POINTS : max;
	if (!a->runs)
		grid_make(&a->grid, a->grid.last + 1, a->grid.every, max);
}

int curves_acc_begin(struct curves_acc *a, struct curves_feed *feed, struct err *e)
{
	double *row;

	a->feed = feed;
	feed->ln = feed->bad = feed->failed = 0;
	feed->carry = 0;
	if ((feed->skip = a->runs >= CURVES_MAX_RUNS))
		return 0;
	if (a->runs == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 4;
		double *nv = realloc(a->vals, cap * a->grid.n * sizeof *nv);
		if (!nv)
			return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
		a->vals = nv;
		a->cap = cap;
	}
	row = a->vals + a->runs * a->grid.n;
	for (size_t k = 0; k < a->grid.n; k++)
		row[k] = NAN;
	return 0;
}

/* A loss as fmt_double writes one that is not finite. */
static int not_finite_text(const char *v)
{
	return v[0] == 'n' || v[0] == 'i' || (v[0] == '-' && v[1] == 'i');
}

/* One line of loss.csv (no newline, NUL-terminated); only the epochs on
 * the grid have their loss parsed, the others are looked at only for a
 * loss that is not finite (a diverged run logs that loss and stops). */
static void feed_line(struct curves_acc *a, const char *path, char *l, size_t len,
		      struct err *e)
{
	uint64_t epoch = 0;
	size_t i = 0;
	long k;

	if (++a->feed->ln == 1) {
		if (len != 10 || memcmp(l, "epoch,loss", 10) != 0)
			a->feed->failed = err_set(e, NN_ERUN, path, 1, 1, "expected the header 'epoch,loss'");
		return;
	}
	while (i < len && l[i] >= '0' && l[i] <= '9' && i < 20)
		epoch = epoch * 10 + (uint64_t)(l[i++] - '0');
	if (i == 0 || i >= len || l[i] != ',') {
		a->feed->failed = err_set(e, NN_ERUN, path, a->feed->ln, 1, "expected EPOCH,LOSS");
		return;
	}
	l += i + 1;
	if ((k = grid_slot(&a->grid, epoch)) >= 0) {
		char *end;
		double loss = fmt_parse_double(l, &end);

		if (end == l || *end) {
			a->feed->failed = err_set(e, NN_ERUN, path, a->feed->ln, (int)(i + 1 + (size_t)(end - l)) + 1,
					    "expected a number");
			return;
		}
		a->feed->bad |= !isfinite(loss);
		a->vals[a->runs * a->grid.n + (size_t)k] = loss;
	} else {
		a->feed->bad |= not_finite_text(l);
	}
}

void curves_acc_feed(struct curves_acc *a, const char *path, const char *bytes, size_t len,
		     struct err *e)
{
	const char *end = bytes + len;

	while (bytes < end && !a->feed->failed && !a->feed->skip) {
		const char *nl = memchr(bytes, '\n', (size_t)(end - bytes));
		size_t n = (size_t)((nl ? nl : end) - bytes);

		if (a->feed->carry + n >= sizeof a->feed->line) {
			a->feed->failed = err_set(e, NN_ERUN, path, a->feed->ln + 1, 1, "line too long");
			return;
		}
		memcpy(a->feed->line + a->feed->carry, bytes, n);
		a->feed->carry += n;
		if (!nl)
			return;
		a->feed->line[a->feed->carry] = '\0';
		feed_line(a, path, a->feed->line, a->feed->carry, e);
		a->feed->carry = 0;
		bytes = nl + 1;
	}
}

int curves_acc_end(struct curves_acc *a, int keep, const char *path, struct err *e)
{
	if (!keep || a->feed->skip)   /* a damaged file may well be malformed too */
		return 0;
	if (a->feed->carry && !a->feed->failed) {   /* a last line without its newline */
		a->feed->line[a->feed->carry] = '\0';
		feed_line(a, path, a->feed->line, a->feed->carry, e);
	}
	if (a->feed->failed)
		return a->feed->failed;
	a->runs++;
	a->diverged += a->feed->bad != 0;
	return 0;
}

void curves_acc_free(struct curves_acc *a)
{
	free(a->vals);
	a->vals = NULL;
	a->runs = a->cap = 0;
}

int curves_acc_finish(struct curves_acc *a, const char *label, struct curve *cv,
		      struct err *e)
{
	size_t n = a->runs, slots = a->grid.n;
	double *col;

	memset(cv, 0, sizeof *cv);
	cv->label = label;
	cv->runs = n;
	cv->diverged = a->diverged;
	if (!n) {
		curves_acc_free(a);
		return 0;
	}
	col = malloc(n * sizeof *col);
	cv->epoch = malloc(slots * sizeof *cv->epoch);
	cv->q1 = malloc(3 * slots * sizeof *cv->q1);
	if (!col || !cv->epoch || !cv->q1) {
		free(col);
		curves_acc_free(a);
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	}
	cv->median = cv->q1 + slots;
	cv->q3 = cv->median + slots;
	for (size_t k = 0; k < slots; k++) {
		size_t m = 0;

		for (size_t j = 0; j < n; j++)
			if (isfinite(a->vals[j * slots + k]))
				col[m++] = a->vals[j * slots + k];
		if (!m)
			continue;
		study_sort(col, m);
		cv->epoch[cv->n] = grid_epoch(&a->grid, k);
		cv->q1[cv->n] = study_quantile(col, m, 0.25);
		cv->median[cv->n] = study_quantile(col, m, 0.5);
		cv->q3[cv->n++] = study_quantile(col, m, 0.75);
	}
	free(col);
	curves_acc_free(a);
	return 0;
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

void curves_clear(struct curve *cv)
{
	free(cv->epoch);
	free(cv->q1);
	memset(cv, 0, sizeof *cv);
}

void curves_free(struct curve *cv, int n)
{
	for (int g = 0; cv && g < n; g++)
		curves_clear(&cv[g]);
	free(cv);
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
	char path[PATH_MAX];
	struct results_text csv, gp = { 0 };
	struct study_groups sg;
	struct study_set p;
	int rc;

	if ((rc = study_set_load(&p, dir, e)))
		return rc;
	/* The report's own pass: the same curves report.html draws. */
	rc = study_groups_make(&p, dir, &sg, e);
	if (!rc)
		rc = results_text_open(&csv, e);
	/* The gnuplot text waits in memory until curves.csv is in place, so
	 * a reader that stops early leaves no half-written file behind. */
	if (!rc && gnuplot_out && (rc = results_text_open(&gp, e)))
		results_text_close(&csv, NULL, rc, e);
	if (!rc) {
		fputs("group,epoch,q1,median,q3\n", csv.f);
		for (int g = 0; g < sg.n; g++)
			render_group(&sg.cv[g], csv.f, gp.f);
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
	study_groups_free(&sg);
	study_set_free(&p);
	return rc;
}
