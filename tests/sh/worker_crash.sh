#!/usr/bin/env bash
# worker_crash.sh: a worker that dies (here: kill -9 of one worker) fails its
# run and the invocation (exit 1, said on stderr); the other runs finish, and
# a rerun completes the sweep.
set -euo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
args=(-j2 -o "$dir/r" configs/xor.yaml name=crash seed=1,2,3,4 epochs=3000000 log_every=1000000)
set +e
$NNRUN "${args[@]}" 2>"$dir/err.txt" >/dev/null &
main=$!
worker=""
for _ in $(seq 200); do
	worker=$(pgrep -P "$main" | head -n1 || true)
	# Under valgrind the workers are children of the valgrind process too.
	[ -n "$worker" ] && [ -e "$dir/r/crash/study.yaml" ] && break
	sleep 0.05
done
sleep 0.2
kill -9 "$worker"
wait "$main"; rc=$?
set -e
. tests/lib/check.sh
check "crashed_worker_fails_the_invocation" test "$rc" -eq 1
check "crash_is_reported" grep -q "worker process ended abnormally (status 137)\|runs failed; rerun to retry them" "$dir/err.txt"
check "no_temporaries_left" test -z "$(find "$dir/r" -name '.tmp-*')"
$NNRUN -q "${args[@]}"
check "rerun_completes_the_sweep" test "$(ls -d "$dir"/r/crash/*/ | wc -l)" -eq 4
checks_done
