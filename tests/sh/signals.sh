#!/bin/bash
# signals.sh: SIGINT and SIGTERM stop a sweep: the workers stop, finished
# runs stay, partial ones go, and nnrun exits 128 + the signal.
set -u
. tests/lib/results.sh
NNRUN=${NNRUN:-$(pwd)/build/nnrun}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
epochs=$([ -n "${WRAP:-}" ] && echo 20000 || echo 400000)
cat > "$tmp/s.yaml" <<YAML
name: s
epochs: $epochs
log_every: 100
sweep:
  seed: {from: 1, to: 40}
YAML
fail=0
for sig in INT TERM; do
	want=$([ $sig = INT ] && echo 130 || echo 143)
	out="$tmp/$sig"
	$NNRUN -q -j2 -o "$out" "$tmp/s.yaml" &
	pid=$!
	# Wait for the first finished run, so there is something to keep.
	for i in $(seq 600); do
		[ "$(find "$out/s" -maxdepth 1 -name '2-*' 2>/dev/null | head -1)" ] && break
		sleep 0.05
	done
	workers=$(ps -o pid= --ppid "$pid" | tr -d ' ')
	kill -$sig "$pid"
	wait "$pid"
	rc=$?
	runs=$(find "$out/s" -maxdepth 1 -name '2-*' | wc -l)
	alive=""
	for w in $workers; do kill -0 "$w" 2>/dev/null && alive="$alive $w"; done
	if [ "$rc" != "$want" ]; then
		echo "FAIL SIG$sig: exit $rc, want $want"; fail=1
	elif [ -n "$alive" ]; then
		echo "FAIL SIG$sig: workers still running:$alive"; fail=1
	elif [ -n "$(find "$out" -name '.tmp-*')" ]; then
		echo "FAIL SIG$sig: temporaries left:"; find "$out" -name '.tmp-*'; fail=1
	elif [ "$runs" -lt 1 ] || [ "$runs" -ge 40 ]; then
		echo "FAIL SIG$sig: $runs runs kept; want some but not all 40"; fail=1
	else
		# Every kept run is whole: its three files, its loss up to the end.
		for d in "$out"/s/2-*/; do
			last=$(tail -1 "$d/loss.csv" | cut -d, -f1)
			[ -f "$d/config.yaml" ] && [ -f "$d/metrics.csv" ] && [ "$last" = $((epochs - 1)) ] ||
				{ echo "FAIL SIG$sig: $d is not whole"; fail=1; }
		done
		echo "SIG$sig: exit $rc, $runs of 40 runs kept, workers gone"
	fi
	# And a rerun finishes the rest.
	$NNRUN -q -j2 -o "$out" "$tmp/s.yaml" ||
		{ echo "FAIL SIG$sig: the rerun exited $?"; fail=1; }
	[ "$(find "$out/s" -maxdepth 1 -name '2-*' | wc -l)" = 40 ] ||
		{ echo "FAIL SIG$sig: the rerun did not finish every run"; fail=1; }
done
exit $fail
