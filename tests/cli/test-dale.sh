#!/usr/bin/env bash
# train-rnn with Dale's law and a connectivity mask: what the file records,
# every program reading it, resume equal to an uninterrupted run, and bad
# input refused (one line, exit 2, no file).
source "$(dirname "$0")/lib.sh" "$1"
dims() { ctd-info --json "$1" | jq -c --arg p "$2" '.datasets[] | select(.path == $p) | .shape'; }
# The values of a dataset, one per line (h5dump's text, numbers only).
values() { h5dump -d "$2" -y -w 0 -m '%.9g' "$1" | sed -n '/DATA {/,/}/p' | tr -s ', ' '\n\n' | grep -E '^-?[0-9.]'; }

expect_ok gen-task --task context-dm --trials 64 --seed 1 -o ctx.h5
common=(-i ctx.h5 --hidden 16 --excitatory-fraction 0.8 --seed 2 --eval-trials 16)
expect_ok train-rnn "${common[@]}" --batches 30 -o dale.h5
[ "$(ctd-info dale.h5 --attribute nonlinearity)" == relu ] && ok || fail "Dale's law: nonlinearity not relu by default"
[ "$(ctd-info dale.h5 --attribute init_self)" == 1 ] && ok || fail "Dale's law: --init-self not 1 by default"
[ "$(ctd-info dale.h5 --attribute lr)" == 0.003 ] && ok || fail "Dale's law: --lr not 0.003 by default"
# The file records what ran: no --task trial option for trials read from a file.
ctd-info dale.h5 --attribute steps >/dev/null 2>&1 && fail "--steps recorded for a task file's trials" || ok
ctd-info dale.h5 --attribute ctd_options | grep -q 'bias' && fail "--bias among ctd_options" || ok
[ "$(values dale.h5 /constraints/unit_sign | grep -c '^1$')" == 13 ] && ok || fail "round(0.8 * 16) = 13 excitatory units"
# Column j of the recurrent matrix holds unit j's outgoing weights: all of its sign.
values dale.h5 /rnn.weight_hh_l0 | awk -v N=16 '{ j = (NR - 1) % N; if ((j < 13 && $1 < 0) || (j >= 13 && $1 > 0)) bad++ }
  END { exit bad > 0 || NR != N * N }' && ok || fail "a recurrent weight with the wrong sign"
values dale.h5 /rnn.weight_ih_l0 | awk '$1 < 0 { bad++ } END { exit bad > 0 }' && ok || fail "a negative input weight"
# Every program reads the constrained network as it is.
expect_ok run-rnn -p dale.h5 -i ctx.h5 -o states.h5
[ "$(dims states.h5 hiddens)" == "[64,143,16]" ] && ok || fail "run-rnn: $(dims states.h5 hiddens)"
expect_ok find-fixed-points -p dale.h5 -i states.h5 --max-candidates 64 -o fps.h5

# Resume: 15 batches, then on to 30, equals 30 straight (raw values and Adam kept).
expect_ok train-rnn "${common[@]}" --batches 15 --checkpoint ck.h5 -o part.h5
expect_ok train-rnn "${common[@]}" --batches 30 --checkpoint ck.h5 --resume -o resumed.h5
for ds in rnn.weight_hh_l0 rnn.weight_ih_l0 readout.weight; do
  h5diff dale.h5 resumed.h5 /$ds /$ds >/dev/null && ok || fail "resumed $ds differs from the uninterrupted run"
done

# A mask without self-connections: kept through training.
awk 'BEGIN { for (i = 0; i < 16; i++) for (j = 0; j < 16; j++) printf "%d%s", i != j, (j < 15 ? " " : "\n") }' > mask.txt
printf 'PATH connectivity\nINPUT-CLASS TEXTFP\nRANK 2\nDIMENSION-SIZES 16 16\nOUTPUT-CLASS FP\nOUTPUT-SIZE 32\n' > mask.cfg
h5import mask.txt -c mask.cfg -o mask.h5 && ok || fail "h5import"
expect_ok train-rnn -i ctx.h5 --hidden 16 --connectivity mask.h5 --batches 20 --eval-trials 16 -o masked.h5
values masked.h5 /rnn.weight_hh_l0 | awk -v N=16 'int((NR - 1) / N) == (NR - 1) % N && $1 != 0 { bad++ } END { exit bad > 0 }' &&
  ok || fail "a self-connection grew under a mask without them"
h5diff -q mask.h5 masked.h5 /connectivity /constraints/connectivity && ok || fail "the mask is not recorded"

# Bad input.
expect_error 2 "--excitatory-fraction must lie strictly between 0 and 1" out.h5 -- \
  train-rnn -i ctx.h5 --hidden 16 --excitatory-fraction 1 -o out.h5
expect_error 2 "--excitatory-fraction: must be in \[0, 1\]" out.h5 -- \
  train-rnn -i ctx.h5 --hidden 16 --excitatory-fraction 1.5 -o out.h5
expect_error 2 "leaves no inhibitory unit" out.h5 -- train-rnn -i ctx.h5 --hidden 4 --excitatory-fraction 0.95 -o out.h5
expect_error 2 "need a cell with one recurrent matrix \(leaky or torch-rnn\), not gru" out.h5 -- \
  train-rnn -i ctx.h5 --hidden 16 --cell gru --excitatory-fraction 0.8 -o out.h5
expect_error 2 "--init-self needs a cell with one recurrent matrix \(vanilla, leaky or torch-rnn\), not gru" out.h5 -- \
  train-rnn -i ctx.h5 --hidden 16 --cell gru --init-self 1 -o out.h5
expect_error 1 "has shape \[16,16\] but a mask of --hidden 8 units is \[8,8\]" out.h5 -- \
  train-rnn -i ctx.h5 --hidden 8 --connectivity mask.h5 -o out.h5
sed 's/^1 /0.5 /' mask.txt > half.txt
h5import half.txt -c mask.cfg -o half.h5
expect_error 1 "the connectivity mask holds 0.5 but only 0 \(no connection\) or 1 is allowed" out.h5 -- \
  train-rnn -i ctx.h5 --hidden 16 --connectivity half.h5 -o out.h5
expect_error 2 "--steps shapes --task trials; the trials of -i ctx.h5 are the file's own" out.h5 -- \
  train-rnn -i ctx.h5 --hidden 16 --steps 10 -o out.h5
# A resumed run whose Dale's law differs is refused by the checkpoint's signature.
expect_error 2 "excitatory-fraction" out.h5 -- \
  train-rnn -i ctx.h5 --hidden 16 --excitatory-fraction 0.5 --seed 2 --eval-trials 16 --batches 30 --checkpoint ck.h5 --resume -o out.h5
finish
