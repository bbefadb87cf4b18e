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
check "table_columns_say_solved_epoch" grep -q '^group  *runs  *solved  *solved_epoch_q1  *solved_epoch_median  *solved_epoch_q3  *final_loss_median$' "$dir/table.txt"
checks_done
