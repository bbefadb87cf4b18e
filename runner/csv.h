/* csv.h: the per-epoch loss file, written through one buffer. */
#ifndef NNRUN_CSV_H
#define NNRUN_CSV_H

#include <stddef.h>
#include <stdint.h>

#define CSV_BUF 65536

struct csv {
	int fd;
	int error;      /* the first errno met, kept until csv_close */
	size_t n;
	char buf[CSV_BUF];
};

/* Creates path and writes the header `epoch,loss`; 0 or an errno. */
int csv_open(struct csv *w, const char *path);

/* Appends the row `epoch,loss` (the loss lossless); errors are kept. */
void csv_write_loss(struct csv *w, uint64_t epoch, double loss);

/* Flushes and closes; 0 or the first errno met. */
int csv_close(struct csv *w);

#endif
