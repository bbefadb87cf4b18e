/* predict.c: `nnrun predict`: a kept network's forward pass over a task's rows, a CSV file or a grid. */
#include "predict.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "data.h"
#include "fmt.h"
#include "net.h"
#include "netfile.h"
#include "task.h"

/* Rows go through the network in chunks, so that the input's size
 * bounds nothing but the time. */
#define PREDICT_CHUNK 4096
#define PREDICT_LINE_MAX (1024 * 1024)

double predict_grid_value(int i, int n)
{
	return i == n - 1 ? 1.5 : (double)i * (2.0 / (double)(n - 1)) + -0.5;
}

/* The input rows, all read before anything is written: a bad cell on
 * the last line leaves the output empty. */
struct rows {
	double *x;              /* n x n_in, row-major */
	size_t n, cap;
	int n_in;
	const double *y;        /* the task's targets, n x n_out; NULL: none */
};

static double *rows_push(struct rows *r, struct err *e)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		double *x = realloc(r->x, cap * (size_t)r->n_in * sizeof *x);
		if (!x) {
			err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
			return NULL;
		}
		r->x = x;
		r->cap = cap;
	}
	return r->x + r->n++ * (size_t)r->n_in;
}

static void put_number(FILE *out, const char *sep, double v)
{
	char d[FMT_DOUBLE_MAX];

	fmt_double(d, v);
	fputs(sep, out);
	fputs(d, out);
}

/* The outputs (n x n_out) of the network for the n rows of x, a chunk
 * at a time through a network made for the chunk. */
static int forward(const struct netfile *nf, const double *x, size_t n, double *o,
		   struct err *e)
{
	const struct net_spec *s = &nf->spec;
	int n_in = s->width[0], n_out = s->width[s->n_layers - 1];
	size_t chunk = PREDICT_CHUNK;
	struct task_data *data;

	while (chunk > 1 && net_state_count(s, (int)chunk) > NET_MAX_STATE)
		chunk /= 2;
	data = calloc(1, sizeof *data + chunk * (size_t)(n_in + n_out) * sizeof(double));
	if (!data)
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	data->x = data->data;
	data->y = data->data + chunk * (size_t)n_in;
	for (size_t first = 0; first < n; first += chunk) {
		size_t rows = n - first < chunk ? n - first : chunk;
		struct net *net;

		data->shape = (struct task_shape){ n_in, n_out, (int)rows };
		memcpy(data->data, x + first * (size_t)n_in, rows * (size_t)n_in * sizeof *x);
		if (!(net = net_create(s, data))) {
			free(data);
			return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
		}
		memcpy(net_params(net), nf->params, net_param_count(s) * sizeof(double));
		net_forward(net);
		memcpy(o + first * (size_t)n_out, net_outputs(net), rows * (size_t)n_out * sizeof *o);
		net_free(net);
	}
	free(data);
	return 0;
}

static int forward_all(const struct netfile *nf, const struct rows *in, FILE *out,
		       struct err *e)
{
	const struct net_spec *s = &nf->spec;
	int n_in = s->width[0], n_out = s->width[s->n_layers - 1];
	double *o = malloc((in->n ? in->n : 1) * (size_t)n_out * sizeof *o);

	if (!o)
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	if (forward(nf, in->x, in->n, o, e)) {
		free(o);
		return e->code;
	}
	for (int i = 0; i < n_in; i++)
		fprintf(out, "%sx%d", i ? "," : "", i + 1);
	for (int j = 0; in->y && j < n_out; j++)
		fprintf(out, ",target%d", j + 1);
	for (int j = 0; j < n_out; j++)
		fprintf(out, ",output%d", j + 1);
	fputc('\n', out);
	for (size_t r = 0; r < in->n; r++) {
		for (int i = 0; i < n_in; i++)
			put_number(out, i ? "," : "", in->x[r * (size_t)n_in + (size_t)i]);
		for (int j = 0; in->y && j < n_out; j++)
			put_number(out, ",", in->y[r * (size_t)n_out + (size_t)j]);
		for (int j = 0; j < n_out; j++)
			put_number(out, ",", o[r * (size_t)n_out + (size_t)j]);
		fputc('\n', out);
	}
	free(o);
	return 0;
}

