#!/usr/bin/python3
"""gen_fixtures.py: regenerates tests/fixtures and tests/golden from NumPy.

Run from the repository root with Debian's python3 (it has NumPy):
    /usr/bin/python3 tests/gen_fixtures.py
Every value is written with repr, so it reads back as the same double.
"""
import os
import subprocess
import sys

import numpy as np

SEEDS = [0, 1, 42, 4294967295]
DRAWS = 1300  # more than two 624-word refills of MT19937's state


def write_values(path, values):
    with open(path, "w") as f:
        for v in values:
            f.write("%r\n" % float(v))


def main():
    os.makedirs("tests/fixtures", exist_ok=True)
    os.makedirs("tests/golden", exist_ok=True)
    for seed in SEEDS:
        np.random.seed(seed)
        write_values("tests/fixtures/randn_%d.txt" % seed,
                     np.random.randn(DRAWS))
        np.random.seed(seed)
        write_values("tests/fixtures/uniform_%d.txt" % seed,
                     np.random.random_sample(DRAWS))
    # The tutorial's run: 2-2-1 sigmoid, lr 0.1, 10000 epochs, seed 42.
    subprocess.run([sys.executable, "scripts/numpy_reference.py",
                    "--layers", "2,2,1", "--activation", "sigmoid",
                    "--learning-rate", "0.1", "--epochs", "10000",
                    "--seed", "42", "-o", "tests/golden/xor.csv"],
                   check=True)


if __name__ == "__main__":
    main()
