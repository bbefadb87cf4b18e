/* config.h: an experiment's settings, read from YAML and checked, and its sweep. */
#ifndef NNRUN_CONFIG_H
#define NNRUN_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "net.h"
#include "optim.h"
#include "task.h"

#define CONFIG_NAME_MAX 64
#define CONFIG_FILE_MAX (1 << 20)        /* bytes of YAML */
#define CONFIG_MAX_EPOCHS 100000000ULL
#define CONFIG_MAX_RUNS 1000000ULL       /* runs in one sweep */
#define CONFIG_MAX_ITEMS NET_MAX_LAYERS  /* entries of a list value */

enum config_key {
	KEY_NAME,
	KEY_LAYERS,
	KEY_ACTIVATION,
	KEY_OUTPUT_ACTIVATION,
	KEY_LEARNING_RATE,
	KEY_EPOCHS,
	KEY_SEED,
	KEY_INIT,
	KEY_LOSS,
	KEY_LOG_EVERY,
	KEY_TASK,
	KEY_HIDDEN,
	KEY_TARGETS,
	KEY_DATA_XXH64,
	KEY_SAMPLES,
	KEY_SWEEP_SEED,
	/* training rules */
	KEY_OPTIMIZER,
	KEY_MOMENTUM,
	KEY_BETA1,
	KEY_BETA2,
	KEY_EPS,
	KEY_WEIGHT_DECAY,
	KEY_ETAMINUS,
	KEY_ETAPLUS,
	KEY_STEP_MIN,
	KEY_STEP_MAX,
	KEY_BATCH_SIZE,
	KEY_SHUFFLE,
	KEY_STOP_LOSS,
	KEY_STOP_SOLVED,
	KEY_PATIENCE,
	KEY_MIN_DELTA,
	KEY_COUNT
};

/* How a key's value is written: one scalar, a list, or either. */
enum config_shape { CONFIG_SCALAR, CONFIG_LIST, CONFIG_EITHER };

/* What a key takes part in besides the resolved config. */
enum {
	CONFIG_SWEEP = 1,        /* may be swept with a list of values */
	CONFIG_RANGE = 2,        /* may be swept with {from: A, to: B} */
	CONFIG_ID = 4,           /* its line is hashed into the run id */
	CONFIG_GRID = 16,        /* may be swept with a float grid
				  * {from, to, count, scale} */
	CONFIG_OMIT_DEFAULT = 8, /* written (config.yaml, run id) only when not
				  * the default: keys added after run ids were
				  * published leave the older ids as they are */
	CONFIG_STUDY = 32,       /* of the study, not of a run: study.yaml
				  * writes it, config.yaml and the run id not */
};

struct config;
struct cval;

/* One config key: everything nnrun knows of it. Defaults, parsing and
 * its checks, config.yaml, the run id, -h and the man page's check all
 * read this table; adding a key is one row and what it means. */
struct config_key_def {
	const char *name;
	const char *def;              /* the default as YAML writes it; NULL: none */
	enum config_shape shape;
	unsigned flags;
	uint64_t min, max;            /* whole numbers */
	const char *const *names;     /* names: the choices, in enum order */
	int n_names;
	size_t offset, size;          /* the struct config member of the plain kinds */
	int (*parse)(struct config *c, const struct config_key_def *k,
		     const struct cval *v, struct err *e);
	int (*format)(const struct config *c, const struct config_key_def *k,
		      char *buf, size_t max);
	int (*omitted)(const struct config *c);  /* not written; NULL: never */
	const char *doc;              /* -h's line */
};

extern const struct config_key_def config_keys[KEY_COUNT];

/* Where a value was written: file NULL means the command line, line 0
 * a default. */
struct config_pos {
	const char *file;
	int line, col;
};

/* One resolved experiment. */
struct config {
	char name[CONFIG_NAME_MAX + 1];
	int n_layers;
	int layers[NET_MAX_LAYERS];     /* resolved from hidden by config_check */
	int use_hidden;                 /* hidden was given instead of layers */
	int n_hidden;
	int hidden[NET_MAX_LAYERS];
	char task[TASK_NAME_MAX + 1];   /* a built-in's name, or a data file's
					 * absolute path */
	uint32_t targets;               /* a CSV's last columns that are targets */
	int has_data_xxh64;             /* data_xxh64 is known (given, or read) */
	uint64_t data_xxh64;            /* XXH64 of the data file's bytes */
	int n_act;                      /* 1: one activation for every hidden layer */
	int act_list;                   /* written as a list: one per hidden layer */
	enum act act[NET_MAX_LAYERS];
	enum act output_act;
	double learning_rate;
	uint64_t epochs;
	uint32_t seed;
	enum net_init init;
	enum net_loss loss;
	uint64_t log_every;
	uint64_t samples;               /* points a random sweep draws */
	uint32_t sweep_seed;            /* RandomState's seed for them */
	/* training rules: the optimizer and its settings (torch.optim's
	 * names), the batch rows (0: full), the stop rules */
	struct optim_spec optim;        /* kind and the settings below */
	uint64_t batch_size;
	int shuffle;
	int use_stop_loss;              /* stop_loss is not `none` */
	double stop_loss;
	int stop_solved;
	uint64_t patience;              /* 0: off */
	double min_delta;
	struct config_pos pos[KEY_COUNT];
	struct config_pos layer_pos[2];  /* of layers' first and last width */
};

/* A value as written, scalar or list of scalars, with its position. */
struct cval {
	struct config_pos pos;
	int is_seq;
	int n;
	const char *item[CONFIG_MAX_ITEMS];
	int quoted[CONFIG_MAX_ITEMS];
	struct config_pos item_pos[CONFIG_MAX_ITEMS];
};

