/* study.c: writes study.yaml, and rebuilds summary.csv and report.csv from the run folders. */
#include "study.h"

#include <inttypes.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "results.h"
#include "run.h"

/* A growing text buffer; on out of memory it stays failed. */
struct text {
	char *buf;
	size_t n, cap;
	int failed;
};

static void put(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int len;

	if (t->failed)
		return;
	for (;;) {
		va_start(ap, fmt);
		len = vsnprintf(t->buf ? t->buf + t->n : NULL, t->buf ? t->cap - t->n : 0, fmt, ap);
		va_end(ap);
		if (len < 0) {
			t->failed = 1;
			return;
		}
		if (t->buf && t->n + (size_t)len < t->cap) {
			t->n += (size_t)len;
			return;
		}
		size_t cap = t->cap ? t->cap * 2 : 4096;
		while (cap < t->n + (size_t)len + 1)
			cap *= 2;
		char *nb = realloc(t->buf, cap);
		if (!nb) {
			t->failed = 1;
			return;
		}
		t->buf = nb;
		t->cap = cap;
	}
}

static int text_write(struct text *t, const char *dir, const char *file, struct err *e)
{
	char path[PATH_MAX];
	int rc;

	if (t->failed) {
		free(t->buf);
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	}
	snprintf(path, sizeof path, "%s/%s", dir, file);
	rc = results_write_atomic(path, t->buf ? t->buf : "", t->n, e);
	free(t->buf);
	return rc;
}

int study_write(const struct study *s, const char *dir, struct err *e)
{
	struct text t = { 0 };
	char v[1024];

	put(&t, "# nnrun %s study: the base config and its sweep, as resolved\n", NNRUN_VERSION);
	for (int k = 0; k < KEY_COUNT; k++) {
		config_format_value(&s->base, (enum config_key)k, v, sizeof v);
		put(&t, "%s: %s\n", config_key_names[k], v);
	}
	if (s->n_axes)
		put(&t, "sweep:\n");
	for (int a = 0; a < s->n_axes; a++) {
		const struct sweep_axis *ax = &s->axes[a];
		put(&t, "  %s: ", config_key_names[ax->key]);
		if (ax->is_range) {
			put(&t, "{from: %" PRIu64 ", to: %" PRIu64 "}\n", ax->from, ax->to);
			continue;
		}
		put(&t, "[");
		for (int i = 0; i < ax->n; i++) {
			struct config c = s->base;
			if (config_set(&c, ax->key, &ax->values[i], e)) {
				free(t.buf);
				return e->code;
			}
			config_format_value(&c, ax->key, v, sizeof v);
			put(&t, "%s%s", i ? ", " : "", v);
		}
		put(&t, "]\n");
	}
	return text_write(&t, dir, "study.yaml", e);
}

/* ---- summary and report ---- */

struct row {
	uint64_t index;
	int group;
	int complete;
	struct run_outcome out;
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

void study_sort(double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
}

double study_quantile(const double *v, size_t n, double q)
{
	double pos = q * (double)(n - 1);
	size_t lo = (size_t)pos;

	if (lo + 1 >= n)
		return v[n - 1];
	return v[lo] + (v[lo + 1] - v[lo]) * (pos - (double)lo);
}

void study_group_label(const struct plan *p, const struct config *c, char *buf, size_t max)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int a = 0; a < p->study->n_axes; a++) {
		enum config_key k = p->study->axes[a].key;
		int len;
		if (k == KEY_SEED)
			continue;
		len = snprintf(buf + n, max - n, "%s%s=", n ? " " : "", config_key_names[k]);
		if (len < 0 || (size_t)len >= max - n)
			return;
		n += (size_t)len;
		len = config_format_value(c, k, buf + n, max - n);
		if (len < 0)
			return;
		n += (size_t)len;
	}
	if (!n)
		snprintf(buf, max, "all");
}

static void csv_value(struct text *t, const char *v)
{
	if (strpbrk(v, ",\"\n")) {
		put(t, "\"");
		for (; *v; v++)
			put(t, *v == '"' ? "\"\"" : "%c", *v);
		put(t, "\"");
	} else {
		put(t, "%s", v);
	}
}

static void report_group(struct text *rep, FILE *out, const char *label,
			 const struct row *rows, uint64_t n, int group,
			 double *solved, double *loss)
{
	size_t ns = 0, nl = 0, runs = 0;
	char a[FMT_DOUBLE_MAX], b[FMT_DOUBLE_MAX], c[FMT_DOUBLE_MAX], d[FMT_DOUBLE_MAX];

	for (uint64_t i = 0; i < n; i++) {
		if (rows[i].group != group || !rows[i].complete)
			continue;
		runs++;
		if (rows[i].out.res.solved_epoch >= 0)
			solved[ns++] = (double)rows[i].out.res.solved_epoch;
		loss[nl++] = rows[i].out.res.final_loss;
	}
	study_sort(solved, ns);
	study_sort(loss, nl);
	csv_value(rep, label);
	if (ns) {
		fmt_double(a, study_quantile(solved, ns, 0.25));
		fmt_double(b, study_quantile(solved, ns, 0.5));
		fmt_double(c, study_quantile(solved, ns, 0.75));
	} else {
		strcpy(a, "");
		strcpy(b, "");
		strcpy(c, "");
	}
	if (nl)
		fmt_double(d, study_quantile(loss, nl, 0.5));
	else
		strcpy(d, "");
	put(rep, ",%zu,%zu,%.4f,%s,%s,%s,%s\n", runs, ns, runs ? (double)ns / (double)runs : 0.0, a, b, c, d);
	if (out)
		fprintf(out, "%-44s %5zu %7.1f%% %8s %8s %8s  %.6g\n", label, runs,
			runs ? 100.0 * (double)ns / (double)runs : 0.0,
			ns ? a : "-", ns ? b : "-", ns ? c : "-", nl ? study_quantile(loss, nl, 0.5) : NAN);
}

