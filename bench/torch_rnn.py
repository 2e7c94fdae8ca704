#!/usr/bin/python3
"""The peer of train-rnn: the same models and recipe (docs/methods.md §2) in PyTorch
on the CPU — fresh integrator/decision trials every batch, masked MSE + L2 over
all parameters, global-norm clipping, Adam (eps 0.1) with exponential lr decay.

--cell torch-gru|lstm trains PyTorch's own nn.GRU / nn.LSTM (with an nn.Linear
readout) instead of the tutorial's cell, as train-rnn --cell does.

Prints one line: `torch <task> <cell> ms_per_batch <x> final_loss <y>`.
Usage: torch_rnn.py --task integrator|decision [--cell torch-gru|lstm] --batches K [--threads 1]
"""
import argparse
import math
import time

import torch


def make_batch(task, B, T=25, bval=0.01, sval=0.025, duration=1.0):
    dt = duration / T
    bias = bval * 2.0 * (torch.randn(B, 1, 1) - 0.5)
    x = bias + (sval / math.sqrt(dt)) * torch.randn(B, T, 1)
    s = torch.cumsum(x, dim=1)
    if task == "integrator":
        return x, s, torch.ones_like(s)
    y = torch.zeros_like(s)
    m = torch.zeros_like(s)
    y[:, -1, :] = torch.where(s[:, -1, :] > 0, 1.0, -1.0)
    m[:, -1, :] = 1.0
    return x, y, m


class Vanilla(torch.nn.Module):
    def __init__(self, N=100, U=1, O=1, g=0.85):
        super().__init__()
        self.h0 = torch.nn.Parameter(0.1 * torch.randn(N))
        self.wI = torch.nn.Parameter(torch.randn(N, U) / math.sqrt(U))
        self.wR = torch.nn.Parameter(g * torch.randn(N, N) / math.sqrt(N))
        self.wO = torch.nn.Parameter(torch.randn(O, N) / math.sqrt(N))
        self.bR = torch.nn.Parameter(torch.zeros(N))
        self.bO = torch.nn.Parameter(torch.zeros(O))

    def forward(self, x):
        h = self.h0.expand(x.shape[0], -1)
        # unbind, not xi[:, t]: indexing's backward zero-fills a [B,T,N] tensor per step.
        wRT = self.wR.T
        hs = []
        for xi in (x @ self.wI.T + self.bR).unbind(1):
            h = torch.tanh(xi + h @ wRT)
            hs.append(h)
        return torch.stack(hs, 1) @ self.wO.T + self.bO


class GRU(torch.nn.Module):
    def __init__(self, N=100, U=1, O=1, bfg=0.5):
        super().__init__()
        self.N, self.bfg = N, bfg
        def packed(rows):
            return torch.cat([torch.randn(rows, N) / math.sqrt(N), torch.randn(rows, U) / math.sqrt(U)], 1)
        self.h0 = torch.nn.Parameter(0.1 * torch.randn(N))
        self.wRUHX = torch.nn.Parameter(packed(2 * N))
        self.wCHX = torch.nn.Parameter(packed(N))
        self.bRU = torch.nn.Parameter(torch.zeros(2 * N))
        self.bC = torch.nn.Parameter(torch.zeros(N))
        self.wO = torch.nn.Parameter(torch.randn(O, N) / math.sqrt(N))
        self.bO = torch.nn.Parameter(torch.zeros(O))

    def forward(self, x):
        N = self.N
        h = self.h0.expand(x.shape[0], -1)
        xru = (x @ self.wRUHX[:, N:].T + self.bRU).unbind(1)
        xc = (x @ self.wCHX[:, N:].T + self.bC).unbind(1)
        wh, wch = self.wRUHX[:, :N].T, self.wCHX[:, :N].T
        hs = []
        for t in range(x.shape[1]):
            ru = xru[t] + h @ wh
            r = torch.sigmoid(ru[:, :N])
            u = torch.sigmoid(ru[:, N:] + self.bfg)
            c = torch.tanh(xc[t] + (r * h) @ wch)
            h = u * h + (1 - u) * c
            hs.append(h)
        return torch.stack(hs, 1) @ self.wO.T + self.bO


class TorchCell(torch.nn.Module):
    """nn.GRU or nn.LSTM and a readout: what train-rnn --cell torch-gru|lstm trains."""

    def __init__(self, cell, N=100, U=1, O=1):
        super().__init__()
        self.rnn = (torch.nn.GRU if cell == "torch-gru" else torch.nn.LSTM)(U, N, batch_first=True)
        self.readout = torch.nn.Linear(N, O)

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.readout(h)


RECIPES = {  # docs/methods.md §2
    "integrator": dict(model=Vanilla, lr=0.025, decay=0.99975, l2=2e-4),
    "decision": dict(model=GRU, lr=0.04, decay=0.9999, l2=2e-5),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--task", default="integrator", choices=RECIPES)
    ap.add_argument("--cell", default="", choices=["", "torch-gru", "lstm"])
    ap.add_argument("--batches", type=int, default=500)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    r = RECIPES[a.task]
    model = TorchCell(a.cell) if a.cell else r["model"]()
    cell = a.cell or ("vanilla" if a.task == "integrator" else "gru")
    params = list(model.parameters())
    opt = torch.optim.Adam(params, lr=r["lr"], betas=(0.9, 0.999), eps=0.1)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=r["decay"])
    start = time.perf_counter()
    for _ in range(a.batches):
        x, y, m = make_batch(a.task, a.batch_size)
        o = model(x)
        lms = ((o - y) ** 2 * m).sum() / m.sum()
        loss = lms + r["l2"] * sum((p ** 2).sum() for p in params)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 10.0)
        opt.step()
        sched.step()
    ms = (time.perf_counter() - start) * 1000 / a.batches
    print(f"torch {a.task} {cell} ms_per_batch {ms:.3f} "
          f"final_loss {loss.item():.4e}")


if __name__ == "__main__":
    main()