/* One value of one key, parsed once: what config_set writes into a
 * config for it, put back by config_value_put without reading text. */
struct config_value {
	struct config_pos pos;
	struct config_pos first, last;    /* layers: its first and last width */
	int n;                            /* entries of a list */
	int is_list;                      /* written as a list */
	union {
		unsigned char raw[8];     /* a key of one struct config member */
		int list[NET_MAX_LAYERS]; /* widths, or names' indexes */
		char text[TASK_NAME_MAX + 1];
	} v;
};

/* Takes key's value out of c; -1 when the key has no typed form (a
 * sweepable key needs one: see config_value_put). */
int config_value_get(const struct config *c, enum config_key key,
		     struct config_value *v);

/* Puts a value taken by config_value_get into c, as config_set would. */
void config_value_put(struct config *c, enum config_key key,
		      const struct config_value *v);

/* A number key's value (CONFIG_GRID) as a double, a whole-number key's
 * (CONFIG_RANGE) as an integer. */
double config_value_double(const struct config_value *v);
void config_value_set_double(struct config_value *v, double d);
uint64_t config_value_uint(enum config_key key, const struct config_value *v);
void config_value_set_uint(enum config_key key, struct config_value *v, uint64_t u);

/* How a swept key takes its values. */
enum sweep_kind {
	SWEEP_LIST,     /* values: listed, or a float grid's */
	SWEEP_RANGE,    /* from..to, whole numbers */
	SWEEP_RANDOM,   /* drawn: samples values between from and to */
};

enum sweep_dist { SWEEP_UNIFORM, SWEEP_LOG_UNIFORM, SWEEP_INT_UNIFORM };

extern const char *const sweep_dist_names[3];

/* One drawn value: a number key's double or a whole-number key's integer. */
union sweep_draw {
	double d;
	uint64_t u;
};

/* A swept key: typed values, an inclusive integer range, or a random
 * draw between two bounds. */
struct sweep_axis {
	enum config_key key;
	struct config_pos pos;
	enum sweep_kind kind;
	uint64_t from, to;                /* SWEEP_RANGE */
	enum sweep_dist dist;             /* SWEEP_RANDOM */
	struct config_value lo, hi;       /* SWEEP_RANDOM: its bounds */
	int n;                            /* values; SWEEP_RANDOM: distinct points */
	struct config_value *values;      /* SWEEP_LIST */
	union sweep_draw *drawn;          /* SWEEP_RANDOM: one per point */
};

/* What a config file and command line declare: a base config and the
 * keys it sweeps, in declaration order (the last varies fastest). */
struct study_store;

struct study {
	struct config base;
	int n_axes;
	struct sweep_axis axes[KEY_COUNT];
	/* what loading kept: parsed trees, libcyaml data, texts */
	struct study_store *store;
};

/* The tutorial's settings; name is left empty. */
void config_defaults(struct config *c);

/* Reads path into study (defaults first, then the file's values). */
int config_load(struct study *s, const char *path, struct err *e);

/* The same from len bytes of YAML already in memory; label names them in
 * errors and must outlive the study. Free the study even on failure. */
int config_load_buffer(struct study *s, const char *label, const char *buf,
		       size_t len, struct err *e);

/* Applies one command-line argument KEY=VALUE (an override, which also
 * ends any sweep of KEY) or KEY=V1,V2,... (a sweep, replacing any sweep
 * of KEY); commas inside [...] do not split. */
int config_apply_arg(struct study *s, const char *arg, struct err *e);

void config_free_study(struct study *s);

/* Sets one key from a value as written; checks it like the file does. */
int config_set(struct config *c, enum config_key key, const struct cval *v,
	       struct err *e);

/* Writes how axis a of s sweeps its key, as study.yaml's sweep says it:
 * [V1, V2, ...] (a grid's values too), {from: A, to: B} or
 * {log_uniform: [A, B]}, each value in its canonical form. */
int config_axis_write(FILE *f, const struct study *s, int a);

/* The value of a whole-number key (one with CONFIG_RANGE). */
uint64_t config_get_uint(const struct config *c, enum config_key key);

/* Every check that involves several keys, in one place, run for every
 * planned run: layers or hidden against the task's widths (hidden then
 * resolves layers), the activation list against the layers, bce against
 * the output activation, the size of the network and of its batch. */
int config_check(struct config *c, struct err *e);

/* The network the config describes (after config_check). */
void config_net_spec(const struct config *c, struct net_spec *spec);

/* The resolved config as YAML, every key of the run (not the study's
 * CONFIG_STUDY keys) with its value, numbers lossless; returns the length, or -1 if it did not fit in max. */
int config_format(const struct config *c, char *buf, size_t max);

/* How many activations the canonical form names: 1 when every hidden
 * layer has the same (`tanh`, `[tanh]` and `[tanh, tanh]` on two hidden
 * layers are one network), else one per hidden layer. */
int config_act_count(const struct config *c);

/* The value of one key as text, as config_format writes it: one
 * canonical form per value, whatever way it was written (`0.10` is
 * `0.1`, `[tanh]` is `tanh`), so equal texts mean equal configs. */
int config_format_value(const struct config *c, enum config_key key,
			char *buf, size_t max);

/* Whether key is written in the resolved config (config.yaml, the run
 * id's text, study.yaml): see CONFIG_OMIT_DEFAULT and omitted. */
int config_key_written(const struct config *c, enum config_key key);

/* Looks a key up by name; -1 when unknown. */
int config_key_from_name(const char *name);

/* The known key nearest to an unknown name, or NULL. */
const char *config_key_suggest(const char *name);

#endif
