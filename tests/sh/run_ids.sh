#!/usr/bin/env bash
# run_ids.sh: run ids never collide over 10^6-run plans (10^4 under
# NNRUN_TEST_QUICK), and a config written two ways is one run.
set -euo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. tests/lib/check.sh
n=1000000 seeds=33
if [ -n "${NNRUN_TEST_QUICK:-}" ]; then n=10000 seeds=1; fi

# distinct_ids PLAN COUNT: COUNT lines, and no id twice.
distinct_ids() {
	test "$(wc -l <"$1")" -eq "$2" && test -z "$(cut -f2 "$1" | sort | uniq -d | head -3)"
}

$NNRUN -n configs/xor.yaml "epochs={from: 1, to: $n}" >"$dir/epochs.txt"
check "no_duplicate_ids_over_an_epochs_range" distinct_ids "$dir/epochs.txt" "$n"
# Keys that reach only the hash (epochs, log_every, init, loss) mixed
# with those in the readable part.
$NNRUN -n configs/xor.yaml "epochs={from: 1, to: 50}" "log_every={from: 1, to: 10}" \
	init=normal,xavier,he,normal loss=mse,bce learning_rate=0.1,0.5,2,10,0.25 \
	"seed={from: 1, to: $seeds}" 2>"$dir/err.txt" >/dev/null && exit 1
check "a_repeated_sweep_value_is_refused" grep -q 'sweep of init repeats normal (value 4 equals value 1)' "$dir/err.txt"
$NNRUN -n configs/xor.yaml "epochs={from: 1, to: 50}" "log_every={from: 1, to: 10}" \
	init=normal,xavier,he loss=mse,bce learning_rate=0.1,0.5,2,10,0.25 \
	"seed={from: 1, to: $seeds}" 'activation=sigmoid,[tanh]' \
	>"$dir/mixed.txt"
check "no_duplicate_ids_over_a_mixed_sweep" distinct_ids "$dir/mixed.txt" $((50 * 10 * 3 * 2 * 5 * seeds * 2))

check "id_ends_with_16_hex_digits" grep -qE $'^0\t2-2-1_sigmoid_lr0.1_s42_[0-9a-f]{16}\t' "$dir/epochs.txt"

# The hash is XXH64 of config.yaml's lines but the comment and name.
$NNRUN -q -o "$dir/r" configs/xor.yaml epochs=3
run=$(cd "$dir/r/xor" && ls -d */ | tr -d /)
if command -v xxhsum >/dev/null; then
	check "id_hash_is_xxh64_of_the_config_but_name" test "${run##*_}" = \
		"$(grep -v -e '^#' -e '^name:' "$dir/r/xor/$run/config.yaml" | xxhsum -H1 | cut -c1-16)"
else
	echo "skip id_hash_is_xxh64_of_the_config_but_name: no xxhsum (Debian package xxhash)"
fi
$NNRUN -q -o "$dir/r" configs/xor.yaml epochs=3 'activation=[sigmoid]' learning_rate=0.10
check "a_config_written_another_way_is_the_same_run" test "$(cd "$dir/r/xor" && ls -d */ | tr -d /)" = "$run"
checks_done
