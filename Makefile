# Makefile: builds, tests, runs, benchmarks and installs nnrun.
#
#   make run        build and run the tutorial's experiment (configs/xor.yaml)
#   make test       build and run every test
#   make test-cluster  sweep on a throw-away Slurm cluster and through GNU
#                   parallel, and compare with a local run (installs Slurm)
#   make bench      time nnrun against a minimal C loop, FANN and NumPy, and the
#                   cost of cluster-style runs (a few minutes)
#   make bench-gflops  wide layers' GFLOP/s against the core's measured peak, and
#                   the vector exp against libm
#   make vexp-check the vector exp against libm's on 10^8 random inputs
#   make install    PREFIX=/usr/local DESTDIR= (binary, man page, bash completion)
#   make fuzz       fuzz the config and data file loaders for FUZZ_SECONDS each
#                   (clang, libFuzzer)
#   make fuzz-smoke the committed corpus, then one minute of fuzzing (CI)
#
# Variables: BUILD (output folder), CC, OPT, SAN (e.g. -fsanitize=address,undefined),
# WRAP (a command that prefixes every test program, e.g. valgrind), HOT_OPT
# (added for the epoch loop's files; HOT_OPT= builds them like the rest).

BUILD   ?= build
OPT     ?= -O2
HOT_OPT ?= -O3
SAN     ?=
WRAP    ?=
PREFIX  ?= /usr/local
DESTDIR ?=
VERSION := 1.0.0

# -ffp-contract=off: a fused multiply-add changes the last bits, and the
# loss curves must equal NumPy's bit for bit.
NN_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes $(OPT) -g -ffp-contract=off \
	-DNNRUN_VERSION='"$(VERSION)"' $(SAN) $(CFLAGS)
NN_LDFLAGS = $(SAN) $(LDFLAGS)
# libcyaml and libyaml linked in (Debian ships their .a): two shared
# objects fewer for ld.so to map and relocate at every process start.
NN_LIBS = -Wl,-Bstatic -lcyaml -lyaml -Wl,-Bdynamic -lm
# nnrun itself is linked statically, libc and libm too: no ld.so at all,
# which was most of what a short run's process costs beyond /bin/true.
# Not under a sanitizer or a WRAP such as valgrind, which need the
# shared libc to intercept malloc.
NN_STATIC = $(if $(strip $(SAN)$(WRAP)),,-static)
NNRUN_LIBS = $(if $(NN_STATIC),-lcyaml -lyaml -lm,$(NN_LIBS))

