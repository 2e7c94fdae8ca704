#!/usr/bin/env bash
# End-to-end tests of train-rnn and run-rnn: fixtures, pipelines, resume, bad input.
source "$(dirname "$0")/lib.sh" "$1"
FIX="$DATA/fixtures"

# --- run-rnn reproduces the tutorials' forward passes ---------------------------------
for stem in tutorial_vanilla_integrator tutorial_gru_decision; do
  expect_ok run-rnn -p "$FIX/${stem}_params.h5" -i "$FIX/${stem}_forward.h5" -o "$stem.h5"
  h5diff -d 1e-5 "$stem.h5" "$FIX/${stem}_forward.h5" /hiddens /hiddens >/dev/null && ok || fail "$stem hiddens differ"
  h5diff -d 1e-5 "$stem.h5" "$FIX/${stem}_forward.h5" /outputs /outputs >/dev/null && ok || fail "$stem outputs differ"
done

# The output records what ran: no task options for a task file; held-input's steps, not the integrator's bias.
INTP="$FIX/tutorial_vanilla_integrator_params.h5"
ctd-info tutorial_vanilla_integrator.h5 --attribute steps >/dev/null 2>&1 && fail "a task-file run records --steps" || ok
ctd-info tutorial_vanilla_integrator.h5 --attribute trials >/dev/null 2>&1 && fail "a task-file run records --trials" || ok
expect_ok run-rnn -p "$INTP" --task integrator --trials 3 --steps 9 -o fresh.h5
[ "$(ctd-info fresh.h5 --attribute steps)" == "9" ] && ok || fail "--task trials do not record --steps"
expect_ok run-rnn -p "$INTP" --task held-input --steps 7 --trials 2 -o held.h5
[ "$(ctd-info held.h5 --attribute steps)" == "7" ] && ok || fail "held-input does not record --steps"
ctd-info held.h5 --attribute bias >/dev/null 2>&1 && fail "held-input records the integrator's --bias" || ok

# A state_dict's extra key (FixedPointFinder's learned initial state) is said, and goes in with --h0s.
expect_ok train-rnn --task integrator --cell torch-gru --hidden 8 --batches 3 -o tg.h5
printf '0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8\n' > h0.txt
printf 'PATH initial_hiddens_1xd\nINPUT-CLASS TEXTFP\nRANK 2\nDIMENSION-SIZES 1 8\nOUTPUT-CLASS FP\nOUTPUT-SIZE 32\n' > h0.cfg
h5import h0.txt -c h0.cfg -o tg.h5 >/dev/null && ok || fail "h5import"
err=$(run-rnn -p tg.h5 --task integrator --trials 3 -o zero_start.h5 2>&1 >/dev/null)
printf '%s' "$err" | grep -q "initial_hiddens_1xd' is not a parameter.*--h0s FILE:initial_hiddens_1xd" && ok ||
  fail "no word on the unused initial_hiddens_1xd: $err"
expect_ok run-rnn -p tg.h5 --task integrator --trials 3 --h0s tg.h5:initial_hiddens_1xd -o learned_start.h5
[ "$(ctd-info learned_start.h5 --csv 'h0s[2]' | head -2 | cut -c1-3 | tr '\n' ' ')" == "0.1 0.2 " ] && ok ||
  fail "a [1,N] --h0s does not start every trial: $(ctd-info learned_start.h5 --csv 'h0s[2]')"

# --- a pipeline: task -> training -> states --------------------------------------------
gen-integrator --trials 256 --seed 2 -o - | train-rnn -i - --hidden 16 --batches 150 --batch-size 32 -q -o small.h5 &&
  ok || fail "gen-integrator | train-rnn -i - failed"
info=$(ctd-info small.h5)
printf '%s' "$info" | grep -q '^kind: rnn-params' && ok || fail "train-rnn output is not rnn-params"
printf '%s' "$info" | grep -q 'gen-integrator --trials 256' && ok || fail "history was not carried forward"
for a in eval_loss curve_loss curve_lms curve_l2 curve_lr curve_step cell; do
  printf '%s' "$info" | grep -q "^  $a = " && ok || fail "attribute $a missing"
done
# Only parameters at the root, so the tutorials' loader reads our files.
datasets=$(printf '%s' "$info" | sed -n '/^datasets:/,/^attributes:/p' | awk 'NF>1{print $1}' | sort | tr '\n' ' ')
same_text "$datasets" "bO bR h0 wI wO wR " "root datasets of a vanilla params file"
run-rnn -p small.h5 --task decision --trials 16 -o - | ctd-info - | grep -q '^  hiddens *\[16,25,16\]' &&
  ok || fail "run-rnn --task ... -o - | ctd-info -"

