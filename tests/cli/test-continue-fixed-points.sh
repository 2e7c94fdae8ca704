#!/usr/bin/env bash
# continue-fixed-points: a bistable unit h' = tanh(2h + x), written with HDF5's
# own h5import, followed from x = -1 to x = 1 through both folds of its
# hysteresis at x = ±(√2 − atanh(1/√2)) = ±0.532840; its file and figure; bad
# input refused (one line, non-zero exit, no file).
source "$(dirname "$0")/lib.sh" "$1"
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN{d = a - b; if (d < 0) d = -d; exit !(d <= t)}'; }

unit_network unit.h5 2 1  # h' = tanh(2h + x)
# Starting points: the low state near -0.96 at x = -1 (and a second copy, on the same branch).
printf -- '-0.9\n-0.95\n' > fps.txt
printf 'PATH fps\nINPUT-CLASS TEXTFP\nRANK 2\nDIMENSION-SIZES 2 1\nOUTPUT-CLASS FP\nOUTPUT-SIZE 64\n' > fps.conf
h5import fps.txt -c fps.conf -o starts.h5 || fail "h5import"

text=$(continue-fixed-points -p unit.h5 -i starts.h5 --from -1 --to 1 -o branches.h5)
[ "$(printf '%s\n' "$text" | grep -c '^branch')" == 1 ] && ok || fail "not one branch: $text"
printf '%s\n' "$text" | grep -q 'reached lambda = 1$' && ok || fail "the branch does not reach x = 1: $text"
[ "$(printf '%s\n' "$text" | grep -c '^  fold at')" == 2 ] && ok || fail "not two folds: $text"
folds=($(printf '%s\n' "$text" | awk '/fold at/{print $6}'))
near "${folds[0]}" 0.532840 1e-5 && ok || fail "first fold at x = ${folds[0]}"
near "${folds[1]}" -0.532840 1e-5 && ok || fail "second fold at x = ${folds[1]}"
[ "$(ctd-info branches.h5 --attribute ctd_kind)" == continuation ] && ok || fail "kind"
[ "$(ctd-info branches.h5 --attribute n_branches)" == 1 ] && ok || fail "n_branches"
ctd-info branches.h5 | grep -Eq '^  bifurcation_kind +\[2\]' && ok || fail "not two bifurcations in the file"
ctd-info branches.h5 | grep -Eq 'branch_0/unstable .* max 1' && ok || fail "no unstable stretch (the middle branch)"
ctd-plot branches.h5 --script -o d.png | grep -q 'title "fold"' && ok || fail "the diagram does not mark the folds"
ctd-plot branches.h5 --script -o d.png | grep -q 'set xlabel "input 0"' && ok || fail "the x axis is not the moving input"
expect_ok ctd-plot branches.h5 -o diagram.png
[ -s diagram.png ] && ok || fail "no diagram"
# --from defaults to the input file's x_star.
printf -- '-1\n' > xs.txt
printf 'PATH x_star\nINPUT-CLASS TEXTFP\nRANK 1\nDIMENSION-SIZES 1\nOUTPUT-CLASS FP\nOUTPUT-SIZE 64\n' > xs.conf
h5import fps.txt -c fps.conf xs.txt -c xs.conf -o withx.h5 || fail "h5import"
[ "$(continue-fixed-points -p unit.h5 -i withx.h5 --to 1 | grep -c 'fold at')" == 2 ] && ok || fail "x_star not used as --from"

# Bad input.
expect_error 2 "--to equals --from: the path has no length" out.h5 -- \
  continue-fixed-points -p unit.h5 -i starts.h5 --from 1 --to 1 -o out.h5
expect_error 2 "--to needs U=1 values, not 2" out.h5 -- continue-fixed-points -p unit.h5 -i starts.h5 --to 1,2 -o out.h5
expect_error 2 "--to is required" out.h5 -- continue-fixed-points -p unit.h5 -i starts.h5 -o out.h5
expect_error 2 "--min-step < --step <= --max-step" out.h5 -- \
  continue-fixed-points -p unit.h5 -i starts.h5 --to 1 --step 0.5 --max-step 0.1 -o out.h5
printf 'nan\nnan\n' > bad.txt
h5import bad.txt -c fps.conf -o bad.h5 || fail "h5import"
expect_error 1 "bad.h5: dataset 'fps' contains NaN" out.h5 -- continue-fixed-points -p unit.h5 -i bad.h5 --to 1 -o out.h5
# One Newton iteration does not bring -0.9 to the fixed point at x = -1 (-0.9575...).
expect_error 1 "none of its 2 states is a fixed point at --from" out.h5 -- \
  continue-fixed-points -p unit.h5 -i starts.h5 --from -1 --to 1 --max-iter 1 -o out.h5
finish
