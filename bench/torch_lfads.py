#!/usr/bin/python3
"""The peer of fit-lfads: the same LFADS model and loss (docs/methods.md §4) in
PyTorch on the CPU, float32, timed per training batch (forward, backward,
clipping, Adam) on random counts of the tutorial's sizes, or of any other
(--nlb: an NLB-like size, B = 64, T = 140, 137 held-in of 182 units, encoders
and controller 64, generator 128, 40 factors, 4 inferred inputs; the encoders
read the held-in units, the likelihood all of them).

Prints: `torch_lfads ms_per_batch <x> threads <n>`.
"""
import argparse
import math
import time

import torch

VARMIN = 1e-3


class GRU(torch.nn.Module):
    def __init__(self, I, H):
        super().__init__()
        def packed(rows):
            return torch.cat([torch.randn(rows, H) / math.sqrt(H), torch.randn(rows, I) / math.sqrt(max(I, 1))], 1)
        self.H = H
        self.wRUHX = torch.nn.Parameter(packed(2 * H))
        self.wCHX = torch.nn.Parameter(packed(H))
        self.bRU = torch.nn.Parameter(torch.zeros(2 * H))
        self.bC = torch.nn.Parameter(torch.zeros(H))

    def forward(self, h, x):
        H = self.H
        ru = h @ self.wRUHX[:, :H].T + x @ self.wRUHX[:, H:].T + self.bRU
        r = torch.sigmoid(ru[:, :H])
        u = torch.sigmoid(ru[:, H:] + 0.5)
        c = torch.tanh((r * h) @ self.wCHX[:, :H].T + x @ self.wCHX[:, H:].T + self.bC)
        return u * h + (1 - u) * c


def affine(i, o):
    lin = torch.nn.Linear(i, o)
    torch.nn.init.normal_(lin.weight, 0, 1 / math.sqrt(i))
    torch.nn.init.zeros_(lin.bias)
    return lin