# --- the decision task trains a GRU by default, and reports sign accuracy ----------------------
expect_ok train-rnn --task decision --hidden 16 --batches 40 --eval-trials 64 -o dec.h5
ctd-info dec.h5 | grep -q '^  cell = gru' && ok || fail "decision default cell is not gru"
ctd-info dec.h5 | grep -q '^  eval_sign_accuracy = ' && ok || fail "no eval_sign_accuracy for the decision task"
ctd-info dec.h5 | grep -q '^  lr = 0.04$' && ok || fail "decision default lr is not 0.04"
train-rnn --task decision --print-config | grep -q '^lr_decay = 0.99985$' && ok || fail "--print-config lacks the task's lr-decay"
# The tutorial's own decision recipe stays available as a preset.
train-rnn --task decision --preset decision-tutorial --print-config | grep -q '^lr_decay = 0.9999$' && ok ||
  fail "--preset decision-tutorial is not the tutorial's lr-decay"
expect_error 2 'preset.*decision-tutorial' out.h5 -- train-rnn --task decision --preset decision-tutorials -o out.h5

# --print-config writes a file that --config reads back (empty options left out).
train-rnn --task decision --hidden 8 --batches 5 --eval-trials 8 --print-config > run.toml
expect_ok train-rnn --config run.toml -q -o fromcfg.h5
ctd-info fromcfg.h5 | grep -q '^  hidden = 8$' && ok || fail "--config did not apply hidden = 8"

# --- resume equals an uninterrupted run ---------------------------------------------------------
common=(--task integrator --hidden 32 --batch-size 64 --seed 9 -t 2 -q)
expect_ok train-rnn "${common[@]}" --batches 120 -o straight.h5
expect_ok train-rnn "${common[@]}" --batches 50 --checkpoint ck.h5 -o part.h5
expect_ok train-rnn "${common[@]}" --batches 120 --checkpoint ck.h5 --resume -o resumed.h5
for ds in h0 wI wR wO bR bO; do
  h5diff straight.h5 resumed.h5 /$ds /$ds >/dev/null && ok || fail "resumed $ds differs from the uninterrupted run"
done
expect_error 2 'made with --lr 0.025 but this run has --lr 0.03' '' -- \
  train-rnn "${common[@]}" --batches 130 --lr 0.03 --checkpoint ck.h5 --resume -o other.h5

# SIGTERM saves a checkpoint and stops; --resume finishes to the same result.
# The signal goes once the first timed checkpoint exists, so training is
# surely under way and (thousands of batches to go) not yet finished.
long=(--task integrator --hidden 64 --seed 3 -t 2 -q --batches $((4000 / SLOWDOWN)))
train-rnn "${long[@]}" --checkpoint sig.h5 --checkpoint-every 0.2 -o sig_out.h5 2>term.log &
pid=$!
for _ in $(seq 300); do [ -f sig.h5 ] && break; sleep 0.05; done
kill -TERM $pid
wait $pid
rc=$?
if [ $rc -eq 75 ] && grep -q 'stopped by signal 15 at batch .*exit status 75' term.log && [ -f sig.h5 ] && [ ! -e sig_out.h5 ]; then ok
else fail "SIGTERM: rc=$rc, $(cat term.log)"; fi
# SIGUSR1 saves and says so; training goes on.
train-rnn --task integrator --hidden 16 --seed 3 -t 2 --batches $((4000 / SLOWDOWN)) --checkpoint usr.h5 --checkpoint-every 1000 \
  -o usr_out.h5 2>usr.log &
pid=$!
for _ in $(seq 100); do grep -q 'training a' usr.log && break; sleep 0.05; done
sleep 0.5
kill -USR1 $pid
wait $pid
rc=$?
[ $rc -eq 0 ] && grep -q 'checkpoint saved to usr.h5 at batch [0-9]* (SIGUSR1; training goes on)' usr.log && ok ||
  fail "SIGUSR1: rc=$rc, $(cat usr.log)"
expect_ok train-rnn "${long[@]}" --checkpoint sig.h5 --resume -o sig_out.h5
expect_ok train-rnn "${long[@]}" -o sig_straight.h5
h5diff sig_out.h5 sig_straight.h5 /wR /wR >/dev/null && ok || fail "SIGTERM + resume differs from the uninterrupted run"

