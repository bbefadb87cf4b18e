#!/usr/bin/python3
"""numpy_reference.py: the tutorial's NumPy network, for any depth and task.

Trains exactly as the tutorial does (full batch, W += a_prev.T.dot(d) * lr)
and writes one CSV row per epoch, `epoch,loss`, with the loss of the
forward pass before that epoch's update, printed with repr so that it
reads back as the same double. nnrun's losses are held against these.

    scripts/numpy_reference.py --layers 2,2,1 --epochs 10000 --seed 42
    scripts/numpy_reference.py --task parity-8 --layers 8,16,1 --epochs 2000

Tasks as nnrun builds them: the gates xor, and, or, nand, nor, xnor (rows
00, 01, 10, 11); parity-N (2^N rows counting in binary, the first input
the most significant bit; target 1 for an odd number of ones); encoder-N
(the N one-hot rows, targets equal to the inputs); and data files, a
path ending in .csv (a header row, then rows of numbers, the last
--targets columns the targets) or .data (FANN's format).
"""
import argparse
import os
import platform
import sys
import warnings

# NumPy's own AVX-512 exp and log differ from the C library's in the last
# bit for about a quarter of inputs, so on AVX-512 machines its losses would
# drift ~1e-16 from NumPy's on every other machine (and from nnrun's).
# Switching those kernels off makes NumPy call libm, as it does without
# AVX-512. Set NPY_DISABLE_CPU_FEATURES yourself (even to "") to override;
# names this NumPy does not dispatch only draw a warning, silenced here.
if platform.machine().lower() in ("x86_64", "amd64"):
    os.environ.setdefault(
        "NPY_DISABLE_CPU_FEATURES",
        "AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL "
        "AVX512_SPR")
with warnings.catch_warnings():
    warnings.simplefilter("ignore", RuntimeWarning)
    import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_derivative(a):
    return a * (1 - a)


def tanh(x):
    return np.tanh(x)


def tanh_derivative(a):
    return 1 - a * a


def relu(x):
    return np.where(x > 0, x, 0.0)


def relu_derivative(a):
    return np.where(a > 0, 1.0, 0.0)


# Derivatives take the activation's output a, as the tutorial writes them.
ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
}

INIT_SCALES = {
    "normal": lambda n_in: 1.0,
    "xavier": lambda n_in: np.sqrt(1.0 / n_in),
    "he": lambda n_in: np.sqrt(2.0 / n_in),
}


GATES = {"xor": [0, 1, 1, 0], "and": [0, 0, 0, 1], "or": [0, 1, 1, 1],
         "nand": [1, 1, 1, 0], "nor": [1, 0, 0, 0], "xnor": [1, 0, 0, 1]}


def data_file_rows(path, targets):
    """A data file's X and y: CSV (a header row, then rows of numbers, the
    last `targets` columns the targets) or FANN's .data (`rows inputs
    outputs`, then every row's inputs and outputs, any whitespace)."""
    with open(path) as f:
        text = f.read()
    if path.endswith(".data"):
        words = text.split()
        rows, n_in, n_out = (int(w) for w in words[:3])
        v = np.array([float(w) for w in words[3:]], dtype=float)
        v = v.reshape(rows, n_in + n_out)
        return v[:, :n_in].copy(), v[:, n_in:].copy()
    lines = text.splitlines()[1:]
    v = np.array([[float(c) for c in line.split(",")] for line in lines], dtype=float)
    return v[:, :-targets].copy(), v[:, -targets:].copy()


