#!/usr/bin/env bash
# Networks people train elsewhere: the flip-flop example end to end, the task
# generator, and (where python3-torch is installed) our torch-layout files
# loaded back into PyTorch with load_state_dict.
source "$(dirname "$0")/lib.sh" "$1"

# gen-flipflop: shapes, reproducible, bad input.
expect_ok gen-flipflop --bits 2 --steps 30 --trials 50 --seed 4 -o ff.h5
ctd-info ff.h5 | grep -Eq '^  inputs +\[50,30,2\]' && ok || fail "gen-flipflop inputs are not [50,30,2]"
ctd-info ff.h5 | grep -q 'task_kind = flipflop' && ok || fail "no task_kind flipflop"
expect_ok gen-flipflop --bits 2 --steps 30 --trials 50 --seed 4 -o ff2.h5
h5diff ff.h5 ff2.h5 /targets /targets > /dev/null && ok || fail "same seed gave different trials"
expect_error 2 '--bits: must be in \[1, 64\], got 0' out.h5 -- gen-flipflop --bits 0 -o out.h5
expect_error 2 '--pulse-probability' out.h5 -- gen-flipflop --pulse-probability 1.5 -o out.h5

# The example: 8 stable fixed points, one per memory (8 distinct readout sign patterns), and saddles.
summary=$(CTD_BIN="$BIN" bash "$ROOT/examples/flipflop/run" example 2>/dev/null | tail -1)
printf '%s' "$summary" | grep -q '^fixed points: 8 stable (8 distinct readout sign patterns), [1-9][0-9]* unstable' \
  && ok || fail "flip-flop example: $summary"
# The trained file is PyTorch's layout: only state_dict names at the root.
names=$(h5ls example/params.h5 | awk '{print $1}' | sort | tr '\n' ' ')
same_text "$names" "readout.bias readout.weight rnn.bias_hh_l0 rnn.bias_ih_l0 rnn.weight_hh_l0 rnn.weight_ih_l0 " \
  "datasets of a torch-gru parameter file"

# Round trip into PyTorch.
if /usr/bin/python3 -c 'import torch, h5py' 2>/dev/null; then
  for cell in lstm torch-gru "torch-rnn --nonlinearity relu"; do
    expect_ok train-rnn -i ff.h5 --cell $cell --hidden 7 --batches 30 --batch-size 16 --eval-trials 8 -o net.h5
    expect_ok run-rnn -p net.h5 -i ff.h5 -o net_states.h5
    err=$(/usr/bin/python3 "$ROOT/tests/cli/torch_roundtrip.py" net.h5 net_states.h5 2>&1) && ok || fail "$cell: $err"
  done
else
  echo "python3-torch not installed: the PyTorch round trip is skipped"
fi

finish
