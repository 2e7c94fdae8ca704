#!/usr/bin/env bash
# End-to-end tests of spikify.
source "$(dirname "$0")/lib.sh" "$1"
INT="$DATA/fixtures/tutorial_vanilla_integrator_params.h5"
num() { h5dump -a "$2" "$1" | awk '/\(0\)/{print $2}'; }

expect_ok run-rnn -p "$INT" --task integrator --trials 200 --seed 2 -o states.h5
expect_ok spikify -i states.h5 --seed 1 -o data.h5
info=$(ctd-info data.h5)
for ds in 'train_data *\[180,25,100\]' 'valid_data *\[20,25,100\]' 'train_truth *\[180,25,100\]' 'valid_truth' \
          'train_inputs *\[180,25,1\]' 'valid_inds *\[20\]' 'conversion_factor *\[1\] .*min 25 '; do
  printf '%s' "$info" | grep -Eq "^  $ds" && ok || fail "spikify output lacks $ds"
done
# Counts are whole numbers whose mean matches the truth: rate (Hz) × 0.04 s.
mean_counts=$(printf '%s' "$info" | awk '/^  train_data/{for(i=1;i<=NF;i++) if($i=="mean") print $(i+1)}')
mean_truth=$(printf '%s' "$info" | awk '/^  train_truth/{for(i=1;i<=NF;i++) if($i=="mean") print $(i+1)}')
awk -v c="$mean_counts" -v t="$mean_truth" 'BEGIN{e=t*0.04; exit !(c > 0.97*e && c < 1.03*e)}' && ok ||
  fail "mean count $mean_counts vs expected $mean_truth*0.04"
h5dump -d /train_data -s 0,0,0 -c 1,5,5 -y -w 0 data.h5 | sed -n '/DATA {/,/}/p' | grep -q '\.[0-9]*[1-9]' && fail "counts are not whole" || ok
# Same seed, same counts; another seed, other counts.
expect_ok spikify -i states.h5 --seed 1 -o again.h5
h5diff data.h5 again.h5 /train_data /train_data >/dev/null && ok || fail "same seed gave different counts"
expect_ok spikify -i states.h5 --seed 2 -o other.h5
h5diff -q data.h5 other.h5 /train_data /train_data >/dev/null && fail "another seed gave the same counts" || ok
# Bad input.
expect_error 1 "negative rate" out.h5 -- spikify -i states.h5:inputs --transform scale -o out.h5
expect_error 1 "has shape \[200,100\] but \[B,T,D\]" out.h5 -- spikify -i states.h5:h0s -o out.h5
finish
