/* run.c: trains one resolved config, streaming its loss to loss.csv, and commits its folder. */
#include "run.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csv.h"
#include "data.h"
#include "fmt.h"
#include "netfile.h"
#include "plan.h"
#include "results.h"

/* The trained network's four outputs came later, then rows (data files,
 * whose targets need not be 0 or 1: correct and solved_epoch are then
 * n/a) and why training stopped: a metrics.csv of the outputs alone
 * still reads, its stop reason epochs (or diverged). */
#define METRICS_HEADER_OLD "epochs_run,final_loss,correct,solved_epoch,diverged,seconds," \
	"output_00,output_01,output_10,output_11\n"
#define METRICS_HEADER "epochs_run,final_loss,correct,rows,solved_epoch,diverged,seconds," \
	"output_00,output_01,output_10,output_11,stop_reason\n"

/* Which epochs get a row and a printed line. Countdowns, not epoch %
 * every: a 64-bit division per epoch costs a tenth of a 2-2-1 epoch. */
struct epoch_sink {
	struct csv csv;
	uint64_t log_every;
	uint64_t log_in;        /* epochs until the next logged one */
	uint64_t last;          /* the last epoch: always written */
	uint64_t print_every;   /* 0: print nothing */
	uint64_t print_in;
	const volatile sig_atomic_t *stop;
	struct results_batch *batch;
};

/* on_epoch's return when a stop signal came: not an errno. */
#define RUN_STOPPED (-2)

/* One run at a time per process, and its CSV buffer is large: kept off
 * the stack. */
static struct epoch_sink the_sink;

static int on_epoch(void *ctx, uint64_t epoch, double loss, int last)
{
	struct epoch_sink *s = ctx;
	int due = s->log_in == 0;

	s->log_in = due ? s->log_every - 1 : s->log_in - 1;
	if (due || last || epoch == s->last || !(loss - loss == 0))
		csv_write_loss(&s->csv, epoch, loss);
	if (s->print_every && s->print_in-- == 0) {
		char d[FMT_DOUBLE_MAX];

		s->print_in = s->print_every - 1;
		fmt_double(d, loss);
		printf("epoch %" PRIu64 ", loss %s\n", epoch, d);
	}
	if (s->stop && *s->stop)
		return RUN_STOPPED;
	/* The runs finished before this one have waited long enough. */
	if (s->batch->due)
		results_batch_close(s->batch);
	/* A write error (a full disk) stops the run: it cannot be saved. */
	return s->csv.error;
}

