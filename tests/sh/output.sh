#!/usr/bin/env bash
# output.sh: what nnrun prints for the user: write errors on stdout, runs
# complete already, the single run's verdict, counts and paths in its lines.
set -uo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. tests/lib/check.sh
printf 'epochs: 50\nsweep:\n  seed: [1, 2]\n' >"$dir/s.yaml"

if [ -w /dev/full ]; then
	$NNRUN --count "$dir/s.yaml" >/dev/full 2>"$dir/err.txt"
	check "count_to_a_full_disk_exits_1" test $? = 1
	check "count_to_a_full_disk_says_so" grep -q 'cannot write the output: No space left on device' "$dir/err.txt"
	$NNRUN -n "$dir/s.yaml" >/dev/full 2>"$dir/err.txt"
	check "dry_run_to_a_full_disk_exits_1" test $? = 1
	$NNRUN -q -o "$dir/r" "$dir/s.yaml"
	$NNRUN report "$dir/r/s" >/dev/full 2>"$dir/err.txt"
	check "report_to_a_full_disk_exits_1" test $? = 1
	check "report_to_a_full_disk_says_so" grep -q 'cannot write the output' "$dir/err.txt"
fi
checks_done
