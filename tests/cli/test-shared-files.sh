# Files someone sends (careless or hostile): opening one must never run a
# command, read another file, drive the terminal, or destroy an input; odd
# contents are a clear error, not a silent result. The crafted files come from
# the hostile-files helper (tests/cli/hostile_files.cpp).
source "$(dirname "$0")/lib.sh" "$1"
hostile-files .
markers() { ls marker-* 2>/dev/null | wc -l; }

# ---- gnuplot runs nothing a file or an option says ------------------------
# A tolerance group named with backquotes, system(), macros, a line break, ESC
# and a byte that is not UTF-8; the file's own name; --title; a config's title.
expect_ok ctd-plot fps-code.h5 -o code.png
cp fps-code.h5 'fp`touch marker-name`$(touch marker-dollar)"x.h5'
expect_ok ctd-plot 'fp`touch marker-name`$(touch marker-dollar)"x.h5' -o name.png
expect_ok ctd-plot fps-code.h5 -o title.png --title '`touch marker-title` system("touch marker-sys") @m \ '$'\n''\xff'
printf 'title = "`touch marker-config`"\n' > title.toml
expect_ok ctd-plot fps-code.h5 --config title.toml -o config.png
# --script's output, run by gnuplot itself, is as inert.
ctd-plot fps-code.h5 --script -o my_fig.png > fig.gp && gnuplot fig.gp && ok || fail "the printed script does not run"
[ -s my_fig.png ] && ok || fail "--script -o my_fig.png: gnuplot wrote no my_fig.png (a path is not text)"
grep -q '`' fig.gp && fail "a backquote reached the gnuplot script" || ok
[ "$(markers)" -eq 0 ] && ok || fail "gnuplot ran a command from a file or an option: $(ls marker-*)"
image-check png code.png > /dev/null && ok || fail "code.png is not a PNG"
# TMPDIR with an underscore (cluster job folders): paths are paths.
mkdir -p job_tmp
TMPDIR=$PWD/job_tmp expect_ok ctd-plot fps-code.h5 -o under.png
[ -z "$(ls -A job_tmp)" ] && ok || fail "ctd-plot left files in TMPDIR: $(ls job_tmp)"

# ---- nothing is read from outside the file --------------------------------
for f in task-external-link task-soft-to-external task-external-storage task-external-absolute task-virtual; do
  expect_error 1 "$f.h5: .*(external|virtual).*refused" out.h5 -- train-rnn -i $f.h5 --batches 2 -o out.h5
  expect_error 1 "$f.h5: .*(external|virtual).*refused" '' -- ctd-info --show inputs $f.h5
  expect_error 1 "$f.h5: .*(external|virtual).*refused" '' -- ctd-info $f.h5
  out=$(ctd-info $f.h5 2>/dev/null)
  printf '%s' "$out" | grep -q ' 7' && fail "ctd-info $f.h5 printed the other file's values" || ok
done
# The documented way in: --allow-external reads what they point at (7s).
[ "$(ctd-info --allow-external --show 'inputs[0,0,0]' task-external-link.h5)" == 7 ] && ok || fail "--allow-external"
[ "$(ctd-info --allow-external --show 'inputs[1,4,0]' task-external-storage.h5)" == 7 ] && ok || fail "--allow-external"
# A virtual dataset mapped from its own file is data like any other.
[ "$(ctd-info --show 'inputs[0,0,0]' task-virtual-self.h5)" == 1 ] && ok || fail "a file's own virtual dataset"

# ---- a config made from a file holds only what the file's user sees --------
for f in config-key-newline config-value-newline config-checkpoint; do
  expect_error 1 "$f.h5: recorded option .*refusing to write a config" '' -- ctd-info --as-config $f.h5
  [ -z "$(ctd-info --as-config $f.h5 2>/dev/null)" ] && ok || fail "--as-config $f.h5 printed a config"
done
printf 'title = "\xff"\n' > bad-utf8.toml
expect_error 2 "bad-utf8.toml:1: not UTF-8 text" out.png -- ctd-plot fps-code.h5 --config bad-utf8.toml -o out.png

# ---- no byte reaches the terminal raw --------------------------------------
# ESC, CSI (0x9b), CR and bytes that are not UTF-8 in names, attributes and history.
raw_controls() { LC_ALL=C grep -c $'[\x01-\x08\x0b-\x1f\x7f\x9b]' || true; }
[ "$(ctd-info names-escapes.h5 | raw_controls)" -eq 0 ] && ok || fail "ctd-info echoes control bytes"
ctd-info names-escapes.h5 | grep -qF 'inputs\e[2J' && ok || fail "an escaped name is not shown as \\e"
[ "$(ctd-info --history-only names-escapes.h5 | raw_controls)" -eq 0 ] && ok || fail "--history-only echoes control bytes"
[ "$(ctd-info --attribute $'note\x1b[31m' names-escapes.h5 | raw_controls)" -eq 0 ] && ok || fail "--attribute echoes control bytes"
ctd-info --json names-escapes.h5 | jq -e '.datasets[0].path == "group\\xFF\\xFE/values"' > /dev/null && ok ||
  fail "--json is not valid JSON for names that are not UTF-8"
