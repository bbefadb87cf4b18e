/* data.c: a task's rows read from a data file: CSV with a header row, or FANN's .data. */
#include "data.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "net.h"

/* Where the parser is: the byte, and its line and column (1-based). */
struct cursor {
	const char *label;
	const char *s, *end;
	int line, col;
	struct err *e;
};

static int bad_at(const struct cursor *c, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int bad_at(const struct cursor *c, int line, int col, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return err_set(c->e, NN_EUSAGE, c->label, line, col, "%s", msg);
}

static void advance(struct cursor *c)
{
	if (*c->s == '\n') {
		c->line++;
		c->col = 1;
	} else {
		c->col++;
	}
	c->s++;
}

int data_is_path(const char *task)
{
	size_t n = strlen(task);

	return (n > 4 && strcmp(task + n - 4, ".csv") == 0) ||
	       (n > 5 && strcmp(task + n - 5, ".data") == 0);
}

/* The decimal form the config takes too: [-+]?(\.D+|D+(\.D*)?)([eE][-+]?D+)?,
 * finite and representable (no nan, inf, hex, or a value that overflows
 * or underflows a double). */
static int parse_number(const struct cursor *c, const char *s, size_t len,
			int line, int col, double *out)
{
	char buf[80], q[64];
	size_t i = 0, digits = 0;
	double v;

	err_quote(q, sizeof q, s, len);
	if (len == 0)
		return bad_at(c, line, col, "empty cell: expected a number");
	if (s[i] == '+' || s[i] == '-')
		i++;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (i < len && s[i] == '.')
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	if (digits && i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t exp_digits = 0;
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			exp_digits++;
		if (!exp_digits)
			digits = 0;
	}
	if (!digits || i != len)
		return bad_at(c, line, col,
			      "bad number '%s': expected a finite decimal like 0, 1.5 or -2e-3", q);
	if (len >= sizeof buf)
		return bad_at(c, line, col, "number '%s' is longer than %zu characters", q,
			      sizeof buf - 1);
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	v = strtod(buf, NULL);
	if (errno == ERANGE && isinf(v))
		return bad_at(c, line, col, "number '%s' is too large for a double", q);
	if (errno == ERANGE)
		return bad_at(c, line, col, "number '%s' is too small for a double", q);
	*out = v;
	return 0;
}

static int is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Grows t->v to hold at least n values. */
static int reserve(struct data_table *t, size_t n, size_t *cap)
{
	double *v;
	size_t want = *cap ? *cap : 1024;

	if (n <= *cap)
		return 0;
	while (want < n)
		want *= 2;
	if (!(v = realloc(t->v, want * sizeof *v)))
		return -1;
	t->v = v;
	*cap = want;
	return 0;
}

/* One CSV line's cells, from c->s to its end of line; header: names,
 * else numbers appended to t. Returns the number of cells, or -1. */
static int csv_line(struct cursor *c, struct data_table *t, int header, size_t *cap)
{
	int n = 0, line = c->line;

	for (;;) {
		const char *start, *last;
		int col;
		char q[64];

		while (c->s < c->end && is_blank(*c->s))
			advance(c);
		start = c->s;
		col = c->col;
		while (c->s < c->end && *c->s != ',' && *c->s != '\n' &&
		       !(*c->s == '\r' && c->s + 1 < c->end && c->s[1] == '\n'))
			advance(c);
		last = c->s;
		while (last > start && is_blank(last[-1]))
			last--;
		if (n == (header ? DATA_MAX_COLS : t->n_cols)) {
			if (header)
				bad_at(c, line, col, "more than %d columns", DATA_MAX_COLS);
			else
				bad_at(c, line, col, "row has more cells than the header's %d", t->n_cols);
			return -1;
		}
		if (header) {
			double ignored;
			struct err quiet;
			struct cursor probe = *c;

			probe.e = &quiet;
			err_quote(q, sizeof q, start, (size_t)(last - start));
			if (last == start) {
				bad_at(c, line, col, "empty column name in the header");
				return -1;
			}
			for (const char *p = start; p < last; p++) {
				unsigned char ch = (unsigned char)*p;
				if (ch < 0x20 || ch == 0x7f || ch == '"') {
					bad_at(c, line, col + (int)(p - start),
					       ch == '"' ? "quoted cells are not supported" :
					       "control character in a column name");
					return -1;
				}
			}
			if (parse_number(&probe, start, (size_t)(last - start), line, col, &ignored) == 0) {
				bad_at(c, line, col,
				       "the first line must be a header of column names, got the number '%s'", q);
				return -1;
			}
		} else {
			size_t at = (size_t)t->n_rows * (size_t)t->n_cols + (size_t)n;
			if (reserve(t, at + 1, cap)) {
				err_set(c->e, NN_ERUN, c->label, 0, 0, "out of memory");
				return -1;
			}
			if (parse_number(c, start, (size_t)(last - start), line, col, &t->v[at]))
				return -1;
		}
		n++;
		if (c->s < c->end && *c->s == ',') {
			advance(c);
			continue;
		}
		break;
	}
	if (!header && n < t->n_cols) {
		bad_at(c, line, c->col, "row has %d cell%s, the header %d", n, n == 1 ? "" : "s",
		       t->n_cols);
		return -1;
	}
	/* the end of the line: "\n", "\r\n", or the end of the file */
	if (c->s < c->end && *c->s == '\r')
		advance(c);
	if (c->s < c->end)
		advance(c);
	return n;
}

static int parse_csv(struct data_table *t, struct cursor *c)
{
	size_t cap = 0;
	int n;

	if (c->s == c->end)
		return bad_at(c, 1, 1, "empty file: expected a header row of column names");
	if ((n = csv_line(c, t, 1, &cap)) < 0)
		return c->e->code;
	if (n < 2)
		return bad_at(c, 1, 1, "the header names %d column: at least 2 are needed (inputs, then targets)", n);
	t->n_cols = n;
	if (c->s == c->end)
		return bad_at(c, c->line, c->col, "no rows of numbers after the header");
	while (c->s < c->end) {
		if (*c->s == '\n' || *c->s == '\r')
			return bad_at(c, c->line, c->col, "empty line");
		if (t->n_rows == TASK_MAX_ROWS)
			return bad_at(c, c->line, c->col, "more than %d rows", TASK_MAX_ROWS);
		if (csv_line(c, t, 0, &cap) < 0)
			return c->e->code;
		t->n_rows++;
	}
	return 0;
}

static int is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f';
}

