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
 * optim_state_count(o->kind, n) doubles, zero before the first step.
 * g may be overwritten. */
typedef void (*optim_step_fn)(const struct optim_spec *o, double *p, double *g,
			      double *state, size_t n, uint64_t t);

struct optim_rule {
	const char *name;
	optim_step_fn step;
	int state_per_param;   /* doubles of state per parameter */
	int state_fixed;       /* and besides, after them */
};

extern const struct optim_rule optim_rules[OPTIM_COUNT];

static inline int optim_state_per_param(enum optim kind)
{
	return optim_rules[kind].state_per_param;
}

/* Doubles of state that rule kind keeps for n parameters. */
static inline size_t optim_state_count(enum optim kind, size_t n)
{
	return (size_t)optim_rules[kind].state_per_param * n +
	       (size_t)optim_rules[kind].state_fixed;
}

/* Doubles that optim_bias_correction keeps between steps. */
#define OPTIM_POWER_SIZE 3

/* 1.0 - pow(beta, t), the same double (torch's 1 - beta**t, Python's
 * float ** int being C's pow), for 0 <= beta < 1. Called for t = 1, 2,
 * 3, ... in turn it rarely calls pow: power (OPTIM_POWER_SIZE doubles,
 * zero before the first call) carries beta**t from step to step. Any
 * other t is pow's too. */
double optim_bias_correction(double *power, double beta, uint64_t t);

#endif
