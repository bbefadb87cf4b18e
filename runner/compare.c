/* compare.c: `nnrun compare`: gathers the runs of a study by (setting of the other keys, value of one key), compares pairs of values with stats_pair, and renders compare.csv and the table. */
#include "compare.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "fmt.h"
#include "plan.h"
#include "results.h"
#include "run.h"
#include "stats.h"
#include "study.h"

#define VALUE_MAX 256

/* The runs gathered: cell (context c, value v) is cells[c * n_values + v]. */
struct cell {
	size_t n;
	int64_t *epochs;
	double *loss;
};

struct gathered {
	int n_values, n_contexts;
	char (*values)[VALUE_MAX];
	char (*contexts)[STUDY_LABEL_MAX];
	struct cell *cells;
	size_t max_cell;
	int by_loss;   /* some run's targets are not all 0 or 1: no run solves,
			  so runs compare by final loss */
};

struct compare_row {
	const char *context, *a, *b;
	struct stats_pair st;   /* by loss: only n_a, n_b and p_sooner, which is
				   P(a ends with the lower loss) */
};

static void gathered_free(struct gathered *g)
{
	if (g->cells)
		for (int i = 0; i < g->n_values * g->n_contexts; i++)
			free(g->cells[i].epochs), free(g->cells[i].loss);
	free(g->values);
	free(g->contexts);
	free(g->cells);
	memset(g, 0, sizeof *g);
}

/* The index of s in list (appended when new); -1 when out of memory. */
static int find_or_add(char **list, size_t width, int *n, const char *s)
{
	char *nl;

	for (int i = 0; i < *n; i++)
		if (strcmp(*list + (size_t)i * width, s) == 0)
			return i;
	if (!(nl = realloc(*list, (size_t)(*n + 1) * width)))
		return -1;
	*list = nl;
	snprintf(nl + (size_t)*n * width, width, "%s", s);
	return (*n)++;
}

/* "k=v k=v" of the keys that tell runs apart but seed and key. */
static void context_label(const struct study_set *ss, const struct config *c,
			  enum config_key key, char *buf, size_t max)
{
	struct study_set other = *ss;

	other.n_keys = 0;
	for (int a = 0; a < ss->n_keys; a++)
		if (ss->keys[a] != key)
			other.keys[other.n_keys++] = ss->keys[a];
	study_group_label(&other, c, buf, max);
}

struct entry {
	int context, value;
	int64_t epoch;
	double loss;
};

static int gather(const struct study_set *ss, const char *dir, enum config_key key,
		  struct gathered *g, struct err *e)
{
	char (*labels)[STUDY_LABEL_MAX] = NULL;
	int n_groups, *group = malloc(((size_t)ss->count + 1) * sizeof *group);
	struct entry *ent = malloc(((size_t)ss->count + 1) * sizeof *ent);
	size_t n_ent = 0;
	int rc;

	memset(g, 0, sizeof *g);
	if (!group || !ent) {
		free(group);
		free(ent);
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	}
	rc = study_group_runs(ss, dir, group, &labels, &n_groups, e);
	for (uint64_t i = 0; i < ss->count && !rc; i++) {
		char id[PLAN_ID_MAX], run_dir[PATH_MAX], value[VALUE_MAX], ctx[STUDY_LABEL_MAX];
		struct run_outcome out;
		struct config c;

		if ((rc = study_set_config(ss, i, &c, e)))
			break;
		config_format_value(&c, key, value, sizeof value);
		context_label(ss, &c, key, ctx, sizeof ctx);
		ent[n_ent].value = find_or_add((char **)&g->values, VALUE_MAX, &g->n_values, value);
		ent[n_ent].context = find_or_add((char **)&g->contexts, STUDY_LABEL_MAX,
						 &g->n_contexts, ctx);
		if (ent[n_ent].value < 0 || ent[n_ent].context < 0) {
			rc = err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
			break;
		}
		plan_run_id(&c, id);
		snprintf(run_dir, sizeof run_dir, "%s/%s", dir, id);
		if (group[i] < 0 || run_read_metrics(run_dir, &out))
			continue;   /* missing runs are left out, as in the report */
		g->by_loss |= out.res.correct < 0;
		ent[n_ent].loss = out.res.final_loss;
		ent[n_ent++].epoch = out.res.solved_epoch;
	}
	if (!rc && !(g->cells = calloc((size_t)(g->n_values * g->n_contexts) + 1, sizeof *g->cells)))
		rc = err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < n_ent && !rc; i++) {
		struct cell *cl = &g->cells[ent[i].context * g->n_values + ent[i].value];
		int64_t *ne = realloc(cl->epochs, (cl->n + 1) * sizeof *ne);
		double *nl = ne ? realloc(cl->loss, (cl->n + 1) * sizeof *nl) : NULL;
		if (ne)
			cl->epochs = ne;
		if (!nl) {
			rc = err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
			break;
		}
		cl->loss = nl;
		ne[cl->n] = ent[i].epoch;
		nl[cl->n++] = ent[i].loss;
		if (cl->n > g->max_cell)
			g->max_cell = cl->n;
	}
	free(labels);
	free(group);
	free(ent);
	if (rc)
		gathered_free(g);
	return rc;
}

