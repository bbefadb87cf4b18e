#!/usr/bin/env bash
# durability.sh: the order of syscalls (strace) when runs are committed:
# each file's data synced, then the run's folder, then the rename that
# makes the run complete, then the study folder.
set -euo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. tests/lib/check.sh
if ! command -v strace >/dev/null || [ -n "${WRAP:-}" ]; then
	echo "skip durability: needs strace (Debian package strace) and no WRAP"
	exit 0
fi
nnrun=$(pwd)/${BUILD:-build}/nnrun
# LeakSanitizer cannot run under ptrace: an ASan build runs without it here.
trace() {
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -o "$dir/trace.txt" -e trace=openat,write,close,fsync,fdatasync,rename,renameat2 \
		"$nnrun" -q "$@"
}
trace -o "$dir/one" configs/xor.yaml epochs=50
check "one_run_syncs_its_files_then_renames_then_syncs_the_study" \
	python3 tests/lib/sync_order.py "$dir/trace.txt" "$dir/one/xor"
trace -j2 -o "$dir/sweep" configs/xor.yaml epochs=50 seed=1,2,3,4,5
check "a_sweep_syncs_each_run_before_its_rename_and_the_study_after" \
	python3 tests/lib/sync_order.py "$dir/trace.txt" "$dir/sweep/xor"
check "a_sweep_commits_every_run" test "$(grep -c 'rename(.*/\.tmp-2-2-1_' "$dir/trace.txt")" = 5
# The checker itself fails on a trace without syncs.
NNRUN_NO_SYNC=1 trace -o "$dir/nosync" configs/xor.yaml epochs=50
check "the_checker_fails_without_syncs" bash -c "! python3 tests/lib/sync_order.py '$dir/trace.txt' '$dir/nosync/xor' >/dev/null"
checks_done
