/* fuzz_config.c: libFuzzer target over the config loader and KEY=VALUE arguments.
 *
 * Input: YAML bytes, then optionally a NUL and NUL-separated KEY=VALUE
 * arguments, e.g. "epochs: 5\n\0seed=1,2\0layers=[2,4,1]". Whatever the
 * bytes, loading must end in 0 or one error line of bounded length, and
 * never crash, leak or read out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_error(const struct err *e)
{
	char line[ERR_FILE_MAX + ERR_MSG_MAX + 64];
	FILE *f = fmemopen(line, sizeof line, "w");

	if (!f)
		return;
	err_print(e, f);
	fclose(f);
	/* One line: the only newline is the last byte. */
	if (strchr(line, '\n') != line + strlen(line) - 1)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	const char *nul = memchr(buf, '\0', size);
	size_t yaml_len = nul ? (size_t)(nul - buf) : size;
	char *args = NULL;
	struct study s;
	struct plan p;
	struct err e;

	if (config_load_buffer(&s, "fuzz.yaml", buf, yaml_len, &e)) {
		check_error(&e);
		config_free_study(&s);
		return 0;
	}
	if (nul) {
		/* A copy whose last argument ends in a NUL too. */
		size_t n = size - yaml_len - 1;
		args = malloc(n + 1);
		if (!args)
			goto out;
		memcpy(args, nul + 1, n);
		args[n] = '\0';
		for (char *a = args; a < args + n; a += strlen(a) + 1) {
			if (config_apply_arg(&s, a, &e)) {
				check_error(&e);
				goto out;
			}
		}
	}
	if (plan_build(&p, &s, &e) == 0) {
		char id[PLAN_ID_MAX], text[4096];
		struct config c;
		if (plan_config(&p, p.count - 1, &c, &e) == 0) {
			plan_run_id(&c, id);
			if (config_format(&c, text, sizeof text) < 0)
				abort();
			plan_describe(&p, &c, text, sizeof text);
		}
	} else {
		check_error(&e);
	}
out:
	free(args);
	config_free_study(&s);
	return 0;
}
