#!/usr/bin/env bash
# torch_check.sh: nnrun against PyTorch (tests/torch_reference.py: float64,
# autograd, torch.optim), an implementation written apart from nnrun's and
# the NumPy reference's formulas: every optimizer x batch mode (full,
# online, shuffled and ordered mini-batches), every epoch's loss within
# 1e-12. Installs python3-torch when missing; skips only when it cannot.
set -euo pipefail
if [ -n "${NNRUN_TEST_QUICK:-}" ]; then
	echo "skipped: NNRUN_TEST_QUICK is set (the plain test run covers it)"
	exit 77
fi
if ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
	sh tests/deps.sh python3-torch >&2 || true
	if ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
		echo "skipped: python3-torch cannot be installed"
		exit 77
	fi
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# task layers activation loss lr seed optimizer batch_size shuffle epochs [weight_decay]
matrix="
xor 2,2,1 sigmoid mse 0.5 1 sgd full true 400
xor 2,2,1 sigmoid mse 0.1 42 momentum full true 400
xor 2,3,1 relu mse 0.05 7 nesterov full true 400
xor 2,2,1 sigmoid mse 0.05 3 adam full true 400
xor 2,4,1 tanh mse 0.01 5 rprop full true 400
xor 2,2,1 sigmoid mse 0.5 2 sgd 1 true 200
xor 2,3,1 sigmoid mse 0.1 4 momentum 1 true 200
xor 2,2,1 relu mse 0.05 6 nesterov 1 false 200
xor 2,4,1 sigmoid mse 0.02 8 adam 1 true 200
xor 2,2,1 sigmoid mse 0.01 9 rprop 1 true 200
xor 2,2,1 tanh mse 0.3 10 sgd 3 true 200
xor 2,3,1 relu mse 0.1 11 momentum 2 false 200
xor 2,2,1 sigmoid mse 0.1 12 nesterov 3 true 200
xor 2,2,1 tanh mse 0.05 13 adam 2 false 200
xor 2,3,1 relu mse 0.02 14 rprop 3 true 200
parity-3 3,4,1 sigmoid mse 0.5 1 sgd 3 true 300
parity-3 3,4,1 sigmoid bce 0.1 2 momentum full true 300
parity-3 3,6,4,1 relu mse 0.05 3 nesterov 2 true 300
parity-3 3,4,1 sigmoid bce 0.05 4 adam 1 true 300
parity-3 3,4,1 tanh mse 0.01 5 rprop 5 true 300
encoder-4 4,2,4 sigmoid mse 1.0 11 sgd full true 300
encoder-4 4,2,4 sigmoid mse 0.05 14 adam 3 true 300
encoder-4 4,3,4 sigmoid bce 0.05 15 rprop 1 false 300
xor 2,2,1 sigmoid mse 0.1 30 sgd full true 300 0.01
xor 2,3,1 sigmoid mse 0.1 31 momentum 2 true 300 0.001
xor 2,2,1 sigmoid mse 0.05 33 adam 1 true 300 0.01
"
n=0 ok=0 bad=0 worst=0
while read -r task layers act loss lr seed opt bs shuffle epochs wd; do
	[ -n "$task" ] || continue
	n=$((n + 1))
	$NNRUN -q -j1 -o "$dir/r$n" configs/xor.yaml name=c$n task="$task" "layers=[$layers]" \
		activation="$act" loss="$loss" learning_rate="$lr" seed="$seed" optimizer="$opt" \
		batch_size="$bs" shuffle="$shuffle" epochs="$epochs" weight_decay="${wd:-0}"
	/usr/bin/python3 tests/torch_reference.py --task "$task" --layers "$layers" \
		--activation "$act" --loss "$loss" --learning-rate "$lr" --seed "$seed" \
		--optimizer "$opt" --batch-size "$bs" --shuffle "$shuffle" --epochs "$epochs" \
		--weight-decay "${wd:-0}" -o "$dir/t$n.csv"
	if verdict=$(/usr/bin/python3 tests/compare_loss.py "$dir"/r$n/c$n/*/loss.csv "$dir/t$n.csv" 1e-12); then
		ok=$((ok + 1))
	else
		bad=$((bad + 1))
	fi
	case $verdict in
	bitwise) ;;
	*"max diff "*) d=${verdict##*max diff }; d=${d%)*}
		worst=$(/usr/bin/python3 -c "print(max($worst, float('$d')))") ;;
	esac
	echo "$task $layers $act $loss $opt lr=$lr seed=$seed batch=$bs shuffle=$shuffle ${wd:+wd=$wd}: $verdict"
done <<<"$matrix"
echo "torch cross-check: $n configs, $ok within 1e-12 (largest difference $worst), $bad differ"
[ "$n" -ge 20 ] && [ "$bad" -eq 0 ]
