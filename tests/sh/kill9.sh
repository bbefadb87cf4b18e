#!/bin/bash
# kill9.sh: a sweep killed with SIGKILL at 20 random moments, then rerun,
# ends byte-identical to a sweep never interrupted, with no stray files.
# At least one kill must land inside a run (a new .tmp-* run folder left
# behind), or the test proves nothing about a half-written run.
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

kills=0 mid_run=0
# The run folders on their way (.tmp-LABEL-PID-N: new names each attempt).
partial_runs() {
	find "$tmp/got/k" -maxdepth 1 -type d -name '.tmp-*' 2>/dev/null | sort
}
for i in $(seq 20); do
	before=$(partial_runs)
	$NNRUN -q -j2 -o "$tmp/got" "$tmp/k.yaml" &
	pid=$!
	# Every other attempt first waits (up to some 10 s) for a run of its
	# own to start: where starting up is slow (valgrind), a delay from
	# the launch alone lands before the first run every time.
	if [ $((i % 2)) = 0 ]; then
		for _ in $(seq 200); do
			[ -n "$(comm -13 <(echo "$before") <(partial_runs))" ] && break
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.05
		done
	fi
	# Spread the kills over the sweep: each attempt resumes the last.
	delay=$((RANDOM % (span / 8 + 1)))
	sleep "$(printf '0.%03d' $((delay % 1000)))" 2>/dev/null || sleep 0
	[ "$delay" -ge 1000 ] && sleep $((delay / 1000))
	kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
	wait "$pid" 2>/dev/null
	# A run's folder is .tmp-* until it is complete: a new one left
	# behind means this kill cut a run short.
	[ -n "$(comm -13 <(echo "$before") <(partial_runs))" ] && mid_run=$((mid_run + 1))
done
echo "$kills of 20 attempts killed while running, $mid_run in the middle of a run; $(ls "$tmp/got/k" 2>/dev/null | wc -l) entries left"
[ "$mid_run" -gt 0 ] || { echo "FAIL: no kill landed in the middle of a run"; exit 1; }
# The workers die with their parent; give the kernel a moment to reap them.
sleep 0.2
$NNRUN -q -j2 -o "$tmp/got" "$tmp/k.yaml" || { echo "FAIL: the rerun exited $?"; exit 1; }
if same_results "$tmp/ref/k" "$tmp/got/k"; then
	echo "kill -9: identical after $kills kills"
else
	echo "FAIL: results differ after kill -9"
	exit 1
fi