static int summarize(const struct plan *p, const char *dir, FILE *table_out,
		     struct err *e)
{
	struct text sum = { 0 }, rep = { 0 };
	char (*labels)[512] = NULL;
	int n_groups = 0;
	struct row *rows = calloc((size_t)p->count, sizeof *rows);
	double *scratch = calloc((size_t)p->count * 2 + 2, sizeof *scratch);
	int rc = 0;

	if (!rows || !scratch) {
		free(rows);
		free(scratch);
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	}
	put(&sum, "index,run_id");
	for (int a = 0; a < p->study->n_axes; a++)
		put(&sum, ",%s", config_key_names[p->study->axes[a].key]);
	put(&sum, ",status,epochs_run,final_loss,correct,accuracy,solved_epoch,diverged,seconds\n");
	for (uint64_t i = 0; i < p->count && !rc; i++) {
		char id[PLAN_ID_MAX], text[RUN_CONFIG_MAX], run_dir[PATH_MAX], label[512], v[1024];
		struct config c;
		struct row *r = &rows[i];
		int g;

		if ((rc = plan_config(p, i, &c, e)))
			break;
		plan_run_id(&c, id);
		run_config_text(&c, text, sizeof text);
		snprintf(run_dir, sizeof run_dir, "%s/%s", dir, id);
		r->index = i;
		r->complete = results_complete(dir, id, text) && run_read_metrics(run_dir, &r->out) == 0;
		study_group_label(p, &c, label, sizeof label);
		for (g = 0; g < n_groups && strcmp(labels[g], label); g++)
			;
		if (g == n_groups) {
			char (*nl)[512] = realloc(labels, (size_t)(n_groups + 1) * sizeof *labels);
			if (!nl) {
				rc = err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
				break;
			}
			labels = nl;
			memcpy(labels[n_groups++], label, sizeof label);
		}
		r->group = g;
		put(&sum, "%" PRIu64 ",%s", i, id);
		for (int a = 0; a < p->study->n_axes; a++) {
			config_format_value(&c, p->study->axes[a].key, v, sizeof v);
			put(&sum, ",");
			csv_value(&sum, v);
		}
		if (!r->complete) {
			put(&sum, ",missing,,,,,,,\n");
			continue;
		}
		fmt_double(v, r->out.res.final_loss);
		put(&sum, ",%s,%" PRIu64 ",%s,%d,%.2f,%" PRId64 ",%d,%.6f\n",
		    r->out.res.diverged ? "diverged" : "done", r->out.res.epochs_run, v,
		    r->out.res.correct, r->out.res.correct / 4.0, r->out.res.solved_epoch,
		    r->out.res.diverged, r->out.seconds);
	}
	if (!rc) {
		put(&rep, "group,runs,solved,solved_fraction,solved_epoch_q1,solved_epoch_median,solved_epoch_q3,final_loss_median\n");
		if (table_out)
			fprintf(table_out, "%-44s %5s %8s %8s %8s %8s  %s\n", "group", "runs", "solved",
				"q1", "median", "q3", "median loss");
		for (int g = 0; g < n_groups; g++)
			report_group(&rep, table_out, labels[g], rows, p->count, g, scratch,
				     scratch + p->count + 1);
		rc = text_write(&sum, dir, "summary.csv", e);
		sum.buf = NULL;
		if (!rc)
			rc = text_write(&rep, dir, "report.csv", e);
		rep.buf = NULL;
	}
	free(sum.buf);
	free(rep.buf);
	free(labels);
	free(rows);
	free(scratch);
	return rc;
}

/* Reading the runs and writing the summary happen under the study's lock:
 * with several nnrun on one folder, the last to write has read last, so
 * it never replaces a summary with an older view. */
int study_summarize(const struct plan *p, const char *dir, FILE *table_out,
		    struct err *e)
{
	int lock = results_lock_dir(dir);
	int rc = summarize(p, dir, table_out, e);

	results_unlock_dir(lock);
	return rc;
}

int study_load(struct study *s, struct plan *p, const char *dir, struct err *e)
{
	char path[PATH_MAX];
	int rc;

	if ((size_t)snprintf(path, sizeof path, "%s/study.yaml", dir) >= sizeof path)
		return err_set(e, NN_EUSAGE, NULL, 0, 0, "the folder name is too long");
	rc = config_load(s, path, e);
	if (!rc)
		rc = plan_build(p, s, e);
	if (rc)
		config_free_study(s);
	return rc;
}

int study_report(const char *dir, FILE *table_out, struct err *e)
{
	struct study s;
	struct plan p;
	int rc;

	if ((rc = study_load(&s, &p, dir, e)))
		return rc;
	rc = study_summarize(&p, dir, table_out, e);
	config_free_study(&s);
	return rc;
}
