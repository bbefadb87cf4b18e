/* study.c: writes study.yaml, and rebuilds summary.csv and report.csv from the run folders. */
#include "study.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "fmt.h"
#include "results.h"
#include "run.h"

/* Writes t, built in memory, to DIR/FILE atomically. */
static int text_close(struct results_text *t, const char *dir, const char *file,
		      int rc, struct err *e)
{
	char path[PATH_MAX];

	snprintf(path, sizeof path, "%s/%s", dir, file);
	return results_text_close(t, path, rc, e);
}

int study_write(const struct study *s, const char *dir, struct err *e)
{
	struct results_text t;
	char v[1024];
	int rc = 0;

	if (results_text_open(&t, e))
		return e->code;
	fprintf(t.f, "# nnrun %s study: the base config and its sweep, as resolved\n", NNRUN_VERSION);
	for (int k = 0; k < KEY_COUNT; k++) {
		config_format_value(&s->base, (enum config_key)k, v, sizeof v);
		fprintf(t.f, "%s: %s\n", config_key_names[k], v);
	}
	if (s->n_axes)
		fprintf(t.f, "sweep:\n");
	for (int a = 0; a < s->n_axes && !rc; a++) {
		const struct sweep_axis *ax = &s->axes[a];
		fprintf(t.f, "  %s: ", config_key_names[ax->key]);
		if (ax->is_range) {
			fprintf(t.f, "{from: %" PRIu64 ", to: %" PRIu64 "}\n", ax->from, ax->to);
			continue;
		}
		fprintf(t.f, "[");
		for (int i = 0; i < ax->n && !rc; i++) {
			struct config c = s->base;
			if (!(rc = config_set(&c, ax->key, &ax->values[i], e))) {
				config_format_value(&c, ax->key, v, sizeof v);
				fprintf(t.f, "%s%s", i ? ", " : "", v);
			}
		}
		fprintf(t.f, "]\n");
	}
	return text_close(&t, dir, "study.yaml", rc, e);
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

static void report_group(FILE *rep, FILE *out, const char *label,
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
	csv_put_field(rep, label);
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
	fprintf(rep, ",%zu,%zu,%.4f,%s,%s,%s,%s\n", runs, ns, runs ? (double)ns / (double)runs : 0.0, a, b, c, d);
	if (out)
		fprintf(out, "%-44s %5zu %7.1f%% %8s %8s %8s  %.6g\n", label, runs,
			runs ? 100.0 * (double)ns / (double)runs : 0.0,
			ns ? a : "-", ns ? b : "-", ns ? c : "-", nl ? study_quantile(loss, nl, 0.5) : NAN);
}

int study_group_runs(const struct plan *p, const char *dir, int *group,
		     char (**labels)[STUDY_LABEL_MAX], int *n_groups, struct err *e)
{
	int rc = 0;

	*labels = NULL;
	*n_groups = 0;
	for (uint64_t i = 0; i < p->count && !rc; i++) {
		char id[PLAN_ID_MAX], text[RUN_CONFIG_MAX], label[STUDY_LABEL_MAX];
		struct config c;
		int g;

		if ((rc = plan_config(p, i, &c, e)))
			break;
		plan_run_id(&c, id);
		run_config_text(&c, text, sizeof text);
		study_group_label(p, &c, label, sizeof label);
		for (g = 0; g < *n_groups && strcmp((*labels)[g], label); g++)
			;
		if (g == *n_groups) {
			char (*nl)[STUDY_LABEL_MAX] = realloc(*labels, (size_t)(g + 1) * sizeof *nl);
			if (!nl) {
				rc = err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
				break;
			}
			*labels = nl;
			memcpy(nl[(*n_groups)++], label, sizeof label);
		}
		group[i] = results_complete(dir, id, text) ? g : -1;
	}
	if (rc) {
		free(*labels);
		*labels = NULL;
		*n_groups = 0;
	}
	return rc;
}

static int summarize(const struct plan *p, const char *dir, FILE *table_out,
		     uint64_t *missing, struct err *e)
{
	struct results_text sum, rep;
	char (*labels)[STUDY_LABEL_MAX] = NULL;
	int n_groups = 0, *group = malloc((size_t)p->count * sizeof *group);
	struct row *rows = calloc((size_t)p->count, sizeof *rows);
	double *scratch = calloc((size_t)p->count * 2 + 2, sizeof *scratch);
	int rc = 0;

	if (!group || !rows || !scratch) {
		free(group);
		free(rows);
		free(scratch);
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	}
	if ((rc = study_group_runs(p, dir, group, &labels, &n_groups, e)) ||
	    (rc = results_text_open(&sum, e)))
		goto out;
	if ((rc = results_text_open(&rep, e))) {
		results_text_close(&sum, NULL, rc, e);
		goto out;
	}
	fprintf(sum.f, "index,run_id");
	for (int a = 0; a < p->study->n_axes; a++)
		fprintf(sum.f, ",%s", config_key_names[p->study->axes[a].key]);
	fprintf(sum.f, ",status,epochs_run,final_loss,correct,accuracy,solved_epoch,diverged,seconds\n");
	for (uint64_t i = 0; i < p->count && !rc; i++) {
		char id[PLAN_ID_MAX], run_dir[PATH_MAX], v[1024];
		struct config c;
		struct row *r = &rows[i];

		if ((rc = plan_config(p, i, &c, e)))
			break;
		plan_run_id(&c, id);
		snprintf(run_dir, sizeof run_dir, "%s/%s", dir, id);
		r->index = i;
		r->group = group[i];
		r->complete = group[i] >= 0 && run_read_metrics(run_dir, &r->out) == 0;
		fprintf(sum.f, "%" PRIu64 ",%s", i, id);
		for (int a = 0; a < p->study->n_axes; a++) {
			config_format_value(&c, p->study->axes[a].key, v, sizeof v);
			fputc(',', sum.f);
			csv_put_field(sum.f, v);
		}
		if (!r->complete) {
			(*missing)++;
			fprintf(sum.f, ",missing,,,,,,,\n");
			continue;
		}
		fmt_double(v, r->out.res.final_loss);
		fprintf(sum.f, ",%s,%" PRIu64 ",%s,%d,%.2f,%" PRId64 ",%d,%.6f\n",
			r->out.res.diverged ? "diverged" : "done", r->out.res.epochs_run, v,
			r->out.res.correct, r->out.res.correct / 4.0, r->out.res.solved_epoch,
			r->out.res.diverged, r->out.seconds);
	}
	if (!rc) {
		fprintf(rep.f, "group,runs,solved,solved_fraction,solved_epoch_q1,solved_epoch_median,solved_epoch_q3,final_loss_median\n");
		if (table_out)
			fprintf(table_out, "%-44s %5s %8s %8s %8s %8s  %s\n", "group", "runs", "solved",
				"q1", "median", "q3", "median loss");
		for (int g = 0; g < n_groups; g++)
			report_group(rep.f, table_out, labels[g], rows, p->count, g, scratch,
				     scratch + p->count + 1);
	}
	rc = text_close(&sum, dir, "summary.csv", rc, e);
	rc = text_close(&rep, dir, "report.csv", rc, e);
out:
	free(labels);
	free(group);
	free(rows);
	free(scratch);
	return rc;
}

/* Reading the runs and writing the summary happen under the study's lock:
 * with several nnrun on one folder, the last to write has read last, so
 * it never replaces a summary with an older view. */
static int summarize_locked(const struct plan *p, const char *dir, FILE *table_out,
			    uint64_t *missing, struct err *e)
{
	int lock = results_lock_dir(dir);
	int rc;

	*missing = 0;
	rc = summarize(p, dir, table_out, missing, e);
	results_unlock_dir(lock);
	return rc;
}

int study_summarize(const struct plan *p, const char *dir, FILE *table_out,
		    struct err *e)
{
	uint64_t missing;

	return summarize_locked(p, dir, table_out, &missing, e);
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

int study_report(const char *dir, FILE *table_out, uint64_t *missing,
		 struct err *e)
{
	struct study s;
	struct plan p;
	int rc;

	if ((rc = study_load(&s, &p, dir, e)))
		return rc;
	rc = summarize_locked(&p, dir, table_out, missing, e);
	config_free_study(&s);
	return rc;
}