SRCS := $(sort $(wildcard runner/*.c))
OBJS := $(SRCS:runner/%.c=$(BUILD)/obj/%.o)
LIB_OBJS := $(filter-out $(BUILD)/obj/main.o,$(OBJS))
TEST_SRCS := $(sort $(wildcard tests/test_*.c))
TEST_BINS := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
# Programs the shell tests drive (not run on their own).
TEST_TOOLS := $(BUILD)/tests/stats_cli

# Debian packages: what building needs, and what the tests use besides.
DEB_BUILD := libcyaml-dev libyaml-dev libcmocka-dev
DEB_TEST  := python3-numpy python3-yaml python3-scipy python3-torch python3-statsmodels chromium gnuplot-nox parallel xxhash strace time
DEB_BENCH := libfann-dev python3-numpy parallel

.PHONY: all run test test-cluster bench install uninstall clean deps test-deps bench-deps bench-gflops vexp-check \
	fuzz fuzz-smoke fuzz-build

all: $(BUILD)/nnrun

run: $(BUILD)/nnrun
	$(BUILD)/nnrun configs/xor.yaml

$(BUILD)/nnrun: $(OBJS)
	$(CC) $(NN_LDFLAGS) $(NN_STATIC) -o $@ $(OBJS) $(NNRUN_LIBS)

# The epoch loop: -O3 vectorises the layer loops across outputs (gcc's
# -O2 cost model leaves loops of unknown length scalar); 25-30% per epoch
# on wide nets, 5% on 2-2-1. No -ffast-math: sums keep NumPy's order.
$(BUILD)/obj/net.o $(BUILD)/obj/train.o $(BUILD)/obj/kernel.o $(BUILD)/obj/optim.o: NN_CFLAGS += $(HOT_OPT)

$(BUILD)/obj/%.o: runner/%.c | $(BUILD)/.deps-build
	@mkdir -p $(@D)
	$(CC) $(NN_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/%.c $(LIB_OBJS) | $(BUILD)/.deps-build
	@mkdir -p $(@D)
	$(CC) $(NN_CFLAGS) -Irunner -MMD -MP -o $@ $< $(LIB_OBJS) $(NN_LDFLAGS) -lcmocka $(NN_LIBS)

-include $(OBJS:.o=.d) $(TEST_BINS:=.d) $(TEST_TOOLS:=.d)

# Installs what is missing when run as root with apt-get, else says how.
$(BUILD)/.deps-build:
	@sh tests/deps.sh $(DEB_BUILD)
	@mkdir -p $(@D) && touch $@

$(BUILD)/.deps-test:
	@sh tests/deps.sh $(DEB_TEST)
	@mkdir -p $(@D) && touch $@

$(BUILD)/.deps-bench:
	@sh tests/deps.sh $(DEB_BENCH)
	@mkdir -p $(@D) && touch $@

deps: $(BUILD)/.deps-build
test-deps: $(BUILD)/.deps-test
bench-deps: $(BUILD)/.deps-bench

test: $(BUILD)/nnrun $(TEST_BINS) $(TEST_TOOLS) | $(BUILD)/.deps-test
	@BUILD=$(BUILD) WRAP="$(WRAP)" sh tests/run.sh $(TEST_BINS)

test-cluster: $(BUILD)/nnrun
	@sh tests/deps.sh parallel
	@NNRUN="$(WRAP:%=% )$(CURDIR)/$(BUILD)/nnrun" bash tests/cluster/slurm.sh
	@NNRUN="$(WRAP:%=% )$(CURDIR)/$(BUILD)/nnrun" bash tests/cluster/parallel.sh

# The comparison programs are built like nnrun (same flags, so the same
# -ffp-contract=off arithmetic; the minimal loop gets HOT_OPT as nnrun's
# epoch loop does).
BENCH_BINS := $(BUILD)/bench/bench $(BUILD)/bench/minimal $(BUILD)/bench/fann_xor

$(BUILD)/bench/bench: bench/bench.c
	@mkdir -p $(@D)
	$(CC) $(NN_CFLAGS) -o $@ $< $(NN_LDFLAGS) -lm

$(BUILD)/bench/minimal: bench/minimal.c
	@mkdir -p $(@D)
	$(CC) $(NN_CFLAGS) $(HOT_OPT) -o $@ $< $(NN_LDFLAGS) -lm

$(BUILD)/bench/fann_xor: bench/fann_xor.c | $(BUILD)/.deps-bench
	@mkdir -p $(@D)
	$(CC) $(NN_CFLAGS) -o $@ $< $(NN_LDFLAGS) -ldoublefann -lm

# BENCH_DIR: where the benchmark's results trees go. On a disk file
# system right after mass deletions (ext4 skips recently freed inodes),
# creating files costs several times more; BENCH_DIR=/dev/shm (tmpfs)
# leaves nnrun's own costs.
BENCH_DIR ?= $${TMPDIR:-/tmp}

bench: $(BUILD)/nnrun $(BENCH_BINS) | $(BUILD)/.deps-bench
	$(BUILD)/bench/bench $(BUILD) $$(mktemp -d -p $(BENCH_DIR))

# The vector exp against libm's on 10^8 random inputs (make test runs 10^6).
vexp-check: $(BUILD)/tests/test_vexp
	NNRUN_VEXP_COUNT=100000000 $(BUILD)/tests/test_vexp

# Sections 12 and 13 alone: wide layers against the core's peak, vector exp against libm.
bench-gflops: $(BUILD)/nnrun $(BUILD)/bench/bench
	$(BUILD)/bench/bench $(BUILD) $$(mktemp -d -p $(BENCH_DIR)) gflops

# The fuzzer builds in its own folder with clang; new inputs it finds go
# to build/fuzz/corpus, seeded from configs/ and the bad-input corpus.
FUZZ_SECONDS ?= 300
FUZZ_BUILD := build/fuzz
FUZZ_SAN := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_ARGS = -max_len=8192 -timeout=10 -rss_limit_mb=1024 -print_final_stats=1

$(BUILD)/fuzz_config: tests/fuzz/fuzz_config.c $(LIB_OBJS)
	$(CC) $(NN_CFLAGS) -fsanitize=fuzzer -Irunner -o $@ $< $(LIB_OBJS) $(NN_LDFLAGS) $(NN_LIBS)

$(BUILD)/fuzz_data: tests/fuzz/fuzz_data.c $(LIB_OBJS)
	$(CC) $(NN_CFLAGS) -fsanitize=fuzzer -Irunner -o $@ $< $(LIB_OBJS) $(NN_LDFLAGS) $(NN_LIBS)

fuzz-build:
	@sh tests/deps.sh clang libclang-rt-14-dev
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang OPT=-O1 SAN="$(FUZZ_SAN)" $(FUZZ_BUILD)/fuzz_config \
		$(FUZZ_BUILD)/fuzz_data

# The data loader's corpus: the example data and the bad data files.
FUZZ_DATA_CORPUS := tests/bad/data tests/fuzz/data-seeds

fuzz: fuzz-build
	@mkdir -p $(FUZZ_BUILD)/corpus
	$(FUZZ_BUILD)/fuzz_config $(FUZZ_ARGS) -max_total_time=$(FUZZ_SECONDS) \
		$(FUZZ_BUILD)/corpus configs tests/bad tests/fuzz/seeds tests/fuzz/regress
	@mkdir -p $(FUZZ_BUILD)/data-corpus
	$(FUZZ_BUILD)/fuzz_data $(FUZZ_ARGS) -max_total_time=$(FUZZ_SECONDS) \
		$(FUZZ_BUILD)/data-corpus $(FUZZ_DATA_CORPUS)

fuzz-smoke: fuzz-build
	$(FUZZ_BUILD)/fuzz_config $(FUZZ_ARGS) -runs=0 configs tests/bad tests/fuzz/seeds tests/fuzz/regress
	$(FUZZ_BUILD)/fuzz_data $(FUZZ_ARGS) -runs=0 $(FUZZ_DATA_CORPUS)
	@mkdir -p $(FUZZ_BUILD)/corpus $(FUZZ_BUILD)/data-corpus
	$(FUZZ_BUILD)/fuzz_config $(FUZZ_ARGS) -max_total_time=60 \
		$(FUZZ_BUILD)/corpus configs tests/bad tests/fuzz/seeds tests/fuzz/regress
	$(FUZZ_BUILD)/fuzz_data $(FUZZ_ARGS) -max_total_time=30 \
		$(FUZZ_BUILD)/data-corpus $(FUZZ_DATA_CORPUS)

install: $(BUILD)/nnrun
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/nnrun $(DESTDIR)$(PREFIX)/bin/nnrun
	install -m 644 nnrun.1 $(DESTDIR)$(PREFIX)/share/man/man1/nnrun.1
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 644 completion/nnrun.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/nnrun

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/nnrun $(DESTDIR)$(PREFIX)/share/man/man1/nnrun.1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/nnrun

clean:
	rm -rf $(BUILD)
