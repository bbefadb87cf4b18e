#!/usr/bin/env bash
# index.sh: --index and --shard own their runs and nothing else: they check,
# run and write only those (no summary), -n and --count show exactly them,
# `nnrun report` rebuilds the summary and says what is missing, and a
# single or --index run stopped by a signal leaves no partial folder.
set -uo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. tests/lib/check.sh
cat >"$dir/study.yaml" <<'YAML'
name: study
epochs: 50
sweep:
  seed: {from: 1, to: 7}
YAML

check "count_honours_shard" test "$($NNRUN --count --shard 0/3 "$dir/study.yaml")" = 3
check "count_honours_index" test "$($NNRUN --count --index 4 "$dir/study.yaml")" = 1
check "count_of_a_shard_past_the_plan_is_0" test "$($NNRUN --count --shard 8/9 "$dir/study.yaml")" = 0
$NNRUN -n "$dir/study.yaml" >"$dir/all.txt"
$NNRUN -n --shard 0/3 "$dir/study.yaml" >"$dir/shard.txt"
check "dry_run_shows_the_shards_runs" test "$(cut -f1 "$dir/shard.txt" | tr '\n' ' ')" = "0 3 6 "
check "dry_run_shard_lines_are_the_plans" cmp -s "$dir/shard.txt" <(sed -n '1p;4p;7p' "$dir/all.txt")
$NNRUN -n --index 6 "$dir/study.yaml" >"$dir/index.txt"
check "dry_run_shows_the_index_run" cmp -s "$dir/index.txt" <(sed -n 7p "$dir/all.txt")

# Out of range: -n, --count and the real run give the same error, exit 2.
$NNRUN -q -o "$dir/oor" --index 7 "$dir/study.yaml" 2>"$dir/run.err"; rc_run=$?
$NNRUN -n --index 7 "$dir/study.yaml" >"$dir/n.out" 2>"$dir/n.err"; rc_n=$?
$NNRUN --count --index 7 "$dir/study.yaml" >"$dir/c.out" 2>"$dir/c.err"; rc_c=$?
check "index_out_of_range_exits_2" test "$rc_run $rc_n $rc_c" = "2 2 2"
check "dry_run_index_out_of_range_same_error" cmp -s "$dir/run.err" "$dir/n.err"
check "count_index_out_of_range_same_error" cmp -s "$dir/run.err" "$dir/c.err"
check "out_of_range_prints_nothing_on_stdout" test ! -s "$dir/n.out" -a ! -s "$dir/c.out"
check "out_of_range_writes_nothing" test ! -e "$dir/oor"

# A run's own runs only: no summary, no report.
$NNRUN -q --index 1 -o "$dir/r" "$dir/study.yaml"
$NNRUN -q --shard 0/2 -o "$dir/r" "$dir/study.yaml"
check "index_and_shard_run_their_runs" test "$(ls -d "$dir"/r/study/*/ | wc -l)" -eq 5
check "index_and_shard_write_no_summary" test ! -e "$dir/r/study/summary.csv" -a ! -e "$dir/r/study/report.csv"
$NNRUN report -q "$dir/r/study" 2>"$dir/missing.err"; rc=$?
check "report_with_missing_runs_exits_1" test $rc = 1
check "report_says_how_many_are_missing" grep -q "2 planned runs are missing" "$dir/missing.err"
check "report_still_writes_the_summary" test "$(grep -c ',missing,' "$dir/r/study/summary.csv")" = 2
$NNRUN -q --shard 1/2 -o "$dir/r" "$dir/study.yaml"
mkdir "$dir/r/study/.tmp-gone-1-0" && touch "$dir/r/study/.tmp-gone-1-0/loss.csv"
check "report_of_a_whole_study_exits_0" $NNRUN report -q "$dir/r/study"
check "report_removes_stale_temporaries" test ! -e "$dir/r/study/.tmp-gone-1-0"
check "report_has_no_missing_run" test "$(grep -c ',missing,' "$dir/r/study/summary.csv")" = 0

# --index checks only its own run: run 1 is a bad combination, run 0 not.
cat >"$dir/mixed.yaml" <<'YAML'
name: mixed
epochs: 10
activation: [tanh, relu]
sweep:
  layers: [[2, 3, 3, 1], [2, 3, 1]]
YAML
check "index_of_a_good_run_runs" $NNRUN -q --index 0 -o "$dir/m" "$dir/mixed.yaml"
$NNRUN -q --index 1 -o "$dir/m" "$dir/mixed.yaml" 2>"$dir/bad1.err"; rc=$?
check "index_of_a_bad_run_exits_2" test $rc = 2
check "index_of_a_bad_run_says_why" grep -q "activation lists 2 names but layers has 1 hidden layer" "$dir/bad1.err"
$NNRUN -q -o "$dir/m2" "$dir/mixed.yaml" 2>/dev/null; rc=$?
check "whole_study_checks_every_run_first" test $rc = 2 -a ! -e "$dir/m2"

# A stop signal ends a single run or an --index run, removes its partial
# folder, and exits 128 + the signal.
stop_run() {  # SIG OUT ARGS...: starts nnrun, signals it mid-run; prints its status
	local sig=$1 out=$2 pid
	shift 2
	$NNRUN -q -o "$out" "$@" &
	pid=$!
	for _ in $(seq 600); do
		[ -n "$(find "$out" -name '.tmp-*' -type d 2>/dev/null | head -1)" ] && break
		sleep 0.05
	done
	kill -"$sig" "$pid"
	wait "$pid"
	echo $?
}
rc=$(stop_run TERM "$dir/single" configs/xor.yaml epochs=100000000 log_every=1000)
check "single_run_sigterm_exits_143" test "$rc" = 143
check "single_run_sigterm_leaves_no_temporary" test -z "$(find "$dir/single" -name '.tmp-*')"
check "single_run_sigterm_leaves_no_run" test -z "$(find "$dir/single/xor" -mindepth 1 -maxdepth 1 -type d)"
rc=$(stop_run INT "$dir/one" configs/xor.yaml epochs=100000000 log_every=1000 seed=1,2,3 --index 1)
check "index_run_sigint_exits_130" test "$rc" = 130
check "index_run_sigint_leaves_no_temporary" test -z "$(find "$dir/one" -name '.tmp-*')"
checks_done
