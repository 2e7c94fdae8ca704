#!/usr/bin/env bash
# The job scripts of examples/slurm on a real one-node Slurm (munged,
# slurmctld, slurmd started here; tests/slurm/one-node-cluster): a train-rnn
# array in which one running task is pre-empted (scontrol requeue) and every
# task's output equals an uninterrupted run; fit-lfads over MPI ranks inside
# an allocation equals mpirun outside it; tune-lfads pre-empted in an
# allocation equals an uninterrupted local run. Needs root and Debian's slurm-wlm
# and munge (.ci/run installs them); elsewhere it says so and passes.
source "$(dirname "$0")/lib.sh" "$1"
if [ "$(id -u)" -ne 0 ] || ! command -v slurmctld > /dev/null || ! command -v munged > /dev/null; then
  echo "no root or no slurm-wlm/munge: the Slurm job scripts are not tested here"; finish; exit
fi
cluster="$ROOT/tests/slurm/one-node-cluster"
eval "$("$cluster" start "$WORK/cluster")" || { fail "the one-node cluster did not start: $(tail -5 "$WORK"/cluster/log/*.log)"; finish; exit; }
trap '"$cluster" stop "$WORK/cluster"; rm -rf "$WORK"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
wait_job() { for _ in $(seq 600); do [ -z "$(squeue -h -j "$1" 2>/dev/null)" ] && return 0; sleep 0.5; done; return 1; }

# The array: 2 seeds x 2 learning rates; task 1 is pre-empted while it trains.
extra="--hidden 32 --checkpoint-every 0.3 --eval-trials 64"
jid=$(BATCHES=8000 EXTRA="$extra" sbatch --parsable "$ROOT/examples/slurm/train-array.sbatch") && ok || fail "sbatch refused the array"
for _ in $(seq 300); do [ -f sweep/seed2_lr0.01/run.ckpt ] && break; sleep 0.1; done
[ "$(squeue -h -j "${jid}_1" -o %T)" = RUNNING ] && ok || fail "task 1 was not running when pre-empted"
scontrol requeue "${jid}_1" && ok || fail "scontrol requeue failed"
sleep 2
scontrol update jobid="${jid}_1" StartTime=now 2>/dev/null  # no waiting for the requeue delay
wait_job "$jid" && ok || fail "the array did not finish"
log="ctd-train-${jid}_1.out"
grep -q 'stopped by signal 15 at batch' "$log" && grep -q 'resuming at batch' "$log" && ok ||
  fail "task 1 was not stopped and resumed: $(cat "$log")"
for cell in "1 0.01" "2 0.01" "1 0.025" "2 0.025"; do
  read -r seed lr <<< "$cell"
  [ -f "sweep/seed${seed}_lr${lr}/params.h5" ] && ok || fail "no output for seed $seed, lr $lr"
done
for cell in "2 0.01" "1 0.025"; do  # the pre-empted task and one that ran through
  read -r seed lr <<< "$cell"
  train-rnn --task integrator --seed "$seed" --lr "$lr" --batches 8000 $extra -t 1 -q -o "straight_${seed}_${lr}.h5"
  h5diff "straight_${seed}_${lr}.h5" "sweep/seed${seed}_lr${lr}/params.h5" /wR /wR > /dev/null && ok ||
    fail "seed $seed, lr $lr under Slurm differs from an uninterrupted run"
done

# fit-lfads over 2 MPI ranks inside an allocation = mpirun -np 2 outside.
expect_ok run-rnn -p "$DATA/fixtures/tutorial_vanilla_integrator_params.h5" --task integrator --trials 120 --seed 2 -q -o states.h5
expect_ok spikify -i states.h5 --seed 1 -q -o data.h5
small="--enc-dim 8 --con-dim 8 --gen-dim 8 --factors-dim 4 --batch-size 16 --batches 60 --seed 3 -q"
EXTRA="$small" sbatch --wait --nodes=1 --ntasks-per-node=2 --cpus-per-task=1 \
  "$ROOT/examples/slurm/fit-lfads-mpi.sbatch" data.h5 model.h5 > /dev/null && ok || fail "the fit-lfads job failed: $(cat ctd-lfads-*.out)"
expect_ok mpirun --oversubscribe -np 2 fit-lfads -i data.h5 $small -t 1 -o local.h5
h5diff model.h5 local.h5 /gen/wRUHX /gen/wRUHX > /dev/null && ok || fail "fit-lfads under Slurm differs from mpirun -np 2"

# The LFADS grid: a 2 x 1 array of small fits.
jid=$(KL="0.5 1" L2="2e-5" EXTRA="$small" sbatch --parsable --array=0-1 --cpus-per-task=1 \
      "$ROOT/examples/slurm/lfads-grid.sbatch" data.h5) && wait_job "$jid" && ok || fail "the LFADS grid did not run"
[ -f lfads-grid/kl0.5_l22e-5/model.h5 ] && [ -f lfads-grid/kl1_l22e-5/model.h5 ] && ok || fail "the LFADS grid lacks models: $(ls -R lfads-grid)"

# Population-based training in one allocation of 2 tasks, pre-empted after its first generation:
# the requeued job ends with the population and best model of an uninterrupted local run.
pbt="--hold-out 5 --enc-dim 8 --con-dim 8 --gen-dim 8 --factors-dim 4 --batch-size 16 --valid-every 10 --generations 4 --generation-batches 100 --seed 4 -q"
jid=$(MEMBERS=4 EXTRA="$pbt" sbatch --parsable --ntasks=2 --cpus-per-task=1 \
      "$ROOT/examples/slurm/tune-lfads.sbatch" "$DATA/lfads_lorenz.h5" best.h5) && ok || fail "sbatch refused tune-lfads"
for _ in $(seq 1200); do [ -f best-population.h5 ] && break; sleep 0.1; done
[ "$(squeue -h -j "$jid" -o %T)" = RUNNING ] && scontrol requeue "$jid" && ok || fail "tune-lfads was not running after a generation"
sleep 1
scontrol update jobid="$jid" StartTime=now 2>/dev/null
wait_job "$jid" && [ -f best.h5 ] && ok || fail "the tune-lfads job did not finish: $(tail -5 ctd-pbt-*.out)"
expect_ok tune-lfads -i "$DATA/lfads_lorenz.h5" --members 4 $pbt -t 1 -o local_best.h5
h5diff best.h5 local_best.h5 /gen/wRUHX /gen/wRUHX > /dev/null && ok || fail "tune-lfads under Slurm, pre-empted, differs from a local run"
h5diff best-population.h5 local_best-population.h5 /history/score /history/score > /dev/null && ok ||
  fail "the pre-empted population's history differs"

finish
