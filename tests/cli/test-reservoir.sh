#!/usr/bin/env bash
# gen-series and run-reservoir: the benchmark series' files, a ridge ESN on
# Mackey-Glass (one step ahead, then closed loop), the saved model run again
# and learning on, the online readouts, memory capacity, and bad input.
source "$(dirname "$0")/lib.sh" "$1"
attr() { ctd-info "$1" --attribute "$2"; }
expect_ok gen-series --series mackey-glass --steps 1500 -o mg.h5
[ "$(attr mg.h5 task_kind)" == mackey-glass ] && [ "$(attr mg.h5 dt)" == 1 ] && ok || fail "series attributes"
awk -v l="$(attr mg.h5 lyapunov_exponent)" 'BEGIN { exit !(l > 0.004 && l < 0.007) }' && ok || fail "MG Lyapunov exponent"
expect_ok run-reservoir -i mg.h5 --units 100 --spectral-radius 1.25 --leak 0.3 --ridge 1e-5 --generate 200 --seed 2 -o esn.h5
[ "$(attr esn.h5 ctd_kind)" == reservoir ] && ok || fail "ctd_kind"
awk -v r="$(attr esn.h5 test_r2)" 'BEGIN { exit !(r > 0.9999) }' && ok || fail "test R2 $(attr esn.h5 test_r2)"
awk -v v="$(attr esn.h5 valid_steps)" 'BEGIN { exit !(v >= 50) }' && ok || fail "valid steps $(attr esn.h5 valid_steps)"
h5dump -H -d forecast esn.h5 | grep -q '( 1, 200, 1 )' && ok || fail "forecast shape"
expect_ok ctd-plot esn.h5 -o forecast.png
expect_ok ctd-plot esn.h5 --figure test -o test.png
[ -s forecast.png ] && [ -s test.png ] && ok || fail "figures"
# The same seed, the same model; the saved model, run again, predicts the same.
expect_ok run-reservoir -i mg.h5 --units 100 --spectral-radius 1.25 --leak 0.3 --ridge 1e-5 --generate 200 --seed 2 -o again.h5
[ "$(attr esn.h5 test_r2)" == "$(attr again.h5 test_r2)" ] && ok || fail "same seed, different result"
expect_ok run-reservoir -p esn.h5 -i mg.h5 --train-steps 0 --washout 1200 -o rerun.h5
h5diff -d 1e-6 esn.h5 rerun.h5 /W_out /W_out > /dev/null && ok || fail "W_out changed without training"
awk -v a="$(attr esn.h5 test_r2)" -v b="$(attr rerun.h5 test_r2)" 'BEGIN { exit !(a - b < 1e-4 && b - a < 1e-4) }' && ok ||
  fail "saved model scores $(attr rerun.h5 test_r2), not $(attr esn.h5 test_r2)"
# Learning on: the saved ridge sums plus the same data again, at twice the
# penalty, solve the same system as one fit: the same readout.
expect_ok run-reservoir -i mg.h5 --units 50 --seed 3 --ridge 1e-4 -o once.h5
expect_ok run-reservoir -p once.h5 -i mg.h5 --resume --ridge 2e-4 -o twice.h5
h5diff -p 1e-4 once.h5 twice.h5 /W_out /W_out > /dev/null && ok || fail "resumed ridge differs from one fit"
# RLS from P0 = I/alpha ends at the ridge solution with lambda = alpha; LMS learns, slowly.
expect_ok run-reservoir -i mg.h5 --units 50 --readout rls --rls-alpha 1e-4 --seed 3 -o rls.h5
awk -v a="$(attr rls.h5 test_r2)" -v b="$(attr once.h5 test_r2)" 'BEGIN { exit !(a - b < 1e-3 && b - a < 1e-3) }' && ok ||
  fail "RLS test R2 $(attr rls.h5 test_r2), ridge $(attr once.h5 test_r2)"
expect_ok run-reservoir -i mg.h5 --units 50 --readout lms --passes 10 --seed 3 -o lms.h5
awk -v r="$(attr lms.h5 test_r2)" 'BEGIN { exit !(r > 0.5) }' && ok || fail "LMS test R2 $(attr lms.h5 test_r2)"
expect_ok run-reservoir -p rls.h5 -i mg.h5 --readout rls --resume -o rls2.h5
# Memory capacity: a linear reservoir remembers more than a tanh one, and at most N.
expect_ok gen-series --series memory-capacity --steps 8000 --delays 40 -o mc.h5
mc=(--units 20 --spectral-radius 0.95 --connectivity 1 --input-connectivity 1 --input-scaling 0.1 --bias-scaling 0 --ridge 0)
expect_ok run-reservoir -i mc.h5 "${mc[@]}" --activation identity -o lin.h5
expect_ok run-reservoir -i mc.h5 "${mc[@]}" --input-scaling 1 -o tanh.h5
awk -v l="$(attr lin.h5 memory_capacity)" -v t="$(attr tanh.h5 memory_capacity)" 'BEGIN { exit !(l > 12 && l <= 20.5 && t < l) }' &&
  ok || fail "memory capacity linear $(attr lin.h5 memory_capacity), tanh $(attr tanh.h5 memory_capacity)"
