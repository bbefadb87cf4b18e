/* compare.c: `nnrun compare`: gathers the runs of a study by (setting of the other keys, value of one key), compares pairs of values with stats_pair, and renders compare.csv and the table. */
#include "compare.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "fmt.h"
#include "hash.h"
#include "plan.h"
#include "results.h"
#include "run.h"
#include "stats.h"
#include "study.h"

#define VALUE_MAX 256

/* Distinct strings in the order first seen, found by their hash: the
 * values of KEY, or the settings of the other keys (contexts). */
struct names {
	char *text;          /* n strings, width bytes each */
	size_t width;
	int n, cap;
	int *slot;           /* open addressing: string index + 1, 0 free */
	size_t n_slots;      /* a power of two, over twice n */
};

/* The runs of one (context, value): a stretch of the gathered arrays. */
struct cell {
	int context, value;
	size_t n;
	const int64_t *epochs;
	const double *loss;
};

struct gathered {
	struct names values, contexts;
	struct cell *cells;          /* by context, then value, as first seen */
	size_t n_cells, max_cell;
	int64_t *epochs;
	double *loss;
	int by_loss;   /* some run's targets are not all 0 or 1: no run solves,
			  so runs compare by final loss */
};

struct compare_row {
	const char *context, *a, *b;
	struct stats_pair st;   /* by loss: only n_a, n_b and p_sooner, which is
				   P(a ends with the lower loss) */
};

static void names_free(struct names *nm)
{
	free(nm->text);
	free(nm->slot);
}

static const char *name_at(const struct names *nm, int i)
{
	return nm->text + (size_t)i * nm->width;
}

/* The index of s (appended when new); -1 when out of memory. */
static int names_find_or_add(struct names *nm, const char *s)
{
	uint64_t h = hash_bytes(s, strlen(s));
	size_t i;

	if ((size_t)nm->n * 2 >= nm->n_slots) {
		size_t n_slots = nm->n_slots ? nm->n_slots * 2 : 64;
		int *slot = calloc(n_slots, sizeof *slot);
		if (!slot)
			return -1;
		for (int k = 0; k < nm->n; k++) {
			const char *t = name_at(nm, k);
			for (i = hash_bytes(t, strlen(t)) & (n_slots - 1); slot[i]; i = (i + 1) & (n_slots - 1))
				;
			slot[i] = k + 1;
		}
		free(nm->slot);
		nm->slot = slot;
		nm->n_slots = n_slots;
	}
	for (i = h & (nm->n_slots - 1); nm->slot[i]; i = (i + 1) & (nm->n_slots - 1))
		if (strcmp(name_at(nm, nm->slot[i] - 1), s) == 0)
			return nm->slot[i] - 1;
	if (nm->n == nm->cap) {
		int cap = nm->cap ? nm->cap * 2 : 16;
		char *text = realloc(nm->text, (size_t)cap * nm->width);
		if (!text)
			return -1;
		nm->text = text;
		nm->cap = cap;
	}
	snprintf(nm->text + (size_t)nm->n * nm->width, nm->width, "%s", s);
	nm->slot[i] = nm->n + 1;
	return nm->n++;
}

static void gathered_free(struct gathered *g)
{
	names_free(&g->values);
	names_free(&g->contexts);
	free(g->cells);
	free(g->epochs);
	free(g->loss);
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

struct entry {
	int context, value;
	int64_t epoch;
	double loss;
};

static int entry_order(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;

	if (a->context != b->context)
		return a->context < b->context ? -1 : 1;
	return (a->value > b->value) - (a->value < b->value);
}

/* The complete runs' results, each under its (context, value); cells
 * then lie in order, so that pairs are only made within a context:
 * memory and time grow with the runs, not with contexts x values (a
 * random search has as many of each as points). */
static int gather(const struct study_set *ss, const char *dir, enum config_key key,
		  struct gathered *g, struct err *e)
{
	char (*labels)[STUDY_LABEL_MAX] = NULL;
	int n_groups, *group = malloc(((size_t)ss->count + 1) * sizeof *group);
	struct entry *ent = malloc(((size_t)ss->count + 1) * sizeof *ent);
	size_t n_ent = 0;
	int rc;

	memset(g, 0, sizeof *g);
	g->values.width = VALUE_MAX;
	g->contexts.width = STUDY_LABEL_MAX;
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
		ent[n_ent].value = names_find_or_add(&g->values, value);
		ent[n_ent].context = names_find_or_add(&g->contexts, ctx);
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
	qsort(ent, n_ent, sizeof *ent, entry_order);
	if (!rc && (!(g->epochs = malloc((n_ent + 1) * sizeof *g->epochs)) ||
		    !(g->loss = malloc((n_ent + 1) * sizeof *g->loss)) ||
		    !(g->cells = malloc((n_ent + 1) * sizeof *g->cells))))
		rc = err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < n_ent && !rc; i++) {
		struct cell *cl = &g->cells[g->n_cells];

		if (i == 0 || entry_order(&ent[i - 1], &ent[i]) != 0) {
			cl = &g->cells[g->n_cells++];
			*cl = (struct cell){ ent[i].context, ent[i].value, 0, g->epochs + i, g->loss + i };
		} else {
			cl = &g->cells[g->n_cells - 1];
		}
		g->epochs[i] = ent[i].epoch;
		g->loss[i] = ent[i].loss;
		if (++cl->n > g->max_cell)
			g->max_cell = cl->n;
	}
	free(labels);
	free(group);
	free(ent);
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
	double *scratch = malloc((4 * g->max_cell + STATS_RESAMPLES) * sizeof *scratch);
	size_t cap = 0;

	*rows = NULL;
	*n_rows = 0;
	if (!scratch)
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	for (size_t lo = 0, hi; lo < g->n_cells; lo = hi) {
		for (hi = lo; hi < g->n_cells && g->cells[hi].context == g->cells[lo].context; hi++)
			;
		for (size_t a = lo; a < hi; a++)
			for (size_t b = lo; b < hi; b++) {
				const struct cell *ca = &g->cells[a], *cb = &g->cells[b];
				struct compare_row *r;

				if (a == b || (base >= 0 ? cb->value != base : b < a))
					continue;
				if (*n_rows == cap) {
					size_t nc = cap ? cap * 2 : 64;
					struct compare_row *nr = realloc(*rows, nc * sizeof *nr);
					if (!nr) {
						free(scratch);
						return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
					}
					*rows = nr;
					cap = nc;
				}
				r = &(*rows)[(*n_rows)++];
				r->context = name_at(&g->contexts, ca->context);
				r->a = name_at(&g->values, ca->value);
				r->b = name_at(&g->values, cb->value);
				if (g->by_loss)
					loss_pair(&r->st, ca, cb, scratch);
				else
					stats_pair(&r->st, ca->n, ca->epochs, cb->n, cb->epochs, scratch);
			}
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
		for (int v = 0; v < g.values.n && base < 0; v++)
			if (strcmp(name_at(&g.values, v), baseline) == 0)
				base = v;
		if (base < 0) {
			char list[1024] = "";
			for (int v = 0; v < g.values.n; v++)
				snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
					 v ? ", " : "", name_at(&g.values, v));
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
