#!/usr/bin/env bash
# durability.sh: the order of syscalls (strace) when runs are committed:
# every file of every run of a batch made durable (one syncfs, or each
# file's fdatasync and the folder's fsync where syncfs fails), then the
# renames that make the runs complete, then the study folder; and only
# then is a run reported done.
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
		strace -f -s 256 -o "$dir/trace.txt" ${INJECT:+-e inject=$INJECT} \
		-e trace=openat,write,close,fsync,fdatasync,syncfs,rename,renameat2 \
		"$nnrun" "$@"
}
trace -q -o "$dir/one" configs/xor.yaml epochs=50
check "one_run_syncs_its_files_then_renames_then_syncs_the_study" \
	python3 tests/lib/sync_order.py "$dir/trace.txt" "$dir/one/xor"
# Progress lines on (stderr is not a terminal): each comes after its run's commit.
trace -j2 -o "$dir/sweep" configs/xor.yaml epochs=50 seed=1,2,3,4,5 >/dev/null 2>"$dir/err.txt"
check "a_sweep_syncs_each_run_before_its_rename_and_the_study_after" \
	python3 tests/lib/sync_order.py "$dir/trace.txt" "$dir/sweep/xor"
check "a_sweep_commits_every_run" test "$(grep -c 'rename(.*/\.tmp-2-2-1_' "$dir/trace.txt")" = 5
check "a_sweep_reports_each_run_done_after_its_commit" \
	grep -q 'reported 5$' <(python3 tests/lib/sync_order.py "$dir/trace.txt" "$dir/sweep/xor")
# Where syncfs fails, each file is synced instead, still before the rename.
INJECT=syncfs:error=EIO trace -q -j2 -o "$dir/fallback" configs/xor.yaml epochs=50 seed=1,2,3
check "without_syncfs_each_file_is_synced_before_the_rename" \
	python3 tests/lib/sync_order.py "$dir/trace.txt" "$dir/fallback/xor"
check "without_syncfs_every_run_is_committed" test "$(ls "$dir/fallback/xor" | grep -c '^2-2-1_')" = 3
# A sweep of short runs commits them in batches: fewer flushes than runs.
printf 'name: short\nepochs: 1\nsweep:\n  seed: {from: 1, to: 200}\n' > "$dir/short.yaml"
trace -q -j2 -o "$dir/short" "$dir/short.yaml"
python3 tests/lib/sync_order.py "$dir/trace.txt" "$dir/short/short" > "$dir/short.txt" || true
read -r _ flushes _ renames _ < <(tail -1 "$dir/short.txt")
echo "200 runs of 1 epoch: $flushes flushes for $renames renames"
check "a_short_sweep_is_synced_in_order" python3 tests/lib/sync_order.py "$dir/trace.txt" "$dir/short/short"
check "a_short_sweep_takes_fewer_flushes_than_runs" test "$renames" = 200 -a "$flushes" -lt "$renames"
# A stop signal: each worker ends the run it trains, commits the runs it
# finished (each reported once committed), and exits cleanly.
printf 'name: stop\nepochs: 300000\nsweep:\n  seed: {from: 1, to: 40}\n' > "$dir/stop.yaml"
trace -j2 -o "$dir/stop" "$dir/stop.yaml" >/dev/null 2>"$dir/stop.txt" &
tracer=$!
reported='^\[[0-9/]*\] run [0-9]* [^ ]* \(done\|diverged\):'
for _ in $(seq 600); do
	grep -q "$reported" "$dir/stop.txt" 2>/dev/null && break
	sleep 0.05
done
# trace runs in a subshell: its child is strace, whose child is nnrun.
strace_pid=$(ps -o pid= --ppid "$tracer" | tr -d ' ')
kill -TERM "$(ps -o pid= --ppid "$strace_pid" | tr -d ' ')"
wait "$tracer" || true
check "a_stop_signal_lets_the_workers_commit_and_exit" \
	bash -c "! grep -q 'killed by SIGTERM' '$dir/trace.txt' && test \$(grep -c 'exited with 0' '$dir/trace.txt') = 2"
check "a_stop_signal_keeps_the_runs_reported_and_only_those" \
	test "$(grep -c "$reported" "$dir/stop.txt")" = "$(ls "$dir/stop/stop" | grep -c '^2-2-1_')"
check "a_stop_signal_leaves_the_commits_in_order" python3 tests/lib/sync_order.py "$dir/trace.txt" "$dir/stop/stop"
# The checker itself fails on a trace without syncs.
NNRUN_NO_SYNC=1 trace -q -o "$dir/nosync" configs/xor.yaml epochs=50
check "the_checker_fails_without_syncs" bash -c "! python3 tests/lib/sync_order.py '$dir/trace.txt' '$dir/nosync/xor' >/dev/null"
NNRUN_NO_SYNC=1 trace -j2 -o "$dir/nosync2" configs/xor.yaml epochs=50 seed=1,2,3 >/dev/null 2>&1
check "the_checker_fails_on_a_sweep_without_syncs" bash -c "! python3 tests/lib/sync_order.py '$dir/trace.txt' '$dir/nosync2/xor' >/dev/null"
checks_done
