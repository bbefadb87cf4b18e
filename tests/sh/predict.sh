#!/usr/bin/env bash
# predict.sh: every run keeps its trained network in network.yaml, covered
# by its integrity record; `nnrun predict` runs it forward bit for bit as
# NumPy does with the same weights (tanh within 1e-12), over the task's
# rows, a CSV file or stdin, or a --grid; bad network files and bad input
# cells are FILE:LINE:COL errors (exit 2, nothing on stdout); runs made
# before network.yaml existed stay complete.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NNRUN=${NNRUN:-$ROOT/build/nnrun}
cd "$ROOT"
sh tests/deps.sh python3-numpy python3-yaml || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
res="$tmp/with space"
fail() { echo "FAIL: $*"; exit 1; }

# expect_error WANT CMD...: exit 2, one line on stderr matching WANT (a
# grep pattern), nothing on stdout.
expect_error() {
	local want=$1 rc=0
	shift
	"$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	[ "$rc" = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q -- "$want" "$tmp/err" && [ ! -s "$tmp/out" ] ||
		{ cat "$tmp/err"; fail "$*: exit $rc, wanted exit 2 and '$want'"; }
}

$NNRUN -q -o "$res" configs/xor.yaml name=gates epochs=3000 seed=1,42 activation=sigmoid,tanh,relu
$NNRUN -q -o "$res" configs/xor.yaml name=deep epochs=500 seed=3 'layers=[2,5,4,1]' activation=relu,tanh
$NNRUN -q -o "$res" configs/xor.yaml name=parity task=parity-3 epochs=500 seed=5 'layers=[3,6,1]'
$NNRUN -q -o "$res" configs/xor.yaml name=encoder task=encoder-8 epochs=300 seed=2 'layers=[8,3,8]' learning_rate=0.5

# Every run keeps network.yaml, listed in its integrity record.
n=0
for run in "$res"/*/*/; do
	[ -s "$run/network.yaml" ] || fail "$run has no network.yaml"
	grep -q " network.yaml$" "$run/integrity.txt" || fail "$run's integrity record lacks network.yaml"
	n=$((n + 1))
done
[ "$n" = 10 ] || fail "expected 10 runs, found $n"
echo "ok: all $n runs keep network.yaml, in their integrity records"

# The task's rows by default, against NumPy's forward pass.
bitwise=0
for run in "$res"/*/*/; do
	tol=0
	grep -q "tanh" "$run/network.yaml" && tol=1e-12
	$NNRUN predict "$run" >"$tmp/p.csv"
	v=$(/usr/bin/python3 tests/predict_numpy.py "$run/network.yaml" "$tmp/p.csv" $tol) ||
		fail "predict $run against NumPy"
	[ "$v" = bitwise ] && bitwise=$((bitwise + 1))
done
$NNRUN predict "$res"/parity/*/ >"$tmp/p.csv"
[ "$(wc -l <"$tmp/p.csv")" = 9 ] || fail "parity-3: $(wc -l <"$tmp/p.csv") lines, expected a header and 8 rows"
[ "$(head -n 3 "$tmp/p.csv" | cut -d, -f1-4)" = "$(printf 'x1,x2,x3,target1\n0.0,0.0,0.0,0.0\n0.0,0.0,1.0,1.0')" ] ||
	fail "parity-3's rows and targets: $(head -n 3 "$tmp/p.csv")"
echo "ok: predict equals NumPy's forward pass on the task's rows for $n networks ($bitwise bit for bit, the rest tanh within 1e-12)"

# A gate's outputs equal the four metrics.csv recorded at the end of training.
for run in "$res"/gates/*/; do
	# the outputs are metrics.csv's columns output_00 .. output_11
	first=$(head -n1 "$run/metrics.csv" | tr , '\n' | grep -n '^output_00$' | cut -d: -f1)
	want=$(tail -n1 "$run/metrics.csv" | cut -d, -f"$first-$((first + 3))")
	got=$($NNRUN predict "$run/network.yaml" | tail -n +2 | cut -d, -f4 | paste -sd,)
	[ "$got" = "$want" ] || fail "$run: predict gives $got, metrics.csv $want"
done
echo "ok: predict on a gate gives the outputs metrics.csv recorded, to the bit"

