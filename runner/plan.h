/* plan.h: a study expanded into numbered runs, each with a resolved config and an id. */
#ifndef NNRUN_PLAN_H
#define NNRUN_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define PLAN_ID_MAX 192

struct plan {
	const struct study *study;
	uint64_t count;              /* runs: the product of the axes' sizes */
	uint64_t size[KEY_COUNT];    /* values of each axis, in study order */
	int point_axis;              /* the first random axis: its digit picks
				      * the drawn point of every random key;
				      * -1: none */
};

/* The runs one invocation owns: first, first + step, ... (n of them):
 * every run, one (--index K) or a shard (--shard I/N). */
struct plan_sel {
	uint64_t first, step, n;
};

/* Counts the runs (at most CONFIG_MAX_RUNS) and checks every run's
 * config, so that a bad combination fails before anything runs. The
 * drawn points of a random sweep are one axis, at its first random
 * key's place among the axes. */
int plan_build(struct plan *p, const struct study *s, struct err *e);

/* Counts the runs as plan_build does, checking no run's config. */
int plan_count(struct plan *p, const struct study *s, struct err *e);

/* Checks the config of every selected run (config_check). Its cost is
 * that of the selection, not of the plan. */
int plan_check(const struct plan *p, const struct plan_sel *sel, struct err *e);

/* Selection position i's plan index. */
static inline uint64_t plan_sel_index(const struct plan_sel *sel, uint64_t i)
{
	return sel->first + i * sel->step;
}

/* The resolved config of run index, decoded directly (mixed radix, the
 * last axis varying fastest): the base with the index's value of every
 * axis, checked by config_check (which resolves hidden into layers). */
int plan_config(const struct plan *p, uint64_t index, struct config *c,
		struct err *e);

/* A readable id, unique to the resolved config (its name aside):
 * widths, activation, learning rate, seed, then 16 hex digits of XXH64
 * of the config's canonical text (config.yaml's "key: value" lines but
 * name), e.g. 2-2-1_sigmoid_lr0.1_s42_b320fc42950e5df0. */
void plan_run_id(const struct config *c, char id[PLAN_ID_MAX]);

/* The swept keys and their values for one run, "key=value key=value". */
int plan_describe(const struct plan *p, const struct config *c, char *buf,
		  size_t max);

#endif
