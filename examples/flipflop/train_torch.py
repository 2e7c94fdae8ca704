#!/usr/bin/python3
"""Trains the flip-flop network in PyTorch and saves it as ctd reads it.

  train_torch.py TRAIN.h5 PARAMS.h5

TRAIN.h5 is a gen-flipflop file. The model is what a PyTorch user writes: a
module whose recurrent layer is `rnn` (nn.GRU, batch_first) and whose readout
is `readout` (nn.Linear). Its state_dict, saved by name with h5py, is a
parameter file that run-rnn, find-fixed-points and linearize read directly.
"""
import sys

import h5py
import torch


class FlipFlopNet(torch.nn.Module):
    def __init__(self, bits, hidden):
        super().__init__()
        self.rnn = torch.nn.GRU(bits, hidden, batch_first=True)
        self.readout = torch.nn.Linear(hidden, bits)

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.readout(h)


def main():
    train_file, params_file = sys.argv[1], sys.argv[2]
    torch.manual_seed(1)
    with h5py.File(train_file, "r") as f:
        x = torch.tensor(f["inputs"][()])
        y = torch.tensor(f["targets"][()])
        mask = torch.tensor(f["target_mask"][()])
    model = FlipFlopNet(x.shape[2], 24)
    opt = torch.optim.Adam(model.parameters(), lr=0.02)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, 0.9995)
    for step in range(3000):
        idx = torch.randint(0, x.shape[0], (128,))
        err = (model(x[idx]) - y[idx]) ** 2 * mask[idx]
        loss = err.sum() / mask[idx].sum()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 10.0)
        opt.step()
        sched.step()
        if step % 500 == 0 or step == 2999:
            print(f"step {step}  loss {loss.item():.4e}", file=sys.stderr)
    # The export: every tensor of the state_dict under its own name.
    with h5py.File(params_file, "w") as f:
        for k, v in model.state_dict().items():
            f[k] = v.numpy()


if __name__ == "__main__":
    main()