/* The next whitespace-separated token of a .data file, as FANN's fscanf
 * reads them: lines do not matter. 0 at the end of the file. */
static size_t fann_token(struct cursor *c, const char **tok, int *line, int *col)
{
	while (c->s < c->end && is_space(*c->s))
		advance(c);
	*tok = c->s;
	*line = c->line;
	*col = c->col;
	while (c->s < c->end && !is_space(*c->s))
		advance(c);
	return (size_t)(c->s - *tok);
}

static int parse_fann(struct data_table *t, struct cursor *c)
{
	static const char *const what[3] = { "rows", "inputs", "outputs" };
	static const long max[3] = { TASK_MAX_ROWS, NET_MAX_WIDTH, NET_MAX_WIDTH };
	long head[3];
	size_t total, cap = 0;
	const char *tok;
	size_t len;
	int line, col;
	char q[64];

	for (int i = 0; i < 3; i++) {
		long v = 0;

		if (!(len = fann_token(c, &tok, &line, &col)))
			return bad_at(c, line, col, i == 0 ?
				      "empty file: expected a first line `rows inputs outputs`" :
				      "the first line needs 3 numbers: rows inputs outputs");
		err_quote(q, sizeof q, tok, len);
		for (size_t k = 0; k < len; k++) {
			if (tok[k] < '0' || tok[k] > '9')
				return bad_at(c, line, col, "%s must be a whole number, got '%s'",
					      what[i], q);
			if (v <= max[i])
				v = v * 10 + (tok[k] - '0');
		}
		if (v < 1 || v > max[i])
			return bad_at(c, line, col, "%s must be between 1 and %ld, got %s",
				      what[i], max[i], q);
		head[i] = v;
	}
	t->n_rows = (int)head[0];
	t->n_cols = (int)(head[1] + head[2]);
	t->n_out = (int)head[2];
	total = (size_t)t->n_rows * (size_t)t->n_cols;
	for (size_t i = 0; i < total; i++) {
		if (!(len = fann_token(c, &tok, &line, &col)))
			return bad_at(c, line, col,
				      "ends after %zu of the %zu numbers its first line announces (%d %ld %ld)",
				      i, total, t->n_rows, head[1], head[2]);
		if (reserve(t, i + 1, &cap))
			return err_set(c->e, NN_ERUN, c->label, 0, 0, "out of memory");
		if (parse_number(c, tok, len, line, col, &t->v[i]))
			return c->e->code;
	}
	if (fann_token(c, &tok, &line, &col))
		return bad_at(c, line, col,
			      "more than the %zu numbers its first line announces (%d %ld %ld)",
			      total, t->n_rows, head[1], head[2]);
	return 0;
}

