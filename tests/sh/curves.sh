#!/usr/bin/env bash
# curves.sh: `nnrun curves` writes, per report group and kept epoch, the
# quartiles of the seeds' losses, equal to NumPy's percentiles of the
# loss.csv files; long runs are thinned to at most 2000 points that keep
# the first and last epoch; the gnuplot blocks on stdout match.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NNRUN=${NNRUN:-$ROOT/build/nnrun}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { # STUDY EPOCHS LOG_EVERY
	/usr/bin/python3 - "$@" <<'PY'
import csv, glob, os, sys
import numpy as np
study, epochs, every = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
# Groups from summary.csv: every swept column but seed, as "key=value".
with open(f"{study}/summary.csv") as f:
    rows = list(csv.DictReader(f))
keys = [k for k in rows[0] if k not in ("index", "run_id", "seed") and
        k not in ("status", "epochs_run", "final_loss", "correct", "rows", "accuracy",
                  "solved_epoch", "diverged", "stop_reason", "seconds")]
groups = {}
for r in rows:
    label = " ".join(f"{k}={r[k]}" for k in keys) or "all"
    groups.setdefault(label, []).append(r["run_id"])
losses = {}
for label, ids in groups.items():
    per_run = []
    for i in ids:
        with open(f"{study}/{i}/loss.csv") as f:
            next(f)
            per_run.append({int(e): float(v) for e, v in (l.split(",") for l in f)})
    losses[label] = per_run
with open(f"{study}/curves.csv") as f:
    got = list(csv.reader(f))
assert got[0] == ["group", "epoch", "q1", "median", "q3"], got[0]
by_group = {}
for label, e, q1, q2, q3 in got[1:]:
    by_group.setdefault(label, []).append((int(e), float(q1), float(q2), float(q3)))
assert list(by_group) == list(groups), (list(by_group), list(groups))
for label, pts in by_group.items():
    epochs_got = [p[0] for p in pts]
    assert len(pts) <= 2000, len(pts)
    assert epochs_got[0] == 0 and epochs_got[-1] == epochs - 1, epochs_got[-3:]
    logged = sorted(set(range(0, epochs, every)) | {epochs - 1})
    if len(logged) <= 2000:
        assert epochs_got == logged, "every logged epoch is kept when they fit"
    for e, q1, q2, q3 in pts:
        v = [run[e] for run in losses[label]]
        want = np.percentile(v, [25, 50, 75])
        assert np.allclose([q1, q2, q3], want, rtol=1e-13, atol=0), (label, e, [q1, q2, q3], want)
print(f"ok: {len(groups)} groups, {sum(map(len, by_group.values()))} points equal NumPy's percentiles")
PY
}

$NNRUN -q -o "$tmp" "$ROOT/configs/xor.yaml" epochs=30 seed=1,2,3,4,5 "layers=[2,2,1],[2,3,1]"
$NNRUN curves "$tmp/xor" >"$tmp/gp.txt"
check "$tmp/xor" 30 1
blocks=$(grep -c '^"' "$tmp/gp.txt")
[ "$blocks" = 2 ] && grep -qx '"layers=\[2, 3, 1\]" q1 median q3' "$tmp/gp.txt" ||
	{ echo "FAIL: the gnuplot output has $blocks labelled blocks"; cat "$tmp/gp.txt" | head; exit 1; }
[ "$(grep -c '^[0-9]' "$tmp/gp.txt")" = "$(($(wc -l <"$tmp/xor/curves.csv") - 1))" ] ||
	{ echo "FAIL: gnuplot rows differ from curves.csv rows"; exit 1; }
echo "ok: stdout holds one gnuplot block per group, as many rows as curves.csv"

$NNRUN -q -o "$tmp" "$ROOT/configs/xor.yaml" name=long epochs=5001 log_every=2 seed=1,2,3,4
$NNRUN -q curves "$tmp/long"
check "$tmp/long" 5001 2
$NNRUN -q -o "$tmp" "$ROOT/configs/xor.yaml" name=thin epochs=7000 seed=1,2,3
$NNRUN -q curves "$tmp/thin"
check "$tmp/thin" 7000 1
echo "ok: 7000 logged epochs thin to $(($(wc -l <"$tmp/thin/curves.csv") - 1)) points, first and last kept"

# relu into bce at these rates: 1.0 diverges for no seed, 10 for 4 of
# the 6, 1e6 for all. The labels say so; curves.csv's groups stay plain.
$NNRUN -q -o "$tmp" "$ROOT/configs/xor.yaml" name=div epochs=300 activation=relu \
	"layers=[2,8,1]" loss=bce learning_rate=1,10,1e6 seed=1,2,3,4,5,6
$NNRUN curves "$tmp/div" >"$tmp/div.txt"
grep '^"' "$tmp/div.txt" >"$tmp/labels"
printf '%s\n' '"learning_rate=1.0" q1 median q3' '"learning_rate=10.0 (4 of 6 diverged)" q1 median q3' \
	'"learning_rate=1000000.0 (all 6 diverged)" q1 median q3' | diff - "$tmp/labels" ||
	{ echo "FAIL: the gnuplot labels do not count the diverged runs"; exit 1; }
cut -d, -f1 "$tmp/div/curves.csv" | sort -u | grep -q diverged &&
	{ echo "FAIL: curves.csv's group names changed"; exit 1; }
echo "ok: the gnuplot labels say how many of a group's runs diverged"

if $NNRUN curves "$tmp/nothing" 2>/dev/null; then
	echo "FAIL: curves of a missing study exited 0"; exit 1
fi
echo "ok: curves of a folder without study.yaml fails"