expect_ok run-reservoir -i mc.h5 "${mc[@]}" --activation identity --topology ring -o ring.h5
awk -v r="$(attr ring.h5 memory_capacity)" -v l="$(attr lin.h5 memory_capacity)" 'BEGIN { exit !(r > 18 && r <= 20.5 && r > l) }' &&
  ok || fail "ring memory capacity $(attr ring.h5 memory_capacity)"
expect_ok gen-series --series narma10 --steps 3000 -o narma.h5
expect_ok run-reservoir -i narma.h5 --units 100 --input-scaling 0.1 -o narma-esn.h5
awk -v n="$(attr narma-esn.h5 test_nrmse)" 'BEGIN { exit !(n < 0.7) }' && ok || fail "NARMA NRMSE $(attr narma-esn.h5 test_nrmse)"

# The grid search: its best point is the best of the file's scores, and
# run-reservoir at that point scores what the grid said.
expect_ok tune-reservoir -i mg.h5 --units 60 --radii 0.5,1.25 --leaks 0.3,1 --input-scalings 1 --ridges 1e-8,1e-4 \
  --seed 5 -o grid.h5
[ "$(attr grid.h5 ctd_kind)" == reservoir-grid ] && ok || fail "grid kind"
h5dump -H -d score grid.h5 | grep -q '( 2, 2, 1, 2 )' && ok || fail "grid shape"
min=$(ctd-info grid.h5 --show score | grep -v "\[" | tr " " "\n" | grep -E "^[0-9]" | sort -g | head -1)
best=$(attr grid.h5 best_score)
awk -v a="$min" -v b="$best" 'BEGIN { exit !(a == b || (a - b) / b < 1e-6 && (b - a) / b < 1e-6) }' && ok || fail "best $best, minimum $min"
expect_ok run-reservoir -i mg.h5 --units 60 --spectral-radius "$(attr grid.h5 best_spectral_radius)" \
  --leak "$(attr grid.h5 best_leak)" --ridge "$(attr grid.h5 best_ridge)" --seed 5 -o best.h5
awk -v a="$(attr best.h5 test_nrmse)" -v b="$best" 'BEGIN { exit !((a - b) / b < 1e-6 && (b - a) / b < 1e-6) }' && ok ||
  fail "run-reservoir at the best point: NRMSE $(attr best.h5 test_nrmse), the grid said $best"
expect_ok tune-reservoir -i mg.h5 --units 40 --radii 0.9 --leaks 0.3,1 --input-scalings 1 --ridges 1e-6 --score valid-time \
  --generate 100 -o grid-vpt.h5
expect_ok ctd-plot grid.h5 -o grid.png
[ -s grid.png ] && ok || fail "grid figure"
expect_error 2 "leaks: 1.5 is outside \(0, 1\]" out.h5 -- tune-reservoir -i mg.h5 --leaks 0.3,1.5 -o out.h5
expect_error 2 "every point of the grid must learn" out.h5 -- tune-reservoir -i mg.h5 --train-steps 0 -o out.h5
expect_error 2 "valid-time forecasts in closed loop" out.h5 -- tune-reservoir -i mc.h5 --units 20 --score valid-time -o out.h5

# Bad input: one clear line, no output.
expect_error 2 "spectral-radius: must be in \(0, 100\], got 0" out.h5 -- run-reservoir -i mg.h5 --spectral-radius 0 -o out.h5
expect_error 2 "spectral-radius: must be a finite number" out.h5 -- run-reservoir -i mg.h5 --spectral-radius nan -o out.h5
expect_error 2 "ridge: must be >= 0, got -1" out.h5 -- run-reservoir -i mg.h5 --ridge -1 -o out.h5
expect_ok gen-series --steps 80 -o short.h5
expect_error 1 "80 training steps|64 training steps|no more than --washout 100" out.h5 -- run-reservoir -i short.h5 -o out.h5
expect_error 2 "leaves a fresh reservoir without a readout" out.h5 -- run-reservoir -i mg.h5 --train-steps 0 --generate 5 -o out.h5
expect_error 2 "with -p the saved one runs" out.h5 -- run-reservoir -p esn.h5 -i mg.h5 --units 5 -o out.h5
expect_error 2 "feeds the outputs back as inputs" out.h5 -- run-reservoir -i mc.h5 --units 20 --generate 5 -o out.h5
expect_error 2 "--resume continues the saved rls readout" out.h5 -- run-reservoir -p rls.h5 -i mg.h5 --resume -o out.h5
expect_error 1 "not a reservoir file" out.h5 -- run-reservoir -p mg.h5 -i mg.h5 -o out.h5
expect_error 2 "must divide --sample-step" out.h5 -- gen-series --integration-step 0.3 -o out.h5
expect_error 2 "--standardize is for the forecasting series" out.h5 -- gen-series --series narma10 --standardize -o out.h5
cmp -s mg.h5 mg.h5 && [ -s mg.h5 ] && ok || fail "input damaged"
finish
