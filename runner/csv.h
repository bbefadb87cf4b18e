/* csv.h: CSV output: the per-epoch loss file through one buffer, and quoted fields. */
#ifndef NNRUN_CSV_H
#define NNRUN_CSV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hash.h"

#define CSV_BUF 65536

struct csv {
	int fd;
	int error;      /* the first errno met, kept until csv_close */
	size_t n;
	uint64_t size;  /* bytes written so far */
	struct hash hash; /* XXH64 of them, fed as the buffer is flushed */
	char buf[CSV_BUF];
};

/* Creates path and writes the header `epoch,loss`; 0 or an errno. */
int csv_open(struct csv *w, const char *path);

/* Appends the row `epoch,loss` (the loss lossless); errors are kept. */
void csv_write_loss(struct csv *w, uint64_t epoch, double loss);

/* About how many bytes loss.csv takes for a run of epochs epochs that
 * logs every log_every-th (and the last): its rows' epoch digits, exact,
 * and CSV_LOSS_TYPICAL bytes a loss. */
#define CSV_LOSS_TYPICAL 19
uint64_t csv_loss_size(uint64_t epochs, uint64_t log_every);

/* Flushes and closes (the run's commit syncs it); 0 or the first errno
 * met. Then size and hash_final(&hash) describe the whole file. */
int csv_close(struct csv *w);

/* Writes v as one CSV field: quoted (quotes doubled) when it holds a
 * comma, a quote or a newline, as in labels like "layers=[2, 2, 1]". */
void csv_put_field(FILE *f, const char *v);

/* Writes ",v": v lossless, or nothing after the comma when v is NaN (a
 * figure that does not exist). */
void csv_put_number(FILE *f, double v);

#endif
