#!/usr/bin/env bash
# sweep.sh: a study from one config: plan order, -j1 against -j2, resume,
# --force, shards, command-line sweeps, summary and report rebuilt.
set -euo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. tests/lib/check.sh
. tests/lib/results.sh
cat >"$dir/study.yaml" <<'YAML'
name: study
epochs: 300
sweep:
  activation: [sigmoid, tanh]
  layers: [[2, 2, 1], [2, 3, 1]]
  seed: {from: 1, to: 3}
YAML
check "count_is_the_product" test "$($NNRUN --count "$dir/study.yaml")" = 12
$NNRUN -n "$dir/study.yaml" >"$dir/plan.txt"
check "dry_run_prints_one_line_per_run" test "$(wc -l <"$dir/plan.txt")" -eq 12
check "last_key_varies_fastest" test "$(sed -n 2p "$dir/plan.txt" | cut -f3)" = "activation=sigmoid layers=[2, 2, 1] seed=2"
check "first_key_varies_slowest" test "$(sed -n 7p "$dir/plan.txt" | cut -f3)" = "activation=tanh layers=[2, 2, 1] seed=1"
check "dry_run_writes_nothing" test ! -e results/study
check "run_ids_are_distinct" test "$(cut -f2 "$dir/plan.txt" | sort -u | wc -l)" -eq 12

$NNRUN -q -j1 -o "$dir/j1" "$dir/study.yaml"
$NNRUN -q -j2 -o "$dir/j2" "$dir/study.yaml"
check "j1_and_j2_write_identical_results" same_results "$dir/j1/study" "$dir/j2/study"
check "every_run_has_its_folder" test "$(ls -d "$dir"/j1/study/*/ | wc -l)" -eq 12
check "summary_has_a_row_per_run" test "$(wc -l <"$dir/j1/study/summary.csv")" -eq 13
check "summary_header_names_swept_keys" grep -q '^index,run_id,activation,layers,seed,status,' "$dir/j1/study/summary.csv"
check "report_groups_all_but_seed" test "$(wc -l <"$dir/j1/study/report.csv")" -eq 5
check "report_counts_three_seeds_a_group" test "$(python3 -c "import csv, sys; print(*sorted({r['runs'] for r in csv.DictReader(open(sys.argv[1]))}))" "$dir/j1/study/report.csv")" = 3

rm -rf "$dir"/j1/study/2-2-1_tanh_*_s2_* "$dir"/j1/study/2-3-1_sigmoid_*
$NNRUN -j2 -o "$dir/j1" "$dir/study.yaml" >/dev/null 2>"$dir/resume.txt"
check "resume_reruns_only_missing_runs" grep -q '12 runs: 4 done, 8 complete already, 0 diverged, 0 failed' "$dir/resume.txt"
check "resume_restores_identical_results" same_results "$dir/j1/study" "$dir/j2/study"
$NNRUN -j2 --force -o "$dir/j1" "$dir/study.yaml" >/dev/null 2>"$dir/force.txt"
check "force_reruns_everything" grep -q '12 runs: 12 done, 0 complete already' "$dir/force.txt"
check "force_gives_identical_results" same_results "$dir/j1/study" "$dir/j2/study"
check "no_temporaries_left" test -z "$(find "$dir/j1" -name '.tmp-*')"

$NNRUN -q -j2 -o "$dir/j1" "$dir/study.yaml" epochs=301
check "another_config_is_never_reused" test "$(ls -d "$dir"/j1/study/*/ | wc -l)" -eq 24

for i in 0 1 2; do $NNRUN -q -j1 --shard $i/3 -o "$dir/sh" "$dir/study.yaml"; done
check "shards_leave_the_summary_to_report" test ! -e "$dir/sh/study/summary.csv"
check "report_after_shards_exits_0" $NNRUN report -q "$dir/sh/study"
check "three_shards_equal_one_full_sweep" same_results "$dir/sh/study" "$dir/j2/study"
check "summary_from_shards_equals_full" diff <(sed "s/,[^,]*$//" "$dir/sh/study/summary.csv") <(sed "s/,[^,]*$//" "$dir/j2/study/summary.csv")
check "report_from_shards_equals_full" cmp -s "$dir/sh/study/report.csv" "$dir/j2/study/report.csv"

