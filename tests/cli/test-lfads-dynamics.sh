#!/usr/bin/env bash
# A fitted LFADS model's generator as a dynamical system: its fixed points,
# linearisation and runs (find-fixed-points, linearize, run-rnn, ctd-plot
# read fit-lfads model files); compare-dynamics between a reference system
# and a fitted one; spikify's log-linear embedding; and bad input.
source "$(dirname "$0")/lib.sh" "$1"
INT="$DATA/fixtures/tutorial_vanilla_integrator_params.h5"
small=(--enc-dim 8 --con-dim 8 --gen-dim 8 --factors-dim 4 --batch-size 16 -t 2 -q)
# The values of a dataset (a slice with -s/-c), one per line.
values() { h5dump -d "$2" "${@:3}" -y -w 0 "$1" | sed -n '/DATA {/,/}/p' | sed '1d;$d' | tr ',' '\n' | grep -o '[-0-9.e+]*'; }
# The largest absolute difference of two lists of numbers.
max_diff() { paste <(echo "$1") <(echo "$2") | awk '{d = $1 - $2; if (d < 0) d = -d; if (d > m) m = d} END {print m + 0}'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN{exit !(a < b)}'; }

expect_ok run-rnn -p "$INT" --task integrator --trials 120 --seed 2 -o states.h5
expect_ok spikify -i states.h5 --seed 1 -o data.h5
expect_ok fit-lfads -i data.h5 "${small[@]}" --batches 60 --seed 3 -o model.h5
expect_ok fit-lfads --infer -p model.h5 -i data.h5 --samples 4 -q -o post.h5

# Fixed points from the posterior's generator states (the file alone names them).
expect_ok find-fixed-points -p model.h5 -i post.h5 --eigvecs -o fps.h5
info=$(ctd-info fps.h5)
for ds in 'fps *\[[0-9]+,8\]' 'readout *\[[0-9]+,4\]' 'x_star *\[1\]' 'eigvals *\[[0-9]+,8\]'; do
  printf '%s' "$info" | grep -Eq "^  $ds" && ok || fail "fixed points of the generator lack $ds"
done
maxq=$(printf '%s' "$info" | awk '/^  q /{print $NF}')
lt "$maxq" 1e-12 && ok || fail "largest q $maxq of the generator's points"
# The same candidates named as a dataset, and the lfads-torch layout's name, find the same points.
expect_ok find-fixed-points -p model.h5 -i post.h5:valid/gen_states --eigvecs -o fps2.h5
h5diff fps.h5 fps2.h5 /fps /fps >/dev/null && ok || fail "naming the dataset changed the points"

# Run from a stable point with the input held at 0: it stays there.
stable=$(values fps.h5 /stability | head -1)
[ "$stable" = 0 ] && ok || fail "the slowest point is not stable (stability $stable)"
expect_ok run-rnn -p model.h5 --task held-input --steps 40 --h0s fps.h5:fps -o still.h5
k=$(values fps.h5 /q | wc -l)
start=$(values fps.h5 /fps -s 0,0 -c 1,8)
end=$(values still.h5 /hiddens -s 0,39,0 -c 1,1,8)
lt "$(max_diff "$start" "$end")" 1e-5 && ok || fail "a run from a fixed point moved: $(max_diff "$start" "$end")"
info=$(ctd-info still.h5)
for ds in "hiddens *\[$k,40,8\]" "outputs *\[$k,40,4\]" "rates *\[$k,40,100\]" "inputs *\[$k,40,1\]"; do
  printf '%s' "$info" | grep -Eq "^  $ds" && ok || fail "run of the generator lacks $ds"
done
# Rates are exp(W_r f + b_r) of the factors: positive.
printf '%s' "$info" | awk '/^  rates/{exit !($5 > 0)}' && ok || fail "rates not positive"
# From the posterior's initial conditions, and at a held input.
expect_ok run-rnn -p model.h5 --task held-input --steps 25 --x-star 0.5 --h0s post.h5:valid/g0_mean -o run.h5
ctd-info run.h5 | grep -Eq '^  hiddens *\[12,25,8\]' && ok || fail "one run per initial state"
# Without --h0s: --trials runs from the prior's mean.
expect_ok run-rnn -p model.h5 --task held-input --steps 5 --trials 3 -o prior.h5
ctd-info prior.h5 | grep -Eq '^  hiddens *\[3,5,8\]' && ok || fail "--trials runs"

expect_ok linearize -p model.h5 -i fps.h5 -o lin.h5
ctd-info lin.h5 | grep -Eq '^  eigvals *\[[0-9]+,8\]' && ok || fail "linearize of the generator"
# The figure of the points among the posterior's generator trajectories.
expect_ok ctd-plot fps.h5 --states post.h5 -o fps.png

# Bad input: one line, no output.
expect_error 2 'x-star.*held-input' out.h5 -- run-rnn -p model.h5 --task integrator --x-star 1 -o out.h5
expect_error 2 'x-star' out.h5 -- run-rnn -p model.h5 --task held-input --x-star 1,2 -o out.h5
expect_error 2 'held-input has no targets' out.h5 -- run-rnn -p model.h5 --task held-input --offset-targets -o out.h5
expect_error 1 "no dataset 'hiddens' or 'train/gen_states'" out.h5 -- find-fixed-points -p model.h5 -i model.h5 -o out.h5
expect_error 1 'gen_states.*8' out.h5 -- find-fixed-points -p "$INT" -i post.h5 -o out.h5
# spikify's log-linear embedding keeps the states it embedded (lowd) and its weights.
expect_ok spikify -i states.h5 --transform exp --neurons 30 --base-rate 15 --gain 1 --ext-input --seed 1 -o emb.h5
info=$(ctd-info emb.h5)
for ds in 'train_data *\[108,25,30\]' 'train_lowd *\[108,25,100\]' 'valid_lowd *\[12,25,100\]' \
          'embedding_weights *\[30,100\]' 'train_ext_input *\[108,25,1\]' 'valid_truth *\[12,25,30\]'; do
  printf '%s' "$info" | grep -Eq "^  $ds" && ok || fail "spikify --transform exp lacks $ds"
done
# Rates are base-rate * exp(w.x) with unit w: at most base * exp(|x|).
printf '%s' "$info" | awk '/^  train_truth/{exit !($5 > 0 && $9 < 15 * exp(10))}' && ok || fail "embedded rates out of range"
expect_error 2 'ext-input.*no inputs' e2.h5 -- spikify -i post.h5:valid/rates --transform scale --ext-input -o e2.h5

# compare-dynamics: a system against itself is recovered exactly, at DSA distance 0.
expect_ok compare-dynamics --reference emb.h5:valid_lowd --fitted emb.h5:valid_lowd --rank 4 -o self.h5
r2=$(h5dump -a state_r2 self.h5 | awk '/\(0\)/{print $2}')
dsa=$(h5dump -a dsa_relative self.h5 | awk '/\(0\)/{print $2}')
lt 0.999999 "$r2" && ok || fail "self-comparison state R2 $r2"
lt "$dsa" 1e-9 && ok || fail "self-comparison DSA $dsa"
# The fitted model against the truth, with rates and fixed points, as JSON.
expect_ok fit-lfads -i emb.h5 "${small[@]}" --ii-dim 0 --batches 40 --seed 3 -o emodel.h5
expect_ok fit-lfads --infer -p emodel.h5 -i emb.h5 --samples 4 -q -o epost.h5
expect_ok find-fixed-points -p emodel.h5 -i epost.h5 --outlier-scale 100 -o efps.h5
expect_ok find-fixed-points -p "$INT" -i states.h5 --max-candidates 300 -o ref_fps.h5
json=$(compare-dynamics --reference emb.h5:valid_lowd --fitted epost.h5 --reference-rates emb.h5:valid_truth \
       --fitted-rates epost.h5 --reference-fps ref_fps.h5 --fitted-fps efps.h5 --rank 4 --json 2>/dev/null)
for key in state_r2 reverse_state_r2 rate_r2 dsa_distance dsa_relative matched_fps stability_agrees; do
  printf '%s' "$json" | python3 -c "import json, sys; d = json.load(sys.stdin); assert isinstance(d['$key'], (int, float))" \
    && ok || fail "compare-dynamics --json lacks $key: $json"
done
# The figure of both systems' fixed points; a comparison without them has none.
expect_ok compare-dynamics --reference emb.h5:valid_lowd --fitted epost.h5 --reference-fps ref_fps.h5 --fitted-fps efps.h5 --rank 4 -o cmp.h5
for ds in 'reference_fps *\[[0-9]+,100\]' 'fitted_fps_mapped *\[[0-9]+,100\]' 'fp_partner' 'reference_stability' 'map_weights *\[8,100\]'; do
  ctd-info cmp.h5 | grep -Eq "^  $ds" && ok || fail "comparison file lacks $ds"
done
expect_ok ctd-plot cmp.h5 -o cmp.png
expect_error 1 "no dataset 'reference_fps'" none.png -- ctd-plot self.h5 -o none.png
compare-dynamics --reference emb.h5:valid_lowd --fitted epost.h5 --rank 4 2>/dev/null | grep -q '^state R2 (fitted -> reference): ' \
  && ok || fail "compare-dynamics text lacks the state R2 line"

# Bad input: one line, no output.
expect_error 1 'different trials.*12 trials.*108' out.h5 -- compare-dynamics --reference emb.h5:valid_lowd --fitted emb.h5:train_lowd -o out.h5
expect_error 1 "no dataset 'hiddens' or 'train/gen_states'" out.h5 -- compare-dynamics --reference emb.h5:valid_lowd --fitted emodel.h5 -o out.h5
expect_error 2 'both --reference-fps and --fitted-fps' out.h5 -- compare-dynamics --reference emb.h5:valid_lowd --fitted epost.h5 --reference-fps fps.h5 -o out.h5
expect_error 2 'both --reference-rates and --fitted-rates' '' -- compare-dynamics --reference emb.h5:valid_lowd --fitted epost.h5 --fitted-rates epost.h5
expect_error 2 'mix the file with the text' '' -- compare-dynamics --reference emb.h5:valid_lowd --fitted epost.h5 -o -
expect_error 1 'rank 500 must be in 1..400' out.h5 -- compare-dynamics --reference emb.h5:valid_lowd --fitted emb.h5:valid_lowd --rank 500 -o out.h5
expect_error 1 'points of 8 values but the states .*valid_lowd.* have 100' out.h5 -- compare-dynamics --reference emb.h5:valid_lowd --fitted epost.h5 --reference-fps fps.h5 --fitted-fps fps.h5 -o out.h5
finish
