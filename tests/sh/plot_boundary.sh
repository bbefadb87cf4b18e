#!/usr/bin/env bash
# plot_boundary.sh: scripts/plot-boundary draws a PNG of the asked size
# for a run (in a path with spaces), by default into the run's folder;
# bad sizes, outputs and networks that are not 2-input are errors.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NNRUN=${NNRUN:-$ROOT/build/nnrun}
sh "$ROOT/tests/deps.sh" gnuplot-nox || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
res="$tmp/with space"
fail() { echo "FAIL: $*"; exit 1; }

png_size() {
	[ "$(od -An -tx1 -j1 -N3 "$1" | tr -d ' ')" = 504e47 ] || { echo "not a PNG"; return; }
	echo "$(od -An -tu4 --endian=big -j16 -N4 "$1" | tr -d ' ')x$(od -An -tu4 --endian=big -j20 -N4 "$1" | tr -d ' ')"
}

$NNRUN -q -o "$res" "$ROOT/configs/xor.yaml" epochs=300 seed=1
$NNRUN -q -o "$res" "$ROOT/configs/xor.yaml" name=parity task=parity-3 'layers=[3,4,1]' epochs=10 seed=1
run=$(ls -d "$res"/xor/*/)
NNRUN="$NNRUN" "$ROOT/scripts/plot-boundary" -s 320x300 -n 50 "$run" "$tmp/b oundary.png" >/dev/null
[ "$(png_size "$tmp/b oundary.png")" = 320x300 ] || fail "-s 320x300 gave $(png_size "$tmp/b oundary.png")"
echo "ok: plot-boundary -s 320x300 writes a 320x300 PNG (paths with spaces)"
NNRUN="$NNRUN" "$ROOT/scripts/plot-boundary" "$run" >/dev/null
[ "$(png_size "$run/boundary.png")" = 600x560 ] || fail "the default gave $(png_size "$run/boundary.png")"
$NNRUN verify "$res/xor" >/dev/null || fail "boundary.png in the run's folder makes it damaged"
echo "ok: by default RUN/boundary.png, 600x560; the run stays intact"

expect() {
	local code=$1 want=$2 rc=0
	shift 2
	NNRUN="$NNRUN" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	[ "$rc" = "$code" ] && grep -q -- "$want" "$tmp/err" && [ ! -s "$tmp/out" ] ||
		{ cat "$tmp/err"; fail "$*: exit $rc, wanted $code and '$want'"; }
}
expect 2 "^nnrun: error: --grid needs a network of 2 inputs; this one has 3$" \
	"$ROOT/scripts/plot-boundary" "$res"/parity/*/ "$tmp/p.png"
expect 2 "^plot-boundary: -s takes WIDTHxHEIGHT" "$ROOT/scripts/plot-boundary" -s 99x600 "$run" "$tmp/p.png"
expect 2 "^nnrun: error: --grid takes a number from 2 to" "$ROOT/scripts/plot-boundary" -n 1 "$run" "$tmp/p.png"
expect 2 "must end in .png" "$ROOT/scripts/plot-boundary" "$run" "$tmp/p.svg"
expect 1 "^plot-boundary: cannot write $tmp/no/such/x.png" "$ROOT/scripts/plot-boundary" "$run" "$tmp/no/such/x.png"
[ ! -e "$tmp/p.png" ] || fail "an image was written despite an error"
echo "ok: a 3-input network, a bad size, grid or extension: exit 2; an unwritable output: exit 1"