int data_parse(struct data_table *t, const char *label, const char *buf,
	       size_t len, int fann, struct err *e)
{
	struct cursor c = { label, buf, buf + len, 1, 1, e };

	memset(t, 0, sizeof *t);
	if (len > DATA_MAX_BYTES)
		return err_set(e, NN_EUSAGE, label, 0, 0, "is larger than the limit of %d bytes",
			       DATA_MAX_BYTES);
	t->xxh64 = hash_bytes(buf, len);
	return fann ? parse_fann(t, &c) : parse_csv(t, &c);
}

void data_table_free(struct data_table *t)
{
	free(t->v);
	t->v = NULL;
}

int data_shape(const struct data_table *t, int targets, struct task_shape *sh)
{
	int n_out = t->n_out ? t->n_out : targets;

	if (n_out < 1 || n_out >= t->n_cols)
		return -1;
	*sh = (struct task_shape){ t->n_cols - n_out, n_out, t->n_rows };
	return 0;
}

struct task_data *data_task(const struct data_table *t, int targets)
{
	struct task_shape sh;
	struct task_data *d;
	double *x, *y;

	if (data_shape(t, targets, &sh))
		return NULL;
	d = malloc(sizeof *d + (size_t)sh.n_rows * (size_t)t->n_cols * sizeof(double));
	if (!d)
		return NULL;
	d->shape = sh;
	x = d->data;
	y = x + (size_t)sh.n_rows * (size_t)sh.n_in;
	for (int r = 0; r < sh.n_rows; r++) {
		const double *row = t->v + (size_t)r * (size_t)t->n_cols;
		memcpy(x + (size_t)r * (size_t)sh.n_in, row, (size_t)sh.n_in * sizeof *x);
		memcpy(y + (size_t)r * (size_t)sh.n_out, row + sh.n_in, (size_t)sh.n_out * sizeof *y);
	}
	d->x = x;
	d->y = y;
	return d;
}

/* ---- the files read so far, each once per process ---- */

static struct {
	char *path, *label;
	struct data_table t;
} data_files[DATA_MAX_FILES];
static int data_n_files;

const struct data_table *data_find(const char *path)
{
	for (int i = 0; i < data_n_files; i++)
		if (strcmp(data_files[i].path, path) == 0)
			return &data_files[i].t;
	return NULL;
}

/* The file's bytes (at most DATA_MAX_BYTES + 1 of them). */
static char *read_file(const char *path, const char *label, size_t *len, struct err *e)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	if (!f)
		return err_set(e, NN_EUSAGE, label, 0, 0, "cannot open: %s", strerror(errno)), NULL;
	if (!(buf = malloc((size_t)DATA_MAX_BYTES + 1))) {
		fclose(f);
		return err_set(e, NN_ERUN, label, 0, 0, "out of memory"), NULL;
	}
	*len = fread(buf, 1, (size_t)DATA_MAX_BYTES + 1, f);
	if (ferror(f)) {
		err_set(e, NN_EUSAGE, label, 0, 0, "cannot read: %s", strerror(errno));
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

const struct data_table *data_open(const char *path, const char *label, struct err *e)
{
	const struct data_table *found = data_find(path);
	struct data_table t;
	size_t len;
	char *buf;
	int rc;

	if (found)
		return found;
	if (data_n_files == DATA_MAX_FILES)
		return err_set(e, NN_EUSAGE, label, 0, 0, "more than %d data files in one study",
			       DATA_MAX_FILES), NULL;
	if (!(buf = read_file(path, label, &len, e)))
		return NULL;
	rc = data_parse(&t, label, buf, len, strcmp(path + strlen(path) - 5, ".data") == 0, e);
	free(buf);
	data_files[data_n_files].path = rc ? NULL : strdup(path);
	data_files[data_n_files].label = rc ? NULL : strdup(label);
	if (rc || !data_files[data_n_files].path || !data_files[data_n_files].label) {
		free(data_files[data_n_files].path);
		free(data_files[data_n_files].label);
		data_table_free(&t);
		return rc ? NULL : (err_set(e, NN_ERUN, label, 0, 0, "out of memory"), NULL);
	}
	t.label = data_files[data_n_files].label;
	data_files[data_n_files].t = t;
	return &data_files[data_n_files++].t;
}

int data_task_shape(const char *task, int targets, struct task_shape *sh)
{
	const struct data_table *t;

	if (!data_is_path(task))
		return task_shape(task, sh);
	return (t = data_find(task)) ? data_shape(t, targets, sh) : -1;
}

struct task_data *data_task_build(const char *task, int targets)
{
	const struct data_table *t;

	if (!data_is_path(task))
		return task_build(task);
	return (t = data_find(task)) ? data_task(t, targets) : NULL;
}

void data_close_all(void)
{
	for (int i = 0; i < data_n_files; i++) {
		free(data_files[i].path);
		free(data_files[i].label);
		data_table_free(&data_files[i].t);
	}
	data_n_files = 0;
}
