#!/usr/bin/env bash
# numpy_crosscheck.sh: nnrun against the tutorial's NumPy code over a matrix of
# configs (every activation, several seeds, depths 1-3, widths 1-8, several
# learning rates): sigmoid and relu bit for bit, tanh within 1e-12.
set -euo pipefail
. tests/lib/numpy.sh
epochs=1500
# layers  activation  output  lr  seed  init  loss
matrix="
2,2,1 sigmoid sigmoid 0.1 42 normal mse
2,2,1 sigmoid sigmoid 0.1 1 normal mse
2,2,1 sigmoid sigmoid 0.5 7 normal mse
2,2,1 sigmoid sigmoid 1.0 0 normal mse
2,2,1 sigmoid sigmoid 0.1 4294967295 normal mse
2,1,1 sigmoid sigmoid 0.3 3 normal mse
2,3,1 sigmoid sigmoid 0.2 11 xavier mse
2,8,1 sigmoid sigmoid 0.1 5 he mse
2,4,4,1 sigmoid sigmoid 0.5 9 normal mse
2,4,3,2,1 sigmoid sigmoid 0.5 13 normal mse
2,2,1 sigmoid sigmoid 0.1 42 normal bce
2,5,1 sigmoid sigmoid 0.3 2 xavier bce
2,2,1 tanh sigmoid 0.1 42 normal mse
2,2,1 tanh sigmoid 0.5 1 normal mse
2,4,1 tanh sigmoid 0.1 7 xavier mse
2,8,1 tanh sigmoid 0.05 99 he mse
2,3,3,1 tanh sigmoid 0.2 4 normal mse
2,6,5,4,1 tanh sigmoid 0.1 8 normal mse
2,4,1 tanh sigmoid 0.3 21 normal bce
2,4,1 tanh tanh 0.1 3 normal mse
2,2,1 relu sigmoid 0.1 42 normal mse
2,2,1 relu sigmoid 0.5 1 normal mse
2,4,1 relu sigmoid 0.1 7 he mse
2,8,1 relu sigmoid 0.2 14 he mse
2,1,1 relu sigmoid 0.1 6 normal mse
2,4,4,1 relu sigmoid 0.1 10 he mse
2,3,5,2,1 relu sigmoid 0.05 12 normal mse
2,8,1 relu sigmoid 1000000 42 normal bce
2,6,1 relu relu 0.01 5 he mse
2,4,4,1 relu,tanh sigmoid 0.1 3 normal mse
2,3,4,2,1 sigmoid,relu,tanh sigmoid 0.2 17 xavier mse
2,7,1 sigmoid sigmoid 2.0 123456 normal mse
"
n=0 bitwise=0 close=0 bad=0
while read -r layers act out lr seed init loss; do
	[ -n "$layers" ] || continue
	numpy_check "$dir" $((n + 1)) "$layers $act/$out lr=$lr seed=$seed $init $loss" "$act" "$out" \
		--layers "$layers" --learning-rate "$lr" --seed "$seed" --init "$init" \
		--loss "$loss" --epochs $epochs -- \
		"layers=[$layers]" "activation=$([[ $act == *,* ]] && echo "[$act]" || echo "$act")" \
		output_activation="$out" learning_rate="$lr" seed="$seed" init="$init" \
		loss="$loss" epochs=$epochs
done <<<"$matrix"
echo "numpy cross-check: $n configs, $bitwise bitwise equal, $close within 1e-12 (tanh), $bad differ"
[ "$n" -ge 30 ] && [ "$bad" -eq 0 ]
