/* results.c: folders and files of the results tree, written atomically. */
#define _GNU_SOURCE /* renameat2 */
#include "results.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"

int results_write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

static int make_dir(const char *path, struct err *e)
{
	struct stat sb;

	if (mkdir(path, 0777) == 0 || (errno == EEXIST && stat(path, &sb) == 0 &&
					S_ISDIR(sb.st_mode)))
		return 0;
	return err_set(e, NN_ERUN, path, 0, 0, "cannot make the folder: %s",
		       errno == EEXIST ? "a file is in the way" : strerror(errno));
}

int results_study_dir(const char *root, const char *name, char *out,
		      size_t max, struct err *e)
{
	char path[PATH_MAX];
	size_t n = strlen(root);

	if (n == 0 || n >= sizeof path - 1)
		return err_set(e, NN_EUSAGE, NULL, 0, 0, "the results folder name is empty or too long");
	/* Make every missing parent, as mkdir -p does. */
	memcpy(path, root, n + 1);
	for (size_t i = 1; i < n; i++) {
		if (path[i] != '/')
			continue;
		path[i] = '\0';
		if (make_dir(path, e))
			return e->code;
		path[i] = '/';
	}
	if (make_dir(root, e))
		return e->code;
	if (results_join(out, max, root, name))
		return err_set(e, NN_EUSAGE, NULL, 0, 0, "the results path is too long");
	return make_dir(out, e);
}

int results_join(char *out, size_t max, const char *dir, const char *name)
{
	size_t n = strlen(dir);

	while (n > 0 && dir[n - 1] == '/')
		n--;
	if (n == 0 && dir[0] == '/')
		return (size_t)snprintf(out, max, "/%s", name) >= max ? -1 : 0;
	return (size_t)snprintf(out, max, "%.*s/%s", (int)n, dir, name) >= max ? -1 : 0;
}

/* NNRUN_NO_SYNC=1 switches syncing off: `make bench` measures its cost
 * so, and scratch results may skip it (README says what is lost). */
static int sync_off(void)
{
	static int off = -1;

	if (off < 0) {
		const char *v = getenv("NNRUN_NO_SYNC");
		off = v && strcmp(v, "1") == 0;
	}
	return off;
}

/* fsync (or fdatasync) of the file or folder at path; 0 or an errno. */
static int sync_path(const char *path, int data_only)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return errno;
	if ((data_only ? fdatasync(fd) : fsync(fd)) < 0)
		rc = errno;
	close(fd);
	return rc;
}

#define WHY(...) (snprintf(why, max, __VA_ARGS__), RESULTS_DAMAGED)

/* expect of a file whose size is not known: its first short read is
 * taken for its end; or read until a read returns nothing. */
#define ANY_SIZE SIZE_MAX
#define TO_THE_END (SIZE_MAX - 1)

/* Reads what is left of fd into buf (max bytes, NUL-terminated) with
 * as few reads as it can: asked for more than expect bytes, a read that
 * comes back short at exactly expect is at the file's end (a regular
 * file's read stops short only there), so no read is spent to see it.
 * The bytes read, or -1. */
static long read_expecting(int fd, char *buf, size_t max, size_t expect)
{
	size_t n = 0;
	ssize_t got;

	while (n + 1 < max && (got = read(fd, buf + n, max - 1 - n)) != 0) {
		if (got < 0)
			return -1;
		n += (size_t)got;
		if ((n == expect || expect == ANY_SIZE) && n + 1 < max)
			break;
	}
	buf[n] = '\0';
	return (long)n;
}

/* The first max - 1 bytes of the file at path relative to the folder dfd (or AT_FDCWD),
 * expecting expect bytes (see read_expecting). */
static long read_small_at(int dfd, const char *path, char *buf, size_t max, size_t expect)
{
	int fd = openat(dfd, path, O_RDONLY | O_CLOEXEC);
	long n;

	if (fd < 0)
		return -1;
	n = read_expecting(fd, buf, max, expect);
	close(fd);
	return n;
}

long results_read_small(const char *path, char *buf, size_t max)
{
	return read_small_at(AT_FDCWD, path, buf, max, TO_THE_END);
}

/* The size and XXH64 of the file at path (relative to the folder dfd,
 * or AT_FDCWD), each chunk also handed to rd (unless NULL) as file name;
 * -1 when it cannot be read. A file of its recorded size (expect) below
 * 64 KiB is read with one read. */
