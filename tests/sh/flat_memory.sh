#!/usr/bin/env bash
# flat_memory.sh: running a plan's runs holds memory for the pool of
# workers, not for the plan: the peak RSS of a sweep of 5x10^4 1-epoch
# runs, and of its rerun (every run complete already), is within 512 KiB
# of that of 10^3 runs. --shard 0/1 selects every run but builds no
# summary, whose groups' statistics grow with their runs.
set -euo pipefail
. tests/lib/check.sh
nnrun=${NNRUN:-$(pwd)/${BUILD:-build}/nnrun}
if [ -n "${NNRUN_TEST_QUICK:-}" ] || [ -n "${WRAP:-}" ] || [ ! -x /usr/bin/time ]; then
	echo "skipped: NNRUN_TEST_QUICK or WRAP is set (5x10^4 runs; the plain test run covers it), or no /usr/bin/time (Debian package time)"
	exit 77
fi
# 5x10^4 run folders: on tmpfs where there is one.
dir=$(mktemp -d -p "$([ -w /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")")
trap 'rm -rf "$dir"' EXIT

# Peak RSS in KiB of a -q -j2 run of every run of $1 seeds, the workers
# included.
peak() {
	printf 'name: m%s\nepochs: 1\nsweep:\n  seed: {from: 1, to: %s}\n' "$1" "$1" > "$dir/m$1.yaml"
	NNRUN_NO_SYNC=1 /usr/bin/time -f %M -o "$dir/rss" $nnrun -q -j2 --shard 0/1 -o "$dir/out" "$dir/m$1.yaml"
	cat "$dir/rss"
}
small=$(peak 1000)
big=$(peak 50000)
again=$(peak 50000)
echo "peak RSS in KiB: 10^3 runs $small, 5x10^4 runs $big, their rerun $again"
check "a_sweep_of_5e4_runs_peaks_within_512_KiB_of_1e3_runs" test $((big - small)) -lt 512
check "its_rerun_peaks_within_512_KiB_of_1e3_runs" test $((again - small)) -lt 512
checks_done
