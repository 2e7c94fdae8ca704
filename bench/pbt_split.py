"""Splits an LFADS file for a fair hyperparameter search: the search's
validation trials come out of the training trials, and the file's own
validation trials become a test set no member ever scored on.
N_TRAIN keeps only the first N_TRAIN training trials for the search (the
small-data case, like NLB's MC_Maze-Small), N_VALID of them for validation.
Usage: pbt_split.py IN.h5 SEARCH.h5 TEST.h5 [N_VALID] [N_TRAIN]"""
import sys

import h5py

src, search, test = sys.argv[1:4]
n_valid = int(sys.argv[4]) if len(sys.argv) > 4 else 128
with h5py.File(src, "r") as f:
    train = {k: f[k][()] for k in f if k.startswith("train_")}
    valid = {k: f[k][()] for k in f if k.startswith("valid_")}
    extra = {k: f[k][()] for k in f if not k.startswith(("train_", "valid_"))}
n = next(iter(train.values())).shape[0]
if len(sys.argv) > 5:
    n_train = int(sys.argv[5])
    if not n_valid < n_train <= n:
        sys.exit(f"pbt_split.py: N_TRAIN must be above N_VALID ({n_valid}) and at most {n}")
    n = n_train
with h5py.File(search, "w") as g:
    for k, v in train.items():
        g[k] = v[: n - n_valid]
        g["valid_" + k[len("train_"):]] = v[n - n_valid:n]
    for k, v in extra.items():
        g[k] = v
with h5py.File(test, "w") as g:  # fit-lfads --infer scores its valid split: the untouched trials
    for k, v in list(train.items()) + list(valid.items()):
        g[k] = v
    for k, v in extra.items():
        g[k] = v
print(f"search: {n - n_valid} training, {n_valid} validation trials; test: {next(iter(valid.values())).shape[0]} trials")
