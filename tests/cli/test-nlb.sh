#!/usr/bin/env bash
# Scored as the Neural Latents Benchmark scores: to-nlb makes NLB's tensors
# from the Lorenz benchmark, fit-lfads predicts forward bins and writes an NLB
# submission, score-rates gives co-bps, fp-bps, vel R2 and psth R2 (and the
# smoothing baseline's), and each refuses what it cannot score.
source "$(dirname "$0")/lib.sh" "$1"
LORENZ="$DATA/lfads_lorenz.h5"
small=(--enc-dim 8 --con-dim 8 --gen-dim 60 --factors-dim 4 --batch-size 16 --ii-dim 0 -t 2 -q)
has() { printf '%s' "$1" | grep -Eq "^  $2" && ok || fail "$3 lacks $2"; }
attr() { h5dump -a "$2" "$1" | awk '/\(0\)/{print $2}'; }
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN{d = a - b; if (d < 0) d = -d; exit !(d <= t)}'; }

# NLB's tensors: a quarter of the units held out, a fifth of the bins forward (the defaults).
expect_ok to-nlb -i "$LORENZ" -o nlb.h5
info=$(ctd-info nlb.h5)
for ds in 'train_spikes_heldin *\[640,80,45\]' 'train_spikes_heldout *\[640,80,15\]' \
          'train_spikes_heldin_forward *\[640,20,45\]' 'eval_spikes_heldout_forward *\[160,20,15\]' \
          'eval_behavior *\[160,80,3\]' 'eval_conditions *\[160\]' 'psth *\[12800,60\]'; do
  has "$info" "$ds" "to-nlb's file"
done
expect_error 1 'condition [0-9]+ has a single trial' out.h5 -- to-nlb -i "$LORENZ" --trials-per-condition 1 -o out.h5
expect_error 2 'hold-out 60 of 60' out.h5 -- to-nlb -i "$LORENZ" --hold-out 60 -o out.h5

# fit-lfads reads them, the forward bins appended: it predicts 20 bins it never reads.
expect_ok fit-lfads -i nlb.h5 --forward-bins 20 "${small[@]}" --batches 10 -o model.h5
[ "$(ctd-info model.h5 --attribute forward_bins)" == 20 ] && ok || fail "forward_bins not recorded"
expect_ok fit-lfads --infer -p model.h5 -i nlb.h5 --split both --samples 2 -o post.h5
has "$(ctd-info post.h5)" 'valid/rates *\[160,100,60\]' "the posterior"
for a in valid/co_bps valid/fp_bps; do h5dump -a $a post.h5 >/dev/null 2>&1 && ok || fail "no $a"; done

# score-rates: every metric; co-bps and fp-bps as fit-lfads computed them.
scores=$(score-rates -i post.h5 --data nlb.h5 2>&1)
for m in co-bps fp-bps 'vel R2' 'psth R2'; do
  printf '%s\n' "$scores" | grep -q "^$m " && ok || fail "score-rates lacks $m: $scores"
done
near "$(printf '%s\n' "$scores" | awk '/^co-bps/{print $2}')" "$(attr post.h5 valid/co_bps)" 1e-4 && ok || fail "co-bps differs from fit-lfads's"
near "$(printf '%s\n' "$scores" | awk '/^fp-bps/{print $2}')" "$(attr post.h5 valid/fp_bps)" 1e-4 && ok || fail "fp-bps differs from fit-lfads's"
json=$(score-rates -i post.h5 --data nlb.h5 --json)
[ "$(printf '%s' "$json" | jq '."co-bps"')" != null ] && ok || fail "--json: $json"
expect_ok score-rates -i post.h5 --data nlb.h5 -o scores.h5
h5dump -a vel_r2 scores.h5 >/dev/null 2>&1 && ok || fail "-o lacks vel_r2"
# An NLB submission scores the same.
expect_ok fit-lfads --infer -p model.h5 -i nlb.h5 --split both --samples 2 --layout nlb --nlb-dataset lorenz -o sub.h5
has "$(ctd-info sub.h5)" 'lorenz/eval_rates_heldout_forward *\[160,20,15\]' "the submission"
same_text "$(score-rates -i sub.h5 --data nlb.h5)" "$scores" "the submission's scores and the posterior's"
# The baseline any model must beat.
base=$(score-rates --baseline smoothing --smoothing-sd 3 --smoothing-alpha 0.01 --data nlb.h5)
awk '/^co-bps/{exit !($2 > 0.3)}' <<<"$base" && ok || fail "smoothing co-bps: $base"
printf '%s\n' "$base" | grep -q '^smoothing sd 3' && ok || fail "the baseline's kernel: $base"

# Bad input: one line, no output.
expect_error 1 'eval rates of shape \[160,100,4\] do not match' out.h5 -- \
  score-rates --eval-rates post.h5:valid/factors --data nlb.h5 -o out.h5
expect_error 1 'negative rate' out.h5 -- score-rates --eval-rates post.h5:valid/gen_states --data nlb.h5 -o out.h5
expect_error 2 'vel R2 needs the train trials' out.h5 -- score-rates --eval-rates post.h5:valid/rates --data nlb.h5 -o out.h5
expect_error 2 'one of -i, --eval-rates and --baseline' out.h5 -- \
  score-rates -i post.h5 --baseline smoothing --data nlb.h5 -o out.h5
expect_ok fit-lfads -i "$LORENZ" "${small[@]}" --batches 2 -o plain.h5
expect_error 2 'layout nlb: the model holds no unit out' out.h5 -- \
  fit-lfads --infer -p plain.h5 -i "$LORENZ" --layout nlb -o out.h5
finish
