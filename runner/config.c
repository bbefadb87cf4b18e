/* config.c: reads an experiment's YAML through libcyaml, checks every value, builds the study. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cyaml/cyaml.h>

#include "data.h"
#include "fmt.h"
#include "ytree.h"

int config_key_from_name(const char *name)
{
	for (int k = 0; k < KEY_COUNT; k++)
		if (strcmp(name, config_keys[k].name) == 0)
			return k;
	return -1;
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64];

	if (la >= 64 || lb >= 64)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* name is the first letters of key's words: lr, learning_rate. */
static int is_initials(const char *name, const char *key)
{
	if (strlen(name) < 2 || !strchr(key, '_'))
		return 0;
	for (const char *w = key; *w; name++) {
		if (*name != *w)
			return 0;
		w = strchr(w, '_');
		w = w ? w + 1 : "";
	}
	return *name == '\0';
}

const char *config_key_suggest(const char *name)
{
	static const char *const extra[] = { "sweep" };
	const char *best = NULL;
	size_t best_d = 4;   /* suggest nothing further than 3 edits away */

	for (int k = 0; k < KEY_COUNT + 1; k++) {
		const char *cand = k < KEY_COUNT ? config_keys[k].name : extra[0];
		size_t d = edit_distance(name, cand);

		/* "rate" is many edits from "learning_rate" but inside it:
		 * a part of a key counts as one edit away, and so do its
		 * words' initials ("lr"). */
		if (((strlen(name) >= 3 && strstr(cand, name)) || is_initials(name, cand)) && d > 1)
			d = 1;
		if (d < best_d) {
			best = cand;
			best_d = d;
		}
	}
	return best;
}

/* ---- checking single values ---- */

