#!/usr/bin/env bash
# Calcium data end to end: simulate-calcium's kernel, noise and kept truth;
# fit-lfads with the gamma, zero-inflated gamma and gaussian observation
# models (posterior parameters, resume), and the data each model refuses.
source "$(dirname "$0")/lib.sh" "$1"
INT="$DATA/fixtures/tutorial_vanilla_integrator_params.h5"
small=(--enc-dim 8 --con-dim 8 --gen-dim 8 --factors-dim 4 --batch-size 16 -t 2 -q)
at() { h5dump -d "$2" -s "$3" -c 1,1,1 "$1" | sed -n '/DATA {/,/}/p' | sed -n 2p | sed 's/.*: *//'; }
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN{d = a - b; if (d < 0) d = -d; exit !(d <= t)}'; }

expect_ok run-rnn -p "$INT" --task integrator --trials 120 --seed 2 -o states.h5
expect_ok spikify -i states.h5 --seed 1 -o spikes.h5

# The kernel, noise-free: F_0 = gain·s_0, F_1 = gain·(d·s_0 + s_1), d = e^(−Δt/τ).
expect_ok simulate-calcium -i spikes.h5 --noise 0 --gain 2 --bin-width 0.04 --tau-decay 0.4 -o clean.h5
for unit in 0 7 42; do
  s0=$(at clean.h5 train_spikes "0,0,$unit"); s1=$(at clean.h5 train_spikes "0,1,$unit")
  want1=$(awk -v a="$s0" -v b="$s1" 'BEGIN{print 2 * (exp(-0.1) * a + b)}')
  near "$(at clean.h5 train_data "0,0,$unit")" "$(awk -v a="$s0" 'BEGIN{print 2 * a}')" 1e-5 && ok || fail "F_0 of unit $unit"
  near "$(at clean.h5 train_data "0,1,$unit")" "$want1" 1e-4 && ok || fail "F_1 of unit $unit: want $want1"
done
# The spikes and rates are the input's; the truth is the trace of the expected counts (rates × 0.04 s).
h5diff clean.h5 spikes.h5 /train_spikes /train_data >/dev/null && ok || fail "train_spikes are not the input's counts"
h5diff clean.h5 spikes.h5 /valid_rates /valid_truth >/dev/null && ok || fail "valid_rates are not the input's truth"
r0=$(at clean.h5 train_rates "3,0,5")
near "$(at clean.h5 train_truth "3,0,5")" "$(awk -v r="$r0" 'BEGIN{print 2 * r * 0.04}')" 1e-4 && ok || fail "truth at bin 0"
[ "$(ctd-info clean.h5 --attribute ctd_kind)" == "lfads-data" ] && ok || fail "kind is not lfads-data"

# Noise: rectified by default (zeros, no negative value), kept with --keep-negative.
expect_ok simulate-calcium -i spikes.h5 --bin-width 0.04 --noise 0.5 --seed 3 -o ca.h5
expect_ok simulate-calcium -i spikes.h5 --bin-width 0.04 --noise 0.5 --seed 3 --keep-negative -o signed.h5
values() { h5dump -d "$2" -w 0 "$1" | sed -n '/DATA {/,/}/p' | sed '1d;$d' | sed 's/([0-9,]*)://g' | tr ',' '\n' | grep -o '[-0-9.e+]*'; }
values ca.h5 train_data | awk '$1 < 0 {n++} END {exit n > 0}' && ok || fail "rectified traces hold negative values"
values ca.h5 train_data | awk '$1 == 0 {n++} END {exit !(n > 100)}' && ok || fail "rectified traces hold no zeros"
values signed.h5 train_data | awk '$1 < 0 {n++} END {exit !(n > 100)}' && ok || fail "--keep-negative kept no negative value"
expect_ok simulate-calcium -i spikes.h5 --bin-width 0.04 --noise 0.5 --seed 3 -o again.h5
h5diff ca.h5 again.h5 /train_data /train_data >/dev/null && ok || fail "same seed, different traces"
expect_error 2 'tau-rise must be shorter' out.h5 -- simulate-calcium -i spikes.h5 --tau-rise 0.5 --tau-decay 0.4 -o out.h5
expect_error 2 'noise' out.h5 -- simulate-calcium -i spikes.h5 --noise -1 -o out.h5

# The zero-inflated gamma: parameters [3·D, F], a location per unit, the posterior's parameters.
expect_ok fit-lfads -i ca.h5 "${small[@]}" --observation zero-inflated-gamma --batches 30 --seed 3 -o zig.h5
info=$(ctd-info zig.h5)
for ds in 'obs/w *\[300,4\]' 'obs/b *\[300\]' 'obs/location *\[100\]'; do
  printf '%s' "$info" | grep -Eq "^  $ds" && ok || fail "ZIG model lacks $ds"
