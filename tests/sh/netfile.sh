#!/usr/bin/env bash
# netfile.sh: network.yaml is read strictly (every value checked, counts
# against the widths, FILE:LINE:COL errors, exit 2); a damaged one makes
# its run damaged; a run made before network.yaml existed stays complete
# and predict says it has none.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NNRUN=${NNRUN:-$ROOT/build/nnrun}
cd "$ROOT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

expect_error() {
	local want=$1 rc=0
	shift
	"$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	[ "$rc" = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q -- "$want" "$tmp/err" && [ ! -s "$tmp/out" ] ||
		{ cat "$tmp/err"; fail "$*: exit $rc, wanted exit 2 and '$want'"; }
}

$NNRUN -q -o "$tmp/r" configs/xor.yaml epochs=200 seed=1,2
run=$(ls -d "$tmp"/r/xor/*_s1_*)
good="$run/network.yaml"
$NNRUN predict "$good" >"$tmp/want.csv"

# bad LINE:COL MESSAGE SED-EXPRESSION: the good file edited by the
# expression fails to load with that position and message.
bad() {
	local pos=$1 msg=$2 expr=$3
	sed "$expr" "$good" >"$tmp/net.yaml"
	cmp -s "$tmp/net.yaml" "$good" && fail "the edit '$expr' changed nothing"
	expect_error "^$tmp/net.yaml:$pos: error: $msg" $NNRUN predict "$tmp/net.yaml"
}
# Values libcyaml 1.3.1 would take silently, each refused where it stands.
bad 10:15 "layer 1's weights: '0.5x' is not a number" '10s/\[[^,]*,/[0.5x,/'
bad 10:15 "layer 1's weights: '0x10' is not a number" '10s/\[[^,]*,/[0x10,/'
bad 10:15 "layer 1's weights: '1e999' is not a number" '10s/\[[^,]*,/[1e999,/'
bad 10:15 "layer 1's weights: 'Infinity' is not a number" '10s/\[[^,]*,/[Infinity,/'
bad 13:14 "layer 2's biases: '' is not a number" '13s/\[.*\]/[""]/'
bad 6:10 "widths: '2.5' is not a whole number from 1 to 1024" '6s/\[2,/[2.5,/'
bad 6:10 "widths: '02' is not a whole number" '6s/\[2,/[02,/'
bad 6:9 "widths start with 3 inputs and end with 1 output; task xor has 2 and 1" '6s/\[2,/[3,/'
bad 7:24 "unknown activation 'softmax' (sigmoid, tanh or relu)" '7s/, sigmoid\]/, softmax]/'
bad 7:14 "activations lists 1 name; widths need 2" '7s/\[sigmoid, /[/'
bad 8:7 "unknown loss 'mae' (mse or bce)" '8s/mse/mae/'
bad 10:14 "layer 1's weights hold 3 values; widths 2 -> 2 need 4" '10s/\[[^,]*, /[/'
bad 11:13 "layer 1's biases hold 3 values; width 2 needs 2" '11s/\]/, 1]/'
bad 10:3 "layers lists 1 layer; widths need 2" '12,13d'
bad 5:7 "task is empty" '5s/xor/""/'
# Structure: libcyaml's own checks, placed.
bad 9:1 "Unexpected key: seed" '8a seed: 1'
bad 7:1 "Mapping field already seen: widths" '6p'
bad 9:3 "Missing required mapping field: loss" '8d'
printf 'task: &t xor\nwidths: *t\n' >"$tmp/net.yaml"
expect_error "^$tmp/net.yaml:.*error: " $NNRUN predict "$tmp/net.yaml"
printf '# nothing\n' >"$tmp/net.yaml"
expect_error "^$tmp/net.yaml: error: is empty: expected a network" $NNRUN predict "$tmp/net.yaml"
expect_error "^$tmp/none.yaml: error: cannot open: No such file or directory" $NNRUN predict "$tmp/none.yaml"
expect_error "^$tmp/r: error: not a run's folder" $NNRUN predict "$tmp/r"
expect_error "^/dev/null: error: is not a regular file$" $NNRUN predict /dev/null
echo "ok: junk after a number, hex, 1e999, Infinity, bad widths, names and counts, unknown, repeated and missing keys: FILE:LINE:COL, exit 2"

# What nnrun writes it reads back as the same doubles: a diverged run's
# nan and inf included (its weights overflowed).
$NNRUN -q -o "$tmp/r" configs/xor.yaml name=div epochs=50 learning_rate=1e308 activation=tanh output_activation=relu seed=1
div=$(ls -d "$tmp"/r/div/*/)
grep -Eq "nan|inf" "$div/network.yaml" || fail "the diverged run's network.yaml has no nan or inf"
$NNRUN predict "$div" >/dev/null || fail "a diverged run's network.yaml does not load"
echo "ok: a diverged run's network.yaml (nan, inf) reads back"

# A damaged network.yaml damages its run: verify says so, a rerun redoes it.
sed -i 's/^loss: mse/loss: bce/' "$good"
rc=0
$NNRUN verify "$tmp/r/xor" >"$tmp/v" || rc=$?
[ "$rc" = 1 ] && grep -q "network.yaml: checksum" "$tmp/v" || { cat "$tmp/v"; fail "verify: exit $rc"; }
$NNRUN -q -o "$tmp/r" configs/xor.yaml epochs=200 seed=1,2
$NNRUN predict "$run" | cmp -s - "$tmp/want.csv" || fail "the redone run predicts otherwise"
echo "ok: an edited network.yaml makes its run damaged (verify exit 1) and a rerun redoes it"

# A run from before network.yaml: its integrity record without it.
rm "$run/network.yaml"
grep -v -e " network.yaml$" -e "^end " "$run/integrity.txt" >"$tmp/rec"
printf 'end %s\n' "$(xxhsum -H1 "$tmp/rec" | cut -d' ' -f1)" >>"$tmp/rec"
cp "$tmp/rec" "$run/integrity.txt"
$NNRUN verify "$tmp/r/xor" >"$tmp/v" || { cat "$tmp/v"; fail "verify calls a run without network.yaml damaged"; }
$NNRUN -o "$tmp/r" configs/xor.yaml epochs=200 seed=1,2 2>"$tmp/e" >/dev/null
grep -q "2 complete already" "$tmp/e" && [ ! -e "$run/network.yaml" ] || { cat "$tmp/e"; fail "a run without network.yaml was redone"; }
expect_error "^$run: error: this run has no network.yaml (it was run by an nnrun that did not keep the network): rerun it with --force" \
	$NNRUN predict "$run"
echo "ok: a run made before network.yaml stays complete and intact; predict says it has none"
