/* main.c: nnrun's entry: command line -> config -> plan -> runs -> summary; the only place that prints errors. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "compare.h"
#include "config.h"
#include "data.h"
#include "csv.h"
#include "curves.h"
#include "exec.h"
#include "plan.h"
#include "predict.h"
#include "results.h"
#include "study.h"
#include "verify.h"

static int fail(const struct err *e)
{
	err_print(e, stderr);
	return e->code;
}

static int print_plan(const struct plan *p, const struct plan_sel *sel, struct err *e)
{
	for (uint64_t k = 0; k < sel->n; k++) {
		uint64_t i = plan_sel_index(sel, k);
		char id[PLAN_ID_MAX], desc[1024];
		struct config c;
		if (plan_config(p, i, &c, e))
			return e->code;
		plan_run_id(&c, id);
		plan_describe(p, &c, desc, sizeof desc);
		printf("%" PRIu64 "\t%s\t%s\n", i, id, desc);
	}
	return 0;
}

/* The largest epochs and the smallest log_every any run of s has. */
static void log_extremes(const struct study *s, uint64_t *epochs, uint64_t *every)
{
	*epochs = s->base.epochs;
	*every = s->base.log_every;
	for (int a = 0; a < s->n_axes; a++) {
		const struct sweep_axis *ax = &s->axes[a];
		for (int i = 0; i < (ax->kind == SWEEP_LIST ? ax->n : 2); i++) {
			uint64_t v;

			if (ax->key != KEY_EPOCHS && ax->key != KEY_LOG_EVERY)
				break;
			if (ax->kind == SWEEP_RANGE)
				v = i ? ax->to : ax->from;
			else if (ax->kind == SWEEP_RANDOM)
				v = config_value_uint(ax->key, i ? &ax->hi : &ax->lo);
			else
				v = config_value_uint(ax->key, &ax->values[i]);
			if (ax->key == KEY_EPOCHS && v > *epochs)
				*epochs = v;
			if (ax->key == KEY_LOG_EVERY && v < *every)
				*every = v;
		}
	}
}

/* A run's loss.csv over a gigabyte is more often a log_every forgotten
 * than wanted: say so before it is written, and go on. */
static void warn_log_size(const struct study *s)
{
	uint64_t epochs, every, bytes, better;

	log_extremes(s, &epochs, &every);
	bytes = csv_loss_size(epochs, every);
	if (bytes <= 1000000000ULL)
		return;
	for (better = 10; better < epochs && csv_loss_size(epochs, better) > 100000000ULL; better *= 10)
		;
	fprintf(stderr, "nnrun: warning: a run's loss.csv will take about %.1f GB (%" PRIu64
		" epochs, log_every %" PRIu64 "); log_every=%" PRIu64 " would keep it to %.1f MB\n",
		(double)bytes / 1e9, epochs, every, better, (double)csv_loss_size(epochs, better) / 1e6);
}

/* The runs this invocation owns: all, one (--index) or a shard, as a
 * stride over the plan: nothing in proportion to the plan is made. */
static int select_runs(const struct plan *p, const struct cli *cl,
		       struct plan_sel *sel, struct err *e)
{
	*sel = (struct plan_sel){ 0, 1, p->count };
	if (cl->index >= 0) {
		if ((uint64_t)cl->index >= p->count)
			return err_set(e, NN_EUSAGE, NULL, 0, 0, "--index %" PRId64 " is out of range: the plan has %" PRIu64 " run%s (0..%" PRIu64 ")",
				       cl->index, p->count, p->count == 1 ? "" : "s", p->count - 1);
		*sel = (struct plan_sel){ (uint64_t)cl->index, 1, 1 };
	} else if (cl->shard_n) {
		*sel = (struct plan_sel){ cl->shard_i, cl->shard_n,
			p->count > cl->shard_i ? (p->count - cl->shard_i + cl->shard_n - 1) / cl->shard_n : 0 };
	}
	return 0;
}

/* A whole study rerun with every run complete already: the one pass
 * that rebuilds the summary also finds that out, so no run's files are
 * read twice. The runs are told as exec_runs tells them, then the table
 * (to table unless NULL). *complete 0: nothing was written or told. */
