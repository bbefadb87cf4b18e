/* compare.c: `nnrun compare`: takes a study's report groups by (setting of the other keys, value of one key), compares pairs of values with stats_pair, and renders compare.csv and the table. */
#include "compare.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "fmt.h"
#include "plan.h"
#include "report.h"
#include "results.h"
#include "run.h"
#include "stats.h"
#include "study.h"

#define VALUE_MAX 256

/* A report group (runs that differ only in seed) seen as its setting of
 * the other keys, its context, and its value of KEY: a pair is two
 * groups of one context. */
struct cell {
	int context, value;              /* numbered in the order first seen */
	const struct report_group *rg;   /* its complete runs' sorted values */
};

struct gathered {
	struct study_groups sg;
	char **text;                     /* each group's value, then its context */
	char **values, **contexts;       /* the distinct ones, into text */
	int n_values, n_contexts;
	struct cell *cells;              /* groups with complete runs, by
					    context, then value */
	size_t n_cells, max_cell;
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
	for (int k = 0; g->text && k < 2 * g->sg.n; k++)
		free(g->text[k]);
	free(g->text);
	free(g->values);
	free(g->contexts);
	free(g->cells);
	study_groups_free(&g->sg);
	memset(g, 0, sizeof *g);
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

struct seen {
	const char *s;
	int at;
};

static int by_text(const void *x, const void *y)
{
	const struct seen *a = x, *b = y;
	int d = strcmp(a->s, b->s);

	return d ? d : (a->at > b->at) - (a->at < b->at);
}

/* Numbers s[0..n) by distinct text in the order first seen: id[k], and
 * each number's text in distinct[]; how many, -1 when out of memory. */
static int number_first_seen(char *const *s, int n, int *id, char **distinct)
{
	struct seen *v = malloc(((size_t)n + 1) * sizeof *v);
	int *first = malloc(((size_t)n + 1) * sizeof *first), m = 0;

	if (!v || !first) {
		free(v);
		free(first);
		return -1;
	}
	for (int k = 0; k < n; k++)
		v[k] = (struct seen){ s[k], k };
	qsort(v, (size_t)n, sizeof *v, by_text);
	for (int j = 0, f = 0; j < n; j++) {
		if (j == 0 || strcmp(v[j].s, v[j - 1].s))
			f = v[j].at;
		first[v[j].at] = f;
	}
	for (int k = 0; k < n; k++)
		if (first[k] == k)
			distinct[id[k] = m++] = s[k];
		else
			id[k] = id[first[k]];
	free(v);
	free(first);
	return m;
}

static int cell_order(const void *x, const void *y)
{
	const struct cell *a = x, *b = y;

	if (a->context != b->context)
		return a->context < b->context ? -1 : 1;
	return (a->value > b->value) - (a->value < b->value);
}

/* The study's groups from the report's own pass, each under its
 * (context, value); cells then lie in order, so that pairs are only made
 * within a context: memory and time grow with the groups, not with
 * contexts x values (a random search has as many of each as points). */
static int gather(const struct study_set *ss, const char *dir, enum config_key key,
		  struct gathered *g, struct err *e)
{
	int rc, n, *id;

