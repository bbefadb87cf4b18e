#!/bin/bash
# diverge.sh: a run whose loss turns NaN stops at that epoch, keeps its loss
# up to there and is marked diverged; the sweep goes on and exits 0.
set -u
NNRUN=${NNRUN:-$(pwd)/build/nnrun}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/d.yaml" <<YAML
name: d
layers: [2, 8, 1]
activation: relu
loss: bce
seed: 42
epochs: 1000
sweep:
  learning_rate: [1000000, 0.1]
YAML
fail=0
$NNRUN -q -o "$tmp/r" "$tmp/d.yaml" 2> "$tmp/err"; rc=$?
[ "$rc" = 0 ] || { echo "FAIL: exit $rc, want 0"; cat "$tmp/err"; fail=1; }
bad=$(ls -d "$tmp"/r/d/*lr1000000.0_*)
good=$(ls -d "$tmp"/r/d/*lr0.1_*)
# NaN at epoch 1: the header, epoch 0 and epoch 1, nothing after.
[ "$(cat "$bad/loss.csv")" = "epoch,loss
0,1.3870885081560393
1,nan" ] || { echo "FAIL: the diverged loss.csv:"; cat "$bad/loss.csv"; fail=1; }
[ "$(sed -n 2p "$bad/metrics.csv" | cut -d, -f1,2,6)" = "2,nan,1" ] ||
	{ echo "FAIL: the diverged metrics.csv:"; cat "$bad/metrics.csv"; fail=1; }
[ "$(wc -l < "$good/loss.csv")" = 1001 ] || { echo "FAIL: the other run stopped too"; fail=1; }
grep -q ',diverged,2,nan,' "$tmp/r/d/summary.csv" && grep -q ',done,1000,' "$tmp/r/d/summary.csv" ||
	{ echo "FAIL: summary.csv:"; cat "$tmp/r/d/summary.csv"; fail=1; }
[ $fail = 0 ] && echo "diverge: stopped at epoch 1, marked diverged, the other run done, exit 0"
exit $fail