static int bad(struct err *e, const struct config_pos *p, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(struct err *e, const struct config_pos *p, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return err_set(e, NN_EUSAGE, p->file, p->file ? p->line : 0,
		       p->file ? p->col : 0, "%s", msg);
}

#define QUOTE(buf, s) err_quote(buf, sizeof buf, s, strlen(s))

/* A whole number written in decimal digits only: no sign, exponent,
 * fraction, underscore, octal or hex form. */
static int parse_uint(const char *key, const char *s, int quoted,
		      uint64_t min, uint64_t max, const struct config_pos *p,
		      uint64_t *out, struct err *e)
{
	char q[64];
	uint64_t v = 0;
	size_t i = 0;

	if (quoted)
		return bad(e, p, "%s must be a whole number, not a quoted string \"%s\"",
			   key, QUOTE(q, s));
	if (!s[0])
		return bad(e, p, "%s needs a value", key);
	for (i = 0; s[i]; i++) {
		if (!isdigit((unsigned char)s[i]))
			return bad(e, p, "%s must be a whole number in decimal digits, got '%s'",
				   key, QUOTE(q, s));
		if (v > (UINT64_MAX - 9) / 10) {
			v = UINT64_MAX;
			continue;
		}
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (s[0] == '0' && s[1])
		return bad(e, p, "%s must be written without leading zeros, got '%s'",
			   key, QUOTE(q, s));
	if (v < min || v > max)
		return bad(e, p, "%s must be between %llu and %llu, got %s", key,
			   (unsigned long long)min, (unsigned long long)max,
			   QUOTE(q, s));
	*out = v;
	return 0;
}

/* YAML 1.2's decimal float form: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static int is_decimal_number(const char *s)
{
	size_t i = 0, digits = 0;

	if (s[i] == '+' || s[i] == '-')
		i++;
	while (isdigit((unsigned char)s[i]))
		i++, digits++;
	if (s[i] == '.') {
		i++;
		while (isdigit((unsigned char)s[i]))
			i++, digits++;
	}
	if (!digits)
		return 0;
	if (s[i] == 'e' || s[i] == 'E') {
		size_t exp_digits = 0;
		i++;
		if (s[i] == '+' || s[i] == '-')
			i++;
		while (isdigit((unsigned char)s[i]))
			i++, exp_digits++;
		if (!exp_digits)
			return 0;
	}
	return s[i] == '\0';
}

static int parse_positive_double(const char *key, const char *s, int quoted,
				 const struct config_pos *p, double *out,
				 struct err *e)
{
	char q[64];
	const char *t = s + (s[0] == '+' || s[0] == '-');
	double v;

	if (quoted)
		return bad(e, p, "%s must be a number, not a quoted string \"%s\"",
			   key, QUOTE(q, s));
	if (!s[0])
		return bad(e, p, "%s needs a value", key);
	if (strcasecmp(t, "nan") == 0 || strcasecmp(t, ".nan") == 0 ||
	    strcasecmp(t, "inf") == 0 || strcasecmp(t, ".inf") == 0 ||
	    strcasecmp(t, "infinity") == 0)
		return bad(e, p, "%s must be a finite number > 0, got '%s'", key,
			   QUOTE(q, s));
	if (!is_decimal_number(s))
		return bad(e, p, "%s must be a decimal number, got '%s'", key,
			   QUOTE(q, s));
	errno = 0;
	v = strtod(s, NULL);
	if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL))
		return bad(e, p, "%s is too large for a double, got '%s'", key,
			   QUOTE(q, s));
	if (!(v > 0) || errno == ERANGE)
		return bad(e, p, "%s must be a finite number > 0, got '%s'", key,
			   QUOTE(q, s));
	*out = v;
	return 0;
}

static int parse_name_of(const char *key, const char *s, const char *const *names,
			 int count, const struct config_pos *p, int *out,
			 struct err *e)
{
	char q[64], list[128] = "";

	for (int i = 0; i < count; i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = i;
			return 0;
		}
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
			 i ? (i + 1 == count ? " or " : ", ") : "", names[i]);
	}
	if (!s[0])
		return bad(e, p, "%s needs a value: %s", key, list);
	return bad(e, p, "unknown %s '%s': expected %s", key, QUOTE(q, s), list);
}

static int expect_scalar(const char *key, const struct cval *v, struct err *e)
{
	if (v->is_seq)
		return bad(e, &v->pos, "%s takes one value, not a list", key);
	return 0;
}

static int set_name(struct config *c, const struct cval *v, struct err *e)
{
	const char *s = v->item[0];
	char q[64];
	size_t len = strlen(s);

	if (expect_scalar("name", v, e))
		return e->code;
	if (len == 0)
		return bad(e, &v->pos, "name must not be empty");
	if (len > CONFIG_NAME_MAX)
		return bad(e, &v->pos, "name is longer than %d characters",
			   CONFIG_NAME_MAX);
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (!isalnum(ch) && ch != '-' && ch != '_' && ch != '.')
			return bad(e, &v->pos,
				   "name '%s' may hold only letters, digits, '-', '_' and '.' (it names a folder under the results)",
				   QUOTE(q, s));
	}
	if (s[0] == '.')
		return bad(e, &v->pos, "name '%s' must not start with '.'", QUOTE(q, s));
	memcpy(c->name, s, len + 1);
	return 0;
}

static int set_layers(struct config *c, const struct cval *v, struct err *e)
{
	uint64_t w;

	if (!v->is_seq)
		return bad(e, &v->pos, "layers must be a list of widths, like [2, 2, 1]");
	if (v->n < 2)
		return bad(e, &v->pos, "layers needs at least 2 entries (input and output), got %d",
			   v->n);
	for (int i = 0; i < v->n; i++) {
		if (parse_uint("a layer width", v->item[i], v->quoted[i], 1,
			       NET_MAX_WIDTH, &v->item_pos[i], &w, e))
			return e->code;
		c->layers[i] = (int)w;
	}
	c->n_layers = v->n;
	c->use_hidden = 0;
	c->layer_pos[0] = v->item_pos[0];
	c->layer_pos[1] = v->item_pos[v->n - 1];
	return 0;
}

/* hidden: [H, ...], the widths between the task's input and output. */
static int set_hidden(struct config *c, const struct cval *v, struct err *e)
{
	uint64_t w;

	if (!v->is_seq)
		return bad(e, &v->pos, "hidden must be a list of widths, like [4] or [8, 8]");
	if (v->n > NET_MAX_LAYERS - 2)
		return bad(e, &v->pos, "hidden lists more than %d layers", NET_MAX_LAYERS - 2);
	for (int i = 0; i < v->n; i++) {
		if (parse_uint("a layer width", v->item[i], v->quoted[i], 1,
			       NET_MAX_WIDTH, &v->item_pos[i], &w, e))
			return e->code;
		c->hidden[i] = (int)w;
	}
	c->n_hidden = v->n;
	c->use_hidden = 1;
	return 0;
}

/* A data file's path as written, relative to the folder of the config
 * file that names it (on the command line: to the current folder), read
 * now so that its errors point into it; c->task keeps the absolute path. */
static int set_task_file(struct config *c, const struct cval *v, struct err *e)
{
	const char *path = v->item[0], *file = v->pos.file;
	const char *slash = file && path[0] != '/' ? strrchr(file, '/') : NULL;
	char label[PATH_MAX], abs[PATH_MAX], q[64];

	if ((size_t)snprintf(label, sizeof label, "%.*s%s", slash ? (int)(slash - file + 1) : 0,
			     file ? file : "", path) >= sizeof label)
		return bad(e, &v->pos, "data file path is too long");
	if (!realpath(label, abs))
		return bad(e, &v->pos, "cannot open data file '%s': %s",
			   QUOTE(q, label), strerror(errno));
	if (strlen(abs) > TASK_NAME_MAX)
		return bad(e, &v->pos, "data file '%s' has an absolute path longer than %d bytes",
			   QUOTE(q, label), TASK_NAME_MAX);
	if (!data_open(abs, label, e))
		return e->code;
	memcpy(c->task, abs, strlen(abs) + 1);
	return 0;
}

static int set_task(struct config *c, const struct cval *v, struct err *e)
{
	struct task_shape sh;
	char q[64];

	if (data_is_path(v->item[0]))
		return set_task_file(c, v, e);
	if (v->quoted[0] == 0 && task_shape(v->item[0], &sh) == 0) {
		snprintf(c->task, sizeof c->task, "%s", v->item[0]);
		return 0;
	}
	if (!v->item[0][0])
		return bad(e, &v->pos, "task needs a value: %s", TASK_NAMES);
	return bad(e, &v->pos, "unknown task '%s': expected %s",
		   QUOTE(q, v->item[0]), TASK_NAMES);
}

/* data_xxh64: 16 hex digits, as xxhsum -H1 prints them. */
static int parse_data_xxh64_key(struct config *c, const struct config_key_def *k,
				const struct cval *v, struct err *e)
{
	const char *s = v->item[0];
	char q[64];

	(void)k;
	if (strlen(s) != 16 || strspn(s, "0123456789abcdef") != 16)
		return bad(e, &v->pos, "data_xxh64 must be 16 lowercase hex digits, got '%s'",
			   QUOTE(q, s));
	c->data_xxh64 = strtoull(s, NULL, 16);
	c->has_data_xxh64 = 1;
	return 0;
}

static int format_data_xxh64_key(const struct config *c, const struct config_key_def *k,
				 char *buf, size_t max)
{
	(void)k;
	return snprintf(buf, max, "%016llx", (unsigned long long)c->data_xxh64);
}

/* Written only for a task read from a file: built-in tasks' ids stay. */
static int omit_data_xxh64(const struct config *c)
{
	return !c->has_data_xxh64;
}

static int set_activation(struct config *c, const struct cval *v, struct err *e)
{
	int a;

	if (v->is_seq && v->n == 0)
		return bad(e, &v->pos, "activation list must not be empty");
	for (int i = 0; i < v->n; i++) {
		if (parse_name_of("activation", v->item[i], act_names, ACT_COUNT,
				  v->is_seq ? &v->item_pos[i] : &v->pos, &a, e))
			return e->code;
		c->act[i] = (enum act)a;
	}
	c->n_act = v->n;
	c->act_list = v->is_seq;
	return 0;
}

/* ---- the plain kinds of value, placed by the row's offset ---- */

static void put_uint(struct config *c, const struct config_key_def *k, uint64_t v)
{
	char *at = (char *)c + k->offset;

	if (k->size == sizeof(uint32_t)) {
		uint32_t u = (uint32_t)v;
		memcpy(at, &u, sizeof u);
	} else {
		memcpy(at, &v, sizeof v);
	}
}

uint64_t config_get_uint(const struct config *c, enum config_key key)
{
	const struct config_key_def *k = &config_keys[key];
	const char *at = (const char *)c + k->offset;

	if (k->size == sizeof(uint32_t)) {
		uint32_t u;
		memcpy(&u, at, sizeof u);
		return u;
	}
	uint64_t v;
	memcpy(&v, at, sizeof v);
	return v;
}

static int parse_uint_key(struct config *c, const struct config_key_def *k,
			  const struct cval *v, struct err *e)
{
	uint64_t u;

	if (parse_uint(k->name, v->item[0], v->quoted[0], k->min, k->max, &v->pos, &u, e))
		return e->code;
	put_uint(c, k, u);
	return 0;
}

static int format_uint_key(const struct config *c, const struct config_key_def *k,
			   char *buf, size_t max)
{
	return snprintf(buf, max, "%llu", (unsigned long long)config_get_uint(c, (enum config_key)(k - config_keys)));
}

static int parse_number_key(struct config *c, const struct config_key_def *k,
			    const struct cval *v, struct err *e)
{
	double d = 0;

	if (parse_positive_double(k->name, v->item[0], v->quoted[0], &v->pos, &d, e))
		return e->code;
	memcpy((char *)c + k->offset, &d, sizeof d);
	return 0;
}

static int format_number_key(const struct config *c, const struct config_key_def *k,
			     char *buf, size_t max)
{
	char d[FMT_DOUBLE_MAX];
	double x;

	memcpy(&x, (const char *)c + k->offset, sizeof x);
	fmt_double(d, x);
	return snprintf(buf, max, "%s", d);
}

/* A name from the row's list, stored as its enum value. */
static int parse_choice_key(struct config *c, const struct config_key_def *k,
			    const struct cval *v, struct err *e)
{
	int i;

	if (parse_name_of(k->name, v->item[0], k->names, k->n_names, &v->pos, &i, e))
		return e->code;
	memcpy((char *)c + k->offset, &i, sizeof i);
	return 0;
}

static int format_choice_key(const struct config *c, const struct config_key_def *k,
			     char *buf, size_t max)
{
	int i;

	memcpy(&i, (const char *)c + k->offset, sizeof i);
	return snprintf(buf, max, "%s", k->names[i]);
}

/* ---- the keys with their own forms ---- */

static int parse_name_key(struct config *c, const struct config_key_def *k,
			  const struct cval *v, struct err *e)
{
	(void)k;
	return set_name(c, v, e);
}

static int format_name_key(const struct config *c, const struct config_key_def *k,
			   char *buf, size_t max)
{
	(void)k;
	return snprintf(buf, max, "%s", c->name);
}

static int parse_layers_key(struct config *c, const struct config_key_def *k,
			    const struct cval *v, struct err *e)
{
	(void)k;
	return set_layers(c, v, e);
}

static int format_list(char *buf, size_t max, int n, const int *w,
		       const char *const *names)
{
	size_t len = 0;

	for (int i = 0; i <= n; i++) {
		int rc = i == n ? snprintf(buf + len, max - len, "]") :
			names ? snprintf(buf + len, max - len, "%s%s", i ? ", " : "[", names[w[i]]) :
			snprintf(buf + len, max - len, "%s%d", i ? ", " : "[", w[i]);
		if (rc < 0 || (size_t)rc >= max - len)
			return -1;
		len += (size_t)rc;
	}
	return (int)len;
}

static int parse_hidden_key(struct config *c, const struct config_key_def *k,
			    const struct cval *v, struct err *e)
{
	(void)k;
	return set_hidden(c, v, e);
}

static int format_hidden_key(const struct config *c, const struct config_key_def *k,
			     char *buf, size_t max)
{
	(void)k;
	return format_list(buf, max, c->n_hidden, c->hidden, NULL);
}

static int parse_task_key(struct config *c, const struct config_key_def *k,
			  const struct cval *v, struct err *e)
{
	(void)k;
	return set_task(c, v, e);
}

static int format_task_key(const struct config *c, const struct config_key_def *k,
			   char *buf, size_t max)
{
	(void)k;
	return snprintf(buf, max, "%s", c->task);
}

/* A config written with hidden says hidden, and its resolved layers are
 * written after config_check as layers; never both. */
static int omit_layers(const struct config *c)
{
	return c->use_hidden;
}

static int omit_hidden(const struct config *c)
{
	return !c->use_hidden;
}

static int format_layers_key(const struct config *c, const struct config_key_def *k,
			     char *buf, size_t max)
{
	(void)k;
	return format_list(buf, max, c->n_layers, c->layers, NULL);
}

static int parse_activation_key(struct config *c, const struct config_key_def *k,
				const struct cval *v, struct err *e)
{
	(void)k;
	return set_activation(c, v, e);
}

static int format_activation_key(const struct config *c, const struct config_key_def *k,
				 char *buf, size_t max)
{
	int acts[NET_MAX_LAYERS];

	(void)k;
	if (config_act_count(c) == 1)
		return snprintf(buf, max, "%s", act_names[c->act[0]]);
	for (int i = 0; i < c->n_act; i++)
		acts[i] = (int)c->act[i];
	return format_list(buf, max, c->n_act, acts, act_names);
}

/* ---- the training rules' kinds of value ---- */

/* A finite decimal number in an interval: lo and hi, each included or
 * not; what the interval is said as goes in the message. */
static int parse_double_in(const struct config_key_def *k, const struct cval *v,
			   double lo, int lo_in, double hi, int hi_in, const char *says,
			   double *out, struct err *e)
{
	const char *s = v->item[0];
	char q[64];
	double d;

	if (v->quoted[0])
		return bad(e, &v->pos, "%s must be a number, not a quoted string \"%s\"",
			   k->name, QUOTE(q, s));
	if (!s[0])
		return bad(e, &v->pos, "%s needs a value", k->name);
	if (!is_decimal_number(s))
		return bad(e, &v->pos, "%s must be a decimal number %s, got '%s'", k->name,
			   says, QUOTE(q, s));
	errno = 0;
	d = strtod(s, NULL);
	if (!isfinite(d) || (errno == ERANGE && d != 0) || d < lo || (d == lo && !lo_in) ||
	    d > hi || (d == hi && !hi_in))
		return bad(e, &v->pos, "%s must be a finite number %s, got '%s'", k->name,
			   says, QUOTE(q, s));
	*out = d == 0 ? 0.0 : d;  /* -0 is 0 */
	return 0;
}

static int put_double(struct config *c, const struct config_key_def *k, double d)
{
	memcpy((char *)c + k->offset, &d, sizeof d);
	return 0;
}

static int parse_nonneg_key(struct config *c, const struct config_key_def *k,
			    const struct cval *v, struct err *e)
{
	double d;

	return parse_double_in(k, v, 0, 1, INFINITY, 0, ">= 0", &d, e) ? e->code :
		put_double(c, k, d);
}

/* beta1, beta2: torch.optim.Adam takes 0 <= beta < 1 */
static int parse_beta_key(struct config *c, const struct config_key_def *k,
			  const struct cval *v, struct err *e)
{
	double d;

	return parse_double_in(k, v, 0, 1, 1, 0, "in [0, 1)", &d, e) ? e->code :
		put_double(c, k, d);
}

/* etaminus, etaplus: torch.optim.Rprop takes 0 < etaminus < 1 < etaplus */
static int parse_etaminus_key(struct config *c, const struct config_key_def *k,
			      const struct cval *v, struct err *e)
{
	double d;

	return parse_double_in(k, v, 0, 0, 1, 0, "in (0, 1)", &d, e) ? e->code :
		put_double(c, k, d);
}

static int parse_etaplus_key(struct config *c, const struct config_key_def *k,
			     const struct cval *v, struct err *e)
{
	double d;

	return parse_double_in(k, v, 1, 0, INFINITY, 0, "> 1", &d, e) ? e->code :
		put_double(c, k, d);
}

/* true or false, YAML 1.2's core schema; stored as an int */
static int parse_bool_key(struct config *c, const struct config_key_def *k,
			  const struct cval *v, struct err *e)
{
	static const char *const forms[] = { "false", "False", "FALSE", "true", "True", "TRUE" };
	char q[64];

	for (int i = 0; i < 6 && !v->quoted[0]; i++)
		if (strcmp(v->item[0], forms[i]) == 0) {
			int b = i >= 3;
			memcpy((char *)c + k->offset, &b, sizeof b);
			return 0;
		}
	return bad(e, &v->pos, "%s must be true or false, %s '%s'", k->name,
		   v->quoted[0] ? "not a quoted string" : "got", QUOTE(q, v->item[0]));
}

static int format_bool_key(const struct config *c, const struct config_key_def *k,
			   char *buf, size_t max)
{
	int b;

	memcpy(&b, (const char *)c + k->offset, sizeof b);
	return snprintf(buf, max, "%s", b ? "true" : "false");
}

/* batch_size: full, or a whole number of rows (config_check holds it to
 * the task's rows); full is stored as 0. */
static int parse_batch_key(struct config *c, const struct config_key_def *k,
			   const struct cval *v, struct err *e)
{
	char q[64];

	if (!v->quoted[0] && strcmp(v->item[0], "full") == 0) {
		c->batch_size = 0;
		return 0;
	}
	if (v->item[0][0] && !isdigit((unsigned char)v->item[0][0]))
		return bad(e, &v->pos, "batch_size must be full or a whole number of rows, got '%s'",
			   QUOTE(q, v->item[0]));
	return parse_uint_key(c, k, v, e);
}

static int format_batch_key(const struct config *c, const struct config_key_def *k,
			    char *buf, size_t max)
{
	return c->batch_size ? format_uint_key(c, k, buf, max) : snprintf(buf, max, "full");
}

/* stop_loss: none, or a loss >= 0 */
static int parse_stop_loss_key(struct config *c, const struct config_key_def *k,
			       const struct cval *v, struct err *e)
{
	if (!v->quoted[0] && strcmp(v->item[0], "none") == 0) {
		c->use_stop_loss = 0;
		c->stop_loss = 0;
		return 0;
	}
	if (parse_double_in(k, v, 0, 1, INFINITY, 0, ">= 0 (or none)", &c->stop_loss, e))
		return e->code;
	c->use_stop_loss = 1;
	return 0;
}

static int format_stop_loss_key(const struct config *c, const struct config_key_def *k,
				char *buf, size_t max)
{
	return c->use_stop_loss ? format_number_key(c, k, buf, max) : snprintf(buf, max, "none");
}

#define UINT_KEY(field, lo, hi) \
	.min = (lo), .max = (hi), .offset = offsetof(struct config, field), \
	.size = sizeof(((struct config *)NULL)->field), \
	.parse = parse_uint_key, .format = format_uint_key
#define NUMBER_KEY(field) \
	.offset = offsetof(struct config, field), \
	.size = sizeof(((struct config *)NULL)->field), \
	.parse = parse_number_key, .format = format_number_key
#define CHOICE_KEY(field, list, count) \
	.names = (list), .n_names = (count), .offset = offsetof(struct config, field), \
	.size = sizeof(((struct config *)NULL)->field), \
	.parse = parse_choice_key, .format = format_choice_key

/* The keys in config.yaml's order, which is also the order of the run
 * id's text: a new key goes at the end, or is CONFIG_OMIT_DEFAULT. */
const struct config_key_def config_keys[KEY_COUNT] = {
	[KEY_NAME] = { "name", NULL, CONFIG_SCALAR, 0,
		.parse = parse_name_key, .format = format_name_key,
		.doc = "the study's folder under the results (default: the config file's name)" },
	[KEY_LAYERS] = { "layers", "[2, 2, 1]", CONFIG_LIST, CONFIG_SWEEP | CONFIG_ID,
		.parse = parse_layers_key, .format = format_layers_key, .omitted = omit_layers,
		.doc = "widths: input, hidden..., output (the task's widths at the ends)" },
	[KEY_ACTIVATION] = { "activation", "sigmoid", CONFIG_EITHER, CONFIG_SWEEP | CONFIG_ID,
		.names = act_names, .n_names = ACT_COUNT,
		.parse = parse_activation_key, .format = format_activation_key,
		.doc = "of the hidden layers: one name, or a list of one per hidden layer" },
	[KEY_OUTPUT_ACTIVATION] = { "output_activation", "sigmoid", CONFIG_SCALAR,
		CONFIG_SWEEP | CONFIG_ID, CHOICE_KEY(output_act, act_names, ACT_COUNT),
		.doc = "of the output layer" },
	[KEY_LEARNING_RATE] = { "learning_rate", "0.1", CONFIG_SCALAR,
		CONFIG_SWEEP | CONFIG_GRID | CONFIG_ID,
		NUMBER_KEY(learning_rate), .doc = "a finite number > 0" },
	[KEY_EPOCHS] = { "epochs", "10000", CONFIG_SCALAR,
		CONFIG_SWEEP | CONFIG_RANGE | CONFIG_ID, UINT_KEY(epochs, 1, CONFIG_MAX_EPOCHS),
		.doc = "passes over the task's rows" },
	[KEY_SEED] = { "seed", "42", CONFIG_SCALAR, CONFIG_SWEEP | CONFIG_RANGE | CONFIG_ID,
		UINT_KEY(seed, 0, UINT32_MAX), .doc = "np.random.seed of the weights" },
	[KEY_INIT] = { "init", "normal", CONFIG_SCALAR, CONFIG_SWEEP | CONFIG_ID,
		CHOICE_KEY(init, net_init_names, NET_INIT_COUNT), .doc = "how the weights are drawn" },
	[KEY_LOSS] = { "loss", "mse", CONFIG_SCALAR, CONFIG_SWEEP | CONFIG_ID,
		CHOICE_KEY(loss, net_loss_names, NET_LOSS_COUNT), .doc = "what training minimises" },
	[KEY_LOG_EVERY] = { "log_every", "1", CONFIG_SCALAR,
		CONFIG_SWEEP | CONFIG_RANGE | CONFIG_ID, UINT_KEY(log_every, 1, CONFIG_MAX_EPOCHS),
		.doc = "write every Nth epoch's loss, and the last" },
	[KEY_TASK] = { "task", "xor", CONFIG_SCALAR,
		CONFIG_SWEEP | CONFIG_ID | CONFIG_OMIT_DEFAULT,
		.names = task_names, .n_names = TASK_N_NAMES,
		.parse = parse_task_key, .format = format_task_key,
		.doc = "xor, and, or, nand, nor, xnor, parity-N (N = 2..16), encoder-N (N = 2..256), or a .csv or .data file" },
	[KEY_HIDDEN] = { "hidden", NULL, CONFIG_LIST, CONFIG_SWEEP,
		.parse = parse_hidden_key, .format = format_hidden_key, .omitted = omit_hidden,
		.doc = "hidden widths, instead of layers: the task gives the ends" },
	[KEY_TARGETS] = { "targets", "1", CONFIG_SCALAR,
		CONFIG_SWEEP | CONFIG_ID | CONFIG_OMIT_DEFAULT,
		UINT_KEY(targets, 1, NET_MAX_WIDTH),
		.doc = "of a CSV task: how many of its last columns are targets" },
	[KEY_DATA_XXH64] = { "data_xxh64", NULL, CONFIG_SCALAR, CONFIG_ID,
		.parse = parse_data_xxh64_key, .format = format_data_xxh64_key,
		.omitted = omit_data_xxh64,
		.doc = "XXH64 of the data file, recorded with each run: other bytes are refused" },
	[KEY_SAMPLES] = { "samples", NULL, CONFIG_SCALAR, CONFIG_STUDY | CONFIG_OMIT_DEFAULT,
		UINT_KEY(samples, 1, CONFIG_MAX_RUNS),
		.doc = "points a random sweep draws (each crossed with the other axes)" },
	[KEY_SWEEP_SEED] = { "sweep_seed", "0", CONFIG_SCALAR, CONFIG_STUDY | CONFIG_OMIT_DEFAULT,
		UINT_KEY(sweep_seed, 0, UINT32_MAX),
		.doc = "np.random.RandomState seed of a random sweep's points" },
#define RULE_FLAGS (CONFIG_SWEEP | CONFIG_ID | CONFIG_OMIT_DEFAULT)
#define RULE_NUMBER(field, parser) \
	.offset = offsetof(struct config, field), \
	.size = sizeof(((struct config *)NULL)->field), .parse = (parser), .format = format_number_key
	[KEY_OPTIMIZER] = { "optimizer", "sgd", CONFIG_SCALAR, RULE_FLAGS,
		CHOICE_KEY(optim.kind, optim_names, OPTIM_COUNT),
		.doc = "sgd (the tutorial's step), momentum, nesterov, adam or rprop (torch.optim's rules)" },
	[KEY_MOMENTUM] = { "momentum", "0.9", CONFIG_SCALAR, RULE_FLAGS | CONFIG_GRID,
		RULE_NUMBER(optim.momentum, parse_nonneg_key), .doc = "of momentum and nesterov, >= 0" },
	[KEY_BETA1] = { "beta1", "0.9", CONFIG_SCALAR, RULE_FLAGS | CONFIG_GRID,
		RULE_NUMBER(optim.beta1, parse_beta_key), .doc = "adam's first-moment decay, in [0, 1)" },
	[KEY_BETA2] = { "beta2", "0.999", CONFIG_SCALAR, RULE_FLAGS | CONFIG_GRID,
		RULE_NUMBER(optim.beta2, parse_beta_key), .doc = "adam's second-moment decay, in [0, 1)" },
	[KEY_EPS] = { "eps", "1e-08", CONFIG_SCALAR, RULE_FLAGS | CONFIG_GRID,
		RULE_NUMBER(optim.eps, parse_nonneg_key), .doc = "adam's term added to the denominator, >= 0" },
	[KEY_WEIGHT_DECAY] = { "weight_decay", "0.0", CONFIG_SCALAR, RULE_FLAGS | CONFIG_GRID,
		RULE_NUMBER(optim.weight_decay, parse_nonneg_key),
		.doc = "added to the gradient times each parameter, >= 0 (not with rprop)" },
	[KEY_ETAMINUS] = { "etaminus", "0.5", CONFIG_SCALAR, RULE_FLAGS | CONFIG_GRID,
		RULE_NUMBER(optim.etaminus, parse_etaminus_key),
		.doc = "rprop's step factor after a sign change, in (0, 1)" },
	[KEY_ETAPLUS] = { "etaplus", "1.2", CONFIG_SCALAR, RULE_FLAGS | CONFIG_GRID,
		RULE_NUMBER(optim.etaplus, parse_etaplus_key),
		.doc = "rprop's step factor while the sign holds, > 1" },
	[KEY_STEP_MIN] = { "step_min", "1e-06", CONFIG_SCALAR, RULE_FLAGS | CONFIG_GRID,
		RULE_NUMBER(optim.step_min, parse_nonneg_key), .doc = "rprop's smallest step, >= 0" },
	[KEY_STEP_MAX] = { "step_max", "50.0", CONFIG_SCALAR, RULE_FLAGS | CONFIG_GRID,
		RULE_NUMBER(optim.step_max, parse_nonneg_key),
		.doc = "rprop's largest step, >= step_min (learning_rate is its first step)" },
	[KEY_BATCH_SIZE] = { "batch_size", "full", CONFIG_SCALAR, RULE_FLAGS,
		.min = 1, .max = TASK_MAX_ROWS, .offset = offsetof(struct config, batch_size),
		.size = sizeof(uint64_t), .parse = parse_batch_key, .format = format_batch_key,
		.doc = "rows per step: full, or 1 .. the task's rows (the last batch may be smaller)" },
	[KEY_SHUFFLE] = { "shuffle", "true", CONFIG_SCALAR, RULE_FLAGS,
		.offset = offsetof(struct config, shuffle), .size = sizeof(int), .parse = parse_bool_key,
		.format = format_bool_key,
		.doc = "batches follow np.random.permutation(rows) each epoch (false: row order)" },
	[KEY_STOP_LOSS] = { "stop_loss", "none", CONFIG_SCALAR, RULE_FLAGS,
		.offset = offsetof(struct config, stop_loss), .parse = parse_stop_loss_key,
		.format = format_stop_loss_key, .doc = "stop at the first epoch whose loss is <= this" },
	[KEY_STOP_SOLVED] = { "stop_solved", "false", CONFIG_SCALAR, RULE_FLAGS,
		.offset = offsetof(struct config, stop_solved), .size = sizeof(int), .parse = parse_bool_key,
		.format = format_bool_key, .doc = "stop at the first epoch whose outputs all round right" },
	[KEY_PATIENCE] = { "patience", "0", CONFIG_SCALAR, RULE_FLAGS,
		UINT_KEY(patience, 0, CONFIG_MAX_EPOCHS),
		.doc = "stop after this many epochs without a new best loss (0: never)" },
	[KEY_MIN_DELTA] = { "min_delta", "0.0", CONFIG_SCALAR, RULE_FLAGS | CONFIG_GRID,
		RULE_NUMBER(min_delta, parse_nonneg_key),
		.doc = "a new best loss is more than this below the best so far" },
};

/* A default as the table writes it: one value, or "[a, b, ...]". */
static void default_cval(const char *def, char *buf, size_t max, struct cval *v)
{
	memset(v, 0, sizeof *v);
	snprintf(buf, max, "%s", def);
	if (buf[0] != '[') {
		v->n = 1;
		v->item[0] = buf;
		return;
	}
	v->is_seq = 1;
	buf[strlen(buf) - 1] = '\0';
	for (char *tok = strtok(buf + 1, ", "); tok && v->n < CONFIG_MAX_ITEMS;
	     tok = strtok(NULL, ", "))
		v->item[v->n++] = tok;
}

void config_defaults(struct config *c)
{
	/* Parsed from the table once: every run of a plan starts here. */
	static struct config defaults;
	static int made;

	if (!made) {
		memset(&defaults, 0, sizeof defaults);
		for (int k = 0; k < KEY_COUNT; k++) {
			char buf[256];
			struct cval v;
			struct err e;
			if (!config_keys[k].def)
				continue;
			default_cval(config_keys[k].def, buf, sizeof buf, &v);
			/* The table's defaults pass their own checks: the tests see to it. */
			config_keys[k].parse(&defaults, &config_keys[k], &v, &e);
		}
		made = 1;
	}
	*c = defaults;
}

int config_set(struct config *c, enum config_key key, const struct cval *v,
	       struct err *e)
{
	const struct config_key_def *k = &config_keys[key];

	if (k->shape == CONFIG_SCALAR && expect_scalar(k->name, v, e))
		return e->code;
	if (k->parse(c, k, v, e))
		return e->code;
	c->pos[key] = v->pos;
	return 0;
}

/* ---- typed values: a sweep's values parsed once ---- */

int config_value_get(const struct config *c, enum config_key key,
		     struct config_value *v)
{
	const struct config_key_def *k = &config_keys[key];

	memset(v, 0, sizeof *v);
	v->pos = c->pos[key];
	switch (key) {
	case KEY_LAYERS:
		v->n = c->n_layers;
		memcpy(v->v.list, c->layers, sizeof c->layers);
		v->first = c->layer_pos[0];
		v->last = c->layer_pos[1];
		return 0;
	case KEY_HIDDEN:
		v->n = c->n_hidden;
		memcpy(v->v.list, c->hidden, sizeof c->hidden);
		return 0;
	case KEY_ACTIVATION:
		v->n = c->n_act;
		v->is_list = c->act_list;
		for (int i = 0; i < c->n_act; i++)
			v->v.list[i] = (int)c->act[i];
		return 0;
	case KEY_TASK:
		memcpy(v->v.text, c->task, sizeof v->v.text);
		return 0;
	case KEY_STOP_LOSS:
		/* none, or a loss */
		v->n = c->use_stop_loss;
		memcpy(v->v.raw, &c->stop_loss, sizeof c->stop_loss);
		return 0;
	default:
		/* A key of one plain member: its bytes are its value. */
		if (!k->size || k->size > sizeof v->v.raw)
			return -1;
		memcpy(v->v.raw, (const char *)c + k->offset, k->size);
		return 0;
	}
}

void config_value_put(struct config *c, enum config_key key,
		      const struct config_value *v)
{
	const struct config_key_def *k = &config_keys[key];

	c->pos[key] = v->pos;
	switch (key) {
	case KEY_LAYERS:
		c->n_layers = v->n;
		memcpy(c->layers, v->v.list, sizeof c->layers);
		c->use_hidden = 0;
		c->layer_pos[0] = v->first;
		c->layer_pos[1] = v->last;
		return;
	case KEY_HIDDEN:
		c->n_hidden = v->n;
		memcpy(c->hidden, v->v.list, sizeof c->hidden);
		c->use_hidden = 1;
		return;
	case KEY_ACTIVATION:
		c->n_act = v->n;
		c->act_list = v->is_list;
		for (int i = 0; i < v->n; i++)
			c->act[i] = (enum act)v->v.list[i];
		return;
	case KEY_TASK:
		memcpy(c->task, v->v.text, sizeof c->task);
		return;
	case KEY_STOP_LOSS:
		c->use_stop_loss = v->n;
		memcpy(&c->stop_loss, v->v.raw, sizeof c->stop_loss);
		return;
	default:
		memcpy((char *)c + k->offset, v->v.raw, k->size);
		return;
	}
}

double config_value_double(const struct config_value *v)
{
	double d;

	memcpy(&d, v->v.raw, sizeof d);
	return d;
}

void config_value_set_double(struct config_value *v, double d)
{
	memcpy(v->v.raw, &d, sizeof d);
}

uint64_t config_value_uint(enum config_key key, const struct config_value *v)
{
	if (config_keys[key].size == sizeof(uint32_t)) {
		uint32_t u;
		memcpy(&u, v->v.raw, sizeof u);
		return u;
	}
	uint64_t u;
	memcpy(&u, v->v.raw, sizeof u);
	return u;
}

void config_value_set_uint(enum config_key key, struct config_value *v, uint64_t u)
{
	if (config_keys[key].size == sizeof(uint32_t)) {
		uint32_t w = (uint32_t)u;
		memcpy(v->v.raw, &w, sizeof w);
	} else {
		memcpy(v->v.raw, &u, sizeof u);
	}
}

/* The task as messages name it: a data file's path as the config gave it. */
static const char *task_label(const struct config *c)
{
	const struct data_table *t = data_is_path(c->task) ? data_find(c->task) : NULL;

	return t ? t->label : c->task;
}

/* The task's shape, a data file's checked against targets and against
 * the checksum the config may give (a recorded run's, being reproduced). */
static int config_task_data(struct config *c, struct task_shape *sh, struct err *e)
{
	const struct data_table *t;
	const struct config_pos *at = c->pos[KEY_TARGETS].line ? &c->pos[KEY_TARGETS] : &c->pos[KEY_TASK];

	if (!data_is_path(c->task)) {
		if (c->has_data_xxh64)
			return bad(e, &c->pos[KEY_DATA_XXH64],
				   "data_xxh64 is for a task read from a data file, not %s", c->task);
		if (c->targets != 1)
			return bad(e, at, "targets is for a task read from a CSV file, not %s", c->task);
		task_shape(c->task, sh);
		return 0;
	}
	if (!(t = data_find(c->task)))
		return bad(e, &c->pos[KEY_TASK], "data file %s was not read", c->task);
	if (c->has_data_xxh64 && c->data_xxh64 != t->xxh64)
		return bad(e, &c->pos[KEY_DATA_XXH64],
			   "data file %s has changed: its XXH64 is %016llx, the run was made with %016llx",
			   t->label, (unsigned long long)t->xxh64, (unsigned long long)c->data_xxh64);
	c->data_xxh64 = t->xxh64;
	c->has_data_xxh64 = 1;
	if (t->n_out && c->targets != 1 && (int)c->targets != t->n_out)
		return bad(e, at, "targets is for CSV files: %s declares its outputs (%d)", t->label, t->n_out);
	if (data_shape(t, (int)c->targets, sh))
		return bad(e, at, "targets must be less than the %d columns of %s, got %u",
			   t->n_cols, t->label, (unsigned)c->targets);
	return 0;
}

int config_check(struct config *c, struct err *e)
{
	struct task_shape sh;
	struct net_spec spec;
	size_t params, state;
	int hidden;

	if (config_task_data(c, &sh, e))
		return e->code;
	/* Both written in one file (or both on the command line): which one
	 * was meant is not for nnrun to guess. A command-line value replaces
	 * the file's, whichever of the two it is. */
	if (c->pos[KEY_LAYERS].line && c->pos[KEY_HIDDEN].line &&
	    c->pos[KEY_LAYERS].file == c->pos[KEY_HIDDEN].file)
		return bad(e, &c->pos[KEY_HIDDEN], "give layers or hidden, not both");
	if (c->use_hidden) {
		c->n_layers = c->n_hidden + 2;
		c->layers[0] = sh.n_in;
		memcpy(c->layers + 1, c->hidden, (size_t)c->n_hidden * sizeof c->hidden[0]);
		c->layers[c->n_layers - 1] = sh.n_out;
		/* resolved: the config now says layers, as config.yaml will */
		c->use_hidden = 0;
		c->pos[KEY_LAYERS] = c->pos[KEY_HIDDEN];
		c->layer_pos[0] = c->layer_pos[1] = c->pos[KEY_HIDDEN];
		c->pos[KEY_HIDDEN].line = 0;
	} else if (c->layers[0] != sh.n_in || c->layers[c->n_layers - 1] != sh.n_out) {
		int first = c->layers[0] != sh.n_in;
		return bad(e, c->pos[KEY_LAYERS].line ? &c->layer_pos[first ? 0 : 1] : &c->pos[KEY_TASK],
			   "the %s layer must have width %d (task %s has %d input%s and %d output%s), got %d",
			   first ? "input" : "output", first ? sh.n_in : sh.n_out, task_label(c),
			   sh.n_in, sh.n_in == 1 ? "" : "s", sh.n_out, sh.n_out == 1 ? "" : "s",
			   first ? c->layers[0] : c->layers[c->n_layers - 1]);
	}
	hidden = c->n_layers - 2;
	if ((c->act_list || c->n_act > 1) && c->n_act != hidden)
		return bad(e, &c->pos[KEY_ACTIVATION],
			   "activation lists %d name%s but layers has %d hidden layer%s",
			   c->n_act, c->n_act == 1 ? "" : "s", hidden, hidden == 1 ? "" : "s");
	if (c->loss == NET_LOSS_BCE && c->output_act != ACT_SIGMOID)
		return bad(e, &c->pos[KEY_LOSS],
			   "loss bce needs output_activation sigmoid, not %s",
			   act_names[c->output_act]);
	config_net_spec(c, &spec);
	params = net_param_count(&spec);
	if (params > NET_MAX_PARAMS)
		return bad(e, &c->pos[c->use_hidden ? KEY_HIDDEN : KEY_LAYERS],
			   "layers make %zu parameters, more than the limit of %d",
			   params, NET_MAX_PARAMS);
	if (c->batch_size > (uint64_t)sh.n_rows)
		return bad(e, &c->pos[KEY_BATCH_SIZE],
			   "batch_size must be at most task %s's %d rows, got %llu", c->task,
			   sh.n_rows, (unsigned long long)c->batch_size);
	if (c->optim.kind == OPTIM_RPROP && c->optim.weight_decay != 0)
		return bad(e, c->pos[KEY_WEIGHT_DECAY].line || !c->pos[KEY_OPTIMIZER].line ?
			   &c->pos[KEY_WEIGHT_DECAY] : &c->pos[KEY_OPTIMIZER],
			   "weight_decay does not go with optimizer rprop (torch's Rprop has none)");
	if (c->optim.step_min > c->optim.step_max)
		return bad(e, &c->pos[c->pos[KEY_STEP_MIN].line ? KEY_STEP_MIN : KEY_STEP_MAX],
			   "step_min must be at most step_max");
	state = net_state_count(&spec, sh.n_rows);
	if (state > NET_MAX_STATE)
		return bad(e, &c->pos[c->use_hidden ? KEY_HIDDEN : KEY_LAYERS],
			   "task %s's %d rows through layers this wide hold %zu values, more than the limit of %d",
			   task_label(c), sh.n_rows, state, NET_MAX_STATE);
	return 0;
}

void config_net_spec(const struct config *c, struct net_spec *spec)
{
	memset(spec, 0, sizeof *spec);
	spec->n_layers = c->n_layers;
	for (int l = 0; l < c->n_layers; l++)
		spec->width[l] = c->layers[l];
	for (int l = 1; l < c->n_layers - 1; l++)
		spec->act[l] = c->n_act == 1 ? c->act[0] : c->act[l - 1];
	spec->act[c->n_layers - 1] = c->output_act;
	spec->init = c->init;
	spec->loss = c->loss;
	spec->optim = c->optim.kind;
	spec->batch = (int)c->batch_size;
}

/* ---- writing a config ---- */

int config_act_count(const struct config *c)
{
	for (int i = 1; i < c->n_act; i++)
		if (c->act[i] != c->act[0])
			return c->n_act;
	return 1;
}

int config_format_value(const struct config *c, enum config_key key,
			char *buf, size_t max)
{
	int n = config_keys[key].format(c, &config_keys[key], buf, max);

	return n < 0 || (size_t)n >= max ? -1 : n;
}

int config_key_written(const struct config *c, enum config_key key)
{
	const struct config_key_def *k = &config_keys[key];

	if (k->omitted && k->omitted(c))
		return 0;
	if (k->flags & CONFIG_OMIT_DEFAULT) {
		struct config d;
		char a[256], b[256];
		config_defaults(&d);
		return config_format_value(c, key, a, sizeof a) < 0 ||
		       config_format_value(&d, key, b, sizeof b) < 0 || strcmp(a, b) != 0;
	}
	return 1;
}

int config_format(const struct config *c, char *buf, size_t max)
{
	size_t n = 0;

	for (int k = 0; k < KEY_COUNT; k++) {
		size_t kl = strlen(config_keys[k].name);
		int vl;
		if ((config_keys[k].flags & CONFIG_STUDY) ||
		    !config_key_written(c, (enum config_key)k))
			continue;
		if (n + kl + 3 >= max)
			return -1;
		memcpy(buf + n, config_keys[k].name, kl);
		memcpy(buf + n + kl, ": ", 2);
		n += kl + 2;
		vl = config_format_value(c, (enum config_key)k, buf + n, max - n);
		if (vl < 0 || n + (size_t)vl + 2 > max)
			return -1;
		n += (size_t)vl;
		buf[n++] = '\n';
	}
	buf[n] = '\0';
	return (int)n;
}
