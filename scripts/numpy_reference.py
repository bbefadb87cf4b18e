#!/usr/bin/python3
"""numpy_reference.py: the tutorial's NumPy network, for any depth and task.

Trains as the tutorial does (full batch, W += a_prev.T.dot(d) * lr, which
is plain gradient descent on half the summed squared error) and writes one
CSV row per epoch, `epoch,loss`, with the loss of the whole data set's
forward pass before that epoch's first update, printed with repr so that
it reads back as the same double. nnrun's losses are held against these.

The gradient is that of half the summed squared error (mse) or the summed
cross-entropy (bce) over the batch; the optimizers are torch.optim's rules
(SGD with momentum and Nesterov, Adam, Rprop) written as PyTorch 1.13
writes them, one operation at a time. Mini-batches follow
np.random.permutation(rows), drawn each epoch after the weights; stop
rules end training at an epoch's loss row (--reason FILE gets why).

    scripts/numpy_reference.py --layers 2,2,1 --epochs 10000 --seed 42
    scripts/numpy_reference.py --task parity-8 --layers 8,16,1 --epochs 2000
    scripts/numpy_reference.py --optimizer adam --batch-size 1 --stop-solved true

Tasks as nnrun builds them: the gates xor, and, or, nand, nor, xnor (rows
00, 01, 10, 11); parity-N (2^N rows counting in binary, the first input
the most significant bit; target 1 for an odd number of ones); encoder-N
(the N one-hot rows, targets equal to the inputs); and data files, a
path ending in .csv (a header row, then rows of numbers, the last
--targets columns the targets) or .data (FANN's format).
"""
import argparse
import math
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
    p.add_argument("--optimizer", default="sgd",
                   choices=["sgd", "momentum", "nesterov", "adam", "rprop"])
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--beta1", type=float, default=0.9)
    p.add_argument("--beta2", type=float, default=0.999)
    p.add_argument("--eps", type=float, default=1e-8)
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--etaminus", type=float, default=0.5)
    p.add_argument("--etaplus", type=float, default=1.2)
    p.add_argument("--step-min", type=float, default=1e-6)
    p.add_argument("--step-max", type=float, default=50.0)
    p.add_argument("--batch-size", default="full", help="full or a row count")
    p.add_argument("--shuffle", default="true", choices=["true", "false"])
    p.add_argument("--stop-loss", default="none", help="none or a loss")
    p.add_argument("--stop-solved", default="false", choices=["true", "false"])
    p.add_argument("--patience", type=int, default=0)
    p.add_argument("--min-delta", type=float, default=0.0)
    p.add_argument("--reason", help="file to write the stop reason to")
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


def forward(X, W, b, f):
    """Every layer's activations, a[0] being the input."""
    a = [X]
    for l in range(len(W)):
        a.append(f[l](np.dot(a[l], W[l]) + b[l]))
    return a


def gradient(args, a, y, W, df):
    """The gradient of the objective over the batch a[0]: -(a.T d) and
    -sum(d), d being the tutorial's deltas (the descent direction)."""
    output = a[-1]
    error = y - output
    if args.loss == "bce" and args.activations[-1] == "sigmoid":
        d = [error]
    elif args.loss == "bce":
        d = [error / (output * (1 - output)) * df[-1](output)]
    else:
        d = [error * df[-1](output)]
    for l in range(len(W) - 1, 0, -1):
        error_hidden = d[0].dot(W[l].T)
        d.insert(0, error_hidden * df[l - 1](a[l]))
    grads = []
    for l in range(len(W)):
        grads.append(-(a[l].T.dot(d[l])))
        grads.append(-np.sum(d[l], axis=0, keepdims=True))
    return grads


