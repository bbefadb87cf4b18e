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

long results_read_small(const char *path, char *buf, size_t max)
{
	int fd = open(path, O_RDONLY);
	size_t n = 0;
	ssize_t got = 0;

	if (fd < 0)
		return -1;
	while (n + 1 < max && (got = read(fd, buf + n, max - 1 - n)) > 0)
		n += (size_t)got;
	close(fd);
	if (got < 0)
		return -1;
	buf[n] = '\0';
	return (long)n;
}

int results_complete(const char *study, const char *id, const char *config_text)
{
	char path[PATH_MAX], buf[4096];
	long n;

	if ((size_t)snprintf(path, sizeof path, "%s/%s/config.yaml", study, id) >= sizeof path)
		return 0;
	n = results_read_small(path, buf, sizeof buf);
	return n >= 0 && strcmp(buf, config_text) == 0;
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
	if ((size_t)snprintf(r->final, sizeof r->final, "%s/%s", study, id) >= sizeof r->final)
		return err_set(e, NN_ERUN, study, 0, 0, "the results path is too long");
	return temp_make(study, id, r->tmp, sizeof r->tmp, make_folder, &r->lock_fd, e);
}

int results_path(const struct results_run *r, const char *file, char *out,
		 size_t max)
{
	return (size_t)snprintf(out, max, "%s/%s", r->tmp, file) < max ? 0 : -1;
}

int results_write_file(const struct results_run *r, const char *file,
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


int results_commit(struct results_run *r, struct err *e)
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
