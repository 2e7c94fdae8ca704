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
# ... also with the validation rules, whose state (best parameters, plateau count, rate scale) the checkpoint keeps.
# (At this rate the validation loss stalls: the rate drops at least once.)
rules=(--valid-every 2 --valid-smoothing 0 --lr 0.5 --keep-best --lr-plateau-patience 1 --lr-plateau-factor 0.5 --cd-rate 0.2)
fit-lfads -i data.h5 "${small[@]/-q/}" "${rules[@]}" --batches 20 --seed 5 -o straight_rules.h5 2> rules.log
grep -q 'validation plateau, learning rate now' rules.log && ok || fail "no plateau in a stalling run: $(cat rules.log)"
expect_ok fit-lfads -i data.h5 "${small[@]}" "${rules[@]}" --batches 9 --seed 5 --checkpoint ck_rules.h5 -o part.h5
expect_ok fit-lfads -i data.h5 "${small[@]}" "${rules[@]}" --batches 20 --seed 5 --checkpoint ck_rules.h5 --resume -o resumed_rules.h5
h5diff straight_rules.h5 resumed_rules.h5 /gen/wRUHX /gen/wRUHX >/dev/null && ok || fail "resumed model (rules) differs"
[ "$(ctd-info straight_rules.h5 --attribute params_step)" == "$(ctd-info resumed_rules.h5 --attribute params_step)" ] &&
  ok || fail "resumed run keeps other parameters"
# A resume with nothing left to do still writes a complete model.
expect_ok fit-lfads -i data.h5 "${small[@]}" --batches 20 --seed 5 --checkpoint ck.h5 --resume -o again.h5
h5diff resumed.h5 again.h5 /gen/wRUHX /gen/wRUHX >/dev/null && ok || fail "an idle resume changed the model"
[ "$(h5dump -a ctd_version ck.h5 | grep -c '"0.2.0"')" = 1 ] && ok || fail "the checkpoint lacks ctd_version"

# lfads-torch's and NLB's layouts (made by the test helper from data.h5, the last 20 units held out;
# torch.h5 has the integrator's input as ext_input and trial indices 1000 + row).
expect_ok lfads-layouts data.h5 20 .
expect_ok fit-lfads torch.h5 "${small[@]}" --batches 20 --cd-rate 0.3 --seed 3 -o torch_model.h5
for a in 'D 100' 'D_in 80' 'ext_dim 1' 'cd_rate 0.3'; do
  [ "$(ctd-info torch_model.h5 --attribute ${a% *})" == "${a#* }" ] && ok || fail "torch model: ${a% *} is not ${a#* }"
done
info=$(ctd-info torch_model.h5)
for ds in 'enc/fwd/wRUHX *\[16,88\]' 'gen/wRUHX *\[16,10\]' 'con/wRUHX *\[16,29\]' 'logrates/w *\[100,4\]'; do
  printf '%s' "$info" | grep -Eq "^  $ds" && ok || fail "torch model lacks $ds"
