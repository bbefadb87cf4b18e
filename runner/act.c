/* act.c: the activation table's names, forward and backward loops. */
#include "act.h"

#include <string.h>

const char *const act_names[ACT_COUNT] = {
#define ACT_NAME(tag, name, f, df) [ACT_##tag] = name,
	ACT_TABLE(ACT_NAME)
#undef ACT_NAME
};

int act_from_name(const char *name, enum act *out)
{
	for (int i = 0; i < ACT_COUNT; i++) {
		if (strcmp(name, act_names[i]) == 0) {
			*out = (enum act)i;
			return 0;
		}
	}
	return -1;
}

/* The switch sits outside the loop so each case is a plain loop the
 * compiler can keep tight. */
void act_forward(enum act act, double *a, int n)
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

/* The parameter is named out so that the table's f' can name the local
 * output a. */
void act_backward(enum act act, const double *out, double *d, int n)
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