static int hash_file(int dfd, const char *path, const char *name,
		     const struct results_reader *rd, uint64_t expect,
		     uint64_t *size, uint64_t *out)
{
	static char buf[65536];
	int fd = openat(dfd, path, O_RDONLY | O_CLOEXEC);
	struct hash h;
	ssize_t got;

	if (fd < 0)
		return -1;
	hash_init(&h);
	*size = 0;
	for (;;) {
		size_t want = sizeof buf;

		/* One byte past the recorded end: a longer file shows. */
		if (*size <= expect && expect - *size < want)
			want = (size_t)(expect - *size) + 1;
		if ((got = read(fd, buf, want)) <= 0)
			break;
		hash_update(&h, buf, (size_t)got);
		*size += (uint64_t)got;
		if (rd)
			rd->data(rd->ctx, name, buf, (size_t)got);
		if ((size_t)got < want && *size == expect)
			break;
	}
	close(fd);
	*out = hash_final(&h);
	return got < 0 ? -1 : 0;
}

static const char *next_line(const char *l)
{
	const char *nl = strchr(l, '\n');

	return nl ? nl + 1 : l + strlen(l);
}

/* The value of line "KEY: VALUE" in text, as a pointer and a length. */
static const char *line_value(const char *text, const char *key, size_t klen,
			      int *len)
{
	for (const char *l = text; *l; l = next_line(l)) {
		if (strncmp(l, key, klen) == 0 && l[klen] == ':' && l[klen + 1] == ' ') {
			l += klen + 2;
			*len = (int)strcspn(l, "\n");
			return l;
		}
	}
	return NULL;
}

/* Lists in why the "KEY: VALUE" lines of want whose value differs in got;
 * the number of them. */
static int differing_keys(const char *got, const char *want, char *why, size_t max)
{
	size_t n = 0;
	int diffs = 0;

	why[0] = '\0';
	for (const char *l = want; *l; l = next_line(l)) {
		size_t klen = strcspn(l, ":\n");
		const char *g, *w;
		int gl = 0, wl = 0;

		if (l[0] == '#' || l[klen] != ':' || !(w = line_value(want, l, klen, &wl)))
			continue;
		g = line_value(got, l, klen, &gl);
		if (g && gl == wl && memcmp(g, w, (size_t)wl) == 0)
			continue;
		diffs++;
		if (n < max)
			n += (size_t)snprintf(why + n, max - n, "%s%.*s %.*s there, %.*s here",
					      diffs > 1 ? "; " : "", (int)klen, l,
					      g ? gl : 6, g ? g : "(none)", wl, w);
	}
	return diffs;
}

/* A record line "HASH SIZE NAME" as sscanf's "%16llx %llu %31[^\n]"
 * reads it, by hand for the lines write_record writes (16 hex digits, a
 * size, a short name); any other line is sscanf's. 3 when read. */
static int record_line(const char *l, unsigned long long *hash, unsigned long long *size,
		       char name[RESULTS_FILE_NAME_MAX])
{
	unsigned long long h = 0, n = 0;
	int i = 0, k = 0;

	for (; i < 16; i++) {
		int c = l[i], d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;

		if (d < 0)
			goto other;
		h = h << 4 | (unsigned)d;
	}
	if (l[i++] != ' ' || !(l[i] >= '0' && l[i] <= '9'))
		goto other;
	for (k = 0; l[i] >= '0' && l[i] <= '9'; i++, k++)
		n = n * 10 + (unsigned)(l[i] - '0');
	if (k > 19 || l[i++] != ' ')
		goto other;
	for (k = 0; l[i + k] && l[i + k] != '\n'; k++)
		if (k == RESULTS_FILE_NAME_MAX - 1 || (k == 0 && (l[i] == ' ' || (l[i] >= '\t' && l[i] <= '\r'))))
			goto other;
	if (k == 0)
		goto other;
	memcpy(name, l + i, (size_t)k);
	name[k] = '\0';
	*hash = h;
	*size = n;
	return 3;
other:
	return sscanf(l, "%16llx %llu %31[^\n]", hash, size, name);
}

/* Checks every file the integrity record lists; config.yaml, already
 * read whole into cfg (cfg_len bytes; NULL when it may have been cut
 * short), is hashed from there rather than read again. run is the run's
 * folder relative to dfd (or AT_FDCWD). */
