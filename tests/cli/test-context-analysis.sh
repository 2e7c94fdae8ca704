#!/usr/bin/env bash
# context-analysis on a network whose line attractor is known by hand (PyTorch
# names, written with h5import): h' = relu(W h + B x + b), W = diag(1, 0.5),
# b = (0, 1), motion -> unit 0 (0.3), colour -> unit 1 (0.7), readout h0. Its
# fixed points with any cue held are the line (h0 > 0, 2): eigenvalue 1 along
# e0, motion's projection on the selection vector 0.3, colour's 0. Then the
# figures, the file, and bad input.
source "$(dirname "$0")/lib.sh" "$1"
put() {  # put NAME DIMS VALUES...: one float64 dataset into net.h5
  local name=$1 dims=$2
  shift 2
  printf '%s\n' "$@" > "$name.txt"
  printf 'PATH %s\nINPUT-CLASS TEXTFP\nRANK %s\nDIMENSION-SIZES %s\nOUTPUT-CLASS FP\nOUTPUT-SIZE 64\n' \
    "$name" "$(echo "$dims" | wc -w)" "$dims" > "$name.cfg"
  h5import "$name.txt" -c "$name.cfg" -o net.h5
}
put rnn.weight_hh_l0 "2 2" 1 0 0 0.5
put rnn.weight_ih_l0 "2 4" 0.3 0 0 0 0 0.7 0 0
put rnn.bias_ih_l0 "2" 0 0
put rnn.bias_hh_l0 "2" 0 1
put readout.weight "1 2" 1 0
put readout.bias "1" 0
expect_ok gen-task --task context-dm --trials 64 --seed 3 -o trials.h5
table=$(context-analysis -p net.h5 --nonlinearity relu -i trials.h5 --tol 1e-10 -q -o an.h5) && ok || fail "context-analysis failed"
echo "$table" | head -1 | grep -q 'context *points *real *PC1 var *top eig *proj motion *proj color' && ok || fail "header: $table"
for c in motion color; do
  row=$(echo "$table" | awk -v c=$c '$1 == c')
  # points real PC1 top-eig proj-motion proj-colour
  echo "$row" | awk '$2 >= 3 && $3 == $2 && $4 == "1.0000" && $5 == "1.00000" && $6 == "+0.30000" && ($7 == "+0.00000" || $7 == "-0.00000") { f = 1 }
    END { exit !f }' && ok || fail "$c context: $row"
done
[ "$(ctd-info an.h5 --attribute ctd_kind)" == context-analysis ] && ok || fail "ctd_kind"
[ "$(ctd-info an.h5 --attribute motion/median_top_eigval)" == 1 ] && ok || fail "motion/median_top_eigval"
expect_ok ctd-plot an.h5 -o points.png
expect_ok ctd-plot an.h5 --figure projections -o projections.png
[ -s points.png ] && [ -s projections.png ] && ok || fail "figures"

# Bad input: one line, no file.
expect_ok gen-task --task dms --trials 8 -o dms.h5
expect_error 1 "task_kind is 'dms' but context-analysis needs context-dm trials" out.h5 -- \
  context-analysis -p net.h5 -i dms.h5 -o out.h5
expect_error 2 "-o - would mix the file with the table on stdout" '' -- context-analysis -p net.h5 -i trials.h5 -o -
expect_error 1 "only [0-9]+ slow points were kept, too few for a line" out.h5 -- \
  context-analysis -p net.h5 --nonlinearity relu -i trials.h5 --max-candidates 2 -q -o out.h5
finish