static int rerun_complete(const struct plan *p, const struct plan_sel *sel,
			  const struct exec_opts *eo, FILE *table, struct exec_stats *st,
			  int *complete, struct err *e)
{
	struct results_text t;
	int rc, bad;

	/* Fewer folders than runs: not complete, and the pass would read
	 * every run before the first missing one for nothing. */
	*complete = 0;
	if (results_count_folders(eo->study_dir) < p->count)
		return 0;
	if (results_text_open(&t, e))
		return e->code;
	rc = study_report_if_complete(eo->study_dir, table ? t.f : NULL, complete, e);
	bad = ferror(t.f);
	if ((fclose(t.f) || bad) && !rc)
		rc = err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	if (!rc && *complete) {
		exec_skipped(p, sel, eo, st);
		if (table)
			fwrite(t.buf, 1, t.len, table);
	}
	free(t.buf);
	return rc;
}

/* Returns an error (e set; a failed run is one, its cause printed as it
 * happened), or 0 with *status 0, or 128+signal when stopped. The whole
 * study is checked before anything is written, and its summary rebuilt
 * after; --index and --shard check, run and touch only their own runs
 * (`nnrun report` rebuilds the summary once they all ran). */
static int run_study(const struct cli *cl, struct study *s, int *status,
		     struct err *e)
{
	struct exec_opts eo = { 0 };
	struct exec_stats st;
	struct plan p;
	struct plan_sel sel;
	char dir[PATH_MAX], redone[64] = "", *file_text = NULL, *plan_text = NULL;
	uint64_t missing;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int rc, whole, complete = 0;

	/* The file's own study, before the arguments: what a folder's
	 * study.yaml must match. */
	if (!cl->count && !cl->dry_run && !(file_text = study_text(s, e)))
		return e->code;
	for (int i = 0; i < cl->n_args; i++)
		if (config_apply_arg(s, cl->args[i], e))
			goto fail;
	if (plan_count(&p, s, e) || select_runs(&p, cl, &sel, e) ||
	    plan_check(&p, &sel, e))
		goto fail;
	whole = cl->index < 0 && !cl->shard_n;
	if (cl->count) {
		printf("%" PRIu64 "\n", sel.n);
		return 0;
	}
	if (!cl->quiet)
		warn_log_size(s);
	if (cl->dry_run)
		return print_plan(&p, &sel, e);
	/* Everything was checked: only now is anything written. */
	if (!(plan_text = study_text(s, e)) ||
	    results_study_dir(cl->results, s->base.name, dir, sizeof dir, e) ||
	    study_record(dir, cl->config, file_text, plan_text, cl->force, e))
		goto fail;
	free(file_text);
	free(plan_text);
	if (whole)
		results_clean_stale(dir);
	eo.jobs = cl->jobs ? cl->jobs : (cores > 0 ? (int)cores : 1);
	eo.force = cl->force;
	eo.quiet = cl->quiet;
	eo.verbose = !cl->quiet && p.count == 1;
	eo.whole = whole;
	eo.study_dir = dir;
	if (whole && !cl->force && p.count > 1 &&
	    (rc = rerun_complete(&p, &sel, &eo, cl->quiet ? NULL : stdout, &st, &complete, e)))
		return rc;
	if (!complete && (rc = exec_runs(&p, &sel, &eo, &st, e)))
		return rc;
	if (st.signal) {
		if (!cl->quiet && sel.n > 1)
			fprintf(stderr, "stopped by %s: %" PRIu64 " of %" PRIu64 " runs done; rerun to finish\n",
				st.signal == SIGINT ? "SIGINT" : "SIGTERM", st.done + st.diverged + st.skipped, sel.n);
		*status = 128 + st.signal;
		return 0;
	}
	if (whole && !complete &&
	    study_report(dir, cl->quiet || p.count == 1 ? NULL : stdout, &missing, e))
		return e->code;
	if (st.redone)
		snprintf(redone, sizeof redone, ", %" PRIu64 " redone (found damaged)", st.redone);
	if (!cl->quiet && p.count > 1)
		fprintf(stderr, "%" PRIu64 " run%s: %" PRIu64 " done, %" PRIu64 " complete already, %" PRIu64
			" diverged, %" PRIu64 " failed%s; results in %s\n",
			sel.n, sel.n == 1 ? "" : "s", st.done, st.skipped, st.diverged, st.failed, redone, dir);
	if (st.failed)
		return err_set(e, NN_ERUN, NULL, 0, 0, "%" PRIu64 " of %" PRIu64 " runs failed; rerun to retry them",
			       st.failed, sel.n);
	if (st.bad_workers)
		return err_set(e, NN_ERUN, NULL, 0, 0, "%d worker process%s ended abnormally (status %d)",
			       st.bad_workers, st.bad_workers == 1 ? "" : "es", st.bad_status);
	return 0;
fail:
	free(file_text);
	free(plan_text);
	return e->code;
}

