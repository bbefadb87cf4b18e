/* netfile.h: a trained network as network.yaml: written losslessly, read back strictly. */
#ifndef NNRUN_NETFILE_H
#define NNRUN_NETFILE_H

#include <stddef.h>

#include "err.h"
#include "net.h"
#include "results.h"

#define NETFILE_NAME "network.yaml"
/* A network of NET_MAX_PARAMS values at 24 bytes each fits. */
#define NETFILE_MAX_BYTES (128 * 1024 * 1024)
#define NETFILE_TASK_MAX 4096

/* A network read back: its task's name, its shape and its parameters in
 * net_params order (for each layer W, width[l-1] x width[l] row-major as
 * NumPy's W in x @ W + b, then b). */
struct netfile {
	char task[NETFILE_TASK_MAX];
	struct net_spec spec;
	double *params;         /* net_param_count(&spec) values */
};

/* The text of network.yaml for a network of spec trained on task, every
 * value written by fmt_double (the shortest text that reads back to the
 * same double). A malloc'd, NUL-terminated buffer and its length in
 * *len, or NULL when out of memory. */
char *netfile_format(const char *task, const struct net_spec *spec,
		     const double *params, size_t *len);

/* Writes network.yaml into the run being written, recorded for its
 * integrity record like every other file of the run. */
int netfile_write(struct results_run *r, const char *task, const struct net_spec *spec,
		  const double *params, struct err *e);

/* Reads path (a network.yaml) into nf, checking every value: the widths,
 * the activation and loss names, each weight a decimal number (or nan,
 * inf, -inf, as a diverged run writes them) and every count matching the
 * widths. Errors carry FILE:LINE:COL. netfile_free(nf) after success. */
int netfile_read(const char *path, struct netfile *nf, struct err *e);

/* The same from text in memory; file names it in errors. */
int netfile_parse(const char *file, const char *buf, size_t len,
		  struct netfile *nf, struct err *e);

void netfile_free(struct netfile *nf);

/* A decimal number as fmt_double writes them (-1.5, 2e-05, 1.25e+300),
 * or nan, inf, -inf: 0 and *out; -1 for anything else (hex, junk after
 * the number, a leading '+' or space, a value too large for a double). */
int netfile_number(const char *s, double *out);

#endif