done
[ "$(ctd-info zig.h5 --attribute observation)" == "zero-inflated-gamma" ] && ok || fail "observation attribute"
expect_ok fit-lfads --infer -p zig.h5 -i ca.h5 --samples 4 -o zig_post.h5
info=$(ctd-info zig_post.h5)
for ds in 'valid/rates *\[12,25,100\]' 'valid/obs_shape *\[12,25,100\]' 'valid/obs_scale' 'valid/obs_q' 'valid/factors'; do
  printf '%s' "$info" | grep -Eq "^  $ds" && ok || fail "ZIG posterior lacks $ds"
done
h5dump -a valid/rate_r2 zig_post.h5 >/dev/null 2>&1 && ok || fail "no rate R2 against the noise-free trace"
values zig_post.h5 valid/obs_q | awk '$1 <= 0 || $1 >= 1 {n++} END {exit n > 0}' && ok || fail "q outside (0, 1)"
# ctd-plot draws the model's mean against the trace, the noise-free trace and the spikes behind it.
script=$(ctd-plot zig_post.h5 --data ca.h5 --units 0,3 --script -o zig.png)
for what in 'title "inferred mean"' 'title "noise-free trace"' "title 'trace'" "title 'spikes'" 'axes x1y2'; do
  printf '%s' "$script" | grep -q -- "$what" && ok || fail "the calcium figure lacks $what"
done
expect_ok ctd-plot zig_post.h5 --data ca.h5 -o zig.png
[ -s zig.png ] && ok || fail "no calcium figure"
# Resume equals uninterrupted, location and all.
expect_ok fit-lfads -i ca.h5 "${small[@]}" --observation zero-inflated-gamma --batches 12 --seed 5 -o straight.h5
expect_ok fit-lfads -i ca.h5 "${small[@]}" --observation zero-inflated-gamma --batches 5 --seed 5 --checkpoint ck.h5 -o part.h5
expect_ok fit-lfads -i ca.h5 "${small[@]}" --observation zero-inflated-gamma --batches 12 --seed 5 --checkpoint ck.h5 --resume -o resumed.h5
h5diff straight.h5 resumed.h5 /obs/w /obs/w >/dev/null && ok || fail "resumed ZIG model differs"
# Held-out units: co-bps is for Poisson models; the fit says so and writes none.
expect_ok fit-lfads -i ca.h5 "${small[@]}" --observation zero-inflated-gamma --hold-out 10 --batches 5 -o zig_ho.h5
err=$(fit-lfads --infer -p zig_ho.h5 -i ca.h5 --samples 2 -o zig_ho_post.h5 2>&1)
printf '%s' "$err" | grep -q 'co-bps not scored' && ok || fail "no word on co-bps: $err"
h5dump -a valid/co_bps zig_ho_post.h5 >/dev/null 2>&1 && fail "a ZIG posterior has co-bps" || ok

# A calcium kernel in the readout: recorded in the model, honoured by --infer; a rise needs a decay.
expect_ok fit-lfads -i ca.h5 "${small[@]}" --observation zero-inflated-gamma --readout-decay 8 --readout-rise 2 --batches 5 -o kernel.h5
[ "$(ctd-info kernel.h5 --attribute readout_decay)" == 8 ] && ok || fail "readout_decay not recorded"
[ "$(ctd-info kernel.h5 --attribute readout_rise)" == 2 ] && ok || fail "readout_rise not recorded"
expect_ok fit-lfads --infer -p kernel.h5 -i ca.h5 --samples 2 -o kernel_post.h5
ctd-info kernel_post.h5 | grep -Eq '^  valid/rates *\[12,25,100\]' && ok || fail "the kernel model's posterior lacks rates"
expect_error 2 "readout-rise needs --readout-decay" out.h5 -- \
  fit-lfads -i ca.h5 "${small[@]}" --observation zero-inflated-gamma --readout-rise 2 --batches 2 -o out.h5

# Gamma needs values > 0; gaussian takes signed traces; Poisson refuses them.
expect_error 1 "holds a zero at trial .*gamma data must be > 0.*zero-inflated-gamma" out.h5 -- \
  fit-lfads -i ca.h5 "${small[@]}" --observation gamma --batches 2 -o out.h5
expect_error 1 "negative value.*zero-inflated-gamma data must be >= 0" out.h5 -- \
  fit-lfads -i signed.h5 "${small[@]}" --observation zero-inflated-gamma --batches 2 -o out.h5
expect_error 1 "negative counts.*--observation gaussian" out.h5 -- fit-lfads -i signed.h5 "${small[@]}" --batches 2 -o out.h5
expect_error 2 "observation.*one of" out.h5 -- fit-lfads -i ca.h5 --observation lognormal -o out.h5
expect_ok fit-lfads -i signed.h5 "${small[@]}" --observation gaussian --batches 10 -o gauss.h5
expect_ok fit-lfads --infer -p gauss.h5 -i signed.h5 --samples 2 -o gauss_post.h5
ctd-info gauss_post.h5 | grep -Eq '^  valid/obs_variance' && ok || fail "gaussian posterior lacks obs_variance"
# A model's observation decides what --infer accepts.
expect_error 1 "negative value" out.h5 -- fit-lfads --infer -p zig.h5 -i signed.h5 -o out.h5
finish
