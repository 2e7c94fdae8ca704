#!/usr/bin/python3
"""The peer of run-reservoir (docs/methods.md §11) in PyTorch on the CPU, float64:
a leaky reservoir (N units, 10 % of W non-zero, rescaled to a spectral radius;
W_in and the bias +-1 on 10 % of their entries) driven by the series of a ctd
task file, a ridge readout from the normal equations over the training steps
after a washout, the test, and a closed-loop forecast. W multiplies as a dense
matrix: Debian's PyTorch has no sparse matrix-vector product without MKL.

Prints: `torch_reservoir N <n> ms_train <x> ms_per_generated_step <y> test_r2 <z>`.
"""
import argparse
import time

import h5py
import torch


def bernoulli(rows, cols, p, gen):
    keep = torch.rand(rows, cols, generator=gen, dtype=torch.float64) < p
    sign = torch.where(torch.rand(rows, cols, generator=gen, dtype=torch.float64) < 0.5, -1.0, 1.0)
    return (keep * sign).to(torch.float64)


def reservoir(N, U, radius, gen):
    W = torch.randn(N, N, generator=gen, dtype=torch.float64)
    W *= torch.rand(N, N, generator=gen, dtype=torch.float64) < 0.1
    W *= radius / torch.linalg.eigvals(W).abs().max()
    return W, bernoulli(N, 1 + U, 0.1, gen)


@torch.no_grad()
def run(W, W_in, leak, inputs):
    """States [T,N] for inputs [T,U], from zero."""
    x = torch.zeros(W.shape[0], dtype=torch.float64)
    out = torch.empty(inputs.shape[0], W.shape[0], dtype=torch.float64)
    b, Wu = W_in[:, 0], W_in[:, 1:]
    for t in range(inputs.shape[0]):
        x = (1 - leak) * x + leak * torch.tanh(b + Wu @ inputs[t] + W @ x)
        out[t] = x
    return out


@torch.no_grad()
def train(W, W_in, leak, inputs, targets, washout, ridge):
    X = run(W, W_in, leak, inputs)[washout:]
    Z = torch.cat([torch.ones(X.shape[0], 1, dtype=torch.float64), X], 1)
    A = Z.T @ Z
    A[1:, 1:] += ridge * torch.eye(X.shape[1], dtype=torch.float64)
    return torch.linalg.solve(A, Z.T @ targets[washout:]).T, X[-1]


@torch.no_grad()
def closed_loop(W, W_in, W_out, leak, x, y, G):
    b, Wu = W_in[:, 0], W_in[:, 1:]
    for _ in range(G):
        x = (1 - leak) * x + leak * torch.tanh(b + Wu @ y + W @ x)
        y = W_out[:, 0] + W_out[:, 1:] @ x
    return y


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--input", required=True)
    p.add_argument("--n", type=int, default=500)
    p.add_argument("--radius", type=float, default=1.25)
    p.add_argument("--leak", type=float, default=0.3)
    p.add_argument("--ridge", type=float, default=1e-7)
    p.add_argument("--washout", type=int, default=100)
    p.add_argument("--generate", type=int, default=2000)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    with h5py.File(a.input, "r") as f:
        inputs = torch.tensor(f["inputs"][0], dtype=torch.float64)
        targets = torch.tensor(f["targets"][0], dtype=torch.float64)
    S = inputs.shape[0] * 4 // 5
    gen = torch.Generator().manual_seed(1)
    W, W_in = reservoir(a.n, inputs.shape[1], a.radius, gen)
    t0 = time.perf_counter()
    W_out, x = train(W, W_in, a.leak, inputs[:S], targets[:S], a.washout, a.ridge)
    ms_train = 1e3 * (time.perf_counter() - t0)
    t0 = time.perf_counter()
    closed_loop(W, W_in, W_out, a.leak, x, W_out[:, 0] + W_out[:, 1:] @ x, a.generate)
    ms_step = 1e3 * (time.perf_counter() - t0) / a.generate
    # The test: the rest of the series, continuing from the training's end.
    X = run(W, W_in, a.leak, inputs)[S:]
    pred = X @ W_out[:, 1:].T + W_out[:, 0]
    sse = ((pred - targets[S:]) ** 2).sum()
    sst = ((targets[S:] - targets[S:].mean(0)) ** 2).sum()
    print(f"torch_reservoir N {a.n} ms_train {ms_train:.2f} ms_per_generated_step {ms_step:.4f} "
          f"test_r2 {1 - sse / sst:.7f}")


if __name__ == "__main__":
    main()