err=$(ctd-info --show $'nope\x1b]0;x\x07' names-escapes.h5 2>&1 >/dev/null)
[ "$(printf '%s' "$err" | raw_controls)" -eq 0 ] && ok || fail "an error message echoes control bytes"
err=$(ctd-plot names-escapes.h5 -o n.png 2>&1 >/dev/null)
[ "$(printf '%s' "$err" | raw_controls)" -eq 0 ] && ok || fail "ctd-plot's message echoes control bytes"

# ---- no input is overwritten ------------------------------------------------
gen-integrator --trials 16 -q -o task.h5
before=$(md5sum < task.h5)
ln -s task.h5 link.h5
ln task.h5 hard.h5
for ckpt in task.h5 ./task.h5 link.h5 hard.h5; do
  expect_error 2 "--checkpoint $ckpt is the same file as --input task.h5" p.h5 -- \
    train-rnn -i task.h5 --checkpoint $ckpt --batches 3 -o p.h5
done
expect_error 2 "--output task.h5 is the same file as --input task.h5" '' -- train-rnn -i task.h5 --batches 3 -o task.h5
expect_error 2 "--output c.h5 is the same file as --checkpoint c.h5" c.h5 -- \
  train-rnn --task integrator --checkpoint c.h5 --batches 3 -o c.h5
expect_error 2 "--checkpoint task.h5 is the same file as --input" m.h5 -- fit-lfads -i task.h5 --checkpoint task.h5 -o m.h5
expect_error 2 "--output task.h5 is the same file as --input task.h5" '' -- ctd-plot task.h5 -o task.h5
[ "$(md5sum < task.h5)" == "$before" ] && ok || fail "the training data were overwritten"
# --resume starts fresh only when the checkpoint does not exist; a checkpoint
# it cannot look at is an error, and stays what it was.
ln -s loop loop
expect_error 1 "loop: cannot look at it: Too many levels of symbolic links" p.h5 -- \
  train-rnn --task integrator --checkpoint loop --resume --batches 3 -o p.h5
[ -L loop ] && ok || fail "the unreadable checkpoint was replaced"

# ---- ctd-plot stops gnuplot and cleans up when stopped ----------------------
mkdir -p slow/bin slow/tmp
printf '#!/bin/sh\nexec sleep 31.4159\n' > slow/bin/gnuplot  # a duration no other process sleeps
chmod +x slow/bin/gnuplot
PATH=$PWD/slow/bin:$PATH TMPDIR=$PWD/slow/tmp ctd-plot fps-code.h5 -o slow.png 2>/dev/null &
pid=$!
for _ in $(seq 50); do [ -n "$(ls slow/tmp)" ] && break; sleep 0.1; done
sleep 0.3
kill -TERM $pid
wait $pid
[ $? -eq 143 ] && ok || fail "SIGTERM did not stop ctd-plot"
sleep 0.2
pgrep -f "sleep 31.4159" > /dev/null && fail "gnuplot outlived ctd-plot" || ok
[ -z "$(ls -A slow/tmp)" ] && ok || fail "ctd-plot left its temporary files: $(ls slow/tmp)"
[ -e slow.png ] && fail "a stopped ctd-plot left slow.png" || ok

# ---- odd contents: a clear error, never a silent result ----------------------
expect_error 1 "curve-empty.h5: nothing to draw in the curve figure" out.png -- ctd-plot curve-empty.h5 -o out.png
expect_error 1 "fps-bad-eigvals.h5: dataset 'eigvals' has shape \[3,5\] but the points are \[3,2\]" out.png -- \
  ctd-plot fps-bad-eigvals.h5 --figure spectrum -o out.png
expect_error 1 "dataset 'right_eigvecs' has shape \[3,2,1\] but the 3 points of dimension 2 need \[3,2,2\]" out.png -- \
  ctd-plot fps-small-eigvecs.h5 -o out.png
expect_error 1 "task-inf.h5: dataset 'inputs' contains Inf at \[0,0,0\]" out.png -- ctd-plot task-inf.h5 -o out.png
expect_error 1 "task-zero-mask.h5: dataset 'target_mask' is 0 everywhere" p.h5 -- train-rnn -i task-zero-mask.h5 -o p.h5
expect_error 1 "task-kind-number.h5: attribute 'task_kind' is not a text" p.h5 -- train-rnn -i task-kind-number.h5 -o p.h5
expect_error 2 "task_kind is 'mystery', which has no recipe: choose one with --preset" p.h5 -- \
  train-rnn -i task-kind-unknown.h5 -o p.h5
expect_ok train-rnn -i task-kind-unknown.h5 --preset integrator --batches 2 -o p.h5
[ "$(ctd-info --attribute flag bool-attribute.h5)" == 1 ] && ok || fail "a boolean attribute (h5py's enum)"
expect_error 2 "duration 1e-300: dt = duration/steps makes the inputs' noise" out.h5 -- \
  gen-integrator --duration 1e-300 -o out.h5
