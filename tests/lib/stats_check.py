#!/usr/bin/env python3
"""stats_check.py: holds runner/stats.c (through the stats_cli program
given as argv[1..]) to SciPy, statsmodels and an independent NumPy
bootstrap on many cases, including 0/n, n/n, n = 1 and ties. Prints one
"ok NAME" or "FAIL NAME ..." line per check; exits 1 if any failed."""
import itertools
import math
import subprocess
import sys

import numpy as np
from scipy.stats import fisher_exact, mannwhitneyu, trim_mean
from statsmodels.stats.proportion import (confint_proportions_2indep,
                                          proportion_confint)

RESAMPLES = 2000       # STATS_RESAMPLES
SEED = 20211206        # STATS_SEED
TOL = 1e-9
fails = 0


def run(cases):
    text = "".join(c + "\n" for c in cases)
    out = subprocess.run(sys.argv[1:], input=text, capture_output=True,
                         text=True, check=True).stdout
    return [[float(v) for v in line.split()] for line in out.splitlines()]


def close(a, b):
    if math.isinf(a) or math.isinf(b) or math.isnan(a) or math.isnan(b):
        return (math.isnan(a) and math.isnan(b)) or a == b
    return abs(a - b) <= TOL


def check(name, got, want):
    global fails
    bad = [(g, w) for g, w in zip(got, want) if not close(g, w)]
    if bad or len(got) != len(want):
        fails += 1
        print(f"FAIL {name}: got {got}, want {want}")


def section(name, fails_before):
    if fails == fails_before:
        print(f"ok   {name}")


def boot_indices(rs, n):
    """One resample's indices, as stats.c draws them."""
    return np.minimum((rs.random_sample(n) * n).astype(np.int64), n - 1)


def percentile(boot):
    """NumPy's linear percentile, an end at +inf giving +inf."""
    v = np.sort(np.asarray(boot, dtype=float))
    out = []
    for q in (0.025, 0.975):
        pos = q * (len(v) - 1)
        lo = int(math.floor(pos))
        frac = pos - lo
        if lo + 1 >= len(v) or frac == 0 or v[lo] == v[lo + 1]:
            out.append(v[lo])
        elif math.isinf(v[lo + 1]):
            out.append(v[lo + 1])
        else:
            out.append(v[lo] + (v[lo + 1] - v[lo]) * frac)
    return out


def censored_median(times):
    """The smallest t by which at least half the runs solved (+inf: none)."""
    s = sorted(times)
    return s[math.ceil(len(s) / 2) - 1]


def censored_quantile(times, q):
    s = sorted(times)
    return s[max(math.ceil(q * len(s)), 1) - 1]


# ---- Wilson, Newcombe, Fisher: against statsmodels and SciPy ----
before = fails
small = [(k, n) for n in range(1, 13) for k in range(n + 1)]
large = [(0, 1000), (1000, 1000), (1, 1000), (500, 1000), (999, 1000), (3, 100000)]
props = small + large
got = run([f"wilson {k} {n}" for k, n in props])
for (k, n), g in zip(props, got):
    lo, hi = proportion_confint(k, n, alpha=0.05, method="wilson")
    check(f"wilson_{k}_of_{n}", g, [lo, hi])
section(f"wilson_matches_statsmodels_on_{len(props)}_cases", before)

before = fails
pairs = [(a, b) for a in props[::3] for b in props[::5]] + [
    ((0, 1), (1, 1)), ((1, 1), (0, 1)), ((0, 1), (0, 1)), ((1, 1), (1, 1)),
    ((0, 30), (30, 30)), ((30, 30), (30, 30)), ((20, 30), (29, 30))]
got = run([f"newcombe {a[0]} {a[1]} {b[0]} {b[1]}" for a, b in pairs])
for (a, b), g in zip(pairs, got):
    lo, hi = confint_proportions_2indep(a[0], a[1], b[0], b[1], method="newcomb",
                                        compare="diff", alpha=0.05)
    check(f"newcombe_{a}_{b}", g, [lo, hi])
section(f"newcombe_matches_statsmodels_on_{len(pairs)}_cases", before)

before = fails
tables = [(a, b, c, d) for a, b, c, d in itertools.product(range(5), repeat=4)]
tables += [(10, 20, 20, 10), (30, 0, 0, 30), (0, 30, 30, 0), (15, 15, 15, 15),
           (1, 0, 0, 1), (0, 0, 0, 0), (0, 1, 0, 0), (200, 800, 250, 750),
           (28, 2, 20, 10), (100, 0, 99, 1)]
got = run([f"fisher {a} {b} {c} {d}" for a, b, c, d in tables])
for t, g in zip(tables, got):
    p = fisher_exact([[t[0], t[1]], [t[2], t[3]]], alternative="two-sided")[1]
    check(f"fisher_{t}", g, [p])
section(f"fisher_matches_scipy_on_{len(tables)}_tables", before)