int run_config_text(const struct config *c, char *buf, size_t max)
{
	int n = snprintf(buf, max, "# nnrun %s resolved config: `nnrun -o DIR this-file` reruns it\n",
			 NNRUN_VERSION);
	int m;

	if (n < 0 || (size_t)n >= max)
		return -1;
	m = config_format(c, buf + n, max - (size_t)n);
	return m < 0 ? -1 : n + m;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A gate: 2 inputs, 1 output, the 4 rows 00 01 10 11, whose outputs
 * metrics.csv and the verdict show one by one. */
static int is_gate(const struct config *c)
{
	struct task_shape sh;

	return data_task_shape(c->task, (int)c->targets, &sh) == 0 && sh.n_in == 2 && sh.n_out == 1 && sh.n_rows == 4;
}

/* The predictions and what happened, in words: a gate's four rows (as
 * the tutorial prints XOR's), a larger task's count of right rows. */
void run_print_verdict(const struct config *c, const struct train_result *res)
{
	static const int x[4][2] = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
	struct task_data *data = is_gate(c) ? data_task_build(c->task, (int)c->targets) : NULL;
	const struct data_table *file = data_is_path(c->task) ? data_find(c->task) : NULL;
	const char *task = file ? file->label : c->task;
	char name[PATH_MAX];

	/* a data file by its path as the config gave it */
	snprintf(name, sizeof name, "%s", task);
	for (size_t i = 0; data && name[i]; i++)
		name[i] = (char)toupper((unsigned char)name[i]);
	if (data) {
		printf("predictions after training (%s: %g %g %g %g):\n", name,
		       data->y[0], data->y[1], data->y[2], data->y[3]);
		for (int r = 0; r < 4; r++) {
			char d[FMT_DOUBLE_MAX];
			fmt_double(d, res->outputs[r]);
			printf("  %d %d -> %s (%d)\n", x[r][0], x[r][1], d, res->outputs[r] >= 0.5);
		}
	}
	if (!res->diverged && res->correct < 0) {
		char loss[FMT_DOUBLE_MAX];

		fmt_double(loss, res->final_loss);
		printf("%s trained for %" PRIu64 " epoch%s: loss %s (targets not all 0 or 1: no rows are right or wrong)\n",
		       name, c->epochs, c->epochs == 1 ? "" : "s", loss);
	} else if (res->diverged) {
		/* The loss of the last epoch run was the first not finite. */
		printf("%s not learned: diverged at epoch %" PRIu64 " (loss not finite)\n",
		       name, res->epochs_run ? res->epochs_run - 1 : 0);
	} else if (res->correct == res->rows && res->solved_epoch >= 0) {
		printf("%s learned at epoch %" PRId64 "\n", name, res->solved_epoch);
	} else if (res->correct == res->rows) {
		printf("%s learned in %" PRIu64 " epoch%s\n", name, c->epochs, c->epochs == 1 ? "" : "s");
	} else {
		char loss[FMT_DOUBLE_MAX];

		fmt_double(loss, res->final_loss);
		printf("%s not learned in %" PRIu64 " epoch%s (loss %s", name, c->epochs,
		       c->epochs == 1 ? "" : "s", loss);
		if (data)
			printf(", predictions %d %d %d %d", res->outputs[0] >= 0.5,
			       res->outputs[1] >= 0.5, res->outputs[2] >= 0.5, res->outputs[3] >= 0.5);
		else
			printf(", %d of %d rows right", res->correct, res->rows);
		if (res->solved_epoch >= 0)
			printf("; all %s were right at epoch %" PRId64, data ? "four" : "rows",
			       res->solved_epoch);
		printf(")\n");
	}
	free(data);
}

/* A run complete already, told as if it had just run: the loss lines
 * that loss.csv holds (all of them unless log_every skipped some), then
 * the predictions and verdict from metrics.csv. */
static void print_recorded(const struct config *c, const char *study_dir, const char *id)
{
	char dir[PATH_MAX], path[PATH_MAX], line[128];
	uint64_t every = c->epochs >= 10 ? c->epochs / 10 : 1;
	struct run_outcome out;
	FILE *f;

	if ((size_t)snprintf(dir, sizeof dir, "%s/%s", study_dir, id) >= sizeof dir)
		return;
	fprintf(stderr, "complete already: %s (--force to rerun)\n", dir);
	if ((size_t)snprintf(path, sizeof path, "%s/loss.csv", dir) < sizeof path &&
	    (f = fopen(path, "r"))) {
		while (fgets(line, sizeof line, f)) {
			char *comma = strchr(line, ',');
			uint64_t epoch;

			if (!comma || sscanf(line, "%" SCNu64 ",", &epoch) != 1 || epoch % every)
				continue;
			line[strcspn(line, "\n")] = '\0';
			printf("epoch %" PRIu64 ", loss %s\n", epoch, comma + 1);
		}
		fclose(f);
	}
	if (run_read_metrics(dir, &out) == 0) {
		struct task_shape sh;
		if (data_task_shape(c->task, (int)c->targets, &sh) == 0)
			out.res.rows = sh.n_rows;
		run_print_verdict(c, &out.res);
	}
}

static int write_metrics(struct results_run *r, const struct run_outcome *out,
			 int gate, struct err *e)
{
	char buf[512], loss[FMT_DOUBLE_MAX], correct[24] = "n/a", solved[24] = "n/a";
	int n;

	fmt_double(loss, out->res.final_loss);
	if (out->res.correct >= 0) {
		snprintf(correct, sizeof correct, "%d", out->res.correct);
		snprintf(solved, sizeof solved, "%" PRId64, out->res.solved_epoch);
	}
	n = snprintf(buf, sizeof buf, METRICS_HEADER "%" PRIu64 ",%s,%s,%d,%s,%d,%.6f",
		     out->res.epochs_run, loss, correct, out->res.rows, solved,
		     out->res.diverged, out->seconds);
	/* The output columns name a gate's rows; other tasks leave them n/a. */
	for (int i = 0; i < 4; i++) {
		fmt_double(loss, out->res.outputs[i]);
		n += snprintf(buf + n, sizeof buf - (size_t)n, ",%s",
			      gate && i < out->res.n_outputs ? loss : "n/a");
	}
	n += snprintf(buf + n, sizeof buf - (size_t)n, ",%s\n",
		      train_stop_names[out->res.stop]);
	return results_write_file(r, "metrics.csv", buf, (size_t)n, e);
}

int run_one(const struct config *c, const struct run_opts *o,
	    struct run_outcome *out, struct err *e)
{
	struct train_spec spec;
	struct results_run *r = results_batch_next(o->batch);
	struct epoch_sink *sink;
	char text[RUN_CONFIG_MAX], id[PLAN_ID_MAX], path[PATH_MAX], why[RESULTS_WHY_MAX];
	int len = run_config_text(c, text, sizeof text);
	double start = now();
	struct task_data *data;
	double *params;
	int rc, trained;

	memset(out, 0, sizeof *out);
	out->status = RUN_FAILED;
	if (len < 0)
		return err_set(e, NN_ERUN, NULL, 0, 0, "config too long to write");
	plan_run_id(c, id);
	switch (results_check(o->study_dir, id, text, why, sizeof why)) {
	case RESULTS_COMPLETE:
		if (o->force)
			break;
		out->status = RUN_SKIPPED;
		if (o->verbose)
			print_recorded(c, o->study_dir, id);
		return 0;
	case RESULTS_CONFLICT:
		/* Someone's result for another config: never replaced, even
		 * with --force. */
		snprintf(path, sizeof path, "%s/%s", o->study_dir, id);
		return err_set(e, NN_ERUN, path, 0, 0,
			       "holds another config under this id (%s): move that folder away to run this one",
			       why);
	case RESULTS_DAMAGED:
		out->redone = 1;
		if (o->redo)
			snprintf(o->redo, o->redo_max, "%s/%s: %s", o->study_dir, id, why);
		break;
	case RESULTS_MISSING:
		break;
	}
	if (results_begin(r, o->study_dir, id, e))
		return e->code;
	if (results_write_file(r, "config.yaml", text, (size_t)len, e)) {
		results_abort(r);
		return e->code;
	}
	sink = &the_sink;
	sink->log_every = c->log_every;
	sink->log_in = 0;
	sink->last = c->epochs - 1;
	sink->print_every = o->verbose ? (c->epochs >= 10 ? c->epochs / 10 : 1) : 0;
	sink->print_in = 0;
	sink->stop = o->stop;
	sink->batch = o->batch;
	results_path(r, "loss.csv", path, sizeof path);
	if ((rc = csv_open(&sink->csv, path))) {
		results_abort(r);
		return err_set(e, NN_ERUN, path, 0, 0, "cannot create: %s", strerror(rc));
	}
	config_net_spec(c, &spec.net);
	spec.learning_rate = c->learning_rate;
	spec.epochs = c->epochs;
	spec.seed = c->seed;
	spec.optim = c->optim;
	spec.shuffle = c->shuffle;
	spec.use_stop_loss = c->use_stop_loss;
	spec.stop_loss = c->stop_loss;
	spec.stop_solved = c->stop_solved;
	spec.patience = c->patience;
	spec.min_delta = c->min_delta;
	spec.data = data = data_task_build(c->task, (int)c->targets);
	spec.params = params = malloc(net_param_count(&spec.net) * sizeof *params);
	trained = data && params ? train_run(&spec, on_epoch, sink, &out->res) : -1;
	if (data && !task_binary(data)) {
		out->res.correct = -1;
		out->res.solved_epoch = -1;
	}
	free(data);
	if ((rc = csv_close(&sink->csv)) || trained) {
		free(params);
		results_abort(r);
		return err_set(e, NN_ERUN, path, 0, 0, "%s",
			       rc ? strerror(rc) : trained == RUN_STOPPED ? "stopped by a signal" :
			       "out of memory for the network");
	}
	rc = netfile_write(r, c->task, &spec.net, params, e);
	free(params);
	if (rc || results_record(r, "loss.csv", sink->csv.size, hash_final(&sink->csv.hash), e)) {
		results_abort(r);
		return e->code;
	}
	out->seconds = now() - start;
	if (write_metrics(r, out, is_gate(c), e)) {
		results_abort(r);
		return e->code;
	}
	out->status = out->res.diverged ? RUN_DIVERGED : RUN_DONE;
	return results_batch_add(o->batch, o->tag, (int)out->status, e);
}

/* A whole number, or n/a (-1), then a comma. */
static int metrics_int(const char *s, int64_t *v, const char **end)
{
	char *e;

	if (strncmp(s, "n/a,", 4) == 0) {
		*v = -1;
		*end = s + 4;
		return 0;
	}
	*v = strtoll(s, &e, 10);
	if (e == s || *e != ',')
		return -1;
	*end = e + 1;
	return 0;
}

/* metrics.csv's first six or seven fields (rows, when has_rows), up to
 * the outputs, which *rest points to. */
static int metrics_fields(const char *row, int has_rows, struct run_outcome *out,
			  const char **rest)
{
	const char *s = row;
	char *e;
	int64_t correct, rows = 0, solved;

	if (sscanf(s, "%" SCNu64 ",", &out->res.epochs_run) != 1 || !(s = strchr(s, ',')))
		return -1;
	out->res.final_loss = strtod(s + 1, &e);
	if (*e != ',' || metrics_int(e + 1, &correct, &s) ||
	    (has_rows && metrics_int(s, &rows, &s)) || metrics_int(s, &solved, &s) ||
	    sscanf(s, "%d,%lf", &out->res.diverged, &out->seconds) != 2)
		return -1;
	out->res.correct = (int)correct;
	out->res.rows = (int)rows;
	out->res.solved_epoch = solved;
	out->status = out->res.diverged ? RUN_DIVERGED : RUN_DONE;
	for (int i = 0; i < 2 && s; i++)
		if ((s = strchr(s, ',')))
			s++;
	*rest = s;
	return s ? 0 : -1;
}

int run_read_metrics(const char *run_dir, struct run_outcome *out)
{
	char path[PATH_MAX], buf[1024];

	memset(out, 0, sizeof *out);
	if ((size_t)snprintf(path, sizeof path, "%s/metrics.csv", run_dir) >= sizeof path ||
	    results_read_small(path, buf, sizeof buf) < 0)
		return -1;
	return run_parse_metrics(buf, out);
}

int run_parse_metrics(const char *buf, struct run_outcome *out)
{
	const char *row, *reason;
	double o[4];
	int latest;

	memset(out, 0, sizeof *out);
	latest = strncmp(buf, METRICS_HEADER, strlen(METRICS_HEADER)) == 0;
	if (!latest && strncmp(buf, METRICS_HEADER_OLD, strlen(METRICS_HEADER_OLD)) != 0)
		return -1;
	row = buf + (latest ? strlen(METRICS_HEADER) : strlen(METRICS_HEADER_OLD));
	if (metrics_fields(row, latest, out, &row))
		return -1;
	out->res.stop = out->res.diverged ? TRAIN_STOP_DIVERGED : TRAIN_STOP_EPOCHS;
	reason = row;
	for (int i = 0; i < 4 && reason; i++)
		if ((reason = strchr(reason, ',')))
			reason++;
	if (latest) {
		size_t len = reason ? strcspn(reason, "\n") : 0;
		int k = 0;

		while (k < TRAIN_STOP_COUNT && (strlen(train_stop_names[k]) != len ||
						strncmp(reason, train_stop_names[k], len) != 0))
			k++;
		if (k == TRAIN_STOP_COUNT)
			return -1;
		out->res.stop = (enum train_stop)k;
	}
	if (strncmp(row, "n/a,n/a,n/a,n/a", 15) == 0) {
		out->res.n_outputs = 0;
		return 0;
	}
	if (sscanf(row, "%lf,%lf,%lf,%lf", &o[0], &o[1], &o[2], &o[3]) != 4)
		return -1;
	memcpy(out->res.outputs, o, sizeof o);
	out->res.n_outputs = 4;
	return 0;
}