static enum results_state check_record(int dfd, const char *run, const char *cfg,
				       size_t cfg_len, const struct results_reader *rd,
				       char *why, size_t max)
{
	char path[PATH_MAX + RESULTS_FILE_NAME_MAX + 2], rec[4096], *line, *end;
	long n;

	snprintf(path, sizeof path, "%s/" RESULTS_RECORD, run);
	/* Its size is not known: a short read is taken for its end, which
	 * its own checksum confirms. */
	n = read_small_at(dfd, path, rec, sizeof rec, ANY_SIZE);
	if (n < 0)
		return WHY(RESULTS_RECORD ": missing");
	/* The last line, "end HASH", is XXH64 of every line above it. */
	end = n > 0 && rec[n - 1] == '\n' ? rec + n - 1 : NULL;
	if (end) {
		*end = '\0';
		end = strrchr(rec, '\n');
	}
	if (!end || strncmp(end + 1, "end ", 4) != 0 ||
	    strtoull(end + 5, NULL, 16) != hash_bytes(rec, (size_t)(end + 1 - rec)))
		return WHY(RESULTS_RECORD ": damaged");
	*end = '\0';
	for (line = rec; line && *line; line = (end = strchr(line, '\n')) ? end + 1 : NULL) {
		char name[RESULTS_FILE_NAME_MAX];
		unsigned long long hash, size;
		uint64_t got_size, got_hash;

		if (line[0] == '#')
			continue;
		if (record_line(line, &hash, &size, name) != 3)
			return WHY(RESULTS_RECORD ": damaged");
		snprintf(path, sizeof path, "%s/%s", run, name);
		if (cfg && strcmp(name, "config.yaml") == 0) {
			got_size = cfg_len;
			got_hash = hash_bytes(cfg, cfg_len);
		} else if (hash_file(dfd, path, name, rd, size, &got_size, &got_hash) < 0) {
			return WHY("%s: missing", name);
		}
		if (got_size != size)
			return WHY("%s: size %llu, expected %llu", name,
				   (unsigned long long)got_size, size);
		if (got_hash != hash)
			return WHY("%s: checksum %016llx, expected %016llx", name,
				   (unsigned long long)got_hash, hash);
	}
	return RESULTS_COMPLETE;
}

enum results_state results_check(const char *study, const char *id,
				 const char *config_text, char *why, size_t max)
{
	return results_check_read(study, id, config_text, NULL, why, max);
}

enum results_state results_check_read(const char *study, const char *id,
				      const char *config_text,
				      const struct results_reader *rd, char *why, size_t max)
{
	char run[PATH_MAX];

	why[0] = '\0';
	if ((size_t)snprintf(run, sizeof run, "%s/%s", study, id) >= sizeof run)
		return RESULTS_MISSING;
	return results_check_at(AT_FDCWD, run, config_text, rd, why, max);
}

enum results_state results_check_at(int dfd, const char *run, const char *config_text,
				    const struct results_reader *rd, char *why, size_t max)
{
	char path[PATH_MAX + 16], buf[4096];
	struct stat sb;
	long n;

	why[0] = '\0';
	snprintf(path, sizeof path, "%s/config.yaml", run);
	if ((n = read_small_at(dfd, path, buf, sizeof buf, strlen(config_text))) < 0) {
		/* Only then is it asked whether the run's folder is there. */
		if (fstatat(dfd, run, &sb, 0) < 0)
			return RESULTS_MISSING;
		return WHY("config.yaml: missing");
	}
	if (strcmp(buf, config_text) != 0) {
		/* Another config under this id is someone's result: it is
		 * never replaced. A config.yaml cut short is only damage. */
		if (differing_keys(buf, config_text, why, max) == 0)
			return WHY("config.yaml: not the resolved config");
		for (const char *l = config_text; *l; l = next_line(l)) {
			int len;
			if (l[0] != '#' && !line_value(buf, l, strcspn(l, ":"), &len))
				return WHY("config.yaml: damaged (cut short)");
		}
		return RESULTS_CONFLICT;
	}
	/* A config.yaml that filled buf may go on: then it is read again. */
	return check_record(dfd, run, (size_t)n + 1 < sizeof buf ? buf : NULL, (size_t)n,
			    rd, why, max);
}

/* Removes a file, or a folder of plain files. */
static void remove_flat_dir(const char *path)
{
	DIR *d;
	struct dirent *de;

	if (unlink(path) == 0 || !(d = opendir(path)))
		return;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			unlinkat(dirfd(d), de->d_name, 0);
	closedir(d);
	rmdir(path);
}