/* One line of numbers, n of them, strictly: FILE:LINE:COL on the first
 * bad cell. */
static int parse_line(const char *file, long line, char *text, double *x, int n,
		      struct err *e)
{
	char *cell = text, q[48];
	int i = 0;

	for (;;) {
		char *end = cell + strcspn(cell, ",");
		int last = *end == '\0';
		int col = (int)(cell - text) + 1;

		*end = '\0';
		if (i == n)
			return err_set(e, NN_EUSAGE, file, (int)line, col,
				       "more than %d value%s on a line: the network takes %d input%s",
				       n, n == 1 ? "" : "s", n, n == 1 ? "" : "s");
		if (netfile_number(cell, &x[i]) || !isfinite(x[i]))
			return err_set(e, NN_EUSAGE, file, (int)line, col, "'%s' is not a finite number",
				       err_quote(q, sizeof q, cell, strlen(cell)));
		i++;
		if (last)
			break;
		cell = end + 1;
	}
	if (i < n)
		return err_set(e, NN_EUSAGE, file, (int)line, (int)strlen(text) + 1,
			       "%d value%s on the line: the network takes %d input%s",
			       i, i == 1 ? "" : "s", n, n == 1 ? "" : "s");
	return 0;
}

/* Rows from a CSV file of numbers, n_in to a line; a first line that
 * does not start like a number is a header and is skipped. */
static int rows_from_csv(struct rows *b, const char *input, struct err *e)
{
	const char *file = strcmp(input, "-") == 0 ? "stdin" : input;
	FILE *f = strcmp(input, "-") == 0 ? stdin : fopen(input, "r");
	char *text = NULL;
	size_t cap = 0;
	ssize_t len;
	long line = 0;
	double *x;
	int rc = 0;

	if (!f)
		return err_set(e, NN_EUSAGE, input, 0, 0, "cannot open: %s", strerror(errno));
	while (!rc && (len = getline(&text, &cap, f)) >= 0) {
		line++;
		if (len > PREDICT_LINE_MAX) {
			rc = err_set(e, NN_EUSAGE, file, (int)line, 1, "line longer than %d bytes", PREDICT_LINE_MAX);
			break;
		}
		if (len && text[len - 1] == '\n')
			text[--len] = '\0';
		if (len && text[len - 1] == '\r')
			text[--len] = '\0';
		if ((size_t)len != strlen(text)) {
			rc = err_set(e, NN_EUSAGE, file, (int)line, (int)strlen(text) + 1, "a NUL byte in the line");
			break;
		}
		if (line == 1 && !strchr("-.0123456789", text[0] ? text[0] : '0'))
			continue;
		if (!text[0]) {
			rc = err_set(e, NN_EUSAGE, file, (int)line, 1, "empty line: expected %d number%s",
				     b->n_in, b->n_in == 1 ? "" : "s");
			break;
		}
		if (!(x = rows_push(b, e)))
			rc = e->code;
		else
			rc = parse_line(file, line, text, x, b->n_in, e);
	}
	if (!rc && ferror(f))
		rc = err_set(e, NN_EUSAGE, file, 0, 0, "cannot read: %s", strerror(errno));
	free(text);
	if (f != stdin)
		fclose(f);
	return rc;
}

/* The task's rows, and its targets (*data, freed by the caller): a
 * built-in task's, or those of its data file (network.yaml records the
 * file's absolute path; its targets are the network's n_out columns). */