class LFADS(torch.nn.Module):
    def __init__(self, D=100, Din=100, E=128, C=128, I=1, G=128, F=32, zig=False):
        super().__init__()
        self.zig = zig  # the readout: Poisson log-rates, or the zero-inflated gamma's 3 parameters per unit
        self.E, self.I, self.G, self.F, self.Din = E, I, G, F, Din
        self.encf, self.encb = GRU(Din, E), GRU(Din, E)
        self.encf_h0, self.encb_h0 = torch.nn.Parameter(torch.zeros(E)), torch.nn.Parameter(torch.zeros(E))
        self.ic = affine(2 * E, 2 * G)
        self.ic_mean = torch.nn.Parameter(torch.zeros(G))
        self.ic_logvar = torch.nn.Parameter(torch.full((G,), math.log(0.1)))
        if I > 0:
            self.con, self.con_h0 = GRU(2 * E + F, C), torch.nn.Parameter(torch.zeros(C))
            self.co = affine(C, 2 * I)
            self.logatau = torch.nn.Parameter(torch.zeros(I))
            self.lognvar = torch.nn.Parameter(torch.full((I,), math.log(0.1)))
        self.gen = GRU(I, G)
        self.wf = torch.nn.Parameter(torch.randn(F, G) / math.sqrt(G))
        self.rates = affine(F, 3 * D if zig else D)

    def forward(self, x, keep, kl_w):
        B, T, D = x.shape
        drop = torch.nn.functional.dropout
        xd = drop(x[:, :, :self.Din], 1 - keep)
        xs = xd.unbind(1)
        ef, eb = [], [None] * T
        h = self.encf_h0.expand(B, -1)
        for t in range(T):
            h = self.encf(h, xs[t]); ef.append(h)
        h = self.encb_h0.expand(B, -1)
        for t in reversed(range(T)):
            h = self.encb(h, xs[t]); eb[t] = h
        ic = self.ic(drop(torch.cat([eb[0], ef[-1]], 1), 1 - keep))
        m0, lv0 = ic[:, :self.G], ic[:, self.G:]
        g = m0 + torch.sqrt(torch.exp(lv0) + VARMIN) * torch.randn_like(m0)
        vq, vp = torch.exp(lv0) + VARMIN, torch.exp(self.ic_logvar) + VARMIN
        kl0 = 0.5 * (torch.log(vp) - torch.log(vq) + (vq + (m0 - self.ic_mean) ** 2) / vp - 1).sum()
        if self.I > 0:
            phi = torch.exp(-torch.exp(-self.logatau))
            nlv = self.lognvar + VARMIN
            plv = nlv - torch.log(1 - phi) - torch.log(1 + phi)
        def logpdf(z, mu, lv):
            return -0.5 * (lv + math.log(2 * math.pi) + (z - mu) ** 2 / (torch.exp(lv) + VARMIN))
        wf = self.wf / self.wf.norm(dim=1, keepdim=True)
        f = torch.zeros(B, self.F)
        c = self.con_h0.expand(B, -1) if self.I > 0 else None
        nll, klu, zp = 0.0, 0.0, None
        u = torch.zeros(B, 0)
        s = 0.1  # the zero-inflated gamma's location
        for t in range(T):
            if self.I == 0:
                g = drop(self.gen(g, u), 1 - keep)
                a = self.rates(g @ wf.T)
                nll = nll + (self.zig_nll(a, x[:, t], s) if self.zig else (torch.exp(a) - x[:, t] * a).sum())
                continue
            c = self.con(c, torch.cat([drop(torch.cat([ef[t], eb[t]], 1), 1 - keep), f], 1))
            co = self.co(c)
            mu, lv = co[:, :self.I], co[:, self.I:]
            sd = torch.sqrt(torch.exp(lv) + VARMIN)
            u = mu + sd * torch.randn_like(mu)
            z = mu + sd * torch.randn_like(mu)
            prior = logpdf(z, torch.zeros_like(z), plv) if t == 0 else logpdf(z, phi * zp, nlv)
            klu = klu + (logpdf(z, mu, lv) - prior).sum()
            zp = z
            g = drop(self.gen(g, u), 1 - keep)
            f = g @ wf.T
            l = self.rates(f)
            nll = nll + (torch.exp(l) - x[:, t] * l).sum()
        return (nll + kl_w * (kl0 + klu)) / B

    @staticmethod
    def zig_nll(a, x, s):
        D = x.shape[1]
        k, theta, z = torch.exp(a[:, :D].clamp(-30, 30)), torch.exp(a[:, D:2 * D].clamp(-30, 30)), a[:, 2 * D:]
        y = torch.clamp(x - s, min=s / 9)
        above = torch.nn.functional.softplus(-z) + torch.lgamma(k) + k * torch.log(theta) - (k - 1) * torch.log(y) + y / theta
        return torch.where(x == 0, torch.nn.functional.softplus(z), above).sum()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batches", type=int, default=10)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--nlb", action="store_true", help="the NLB-like size instead of the tutorial's")
    ap.add_argument("--lorenz-zig", action="store_true",
                    help="the Lorenz size (B 128, T 100, D 60), autonomous, a zero-inflated gamma readout")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    if a.nlb:
        model, (B, T, D) = LFADS(D=182, Din=137, E=64, C=64, I=4, G=128, F=40), (64, 140, 182)
    elif a.lorenz_zig:
        model, (B, T, D) = LFADS(D=60, Din=60, I=0, zig=True), (128, 100, 60)
    else:
        model, (B, T, D) = LFADS(), (128, 25, 100)
    params = list(model.parameters())
    opt = torch.optim.Adam(params, lr=0.05, eps=0.1)
    x = torch.poisson(torch.full((B, T, D), 0.2 if a.nlb else 1.6))
    if a.lorenz_zig:  # calcium-like: a third zeros, the rest above the location
        x = torch.where(torch.rand(B, T, D) < 1 / 3, torch.zeros(B, T, D), 0.2 + torch.rand(B, T, D) * 2)
    t0 = None
    for i in range(a.batches + 2):
        if i == 2:
            t0 = time.perf_counter()  # two warm-up batches
        loss = model(x, 0.98, 1.0) + 2e-5 * sum((p ** 2).sum() for p in params)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 10.0)
        opt.step()
    ms = (time.perf_counter() - t0) * 1000 / a.batches
    print(f"torch_lfads ms_per_batch {ms:.1f} threads {a.threads}")


if __name__ == "__main__":
    main()