/* By loss the columns of solving stay (n/a, empty), and the probability
 * of improvement is named for what it measures. */
static void compare_csv(FILE *f, const char *key, const struct compare_row *r, size_t n,
			int by_loss)
{
	const char *poi = by_loss ? "p_a_lower_loss" : "p_a_sooner";

	fprintf(f, "context,key,a,b,runs_a,solved_a,runs_b,solved_b,solved_diff,solved_diff_lo,"
		"solved_diff_hi,fisher_p,%s,%s_lo,%s_hi\n", poi, poi, poi);
	for (size_t i = 0; i < n; i++) {
		csv_put_field(f, r[i].context);
		fputc(',', f);
		csv_put_field(f, key);
		fputc(',', f);
		csv_put_field(f, r[i].a);
		fputc(',', f);
		csv_put_field(f, r[i].b);
		if (by_loss)
			fprintf(f, ",%" PRIu64 ",n/a,%" PRIu64 ",n/a", r[i].st.n_a, r[i].st.n_b);
		else
			fprintf(f, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64, r[i].st.n_a,
				r[i].st.solved_a, r[i].st.n_b, r[i].st.solved_b);
		csv_put_number(f, r[i].st.diff.value);
		csv_put_number(f, r[i].st.diff.lo);
		csv_put_number(f, r[i].st.diff.hi);
		csv_put_number(f, r[i].st.fisher_p);
		csv_put_number(f, r[i].st.p_sooner.value);
		csv_put_number(f, r[i].st.p_sooner.lo);
		csv_put_number(f, r[i].st.p_sooner.hi);
		fputc('\n', f);
	}
}

static const char *poi_sig(const struct stats_est *p)
{
	return p->lo > 0.5 || p->hi < 0.5 ? "yes" : "no";
}

static void compare_table_by_loss(FILE *f, const struct compare_row *r, size_t n)
{
	fprintf(f, "%-36s %-14s %-14s %6s %6s %26s %6s\n", "context", "a", "b", "runs_a",
		"runs_b", "p_a_lower_loss_95ci", "sig");
	for (size_t i = 0; i < n; i++) {
		const struct stats_pair *s = &r[i].st;
		char poi[64];

		snprintf(poi, sizeof poi, "%.3f [%.3f, %.3f]", s->p_sooner.value, s->p_sooner.lo,
			 s->p_sooner.hi);
		fprintf(f, "%-36s %-14s %-14s %6" PRIu64 " %6" PRIu64 " %26s %6s\n", r[i].context,
			r[i].a, r[i].b, s->n_a, s->n_b, poi, poi_sig(&s->p_sooner));
	}
	fprintf(f, "Targets other than 0 and 1: no run solves, so runs compare by final loss. "
		"p_a_lower_loss: P(a ends with a lower loss than b), a diverged run's the highest, "
		"ties half, percentile bootstrap 95%% interval (%d resamples, seed %u; sig: the "
		"interval excludes 0.5).\n", STATS_RESAMPLES, STATS_SEED);
}

