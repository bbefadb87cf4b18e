/* netfile.c: network.yaml: a trained network's shape and every parameter, written losslessly and read back strictly through libcyaml. */
#include "netfile.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cyaml/cyaml.h>
#include <yaml.h>

#include "cyaml_log.h"
#include "fmt.h"
#include "task.h"

/* network.yaml nests 4 deep; anything deeper is wrong anyway. */
#define YAML_DEPTH_MAX 16

/* ---- writing ---- */

#define NETFILE_HEADER                                                          \
	"# nnrun " NNRUN_VERSION " trained network (`nnrun predict` reads it).\n" \
	"# Layer l computes a = f(x @ W + b) (NumPy's order): weights holds W,\n" \
	"# widths[l-1] rows of widths[l] values, row after row; biases holds b.\n" \
	"# Every number reads back as the same double.\n"

struct text {
	char *buf;
	size_t n, max;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->n, t->max - t->n, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->n += (size_t)n < t->max - t->n ? (size_t)n : t->max - t->n - 1;
}

/* values as a flow sequence, [v0, v1, ...] */
static void put_values(struct text *t, const double *v, size_t n)
{
	char d[FMT_DOUBLE_MAX];

	put(t, "[");
	for (size_t i = 0; i < n; i++) {
		fmt_double(d, v[i]);
		put(t, "%s%s", i ? ", " : "", d);
	}
	put(t, "]\n");
}

char *netfile_format(const char *task, const struct net_spec *spec,
		     const double *params, size_t *len)
{
	size_t count = net_param_count(spec);
	struct text t = { NULL, 0, 0 };

	/* Each value at most FMT_DOUBLE_MAX plus ", "; the task at most 4
	 * bytes a byte (\xNN). */
	t.max = sizeof NETFILE_HEADER + 4 * strlen(task) +
		(size_t)spec->n_layers * 64 + count * (FMT_DOUBLE_MAX + 2) + 256;
	if (!(t.buf = malloc(t.max)))
		return NULL;
	/* A built-in task's name is plain; any other is quoted, escaped. */
	if (task_shape(task, &(struct task_shape){ 0 }) == 0) {
		put(&t, NETFILE_HEADER "task: %s\nwidths: [", task);
	} else {
		put(&t, NETFILE_HEADER "task: \"");
		for (const unsigned char *c = (const unsigned char *)task; *c; c++)
			put(&t, *c == '"' || *c == '\\' ? "\\%c" : *c < 0x20 || *c == 0x7f ? "\\x%02x" : "%c", *c);
		put(&t, "\"\nwidths: [");
	}
	for (int l = 0; l < spec->n_layers; l++)
		put(&t, "%s%d", l ? ", " : "", spec->width[l]);
	put(&t, "]\nactivations: [");
	for (int l = 1; l < spec->n_layers; l++)
		put(&t, "%s%s", l > 1 ? ", " : "", act_names[spec->act[l]]);
	put(&t, "]\nloss: %s\nlayers:\n", net_loss_names[spec->loss]);
	for (int l = 1; l < spec->n_layers; l++) {
		size_t nw = (size_t)spec->width[l - 1] * (size_t)spec->width[l];
		put(&t, "  - weights: ");
		put_values(&t, params, nw);
		params += nw;
		put(&t, "    biases: ");
		put_values(&t, params, (size_t)spec->width[l]);
		params += spec->width[l];
	}
	*len = t.n;
	return t.buf;
}

int netfile_write(struct results_run *r, const char *task, const struct net_spec *spec,
		  const double *params, struct err *e)
{
	size_t len;
	char *text = netfile_format(task, spec, params, &len);
	int rc;

	if (!text)
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory for " NETFILE_NAME);
	rc = results_write_file(r, NETFILE_NAME, text, len, e);
	free(text);
	return rc;
}

/* ---- reading: libcyaml loads every value as text (1.3.1 would read
 * `widths: [2.5]` as 2 and `0.1x` as 0.1), then each is checked. ---- */

struct raw_layer {
	char **weights;
	unsigned weights_count;
	char **biases;
	unsigned biases_count;
};

struct raw_net {
	char *task;
	char **widths;
	unsigned widths_count;
	char **activations;
	unsigned activations_count;
	char *loss;
	struct raw_layer *layers;
	unsigned layers_count;
};

