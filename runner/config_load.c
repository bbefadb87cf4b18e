/* config_load.c: reads a config file, or a command-line KEY=VALUE, into a study. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cyaml/cyaml.h>

#include "cyaml_log.h"
#include "fmt.h"
#include "hash.h"
#include "rng.h"
#include "ytree.h"

#define SWEEP_MAX_VALUES 100000

struct raw_config {
	char *text[KEY_COUNT];
	char **list[KEY_COUNT];
	unsigned count[KEY_COUNT];
};

/* The schema of one document, made from the key table: a key that may
 * be one value or a list (activation) is read as the document wrote it. */
struct raw_schema {
	cyaml_schema_field_t fields[KEY_COUNT + 2];
	cyaml_schema_value_t top;
};

/* Every value a study's strings point into, freed together. */
struct study_store {
	struct ynode *trees[64];
	int n_trees;
	void *raws[64];
	struct raw_schema raw_schemas[64];  /* what each was loaded with */
	int n_raws;
	char *texts[64];
	int n_texts;
};

/* ---- the libcyaml schema: every value loads as text, checked strictly
 * afterwards, since libcyaml 1.3.1 reads `epochs: 1e3` as 1. ---- */

static const cyaml_schema_value_t text_schema = {
	CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 0, CYAML_UNLIMITED),
};

static void schema_build(struct raw_schema *rs, const int is_list[KEY_COUNT])
{
	static const cyaml_schema_field_t sweep_field =
		CYAML_FIELD_IGNORE("sweep", CYAML_FLAG_OPTIONAL);
	static const cyaml_schema_value_t one = {
		CYAML_VALUE_STRING(CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, char, 0,
				   CYAML_UNLIMITED),
	};
	static const cyaml_schema_value_t many = {
		CYAML_VALUE_SEQUENCE(CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, char *,
				     &text_schema, 0, CONFIG_MAX_ITEMS),
	};
	const cyaml_schema_value_t top = {
		CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct raw_config, rs->fields),
	};
	int n = 0;

	memset(rs, 0, sizeof *rs);
	for (int k = 0; k < KEY_COUNT; k++) {
		cyaml_schema_field_t *f = &rs->fields[n++];
		f->key = config_keys[k].name;
		if (is_list[k]) {
			f->data_offset = (uint32_t)(offsetof(struct raw_config, list) + (size_t)k * sizeof(char **));
			f->count_offset = (uint32_t)(offsetof(struct raw_config, count) + (size_t)k * sizeof(unsigned));
			f->count_size = sizeof(unsigned);
			f->value = many;
		} else {
			f->data_offset = (uint32_t)(offsetof(struct raw_config, text) + (size_t)k * sizeof(char *));
			f->value = one;
		}
	}
	rs->fields[n++] = sweep_field;
	rs->top = top;
}

/* ---- the store ---- */

static struct study_store *store_of(struct study *s, struct err *e)
{
	if (!s->store && !(s->store = calloc(1, sizeof *s->store)))
		err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	return s->store;
}

void config_free_study(struct study *s)
{
	struct study_store *st = s->store;
	cyaml_config_t cfg = { .mem_fn = cyaml_mem, .log_level = CYAML_LOG_ERROR };

	for (int a = 0; a < s->n_axes; a++) {
		free(s->axes[a].values);
		free(s->axes[a].drawn);
	}
	s->n_axes = 0;
	if (!st)
		return;
	for (int i = 0; i < st->n_trees; i++)
		ytree_free(st->trees[i]);
	for (int i = 0; i < st->n_raws; i++)
		cyaml_free(&cfg, &st->raw_schemas[i].top, st->raws[i], 0);
	for (int i = 0; i < st->n_texts; i++)
		free(st->texts[i]);
	free(st);
	s->store = NULL;
}

