/* verify.c: checks a study's runs, planned or not, as a resume would, and reports the damaged ones. */
#include "verify.h"

#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hash.h"
#include "plan.h"
#include "results.h"
#include "run.h"
#include "study.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static void count(struct verify_counts *n, FILE *out, const char *dir,
		  const char *id, enum results_state st, const char *why)
{
	switch (st) {
	case RESULTS_COMPLETE:
		n->intact++;
		break;
	case RESULTS_MISSING:
		n->missing++;
		break;
	case RESULTS_CONFLICT:
		n->damaged++;
		fprintf(out, "%s/%s: holds another config under this id (%s)\n", dir, id, why);
		break;
	case RESULTS_DAMAGED:
		n->damaged++;
		fprintf(out, "%s/%s: %s\n", dir, id, why);
		break;
	}
}

/* A run folder the plan does not name (a run of another invocation with
 * other KEY=VALUE arguments): checked against its own config.yaml, which
 * must be a config whose id is the folder's name. */
static enum results_state check_other(const char *dir, const char *id, char *why,
				      size_t max)
{
	char path[PATH_MAX], buf[RUN_CONFIG_MAX], text[RUN_CONFIG_MAX], got[PLAN_ID_MAX];
	struct study s;
	struct err e;
	long len;
	enum results_state st = RESULTS_DAMAGED;

	snprintf(path, sizeof path, "%s/%s/config.yaml", dir, id);
	if ((len = results_read_small(path, buf, sizeof buf)) < 0) {
		snprintf(why, max, "config.yaml: missing");
		return st;
	}
	if (config_load_buffer(&s, path, buf, (size_t)len, &e) ||
	    config_check(&s.base, &e) || s.n_axes) {
		snprintf(why, max, "config.yaml: not a resolved config%s%s",
			 s.n_axes ? "" : ": ", s.n_axes ? "" : e.msg);
	} else if (run_config_text(&s.base, text, sizeof text) < 0) {
		snprintf(why, max, "config.yaml: too long");
	} else {
		plan_run_id(&s.base, got);
		if (strcmp(got, id) != 0)
			snprintf(why, max, "config.yaml: its config's id is %s", got);
		else
			st = results_check(dir, id, text, why, max);
	}
	config_free_study(&s);
	return st;
}

int verify_study(const char *dir, FILE *out, struct verify_counts *n,
		 struct err *e)
{
	char why[RESULTS_WHY_MAX], id[PLAN_ID_MAX], text[RUN_CONFIG_MAX];
	uint64_t *planned, others = 0;
	struct dirent *de;
	struct study_set ss;
	DIR *d = NULL;
	int rc = 0;

	memset(n, 0, sizeof *n);
	if (study_set_load(&ss, dir, e))
		return e->code;
	if (!(planned = malloc((size_t)ss.count * sizeof *planned + 1))) {
		study_set_free(&ss);
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	}
	for (uint64_t i = 0; i < ss.count && !rc; i++) {
		struct config c;

		if ((rc = study_set_config(&ss, i, &c, e)))
			break;
		plan_run_id(&c, id);
		run_config_text(&c, text, sizeof text);
		planned[i] = hash_bytes(id, strlen(id));
		count(n, out, dir, id, results_check(dir, id, text, why, sizeof why), why);
	}
	qsort(planned, (size_t)ss.count, sizeof *planned, cmp_u64);
	if (!rc && !(d = opendir(dir)))
		rc = err_set(e, NN_ERUN, dir, 0, 0, "cannot read the folder");
	/* Folders of runs the plan does not name; hidden entries are the
	 * temporaries of runs being written. */
	while (!rc && (de = readdir(d))) {
		uint64_t h = hash_bytes(de->d_name, strlen(de->d_name));
		struct stat sb;

		if (de->d_name[0] == '.' || fstatat(dirfd(d), de->d_name, &sb, 0) < 0 ||
		    !S_ISDIR(sb.st_mode) ||
		    bsearch(&h, planned, (size_t)ss.count, sizeof *planned, cmp_u64))
			continue;
		others++;
		count(n, out, dir, de->d_name, check_other(dir, de->d_name, why, sizeof why), why);
	}
	if (!rc) {
		closedir(d);
		fprintf(out, "%s: %" PRIu64 " run%s checked (%" PRIu64 " outside the plan): %" PRIu64
			" intact, %" PRIu64 " damaged; %" PRIu64 " planned run%s missing (not run yet, not damaged)\n",
			dir, n->intact + n->damaged, n->intact + n->damaged == 1 ? "" : "s", others,
			n->intact, n->damaged, n->missing, n->missing == 1 ? "" : "s");
	}
	free(planned);
	study_set_free(&ss);
	return rc;
}