static void compare_table(FILE *f, const struct compare_row *r, size_t n)
{
	fprintf(f, "%-36s %-14s %-14s %9s %9s %24s %9s %4s %22s %6s\n", "context", "a", "b",
		"solved_a", "solved_b", "solved_diff_95ci", "fisher_p", "sig", "p_a_sooner_95ci", "sig");
	for (size_t i = 0; i < n; i++) {
		const struct stats_pair *s = &r[i].st;
		char sa[32], sb[32], diff[64], poi[64];

		snprintf(sa, sizeof sa, "%" PRIu64 "/%" PRIu64, s->solved_a, s->n_a);
		snprintf(sb, sizeof sb, "%" PRIu64 "/%" PRIu64, s->solved_b, s->n_b);
		snprintf(diff, sizeof diff, "%+.3f [%+.3f, %+.3f]", s->diff.value, s->diff.lo, s->diff.hi);
		snprintf(poi, sizeof poi, "%.3f [%.3f, %.3f]", s->p_sooner.value, s->p_sooner.lo,
			 s->p_sooner.hi);
		fprintf(f, "%-36s %-14s %-14s %9s %9s %24s %9.3g %4s %22s %6s\n", r[i].context, r[i].a,
			r[i].b, sa, sb, diff, s->fisher_p, s->fisher_p < 0.05 ? "yes" : "no", poi,
			poi_sig(&s->p_sooner));
	}
	fprintf(f, "solved_diff: share solved of a minus b, Newcombe's hybrid score 95%% interval; "
		"fisher_p: Fisher's exact test, two-sided (sig: p < 0.05). p_a_sooner: P(a solves in "
		"fewer epochs than b), unsolved runs never solve, ties half, percentile bootstrap 95%% "
		"interval (%d resamples, seed %u; sig: the interval excludes 0.5).\n",
		STATS_RESAMPLES, STATS_SEED);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* A cell's final losses, sorted, a diverged run's (NaN) last at +inf. */
static void losses_sorted(const struct cell *c, double *out)
{
	for (size_t i = 0; i < c->n; i++)
		out[i] = isnan(c->loss[i]) ? INFINITY : c->loss[i];
	qsort(out, c->n, sizeof *out, cmp_double);
}

/* Runs that cannot solve compare by final loss alone: P(a's is the lower). */
static void loss_pair(struct stats_pair *p, const struct cell *a, const struct cell *b,
		      double *scratch)
{
	double *la = scratch, *lb = scratch + a->n;

	memset(p, 0, sizeof *p);
	p->n_a = a->n;
	p->n_b = b->n;
	p->diff.value = p->diff.lo = p->diff.hi = p->fisher_p = NAN;
	losses_sorted(a, la);
	losses_sorted(b, lb);
	stats_prob_lower(&p->p_sooner, la, a->n, lb, b->n, scratch + a->n + b->n);
}

static int compare_rows(const struct gathered *g, int base, struct compare_row **rows,
			size_t *n_rows, struct err *e)
{
	size_t max = (size_t)g->n_contexts * (size_t)g->n_values * (size_t)g->n_values + 1;
	double *scratch = malloc((4 * g->max_cell + STATS_RESAMPLES) * sizeof *scratch);
	struct compare_row *r = calloc(max, sizeof *r);

	*rows = r;
	*n_rows = 0;
	if (!scratch || !r) {
		free(scratch);
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	}
	for (int c = 0; c < g->n_contexts; c++)
		for (int a = 0; a < g->n_values; a++)
			for (int b = 0; b < g->n_values; b++) {
				const struct cell *ca = &g->cells[c * g->n_values + a];
				const struct cell *cb = &g->cells[c * g->n_values + b];
				if (a == b || (base >= 0 ? b != base : b < a) || !ca->n || !cb->n)
					continue;
				r[*n_rows].context = g->contexts[c];
				r[*n_rows].a = g->values[a];
				r[*n_rows].b = g->values[b];
				if (g->by_loss)
					loss_pair(&r[*n_rows].st, ca, cb, scratch);
				else
					stats_pair(&r[*n_rows].st, ca->n, ca->epochs, cb->n, cb->epochs,
						   scratch);
				(*n_rows)++;
			}
	free(scratch);
	return 0;
}

int compare_study(const char *dir, const char *key_name, const char *baseline,
		  FILE *table_out, struct err *e)
{
	struct study_set ss;
	struct gathered g = { 0 };
	struct compare_row *rows = NULL;
	struct results_text t;
	size_t n_rows = 0;
	char path[PATH_MAX];
	int key = config_key_from_name(key_name), swept = 0, base = -1, rc;

	if ((rc = study_set_load(&ss, dir, e)))
		return rc;
	for (int a = 0; a < ss.n_keys; a++)
		swept |= (int)ss.keys[a] == key;
	if (key < 0 || key == KEY_SEED || !swept) {
		char list[1024] = "";
		for (int a = 0; a < ss.n_keys; a++)
			if (ss.keys[a] != KEY_SEED)
				snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
					 list[0] ? ", " : "", config_keys[ss.keys[a]].name);
		rc = err_set(e, NN_EUSAGE, NULL, 0, 0, "%s is not a key whose values this study compares (%s%s)",
			     key_name, list[0] ? "those are: " : "it sweeps none but seed", list);
		goto out;
	}
	if ((rc = gather(&ss, dir, (enum config_key)key, &g, e)))
		goto out;
	if (baseline) {
		for (int v = 0; v < g.n_values && base < 0; v++)
			if (strcmp(g.values[v], baseline) == 0)
				base = v;
		if (base < 0) {
			char list[1024] = "";
			for (int v = 0; v < g.n_values; v++)
				snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
					 v ? ", " : "", g.values[v]);
			rc = err_set(e, NN_EUSAGE, NULL, 0, 0, "--baseline %s is not a value of %s in this study (%s)",
				     baseline, key_name, list);
			goto out;
		}
	}
	if ((rc = compare_rows(&g, base, &rows, &n_rows, e)) || (rc = results_text_open(&t, e)))
		goto out;
	compare_csv(t.f, key_name, rows, n_rows, g.by_loss);
	snprintf(path, sizeof path, "%s/compare.csv", dir);
	if ((rc = results_text_close(&t, path, 0, e)))
		goto out;
	if (table_out)
		(g.by_loss ? compare_table_by_loss : compare_table)(table_out, rows, n_rows);
out:
	free(rows);
	gathered_free(&g);
	study_set_free(&ss);
	return rc;
}
