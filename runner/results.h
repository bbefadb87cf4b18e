/* results.h: the results tree on disk, written so no file looks complete before it is. */
#ifndef NNRUN_RESULTS_H
#define NNRUN_RESULTS_H

#include <limits.h>
#include <stddef.h>
#include <stdio.h>

#include "err.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* A run being written: files go into a hidden temporary folder, locked
 * while its writer lives, and the folder is renamed into place whole. */
struct results_run {
	char tmp[PATH_MAX];     /* STUDY/.tmp-ID-PID-N */
	char final[PATH_MAX];   /* STUDY/ID */
	int lock_fd;
};

/* Makes ROOT/NAME (and ROOT) if needed and gives its path. */
int results_study_dir(const char *root, const char *name, char *out,
		      size_t max, struct err *e);

/* DIR/NAME in out, one slash between them whatever DIR ends with; -1
 * if it does not fit. */
int results_join(char *out, size_t max, const char *dir, const char *name);

/* 1 when STUDY/ID is a finished run of exactly this resolved config. */
int results_complete(const char *study, const char *id, const char *config_text);

int results_begin(struct results_run *r, const char *study, const char *id,
		  struct err *e);

/* The path of a file inside the run being written. */
int results_path(const struct results_run *r, const char *file, char *out,
		 size_t max);

/* Writes a whole file inside the run being written. */
int results_write_file(const struct results_run *r, const char *file,
		       const char *data, size_t len, struct err *e);

/* Renames the run into place, replacing an older one. */
int results_commit(struct results_run *r, struct err *e);

/* Removes the run being written. */
void results_abort(struct results_run *r);

/* Removes the temporary folders of writers that no longer run. */
void results_clean_stale(const char *study);

/* Holds an exclusive lock on a folder (no file is made) until unlocked;
 * -1 if it cannot. Serializes readers-then-writers of one study. */
int results_lock_dir(const char *dir);
void results_unlock_dir(int fd);

/* A file's text built in memory (fprintf to f), then written whole. */
struct results_text {
	FILE *f;
	char *buf;
	size_t len;
};

int results_text_open(struct results_text *t, struct err *e);

/* Closes t and writes it to path atomically (rc 0), or only frees it
 * (rc non-zero, returned). */
int results_text_close(struct results_text *t, const char *path, int rc,
		       struct err *e);

/* Writes path through a temporary file and a rename. */
int results_write_atomic(const char *path, const char *data, size_t len,
			 struct err *e);

/* Reads a small whole file (at most max-1 bytes) into buf; its length or -1. */
long results_read_small(const char *path, char *buf, size_t max);

/* Writes all of data to fd, retrying short writes; 0 or an errno. */
int results_write_all(int fd, const char *data, size_t len);

#endif
