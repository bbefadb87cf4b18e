#!/usr/bin/env bash
# parallel.sh: runs scripts/parallel-sweep locally and through an
# --sshloginfile of `2/:` (two local slots, no ssh), and checks both equal
# a local `nnrun -j2` run of the same sweep.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NNRUN=${NNRUN:-$ROOT/build/nnrun}
. "$ROOT/tests/cluster/common.sh"
sh "$ROOT/tests/deps.sh" parallel
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

$NNRUN -q -j2 -o "$tmp/local" "$ROOT/configs/xor.yaml" "${SWEEP[@]}"
n=$($NNRUN --count "$ROOT/configs/xor.yaml" "${SWEEP[@]}")

NNRUN="$NNRUN" "$ROOT/scripts/parallel-sweep" -o "$tmp/par" -j 2 \
	"$ROOT/configs/xor.yaml" "${SWEEP[@]}" >"$tmp/par.out" 2>&1 ||
	{ cat "$tmp/par.out"; echo "FAIL: parallel-sweep failed"; exit 1; }
jobs=$(tail -n +2 "$tmp/par/parallel-joblog" | wc -l)
[ "$jobs" = 8 ] || { echo "FAIL: joblog has $jobs jobs for $n runs at -j 2, want 4 shards a slot"; exit 1; }
grep -q "^group " "$tmp/par.out" || { echo "FAIL: no report table printed"; exit 1; }
echo "ok: parallel-sweep -j 2 ran $jobs jobs and printed the report"
same_results "$tmp/local/xor" "$tmp/par/xor"
echo "ok: its results equal the local run's"

NNRUN="$NNRUN" "$ROOT/scripts/parallel-sweep" -o "$tmp/s5" -j 2 -s 5 \
	"$ROOT/configs/xor.yaml" "${SWEEP[@]}" >"$tmp/s5.out" 2>&1 ||
	{ cat "$tmp/s5.out"; echo "FAIL: parallel-sweep -s 5 failed"; exit 1; }
jobs=$(tail -n +2 "$tmp/s5/parallel-joblog" | wc -l)
[ "$jobs" = 5 ] || { echo "FAIL: -s 5 ran $jobs jobs"; exit 1; }
same_results "$tmp/local/xor" "$tmp/s5/xor"
echo "ok: parallel-sweep -s 5 ran the $n runs as 5 jobs of shards; results equal"

# From a checkout whose path has a space, finding its own build/nnrun.
copy=$(spaced_copy "$tmp")
env -u NNRUN "$copy/scripts/parallel-sweep" -o "$copy/results" -j 2 \
	"$copy/configs/xor.yaml" "${SWEEP[@]}" >"$tmp/space.out" 2>&1 ||
	{ cat "$tmp/space.out"; echo "FAIL: parallel-sweep in '$copy' failed"; exit 1; }
same_results "$tmp/local/xor" "$copy/results/xor"
echo "ok: parallel-sweep from '$copy' equals the local run"

printf '2/:\n' >"$tmp/hosts"
NNRUN="$NNRUN" "$ROOT/scripts/parallel-sweep" -o "$tmp/ssh" -S "$tmp/hosts" \
	"$ROOT/configs/xor.yaml" "${SWEEP[@]}" >"$tmp/ssh.out" 2>&1 ||
	{ cat "$tmp/ssh.out"; echo "FAIL: parallel-sweep -S failed"; exit 1; }
hosts=$(tail -n +2 "$tmp/ssh/parallel-joblog" | cut -f2 | sort -u | tr '\n' ' ')
[ "$hosts" = ": " ] || { echo "FAIL: jobs ran on '$hosts', not ':'"; exit 1; }
echo "ok: parallel-sweep --sshloginfile '2/:' ran every job on ':'"
same_results "$tmp/local/xor" "$tmp/ssh/xor"
echo "ok: its results equal the local run's"

# Failing jobs (a file where the study folder goes): the script must say
# so and exit non-zero.
mkdir "$tmp/bad" && touch "$tmp/bad/xor"
if NNRUN="$NNRUN" "$ROOT/scripts/parallel-sweep" -o "$tmp/bad" "$ROOT/configs/xor.yaml" seed=1,2 >"$tmp/bad.out" 2>&1; then
	echo "FAIL: parallel-sweep exited 0 though every job failed"; exit 1
fi
grep -q "runs failed; see" "$tmp/bad.out" || { cat "$tmp/bad.out"; echo "FAIL: no failure message"; exit 1; }
echo "ok: failing jobs make parallel-sweep exit non-zero and point at the joblog"
echo "PASS: GNU parallel sweeps of $n runs equal the local run"