done
expect_ok fit-lfads --infer -p torch_model.h5 -i torch.h5 --samples 4 --split both --layout lfads-torch -o torch_post.h5
info=$(ctd-info torch_post.h5)
for split in train:108 valid:12; do
  s=${split%:*} n=${split#*:}
  for ds in "output_params *\[$n,25,100\] *float32" "factors *\[$n,25,4\] *float32" "ic_mean *\[$n,8\] *float32" \
            "ic_std *\[$n,8\] *float32" "co_means *\[$n,25,1\] *float32" "co_stds *\[$n,25,1\] *float32" \
            "gen_states *\[$n,25,8\] *float32" "gen_inputs *\[$n,25,2\] *float32" "con_states *\[$n,25,8\] *float32" \
            "inds *\[$n\] *int64"; do
    printf '%s' "$info" | grep -Eq "^  ${s}_$ds" && ok || fail "lfads-torch posterior lacks ${s}_$ds"
  done
  # Indices map rows back to the input file's trials; the external input is the generator's last input.
  h5diff torch_post.h5 torch.h5 /${s}_inds /${s}_inds > /dev/null && ok || fail "${s}_inds differ from the input's"
  [ "$(ctd-info torch_post.h5 --csv "${s}_gen_inputs[:, :, 1]")" == "$(ctd-info torch.h5 --csv "${s}_ext_input[:, :, 0]")" ] &&
    ok || fail "${s}_gen_inputs do not end with the external input"
  bps=$(ctd-info torch_post.h5 --attribute ${s}_co_bps)
  awk -v b="$bps" 'BEGIN { exit !(b > -1 && b < 1) }' && ok || fail "${s}_co_bps is '$bps'"
done
# The posterior's root attributes describe the model, not training defaults.
for a in 'gen_dim 8' 'factors_dim 4' 'D_in 80' 'ext_dim 1' 'model_file torch_model.h5' 'samples 4'; do
  [ "$(ctd-info torch_post.h5 --attribute ${a% *})" == "${a#* }" ] && ok || fail "posterior: ${a% *} is not ${a#* }"
done
ctd-info torch_post.h5 | grep -Eq '^  (lr|batches|kl_max|keep_best) =' && fail "the posterior records training options" || ok
# NLB's tensors, and ctd's layout with --hold-out 20, are the same data: the same model.
expect_ok fit-lfads nlb.h5 "${small[@]}" --batches 10 --seed 4 -o nlb_model.h5
expect_ok fit-lfads data.h5 "${small[@]}" --batches 10 --seed 4 --hold-out 20 -o held_model.h5
h5diff nlb_model.h5 held_model.h5 /enc/fwd/wRUHX /enc/fwd/wRUHX > /dev/null && h5diff nlb_model.h5 held_model.h5 /logrates/w /logrates/w > /dev/null &&
  ok || fail "NLB's layout and --hold-out fit different models"
expect_ok fit-lfads --infer -p held_model.h5 -i data.h5 --samples 2 -o held_post.h5
bps=$(num held_post.h5 valid/co_bps)
[ -n "$bps" ] && ok || fail "--infer reports no co-bps for --hold-out's model"
# NLB's test phase: eval trials without held-out spikes are left out (a warning); --valid-fraction validates.
for ds in train_spikes_heldin train_spikes_heldout eval_spikes_heldin; do h5copy -i nlb.h5 -o nlb_test.h5 -s $ds -d $ds; done
fit-lfads nlb_test.h5 "${small[@]/-q/}" --batches 2 --valid-fraction 0.2 -o test_phase.h5 2> err.txt &&
  grep -q 'eval_spikes_heldin without eval_spikes_heldout: the eval trials are not used' err.txt && ok ||
  fail "NLB test-phase file: $(cat err.txt)"
# Figures of lfads-torch's posterior layout and of NLB's data (held-in and held-out spikes side by side).
expect_ok fit-lfads --infer -p nlb_model.h5 -i nlb.h5 --samples 2 -o nlb_post.h5
for f in "torch_post.h5 --figure rates" "torch_post.h5 --figure inputs" "torch_post.h5 --figure raster" \
         "nlb_post.h5 --figure rates" "nlb_post.h5 --figure raster"; do
  ctd-plot $f -o fig.png 2> err.txt && image-check png fig.png > /dev/null && ok || fail "ctd-plot $f: $(cat err.txt)"
done
# A file without validation trials: --valid-fraction splits it; --infer splits it the same way.
h5copy -i data.h5 -o train_only.h5 -s train_data -d train_data
expect_error 1 'no validation trials \(no valid_data\): split some training trials off with --valid-fraction' out.h5 -- \
  fit-lfads train_only.h5 "${small[@]}" --batches 2 -o out.h5
expect_ok fit-lfads train_only.h5 "${small[@]}" --batches 30 --valid-every 5 --valid-fraction 0.2 --keep-best -o split_model.h5
[ "$(ctd-info split_model.h5 --attribute valid_fraction)" == 0.2 ] && ok || fail "the model does not record valid_fraction"
ctd-info split_model.h5 --attribute best_step > /dev/null && ok || fail "--keep-best records no best_step"
ctd-plot split_model.h5 --script -o curve.png | grep -q 'validation NLL, smoothed' && ok || fail "the curve lacks the smoothed NLL"
expect_ok fit-lfads --infer -p split_model.h5 -i train_only.h5 --samples 2 --split both -o split_post.h5
[ "$(ctd-info split_post.h5 | grep -c 'valid/inds *\[22\]')" == 1 ] && ok || fail "the validation split has not 22 of 108 trials"
both=$( (ctd-info split_post.h5 --csv 'train/inds'; ctd-info split_post.h5 --csv 'valid/inds') | tr ',' '\n' | grep . | sort -n | uniq | wc -l)
[ "$both" == 108 ] && ok || fail "train and valid indices do not cover the 108 trials once: $both"

# Bad input.
expect_error 2 '--hold-out: torch.h5 is in the lfads-torch layout' out.h5 -- fit-lfads torch.h5 --hold-out 5 -o out.h5
expect_error 2 '--hold-out 100 leaves no held-in unit' out.h5 -- fit-lfads data.h5 --hold-out 100 -o out.h5
h5copy -i torch.h5 -o half.h5 -s train_encod_data -d train_encod_data
expect_error 1 'half.h5: the lfads-torch layout is incomplete: no train_recon_data' out.h5 -- fit-lfads half.h5 -o out.h5
expect_error 2 'has validation trials \(valid_data\): --valid-fraction splits files that have none' out.h5 -- \
  fit-lfads data.h5 --valid-fraction 0.2 -o out.h5
expect_error 1 'torch.h5 has 100 units \(80 held in\), 1 external inputs but the model was fitted to 100 units \(100 held in\), 0' out.h5 -- \
  fit-lfads --infer -p model.h5 -i torch.h5 -o out.h5
expect_error 1 "states.h5: no spike counts found: expected train_data" out.h5 -- fit-lfads -i states.h5 -o out.h5
expect_error 2 '--infer needs -p MODEL' out.h5 -- fit-lfads --infer -i data.h5 -o out.h5
expect_error 1 'has 60 units \(60 held in\), 0 external inputs but the model was fitted to 100 units' out.h5 -- fit-lfads --infer -p model.h5 -i "$DATA/lfads_lorenz.h5" -o out.h5
expect_error 1 'not an LFADS model file' out.h5 -- fit-lfads --infer -p data.h5 -i data.h5 -o out.h5
# Separate encoders (lfads-torch's): their parameters and sizes recorded, --infer rebuilds them.
sep=(--ic-enc-dim 6 --ci-enc-dim 5 --ic-enc-seq-len 10 --ci-lag 1)
expect_ok fit-lfads -i data.h5 "${small[@]}" "${sep[@]}" --batches 10 --seed 3 -o sep.h5
info=$(ctd-info sep.h5)
for ds in 'ic_enc/fwd/wRUHX *\[12,106\]' 'ci_enc/bwd/wRUHX *\[10,105\]' 'ic/w *\[16,12\]' 'con/wRUHX *\[16,22\]'; do
  printf '%s' "$info" | grep -Eq "^  $ds" && ok || fail "separate-encoder model lacks $ds"
done
printf '%s' "$info" | grep -Eq '^  enc/fwd' && fail "separate-encoder model has the shared encoder" || ok
[ "$(ctd-info sep.h5 --attribute ic_enc_seq_len)" == "10" ] && ok || fail "ic_enc_seq_len not recorded"
expect_ok fit-lfads --infer -p sep.h5 -i data.h5 --samples 2 -o sep_post.h5
ctd-info model.h5 | grep -Eq '^  ic_enc/' && fail "the default model has separate encoders" || ok
expect_error 2 'ic-enc-seq-len 30 is longer than the trials \(25 bins\)' out.h5 -- \
  fit-lfads -i data.h5 "${small[@]}" --ic-enc-seq-len 30 -o out.h5
expect_error 2 'ci-lag 25 leaves the controller no encoder state' out.h5 -- fit-lfads -i data.h5 "${small[@]}" --ci-lag 25 -o out.h5

# Sample validation: its NLL on the curve at every recorded point, in the log, and a resume equals a straight run.
sv=(--sample-validation 0.2 --cd-rate 0.3 --valid-every 5 --seed 4)
err=$(fit-lfads -i data.h5 "${small[@]/-q/-v}" "${sv[@]}" --batches 12 -o sv.h5 2>&1) && ok || fail "sample validation: $err"
printf '%s' "$err" | grep -q 'sample-valid nll [0-9]' && ok || fail "no sample-valid nll in the log"
svc=$(h5dump -a curve_sample_valid_nll sv.h5 | sed -n '/DATA {/,/}/p' | sed 's/([0-9]*)://g' | tr ',' '\n' | grep -o '[0-9][0-9.e+-]*')
[ "$(echo "$svc" | wc -l)" -eq 4 ] && ok || fail "curve_sample_valid_nll has $(echo "$svc" | wc -l) points, not 4 (1, 5, 10, 12)"
echo "$svc" | awk '!($1 > 0) {n++} END {exit n > 0}' && ok || fail "sample-valid NLL not positive: $svc"
[ "$(ctd-info sv.h5 --attribute sample_validation)" == "0.2" ] && ok || fail "sample_validation not recorded"
expect_ok fit-lfads -i data.h5 "${small[@]}" "${sv[@]}" --batches 5 --checkpoint ck_sv.h5 -o sv_part.h5
expect_ok fit-lfads -i data.h5 "${small[@]}" "${sv[@]}" --batches 12 --checkpoint ck_sv.h5 --resume -o sv_resumed.h5
h5diff sv.h5 sv_resumed.h5 /gen/wRUHX /gen/wRUHX >/dev/null && ok || fail "resumed model (sample validation) differs"
[ "$(curve sv_resumed.h5 curve_sample_valid_nll)" == "$(curve sv.h5 curve_sample_valid_nll)" ] && ok ||
  fail "resumed sample-valid curve differs"
expect_error 2 'kl-warmup-end must not precede' out.h5 -- fit-lfads -i data.h5 --kl-warmup-start 10 --kl-warmup-end 5 -o out.h5
finish