	memset(g, 0, sizeof *g);
	if ((rc = study_groups_make(ss, dir, &g->sg, e)))
		return rc;
	n = g->sg.n;
	g->text = calloc(2 * (size_t)n + 1, sizeof *g->text);
	g->values = malloc(((size_t)n + 1) * sizeof *g->values);
	g->contexts = malloc(((size_t)n + 1) * sizeof *g->contexts);
	g->cells = malloc(((size_t)n + 1) * sizeof *g->cells);
	id = malloc((2 * (size_t)n + 1) * sizeof *id);
	if (!g->text || !g->values || !g->contexts || !g->cells || !id)
		goto oom;
	for (int k = 0; k < n; k++) {
		char value[VALUE_MAX], ctx[STUDY_LABEL_MAX];
		struct config c;

		if ((rc = study_set_config(ss, g->sg.first[k], &c, e)))
			goto out;
		config_format_value(&c, key, value, sizeof value);
		context_label(ss, &c, key, ctx, sizeof ctx);
		if (!(g->text[k] = strdup(value)) || !(g->text[n + k] = strdup(ctx)))
			goto oom;
	}
	if ((g->n_values = number_first_seen(g->text, n, id, g->values)) < 0 ||
	    (g->n_contexts = number_first_seen(g->text + n, n, id + n, g->contexts)) < 0)
		goto oom;
	for (int k = 0; k < n; k++) {
		const struct report_group *rg = &g->sg.rg[k];

		if (!rg->st.runs)
			continue;   /* no complete run: left out, as in the report */
		g->cells[g->n_cells++] = (struct cell){ id[n + k], id[k], rg };
		g->by_loss |= rg->judged_by_loss;
		if (rg->st.runs > g->max_cell)
			g->max_cell = rg->st.runs;
	}
	qsort(g->cells, g->n_cells, sizeof *g->cells, cell_order);
	goto out;
oom:
	rc = err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
out:
	free(id);
	if (rc)
		gathered_free(g);
	return rc;
}

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

/* The columns' widths: the context's and the values' longest, at least
 * 36 and 14 (a random point's value is 18 digits or so). */
static void widths(const struct compare_row *r, size_t n, int *wc, int *wv)
{
	*wc = 36;
	*wv = 14;
	for (size_t i = 0; i < n; i++) {
		int c = (int)strlen(r[i].context), a = (int)strlen(r[i].a), b = (int)strlen(r[i].b);
		*wc = c > *wc ? c : *wc;
		*wv = a > *wv ? a : *wv;
		*wv = b > *wv ? b : *wv;
	}
}

static void compare_table_by_loss(FILE *f, const struct compare_row *r, size_t n)
{
	int wc, wv;

	widths(r, n, &wc, &wv);
	fprintf(f, "%-*s %-*s %-*s %6s %6s %26s %6s\n", wc, "context", wv, "a", wv, "b", "runs_a",
		"runs_b", "p_a_lower_loss_95ci", "sig");
	for (size_t i = 0; i < n; i++) {
		const struct stats_pair *s = &r[i].st;
		char poi[64];

		snprintf(poi, sizeof poi, "%.3f [%.3f, %.3f]", s->p_sooner.value, s->p_sooner.lo,
			 s->p_sooner.hi);
		fprintf(f, "%-*s %-*s %-*s %6" PRIu64 " %6" PRIu64 " %26s %6s\n", wc, r[i].context,
			wv, r[i].a, wv, r[i].b, s->n_a, s->n_b, poi, poi_sig(&s->p_sooner));
	}
	fprintf(f, "Targets other than 0 and 1: no run solves, so runs compare by final loss. "
		"p_a_lower_loss: P(a ends with a lower loss than b), a diverged run's the highest, "
		"ties half, percentile bootstrap 95%% interval (%d resamples, seed %u; sig: the "
		"interval excludes 0.5).\n", STATS_RESAMPLES, STATS_SEED);
}

static void compare_table(FILE *f, const struct compare_row *r, size_t n)
{
	int wc, wv;

	widths(r, n, &wc, &wv);
	fprintf(f, "%-*s %-*s %-*s %9s %9s %24s %9s %4s %22s %6s\n", wc, "context", wv, "a", wv, "b",
		"solved_a", "solved_b", "solved_diff_95ci", "fisher_p", "sig", "p_a_sooner_95ci", "sig");
	for (size_t i = 0; i < n; i++) {
		const struct stats_pair *s = &r[i].st;
		char sa[32], sb[32], diff[64], poi[64];

		snprintf(sa, sizeof sa, "%" PRIu64 "/%" PRIu64, s->solved_a, s->n_a);
		snprintf(sb, sizeof sb, "%" PRIu64 "/%" PRIu64, s->solved_b, s->n_b);
		snprintf(diff, sizeof diff, "%+.3f [%+.3f, %+.3f]", s->diff.value, s->diff.lo, s->diff.hi);
		snprintf(poi, sizeof poi, "%.3f [%.3f, %.3f]", s->p_sooner.value, s->p_sooner.lo,
			 s->p_sooner.hi);
		fprintf(f, "%-*s %-*s %-*s %9s %9s %24s %9.3g %4s %22s %6s\n", wc, r[i].context, wv,
			r[i].a, wv, r[i].b, sa, sb, diff, s->fisher_p, s->fisher_p < 0.05 ? "yes" : "no", poi,
			poi_sig(&s->p_sooner));
	}
	fprintf(f, "solved_diff: share solved of a minus b, Newcombe's hybrid score 95%% interval; "
		"fisher_p: Fisher's exact test, two-sided (sig: p < 0.05). p_a_sooner: P(a solves in "
		"fewer epochs than b), unsolved runs never solve, ties half, percentile bootstrap 95%% "
		"interval (%d resamples, seed %u; sig: the interval excludes 0.5).\n",
		STATS_RESAMPLES, STATS_SEED);
}

/* A cell's epochs to solve as stats_pair takes them: < 0 unsolved. */
static void cell_epochs(const struct cell *c, int64_t *out)
{
	const struct stats_group *st = &c->rg->st;

	for (uint64_t i = 0; i < st->runs; i++)
		out[i] = i < st->solved ? (int64_t)c->rg->solved_epochs[i] : -1;
}

/* Runs that cannot solve compare by final loss alone: P(a's is the lower). */
static void loss_pair(struct stats_pair *p, const struct cell *a, const struct cell *b,
		      double *scratch)
{
	memset(p, 0, sizeof *p);
	p->n_a = a->rg->st.runs;
	p->n_b = b->rg->st.runs;
	p->diff.value = p->diff.lo = p->diff.hi = p->fisher_p = NAN;
	stats_prob_lower(&p->p_sooner, a->rg->final_losses, p->n_a, b->rg->final_losses, p->n_b,
			 scratch);
}

static int compare_rows(const struct gathered *g, int base, struct compare_row **rows,
			size_t *n_rows, struct err *e)
{
	double *scratch = malloc((4 * g->max_cell + STATS_RESAMPLES) * sizeof *scratch);
	int64_t *ea = malloc((2 * g->max_cell + 1) * sizeof *ea), *eb = ea + g->max_cell;
	size_t cap = 0;
	int rc = 0;

	*rows = NULL;
	*n_rows = 0;
	if (!scratch || !ea)
		rc = err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	for (size_t lo = 0, hi; lo < g->n_cells && !rc; lo = hi) {
		for (hi = lo; hi < g->n_cells && g->cells[hi].context == g->cells[lo].context; hi++)
			;
		for (size_t a = lo; a < hi && !rc; a++)
			for (size_t b = lo; b < hi; b++) {
				const struct cell *ca = &g->cells[a], *cb = &g->cells[b];
				struct compare_row *r;

				if (a == b || (base >= 0 ? cb->value != base : b < a))
					continue;
				if (*n_rows == cap) {
					size_t nc = cap ? cap * 2 : 64;
					struct compare_row *nr = realloc(*rows, nc * sizeof *nr);
					if (!nr) {
						rc = err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
						break;
					}
					*rows = nr;
					cap = nc;
				}
				r = &(*rows)[(*n_rows)++];
				r->context = g->contexts[ca->context];
				r->a = g->values[ca->value];
				r->b = g->values[cb->value];
				if (g->by_loss) {
					loss_pair(&r->st, ca, cb, scratch);
				} else {
					cell_epochs(ca, ea);
					cell_epochs(cb, eb);
					stats_pair(&r->st, ca->rg->st.runs, ea, cb->rg->st.runs, eb, scratch);
				}
			}
	}
	free(scratch);
	free(ea);
	return rc;
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
	if (table_out) {
		(g.by_loss ? compare_table_by_loss : compare_table)(table_out, rows, n_rows);
		if (!n_rows)
			fprintf(table_out, "No pairs: no two values of %s share a setting of the other "
				"keys%s.\n", key_name, baseline ? " with the baseline" : "");
	}
out:
	free(rows);
	gathered_free(&g);
	study_set_free(&ss);
	return rc;
}
