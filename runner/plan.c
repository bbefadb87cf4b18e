/* plan.c: expands a study's sweep into runs, and names each run. */
#include "plan.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fmt.h"
#include "hash.h"

/* One "key: value\n" line of the config; a layers list of 16 widths is
 * the longest. */
#define RUN_ID_TEXT_MAX 256

/* The random keys vary together: the first holds the distinct points
 * drawn, the others add nothing to the product. */
static uint64_t axis_size(const struct plan *p, int a)
{
	const struct sweep_axis *ax = &p->study->axes[a];

	switch (ax->kind) {
	case SWEEP_RANGE:
		return ax->to - ax->from + 1;
	case SWEEP_RANDOM:
		return a == p->point_axis ? (uint64_t)ax->n : 1;
	case SWEEP_LIST:
		break;
	}
	return (uint64_t)ax->n;
}

/* A random sweep needs samples, and samples or sweep_seed (given: a
 * position) a random sweep. */
static int check_samples(const struct plan *p, struct err *e)
{
	static const enum config_key drawing[] = { KEY_SAMPLES, KEY_SWEEP_SEED };
	const struct config *b = &p->study->base;

	if (p->point_axis >= 0) {
		const struct sweep_axis *ax = &p->study->axes[p->point_axis];
		if (b->samples)
			return 0;
		return err_set(e, NN_EUSAGE, ax->pos.file, ax->pos.line, ax->pos.col,
			       "the random sweep of %s needs samples: N (how many points to draw)",
			       config_keys[ax->key].name);
	}
	for (int i = 0; i < 2; i++) {
		const struct config_pos *at = &b->pos[drawing[i]];
		if (at->line)
			return err_set(e, NN_EUSAGE, at->file, at->line, at->col,
				       "%s draws nothing: no key is swept at random, like learning_rate: {log_uniform: [0.001, 10]}",
				       config_keys[drawing[i]].name);
	}
	return 0;
}

int plan_count(struct plan *p, const struct study *s, struct err *e)
{
	memset(p, 0, sizeof *p);
	p->study = s;
	p->count = 1;
	p->point_axis = -1;
	for (int a = s->n_axes - 1; a >= 0; a--)
		if (s->axes[a].kind == SWEEP_RANDOM)
			p->point_axis = a;
	if (check_samples(p, e))
		return e->code;
	for (int a = 0; a < s->n_axes; a++) {
		p->size[a] = axis_size(p, a);
		if (p->size[a] > CONFIG_MAX_RUNS / p->count)
			return err_set(e, NN_EUSAGE, s->axes[a].pos.file,
				       s->axes[a].pos.line, s->axes[a].pos.col,
				       "the sweep makes more than %llu runs",
				       (unsigned long long)CONFIG_MAX_RUNS);
		p->count *= p->size[a];
	}
	return 0;
}

int plan_check(const struct plan *p, const struct plan_sel *sel, struct err *e)
{
	struct config c;

	for (uint64_t i = 0; i < sel->n; i++)
		if (plan_config(p, plan_sel_index(sel, i), &c, e))
			return e->code;
	return 0;
}

int plan_build(struct plan *p, const struct study *s, struct err *e)
{
	struct plan_sel all;

	if (plan_count(p, s, e))
		return e->code;
	all = (struct plan_sel){ 0, 1, p->count };
	return plan_check(p, &all, e);
}

int plan_config(const struct plan *p, uint64_t index, struct config *c,
		struct err *e)
{
	const struct study *s = p->study;
	uint64_t digit[KEY_COUNT];

	*c = s->base;
	for (int a = s->n_axes - 1; a >= 0; a--) {
		digit[a] = index % p->size[a];
		index /= p->size[a];
	}
	for (int a = 0; a < s->n_axes; a++) {
		const struct sweep_axis *ax = &s->axes[a];
		struct config_value v;

		switch (ax->kind) {
		case SWEEP_RANGE:
			/* in the range, so within the key's bounds */
			v.pos = ax->pos;
			config_value_set_uint(ax->key, &v, ax->from + digit[a]);
			config_value_put(c, ax->key, &v);
			break;
		case SWEEP_RANDOM:
			v = ax->lo;
			v.pos = ax->pos;
			if (ax->dist == SWEEP_INT_UNIFORM)
				config_value_set_uint(ax->key, &v, ax->drawn[digit[p->point_axis]].u);
			else
				config_value_set_double(&v, ax->drawn[digit[p->point_axis]].d);
			config_value_put(c, ax->key, &v);
			break;
		case SWEEP_LIST:
			config_value_put(c, ax->key, &ax->values[digit[a]]);
			break;
		}
	}
	return config_check(c, e);
}

static size_t append(char *buf, size_t n, size_t max, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static size_t append(char *buf, size_t n, size_t max, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf + n, max - n, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= max - n) {
		buf[n] = '\0';
		return n;
	}
	return n + (size_t)len;
}

void plan_run_id(const struct config *c, char id[PLAN_ID_MAX])
{
	char text[RUN_ID_TEXT_MAX], lr[FMT_DOUBLE_MAX];
	struct hash h;
	size_t n = 0;
	int len;

	/* The text hashed is config.yaml's lines but name: "key: value\n",
	 * each value in its one canonical form (config_format_value). */
	hash_init(&h);
	for (int k = 0; k < KEY_COUNT; k++) {
		if (!(config_keys[k].flags & CONFIG_ID) ||
		    !config_key_written(c, (enum config_key)k))
			continue;
		len = snprintf(text, sizeof text, "%s: ", config_keys[k].name);
		len += config_format_value(c, (enum config_key)k, text + len,
					   sizeof text - (size_t)len - 1);
		text[len++] = '\n';
		hash_update(&h, text, (size_t)len);
	}
	/* The readable part is cut at 160 bytes; the hash keeps ids unique. */
	for (int l = 0; l < c->n_layers; l++)
		n = append(id, n, 160, "%s%d", l ? "-" : "", c->layers[l]);
	for (int a = 0; a < config_act_count(c); a++)
		n = append(id, n, 160, "%c%s", a ? '+' : '_', act_names[c->act[a]]);
	fmt_double(lr, c->learning_rate);
	n = append(id, n, 160, "_lr%s_s%lu", lr, (unsigned long)c->seed);
	snprintf(id + n, PLAN_ID_MAX - n, "_%016llx", (unsigned long long)hash_final(&h));
}

int plan_describe(const struct plan *p, const struct config *c, char *buf,
		  size_t max)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int a = 0; a < p->study->n_axes; a++) {
		enum config_key k = p->study->axes[a].key;
		int len = snprintf(buf + n, max - n, "%s%s=", a ? " " : "", config_keys[k].name);
		if (len < 0 || (size_t)len >= max - n)
			return -1;
		n += (size_t)len;
		len = config_format_value(c, k, buf + n, max - n);
		if (len < 0)
			return -1;
		n += (size_t)len;
	}
	return (int)n;
}
