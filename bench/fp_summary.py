#!/usr/bin/python3
"""Summarises a fixed-points file for bench/RESULTS.md: per tolerance group,
the number of points, their median q, the share whose top eigenvalue's real
part lies in [0.95, 1.02], and the share whose other eigenvalues all lie
inside the unit circle."""
import sys

import h5py
import numpy as np


def groups(f):
    names = [k for k in f.keys() if k.startswith("tol_")]
    return [(k, f[k]) for k in sorted(names, reverse=True)] or [("root", f)]


with h5py.File(sys.argv[1], "r") as f:
    for name, g in groups(f):
        ev = np.asarray(g["eigvals"])
        if ev.dtype.names:
            ev = ev["r"] + 1j * ev["i"]
        q = np.asarray(g["q"])
        top = ev[:, 0].real
        rest = np.abs(ev[:, 1:]).max(axis=1)
        print(f"{name} points {len(q)} median_q {np.median(q):.2e} "
              f"top_in_band {np.mean((top >= 0.95) & (top <= 1.02)):.3f} median_top {np.median(top):.4f} "
              f"rest_inside {np.mean(rest < 1):.3f}")
