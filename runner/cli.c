/* cli.c: options and arguments of nnrun, strictly checked. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "curves.h"
#include "predict.h"

enum { OPT_COUNT = 256, OPT_FORCE, OPT_SHARD, OPT_INDEX, OPT_BASELINE, OPT_KEYS, OPT_GRID };

static const struct option long_opts[] = {
	{ "results", required_argument, NULL, 'o' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "count", no_argument, NULL, OPT_COUNT },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "index", required_argument, NULL, OPT_INDEX },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "keys", no_argument, NULL, OPT_KEYS },
	{ "grid", required_argument, NULL, OPT_GRID },
	{ NULL, 0, NULL, 0 },
};

/* A whole decimal number, nothing else. */
static int parse_count(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (max - (uint64_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

void cli_help(FILE *out)
{
	struct config d;
	char v[128];

	config_defaults(&d);
	fprintf(out,
		"usage: nnrun [OPTIONS] CONFIG.yaml [KEY=VALUE | KEY=V1,V2,...]...\n"
		"       nnrun report RESULTS/NAME | [-o RESULTS] CONFIG.yaml [KEY=VALUE...]\n"
		"       nnrun curves RESULTS/NAME | [-o RESULTS] CONFIG.yaml [KEY=VALUE...]\n"
		"       nnrun verify RESULTS/NAME | [-o RESULTS] CONFIG.yaml [KEY=VALUE...]\n"
		"       nnrun compare RESULTS/NAME KEY [--baseline VALUE]\n"
		"       nnrun predict RESULTS/NAME/RUN | network.yaml [INPUT.csv | - | --grid N]\n"
		"\n"
		"Trains the networks a config declares on its task (XOR unless `task:`\n"
		"says otherwise) and writes, for every run,\n"
		"RESULTS/NAME/RUN/{loss.csv,config.yaml,network.yaml,metrics.csv,\n"
		"integrity.txt}, then\n"
		"RESULTS/NAME/summary.csv, report.csv and report.html (one offline page:\n"
		"the report and the curves). `report` rebuilds those three\n"
		"(exit 1 if planned runs are missing);\n"
		"`curves` writes RESULTS/NAME/curves.csv (group,epoch,q1,median,q3: loss\n"
		"quartiles across seeds per epoch, at most %d points a curve) and prints\n"
		"the same as gnuplot data blocks, one per group. `verify` checks every\n"
		"run's files against its integrity.txt (XXH64 and size of each), prints\n"
		"the damaged ones and a count, exits 1 if any is damaged; it changes\n"
		"nothing (a rerun of the study redoes them). `compare` pairs the values\n"
		"of one swept KEY (each with --baseline VALUE, else every two), the other\n"
		"keys but seed matched: the difference in share solved (Newcombe 95%%\n"
		"interval, Fisher's exact p) and P(A solves sooner than B) (bootstrap 95%%\n"
		"interval); prints a table and writes RESULTS/NAME/compare.csv.\n"
		"`predict` runs a run's trained network (its network.yaml) forward and\n"
		"prints CSV x1,..,xN,output1,..,outputM, one row per input row: the\n"
		"network's task's rows (with target1,..,targetM before the outputs), or\n"
		"INPUT.csv's (N numbers a line; a first line not starting like a number\n"
		"is a header; - reads stdin); --grid N (2-input networks, N = 2..%d)\n"
		"the N x N points of [-0.5, 1.5]^2, each axis np.linspace(-0.5, 1.5, N),\n"
		"x1 in the outer loop, x2 in the inner.\n"
		"\n"
		"KEY=VALUE overrides a key (VALUE written as in YAML: layers=[2,4,1]);\n"
		"KEY=V1,V2 sweeps it (commas inside [...] do not split), and\n"
		"KEY={from: A, to: B} sweeps an integer range, and\n"
		"learning_rate={from: A, to: B, count: N, scale: log} a float grid\n"
		"(np.geomspace; scale: linear, the default, np.linspace), and\n"
		"KEY={uniform | log_uniform | int_uniform: [A, B]} draws samples=N values\n"
		"(NumPy's RandomState(sweep_seed), one draw per random key a point, in\n"
		"the order written: the file's keys, then the arguments').\n"
		"\n"
		"options:\n"
		"  -o, --results DIR  root of the results tree (default: results)\n"
		"  -j, --jobs N       runs at once (default: the number of cores)\n"
		"  -n, --dry-run      print the plan, one line per run; train nothing\n"
		"      --count        print the number of runs\n"
		"                     (both: of the --shard or --index only)\n"
		"      --force        rerun runs whose results are complete, and replace\n"
		"                     another study recorded under the same name\n"
		"      --shard I/N    run only the runs whose index %% N == I\n"
		"      --index K      run only run K\n"
		"                     (both: no summary; `nnrun report` makes it)\n"
		"  -q, --quiet        print nothing but errors\n"
		"  -h, --help         print this help\n"
		"  -V, --version      print the version\n"
		"      --keys         print every config key and the names it takes\n"
		"\n"
		"config keys (default):\n", CURVES_MAX_POINTS, PREDICT_GRID_MAX);
	for (int k = 0; k < KEY_COUNT; k++) {
		const struct config_key_def *key = &config_keys[k];
		v[0] = '\0';
		if (key->def)
			config_format_value(&d, (enum config_key)k, v, sizeof v);
		fprintf(out, "  %-18s %-10s %s\n", key->name, v, key->doc);
	}
	fprintf(out,
		"  %-18s KEY: [V1, V2, ...], {from: A, to: B} or {log_uniform: [A, B]}, for any key but name\n"
		"\n"
		"activations: sigmoid, tanh, relu; init: normal, xavier, he; loss: mse, bce\n"
		"`report`, `curves` and `verify` take only -o and -q.\n"
		"exit status: 0 success, 1 a run failed or stdout could not be written,\n"
		"             2 bad command line or config,\n"
		"             130/143 stopped by SIGINT/SIGTERM; verify: 1 if a run is damaged\n"
		"environment: NNRUN_NO_SYNC=1 writes runs without syncing (faster on a\n"
		"             disk; a power cut may then leave runs a rerun must redo)\n"
		"             NNRUN_EXP=libm computes every sigmoid with libm's exp\n"
		"             (same bits, slower; for comparisons)\n", "sweep");
}

void cli_keys(FILE *out)
{
	for (int k = 0; k < KEY_COUNT; k++) {
		fputs(config_keys[k].name, out);
		for (int i = 0; i < config_keys[k].n_names; i++)
			fprintf(out, " %s", config_keys[k].names[i]);
		fputc('\n', out);
	}
}

int cli_parse(int argc, char **argv, struct cli *c, struct err *e)
{
	int opt;
	uint64_t v;
	char *slash;

	memset(c, 0, sizeof *c);
	c->results = "results";
	c->index = -1;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:qhVnj:", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			if (!optarg[0])
				return err_set(e, NN_EUSAGE, NULL, 0, 0, "--results needs a folder");
			c->results = optarg;
			break;
		case 'q': c->quiet = 1; break;
		case 'h': c->help = 1; break;
		case 'V': c->version = 1; break;
		case 'n': c->dry_run = 1; break;
		case OPT_COUNT: c->count = 1; break;
		case OPT_FORCE: c->force = 1; break;
		case OPT_BASELINE: c->baseline = optarg; break;
		case OPT_KEYS: c->keys = 1; break;
		case OPT_GRID:
			if (parse_count(optarg, PREDICT_GRID_MAX, &v) || v < 2)
				return err_set(e, NN_EUSAGE, NULL, 0, 0, "--grid takes a number from 2 to %d, got '%s'",
					       PREDICT_GRID_MAX, optarg);
			c->grid = (int)v;
			break;
		case 'j':
			if (parse_count(optarg, 256, &v) || v < 1)
				return err_set(e, NN_EUSAGE, NULL, 0, 0, "--jobs takes a number from 1 to 256, got '%s'", optarg);
			c->jobs = (int)v;
			break;
		case OPT_SHARD:
			slash = strchr(optarg, '/');
			if (!slash)
				return err_set(e, NN_EUSAGE, NULL, 0, 0, "--shard takes I/N, got '%s'", optarg);
			*slash = '\0';
			if (parse_count(optarg, CONFIG_MAX_RUNS, &c->shard_i) ||
			    parse_count(slash + 1, CONFIG_MAX_RUNS, &c->shard_n) ||
			    c->shard_n == 0 || c->shard_i >= c->shard_n) {
				*slash = '/';
				return err_set(e, NN_EUSAGE, NULL, 0, 0, "--shard takes I/N with 0 <= I < N, got '%s'", optarg);
			}
			*slash = '/';
			break;
		case OPT_INDEX:
			if (parse_count(optarg, CONFIG_MAX_RUNS, &v))
				return err_set(e, NN_EUSAGE, NULL, 0, 0, "--index takes a run number, got '%s'", optarg);
			c->index = (int64_t)v;
			break;
		default:
			if (optopt && optopt < 256)
				return err_set(e, NN_EUSAGE, NULL, 0, 0,
					       strchr("oj", optopt) ? "option -%c needs a value" : "unknown option -%c",
					       optopt);
			return err_set(e, NN_EUSAGE, NULL, 0, 0, "unknown option or missing value: '%s' (see nnrun --help)",
				       argv[optind - 1]);
		}
	}
	if (c->help || c->version || c->keys)
		return 0;
	if (optind < argc && (strcmp(argv[optind], "report") == 0 ||
			      strcmp(argv[optind], "curves") == 0 ||
			      strcmp(argv[optind], "verify") == 0)) {
		const char *cmd = argv[optind++];
		*(cmd[0] == 'r' ? &c->report : cmd[0] == 'c' ? &c->curves : &c->verify) = 1;
		if (argc - optind < 1)
			return err_set(e, NN_EUSAGE, NULL, 0, 0, "usage: nnrun %s RESULTS/NAME, or nnrun %s [-o RESULTS] CONFIG.yaml [KEY=VALUE...]", cmd, cmd);
		/* Options that choose or run runs mean nothing to a report. */
		if (c->jobs || c->force || c->dry_run || c->count || c->shard_n || c->index >= 0)
			return err_set(e, NN_EUSAGE, NULL, 0, 0, "nnrun %s takes only -o and -q, not %s", cmd,
				       c->jobs ? "-j" : c->force ? "--force" : c->dry_run ? "-n" :
				       c->count ? "--count" : c->shard_n ? "--shard" : "--index");
	}
	if (optind < argc && strcmp(argv[optind], "compare") == 0) {
		optind++;
		c->compare = 1;
		if (argc - optind != 2)
			return err_set(e, NN_EUSAGE, NULL, 0, 0, "usage: nnrun compare RESULTS/NAME KEY [--baseline VALUE]");
		if (c->jobs || c->force || c->dry_run || c->count || c->shard_n || c->index >= 0)
			return err_set(e, NN_EUSAGE, NULL, 0, 0, "nnrun compare takes only -q and --baseline, not %s",
				       c->jobs ? "-j" : c->force ? "--force" : c->dry_run ? "-n" :
				       c->count ? "--count" : c->shard_n ? "--shard" : "--index");
		c->config = argv[optind];
		c->compare_key = argv[optind + 1];
		return 0;
	}
	if (optind < argc && strcmp(argv[optind], "predict") == 0) {
		optind++;
		c->predict = 1;
		if (argc - optind < 1 || argc - optind > 2)
			return err_set(e, NN_EUSAGE, NULL, 0, 0, "usage: nnrun predict RESULTS/NAME/RUN | network.yaml [INPUT.csv | - | --grid N]");
		if (c->jobs || c->force || c->dry_run || c->count || c->shard_n || c->index >= 0 || c->baseline)
			return err_set(e, NN_EUSAGE, NULL, 0, 0, "nnrun predict takes only --grid, not %s",
				       c->jobs ? "-j" : c->force ? "--force" : c->dry_run ? "-n" :
				       c->count ? "--count" : c->shard_n ? "--shard" : c->index >= 0 ? "--index" : "--baseline");
		c->config = argv[optind];
		c->predict_input = argc - optind == 2 ? argv[optind + 1] : NULL;
		if (c->grid && c->predict_input)
			return err_set(e, NN_EUSAGE, NULL, 0, 0, "--grid and an INPUT.csv do not go together");
		return 0;
	}
	if (c->grid)
		return err_set(e, NN_EUSAGE, NULL, 0, 0, "--grid goes with nnrun predict");
	if (c->baseline)
		return err_set(e, NN_EUSAGE, NULL, 0, 0, "--baseline goes with nnrun compare");
	if (optind >= argc)
		return err_set(e, NN_EUSAGE, NULL, 0, 0, "no config given (usage: nnrun [OPTIONS] CONFIG.yaml [KEY=VALUE...])");
	c->config = argv[optind++];
	if (strchr(c->config, '=') && !strchr(c->config, '/'))
		return err_set(e, NN_EUSAGE, NULL, 0, 0, "the config file comes before KEY=VALUE arguments, got '%s' first", c->config);
	c->args = argv + optind;
	c->n_args = argc - optind;
	if (c->shard_n && c->index >= 0)
		return err_set(e, NN_EUSAGE, NULL, 0, 0, "--shard and --index do not go together");
	return 0;
}
