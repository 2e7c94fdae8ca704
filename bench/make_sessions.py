"""Split an LFADS-layout file into overlapping "sessions" for the stitching
benchmark: trial i goes to session i % S (every session sees every
condition), session k records units [k*step, k*step + width) modulo D.
Writes SESSION_k.h5 in ctd's LFADS layout with the truth, the latent state,
the trial indices and *_conditions (index // trials-per-condition, the
synthetic data's order; the read-ins' initialisation averages within them).
Usage: make_sessions.py IN.h5 OUT_PREFIX [SESSIONS [WIDTH [TRIALS_PER_CONDITION]]]"""
import sys

import h5py
import numpy as np

src, prefix = sys.argv[1], sys.argv[2]
S = int(sys.argv[3]) if len(sys.argv) > 3 else 4
width = int(sys.argv[4]) if len(sys.argv) > 4 else 30
per_condition = int(sys.argv[5]) if len(sys.argv) > 5 else 40
with h5py.File(src, "r") as f:
    D = f["train_data"].shape[2]
    step = (D - width) // max(1, S - 1) if S > 1 else 0
    for k in range(S):
        units = [(k * step + j) % D for j in range(width)]
        with h5py.File(f"{prefix}{k}.h5", "w") as o:
            for split in ("train", "valid"):
                rows = np.arange(k, f[f"{split}_data"].shape[0], S)
                o[f"{split}_data"] = f[f"{split}_data"][:][rows][:, :, units]
                o[f"{split}_truth"] = f[f"{split}_truth"][:][rows][:, :, units]
                o[f"{split}_lowd"] = f[f"{split}_lowd"][:][rows]
                inds = f[f"{split}_inds"][:][rows]
                o[f"{split}_inds"] = inds
                o[f"{split}_conditions"] = (inds // per_condition).astype(np.int64)
            o.attrs["units"] = np.array(units, dtype=np.int64)
        print(f"session {k}: units {units[0]}..{units[-1]} (mod {D}), "
              f"{len(range(k, f['train_data'].shape[0], S))} training trials")