/* Every temporary entry (a run folder, or a file on its way to its name)
 * is STUDY/.tmp-LABEL-PID-N and is its own lock, held by its writer from
 * creation to rename. A cleaner may take a new entry between its creation
 * and its lock and remove it: then the writer holds a lock on an unlinked
 * entry (no links), sees it, and makes another. make() creates the entry
 * at path and returns an open descriptor, or -1 with errno set. */
static int temp_make(const char *dir, const char *label, char *tmp, size_t max,
		     int (*make)(const char *path), int *fd, struct err *e)
{
	static unsigned serial;
	static long pid;
	struct stat sb;

	if (!pid)
		pid = (long)getpid();
	for (int tries = 0; tries < 100; tries++) {
		if ((size_t)snprintf(tmp, max, "%s/.tmp-%s-%ld-%u", dir, label, pid,
				     serial++) >= max)
			return err_set(e, NN_ERUN, dir, 0, 0, "the results path is too long");
		*fd = make(tmp);
		if (*fd < 0 && errno == EAGAIN)
			continue;
		if (*fd < 0)
			return err_set(e, NN_ERUN, tmp, 0, 0, "cannot create: %s", strerror(errno));
		if (flock(*fd, LOCK_EX) < 0 || fstat(*fd, &sb) < 0) {
			int saved = errno;
			close(*fd);
			*fd = -1;
			remove_flat_dir(tmp);
			return err_set(e, NN_ERUN, tmp, 0, 0, "cannot lock: %s", strerror(saved));
		}
		if (sb.st_nlink > 0)
			return 0;
		close(*fd);
		*fd = -1;
	}
	return err_set(e, NN_ERUN, dir, 0, 0, "cannot keep a temporary file: removed as fast as it is made");
}

static int make_folder(const char *path)
{
	int fd;

	if (mkdir(path, 0777) < 0)
		return -1;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		errno = EAGAIN;   /* a cleaner took it already: make another */
	return fd;
}

static int make_file(const char *path)
{
	return open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
}

int results_begin(struct results_run *r, const char *study, const char *id,
		  struct err *e)
{
	r->lock_fd = -1;
	r->n_files = 0;
	if ((size_t)snprintf(r->study, sizeof r->study, "%s", study) >= sizeof r->study)
		return err_set(e, NN_ERUN, study, 0, 0, "the results path is too long");
	if ((size_t)snprintf(r->final, sizeof r->final, "%s/%s", study, id) >= sizeof r->final)
		return err_set(e, NN_ERUN, study, 0, 0, "the results path is too long");
	return temp_make(study, id, r->tmp, sizeof r->tmp, make_folder, &r->lock_fd, e);
}

int results_path(const struct results_run *r, const char *file, char *out,
		 size_t max)
{
	return (size_t)snprintf(out, max, "%s/%s", r->tmp, file) < max ? 0 : -1;
}

int results_record(struct results_run *r, const char *file, uint64_t size,
		   uint64_t hash, struct err *e)
{
	struct results_file *f = &r->files[r->n_files];

	if (r->n_files == RESULTS_MAX_FILES || strlen(file) >= sizeof f->name)
		return err_set(e, NN_ERUN, r->tmp, 0, 0, "too many files to record");
	strcpy(f->name, file);
	f->size = size;
	f->hash = hash;
	r->n_files++;
	return 0;
}

/* Writes and closes a file of the run being written. */
static int write_whole(const struct results_run *r, const char *file,
		       const char *data, size_t len, struct err *e)
{
	char path[PATH_MAX];
	int fd, rc;

	if (results_path(r, file, path, sizeof path))
		return err_set(e, NN_ERUN, r->tmp, 0, 0, "the results path is too long");
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return err_set(e, NN_ERUN, path, 0, 0, "cannot create: %s", strerror(errno));
	rc = results_write_all(fd, data, len);
	if (close(fd) < 0 && !rc)
		rc = errno;
	if (rc)
		return err_set(e, NN_ERUN, path, 0, 0, "cannot write: %s", strerror(rc));
	return 0;
}

int results_write_file(struct results_run *r, const char *file,
		       const char *data, size_t len, struct err *e)
{
	return write_whole(r, file, data, len, e) ||
	       results_record(r, file, len, hash_bytes(data, len), e) ? e->code : 0;
}

/* The integrity record: a comment, "HASH SIZE NAME" per file, then
 * "end HASH", XXH64 of all the lines above. */
