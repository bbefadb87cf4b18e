/* act.h: the activation functions, one row each. */
#ifndef NNRUN_ACT_H
#define NNRUN_ACT_H

#include <math.h>

/* One row per activation: enum tag, config name, f(x), and f' written
 * in terms of the output a = f(x), as the tutorial's backward pass uses it.
 * Adding an activation means adding one row here. */
#define ACT_TABLE(X)                                               \
	X(SIGMOID, "sigmoid", 1.0 / (1.0 + exp(-x)), a * (1.0 - a)) \
	X(TANH, "tanh", tanh(x), 1.0 - a * a)                       \
	X(RELU, "relu", (x > 0.0 ? x : 0.0), (a > 0.0 ? 1.0 : 0.0))

enum act {
#define ACT_ENUM(tag, name, f, df) ACT_##tag,
	ACT_TABLE(ACT_ENUM)
#undef ACT_ENUM
	ACT_COUNT
};

extern const char *const act_names[ACT_COUNT];

/* Returns 0 and sets *out when name is an activation's name, else -1. */
int act_from_name(const char *name, enum act *out);

/* a[i] = f(a[i]) for n values, in place. */
void act_forward(enum act act, double *a, int n);

/* d[i] *= f'(a[i]) for n values, a holding f's outputs. */
void act_backward(enum act act, const double *a, double *d, int n);

#endif
