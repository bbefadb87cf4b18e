#!/usr/bin/env bash
# output.sh: what nnrun prints for the user: write errors on stdout, runs
# complete already, the single run's verdict, counts and paths in its lines.
set -uo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. tests/lib/check.sh
printf 'epochs: 50\nsweep:\n  seed: [1, 2]\n' >"$dir/s.yaml"

if [ -w /dev/full ]; then
	$NNRUN --count "$dir/s.yaml" >/dev/full 2>"$dir/err.txt"
	check "count_to_a_full_disk_exits_1" test $? = 1
	check "count_to_a_full_disk_says_so" grep -q 'cannot write the output: No space left on device' "$dir/err.txt"
	$NNRUN -n "$dir/s.yaml" >/dev/full 2>"$dir/err.txt"
	check "dry_run_to_a_full_disk_exits_1" test $? = 1
	$NNRUN -q -o "$dir/r" "$dir/s.yaml"
	$NNRUN report "$dir/r/s" >/dev/full 2>"$dir/err.txt"
	check "report_to_a_full_disk_exits_1" test $? = 1
	check "report_to_a_full_disk_says_so" grep -q 'cannot write the output' "$dir/err.txt"
fi

mkdir -p "$dir/c"
$NNRUN report "$dir/c" 2>"$dir/err.txt"; rc=$?
check "report_on_a_folder_without_study_yaml_exits_2" test $rc = 2
check "report_says_not_a_study_folder" grep -q "^$dir/c: error: not a study folder (no study.yaml)$" "$dir/err.txt"
for opt in -j2 --force -n --count --shard=0/2 --index=1; do
	for cmd in report curves; do
		$NNRUN $cmd $opt "$dir/r/s" >/dev/null 2>"$dir/err.txt"; rc=$?
		check "${cmd}_rejects_${opt%%=*}" test $rc = 2
		check "${cmd}_says_why_${opt%%=*}" grep -q "nnrun $cmd takes only -o and -q, not ${opt%%[=0-9]*}" "$dir/err.txt"
	done
done

printf 'epochs: 50\nsweep:\n  seed: [1, 2, 3]\n' >"$dir/t.yaml"
$NNRUN -o "$dir/slash/" --shard 2/3 "$dir/t.yaml" >/dev/null 2>"$dir/err.txt"
check "one_run_is_singular" grep -q '^1 run: 1 done, ' "$dir/err.txt"
check "a_results_folder_ending_in_slash_joins_once" grep -q "results in $dir/slash/t\$" "$dir/err.txt"

# 1 of 3 solved: report.csv's fraction reads back as 1/3, the table's
# keeps 4 digits, and the table's columns say what they hold.
$NNRUN -q -o "$dir/f" configs/xor.yaml epochs=700 seed=1,2,3 learning_rate=0.5
$NNRUN report "$dir/f/xor" >"$dir/table.txt"
check "solved_fraction_is_lossless" python3 -c "
import csv, sys
row = list(csv.DictReader(open(sys.argv[1])))[0]
sys.exit(float(row['solved_fraction']) != int(row['solved']) / int(row['runs']))" "$dir/f/xor/report.csv"
check "table_fraction_keeps_four_digits" grep -q ' 33.33% ' "$dir/table.txt"
check "table_columns_say_solved_epoch" grep -q '^group  *runs  *solved  *solved_95ci  *solved_epoch_median  *median_95ci  *final_loss_iqm  *iqm_95ci  *diverged$' "$dir/table.txt"
check "table_says_how_intervals_are_made" grep -q '^95% intervals: Wilson score .* percentile bootstrap (2000 resamples, seed 20211206)' "$dir/table.txt"

# The single run's verdict says what happened.
$NNRUN -o "$dir/v" configs/xor.yaml >"$dir/v42.txt"
check "verdict_not_learned_gives_loss_and_predictions" grep -qx 'XOR not learned in 10000 epochs (loss 0.12822604512027114, predictions 0 0 1 1)' "$dir/v42.txt"
$NNRUN -o "$dir/v" configs/xor.yaml seed=1 >"$dir/v1.txt"
check "verdict_learned_gives_the_epoch" grep -qx 'XOR learned at epoch 4779' "$dir/v1.txt"
$NNRUN -o "$dir/v" configs/xor.yaml epochs=1 >"$dir/vcut.txt"
check "verdict_cut_short_says_in_1_epoch" grep -q '^XOR not learned in 1 epoch (loss ' "$dir/vcut.txt"
$NNRUN -o "$dir/v" configs/xor.yaml "layers=[2,8,1]" activation=relu loss=bce learning_rate=1e6 epochs=50 >"$dir/vnan.txt"
check "verdict_diverged_gives_the_epoch" grep -qx 'XOR not learned: diverged at epoch 1 (loss not finite)' "$dir/vnan.txt"
check "verdict_never_claims_a_local_minimum" test -z "$(cat "$dir"/v*.txt | grep -i 'minim')"

