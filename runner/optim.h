/* optim.h: the optimizers, one row each, stepping parameters from a gradient. */
#ifndef NNRUN_OPTIM_H
#define NNRUN_OPTIM_H

#include <stddef.h>
#include <stdint.h>

enum optim { OPTIM_SGD, OPTIM_MOMENTUM, OPTIM_NESTEROV, OPTIM_ADAM, OPTIM_RPROP, OPTIM_COUNT };

extern const char *const optim_names[OPTIM_COUNT];

/* An optimizer's settings, named as torch.optim names them. For rprop,
 * lr is the initial step size. */
struct optim_spec {
	enum optim kind;
	double lr;
	double momentum;
	double beta1, beta2, eps;
	double weight_decay;
	double etaminus, etaplus, step_min, step_max;
};

/* One step of rule o on n parameters p from their gradient g (of the
 * objective, to be descended), t the step count from 1; state holds
 * optim_state_per_param(o->kind) * n doubles, zero before the first
 * step. g may be overwritten. */
typedef void (*optim_step_fn)(const struct optim_spec *o, double *p, double *g,
			      double *state, size_t n, uint64_t t);

struct optim_rule {
	const char *name;
	optim_step_fn step;
	int state_per_param;   /* doubles of state per parameter */
};

extern const struct optim_rule optim_rules[OPTIM_COUNT];

static inline int optim_state_per_param(enum optim kind)
{
	return optim_rules[kind].state_per_param;
}

#endif
