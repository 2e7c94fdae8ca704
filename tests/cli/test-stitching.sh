#!/usr/bin/env bash
# Several sessions stitched into one LFADS model: two recordings of the same
# network's dynamics (different trials, different neurons), one -i each; each
# its own read-in and readout, a posterior per session, an exact resume, and
# the inputs each step refuses.
source "$(dirname "$0")/lib.sh" "$1"
INT="$DATA/fixtures/tutorial_vanilla_integrator_params.h5"
small=(--enc-dim 8 --con-dim 8 --gen-dim 8 --factors-dim 4 --batch-size 16 -t 2 -q)
has() { printf '%s' "$1" | grep -Eq "^  $2" && ok || fail "$3 lacks $2"; }

expect_ok run-rnn -p "$INT" --task integrator --trials 60 --seed 2 -o states_a.h5
expect_ok run-rnn -p "$INT" --task integrator --trials 50 --seed 3 -o states_b.h5
expect_ok spikify -i states_a.h5 --transform exp --neurons 12 --seed 1 -o day1.h5
expect_ok spikify -i states_b.h5 --transform exp --neurons 9 --seed 2 -o day2.h5

# One model, a read-in and a readout per session (named after the files), the rest shared.
expect_ok fit-lfads -i day1.h5 -i day2.h5 "${small[@]}" --readin-dim 5 --batches 30 --seed 3 -o st.h5
info=$(ctd-info st.h5)
for ds in 'sessions/day1/readin/w *\[5,12\]' 'sessions/day1/readin/b *\[5\]' 'sessions/day2/readin/w *\[5,9\]' \
          'sessions/day1/logrates/w *\[12,4\]' 'sessions/day2/logrates/b *\[9\]' 'enc/fwd/wRUHX *\[16,13\]' \
          'gen/wRUHX *\[16,9\]'; do
  has "$info" "$ds" "the stitched model"
done
printf '%s' "$info" | grep -Eq '^  logrates/w' && fail "a stitched model has a shared readout" || ok
[ "$(ctd-info st.h5 --attribute D)" == 21 ] && ok || fail "D is not the sum of the sessions' units"
[ "$(h5dump -a sessions/day2/D st.h5 | awk "/\\(0\\)/{print \$2}")" == 9 ] &&
  ok || fail "session day2's D"
# Validation per session and in total on the curve.
for a in curve_valid_nll curve_valid_nll_day1 curve_valid_nll_day2; do
  h5dump -a "$a" st.h5 >/dev/null 2>&1 && ok || fail "the curve lacks $a"
done
# --readin-dim defaults to --factors-dim when stitching; --session-names names them.
expect_ok fit-lfads -i day1.h5 -i day2.h5 "${small[@]}" --session-names monday,tuesday --batches 3 -o named.h5
has "$(ctd-info named.h5)" 'sessions/tuesday/readin/w *\[4,9\]' "the named model"
[ "$(ctd-info named.h5 --attribute readin_dim)" == 4 ] && ok || fail "readin_dim records 0, not the 4 it ran with"
expect_ok fit-lfads --infer -p named.h5 -i day1.h5 -i day2.h5 --samples 2 -o named_post.h5

# A posterior per session, under its name, in both layouts.
expect_ok fit-lfads --infer -p st.h5 -i day1.h5 -i day2.h5 --samples 4 -o post.h5
info=$(ctd-info post.h5)
for ds in 'day1/valid/rates *\[6,25,12\]' 'day2/valid/rates *\[5,25,9\]' 'day1/valid/factors *\[6,25,4\]' \
          'day2/valid/gen_states'; do
  has "$info" "$ds" "the stitched posterior"
done
h5dump -a day2/valid/rate_r2 post.h5 >/dev/null 2>&1 && ok || fail "no rate R2 for session day2"
expect_ok fit-lfads --infer -p st.h5 -i day1.h5 -i day2.h5 --samples 4 --layout lfads-torch -o post_torch.h5
has "$(ctd-info post_torch.h5)" 'day2/valid_output_params *\[5,25,9\]' "the lfads-torch posterior"
# ctd-plot: a panel per session, its rates against the true rates of its own file.
script=$(ctd-plot post.h5 --script -o rates.png)
for what in 'session day1, trial 0' 'session day2, trial 0' 'against the true rates' 'layout 2,1'; do
  printf '%s' "$script" | grep -q -- "$what" && ok || fail "the sessions figure lacks '$what'"
done
expect_ok ctd-plot post.h5 -o rates.png
[ -s rates.png ] && ok || fail "no sessions figure"
# A fitted generator runs as a network: the rates of each session's units.
expect_ok run-rnn -p st.h5 --task held-input --steps 10 --trials 4 -o gen_run.h5
has "$(ctd-info gen_run.h5)" 'rates_day1 *\[4,' "run-rnn through the stitched generator"

# Resume equals uninterrupted.
expect_ok fit-lfads -i day1.h5 -i day2.h5 "${small[@]}" --batches 12 --seed 5 -o straight.h5
expect_ok fit-lfads -i day1.h5 -i day2.h5 "${small[@]}" --batches 5 --seed 5 --checkpoint ck.h5 -o part.h5
expect_ok fit-lfads -i day1.h5 -i day2.h5 "${small[@]}" --batches 12 --seed 5 --checkpoint ck.h5 --resume -o resumed.h5
for ds in /gen/wRUHX /sessions/day2/readin/w /sessions/day1/logrates/w; do
  h5diff straight.h5 resumed.h5 $ds $ds >/dev/null && ok || fail "resumed stitched model differs in $ds"
done
# The checkpoint is this pair of sessions': another pair is refused.
expect_ok spikify -i states_b.h5 --transform exp --neurons 7 --seed 4 -o day3.h5
expect_error 1 'checkpoint.*model has' out.h5 -- \
  fit-lfads -i day1.h5 -i day3.h5 "${small[@]}" --batches 12 --seed 5 --checkpoint ck.h5 --resume -o out.h5

# Bad input: one clear line, no output.
expect_error 2 'fitted to 2 sessions \(day1, day2\) but 1 files' out.h5 -- \
  fit-lfads --infer -p st.h5 -i day1.h5 -o out.h5
expect_error 1 'has 9 units.*model was fitted to 12' out.h5 -- \
  fit-lfads --infer -p st.h5 -i day2.h5 -i day1.h5 -o out.h5
expect_error 2 'two sessions are named .day1.' out.h5 -- fit-lfads -i day1.h5 -i day1.h5 "${small[@]}" -o out.h5
expect_error 2 'session-names gives 1 names for 2' out.h5 -- \
  fit-lfads -i day1.h5 -i day2.h5 --session-names x "${small[@]}" -o out.h5
expect_error 2 'session name must be' out.h5 -- \
  fit-lfads -i day1.h5 -i day2.h5 --session-names 'a/b,c' "${small[@]}" -o out.h5
expect_ok run-rnn -p "$INT" --task integrator --trials 50 --steps 30 --seed 3 -o states_long.h5
expect_ok spikify -i states_long.h5 --seed 2 -o long.h5
expect_error 1 'session .long.* 30 bins but session .day1. of 25' out.h5 -- \
  fit-lfads -i day1.h5 -i long.h5 "${small[@]}" -o out.h5
finish
