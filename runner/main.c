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
#include "verify.h"

static int fail(const struct err *e)
{
	err_print(e, stderr);
	return e->code;
}

static int print_plan(const struct plan *p, struct err *e)
{
	for (uint64_t i = 0; i < p->count; i++) {
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

/* The runs this invocation owns: all, one (--index) or a shard. */
static uint64_t *select_runs(const struct plan *p, const struct cli *cl,
			     uint64_t *n, struct err *e)
{
	uint64_t *todo;

	*n = 0;
	if (cl->index >= 0 && (uint64_t)cl->index >= p->count) {
		err_set(e, NN_EUSAGE, NULL, 0, 0, "--index %" PRId64 " is out of range: the plan has %" PRIu64 " run%s (0..%" PRIu64 ")",
			cl->index, p->count, p->count == 1 ? "" : "s", p->count - 1);
		return NULL;
	}
	todo = malloc((size_t)p->count * sizeof *todo);
	if (!todo) {
		err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
		return NULL;
	}
	for (uint64_t i = 0; i < p->count; i++)
		if ((cl->index < 0 || (uint64_t)cl->index == i) &&
		    (!cl->shard_n || i % cl->shard_n == cl->shard_i))
			todo[(*n)++] = i;
	return todo;
}

/* Returns an error (e set; a failed run is one, its cause printed as it
 * happened), or 0 with *status 0, or 128+signal when stopped. */
static int run_study(const struct cli *cl, struct study *s, int *status,
		     struct err *e)
{
	struct exec_opts eo = { 0 };
	struct exec_stats st;
	struct plan p;
	char dir[PATH_MAX], redone[64] = "";
	uint64_t *todo, n;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int rc;

	for (int i = 0; i < cl->n_args; i++)
		if (config_apply_arg(s, cl->args[i], e))
			return e->code;
	if (plan_build(&p, s, e))
		return e->code;
	if (cl->count) {
		printf("%" PRIu64 "\n", p.count);
		return 0;
	}
	if (cl->dry_run)
		return print_plan(&p, e);
	if (!(todo = select_runs(&p, cl, &n, e)))
		return e->code;
	/* Everything was checked: only now is anything written. */
	if (results_study_dir(cl->results, s->base.name, dir, sizeof dir, e) ||
	    study_write(s, dir, e)) {
		free(todo);
		return e->code;
	}
	results_clean_stale(dir);
	eo.jobs = cl->jobs ? cl->jobs : (cores > 0 ? (int)cores : 1);
	eo.force = cl->force;
	eo.quiet = cl->quiet;
	eo.verbose = !cl->quiet && p.count == 1;
	eo.study_dir = dir;
	rc = exec_runs(&p, todo, n, &eo, &st, e);
	free(todo);
	if (rc)
		return rc;
	if (st.signal) {
		*status = 128 + st.signal;
		return 0;
	}
	if (study_summarize(&p, dir, cl->quiet || p.count == 1 ? NULL : stdout, e))
		return e->code;
	if (st.redone)
		snprintf(redone, sizeof redone, ", %" PRIu64 " redone (found damaged)", st.redone);
	if (!cl->quiet && p.count > 1)
		fprintf(stderr, "%" PRIu64 " runs: %" PRIu64 " done, %" PRIu64 " complete already, %" PRIu64
			" diverged, %" PRIu64 " failed%s; results in %s\n",
			n, st.done, st.skipped, st.diverged, st.failed, redone, dir);
	if (st.failed)
		return err_set(e, NN_ERUN, NULL, 0, 0, "%" PRIu64 " of %" PRIu64 " runs failed; rerun to retry them",
			       st.failed, n);
	if (st.bad_workers)
		return err_set(e, NN_ERUN, NULL, 0, 0, "%d worker process%s ended abnormally (status %d)",
			       st.bad_workers, st.bad_workers == 1 ? "" : "es", st.bad_status);
	return 0;
}

/* `report`, `curves` and `verify` take a study folder, or a config (with
 * its KEY=VALUE arguments and -o) naming one, as a Slurm summary job has.
 * verify sets *status to 1 when a run is damaged. */
static int report_command(const struct cli *cl, int *status, struct err *e)
{
	struct verify_counts vc;
	FILE *out = cl->quiet ? NULL : stdout;
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
	if (cl->verify) {
		rc = verify_study(dir, stdout, &vc, e);
		*status = !rc && vc.damaged ? NN_ERUN : 0;
		return rc;
	}
	return cl->report ? study_report(dir, out, e) : curves_write(dir, out, e);
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
	if (cl.report || cl.curves || cl.verify)
		return report_command(&cl, &status, &e) ? fail(&e) : status;
	if (!(rc = config_load(&s, cl.config, &e)))
		rc = run_study(&cl, &s, &status, &e);
	config_free_study(&s);
	return rc ? fail(&e) : status;
}
