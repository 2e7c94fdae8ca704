#!/usr/bin/env bash
# Data-parallel training under mpirun: K ranks give the parameters of one
# process to float rounding, the same bits for the same K, SIGTERM and
# --resume end where an uninterrupted run ends, and rank 0 alone writes.
source "$(dirname "$0")/lib.sh" "$1"
if ! ldd "$BIN/train-rnn" | grep -q libmpi; then
  echo "built without MPI: nothing to test"; finish; exit
fi
command -v mpirun > /dev/null || { fail "built with MPI but mpirun is missing (Debian: openmpi-bin)"; finish; exit; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1  # CI runs as root
mpi() { mpirun --oversubscribe -np "$@"; }
# Largest |a - b| over the parameters must stay below 1e-5 (weights are of order 1).
near() { for ds in $3; do h5diff -d 1e-5 "$1" "$2" "$ds" "$ds" > /dev/null || return 1; done; }
RNN="wR wI wO h0 bR bO"

common=(--task integrator --hidden 32 --batches 100 --seed 2 --eval-trials 64 -t 1 -q)
expect_ok train-rnn "${common[@]}" -o one.h5
expect_ok mpi 2 train-rnn "${common[@]}" -o two.h5
expect_ok mpi 2 train-rnn "${common[@]}" -o two_again.h5
near two.h5 one.h5 "$RNN" && ok || fail "2 ranks differ from one process by more than 1e-5"
h5diff two.h5 two_again.h5 /wR /wR > /dev/null && h5diff two.h5 two_again.h5 /wO /wO > /dev/null && ok ||
  fail "two runs on 2 ranks differ"
# 3 ranks and a batch of 100: 34 + 33 + 33 trials.
expect_ok train-rnn "${common[@]}" --batch-size 100 -o one100.h5
expect_ok mpi 3 train-rnn "${common[@]}" --batch-size 100 -o three.h5
near three.h5 one100.h5 "$RNN" && ok || fail "3 ranks (uneven batch) differ from one process"
# Rank 0 alone writes: one output, no stray temporary file.
[ "$(ls -A | grep -c '\.tmp-')" -eq 0 ] && ok || fail "temporary files left: $(ls -A)"
err=$(mpi 3 train-rnn "${common[@]}" --batch-size 2 -o out.h5 2>&1); [ $? -eq 2 ] && [ ! -e out.h5 ] && printf '%s' "$err" | grep -q 'batch-size 2 is smaller than the 3 ranks' && ok || fail "a batch smaller than the ranks: $err"

# fit-lfads: the same.
expect_ok run-rnn -p "$DATA/fixtures/tutorial_vanilla_integrator_params.h5" --task integrator --trials 120 --seed 2 -q -o states.h5
expect_ok spikify -i states.h5 --seed 1 -q -o data.h5
small=(--enc-dim 8 --con-dim 8 --gen-dim 8 --factors-dim 4 --batch-size 16 --batches 60 --seed 3 -t 1 -q)
expect_ok fit-lfads -i data.h5 "${small[@]}" -o l1.h5
expect_ok mpi 3 fit-lfads -i data.h5 "${small[@]}" -o l3.h5
near l3.h5 l1.h5 "gen/wRUHX enc/fwd/wRUHX factors/w logrates/w ic/w" && ok || fail "fit-lfads on 3 ranks differs from one process"

# SIGTERM mid-run: every rank stops at the same batch, rank 0 saves; --resume on 2 ranks ends where
# an uninterrupted run on 2 ranks ends.
long=(--task integrator --hidden 64 --seed 3 -t 1 -q --batches 4000)
mpirun --oversubscribe -np 2 train-rnn "${long[@]}" --checkpoint ck.h5 --checkpoint-every 0.2 -o sig.h5 2> term.log &
pid=$!
for _ in $(seq 300); do [ -f ck.h5 ] && break; sleep 0.05; done
pkill -TERM -P $pid train-rnn   # as Slurm's --signal does: to the tasks
wait $pid
rc=$?
[ $rc -eq 75 ] && [ ! -e sig.h5 ] && [ -f ck.h5 ] && ok || fail "SIGTERM under mpirun: rc=$rc, $(grep -v '^ *$' term.log | head -3)"
[ "$(grep -c 'stopped by signal 15' term.log)" -eq 1 ] && ok || fail "the stop was not reported once: $(cat term.log)"
expect_ok mpi 2 train-rnn "${long[@]}" --checkpoint ck.h5 --resume -o sig.h5
expect_ok mpi 2 train-rnn "${long[@]}" -o straight.h5
h5diff sig.h5 straight.h5 /wR /wR > /dev/null && ok || fail "SIGTERM + resume on 2 ranks differs from an uninterrupted run"

# SIGTERM to mpirun itself: it forwards the signal, every rank stops at the same batch and rank 0
# saves (mpirun's own exit status is mpirun's); --resume ends where the uninterrupted run ends.
rm -f ck2.h5
mpirun --oversubscribe -np 2 train-rnn "${long[@]}" --checkpoint ck2.h5 --checkpoint-every 0.2 -o sig2.h5 2> term2.log &
pid=$!
for _ in $(seq 300); do [ -f ck2.h5 ] && break; sleep 0.05; done
kill -TERM $pid
wait $pid
[ -f ck2.h5 ] && [ ! -e sig2.h5 ] && grep -q 'stopped by signal 15' term2.log && ok || fail "SIGTERM to mpirun: $(head -3 term2.log)"
expect_ok mpi 2 train-rnn "${long[@]}" --checkpoint ck2.h5 --resume -o sig2.h5
h5diff sig2.h5 straight.h5 /wR /wR > /dev/null && ok || fail "SIGTERM to mpirun + resume differs from an uninterrupted run"

# A rank's default threads: its share of the node's cores (2 ranks on this machine: one each at most).
err=$(env -u OMP_NUM_THREADS -u SLURM_CPUS_PER_TASK mpirun --oversubscribe -np 2 train-rnn --task integrator --hidden 4 \
      --batches 2 --eval-trials 4 -o thr.h5 2>&1 >/dev/null)
cores=$(nproc)
want=$(( cores / 2 > 0 ? cores / 2 : 1 ))
printf '%s' "$err" | grep -Eq ", [1-$want] threads" && ok || fail "a rank's default thread count is not its share: $err"

# tune-lfads: members spread over 3 ranks (4 members: 2, 1, 1) give the population of one process.
pbt=(--hold-out 5 --enc-dim 8 --con-dim 8 --gen-dim 8 --factors-dim 4 --batch-size 16 --valid-every 10
     --members 4 --generations 3 --generation-batches 20 --seed 5 -t 1 -q)
expect_ok tune-lfads -i "$DATA/lfads_lorenz.h5" "${pbt[@]}" -o pbt_one.h5
expect_ok mpi 3 tune-lfads -i "$DATA/lfads_lorenz.h5" "${pbt[@]}" -o pbt_three.h5
h5diff pbt_one.h5 pbt_three.h5 /gen/wRUHX /gen/wRUHX > /dev/null && ok || fail "tune-lfads on 3 ranks differs from one process"
h5diff pbt_one-population.h5 pbt_three-population.h5 /history/hp /history/hp > /dev/null && ok ||
  fail "tune-lfads's history on 3 ranks differs"
finish
