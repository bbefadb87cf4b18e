#!/bin/bash
# concurrent.sh: two nnrun on one results folder, as two shards or as the
# same sweep twice at once, end with what one nnrun alone writes.
set -u
. tests/lib/results.sh
NNRUN=${NNRUN:-$(pwd)/build/nnrun}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
epochs=$([ -n "${WRAP:-}" ] && echo 2000 || echo 20000)
cat > "$tmp/c.yaml" <<YAML
name: c
epochs: $epochs
sweep:
  seed: {from: 1, to: 30}
  learning_rate: [0.1, 0.5]
YAML
fail=0
$NNRUN -q -j1 -o "$tmp/ref" "$tmp/c.yaml" || { echo "FAIL: the single sweep exited $?"; exit 1; }

for round in 1 2 3; do
	# Two shards at once, then the same sweep twice at once.
	$NNRUN -q -j1 --shard 0/2 -o "$tmp/shards$round" "$tmp/c.yaml" & a=$!
	$NNRUN -q -j1 --shard 1/2 -o "$tmp/shards$round" "$tmp/c.yaml" & b=$!
	wait $a || { echo "FAIL: shard 0 exited $?"; fail=1; }
	wait $b || { echo "FAIL: shard 1 exited $?"; fail=1; }
	$NNRUN report -q "$tmp/shards$round/c" || { echo "FAIL: the report after the shards exited $?"; fail=1; }
	same_results "$tmp/ref/c" "$tmp/shards$round/c" || { echo "FAIL: two shards, round $round"; fail=1; }

	$NNRUN -q -j2 -o "$tmp/twice$round" "$tmp/c.yaml" & a=$!
	$NNRUN -q -j2 -o "$tmp/twice$round" "$tmp/c.yaml" & b=$!
	wait $a || { echo "FAIL: the first of two exited $?"; fail=1; }
	wait $b || { echo "FAIL: the second of two exited $?"; fail=1; }
	same_results "$tmp/ref/c" "$tmp/twice$round/c" || { echo "FAIL: the same sweep twice, round $round"; fail=1; }

	# And twice with --force, which replaces runs the other just finished.
	$NNRUN -q -j2 --force -o "$tmp/twice$round" "$tmp/c.yaml" & a=$!
	$NNRUN -q -j2 --force -o "$tmp/twice$round" "$tmp/c.yaml" & b=$!
	wait $a || { echo "FAIL: the first of two --force exited $?"; fail=1; }
	wait $b || { echo "FAIL: the second of two --force exited $?"; fail=1; }
	same_results "$tmp/ref/c" "$tmp/twice$round/c" || { echo "FAIL: --force twice, round $round"; fail=1; }
done
[ $fail = 0 ] && echo "concurrent: shards, twice and --force twice all equal one sweep (3 rounds)"
exit $fail
