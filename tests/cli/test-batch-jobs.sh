#!/usr/bin/env bash
# Experiments as batch jobs: the Makefile sweep (cells in parallel, a summary
# table, reruns that redo nothing), and a job script's resume loop.
source "$(dirname "$0")/lib.sh" "$1"
sweep=(-C "$ROOT/examples/sweep" BIN="$BIN" OUT="$WORK/sweep" SEEDS="1 2" LRS="0.01 0.03" BATCHES=60 HIDDEN=16 TRIALS=20)

make -s -j2 "${sweep[@]}" > table.txt 2> make.log && ok || fail "the sweep failed: $(tail -3 make.log)"
[ "$(grep -Ec '^[12] +0\.0[13] +[0-9.e-]+ +[0-9]+ +[0-9]+$' table.txt)" -eq 4 ] && ok || fail "summary: $(cat table.txt)"
same_text "$(cat table.txt)" "$(cat sweep/summary.txt)" "printed and saved summary"
for c in seed1_lr0.01 seed1_lr0.03 seed2_lr0.01 seed2_lr0.03; do
  image-check png "sweep/$c/fps.png" > /dev/null && ok || fail "no figure for $c"
done
# The cell's eval_loss in the table is the parameter file's.
same_text "$(awk '$1 == 2 && $2 == "0.03" {print $3}' table.txt)" \
  "$(ctd-info sweep/seed2_lr0.03/params.h5 --attribute eval_loss)" "eval_loss of seed 2, lr 0.03"
make -q "${sweep[@]}" && ok || fail "a finished sweep is not up to date"
# A lost cell is redone alone.
rm sweep/seed1_lr0.01/fps.h5
make -s -j2 "${sweep[@]}" > /dev/null 2>&1 && [ -f sweep/seed1_lr0.01/fps.h5 ] && ok || fail "a removed file was not rebuilt"

# A requeue loop as a job script writes it: run until the exit status is not 75.
script=(train-rnn --task integrator --hidden 16 --seed 4 -t 2 -q --batches 1500 --checkpoint job.ckpt --checkpoint-every 0.2
        --resume -o job.h5)
( "${script[@]}" & pid=$!; for _ in $(seq 200); do [ -f job.ckpt ] && break; sleep 0.05; done; kill -TERM $pid; wait $pid; exit $? )
first=$?
[ "$first" -eq 75 ] || [ "$first" -eq 0 ] && ok || fail "the pre-empted run exited $first"
status=75
while [ "$status" -eq 75 ]; do "${script[@]}"; status=$?; done
[ "$status" -eq 0 ] && [ -f job.h5 ] && ok || fail "the requeued run ended with $status"
expect_ok train-rnn --task integrator --hidden 16 --seed 4 -t 2 -q --batches 1500 -o straight.h5
h5diff job.h5 straight.h5 /wR /wR > /dev/null && ok || fail "the requeued run differs from an uninterrupted one"

finish
