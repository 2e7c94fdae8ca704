#!/usr/bin/env bash
# ctd-info answers from the shell: group attributes, values and slices,
# complex summaries, several files, JSON that jq reads with h5dump's numbers,
# CSV equal to the dataset; bad requests fail cleanly.
source "$(dirname "$0")/lib.sh" "$1"
GRU="$DATA/fixtures/tutorial_gru_decision_params.h5"
# The numbers of a dataset as h5dump prints them, one per line.
h5values() { h5dump -y -w 0 -m %.17g -d "$2" "$1" | awk '/DATA \{/{on=1; next} on && /^ *\}/{exit} on{gsub(/,/," "); for(i=1;i<=NF;i++) print $i}'; }
close() { awk -v a="$1" -v b="$2" 'BEGIN{d=a-b; if (d<0) d=-d; m=(a<0?-a:a); exit !(d <= 1e-8*(m>1?m:1))}'; }

expect_ok run-rnn -p "$GRU" --task decision --trials 20 --seed 3 -o states.h5
expect_ok find-fixed-points -p "$GRU" -i states.h5 --max-candidates 150 --tol 1e-4 --tol 1e-6 -q -o fps.h5

# Group attributes and complex summaries in the text description.
info=$(ctd-info fps.h5)
printf '%s' "$info" | grep -Eq '^  tol_1e-04:$' && ok || fail "no group tol_1e-04 in: $info"
printf '%s' "$info" | grep -Eq '^    n_kept = [0-9]+$' && ok || fail "group attribute n_kept not shown"
printf '%s' "$info" | grep -Eq '^  tol_1e-04/eigvals .*complex128 max \|z\| [0-9.]+  \|z\| > 1: [0-9]+ of [0-9]+' && ok ||
  fail "no |z| summary for eigenvalues"
printf '%s' "$info" | grep -Eq '^  tol_1e-04/x_star .* values 0$|^  tol_1e-04/x_star .*max 0$' && ok || fail "x_star not shown"
# One attribute, from the root or a group.
n=$(ctd-info fps.h5 --attribute tol_1e-04/n_kept)
same_text "$n" "$(h5dump -a tol_1e-04/n_kept fps.h5 | awk '/\(0\)/{print $2}')" "--attribute tol_1e-04/n_kept"

# JSON: valid for jq, and its numbers are the file's.
ctd-info --json fps.h5 > fps.json && jq -e . fps.json > /dev/null && ok || fail "--json is not valid JSON"
same_text "$(jq '.groups["tol_1e-04"].n_kept' fps.json)" "$n" "JSON n_kept"
maxq=$(jq '.datasets[] | select(.path == "tol_1e-04/q") | .max' fps.json)
h5max=$(h5values fps.h5 tol_1e-04/q | sort -g | tail -1)
close "$maxq" "$h5max" && ok || fail "JSON max q $maxq, h5dump $h5max"
mean=$(jq '.datasets[] | select(.path == "tol_1e-04/fps") | .mean' fps.json)
h5mean=$(h5values fps.h5 tol_1e-04/fps | awk '{s+=$1} END{printf "%.17g", s/NR}')
close "$mean" "$h5mean" && ok || fail "JSON mean of fps $mean, h5dump $h5mean"
same_text "$(jq -r .kind fps.json)" "fixed-points" "JSON kind"
# Several files: an array, one object each.
same_text "$(ctd-info --json fps.h5 states.h5 | jq 'length')" "2" "--json of two files"
[ "$(ctd-info fps.h5 states.h5 | grep -c '^kind: ')" -eq 2 ] && ok || fail "two files, not two descriptions"

# CSV and --show equal the dataset.
same_text "$(ctd-info fps.h5 --csv 'tol_1e-04/q' | tr '\n' ' ')" \
  "$(h5values fps.h5 tol_1e-04/q | awk '{printf "%.9g ", $1}')" "--csv of q"
row=$(ctd-info fps.h5 --csv 'tol_1e-04/fps[1]' | tr ',' '\n')
[ "$(printf '%s\n' "$row" | wc -l)" -eq 100 ] && ok || fail "fps[1] does not have 100 values"
same_text "$(printf '%s\n' "$row" | head -3 | tr '\n' ' ')" \
  "$(h5values fps.h5 tol_1e-04/fps | sed -n '101,103p' | awk '{printf "%.9g ", $1}')" "fps[1] against h5dump"
same_text "$(ctd-info fps.h5 --show 'tol_1e-04/fps[1,0:3]' | tr '\n' ' ')" "$(printf '%s\n' "$row" | head -3 | tr '\n' ' ')" \
  "--show of a slice"
same_text "$(ctd-info fps.h5 --show 'tol_1e-04/fps[-1,-1]')" \
  "$(h5values fps.h5 tol_1e-04/fps | tail -1 | awk '{printf "%.9g", $1}')" "negative indices"
ctd-info fps.h5 --csv 'tol_1e-04/eigvals[0:2]' | awk -F, 'NF != 200 {bad=1} END{exit bad}' && ok ||
  fail "complex CSV rows are not re,im pairs"
[ "$(ctd-info states.h5 --show 'hiddens[0:2,0:3,0:4]' | grep -c '^\[')" -eq 2 ] && ok || fail "3-D --show has no block headers"

# Bad requests.
expect_error 1 "no dataset 'nope'" '' -- ctd-info fps.h5 --show nope
expect_error 2 "'x' is not an index" '' -- ctd-info fps.h5 --show 'tol_1e-04/fps[x]'
expect_error 1 'index 999 is outside axis 1' '' -- ctd-info fps.h5 --show 'tol_1e-04/fps[0,999]'
expect_error 1 'CSV takes 1-D or 2-D data' '' -- ctd-info states.h5 --csv hiddens
expect_error 2 'take one file, not 2' '' -- ctd-info fps.h5 states.h5 --show inputs
expect_error 2 'give one of' '' -- ctd-info fps.h5 --json --show inputs
expect_error 1 "no object 'tol_9'" '' -- ctd-info fps.h5 --attribute tol_9/n_kept
expect_error 1 "no attribute 'nope'" '' -- ctd-info fps.h5 --attribute nope

finish
