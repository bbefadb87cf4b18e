#!/usr/bin/env bash
# resume.sh: a rerun of a study with runs missing goes straight to the
# runs: a done run's files are read to find it complete and once more
# for the summary, not first by a pass that looks for a complete study.
set -euo pipefail
. tests/lib/check.sh
raw=$(pwd)/${BUILD:-build}/nnrun
if ! command -v strace >/dev/null || [ -n "${WRAP:-}" ]; then
	echo "skipped: needs strace (Debian package strace) and no WRAP"
	exit 77
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

printf 'name: r\nepochs: 5\nsweep:\n  seed: {from: 1, to: 8}\n' > "$dir/r.yaml"
"$raw" -q -j2 -o "$dir/out" "$dir/r.yaml"
rm -rf "$(ls -d "$dir"/out/r/2-2-1_*_s8_*)"
first=$(ls -d "$dir"/out/r/2-2-1_*_s1_*)
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	strace -f -o "$dir/trace.txt" -e trace=openat,open "$raw" -q -j2 -o "$dir/out" "$dir/r.yaml"
check "a_resume_runs_the_missing_run" test -d "$(ls -d "$dir"/out/r/2-2-1_*_s8_*)"
check "a_resume_reads_a_done_run_to_check_it_and_for_the_summary_only" \
	test "$(grep -c "${first##*/}/metrics.csv\"" "$dir/trace.txt")" = 2
checks_done
