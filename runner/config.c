/* config.c: reads an experiment's YAML through libcyaml, checks every value, builds the study. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cyaml/cyaml.h>

#include "fmt.h"
#include "ytree.h"

const char *const config_key_names[KEY_COUNT] = {
	[KEY_NAME] = "name",
	[KEY_LAYERS] = "layers",
	[KEY_ACTIVATION] = "activation",
	[KEY_OUTPUT_ACTIVATION] = "output_activation",
	[KEY_LEARNING_RATE] = "learning_rate",
	[KEY_EPOCHS] = "epochs",
	[KEY_SEED] = "seed",
	[KEY_INIT] = "init",
	[KEY_LOSS] = "loss",
	[KEY_LOG_EVERY] = "log_every",
};

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	c->n_layers = 3;
	c->layers[0] = 2;
	c->layers[1] = 2;
	c->layers[2] = 1;
	c->n_act = 1;
	c->act[0] = ACT_SIGMOID;
	c->output_act = ACT_SIGMOID;
	c->learning_rate = 0.1;
	c->epochs = 10000;
	c->seed = 42;
	c->init = NET_INIT_NORMAL;
	c->loss = NET_LOSS_MSE;
	c->log_every = 1;
}

int config_key_from_name(const char *name)
{
	for (int k = 0; k < KEY_COUNT; k++)
		if (strcmp(name, config_key_names[k]) == 0)
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
		const char *cand = k < KEY_COUNT ? config_key_names[k] : extra[0];
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
	if (c->layers[0] != 2)
		return bad(e, &v->item_pos[0], "the input layer must have width 2 (XOR has two inputs), got %d",
			   c->layers[0]);
	if (c->layers[v->n - 1] != 1)
		return bad(e, &v->item_pos[v->n - 1], "the output layer must have width 1 (XOR has one output), got %d",
			   c->layers[v->n - 1]);
	c->n_layers = v->n;
	return 0;
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

int config_set(struct config *c, enum config_key key, const struct cval *v,
	       struct err *e)
{
	const char *kn = config_key_names[key];
	const char *s = v->item[0];
	int quoted = v->quoted[0];
	uint64_t u;
	int i, rc;

	if (key != KEY_LAYERS && key != KEY_ACTIVATION && expect_scalar(kn, v, e))
		return e->code;
	switch (key) {
	case KEY_NAME:
		rc = set_name(c, v, e);
		break;
	case KEY_LAYERS:
		rc = set_layers(c, v, e);
		break;
	case KEY_ACTIVATION:
		rc = set_activation(c, v, e);
		break;
	case KEY_OUTPUT_ACTIVATION:
		rc = parse_name_of(kn, s, act_names, ACT_COUNT, &v->pos, &i, e);
		if (!rc)
			c->output_act = (enum act)i;
		break;
	case KEY_INIT:
		rc = parse_name_of(kn, s, net_init_names, NET_INIT_COUNT, &v->pos, &i, e);
		if (!rc)
			c->init = (enum net_init)i;
		break;
	case KEY_LOSS:
		rc = parse_name_of(kn, s, net_loss_names, NET_LOSS_COUNT, &v->pos, &i, e);
		if (!rc)
			c->loss = (enum net_loss)i;
		break;
	case KEY_LEARNING_RATE:
		rc = parse_positive_double(kn, s, quoted, &v->pos, &c->learning_rate, e);
		break;
	case KEY_EPOCHS:
	case KEY_SEED:
	case KEY_LOG_EVERY:
		rc = parse_uint(kn, s, quoted, key == KEY_SEED ? 0 : 1,
				key == KEY_SEED ? UINT32_MAX : CONFIG_MAX_EPOCHS,
				&v->pos, &u, e);
		if (!rc)
			rc = config_set_uint(c, key, u, &v->pos, e);
		break;
	default:
		rc = bad(e, &v->pos, "unknown key");
	}
	if (!rc)
		c->pos[key] = v->pos;
	return rc;
}

int config_set_uint(struct config *c, enum config_key key, uint64_t value,
		    const struct config_pos *pos, struct err *e)
{
	switch (key) {
	case KEY_SEED:
		if (value > UINT32_MAX)
			return bad(e, pos, "seed must be between 0 and 4294967295");
		c->seed = (uint32_t)value;
		break;
	case KEY_EPOCHS:
	case KEY_LOG_EVERY:
		if (value < 1 || value > CONFIG_MAX_EPOCHS)
			return bad(e, pos, "%s must be between 1 and %llu",
				   config_key_names[key],
				   (unsigned long long)CONFIG_MAX_EPOCHS);
		if (key == KEY_EPOCHS)
			c->epochs = value;
		else
			c->log_every = value;
		break;
	default:
		return bad(e, pos, "%s takes no integer range", config_key_names[key]);
	}
	c->pos[key] = *pos;
	return 0;
}

int config_check(const struct config *c, struct err *e)
{
	int hidden = c->n_layers - 2;
	struct net_spec spec;
	size_t params;

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
		return bad(e, &c->pos[KEY_LAYERS],
			   "layers make %zu parameters, more than the limit of %d",
			   params, NET_MAX_PARAMS);
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
	size_t n = 0;
	int rc = 0;

#define PUT(...) \
	do { \
		rc = snprintf(buf + n, max - n, __VA_ARGS__); \
		if (rc < 0 || (size_t)rc >= max - n) \
			return -1; \
		n += (size_t)rc; \
	} while (0)
	switch (key) {
	case KEY_NAME:
		PUT("%s", c->name);
		break;
	case KEY_LAYERS:
		PUT("[");
		for (int i = 0; i < c->n_layers; i++)
			PUT("%s%d", i ? ", " : "", c->layers[i]);
		PUT("]");
		break;
	case KEY_ACTIVATION:
		if (config_act_count(c) == 1) {
			PUT("%s", act_names[c->act[0]]);
			break;
		}
		PUT("[");
		for (int i = 0; i < c->n_act; i++)
			PUT("%s%s", i ? ", " : "", act_names[c->act[i]]);
		PUT("]");
		break;
	case KEY_OUTPUT_ACTIVATION:
		PUT("%s", act_names[c->output_act]);
		break;
	case KEY_LEARNING_RATE: {
		char d[FMT_DOUBLE_MAX];
		fmt_double(d, c->learning_rate);
		PUT("%s", d);
		break;
	}
	case KEY_EPOCHS:
		PUT("%llu", (unsigned long long)c->epochs);
		break;
	case KEY_SEED:
		PUT("%lu", (unsigned long)c->seed);
		break;
	case KEY_INIT:
		PUT("%s", net_init_names[c->init]);
		break;
	case KEY_LOSS:
		PUT("%s", net_loss_names[c->loss]);
		break;
	case KEY_LOG_EVERY:
		PUT("%llu", (unsigned long long)c->log_every);
		break;
	default:
		return -1;
	}
#undef PUT
	return (int)n;
}

int config_format(const struct config *c, char *buf, size_t max)
{
	size_t n = 0;

	for (int k = 0; k < KEY_COUNT; k++) {
		size_t kl = strlen(config_key_names[k]);
		int vl;
		if (n + kl + 3 >= max)
			return -1;
		memcpy(buf + n, config_key_names[k], kl);
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
