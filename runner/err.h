/* err.h: errors as values, carried up to main, printed in one format. */
#ifndef NNRUN_ERR_H
#define NNRUN_ERR_H

#include <stdio.h>

/* Exit statuses, documented in the README and nnrun(1). */
enum {
	NN_OK = 0,
	NN_ERUN = 1,   /* a run failed (write error, out of memory) */
	NN_EUSAGE = 2, /* bad command line or bad config: nothing was written */
};

#define ERR_MSG_MAX 320
#define ERR_FILE_MAX 256

/* Where and what went wrong. line/col are 1-based; 0 means "no position". */
struct err {
	int code;
	char file[ERR_FILE_MAX];
	int line;
	int col;
	char msg[ERR_MSG_MAX];
};

/* Records an error and returns its code, so callers can write
 * `return err_set(e, NN_EUSAGE, file, line, col, "...")`.
 * file may be NULL (the command line). Long messages are cut. */
int err_set(struct err *e, int code, const char *file, int line, int col,
	    const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* The one formatter: `FILE:LINE:COL: error: MSG`, `FILE: error: MSG`
 * or `nnrun: error: MSG`, as one line. */
void err_print(const struct err *e, FILE *out);

/* Copies at most max-1 bytes of s into a short, printable form for a
 * message: control bytes become '?', and long input ends in "...". */
const char *err_quote(char *buf, size_t max, const char *s, size_t len);

#endif
