#!/usr/bin/env bash
# compare.sh: `nnrun compare RESULTS/NAME KEY [--baseline VALUE]` pairs the
# values of KEY with the other swept keys matched; compare.csv's figures
# equal statsmodels' Newcombe interval, SciPy's Fisher exact p and
# Mann-Whitney U / (nA nB) from summary.csv's runs; the table says what
# is significant; a key or baseline the study lacks is a usage error.
# Runs whose targets are not all 0 or 1 never solve: they compare by
# final loss, P(a's is the lower) equal to SciPy's Mann-Whitney U.
set -uo pipefail
BUILD=${BUILD:-build}
NNRUN=${NNRUN:-$BUILD/nnrun}
sh tests/deps.sh python3-scipy python3-statsmodels || exit 1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. tests/lib/check.sh
$NNRUN -q -o "$dir" configs/xor.yaml epochs=300 seed=1,2,3,4,5,6,7,8 \
	activation=sigmoid,tanh,relu learning_rate=0.5,2 "layers=[2,4,1]"

# verify STUDY KEY PAIRS_EXPECTED [loss]: compare.csv's rows against
# SciPy and statsmodels from summary.csv's runs, on epochs to solve, or
# (loss) on final loss for runs that never solve.
verify() {
	/usr/bin/python3 - "$@" <<'PY'
import csv, math, sys
import numpy as np
from scipy.stats import fisher_exact, mannwhitneyu
from statsmodels.stats.proportion import confint_proportions_2indep
study, key, n_expected = sys.argv[1], sys.argv[2], int(sys.argv[3])
by_loss = sys.argv[4:] == ["loss"]
runs = list(csv.DictReader(open(f"{study}/summary.csv")))
rows = list(csv.DictReader(open(f"{study}/compare.csv")))
assert len(rows) == n_expected, (len(rows), n_expected)
others = [k for k in ("activation", "learning_rate") if k != key]
def cell(ctx, value):
    return [float(r["final_loss"]) if by_loss else int(r["solved_epoch"]) for r in runs
            if r[key] == value and " ".join(f"{k}={r[k]}" for k in others) == ctx]
for row in rows:
    assert row["key"] == key
    a, b = cell(row["context"], row["a"]), cell(row["context"], row["b"])
    na, nb = len(a), len(b)
    if by_loss:
        assert (row["solved_a"], row["solved_b"], row["solved_diff"], row["fisher_p"]) == ("n/a", "n/a", "", ""), row
        assert (int(row["runs_a"]), int(row["runs_b"])) == (na, nb), row
        a = [x if not math.isnan(x) else math.inf for x in a]
        b = [x if not math.isnan(x) else math.inf for x in b]
        u = mannwhitneyu(b, a).statistic / (na * nb)
        if abs(float(row["p_a_lower_loss"]) - u) > 1e-9:
            sys.exit(f"{row}: expected {u}")
        assert float(row["p_a_lower_loss_lo"]) <= u <= float(row["p_a_lower_loss_hi"]), row
        continue
    ka, kb = sum(x >= 0 for x in a), sum(x >= 0 for x in b)
    lo, hi = confint_proportions_2indep(ka, na, kb, nb, method="newcomb", compare="diff")
    p = fisher_exact([[ka, na - ka], [kb, nb - kb]])[1]
    ta = [x if x >= 0 else 10**9 for x in a]
    tb = [x if x >= 0 else 10**9 for x in b]
    u = mannwhitneyu(tb, ta).statistic / (na * nb)
    want = {"runs_a": na, "runs_b": nb, "solved_a": ka, "solved_b": kb,
            "solved_diff": ka / na - kb / nb, "solved_diff_lo": lo, "solved_diff_hi": hi,
            "fisher_p": p, "p_a_sooner": u}
    for col, w in want.items():
        if abs(float(row[col]) - w) > 1e-9:
            sys.exit(f"{row['context']} {row['a']} vs {row['b']}: {col} {row[col]}, expected {w}")
    assert float(row["p_a_sooner_lo"]) <= u <= float(row["p_a_sooner_hi"]), row
PY
}
$NNRUN compare "$dir/xor" activation --baseline sigmoid >"$dir/table.txt"
check "compare_exits_0" test $? = 0
check "baseline_pairs_match_scipy" verify "$dir/xor" activation 4
check "baseline_is_every_b" test "$(cut -d, -f4 "$dir/xor/compare.csv" | sed 1d | sort -u)" = sigmoid
check "table_has_a_row_per_pair" test "$(grep -c '^learning_rate=' "$dir/table.txt")" = 4
check "table_says_what_is_significant" grep -q 'solved_diff_95ci  *fisher_p  *sig  *p_a_sooner_95ci  *sig$' "$dir/table.txt"
check "table_says_how" grep -q "Newcombe's hybrid score.*Fisher's exact.*2000 resamples" "$dir/table.txt"
$NNRUN -q compare "$dir/xor" activation
check "every_two_values_without_baseline" verify "$dir/xor" activation 6
$NNRUN -q compare "$dir/xor" learning_rate
check "another_key_matches_the_rest" verify "$dir/xor" learning_rate 3
cp "$dir/xor/compare.csv" "$dir/first.csv"
$NNRUN -q compare "$dir/xor" learning_rate
check "same_runs_same_bytes" cmp -s "$dir/first.csv" "$dir/xor/compare.csv"

