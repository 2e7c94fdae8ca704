#!/usr/bin/env bash
# lyapunov-spectrum: the tutorial integrator's line attractor shows as one
# exponent at 0 and the rest negative; text, JSON and file agree; the same
# seed gives the same file; ctd-plot draws the spectrum; bad input is refused.
source "$(dirname "$0")/lib.sh" "$1"
INT="$DATA/fixtures/tutorial_vanilla_integrator_params.h5"
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN{d = a - b; if (d < 0) d = -d; exit !(d <= t)}'; }

text=$(lyapunov-spectrum -p "$INT" --exponents 4 --steps 500 --transient 200 --trajectories 2 --seed 3)
l1=$(printf '%s\n' "$text" | awk '/^lambda_1 /{print $2}')
l2=$(printf '%s\n' "$text" | awk '/^lambda_2 /{print $2}')
near "$l1" 0 0.01 && ok || fail "the integrator's memory direction is not marginal: lambda_1 = $l1"
awk -v x="$l2" 'BEGIN{exit !(x < -0.1)}' && ok || fail "the other directions do not contract: lambda_2 = $l2"
[ "$(printf '%s\n' "$text" | grep -c '^lambda_')" == 4 ] && ok || fail "not 4 exponents: $text"
printf '%s\n' "$text" | grep -Eq '^kaplan-yorke [0-9.]+$' && ok || fail "no Kaplan-Yorke line: $text"

json=$(lyapunov-spectrum -p "$INT" --exponents 4 --steps 500 --transient 200 --trajectories 2 --seed 3 --json)
near "$(printf '%s' "$json" | jq '.exponents[0]')" "$l1" 1e-5 && ok || fail "--json disagrees with the text: $json"
expect_ok lyapunov-spectrum -p "$INT" --exponents 4 --steps 500 --transient 200 --trajectories 2 --seed 3 -o a.h5
expect_ok lyapunov-spectrum -p "$INT" --exponents 4 --steps 500 --transient 200 --trajectories 2 --seed 3 -o b.h5
h5diff a.h5 b.h5 /exponents_per_trajectory >/dev/null && ok || fail "the same seed gave other exponents"
[ "$(ctd-info a.h5 --attribute ctd_kind)" == lyapunov ] && ok || fail "kind"
ctd-info a.h5 | grep -Eq '^  exponents_per_trajectory +\[2,4\]' && ok || fail "no per-trajectory exponents"
near "$(ctd-info a.h5 --attribute max_exponent)" "$l1" 1e-5 && ok || fail "max_exponent disagrees"
ctd-plot a.h5 --script -o s.png | grep -q 'yerrorbars' && ok || fail "the spectrum figure lacks its error bars"
expect_ok ctd-plot a.h5 -o spectrum.png
[ -s spectrum.png ] && ok || fail "no spectrum figure"

expect_error 2 "--exponents 200 is more than the state's 100 values" out.h5 -- \
  lyapunov-spectrum -p "$INT" --exponents 200 -o out.h5
expect_error 2 "x-star" out.h5 -- lyapunov-spectrum -p "$INT" --x-star 1,2,3 -o out.h5
expect_error 1 "" out.h5 -- lyapunov-spectrum -p a.h5 -o out.h5
finish
