/* study.c: study.yaml (the config file and every plan run into a folder), and summary.csv and report.csv rebuilt from the run folders. */
#include "study.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "data.h"
#include "curves.h"
#include "fmt.h"
#include "hash.h"
#include "html.h"
#include "netfile.h"
#include "predict.h"
#include "report.h"
#include "results.h"
#include "run.h"
#include "ytree.h"

/* Writes t, built in memory, to DIR/FILE atomically. */
static int text_close(struct results_text *t, const char *dir, const char *file,
		      int rc, struct err *e)
{
	char path[PATH_MAX];

	snprintf(path, sizeof path, "%s/%s", dir, file);
	return results_text_close(t, path, rc, e);
}

/* ---- study.yaml: the config file and every plan run into the folder ---- */

/* The rows of c's task, which accuracy counts against. */
static int task_rows(const struct config *c)
{
	struct task_shape sh;

	return data_task_shape(c->task, (int)c->targets, &sh) == 0 ? sh.n_rows : 1;
}

char *study_text(const struct study *s, struct err *e)
{
	struct results_text t;
	char v[1024];
	int rc = 0;

	if (results_text_open(&t, e))
		return NULL;
	for (int k = 0; k < KEY_COUNT; k++) {
		if (!config_key_written(&s->base, (enum config_key)k))
			continue;
		config_format_value(&s->base, (enum config_key)k, v, sizeof v);
		fprintf(t.f, "%s: %s\n", config_keys[k].name, v);
	}
	if (s->n_axes)
		fprintf(t.f, "sweep:\n");
	for (int a = 0; a < s->n_axes && !rc; a++) {
		fprintf(t.f, "  %s: ", config_keys[s->axes[a].key].name);
		rc = config_axis_write(t.f, s, a);
		fputc('\n', t.f);
	}
	if (fclose(t.f) || rc) {
		free(t.buf);
		err_set(e, NN_ERUN, NULL, 0, 0, rc ? "a swept value is too long to write" : "out of memory");
		return NULL;
	}
	return t.buf;
}

/* A YAML block scalar: every line of text (which ends in a newline)
 * indented by indent spaces. */
static void put_block(FILE *f, const char *text, int indent)
{
	for (const char *l = text; *l;) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);
		fprintf(f, "%*s%.*s\n", indent, "", (int)n, l);
		l += n + (nl != NULL);
	}
}

