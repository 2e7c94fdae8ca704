#!/usr/bin/python3
"""Loads a torch-layout parameter file into PyTorch exactly as the README says,
runs the states file's inputs through it, and compares with run-rnn's outputs.

  torch_roundtrip.py PARAMS.h5 STATES.h5     (exit 1 on a mismatch)
"""
import sys

import h5py
import torch

params, states = sys.argv[1], sys.argv[2]
with h5py.File(params, "r") as f:
    cell = f.attrs["cell"]
    cell = cell.decode() if isinstance(cell, bytes) else str(cell)
    nonlinearity = f.attrs.get("nonlinearity", "tanh")
    nonlinearity = nonlinearity.decode() if isinstance(nonlinearity, bytes) else str(nonlinearity)
    G, N = f["rnn.weight_hh_l0"].shape
    U = f["rnn.weight_ih_l0"].shape[1]
    O = f["readout.weight"].shape[0]


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        if cell == "lstm":
            self.rnn = torch.nn.LSTM(U, N, batch_first=True)
        elif cell == "torch-gru":
            self.rnn = torch.nn.GRU(U, N, batch_first=True)
        else:
            self.rnn = torch.nn.RNN(U, N, batch_first=True, nonlinearity=nonlinearity)
        self.readout = torch.nn.Linear(N, O)

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.readout(h)


model = Net()
with h5py.File(params, "r") as f:
    model.load_state_dict({k: torch.tensor(f[k][()]) for k in f})  # strict: no missing or extra names
with h5py.File(states, "r") as f:
    x = torch.tensor(f["inputs"][()])
    ours = torch.tensor(f["outputs"][()])
with torch.no_grad():
    theirs = model(x)
diff = (theirs - ours).abs().max().item()
if diff > 1e-5:
    print(f"{cell}: PyTorch's outputs differ from run-rnn's by {diff:.3g}", file=sys.stderr)
    sys.exit(1)
