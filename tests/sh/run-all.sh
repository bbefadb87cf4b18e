#!/usr/bin/env bash
# run-all.sh: scripts/run-all runs every config of a folder, goes on past
# a bad one, and exits non-zero naming it; the good one's results exist.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NNRUN=${NNRUN:-$ROOT/build/nnrun}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/configs"
# Named so the bad one comes first: run-all must not stop there.
printf 'name: bad\nlayers: [2, 2, 1]\nactivation: swish\n' >"$tmp/configs/a-bad.yaml"
printf 'name: good\nepochs: 100\nsweep:\n  seed: [1, 2]\n' >"$tmp/configs/b-good.yaml"

if NNRUN="$NNRUN" "$ROOT/scripts/run-all" -c "$tmp/configs" -o "$tmp/results" >"$tmp/out" 2>&1; then
	cat "$tmp/out"; echo "FAIL: run-all exited 0 with a bad config"; exit 1
fi
tail -1 "$tmp/out" | grep -q "failed: .*a-bad.yaml" || { cat "$tmp/out"; echo "FAIL: the bad config is not named"; exit 1; }
tail -1 "$tmp/out" | grep -vq "b-good" || { cat "$tmp/out"; echo "FAIL: the good config is named as failed"; exit 1; }
echo "ok: run-all exits non-zero naming a-bad.yaml only"
[ "$(ls "$tmp"/results/good/*/loss.csv | wc -l)" = 2 ] && [ -s "$tmp/results/good/summary.csv" ] ||
	{ echo "FAIL: the good config's results are missing"; exit 1; }
echo "ok: the good config's two runs and summary exist"
NNRUN="$NNRUN" "$ROOT/scripts/run-all" -o "$tmp/results" "$tmp/configs/b-good.yaml" >/dev/null 2>&1 ||
	{ echo "FAIL: run-all of the good config alone failed"; exit 1; }
echo "ok: run-all with a named good config exits 0"
