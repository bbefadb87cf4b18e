/* data.h: a task's rows read from a data file: CSV with a header row, or FANN's .data. */
#ifndef NNRUN_DATA_H
#define NNRUN_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "task.h"

#define DATA_MAX_BYTES (16 << 20)  /* of one file */
#define DATA_MAX_COLS 2048         /* inputs and targets of a row */
#define DATA_MAX_FILES 64          /* distinct files one study reads */

/* A file's numbers: n_rows x n_cols, row-major, each row's inputs
 * before its targets. */
struct data_table {
	int n_rows, n_cols;
	int n_out;              /* .data: the outputs its first line declares;
				 * CSV: 0, the config's `targets` decides */
	uint64_t xxh64;         /* of the file's bytes */
	const char *label;      /* data_open's: the path as the config gave it */
	double *v;
};

/* Whether a task names a data file: a path ending in .csv or .data. */
int data_is_path(const char *task);

/* Parses len bytes (fann: FANN's .data, else CSV) into t; label names
 * the file in errors, `LABEL:LINE:COL: error: ...`. Free t with
 * data_table_free, also on failure. */
int data_parse(struct data_table *t, const char *label, const char *buf,
	       size_t len, int fann, struct err *e);

void data_table_free(struct data_table *t);

/* The table of the file at path (an absolute path: the cache's key),
 * read and parsed once per process; label names it in errors. */
const struct data_table *data_open(const char *path, const char *label,
				   struct err *e);

/* A file data_open read already, or NULL. */
const struct data_table *data_find(const char *path);

/* The shape when the last `targets` columns are the targets (.data
 * files: their declared outputs, whatever targets says); -1 when
 * targets leaves no input. */
int data_shape(const struct data_table *t, int targets, struct task_shape *sh);

/* The rows as task_build makes them, in one allocation (free()); NULL
 * when out of memory or data_shape fails. */
struct task_data *data_task(const struct data_table *t, int targets);

/* Any task's shape and rows: a built-in's, or those of a file data_open
 * read (the config's checks read it); -1 or NULL otherwise. */
int data_task_shape(const char *task, int targets, struct task_shape *sh);
struct task_data *data_task_build(const char *task, int targets);

/* Frees every table data_open read. */
void data_close_all(void);

#endif
