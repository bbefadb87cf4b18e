/* main.c: nnrun's entry: command line -> config -> plan -> runs -> summary; the only place that prints errors. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "curves.h"
#include "exec.h"
#include "plan.h"
#include "results.h"
#include "study.h"

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
	char dir[PATH_MAX];
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int rc, whole;

	for (int i = 0; i < cl->n_args; i++)
		if (config_apply_arg(s, cl->args[i], e))
			return e->code;
	if (plan_count(&p, s, e) || select_runs(&p, cl, &sel, e) ||
	    plan_check(&p, &sel, e))
		return e->code;
	whole = cl->index < 0 && !cl->shard_n;
	if (cl->count) {
		printf("%" PRIu64 "\n", sel.n);
		return 0;
	}
	if (cl->dry_run)
		return print_plan(&p, &sel, e);
	/* Everything was checked: only now is anything written. */
	if (results_study_dir(cl->results, s->base.name, dir, sizeof dir, e) ||
	    study_write(s, dir, e))
		return e->code;
	if (whole)
		results_clean_stale(dir);
	eo.jobs = cl->jobs ? cl->jobs : (cores > 0 ? (int)cores : 1);
	eo.force = cl->force;
	eo.quiet = cl->quiet;
	eo.verbose = !cl->quiet && p.count == 1;
	eo.whole = whole;
	eo.study_dir = dir;
	if ((rc = exec_runs(&p, &sel, &eo, &st, e)))
		return rc;
	if (st.signal) {
		*status = 128 + st.signal;
		return 0;
	}
	if (whole && study_summarize(&p, dir, cl->quiet || p.count == 1 ? NULL : stdout, e))
		return e->code;
	if (!cl->quiet && p.count > 1)
		fprintf(stderr, "%" PRIu64 " runs: %" PRIu64 " done, %" PRIu64 " complete already, %" PRIu64
			" diverged, %" PRIu64 " failed; results in %s\n",
			sel.n, st.done, st.skipped, st.diverged, st.failed, dir);
	if (st.failed)
		return err_set(e, NN_ERUN, NULL, 0, 0, "%" PRIu64 " of %" PRIu64 " runs failed; rerun to retry them",
			       st.failed, sel.n);
	if (st.bad_workers)
		return err_set(e, NN_ERUN, NULL, 0, 0, "%d worker process%s ended abnormally (status %d)",
			       st.bad_workers, st.bad_workers == 1 ? "" : "es", st.bad_status);
	return 0;
}

/* `report` and `curves` take a study folder, or a config (with its
 * KEY=VALUE arguments and -o) naming one, as a Slurm summary job has. */
static int report_command(const struct cli *cl, struct err *e)
{
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
		if (!rc && (size_t)snprintf(dir, sizeof dir, "%s/%s", cl->results, s.base.name) >= sizeof dir)
			rc = err_set(e, NN_EUSAGE, NULL, 0, 0, "the results path is too long");
		config_free_study(&s);
		if (rc)
			return rc;
		if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
			return err_set(e, NN_EUSAGE, dir, 0, 0, "no results here: run the study first");
	}
	if (!cl->report)
		return curves_write(dir, out, e);
	/* Runs stopped for good (a cancelled cluster job) left temporaries. */
	results_clean_stale(dir);
	if (study_report(dir, out, &missing, e))
		return e->code;
	if (missing)
		return err_set(e, NN_ERUN, dir, 0, 0, "%" PRIu64 " planned run%s missing: run the study again (or its missing --index runs) to finish %s",
			       missing, missing == 1 ? " is" : "s are", missing == 1 ? "it" : "them");
	return 0;
}

int main(int argc, char **argv)
{
	struct study s;
	struct cli cl;
	struct err e;
	int rc, status = 0;

	if (cli_parse(argc, argv, &cl, &e))
		return fail(&e);
	if (cl.help) {
		cli_help(stdout);
		return 0;
	}
	if (cl.version) {
		printf("nnrun %s\n", NNRUN_VERSION);
		return 0;
	}
	if (cl.report || cl.curves)
		return report_command(&cl, &e) ? fail(&e) : 0;
	if (!(rc = config_load(&s, cl.config, &e)))
		rc = run_study(&cl, &s, &status, &e);
	config_free_study(&s);
	return rc ? fail(&e) : status;
}
