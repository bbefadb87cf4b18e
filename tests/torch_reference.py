#!/usr/bin/python3
"""torch_reference.py: the same training as nnrun, written with PyTorch.

float64 tensors, autograd for the gradient of the objective (half the
summed squared error, or the summed cross-entropy, over the batch) and
torch.optim for the step: an implementation that shares no arithmetic
with nnrun or scripts/numpy_reference.py. The weights and the batches'
permutations come from NumPy's generator (np.random.seed, randn, then
permutation each epoch), as a NumPy user draws them, so that all three
start from the same bits. Writes `epoch,loss` rows like loss.csv.

    tests/torch_reference.py --optimizer adam --batch-size 1 --epochs 300
"""
import argparse
import sys

import numpy as np
import torch

sys.path.insert(0, __file__.rsplit("/", 2)[0] + "/scripts")
from numpy_reference import task_rows  # noqa: E402  (the tasks' rows only)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--task", default="xor")
    p.add_argument("--layers", default="2,2,1")
    p.add_argument("--activation", default="sigmoid")
    p.add_argument("--loss", choices=["mse", "bce"], default="mse")
    p.add_argument("--learning-rate", type=float, default=0.1)
    p.add_argument("--epochs", type=int, default=300)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--optimizer", default="sgd",
                   choices=["sgd", "momentum", "nesterov", "adam", "rprop"])
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--batch-size", default="full")
    p.add_argument("--shuffle", default="true", choices=["true", "false"])
    p.add_argument("-o", dest="output", required=True)
    return p.parse_args(argv)


def make_optimizer(args, params):
    lr, wd = args.learning_rate, args.weight_decay
    if args.optimizer == "sgd":
        return torch.optim.SGD(params, lr=lr, weight_decay=wd)
    if args.optimizer in ("momentum", "nesterov"):
        return torch.optim.SGD(params, lr=lr, momentum=args.momentum, weight_decay=wd,
                               nesterov=args.optimizer == "nesterov")
    if args.optimizer == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=wd)
    return torch.optim.Rprop(params, lr=lr)


def main(argv):
    args = parse_args(argv)
    torch.set_default_dtype(torch.float64)
    X_np, y_np = task_rows(args.task)
    X, y = torch.tensor(X_np), torch.tensor(y_np)
    layers = [int(w) for w in args.layers.split(",")]
    act = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}[args.activation]

    np.random.seed(args.seed)
    W, b = [], []
    for n_in, n_out in zip(layers[:-1], layers[1:]):
        W.append(torch.tensor(np.random.randn(n_in, n_out), requires_grad=True))
        b.append(torch.zeros(1, n_out, requires_grad=True))
    opt = make_optimizer(args, [m for pair in zip(W, b) for m in pair])

    def forward(h):
        for l in range(len(W)):
            h = h @ W[l] + b[l]
            h = torch.sigmoid(h) if l == len(W) - 1 else act(h)
        return h

    def objective(out, t):
        if args.loss == "mse":
            return 0.5 * ((t - out) ** 2).sum()
        return -(t * torch.log(out) + (1 - t) * torch.log(1 - out)).sum()

    rows = len(X_np)
    batch = rows if args.batch_size == "full" else int(args.batch_size)
    with open(args.output, "w") as f:
        f.write("epoch,loss\n")
        for epoch in range(args.epochs):
            with torch.no_grad():
                out = forward(X)
                if args.loss == "mse":
                    loss = ((y - out) ** 2).mean()
                else:
                    loss = -(y * torch.log(out) + (1 - y) * torch.log(1 - out)).mean()
            f.write("%d,%r\n" % (epoch, loss.item()))
            if not np.isfinite(loss.item()):
                break
            if batch >= rows:
                order = np.arange(rows)
            elif args.shuffle == "true":
                order = np.random.permutation(rows)
            else:
                order = np.arange(rows)
            for k in range(0, rows, batch):
                sel = torch.tensor(order[k:k + batch])
                opt.zero_grad()
                objective(forward(X[sel]), y[sel]).backward()
                opt.step()


if __name__ == "__main__":
    main(sys.argv[1:])
