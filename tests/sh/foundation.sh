#!/usr/bin/env bash
# foundation.sh: one experiment end to end: the tutorial's loss curve, its
# resolved config rerunning it byte for byte, overrides, output and ids.
set -euo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. tests/lib/check.sh

$NNRUN -o "$dir/a" configs/xor.yaml >"$dir/out.txt"
run=$(basename "$(ls -d "$dir"/a/xor/*/)")
check "tutorial_seed42_loss_csv_equals_numpy_golden" cmp -s "$dir/a/xor/$run/loss.csv" tests/golden/xor.csv
check "run_id_is_readable" test "${run%_*}" = "2-2-1_sigmoid_lr0.1_s42"
check "prints_ten_loss_lines" test "$(grep -c '^epoch ' "$dir/out.txt")" -eq 10
check "prints_tutorial_first_loss" grep -q '^epoch 0, loss 0.2558299419444368$' "$dir/out.txt"
check "says_seed42_is_stuck" grep -q 'XOR not learned' "$dir/out.txt"
check "config_yaml_has_every_key" test "$(grep -c '^[a-z_]*: ' "$dir/a/xor/$run/config.yaml")" -eq 10

$NNRUN -q -o "$dir/b" "$dir/a/xor/$run/config.yaml" >"$dir/quiet.txt" 2>&1
check "resolved_config_reruns_byte_for_byte" cmp -s "$dir/a/xor/$run/loss.csv" "$dir/b/xor/$run/loss.csv"
check "resolved_config_is_a_fixed_point" cmp -s "$dir/a/xor/$run/config.yaml" "$dir/b/xor/$run/config.yaml"
check "quiet_prints_nothing" test ! -s "$dir/quiet.txt"

$NNRUN -o "$dir/c" configs/xor.yaml seed=1 >"$dir/seed1.txt"
check "seed1_learns_xor" grep -q '^XOR learned' "$dir/seed1.txt"
check "seed1_metrics_four_right" grep -q '^10000,[^,]*,4,' "$dir"/c/xor/*_s1_*/metrics.csv

$NNRUN -q -o "$dir/d" configs/xor.yaml learning_rate=0.5 activation=tanh "layers=[2,4,1]"
cfg=$(ls "$dir"/d/xor/*/config.yaml)
check "overrides_reach_the_resolved_config" grep -qx 'learning_rate: 0.5' "$cfg"
check "override_activation" grep -qx 'activation: tanh' "$cfg"
check "override_layers" grep -qx 'layers: \[2, 4, 1\]' "$cfg"
check "override_changes_the_run_id" test "$(basename "$(dirname "$cfg")")" != "$run"

$NNRUN -q -o "$dir/e" configs/xor.yaml epochs=25 log_every=10
check "log_every_keeps_every_nth_and_the_last" test "$(cut -d, -f1 "$dir"/e/xor/*/loss.csv | tr '\n' ' ')" = "epoch 0 10 20 24 "

set +e
$NNRUN -o "$dir/f" configs/xor.yaml epochs=1e3 2>"$dir/err.txt"; rc=$?
set -e
check "bad_override_exits_2" test $rc -eq 2
check "bad_override_message" grep -qx "nnrun: error: epochs=1e3: epochs must be a whole number in decimal digits, got '1e3'" "$dir/err.txt"
check "bad_override_writes_nothing" test ! -e "$dir/f"

printf 'name: t\nepochs: 10\nlearning_rate: 0.1x\n' >"$dir/bad.yaml"
set +e
$NNRUN -o "$dir/g" "$dir/bad.yaml" 2>"$dir/err.txt"; rc=$?
set -e
check "bad_file_value_exits_2_with_position" test $rc -eq 2
check "bad_file_value_message" grep -qx "$dir/bad.yaml:3:16: error: learning_rate must be a decimal number, got '0.1x'" "$dir/err.txt"
check "bad_file_writes_nothing" test ! -e "$dir/g"

many=$(for i in $(seq 63); do echo -n "seed=$i "; done)
check "sixty_three_arguments_are_accepted" test "$($NNRUN --count configs/xor.yaml $many)" = 1
set +e
$NNRUN --count configs/xor.yaml $many seed=64 2>"$dir/err.txt"; rc=$?
set -e
check "sixty_four_arguments_are_refused" test $rc -eq 2
check "argument_limit_message" grep -qx "nnrun: error: more than 63 KEY=VALUE arguments" "$dir/err.txt"

$NNRUN --help >"$dir/help.txt"
for key in name layers activation output_activation learning_rate epochs seed init loss log_every sweep; do
	check "help_lists_$key" grep -q "^  $key " "$dir/help.txt"
done
check "version" grep -qx "nnrun [0-9.]*" <($NNRUN --version)
checks_done
