#!/usr/bin/python3
"""The peer of `lyapunov-spectrum` on a tutorial vanilla RNN (h' = tanh(wR h + bR),
input held at 0): the same QR method (docs/methods.md §3) in PyTorch on the CPU,
float64, the Jacobian diag(1 - h'^2) wR written out (autograd's jacobian is far
slower). Starts: h0 plus N(0, sd^2) from torch's generator (other draws than
ctd's, the same distribution).

Prints: `torch_lyapunov trajectories R steps T ms <x> lambda_1 <l1> lambda_2 <l2>`.
"""
import argparse
import time

import h5py
import numpy as np
import torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--params", required=True)
    ap.add_argument("--trajectories", type=int, default=4)
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--transient", type=int, default=500)
    ap.add_argument("--init-sd", type=float, default=0.5)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    with h5py.File(a.params, "r") as f:
        w = torch.tensor(np.asarray(f["wR"]), dtype=torch.float64)
        b = torch.tensor(np.asarray(f["bR"]), dtype=torch.float64)
        h0 = torch.tensor(np.asarray(f["h0"]), dtype=torch.float64)
    N = w.shape[0]
    t0 = time.perf_counter()
    spectra = []
    for _ in range(a.trajectories):
        h = h0 + a.init_sd * torch.randn(N, dtype=torch.float64)
        for _ in range(a.transient):
            h = torch.tanh(w @ h + b)
        Q = torch.eye(N, dtype=torch.float64)
        total = torch.zeros(N, dtype=torch.float64)
        for _ in range(a.steps):
            hn = torch.tanh(w @ h + b)
            J = (1 - hn * hn)[:, None] * w
            Q, R = torch.linalg.qr(J @ Q)
            total += torch.log(torch.abs(torch.diagonal(R)))
            h = hn
        spectra.append(torch.sort(total / a.steps, descending=True).values)
    ms = (time.perf_counter() - t0) * 1000
    lam = torch.stack(spectra).mean(dim=0)
    print(f"torch_lyapunov trajectories {a.trajectories} steps {a.steps} ms {ms:.1f} "
          f"lambda_1 {float(lam[0]):.6f} lambda_2 {float(lam[1]):.6f}")


if __name__ == "__main__":
    main()
