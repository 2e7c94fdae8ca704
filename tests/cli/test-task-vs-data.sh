#!/usr/bin/env bash
# The worked example examples/task-vs-data end to end: LFADS fitted to spikes
# of a flip-flop GRU must recover the network's states (state R² >= 0.9 both
# ways) and its 8 memories (8 stable generator points paired with the
# network's 8 stable points). A pipeline test: about 2.5 minutes.
source "$(dirname "$0")/lib.sh" "$1"
num() { h5dump -a "$2" "$1" | awk '/\(0\)/{print $2}'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN{exit !(a >= b)}'; }

CTD_BIN="$BIN" expect_ok bash "$ROOT/examples/task-vs-data/run" out
c=out/comparison.h5
ge "$(num $c state_r2)" 0.9 && ok || fail "state R2 $(num $c state_r2) < 0.9"
ge "$(num $c reverse_state_r2)" 0.9 && ok || fail "reverse state R2 $(num $c reverse_state_r2) < 0.9"
[ "$(num $c stable_pairs)" = 8 ] && ok || fail "$(num $c stable_pairs) stable pairs, not the 8 memories"
[ "$(ctd-info $c --csv fitted_stability | grep -c '^0$')" = 8 ] && ok || fail "the generator has not 8 stable points"
# DSA orders the systems: the generator is near the network, an untrained network is not.
ge 0.05 "$(num $c dsa_relative)" && ok || fail "DSA $(num $c dsa_relative) between the network and its fit"
grep -A3 'untrained network' out/comparison.txt | grep -Eq 'relative 0\.[2-9]' && ok || fail "the untrained network is close by DSA"
[ -s out/fixed_points_both.png ] && ok || fail "no figure"
finish