def task_rows(name, targets=1):
    """The inputs X and targets y of a task, as float arrays."""
    if name.endswith(".csv") or name.endswith(".data"):
        return data_file_rows(name, targets)
    if name in GATES:
        X = [[0, 0], [0, 1], [1, 0], [1, 1]]
        return np.array(X, dtype=float), np.array([GATES[name]], dtype=float).T
    kind, _, n = name.partition("-")
    if not n.isdigit() or n.startswith("0"):
        raise ValueError(name)
    n = int(n)
    if kind == "parity" and 2 <= n <= 16:
        X = [[(r >> (n - 1 - k)) & 1 for k in range(n)] for r in range(2 ** n)]
        X = np.array(X, dtype=float)
        return X, (X.sum(axis=1, keepdims=True) % 2)
    if kind == "encoder" and 2 <= n <= 256:
        return np.eye(n), np.eye(n)
    raise ValueError(name)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--layers", default="2,2,1",
                   help="widths, input first and output last (default 2,2,1)")
    p.add_argument("--activation", default="sigmoid",
                   help="hidden activation, or one per hidden layer, comma "
                        "separated (default sigmoid)")
    p.add_argument("--output-activation", default="sigmoid")
    p.add_argument("--learning-rate", type=float, default=0.1)
    p.add_argument("--epochs", type=int, default=10000)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--init", choices=sorted(INIT_SCALES), default="normal")
    p.add_argument("--loss", choices=["mse", "bce"], default="mse")
    p.add_argument("--task", default="xor",
                   help="a task's name, or a data file (.csv or .data)")
    p.add_argument("--targets", type=int, default=1,
                   help="a CSV task's last columns that are targets (default 1)")
    p.add_argument("-o", dest="output", help="CSV file (default stdout)")
    args = p.parse_args(argv)

    try:
        args.X, args.y = task_rows(args.task, args.targets)
    except ValueError:
        p.error("unknown task %r" % args.task)
    args.layers = [int(w) for w in args.layers.split(",")]
    n_in, n_out = args.X.shape[1], args.y.shape[1]
    if len(args.layers) < 2 or args.layers[0] != n_in or args.layers[-1] != n_out:
        p.error("--layers must start with %d and end with %d" % (n_in, n_out))
    hidden = args.activation.split(",")
    n_hidden = len(args.layers) - 2
    if len(hidden) == 1:
        hidden = hidden * n_hidden
    if len(hidden) != n_hidden:
        p.error("--activation needs one name or one per hidden layer")
    args.activations = hidden + [args.output_activation]
    for name in args.activations:
        if name not in ACTIVATIONS:
            p.error("unknown activation %r" % name)
    return args


def train(args, out):
    np.seterr(all="ignore")  # overflow to inf and NaN are reported as losses
    X, y = args.X, args.y

    np.random.seed(args.seed)
    W, b = [], []
    for n_in, n_out in zip(args.layers[:-1], args.layers[1:]):
        W.append(np.random.randn(n_in, n_out) * INIT_SCALES[args.init](n_in))
        b.append(np.zeros((1, n_out)))
    f = [ACTIVATIONS[name][0] for name in args.activations]
    df = [ACTIVATIONS[name][1] for name in args.activations]
    sigmoid_output = args.activations[-1] == "sigmoid"

    out.write("epoch,loss\n")
    for epoch in range(args.epochs):
        # Forward pass: a[0] is the input, a[-1] the output.
        a = [X]
        for l in range(len(W)):
            a.append(f[l](np.dot(a[l], W[l]) + b[l]))
        output = a[-1]

        if args.loss == "mse":
            loss = np.mean((y - output) ** 2)
        else:
            loss = -np.mean(y * np.log(output) + (1 - y) * np.log(1 - output))
        out.write("%d,%r\n" % (epoch, float(loss)))
        if not np.isfinite(loss):
            break

        # Backpropagation: every delta first, then every update.
        error = y - output
        if args.loss == "bce" and sigmoid_output:
            d = [error]
        elif args.loss == "bce":
            d = [error / (output * (1 - output)) * df[-1](output)]
        else:
            d = [error * df[-1](output)]
        for l in range(len(W) - 1, 0, -1):
            error_hidden = d[0].dot(W[l].T)
            d.insert(0, error_hidden * df[l - 1](a[l]))

        for l in range(len(W)):
            W[l] += a[l].T.dot(d[l]) * args.learning_rate
            b[l] += np.sum(d[l], axis=0, keepdims=True) * args.learning_rate


def main(argv):
    args = parse_args(argv)
    if args.output:
        with open(args.output, "w") as out:
            train(args, out)
    else:
        train(args, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
