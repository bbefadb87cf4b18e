#!/usr/bin/env bash
# numpy_optim.sh: nnrun's optimizers, batch modes and stop rules against
# scripts/numpy_reference.py: every optimizer x batch mode (full, online,
# shuffled and ordered mini-batches) x stop rule (none, stop_loss,
# stop_solved, patience), on gates, parity-N and encoder-N, 1 and 2
# hidden layers, weight decay; the loss of every epoch bit for bit (tanh
# within 1e-12) and the same stop reason.
set -euo pipefail
. tests/lib/numpy.sh
# task layers activation lr seed optimizer batch_size shuffle stop epochs [extra key=value]
matrix="
xor 2,2,1 sigmoid 0.5 1 sgd full true none 300
xor 2,2,1 sigmoid 0.1 42 momentum full true none 300
xor 2,3,1 relu 0.05 7 nesterov full true none 300
xor 2,2,1 sigmoid 0.05 3 adam full true none 300
xor 2,4,1 tanh 0.01 5 rprop full true none 300
xor 2,2,1 sigmoid 0.5 2 sgd 1 true none 200
xor 2,3,1 sigmoid 0.1 4 momentum 1 true none 200
xor 2,2,1 relu 0.05 6 nesterov 1 false none 200
xor 2,4,1 sigmoid 0.02 8 adam 1 true none 200
xor 2,2,1 sigmoid 0.01 9 rprop 1 true none 200
xor 2,2,1 tanh 0.3 10 sgd 3 true none 200
xor 2,3,1 relu 0.1 11 momentum 2 false none 200
xor 2,2,1 sigmoid 0.1 12 nesterov 3 true none 200
xor 2,2,1 tanh 0.05 13 adam 2 false none 200
xor 2,3,1 relu 0.02 14 rprop 3 true none 200
parity-3 3,4,1 sigmoid 0.5 1 sgd 3 true loss=0.2 2000
parity-3 3,4,1 sigmoid 0.1 2 momentum full true solved 3000
parity-3 3,6,1 relu 0.05 3 nesterov 2 true plateau=10/1e-4 2000
parity-3 3,4,1 sigmoid 0.05 4 adam 1 true solved 2000
parity-3 3,4,1 tanh 0.01 5 rprop 5 true loss=0.05 2000
parity-3 3,4,4,1 sigmoid 0.1 6 adam full true plateau=5/0 2000
encoder-4 4,2,4 sigmoid 1.0 11 sgd full true solved 3000
encoder-4 4,2,4 sigmoid 0.5 12 momentum 1 true loss=0.1 2000
encoder-4 4,3,4 relu 0.1 13 nesterov 2 false plateau=20/1e-5 2000
encoder-4 4,2,4 sigmoid 0.05 14 adam 3 true solved 2000
encoder-4 4,2,4 sigmoid 0.05 15 rprop 1 false loss=0.02 2000
encoder-8 8,3,8 sigmoid 0.02 16 adam 3 true none 150
encoder-8 8,3,8 relu 0.02 17 rprop full true solved 1000
and 2,2,1 sigmoid 0.5 21 sgd 1 true solved 2000
or 2,3,1 relu 0.1 22 momentum full true loss=0.02 2000
nand 2,2,2,1 sigmoid 0.1 23 nesterov 1 true solved 2000
xnor 2,3,1 tanh 0.05 24 adam 2 true loss=0.01 2000
nor 2,2,1 sigmoid 0.02 25 rprop 3 false plateau=3/1e-3 2000
xor 2,2,1 sigmoid 0.05 26 adam full true solved 3000
xor 2,2,1 sigmoid 0.05 27 rprop full true solved 3000
xor 2,3,1 sigmoid 0.5 28 momentum 2 true plateau=15/1e-6 3000
xor 2,2,1 relu 0.1 29 adam 1 true patience=50/0 3000
xor 2,2,1 sigmoid 0.1 30 sgd full true none 200 weight_decay=0.01
xor 2,3,1 sigmoid 0.1 31 momentum 2 true none 200 weight_decay=0.001
xor 2,2,1 relu 0.1 32 nesterov full true none 200 weight_decay=0.1
xor 2,2,1 sigmoid 0.05 33 adam 1 true none 200 weight_decay=0.01
xor 2,2,1 sigmoid 0.05 34 adam full true none 200 beta1=0.5
xor 2,2,1 sigmoid 0.05 35 adam 3 true none 200 beta2=0.9
xor 2,2,1 sigmoid 0.05 36 adam full true none 200 eps=0.001
xor 2,2,1 sigmoid 0.05 37 momentum full true none 200 momentum=0.5
xor 2,2,1 sigmoid 0.05 38 rprop 2 true none 200 etaminus=0.3
xor 2,2,1 sigmoid 0.05 39 rprop full true none 200 etaplus=1.5
xor 2,2,1 sigmoid 0.5 40 rprop full true none 200 step_max=0.6
xor 2,2,1 sigmoid 0.05 41 rprop 1 true none 200 step_min=0.01
xor 2,2,1 sigmoid 1e6 42 adam full true none 100 loss=bce
"
n=0 bitwise=0 close=0 bad=0 reasons=0
declare -A seen
while read -r task layers act lr seed opt bs shuffle stop epochs extra; do
	[ -n "$task" ] || continue
	ref=(--task "$task" --layers "$layers" --learning-rate "$lr" --seed "$seed"
	     --optimizer "$opt" --batch-size "$bs" --shuffle "$shuffle" --epochs "$epochs")
	args=(task="$task" "layers=[$layers]" activation="$act" learning_rate="$lr" seed="$seed"
	      optimizer="$opt" batch_size="$bs" shuffle="$shuffle" epochs="$epochs")
	case $stop in
	loss=*) ref+=(--stop-loss "${stop#loss=}"); args+=(stop_loss="${stop#loss=}") ;;
	solved) ref+=(--stop-solved true); args+=(stop_solved=true) ;;
	plateau=*|patience=*)
		p=${stop#*=}
		ref+=(--patience "${p%/*}" --min-delta "${p#*/}")
		args+=(patience="${p%/*}" min_delta="${p#*/}") ;;
	esac
	if [ -n "${extra:-}" ]; then
		key=${extra%%=*}
		ref+=("--${key//_/-}" "${extra#*=}")
		args+=("$extra")
	fi
	i=$((n + 1))
	numpy_check "$dir" $i "$task $layers $act $opt lr=$lr seed=$seed batch=$bs shuffle=$shuffle stop=$stop ${extra:-}" \
		"$act" sigmoid "${ref[@]}" --reason "$dir/why$i" -- "${args[@]}"
	want=$(cat "$dir/why$i")
	got=$(tail -1 "$dir"/r$i/c$i/*/metrics.csv | awk -F, '{print $NF}')
	if [ "$want" = "$got" ]; then
		reasons=$((reasons + 1))
	else
		echo "  stop reason $got, numpy says $want"
		bad=$((bad + 1))
	fi
	seen[$opt/$bs/$stop]=1
	seen[reason/$got]=1
done <<<"$matrix"
echo "numpy optimizer cross-check: $n configs, $bitwise bitwise equal, $close within 1e-12 (tanh), $bad differ; stop reasons $reasons equal"
for o in sgd momentum nesterov adam rprop; do
	[ -n "${seen[$o/full/none]:-}${seen[$o/full/solved]:-}${seen[$o/full/loss=0.02]:-}" ] ||
		{ echo "no full-batch config for $o"; bad=$((bad + 1)); }
done
for r in epochs loss solved plateau diverged; do
	[ -n "${seen[reason/$r]:-}" ] || { echo "no config stops for $r"; bad=$((bad + 1)); }
done
[ "$n" -ge 40 ] && [ "$bad" -eq 0 ]
