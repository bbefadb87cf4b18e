#!/bin/bash
# kill9.sh: a sweep killed with SIGKILL at 20 random moments, then rerun,
# ends byte-identical to a sweep never interrupted, with no stray files.
set -u
. tests/lib/results.sh
NNRUN=${NNRUN:-$(pwd)/build/nnrun}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# About a second of training natively; valgrind is some 50 times slower.
epochs=$([ -n "${WRAP:-}" ] && echo 4000 || echo 100000)
cat > "$tmp/k.yaml" <<YAML
name: k
epochs: $epochs
log_every: 7
sweep:
  seed: {from: 1, to: 24}
  activation: [sigmoid, tanh]
YAML

start=$(now_ms)
$NNRUN -q -j2 -o "$tmp/ref" "$tmp/k.yaml" || { echo "FAIL: the uninterrupted sweep exited $?"; exit 1; }
span=$(($(now_ms) - start))
echo "uninterrupted sweep: $span ms"

kills=0
for i in $(seq 20); do
	$NNRUN -q -j2 -o "$tmp/got" "$tmp/k.yaml" &
	pid=$!
	# Spread the kills over the sweep: each attempt resumes the last.
	delay=$((RANDOM % (span / 8 + 1)))
	sleep "$(printf '0.%03d' $((delay % 1000)))" 2>/dev/null || sleep 0
	[ "$delay" -ge 1000 ] && sleep $((delay / 1000))
	kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
	wait "$pid" 2>/dev/null
done
echo "$kills of 20 attempts killed while running; $(ls "$tmp/got/k" 2>/dev/null | wc -l) entries left"
# The workers die with their parent; give the kernel a moment to reap them.
sleep 0.2
$NNRUN -q -j2 -o "$tmp/got" "$tmp/k.yaml" || { echo "FAIL: the rerun exited $?"; exit 1; }
if same_results "$tmp/ref/k" "$tmp/got/k"; then
	echo "kill -9: identical after $kills kills"
else
	echo "FAIL: results differ after kill -9"
	exit 1
fi