/* `report`, `curves` and `verify` take a study folder, or a config (with
 * its KEY=VALUE arguments and -o) naming one, as a Slurm summary job has.
 * verify sets *status to 1 when a run is damaged. */
static int report_command(const struct cli *cl, int *status, struct err *e)
{
	struct verify_counts vc;
	FILE *out = cl->quiet ? NULL : stdout;
	uint64_t missing;
	char dir[PATH_MAX];
	struct study s;
	struct stat sb;
	int rc;

	if (stat(cl->config, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		if (cl->n_args)
			return err_set(e, NN_EUSAGE, NULL, 0, 0, "KEY=VALUE arguments go with a config, not a results folder");
		snprintf(dir, sizeof dir, "%s", cl->config);
	} else {
		rc = config_load(&s, cl->config, e);
		for (int i = 0; !rc && i < cl->n_args; i++)
			rc = config_apply_arg(&s, cl->args[i], e);
		if (!rc && results_join(dir, sizeof dir, cl->results, s.base.name))
			rc = err_set(e, NN_EUSAGE, NULL, 0, 0, "the results path is too long");
		config_free_study(&s);
		if (rc)
			return rc;
		if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
			return err_set(e, NN_EUSAGE, dir, 0, 0, "no results here: run the study first");
	}
	if (cl->verify) {
		rc = verify_study(dir, stdout, &vc, e);
		*status = !rc && vc.damaged ? NN_ERUN : 0;
		return rc;
	}
	if (!cl->report)
		return curves_write(dir, out, e);
	/* Runs stopped for good (a cancelled cluster job) left temporaries. */
	results_clean_stale(dir);
	if (study_report(dir, out, &missing, e))
		return e->code;
	if (missing)
		return err_set(e, NN_ERUN, dir, 0, 0, "%" PRIu64 " planned run%s missing or damaged: run the study again (or its missing --index runs) to finish %s",
			       missing, missing == 1 ? " is" : "s are", missing == 1 ? "it" : "them");
	return 0;
}

static int dispatch(int argc, char **argv, struct err *e)
{
	struct study s;
	struct cli cl;
	int rc, status = 0;

	if (cli_parse(argc, argv, &cl, e))
		return fail(e);
	if (cl.help) {
		cli_help(stdout);
		return 0;
	}
	if (cl.keys) {
		cli_keys(stdout);
		return 0;
	}
	if (cl.version) {
		printf("nnrun %s\n", NNRUN_VERSION);
		return 0;
	}
	if (cl.compare)
		return compare_study(cl.config, cl.compare_key, cl.baseline,
				     cl.quiet ? NULL : stdout, e) ? fail(e) : 0;
	if (cl.predict)
		return predict_write(cl.config, cl.predict_input, cl.grid, stdout, e) ? fail(e) : 0;
	if (cl.report || cl.curves || cl.verify)
		return report_command(&cl, &status, e) ? fail(e) : status;
	if (!(rc = config_load(&s, cl.config, e)))
		rc = run_study(&cl, &s, &status, e);
	config_free_study(&s);
	return rc ? fail(e) : status;
}

int main(int argc, char **argv)
{
	struct err e;
	int status = dispatch(argc, argv, &e);

	data_close_all();

	/* What was printed but could not be written (a full disk, a closed
	 * pipe's reader gone) is a failure, not a silent success. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		int saved = errno;
		err_set(&e, NN_ERUN, NULL, 0, 0, "cannot write the output: %s",
			strerror(saved ? saved : EIO));
		err_print(&e, stderr);
		if (status == 0)
			status = e.code;
	}
	return status;
}
