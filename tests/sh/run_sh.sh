#!/usr/bin/env bash
# run_sh.sh: tests/run.sh counts a shell test that exits 77 as skipped, not
# passed, and closes with "N passed, N failed, N skipped"; a skip alone
# does not fail the suite, a failure does.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

suite() { # DIR NAME=EXIT...: a folder whose tests/sh holds one test per pair
	local d=$1 t
	shift
	mkdir -p "$d/tests/sh"
	for t in "$@"; do
		printf 'exit %s\n' "${t#*=}" >"$d/tests/sh/${t%%=*}.sh"
	done
}

suite "$tmp/mixed" ok=0 skip=77 bad=1 skip2=77
rc=0
(cd "$tmp/mixed" && WRAP= sh "$ROOT/tests/run.sh") >"$tmp/out" 2>&1 || rc=$?
last=$(tail -1 "$tmp/out")
[ "$last" = "1 passed, 1 failed, 2 skipped" ] && [ "$rc" = 1 ] ||
	{ cat "$tmp/out"; echo "FAIL: closing line '$last', exit $rc"; exit 1; }
grep -qx "skipped: tests/sh/skip.sh tests/sh/skip2.sh" "$tmp/out" ||
	{ cat "$tmp/out"; echo "FAIL: the skipped tests are not named"; exit 1; }
echo "ok: exit 77 counts as skipped; the closing line is '$last', exit 1"

suite "$tmp/skips" ok=0 skip=77
rc=0
(cd "$tmp/skips" && WRAP= sh "$ROOT/tests/run.sh") >"$tmp/out" 2>&1 || rc=$?
last=$(tail -1 "$tmp/out")
[ "$last" = "1 passed, 0 failed, 1 skipped" ] && [ "$rc" = 0 ] ||
	{ cat "$tmp/out"; echo "FAIL: closing line '$last', exit $rc"; exit 1; }
echo "ok: a suite with skips and no failure exits 0"
