#!/usr/bin/env bash
# End-to-end tests of fit-lfads on small data: the tutorial pipeline in
# miniature, inference, the autonomous model, resume, bad input.
source "$(dirname "$0")/lib.sh" "$1"
INT="$DATA/fixtures/tutorial_vanilla_integrator_params.h5"
num() { h5dump -a "$2" "$1" | awk '/\(0\)/{print $2}'; }
small=(--enc-dim 8 --con-dim 8 --gen-dim 8 --factors-dim 4 --batch-size 16 -t 2 -q)

# gen-integrator -> run-rnn -> spikify -> fit-lfads
expect_ok run-rnn -p "$INT" --task integrator --trials 120 --seed 2 -o states.h5
expect_ok spikify -i states.h5 --seed 1 -o data.h5
expect_ok fit-lfads -i data.h5 "${small[@]}" --batches 60 --seed 3 -o model.h5
info=$(ctd-info model.h5)
for ds in 'enc/fwd/wRUHX *\[16,108\]' 'con/wRUHX *\[16,28\]' 'gen/wRUHX *\[16,9\]' 'factors/w *\[4,8\]' \
          'logrates/w *\[100,4\]' 'ar_prior/logatau *\[1\]' 'ic_prior/logvar *\[8\]'; do
  printf '%s' "$info" | grep -Eq "^  $ds" && ok || fail "model lacks $ds"
done
printf '%s' "$info" | grep -q '^kind: lfads-model' && ok || fail "ctd_kind is not lfads-model"
# Training lowers the validation loss: the first and last points of the recorded curve.
expect_ok fit-lfads -i data.h5 "${small[@]}" --batches 150 --seed 3 --valid-every 10 -o m2.h5
curve=$(h5dump -a curve_valid_loss m2.h5 | sed -n '/DATA {/,/}/p' | sed 's/([0-9]*)://g' | tr ',' '\n' | grep -o '[0-9][0-9.e+-]*')
first=$(echo "$curve" | head -1); last=$(echo "$curve" | tail -1)
awk -v a="$first" -v b="$last" 'BEGIN{exit !(b < a - 1)}' && ok || fail "validation loss did not fall: $first -> $last"

# Posterior sample-and-average, with the R2 against the truth.
expect_ok fit-lfads --infer -p model.h5 -i data.h5 --samples 8 -o post.h5
info=$(ctd-info post.h5)
for ds in 'valid/rates *\[12,25,100\]' 'valid/factors *\[12,25,4\]' 'valid/gen_states *\[12,25,8\]' \
          'valid/con_states' 'valid/inferred_inputs *\[12,25,1\]' 'valid/ii_mean' 'valid/g0_mean *\[12,8\]'; do
  printf '%s' "$info" | grep -Eq "^  $ds" && ok || fail "posterior lacks $ds"
done
h5dump -a valid/rate_r2 post.h5 >/dev/null 2>&1 && ok || fail "no rate_r2"
h5dump -a valid/inferred_input_r2 post.h5 >/dev/null 2>&1 && ok || fail "no inferred_input_r2"

# The autonomous model, and the Lorenz benchmark file's layout (with lowd).
expect_ok fit-lfads -i "$DATA/lfads_lorenz.h5" "${small[@]}" --ii-dim 0 --batches 5 -o auto.h5
ctd-info auto.h5 | grep -q 'con/' && fail "autonomous model has a controller" || ok
expect_ok fit-lfads --infer -p auto.h5 -i "$DATA/lfads_lorenz.h5" --samples 4 --max-trials 10 -o auto_post.h5
h5dump -a valid/factors_lowd_r2 auto_post.h5 >/dev/null 2>&1 && ok || fail "no factors_lowd_r2 for the Lorenz file"

# Resume equals uninterrupted.
expect_ok fit-lfads -i data.h5 "${small[@]}" --batches 20 --seed 5 -o straight.h5
expect_ok fit-lfads -i data.h5 "${small[@]}" --batches 8 --seed 5 --checkpoint ck.h5 -o part.h5
expect_ok fit-lfads -i data.h5 "${small[@]}" --batches 20 --seed 5 --checkpoint ck.h5 --resume -o resumed.h5
h5diff straight.h5 resumed.h5 /gen/wRUHX /gen/wRUHX >/dev/null && ok || fail "resumed model differs"
# The curve survives the resume (it lives in the checkpoint): the straight
# run's points, plus the point where the first run's --batches 8 ended.
curve() { h5dump -a "$2" "$1" | grep -A3 'DATA {' | tr -d ' \n' | sed 's/DATA{(0)://; s/}}//'; }
[ "$(curve resumed.h5 curve_step)" == "1,8,20" ] && ok || fail "resumed curve_step is $(curve resumed.h5 curve_step)"
for c in curve_step curve_train_loss curve_valid_loss; do
  without8=$(curve resumed.h5 $c | awk -F, '{ print $1 "," $3 }')
  [ "$(curve straight.h5 $c)" == "$without8" ] && ok || fail "resumed $c differs: $without8 vs $(curve straight.h5 $c)"
done
# A resume with nothing left to do still writes a complete model.
expect_ok fit-lfads -i data.h5 "${small[@]}" --batches 20 --seed 5 --checkpoint ck.h5 --resume -o again.h5
h5diff resumed.h5 again.h5 /gen/wRUHX /gen/wRUHX >/dev/null && ok || fail "an idle resume changed the model"
[ "$(h5dump -a ctd_version ck.h5 | grep -c '"0.2.0"')" = 1 ] && ok || fail "the checkpoint lacks ctd_version"

# Bad input.
expect_error 1 "no dataset 'train_data'" out.h5 -- fit-lfads -i states.h5 -o out.h5
expect_error 2 '--infer needs -p MODEL' out.h5 -- fit-lfads --infer -i data.h5 -o out.h5
expect_error 1 'has D=60 units but the model has D=100' out.h5 -- fit-lfads --infer -p model.h5 -i "$DATA/lfads_lorenz.h5" -o out.h5
expect_error 1 'not an LFADS model file' out.h5 -- fit-lfads --infer -p data.h5 -i data.h5 -o out.h5
expect_error 2 'kl-warmup-end must not precede' out.h5 -- fit-lfads -i data.h5 --kl-warmup-start 10 --kl-warmup-end 5 -o out.h5
finish
