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

static uint64_t axis_size(const struct sweep_axis *ax)
{
	return ax->is_range ? ax->to - ax->from + 1 : (uint64_t)ax->n;
}

int plan_count(struct plan *p, const struct study *s, struct err *e)
{
	memset(p, 0, sizeof *p);
	p->study = s;
	p->count = 1;
	for (int a = 0; a < s->n_axes; a++) {
		p->size[a] = axis_size(&s->axes[a]);
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

	*c = s->base;
	for (int a = s->n_axes - 1; a >= 0; a--) {
		const struct sweep_axis *ax = &s->axes[a];
		uint64_t k = index % p->size[a];
		int rc;

		index /= p->size[a];
		if (ax->is_range)
			rc = config_set_uint(c, ax->key, ax->from + k, &ax->pos, e);
		else
			rc = config_set(c, ax->key, &ax->values[k], e);
		if (rc)
			return rc;
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
