#!/usr/bin/env bash
# grids.sh: a float grid {from, to, count, scale} sweeps the values that
# np.linspace and np.geomspace give (NumPy with its AVX-512 kernels off, as
# scripts/numpy_reference.py runs it), from the file as from the command
# line, and a bad grid is one positioned error.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NNRUN=${NNRUN:-$ROOT/build/nnrun}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fails=0
say() { if [ "$1" = ok ]; then echo "ok   $2"; else echo "FAIL $2: $3"; fails=$((fails + 1)); fi; }

numpy_values() # FROM TO COUNT SCALE: one value a line, as Python's repr
{
	NPY_DISABLE_CPU_FEATURES="AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL AVX512_SPR" \
		/usr/bin/python3 -W ignore -c '
import sys, numpy as np
a, b, n, scale = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
f = np.geomspace if scale == "log" else np.linspace
print("\n".join(repr(float(x)) for x in f(a, b, n)))' "$@"
}

grids="
0.001 10 9 log
0.0001 3 7 log
1e-5 0.5 25 log
0.1 1 7 linear
0.01 2.5 11 linear
0.3 0.7 1 linear
"
while read -r a b n scale; do
	[ -n "$a" ] || continue
	want=$(numpy_values "$a" "$b" "$n" "$scale")
	got=$($NNRUN -n -o "$dir/r" "$ROOT/configs/xor.yaml" \
		"learning_rate={from: $a, to: $b, count: $n, scale: $scale}" | cut -f3 | sed 's/^learning_rate=//')
	if [ "$got" = "$want" ]; then say ok "grid_${scale}_${a}_${b}_${n}_equals_numpy"
	else say fail "grid_${scale}_${a}_${b}_${n}_equals_numpy" "$(echo $got) against $(echo $want)"; fi
done <<<"$grids"

printf 'name: g\nsweep:\n  learning_rate: {from: 0.001, to: 10, count: 9, scale: log}\n  seed: [1, 2]\n' >"$dir/g.yaml"
file=$($NNRUN -n -o "$dir/r" "$dir/g.yaml" | cut -f2)
cli=$($NNRUN -n -o "$dir/r" "$ROOT/configs/xor.yaml" name=g \
	'learning_rate={from: 0.001, to: 10, count: 9, scale: log}' seed=1,2 | cut -f2)
[ "$file" = "$cli" ] && [ "$(echo "$file" | wc -l)" -eq 18 ] &&
	say ok grid_from_the_file_is_the_grid_from_the_command_line ||
	say fail grid_from_the_file_is_the_grid_from_the_command_line "$file / $cli"

bad() # NAME GRID-LINE WANT
{
	printf 'sweep:\n  %s\n' "$2" >"$dir/b.yaml"
	if got=$($NNRUN -n -o "$dir/r" "$dir/b.yaml" 2>&1); then
		say fail "$1" "exit 0"
	elif [ "$got" = "$dir/b.yaml:$3" ]; then
		say ok "$1"
	else
		say fail "$1" "$got"
	fi
}
bad grid_count_0_is_refused 'learning_rate: {from: 0.1, to: 1, count: 0}' \
	"2:44: error: count must be a whole number from 1 to 100000"
bad grid_scale_must_be_linear_or_log 'learning_rate: {from: 0.1, to: 1, count: 3, scale: ln}' \
	"2:54: error: scale must be linear or log"
bad grid_of_a_whole_number_key_is_refused 'seed: {from: 1, to: 5, count: 3}' \
	"2:9: error: a grid {from, to, count} sweeps only a number key like learning_rate, not seed"
bad grid_endpoint_is_checked 'learning_rate: {from: 0, to: 1, count: 3}' \
	"2:25: error: learning_rate must be a finite number > 0, got '0'"
bad grid_of_one_value_repeated_is_refused 'learning_rate: {from: 0.5, to: 0.5, count: 3}' \
	"2:18: error: a grid from 0.5 to the same value repeats it 3 times"
[ "$fails" -eq 0 ]
