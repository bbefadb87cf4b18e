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

/* a[i] = f(a[i]) for n values, in place. Inline, with the switch
 * outside the loop, so that a caller passing a constant n gets a plain
 * unrolled loop (the network's 2-wide layers run this every epoch). */
static inline void act_forward(enum act act, double *a, int n)
{
	switch (act) {
#define ACT_FORWARD(tag, name, f, df)            \
	case ACT_##tag:                          \
		for (int i = 0; i < n; i++) {    \
			double x = a[i];         \
			a[i] = (f);              \
		}                                \
		break;
		ACT_TABLE(ACT_FORWARD)
#undef ACT_FORWARD
	case ACT_COUNT:
		break;
	}
}

/* d[i] *= f'(a[i]) for n values, a holding f's outputs. The parameter
 * is named out so that the table's f' can name the local output a. */
static inline void act_backward(enum act act, const double *out, double *d, int n)
{
	switch (act) {
#define ACT_BACKWARD(tag, name, f, df)           \
	case ACT_##tag:                          \
		for (int i = 0; i < n; i++) {    \
			double a = out[i];       \
			d[i] *= (df);            \
		}                                \
		break;
		ACT_TABLE(ACT_BACKWARD)
#undef ACT_BACKWARD
	case ACT_COUNT:
		break;
	}
}

#endif