static int write_record(const struct results_run *r, struct err *e)
{
	char buf[128 + RESULTS_MAX_FILES * (RESULTS_FILE_NAME_MAX + 48)];
	size_t n = (size_t)snprintf(buf, sizeof buf,
				    "# nnrun integrity record: XXH64, size and name of each file\n");

	for (int i = 0; i < r->n_files; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%016llx %llu %s\n",
				      (unsigned long long)r->files[i].hash,
				      (unsigned long long)r->files[i].size, r->files[i].name);
	n += (size_t)snprintf(buf + n, sizeof buf - n, "end %016llx\n",
			      (unsigned long long)hash_bytes(buf, n));
	return write_whole(r, RESULTS_RECORD, buf, n, e);
}

/* The fallback flush of one run: each file's data, then its folder. */
static int sync_run(const struct results_run *r, struct err *e)
{
	char path[PATH_MAX];
	int rc = 0;

	for (int i = 0; i <= r->n_files && !rc; i++) {
		const char *name = i < r->n_files ? r->files[i].name : RESULTS_RECORD;
		if (results_path(r, name, path, sizeof path))
			return err_set(e, NN_ERUN, r->tmp, 0, 0, "the results path is too long");
		rc = sync_path(path, 1);
	}
	if (!rc && fsync(r->lock_fd) < 0)
		rc = errno;
	return rc ? err_set(e, NN_ERUN, r->tmp, 0, 0, "cannot sync: %s", strerror(rc)) : 0;
}

/* Renames a run whose files are durable into place, replacing an older
 * one. */
static int move_into_place(struct results_run *r, struct err *e)
{
	char old[PATH_MAX + 8];

	snprintf(old, sizeof old, "%s.old", r->tmp);
	if (rename(r->tmp, r->final) < 0) {
		/* A finished run is in the way (--force, or another nnrun on the
		 * same folder finished it first). Swap the two in one step, so
		 * that readers never find the run missing; the old one ends up
		 * in tmp, which results_abort removes. */
		int in_way = errno == ENOTEMPTY || errno == EEXIST;
		if (in_way && renameat2(AT_FDCWD, r->tmp, AT_FDCWD, r->final,
					RENAME_EXCHANGE) == 0) {
			results_abort(r);
			return 0;
		}
		/* No exchange here (some file systems): move it aside first. */
		if (!in_way || rename(r->final, old) < 0 || rename(r->tmp, r->final) < 0) {
			int saved = errno;
			results_abort(r);
			return err_set(e, NN_ERUN, r->final, 0, 0, "cannot move the run into place: %s",
				       strerror(saved));
		}
		remove_flat_dir(old);
	}
	/* The lock went with the folder; nothing is left at tmp. */
	close(r->lock_fd);
	r->lock_fd = -1;
	return 0;
}

struct results_batch *results_batch_new(int max, results_committed_fn *committed,
					void *ctx)
{
	struct results_batch *b;

	if (max < 1 || max > RESULTS_BATCH_MAX)
		max = RESULTS_BATCH_MAX;
	b = malloc(sizeof *b + (size_t)max * sizeof b->p[0]);
	if (!b)
		return NULL;
	b->max = max;
	b->n = 0;
	b->due = 0;
	b->committed = committed;
	b->ctx = ctx;
	return b;
}

void results_batch_free(struct results_batch *b)
{
	free(b);
}

struct results_run *results_batch_next(struct results_batch *b)
{
	return &b->writing;
}

int results_batch_add(struct results_batch *b, uint64_t tag, int status,
		      struct err *e)
{
	struct results_pending *p;

	if (b->n == b->max)
		results_batch_close(b);
	p = &b->p[b->n];
	if (write_record(&b->writing, e)) {
		results_abort(&b->writing);
		return e->code;
	}
	p->run = b->writing;
	p->tag = tag;
	p->status = status;
	b->n++;
	return 0;
}