static int rows_from_task(struct rows *b, const char *task, int n_out,
			  struct task_data **data, struct err *e)
{
	if (data_is_path(task)) {
		if (!data_open(task, task, e))
			return e->code;
		*data = data_task_build(task, n_out);
	} else {
		*data = task_build(task);
	}
	if (!*data || (*data)->shape.n_in != b->n_in || (*data)->shape.n_out != n_out)
		return err_set(e, NN_EUSAGE, NULL, 0, 0,
			       "the network's task '%s' gives no rows of its widths: give its input rows as INPUT.csv", task);
	for (int r = 0; r < (*data)->shape.n_rows; r++) {
		double *x = rows_push(b, e);
		if (!x)
			return e->code;
		memcpy(x, (*data)->x + (size_t)r * (size_t)b->n_in, (size_t)b->n_in * sizeof *x);
	}
	b->y = (*data)->y;
	return 0;
}

static int rows_from_grid(struct rows *b, int n, struct err *e)
{
	int rc = 0;

	for (int i = 0; !rc && i < n; i++) {
		for (int j = 0; !rc && j < n; j++) {
			double *x = rows_push(b, e);
			if (!x) {
				rc = e->code;
			} else {
				x[0] = predict_grid_value(i, n);
				x[1] = predict_grid_value(j, n);
			}
		}
	}
	return rc;
}

/* source's network.yaml: the file itself, or the one in a run's folder. */
static int load(const char *source, struct netfile *nf, struct err *e)
{
	char path[PATH_MAX];
	struct stat sb;

	if (stat(source, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return netfile_read(source, nf, e);
	if ((size_t)snprintf(path, sizeof path, "%s/" NETFILE_NAME, source) >= sizeof path)
		return err_set(e, NN_EUSAGE, source, 0, 0, "path too long");
	if (stat(path, &sb) != 0 && errno == ENOENT) {
		if ((size_t)snprintf(path, sizeof path, "%s/config.yaml", source) < sizeof path &&
		    stat(path, &sb) == 0)
			return err_set(e, NN_EUSAGE, source, 0, 0,
				       "this run has no " NETFILE_NAME " (it was run by an nnrun that did not keep the network): rerun it with --force to keep one");
		return err_set(e, NN_EUSAGE, source, 0, 0, "not a run's folder: no " NETFILE_NAME " and no config.yaml");
	}
	return netfile_read(path, nf, e);
}

int predict_write(const char *source, const char *input, int grid, FILE *out,
		  struct err *e)
{
	struct netfile nf;
	struct rows in = { 0 };
	struct task_data *task = NULL;
	int rc;

	if (load(source, &nf, e))
		return e->code;
	if (grid && nf.spec.width[0] != 2) {
		rc = err_set(e, NN_EUSAGE, NULL, 0, 0, "--grid needs a network of 2 inputs; this one has %d",
			     nf.spec.width[0]);
		goto done;
	}
	in.n_in = nf.spec.width[0];
	rc = grid ? rows_from_grid(&in, grid, e) : input ? rows_from_csv(&in, input, e) :
		rows_from_task(&in, nf.task, nf.spec.width[nf.spec.n_layers - 1], &task, e);
	if (!rc)
		rc = forward_all(&nf, &in, out, e);
done:
	free(in.x);
	free(task);
	netfile_free(&nf);
	return rc;
}

int predict_grid(const struct netfile *nf, int n, double *out, struct err *e)
{
	struct rows in = { .n_in = 2 };
	int n_out = nf->spec.width[nf->spec.n_layers - 1];
	double *o = NULL;
	int rc;

	if (nf->spec.width[0] != 2)
		return err_set(e, NN_EUSAGE, NULL, 0, 0, "--grid needs a network of 2 inputs; this one has %d",
			       nf->spec.width[0]);
	if (!(rc = rows_from_grid(&in, n, e)) &&
	    !(o = malloc((size_t)n * (size_t)n * (size_t)n_out * sizeof *o)))
		rc = err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	if (!rc && !(rc = forward(nf, in.x, in.n, o, e)))
		for (size_t i = 0; i < in.n; i++)
			out[i] = o[i * (size_t)n_out];
	free(o);
	free(in.x);
	return rc;
}
