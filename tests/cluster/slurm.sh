#!/usr/bin/env bash
# slurm.sh: runs scripts/slurm-sweep on a throw-away single-node Slurm
# cluster (everything under one temporary folder, auth/none) whose
# MaxArraySize is smaller than the sweep, and checks its results equal a
# local `nnrun -j2` run of the same sweep; from a path with a space too.
# A cancelled array still gets its report job, which names what is missing.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NNRUN=${NNRUN:-$ROOT/build/nnrun}
. "$ROOT/tests/cluster/common.sh"

# Without Slurm: one line, exit 2, nothing made.
nos=$(mktemp -d)
rc=0
PATH=$nos /bin/bash "$ROOT/scripts/slurm-sweep" -o "$nos/results" "$ROOT/configs/xor.yaml" \
	>"$nos/out" 2>"$nos/err" || rc=$?
[ "$rc" = 2 ] && [ "$(wc -l <"$nos/err")" = 1 ] && [ ! -s "$nos/out" ] &&
	grep -q "sbatch and scontrol are not on PATH" "$nos/err" && [ ! -e "$nos/results" ] ||
	{ cat "$nos/err"; rm -rf "$nos"; echo "FAIL: without sbatch: exit $rc, not one line and nothing made"; exit 1; }
rm -rf "$nos"
echo "ok: without sbatch on PATH: exit 2, one line, nothing made"

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null; then
	[ "$(id -u)" = 0 ] || { echo "FAIL: Slurm is missing and only root can install it"; exit 1; }
	echo "installing slurmctld slurmd slurm-client"
	if ! out=$(apt-get update -qq 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install \
		-y -qq --no-install-recommends slurmctld slurmd slurm-client 2>&1); then
		echo "$out"; echo "FAIL: cannot install Slurm"; exit 1
	fi
fi

tmp=$(mktemp -d)
keep=${KEEP_TMP:-}
stop() {
	scancel --quiet --user "$(id -un)" 2>/dev/null || true
	for d in slurmd slurmctld; do
		[ -s "$tmp/$d.pid" ] && kill "$(cat "$tmp/$d.pid")" 2>/dev/null || true
	done
	sleep 0.5
	[ -n "$keep" ] || rm -rf "$tmp"
}
trap stop EXIT

mkdir -p "$tmp/state" "$tmp/spool"
cat >"$tmp/slurm.conf" <<CONF
ClusterName=nnruntest
SlurmctldHost=localhost
SlurmUser=$(id -un)
SlurmdUser=root
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/none
CredType=cred/none
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$tmp/jobcomp.txt
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
SchedulerParameters=batch_sched_delay=0
MaxArraySize=10
NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$tmp/slurm.conf
slurmctld -c -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 100); do
	sinfo -h -o %T 2>/dev/null | grep -qx idle && break
	sleep 0.1