# --grid: N x N points, each axis np.linspace(-0.5, 1.5, N), x1 outer.
run=$(ls -d "$res"/gates/*sigmoid*s1_*/)
$NNRUN predict --grid 101 "$run" >"$tmp/grid.csv"
/usr/bin/python3 tests/predict_numpy.py "$run/network.yaml" "$tmp/grid.csv" >/dev/null || fail "grid against NumPy"
/usr/bin/python3 - "$tmp/grid.csv" <<'PY' || fail "the grid's points are not linspace's"
import sys, numpy as np
d = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
v = np.linspace(-0.5, 1.5, 101)
assert d.shape == (101 * 101, 3)
assert np.array_equal(d[:, 0], np.repeat(v, 101)) and np.array_equal(d[:, 1], np.tile(v, 101))
PY
echo "ok: --grid 101 gives linspace's 101 x 101 points, x1 outer, outputs as NumPy's"
expect_error "^nnrun: error: --grid needs a network of 2 inputs; this one has 3$" \
	$NNRUN predict --grid 10 "$res"/parity/*/
expect_error "^nnrun: error: --grid takes a number from 2 to" $NNRUN predict --grid 1 "$run"
expect_error "^nnrun: error: --grid and an INPUT.csv do not go together" $NNRUN predict --grid 5 "$run" x.csv
expect_error "^nnrun: error: --grid goes with nnrun predict" $NNRUN --grid 5 configs/xor.yaml
echo "ok: --grid on a 3-input network, out of range or with a CSV: one clear error, exit 2"

# Rows from a CSV file (a path with a space; a header; CRLF) and stdin.
printf 'a,b\r\n0.25,0.75\r\n-1,2e-3\r\n1e+2,0\r\n' >"$tmp/in put.csv"
$NNRUN predict "$run" "$tmp/in put.csv" >"$tmp/p.csv"
[ "$(wc -l <"$tmp/p.csv")" = 4 ] || fail "3 rows in, $(($(wc -l <"$tmp/p.csv") - 1)) out"
/usr/bin/python3 tests/predict_numpy.py "$run/network.yaml" "$tmp/p.csv" >/dev/null || fail "CSV rows against NumPy"
$NNRUN predict "$run" - <"$tmp/in put.csv" | cmp -s - "$tmp/p.csv" || fail "stdin differs from the file"
echo "ok: INPUT.csv (header, CRLF, a space in the path) and - (stdin) go through as NumPy's"

printf '0,0\n1,1\n0.5,0x10\n' >"$tmp/bad.csv"
expect_error "^$tmp/bad.csv:3:5: error: '0x10' is not a finite number$" $NNRUN predict "$run" "$tmp/bad.csv"
printf '0,0\n1,1,1\n' >"$tmp/bad.csv"
expect_error "^$tmp/bad.csv:2:5: error: more than 2 values on a line" $NNRUN predict "$run" "$tmp/bad.csv"
printf '0,0\n1\n' >"$tmp/bad.csv"
expect_error "^$tmp/bad.csv:2:2: error: 1 value on the line: the network takes 2 inputs$" $NNRUN predict "$run" "$tmp/bad.csv"
printf '0,0\n\n1,1\n' >"$tmp/bad.csv"
expect_error "^$tmp/bad.csv:2:1: error: empty line" $NNRUN predict "$run" "$tmp/bad.csv"
printf '0,nan\n' >"$tmp/bad.csv"
expect_error "^$tmp/bad.csv:1:3: error: 'nan' is not a finite number$" $NNRUN predict "$run" "$tmp/bad.csv"
printf '0, 1\n' >"$tmp/bad.csv"
expect_error "^$tmp/bad.csv:1:3: error: ' 1' is not a finite number$" $NNRUN predict "$run" "$tmp/bad.csv"
printf '1,1\nx,1\n' >"$tmp/bad.csv"
expect_error "^stdin:2:1: error: 'x' is not a finite number$" $NNRUN predict "$run" - <"$tmp/bad.csv"
expect_error "^$tmp/none.csv: error: cannot open" $NNRUN predict "$run" "$tmp/none.csv"
echo "ok: a bad input cell, a wrong count or an empty line: FILE:LINE:COL, exit 2, nothing on stdout"

# A run of a data file predicts the file's own rows by default: its targets
# are the network's outputs (a CSV with two targets here).
printf 'a,b,y1,y2\n0,0,0,1\n0,1,1,0\n1,0,1,0\n1,1,0,1\n' >"$tmp/two.csv"
$NNRUN -q -o "$res" configs/xor.yaml name=data "task=$tmp/two.csv" targets=2 'hidden=[3]' epochs=50
run=$(ls -d "$res"/data/*/)
[ "$($NNRUN predict "$run" | cut -d, -f1-4)" = "$(printf 'x1,x2,target1,target2\n0.0,0.0,0.0,1.0\n0.0,1.0,1.0,0.0\n1.0,0.0,1.0,0.0\n1.0,1.0,0.0,1.0')" ] ||
	fail "a data file's run predicts its rows: $($NNRUN predict "$run" 2>&1 | head -3)"
echo "ok: a data file's run predicts the file's rows and both targets"
