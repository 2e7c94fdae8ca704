#!/usr/bin/python3
"""The peer of `find-fixed-points --method adam`: the tutorial's algorithm
(joint Adam on the mean q over all candidates, docs/methods.md §3) for a GRU
parameter file, in PyTorch on the CPU, float32.

Prints: `torch_fp candidates <K> steps <S> ms_per_step <x> mean_q <y>`.
"""
import argparse
import time

import h5py
import numpy as np
import torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--params", required=True)
    ap.add_argument("--states", required=True)
    ap.add_argument("--candidates", type=int, default=10000)
    ap.add_argument("--steps", type=int, default=400)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    with h5py.File(a.params, "r") as f:
        p = {k: torch.tensor(np.asarray(f[k]), dtype=torch.float32) for k in f.keys()}
    with h5py.File(a.states, "r") as f:
        h = np.asarray(f["hiddens"]).reshape(-1, p["h0"].shape[0])[: a.candidates]
    N = p["h0"].shape[0]
    wh, bru = p["wRUHX"][:, :N], p["bRU"]  # x* = 0: the input columns drop out
    wch, bc = p["wCHX"][:, :N], p["bC"]
    H = torch.tensor(h, dtype=torch.float32, requires_grad=True)
    opt = torch.optim.Adam([H], lr=0.2, betas=(0.9, 0.999), eps=1e-5)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9999)

    def mean_q():
        ru = H @ wh.T + bru
        r = torch.sigmoid(ru[:, :N])
        u = torch.sigmoid(ru[:, N:] + 0.5)
        c = torch.tanh((r * H) @ wch.T + bc)
        F = u * H + (1 - u) * c
        return ((H - F) ** 2).mean(dim=1).mean()

    t0 = time.perf_counter()
    for _ in range(a.steps):
        loss = mean_q()
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
    ms = (time.perf_counter() - t0) * 1000 / a.steps
    print(f"torch_fp candidates {H.shape[0]} steps {a.steps} ms_per_step {ms:.3f} mean_q {float(mean_q()):.3e}")


if __name__ == "__main__":
    main()