/* A YAML double-quoted string. */
static void put_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(f, "\\x%02x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

/* What DIR/study.yaml holds: the config file as given, its config as
 * resolved before any KEY=VALUE argument, and each distinct plan (that
 * config after an invocation's arguments) in the order first run. A
 * study.yaml written before plans were recorded is one plan, file and
 * config unknown (config_file NULL). */
struct record {
	char *config_file;
	char *config;
	int n_plans;
	char **plans;
};

static void record_free(struct record *r)
{
	free(r->config_file);
	free(r->config);
	for (int i = 0; i < r->n_plans; i++)
		free(r->plans[i]);
	free(r->plans);
	memset(r, 0, sizeof *r);
}

static int record_add_plan(struct record *r, const char *text, size_t len, struct err *e)
{
	char **np = realloc(r->plans, (size_t)(r->n_plans + 1) * sizeof *np);

	if (!np)
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	r->plans = np;
	if (!(np[r->n_plans] = strndup(text, len)))
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	r->n_plans++;
	return 0;
}

static int record_write(const struct record *r, const char *dir, struct err *e)
{
	struct results_text t;

	if (results_text_open(&t, e))
		return e->code;
	fprintf(t.f, "# nnrun %s study: the config file, its config as resolved, and every\n"
		"# plan run into this folder (that config after KEY=VALUE arguments)\n"
		"config_file: ", NNRUN_VERSION);
	put_quoted(t.f, r->config_file);
	fprintf(t.f, "\nconfig: |\n");
	put_block(t.f, r->config, 2);
	fprintf(t.f, "plans:\n");
	for (int i = 0; i < r->n_plans; i++) {
		fprintf(t.f, "  - |\n");
		put_block(t.f, r->plans[i], 4);
	}
	return text_close(&t, dir, "study.yaml", 0, e);
}

/* Reads a whole file into a malloc'd buffer; 0 or an errno. */
static int read_whole(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct results_text t;
	struct err ignored;
	char chunk[65536];
	size_t n;
	int bad;

	if (!f)
		return errno;
	if (results_text_open(&t, &ignored)) {
		fclose(f);
		return ENOMEM;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		fwrite(chunk, 1, n, t.f);
	bad = ferror(f) ? EIO : 0;
	fclose(f);
	if (fclose(t.f) && !bad)
		bad = ENOMEM;
	if (bad) {
		free(t.buf);
		return bad;
	}
	*out = t.buf;
	*len = t.len;
	return 0;
}

static int not_a_study(const char *dir, int errnum, struct err *e)
{
	if (errnum == ENOENT || errnum == ENOTDIR)
		return err_set(e, NN_EUSAGE, dir, 0, 0, "not a study folder (no study.yaml)");
	return err_set(e, NN_ERUN, dir, 0, 0, "cannot read study.yaml: %s", strerror(errnum));
}

/* Reads DIR/study.yaml into r; *found 0 (and r empty) when there is none. */
static int record_read(struct record *r, const char *dir, int *found, struct err *e)
{
	char path[PATH_MAX], *buf = NULL;
	const struct ynode *cf, *cfg, *plans;
	struct ynode *root = NULL;
	size_t len = 0;
	int rc;

	memset(r, 0, sizeof *r);
	*found = 0;
	if ((size_t)snprintf(path, sizeof path, "%s/study.yaml", dir) >= sizeof path)
		return err_set(e, NN_EUSAGE, NULL, 0, 0, "the folder name is too long");
	if ((rc = read_whole(path, &buf, &len)))
		return rc == ENOENT ? 0 : not_a_study(dir, rc, e);
	*found = 1;
	if ((rc = ytree_parse(path, buf, len, &root, e)))
		goto out;
	plans = root && root->type == YNODE_MAP ? ytree_get(root, "plans", NULL) : NULL;
	if (!plans) {
		/* Written before plans were recorded: the whole file is one plan. */
		struct study s;
		if (!(rc = config_load_buffer(&s, path, buf, len, e))) {
			char *text = study_text(&s, e);
			rc = text ? record_add_plan(r, text, strlen(text), e) : e->code;
			free(text);
		}
		config_free_study(&s);
		goto out;
	}
	cf = ytree_get(root, "config_file", NULL);
	cfg = ytree_get(root, "config", NULL);
	if (!cf || cf->type != YNODE_SCALAR || !cfg || cfg->type != YNODE_SCALAR ||
	    plans->type != YNODE_SEQ) {
		rc = err_set(e, NN_EUSAGE, path, root->line, root->col,
			     "expected config_file, config and plans, as nnrun writes them");
		goto out;
	}
	if (!(r->config_file = strdup(cf->value)) || !(r->config = strdup(cfg->value))) {
		rc = err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
		goto out;
	}
	for (int i = 0; i < plans->n && !rc; i++) {
		const struct ynode *pl = plans->items[i];
		if (pl->type != YNODE_SCALAR)
			rc = err_set(e, NN_EUSAGE, path, pl->line, pl->col, "a plan is a block of text");
		else
			rc = record_add_plan(r, pl->value, pl->len, e);
	}
out:
	ytree_free(root);
	free(buf);
	if (rc)
		record_free(r);
	return rc;
}

static int record_locked(const char *dir, const char *config_file,
			 const char *config, const char *plan, int force,
			 struct err *e)
{
	struct record r;
	int found, rc, same = 0, has_plan = 0;

	if ((rc = record_read(&r, dir, &found, e)))
		return rc;
	if (found && r.config_file)
		same = strcmp(r.config, config) == 0;
	else if (found)   /* one plan, file unknown: this plan, or this file's own */
		same = r.n_plans == 1 && (strcmp(r.plans[0], plan) == 0 ||
					  strcmp(r.plans[0], config) == 0);
	if (found && !same && !force) {
		if (!r.config_file)
			rc = err_set(e, NN_EUSAGE, NULL, 0, 0,
				     "%s holds another study (its config file is not recorded), not %s: give -o DIR or another name=NAME to keep both, or --force to replace that study",
				     dir, config_file);
		else if (strcmp(r.config_file, config_file) == 0)
			rc = err_set(e, NN_EUSAGE, NULL, 0, 0,
				     "%s holds the study of %s as it was when first run; the file has changed since: give -o DIR or another name=NAME to keep both, or --force to replace that study",
				     dir, config_file);
		else
			rc = err_set(e, NN_EUSAGE, NULL, 0, 0,
				     "%s holds the study of %s, not of %s: give -o DIR or another name=NAME to keep both, or --force to replace that study",
				     dir, r.config_file, config_file);
		record_free(&r);
		return rc;
	}
	if (!(found && same))
		record_free(&r);   /* a new study, or one replaced by --force */
	for (int i = 0; i < r.n_plans; i++)
		if (strcmp(r.plans[i], plan) == 0)
			has_plan = 1;
	if (has_plan && r.config_file) {
		record_free(&r);
		return 0;
	}
	/* A new study, or a study.yaml written before files were recorded,
	 * gets this file; a study already recorded keeps its first. */
	if (!r.config_file) {
		free(r.config);
		r.config = NULL;
		if (!(r.config_file = strdup(config_file)) || !(r.config = strdup(config)))
			rc = err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	}
	if (!rc && !has_plan)
		rc = record_add_plan(&r, plan, strlen(plan), e);
	if (!rc)
		rc = record_write(&r, dir, e);
	record_free(&r);
	return rc;
}

/* study.yaml is read and written under the study's lock: two nnrun
 * adding plans at once both find theirs recorded. */
int study_record(const char *dir, const char *config_file, const char *config,
		 const char *plan, int force, struct err *e)
{
	int lock = results_lock_dir(dir);
	int rc = record_locked(dir, config_file, config, plan, force, e);

	results_unlock_dir(lock);
	return rc;
}

/* ---- summary and report: one pass over the runs ---- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* A stable merge sort of v[0..n) with the comparisons inline (qsort
 * calls a function for each); tmp holds n / 2 doubles. */
static void merge_sort(double *v, double *tmp, size_t n)
{
	size_t h = n / 2, i = 0, j = h, k = 0;

	if (n <= 16) {
		for (size_t a = 1; a < n; a++) {
			double x = v[a];
			size_t b = a;

			for (; b > 0 && v[b - 1] > x; b--)
				v[b] = v[b - 1];
			v[b] = x;
		}
		return;
	}
	merge_sort(v, tmp, h);
	merge_sort(v + h, tmp, n - h);
	if (!(v[h - 1] > v[h]))
		return;
	memcpy(tmp, v, h * sizeof *v);
	/* The right half's value goes first only when smaller: stable. */
	while (i < h && j < n)
		v[k++] = v[j] < tmp[i] ? v[j++] : tmp[i++];
	while (i < h)
		v[k++] = tmp[i++];
}

/* glibc's qsort is a stable merge sort too, so without NaNs the order,
 * even of 0 against -0, is the one it gave. */
void study_sort(double *v, size_t n)
{
	double *tmp;

	if (n <= 16) {
		merge_sort(v, NULL, n);
	} else if ((tmp = malloc(n / 2 * sizeof *tmp))) {
		merge_sort(v, tmp, n);
		free(tmp);
	} else {
		qsort(v, n, sizeof *v, cmp_double);
	}
}

double study_quantile(const double *v, size_t n, double q)
{
	double pos = q * (double)(n - 1);
	size_t lo = (size_t)pos;

	if (lo + 1 >= n)
		return v[n - 1];
	return v[lo] + (v[lo + 1] - v[lo]) * (pos - (double)lo);
}

void study_group_label(const struct study_set *ss, const struct config *c, char *buf, size_t max)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int a = 0; a < ss->n_keys; a++) {
		enum config_key k = ss->keys[a];
		int len;
		if (k == KEY_SEED)
			continue;
		len = snprintf(buf + n, max - n, "%s%s=", n ? " " : "", config_keys[k].name);
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

/* What a group's statistics need of a complete run. */
struct group_run {
	int64_t solved_epoch;
	double final_loss;
	int diverged;
};

/* A report group as the runs stream by. Its statistics need every
 * complete run's group_run (24 bytes a run, 16 more once sorted for the
 * page): O(group size). Its curve holds the runs' losses on the curve's
 * grid (8 bytes a point) only until the group's last planned run has
 * streamed by. */
struct group {
	char *label;
	uint64_t first;          /* its first run in the plan */
	uint64_t planned, seen;  /* its runs in the plan; those streamed by */
	size_t n, cap;           /* complete runs */
	struct group_run *runs;
	int judged_by_loss;      /* a run's targets are not all 0 or 1 */
	uint64_t stops[TRAIN_STOP_COUNT]; /* complete runs by why they stopped */
	struct curves_acc curve; /* gathering, */
	struct curve cv;         /* then done */
};

/* The groups in the order of their first run, found by label in an
 * open-addressing table: one lookup a run, whatever the sweep's shape. */
struct groups {
	struct group *g;
	int n, cap;
	uint32_t *slot;          /* 1 + group number; 0 empty */
	size_t slots;            /* a power of 2, at least twice n */
};

static void groups_free(struct groups *gs)
{
	for (int k = 0; k < gs->n; k++) {
		free(gs->g[k].label);
		free(gs->g[k].runs);
		curves_acc_free(&gs->g[k].curve);
		curves_clear(&gs->g[k].cv);
	}
	free(gs->g);
	free(gs->slot);
	memset(gs, 0, sizeof *gs);
}

static size_t label_slot(const struct groups *gs, const char *label)
{
	size_t h = (size_t)hash_bytes(label, strlen(label)) & (gs->slots - 1);

	while (gs->slot[h] && strcmp(gs->g[gs->slot[h] - 1].label, label))
		h = (h + 1) & (gs->slots - 1);
	return h;
}

/* Doubles the table. */
static int groups_grow_table(struct groups *gs)
{
	size_t slots = gs->slots ? 2 * gs->slots : 64;
	uint32_t *old = gs->slot;
	size_t old_slots = gs->slots;

	if (!(gs->slot = calloc(slots, sizeof *gs->slot))) {
		gs->slot = old;
		return -1;
	}
	gs->slots = slots;
	for (size_t h = 0; h < old_slots; h++)
		if (old[h])
			gs->slot[label_slot(gs, gs->g[old[h] - 1].label)] = old[h];
	free(old);
	return 0;
}

/* The group labelled label, made (for runs like c) when new; NULL when
 * out of memory. */
static struct group *groups_find(struct groups *gs, const char *label,
				 const struct config *c)
{
	struct group *g;
	size_t h;

	if (2 * ((size_t)gs->n + 1) > gs->slots && groups_grow_table(gs))
		return NULL;
	h = label_slot(gs, label);
	if (gs->slot[h])
		return &gs->g[gs->slot[h] - 1];
	if (gs->n == gs->cap) {
		int cap = gs->cap ? 2 * gs->cap : 16;
		struct group *ng = realloc(gs->g, (size_t)cap * sizeof *ng);
		if (!ng)
			return NULL;
		gs->g = ng;
		gs->cap = cap;
	}
	g = &gs->g[gs->n];
	memset(g, 0, sizeof *g);
	if (!(g->label = strdup(label)))
		return NULL;
	curves_acc_init(&g->curve, c);
	gs->slot[h] = (uint32_t)++gs->n;
	return g;
}

static int group_add(struct group *g, const struct run_outcome *out)
{
	if (g->n == g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 1;
		struct group_run *nr = realloc(g->runs, cap * sizeof *nr);

		if (!nr)
			return -1;
		g->runs = nr;
		g->cap = cap;
	}
	g->judged_by_loss |= out->res.correct < 0;
	g->stops[out->res.stop]++;
	g->runs[g->n++] = (struct group_run){ out->res.solved_epoch, out->res.final_loss,
					      out->res.diverged };
	return 0;
}

/* The study folder, opened once for a pass so that each run's files are
 * opened by the run's id alone (a shorter path to walk); AT_FDCWD when
 * it cannot be opened, and each run is then named by its whole path. */
static int study_open_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	return fd < 0 ? AT_FDCWD : fd;
}

static void study_close_dir(int fd)
{
	if (fd != AT_FDCWD)
		close(fd);
}

/* Run id's folder as results_check_at takes it, relative to dfd. */
static const char *run_folder(char *buf, size_t max, const char *dir, int dfd,
			      const char *id)
{
	if (dfd != AT_FDCWD)
		return id;
	snprintf(buf, max, "%s/%s", dir, id);
	return buf;
}

/* ---- report.html's every-run table and decision-boundary pictures ---- */

/* The page's runs as the pass streams by: the first HTML_MAX_RUNS
 * listed (their ids and values end to end in text, at off), and a few
 * pictures. */
struct page_runs {
	struct html_run *runs;
	uint64_t n_max, n_runs;
	char *text;
	size_t used, cap, (*off)[2];    /* each listed run's id and values */
	struct html_picture pics[2 * HTML_MAX_PICTURE_GROUPS];
	char pic_ids[2 * HTML_MAX_PICTURE_GROUPS][PLAN_ID_MAX];
	int k, none;                    /* pictures; no 2-input task */
	int seen[HTML_MAX_PICTURE_GROUPS][2];
	double *grid;                   /* each picture's HTML_GRID^2 outputs */
	/* each picture's task's rows as (x1, x2, target): a swept task
	 * gives each group its own */
	double *points[2 * HTML_MAX_PICTURE_GROUPS];
};

/* A picture of run id if its network.yaml (net, len bytes, as the pass
 * read it) has 2 inputs: 1, 0 if it has none (a run from before
 * network.yaml) or more inputs, -1 on error. */
static int page_picture(const char *net, size_t len, const char *id, int group,
			int solved, struct page_runs *pr, int k, struct err *e)
{
	struct netfile nf;
	struct err ignored;
	struct task_data *data;
	int rc;

	if (!net || netfile_parse(NETFILE_NAME, net, len, &nf, &ignored))
		return 0;
	if (nf.spec.width[0] != 2) {
		netfile_free(&nf);
		return 0;
	}
	/* A task not built in (rows from a file) is drawn without points. */
	data = data_task_build(nf.task, nf.spec.width[nf.spec.n_layers - 1]);
	rc = predict_grid(&nf, HTML_GRID, pr->grid + (size_t)k * HTML_GRID * HTML_GRID, e);
	if (!rc && data && data->shape.n_rows <= 64 &&
	    (pr->points[k] = malloc(3 * (size_t)data->shape.n_rows * sizeof *pr->points[k]))) {
		for (int r = 0; r < data->shape.n_rows; r++) {
			pr->points[k][3 * r] = data->x[2 * r];
			pr->points[k][3 * r + 1] = data->x[2 * r + 1];
			pr->points[k][3 * r + 2] = data->y[r * data->shape.n_out];
		}
	}
	snprintf(pr->pic_ids[k], sizeof pr->pic_ids[k], "%s", id);
	pr->pics[k] = (struct html_picture){ group, pr->pic_ids[k], solved,
		pr->grid + (size_t)k * HTML_GRID * HTML_GRID,
		pr->points[k] ? data->shape.n_rows : 0, pr->points[k] };
	free(data);
	netfile_free(&nf);
	return rc ? -1 : 1;
}

/* By group, the solved run first. */
static int cmp_picture(const void *a, const void *b)
{
	const struct html_picture *x = a, *y = b;

	return x->group != y->group ? x->group - y->group : y->solved - x->solved;
}

static int page_runs_init(struct page_runs *pr, uint64_t count, struct err *e)
{
	memset(pr, 0, sizeof *pr);
	pr->n_max = count < HTML_MAX_RUNS ? count : HTML_MAX_RUNS;
	pr->runs = calloc((size_t)pr->n_max + 1, sizeof *pr->runs);
	pr->off = calloc((size_t)pr->n_max + 1, sizeof *pr->off);
	pr->grid = malloc(2 * HTML_MAX_PICTURE_GROUPS * (size_t)HTML_GRID * HTML_GRID * sizeof *pr->grid);
	if (!pr->runs || !pr->off || !pr->grid)
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	return 0;
}

/* Appends s and its NUL to the page's text; its offset, or -1. */
static int64_t page_text(struct page_runs *pr, const char *s)
{
	size_t len = strlen(s) + 1, at = pr->used;

	if (pr->used + len > pr->cap) {
		size_t cap = pr->cap ? 2 * pr->cap : 4096;
		char *nt;

		while (cap < pr->used + len)
			cap *= 2;
		if (!(nt = realloc(pr->text, cap)))
			return -1;
		pr->text = nt;
		pr->cap = cap;
	}
	memcpy(pr->text + at, s, len);
	pr->used += len;
	return (int64_t)at;
}

/* Whether a run of group may still be drawn: its network.yaml is then
 * kept as the pass reads it. */
static int page_wants_picture(const struct page_runs *pr, int group)
{
	return !pr->none && group < HTML_MAX_PICTURE_GROUPS &&
	       pr->k < 2 * HTML_MAX_PICTURE_GROUPS &&
	       !(pr->seen[group][0] && pr->seen[group][1]);
}

/* Run i of the pass (out NULL when not complete; net its network.yaml
 * when kept): listed when among the first HTML_MAX_RUNS; drawn when it
 * is the first solved or first unsolved complete run of one of the
 * first groups, for a 2-input task. */
static int page_runs_add(struct page_runs *pr, const struct study_set *p, uint64_t i,
			 const char *id, const struct config *c, int group,
			 enum results_state state, const struct run_outcome *out,
			 const char *net, size_t net_len, struct err *e)
{
	int solved, got;

	if (i < pr->n_max) {
		char v[PLAN_ID_MAX + 256];
		size_t used = 0;
		int64_t at_id = page_text(pr, id), at_v;
		struct html_run *hr = &pr->runs[i];

		v[0] = '\0';
		for (int a = 0; a < p->n_keys && used < 200; a++) {
			char val[128];
			config_format_value(c, p->keys[a], val, sizeof val);
			used += (size_t)snprintf(v + used, sizeof v - used, "%s%s=%s",
						 a ? " " : "", config_keys[p->keys[a]].name, val);
		}
		if (at_id < 0 || (at_v = page_text(pr, v)) < 0)
			return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
		pr->off[i][0] = (size_t)at_id;
		pr->off[i][1] = (size_t)at_v;
		*hr = (struct html_run){ NULL, NULL, HTML_DONE, -1, NAN };
		if (!out) {
			hr->status = state == RESULTS_CONFLICT ? HTML_CONFLICT :
				state == RESULTS_MISSING ? HTML_MISSING : HTML_DAMAGED;
		} else {
			hr->status = out->res.diverged ? HTML_DIVERGED : HTML_DONE;
			hr->solved_epoch = out->res.solved_epoch;
			hr->final_loss = out->res.final_loss;
		}
		pr->n_runs = i + 1;
	}
	if (!out || !page_wants_picture(pr, group))
		return 0;
	solved = out->res.solved_epoch >= 0;
	if (pr->seen[group][solved])
		return 0;
	if ((got = page_picture(net, net_len, id, group, solved, pr, pr->k, e)) < 0)
		return e->code;
	if (got) {
		pr->seen[group][solved] = 1;
		pr->k++;
	} else if (c->n_layers && c->layers[0] != 2) {
		pr->none = 1;   /* not a 2-input task: no pictures */
	}
	return 0;
}

/* Hands the runs and pictures to the page. */
static void page_runs_finish(struct page_runs *pr, struct html_study *hs)
{
	for (uint64_t i = 0; i < pr->n_runs; i++) {
		pr->runs[i].id = pr->text + pr->off[i][0];
		pr->runs[i].values = pr->text + pr->off[i][1];
	}
	qsort(pr->pics, (size_t)pr->k, sizeof pr->pics[0], cmp_picture);
	hs->runs = pr->runs;
	hs->n_runs = pr->n_runs;
	hs->pictures = pr->none ? NULL : pr->pics;
	hs->n_pictures = pr->none ? 0 : pr->k;
}

static void page_runs_free(struct page_runs *pr)
{
	free(pr->runs);
	free(pr->text);
	free(pr->off);
	free(pr->grid);
	for (int k = 0; k < 2 * HTML_MAX_PICTURE_GROUPS; k++)
		free(pr->points[k]);
}

/* What a run's check hands over as it reads the run's files once: its
 * loss.csv to its group's curve, its metrics.csv's text, and its
 * network.yaml when the page may draw the run. */
struct run_files {
	struct group *g;
	struct curves_feed feed;
	const char *loss_path;
	struct err *e;
	char metrics[1024];
	size_t metrics_len;
	int want_net;
	char *net;
	size_t net_len, net_cap;
};

static void keep_net(struct run_files *rf, const char *bytes, size_t len)
{
	if (rf->net_len + len > rf->net_cap) {
		size_t cap = rf->net_cap ? 2 * rf->net_cap : 4096;
		char *n;

		while (cap < rf->net_len + len)
			cap *= 2;
		if (!(n = realloc(rf->net, cap))) {
			/* Not drawn, then: the page does without it. */
			free(rf->net);
			rf->net = NULL;
			rf->want_net = 0;
			return;
		}
		rf->net = n;
		rf->net_cap = cap;
	}
	memcpy(rf->net + rf->net_len, bytes, len);
	rf->net_len += len;
}

static void on_run_file(void *ctx, const char *file, const char *bytes, size_t len)
{
	struct run_files *rf = ctx;

	if (strcmp(file, "loss.csv") == 0) {
		curves_acc_feed(&rf->g->curve, rf->loss_path, bytes, len, rf->e);
	} else if (strcmp(file, "metrics.csv") == 0) {
		size_t room = sizeof rf->metrics - 1 - rf->metrics_len;
		memcpy(rf->metrics + rf->metrics_len, bytes, len < room ? len : room);
		rf->metrics_len += len < room ? len : room;
		rf->metrics[rf->metrics_len] = '\0';
	} else if (rf->want_net && strcmp(file, NETFILE_NAME) == 0) {
		keep_net(rf, bytes, len);
	}
}

/* The study's report from its groups: their statistics (report_group
 * with its sorted values, for the page's plots) and their curves. */
struct report_data {
	struct report_group *rg;
	struct curve *cv;
	double *sorted;          /* every group's sorted values, end to end */
};

static void report_data_free(struct report_data *rd, int n_groups)
{
	free(rd->rg);
	curves_free(rd->cv, n_groups);
	free(rd->sorted);
}

/* Turns the groups' values into statistics and curves (freeing the
 * values). The bootstrap's scratch is sized by the largest group. */
static int report_data_make(struct groups *gs, struct report_data *rd, struct err *e)
{
	size_t total = 0, largest = 0, used = 0;
	struct stats_draws draws = { 0 };
	double *scratch, *losses;
	int64_t *epochs;
	int *diverged;
	int rc = 0;

	for (int k = 0; k < gs->n; k++) {
		total += gs->g[k].n;
		largest = gs->g[k].n > largest ? gs->g[k].n : largest;
	}
	rd->rg = calloc((size_t)gs->n + 1, sizeof *rd->rg);
	rd->cv = calloc((size_t)gs->n + 1, sizeof *rd->cv);
	rd->sorted = malloc((2 * total + 1) * sizeof *rd->sorted);
	scratch = malloc((4 * largest + 2 * STATS_RESAMPLES + 1) * sizeof *scratch);
	epochs = malloc((largest + 1) * sizeof *epochs);
	diverged = malloc((largest + 1) * sizeof *diverged);
	if (!rd->rg || !rd->cv || !rd->sorted || !scratch || !epochs || !diverged) {
		free(scratch);
		free(epochs);
		free(diverged);
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	}
	losses = scratch + 3 * largest + 2 * STATS_RESAMPLES;
	for (int k = 0; k < gs->n && !rc; k++) {
		struct group *g = &gs->g[k];
		struct report_group *r = &rd->rg[k];
		double *solved = rd->sorted + used, *sorted_losses;
		size_t ns = 0;

		for (size_t i = 0; i < g->n; i++) {
			epochs[i] = g->runs[i].solved_epoch;
			losses[i] = g->runs[i].final_loss;
			diverged[i] = g->runs[i].diverged;
		}
		free(g->runs);   /* copied out: the statistics' peak is lower */
		g->runs = NULL;
		r->label = g->label;
		r->judged_by_loss = g->judged_by_loss;
		memcpy(r->stops, g->stops, sizeof r->stops);
		stats_group(&r->st, g->n, epochs, losses, diverged, scratch, &draws);
		r->solved_epochs = solved;
		for (size_t i = 0; i < g->n; i++)
			if (epochs[i] >= 0)
				solved[ns++] = (double)epochs[i];
		study_sort(solved, ns);
		used += ns;
		sorted_losses = rd->sorted + used;
		r->final_losses = sorted_losses;
		for (size_t i = 0; i < g->n; i++)
			sorted_losses[i] = isnan(losses[i]) ? INFINITY : losses[i];
		used += g->n;
		study_sort(sorted_losses, g->n);
		rd->cv[k] = g->cv;
		memset(&g->cv, 0, sizeof g->cv);
	}
	stats_draws_free(&draws);
	free(scratch);
	free(epochs);
	free(diverged);
	return rc;
}

/* report.html: the study, its report and its curves on one page. */
static int write_html(const char *dir, struct html_study *hs, struct err *e)
{
	struct results_stream t;
	char path[PATH_MAX], name[PATH_MAX], *yaml = NULL;
	const char *slash;
	size_t len, dlen = strlen(dir);
	int rc;

	while (dlen > 1 && dir[dlen - 1] == '/')
		dlen--;
	snprintf(name, sizeof name, "%.*s", (int)dlen, dir);
	slash = strrchr(name, '/');
	hs->name = slash ? slash + 1 : name;
	snprintf(path, sizeof path, "%s/study.yaml", dir);
	if ((rc = read_whole(path, &yaml, &len)))
		return err_set(e, NN_ERUN, path, 0, 0, "cannot read: %s", strerror(rc));
	hs->study_yaml = yaml;
	snprintf(path, sizeof path, "%s/report.html", dir);
	if (!(rc = results_stream_open(&t, path, e))) {
		html_write(t.f, hs);
		rc = results_stream_close(&t, 0, e);
	}
	free(yaml);
	return rc;
}

static void summary_header(FILE *f, const struct study_set *p)
{
	fprintf(f, "index,run_id");
	for (int a = 0; a < p->n_keys; a++)
		fprintf(f, ",%s", config_keys[p->keys[a]].name);
	fprintf(f, ",status,epochs_run,final_loss,correct,rows,accuracy,solved_epoch,diverged,stop_reason,seconds\n");
}

/* summary.csv's row of run i (complete when out is not NULL). */
static void summary_row(FILE *f, const struct study_set *p, uint64_t i, const char *id,
			const struct config *c, enum results_state state,
			const struct run_outcome *out)
{
	char v[1024];

	fprintf(f, "%" PRIu64 ",%s", i, id);
	for (int a = 0; a < p->n_keys; a++) {
		config_format_value(c, p->keys[a], v, sizeof v);
		fputc(',', f);
		csv_put_field(f, v);
	}
	if (!out) {
		fprintf(f, ",%s,,,,,,,,,\n", state == RESULTS_CONFLICT ? "conflict" :
			state == RESULTS_MISSING ? "missing" : "damaged");
		return;
	}
	fmt_double(v, out->res.final_loss);
	fprintf(f, ",%s,%" PRIu64 ",%s,", out->res.diverged ? "diverged" : "done",
		out->res.epochs_run, v);
	/* Targets not all 0 or 1: no row is right or wrong. */
	if (out->res.correct < 0)
		fprintf(f, "n/a,%d,n/a,n/a", task_rows(c));
	else
		fprintf(f, "%d,%d,%.2f,%" PRId64, out->res.correct, task_rows(c),
			out->res.correct / (double)task_rows(c), out->res.solved_epoch);
	fprintf(f, ",%d,%s,%.6f\n", out->res.diverged, train_stop_names[out->res.stop],
		out->seconds);
}

/* summarize_run's second half, once the run's files are read. */
static int summarize_outcome(const struct study_set *p, uint64_t i, const char *id,
			     const struct config *c, struct groups *gs, struct run_files *rf,
			     enum results_state state, FILE *sum, struct html_study *hs,
			     struct page_runs *pr, uint64_t *missing, struct err *e)
{
	struct run_outcome out;
	int rc, complete, group = (int)(rf->g - gs->g);

	if ((rc = curves_acc_end(&rf->g->curve, state == RESULTS_COMPLETE, rf->loss_path, e)) ||
	    (++rf->g->seen == rf->g->planned &&
	     (rc = curves_acc_finish(&rf->g->curve, rf->g->label, &rf->g->cv, e))))
		return rc;
	complete = state == RESULTS_COMPLETE && run_parse_metrics(rf->metrics, &out) == 0;
	if (!complete) {
		(*missing)++;
		if (sum)
			summary_row(sum, p, i, id, c, state, NULL);
		return pr ? page_runs_add(pr, p, i, id, c, group, state, NULL, NULL, 0, e) : 0;
	}
	if (group_add(rf->g, &out))
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	if (!sum)
		return 0;
	hs->complete++;
	hs->done += !out.res.diverged;
	hs->diverged += out.res.diverged != 0;
	hs->seconds += out.seconds;
	summary_row(sum, p, i, id, c, state, &out);
	return page_runs_add(pr, p, i, id, c, group, state, &out, rf->net, rf->net_len, e);
}

/* One run of the pass: checked, its files read once (loss.csv into its
 * group's curve, metrics.csv into out), its summary row written (sum,
 * hs and pr NULL: the groups alone). */
static int summarize_run(const struct study_set *p, const char *dir, int dfd, uint64_t i,
			 struct groups *gs, FILE *sum, struct html_study *hs,
			 struct page_runs *pr, uint64_t *missing, struct err *e)
{
	char id[PLAN_ID_MAX], text[RUN_CONFIG_MAX], label[STUDY_LABEL_MAX];
	char why[RESULTS_WHY_MAX], loss_path[PATH_MAX], run[PATH_MAX];
	struct run_files rf = { .e = e, .loss_path = loss_path };
	struct results_reader rd = { on_run_file, &rf };
	enum results_state state;
	struct config c;
	int rc;

	if ((rc = study_set_config(p, i, &c, e)))
		return rc;
	plan_run_id(&c, id);
	run_config_text(&c, text, sizeof text);
	study_group_label(p, &c, label, sizeof label);
	if (!(rf.g = groups_find(gs, label, &c)) || curves_acc_begin(&rf.g->curve, &rf.feed, e))
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	snprintf(loss_path, sizeof loss_path, "%s/%s/loss.csv", dir, id);
	rf.want_net = pr && page_wants_picture(pr, (int)(rf.g - gs->g));
	state = results_check_at(dfd, run_folder(run, sizeof run, dir, dfd, id), text, &rd,
				 why, sizeof why);
	rc = summarize_outcome(p, i, id, &c, gs, &rf, state, sum, hs, pr, missing, e);
	free(rf.net);
	return rc;
}

/* Counts every group's planned runs (no file is read), so that each
 * curve is done as soon as its group's last run has streamed by. */
static int count_groups(const struct study_set *p, struct groups *gs, struct err *e)
{
	for (uint64_t i = 0; i < p->count; i++) {
		char label[STUDY_LABEL_MAX];
		struct group *g;
		struct config c;
		int rc;

		if ((rc = study_set_config(p, i, &c, e)))
			return rc;
		study_group_label(p, &c, label, sizeof label);
		if (!(g = groups_find(gs, label, &c)))
			return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
		if (!g->planned++)
			g->first = i;
	}
	for (int k = 0; k < gs->n; k++)
		curves_acc_plan(&gs->g[k].curve, gs->g[k].planned);
	return 0;
}

/* Streams the runs once, in plan order: each run's files are read once,
 * its summary row goes straight to summary.csv, and its group (found by
 * hashing its label) gathers what the statistics and curves need. Time
 * O(runs); memory O(groups) beside the groups' values. */
#define SUMMARY_INCOMPLETE (-1)   /* summarize's stop at a run not complete */

static int study_pass(const struct study_set *p, const char *dir, struct groups *gs, FILE *sum,
		      struct html_study *hs, struct page_runs *pr, uint64_t *missing,
		      int stop_at_missing, struct err *e)
{
	int rc = count_groups(p, gs, e), dfd = study_open_dir(dir);

	for (uint64_t i = 0; i < p->count && !rc; i++)
		if (!(rc = summarize_run(p, dir, dfd, i, gs, sum, hs, pr, missing, e)) &&
		    stop_at_missing && *missing)
			rc = SUMMARY_INCOMPLETE;
	study_close_dir(dfd);
	return rc;
}

struct study_groups_data {
	struct groups gs;
	struct report_data rd;
	uint64_t *first;
};

int study_groups_make(const struct study_set *p, const char *dir, struct study_groups *sg,
		      struct err *e)
{
	struct study_groups_data *d = calloc(1, sizeof *d);
	uint64_t missing = 0;
	int rc;

	memset(sg, 0, sizeof *sg);
	if (!d)
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	sg->data = d;
	if ((rc = study_pass(p, dir, &d->gs, NULL, NULL, NULL, &missing, 0, e)) ||
	    (rc = report_data_make(&d->gs, &d->rd, e)))
		goto fail;
	if (!(d->first = malloc(((size_t)d->gs.n + 1) * sizeof *d->first))) {
		rc = err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
		goto fail;
	}
	for (int k = 0; k < d->gs.n; k++)
		d->first[k] = d->gs.g[k].first;
	sg->n = d->gs.n;
	sg->rg = d->rd.rg;
	sg->cv = d->rd.cv;
	sg->first = d->first;
	return 0;
fail:
	study_groups_free(sg);
	return rc;
}

void study_groups_free(struct study_groups *sg)
{
	struct study_groups_data *d = sg->data;

	if (d) {
		report_data_free(&d->rd, d->gs.n);
		groups_free(&d->gs);
		free(d->first);
		free(d);
	}
	memset(sg, 0, sizeof *sg);
}

static int summarize(const struct study_set *p, const char *dir, FILE *table_out,
		     uint64_t *missing, int stop_at_missing, struct err *e)
{
	struct results_stream sum, rep;
	struct groups gs = { 0 };
	struct report_data rd = { 0 };
	struct html_study hs = { 0 };
	struct page_runs pr;
	char path[PATH_MAX];
	int rc;

	snprintf(path, sizeof path, "%s/summary.csv", dir);
	if ((rc = page_runs_init(&pr, p->count, e)) ||
	    (rc = results_stream_open(&sum, path, e))) {
		page_runs_free(&pr);
		return rc;
	}
	summary_header(sum.f, p);
	rc = study_pass(p, dir, &gs, sum.f, &hs, &pr, missing, stop_at_missing, e);
	if (!rc)
		rc = report_data_make(&gs, &rd, e);
	snprintf(path, sizeof path, "%s/report.csv", dir);
	if (!rc && !(rc = results_stream_open(&rep, path, e))) {
		report_csv(rep.f, rd.rg, gs.n);
		if (table_out)
			report_table(table_out, rd.rg, gs.n);
		hs.planned = p->count;
		hs.n_groups = gs.n;
		hs.groups = rd.rg;
		hs.curves = rd.cv;
		page_runs_finish(&pr, &hs);
		rc = write_html(dir, &hs, e);
		rc = results_stream_close(&sum, rc, e);
		rc = results_stream_close(&rep, rc, e);
	} else {
		results_stream_close(&sum, rc, e);
	}
	report_data_free(&rd, gs.n);
	groups_free(&gs);
	page_runs_free(&pr);
	return rc;
}

/* ---- the runs of every recorded plan ---- */

void study_set_free(struct study_set *ss)
{
	for (int i = 0; i < ss->n_plans; i++)
		config_free_study(&ss->studies[i]);
	free(ss->studies);
	free(ss->plans);
	free(ss->runs);
	memset(ss, 0, sizeof *ss);
}

int study_set_config(const struct study_set *ss, uint64_t i, struct config *c,
		     struct err *e)
{
	if (!ss->runs)
		return plan_config(&ss->plans[0], i, c, e);
	return plan_config(&ss->plans[ss->runs[i].plan], ss->runs[i].index, c, e);
}

static uint64_t hash_id(const char *id)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *id; id++) {
		h ^= (unsigned char)*id;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Lists every plan's runs once each, by run id, in plan order. */
static int union_runs(struct study_set *ss, struct err *e)
{
	uint64_t total = 0, slots = 1;
	uint64_t *table;   /* open addressing: 1 + position in ss->runs, 0 empty */
	int rc = 0;

	for (int p = 0; p < ss->n_plans; p++)
		total += ss->plans[p].count;
	while (slots < 2 * total)
		slots <<= 1;
	ss->runs = malloc((size_t)total * sizeof *ss->runs);
	table = calloc((size_t)slots, sizeof *table);
	if (!ss->runs || !table) {
		free(table);
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	}
	ss->count = 0;
	for (int p = 0; p < ss->n_plans && !rc; p++) {
		for (uint64_t i = 0; i < ss->plans[p].count && !rc; i++) {
			char id[PLAN_ID_MAX], other[PLAN_ID_MAX];
			struct config c;
			uint64_t h;

			if ((rc = plan_config(&ss->plans[p], i, &c, e)))
				break;
			plan_run_id(&c, id);
			for (h = hash_id(id) & (slots - 1); table[h]; h = (h + 1) & (slots - 1)) {
				if ((rc = study_set_config(ss, table[h] - 1, &c, e)))
					break;
				plan_run_id(&c, other);
				if (strcmp(id, other) == 0)
					break;
			}
			if (rc || table[h])
				continue;
			ss->runs[ss->count].plan = (uint32_t)p;
			ss->runs[ss->count].index = i;
			table[h] = ++ss->count;
		}
	}
	free(table);
	return rc;
}

/* The keys that tell runs apart: one plan's swept keys in its order;
 * over several plans, every key swept in one or set differently in two,
 * in the table's order. */
static void varying_keys(struct study_set *ss)
{
	ss->n_keys = 0;
	if (ss->n_plans == 1) {
		for (int a = 0; a < ss->studies[0].n_axes; a++)
			ss->keys[ss->n_keys++] = ss->studies[0].axes[a].key;
		return;
	}
	for (int k = 0; k < KEY_COUNT; k++) {
		char first[1024], v[1024];
		int varies = 0;

		if (k == KEY_NAME || (config_keys[k].flags & CONFIG_STUDY))
			continue;
		config_format_value(&ss->studies[0].base, (enum config_key)k, first, sizeof first);
		for (int p = 0; p < ss->n_plans && !varies; p++) {
			config_format_value(&ss->studies[p].base, (enum config_key)k, v, sizeof v);
			varies = strcmp(v, first) != 0;
			for (int a = 0; a < ss->studies[p].n_axes; a++)
				varies |= ss->studies[p].axes[a].key == (enum config_key)k;
		}
		if (varies)
			ss->keys[ss->n_keys++] = (enum config_key)k;
	}
}

int study_set_load(struct study_set *ss, const char *dir, struct err *e)
{
	struct record r;
	char label[PATH_MAX];
	int found, rc;

	memset(ss, 0, sizeof *ss);
	if ((rc = record_read(&r, dir, &found, e)))
		return rc;
	if (!found)
		return not_a_study(dir, ENOENT, e);
	snprintf(label, sizeof label, "%s/study.yaml", dir);
	ss->studies = calloc((size_t)r.n_plans, sizeof *ss->studies);
	ss->plans = calloc((size_t)r.n_plans, sizeof *ss->plans);
	if (!ss->studies || !ss->plans)
		rc = err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	for (int i = 0; i < r.n_plans && !rc; i++) {
		rc = config_load_buffer(&ss->studies[i], label, r.plans[i], strlen(r.plans[i]), e);
		ss->n_plans++;
		if (!rc)
			rc = plan_build(&ss->plans[i], &ss->studies[i], e);
	}
	record_free(&r);
	if (!rc && ss->n_plans == 0)
		rc = err_set(e, NN_EUSAGE, label, 0, 0, "records no plan");
	if (!rc && ss->n_plans == 1)
		ss->count = ss->plans[0].count;
	else if (!rc)
		rc = union_runs(ss, e);
	if (!rc)
		varying_keys(ss);
	if (rc)
		study_set_free(ss);
	return rc;
}

/* Reading study.yaml and the runs and writing the summary happen under
 * the study's lock: with several nnrun on one folder, the last to write
 * has read last, so it never replaces a summary with an older view. */
static int report_locked(const char *dir, FILE *table_out, uint64_t *missing,
			 int stop_at_missing, struct err *e)
{
	struct study_set ss;
	int lock = results_lock_dir(dir);
	int rc = study_set_load(&ss, dir, e);

	*missing = 0;
	if (!rc)
		rc = summarize(&ss, dir, table_out, missing, stop_at_missing, e);
	study_set_free(&ss);
	results_unlock_dir(lock);
	return rc;
}

int study_report(const char *dir, FILE *table_out, uint64_t *missing,
		 struct err *e)
{
	return report_locked(dir, table_out, missing, 0, e);
}

int study_report_if_complete(const char *dir, FILE *table_out, int *complete,
			     struct err *e)
{
	uint64_t missing;
	int rc = report_locked(dir, table_out, &missing, 1, e);

	*complete = rc == 0;
	return rc == SUMMARY_INCOMPLETE ? 0 : rc;
}
