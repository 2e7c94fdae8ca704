#!/usr/bin/env bash
# End-to-end tests of gen-sentiment and of the contextual-processing pipeline (small).
source "$(dirname "$0")/lib.sh" "$1"

expect_ok gen-sentiment --trials 300 --seed 1 -o reviews.h5
info=$(ctd-info reviews.h5)
for ds in 'inputs *\[300,50,12\] *float32' 'targets *\[300,50,1\]' 'target_mask *\[300,50,1\] .*min 1  mean 1  max 1' 'tokens *\[300,50\] *int32'; do
  printf '%s' "$info" | grep -Eq "^  $ds" && ok || fail "gen-sentiment output lacks $ds"
done
printf '%s' "$info" | grep -q '^  vocabulary = a, and, awesome1, awful1, bad1, for, good1, it, not4, the, very1, while$' &&
  ok || fail "vocabulary attribute"
# The printed review agrees with the file: the same words and targets.
gen-sentiment --kind very-good --print 1 --seed 4 > printed.txt
grep -q '^  25  very1 ' printed.txt && grep -q '^  26  good1     +2$' printed.txt && ok || fail "printed probe: $(sed -n 27,28p printed.txt)"
grep -q 'final sentiment 2' printed.txt && ok || fail "very good should end at +2"
# Probes and input noise.
expect_ok gen-sentiment --kind not-nnn-awful --trials 4 -o probe.h5
h5dump -d /tokens -s 0,25 -c 1,5 -y -w 0 probe.h5 | grep -q '8, *[0-9]*, *[0-9]*, *[0-9]*, *3' && ok || fail "not-nnn-awful probe placement"
expect_ok gen-sentiment --trials 4 --input-noise 0.1 -o noisy.h5
ctd-info noisy.h5 | grep -Eq '^  inputs .*min -0\.[0-9]' && ok || fail "input noise not applied"

# A short sentiment training run (preset from the file's task attribute) and the analysis tools on it.
expect_ok train-rnn -i reviews.h5 --eval-input reviews.h5 --hidden 16 --batches 30 --batch-size 16 -o p.h5
ctd-info p.h5 | grep -q '^  state_noise = 0.003' && ok || fail "sentiment preset: state noise is not 0.003"
ctd-info p.h5 | grep -q '^  lr_decay = 0.99995' && ok || fail "sentiment preset: lr decay is not 0.99995"
expect_ok gen-sentiment --kind not --trials 20 --seed 3 -o not.h5
expect_ok run-rnn -p p.h5 -i not.h5 -o not_states.h5
expect_ok find-fixed-points -p p.h5 -i not_states.h5 --tol 1e-2 --unique-tol 0.0125 --outlier-tol 100 -o fps.h5
expect_ok linearize -p p.h5 -i not_states.h5 --time 25 --mean --unit-inputs --nearest fps.h5 -o after_not.h5
info=$(ctd-info after_not.h5)
for ds in 'states *\[1,16\]' 'predicted_readout *\[1,12,1\]' 'nearest_fp *\[1\]' 'deflection *\[1,16\]' 'deflection_cosines *\[1,16\]'; do
  printf '%s' "$info" | grep -Eq "^  $ds" && ok || fail "linearize output lacks $ds"
done
expect_error 1 'has 50 steps, so step 60 does not exist' out.h5 -- linearize -p p.h5 -i not_states.h5 --time 60 -o out.h5
expect_error 1 "eval.h5: cannot open" out.h5 -- train-rnn -i reviews.h5 --eval-input eval.h5 -o out.h5
expect_error 2 'kind' out.h5 -- gen-sentiment --kind not-great -o out.h5
expect_error 2 'too short for the probe' out.h5 -- gen-sentiment --kind not-good --length 20 -o out.h5
# A task whose U differs from the network's.
expect_error 1 "has 12 inputs per step but .* expects U=1" out.h5 -- \
  run-rnn -p "$DATA/fixtures/tutorial_vanilla_integrator_params.h5" -i reviews.h5 -o out.h5
# The whole analysis pipeline runs on the small network and prints its table.
analysis_script="$ROOT/scripts/sentiment-analysis"
table=$(bash "$analysis_script" p.h5 analysis 16 2>/dev/null)
[ "$(printf '%s\n' "$table" | grep -Ec '^(before|after_very|after_not|not_plus_3) +(good|bad|awesome|awful) ')" -eq 16 ] &&
  ok || fail "sentiment-analysis did not print the 16 context x word effects"
printf '%s' "$table" | grep -q 'correlation of predicted and true effects over the 16 pairs' && ok || fail "no correlation line"
printf '%s' "$table" | grep -Eq '^fixed points tol_1e-05: [0-9]+ kept, median top eigenvalue \(real part\) -?[0-9]' &&
  ok || fail "no fixed-point line read through ctd-info: $table"
printf '%s' "$table" | grep -Eq '^after_not: \|cos\| .*: [0-9.]+ [0-9.]+ [0-9.]+ [0-9.]+ \(eigenvalues [-0-9.]+[-+][0-9.]+i' &&
  ok || fail "no deflection line read through ctd-info"
for c in before after_very after_not not_plus_3; do
  image-check png "analysis/effects_$c.png" > /dev/null && ok || fail "no figure effects_$c.png"
done
finish
