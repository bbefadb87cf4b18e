/* exec.c: a pool of forked workers taking runs from a shared counter. */
#include "exec.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fmt.h"
#include "results.h"

#define EXEC_MAX_JOBS 256

/* A worker's finished runs wait in a batch, made durable and complete
 * together, which closes at this many runs, on a tick of this period
 * (a finished run waits at most one tick: long runs commit one by one,
 * short ones in batches), when no run is left, and on a stop signal. */
#define EXEC_BATCH_RUNS RESULTS_BATCH_MAX
#define EXEC_BATCH_TICK_MS 100

/* A run's outcome as the parent tells it. */
struct slot {
	int status;               /* enum run_status */
	int redone;               /* found damaged and run again */
	int correct, rows;
	int64_t solved_epoch;
	double final_loss;
};

/* A run a worker took and whose status is not final yet: the one it
 * trains and those waiting in its batch. */
#define EXEC_HELD (EXEC_BATCH_RUNS + 1)
#define EXEC_FREE UINT64_MAX

struct held {
	uint64_t pos;             /* position in the selection, or EXEC_FREE */
	struct slot s;
};

/* Runs by final status, as a worker counts them. */
enum { C_DONE, C_DIVERGED, C_SKIPPED, C_FAILED, C_REDONE, C_COUNT };

/* What a worker shares with the parent: its counts, read at any time,
 * and its held runs, read once it is gone (those of a worker that
 * crashed failed). Its size is the pool's, not the plan's. */
struct worker_share {
	_Atomic uint64_t count[C_COUNT];
	struct held held[EXEC_HELD];
};

struct shared {
	_Atomic uint64_t next;    /* the next position of the selection to take */
	struct worker_share w[];  /* one per worker */
};

/* A run's final status, sent on the pipe when the parent prints a line
 * per run: at most PIPE_BUF bytes, so one write is one whole message. */
struct msg {
	uint64_t pos;
	struct slot s;
};

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct worker_ctx {
	struct worker_share *ws;
	int done_fd;
};

static void worker_count(_Atomic uint64_t *c, int status, int was_redone)
{
	if (was_redone && (status == RUN_DONE || status == RUN_DIVERGED))
		atomic_fetch_add_explicit(&c[C_REDONE], 1, memory_order_relaxed);
	if (status == RUN_DONE)
		atomic_fetch_add_explicit(&c[C_DONE], 1, memory_order_relaxed);
	else if (status == RUN_DIVERGED)
		atomic_fetch_add_explicit(&c[C_DIVERGED], 1, memory_order_relaxed);
	else if (status == RUN_SKIPPED)
		atomic_fetch_add_explicit(&c[C_SKIPPED], 1, memory_order_relaxed);
	else
		atomic_fetch_add_explicit(&c[C_FAILED], 1, memory_order_relaxed);
}

/* Held run k has its final status: counted, told to the parent when it
 * prints a line per run (fd >= 0), and let go. The write of a whole
 * message is atomic on a pipe, so the parent sleeps in pselect instead
 * of polling. Otherwise the parent is left asleep: waking it for every
 * run costs the worker its core on a busy machine, and it reads the
 * counts at the end. */
static void settle(struct worker_ctx *w, int k, int status)
{
	struct held *h = &w->ws->held[k];
	struct msg m = { h->pos, h->s };

	m.s.status = status;
	worker_count(w->ws->count, status, h->s.redone);
	h->pos = EXEC_FREE;
	while (w->done_fd >= 0 && write(w->done_fd, &m, sizeof m) < 0 && errno == EINTR)
		continue;
}

/* Says why a run that was there was done again. */
static void say_redone(const struct exec_opts *o, const struct run_outcome *out,
		       const char *why)
{
	if (out->redone && !o->quiet)
		fprintf(stderr, "redoing %s\n", why);
}

static struct results_batch *worker_batch;

static void on_tick(int sig)
{
	(void)sig;
	if (worker_batch)
		worker_batch->due = 1;
}

