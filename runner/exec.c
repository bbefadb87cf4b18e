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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fmt.h"
#include "results.h"

#define EXEC_MAX_JOBS 256

/* What the workers and the parent share. */
struct slot {
	_Atomic int status;       /* enum run_status */
	int correct;
	int64_t solved_epoch;
	double final_loss;
};

struct shared {
	_Atomic uint64_t next;    /* the next position of todo to take */
	struct slot slot[];       /* one per position of todo */
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

static void worker(const struct plan *p, const uint64_t *todo, uint64_t n,
		   const struct exec_opts *o, struct shared *sh, pid_t parent)
{
	struct run_opts ro = { o->study_dir, o->force, o->verbose };
	uint64_t i;

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	/* If the parent is killed (kill -9), stop too: an orphan would go on
	 * writing into a folder a rerun is using. What it leaves is a temporary
	 * folder whose lock dies with it, cleaned by the next run. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		return;
	while ((i = atomic_fetch_add(&sh->next, 1)) < n) {
		struct run_outcome out;
		struct config c;
		struct err e;

		atomic_store(&sh->slot[i].status, RUN_RUNNING);
		if (plan_config(p, todo[i], &c, &e) || run_one(&c, &ro, &out, &e)) {
			err_print(&e, stderr);
			atomic_store(&sh->slot[i].status, RUN_FAILED);
			continue;
		}
		sh->slot[i].correct = out.res.correct;
		sh->slot[i].solved_epoch = out.res.solved_epoch;
		sh->slot[i].final_loss = out.res.final_loss;
		atomic_store(&sh->slot[i].status, (int)out.status);
	}
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

static void count(struct exec_stats *st, int status)
{
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
};

static void progress_run(struct progress *pg, const struct plan *p,
			 uint64_t index, const struct slot *s, int status)
{
	char id[PLAN_ID_MAX] = "?", loss[FMT_DOUBLE_MAX];
	struct config c;
	struct err e;

	pg->finished++;
	if (pg->quiet || pg->tty)
		return;
	if (!plan_config(p, index, &c, &e))
		plan_run_id(&c, id);
	if (status == RUN_DONE || status == RUN_DIVERGED) {
		fmt_double(loss, s->final_loss);
		fprintf(stderr, "[%" PRIu64 "/%" PRIu64 "] run %" PRIu64 " %s %s: loss %s, %d/4 right",
			pg->finished, pg->total, index, id, status_word(status), loss, s->correct);
		if (s->solved_epoch >= 0)
			fprintf(stderr, ", solved at epoch %" PRId64, s->solved_epoch);
		fputc('\n', stderr);
	} else {
		fprintf(stderr, "[%" PRIu64 "/%" PRIu64 "] run %" PRIu64 " %s %s\n",
			pg->finished, pg->total, index, id, status_word(status));
	}
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

int exec_runs(const struct plan *p, const uint64_t *todo, uint64_t n,
	      const struct exec_opts *o, struct exec_stats *st, struct err *e)
{
	size_t bytes = sizeof(struct shared) + (size_t)n * sizeof(struct slot);
	struct progress pg = { isatty(2), o->quiet || (o->verbose && n == 1), n, 0, now() };
	struct sigaction sa, old_int, old_term;
	uint64_t *pending, n_pending = n;
	pid_t pids[EXEC_MAX_JOBS];
	int jobs = o->jobs, alive = 0;
	struct shared *sh;

	memset(st, 0, sizeof *st);
	if (n == 0)
		return 0;
	if (jobs < 1)
		jobs = 1;
	if (jobs > EXEC_MAX_JOBS)
		jobs = EXEC_MAX_JOBS;
	if ((uint64_t)jobs > n)
		jobs = (int)n;
	sh = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pending = malloc((size_t)n * sizeof *pending);
	if (sh == MAP_FAILED || !pending) {
		if (sh != MAP_FAILED)
			munmap(sh, bytes);
		free(pending);
		return err_set(e, NN_ERUN, NULL, 0, 0, "out of memory for %" PRIu64 " runs", n);
	}
	for (uint64_t i = 0; i < n; i++)
		pending[i] = i;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	stop_signal = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	fflush(NULL);
	for (int j = 0; j < jobs; j++) {
		pid_t parent = getpid();
		pid_t pid = fork();
		if (pid == 0) {
			worker(p, todo, n, o, sh, parent);
			_exit(0);
		}
		if (pid < 0)
			break;
		pids[alive++] = pid;
	}
	while (alive > 0) {
		struct timespec tick = { 0, 50 * 1000 * 1000 };
		int status;
		pid_t pid;

		if (stop_signal) {
			for (int j = 0; j < alive; j++)
				kill(pids[j], SIGTERM);
		}
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			for (int j = 0; j < alive; j++)
				if (pids[j] == pid)
					pids[j] = pids[--alive];
		}
		for (uint64_t k = 0; k < n_pending;) {
			uint64_t i = pending[k];
			int s = atomic_load(&sh->slot[i].status);
			if (s == RUN_PENDING || s == RUN_RUNNING) {
				k++;
				continue;
			}
			count(st, s);
			progress_run(&pg, p, todo[i], &sh->slot[i], s);
			pending[k] = pending[--n_pending];
		}
		progress_line(&pg, st, 0);
		if (alive > 0)
			nanosleep(&tick, NULL);
	}
	/* Runs a dead worker held, or none took, did not finish. */
	for (uint64_t k = 0; k < n_pending && !stop_signal; k++) {
		count(st, RUN_FAILED);
		progress_run(&pg, p, todo[pending[k]], &sh->slot[pending[k]], RUN_FAILED);
	}
	progress_line(&pg, st, 1);
	results_clean_stale(o->study_dir);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	st->signal = stop_signal;
	munmap(sh, bytes);
	free(pending);
	return 0;
}