void results_batch_close(struct results_batch *b)
{
	struct err errs[RESULTS_BATCH_MAX];
	int failed[RESULTS_BATCH_MAX] = { 0 }, moved = 0;
	int n = b->n;

	b->due = 0;
	if (n == 0)
		return;
	/* One flush for the whole batch: syncfs writes back every dirty
	 * file and folder of the file system and waits for the disk, a
	 * journal commit for all the runs instead of one per file. The
	 * oldest run's folder was opened before any file of the batch was
	 * written, so syncfs reports any write-back error since. */
	if (!sync_off() && syncfs(b->p[0].run.lock_fd) < 0)
		for (int k = 0; k < n; k++)
			if ((failed[k] = sync_run(&b->p[k].run, &errs[k])))
				results_abort(&b->p[k].run);
	for (int k = 0; k < n; k++) {
		if (!failed[k])
			failed[k] = move_into_place(&b->p[k].run, &errs[k]);
		moved += !failed[k];
	}
	/* A run is complete only once its rename is durable too. */
	if (moved && !sync_off())
		sync_path(b->p[0].run.study, 0);
	b->n = 0;
	for (int k = 0; k < n; k++)
		b->committed(b->ctx, b->p[k].tag, b->p[k].status, failed[k] ? &errs[k] : NULL);
}

void results_abort(struct results_run *r)
{
	remove_flat_dir(r->tmp);
	if (r->lock_fd >= 0)
		close(r->lock_fd);
	r->lock_fd = -1;
}

void results_clean_stale(const char *study)
{
	DIR *d = opendir(study);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char path[PATH_MAX];
		int fd;

		if (strncmp(de->d_name, ".tmp-", 5) != 0)
			continue;
		fd = openat(dirfd(d), de->d_name, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			/* Its writer is gone: what it left is not a result. */
			snprintf(path, sizeof path, "%s/%s", study, de->d_name);
			remove_flat_dir(path);
		}
		close(fd);
	}
	closedir(d);
}

uint64_t results_count_folders(const char *study)
{
	DIR *d = opendir(study);
	struct dirent *de;
	uint64_t n = 0;

	if (!d)
		return 0;
	/* An entry of unknown type counts: more is only a slower answer. */
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && (de->d_type == DT_DIR || de->d_type == DT_UNKNOWN))
			n++;
	closedir(d);
	return n;
}

int results_write_atomic(const char *path, const char *data, size_t len,
			 struct err *e)
{
	char dir[PATH_MAX], tmp[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd, rc;

	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1,
		 slash ? path : ".");
	if (temp_make(dir, slash ? slash + 1 : path, tmp, sizeof tmp, make_file, &fd, e))
		return e->code;
	/* Renamed while still locked, so no cleaner removes it first. */
	rc = results_write_all(fd, data, len);
	if (!rc && rename(tmp, path) < 0)
		rc = errno;
	if (rc)
		unlink(tmp);
	if (close(fd) < 0 && !rc)
		rc = errno;
	if (rc)
		return err_set(e, NN_ERUN, path, 0, 0, "cannot write: %s", strerror(rc));
	return 0;
}

int results_stream_open(struct results_stream *s, const char *path, struct err *e)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	int fd;

	snprintf(s->path, sizeof s->path, "%s", path);
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
	if (temp_make(dir, slash ? slash + 1 : path, s->tmp, sizeof s->tmp, make_file, &fd, e))
		return e->code;
	if (!(s->f = fdopen(fd, "w"))) {
		unlink(s->tmp);
		close(fd);
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	}
	return 0;
}

int results_stream_close(struct results_stream *s, int rc, struct err *e)
{
	int saved = 0;

	/* Renamed while still open (its lock held), as results_write_atomic. */
	if (fflush(s->f) || ferror(s->f))
		saved = errno ? errno : EIO;
	if (!rc && !saved && rename(s->tmp, s->path) < 0)
		saved = errno;
	if (rc || saved)
		unlink(s->tmp);
	if (fclose(s->f) && !saved)
		saved = errno;
	s->f = NULL;
	if (!rc && saved)
		rc = err_set(e, NN_ERUN, s->path, 0, 0, "cannot write: %s", strerror(saved));
	return rc;
}

int results_lock_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0 && flock(fd, LOCK_EX) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

void results_unlock_dir(int fd)
{
	if (fd >= 0)
		close(fd);
}

int results_text_open(struct results_text *t, struct err *e)
{
	t->buf = NULL;
	t->len = 0;
	t->f = open_memstream(&t->buf, &t->len);
	return t->f ? 0 : err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
}

int results_text_close(struct results_text *t, const char *path, int rc,
		       struct err *e)
{
	int bad = ferror(t->f);

	if ((fclose(t->f) || bad) && !rc)
		rc = err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	if (!rc)
		rc = results_write_atomic(path, t->buf ? t->buf : "", t->len, e);
	free(t->buf);
	t->f = NULL;
	t->buf = NULL;
	return rc;
}
