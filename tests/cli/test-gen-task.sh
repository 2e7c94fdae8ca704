#!/usr/bin/env bash
# gen-task: each task's file (epochs, conditions, kind), its text view, a pipe
# into train-rnn (the leaky recipe) and run-rnn, and bad input refused.
source "$(dirname "$0")/lib.sh" "$1"
dims() { ctd-info --json "$1" | jq -c --arg p "$2" '.datasets[] | select(.path == $p) | .shape'; }

declare -A steps=([context-dm]=143 [memory-pro]=100 [memory-anti]=100 [dms]=105 [go-no-go]=90 [ready-set-go]=109)
declare -A conds=([context-dm]=4 [memory-pro]=3 [memory-anti]=3 [dms]=4 [go-no-go]=2 [ready-set-go]=1)
for t in "${!steps[@]}"; do
  expect_ok gen-task --task "$t" --trials 32 --seed 4 -o "$t.h5"
  [ "$(dims "$t.h5" inputs | jq '.[1]')" == "${steps[$t]}" ] && ok || fail "$t: $(dims "$t.h5" inputs) steps"
  [ "$(ctd-info "$t.h5" --attribute task_kind)" == "$t" ] && ok || fail "$t: task_kind"
  n=$(ctd-info --json "$t.h5" | jq '[.datasets[] | select(.path | startswith("conditions/"))] | length')
  [ "$n" == "${conds[$t]}" ] && ok || fail "$t: $n conditions"
  # --print shows the same trial 0 as the file holds: its first input at step 0.
  first=$(gen-task --task "$t" --seed 4 --print 1 | awk 'NR == 3 {print $4}')
  want=$(h5dump -d inputs -s 0,0,0 -c 1,1,1 "$t.h5" | awk '/\(0,0,0\)/{printf "%+.2f", $2}')
  [ "$first" == "$want" ] && ok || fail "$t: --print shows $first, the file $want"
done
[ "$(gen-task --task context-dm --print 2 | grep -c '^trial ')" == 2 ] && ok || fail "--print 2"
[ "$(gen-task --task context-dm --print 1 | wc -l)" == $((143 + 2)) ] && ok || fail "--print: a line per step"
h5dump -a epoch_starts/epoch_names dms.h5 | grep -q '"test"' && ok || fail "epoch_names"
# ctd-plot marks each trial's epochs: 3 boundaries after the start in each of 3 trials.
[ "$(ctd-plot context-dm.h5 --script -o t.png | grep -c '^set arrow from')" == 9 ] && ok || fail "ctd-plot: epoch marks"
ctd-plot context-dm.h5 --script -o t.png | grep -q '^set label "delay"' && ok || fail "ctd-plot: epoch names"
expect_ok ctd-plot context-dm.h5 -o trial.png
# Same seed, same trials; --dt halves the steps' length and doubles their number.
expect_ok gen-task --task dms --trials 32 --seed 4 -o again.h5
h5diff -q dms.h5 again.h5 /inputs && ok || fail "same seed, other inputs"
expect_ok gen-task --task go-no-go --dt 10 --trials 4 -o fine.h5
[ "$(dims fine.h5 inputs | jq '.[1]')" == 180 ] && ok || fail "--dt 10: $(dims fine.h5 inputs)"

# A pipe into train-rnn, which takes the cognitive tasks' recipe (a leaky RNN, alpha 0.2), then run-rnn.
gen-task --task go-no-go --trials 64 -o - | train-rnn -i - --hidden 8 --batches 5 -q -o net.h5 && ok || fail "gen-task | train-rnn"
[ "$(ctd-info net.h5 --attribute cell)" == leaky ] && ok || fail "cell $(ctd-info net.h5 --attribute cell)"
[ "$(ctd-info net.h5 --attribute alpha)" == 0.2 ] && ok || fail "alpha $(ctd-info net.h5 --attribute alpha)"
expect_ok run-rnn -p net.h5 -i go-no-go.h5 -o states.h5
[ "$(dims states.h5 hiddens)" == "[32,90,8]" ] && ok || fail "run-rnn: $(dims states.h5 hiddens)"

# Bad input: one line, exit 2, no file.
expect_error 2 "--task: must be one of: context-dm, memory-pro" out.h5 -- gen-task --task mante -o out.h5
expect_error 2 "--delay-min 900 is above --delay-max 100" out.h5 -- gen-task --task dms --delay-min 900 --delay-max 100 -o out.h5
expect_error 2 "--duration 500 ms is shorter than the epochs of memory-pro \(2000 ms" out.h5 -- \
  gen-task --task memory-pro --duration 500 -o out.h5
expect_error 2 "--stimulus 5 ms is shorter than one step" out.h5 -- gen-task --task context-dm --stimulus 5 -o out.h5
expect_error 2 "--stimuli: must be in \[2, 1000\]" out.h5 -- gen-task --task dms --stimuli 1 -o out.h5
expect_error 2 "--match-probability: must be in \[0, 1\]" out.h5 -- gen-task --task dms --match-probability 2 -o out.h5
expect_error 2 "--output is required" '' -- gen-task --task dms
finish
