#!/usr/bin/env bash
# studies.sh: one folder holds one study: a name is the config file's name
# without .yaml, a second study under a taken name is refused, the same
# study again or with KEY=VALUE arguments adds its runs to the summary.
set -uo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. tests/lib/check.sh
mkdir "$dir/c" "$dir/d"
printf 'epochs: 50\n' >"$dir/c/exp.v1.yaml"
printf 'epochs: 60\n' >"$dir/c/exp.v2.yaml"
$NNRUN -q -o "$dir/r" "$dir/c/exp.v1.yaml"
$NNRUN -q -o "$dir/r" "$dir/c/exp.v2.yaml"
check "dotted_names_are_two_studies" test -d "$dir/r/exp.v1" -a -d "$dir/r/exp.v2"
check "dotted_names_keep_their_own_config" grep -q '^    epochs: 60$' "$dir/r/exp.v2/study.yaml"

printf 'name: same\nepochs: 50\n' >"$dir/c/a.yaml"
printf 'name: same\nepochs: 70\n' >"$dir/d/b.yaml"
$NNRUN -q -o "$dir/r" "$dir/c/a.yaml"
cp "$dir/r/same/study.yaml" "$dir/a-study.yaml"
ls -l --time-style=+%s.%N "$dir/r/same" >"$dir/a-files.txt"
$NNRUN -q -o "$dir/r" "$dir/d/b.yaml" 2>"$dir/err.txt"
rc=$?
check "another_study_under_a_taken_name_exits_2" test $rc = 2
check "the_error_names_both_files" grep -q "$dir/c/a.yaml.*$dir/d/b.yaml\|$dir/d/b.yaml.*$dir/c/a.yaml" "$dir/err.txt"
check "the_error_says_how_to_proceed" grep -q -- '-o DIR.*name=.*--force' "$dir/err.txt"
check "the_refused_study_writes_nothing" test "$(ls "$dir/r/same" | wc -l)" = 5
check "the_refused_study_touches_nothing" cmp -s "$dir/a-files.txt" <(ls -l --time-style=+%s.%N "$dir/r/same")
check "the_refused_study_keeps_study_yaml" cmp -s "$dir/a-study.yaml" "$dir/r/same/study.yaml"

$NNRUN -q -o "$dir/r" "$dir/c/a.yaml"
check "the_same_study_again_is_fine" test $? = 0
check "the_same_study_again_changes_nothing" cmp -s "$dir/a-study.yaml" "$dir/r/same/study.yaml"

printf 'name: same\nepochs: 55\n' >"$dir/c/a.yaml"
$NNRUN -q -o "$dir/r" "$dir/c/a.yaml" 2>"$dir/err2.txt"
check "a_changed_file_is_another_study" test $? = 2
check "a_changed_file_is_named" grep -q "$dir/c/a.yaml" "$dir/err2.txt"

$NNRUN -q --force -o "$dir/r" "$dir/d/b.yaml"
check "force_replaces_the_study" test $? = 0
check "force_records_the_new_file" grep -q "^config_file: \"$dir/d/b.yaml\"$" "$dir/r/same/study.yaml"
check "force_summary_has_only_the_new_runs" test "$(sed 1d "$dir/r/same/summary.csv" | wc -l)" = 1
check "force_summary_holds_the_new_run" grep -q ',done,70,' "$dir/r/same/summary.csv"

# The README's flow: the tutorial, then a seed and an override into its folder.
printf 'epochs: 50\n' >"$dir/c/xor.yaml"
$NNRUN -q -o "$dir/r" "$dir/c/xor.yaml"
$NNRUN -q -o "$dir/r" "$dir/c/xor.yaml" seed=1
check "an_override_adds_to_the_study" test $? = 0
$NNRUN -q -o "$dir/r" "$dir/c/xor.yaml" learning_rate=0.5 activation=tanh seed=2,3
check "a_sweep_adds_to_the_study" test $? = 0
check "the_summary_covers_every_plan" test "$(sed 1d "$dir/r/xor/summary.csv" | grep -c ',done,')" = 4
check "the_summary_names_what_differs" grep -q '^index,run_id,activation,learning_rate,seed,status,' "$dir/r/xor/summary.csv"
check "the_report_groups_what_differs" test "$(cut -d, -f1 "$dir/r/xor/report.csv" | tr '\n' '|')" = "group|activation=sigmoid learning_rate=0.1|activation=tanh learning_rate=0.5|"
check "study_yaml_lists_three_plans" test "$(grep -c '^  - |$' "$dir/r/xor/study.yaml")" = 3
$NNRUN -q -o "$dir/r" "$dir/c/xor.yaml" seed=1
check "a_plan_is_recorded_once" test "$(grep -c '^  - |$' "$dir/r/xor/study.yaml")" = 3
rm "$dir/r/xor/summary.csv"
$NNRUN report -q "$dir/r/xor"
check "report_rebuilds_the_union" test "$(sed 1d "$dir/r/xor/summary.csv" | grep -c ',done,')" = 4
$NNRUN curves -q "$dir/r/xor"
check "curves_cover_the_union" test "$(sed 1d "$dir/r/xor/curves.csv" | cut -d, -f1 | sort -u | wc -l)" = 2

# Two processes recording plans of one study at once: both plans kept.
for round in 1 2 3; do
	$NNRUN -q -o "$dir/p$round" "$dir/c/xor.yaml" seed=5 & a=$!
	$NNRUN -q -o "$dir/p$round" "$dir/c/xor.yaml" seed=6 & b=$!
	wait $a && wait $b
	check "concurrent_plans_both_recorded_$round" test "$(grep -c '^  - |$' "$dir/p$round/xor/study.yaml")" = 2
	$NNRUN report -q "$dir/p$round/xor"
	check "concurrent_plans_both_summarized_$round" test "$(sed 1d "$dir/p$round/xor/summary.csv" | grep -c ',done,')" = 2
done

# A study.yaml from before files and plans were recorded: the same file
# takes it over, another file is refused.
printf 'epochs: 50\n' >"$dir/c/old.yaml"
$NNRUN -q -o "$dir/o" "$dir/c/old.yaml"
{ echo '# nnrun 1.0.0 study: the base config and its sweep, as resolved'
  sed -n '/^config: |$/,/^plans:$/p' "$dir/o/old/study.yaml" | sed '1d;$d;s/^  //'; } >"$dir/legacy.yaml"
cp "$dir/legacy.yaml" "$dir/o/old/study.yaml"
$NNRUN report -q "$dir/o/old"
check "an_older_study_yaml_still_reports" test "$(grep -c ',done,' "$dir/o/old/summary.csv")" = 1
printf 'name: old\nepochs: 40\n' >"$dir/d/other.yaml"
$NNRUN -q -o "$dir/o" "$dir/d/other.yaml" 2>/dev/null
check "an_older_study_yaml_refuses_another_file" test $? = 2
$NNRUN -q -o "$dir/o" "$dir/c/old.yaml" seed=3
check "an_older_study_yaml_is_taken_over" grep -q "^config_file: \"$dir/c/old.yaml\"$" "$dir/o/old/study.yaml"
check "an_older_study_yaml_keeps_its_runs" test "$(grep -c ',done,' "$dir/o/old/summary.csv")" = 2
checks_done