$NNRUN -q --index 5 -o "$dir/one" "$dir/study.yaml"
check "index_runs_one_run" test "$(ls -d "$dir"/one/study/*/ | wc -l)" -eq 1
check "index_runs_the_planned_run" test -d "$dir/one/study/$(sed -n 6p "$dir/plan.txt" | cut -f2)"
check "index_leaves_the_summary_to_report" test ! -e "$dir/one/study/summary.csv"
check "report_of_a_partial_study_exits_1" test "$($NNRUN report -q "$dir/one/study" 2>/dev/null; echo $?)" = 1
check "summary_marks_missing_runs" test "$(grep -c ',missing,' "$dir/one/study/summary.csv")" -eq 11

rm "$dir/j2/study/summary.csv" "$dir/j2/study/report.csv"
$NNRUN report "$dir/j2/study" >"$dir/table.txt"
check "report_rebuilds_summary" diff <(sed "s/,[^,]*$//" "$dir/j2/study/summary.csv") <(sed "s/,[^,]*$//" "$dir/sh/study/summary.csv")
check "report_rebuilds_report" cmp -s "$dir/j2/study/report.csv" "$dir/sh/study/report.csv"
check "report_prints_a_table" test "$(grep -vc "^95% intervals: " "$dir/table.txt")" -eq 5
check "report_table_closes_with_how" test "$(tail -n 1 "$dir/table.txt" | cut -c1-15)" = "95% intervals: "

rm "$dir/j2/study/report.csv"
$NNRUN report -q -o "$dir/j2" "$dir/study.yaml"
check "report_from_the_config_finds_the_study" cmp -s "$dir/j2/study/report.csv" "$dir/sh/study/report.csv"
check "options_may_follow_the_config" test "$($NNRUN "$dir/study.yaml" --count)" = 12
check "command_line_sweep_counts" test "$($NNRUN --count configs/xor.yaml 'layers=[2,2,1],[2,4,1]' seed=1,2,3)" = 6
$NNRUN -n configs/xor.yaml seed=1,2 activation=sigmoid,tanh >"$dir/cli.txt"
check "command_line_sweep_order" test "$(cut -f3 "$dir/cli.txt" | tr '\n' '|')" = "seed=1 activation=sigmoid|seed=1 activation=tanh|seed=2 activation=sigmoid|seed=2 activation=tanh|"
check "command_line_sweep_replaces_file_sweep" test "$($NNRUN --count "$dir/study.yaml" seed=7,8)" = 8
check "override_ends_a_file_sweep" test "$($NNRUN --count "$dir/study.yaml" seed=7)" = 4

$NNRUN -q -o "$dir/div" configs/xor.yaml name=div "layers=[2,8,1]" activation=relu loss=bce learning_rate=1e6,0.1 epochs=50
div=$(sed 1d "$dir/div/div/summary.csv" | grep ',diverged,' | cut -d, -f2)
check "diverged_run_is_a_result_marked_diverged" test -n "$div"
check "diverged_run_stops_at_the_nan" test "$(tail -n1 "$dir/div/div/$div/loss.csv" | cut -d, -f2)" = nan
check "other_runs_go_on" test "$(grep -c ',done,' "$dir/div/div/summary.csv")" -eq 1
$NNRUN -j2 -o "$dir/pg" "$dir/study.yaml" >/dev/null 2>"$dir/progress.txt"
check "progress_is_a_line_per_run_off_a_terminal" test "$(grep -c '^\[[0-9]*/12\] run [0-9]* .* done: loss ' "$dir/progress.txt")" -eq 12
$NNRUN -q -j2 -o "$dir/pq" "$dir/study.yaml" >"$dir/quiet.txt" 2>&1
check "quiet_sweep_prints_nothing" test ! -s "$dir/quiet.txt"
if command -v script >/dev/null; then
	script -qec "$NNRUN -j2 --force -o $dir/pg $dir/study.yaml >/dev/null" "$dir/tty.txt" >/dev/null
	check "progress_on_a_terminal_is_one_live_line" grep -q $'\r12/12 runs, 0 failed, [0-9.]*s elapsed, ETA' "$dir/tty.txt"
fi
checks_done