def step(args, params, grads, state, t):
    """One step of torch.optim's rule, in PyTorch 1.13's operation order;
    params are changed in place, t counts steps from 1."""
    lr, opt = args.learning_rate, args.optimizer
    for i, (p, g) in enumerate(zip(params, grads)):
        if args.weight_decay != 0 and opt != "rprop":
            g = g + args.weight_decay * p
        if opt == "sgd":
            p -= lr * g
        elif opt in ("momentum", "nesterov"):
            buf = g.copy() if t == 1 else state[i] * args.momentum + g
            state[i] = buf
            d = g + args.momentum * buf if opt == "nesterov" else buf
            p -= lr * d
        elif opt == "adam":
            m, v = state.get(i, (np.zeros_like(p), np.zeros_like(p)))
            m = m * args.beta1 + (1 - args.beta1) * g
            v = v * args.beta2 + (1 - args.beta2) * g * g
            state[i] = (m, v)
            bias_correction1 = 1 - args.beta1 ** t
            bias_correction2 = 1 - args.beta2 ** t
            step_size = lr / bias_correction1
            denom = np.sqrt(v) / math.sqrt(bias_correction2) + args.eps
            p += -step_size * m / denom
        else:
            prev, size = state.get(i, (np.zeros_like(p), np.full_like(p, lr)))
            s = g * prev
            factor = np.where(s > 0, args.etaplus, np.where(s < 0, args.etaminus, 1.0))
            size = np.minimum(np.maximum(size * factor, args.step_min), args.step_max)
            g = np.where(s < 0, 0.0, g)
            p += -1.0 * (np.sign(g) * size)
            state[i] = (g, size)


def solved(output, y):
    """Every row's outputs round (>= 0.5 is 1) to its targets."""
    return bool(np.all(np.where(y != 0, output >= 0.5, output < 0.5)))


def train(args, out):
    np.seterr(all="ignore")  # overflow to inf and NaN are reported as losses
    X, y = args.X, args.y
    rows = len(X)
    batch = rows if args.batch_size == "full" else int(args.batch_size)
    stop_loss = None if args.stop_loss == "none" else float(args.stop_loss)

    np.random.seed(args.seed)
    W, b = [], []
    for n_in, n_out in zip(args.layers[:-1], args.layers[1:]):
        W.append(np.random.randn(n_in, n_out) * INIT_SCALES[args.init](n_in))
        b.append(np.zeros((1, n_out)))
    params = [m for pair in zip(W, b) for m in pair]
    f = [ACTIVATIONS[name][0] for name in args.activations]
    df = [ACTIVATIONS[name][1] for name in args.activations]

    out.write("epoch,loss\n")
    state, t = {}, 0
    best, wait = math.inf, 0
    reason = "epochs"
    for epoch in range(args.epochs):
        a = forward(X, W, b, f)
        output = a[-1]
        if args.loss == "mse":
            loss = np.mean((y - output) ** 2)
        else:
            loss = -np.mean(y * np.log(output) + (1 - y) * np.log(1 - output))
        out.write("%d,%r\n" % (epoch, float(loss)))
        if not np.isfinite(loss):
            reason = "diverged"
            break
        # Keras's EarlyStopping: a new best is more than min_delta below.
        wait += 1
        if loss + args.min_delta < best:
            best, wait = loss, 0
        if stop_loss is not None and loss <= stop_loss:
            reason = "loss"
        elif args.stop_solved == "true" and solved(output, y):
            reason = "solved"
        elif args.patience and wait >= args.patience:
            reason = "plateau"
        if reason != "epochs":
            break

        if batch >= rows:
            t += 1
            step(args, params, gradient(args, a, y, W, df), state, t)
            continue
        order = np.random.permutation(rows) if args.shuffle == "true" else np.arange(rows)
        for k in range(0, rows, batch):
            rows_k = order[k:k + batch]
            a = forward(X[rows_k], W, b, f)
            t += 1
            step(args, params, gradient(args, a, y[rows_k], W, df), state, t)
    if args.reason:
        with open(args.reason, "w") as r:
            r.write(reason + "\n")


def main(argv):
    args = parse_args(argv)
    if args.output:
        with open(args.output, "w") as out:
            train(args, out)
    else:
        train(args, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
