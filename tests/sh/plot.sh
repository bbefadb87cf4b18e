#!/usr/bin/env bash
# plot.sh: scripts/plot writes a PNG of the requested size (read from its
# IHDR header) for a sweep's results, and the default size without -s.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NNRUN=${NNRUN:-$ROOT/build/nnrun}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Width and height, big-endian at bytes 16..23 after the PNG signature.
png_size() {
	[ "$(od -An -tx1 -j1 -N3 "$1" | tr -d ' ')" = 504e47 ] || { echo "not a PNG"; return; }
	echo "$(od -An -tu4 --endian=big -j16 -N4 "$1" | tr -d ' ')x$(od -An -tu4 --endian=big -j20 -N4 "$1" | tr -d ' ')"
}

$NNRUN -q -o "$tmp" "$ROOT/configs/xor.yaml" epochs=500 seed=1,2,3 activation=sigmoid,tanh
NNRUN="$NNRUN" "$ROOT/scripts/plot" -s 640x480 "$tmp/xor" "$tmp/small.png" >/dev/null
size=$(png_size "$tmp/small.png")
[ "$size" = 640x480 ] || { echo "FAIL: -s 640x480 gave $size"; exit 1; }
echo "ok: plot -s 640x480 writes a 640x480 PNG"
NNRUN="$NNRUN" "$ROOT/scripts/plot" "$tmp/xor" >/dev/null
size=$(png_size "$tmp/xor/loss.png")
[ "$size" = 1000x600 ] || { echo "FAIL: the default gave $size"; exit 1; }
echo "ok: plot writes RESULTS/NAME/loss.png, 1000x600, by default"
[ -s "$tmp/xor/curves.csv" ] || { echo "FAIL: no curves.csv"; exit 1; }
echo "ok: plot leaves curves.csv in the study"
