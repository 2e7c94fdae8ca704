#!/usr/bin/python3
"""The peer of run-esn: the tutorial's FORCE setup (docs/methods.md §5) in PyTorch on
the CPU, float32: a data ESN makes M targets, the trained ESN learns them by
RLS over several passes of T steps, then runs without learning.

Prints: `torch_esn N <n> ms_per_train_pass <x> ms_per_run_pass <y> nmse <z>`.
"""
import argparse
import math
import time

import torch


def make(N, M, g, gen):
    return dict(a0=0.25 * torch.randn(N, generator=gen),
                wR=g * torch.randn(N, N, generator=gen) / math.sqrt(N),
                wO=torch.randn(M, N, generator=gen) / math.sqrt(N),
                wF=torch.randn(N, M, generator=gen))


@torch.no_grad()
def run_pass(net, T, alpha, targets=None, P=None, hs=None):
    a = net["a0"].clone()
    h = torch.tanh(a)
    z = net["wO"] @ h
    wR, wF, wO = net["wR"], net["wF"], net["wO"]
    sse = 0.0
    for t in range(T):
        a += alpha * (-a + wR @ h + wF @ z)
        h = torch.tanh(a)
        z = wO @ h
        if hs is not None:
            hs[t] = h
        if targets is not None:
            e = z - targets[t]
            sse += float((e * e).mean())
            if P is not None:
                k = P @ h
                c = float(1.0 / (1.0 + h @ k))
                # addr_ (BLAS ger): `P -= c * torch.outer(k, k)` takes ~150× longer here.
                P.addr_(k, k, alpha=-c)
                wO.addr_(e, k, alpha=-c)
    return sse / T


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--outputs", type=int, default=20)
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--passes", type=int, default=15)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    gen = torch.Generator().manual_seed(0)
    data = make(a.n, a.outputs, 1.8, gen)
    hs = torch.empty(a.steps, a.n)
    run_pass(data, a.steps, 0.1, hs=hs)
    targets = hs[:, : a.outputs].clone()
    net = make(a.n, a.outputs, 1.5, gen)
    P = torch.eye(a.n)
    t0 = time.perf_counter()
    for _ in range(a.passes):
        run_pass(net, a.steps, 0.1, targets, P)
    train_ms = (time.perf_counter() - t0) * 1000 / a.passes
    t0 = time.perf_counter()
    mse = run_pass(net, a.steps, 0.1, targets)
    run_ms = (time.perf_counter() - t0) * 1000
    print(f"torch_esn N {a.n} ms_per_train_pass {train_ms:.3f} ms_per_run_pass {run_ms:.3f} "
          f"nmse {mse / float(targets.var(unbiased=False)):.3e}")


if __name__ == "__main__":
    main()
