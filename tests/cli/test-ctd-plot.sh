#!/usr/bin/env bash
# ctd-plot: every figure of every kind, drawn from small files made here, is a
# real image (PNG of the asked size with ink and colours, well-formed SVG);
# --script reruns to the same PNG; bad input fails cleanly.
source "$(dirname "$0")/lib.sh" "$1"
INT="$DATA/fixtures/tutorial_vanilla_integrator_params.h5"
q=(-q)

# One small file of every kind.
expect_ok gen-integrator --trials 20 --seed 1 -o task.h5
expect_ok train-rnn --task integrator --hidden 12 --batches 40 --eval-trials 8 "${q[@]}" -o params.h5
expect_ok run-rnn -p "$INT" --task integrator --trials 60 --seed 2 -o states.h5
expect_ok find-fixed-points -p "$INT" -i states.h5 --max-candidates 200 --eigvecs "${q[@]}" -o fps.h5
expect_ok linearize -p "$INT" -i states.h5:hiddens --time 10 --unit-inputs "${q[@]}" -o lin.h5
expect_ok spikify -i states.h5 --seed 1 -o data.h5
small=(--enc-dim 8 --con-dim 8 --gen-dim 8 --factors-dim 4 --batch-size 16 "${q[@]}")
expect_ok fit-lfads -i data.h5 "${small[@]}" --batches 30 --valid-every 10 --seed 3 -o model.h5
expect_ok fit-lfads --infer -p model.h5 -i data.h5 --samples 4 "${q[@]}" -o post.h5
expect_ok run-esn --n 100 --outputs 2 --steps 300 --passes 2 --seed 1 "${q[@]}" -o esn.h5

# Every figure renders to PNG and SVG.
figures=0
for f in task params states fps lin data model post esn; do
  names=$(ctd-plot --list "$f.h5" | cut -f1)
  [ -n "$names" ] && ok || fail "$f.h5: no figures listed"
  for name in $names; do
    extra=()
    [ "$f" = fps ] && extra=(--states states.h5)
    if ! ctd-plot "$f.h5" --figure "$name" "${extra[@]}" --width 640 --height 480 -o "$f-$name.png" 2> err.txt; then
      fail "$f.h5 --figure $name: $(cat err.txt)"; continue
    fi
    read -r w h ink colours <<< "$(image-check png "$f-$name.png")"
    [ "$w $h" = "640 480" ] && ok || fail "$f-$name.png is ${w}x$h, not 640x480"
    awk -v i="$ink" 'BEGIN{exit !(i > 0.01)}' && ok || fail "$f-$name.png is nearly blank (ink $ink)"
    [ "${colours:-0}" -gt 2 ] && ok || fail "$f-$name.png has $colours colours"
    expect_ok ctd-plot "$f.h5" --figure "$name" "${extra[@]}" -o "$f-$name.svg"
    image-check svg "$f-$name.svg" && ok || fail "$f-$name.svg is not well-formed"
    figures=$((figures + 1))
  done
done
[ "$figures" -ge 18 ] && ok || fail "only $figures figures drawn"

# The printed script is the figure: gnuplot redraws the same PNG from it.
ctd-plot fps.h5 --states states.h5 --script -o again.png > again.gp && gnuplot again.gp
ctd-plot fps.h5 --states states.h5 -o direct.png && cmp -s again.png direct.png && ok || fail "--script does not redraw the same PNG"
grep -q '^\$stable << EOD' again.gp && ok || fail "the script carries no datablock of stable points"
# Pipes: -o - writes the image to stdout.
ctd-plot fps.h5 -o - > piped.png && image-check png piped.png > /dev/null && ok || fail "-o - is not a PNG"
ctd-plot fps.h5 --format svg -o - > piped.svg && image-check svg piped.svg && ok || fail "--format svg -o - is not SVG"

# Bad input: one line, the right status, no image.
expect_error 1 'not a ctd file \(no ctd_kind attribute\)' out.png -- ctd-plot "$INT" -o out.png
expect_error 2 "--figure pca: a fixed-points file offers fps, spectrum, q" out.png -- ctd-plot fps.h5 --figure pca -o out.png
expect_error 2 'format follows the name: .png, .svg or .pdf' out.jpg -- ctd-plot fps.h5 -o out.jpg
expect_ok linearize -p "$INT" -i states.h5:hiddens --time 10 -q -o lin_plain.h5
expect_error 1 "no dataset 'predicted_readout': run linearize with --inputs or --unit-inputs" out.png -- \
  ctd-plot lin_plain.h5 -o out.png
expect_error 1 'trial 99 does not exist: there are 60' out.png -- ctd-plot states.h5 --trials 99 -o out.png
expect_error 1 "lin.h5: no dataset 'hiddens'" out.png -- ctd-plot fps.h5 --states lin.h5 -o out.png
expect_error 1 "ctd-plot: missing.h5" out.png -- ctd-plot missing.h5 -o out.png
expect_error 2 'no output file given' '' -- ctd-plot fps.h5

finish
