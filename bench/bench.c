/* bench.c: `make bench`: times nnrun, a minimal C loop, FANN and NumPy, interleaved, and prints the table. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <limits.h>
#include <time.h>
#include <unistd.h>


/* Every figure is the median of REPS repetitions; one repetition runs
 * every case once, in the order below, so slow drifts of a shared
 * machine fall on all cases alike. */
#define REPS 5
#define MAX_CASES 64
#define MAX_ARGS 16
#define SWEEP_RUNS 1000
#define SYNC_RUNS 100
#define PAR_RUNS 3000
#define PARALLEL_SWEEP "scripts/parallel-sweep"
#define PYTHON "/usr/bin/python3"
#define NUMPY_SCRIPT "scripts/numpy_reference.py"

static const char *build, *tmp;

struct bcase {
	char *argv[MAX_ARGS];
	char out[512];          /* nnrun's -o folder or NumPy's -o file */
	double t[REPS];
	double cpu[REPS];       /* user + system seconds */
	long rss[REPS];         /* KiB */
	int no_sync;            /* run with NNRUN_NO_SYNC=1: no fsync/fdatasync */
};

static struct bcase cases[MAX_CASES];
static int n_cases;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("bench: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Runs argv with stdout to out_file (or /dev/null); its wall time, its
 * CPU time in *cpu and its peak RSS (the largest of it and its
 * children) in *rss_kib. */
static double spawn_cpu(char *const argv[], const char *out_file, long *rss_kib,
			double *cpu, int no_sync)
{
	struct rusage ru;
	double start = now(), t;
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		int fd = open(out_file ? out_file : "/dev/null",
			      O_WRONLY | O_CREAT | O_TRUNC, 0666);
		if (fd < 0 || dup2(fd, 1) < 0)
			_exit(126);
		if (no_sync)
			setenv("NNRUN_NO_SYNC", "1", 1);
		execv(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		die("wait4: %s", strerror(errno));
	t = now() - start;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench: failed:");
		for (int i = 0; argv[i]; i++)
			fprintf(stderr, " %s", argv[i]);
		die("(status %d)", status);
	}
	if (rss_kib)
		*rss_kib = ru.ru_maxrss;
	if (cpu)
		*cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
		       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
	return t;
}

static double spawn(char *const argv[], const char *out_file, long *rss_kib)
{
	return spawn_cpu(argv, out_file, rss_kib, NULL, 0);
}

static void remove_tree(const char *path)
{
	char *argv[] = {"/bin/rm", "-rf", (char *)path, NULL};

	spawn(argv, NULL, NULL);
}

/* A case: a command whose arguments may name its output as "@OUT". */
static int add_case(const char *out, ...)
{
	struct bcase *c = &cases[n_cases];
	va_list ap;
	const char *a;
	int n = 0;

	if (n_cases == MAX_CASES)
		die("too many cases");
	snprintf(c->out, sizeof c->out, "%s/%s", tmp, out);
	va_start(ap, out);
	while ((a = va_arg(ap, const char *))) {
		if (n == MAX_ARGS - 1)
			die("too many arguments");
		c->argv[n++] = strcmp(a, "@OUT") ? strdup(a) : c->out;
	}
	va_end(ap);
	c->argv[n] = NULL;
	return n_cases++;
}

static char *str(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return strdup(buf);
}

static int nnrun_case(const char *out, const char *config, const char *a1,
		      const char *a2, const char *a3)
{
	char *nn = str("%s/nnrun", build);

	return add_case(out, nn, "-q", "-o", "@OUT", config, a1, a2, a3, (char *)NULL);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(const double *v, int n)
{
	double s[REPS * 4];

	memcpy(s, v, (size_t)n * sizeof *s);
	qsort(s, (size_t)n, sizeof *s, cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static double T(int c)
{
	return median(cases[c].t, REPS);
}

static double CPU(int c)
{
	return median(cases[c].cpu, REPS);
}

static long max_rss(int c)
{
	long m = 0;

	for (int r = 0; r < REPS; r++)
		m = cases[c].rss[r] > m ? cases[c].rss[r] : m;
	return m;
}

/* The loss.csv of the one run in an nnrun results folder. */
static void loss_csv(const char *results, const char *name, char *path, size_t max)
{
	char study[600];
	struct dirent *de;
	DIR *d;

	snprintf(study, sizeof study, "%s/%s", results, name);
	if (!(d = opendir(study)))
		die("%s: %s", study, strerror(errno));
	path[0] = '\0';
	while (!path[0] && (de = readdir(d))) {
		snprintf(path, max, "%s/%s/loss.csv", study, de->d_name);
		if (de->d_name[0] == '.' || access(path, R_OK) != 0)
			path[0] = '\0';
	}
	closedir(d);
	if (!path[0])
		die("no run in %s", study);
}

/* 1 when the first `lines` lines of a and b are the same bytes. */
static int same_lines(const char *a, const char *b, long lines)
{
	FILE *fa = fopen(a, "r"), *fb = fopen(b, "r");
	char la[256], lb[256];
	int same = fa && fb;

	for (long i = 0; same && i < lines; i++) {
		char *ga = fgets(la, sizeof la, fa), *gb = fgets(lb, sizeof lb, fb);
		same = ga && gb && strcmp(la, lb) == 0;
	}
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
}

/* 1 when files a and b hold the same bytes. */
static int same_file(const char *a, const char *b)
{
	FILE *fa = fopen(a, "r"), *fb = fopen(b, "r");
	int same = fa && fb, ca, cb;

	while (same && ((ca = getc(fa)) != EOF) + ((cb = getc(fb)) != EOF))
		same = ca == cb;
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
}

/* A config sweeping seed over 0 .. runs-1. */
static char *sweep_config(int runs)
{
	char *path = str("%s/sweep%d.yaml", tmp, runs);
	FILE *f = fopen(path, "w");

	if (!f)
		die("%s: %s", path, strerror(errno));
	fprintf(f, "name: sweep\nsweep:\n  seed: {from: 0, to: %d}\n", runs - 1);
	fclose(f);
	return path;
}

/* A sweep of DECODE_RUNS runs whose every axis is a list of typed
 * values: a float grid, layers and activation. */
#define DECODE_RUNS 90000
static char *decode_config(void)
{
	char *path = str("%s/decode.yaml", tmp);
	FILE *f = fopen(path, "w");

	if (!f)
		die("%s: %s", path, strerror(errno));
	fprintf(f, "name: decode\nsweep:\n"
		"  learning_rate: {from: 0.001, to: 10, count: %d, scale: log}\n"
		"  layers: [[2, 2, 1], [2, 4, 1], [2, 8, 1]]\n"
		"  activation: [sigmoid, tanh, relu]\n", DECODE_RUNS / 9);
	fclose(f);
	return path;
}

/* The last loss of a loss.csv, as a double. */
static double last_loss(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256], last[256] = "";

	if (!f)
		die("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof line, f))
		memcpy(last, line, sizeof line);
	fclose(f);
	return strchr(last, ',') ? strtod(strchr(last, ',') + 1, NULL) : NAN;
}

/* The load average, to tell a quiet machine from a shared one. */
static const char *loadavg(void)
{
	static char buf[64] = "unknown";
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (!fgets(buf, sizeof buf, f))
			snprintf(buf, sizeof buf, "unknown");
		buf[strcspn(buf, "\n")] = '\0';
		fclose(f);
	}
	return buf;
}

static const char *verdict(int met)
{
	return met ? "met" : "MISSED";
}

/* A 10^4-run study, 100 report groups of 100 seeds, 200 epochs each:
 * how long `nnrun report` takes to check the runs and rebuild
 * summary.csv, report.csv and report.html (loss curves from every
 * loss.csv), median of REPS, and the page's size. The study itself is
 * trained once, untimed, without syncing. */
static void bench_report(void)
{
	char *dir = str("%s/report-study", tmp), *cfg = str("%s/report.yaml", tmp);
	char *study = str("%s/report-study/report", tmp), *page = str("%s/report.html", study);
	char *train[] = {str("%s/nnrun", build), "-q", "-j2", "-o", dir, cfg, NULL};
	char *report[] = {str("%s/nnrun", build), "report", "-q", study, NULL};
	double t[REPS], cpu[REPS];
	struct stat sb;
	FILE *f = fopen(cfg, "w");

	if (!f)
		die("%s: %s", cfg, strerror(errno));
	fprintf(f, "name: report\nepochs: 200\nsweep:\n  learning_rate: [");
	for (int i = 0; i < 100; i++)
		fprintf(f, "%s%g", i ? ", " : "", 0.05 * (i + 1));
	fprintf(f, "]\n  seed: {from: 0, to: 99}\n");
	fclose(f);
	spawn_cpu(train, NULL, NULL, NULL, 1);
	for (int r = 0; r < REPS; r++)
		t[r] = spawn_cpu(report, NULL, NULL, &cpu[r], 0);
	if (stat(page, &sb) != 0)
		die("%s: %s", page, strerror(errno));
	printf("10. report.html of a 10^4-run study (100 groups x 100 seeds, 200 epochs)\n");
	printf("   nnrun report (checks every run, writes summary, report and page): %.3f s"
	       " (CPU %.3f s)\n"
	       "   page %.2f MB   target < 1 s and < 2 MB   %s\n", median(t, REPS), median(cpu, REPS),
	       (double)sb.st_size / 1e6, verdict(median(t, REPS) < 1.0 && sb.st_size < 2000000));
}

/* `nnrun curves` of 10^4 1-epoch runs in 10^4 groups against 10^4 runs
 * in one group, medians of REPS: one pass over the runs whatever the
 * number of groups (it was a scan of the plan per group). */
static void bench_curves(void)
{
	char *nn = str("%s/nnrun", build), *dir = str("%s/curves-scale", tmp);
	const char *names[2] = {"many", "one"};
	double t[2];

	for (int k = 0; k < 2; k++) {
		char *cfg = str("%s/curves-%s.yaml", tmp, names[k]);
		char *train[] = {nn, "-q", "-j2", "-o", dir, cfg, NULL};
		char *curves[] = {nn, "curves", "-q", str("%s/%s", dir, names[k]), NULL};
		double tv[REPS];
		FILE *f = fopen(cfg, "w");

		if (!f)
			die("%s: %s", cfg, strerror(errno));
		if (k == 0)
			fprintf(f, "name: many\nepochs: 1\nsweep:\n"
				"  learning_rate: {from: 0.001, to: 10, count: 100}\n"
				"  log_every: {from: 1, to: 100}\n");
		else
			fprintf(f, "name: one\nepochs: 1\nsweep:\n  seed: {from: 0, to: 9999}\n");
		fclose(f);
		spawn_cpu(train, NULL, NULL, NULL, 1);
		for (int r = 0; r < REPS; r++)
			tv[r] = spawn(curves, NULL, NULL);
		t[k] = median(tv, REPS);
	}
	remove_tree(dir);
	printf("   nnrun curves of 10^4 1-epoch runs: 10^4 groups %.3f s, one group %.3f s\n"
	       "   many groups / one group %.2fx   target <= 2x   %s\n", t[0], t[1], t[0] / t[1],
	       verdict(t[0] / t[1] <= 2.0));
}

/* The core's peak for the layer kernels' arithmetic, measured here: a
 * multiply and a separate add per element (no FMA: nnrun's sums have
 * none), a block of 4 rows x 3 vectors of outputs held in registers
 * across k, x and W in L1, in the widest vectors the CPU has. The
 * GFLOP/s of 2-W-W-1 epochs is reported as a fraction of it. */
#define PEAK_K 64

/* This thread's CPU time: the peak is what the core does while it runs
 * the kernel, not how often others preempt it. */
static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
#define PEAK_PASSES 200000L

#define PEAK_ROW(r)                                          \
	do {                                                 \
		vec xr = zero + x[r][k];                     \
		a##r##0 = a##r##0 + xr * w0;                 \
		a##r##1 = a##r##1 + xr * w1;                 \
		a##r##2 = a##r##2 + xr * w2;                 \
	} while (0)

#define PEAK_KERNEL(name, isa, VW)                                                   \
	__attribute__((target(isa))) static double name(double *flops)               \
	{                                                                            \
		typedef double vec __attribute__((vector_size((VW) * 8)));           \
		static double x[4][PEAK_K], w[PEAK_K][3 * (VW)];                      \
		const vec zero = {0};                                                \
		vec a00 = zero, a01 = zero, a02 = zero, a10 = zero, a11 = zero,      \
		    a12 = zero, a20 = zero, a21 = zero, a22 = zero, a30 = zero,      \
		    a31 = zero, a32 = zero, s;                                       \
		double t0, total = 0;                                                \
                                                                                     \
		for (int k = 0; k < PEAK_K; k++) {                                   \
			for (int r = 0; r < 4; r++)                                  \
				x[r][k] = 1e-9 * (r + k);                            \
			for (int j = 0; j < 3 * (VW); j++)                           \
				w[k][j] = 1e-9 * (k - j);                            \
		}                                                                    \
		t0 = cpu_now();                                                      \
		for (long p = 0; p < PEAK_PASSES; p++) {                             \
			for (int k = 0; k < PEAK_K; k++) {                           \
				vec w0, w1, w2;                                      \
                                                                                     \
				memcpy(&w0, &w[k][0], sizeof w0);                    \
				memcpy(&w1, &w[k][VW], sizeof w1);                   \
				memcpy(&w2, &w[k][2 * (VW)], sizeof w2);             \
				PEAK_ROW(0);                                         \
				PEAK_ROW(1);                                         \
				PEAK_ROW(2);                                         \
				PEAK_ROW(3);                                         \
			}                                                            \
			__asm__ volatile("" ::: "memory");                           \
		}                                                                    \
		t0 = cpu_now() - t0;                                                 \
		s = a00 + a01 + a02 + a10 + a11 + a12 + a20 + a21 + a22 + a30 +     \
		    a31 + a32;                                                       \
		for (int j = 0; j < (VW); j++)                                       \
			total += s[j];                                               \
		*flops = 2.0 * 4 * 3 * (VW) * PEAK_K * (double)PEAK_PASSES;          \
		return total == 42.0 ? -1.0 : t0;                                    \
	}

PEAK_KERNEL(peak_avx512, "avx512f", 8)
PEAK_KERNEL(peak_avx2, "avx2", 4)
PEAK_KERNEL(peak_sse2, "sse2", 2)

/* GFLOP/s of the peak kernel in the widest vectors this CPU runs, the
 * best of 5 (a peak), and which vectors those were. */
static double peak_gflops(const char **isa)
{
	double (*kernel)(double *) = peak_sse2;
	double g[5], flops;

	*isa = "SSE2";
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f"))
		kernel = peak_avx512, *isa = "AVX-512";
	else if (__builtin_cpu_supports("avx2"))
		kernel = peak_avx2, *isa = "AVX2";
	for (int r = 0; r < 5; r++) {
		double t = kernel(&flops);
		g[r] = flops / t * 1e-9;
	}
	qsort(g, 5, sizeof *g, cmp_double);
	return g[4];
}

/* 2-W-W-1 epochs in GFLOP/s: per-epoch CPU time from whole runs of E
 * epochs and of 1 epoch (medians of REPS, interleaved), counting the
 * three products of an epoch at 2 flops per multiply-add: forward
 * x W, the deltas' d W^T and the weight gradient a^T d, for XOR's 4 rows. */
static void bench_gflops(void)
{
	static const int widths[] = {128, 256, 512, 1024};
	static const long epochs[] = {4000, 1000, 300, 80};
	enum { N = sizeof widths / sizeof *widths };
	double cpu[N][2][REPS], peak;
	const char *isa;

	for (int r = 0; r < REPS; r++)
		for (int i = 0; i < N; i++)
			for (int e = 0; e < 2; e++) {
				char *argv[] = {str("%s/nnrun", build), "-q", "-o",
						str("%s/gf%d-%d-%d", tmp, i, e, r), "configs/xor.yaml",
						str("layers=[2,%d,%d,1]", widths[i], widths[i]),
						str("epochs=%ld", e ? epochs[i] : 1L), NULL};

				spawn_cpu(argv, NULL, NULL, &cpu[i][e][r], 1);
			}
	peak = peak_gflops(&isa);
	printf("12. wide layers: 2-W-W-1 epochs (4 rows) against this core's peak\n");
	printf("   peak: %.1f GFLOP/s (%s, multiply and add apart, 4x3 vectors in L1)\n",
	       peak, isa);
	printf("   W        us/epoch   GFLOP/s   of peak   target >= 50%%\n");
	for (int i = 0; i < N; i++) {
		double w = widths[i], flops = 2.0 * 4 * (3 * (2 * w + w * w + w) - 2 * w);
		double t = (median(cpu[i][1], REPS) - median(cpu[i][0], REPS)) /
			   (double)(epochs[i] - 1);

		printf("   %-6d %10.1f   %7.2f   %6.0f%%   %s\n", widths[i], t * 1e6,
		       flops / t * 1e-9, flops / t * 1e-9 / peak * 100,
		       verdict(flops / t * 1e-9 >= 0.5 * peak));
	}
}

/* The vector exp against libm's calls (NNRUN_EXP=libm), same runs
 * otherwise: per-epoch CPU time from runs of E and 1 epochs, medians of
 * REPS, interleaved. The tutorial's 2-2-1 keeps libm (its layers are
 * below the vector exp's threshold) and is timed as a control. */
static void bench_vexp(void)
{
	static const char *const names[] = {"2-2-1", "2-2-1 batch_size 1", "parity-8 8-16-1",
					    "2-1024-1"};
	static const char *const args[][2] = {
		{"layers=[2,2,1]", "task=xor"},
		{"layers=[2,2,1]", "batch_size=1"},
		{"layers=[8,16,1]", "task=parity-8"},
		{"layers=[2,1024,1]", "task=xor"},
	};
	static const long epochs[] = {200000, 200000, 2000, 4000};
	enum { N = sizeof epochs / sizeof *epochs };
	double cpu[N][2][2][REPS];

	for (int r = 0; r < REPS; r++)
		for (int i = 0; i < N; i++)
			for (int v = 0; v < 2; v++)
				for (int e = 0; e < 2; e++) {
					char *argv[] = {str("%s/nnrun", build), "-q", "-o",
							str("%s/vx%d-%d-%d-%d", tmp, i, v, e, r),
							"configs/xor.yaml", (char *)args[i][0],
							(char *)args[i][1],
							str("epochs=%ld", e ? epochs[i] : 1L),
							str("log_every=%ld", epochs[i]), NULL};

					if (v)
						unsetenv("NNRUN_EXP");
					else
						setenv("NNRUN_EXP", "libm", 1);
					spawn_cpu(argv, NULL, NULL, &cpu[i][v][e][r], 1);
				}
	unsetenv("NNRUN_EXP");
	printf("13. sigmoid through the vector exp (libm's bits) against libm's exp calls\n");
	printf("   net                libm us/epoch   vector us/epoch   speed-up\n");
	for (int i = 0; i < N; i++) {
		double t[2];

		for (int v = 0; v < 2; v++)
			t[v] = (median(cpu[i][v][1], REPS) - median(cpu[i][v][0], REPS)) /
			       (double)(epochs[i] - 1);
		printf("   %-18s %13.3f   %15.3f   %7.2fx\n", names[i], t[0] * 1e6, t[1] * 1e6,
		       t[0] / t[1]);
	}
}

/* A config of `runs` 1-epoch runs: one group of seeds, or (groups) each
 * run its own report group: runs/100 learning rates times log_every 1 to
 * 100 (a range, which study.yaml records in a line). */
static char *scale_config(const char *name, long runs, int groups)
{
	char *path = str("%s/%s.yaml", tmp, name);
	FILE *f = fopen(path, "w");

	if (!f)
		die("%s: %s", path, strerror(errno));
	if (groups)
		fprintf(f, "name: %s\nepochs: 1\nsweep:\n  learning_rate: {from: 0.001, to: 10, count: %ld}\n"
			"  log_every: {from: 1, to: 100}\n", name, runs / 100);
	else
		fprintf(f, "name: %s\nepochs: 1\nsweep:\n  seed: {from: 0, to: %ld}\n", name, runs - 1);
	fclose(f);
	return path;
}

/* Median wall time, CPU time and largest peak RSS of argv over reps runs. */
static void spawn_reps(char *const argv[], int reps, int no_sync, double *t, double *cpu,
		       long *rss)
{
	double tv[REPS], cv[REPS];

	*rss = 0;
	for (int r = 0; r < reps; r++) {
		long k;
		tv[r] = spawn_cpu(argv, NULL, &k, &cv[r], no_sync);
		*rss = k > *rss ? k : *rss;
	}
	*t = median(tv, reps);
	if (cpu)
		*cpu = median(cv, reps);
}

/* The system calls strace counts in a whole command (its children too);
 * -1 without strace. */
/* Peak RSS of argv (NNRUN_NO_SYNC=1) stopped by SIGINT after secs
 * seconds (0: not stopped); exit 0, 1 (a report of missing runs) and
 * 130 (stopped) are all as expected. */
static long spawn_cut(char *const argv[], int secs)
{
	struct rusage ru;
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(126);
		setenv("NNRUN_NO_SYNC", "1", 1);
		execv(argv[0], argv);
		_exit(127);
	}
	if (secs) {
		sleep((unsigned)secs);
		kill(pid, SIGINT);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		die("wait4: %s", strerror(errno));
	if (!WIFEXITED(status) || (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 1 &&
				   WEXITSTATUS(status) != 130))
		die("%s: status %d", argv[0], status);
	return ru.ru_maxrss;
}

static long count_syscalls(char *const argv[])
{
	char *out = str("%s/strace.txt", tmp), line[256];
	char *sargv[MAX_ARGS + 8] = {"/usr/bin/strace", "-f", "-c", "-o", out};
	long total = -1;
	int n = 5;
	FILE *f;

	if (access("/usr/bin/strace", X_OK) != 0)
		return -1;
	for (int i = 0; argv[i] && n < MAX_ARGS + 7; i++)
		sargv[n++] = argv[i];
	sargv[n] = NULL;
	spawn_cpu(sargv, NULL, NULL, NULL, 1);
	if (!(f = fopen(out, "r")))
		return -1;
	while (fgets(line, sizeof line, f)) {
		double pct, secs;
		long usecs, calls;
		if (strstr(line, " total") &&
		    sscanf(line, "%lf %lf %ld %ld", &pct, &secs, &usecs, &calls) == 4)
			total = calls;
		else if (strstr(line, " total") && sscanf(line, "%lf %lf %ld", &pct, &secs, &calls) == 3)
			total = calls;
	}
	fclose(f);
	return total;
}

/* 14. Scale: 1-epoch runs without syncing (BENCH_DIR=/dev/shm keeps the
 * file system's costs out). The report of many groups against one
 * group; peak RSS of a sweep, a rerun with nothing to do and a report
 * by planned runs (up to NNRUN_BENCH_MAX_RUNS, 10^5 unless set: 10^6
 * takes minutes); system calls and CPU time per run of a -j1 sweep. */
static void bench_scale(void)
{
	enum { GROUP_RUNS = 100000, SYSCALL_RUNS = 1000 };
	const char *max_env = getenv("NNRUN_BENCH_MAX_RUNS");
	long max_runs = max_env ? atol(max_env) : 100000;
	char *nn = str("%s/nnrun", build);
	double t_many, t_one, t, cpu;
	long rss, rss2, rss3, calls;

	printf("14. scale: 1-epoch runs, NNRUN_NO_SYNC=1, in %s\n", tmp);
	{
		char *many = scale_config("many", GROUP_RUNS, 1), *one = scale_config("one", GROUP_RUNS, 0);
		char *dir = str("%s/scale-groups", tmp);
		char *run_many[] = {nn, "-q", "-j2", "-o", dir, many, NULL};
		char *run_one[] = {nn, "-q", "-j2", "-o", dir, one, NULL};
		char *rep_many[] = {nn, "report", "-q", str("%s/many", dir), NULL};
		char *rep_one[] = {nn, "report", "-q", str("%s/one", dir), NULL};

		spawn_cpu(run_many, NULL, NULL, NULL, 1);
		spawn_cpu(run_one, NULL, NULL, NULL, 1);
		spawn_reps(rep_many, 3, 1, &t_many, NULL, &rss);
		spawn_reps(rep_one, 3, 1, &t_one, NULL, &rss2);
		printf("   report of %d runs: %d groups %.3f s (%ld KiB), one group %.3f s (%ld KiB)\n"
		       "   many groups / one group %.2fx   target <= 2x   %s\n", GROUP_RUNS, GROUP_RUNS,
		       t_many, rss, t_one, rss2, t_many / t_one, verdict(t_many / t_one <= 2.0));
		remove_tree(dir);
	}
	printf("   planned runs   sweep -j2 s   KiB     resume s   KiB     report s   KiB   (one group of seeds)\n");
	for (long runs = 1000; runs <= max_runs; runs *= 10) {
		char *cfg = scale_config(str("rss%ld", runs), runs, 0), *dir = str("%s/scale-rss", tmp);
		char *sweep[] = {nn, "-q", "-j2", "-o", dir, cfg, NULL};
		char *half[] = {nn, "-q", "-j2", "--shard", "0/2", "-o", dir, cfg, NULL};
		char *report[] = {nn, "report", "-q", str("%s/rss%ld", dir, runs), NULL};
		double t2, t3;

		spawn_reps(sweep, 1, 1, &t, NULL, &rss);
		spawn_reps(report, 1, 1, &t3, NULL, &rss3);
		remove_tree(dir);
		/* A resume: half the runs there, the whole study rerun. */
		spawn_cpu(half, NULL, NULL, NULL, 1);
		spawn_reps(sweep, 1, 1, &t2, NULL, &rss2);
		printf("   %12ld   %11.3f   %5ld   %8.3f   %5ld   %8.3f   %5ld\n", runs, t, rss, t2, rss2,
		       t3, rss3);
		remove_tree(dir);
	}
	/* 10^6 runs take minutes a sweep here: cut short by SIGINT. */
	{
		enum { CUT_S = 10 };
		char *cfg = scale_config("rss1e6", 1000000, 0), *dir = str("%s/scale-rss", tmp);
		char *sweep[] = {nn, "-q", "-j2", "-o", dir, cfg, NULL};
		char *count[] = {nn, "--count", cfg, NULL};
		char *report[] = {nn, "report", "-q", str("%s/rss1e6", dir), NULL};

		rss = spawn_cut(sweep, CUT_S);
		rss2 = spawn_cut(sweep, CUT_S);
		rss3 = spawn_cut(report, 0);
		spawn_reps(count, 1, 1, &t, NULL, &calls);
		printf("   %12d   cut at %d s   %5ld   cut at %d s %5ld   %8s   %5ld   (--count %.3f s, %ld KiB)\n",
		       1000000, CUT_S, rss, CUT_S, rss2, "partial", rss3, t, calls);
		remove_tree(dir);
	}
	printf("   (a group's statistics hold 24 bytes a complete run, about 60 more while computed,\n"
	       "    and its curve 8 bytes a point a run until its last run is read; running the runs\n"
	       "    holds a worker's batch of runs in flight, whatever the plan's size)\n");
	{
		char *cfg = scale_config("calls", SYSCALL_RUNS, 0), *dir = str("%s/scale-calls", tmp);
		char *sweep[] = {nn, "-q", "-j1", "-o", dir, cfg, NULL};
		char *wipe[] = {"/bin/rm", "-rf", dir, NULL};
		double tv[3], cv[3];

		for (int r = 0; r < 3; r++) {
			spawn(wipe, NULL, NULL);
			tv[r] = spawn_cpu(sweep, NULL, NULL, &cv[r], 1);
		}
		spawn(wipe, NULL, NULL);
		calls = count_syscalls(sweep);
		cpu = median(cv, 3);
		printf("   a -j1 sweep of %d runs (planning, runs, summary): %.3f s, CPU %.1f us a run\n"
		       "   target < 30 us   %s;  system calls a run: %.1f%s\n", SYSCALL_RUNS, median(tv, 3),
		       cpu / SYSCALL_RUNS * 1e6, verdict(cpu / SYSCALL_RUNS < 30e-6),
		       calls < 0 ? 0.0 : (double)calls / SYSCALL_RUNS, calls < 0 ? " (no strace)" : "");
		remove_tree(dir);
	}
}

int main(int argc, char **argv)
{
	static const int widths[] = {2, 8, 32, 128, 256, 512};
	static const long np_epochs[] = {2000, 2000, 1000, 300, 100, 50};
	static const long nn_epochs[] = {20000, 20000, 10000, 2000, 500, 200};
	enum { N_W = sizeof widths / sizeof *widths };
	static const long scale_epochs[] = {1000, 10000, 100000};
	static const int sweep_sizes[] = {10, 100};
	static const int plan_sizes[] = {100, 10000, 100000, 1000000};
	enum { N_P = sizeof plan_sizes / sizeof *plan_sizes };
	int nn1e6, nn1, bin_true, mini, fann, nncsv, tut, np_tut, sw1, sw2, nnsw, par, parj2;
	int ep[3], sws[2], wn[N_W], wn1[N_W], wp[N_W], wp1[N_W], idx[N_P], sync_on, sync_off;
	int task_nn[2], task_nn1[2], task_np[2], dec, dec1;
	int opt_adam, opt_b1, opt_stop;
	double start = now();
	char cfg[600], *sweep, *mini_bin, *fann_bin, *par_sweep, nnrun_abs[PATH_MAX];
	FILE *f;

	if (argc != 3 && !(argc == 4 && (strcmp(argv[3], "gflops") == 0 ||
					 strcmp(argv[3], "scale") == 0)))
		die("usage: bench BUILD TMPDIR [gflops|scale] (run from the repository root)");
	build = argv[1];
	tmp = argv[2];
	mkdir(tmp, 0777);
	if (argc == 4 && strcmp(argv[3], "gflops") == 0) {
		bench_gflops();
		bench_vexp();
		remove_tree(tmp);
		return 0;
	}
	if (argc == 4) {   /* the scale section alone */
		bench_scale();
		remove_tree(tmp);
		return 0;
	}
	snprintf(cfg, sizeof cfg, "configs/xor.yaml");
	sweep = sweep_config(SWEEP_RUNS);
	mini_bin = str("%s/bench/minimal", build);
	fann_bin = str("%s/bench/fann_xor", build);
	par_sweep = sweep_config(PAR_RUNS);
	/* parallel-sweep runs this nnrun, whatever BUILD is. */
	if (!realpath(str("%s/nnrun", build), nnrun_abs))
		die("%s/nnrun: %s", build, strerror(errno));
	setenv("NNRUN", nnrun_abs, 1);

	nn1e6 = nnrun_case("nn1e6", cfg, "epochs=1000000", "log_every=1000000", NULL);
	nn1 = nnrun_case("nn1", cfg, "epochs=1", NULL, NULL);
	/* What any process costs: nn1 beyond it is nnrun's own start. */
	bin_true = add_case("true", "/bin/true", (char *)NULL);
	/* Training rules against nn1e6 (sgd, full batch, no stop rule): adam,
	 * online batches, and stop rules that are checked but never hold. */
	opt_adam = add_case("opt_adam", str("%s/nnrun", build), "-q", "-o", "@OUT", cfg,
			    "optimizer=adam", "epochs=1000000", "log_every=1000000", (char *)NULL);
	opt_b1 = add_case("opt_b1", str("%s/nnrun", build), "-q", "-o", "@OUT", cfg,
			  "batch_size=1", "epochs=1000000", "log_every=1000000", (char *)NULL);
	opt_stop = add_case("opt_stop", str("%s/nnrun", build), "-q", "-o", "@OUT", cfg,
			    "stop_loss=0", "patience=100000000", "epochs=1000000",
			    "log_every=1000000", (char *)NULL);
	mini = add_case("mini", mini_bin, "1000000", (char *)NULL);
	fann = add_case("fann", fann_bin, "1000000", (char *)NULL);
	nncsv = nnrun_case("nncsv", cfg, "epochs=1000000", NULL, NULL);
	tut = nnrun_case("tut", cfg, NULL, NULL, NULL);
	np_tut = add_case("np_tut.csv", PYTHON, NUMPY_SCRIPT, "--epochs", "10000",
			  "--seed", "42", "-o", "@OUT", (char *)NULL);
	/* The training and rows of the sweep's 1000 runs, in one run of
	 * 1000 x 10^4 epochs: the sweep's time beyond it is what planning,
	 * processes and files cost. */
	nnsw = nnrun_case("nnsw", cfg, str("epochs=%d", SWEEP_RUNS * 10000), NULL, NULL);
	sw1 = add_case("sw1", str("%s/nnrun", build), "-q", "-j1", "-o", "@OUT", sweep, (char *)NULL);
	sw2 = add_case("sw2", str("%s/nnrun", build), "-q", "-j2", "-o", "@OUT", sweep, (char *)NULL);
	/* What durability costs: the same sweep with and without the group
	 * commit's flush (syncfs a batch of runs, then their renames, then
	 * the study folder's fsync). */
	sync_on = add_case("sync_on", str("%s/nnrun", build), "-q", "-j1", "-o", "@OUT",
			   sweep_config(SYNC_RUNS), (char *)NULL);
	sync_off = add_case("sync_off", str("%s/nnrun", build), "-q", "-j1", "-o", "@OUT",
			    sweep_config(SYNC_RUNS), (char *)NULL);
	cases[sync_off].no_sync = 1;
	for (int i = 0; i < 3; i++)
		ep[i] = nnrun_case(str("ep%ld", scale_epochs[i]), cfg,
				   str("epochs=%ld", scale_epochs[i]), NULL, NULL);
	for (int i = 0; i < 2; i++)
		sws[i] = add_case(str("sws%d", sweep_sizes[i]), str("%s/nnrun", build), "-q",
				  "-j2", "-o", "@OUT", sweep_config(sweep_sizes[i]), (char *)NULL);
	/* One --index run of 1 epoch, the plan's last, in plans of 10^2 to
	 * 10^6 runs: beside nn1 (the same run alone), what it costs to be
	 * one run of a big study. */
	for (int i = 0; i < N_P; i++)
		idx[i] = nnrun_case(str("idx%d", plan_sizes[i]), sweep_config(plan_sizes[i]),
				    "epochs=1", "--index", str("%d", plan_sizes[i] - 1));
	/* Every run's config of a big sweep decoded and checked (--count
	 * checks the plan), against the same for a one-run config. */
	dec = add_case("dec", str("%s/nnrun", build), "--count", decode_config(), (char *)NULL);
	dec1 = add_case("dec1", str("%s/nnrun", build), "--count", cfg, (char *)NULL);
	/* A cluster-style sweep of short runs against nnrun -j2. */
	par = add_case("par", PARALLEL_SWEEP, "-j", "2", "-o", "@OUT", par_sweep, "epochs=10",
		       (char *)NULL);
	parj2 = nnrun_case("parj2", par_sweep, "-j2", "epochs=10", NULL);
	for (int i = 0; i < N_W; i++) {
		char *layers = str("layers=[2,%d,%d,1]", widths[i], widths[i]);
		char *np_layers = str("2,%d,%d,1", widths[i], widths[i]);

		wn[i] = nnrun_case(str("w%d", widths[i]), cfg, layers,
				   str("epochs=%ld", nn_epochs[i]), NULL);
		wn1[i] = nnrun_case(str("w%d_1", widths[i]), cfg, layers, "epochs=1", NULL);
		wp[i] = add_case(str("np_w%d.csv", widths[i]), PYTHON, NUMPY_SCRIPT, "--layers",
				 np_layers, "--epochs", str("%ld", np_epochs[i]), "-o", "@OUT",
				 (char *)NULL);
		wp1[i] = add_case(str("np_w%d_1.csv", widths[i]), PYTHON, NUMPY_SCRIPT, "--layers",
				  np_layers, "--epochs", "1", "-o", "@OUT", (char *)NULL);
	}

	/* Tasks beyond XOR: whole runs of 2000 epochs with their CSV. */
	for (int i = 0; i < 2; i++) {
		const char *task = i ? "encoder-8" : "parity-8";
		const char *layers = i ? "8,3,8" : "8,16,1";

		task_nn[i] = nnrun_case(str("t%d", i), cfg, str("task=%s", task),
					str("layers=[%s]", layers), "epochs=2000");
		task_nn1[i] = nnrun_case(str("t%d_1", i), cfg, str("task=%s", task),
					 str("layers=[%s]", layers), "epochs=1");
		task_np[i] = add_case(str("np_t%d.csv", i), PYTHON, NUMPY_SCRIPT, "--task", task,
				      "--layers", layers, "--epochs", "2000", "-o", "@OUT",
				      (char *)NULL);
	}

	for (int r = 0; r < REPS; r++) {
		fprintf(stderr, "bench: repetition %d of %d\n", r + 1, REPS);
		for (int c = 0; c < n_cases; c++) {
			struct bcase *k = &cases[c];
			int is_nnrun = strcmp(k->argv[0], PYTHON) != 0 &&
				       (strstr(k->argv[0], "/nnrun") != NULL ||
					strcmp(k->argv[0], PARALLEL_SWEEP) == 0);

			if (is_nnrun)
				snprintf(k->out, sizeof k->out, "%s/%d-%d", tmp, c, r);
			k->t[r] = spawn_cpu(k->argv, is_nnrun ? NULL : k->out, &k->rss[r],
					    &k->cpu[r], k->no_sync);
			/* Kept until the end (a few GB): on ext4, inodes freed
			 * moments ago make every later file creation scan past
			 * them. And written back now, untimed: a sweep's 250 MB
			 * of dirty pages would otherwise be flushed during the
			 * next cases, on the same two cores. */
			sync();
		}
	}

	/* Checks: the same numbers as NumPy and as the minimal loop. */
	char path[1200];
	int tut_equal, w_equal[N_W];
	double mini_loss = NAN, nn_loss;

	loss_csv(cases[tut].out, "xor", path, sizeof path);
	tut_equal = same_file(path, cases[np_tut].out);
	for (int i = 0; i < N_W; i++) {
		loss_csv(cases[wn[i]].out, "xor", path, sizeof path);
		w_equal[i] = same_lines(path, cases[wp[i]].out, np_epochs[i] + 1);
	}
	loss_csv(cases[nn1e6].out, "xor", path, sizeof path);
	nn_loss = last_loss(path);
	{
		char *argv_m[] = {mini_bin, "1000000", NULL};
		char out[600];

		snprintf(out, sizeof out, "%s/mini.txt", tmp);
		spawn(argv_m, out, NULL);
		f = fopen(out, "r");
		if (!f || fscanf(f, "%lf", &mini_loss) != 1)
			die("%s: no loss", out);
		fclose(f);
	}

	double t_nn = T(nn1e6), t_nn1 = T(nn1), t_mini = T(mini), t_fann = T(fann);
	double epoch_cost = (t_nn - t_nn1) / 999999, row_cost = (T(nncsv) - t_nn) / 1e6;
	double t_train = T(nnsw) / SWEEP_RUNS, per_run = T(sw1) / SWEEP_RUNS;
	double eff = T(sw1) / (2 * T(sw2)), over = per_run - t_train;

	printf("\nnnrun benchmark: medians of %d interleaved repetitions, %ld cores online\n",
	       REPS, sysconf(_SC_NPROCESSORS_ONLN));
	printf("(whole processes timed from fork to exit; RSS = getrusage ru_maxrss;\n"
	       " load average at the end: %s)\n", loadavg());
	if (atof(loadavg()) > (double)sysconf(_SC_NPROCESSORS_ONLN) - 0.5)
		printf("WARNING: other processes kept the cores busy; wall-clock ratios\n"
		       "(above all -j2 against -j1) measure them too. CPU times are shown.\n");
	printf("\n");
	printf("1. training loop, 2-2-1 sigmoid, 10^6 epochs, no CSV rows between first and last\n");
	printf("   nnrun                 %8.3f s  (%.1f ns/epoch)\n", t_nn, epoch_cost * 1e9);
	printf("   minimal C loop        %8.3f s  (same last loss: %s)\n", t_mini,
	       mini_loss == nn_loss ? "yes" : "NO");
	printf("   FANN 2.2 batch        %8.3f s\n", t_fann);
	printf("   nnrun / minimal       %8.2fx   target <= 1.2x   %s\n", t_nn / t_mini,
	       verdict(t_nn / t_mini <= 1.2));
	printf("   FANN / nnrun          %8.2fx   target >= 3x     %s\n", t_fann / t_nn,
	       verdict(t_fann / t_nn >= 3));
	printf("2. a CSV row every epoch, 10^6 epochs: %.3f s\n", T(nncsv));
	printf("   row %.1f ns, epoch %.1f ns: row / epoch %.2f   target <= 1   %s\n",
	       row_cost * 1e9, epoch_cost * 1e9, row_cost / epoch_cost,
	       verdict(row_cost <= epoch_cost));
	printf("   rows lossless (tutorial loss.csv byte-identical to NumPy's): %s\n",
	       tut_equal ? "yes" : "NO");
	printf("3. tutorial run, 10^4 epochs, CSV every epoch, whole process\n");
	printf("   nnrun %.4f s, NumPy %.3f s: %.0fx faster   target >= 150x   %s\n",
	       T(tut), T(np_tut), T(np_tut) / T(tut), verdict(T(np_tut) / T(tut) >= 150));
	printf("   (a 1-epoch nnrun process: %.4f s; its start and config alone, --count: %.4f s;\n"
	       "    /bin/true %.4f s)\n", t_nn1, T(dec1), T(bin_true));
	printf("4. sweep of %d runs x 10^4 epochs with CSVs\n", SWEEP_RUNS);
	printf("   -j1 %.3f s, -j2 %.3f s: parallel efficiency %.0f%%   target >= 90%%   %s\n",
	       T(sw1), T(sw2), eff * 100, verdict(eff >= 0.9));
	printf("   per run %.1f us = training+rows %.1f us + overhead %.1f us (%.1f%%)   target < 5%%   %s\n",
	       per_run * 1e6, t_train * 1e6, over * 1e6, over / t_train * 100,
	       verdict(over / t_train < 0.05));
	printf("   (training+rows: one run of %d x 10^4 epochs, %.3f s)\n", SWEEP_RUNS, T(nnsw));
	printf("   CPU time: -j1 %.3f s, -j2 %.3f s, one long run %.3f s: overhead %.1f us per run (%.1f%%)\n",
	       CPU(sw1), CPU(sw2), CPU(nnsw), (CPU(sw1) - CPU(nnsw)) / SWEEP_RUNS * 1e6,
	       (CPU(sw1) - CPU(nnsw)) / CPU(nnsw) * 100);
	printf("5. scaling\n   epochs (CSV every epoch)   time       per epoch   peak RSS\n");
	for (int i = 0; i < 4; i++) {
		int c = i < 3 ? ep[i] : nncsv;
		long e = i < 3 ? scale_epochs[i] : 1000000;
		printf("   %-24ld %8.4f s  %7.1f ns   %5ld KiB\n", e, T(c), T(c) / (double)e * 1e9,
		       max_rss(c));
	}
	printf("   2-W-W-1   params   nnrun us/epoch   NumPy us/epoch   NumPy/nnrun   nnrun ns/param   equal\n");
	for (int i = 0; i < N_W; i++) {
		long params = 2L * widths[i] + widths[i] + (long)widths[i] * widths[i] + widths[i] +
			      widths[i] + 1;
		double tn = (T(wn[i]) - T(wn1[i])) / (double)(nn_epochs[i] - 1);
		double tp = (T(wp[i]) - T(wp1[i])) / (double)(np_epochs[i] - 1);

		printf("   W=%-6d %7ld   %14.2f   %14.2f   %10.1fx   %14.3f   %s\n", widths[i], params,
		       tn * 1e6, tp * 1e6, tp / tn, tn / (double)params * 1e9,
		       w_equal[i] ? "yes" : "NO");
	}
	printf("   width 256: nnrun faster than NumPy per epoch and equal   %s\n",
	       verdict(w_equal[4] && (T(wn[4]) - T(wn1[4])) / (double)(nn_epochs[4] - 1) <
				     (T(wp[4]) - T(wp1[4])) / (double)(np_epochs[4] - 1)));
	printf("6. peak RSS   target <= 8192 KiB, flat\n");
	printf("   one tutorial run         %5ld KiB\n", max_rss(tut));
	printf("   one 10^6-epoch run       %5ld KiB\n", max_rss(nncsv));
	printf("   sweep of %4d runs, -j2  %5ld KiB\n", sweep_sizes[0], max_rss(sws[0]));
	printf("   sweep of %4d runs, -j2  %5ld KiB\n", sweep_sizes[1], max_rss(sws[1]));
	printf("   sweep of %4d runs, -j2  %5ld KiB   %s\n", SWEEP_RUNS, max_rss(sw2),
	       verdict(max_rss(tut) <= 8192 && max_rss(sw2) <= 8192 && max_rss(nncsv) <= 8192));
	printf("7. durability: a sweep of %d runs x 10^4 epochs, -j1, in %s\n", SYNC_RUNS, tmp);
	printf("   synced (a syncfs a batch of runs, their renames, the study's fsync): %.3f s, %.2f ms a run\n",
	       T(sync_on), T(sync_on) / SYNC_RUNS * 1e3);
	printf("   NNRUN_NO_SYNC=1: %.3f s, %.2f ms a run; syncing costs %.2f ms a run, ratio %.2fx\n",
	       T(sync_off), T(sync_off) / SYNC_RUNS * 1e3,
	       (T(sync_on) - T(sync_off)) / SYNC_RUNS * 1e3, T(sync_on) / T(sync_off));
	printf("8. one --index run (1 epoch, the plan's last) by plan size: cost beyond the\n"
	       "   same run alone (%.4f s, %ld KiB)   target < 5 ms and <= 4096 KiB, flat\n",
	       t_nn1, max_rss(nn1));
	{
		int met = 1;

		for (int i = 0; i < N_P; i++) {
			double beyond = T(idx[i]) - t_nn1;

			met = met && beyond < 0.005 && max_rss(idx[i]) <= 4096;
			printf("   %8d runs   %8.4f s   beyond %7.2f ms   %5ld KiB\n", plan_sizes[i],
			       T(idx[i]), beyond * 1e3, max_rss(idx[i]));
		}
		printf("   --index cost flat from 10^2 to 10^6 runs   %s\n", verdict(met));
	}
	printf("9. %d runs x 10 epochs: scripts/parallel-sweep -j 2 %.3f s, nnrun -j2 %.3f s\n",
	       PAR_RUNS, T(par), T(parj2));
	printf("   parallel-sweep / nnrun -j2 %.2fx   target <= 3x   %s\n", T(par) / T(parj2),
	       verdict(T(par) / T(parj2) <= 3));
	printf("10. plan decoding: nnrun --count of a %d-run sweep of typed lists (a float\n"
	       "   grid x layers x activation) decodes and checks every run's config:\n"
	       "   %.3f s, beyond one run's %.3f s: %.3f us a run\n", DECODE_RUNS,
	       T(dec), T(dec1), (T(dec) - T(dec1)) / DECODE_RUNS * 1e6);
	bench_report();
	bench_curves();
	{
		/* parity-8 through [8, 16, 1]: 256 rows x 17 sigmoids, each one
		 * call of libm's exp, every epoch; timed alone here. */
		enum { N_EXP = 256 * 17, EXP_REPS = 2000 };
		volatile double sink = 0;
		double t0 = now(), t_exp, t_epoch[2];

		for (int r = 0; r < EXP_REPS; r++)
			for (int k = 0; k < N_EXP; k++)
				sink += exp(-((double)(k % 97) - 48.0) * 0.05 - r * 1e-9);
		t_exp = (now() - t0) / EXP_REPS;
		(void)sink;
		printf("11. tasks beyond XOR: whole runs of 2000 epochs with their CSV against NumPy\n");
		printf("   task       layers    nnrun s   NumPy s   NumPy/nnrun   target   us/epoch   equal\n");
		for (int i = 0; i < 2; i++) {
			char nn_path[1200];
			int equal;

			loss_csv(cases[task_nn[i]].out, "xor", nn_path, sizeof nn_path);
			equal = same_file(nn_path, cases[task_np[i]].out);
			t_epoch[i] = (T(task_nn[i]) - T(task_nn1[i])) / 1999;
			printf("   %-10s %-8s %8.4f  %8.3f   %10.1fx   >= %2dx   %8.2f   %s   %s\n",
			       i ? "encoder-8" : "parity-8", i ? "8,3,8" : "8,16,1", T(task_nn[i]),
			       T(task_np[i]), T(task_np[i]) / T(task_nn[i]), i ? 10 : 5,
			       t_epoch[i] * 1e6, equal ? "yes" : "NO",
			       verdict(equal && T(task_np[i]) / T(task_nn[i]) >= (i ? 10 : 5)));
		}
		printf("   parity-8's %d exp calls alone: %.2f us, %.0f%% of its epoch (%.2f us)\n",
		       N_EXP, t_exp * 1e6, t_exp / t_epoch[0] * 100, t_epoch[0] * 1e6);
	}
	{
		double e_sgd = (T(nn1e6) - T(nn1)) / 999999, e_adam = (T(opt_adam) - T(nn1)) / 999999;
		double e_b1 = (T(opt_b1) - T(nn1)) / 999999, e_stop = (T(opt_stop) - T(nn1)) / 999999;

		printf("15. training rules, 2-2-1 sigmoid, 10^6 epochs (ns/epoch; sgd full batch is 1.)\n");
		printf("   adam             %6.1f   adam / sgd        %5.2fx   target <= 1.5x   %s\n",
		       e_adam * 1e9, e_adam / e_sgd, verdict(e_adam / e_sgd <= 1.5));
		printf("   batch_size 1     %6.1f   online / full     %5.2fx   target <= 2.5x   %s\n",
		       e_b1 * 1e9, e_b1 / e_sgd, verdict(e_b1 / e_sgd <= 2.5));
		printf("   stop rules held  %6.1f   checked / off     %5.2fx   (stop_loss and patience that never hold)\n",
		       e_stop * 1e9, e_stop / e_sgd);
		printf("   peak RSS KiB: sgd %ld, adam %ld, batch_size 1 %ld   flat   %s\n",
		       max_rss(nn1e6), max_rss(opt_adam), max_rss(opt_b1),
		       verdict(max_rss(opt_adam) <= max_rss(nn1e6) + 256 &&
			       max_rss(opt_b1) <= max_rss(nn1e6) + 256));
	}
	bench_gflops();
	bench_vexp();
	bench_scale();
	printf("\n(%.0f s in all)\n", now() - start);
	remove_tree(tmp);
	return 0;
}