static const cyaml_schema_value_t text_schema = {
	CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 0, CYAML_UNLIMITED),
};

static const cyaml_schema_field_t layer_fields[] = {
	CYAML_FIELD_SEQUENCE("weights", CYAML_FLAG_POINTER, struct raw_layer, weights,
			     &text_schema, 0, NET_MAX_WIDTH * NET_MAX_WIDTH),
	CYAML_FIELD_SEQUENCE("biases", CYAML_FLAG_POINTER, struct raw_layer, biases,
			     &text_schema, 0, NET_MAX_WIDTH),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t layer_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct raw_layer, layer_fields),
};

static const cyaml_schema_field_t net_fields[] = {
	CYAML_FIELD_STRING_PTR("task", CYAML_FLAG_POINTER, struct raw_net, task, 0,
			       NETFILE_TASK_MAX - 1),
	CYAML_FIELD_SEQUENCE("widths", CYAML_FLAG_POINTER, struct raw_net, widths,
			     &text_schema, 0, NET_MAX_LAYERS),
	CYAML_FIELD_SEQUENCE("activations", CYAML_FLAG_POINTER, struct raw_net, activations,
			     &text_schema, 0, NET_MAX_LAYERS - 1),
	CYAML_FIELD_STRING_PTR("loss", CYAML_FLAG_POINTER, struct raw_net, loss, 0, 64),
	CYAML_FIELD_SEQUENCE("layers", CYAML_FLAG_POINTER, struct raw_net, layers,
			     &layer_schema, 0, NET_MAX_LAYERS - 1),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t net_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct raw_net, net_fields),
};

/* A path to a node: keys of mappings and indexes of sequences. */
struct step {
	const char *key;        /* NULL: index into a sequence */
	unsigned index;
};

static int next_event(yaml_parser_t *p, yaml_event_t *ev)
{
	return yaml_parser_parse(p, ev) ? 0 : -1;
}

/* Skips the rest of the node that ev starts. */
static int skip_node(yaml_parser_t *p, yaml_event_t *ev)
{
	int depth = ev->type == YAML_MAPPING_START_EVENT || ev->type == YAML_SEQUENCE_START_EVENT;

	yaml_event_delete(ev);
	while (depth > 0) {
		if (next_event(p, ev))
			return -1;
		if (ev->type == YAML_MAPPING_START_EVENT || ev->type == YAML_SEQUENCE_START_EVENT)
			depth++;
		else if (ev->type == YAML_MAPPING_END_EVENT || ev->type == YAML_SEQUENCE_END_EVENT)
			depth--;
		yaml_event_delete(ev);
	}
	return 0;
}

/* 1 and the node's position when the path leads somewhere from the node
 * that ev starts; 0 when it does not; -1 on a syntax error. Takes ev. */
static int walk(yaml_parser_t *p, yaml_event_t *ev, const struct step *path, int n,
		int *line, int *col)
{
	yaml_event_type_t type = ev->type;
	unsigned i = 0;

	if (n == 0) {
		*line = (int)ev->start_mark.line + 1;
		*col = (int)ev->start_mark.column + 1;
		yaml_event_delete(ev);
		return 1;
	}
	if (type != YAML_MAPPING_START_EVENT && type != YAML_SEQUENCE_START_EVENT)
		return skip_node(p, ev) ? -1 : 0;
	yaml_event_delete(ev);
	for (;; i++) {
		yaml_event_t key, val;
		int hit;

		if (next_event(p, &key))
			return -1;
		if (key.type == YAML_MAPPING_END_EVENT || key.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&key);
			return 0;
		}
		if (type == YAML_SEQUENCE_START_EVENT) {
			if (!path->key && i == path->index)
				return walk(p, &key, path + 1, n - 1, line, col);
			if (skip_node(p, &key))
				return -1;
			continue;
		}
		hit = path->key && key.type == YAML_SCALAR_EVENT &&
		      strcmp((const char *)key.data.scalar.value, path->key) == 0;
		if (skip_node(p, &key) || next_event(p, &val))
			return -1;
		if (hit)
			return walk(p, &val, path + 1, n - 1, line, col);
		if (skip_node(p, &val))
			return -1;
	}
}

