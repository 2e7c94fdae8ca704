#!/usr/bin/env bash
# find-cycles: a one-unit network h' = tanh(-2h), written with HDF5's own
# h5import, has one unstable fixed point and one stable 2-cycle; text, JSON and
# file agree; the same seed gives the same file; bad input is refused.
source "$(dirname "$0")/lib.sh" "$1"
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN{d = a - b; if (d < 0) d = -d; exit !(d <= t)}'; }

unit_network flip.h5 -2 0  # h' = tanh(-2h)

text=$(find-cycles -p flip.h5 --max-period 4 --starts 8 --seed 2)
[ "$(printf '%s\n' "$text" | wc -l)" == 2 ] && ok || fail "not two orbits: $text"
printf '%s\n' "$text" | grep -Eq '^period 1 .* unstable 1  saddle$' && ok || fail "no unstable fixed point: $text"
printf '%s\n' "$text" | grep -Eq '^period 2 .* unstable 0  stable$' && ok || fail "no stable 2-cycle: $text"
a=$(awk 'BEGIN{a = 1; for (i = 0; i < 200; i++) {e = exp(4 * a); a = (e - 1) / (e + 1)}; print a}')  # a = tanh(2a)
mu=$(printf '%s\n' "$text" | awk '/^period 2/{print $6}')
near "$mu" "$(awk -v a="$a" 'BEGIN{print 4 * (1 - a * a) ^ 2}')" 1e-5 && ok || fail "the 2-cycle's multiplier: $mu"

json=$(find-cycles -p flip.h5 --max-period 4 --starts 8 --seed 2 --json)
[ "$(printf '%s' "$json" | jq '.orbits | length')" == 2 ] && ok || fail "--json: $json"
[ "$(printf '%s' "$json" | jq '.orbits[1].period')" == 2 ] && ok || fail "--json period: $json"
expect_ok find-cycles -p flip.h5 --max-period 4 --starts 8 --seed 2 -o a.h5
expect_ok find-cycles -p flip.h5 --max-period 4 --starts 8 --seed 2 -o b.h5
h5diff a.h5 b.h5 /points >/dev/null && ok || fail "the same seed gave other orbits"
[ "$(ctd-info a.h5 --attribute ctd_kind)" == cycles ] && ok || fail "kind"
ctd-info a.h5 | grep -Eq '^  points +\[3,1\]' && ok || fail "not 3 orbit points (1 + 2)"
near "$(h5dump -d /points -s 1,0 -c 1,1 a.h5 | awk '/\(1,0\)/{print ($2 < 0 ? -$2 : $2)}')" "$a" 1e-6 && ok || fail "the 2-cycle's point is not ±a"
ctd-plot a.h5 --script -o s.png | grep -q 'title "F(h) = h"' && ok || fail "the return map lacks its diagonal"
expect_ok ctd-plot a.h5 -o orbits.png
[ -s orbits.png ] && ok || fail "no orbits figure"
# --max-period 1: the fixed point alone.
[ "$(find-cycles -p flip.h5 --max-period 1 --starts 8 | wc -l)" == 1 ] && ok || fail "--max-period 1"

expect_error 2 "max-period" out.h5 -- find-cycles -p flip.h5 --max-period 0 -o out.h5
expect_error 2 "x-star" out.h5 -- find-cycles -p flip.h5 --x-star 1,2 -o out.h5
expect_error 1 "" out.h5 -- find-cycles -p a.h5 -o out.h5
finish