# A single run complete already says so and tells its result again.
$NNRUN -o "$dir/v" configs/xor.yaml >"$dir/again.txt" 2>"$dir/again.err"
run=$($NNRUN -n configs/xor.yaml | cut -f2)
check "complete_single_run_says_so" grep -qx "complete already: $dir/v/xor/$run (--force to rerun)" "$dir/again.err"
check "complete_single_run_prints_its_result_again" cmp -s "$dir/v42.txt" "$dir/again.txt"
$NNRUN -o "$dir/v" configs/xor.yaml "layers=[2,8,1]" activation=relu loss=bce learning_rate=1e6 epochs=50 >"$dir/again.txt" 2>/dev/null
check "complete_diverged_run_prints_its_result_again" cmp -s "$dir/vnan.txt" "$dir/again.txt"
$NNRUN report -q "$dir/v/xor"
check "complete_runs_count_in_the_summary" test "$(grep -c ',missing,' "$dir/v/xor/summary.csv")" = 0
$NNRUN -o "$dir/r" "$dir/s.yaml" >/dev/null 2>"$dir/sweep.err"
check "complete_sweep_run_says_so" test "$(grep -c "^\[[12]/2\] run [01] complete already: $dir/r/s/2-2-1_[^ ]* (--force to rerun)$" "$dir/sweep.err")" = 2

# A loss.csv over a gigabyte is announced, not refused.
$NNRUN -n configs/xor.yaml epochs=100000000 >/dev/null 2>"$dir/err.txt"
check "huge_loss_csv_is_not_an_error" test $? = 0
check "huge_loss_csv_warns_with_its_size" grep -q "^nnrun: warning: a run's loss.csv will take about 2.9 GB (100000000 epochs, log_every 1); log_every=100 would keep it to 28.9 MB$" "$dir/err.txt"
$NNRUN -n configs/xor.yaml epochs=100000000 log_every=1000 >/dev/null 2>"$dir/err.txt"
check "loss_csv_logged_sparsely_gives_no_warning" test ! -s "$dir/err.txt"
$NNRUN -n configs/xor.yaml epochs=100 log_every=100,1 epochs=1000,100000000 >/dev/null 2>"$dir/err.txt"
check "a_sweep_warns_for_its_largest_run" grep -q 'about 2.9 GB' "$dir/err.txt"

# ctrl-C in a sweep: a closing line says how far it went.
printf 'epochs: %s\nlog_every: 1000\nsweep:\n  seed: {from: 1, to: 40}\n' \
	"$([ -n "${WRAP:-}" ] && echo 20000 || echo 400000)" >"$dir/long.yaml"
$NNRUN -j2 -o "$dir/int" "$dir/long.yaml" >/dev/null 2>"$dir/int.txt" &
pid=$!
for i in $(seq 600); do
	[ "$(find "$dir/int/long" -maxdepth 1 -name '2-*' 2>/dev/null | head -1)" ] && break
	sleep 0.05
done
kill -INT $pid
wait $pid
check "sigint_exits_130" test $? = 130
check "sigint_closing_line" grep -Eq '^stopped by SIGINT: [0-9]+ of 40 runs done; rerun to finish$' "$dir/int.txt"
n=$(sed -n 's/^stopped by SIGINT: \([0-9]*\) of.*/\1/p' "$dir/int.txt")
check "sigint_counts_the_runs_kept" test "${n:-0}" -ge 1 -a "${n:-0}" -le "$(find "$dir/int/long" -maxdepth 1 -name '2-*' | wc -l)"

# Workers print "redoing ..." while the parent prints a line a run, all to
# one stderr: each line is one write, so none lands inside another.
if command -v strace >/dev/null && [ -z "${WRAP:-}" ]; then
	raw=$(pwd)/${BUILD:-build}/nnrun
	"$raw" -q -j2 -o "$dir/lines" "$dir/s.yaml"
	for r in "$dir"/lines/s/2-*; do rm "$r/loss.csv"; done
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -s 4096 -o "$dir/writes.txt" -e trace=write "$raw" -j2 -o "$dir/lines" "$dir/s.yaml" 2>/dev/null
	check "stderr_lines_are_whole_writes" /usr/bin/python3 - "$dir/writes.txt" <<'PY'
import re, sys
writes = re.findall(r'write\(2, "((?:[^"\\]|\\.)*)"', open(sys.argv[1]).read())
assert sum(w.startswith("redoing ") for w in writes) == 2, writes
assert sum(w.startswith("[") for w in writes) == 2, writes
for w in writes:
    assert w.endswith("\\n") and w.count("\\n") == 1, w
PY
fi
checks_done
