#!/usr/bin/env bash
# tune-lfads: a tiny population on the shipped Lorenz data with held-out
# units. Forked members (-j 2) give the same population as one at a time; a
# run stopped after 2 generations and resumed equals an uninterrupted one; a
# SIGTERM mid-generation exits 75 and a resume equals it too; the best model
# is an ordinary fit-lfads model; bad input is refused with no output.
source "$(dirname "$0")/lib.sh" "$1"
LZ="$DATA/lfads_lorenz.h5"
small=(--hold-out 5 --enc-dim 8 --con-dim 8 --gen-dim 8 --factors-dim 4 --batch-size 16 --valid-every 10
       --members 4 --generation-batches 20 -t 1 -q --seed 5)
same() { h5diff -q "$1" "$2" "${@:3}" && ok || fail "$1 and $2 differ"; }

expect_ok tune-lfads -i "$LZ" "${small[@]}" --generations 3 -j 1 -o one.h5
[ -f one-population.h5 ] && ok || fail "no population file beside the output"
expect_ok tune-lfads -i "$LZ" "${small[@]}" --generations 3 -j 2 -o two.h5
same one.h5 two.h5 /gen/wRUHX
same one-population.h5 two-population.h5 /history/score
same one-population.h5 two-population.h5 /history/hp
[ "$(ctd-info --json one-population.h5 | jq -r .kind)" == pbt-population ] && ok || fail "kind"
rows=$(ctd-info --json one-population.h5 | jq '.datasets[] | select(.path == "history/score") | .shape[0]')
[ "$rows" == 12 ] && ok || fail "history rows: $rows (4 members x 3 generations)"
# The best member is a fit-lfads model: --infer reads it, and it says where it came from.
expect_ok fit-lfads --infer -p one.h5 -i "$LZ" --hold-out 5 --samples 4 -t 1 -q -o post.h5
[ "$(h5dump -a pbt_metric one.h5 | grep -c co_bps)" == 1 ] && ok || fail "pbt_metric"
h5dump -a pbt_lineage one.h5 | grep -q "generation 3: member" && ok || fail "pbt_lineage"

# Stopped after 2 generations, resumed to 3: the same population and best model.
expect_ok tune-lfads -i "$LZ" "${small[@]}" --generations 2 -o part.h5
expect_ok tune-lfads -i "$LZ" "${small[@]}" --generations 3 --resume -o part.h5
same one.h5 part.h5 /gen/wRUHX
same one-population.h5 part-population.h5 /history/score
# An existing population is never overwritten without --resume.
expect_error 2 'exists: --resume continues' '' -- tune-lfads -i "$LZ" "${small[@]}" --generations 3 -o part.h5
# Resuming with other settings is refused, naming the setting.
expect_error 2 'members' '' -- tune-lfads -i "$LZ" "${small[@]}" --members 6 --generations 4 --resume -o part.h5

# SIGTERM in the middle of a generation: exit 75, the file as after the last generation; a resume finishes it equal.
tune-lfads -i "$LZ" "${small[@]/-q/-v}" --generations 3 --generation-batches $((200 / SLOWDOWN)) -j 2 -o sig.h5 2> sig.log &
pid=$!
for _ in $(seq 1 600); do [ -f sig-population.h5 ] && break; sleep 0.1; done
sleep 0.5
kill -TERM "$pid"
wait "$pid"
[ $? == 75 ] && ok || fail "SIGTERM: not exit 75 ($(tail -2 sig.log))"
[ ! -f sig.h5 ] && ok || fail "a stopped run wrote its output"
expect_ok tune-lfads -i "$LZ" "${small[@]}" --generations 3 --generation-batches $((200 / SLOWDOWN)) -j 2 --resume -o sig.h5
expect_ok tune-lfads -i "$LZ" "${small[@]}" --generations 3 --generation-batches $((200 / SLOWDOWN)) -j 2 -o nosig.h5
same sig.h5 nosig.h5 /gen/wRUHX

# Bad input: an unknown or fixed-range hyperparameter, one member, a generation between validation points.
printf '[lr]\nmin = 1e-3\nmax = 1e-2\nscale = "log"\n[enc-dim]\nmin = 8\nmax = 16\n' > unknown.toml
expect_error 2 'unknown.toml: \[enc-dim\]: not a hyperparameter that can be tuned' bad.h5 -- \
  tune-lfads -i "$LZ" "${small[@]}" --space unknown.toml -o bad.h5
printf '[lr]\nmin = 0.01\nmax = 0.01\n' > fixed.toml
expect_error 2 'min < max' bad.h5 -- tune-lfads -i "$LZ" "${small[@]}" --space fixed.toml -o bad.h5
printf '[keep-rate]\nmin = 0.5\nmax = 1.5\n' > outside.toml
expect_error 2 'leaves the values --keep-rate accepts' bad.h5 -- tune-lfads -i "$LZ" "${small[@]}" --space outside.toml -o bad.h5
printf '[lr]\nmin = 0.01\nmax = 0.1\nspeed = 3\n' > key.toml
expect_error 2 'key.toml:4: unknown key' bad.h5 -- tune-lfads -i "$LZ" "${small[@]}" --space key.toml -o bad.h5
expect_error 2 'members' bad.h5 -- tune-lfads -i "$LZ" "${small[@]}" --members 1 -o bad.h5
expect_error 2 'multiple of --valid-every' bad.h5 -- tune-lfads -i "$LZ" "${small[@]}" --generation-batches 15 -o bad.h5
[ ! -f bad-population.h5 ] && ok || fail "a refused run left a population file"
# Every member diverging (a learning rate of thousands): an error naming the cause, and no model.
printf '[lr]\nmin = 1000\nmax = 5000\n' > wild.toml
expect_error 1 'every member failed; the first: training diverged' wild.h5 -- \
  tune-lfads -i "$LZ" "${small[@]}" --space wild.toml --max-grad-norm 1e9 -o wild.h5
# --print-space writes a space that --space reads back.
tune-lfads --print-space > default.toml && ok || fail "--print-space"
grep -q '^\[kl-ic-weight\]' default.toml && ok || fail "the default space lacks the KL weights"
expect_ok tune-lfads -i "$LZ" "${small[@]}" --space default.toml --generations 1 -o spaced.h5
finish
