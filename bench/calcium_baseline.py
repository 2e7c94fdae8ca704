#!/usr/bin/python3
"""The smoothing baseline for calcium traces, on a file in ctd's LFADS layout:
each unit's trace smoothed by a Gaussian kernel along time, then an affine
map from all units' smoothed traces to the latent states (*_lowd), fitted on
the training trials by least squares and scored on the validation trials
(R² per latent, pooled over trials and time: what fit-lfads's
factors_lowd_r2 reports for a model's factors). As the spike-smoothing
baseline of NLB, the kernel width is chosen on the scored split — the
baseline's best case.

Usage: calcium_baseline.py DATA.h5
Prints one line per kernel sd and `smoothing lowd R2 <x> <y> <z> sd <bins>`.
"""
import math
import sys

import h5py
import numpy as np


def smooth(x, sd):
    """Gaussian smoothing along time (axis 1), kernel ±3 sd, normalised at the edges."""
    if sd == 0:
        return x.astype(np.float64)
    half = int(math.ceil(3 * sd))
    k = np.exp(-0.5 * (np.arange(-half, half + 1) / sd) ** 2)
    B, T, D = x.shape
    out = np.zeros(x.shape)
    norm = np.zeros(T)
    for j, w in enumerate(k):
        s = j - half
        lo, hi = max(0, -s), min(T, T - s)
        out[:, lo:hi] += w * x[:, lo + s:hi + s]
        norm[lo:hi] += w
    return out / norm[None, :, None]


def affine_r2(xtr, ytr, xva, yva):
    """Least squares from xtr (+1) to ytr; R² per column of yva."""
    a = np.concatenate([xtr.reshape(-1, xtr.shape[-1]), np.ones((xtr.shape[0] * xtr.shape[1], 1))], 1)
    w, *_ = np.linalg.lstsq(a, ytr.reshape(-1, ytr.shape[-1]), rcond=None)
    b = np.concatenate([xva.reshape(-1, xva.shape[-1]), np.ones((xva.shape[0] * xva.shape[1], 1))], 1)
    y = yva.reshape(-1, yva.shape[-1])
    res = ((y - b @ w) ** 2).sum(0)
    return 1 - res / ((y - y.mean(0)) ** 2).sum(0)


def main():
    with h5py.File(sys.argv[1], "r") as f:
        xtr, xva = f["train_data"][()], f["valid_data"][()]
        ytr, yva = f["train_lowd"][()], f["valid_lowd"][()]
    best = None
    for sd in (0, 1, 2, 4, 6, 8, 12, 16):
        r2 = affine_r2(smooth(xtr, sd), ytr, smooth(xva, sd), yva)
        print("sd %2d bins: lowd R2 %s" % (sd, " ".join("%.3f" % v for v in r2)))
        if best is None or r2.mean() > best[0].mean():
            best = (r2, sd)
    print("smoothing lowd R2 %s sd %d" % (" ".join("%.3f" % v for v in best[0]), best[1]))


if __name__ == "__main__":
    main()