done
sinfo -h -o %T | grep -qx idle || { echo "FAIL: the node never became idle"; tail "$tmp"/*.log; exit 1; }
echo "ok: single-node cluster up ($(sinfo -V))"

# Waits until no job is queued.
drain() {
	for _ in $(seq 900); do
		[ -z "$(squeue -h -o %i)" ] && return 0
		sleep 0.2
	done
	echo "FAIL: jobs still queued after 180 s"; squeue; exit 1
}

n=$($NNRUN --count "$ROOT/configs/xor.yaml" "${SWEEP[@]}")
[ "$n" -gt 10 ] || { echo "FAIL: the sweep ($n runs) must exceed MaxArraySize (10)"; exit 1; }
ids=$(NNRUN="$NNRUN" "$ROOT/scripts/slurm-sweep" -o "$tmp/slurm" -t 5 "$ROOT/configs/xor.yaml" "${SWEEP[@]}")
array=$(sed -n 's/^array //p' <<<"$ids")
report=$(sed -n 's/^report //p' <<<"$ids")
[ -n "$array" ] && [ -n "$report" ] || { echo "FAIL: slurm-sweep printed no job ids: $ids"; exit 1; }
echo "ok: submitted array $array and report job $report for $n runs"

# The same from a checkout whose path has a space, with its own nnrun.
copy=$(spaced_copy "$tmp")
ids=$(env -u NNRUN "$copy/scripts/slurm-sweep" -o "$copy/results" -t 5 "$copy/configs/xor.yaml" "${SWEEP[@]}")
sp_report=$(sed -n 's/^report //p' <<<"$ids")
[ -n "$sp_report" ] || { echo "FAIL: slurm-sweep in '$copy' printed no job ids: $ids"; exit 1; }

drain
tasks=$(grep -c "ArrayJobId=$array " "$tmp/jobcomp.txt" || true)
failed=$(grep -v "JobState=COMPLETED" "$tmp/jobcomp.txt" | grep -c JobId || true)
echo "ok: queue empty; $tasks array tasks and the report job logged, $failed not COMPLETED"
[ "$failed" = 0 ] || { echo "FAIL: jobs did not complete"; cat "$tmp/jobcomp.txt"; exit 1; }
grep -q "JobId=$report .*JobState=COMPLETED" "$tmp/jobcomp.txt" ||
	{ echo "FAIL: the report job did not run"; cat "$tmp/jobcomp.txt"; exit 1; }
grep -q "JobId=$sp_report .*JobState=COMPLETED" "$tmp/jobcomp.txt" ||
	{ echo "FAIL: the report job from '$copy' did not run"; cat "$tmp/jobcomp.txt"; exit 1; }
[ "$tasks" = 10 ] || { echo "FAIL: $tasks array tasks for $n runs, want MaxArraySize (10)"; exit 1; }

$NNRUN -q -j2 -o "$tmp/local" "$ROOT/configs/xor.yaml" "${SWEEP[@]}"
same_results "$tmp/local/xor" "$tmp/slurm/xor"
echo "ok: $n runs in 10 tasks (MaxArraySize 10) equal the local run"
same_results "$tmp/local/xor" "$copy/results/xor"
echo "ok: the sweep from '$copy' equals the local run"

# A cancelled array: the report job still runs (afterany), fails, and
# says what is missing; no temporary is left.
ids=$(NNRUN="$NNRUN" "$ROOT/scripts/slurm-sweep" -o "$tmp/cancel" "$ROOT/configs/xor.yaml" \
	epochs=100000000 log_every=100000 seed=1,2,3)
array=$(sed -n 's/^array //p' <<<"$ids")
report=$(sed -n 's/^report //p' <<<"$ids")
for _ in $(seq 600); do
	[ -n "$(find "$tmp/cancel/xor" -name '.tmp-*' -type d 2>/dev/null | head -1)" ] && break
	sleep 0.1
done
[ -n "$(find "$tmp/cancel/xor" -name '.tmp-*' 2>/dev/null)" ] || { echo "FAIL: no task started"; squeue; exit 1; }
scancel "$array"
drain
grep -q "JobId=$report .*JobState=FAILED" "$tmp/jobcomp.txt" ||
	{ echo "FAIL: the report job of the cancelled array did not run and fail"; cat "$tmp/jobcomp.txt"; exit 1; }
grep -q "3 planned runs are missing" "$tmp/cancel/slurm-logs/nnrun-report-$report.out" ||
	{ cat "$tmp/cancel/slurm-logs/nnrun-report-$report.out"; echo "FAIL: the report job did not say what is missing"; exit 1; }
[ -z "$(find "$tmp/cancel" -name '.tmp-*')" ] ||
	{ find "$tmp/cancel" -name '.tmp-*'; echo "FAIL: the cancelled array left temporaries"; exit 1; }
rc=0
$NNRUN report -q "$tmp/cancel/xor" 2>/dev/null || rc=$?
[ "$rc" = 1 ] || { echo "FAIL: nnrun report of the cancelled study exited $rc, want 1"; exit 1; }
echo "ok: scancel: the report job ran, failed, named 3 missing runs; no temporaries"
echo "PASS: Slurm sweeps of $n runs past MaxArraySize equal the local run"