# ---- one group: the censored median and IQM, with their bootstrap ----
before = fails
rng = np.random.default_rng(7)
groups = []
for n in (1, 2, 3, 4, 5, 7, 10, 30, 101):
    for share in (0.0, 0.3, 0.5, 0.51, 1.0):
        solved = int(round(share * n))
        epochs = list(rng.integers(1, 40, size=solved)) + [-1] * (n - solved)
        rng.shuffle(epochs)
        loss = list(np.round(rng.random(n), 2))   # rounded: ties
        div = [int(rng.random() < 0.2) for _ in range(n)]
        for i in range(n):
            if div[i] and rng.random() < 0.5:
                loss[i] = float("nan")
        groups.append((epochs, loss, div))
groups.append(([5, 5, 5, 5], [0.5, 0.5, 0.5, 0.5], [0, 0, 0, 0]))
groups.append(([-1], [float("nan")], [1]))
cases = []
for e, l, d in groups:
    cases.append("group %d %s %s %s" % (len(e), " ".join(map(str, e)),
                                        " ".join(repr(float(x)) for x in l),
                                        " ".join(map(str, d))))
got = run(cases)
for (e, l, d), g in zip(groups, got):
    n = len(e)
    times = np.array([float(x) if x >= 0 else math.inf for x in e])
    loss = np.array([math.inf if math.isnan(x) else x for x in l])
    solved = int(np.sum(times < math.inf))
    lo, hi = proportion_confint(solved, n, alpha=0.05, method="wilson")
    med = censored_median(times)
    st, sl = np.sort(times), np.sort(loss)
    rs = np.random.RandomState(SEED)
    bmed = [censored_median(st[boot_indices(rs, n)]) for _ in range(RESAMPLES)]
    rs = np.random.RandomState(SEED)
    biqm = [trim_mean(sl[boot_indices(rs, n)], 0.25) for _ in range(RESAMPLES)]
    q1, q3 = censored_quantile(times, 0.25), censored_quantile(times, 0.75)
    want = [n, solved, n - sum(d), sum(d),
            1, solved / n, lo, hi,
            int(not math.isinf(med)), med, *percentile(bmed),
            math.nan if math.isinf(q1) else q1, math.nan if math.isinf(q3) else q3,
            1, trim_mean(loss, 0.25), *percentile(biqm),
            np.median(loss)]
    check(f"group_{e}_{l}", g, want)
    # The median exists exactly when at least half solved.
    check(f"median_exists_iff_half_solved_{e}", [g[8]], [float(2 * solved >= n)])
section(f"group_statistics_match_scipy_and_numpy_bootstrap_on_{len(groups)}_groups", before)

# ---- a pair: Newcombe, Fisher, probability of improvement ----
before = fails
pair_cases = []
for na, nb in ((1, 1), (1, 3), (3, 1), (5, 5), (10, 7), (30, 30), (40, 25)):
    for sa, sb in ((0, 0), (1, 0), (0, 1), (0.5, 0.5), (1, 1), (0.8, 0.3)):
        ka, kb = int(round(sa * na)), int(round(sb * nb))
        a = list(rng.integers(1, 6, size=ka)) + [-1] * (na - ka)   # few values: ties
        b = list(rng.integers(1, 6, size=kb)) + [-1] * (nb - kb)
        pair_cases.append((a, b))
cases = ["pair %d %s %d %s" % (len(a), " ".join(map(str, a)), len(b), " ".join(map(str, b)))
         for a, b in pair_cases]
got = run(cases)
for (a, b), g in zip(pair_cases, got):
    na, nb = len(a), len(b)
    ka, kb = sum(x >= 0 for x in a), sum(x >= 0 for x in b)
    # mannwhitneyu needs finite values: never is later than any epoch.
    ta = np.sort([x if x >= 0 else 10**9 for x in a]).astype(float)
    tb = np.sort([x if x >= 0 else 10**9 for x in b]).astype(float)
    lo, hi = confint_proportions_2indep(ka, na, kb, nb, method="newcomb", compare="diff")
    p = fisher_exact([[ka, na - ka], [kb, nb - kb]])[1]
    u = mannwhitneyu(tb, ta, alternative="two-sided").statistic / (na * nb)
    rs = np.random.RandomState(SEED)
    boot = []
    for _ in range(RESAMPLES):
        ra = ta[boot_indices(rs, na)]
        rb = tb[boot_indices(rs, nb)]
        boot.append(np.mean((rb[:, None] > ra[None, :]) + 0.5 * (rb[:, None] == ra[None, :])))
    want = [na, ka, nb, kb, 1, ka / na - kb / nb, lo, hi, p, 1, u, *percentile(boot)]
    check(f"pair_{a}_{b}", g, want)
section(f"pairs_match_statsmodels_scipy_and_numpy_bootstrap_on_{len(pair_cases)}_pairs", before)

# The same cases give the same bytes.
again = subprocess.run(sys.argv[1:], input="\n".join(cases) + "\n", capture_output=True,
                       text=True, check=True).stdout
first = subprocess.run(sys.argv[1:], input="\n".join(cases) + "\n", capture_output=True,
                       text=True, check=True).stdout
check("same_cases_same_bytes", [float(again == first)], [1.0])
print(f"{fails} failed")
sys.exit(1 if fails else 0)
