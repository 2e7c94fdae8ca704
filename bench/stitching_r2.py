"""Affine factors -> latent-state R² (x, y, z) of a posterior on the
validation trials of each session (trial i of the source is session i % S),
for a model fitted to the whole file, so that it compares with the stitched
and per-session models on the same trials. Usage: stitching_r2.py POSTERIOR.h5 SOURCE.h5 S"""
import sys

import h5py
import numpy as np


def affine_r2(x, y):
    x = x.reshape(-1, x.shape[-1])
    y = y.reshape(-1, y.shape[-1])
    a = np.hstack([x, np.ones((x.shape[0], 1))])
    fit = a @ np.linalg.lstsq(a, y, rcond=None)[0]
    return 1 - ((y - fit) ** 2).sum(0) / ((y - y.mean(0)) ** 2).sum(0)


post, src, S = sys.argv[1], sys.argv[2], int(sys.argv[3])
with h5py.File(post, "r") as p, h5py.File(src, "r") as f:
    factors, lowd = p["valid/factors"][:], f["valid_lowd"][:]
    for k in range(S):
        rows = np.arange(k, factors.shape[0], S)
        print(f"session {k}: " + " ".join(f"{v:.3f}" for v in affine_r2(factors[rows], lowd[rows])))
