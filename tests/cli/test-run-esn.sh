#!/usr/bin/env bash
# End-to-end tests of run-esn: the tutorial setup (small), files, resume, bad input.
source "$(dirname "$0")/lib.sh" "$1"
num() { h5dump -a "$2" "$1" | awk '/\(0\)/{print $2}'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN{exit !(a < b)}'; }

# --- the tutorial setup, smaller: learning lowers the error --------------------------------------
expect_ok run-esn --n 200 --outputs 5 --passes 8 --seed 1 -o esn.h5
lt "$(num esn.h5 test_nmse)" 0.05 && ok || fail "test NMSE $(num esn.h5 test_nmse) is not small"
info=$(ctd-info esn.h5)
for ds in 'a0 *\[200\]' 'wR *\[200,200\]' 'wO *\[5,200\] *float64' 'wF *\[200,5\]' 'P *\[200,200\] *float64' \
          'h *\[300,200\]' 'z *\[300,5\]' 'targets *\[300,5\]' 'error *\[300\]'; do
  printf '%s' "$info" | grep -Eq "^  $ds" && ok || fail "esn output lacks $ds"
done
printf '%s' "$info" | grep -q '^kind: esn' && ok || fail "ctd_kind is not esn"
printf '%s' "$info" | grep -q '^  dt_over_tau = 0.1' && ok || fail "dt_over_tau missing"

# --- targets from a file: the data ESN's targets fed back in give the same run ---------------
expect_ok run-esn --n 200 --outputs 5 --passes 8 --seed 1 --targets esn.h5:targets -o fromfile.h5
h5diff esn.h5 fromfile.h5 /wO /wO >/dev/null && ok || fail "targets from a file differ from generated ones"

# --- resume: 4 + 4 passes equal 8 ---------------------------------------------------------------
expect_ok run-esn --n 200 --outputs 5 --passes 4 --seed 1 -o half.h5
expect_ok run-esn -p half.h5 --resume --outputs 5 --passes 4 -o resumed.h5
h5diff esn.h5 resumed.h5 /wO /wO >/dev/null && ok || fail "resumed wO differs from the continuous run"
h5diff esn.h5 resumed.h5 /P /P >/dev/null && ok || fail "resumed P differs from the continuous run"
# Run only: the trained network without learning reproduces its test pass.
expect_ok run-esn -p esn.h5 --passes 0 -o runonly.h5
h5diff esn.h5 runonly.h5 /z /z >/dev/null && ok || fail "run-only output differs from the test pass"

# --- the classic FORCE setup (shorter): a sparse network learns the sum of sines ----------------
expect_ok run-esn --preset force --steps 4800 --no-states --seed 2 -o force.h5
lt 0.95 "$(num force.h5 test_correlation)" && ok || fail "FORCE test correlation $(num force.h5 test_correlation) < 0.95"
ctd-info force.h5 | grep -q '^  sparsity = 0.1' && ok || fail "force preset is not sparse"

# --- bad input ---------------------------------------------------------------------------------------
printf '1 2\nnan 4\n5 6\n' > nan.txt
printf 'PATH f\nINPUT-CLASS TEXTFP\nRANK 2\nDIMENSION-SIZES 3 2\nOUTPUT-CLASS FP\nOUTPUT-SIZE 64\n' > nan.cfg
h5import nan.txt -c nan.cfg -o nan.h5
expect_error 1 "nan.h5: dataset 'f' contains NaN at \[1,0\]" out.h5 -- run-esn --outputs 2 --targets nan.h5:f -o out.h5
expect_error 1 'targets have 300 steps but --steps is 200' out.h5 -- run-esn --n 200 --outputs 5 --targets esn.h5:targets --steps 200 -o out.h5
expect_error 1 'targets have 5 columns but the network has 3 outputs' out.h5 -- run-esn --n 200 --outputs 3 --targets esn.h5:targets -o out.h5
expect_error 1 'inputs have 200 steps but the targets have 300' out.h5 -- run-esn --n 200 --outputs 5 --targets esn.h5:targets --inputs esn.h5:a0 -o out.h5
expect_error 1 "no dataset 'a0': not an ESN file" out.h5 -- run-esn -p nan.h5 -o out.h5
expect_error 2 '--resume needs -p FILE' out.h5 -- run-esn --resume -o out.h5
expect_error 2 'targets must be FILE:DATASET' out.h5 -- run-esn --targets esn.h5 -o out.h5
expect_error 2 'sparsity' out.h5 -- run-esn --sparsity 0 -o out.h5

finish
