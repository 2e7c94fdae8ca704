# Bad and odd inputs at the edges: each a clear one-line error, the right exit
# status and no output left behind (issue: robust on every input).
source "$(dirname "$0")/lib.sh"

gen-integrator --trials 6 --seed 1 -o task6.h5
gen-integrator --trials 3 --seed 1 -o task3.h5
train-rnn --task integrator --hidden 8 --batches 3 --eval-trials 4 -q -o p.h5
run-rnn -p p.h5 -i task6.h5 -o states6.h5
run-rnn -p p.h5 -i task3.h5 -o states3.h5
spikify -i states6.h5 -o lfads.h5

# spikify: inputs with fewer trials than the states were read past their end.
h5copy -i states6.h5 -o mixed.h5 -s hiddens -d hiddens
h5copy -i states3.h5 -o mixed.h5 -s inputs -d inputs
expect_error 1 'the inputs have shape \[3,25,1\] but the states are \[6,25,8\]' out.h5 -- spikify -i mixed.h5 -o out.h5
# Absurd rates would have overflowed the counts.
expect_error 2 'max-rate x --bin-width is 1e\+12 spikes per bin' out.h5 -- spikify -i states6.h5 --max-rate 1e9 --bin-width 1e3 -o out.h5
expect_error 2 '--max-rate: must be a finite number' out.h5 -- spikify -i states6.h5 --max-rate nan -o out.h5

# A checkpoint that cannot be written fails before training, not at the first save.
expect_error 1 "folder '/nonexistent/dir' does not exist" out.h5 -- train-rnn --task integrator --checkpoint /nonexistent/dir/ck.h5 -o out.h5
expect_error 1 "folder '/nonexistent/dir' does not exist" out.h5 -- fit-lfads -i lfads.h5 --checkpoint /nonexistent/dir/ck.h5 -o out.h5

# A full disk: one clean error, no file, no crash (libhdf5 used to crash at exit).
if [ "$(id -u)" = 0 ] && mkdir -p full && mount -t tmpfs -o size=24k tmpfs full 2>/dev/null; then
  expect_error 1 'full/p.h5: cannot write: No space left on device' full/p.h5 -- train-rnn -q --task integrator --batches 2 --eval-trials 4 -o full/p.h5
  expect_error 1 'full/ck.h5: cannot write: No space left on device' out.h5 -- train-rnn -q --task integrator --batches 2 --eval-trials 4 --checkpoint full/ck.h5 -o out.h5
  expect_error 1 'full/e.h5: cannot write: No space left on device' full/e.h5 -- run-esn -q --n 100 --steps 20 --passes 1 -o full/e.h5
  [ -z "$(ls -A full)" ] && ok || fail "a full disk kept files: $(ls -A full)"
  umount full
fi

# Thread counts are bounded.
expect_error 2 '--threads: must be in \[0, 1024\], got 100000' out.h5 -- linearize -t 100000 -p p.h5 -i states6.h5 -o out.h5

# Memory an option implies is checked before it is allocated.
expect_error 1 'trials needs [0-9.e+]+ GB of memory but [0-9.e+]+ GB are available' out.h5 -- gen-integrator --trials 100000000 --steps 1000 -o out.h5

# Valid runs that used to fail at the very end.
run-esn --n 30 --outputs 2 --steps 50 --passes 1 --seed 2 -q -o esn.h5
expect_ok run-esn -p esn.h5 --passes 0 --test-passes 0 -o esn0.h5

# Text outputs report write errors.
if [ -w /dev/full ]; then
  ctd-info task6.h5 > /dev/full 2>err.txt; rc=$?
  [ "$rc" = 1 ] && grep -q 'stdout: write error' err.txt && ok || fail "ctd-info > /dev/full exited $rc: $(cat err.txt)"
fi

# A device or a pipe as the output is written in place, not replaced by a renamed file.
mkfifo pipe
cat pipe > through_pipe.h5 &
expect_ok gen-integrator --trials 2 -o pipe
wait
[ -p pipe ] && ok || fail "-o FIFO replaced the FIFO"
h5dump -H through_pipe.h5 > /dev/null 2>&1 && ok || fail "-o FIFO did not carry an HDF5 file"

# A temporary file left by a killed run (here: a process that has ended) is
# removed by the next run writing the same output; a live writer's is kept.
host=$(hostname | tr -- '-/' '__')
sleep 0 & dead=$!; wait $dead
touch ".t.h5.tmp-$host-$dead-AbCdEf" ".t.h5.tmp-$host-$$-AbCdEf"
gen-integrator --trials 2 -o t.h5
[ ! -e ".t.h5.tmp-$host-$dead-AbCdEf" ] && ok || fail "the stale temporary file was not removed"
[ -e ".t.h5.tmp-$host-$$-AbCdEf" ] && ok || fail "a live writer's temporary file was removed"
rm -f ".t.h5.tmp-$host-$$-AbCdEf"

# The default thread count follows the CPUs the process may use.
if command -v taskset >/dev/null && [ "$(nproc --all)" -gt 1 ]; then
  err=$(env -u OMP_NUM_THREADS -u SLURM_CPUS_PER_TASK taskset -c 0 train-rnn --task integrator --hidden 4 --batches 2 \
        --eval-trials 2 -o t.h5 2>&1)
  printf '%s' "$err" | grep -q ', 1 threads' && ok || fail "taskset -c 0 did not give 1 thread: $err"
fi

finish