/* A run's final status reaches the parent only once it is committed. */
static void worker_committed(void *ctx, uint64_t k, int status, const struct err *e)
{
	if (e) {
		err_print(e, stderr);
		status = RUN_FAILED;
	}
	settle(ctx, (int)k, status);
}

/* A free place among the held runs: there is one, as a worker holds at
 * most a full batch and the run it trains. */
static int free_held(const struct worker_share *ws)
{
	int k = 0;

	while (k < EXEC_HELD - 1 && ws->held[k].pos != EXEC_FREE)
		k++;
	return k;
}

static void worker(const struct plan *p, const struct plan_sel *sel,
		   const struct exec_opts *o, struct shared *sh, int j, int done_fd,
		   pid_t parent)
{
	char redo[RUN_REDO_MAX];
	struct worker_ctx wc = { &sh->w[j], done_fd };
	struct run_opts ro = { o->study_dir, o->force, o->verbose, redo, sizeof redo,
			       &stop_signal, NULL, 0 };
	struct itimerval tick = { { 0, EXEC_BATCH_TICK_MS * 1000 },
				  { 0, EXEC_BATCH_TICK_MS * 1000 } };
	struct sigaction sa;
	uint64_t i, n = sel->n;
	sigset_t none;

	/* A stop signal ends the run being trained (its folder removed) and
	 * commits the runs finished before it, then the worker exits. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_tick;
	sigaction(SIGALRM, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* If the parent is killed (kill -9), stop too: an orphan would go on
	 * writing into a folder a rerun is using. What it leaves is a temporary
	 * folder whose lock dies with it, cleaned by the next run. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		return;
	ro.batch = results_batch_new(EXEC_BATCH_RUNS, worker_committed, &wc);
	if (!ro.batch) {
		struct err e;

		err_set(&e, NN_ERUN, NULL, 0, 0, "out of memory for a worker's runs");
		err_print(&e, stderr);
		return;
	}
	worker_batch = ro.batch;
	setitimer(ITIMER_REAL, &tick, NULL);
	while (!stop_signal && (i = atomic_fetch_add(&sh->next, 1)) < n) {
		int k = free_held(wc.ws);
		struct held *h = &wc.ws->held[k];
		struct run_outcome out;
		struct config c;
		struct err e;

		h->s = (struct slot){ RUN_RUNNING, 0, 0, 0, -1, 0 };
		h->pos = i;
		ro.tag = (uint64_t)k;
		if (plan_config(p, plan_sel_index(sel, i), &c, &e) || run_one(&c, &ro, &out, &e)) {
			if (stop_signal)
				break;
			err_print(&e, stderr);
			settle(&wc, k, RUN_FAILED);
			continue;
		}
		say_redone(o, &out, redo);
		h->s.redone = out.redone;
		h->s.correct = out.res.correct;
		h->s.rows = out.res.rows;
		h->s.solved_epoch = out.res.solved_epoch;
		h->s.final_loss = out.res.final_loss;
		if (out.status == RUN_SKIPPED)
			settle(&wc, k, RUN_SKIPPED);
		if (ro.batch->n == ro.batch->max || ro.batch->due)
			results_batch_close(ro.batch);
	}
	results_batch_close(ro.batch);
	memset(&tick, 0, sizeof tick);
	setitimer(ITIMER_REAL, &tick, NULL);
	worker_batch = NULL;
	results_batch_free(ro.batch);
	fflush(stdout);
}

static const char *status_word(int status)
{
	switch (status) {
	case RUN_DONE: return "done";
	case RUN_DIVERGED: return "diverged";
	case RUN_SKIPPED: return "complete already";
	default: return "FAILED";
	}
}

static void count(struct exec_stats *st, int status, int was_redone)
{
	if (was_redone && (status == RUN_DONE || status == RUN_DIVERGED))
		st->redone++;
	if (status == RUN_DONE)
		st->done++;
	else if (status == RUN_DIVERGED)
		st->diverged++;
	else if (status == RUN_SKIPPED)
		st->skipped++;
	else
		st->failed++;
}

/* Progress on stderr: a live line on a terminal, else a line per run. */
struct progress {
	int tty;
	int quiet;
	uint64_t total, finished;
	double start;
	const char *dir;        /* the study folder, for runs complete already */
};

static void progress_run(struct progress *pg, const struct plan *p,
			 uint64_t index, const struct slot *s, int status)
{
	char id[PLAN_ID_MAX] = "?", loss[FMT_DOUBLE_MAX], line[PATH_MAX + 2 * PLAN_ID_MAX + 160];
	struct config c;
	struct err e;
	int n;

	pg->finished++;
	if (pg->quiet || pg->tty)
		return;
	if (!plan_config(p, index, &c, &e))
		plan_run_id(&c, id);
	/* One write a line: workers print "redoing ..." lines to the same
	 * stderr, and a line written in pieces could take one in its middle. */
	if (status == RUN_DONE || status == RUN_DIVERGED) {
		fmt_double(loss, s->final_loss);
		n = snprintf(line, sizeof line, "[%" PRIu64 "/%" PRIu64 "] run %" PRIu64 " %s %s: loss %s",
			     pg->finished, pg->total, index, id, status_word(status), loss);
		if (s->correct >= 0)
			n += snprintf(line + n, sizeof line - (size_t)n, ", %d/%d right", s->correct, s->rows);
		if (s->solved_epoch >= 0)
			n += snprintf(line + n, sizeof line - (size_t)n, ", solved at epoch %" PRId64,
				      s->solved_epoch);
		snprintf(line + n, sizeof line - (size_t)n, "\n");
	} else if (status == RUN_SKIPPED) {
		snprintf(line, sizeof line, "[%" PRIu64 "/%" PRIu64 "] run %" PRIu64 " complete already: %s/%s (--force to rerun)\n",
			 pg->finished, pg->total, index, pg->dir, id);
	} else {
		snprintf(line, sizeof line, "[%" PRIu64 "/%" PRIu64 "] run %" PRIu64 " %s %s\n",
			 pg->finished, pg->total, index, id, status_word(status));
	}
	fputs(line, stderr);
}

static void progress_line(const struct progress *pg, const struct exec_stats *st, int last)
{
	double el = now() - pg->start;
	double eta = pg->finished ? el / (double)pg->finished * (double)(pg->total - pg->finished) : 0;

	if (pg->quiet || !pg->tty)
		return;
	fprintf(stderr, "\r%" PRIu64 "/%" PRIu64 " runs, %" PRIu64 " failed, %.1fs elapsed, ETA %.1fs  %s",
		pg->finished, pg->total, st->failed, el, eta, last ? "\n" : "");
	fflush(stderr);
}

/* A single run needs no pool: it runs in this process, sparing a fork,
 * a worker's exit and the copy-on-write faults between them (a third of
 * the tutorial's whole run). A stop signal ends the run at its next
 * epoch: its temporary folder is removed, as a sweep's are, and no
 * later run of the study has to clean it (an --index task is one of
 * many, and none of them reads the whole study folder). */
static void one_committed(void *ctx, uint64_t i, int status, const struct err *e)
{
	struct slot *s = ctx;

	(void)i;
	if (e)
		err_print(e, stderr);
	s->status = e ? RUN_FAILED : status;
}

static int exec_one(const struct plan *p, uint64_t index, const struct exec_opts *o,
		    struct exec_stats *st, struct err *e)
{
	char redo[RUN_REDO_MAX];
	struct progress pg = { isatty(2), o->quiet || o->verbose, 1, 0, now(), o->study_dir };
	struct slot s = { RUN_FAILED, 0, 0, 0, -1, 0 };
	struct run_opts ro = { o->study_dir, o->force, o->verbose, redo, sizeof redo, &stop_signal,
			       results_batch_new(1, one_committed, &s), index };
	struct sigaction sa, old_int, old_term;
	struct run_outcome out;
	struct config c;
	struct err re;
	int failed;

	if (!ro.batch)
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory");
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	stop_signal = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	failed = plan_config(p, index, &c, &re) || run_one(&c, &ro, &out, &re);
	/* A batch of one: the run is complete once this returns. */
	results_batch_close(ro.batch);
	results_batch_free(ro.batch);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if ((st->signal = stop_signal)) {
		fflush(stdout);
		return 0;
	}
	if (failed) {
		err_print(&re, stderr);
	} else {
		say_redone(o, &out, redo);
		if (out.status == RUN_SKIPPED)
			s.status = RUN_SKIPPED;
		s.redone = out.redone;
		s.correct = out.res.correct;
		s.rows = out.res.rows;
		s.solved_epoch = out.res.solved_epoch;
		s.final_loss = out.res.final_loss;
		if (o->verbose && (s.status == RUN_DONE || s.status == RUN_DIVERGED))
			run_print_verdict(&c, &out.res);
	}
	fflush(stdout);
	count(st, s.status, s.redone);
	progress_run(&pg, p, index, &s, s.status);
	progress_line(&pg, st, 1);
	return 0;
}

void exec_skipped(const struct plan *p, const struct plan_sel *sel,
		  const struct exec_opts *o, struct exec_stats *st)
{
	struct progress pg = { isatty(2), o->quiet, sel->n, 0, now(), o->study_dir };
	struct slot s = { RUN_SKIPPED, 0, 0, 0, -1, 0 };

	memset(st, 0, sizeof *st);
	for (uint64_t i = 0; i < sel->n; i++) {
		count(st, RUN_SKIPPED, 0);
		progress_run(&pg, p, plan_sel_index(sel, i), &s, RUN_SKIPPED);
	}
	progress_line(&pg, st, 1);
}

/* The workers' counts so far. */
static void sum_counts(const struct shared *sh, int jobs, struct exec_stats *st)
{
	uint64_t c[C_COUNT] = { 0 };

	for (int j = 0; j < jobs; j++)
		for (int k = 0; k < C_COUNT; k++)
			c[k] += atomic_load_explicit(&sh->w[j].count[k], memory_order_relaxed);
	st->done = c[C_DONE];
	st->diverged = c[C_DIVERGED];
	st->skipped = c[C_SKIPPED];
	st->failed = c[C_FAILED];
	st->redone = c[C_REDONE];
}

/* A run that never reached a final status failed. */
static void lost(struct progress *pg, const struct plan *p, const struct plan_sel *sel,
		 uint64_t pos)
{
	struct slot s = { RUN_FAILED, 0, 0, 0, -1, 0 };

	progress_run(pg, p, plan_sel_index(sel, pos), &s, RUN_FAILED);
}

/* The parent's memory is that of the pool, not of the plan: the workers
 * count the runs, send each final status on a pipe when a line per run
 * is printed, and share only the runs they hold unsettled. */
int exec_runs(const struct plan *p, const struct plan_sel *sel,
	      const struct exec_opts *o, struct exec_stats *st, struct err *e)
{
	uint64_t n = sel->n, taken;
	struct progress pg = { isatty(2), o->quiet || (o->verbose && n == 1), n, 0, now(), o->study_dir };
	struct sigaction sa, old_int, old_term;
	sigset_t stops, old_mask;
	pid_t pids[EXEC_MAX_JOBS];
	int jobs = o->jobs, started = 0, alive = 0, bad[EXEC_MAX_JOBS] = { 0 }, pipe_fd[2];
	size_t bytes;
	struct shared *sh;

	memset(st, 0, sizeof *st);
	if (n == 0)
		return 0;
	if (n == 1)
		return exec_one(p, sel->first, o, st, e);
	if (jobs < 1)
		jobs = 1;
	if (jobs > EXEC_MAX_JOBS)
		jobs = EXEC_MAX_JOBS;
	if ((uint64_t)jobs > n)
		jobs = (int)n;
	bytes = sizeof(struct shared) + (size_t)jobs * sizeof(struct worker_share);
	sh = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory for %d workers", jobs);
	for (int j = 0; j < jobs; j++)
		for (int k = 0; k < EXEC_HELD; k++)
			sh->w[j].held[k].pos = EXEC_FREE;
	if (pipe(pipe_fd) < 0) {
		int saved = errno;
		munmap(sh, bytes);
		return err_set(e, NN_ERUN, NULL, 0, 0, "cannot make a pipe: %s", strerror(saved));
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	stop_signal = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	/* Blocked but for ppoll, a stop signal can arrive only while the
	 * parent waits in pselect, never between its check and its wait. */
	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	sigprocmask(SIG_BLOCK, &stops, &old_mask);
	fflush(NULL);
	for (int j = 0; j < jobs; j++) {
		pid_t parent = getpid();
		pid_t pid = fork();
		if (pid == 0) {
			close(pipe_fd[0]);
			worker(p, sel, o, sh, j, pg.quiet || pg.tty ? -1 : pipe_fd[1], parent);
			_exit(0);
		}
		if (pid < 0)
			break;
		pids[started++] = pid;
	}
	alive = started;
	/* The workers hold the only write ends: end of file means all are
	 * gone. A terminal's progress line is redrawn on a 0.1 s tick. */
	close(pipe_fd[1]);
	for (int killed = 0;;) {
		struct timespec tick = { 0, 100 * 1000 * 1000 };
		struct msg msg[64];
		fd_set readable;
		ssize_t got;
		int ready;

		if (stop_signal && !killed) {
			for (int j = 0; j < started; j++)
				kill(pids[j], SIGTERM);
			killed = 1;
		}
		FD_ZERO(&readable);
		FD_SET(pipe_fd[0], &readable);
		ready = pselect(pipe_fd[0] + 1, &readable, NULL, NULL,
				pg.tty && !pg.quiet ? &tick : NULL, &old_mask);
		if (ready == 0) {
			sum_counts(sh, started, st);
			pg.finished = st->done + st->diverged + st->skipped + st->failed;
			progress_line(&pg, st, 0);
			continue;
		}
		if (ready < 0)
			continue;
		/* Whole messages: each was written at once, and the buffer
		 * holds a whole number of them. */
		got = read(pipe_fd[0], msg, sizeof msg);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		for (size_t k = 0; k < (size_t)got / sizeof *msg; k++)
			if (msg[k].pos < n)
				progress_run(&pg, p, plan_sel_index(sel, msg[k].pos), &msg[k].s,
					     msg[k].s.status);
	}
	close(pipe_fd[0]);
	while (alive > 0) {
		int status;
		pid_t pid = waitpid(-1, &status, 0);

		if (pid < 0 && errno != EINTR)
			break;
		if (pid <= 0)
			continue;
		alive--;
		/* A worker that did not end cleanly (a crash, or a checker such
		 * as valgrind reporting an error) is a failure, even when every
		 * run it held was saved. */
		for (int j = 0; j < started; j++)
			if (pids[j] == pid && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
				bad[j] = 1;
				if (!stop_signal) {
					st->bad_workers++;
					st->bad_status = WIFEXITED(status) ? WEXITSTATUS(status)
									   : 128 + WTERMSIG(status);
				}
			}
	}
	{
		int bad_workers = st->bad_workers, bad_status = st->bad_status;

		sum_counts(sh, started, st);
		st->bad_workers = bad_workers;
		st->bad_status = bad_status;
	}
	/* Runs a dead worker held, or none took, did not finish. */
	taken = atomic_load(&sh->next);
	if (taken > n)
		taken = n;
	if (!stop_signal) {
		for (int j = 0; j < started; j++)
			for (int k = 0; k < EXEC_HELD && bad[j]; k++)
				if (sh->w[j].held[k].pos != EXEC_FREE)
					lost(&pg, p, sel, sh->w[j].held[k].pos);
		for (uint64_t i = taken; i < n; i++)
			lost(&pg, p, sel, i);
		st->failed = n - st->done - st->diverged - st->skipped;
	}
	pg.finished = st->done + st->diverged + st->skipped + st->failed;
	progress_line(&pg, st, 1);
	/* Workers killed by a signal or a crash leave their runs' folders. */
	if (o->whole || stop_signal || st->bad_workers)
		results_clean_stale(o->study_dir);
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	st->signal = stop_signal;
	munmap(sh, bytes);
	return 0;
}