/* Where path's node starts in buf (1-based); 0, 0 if nowhere. */
static void locate(const char *buf, size_t len, const struct step *path, int n,
		   int *line, int *col)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int found = 0;

	*line = *col = 0;
	if (!yaml_parser_initialize(&p))
		return;
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	/* the stream's and the document's start, then the root node */
	for (int k = 0; k < 2 && !found; k++) {
		if (next_event(&p, &ev))
			found = -1;
		else
			yaml_event_delete(&ev);
	}
	if (!found && !next_event(&p, &ev))
		walk(&p, &ev, path, n, line, col);
	yaml_parser_delete(&p);
}

/* libcyaml places an unknown or repeated key at the value before it:
 * where the first key called name (repeat: the first repeated within
 * its mapping) starts instead; 0, 0 if nowhere. */
static void locate_key(const char *buf, size_t len, const char *name, int repeat,
		       int *line, int *col)
{
	struct frame {
		int map, at_key;
		char seen[8][16];
		int n_seen;
	} stack[YAML_DEPTH_MAX], *top = NULL;
	yaml_parser_t p;
	yaml_event_t ev;
	int depth = 0, done = 0;

	*line = *col = 0;
	if (!yaml_parser_initialize(&p))
		return;
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	while (!done && !next_event(&p, &ev)) {
		int is_key = top && top->map && top->at_key;
		yaml_event_type_t t = ev.type;

		if (top && top->map && t != YAML_MAPPING_END_EVENT)
			top->at_key = !top->at_key;
		if (t == YAML_SCALAR_EVENT && is_key) {
			const char *k = (const char *)ev.data.scalar.value;
			int hit = !repeat && strcmp(k, name) == 0;
			for (int i = 0; repeat && i < top->n_seen; i++)
				hit |= strcmp(top->seen[i], k) == 0;
			if (top->n_seen < 8)
				snprintf(top->seen[top->n_seen++], sizeof top->seen[0], "%s", k);
			if (hit) {
				*line = (int)ev.start_mark.line + 1;
				*col = (int)ev.start_mark.column + 1;
				done = 1;
			}
		} else if (t == YAML_MAPPING_START_EVENT || t == YAML_SEQUENCE_START_EVENT) {
			if (depth == YAML_DEPTH_MAX)
				done = 1;
			else
				top = &stack[depth++];
			if (top)
				*top = (struct frame){ .map = t == YAML_MAPPING_START_EVENT, .at_key = 1 };
		} else if (t == YAML_MAPPING_END_EVENT || t == YAML_SEQUENCE_END_EVENT) {
			depth--;
			top = depth ? &stack[depth - 1] : NULL;
		}
		done |= t == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
}

struct reader {
	const char *file, *buf;
	size_t len;
	struct err *e;
};

static int at_error(const struct reader *r, const struct step *path, int n,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int at_error(const struct reader *r, const struct step *path, int n,
		    const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;
	int line, col;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	locate(r->buf, r->len, path, n, &line, &col);
	return err_set(r->e, NN_EUSAGE, r->file, line, col, "%s", msg);
}

/* A decimal number as fmt_double writes them (-1.5, 2e-05, 1.25e+300),
 * or nan, inf, -inf; nothing else (no hex, no junk, no 1e999). */
int netfile_number(const char *s, double *out)
{
	const char *p = s;
	int digits = 0;
	char *end;

	if (strcmp(s, "nan") == 0 || strcmp(s, "inf") == 0 || strcmp(s, "-inf") == 0) {
		*out = s[0] == 'n' ? NAN : s[0] == '-' ? -INFINITY : INFINITY;
		return 0;
	}
	if (*p == '-')
		p++;
	for (; *p >= '0' && *p <= '9'; p++)
		digits++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			digits++;
	if (!digits)
		return -1;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p)
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	return end == p && !isinf(*out) ? 0 : -1;
}

/* A width: 1..NET_MAX_WIDTH in plain decimal. */
static int parse_width(const char *s, int *out)
{
	int v = 0;

	if (!*s || s[0] == '0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > NET_MAX_WIDTH)
			return -1;
		v = v * 10 + (*s - '0');
	}
	*out = v;
	return v <= NET_MAX_WIDTH ? 0 : -1;
}

static int read_values(const struct reader *r, char **text, unsigned count,
		       unsigned layer, const char *what, double *out)
{
	for (unsigned i = 0; i < count; i++) {
		if (netfile_number(text[i], &out[i])) {
			char q[48];
			struct step at[] = { { "layers", 0 }, { NULL, layer }, { what, 0 }, { NULL, i } };
			return at_error(r, at, 4, "layer %u's %s: '%s' is not a number", layer + 1, what,
					err_quote(q, sizeof q, text[i], strlen(text[i])));
		}
	}
	return 0;
}

static int check_raw(const struct reader *r, const struct raw_net *raw, struct netfile *nf)
{
	struct net_spec *s = &nf->spec;
	struct task_shape sh;
	char q[48];
	size_t count;
	double *v;

	memset(nf, 0, sizeof *nf);
	if (!raw->task[0])
		return at_error(r, (struct step[]){ { "task", 0 } }, 1, "task is empty");
	snprintf(nf->task, sizeof nf->task, "%s", raw->task);
	if (raw->widths_count < 2)
		return at_error(r, (struct step[]){ { "widths", 0 } }, 1,
				"widths lists %u layer%s; a network has at least 2 (inputs and outputs)",
				raw->widths_count, raw->widths_count == 1 ? "" : "s");
	s->n_layers = (int)raw->widths_count;
	for (unsigned l = 0; l < raw->widths_count; l++)
		if (parse_width(raw->widths[l], &s->width[l]))
			return at_error(r, (struct step[]){ { "widths", 0 }, { NULL, l } }, 2,
					"widths: '%s' is not a whole number from 1 to %d",
					err_quote(q, sizeof q, raw->widths[l], strlen(raw->widths[l])),
					NET_MAX_WIDTH);
	if (raw->activations_count != raw->widths_count - 1)
		return at_error(r, (struct step[]){ { "activations", 0 } }, 1,
				"activations lists %u name%s; widths need %u (one per layer after the inputs)",
				raw->activations_count, raw->activations_count == 1 ? "" : "s",
				raw->widths_count - 1);
	for (unsigned l = 0; l < raw->activations_count; l++)
		if (act_from_name(raw->activations[l], &s->act[l + 1]))
			return at_error(r, (struct step[]){ { "activations", 0 }, { NULL, l } }, 2,
					"unknown activation '%s' (sigmoid, tanh or relu)",
					err_quote(q, sizeof q, raw->activations[l], strlen(raw->activations[l])));
	s->loss = NET_LOSS_COUNT;
	for (int i = 0; i < NET_LOSS_COUNT; i++)
		if (strcmp(raw->loss, net_loss_names[i]) == 0)
			s->loss = (enum net_loss)i;
	if (s->loss == NET_LOSS_COUNT)
		return at_error(r, (struct step[]){ { "loss", 0 } }, 1, "unknown loss '%s' (mse or bce)",
				err_quote(q, sizeof q, raw->loss, strlen(raw->loss)));
	if (task_shape(nf->task, &sh) == 0 &&
	    (sh.n_in != s->width[0] || sh.n_out != s->width[s->n_layers - 1]))
		return at_error(r, (struct step[]){ { "widths", 0 } }, 1,
				"widths start with %d input%s and end with %d output%s; task %s has %d and %d",
				s->width[0], s->width[0] == 1 ? "" : "s", s->width[s->n_layers - 1],
				s->width[s->n_layers - 1] == 1 ? "" : "s", nf->task, sh.n_in, sh.n_out);
	if (raw->layers_count != raw->widths_count - 1)
		return at_error(r, (struct step[]){ { "layers", 0 } }, 1,
				"layers lists %u layer%s; widths need %u", raw->layers_count,
				raw->layers_count == 1 ? "" : "s", raw->widths_count - 1);
	if ((count = net_param_count(s)) > NET_MAX_PARAMS)
		return at_error(r, (struct step[]){ { "widths", 0 } }, 1,
				"widths make %zu parameters, more than the limit of %d", count, NET_MAX_PARAMS);
	if (!(nf->params = v = malloc(count * sizeof *v)))
		return err_set(r->e, NN_ERUN, NULL, 0, 0, "out of memory");
	for (unsigned l = 0; l < raw->layers_count; l++) {
		const struct raw_layer *ly = &raw->layers[l];
		unsigned nw = (unsigned)s->width[l] * (unsigned)s->width[l + 1];
		unsigned nb = (unsigned)s->width[l + 1];

		if (ly->weights_count != nw)
			return at_error(r, (struct step[]){ { "layers", 0 }, { NULL, l }, { "weights", 0 } }, 3,
					"layer %u's weights hold %u value%s; widths %d -> %d need %u",
					l + 1, ly->weights_count, ly->weights_count == 1 ? "" : "s",
					s->width[l], s->width[l + 1], nw);
		if (ly->biases_count != nb)
			return at_error(r, (struct step[]){ { "layers", 0 }, { NULL, l }, { "biases", 0 } }, 3,
					"layer %u's biases hold %u value%s; width %d needs %u",
					l + 1, ly->biases_count, ly->biases_count == 1 ? "" : "s",
					s->width[l + 1], nb);
		if (read_values(r, ly->weights, nw, l, "weights", v) ||
		    read_values(r, ly->biases, nb, l, "biases", v + nw))
			return r->e->code;
		v += nw + nb;
	}
	return 0;
}

int netfile_parse(const char *file, const char *buf, size_t len,
		  struct netfile *nf, struct err *e)
{
	struct cyaml_log log = { "", 0, 0 };
	cyaml_config_t cfg = cyaml_log_config(&log);
	struct reader r = { file, buf, len, e };
	struct raw_net *raw = NULL;
	cyaml_err_t rc;
	int bad;

	memset(nf, 0, sizeof *nf);
	rc = cyaml_load_data((const uint8_t *)buf, len, &cfg, &net_schema, (cyaml_data_t **)&raw, NULL);
	if (rc != CYAML_OK && strncmp(log.msg, "Unexpected key: ", 16) == 0)
		locate_key(buf, len, log.msg + 16, 0, &log.line, &log.col);
	else if (rc != CYAML_OK && strncmp(log.msg, "Mapping field already seen: ", 28) == 0)
		locate_key(buf, len, log.msg + 28, 1, &log.line, &log.col);
	if (rc != CYAML_OK)
		return err_set(e, rc == CYAML_ERR_OOM ? NN_ERUN : NN_EUSAGE, file, log.line, log.col,
			       "%s", log.msg[0] ? log.msg : cyaml_strerror(rc));
	if (!raw)
		return err_set(e, NN_EUSAGE, file, 0, 0, "is empty: expected a network (task, widths, activations, loss, layers)");
	bad = check_raw(&r, raw, nf);
	cyaml_free(&cfg, &net_schema, raw, 0);
	if (bad)
		netfile_free(nf);
	return bad;
}

int netfile_read(const char *path, struct netfile *nf, struct err *e)
{
	struct stat sb = { 0 };
	size_t n = 0;
	ssize_t got = 0;
	char *buf;
	int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC), rc;

	memset(nf, 0, sizeof *nf);
	if (fd < 0)
		return err_set(e, NN_EUSAGE, path, 0, 0, "cannot open: %s", strerror(errno));
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size > NETFILE_MAX_BYTES) {
		int big = sb.st_size > NETFILE_MAX_BYTES && S_ISREG(sb.st_mode);
		close(fd);
		return err_set(e, NN_EUSAGE, path, 0, 0, big ? "is larger than the limit of %d bytes" :
			       "is not a regular file", NETFILE_MAX_BYTES);
	}
	if (!(buf = malloc((size_t)sb.st_size + 1))) {
		close(fd);
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	}
	while (n < (size_t)sb.st_size && (got = read(fd, buf + n, (size_t)sb.st_size - n)) > 0)
		n += (size_t)got;
	close(fd);
	if (got < 0) {
		free(buf);
		return err_set(e, NN_EUSAGE, path, 0, 0, "cannot read: %s", strerror(errno));
	}
	buf[n] = '\0';
	rc = netfile_parse(path, buf, n, nf, e);
	free(buf);
	return rc;
}

void netfile_free(struct netfile *nf)
{
	free(nf->params);
	nf->params = NULL;
}
