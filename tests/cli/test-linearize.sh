#!/usr/bin/env bash
# End-to-end tests of linearize on the tutorial's decision GRU.
source "$(dirname "$0")/lib.sh" "$1"
GRU="$DATA/fixtures/tutorial_gru_decision_params.h5"
num() { h5dump -a "$2" "$1" | awk '/\(0\)/{print $2}'; }

expect_ok run-rnn -p "$GRU" --task decision --trials 8 --seed 3 -o states.h5
# Small inputs: the input Jacobian predicts their effect almost exactly.
printf '0.0001\n-0.0002\n0.00005\n' > x.txt
printf 'PATH x\nINPUT-CLASS TEXTFP\nRANK 2\nDIMENSION-SIZES 3 1\nOUTPUT-CLASS FP\nOUTPUT-SIZE 64\n' > x.cfg
h5import x.txt -c x.cfg -o x.h5
expect_ok linearize -p "$GRU" -i states.h5 --inputs x.h5:x --eigvecs -o lin.h5
info=$(ctd-info lin.h5)
for ds in 'states *\[200,100\]' 'jacobians *\[200,100,100\]' 'input_jacobians *\[200,100,1\]' 'eigvals *\[200,100\]' \
          'right_eigvecs' 'predicted_delta *\[200,3,100\]' 'true_delta *\[200,3,100\]' 'predicted_readout *\[200,3,1\]' \
          'true_readout *\[200,3,1\]' 'input_vectors *\[3,1\]'; do
  printf '%s' "$info" | grep -Eq "^  $ds" && ok || fail "linearize output lacks $ds"
done
awk -v c="$(num lin.h5 readout_correlation)" 'BEGIN{exit !(c > 0.9999)}' && ok || fail "readout correlation $(num lin.h5 readout_correlation) for small inputs"
# A fixed-points file is read at its fps; unit inputs.
expect_ok find-fixed-points -p "$GRU" -i states.h5 --max-candidates 100 -o fps.h5
expect_ok linearize -p "$GRU" -i fps.h5 --unit-inputs -o linfp.h5
k1=$(h5dump -H fps.h5 | grep -A2 'DATASET "fps"' | grep -o '( [0-9]*' | head -1)
k2=$(h5dump -H linfp.h5 | grep -A2 'DATASET "states"' | grep -o '( [0-9]*' | head -1)
same_text "$k1" "$k2" "linearize -i fps.h5 reads the fixed points"
# Bad input.
expect_error 2 'either --inputs or --unit-inputs' out.h5 -- linearize -p "$GRU" -i states.h5 --inputs x.h5:x --unit-inputs -o out.h5
expect_error 1 "dataset 'x_star' has shape \[1\] but \[V,U\]" out.h5 -- linearize -p "$GRU" -i states.h5 --inputs fps.h5:x_star -o out.h5
finish