$NNRUN -q -o "$dir/loss" configs/xor.yaml task=tests/fixtures/data/regression.csv epochs=200 \
	seed=1,2,3,4,5,6 activation=sigmoid,tanh,relu learning_rate=0.5,3
$NNRUN compare "$dir/loss/xor" activation >"$dir/table.txt"
check "loss_compare_exits_0" test $? = 0
check "loss_pairs_match_scipy" verify "$dir/loss/xor" activation 6 loss
check "loss_table_says_so" grep -q 'p_a_lower_loss_95ci  *sig$' "$dir/table.txt"
check "loss_table_says_why" grep -q "no run solves, so runs compare by final loss" "$dir/table.txt"

# A random search draws each key afresh at every point: no two points
# share a setting of the other keys, so there is nothing to pair, and the
# gathering stays as small as the runs (not contexts x values^2).
$NNRUN -q -o "$dir/rs" configs/xor.yaml epochs=1 optimizer=momentum samples=2000 \
	"learning_rate={log_uniform: [0.01, 10]}" "momentum={uniform: [0, 0.99]}"
$NNRUN compare "$dir/rs/xor" learning_rate >"$dir/table.txt"
check "random_points_compare_exits_0" test $? = 0
check "random_points_have_no_pairs" test "$(wc -l <"$dir/rs/xor/compare.csv")" = 1
check "the_table_says_no_pairs" grep -q "^No pairs: no two values of learning_rate share" "$dir/table.txt"

# Values longer than the columns' least widths (a random point's 18
# digits) widen them: every row's solved_a ends under its heading.
$NNRUN -q -o "$dir/rs3" configs/xor.yaml epochs=50 samples=3 seed=1,2 \
	"learning_rate={log_uniform: [0.01, 10]}"
$NNRUN compare "$dir/rs3/xor" learning_rate >"$dir/table.txt"
check "long_values_keep_the_columns" /usr/bin/python3 - "$dir/table.txt" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().split("\n")
end = lines[0].index("solved_a") + len("solved_a")
rows = [l for l in lines[1:] if l.startswith("all ")]
assert len(rows) == 3, rows
for l in rows:
    m = [x for x in re.finditer(r"\S+", l)][3]
    assert m.end() == end and "/" in m.group(), (l, end)
PY

$NNRUN compare "$dir/xor" seed 2>"$dir/err.txt"
check "seed_is_not_compared" test $? = 2
check "the_error_lists_the_keys" grep -q '^nnrun: error: seed is not a key .*activation, learning_rate' "$dir/err.txt"
$NNRUN compare "$dir/xor" epochs 2>/dev/null
check "an_unswept_key_exits_2" test $? = 2
$NNRUN compare "$dir/xor" activation --baseline gelu 2>"$dir/err.txt"
check "an_unknown_baseline_exits_2" test $? = 2
check "the_error_lists_the_values" grep -q 'gelu is not a value of activation.*sigmoid, tanh, relu' "$dir/err.txt"
$NNRUN compare "$dir/nothing" activation 2>/dev/null
check "not_a_study_exits_2" test $? = 2
$NNRUN -q --baseline x configs/xor.yaml 2>/dev/null
check "baseline_without_compare_exits_2" test $? = 2
checks_done
