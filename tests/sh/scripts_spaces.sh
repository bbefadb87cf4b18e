#!/usr/bin/env bash
# scripts_spaces.sh: scripts/run-all, plot and compare-activations work in
# a checkout whose path holds spaces, finding the nnrun beside them or
# given one by NNRUN (a path with spaces) and NNRUN_WRAP; run-all takes
# .yml as well as .yaml.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN="$ROOT/${BUILD:-build}/nnrun"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The checkout: build/nnrun, scripts and configs under "a b/nn run".
co="$tmp/a b/nn run"
mkdir -p "$co/build"
cp "$BIN" "$co/build/nnrun"
cp -r "$ROOT/scripts" "$ROOT/configs" "$co/"
# A short activations study: the script's own config, fewer epochs.
sed -i 's/^epochs: .*/epochs: 200/' "$co/configs/activations.yaml"
export NNRUN_WRAP="${WRAP:-}"
unset NNRUN

cfg="$tmp/my configs"
mkdir "$cfg"
printf 'name: one\nepochs: 50\nsweep:\n  seed: [1, 2]\n' >"$cfg/one.yaml"
printf 'name: two\nepochs: 50\nsweep:\n  seed: [3, 4]\n' >"$cfg/two.yml"
printf 'name: three\nepochs: 50\n' >"$cfg/notes.txt"
"$co/scripts/run-all" -c "$cfg" -o "$tmp/res ults" >"$tmp/out" 2>&1 ||
	{ cat "$tmp/out"; echo "FAIL: run-all in a path with spaces"; exit 1; }
for s in one two; do
	[ "$(ls "$tmp/res ults/$s"/*/loss.csv | wc -l)" = 2 ] ||
		{ cat "$tmp/out"; echo "FAIL: run-all did not run $s"; exit 1; }
done
[ ! -e "$tmp/res ults/three" ] && tail -1 "$tmp/out" | grep -qx "run-all: all 2 configs ran" ||
	{ cat "$tmp/out"; echo "FAIL: run-all ran other than the .yaml and .yml"; exit 1; }
echo "ok: run-all in '$co' runs one.yaml and two.yml, not notes.txt"

NNRUN="$co/build/nnrun" "$co/scripts/run-all" -o "$tmp/res ults" "$cfg/two.yml" >"$tmp/out" 2>&1 ||
	{ cat "$tmp/out"; echo "FAIL: run-all with NNRUN holding spaces"; exit 1; }
echo "ok: run-all with NNRUN='$co/build/nnrun'"

"$co/scripts/plot" "$tmp/res ults/one" "$tmp/res ults/one plot.png" >/dev/null
[ "$(od -An -tx1 -j1 -N3 "$tmp/res ults/one plot.png" | tr -d ' ')" = 504e47 ] ||
	{ echo "FAIL: plot in a path with spaces wrote no PNG"; exit 1; }
NNRUN="$co/build/nnrun" "$co/scripts/plot" "$tmp/res ults/two" >/dev/null
[ -s "$tmp/res ults/two/loss.png" ] || { echo "FAIL: plot with NNRUN holding spaces"; exit 1; }
echo "ok: plot in a path with spaces, with and without NNRUN"

"$co/scripts/compare-activations" -o "$tmp/res ults" "$tmp/res ults/act.svg" >"$tmp/out" 2>&1 ||
	{ cat "$tmp/out"; echo "FAIL: compare-activations in a path with spaces"; exit 1; }
grep -q "^activation=relu " "$tmp/out" && grep -q ">activation=tanh<" "$tmp/res ults/act.svg" ||
	{ cat "$tmp/out"; echo "FAIL: compare-activations printed no report or drew no legend"; exit 1; }
echo "ok: compare-activations in a path with spaces reports and draws"
