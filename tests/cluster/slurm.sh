#!/usr/bin/env bash
# slurm.sh: runs scripts/slurm-sweep on a throw-away single-node Slurm
# cluster (everything under one temporary folder, auth/none) and checks
# its results equal a local `nnrun -j2` run of the same sweep.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NNRUN=${NNRUN:-$ROOT/build/nnrun}
. "$ROOT/tests/cluster/common.sh"

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

ids=$(NNRUN="$NNRUN" "$ROOT/scripts/slurm-sweep" -o "$tmp/slurm" -t 5 "$ROOT/configs/xor.yaml" "${SWEEP[@]}")
array=$(sed -n 's/^array //p' <<<"$ids")
report=$(sed -n 's/^report //p' <<<"$ids")
[ -n "$array" ] && [ -n "$report" ] || { echo "FAIL: slurm-sweep printed no job ids: $ids"; exit 1; }
echo "ok: submitted array $array and report job $report"

for _ in $(seq 600); do
	[ -z "$(squeue -h -o %i)" ] && break
	sleep 0.2
done
[ -z "$(squeue -h -o %i)" ] || { echo "FAIL: jobs still queued after 120 s"; squeue; exit 1; }
tasks=$(grep -c "ArrayJobId=$array " "$tmp/jobcomp.txt" || true)
failed=$(grep -v "JobState=COMPLETED" "$tmp/jobcomp.txt" | grep -c JobId || true)
echo "ok: queue empty; $tasks array tasks and the report job logged, $failed not COMPLETED"
[ "$failed" = 0 ] || { echo "FAIL: jobs did not complete"; cat "$tmp/jobcomp.txt"; exit 1; }
grep -q "JobId=$report .*JobState=COMPLETED" "$tmp/jobcomp.txt" ||
	{ echo "FAIL: the report job did not run"; cat "$tmp/jobcomp.txt"; exit 1; }

$NNRUN -q -j2 -o "$tmp/local" "$ROOT/configs/xor.yaml" "${SWEEP[@]}"
n=$($NNRUN --count "$ROOT/configs/xor.yaml" "${SWEEP[@]}")
[ "$n" -ge 24 ] && [ "$tasks" -ge "$n" ] || { echo "FAIL: $tasks tasks for $n runs"; exit 1; }
same_results "$tmp/local/xor" "$tmp/slurm/xor"
echo "PASS: Slurm sweep of $n runs equals the local run"
