#!/usr/bin/env bash
# completion.sh: the bash completion offers options, subcommands, config
# files, KEY= for every key of nnrun's table and the names a key takes.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# The completion runs nnrun itself, as one command: the binary, not the
# test suite's wrapped command line (valgrind ... nnrun).
NNRUN=$ROOT/${BUILD:-build}/nnrun
export NNRUN
# shellcheck source=/dev/null
source "$ROOT/completion/nnrun.bash"
fails=0

# What the completion offers for the command line $1 (the cursor at its
# end; a trailing space starts a new word), sorted, on one line.
offers()
{
	local line=$1
	read -r -a COMP_WORDS <<<"$line"
	[[ $line == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_nnrun
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}

check()
{
	local name=$1 line=$2 want=$3 got
	got=$(offers "$line")
	if [ "$got" = "$want" ]; then
		echo "ok   $name"
	else
		echo "FAIL $name: '$line' offers '$got', want '$want'"
		fails=$((fails + 1))
	fi
}

cd "$ROOT"
check options "nnrun --ind" "--index"
check subcommands "nnrun ver" "verify"
check config_files "nnrun configs/xor" "configs/xor-2-4-1.yaml configs/xor-relu.yaml configs/xor-tanh.yaml configs/xor-two-hidden.yaml configs/xor.yaml"
check keys_from_the_table "nnrun configs/xor.yaml lo" "log_every= loss="
check every_key_of_the_table "nnrun configs/xor.yaml " \
	"$("$NNRUN" --keys | cut -d' ' -f1 | sed 's/$/=/' | sort | tr '\n' ' ' | sed 's/ $//')"
check activation_names "nnrun configs/xor.yaml activation=" "activation=relu activation=sigmoid activation=tanh"
check sweep_value_after_a_comma "nnrun configs/xor.yaml activation=tanh,r" "activation=tanh,relu"
check task_names "nnrun configs/xor.yaml task=n" "task=nand task=nor"
check init_names "nnrun configs/xor.yaml init=x" "init=xavier"
check no_names_for_numbers "nnrun configs/xor.yaml epochs=" ""
check predict_subcommand "nnrun pre" "predict"
check predict_grid_option "nnrun predict --gr" "--grid"
check predict_network_files "nnrun predict configs/xor-ta" "configs/xor-tanh.yaml"
check predict_input_csv "nnrun predict configs/xor.yaml tests/golden/x" "tests/golden/xor.csv"
check compare_subcommand "nnrun compa" "compare"
check compare_study_folder "nnrun compare tests/gol" "tests/golden/"
check compare_key "nnrun compare results/xor activ" "activation"
check compare_baseline_option "nnrun compare results/xor activation --base" "--baseline"
check results_folder "nnrun -o tests/gol" "tests/golden"
[ "$fails" -eq 0 ]
