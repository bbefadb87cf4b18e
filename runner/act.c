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
