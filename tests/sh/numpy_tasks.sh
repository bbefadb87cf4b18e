#!/usr/bin/env bash
# numpy_tasks.sh: nnrun against the tutorial's NumPy code on every kind of
# task (gates, parity-N, encoder-N) over widths and depths, given as layers
# or as hidden: sigmoid and relu bit for bit, tanh within 1e-12. parity-8's
# 256 rows take NumPy's pairwise sums; encoder-N's odd row counts the
# kernels' one-row tail. Data files: a CSV with two targets, one whose
# targets are not 0 or 1 (CRLF, spaces around cells), FANN's .data.
set -euo pipefail
. tests/lib/numpy.sh
epochs=400
# task  layers  activation  output  lr  seed  init  loss  form  [targets]
matrix="
and 2,3,1 sigmoid sigmoid 0.5 1 normal mse layers
nand 2,2,1 relu sigmoid 0.1 42 he mse hidden
xnor 2,4,1 tanh sigmoid 0.3 7 normal mse layers
or 2,2,2,1 sigmoid sigmoid 0.5 3 normal bce hidden
parity-3 3,4,1 sigmoid sigmoid 0.5 1 normal mse layers
parity-4 4,8,1 relu sigmoid 0.1 2 he mse hidden
parity-5 5,6,4,1 tanh sigmoid 0.05 5 xavier mse layers
parity-8 8,16,1 sigmoid sigmoid 0.5 42 normal mse layers
parity-8 8,16,1 relu sigmoid 0.05 9 he mse hidden
parity-6 6,12,1 sigmoid sigmoid 0.3 4 normal bce layers
encoder-3 3,2,3 relu sigmoid 0.2 6 he mse layers
encoder-4 4,2,4 sigmoid sigmoid 1.0 11 normal mse hidden
encoder-8 8,3,8 sigmoid sigmoid 1.0 42 normal mse layers
encoder-8 8,5,8 relu sigmoid 0.3 8 he bce hidden
encoder-9 9,4,9 tanh sigmoid 0.5 13 normal mse layers
encoder-16 16,4,6,16 sigmoid sigmoid 2.0 21 xavier mse layers
tests/fixtures/data/two-targets.csv 3,5,2 sigmoid sigmoid 1.0 3 normal mse hidden 2
tests/fixtures/data/two-targets.csv 3,6,2 relu sigmoid 0.2 4 he bce layers 2
tests/fixtures/data/regression.csv 2,4,1 tanh sigmoid 0.5 5 normal mse hidden
tests/fixtures/data/regression.csv 2,8,1 sigmoid sigmoid 0.5 6 xavier mse layers
tests/fixtures/data/parity3.data 3,4,1 sigmoid sigmoid 0.5 1 normal mse layers
"
n=0 bitwise=0 close=0 bad=0
while read -r task layers act out lr seed init loss form targets; do
	[ -n "$task" ] || continue
	if [ "$form" = hidden ]; then
		inner=${layers#*,}
		shape="hidden=[${inner%,*}]"
	else
		shape="layers=[$layers]"
	fi
	numpy_check "$dir" $((n + 1)) "$task $layers ($form) $act/$out lr=$lr seed=$seed $init $loss" "$act" "$out" \
		--task "$task" --layers "$layers" --learning-rate "$lr" --seed "$seed" \
		--init "$init" --loss "$loss" --epochs $epochs --targets "${targets:-1}" -- \
		task="$task" targets="${targets:-1}" "$shape" activation="$act" output_activation="$out" \
		learning_rate="$lr" seed="$seed" init="$init" loss="$loss" epochs=$epochs
done <<<"$matrix"
echo "numpy task cross-check: $n configs, $bitwise bitwise equal, $close within 1e-12 (tanh), $bad differ"
[ "$n" -ge 21 ] && [ "$bad" -eq 0 ]
