#!/usr/bin/env bash
# compare_loss.sh: tests/compare_loss.py, which the NumPy cross-check
# trusts, fails where it should: NaN against a number, a number against
# NaN, an infinity against a number or the other infinity, a difference
# over the tolerance, other epochs; and passes NaN against NaN at one
# epoch, equal infinities, and differences within the tolerance.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

csv() { # NAME LOSS...: a loss.csv with epochs 0, 1, ...
	local f="$tmp/$1" e=0 v
	shift
	echo epoch,loss >"$f"
	for v in "$@"; do echo "$e,$v" >>"$f"; e=$((e + 1)); done
}

expect() { # WANT(0|1) WHAT A B TOL
	local rc=0
	/usr/bin/python3 "$ROOT/tests/compare_loss.py" "$tmp/$3" "$tmp/$4" "$5" >"$tmp/out" 2>&1 || rc=$?
	if [ "$rc" = "$1" ]; then
		echo "ok: $2: exit $rc ($(cat "$tmp/out"))"
	else
		echo "FAIL: $2: exit $rc, want $1 ($(cat "$tmp/out"))"; fail=1
	fi
}

csv base 0.5 0.25 0.125
csv near 0.5 0.2500000001 0.125
csv far 0.5 0.26 0.125
csv nan_last 0.5 0.25 nan
csv nan_mid 0.5 nan 0.125
csv nan_first nan 0.25 0.125
csv inf_last 0.5 0.25 inf
csv ninf_last 0.5 0.25 -inf
csv short 0.5 0.25

expect 0 "identical files" base base 0
expect 0 "a difference within the tolerance" base near 1e-9
expect 1 "a difference over the tolerance" base far 1e-3
expect 1 "NaN against a number" nan_last base 0
expect 1 "a number against NaN" base nan_last 1e9
expect 1 "NaN against a number at another epoch" nan_mid nan_last 1e9
expect 1 "NaN at the first epoch against a number" nan_first base 0
expect 0 "NaN against NaN at the same epoch" nan_last nan_last 0
cp "$tmp/nan_last" "$tmp/nan_last2"; sed -i 's/nan$/NaN/' "$tmp/nan_last2"
expect 0 "NaN against NaN spelled otherwise" nan_last nan_last2 0
expect 1 "an infinity against a number" inf_last base 1e300
expect 1 "an infinity against the other infinity" inf_last ninf_last 1e300
cp "$tmp/inf_last" "$tmp/inf_last2"; sed -i 's/inf$/Infinity/' "$tmp/inf_last2"
expect 0 "equal infinities" inf_last inf_last2 0
expect 1 "fewer epochs" base short 1
exit $fail
