#!/usr/bin/env bash
# stats.sh: the report's statistics (runner/stats.c) equal SciPy's and
# statsmodels' (Wilson, Newcombe, Fisher, Mann-Whitney, trimmed mean) and
# an independent NumPy bootstrap drawing the same resamples, within 1e-9.
set -uo pipefail
BUILD=${BUILD:-build}
sh tests/deps.sh python3-scipy python3-statsmodels || exit 1
# WRAP (valgrind) is split into words on purpose.
# shellcheck disable=SC2086
/usr/bin/python3 tests/lib/stats_check.py ${WRAP:-} "$BUILD/tests/stats_cli"
status=$?

# A real study: report.csv holds, per group, the figures statsmodels,
# SciPy and the censored median give from summary.csv's runs, and the
# same runs give the same bytes.
NNRUN=${NNRUN:-$BUILD/nnrun}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. tests/lib/check.sh
$NNRUN -q -o "$dir" configs/xor.yaml epochs=400 seed=1,2,3,4,5 learning_rate=0.5,2 \
	activation=sigmoid,tanh,relu "layers=[2,8,1]"
check "report_figures_match_scipy" /usr/bin/python3 - "$dir/xor" <<'PY'
import csv, math, sys
import numpy as np
from scipy.stats import trim_mean
from statsmodels.stats.proportion import proportion_confint
study = sys.argv[1]
runs = list(csv.DictReader(open(f"{study}/summary.csv")))
rep = list(csv.DictReader(open(f"{study}/report.csv")))
keys = [k for k in ("learning_rate", "activation")]
groups = {}
for r in runs:
    groups.setdefault(" ".join(f"{k}={r[k]}" for k in keys), []).append(r)
assert [g["group"] for g in rep] == list(groups), ([g["group"] for g in rep], list(groups))
def num(s):
    return math.nan if s == "" else float(s)
for g in rep:
    rs = groups[g["group"]]
    n = len(rs)
    t = sorted(float(r["solved_epoch"]) if int(r["solved_epoch"]) >= 0 else math.inf for r in rs)
    k = sum(x < math.inf for x in t)
    lo, hi = proportion_confint(k, n, method="wilson")
    loss = [float(r["final_loss"]) for r in rs]
    loss = [math.inf if math.isnan(x) else x for x in loss]
    med = t[math.ceil(n / 2) - 1]
    want = {"runs": n, "solved": k, "solved_fraction": k / n, "solved_fraction_lo": lo,
            "solved_fraction_hi": hi, "solved_epoch_median": med if med < math.inf else math.nan,
            "final_loss_iqm": trim_mean(loss, 0.25), "final_loss_median": np.median(loss),
            "diverged": sum(r["status"] == "diverged" for r in rs),
            "done": sum(r["status"] == "done" for r in rs)}
    for col, w in want.items():
        got = num(g[col])
        ok = (math.isnan(got) and math.isnan(w)) or abs(got - w) <= 1e-9
        if not ok:
            sys.exit(f"{g['group']}: {col} is {g[col]}, expected {w}")
    assert num(g["solved_fraction_lo"]) <= k / n <= num(g["solved_fraction_hi"])
    assert num(g["final_loss_iqm_lo"]) <= num(g["final_loss_iqm_hi"])
PY
cp "$dir/xor/report.csv" "$dir/first.csv"
$NNRUN report -q "$dir/xor"
check "the_same_runs_give_the_same_report_bytes" cmp -s "$dir/first.csv" "$dir/xor/report.csv"
checks_done || status=1
exit $status