expect_error 2 "at most 1e8 steps per trial" out.h5 -- gen-integrator --steps 100000000 --zero-steps 100000000 -o out.h5
expect_ok gen-integrator --seed 9223372036854775807 --trials 2 -o seed.h5
expect_error 2 "--seed: expected a whole number below 2\^63" out.h5 -- gen-integrator --seed 9223372036854775808 -o out.h5
expect_error 1 "index 9223372036854775807 is outside axis 0" '' -- ctd-info --show 'inputs[9223372036854775807]' seed.h5

# PyTorch state_dicts: partial layers or directions, another naming beside
# PyTorch's, a readout bias without a weight: errors naming each key.
train-rnn --task integrator --cell torch-rnn --hidden 8 --batches 2 -q -o torch.h5
cp torch.h5 layer2.h5 && h5copy -i torch.h5 -o layer2.h5 -s rnn.weight_hh_l0 -d rnn.weight_hh_l1
expect_error 1 "layer2.h5: rnn.weight_hh_l1 is not a parameter of the torch-rnn network .*only one layer" out.h5 -- \
  run-rnn -p layer2.h5 --task integrator -o out.h5
cp torch.h5 reverse.h5 && h5copy -i torch.h5 -o reverse.h5 -s rnn.bias_ih_l0 -d rnn.bias_ih_l0_reverse
expect_error 1 "rnn.bias_ih_l0_reverse is not a parameter" out.h5 -- run-rnn -p reverse.h5 --task integrator -o out.h5
cp torch.h5 mixed.h5 && h5copy -i torch.h5 -o mixed.h5 -s rnn.weight_hh_l0 -d wR
expect_error 1 "mixed.h5: wR is not a parameter of the torch-rnn network" out.h5 -- run-rnn -p mixed.h5 --task integrator -o out.h5
for d in rnn.weight_ih_l0 rnn.weight_hh_l0 rnn.bias_ih_l0 rnn.bias_hh_l0; do
  h5copy -i torch.h5 -o no-readout.h5 -s $d -d $d
  h5copy -i torch.h5 -o bias-only.h5 -s $d -d $d
done
h5copy -i torch.h5 -o bias-only.h5 -s readout.bias -d readout.bias
expect_error 1 "readout.bias is not a parameter .*a readout bias needs readout.weight" out.h5 -- \
  run-rnn -p bias-only.h5 --task integrator -o out.h5
# A network without a readout runs: its states are the result.
expect_ok run-rnn -p no-readout.h5 --task integrator --trials 4 -o states.h5
[ "$(ctd-info --json states.h5 | jq -c '[.datasets[] | select(.path == "hiddens") | .shape]')" == '[[4,25,8]]' ] && ok ||
  fail "run-rnn without a readout wrote no states"
expect_error 2 "--offset-targets needs a network with a readout" out.h5 -- \
  run-rnn -p no-readout.h5 --task integrator --offset-targets -o out.h5

# ---- LFADS: autonomous models in every layout; the memory a batch implies ----
fit-lfads -i "$DATA/lfads_lorenz.h5" --ii-dim 0 --batches 2 --enc-dim 16 --con-dim 16 --gen-dim 16 --factors-dim 4 \
  -q -o auto.h5
mkdir -p sub
cp "$DATA/lfads_lorenz.h5" sub/data.h5
for layout in native lfads-torch; do
  (cd sub && fit-lfads --infer -p ../auto.h5 -i data.h5 --layout $layout --samples 2 -q -o post-$layout.h5) &&
    ok || fail "fit-lfads --infer --layout $layout on an autonomous model"
  expect_ok ctd-info sub/post-$layout.h5
  ctd-info --json sub/post-$layout.h5 | jq -e . > /dev/null && ok || fail "--json of an autonomous $layout posterior"
  # data_file is 'data.h5', relative to sub/: found beside the posterior.
  expect_ok ctd-plot sub/post-$layout.h5 -o rates-$layout.png
  expect_ok ctd-plot sub/post-$layout.h5 --figure factors -o factors-$layout.png
  expect_error 1 "the model is autonomous \(ii_dim = 0\): it infers no inputs to draw" out.png -- \
    ctd-plot sub/post-$layout.h5 --figure inputs -o out.png
done
fit-lfads --infer -p auto.h5 -i - --samples 2 -q -o piped.h5 < "$DATA/lfads_lorenz.h5"
expect_error 2 "read from stdin: give --data FILE" out.png -- ctd-plot piped.h5 -o out.png
expect_ok ctd-plot piped.h5 --data "$DATA/lfads_lorenz.h5" -o out.png
expect_error 1 "--batch-size 1000000000 \(the activations of 1000000000 trials of 100 steps\) needs .* GB of memory" m.h5 -- \
  fit-lfads -i "$DATA/lfads_lorenz.h5" --batch-size 1000000000 -q -o m.h5

finish