/* The one message for a key nnrun does not know, with the nearest key. */
static const char *unknown_key(char *buf, size_t max, const char *name,
			       size_t len, const char *where)
{
	const char *hint = config_key_suggest(name);
	char q[64];

	snprintf(buf, max, "unknown key '%s'%s%s%s%s",
		 err_quote(q, sizeof q, name, len), where,
		 hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
	return buf;
}

/* ---- from tree nodes to values ---- */

static struct config_pos pos_at(const char *file, const struct ynode *n)
{
	struct config_pos p = { file, n->line, n->col };
	return p;
}

static int node_error(struct err *e, const char *file, const struct ynode *n,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int node_error(struct err *e, const char *file, const struct ynode *n,
		      const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return err_set(e, NN_EUSAGE, file, file ? n->line : 0, file ? n->col : 0,
		       "%s", msg);
}

/* A value node (scalar, or list of scalars) as a cval; texts point into
 * the node unless the caller swaps in libcyaml's. */
static int cval_from_node(const char *file, const char *key,
			  const struct ynode *n, struct cval *v, struct err *e)
{
	memset(v, 0, sizeof *v);
	v->pos = pos_at(file, n);
	if (n->type == YNODE_MAP)
		return node_error(e, file, n, "%s takes a value or a list, not a mapping", key);
	if (ytree_is_null(n))
		return node_error(e, file, n, "%s needs a value", key);
	if (n->type == YNODE_SCALAR) {
		v->n = 1;
		v->item[0] = n->value;
		v->quoted[0] = n->quoted;
		v->item_pos[0] = v->pos;
		return 0;
	}
	if (n->n > CONFIG_MAX_ITEMS)
		return node_error(e, file, n->items[CONFIG_MAX_ITEMS],
				  "%s lists more than %d entries", key, CONFIG_MAX_ITEMS);
	v->is_seq = 1;
	v->n = n->n;
	for (int i = 0; i < n->n; i++) {
		const struct ynode *it = n->items[i];
		if (it->type != YNODE_SCALAR)
			return node_error(e, file, it, "%s entries must be single values", key);
		if (ytree_is_null(it))
			return node_error(e, file, it, "%s has an empty entry", key);
		v->item[i] = it->value;
		v->quoted[i] = it->quoted;
		v->item_pos[i] = pos_at(file, it);
	}
	return 0;
}

static int check_shape(const char *file, enum config_key key,
		       const struct ynode *n, struct err *e)
{
	const struct config_key_def *k = &config_keys[key];
	const char *kn = k->name;

	if (k->shape == CONFIG_LIST && n->type != YNODE_SEQ && !ytree_is_null(n)) {
		struct cval v = { .pos = { file, n->line, n->col } };
		struct config scratch;
		/* the key's own message, which shows the list form */
		config_defaults(&scratch);
		return k->parse(&scratch, k, &v, e);
	}
	if (k->shape == CONFIG_SCALAR && n->type != YNODE_SCALAR)
		return node_error(e, file, n, "%s takes one value, not a %s", kn,
				  n->type == YNODE_SEQ ? "list" : "mapping");
	return 0;
}

/* Loads the top-level mapping through libcyaml: its structure must
 * match the schema, and the values arrive as text. */
static int cyaml_read(const char *file, const char *buf, size_t len,
		      const int is_list[KEY_COUNT], struct study_store *st,
		      struct raw_config **raw, struct err *e)
{
	struct cyaml_log log = { "", 0, 0 };
	cyaml_config_t cfg = cyaml_log_config(&log);
	struct raw_schema *rs = &st->raw_schemas[st->n_raws < 64 ? st->n_raws : 63];
	const cyaml_schema_value_t *schema = &rs->top;
	cyaml_err_t rc;

	*raw = NULL;
	if (st->n_raws == (int)(sizeof st->raws / sizeof st->raws[0]))
		return err_set(e, NN_EUSAGE, NULL, 0, 0, "more than 63 KEY=VALUE arguments");
	schema_build(rs, is_list);
	rc = cyaml_load_data((const uint8_t *)buf, len, &cfg, schema,
			     (cyaml_data_t **)raw, NULL);
	if (rc != CYAML_OK)
		return err_set(e, rc == CYAML_ERR_OOM ? NN_ERUN : NN_EUSAGE,
			       file, file ? log.line : 0, file ? log.col : 0, "%s",
			       log.msg[0] ? log.msg : cyaml_strerror(rc));
	if (!*raw)
		return err_set(e, NN_EUSAGE, file, 0, 0, "the config is empty");
	st->raws[st->n_raws++] = *raw;
	return 0;
}

/* The value of key as libcyaml loaded it, placed where the tree says. */
static int cval_from_raw(const char *file, enum config_key key,
			 const struct ynode *n, const struct raw_config *r,
			 struct cval *v, struct err *e)
{
	char **list = r->list[key];
	unsigned count = r->count[key];

	if (cval_from_node(file, config_keys[key].name, n, v, e))
		return e->code;
	if (!v->is_seq) {
		v->item[0] = r->text[key];
	} else if (v->n > 0) {
		/* libcyaml gives an empty list as NULL: config_set judges it. */
		if (!list || count != (unsigned)v->n)
			return node_error(e, file, n, "%s could not be read", config_keys[key].name);
		for (int i = 0; i < v->n; i++)
			v->item[i] = list[i];
	}
	return v->item[0] || v->is_seq ? 0 :
		node_error(e, file, n, "%s could not be read", config_keys[key].name);
}

/* ---- sweeps ---- */

static struct sweep_axis *axis_for(struct study *s, enum config_key key)
{
	for (int a = 0; a < s->n_axes; a++)
		if (s->axes[a].key == key)
			return &s->axes[a];
	return NULL;
}

static void axis_drop(struct study *s, enum config_key key)
{
	struct sweep_axis *ax = axis_for(s, key);
	int a;

	if (!ax)
		return;
	a = (int)(ax - s->axes);
	free(ax->values);
	free(ax->drawn);
	memmove(&s->axes[a], &s->axes[a + 1],
		(size_t)(s->n_axes - a - 1) * sizeof s->axes[0]);
	s->n_axes--;
}

/* The message for a flow mapping written without spaces after its
 * colons, with the mapping as it should read. */
static int squeezed_colon(struct err *e, const char *file, const struct ynode *n)
{
	char fix[128];
	size_t len = 0;

	for (int i = 0; i + 1 < n->n && len < sizeof fix; i += 2) {
		const struct ynode *k = n->items[i], *v = n->items[i + 1];
		const char *colon = k->type == YNODE_SCALAR ? strchr(k->value, ':') : NULL;
		int w;

		if (colon)
			w = snprintf(fix + len, sizeof fix - len, "%s%.*s: %s", i ? ", " : "",
				     (int)(colon - k->value), k->value, colon + 1);
		else
			w = snprintf(fix + len, sizeof fix - len, "%s%s: %s", i ? ", " : "",
				     k->type == YNODE_SCALAR ? k->value : "...",
				     v->type == YNODE_SCALAR ? v->value : "...");
		if (w < 0)
			break;
		len += (size_t)w;
	}
	/* Only a plainly written range is echoed; anything else gets the form. */
	for (size_t i = 0; i < len && len < sizeof fix; i++)
		if ((unsigned char)fix[i] < 0x20 || (unsigned char)fix[i] >= 0x7f)
			len = sizeof fix;
	if (len >= sizeof fix || (strncmp(fix, "from: ", 6) != 0 && strncmp(fix, "to: ", 4) != 0))
		snprintf(fix, sizeof fix, "from: A, to: B");
	return node_error(e, file, n, "YAML needs a space after ':' in a flow mapping: write {%s}", fix);
}

/* A float grid {from: A, to: B, count: N, scale: linear | log}: N values
 * as np.linspace(A, B, N) or np.geomspace(A, B, N) give them, the
 * endpoints exact: i * step + A (log: 10 ** (i * step + log10(A))),
 * the last set to B. Each value is checked as the key's, through its
 * lossless text, once. */
static int sweep_grid(struct study *s, const char *file, enum config_key key,
		      const struct ynode *n, struct sweep_axis *ax, struct err *e)
{
	const struct config_key_def *k = &config_keys[key];
	const struct ynode *from = ytree_get(n, "from", NULL), *to = ytree_get(n, "to", NULL);
	const struct ynode *count = ytree_get(n, "count", NULL), *scale = ytree_get(n, "scale", NULL);
	struct config scratch = s->base;
	double a, b, step, lo, hi;
	int log_scale = 0, keys = 0;
	unsigned long long num = 0;
	struct cval v;
	char text[FMT_DOUBLE_MAX];

	for (int i = 0; i + 1 < n->n; i += 2) {
		const char *kk = n->items[i]->value;
		if (n->items[i]->type != YNODE_SCALAR ||
		    (strcmp(kk, "from") && strcmp(kk, "to") && strcmp(kk, "count") && strcmp(kk, "scale")))
			return node_error(e, file, n->items[i], "a grid takes only the keys 'from', 'to', 'count' and 'scale'");
		keys++;
	}
	if (!(k->flags & CONFIG_GRID))
		return node_error(e, file, n, "a grid {from, to, count} sweeps only a number key like learning_rate, not %s", k->name);
	if (!from || !to)
		return node_error(e, file, n, "a grid needs 'from', 'to' and 'count'");
	if (keys != 3 + !!scale)
		return node_error(e, file, n, "a grid lists a key twice");
	if (cval_from_node(file, k->name, from, &v, e) || check_shape(file, key, from, e) ||
	    config_set(&scratch, key, &v, e))
		return e->code;
	memcpy(&a, (char *)&scratch + k->offset, sizeof a);
	if (cval_from_node(file, k->name, to, &v, e) || check_shape(file, key, to, e) ||
	    config_set(&scratch, key, &v, e))
		return e->code;
	memcpy(&b, (char *)&scratch + k->offset, sizeof b);
	if (count->type != YNODE_SCALAR || count->quoted || !count->value[0] ||
	    strspn(count->value, "0123456789") != strlen(count->value) || count->value[0] == '0' ||
	    strlen(count->value) > 6 || (num = strtoull(count->value, NULL, 10)) > SWEEP_MAX_VALUES)
		return node_error(e, file, count, "count must be a whole number from 1 to %d", SWEEP_MAX_VALUES);
	if (scale) {
		if (scale->type != YNODE_SCALAR || (strcmp(scale->value, "linear") && strcmp(scale->value, "log")))
			return node_error(e, file, scale, "scale must be linear or log");
		log_scale = strcmp(scale->value, "log") == 0;
	}
	if (num > 1 && a == b)
		return node_error(e, file, n, "a grid from %s to the same value repeats it %llu times", from->value, num);
	ax->values = calloc((size_t)num, sizeof *ax->values);
	if (!ax->values)
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	lo = log_scale ? log10(a) : a;
	hi = log_scale ? log10(b) : b;
	step = num > 1 ? (hi - lo) / (double)(num - 1) : 0;
	for (unsigned long long i = 0; i < num; i++) {
		double y = (double)i * step + lo, x = log_scale ? pow(10.0, y) : y;

		if (i == 0)
			x = a;
		else if (i == num - 1)
			x = b;
		fmt_double(text, x);
		v = (struct cval){ .pos = pos_at(file, n), .n = 1, .item = { text } };
		v.item_pos[0] = v.pos;
		if (config_set(&scratch, key, &v, e)) {
			free(ax->values);
			ax->values = NULL;
			return e->code;
		}
		config_value_get(&scratch, key, &ax->values[i]);
	}
	ax->n = (int)num;
	return 0;
}

static int sweep_range(const char *file, enum config_key key,
		       const struct ynode *n, struct sweep_axis *ax,
		       const struct config *base, struct err *e)
{
	const char *kn = config_keys[key].name;
	const struct ynode *from, *to;
	struct config scratch = *base;
	struct cval v;

	if (!(config_keys[key].flags & CONFIG_RANGE)) {
		char list[128] = "";
		int n_range = 0, seen = 0;
		for (int k = 0; k < KEY_COUNT; k++)
			n_range += !!(config_keys[k].flags & CONFIG_RANGE);
		for (int k = 0; k < KEY_COUNT; k++)
			if (config_keys[k].flags & CONFIG_RANGE)
				snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
					 seen++ ? (seen == n_range ? " or " : ", ") : "", config_keys[k].name);
		return node_error(e, file, n, "a range {from, to} sweeps only %s, not %s", list, kn);
	}
	/* {from:1,to:5} is one plain scalar "from:1" a key: YAML reads a
	 * colon as a separator only when a space follows it. */
	for (int i = 0; i + 1 < n->n; i += 2) {
		const struct ynode *k = n->items[i];
		if (k->type == YNODE_SCALAR && !k->quoted && strchr(k->value, ':'))
			return squeezed_colon(e, file, n);
	}
	for (int i = 0; i + 1 < n->n; i += 2) {
		const char *k = n->items[i]->value;
		if (n->items[i]->type != YNODE_SCALAR ||
		    (strcmp(k, "from") != 0 && strcmp(k, "to") != 0))
			return node_error(e, file, n->items[i], "a range takes only the keys 'from' and 'to'");
	}
	from = ytree_get(n, "from", NULL);
	to = ytree_get(n, "to", NULL);
	if (!from || !to)
		return node_error(e, file, n, "a range needs both 'from' and 'to'");
	if (n->n != 4)
		return node_error(e, file, n, "a range lists 'from' or 'to' twice");
	if (cval_from_node(file, kn, from, &v, e) || check_shape(file, key, from, e) ||
	    config_set(&scratch, key, &v, e))
		return e->code;
	ax->from = config_get_uint(&scratch, key);
	if (cval_from_node(file, kn, to, &v, e) || check_shape(file, key, to, e) ||
	    config_set(&scratch, key, &v, e))
		return e->code;
	ax->to = config_get_uint(&scratch, key);
	if (ax->to < ax->from)
		return node_error(e, file, to, "the range ends (%llu) before it starts (%llu)",
				  (unsigned long long)ax->to, (unsigned long long)ax->from);
	if (ax->to - ax->from >= CONFIG_MAX_RUNS)
		return node_error(e, file, n, "the range holds %llu values, more than the limit of %llu runs",
				  (unsigned long long)(ax->to - ax->from) + 1,
				  (unsigned long long)CONFIG_MAX_RUNS);
	ax->kind = SWEEP_RANGE;
	return 0;
}

const char *const sweep_dist_names[3] = { "uniform", "log_uniform", "int_uniform" };

static int dist_from_name(const struct ynode *k)
{
	for (int d = 0; d < 3; d++)
		if (k->type == YNODE_SCALAR && strcmp(k->value, sweep_dist_names[d]) == 0)
			return d;
	return -1;
}

/* One bound of a random sweep, checked as a value of the key. */
static int random_bound(const struct study *s, const char *file, enum config_key key,
			const struct ynode *n, struct config_value *out, struct err *e)
{
	struct config scratch = s->base;
	struct cval v;

	if (n->type != YNODE_SCALAR)
		return node_error(e, file, n, "a bound of a random sweep is one value");
	if (cval_from_node(file, config_keys[key].name, n, &v, e) ||
	    config_set(&scratch, key, &v, e))
		return e->code;
	config_value_get(&scratch, key, out);
	return 0;
}

/* A random sweep {uniform | log_uniform | int_uniform: [A, B]}: its
 * values are drawn once the study's samples are known (sweep_draw). */
static int sweep_random(const struct study *s, const char *file, enum config_key key,
			const struct ynode *n, struct sweep_axis *ax, struct err *e)
{
	const struct config_key_def *k = &config_keys[key];
	const struct ynode *d, *b;
	int dist;

	if (n->n != 2)
		return node_error(e, file, n, "a random sweep takes one of uniform, log_uniform or int_uniform, like {log_uniform: [0.001, 10]}");
	d = n->items[0];
	b = n->items[1];
	if ((dist = dist_from_name(d)) < 0) {
		char q[64];
		return node_error(e, file, d, "unknown random sweep '%s': expected uniform, log_uniform or int_uniform",
				  d->type == YNODE_SCALAR ? err_quote(q, sizeof q, d->value, strlen(d->value)) : "...");
	}
	if (dist == SWEEP_INT_UNIFORM && !(k->flags & CONFIG_RANGE))
		return node_error(e, file, d, "int_uniform draws whole numbers: %s takes %s",
				  k->name, k->flags & CONFIG_GRID ? "uniform or log_uniform" :
				  "no random sweep");
	if (dist != SWEEP_INT_UNIFORM && !(k->flags & CONFIG_GRID))
		return node_error(e, file, d, "%s draws numbers: %s takes %s", sweep_dist_names[dist],
				  k->name, k->flags & CONFIG_RANGE ? "int_uniform" : "no random sweep");
	if (b->type != YNODE_SEQ || b->n != 2)
		return node_error(e, file, b, "%s takes a list of two bounds [A, B]", sweep_dist_names[dist]);
	if (random_bound(s, file, key, b->items[0], &ax->lo, e) ||
	    random_bound(s, file, key, b->items[1], &ax->hi, e))
		return e->code;
	if (dist == SWEEP_INT_UNIFORM) {
		uint64_t lo = config_value_uint(key, &ax->lo), hi = config_value_uint(key, &ax->hi);
		if (hi <= lo)
			return node_error(e, file, b->items[1], "int_uniform's upper bound %s must be above its lower bound %s",
					  b->items[1]->value, b->items[0]->value);
		if (hi - lo > UINT32_MAX)
			return node_error(e, file, b, "int_uniform spans more than 2^32 values");
	} else {
		double lo = config_value_double(&ax->lo), hi = config_value_double(&ax->hi);
		if (dist == SWEEP_LOG_UNIFORM && !(lo > 0))
			return node_error(e, file, b->items[0], "log_uniform's bounds must be > 0, got %s",
					  b->items[0]->value);
		if (!(hi > lo))
			return node_error(e, file, b->items[1], "%s's upper bound %s must be above its lower bound %s",
					  sweep_dist_names[dist], b->items[1]->value, b->items[0]->value);
		if (!isfinite(hi - lo))
			return node_error(e, file, b, "%s's bounds are too far apart for a double", sweep_dist_names[dist]);
	}
	ax->kind = SWEEP_RANDOM;
	ax->dist = (enum sweep_dist)dist;
	return 0;
}

/* Point i's random values, one a random axis, as bits. */
static int point_bits(const struct study *s, uint64_t i, uint64_t *bits)
{
	int r = 0;

	for (int a = 0; a < s->n_axes; a++)
		if (s->axes[a].kind == SWEEP_RANDOM)
			bits[r++] = s->axes[a].drawn[i].u;
	return r;
}

/* A point drawn again would run the same configs twice (int_uniform over
 * a small range draws repeats): only its first draw is kept, the points
 * staying in the order drawn. Sets every random axis's n to the points
 * kept. */
static int sweep_distinct(struct study *s, uint64_t n, struct err *e)
{
	size_t cap = 16;
	uint64_t *slot, kept = 0;   /* a kept point's index + 1; 0: empty */

	while (cap < 2 * n)
		cap *= 2;
	if (!(slot = calloc(cap, sizeof *slot)))
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	for (uint64_t i = 0; i < n; i++) {
		uint64_t bits[KEY_COUNT], other[KEY_COUNT];
		int r = point_bits(s, i, bits);
		size_t h = (size_t)hash_bytes(bits, (size_t)r * sizeof bits[0]) & (cap - 1);

		for (;; h = (h + 1) & (cap - 1)) {
			if (!slot[h]) {
				for (int a = 0; a < s->n_axes; a++)
					if (s->axes[a].kind == SWEEP_RANDOM)
						s->axes[a].drawn[kept] = s->axes[a].drawn[i];
				slot[h] = ++kept;
				break;
			}
			point_bits(s, slot[h] - 1, other);
			if (memcmp(bits, other, (size_t)r * sizeof bits[0]) == 0)
				break;
		}
	}
	free(slot);
	for (int a = 0; a < s->n_axes; a++)
		if (s->axes[a].kind == SWEEP_RANDOM)
			s->axes[a].n = (int)kept;
	return 0;
}

/* The random sweeps' points: RandomState(sweep_seed) draws samples
 * points, one value per random key a point, in the order of the
 * study's axes (the file's, then the command line's), and the distinct
 * ones are kept. Redrawn whenever the study changes; without samples,
 * or without a random key, nothing is drawn (plan_count says which is
 * missing). */
static int sweep_draw(struct study *s, struct err *e)
{
	uint64_t n = s->base.samples;
	int n_random = 0;
	struct rng r;

	for (int a = 0; a < s->n_axes; a++) {
		free(s->axes[a].drawn);
		s->axes[a].drawn = NULL;
		if (s->axes[a].kind == SWEEP_RANDOM)
			s->axes[a].n = 0;
		n_random += s->axes[a].kind == SWEEP_RANDOM;
	}
	if (!n || !n_random)
		return 0;
	for (int a = 0; a < s->n_axes; a++)
		if (s->axes[a].kind == SWEEP_RANDOM &&
		    !(s->axes[a].drawn = malloc((size_t)n * sizeof *s->axes[a].drawn)))
			return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	rng_seed(&r, s->base.sweep_seed);
	for (uint64_t i = 0; i < n; i++) {
		for (int a = 0; a < s->n_axes; a++) {
			struct sweep_axis *ax = &s->axes[a];
			uint64_t lo;
			if (ax->kind != SWEEP_RANDOM)
				continue;
			switch (ax->dist) {
			case SWEEP_UNIFORM:
				ax->drawn[i].d = rng_uniform_range(&r, config_value_double(&ax->lo),
								   config_value_double(&ax->hi));
				break;
			case SWEEP_LOG_UNIFORM:
				ax->drawn[i].d = exp(rng_uniform_range(&r, log(config_value_double(&ax->lo)),
								       log(config_value_double(&ax->hi))));
				break;
			case SWEEP_INT_UNIFORM:
				lo = config_value_uint(ax->key, &ax->lo);
				ax->drawn[i].u = lo + rng_masked(&r, (uint32_t)(config_value_uint(ax->key, &ax->hi) - lo));
				break;
			}
		}
	}
	return sweep_distinct(s, n, e);
}

/* A swept value's canonical text, as config.yaml and the run id write it. */
static void axis_value_text(const struct config *base, const struct sweep_axis *ax,
			    int i, char *buf, size_t max)
{
	struct config c = *base;

	config_value_put(&c, ax->key, &ax->values[i]);
	if (config_format_value(&c, ax->key, buf, max) < 0)
		buf[0] = '\0';
}

int config_axis_write(FILE *f, const struct study *s, int a)
{
	const struct sweep_axis *ax = &s->axes[a];
	char lo[1024], hi[1024];
	struct config c = s->base;

	switch (ax->kind) {
	case SWEEP_RANGE:
		fprintf(f, "{from: %llu, to: %llu}", (unsigned long long)ax->from,
			(unsigned long long)ax->to);
		return 0;
	case SWEEP_RANDOM:
		config_value_put(&c, ax->key, &ax->lo);
		if (config_format_value(&c, ax->key, lo, sizeof lo) < 0)
			return -1;
		config_value_put(&c, ax->key, &ax->hi);
		if (config_format_value(&c, ax->key, hi, sizeof hi) < 0)
			return -1;
		fprintf(f, "{%s: [%s, %s]}", sweep_dist_names[ax->dist], lo, hi);
		return 0;
	case SWEEP_LIST:
		break;
	}
	fputc('[', f);
	for (int i = 0; i < ax->n; i++) {
		axis_value_text(&s->base, ax, i, lo, sizeof lo);
		if (!lo[0])
			return -1;
		fprintf(f, "%s%s", i ? ", " : "", lo);
	}
	fputc(']', f);
	return 0;
}

struct value_hash {
	uint64_t hash;
	int index;
};

static int cmp_value_hash(const void *a, const void *b)
{
	const struct value_hash *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

/* A value listed twice would run one config twice and count it twice in
 * the statistics: refused at its second place. Values are compared in
 * their canonical form (0.10 is 0.1), through sorted hashes, since a
 * list may hold 10^5 values. */
static int sweep_check_repeats(const char *file, const struct config *base,
			       const struct sweep_axis *ax, const struct ynode *n,
			       struct err *e)
{
	struct value_hash *h = malloc((size_t)ax->n * sizeof *h);
	char a[1024], b[1024];
	int first = -1, second = -1;

	if (!h)
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	for (int i = 0; i < ax->n; i++) {
		axis_value_text(base, ax, i, a, sizeof a);
		h[i].hash = hash_bytes(a, strlen(a));
		h[i].index = i;
	}
	qsort(h, (size_t)ax->n, sizeof *h, cmp_value_hash);
	for (int i = 1; i < ax->n; i++) {
		if (h[i].hash != h[i - 1].hash || (second >= 0 && h[i].index >= second))
			continue;
		axis_value_text(base, ax, h[i - 1].index, a, sizeof a);
		axis_value_text(base, ax, h[i].index, b, sizeof b);
		if (strcmp(a, b) == 0) {
			/* The first of a run of equal hashes is the first place. */
			int j = i - 1;
			while (j > 0 && h[j - 1].hash == h[i].hash)
				j--;
			first = h[j].index;
			second = h[i].index;
		}
	}
	free(h);
	if (second < 0)
		return 0;
	axis_value_text(base, ax, second, a, sizeof a);
	return node_error(e, file, n->items[second], "sweep of %s repeats %s (value %d equals value %d)",
			  config_keys[ax->key].name, a, second + 1, first + 1);
}

/* One swept key: a list of values, or a range; every value checked as
 * if written outside the sweep. */
static int sweep_axis_read(struct study *s, const char *file,
			   const struct ynode *key_node, const struct ynode *n,
			   struct err *e)
{
	int key = config_key_from_name(key_node->value);
	struct sweep_axis ax = { 0 };
	const char *kn;

	if (key < 0) {
		char msg[ERR_MSG_MAX];
		return node_error(e, file, key_node, "%s",
				  unknown_key(msg, sizeof msg, key_node->value, key_node->len, " in sweep"));
	}
	kn = config_keys[key].name;
	if (!(config_keys[key].flags & CONFIG_SWEEP))
		return node_error(e, file, key_node, "%s cannot be swept%s", kn,
				  key == KEY_NAME ? ": it names the whole study" : "");
	ax.key = (enum config_key)key;
	ax.pos = pos_at(file, n);
	if (n->type == YNODE_MAP && ytree_get(n, "count", NULL))
		return sweep_grid(s, file, ax.key, n, &ax, e) ? e->code :
			(axis_drop(s, ax.key), s->axes[s->n_axes++] = ax, 0);
	/* {NAME: [A, B]} is a random sweep, whatever NAME is: an unknown
	 * one is refused as a distribution, not as a range. */
	if (n->type == YNODE_MAP && n->n >= 2 &&
	    (dist_from_name(n->items[0]) >= 0 || (n->n == 2 && n->items[1]->type == YNODE_SEQ)))
		return sweep_random(s, file, ax.key, n, &ax, e) ? e->code :
			(axis_drop(s, ax.key), s->axes[s->n_axes++] = ax, 0);
	if (n->type == YNODE_MAP)
		return sweep_range(file, ax.key, n, &ax, &s->base, e) ? e->code :
			(axis_drop(s, ax.key), s->axes[s->n_axes++] = ax, 0);
	if (n->type != YNODE_SEQ || n->n == 0)
		return node_error(e, file, n, "sweep of %s must be a non-empty list of values or a range {from: A, to: B}", kn);
	if (n->n > SWEEP_MAX_VALUES)
		return node_error(e, file, n, "sweep of %s lists more than %d values", kn, SWEEP_MAX_VALUES);
	ax.values = calloc((size_t)n->n, sizeof *ax.values);
	if (!ax.values)
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	for (int i = 0; i < n->n; i++) {
		struct config scratch = s->base;
		struct cval v;
		if (cval_from_node(file, kn, n->items[i], &v, e) ||
		    check_shape(file, ax.key, n->items[i], e) ||
		    config_set(&scratch, ax.key, &v, e)) {
			free(ax.values);
			return e->code;
		}
		config_value_get(&scratch, ax.key, &ax.values[i]);
	}
	ax.n = n->n;
	if (sweep_check_repeats(file, &s->base, &ax, n, e)) {
		free(ax.values);
		return e->code;
	}
	axis_drop(s, ax.key);
	s->axes[s->n_axes++] = ax;
	return 0;
}

static int sweep_read(struct study *s, const char *file, const struct ynode *n,
		      struct err *e)
{
	if (n->type != YNODE_MAP)
		return node_error(e, file, n, "sweep must be a mapping of keys to lists of values");
	for (int i = 0; i + 1 < n->n; i += 2) {
		const struct ynode *k = n->items[i];
		if (k->type != YNODE_SCALAR)
			return node_error(e, file, k, "sweep keys must be plain names");
		for (int j = 0; j < i; j += 2)
			if (strcmp(n->items[j]->value, k->value) == 0)
				return node_error(e, file, k, "sweep lists '%s' twice (first on line %d)",
						  k->value, n->items[j]->line);
		if (sweep_axis_read(s, file, k, n->items[i + 1], e))
			return e->code;
	}
	return 0;
}

/* ---- a whole document ---- */

/* Applies a YAML mapping to the study: its keys override, its sweep joins.
 * file NULL: the text came from the command line. */
static int load_text(struct study *s, const char *file, const char *buf,
		     size_t len, struct err *e)
{
	struct study_store *st = store_of(s, e);
	const struct ynode *seen[KEY_COUNT] = { 0 };
	const struct ynode *sweep = NULL, *sweep_key = NULL;
	int is_list[KEY_COUNT];
	struct raw_config *raw;
	struct ynode *root;

	if (!st)
		return e->code;
	if (ytree_parse(file, buf, len, &root, e))
		return e->code;
	if (st->n_trees == (int)(sizeof st->trees / sizeof st->trees[0])) {
		ytree_free(root);
		return err_set(e, NN_EUSAGE, NULL, 0, 0, "more than 63 KEY=VALUE arguments");
	}
	if (root)
		st->trees[st->n_trees++] = root;
	if (!root || ytree_is_null(root))
		return err_set(e, NN_EUSAGE, file, 0, 0,
			       "the config is empty: expected keys such as 'epochs: 10000'");
	if (root->type != YNODE_MAP)
		return node_error(e, file, root, "the config must be a mapping of keys to values, like 'epochs: 10000'");
	for (int i = 0; i + 1 < root->n; i += 2) {
		const struct ynode *k = root->items[i], *v = root->items[i + 1];
		struct cval shape;
		int key;
		if (k->type != YNODE_SCALAR)
			return node_error(e, file, k, "keys must be plain names");
		if (strcmp(k->value, "sweep") == 0) {
			if (sweep)
				return node_error(e, file, k, "duplicate key 'sweep' (first on line %d)", sweep_key->line);
			sweep = v;
			sweep_key = k;
			continue;
		}
		key = config_key_from_name(k->value);
		if (key < 0) {
			char msg[ERR_MSG_MAX];
			return node_error(e, file, k, "%s",
					  unknown_key(msg, sizeof msg, k->value, k->len, ""));
		}
		if (seen[key])
			return node_error(e, file, k, "duplicate key '%s' (first on line %d)",
					  k->value, seen[key]->line);
		if (ytree_is_null(v))
			return node_error(e, file, v, "%s needs a value", k->value);
		/* Every shape is judged here, before libcyaml, whose messages
		 * name no key ('Expecting STRING, got event: SEQUENCE_START'). */
		if (check_shape(file, (enum config_key)key, v, e) ||
		    cval_from_node(file, k->value, v, &shape, e))
			return e->code;
		seen[key] = v;
	}
	for (int k = 0; k < KEY_COUNT; k++)
		is_list[k] = seen[k] && seen[k]->type == YNODE_SEQ;
	if (cyaml_read(file, buf, len, is_list, st, &raw, e))
		return e->code;
	for (int k = 0; k < KEY_COUNT; k++) {
		struct cval v;
		if (!seen[k])
			continue;
		if (cval_from_raw(file, (enum config_key)k, seen[k], raw, &v, e) ||
		    config_set(&s->base, (enum config_key)k, &v, e))
			return e->code;
		axis_drop(s, (enum config_key)k);
	}
	if (sweep && sweep_read(s, file, sweep, e))
		return e->code;
	return sweep_draw(s, e);
}

static int read_file(const char *path, char **out, size_t *len, struct err *e)
{
	struct stat sb;
	size_t n = 0;
	ssize_t got;
	char *buf;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return err_set(e, NN_EUSAGE, path, 0, 0, "cannot open: %s", strerror(errno));
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		int dir = S_ISDIR(sb.st_mode);
		close(fd);
		return err_set(e, NN_EUSAGE, path, 0, 0, dir ? "is a directory, not a config file" : "is not a regular file");
	}
	if (sb.st_size > CONFIG_FILE_MAX) {
		close(fd);
		return err_set(e, NN_EUSAGE, path, 0, 0, "is larger than the limit of %d bytes", CONFIG_FILE_MAX);
	}
	buf = malloc(CONFIG_FILE_MAX + 1);
	if (!buf) {
		close(fd);
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	}
	while ((got = read(fd, buf + n, CONFIG_FILE_MAX + 1 - n)) > 0)
		n += (size_t)got;
	close(fd);
	if (got < 0 || n > CONFIG_FILE_MAX) {
		free(buf);
		return got < 0 ? err_set(e, NN_EUSAGE, path, 0, 0, "cannot read: %s", strerror(errno)) :
			err_set(e, NN_EUSAGE, path, 0, 0, "is larger than the limit of %d bytes", CONFIG_FILE_MAX);
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

/* The default name: the file name without folders and without a .yaml
 * or .yml extension; other dots stay (exp.v1.yaml names exp.v1). */
static int name_from_path(struct study *s, const char *path, struct err *e)
{
	static const char *const exts[] = { ".yaml", ".yml" };
	const char *base = strrchr(path, '/');
	char stem[CONFIG_NAME_MAX + 1];
	struct config_pos p = { path, 0, 0 };
	struct cval v = { .pos = p, .n = 1, .item = { stem } };
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		size_t el = strlen(exts[i]);
		if (n >= el && strcmp(base + n - el, exts[i]) == 0) {
			n -= el;
			break;
		}
	}
	if (n == 0 || n > CONFIG_NAME_MAX)
		n = 0;
	memcpy(stem, base, n);
	stem[n] = '\0';
	v.item_pos[0] = p;
	if (config_set(&s->base, KEY_NAME, &v, e))
		return err_set(e, NN_EUSAGE, path, 0, 0,
			       "cannot name the study after the file '%s': give it a 'name:'", base);
	s->base.pos[KEY_NAME].line = 0;
	return 0;
}

int config_load_buffer(struct study *s, const char *label, const char *buf,
		       size_t len, struct err *e)
{
	struct study_store *st;

	memset(s, 0, sizeof *s);
	config_defaults(&s->base);
	if (!(st = store_of(s, e)))
		return e->code;
	/* Positions point at the label for as long as the study lives. */
	if (!(st->texts[st->n_texts] = strdup(label)))
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	label = st->texts[st->n_texts++];
	if (len > CONFIG_FILE_MAX)
		return err_set(e, NN_EUSAGE, label, 0, 0, "is larger than the limit of %d bytes", CONFIG_FILE_MAX);
	if (memchr(buf, '\0', len))
		return err_set(e, NN_EUSAGE, label, 0, 0, "is not a text file (it holds a NUL byte)");
	if (load_text(s, label, buf, len, e))
		return e->code;
	return s->base.name[0] ? 0 : name_from_path(s, label, e);
}

int config_load(struct study *s, const char *path, struct err *e)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	memset(s, 0, sizeof *s);
	if (read_file(path, &buf, &len, e))
		return e->code;
	rc = config_load_buffer(s, path, buf, len, e);
	free(buf);
	return rc;
}

/* Splits VALUE at commas outside [...] and {...}: more than one part is a sweep. */
static int count_parts(const char *v)
{
	int depth = 0, parts = 1;

	for (; *v; v++) {
		if (*v == '[' || *v == '{')
			depth++;
		else if (*v == ']' || *v == '}')
			depth--;
		else if (*v == ',' && depth == 0)
			parts++;
	}
	return parts;
}

int config_apply_arg(struct study *s, const char *arg, struct err *e)
{
	const char *eq = strchr(arg, '=');
	struct study_store *st = store_of(s, e);
	char q[64], key[64], *text;
	size_t klen, tlen;
	int k, sweep, range, rc;

	if (!st)
		return e->code;
	for (const char *c = arg; *c; c++)
		if ((unsigned char)*c < 0x20)
			return err_set(e, NN_EUSAGE, NULL, 0, 0,
				       "argument '%s' holds a control character",
				       err_quote(q, sizeof q, arg, strlen(arg)));
	klen = eq ? (size_t)(eq - arg) : 0;
	if (!eq || klen == 0 || klen >= sizeof key)
		return err_set(e, NN_EUSAGE, NULL, 0, 0,
			       "expected KEY=VALUE, got '%s'", err_quote(q, sizeof q, arg, strlen(arg)));
	memcpy(key, arg, klen);
	key[klen] = '\0';
	k = config_key_from_name(key);
	if (strcmp(key, "sweep") == 0)
		return err_set(e, NN_EUSAGE, NULL, 0, 0,
			       "sweep=... is not an argument: write KEY=V1,V2,... to sweep KEY");
	if (k < 0) {
		char msg[ERR_MSG_MAX];
		return err_set(e, NN_EUSAGE, NULL, 0, 0, "%s",
			       unknown_key(msg, sizeof msg, key, klen, ""));
	}
	/* KEY={from: A, to: B} sweeps a range, as in the file. */
	range = eq[1] == '{';
	sweep = range || count_parts(eq + 1) > 1;
	if (sweep && !(config_keys[k].flags & CONFIG_SWEEP))
		return err_set(e, NN_EUSAGE, NULL, 0, 0, "%s cannot be swept%s", key,
			       k == KEY_NAME ? ": it names the whole study" : "");
	/* The argument becomes a one-key YAML document and goes through the
	 * same reading and checking as a file. */
	tlen = strlen(arg) + 32;
	if (st->n_texts == (int)(sizeof st->texts / sizeof st->texts[0]) ||
	    !(text = malloc(tlen)))
		return err_set(e, NN_EUSAGE, NULL, 0, 0, "more than 63 KEY=VALUE arguments");
	st->texts[st->n_texts++] = text;
	if (range)
		snprintf(text, tlen, "sweep: {%s: %s}\n", key, eq + 1);
	else if (sweep)
		snprintf(text, tlen, "sweep: {%s: [%s]}\n", key, eq + 1);
	else
		snprintf(text, tlen, "%s: %s\n", key, eq + 1);
	rc = load_text(s, NULL, text, strlen(text), e);
	/* An error inside a data file the argument names points there. */
	if (rc && e->file[0])
		return rc;
	if (rc) {
		char msg[ERR_MSG_MAX];
		snprintf(msg, sizeof msg, "%s", e->msg);
		return err_set(e, rc, NULL, 0, 0, "%s: %s",
			       err_quote(q, sizeof q, arg, strlen(arg)), msg);
	}
	return 0;
}
