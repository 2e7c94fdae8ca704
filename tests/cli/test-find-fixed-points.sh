#!/usr/bin/env bash
# End-to-end tests of find-fixed-points on the tutorial's decision GRU.
source "$(dirname "$0")/lib.sh" "$1"
GRU="$DATA/fixtures/tutorial_gru_decision_params.h5"
lt() { awk -v a="$1" -v b="$2" 'BEGIN{exit !(a < b)}'; }

expect_ok run-rnn -p "$GRU" --task decision --trials 40 --seed 3 -o states.h5
# The default method: refined points, unique, along the line attractor.
expect_ok find-fixed-points -p "$GRU" -i states.h5 --max-candidates 300 --eigvecs --jacobians -o fps.h5
info=$(ctd-info fps.h5)
for ds in 'fps *\[[0-9]+,100\] *float64' 'q *\[[0-9]+\]' 'candidate_index' 'x_star *\[1\]' 'eigvals *\[[0-9]+,100\] *complex128' \
          'right_eigvecs *\[[0-9]+,100,100\]' 'left_eigvecs' 'jacobians *\[[0-9]+,100,100\]' 'input_jacobians *\[[0-9]+,100,1\]' 'stability'; do
  printf '%s' "$info" | grep -Eq "^  $ds" && ok || fail "fixed-points output lacks $ds"
done
k=$(printf '%s' "$info" | awk '/^  fps/{gsub(/[\[\],]/," ",$2); split($2,a," "); print a[1]}')
[ "${k:-0}" -ge 8 ] && ok || fail "only $k fixed points from 300 candidates"
# A GRU's fixed point has h = c = tanh(...): every kept point lies in [-1, 1]. Without the
# rule, Newton's slow points of saturated update gates far outside it stay (q < 1e-6 too).
maxabs() { ctd-info "$1" --csv fps | awk -F, '{for (i = 1; i <= NF; i++) {v = $i < 0 ? -$i : $i; if (v > m) m = v}} END {print m}'; }
lt "$(maxabs fps.h5)" 1.000001 && ok || fail "a GRU fixed point outside [-1, 1]: $(maxabs fps.h5)"
expect_ok find-fixed-points -p "$GRU" -i states.h5 --max-candidates 300 --out-of-range keep -o slow.h5
lt 1.5 "$(maxabs slow.h5)" && ok || fail "--out-of-range keep kept no point outside the range: $(maxabs slow.h5)"
[ "$(h5dump -a n_in_range fps.h5 | awk '/\(0\)/{print $2}')" -lt "$(h5dump -a n_below_tol fps.h5 | awk '/\(0\)/{print $2}')" ] &&
  ok || fail "n_in_range does not count the dropped points"
# --max-points keeps the slowest.
expect_ok find-fixed-points -p "$GRU" -i states.h5 --max-candidates 300 --max-points 5 -o five.h5
same_text "$(ctd-info five.h5 --csv q)" "$(ctd-info fps.h5 --csv q | head -5)" "--max-points 5: the five slowest"
maxq=$(printf '%s' "$info" | awk '/^  q /{print $NF}')
lt "$maxq" 1e-6 && ok || fail "largest q $maxq is not below the tolerance"
printf '%s' "$info" | grep -q '^kind: fixed-points' && ok || fail "ctd_kind is not fixed-points"

# Several tolerances go to groups; the tutorial's Adam method runs too.
expect_ok find-fixed-points -p "$GRU" -i states.h5 --max-candidates 200 --method adam --max-steps 400 --tol 1e-2 --tol 1e-3 -o adam.h5
h5dump -H adam.h5 | grep -q 'GROUP "tol_1e-02"' && ok || fail "no group tol_1e-02"
h5dump -H adam.h5 | grep -q 'GROUP "tol_1e-03"' && ok || fail "no group tol_1e-03"
# Same seed, same subset: reproducible.
expect_ok find-fixed-points -p "$GRU" -i states.h5 --max-candidates 300 -o again.h5
h5diff fps.h5 again.h5 /fps /fps >/dev/null && ok || fail "same seed gave different fixed points"
# Candidates as a dataset of any file.
expect_ok find-fixed-points -p "$GRU" -i fps.h5:fps --outlier-tol 10 -o refound.h5

# A PyTorch nn.LSTM state_dict as it is: states [h, c] of 2N = 32 values, points at q < 1e-12.
LSTM="$DATA/fixtures/torch_lstm_params.h5"
expect_ok run-rnn -p "$LSTM" -i "$DATA/fixtures/torch_lstm_forward.h5" -o lstm_states.h5
expect_ok find-fixed-points -p "$LSTM" -i lstm_states.h5 -o lstm_fps.h5
info=$(ctd-info lstm_fps.h5)
printf '%s' "$info" | grep -Eq '^  fps *\[[0-9]+,32\]' && ok || fail "LSTM fixed points are not [K,32]: $info"
printf '%s' "$info" | grep -Eq '^  eigvals *\[[0-9]+,32\]' && ok || fail "LSTM eigenvalues are not [K,32]"
lt "$(printf '%s' "$info" | awk '/^  q /{print $NF}')" 1e-12 && ok || fail "LSTM fixed points not converged"
# Every filter says what it dropped; a search that keeps nothing is an error, not an empty file.
err=$(find-fixed-points -p "$GRU" -i states.h5 --max-candidates 100 -o counts.h5 2>&1 >/dev/null)
printf '%s' "$err" | grep -Eq "kept of 100 candidates: [0-9]+ dropped by q >= 1e-06, [0-9]+ outside the cell's range, [0-9]+ as duplicates, [0-9]+ as relative outliers" \
  && ok || fail "no per-filter counts: $err"
expect_error 1 'no fixed point kept \(100 candidates: 100 dropped by q >= 1e-30.*try a larger --tol' out.h5 -- \
  find-fixed-points -q -p "$GRU" -i states.h5 --max-candidates 100 --newton-iterations 1 --tol 1e-30 -o out.h5

# Bad input.
expect_error 1 "inputs.*but the network has N=100 units" out.h5 -- \
  find-fixed-points -p "$GRU" -i states.h5:inputs -o out.h5
expect_error 2 'x-star needs U=1 values, not 2' out.h5 -- find-fixed-points -p "$GRU" -i states.h5 --x-star 1,2 -o out.h5
expect_error 2 "x-star: expected a number, got 'a'" out.h5 -- find-fixed-points -p "$GRU" -i states.h5 --x-star a -o out.h5
expect_error 1 'no fixed point kept.*as absolute outliers.*--outlier-rule relative' out.h5 -- \
  find-fixed-points -p "$GRU" -i states.h5 --max-candidates 300 --outlier-rule absolute --outlier-tol 1e-9 -q -o out.h5
expect_error 2 '--tol: must be > 0, got 0' out.h5 -- find-fixed-points -p "$GRU" -i states.h5 --tol 0 -o out.h5
expect_error 2 '--tol: must be a finite number' out.h5 -- find-fixed-points -p "$GRU" -i states.h5 --tol 1e-4,nan -o out.h5
expect_error 2 '--unique-tol: must be a finite number' out.h5 -- find-fixed-points -p "$GRU" -i states.h5 --unique-tol inf -o out.h5
expect_error 1 'not an RNN parameter file' out.h5 -- find-fixed-points -p states.h5 -i states.h5 -o out.h5
expect_error 2 'method' out.h5 -- find-fixed-points -p "$GRU" -i states.h5 --method sgd -o out.h5

finish
