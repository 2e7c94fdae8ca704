#!/usr/bin/python3
"""NLB's spike-smoothing baseline for held-out units, on a file in ctd's LFADS
layout: the held-in units' spikes smoothed by a Gaussian kernel, their log
(+1e-4) fed to a Poisson GLM per held-out unit (L2 penalty alpha), fitted on
the training trials and scored on the validation trials by co-smoothing bits
per spike (nlb_tools' bits_per_spike). As nlb_tools does, the kernel width
and alpha are chosen on the scored split — the baseline's best case.

Usage: smoothing_baseline.py DATA.h5 HELD_OUT
Prints one line per (kernel sd, alpha) and `smoothing co_bps <best> sd <bins> alpha <a>`.
"""
import math
import sys

import h5py
import numpy as np
import torch


def smooth(spikes, sd):
    """Gaussian smoothing along time (axis 1), kernel ±3 sd, normalised at the edges."""
    half = int(math.ceil(3 * sd))
    k = np.exp(-0.5 * (np.arange(-half, half + 1) / sd) ** 2)
    B, T, D = spikes.shape
    out = np.zeros_like(spikes, dtype=np.float64)
    norm = np.zeros(T)
    for j, w in enumerate(k):
        s = j - half  # out[t] += w * spikes[t + s]
        lo, hi = max(0, -s), min(T, T - s)
        out[:, lo:hi] += w * spikes[:, lo + s:hi + s]
        norm[lo:hi] += w
    return out / norm[None, :, None]


def fit_glm(X, Y, alpha):
    """Poisson GLM with log link: mean NLL + alpha/2 ||W||² (sklearn's PoissonRegressor objective)."""
    X = torch.tensor(X, dtype=torch.float64)
    Y = torch.tensor(Y, dtype=torch.float64)
    W = torch.zeros(X.shape[1], Y.shape[1], dtype=torch.float64, requires_grad=True)
    b = torch.log(Y.mean(0) + 1e-6).clone().requires_grad_(True)
    opt = torch.optim.LBFGS([W, b], max_iter=500, tolerance_grad=1e-9, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        eta = X @ W + b
        loss = (torch.exp(eta) - Y * eta).mean(0).sum() + 0.5 * alpha * (W ** 2).sum()
        loss.backward()
        return loss

    opt.step(closure)
    return W.detach().numpy(), b.detach().numpy()


def bits_per_spike(rates, spikes):
    mean = spikes.mean(axis=(0, 1), keepdims=True)
    def nll(r):
        return (r - spikes * np.log(r)).sum()
    return (nll(np.broadcast_to(mean, spikes.shape)) - nll(rates)) / spikes.sum() / math.log(2)


def main():
    path, held_out = sys.argv[1], int(sys.argv[2])
    with h5py.File(path, "r") as f:
        tr, va = f["train_data"][()].astype(np.float64), f["valid_data"][()].astype(np.float64)
    D = tr.shape[2]
    Din = D - held_out
    best = (-np.inf, None, None)
    for sd in (1, 2, 4, 8, 16):
        xs = [np.log(smooth(s[:, :, :Din], sd) + 1e-4).reshape(-1, Din) for s in (tr, va)]
        for alpha in (0.0, 1e-4, 1e-3, 1e-2):
            W, b = fit_glm(xs[0], tr[:, :, Din:].reshape(-1, held_out), alpha)
            rates = np.exp(xs[1] @ W + b).reshape(va.shape[0], va.shape[1], held_out)
            bps = bits_per_spike(rates, va[:, :, Din:])
            print(f"sd {sd} bins alpha {alpha:g}: co-bps {bps:.4f}")
            if bps > best[0]:
                best = (bps, sd, alpha)
    print(f"smoothing co_bps {best[0]:.4f} sd {best[1]} alpha {best[2]:g}")


if __name__ == "__main__":
    main()