# --- the LFADS data recipe (small): settle on the attractor, then run from there ------------------
expect_ok gen-integrator --trials 64 --steps 7 --duration 0.28 --zero-steps 1 --seed 11 -o settle.h5
expect_ok run-rnn -p "$FIX/tutorial_vanilla_integrator_params.h5" -i settle.h5 -o settle_states.h5
expect_ok gen-integrator --trials 64 --seed 12 -o task25.h5
expect_ok run-rnn -p "$FIX/tutorial_vanilla_integrator_params.h5" -i task25.h5 --h0s settle_states.h5 --offset-targets -o lfads.h5
# The h0s are the settled states' last step.
a=$(h5dump -d /h0s -s 5,0 -c 1,100 -y -w 0 lfads.h5 | sed -n '/DATA {/,/}/p' | tail -n +2)
b=$(h5dump -d /hiddens -s 5,7,0 -c 1,1,100 -y -w 0 settle_states.h5 | sed -n '/DATA {/,/}/p' | tail -n +2)
same_text "$a" "$b" "h0s of the LFADS trials vs the last settled state"
# With targets offset by the readout of h0, the integrator's outputs track them closely.
err=$(ctd-info lfads.h5 | awk '/^  outputs/{o=$0} /^  targets/{t=$0} END{split(o,x," "); split(t,y," "); d=x[7]-y[7]; print (d<0?-d:d)}')
awk -v d="$err" 'BEGIN{exit !(d < 0.02)}' && ok || fail "mean output and mean offset target differ by $err"

# --- bad input ---------------------------------------------------------------------------------
h5copy -i "$FIX/tutorial_vanilla_integrator_params.h5" -o nobR.h5 -s /h0 -d /h0
for ds in wI wR wO bO; do h5copy -i "$FIX/tutorial_vanilla_integrator_params.h5" -o nobR.h5 -s /$ds -d /$ds; done
expect_error 1 "nobR.h5: no dataset 'bR', which vanilla" out.h5 -- run-rnn -p nobR.h5 --task integrator -o out.h5
expect_error 1 'not an RNN parameter file' out.h5 -- run-rnn -p task25.h5 --task integrator -o out.h5
expect_error 1 "no dataset 'inputs'" out.h5 -- train-rnn -i small.h5 -o out.h5
expect_error 1 "small.h5: dataset 'wR' has shape \[16,16\] but 64 trials of N=100 units are required" out.h5 -- \
  run-rnn -p "$FIX/tutorial_vanilla_integrator_params.h5" -i task25.h5 --h0s small.h5:wR -o out.h5
expect_error 1 "inputs.*but 64 trials of N=100" out.h5 -- \
  run-rnn -p "$FIX/tutorial_vanilla_integrator_params.h5" -i task25.h5 --h0s task25.h5:inputs -o out.h5
expect_error 2 "duration 1e-300: dt = duration/steps makes the inputs' noise" inf.h5 -- \
  gen-integrator --noise 1e6 --duration 1e-300 --trials 3 -o inf.h5
hostile-files .
expect_error 1 "task-inf.h5: dataset 'inputs' contains Inf at \[0,0,0\]" out.h5 -- train-rnn -i task-inf.h5 -o out.h5
expect_error 1 'training diverged at batch [0-9]+: the loss is (NaN|Inf)' out.h5 -- train-rnn -q --task integrator --lr 1e30 --batches 50 -o out.h5
expect_error 2 'either -i FILE or --task' out.h5 -- train-rnn -i task25.h5 --task integrator -o out.h5
expect_error 2 'either -i FILE or --task' out.h5 -- run-rnn -p small.h5 -o out.h5
expect_error 2 'cell' out.h5 -- train-rnn --cell transformer -o out.h5
expect_error 2 '--resume needs --checkpoint' out.h5 -- train-rnn --resume -o out.h5
# --resume before the first checkpoint exists (a job script's first run): a fresh start.
err=$(train-rnn --task integrator --hidden 8 --batches 20 --eval-trials 8 --checkpoint first.ckpt --resume -o first.h5 2>&1 >/dev/null) &&
  [ -f first.h5 ] && [ -f first.ckpt ] && printf '%s' "$err" | grep -q 'no checkpoint first.ckpt yet: starting fresh' &&
  ok || fail "--resume without a checkpoint: $err"
expect_error 2 'batch-size' out.h5 -- train-rnn --batch-size 0 -o out.h5

finish
