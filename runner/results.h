/* results.h: the results tree on disk, written so no file looks complete before it is. */
#ifndef NNRUN_RESULTS_H
#define NNRUN_RESULTS_H

#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* The file, written last into every run, that records what each other
 * file must be: its XXH64, size and name, one a line. */
#define RESULTS_RECORD "integrity.txt"
#define RESULTS_MAX_FILES 8
#define RESULTS_FILE_NAME_MAX 32

struct results_file {
	char name[RESULTS_FILE_NAME_MAX];
	uint64_t size;
	uint64_t hash;          /* XXH64 */
};

/* A run being written: files go into a hidden temporary folder, locked
 * while its writer lives, and the folder is renamed into place whole. */
struct results_run {
	char tmp[PATH_MAX];     /* STUDY/.tmp-ID-PID-N */
	char final[PATH_MAX];   /* STUDY/ID */
	char study[PATH_MAX];   /* STUDY */
	int lock_fd;
	int n_files;
	struct results_file files[RESULTS_MAX_FILES];
};

/* Makes ROOT/NAME (and ROOT) if needed and gives its path. */
int results_study_dir(const char *root, const char *name, char *out,
		      size_t max, struct err *e);

/* DIR/NAME in out, one slash between them whatever DIR ends with; -1
 * if it does not fit. */
int results_join(char *out, size_t max, const char *dir, const char *name);

enum results_state {
	RESULTS_MISSING,        /* no folder STUDY/ID */
	RESULTS_COMPLETE,       /* config.yaml is config_text, every recorded file intact */
	RESULTS_DAMAGED,        /* partial or damaged: redo it */
	RESULTS_CONFLICT,       /* holds another config under this id: never touch it */
};

#define RESULTS_WHY_MAX 512

/* What STUDY/ID holds for the resolved config whose config.yaml text is
 * config_text, checking every file against the run's integrity record;
 * unless COMPLETE or MISSING, why says what is wrong ("loss.csv: size
 * 120, expected 2345"; for a conflict, the lines that differ). Reads only. */
enum results_state results_check(const char *study, const char *id,
				 const char *config_text, char *why, size_t max);

/* Told of the files of a run as results_check_read reads them: file's
 * bytes come in chunks, in order, once each (a file whose check fails
 * may have come in part or whole; config.yaml, compared whole, is not
 * told). */
struct results_reader {
	void (*data)(void *ctx, const char *file, const char *bytes, size_t len);
	void *ctx;
};

/* results_check, handing rd every file it reads: one read of each file
 * both checks it and gives it to the caller. */
enum results_state results_check_read(const char *study, const char *id,
				      const char *config_text,
				      const struct results_reader *rd, char *why, size_t max);

/* results_check_read of the run whose folder is run, relative to the
 * open folder dfd (AT_FDCWD: to the working folder): a study's pass
 * opens the study once and names each run by its id. */
enum results_state results_check_at(int dfd, const char *run, const char *config_text,
				    const struct results_reader *rd, char *why, size_t max);

int results_begin(struct results_run *r, const char *study, const char *id,
		  struct err *e);

/* The path of a file inside the run being written. */
int results_path(const struct results_run *r, const char *file, char *out,
		 size_t max);

/* Writes a whole file inside the run being written and records it for
 * the integrity record. Nothing is synced yet: the batch's flush does it. */
int results_write_file(struct results_run *r, const char *file,
		       const char *data, size_t len, struct err *e);

/* Records a file written by other means (its size and XXH64, computed
 * as it was written) for the integrity record. */
int results_record(struct results_run *r, const char *file, uint64_t size,
		   uint64_t hash, struct err *e);

/* A group commit: runs finished but not yet complete, each still in its
 * locked temporary folder. Closing the batch makes every file of every
 * run durable with one flush (syncfs of the file system; where it fails,
 * each file's fdatasync and each folder's fsync), then renames each run
 * into place, then syncs the study folder once, and only then tells the
 * caller which runs are committed. A writer killed before that loses
 * only its batch: locked temporaries, removed by the next invocation.
 * NNRUN_NO_SYNC=1 in the environment skips the flush and the folder's
 * sync (for `make bench`, which measures what syncing costs). */
#define RESULTS_BATCH_MAX 64

struct results_pending {
	struct results_run run;
	uint64_t tag;           /* the caller's, given back */
	int status;             /* the caller's, given back */
};

/* Told of each run of a closing batch once it is committed (e NULL) or
 * failed to be (e says why; its temporary folder is gone). */
typedef void results_committed_fn(void *ctx, uint64_t tag, int status,
				  const struct err *e);

struct results_batch {
	int max;                /* 1 to RESULTS_BATCH_MAX */
	int n;
	volatile sig_atomic_t due; /* set from a timer: close at the next chance */
	results_committed_fn *committed;
	void *ctx;
	struct results_run writing; /* the run being written */
	struct results_pending p[];
};

/* A batch closing at max runs; NULL when out of memory. */
struct results_batch *results_batch_new(int max, results_committed_fn *committed,
					void *ctx);
void results_batch_free(struct results_batch *b);

/* Where the next run to write goes: begin it there, then add it. */
struct results_run *results_batch_next(struct results_batch *b);

/* Writes the integrity record of the run results_batch_next gave (the
 * last file of the run) and holds the run in the batch, which the caller
 * closes when n reaches max. On an error the run is removed, not held. */
int results_batch_add(struct results_batch *b, uint64_t tag, int status,
		      struct err *e);

/* Closes the batch as above (nothing to do when it is empty), and clears
 * due. */
void results_batch_close(struct results_batch *b);

/* Removes the run being written. */
void results_abort(struct results_run *r);

/* Removes the temporary folders of writers that no longer run. */
void results_clean_stale(const char *study);

/* How many folders the study holds besides temporaries: at least its
 * complete runs (one pass over the folder's entries, no run read). */
uint64_t results_count_folders(const char *study);

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

/* A file's text streamed (fprintf to f) into a locked temporary beside
 * path, renamed to path on close: for files too large to hold in memory. */
struct results_stream {
	FILE *f;
	char tmp[PATH_MAX];
	char path[PATH_MAX];
};

int results_stream_open(struct results_stream *s, const char *path, struct err *e);

/* Renames the file into place (rc 0), or only removes it (rc non-zero,
 * returned). */
int results_stream_close(struct results_stream *s, int rc, struct err *e);

/* Writes path through a temporary file and a rename. */
int results_write_atomic(const char *path, const char *data, size_t len,
			 struct err *e);

/* Reads a small whole file (at most max-1 bytes) into buf; its length or -1. */
long results_read_small(const char *path, char *buf, size_t max);

/* Writes all of data to fd, retrying short writes; 0 or an errno. */
int results_write_all(int fd, const char *data, size_t len);

#endif
