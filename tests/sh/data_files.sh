#!/usr/bin/env bash
# data_files.sh: a task read from a CSV or .data file: where its path is
# read from, its checksum in the run's identity, and reproducing a run
# whose data changed.
set -euo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. tests/lib/check.sh
root=$PWD

mkdir -p "$dir/study" "$dir/elsewhere"
cp configs/majority.csv "$dir/study/maj.csv"
printf 'task: maj.csv\nhidden: [3]\nepochs: 50\nlearning_rate: 2\n' > "$dir/study/maj.yaml"

# run ID_FILE ARGS...: runs nnrun from $dir/elsewhere; the one run's folder.
run() {
	local out=$1
	shift
	(cd "$dir/elsewhere" && $NNRUN -q -o "$dir/r" "$@")
	(cd "$dir/r/maj" && ls -d */ | tr -d / | sort) > "$out"
}

run "$dir/ids1" ../study/maj.yaml
id=$(cat "$dir/ids1")
check "the_path_is_relative_to_the_config_files_folder" test -f "$dir/r/maj/$id/loss.csv"
check "config_yaml_records_the_absolute_path" grep -qx "task: $dir/study/maj.csv" "$dir/r/maj/$id/config.yaml"
check "config_yaml_records_the_files_xxh64" grep -qx "data_xxh64: $(xxhsum -H1 < "$dir/study/maj.csv" | cut -c1-16)" \
	"$dir/r/maj/$id/config.yaml"
check "the_id_is_xxh64_of_the_config_with_the_checksum" test "${id##*_}" = \
	"$(grep -v -e '^#' -e '^name:' "$dir/r/maj/$id/config.yaml" | xxhsum -H1 | cut -c1-16)"

# The command line's path is relative to the current folder.
(cd "$dir/study" && $NNRUN -q -o "$dir/r" maj.yaml task=maj.csv)
check "a_command_line_path_from_the_current_folder_is_the_same_run" \
	test "$(cd "$dir/r/maj" && ls -d */ | tr -d /)" = "$id"
(cd "$dir/elsewhere" && $NNRUN -q -o "$dir/r" ../study/maj.yaml task=maj.csv) 2> "$dir/err" && exit 1
check "a_command_line_path_is_not_relative_to_the_config" grep -qx \
	"nnrun: error: task=maj.csv: cannot open data file 'maj.csv': No such file or directory" "$dir/err"

# Reproducing the run from its config.yaml gives the same bytes.
$NNRUN -q -o "$dir/again" "$dir/r/maj/$id/config.yaml"
check "config_yaml_reproduces_the_run" cmp -s "$dir/r/maj/$id/loss.csv" "$dir/again/maj/$id/loss.csv"

# Edited data: a new plan with a new run, the old run kept, no conflict.
old_sum=$(xxhsum -H1 < "$dir/study/maj.csv" | cut -c1-16)
sed -i '$s/1$/0.5/' "$dir/study/maj.csv"
new_sum=$(xxhsum -H1 < "$dir/study/maj.csv" | cut -c1-16)
run "$dir/ids2" ../study/maj.yaml
check "edited_data_is_a_new_run_beside_the_old" test "$(wc -l < "$dir/ids2")" = 2
check "the_old_run_is_kept" grep -qx "$id" "$dir/ids2"

# Reproducing the old run is an error naming the file and both checksums.
rc=0
$NNRUN -q -o "$dir/third" "$dir/r/maj/$id/config.yaml" 2> "$dir/err" || rc=$?
check "reproducing_a_run_whose_data_changed_exits_2" test "$rc" = 2
check "the_error_names_the_file_and_both_checksums" grep -qx \
	"$dir/r/maj/$id/config.yaml:13:13: error: data file $dir/study/maj.csv has changed: its XXH64 is $new_sum, the run was made with $old_sum" \
	"$dir/err"
check "nothing_is_written" test ! -e "$dir/third"

# FANN's .data file of XOR trains as the built-in xor does, bit for bit.
printf '4 2 1\n0 0\n0\n0 1\n1\n1 0\n1\n1 1\n0\n' > "$dir/study/xor.data"
printf 'epochs: 300\nlearning_rate: 1\n' > "$dir/study/x.yaml"
$NNRUN -q -o "$dir/x" "$dir/study/x.yaml"
$NNRUN -q -o "$dir/x" "$dir/study/x.yaml" task="$dir/study/xor.data"
check "fann_xor_data_trains_as_the_builtin_xor" test "$(md5sum "$dir"/x/x/*/loss.csv | cut -d' ' -f1 | uniq | wc -l)" = 1
check "and_is_another_run" test "$(ls -d "$dir"/x/x/*/ | wc -l)" = 2
# Targets not all 0 or 1: no row is right or wrong, the loss judges.
$NNRUN -o "$dir/n" "$dir/study/x.yaml" task="$root/tests/fixtures/data/regression.csv" \
	'hidden=[4]' > "$dir/out"
m=$(ls "$dir"/n/x/*/metrics.csv)
check "metrics_say_n/a_for_correct_and_solved" \
	grep -qE '^300,[^,]+,n/a,13,n/a,0,[^,]+,n/a,n/a,n/a,n/a,epochs$' "$m"
check "summary_says_n/a_with_the_rows" \
	grep -qE ',done,300,[^,]+,n/a,13,n/a,n/a,0,epochs,[^,]+$' "$dir/n/x/summary.csv"
check "report_says_n/a_for_the_solved_figures" \
	grep -qE '^all,1,n/a,n/a,n/a,n/a,n/a,n/a,n/a,n/a,n/a,[0-9]' "$dir/n/x/report.csv"
check "the_page_says_n/a_for_the_solved_figures" \
	grep -q '<td data-col="solved" data-v="">n/a</td><td data-col="solved_fraction" data-v="">n/a</td><td data-col="solved_epoch_median" data-v="">n/a</td>' \
	"$dir/n/x/report.html"
check "the_verdict_is_the_loss" grep -q 'regression.csv trained for 300 epochs: loss [0-9.e-]* (targets not all 0 or 1' "$dir/out"

# Binary targets: correct and rows beside it, in metrics and summary.
check "binary_metrics_count_rows_and_correct" grep -qE '^300,[^,]+,[0-9]+,4,-?[0-9]+,0,' "$dir"/x/x/*/metrics.csv
check "summary_has_rows_beside_correct" grep -q '^index,run_id,task,status,epochs_run,final_loss,correct,rows,accuracy,solved_epoch,diverged,stop_reason,seconds$' \
	"$dir/x/x/summary.csv"
# At most 64 data files in one study.
mkdir "$dir/many"
for i in $(seq 65); do printf 'a,y\n%d,1\n' "$i" > "$dir/many/f$i.csv"; done
list=$(seq -s, 64 | sed 's/[0-9][0-9]*/f&.csv/g')
(cd "$dir/many" && $NNRUN -n "$dir/study/x.yaml" "task=$list" 'hidden=[2]' > "$dir/out")
check "64_data_files_are_allowed" test "$(wc -l < "$dir/out")" = 64
rc=0
(cd "$dir/many" && $NNRUN -n "$dir/study/x.yaml" "task=$list,f65.csv" 'hidden=[2]' 2> "$dir/err") || rc=$?
check "a_65th_data_file_is_refused" grep -qx "f65.csv: error: more than 64 data files in one study" "$dir/err"
check "and_exits_2" test "$rc" = 2
cd "$root"
checks_done
