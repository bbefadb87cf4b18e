#!/usr/bin/python3
"""compare_loss.py: compares two loss.csv files epoch by epoch.

    compare_loss.py A.csv B.csv TOLERANCE

Prints 'bitwise', or 'within TOL (max diff D)', and exits 0; exits 1 when
the epochs differ or a loss differs by more than TOLERANCE. A NaN matches
only a NaN at the same epoch, an infinity only the same infinity.
"""
import math
import sys


def read(path):
    with open(path) as f:
        lines = f.read().splitlines()
    if not lines or lines[0] != "epoch,loss":
        sys.exit("%s: no 'epoch,loss' header" % path)
    rows = [line.split(",") for line in lines[1:]]
    return [int(e) for e, _ in rows], [float(v) for _, v in rows], lines


def main(a, b, tol):
    ea, la, ta = read(a)
    eb, lb, tb = read(b)
    if ea != eb:
        print("epochs differ: %d rows against %d" % (len(ea), len(eb)))
        return 1
    if ta == tb:
        print("bitwise")
        return 0
    worst = 0.0
    for e, x, y in zip(ea, la, lb):
        if x == y or (math.isnan(x) and math.isnan(y)):
            continue
        if not (math.isfinite(x) and math.isfinite(y)):
            print("differ at epoch %d: %r against %r" % (e, x, y))
            return 1
        worst = max(worst, abs(x - y))
    if worst <= float(tol):
        print("within %s (max diff %.3g)" % (tol, worst))
        return 0
    print("differ: max diff %.3g > %s" % (worst, tol))
    return 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
